package api_test

import (
	"encoding/csv"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// Coverage fixture, hand-computed. Points on the meridian of the fixture's
// Old Trafford Youth Centre (council A, 53.4584, −2.2796) are exactly
// R·Δφ apart: u = 0.01° of latitude = 1.112 km.
//
//	T1 E01000001 53.4534 (0.5u = 0.556 km from centre A) 100 aged 13–19, decile 5, has a boundary → covered
//	T2 E01000002 53.4434 (1.5u = 1.668 km)              200, decile 3          → covered
//	T3 E01000003 53.4284 (3.0u = 3.336 km)              300, decile 1          → gap
//	T4 E01000004 53.4884 (3.0u = 3.336 km; Moss Side Youth Club 4.1 km)
//	                                                      5 (+20 aged 22), decile 9 → gap, suppressed
//	M1 E01000005 53.4650, −2.2400, Manchester: 0.556 km from Moss Side Youth Club (council B), 50
//
// Covered share of council A = (100 + 200) / 605. Sale Hub (council A,
// planned) stands on T3. Weekly hours are 0, so 2SFCA supply is 0.
const covLat = 53.4584

type covArea struct {
	code, lad, name string
	lat, lon        float64
	young, older    int // aged 15; aged 22
	decile          int
	boundary        bool
}

var covAreas = []covArea{
	{"E01000001", "E08000009", "Trafford 001A", 53.4534, -2.2796, 100, 0, 5, true},
	{"E01000002", "E08000009", "Trafford 001B", 53.4434, -2.2796, 200, 0, 3, false},
	{"E01000003", "E08000009", "Trafford 001C", 53.4284, -2.2796, 300, 0, 1, false},
	{"E01000004", "E08000009", "Trafford 001D", 53.4884, -2.2796, 5, 20, 9, false},
	{"E01000005", "E08000003", "Manchester 001A", 53.4650, -2.2400, 50, 0, 2, false},
}

// coverageFixture adds the areas and the planned Sale Hub; it returns the
// hub's id.
func coverageFixture(t *testing.T, h *H) string {
	t.Helper()
	for _, a := range covAreas {
		var ages [26]int
		ages[15], ages[22] = a.young, a.older
		agesSQL := strings.ReplaceAll(strings.Trim(fmt.Sprint(ages), "[]"), " ", ",")
		var boundary any
		if a.boundary {
			d := 0.002
			boundary = fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}`,
				a.lon-d, a.lat-d, a.lon+d, a.lat-d, a.lon+d, a.lat+d, a.lon-d, a.lat+d, a.lon-d, a.lat-d)
		}
		lad := map[string]string{"E08000009": "Trafford", "E08000003": "Manchester"}[a.lad]
		if _, err := h.DB.Exec(`INSERT INTO areas (code, name, lad_code, lad_name, lat, lon, centroid_kind, imd_decile, young_by_age, boundary)
			VALUES ($1, $2, $3, $4, $5, $6, 'pwc2011', $7, ('{' || $8 || '}')::int[], $9::jsonb)`,
			a.code, a.name, a.lad, lad, a.lat, a.lon, a.decile, agesSQL, boundary); err != nil {
			t.Fatal(err)
		}
	}
	var hub string
	if err := h.DB.Get(&hub, `INSERT INTO centres (council_id, name, lat, lon, provider_type, weekly_hours, status)
		VALUES ($1, 'Sale Hub', 53.4284, -2.2796, 'charity', 12, 'planned') RETURNING id`, h.F.CouncilA); err != nil {
		t.Fatal(err)
	}
	return hub
}

type covFigures struct {
	Areas         int      `json:"areas"`
	AreasCovered  int      `json:"areas_covered"`
	YoungPeople   *int     `json:"young_people"`
	YoungCovered  *int     `json:"young_covered"`
	CoveredShare  float64  `json:"covered_share"`
	MinHoursShare float64  `json:"covered_min_hours_share"`
	PlacesPer1000 float64  `json:"places_per_1000"`
	Suppressed    bool     `json:"suppressed"`
	IMDDecile     *int     `json:"imd_decile"`
	ProviderType  string   `json:"provider_type"`
	ThresholdKm   float64  `json:"threshold_km"`
	Band          string   `json:"band"`
	Reach         covReach `json:"reach"`
}

type covReach struct {
	Attendees int     `json:"attendees_12_months"`
	Reach     float64 `json:"reach"`
	MeetsREYS *bool   `json:"meets_reys"`
}

type covSummary struct {
	covFigures
	ByDecile   []covFigures `json:"by_imd_decile"`
	ByProvider []covFigures `json:"by_provider_type"`
}

type covAreaFeature struct {
	ID       string `json:"id"`
	Geometry struct {
		Type string `json:"type"`
	} `json:"geometry"`
	Properties struct {
		Code         string   `json:"code"`
		Young        *int     `json:"young"`
		Suppressed   bool     `json:"suppressed"`
		NearestKm    *float64 `json:"nearest_km"`
		NearestName  *string  `json:"nearest_centre_name"`
		Covered      bool     `json:"covered"`
		DistanceBand string   `json:"distance_band"`
		Shape        string   `json:"shape"`
	} `json:"properties"`
}

func (h *H) covPath(council, sub string, q url.Values) string {
	p := "/api/v1/councils/" + council + "/coverage" + sub
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

func (h *H) summary(t *testing.T, tok, council string, q url.Values) covSummary {
	t.Helper()
	var s covSummary
	h.Do(Req{Method: "GET", Path: h.covPath(council, "", q), Token: tok}).Want(t, 200).JSON(t, &s)
	return s
}

func TestCoverageSummaryByHand(t *testing.T) {
	t.Parallel()
	h := newH(t)
	coverageFixture(t, h)
	officer := h.Login("officer.a@example.test")

	s := h.summary(t, officer, h.F.CouncilA, nil)
	if s.CoveredShare != 300.0/605 || *s.YoungPeople != 605 || *s.YoungCovered != 300 || s.Areas != 4 || s.AreasCovered != 2 {
		t.Errorf("council A: %+v, young %v covered %v", s.covFigures, *s.YoungPeople, *s.YoungCovered)
	}
	if s.Band != "13-19" || s.ThresholdKm != 2 || s.PlacesPer1000 != 0 || s.Reach.Attendees != 0 || s.Reach.MeetsREYS == nil || *s.Reach.MeetsREYS {
		t.Errorf("band, threshold, places, reach: %+v", s.covFigures)
	}
	// Deciles 1, 3, 5, 9: decile 9 is T4 alone, 5 young people: withheld.
	var deciles []string
	for _, d := range s.ByDecile {
		deciles = append(deciles, fmt.Sprintf("%d:%d/%d:%v", *d.IMDDecile, d.AreasCovered, d.Areas, d.Suppressed))
		if d.Suppressed != (d.YoungPeople == nil) {
			t.Errorf("decile %d: suppressed %v with young %v", *d.IMDDecile, d.Suppressed, d.YoungPeople)
		}
	}
	if got := strings.Join(deciles, " "); got != "1:0/1:false 3:1/1:false 5:1/1:false 9:0/1:true" {
		t.Errorf("by decile: %s", got)
	}
	// Every area's nearest open centre is Old Trafford (council) except T4,
	// nearer to… Old Trafford too (3.3 km against Moss Side's 4.1 km).
	if len(s.ByProvider) != 1 || s.ByProvider[0].ProviderType != "council" || s.ByProvider[0].Areas != 4 {
		t.Errorf("by provider: %+v", s.ByProvider)
	}

	// A wider threshold covers T3 and T4 (3.336 km); 8–25 counts T4's 22-year-olds.
	wide := h.summary(t, officer, h.F.CouncilA, url.Values{"threshold_km": {"3.5"}, "band": {"8-25"}})
	if wide.CoveredShare != 1 || *wide.YoungPeople != 625 || wide.Band != "8-25" || wide.ThresholdKm != 3.5 {
		t.Errorf("3.5 km, 8-25: %+v", wide.covFigures)
	}
	if wide.Reach.MeetsREYS != nil {
		t.Errorf("8-25 is read against the 13-19 benchmark: meets_reys %v", *wide.Reach.MeetsREYS)
	}

	// Council B (Manchester) with its own officer: M1 covered by Moss Side.
	b := h.summary(t, h.Login("officer.b@example.test"), h.F.CouncilB, nil)
	if b.CoveredShare != 1 || *b.YoungPeople != 50 {
		t.Errorf("council B: %+v", b.covFigures)
	}
	// The admin reads any council.
	if a := h.summary(t, h.Login("admin@example.test"), h.F.CouncilA, nil); a.CoveredShare != s.CoveredShare {
		t.Errorf("admin sees %v", a.CoveredShare)
	}

	// The map layer.
	var fc struct {
		Type     string           `json:"type"`
		Features []covAreaFeature `json:"features"`
	}
	res := h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "/areas", nil), Token: officer}).Want(t, 200)
	if ct := res.Header.Get("Content-Type"); ct != "application/geo+json" {
		t.Errorf("content type %q", ct)
	}
	res.JSON(t, &fc)
	if fc.Type != "FeatureCollection" || len(fc.Features) != 4 {
		t.Fatalf("areas: %s", res.Body)
	}
	want := []struct {
		geom, shape, band string
		covered           bool
		km                float64
		young             int
	}{
		{"Polygon", "boundary", "0-1", true, 0.556, 100},
		{"Point", "centroid", "1-2", true, 1.668, 200},
		{"Point", "centroid", "3-5", false, 3.336, 300},
		{"Point", "centroid", "3-5", false, 3.336, -1},
	}
	for i, f := range fc.Features {
		p, w := f.Properties, want[i]
		if f.ID != covAreas[i].code || f.Geometry.Type != w.geom || p.Shape != w.shape || p.DistanceBand != w.band ||
			p.Covered != w.covered || p.NearestKm == nil || *p.NearestKm != w.km || *p.NearestName != "Old Trafford Youth Centre" {
			t.Errorf("area %d: %+v %+v", i, f, p)
		}
		if w.young < 0 != p.Suppressed || (w.young >= 0 && (p.Young == nil || *p.Young != w.young)) || (w.young < 0 && p.Young != nil) {
			t.Errorf("area %d: young %v suppressed %v, want %d", i, p.Young, p.Suppressed, w.young)
		}
	}

	// Gaps: T3 (300 × 1.0) before T4 (5 × 0.2), T4 withheld.
	var gaps struct {
		Items []struct {
			Rank       int      `json:"rank"`
			Code       string   `json:"code"`
			Young      *int     `json:"young"`
			Score      *float64 `json:"score"`
			Suppressed bool     `json:"suppressed"`
		} `json:"items"`
		Total int `json:"total"`
	}
	h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "/gaps", nil), Token: officer}).Want(t, 200).JSON(t, &gaps)
	if gaps.Total != 2 || gaps.Items[0].Code != "E01000003" || *gaps.Items[0].Score != 300 || *gaps.Items[0].Young != 300 ||
		gaps.Items[1].Code != "E01000004" || !gaps.Items[1].Suppressed || gaps.Items[1].Young != nil || gaps.Items[1].Score != nil {
		t.Errorf("gaps: %+v", gaps)
	}
	h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "/gaps", url.Values{"limit": {"1"}, "offset": {"1"}}), Token: officer}).Want(t, 200).JSON(t, &gaps)
	if gaps.Total != 2 || len(gaps.Items) != 1 || gaps.Items[0].Rank != 2 {
		t.Errorf("second page: %+v", gaps)
	}

	// The centres layer: both fixture centres are within reach, the hub too.
	var centres struct {
		Features []struct {
			Properties struct {
				Name         string   `json:"name"`
				Own          bool     `json:"own"`
				Status       string   `json:"status"`
				Access       []string `json:"access_features"`
				AreasNearest int      `json:"areas_nearest"`
				Supply       string   `json:"supply"`
			} `json:"properties"`
		} `json:"features"`
	}
	h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "/centres", nil), Token: officer}).Want(t, 200).JSON(t, &centres)
	var names []string
	for _, f := range centres.Features {
		p := f.Properties
		names = append(names, fmt.Sprintf("%s/%v/%s/%d", p.Name, p.Own, p.Status, p.AreasNearest))
	}
	slices.Sort(names)
	if got := strings.Join(names, ", "); got != "Moss Side Youth Club/false/open/0, Old Trafford Youth Centre/true/open/4, Sale Hub/true/planned/0" {
		t.Errorf("centres: %s", got)
	}
	q := url.Values{"access_feature": {"hearing_loop"}, "status": {"open"}}
	h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "/centres", q), Token: officer}).Want(t, 200).JSON(t, &centres)
	if len(centres.Features) != 1 || centres.Features[0].Properties.Name != "Old Trafford Youth Centre" {
		t.Errorf("filtered centres: %+v", centres.Features)
	}
}

// readCSV parses a CSV response and checks its content type and header.
func readCSV(t *testing.T, res Res, header ...string) [][]string {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=\"coverage-") {
		t.Errorf("content disposition %q", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(string(res.Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0][:len(header)], header) {
		t.Fatalf("header %v, want it to start %v", rows, header)
	}
	return rows
}

// TestCoverageReachByGroup: young people marked present on a register
// count for the council's reach; by IMD decile where they live (fewer than
// 10 attendees withheld, in JSON and CSV), by provider type where they
// went; those with no known home are counted as living elsewhere.
func TestCoverageReachByGroup(t *testing.T) {
	t.Parallel()
	h := newH(t)
	coverageFixture(t, h)
	if _, err := h.DB.Exec(`INSERT INTO postcodes (postcode, lat, lon, lad_code, lsoa_code) VALUES
		('M32 0AA', 53.4434, -2.2796, 'E08000009', 'E01000002'), ('M32 0AB', 53.4534, -2.2796, 'E08000009', 'E01000001')`); err != nil {
		t.Fatal(err)
	}
	occ, people, _ := h.regStarted(occOpts{Capacity: 30}, 17)
	for i, p := range people {
		home := map[bool]string{true: "M32 0AA", false: "M32 0AB"}[i < 12] // 12 in T2 (decile 3), 3 in T1 (decile 5)
		if i >= 15 {
			home = "" // no postcode: lives elsewhere
		}
		if _, err := h.DB.Exec(`UPDATE users SET postcode = NULLIF($2, '') WHERE id = $1`, p, home); err != nil {
			t.Fatal(err)
		}
	}
	var marks []regMark
	for _, p := range people {
		marks = append(marks, newMark(p, "present", h.Now.Now()))
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/register/marks", Token: h.tokenFor(h.F.WorkerA), Body: marksBody("t", marks)}).Want(t, 200)

	officer := h.Login("officer.a@example.test")
	var s struct {
		Reach struct {
			Attendees int `json:"attendees_12_months"`
			Elsewhere int `json:"attendees_living_elsewhere"`
		} `json:"reach"`
		ByDecile []struct {
			IMDDecile *int          `json:"imd_decile"`
			Reach     groupReachRes `json:"reach"`
		} `json:"by_imd_decile"`
		ByProvider []struct {
			ProviderType string        `json:"provider_type"`
			Reach        groupReachRes `json:"reach"`
		} `json:"by_provider_type"`
	}
	h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "", nil), Token: officer}).Want(t, 200).JSON(t, &s)
	if s.Reach.Attendees != 17 || s.Reach.Elsewhere != 2 {
		t.Fatalf("council reach: %+v", s.Reach)
	}
	got := map[int]groupReachRes{}
	for _, d := range s.ByDecile {
		got[*d.IMDDecile] = d.Reach
	}
	if r := got[3]; r.Suppressed || r.Attendees == nil || *r.Attendees != 12 || *r.Reach != 12.0/200 {
		t.Errorf("decile 3: %+v", r)
	}
	if r := got[5]; !r.Suppressed || r.Attendees != nil || r.Reach != nil {
		t.Errorf("decile 5 (3 attendees) not withheld: %+v", r)
	}
	if r := got[1]; r.Suppressed || *r.Attendees != 0 {
		t.Errorf("decile 1: %+v", r)
	}
	if len(s.ByProvider) != 1 || s.ByProvider[0].ProviderType != "council" || *s.ByProvider[0].Reach.Attendees != 17 || *s.ByProvider[0].Reach.Reach != 17.0/605 {
		t.Errorf("by provider: %+v", s.ByProvider)
	}

	sum := readCSV(t, h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "", url.Values{"format": {"csv"}}), Token: officer}).Want(t, 200),
		"group", "value", "areas")
	at, reach := slices.Index(sum[0], "attendees_12_months"), slices.Index(sum[0], "reach")
	rows := map[string][]string{}
	for _, r := range sum[1:] {
		rows[r[0]+" "+r[1]] = r
	}
	if rows["council E08000009"][at] != "17" || rows["imd_decile 3"][at] != "12" || rows["imd_decile 3"][reach] != "0.0600" ||
		rows["imd_decile 5"][at] != "<10" || rows["imd_decile 5"][reach] != "" || rows["provider_type council"][at] != "17" {
		t.Errorf("summary CSV: %v", sum)
	}
}

type groupReachRes struct {
	Attendees  *int     `json:"attendees_12_months"`
	Reach      *float64 `json:"reach"`
	Suppressed bool     `json:"suppressed"`
}

func TestCoverageCSV(t *testing.T) {
	t.Parallel()
	h := newH(t)
	coverageFixture(t, h)
	officer := h.Login("officer.a@example.test")
	csvQ := url.Values{"format": {"csv"}}
	col := func(rows [][]string, name string) int { return slices.Index(rows[0], name) }

	areas := readCSV(t, h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "/areas", csvQ), Token: officer}).Want(t, 200),
		"code", "name", "young", "imd_decile", "nearest_km")
	if len(areas) != 5 {
		t.Fatalf("areas CSV has %d rows, want a header and 4", len(areas))
	}
	young := col(areas, "young")
	if areas[1][young] != "100" || areas[4][0] != "E01000004" || areas[4][young] != "<10" || areas[3][col(areas, "nearest_km")] != "3.336" {
		t.Errorf("areas CSV: %v", areas)
	}
	// With 8–25, T4 has 25 young people: shown.
	csv825 := url.Values{"format": {"csv"}, "band": {"8-25"}}
	areas = readCSV(t, h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "/areas", csv825), Token: officer}).Want(t, 200), "code")
	if areas[4][young] != "25" {
		t.Errorf("8-25: T4 young %q", areas[4][young])
	}

	gaps := readCSV(t, h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "/gaps", csvQ), Token: officer}).Want(t, 200),
		"rank", "code", "name", "young")
	if len(gaps) != 3 || gaps[2][1] != "E01000004" || gaps[2][3] != "<10" || gaps[2][col(gaps, "score")] != "<10" || gaps[1][3] != "300" {
		t.Errorf("gaps CSV: %v", gaps)
	}

	sum := readCSV(t, h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "", csvQ), Token: officer}).Want(t, 200),
		"group", "value", "areas", "areas_covered", "young_people")
	if sum[1][0] != "council" || sum[1][col(sum, "young_people")] != "605" || sum[1][col(sum, "covered_share")] != "0.4959" {
		t.Errorf("summary CSV council row: %v", sum[1])
	}
	var d9 []string
	for _, r := range sum {
		if r[0] == "imd_decile" && r[1] == "9" {
			d9 = r
		}
	}
	if d9 == nil || d9[col(sum, "young_people")] != "<10" {
		t.Errorf("summary CSV decile 9: %v", d9)
	}

	centres := readCSV(t, h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "/centres", csvQ), Token: officer}).Want(t, 200), "id", "name")
	if len(centres) != 4 {
		t.Errorf("centres CSV: %v", centres)
	}

	// Names a spreadsheet could read as formulas, behind spaces, control characters or in full
	// width, come out with a leading apostrophe; an ordinary name as it is.
	tricks := []string{"=1+1", " =1+1", "\u00a0=1+1", "\n+cmd", "＝1+1", "-2+3", "@SUM(A1)", "Hyphen-ated Hall"}
	for i, name := range tricks {
		if _, err := h.DB.Exec(`INSERT INTO centres (council_id, name, lat, lon, provider_type, status) VALUES ($1, $2, 53.4284, -2.2796, 'charity', 'open')`,
			h.F.CouncilA, name); err != nil {
			t.Fatalf("centre %d: %v", i, err)
		}
	}
	centres = readCSV(t, h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "/centres", csvQ), Token: officer}).Want(t, 200), "id", "name")
	got := map[string]bool{}
	for _, r := range centres[1:] {
		got[r[col(centres, "name")]] = true
	}
	for _, name := range tricks {
		want := "'" + name
		if name == "Hyphen-ated Hall" {
			want = name
		}
		if !got[want] {
			t.Errorf("centre %q: want %q in the CSV, have %v", name, want, got)
		}
	}
}

func TestCoverageWhatIfEqualsRecompute(t *testing.T) {
	t.Parallel()
	h := newH(t)
	hub := coverageFixture(t, h)
	officer := h.Login("officer.a@example.test")
	path := h.covPath(h.F.CouncilA, "/what-if", nil)
	var before struct {
		centres int
		state   string
	}
	centresState := func() string {
		var s string
		if err := h.DB.Get(&s, `SELECT string_agg(id || status || updated_at, ',' ORDER BY id) FROM centres`); err != nil {
			t.Fatal(err)
		}
		return s
	}
	before.centres, before.state = h.count("centres"), centresState()

	type whatIf struct {
		Before     covFigures `json:"before"`
		After      covFigures `json:"after"`
		Difference struct {
			CoveredShare float64 `json:"covered_share"`
			Losing       int     `json:"young_losing_cover"`
			Gaining      int     `json:"young_gaining_cover"`
		} `json:"difference"`
		AreasLosing  []string `json:"areas_losing_cover"`
		AreasGaining []string `json:"areas_gaining_cover"`
		Added        []struct {
			ID           string  `json:"id"`
			WeeklyPlaces float64 `json:"weekly_places"`
		} `json:"added"`
		Sentence string `json:"sentence"`
	}
	var w whatIf
	h.Do(Req{Method: "POST", Path: path, Token: officer, Body: map[string]any{"close": []string{h.F.CentreA}}}).Want(t, 200).JSON(t, &w)
	if w.Before.CoveredShare != 300.0/605 || w.After.CoveredShare != 0 || w.Difference.Losing != 300 || w.Difference.Gaining != 0 ||
		!slices.Equal(w.AreasLosing, []string{"E01000001", "E01000002"}) || len(w.AreasGaining) != 0 {
		t.Errorf("closing centre A: %+v", w)
	}
	if want := "Closing Old Trafford Youth Centre leaves 300 young people without a centre within 2 km"; w.Sentence != want {
		t.Errorf("sentence %q, want %q", w.Sentence, want)
	}
	if h.count("centres") != before.centres || centresState() != before.state {
		t.Fatal("the what-if wrote to centres")
	}

	// Closing it for real and recomputing gives the same figures.
	h.Do(Req{Method: "PUT", Path: "/api/v1/centres/" + h.F.CentreA, Token: officer, Body: map[string]any{
		"name": "Old Trafford Youth Centre", "lat": covLat, "lon": -2.2796, "provider_type": "council", "status": "closed"}}).Want(t, 200)
	closed := h.summary(t, officer, h.F.CouncilA, nil)
	if closed.CoveredShare != w.After.CoveredShare || *closed.YoungCovered != *w.After.YoungCovered || closed.AreasCovered != w.After.AreasCovered ||
		closed.PlacesPer1000 != w.After.PlacesPer1000 || closed.MinHoursShare != w.After.MinHoursShare {
		t.Errorf("recompute with centre A closed %+v, what-if after %+v", closed.covFigures, w.After)
	}

	// Reopening it and the planned hub, and adding a centre at T4.
	body := map[string]any{"reopen": []string{h.F.CentreA, hub},
		"add": []map[string]any{{"name": "Pop-up", "lat": 53.4884, "lon": -2.2796, "provider_type": "library", "weekly_hours": 4}}}
	h.Do(Req{Method: "POST", Path: path, Token: officer, Body: body}).Want(t, 200).JSON(t, &w)
	if w.After.CoveredShare != 1 || w.Difference.Gaining != 605 || len(w.Added) != 1 || w.Added[0].ID != "new-1" || w.Added[0].WeeklyPlaces != 40 {
		t.Errorf("reopen and add: %+v", w)
	}
	if want := "Opening Old Trafford Youth Centre and Sale Hub, and opening new centre Pop-up brings 605 young people within 2 km of a centre"; w.Sentence != want {
		t.Errorf("sentence %q\nwant     %q", w.Sentence, want)
	}

	// A new centre placed in Cheltenham by a slip is named, not answered with "no change".
	far := map[string]any{"add": []map[string]any{
		{"name": "Pop-up", "lat": 53.4884, "lon": -2.2796, "provider_type": "library", "weekly_hours": 4},
		{"name": "Slip", "lat": 51.9, "lon": -2.07, "provider_type": "library", "weekly_hours": 4}}}
	res := h.Do(Req{Method: "POST", Path: path, Token: officer, Body: far}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"add[1].lat"`) || strings.Contains(string(res.Body), `"add[0].`) {
		t.Errorf("a what-if centre far from the council: %s", res.Body)
	}
}

// haversine is the engine's distance, written again for the brute force.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0088
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

func TestCoverageSitingMatchesBruteForce(t *testing.T) {
	t.Parallel()
	h := newH(t)
	hub := coverageFixture(t, h)
	officer := h.Login("officer.a@example.test")
	path := h.covPath(h.F.CouncilA, "/siting", nil)
	points := []map[string]any{
		{"name": "P1 at T3", "lat": 53.4284, "lon": -2.2796},
		{"name": "P2 at T4", "lat": 53.4884, "lon": -2.2796},
		{"name": "P3 far south", "lat": 53.40, "lon": -2.2796},
		{"name": "P4 near T3", "lat": 53.4384, "lon": -2.2796},
		{"name": "P5 east", "lat": 53.47, "lon": -2.25},
	}

	// Brute force: which own areas, uncovered now, each point covers.
	centreA := [2]float64{covLat, -2.2796}
	covers := make([][]int, len(points))
	for c, p := range points {
		for i, a := range covAreas[:4] {
			uncovered := haversine(a.lat, a.lon, centreA[0], centreA[1]) > 2
			if uncovered && haversine(a.lat, a.lon, p["lat"].(float64), p["lon"].(float64)) <= 2 {
				covers[c] = append(covers[c], i)
			}
		}
	}
	gainOf := func(set []int) int {
		seen, n := map[int]bool{}, 0
		for _, c := range set {
			for _, i := range covers[c] {
				if !seen[i] {
					seen[i] = true
					n += covAreas[i].young
				}
			}
		}
		return n
	}
	// Greedy written again, and the best k-subset by enumeration.
	greedy := func(k int) (picks []int, gains []int) {
		for len(picks) < k {
			best, bestGain := -1, 0
			for c := range points {
				if g := gainOf(append(slices.Clone(picks), c)) - gainOf(picks); g > bestGain {
					best, bestGain = c, g
				}
			}
			if best < 0 {
				break
			}
			picks, gains = append(picks, best), append(gains, bestGain)
		}
		return picks, gains
	}
	var bestOf func(k, from int, chosen []int) int
	bestOf = func(k, from int, chosen []int) int {
		if k == 0 || from == len(points) {
			return gainOf(chosen)
		}
		return max(bestOf(k-1, from+1, append(slices.Clone(chosen), from)), bestOf(k, from+1, chosen))
	}

	type siting struct {
		Candidates     string `json:"candidates"`
		CandidateCount int    `json:"candidate_count"`
		CoveredShare   float64
		Picks          []struct {
			ID                string   `json:"id"`
			Name              string   `json:"name"`
			Gain              int      `json:"gain"`
			Areas             []string `json:"areas"`
			CoveredShareAfter float64  `json:"covered_share_after"`
		} `json:"picks"`
	}
	for k := 1; k <= 3; k++ {
		var s siting
		h.Do(Req{Method: "POST", Path: path, Token: officer, Body: map[string]any{"k": k, "candidates": points}}).Want(t, 200).JSON(t, &s)
		wantPicks, wantGains := greedy(k)
		if len(s.Picks) != len(wantPicks) {
			t.Fatalf("k=%d: %d picks, brute force %d", k, len(s.Picks), len(wantPicks))
		}
		total := 0
		for i, p := range s.Picks {
			if p.ID != fmt.Sprintf("point-%d", wantPicks[i]+1) || p.Name != points[wantPicks[i]]["name"] || p.Gain != wantGains[i] {
				t.Errorf("k=%d pick %d: %+v, brute force %s gaining %d", k, i, p, points[wantPicks[i]]["name"], wantGains[i])
			}
			total += p.Gain
		}
		best := bestOf(k, 0, nil)
		if total > best || float64(total) < (1-1/math.E)*float64(best) || (k == 1 && total != best) {
			t.Errorf("k=%d: greedy covers %d, best %d", k, total, best)
		}
	}
	// Greedy here: P1 (T3, 300), then P2 (T4, 5); P4 ties P1 and comes later.
	var s siting
	h.Do(Req{Method: "POST", Path: path, Token: officer, Body: map[string]any{"k": 5, "candidates": points}}).Want(t, 200).JSON(t, &s)
	if len(s.Picks) != 2 || s.Picks[0].Gain != 300 || s.Picks[1].Gain != 5 || s.Picks[1].CoveredShareAfter != 1 ||
		!slices.Equal(s.Picks[0].Areas, []string{"E01000003"}) {
		t.Errorf("k=5: %+v", s)
	}

	// The council's planned and closed centres as candidates: the hub.
	h.Do(Req{Method: "POST", Path: path, Token: officer, Body: map[string]any{"k": 2, "candidates": "centres"}}).Want(t, 200).JSON(t, &s)
	if s.Candidates != "centres" || s.CandidateCount != 1 || len(s.Picks) != 1 || s.Picks[0].ID != hub || s.Picks[0].Gain != 300 {
		t.Errorf("centres as candidates: %+v", s)
	}
	// Area centroids (the default): T2's centroid covers T3 first.
	h.Do(Req{Method: "POST", Path: path, Token: officer, Body: map[string]any{"k": 1}}).Want(t, 200).JSON(t, &s)
	if s.Candidates != "areas" || s.CandidateCount != 4 || len(s.Picks) != 1 || s.Picks[0].ID != "E01000002" || s.Picks[0].Gain != 300 {
		t.Errorf("areas as candidates: %+v", s)
	}
}

func TestCoverageAccess(t *testing.T) {
	t.Parallel()
	h := newH(t)
	coverageFixture(t, h)
	paths := []struct{ method, sub string }{
		{"GET", ""}, {"GET", "/areas"}, {"GET", "/centres"}, {"GET", "/gaps"}, {"POST", "/what-if"}, {"POST", "/siting"},
	}
	body := func(method, sub string) any {
		switch sub {
		case "/what-if":
			return map[string]any{"close": []string{h.F.CentreA}}
		case "/siting":
			return map[string]any{"k": 1}
		}
		return nil
	}
	officerB := h.Login("officer.b@example.test")
	admin := h.Login("admin@example.test")
	var wrongRoles []string
	for _, email := range []string{"worker.a@example.test", "manager.a@example.test", "young@example.test", "guardian@example.test"} {
		wrongRoles = append(wrongRoles, h.Login(email))
	}
	for _, p := range paths {
		t.Run(p.method+p.sub, func(t *testing.T) {
			for _, tok := range wrongRoles {
				h.Do(Req{Method: p.method, Path: h.covPath(h.F.CouncilA, p.sub, nil), Token: tok, Body: body(p.method, p.sub)}).Want(t, 403)
			}
			// Another council's officer: as if council A did not exist.
			h.Do(Req{Method: p.method, Path: h.covPath(h.F.CouncilA, p.sub, nil), Token: officerB, Body: body(p.method, p.sub)}).Want(t, 404)
			h.Do(Req{Method: p.method, Path: h.covPath("00000000-0000-0000-0000-000000000000", p.sub, nil), Token: admin, Body: body(p.method, p.sub)}).Want(t, 404)
			h.Do(Req{Method: p.method, Path: h.covPath(h.F.CouncilA, p.sub, nil), Body: body(p.method, p.sub)}).Want(t, 401)
			h.Do(Req{Method: p.method, Path: h.covPath(h.F.CouncilA, p.sub, nil), Token: admin, Body: body(p.method, p.sub)}).Want(t, 200)
		})
	}
	// A council whose areas are not imported.
	var other string
	if err := h.DB.Get(&other, `INSERT INTO councils (name, lad_code) VALUES ('Salford City Council', 'E08000006') RETURNING id`); err != nil {
		t.Fatal(err)
	}
	p := h.Do(Req{Method: "GET", Path: h.covPath(other, "", nil), Token: admin}).Want(t, 409).Map(t)
	if p["code"] != "areas_not_imported" {
		t.Errorf("no areas: %v", p)
	}
}

func TestCoverageBadInput(t *testing.T) {
	t.Parallel()
	h := newH(t)
	coverageFixture(t, h)
	officer := h.Login("officer.a@example.test")
	a := h.F.CouncilA
	cases := []struct {
		name, method, path string
		body               any
		field              string
	}{
		{"unknown band", "GET", h.covPath(a, "", url.Values{"band": {"9-99"}}), nil, "band"},
		{"zero threshold", "GET", h.covPath(a, "/areas", url.Values{"threshold_km": {"0"}}), nil, "threshold_km"},
		{"threshold not a number", "GET", h.covPath(a, "/gaps", url.Values{"threshold_km": {"far"}}), nil, "threshold_km"},
		{"threshold too far", "GET", h.covPath(a, "/centres", url.Values{"threshold_km": {"51"}}), nil, "threshold_km"},
		{"unknown format", "GET", h.covPath(a, "", url.Values{"format": {"xlsx"}}), nil, "format"},
		{"geojson summary", "GET", h.covPath(a, "/gaps", url.Values{"format": {"geojson"}}), nil, "format"},
		{"bad limit", "GET", h.covPath(a, "/gaps", url.Values{"limit": {"0"}}), nil, "limit"},
		{"unknown provider", "GET", h.covPath(a, "/centres", url.Values{"provider_type": {"pirates"}}), nil, "provider_type"},
		{"unknown access feature", "GET", h.covPath(a, "/centres", url.Values{"access_feature": {"moat"}}), nil, "access_feature"},
		{"close unknown centre", "POST", h.covPath(a, "/what-if", nil), map[string]any{"close": []string{"nope"}}, "close[0]"},
		{"close twice", "POST", h.covPath(a, "/what-if", nil), map[string]any{"close": []string{h.F.CentreA, h.F.CentreA}}, "close[1]"},
		{"reopen an open centre", "POST", h.covPath(a, "/what-if", nil), map[string]any{"reopen": []string{h.F.CentreA}}, "reopen[0]"},
		{"add off the map", "POST", h.covPath(a, "/what-if", nil), map[string]any{"add": []map[string]any{{"lat": 100, "lon": -2.3, "provider_type": "charity", "weekly_hours": 5}}}, "add[0].lat"},
		{"add no hours", "POST", h.covPath(a, "/what-if", nil), map[string]any{"add": []map[string]any{{"lat": 53.4, "lon": -2.3, "provider_type": "charity"}}}, "add[0].weekly_hours"},
		{"add bad provider", "POST", h.covPath(a, "/what-if", nil), map[string]any{"add": []map[string]any{{"lat": 53.4, "lon": -2.3, "provider_type": "pirates", "weekly_hours": 5}}}, "add[0].provider_type"},
		{"unknown what-if field", "POST", h.covPath(a, "/what-if", nil), map[string]any{"move": []string{}}, "move"},
		{"a what-if of nothing", "POST", h.covPath(a, "/what-if", nil), map[string]any{}, "close"},
		{"k zero", "POST", h.covPath(a, "/siting", nil), map[string]any{"k": 0}, "k"},
		{"k missing", "POST", h.covPath(a, "/siting", nil), map[string]any{"candidates": "areas"}, "k"},
		{"unknown candidates", "POST", h.covPath(a, "/siting", nil), map[string]any{"k": 1, "candidates": "schools"}, "candidates"},
		{"candidate off the map", "POST", h.covPath(a, "/siting", nil), map[string]any{"k": 1, "candidates": []map[string]any{{"lat": 53.4, "lon": 20}}}, "candidates[0].lon"},
		{"no candidate points", "POST", h.covPath(a, "/siting", nil), map[string]any{"k": 1, "candidates": []map[string]any{}}, "candidates"},
		// Both mistakes at once are both named (k used to hide the candidates').
		{"k zero and a candidate off the map: k", "POST", h.covPath(a, "/siting", nil), map[string]any{"k": 0, "candidates": []map[string]any{{"lat": 53.4, "lon": 20}}}, "k"},
		{"k zero and a candidate off the map: the candidate", "POST", h.covPath(a, "/siting", nil), map[string]any{"k": 0, "candidates": []map[string]any{{"lat": 53.4, "lon": 20}}}, "candidates[0].lon"},
	}
	before := h.count("centres")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := h.Do(Req{Method: c.method, Path: c.path, Token: officer, Body: c.body, Raw: true}).Want(t, 422).Map(t)
			errs, _ := p["errors"].([]any)
			for _, e := range errs {
				if e.(map[string]any)["field"] == c.field {
					return
				}
			}
			t.Errorf("field %s not named: %v", c.field, p)
		})
	}
	if h.count("centres") != before {
		t.Error("a refused request wrote a centre")
	}
}

