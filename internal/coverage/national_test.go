package coverage

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"youthhub/internal/area"
)

// Tests and benchmarks on the real ONS areas and real postcodes in
// shared/data (beside the repository).

func dataDir(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot find the test file's directory")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		t.Fatalf("shared data not found beside the repository: %v", err)
	}
	return dir
}

// engineAreas turns loaded areas into engine areas, counting young people
// in band.
func engineAreas(in []area.Area, band area.Band) []Area {
	out := make([]Area, len(in))
	for i, a := range in {
		out[i] = Area{Code: a.Code, LADCode: a.LADCode, LADName: a.LADName, Lat: a.Lat, Lon: a.Lon,
			IMDDecile: a.IMDDecile, Young: band.Young(a)}
	}
	return out
}

var national struct {
	once    sync.Once
	areas   []Area
	centres []Centre
	err     error
}

// nationalData loads all LSOAs of England and Wales (young people aged
// 13–19) and the benchmark centres, once.
func nationalData(t testing.TB) ([]Area, []Centre) {
	t.Helper()
	dir := dataDir(t)
	national.once.Do(func() {
		var as []area.Area
		if as, national.err = area.LoadEnglandWales(dir); national.err != nil {
			return
		}
		national.areas = engineAreas(as, area.BandStatutory)
		national.centres, national.err = postcodeCentres(dir, 3000, 150, 150)
	})
	if national.err != nil {
		t.Fatal(national.err)
	}
	return national.areas, national.centres
}

// postcodeCentres places open, planned and closed centres at real postcodes
// of England and Wales drawn with a fixed seed (PCG 2026, 1), skipping
// postcodes with no coordinates or outside England and Wales. Provider,
// hours (2–41 a week) and weekly places (20–219) are drawn too.
func postcodeCentres(dir string, open, planned, closed int) ([]Centre, error) {
	f, err := os.Open(filepath.Join(dir, "postcodes", "postcodes_sample_100k_onspd_lsoa11_latlon.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	type postcode struct {
		code     string
		lat, lon float64
	}
	var pcs []postcode
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		lad := rec[col["lad_code"]]
		if rec[col["lat"]] == "" || rec[col["lon"]] == "" || !(strings.HasPrefix(lad, "E0") || strings.HasPrefix(lad, "W0")) {
			continue
		}
		lat, err1 := strconv.ParseFloat(rec[col["lat"]], 64)
		lon, err2 := strconv.ParseFloat(rec[col["lon"]], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("postcode %s: bad coordinates", rec[col["postcode"]])
		}
		pcs = append(pcs, postcode{rec[col["postcode"]], lat, lon})
	}
	n := open + planned + closed
	rng := rand.New(rand.NewPCG(2026, 1))
	perm := rng.Perm(len(pcs))[:n]
	centres := make([]Centre, n)
	for k, p := range perm {
		status := StatusOpen
		switch {
		case k >= open+planned:
			status = StatusClosed
		case k >= open:
			status = StatusPlanned
		}
		pc := pcs[p]
		centres[k] = Centre{
			ID: "pc-" + strings.ReplaceAll(pc.code, " ", ""), Name: "Centre at " + pc.code,
			Lat: pc.lat, Lon: pc.lon, Status: status, Provider: Providers[rng.IntN(len(Providers))],
			HoursPerWeek: float64(2 + rng.IntN(40)), WeeklyPlaces: float64(20 + rng.IntN(200)),
		}
	}
	return centres, nil
}

