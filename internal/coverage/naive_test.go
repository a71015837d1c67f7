package coverage

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// naive is coverage computed the slow, obvious way: every area against every
// centre, 2SFCA straight from its definition. The engine must agree with it.
type naive struct {
	nearest  []int // -1: no open centre
	km       []float64
	covered  []bool
	coveredN []bool
	access   []float64
}

func computeNaive(areas []Area, centres []Centre, opt Options) naive {
	d0 := opt.ThresholdKm
	if d0 == 0 {
		d0 = DefaultThresholdKm
	}
	n := naive{
		nearest: make([]int, len(areas)), km: make([]float64, len(areas)),
		covered: make([]bool, len(areas)), coveredN: make([]bool, len(areas)), access: make([]float64, len(areas)),
	}
	ratio := make([]float64, len(centres))
	for j, c := range centres {
		if c.Status != StatusOpen {
			continue
		}
		demand := 0
		for _, a := range areas {
			if DistanceKm(a.Lat, a.Lon, c.Lat, c.Lon) <= d0 {
				demand += a.Young
			}
		}
		if demand > 0 {
			ratio[j] = c.WeeklyPlaces / float64(demand)
		}
	}
	for i, a := range areas {
		n.nearest[i], n.km[i] = -1, -1
		for j, c := range centres {
			if c.Status != StatusOpen {
				continue
			}
			d := DistanceKm(a.Lat, a.Lon, c.Lat, c.Lon)
			if n.nearest[i] < 0 || d < n.km[i] {
				n.nearest[i], n.km[i] = j, d
			}
			if d <= d0 {
				n.covered[i] = true
				n.access[i] += ratio[j]
				if c.HoursPerWeek >= opt.MinHours {
					n.coveredN[i] = true
				}
			}
		}
	}
	return n
}

// naiveFigures sums the areas for which keep is true.
func naiveFigures(areas []Area, n naive, keep func(i int) bool) Figures {
	var f Figures
	access := 0.0
	for i, a := range areas {
		if !keep(i) {
			continue
		}
		f.Areas++
		f.YoungPeople += a.Young
		access += float64(a.Young) * n.access[i]
		if n.covered[i] {
			f.AreasCovered++
			f.YoungCovered += a.Young
		}
		if n.coveredN[i] {
			f.YoungCoveredMinHours += a.Young
		}
	}
	if f.YoungPeople > 0 {
		f.CoveredShare = float64(f.YoungCovered) / float64(f.YoungPeople)
		f.CoveredMinHoursShare = float64(f.YoungCoveredMinHours) / float64(f.YoungPeople)
		f.PlacesPer1000 = access / float64(f.YoungPeople) * 1000
	}
	return f
}

func sameFigures(a, b Figures) bool {
	return a.Areas == b.Areas && a.AreasCovered == b.AreasCovered && a.YoungPeople == b.YoungPeople &&
		a.YoungCovered == b.YoungCovered && a.YoungCoveredMinHours == b.YoungCoveredMinHours &&
		near(a.CoveredShare, b.CoveredShare) && near(a.CoveredMinHoursShare, b.CoveredMinHoursShare) &&
		near(a.PlacesPer1000, b.PlacesPer1000)
}