// TestCoverageSupplyFollowsTheTimetable: a centre that runs sessions is
// counted by them, so cancelling its sessions lowers its places (it used to
// swap them for the larger opening-hours estimate); and another council's
// planned centres are not shown, nor can a what-if open them.
func TestCoverageSupplyFollowsTheTimetable(t *testing.T) {
	t.Parallel()
	h := newH(t)
	coverageFixture(t, h)
	officer := h.Login("officer.a@example.test")
	if _, err := h.DB.Exec(`UPDATE centres SET weekly_hours = 12, status = 'open' WHERE id = $1`, h.F.CentreA); err != nil {
		t.Fatal(err)
	}
	supply := func() (string, float64, map[string]bool) {
		t.Helper()
		var fc struct {
			Features []struct {
				Properties centrePropsLite `json:"properties"`
			} `json:"features"`
		}
		h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "/centres", nil), Token: officer}).Want(t, 200).JSON(t, &fc)
		names, kind, places := map[string]bool{}, "", -1.0
		for _, f := range fc.Features {
			names[f.Properties.Name] = true
			if f.Properties.ID == h.F.CentreA {
				kind, places = f.Properties.Supply, f.Properties.WeeklyPlaces
			}
		}
		return kind, places, names
	}
	if kind, places, _ := supply(); kind != "hours_proxy" || places != 120 {
		t.Fatalf("no timetable: %s %v, want hours_proxy 120", kind, places)
	}
	occ := h.occurrence(occOpts{Capacity: 15, Starts: h.Now.Now().Add(48 * time.Hour)})
	if kind, places, _ := supply(); kind != "timetable" || places != 15 {
		t.Fatalf("one session of 15: %s %v", kind, places)
	}
	if _, err := h.DB.Exec(`UPDATE occurrences SET status = 'cancelled' WHERE id = $1`, occ); err != nil {
		t.Fatal(err)
	}
	if kind, places, _ := supply(); kind != "timetable" || places != 0 {
		t.Fatalf("its one session cancelled: %s %v, want timetable 0 (not the hours estimate)", kind, places)
	}

	// Manchester's plans, just over the boundary: its open centre shows, its planned one does not.
	var planned string
	if err := h.DB.Get(&planned, `WITH o AS (INSERT INTO centres (council_id, name, lat, lon, provider_type, weekly_hours, status)
			VALUES ($1, 'Manchester Open Club', 53.4300, -2.2800, 'council', 10, 'open'))
		INSERT INTO centres (council_id, name, lat, lon, provider_type, weekly_hours, status)
		VALUES ($1, 'Confidential proposed hub', 53.4290, -2.2790, 'council', 10, 'planned') RETURNING id`, h.F.CouncilB); err != nil {
		t.Fatal(err)
	}
	if _, _, names := supply(); !names["Manchester Open Club"] || names["Confidential proposed hub"] || !names["Sale Hub"] {
		t.Fatalf("centres shown: %v (want Manchester's open one and Trafford's own planned one only)", names)
	}
	csv := h.Do(Req{Method: "GET", Path: h.covPath(h.F.CouncilA, "/centres", url.Values{"format": {"csv"}}), Token: officer}).Want(t, 200)
	if strings.Contains(string(csv.Body), "Confidential") {
		t.Fatal("another council's planned centre is in the CSV")
	}
	res := h.Do(Req{Method: "POST", Path: h.covPath(h.F.CouncilA, "/what-if", nil), Token: officer,
		Body: map[string]any{"reopen": []string{planned}}}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"reopen[0]"`) || strings.Contains(string(res.Body), "Confidential") {
		t.Fatalf("what-if opening another council's planned centre: %s", res.Body)
	}
}

type centrePropsLite struct {
	ID           string  `json:"id"`
	Name         string  `json:"name"`
	Supply       string  `json:"supply"`
	WeeklyPlaces float64 `json:"weekly_places"`
}