// traffordCentres are Trafford's youth centres from the council's asset
// register (youth_centres/youth_and_community_centres_combined.csv); the
// former Partington Youth Centre is closed. Hours and places are not in the
// register: 15 hours and 60 places a week are assumed.
func traffordCentres(t *testing.T) []Centre {
	t.Helper()
	f, err := os.Open(filepath.Join(dataDir(t), "youth_centres", "youth_and_community_centres_combined.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var out []Centre
	for _, rec := range recs[1:] {
		if rec[col["lad24cd"]] != area.TraffordLAD || rec[col["category"]] != "youth_centre" {
			continue
		}
		lat, err1 := strconv.ParseFloat(rec[col["lat"]], 64)
		lon, err2 := strconv.ParseFloat(rec[col["lon"]], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: bad coordinates", rec[col["name"]])
		}
		status := StatusOpen
		if strings.Contains(rec[col["flags"]], "former_site") {
			status = StatusClosed
		}
		out = append(out, Centre{ID: rec[col["id"]], Name: rec[col["name"]], Lat: lat, Lon: lon, Status: status,
			Provider: ProviderCouncil, HoursPerWeek: 15, WeeklyPlaces: 60})
	}
	return out
}

func TestTraffordRealCentres(t *testing.T) {
	loaded, err := area.LoadTrafford(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	areas := engineAreas(loaded, area.BandStatutory)
	centres := traffordCentres(t)
	if len(centres) != 8 {
		t.Fatalf("got %d Trafford youth centres, want 8", len(centres))
	}
	opt := Options{MinHours: 10}
	e, err := NewEngine(areas, opt)
	if err != nil {
		t.Fatal(err)
	}
	base, err := e.Compute(centres)
	if err != nil {
		t.Fatal(err)
	}
	checkAgainstNaive(t, areas, centres, opt, base)
	s, ok := base.Council(area.TraffordLAD)
	if !ok || s.YoungPeople != 21849 || s.Areas != 139 || len(base.Councils) != 1 {
		t.Fatalf("Trafford summary %+v", s)
	}

	var saleWest Centre
	for _, c := range centres {
		if strings.HasPrefix(c.Name, "Sale West Youth Centre") {
			saleWest = c
		}
	}
	w, err := WhatIf(base, Changes{Close: []string{saleWest.ID}})
	if err != nil {
		t.Fatal(err)
	}
	lost := 0
	for i, a := range w.After.Areas {
		if base.Areas[i].Covered && !a.Covered {
			lost += a.Young
		}
	}
	if lost == 0 {
		t.Fatal("closing Sale West Youth Centre changes nothing: it is the only centre in Sale")
	}
	want := fmt.Sprintf("Closing %s leaves %s young people without a centre within 2 km", saleWest.Name, thousands(lost))
	if got := w.Sentence(); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	t.Log(w.Sentence())
	if gaps := w.After.Gaps(area.TraffordLAD); len(gaps) == 0 || gaps[0].Score < gaps[len(gaps)-1].Score {
		t.Errorf("gaps not ranked: %v", gaps)
	}
}

// On all of England and Wales, the engine's nearest centre agrees with a
// scan of every centre for a sample of areas, and the totals are the
// loader's.
func TestNationalSample(t *testing.T) {
	areas, centres := nationalData(t)
	r := mustCompute(t, areas, centres, Options{MinHours: 10})
	if len(r.Councils) != 318 || r.Total.YoungPeople != 4702785 || r.Total.Areas != 35672 {
		t.Fatalf("national total %+v with %d councils", r.Total.Figures, len(r.Councils))
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for range 400 {
		i := rng.IntN(len(areas))
		a := areas[i]
		best, bestKm := "", -1.0
		for _, c := range centres {
			if c.Status != StatusOpen {
				continue
			}
			if d := DistanceKm(a.Lat, a.Lon, c.Lat, c.Lon); bestKm < 0 || d < bestKm {
				best, bestKm = c.ID, d
			}
		}
		got := r.Areas[i]
		if got.NearestKm != bestKm || (got.NearestID != best && got.NearestKm != bestKm) || got.Covered != (bestKm <= DefaultThresholdKm) {
			t.Fatalf("%s: got %q at %v km, want %q at %v km", a.Code, got.NearestID, got.NearestKm, best, bestKm)
		}
	}
	t.Logf("covered %.1f %%, by 10+ hours %.1f %%, %.1f places per 1,000 young people aged 13-19",
		100*r.Total.CoveredShare, 100*r.Total.CoveredMinHoursShare, r.Total.PlacesPer1000)
}

func BenchmarkNationalRecompute(b *testing.B) {
	areas, centres := nationalData(b)
	opt := Options{MinHours: 10}

	// Memory the engine adds: index + one result, live after a GC.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	e, err := NewEngine(areas, opt)
	if err != nil {
		b.Fatal(err)
	}
	r, err := e.Compute(centres)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(r)

	for b.Loop() {
		if _, err := e.Compute(centres); err != nil {
			b.Fatal(err)
		}
	}
	// After the loop: b.Loop's first call drops metrics reported before it.
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "engine-MB")
	b.ReportMetric(float64(r.Total.Areas-r.Total.AreasCovered), "far-areas")
}

// BenchmarkNationalNearest is the nearest open centre of every area, one
// goroutine, every area searched in the centre tree: the same work as the
// PostGIS KNN query in scripts/bench-coverage.sh.
func BenchmarkNationalNearest(b *testing.B) {
	areas, centres := nationalData(b)
	pts := make([]pt, len(areas))
	for i, a := range areas {
		pts[i] = newPt(a.Lat, a.Lon)
	}
	for b.Loop() {
		var x pointIndex
		x.pts = make([]pt, len(centres))
		for j, c := range centres {
			x.pts[j] = newPt(c.Lat, c.Lon)
			if c.Status == StatusOpen {
				x.insert(int32(j), x.pts[j])
			}
		}
		prev := int32(-1)
		for _, p := range pts {
			known := math.Inf(1)
			if prev >= 0 {
				known = distKm(p, x.pts[prev])
			}
			prev, _ = x.nearest(p, 1, known)
		}
	}
}

func BenchmarkNationalNewEngine(b *testing.B) {
	areas, _ := nationalData(b)
	for b.Loop() {
		if _, err := NewEngine(areas, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNationalWhatIf(b *testing.B) {
	areas, centres := nationalData(b)
	r := mustCompute(b, areas, centres, Options{MinHours: 10})
	ch := Changes{Close: []string{centres[0].ID, centres[1].ID}, Reopen: []string{centres[3000].ID},
		Add: []NewCentre{{Lat: 53.42, Lon: -2.36, Provider: ProviderCharity, HoursPerWeek: 12, WeeklyPlaces: 40}}}
	for b.Loop() {
		if _, err := WhatIf(r, ch); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNationalSite(b *testing.B) {
	areas, centres := nationalData(b)
	r := mustCompute(b, areas, centres, Options{})
	var candidates []Candidate
	for _, c := range centres[3000:] { // the 300 planned and closed sites
		candidates = append(candidates, Candidate{ID: c.ID, Lat: c.Lat, Lon: c.Lon})
	}
	for b.Loop() {
		if _, err := r.Site(10, candidates); err != nil {
			b.Fatal(err)
		}
	}
}