// checkAgainstNaive compares every area and every council figure, with each
// breakdown, to the naive computation.
func checkAgainstNaive(t *testing.T, areas []Area, centres []Centre, opt Options, r *Result) {
	t.Helper()
	n := computeNaive(areas, centres, opt)
	for i, a := range r.Areas {
		wantID := ""
		if n.nearest[i] >= 0 {
			wantID = centres[n.nearest[i]].ID
		}
		// Equal distances may name either centre; the distance must match exactly.
		idOK := a.NearestID == wantID || (n.nearest[i] >= 0 && a.NearestID != "" && a.NearestKm == n.km[i])
		if !idOK || a.NearestKm != n.km[i] || a.Covered != n.covered[i] || a.CoveredMinHours != n.coveredN[i] || !near(a.Access, n.access[i]) {
			t.Fatalf("%s: got %+v\nwant nearest %q at %v km, covered %v, N-hours %v, access %v",
				a.Code, a, wantID, n.km[i], n.covered[i], n.coveredN[i], n.access[i])
		}
	}
	provider := func(i int) Provider {
		if n.nearest[i] < 0 {
			return ""
		}
		return centres[n.nearest[i]].Provider
	}
	check := func(name string, s Summary, inGroup func(i int) bool) {
		t.Helper()
		if want := naiveFigures(areas, n, inGroup); !sameFigures(s.Figures, want) {
			t.Fatalf("%s: got %+v\nwant %+v", name, s.Figures, want)
		}
		for d := range s.ByDecile {
			want := naiveFigures(areas, n, func(i int) bool { return inGroup(i) && areas[i].IMDDecile == d })
			if !sameFigures(s.ByDecile[d], want) {
				t.Fatalf("%s decile %d: got %+v\nwant %+v", name, d, s.ByDecile[d], want)
			}
		}
		for _, p := range Providers {
			want := naiveFigures(areas, n, func(i int) bool { return inGroup(i) && provider(i) == p })
			got, ok := s.ByProvider[p]
			if ok != (want.Areas > 0) || !sameFigures(got, want) {
				t.Fatalf("%s provider %s: got %+v (present %v)\nwant %+v", name, p, got, ok, want)
			}
		}
	}
	check("total", r.Total, func(int) bool { return true })
	for _, s := range r.Councils {
		check(s.LADCode, s, func(i int) bool { return areas[i].LADCode == s.LADCode })
	}
}

// randomInstance makes areas and centres over Greater Manchester.
func randomInstance(rng *rand.Rand, nAreas, nCentres int) ([]Area, []Centre) {
	areas := make([]Area, nAreas)
	for i := range areas {
		lad := "E0800000" + strconv.Itoa(1+rng.IntN(4))
		areas[i] = Area{
			Code: "A" + strconv.Itoa(i), LADCode: lad, LADName: "Council " + lad,
			Lat: 53.3 + rng.Float64()*0.4, Lon: -2.7 + rng.Float64()*0.7,
			IMDDecile: rng.IntN(11), Young: rng.IntN(300),
		}
	}
	statuses := []Status{StatusOpen, StatusOpen, StatusOpen, StatusPlanned, StatusClosed}
	centres := make([]Centre, nCentres)
	for j := range centres {
		centres[j] = Centre{
			ID: "C" + strconv.Itoa(j), Name: "Centre " + strconv.Itoa(j),
			Lat: 53.3 + rng.Float64()*0.4, Lon: -2.7 + rng.Float64()*0.7,
			Status: statuses[rng.IntN(len(statuses))], Provider: Providers[rng.IntN(len(Providers))],
			HoursPerWeek: float64(rng.IntN(40)), WeeklyPlaces: float64(rng.IntN(200)),
		}
	}
	return areas, centres
}

func TestComputeMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 1))
	tests := []struct {
		areas, centres int
		opt            Options
	}{
		{1, 1, Options{}},
		{50, 3, Options{MinHours: 10}},
		{800, 40, Options{MinHours: 10}},
		{800, 40, Options{ThresholdKm: 1, MinHours: 20}},
		{800, 200, Options{ThresholdKm: 3.5}},
		{3000, 10, Options{ThresholdKm: 0.5, MinHours: 5}},
		{3000, 1000, Options{ThresholdKm: 2}},
	}
	for _, tc := range tests {
		name := strconv.Itoa(tc.areas) + "x" + strconv.Itoa(tc.centres) + "/" + strconv.FormatFloat(tc.opt.ThresholdKm, 'f', -1, 64)
		t.Run(name, func(t *testing.T) {
			areas, centres := randomInstance(rng, tc.areas, tc.centres)
			r := mustCompute(t, areas, centres, tc.opt)
			checkAgainstNaive(t, areas, centres, tc.opt, r)
			if math.IsNaN(r.Total.PlacesPer1000) {
				t.Error("NaN places")
			}
		})
	}
}
