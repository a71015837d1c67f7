package coverage

import (
	"errors"
	"math"
	"testing"
)

// Hand-computed fixtures.
//
// Points on one meridian (lon −2.3) are exactly R·Δφ apart, so with
// u = 0.01° of latitude = 6371.0088 × 0.01 × π/180 = 1.1119508 km:
//
//	C1 53.400 open, council, 20 h/week, 100 places
//	C2 53.440 open, charity,  6 h/week,  60 places
//	C3 53.470 closed, school
//	A1 53.395 young 100, decile 1,  LAD X: C1 0.5u = 0.556 km  covered
//	A2 53.415 young 200, decile 2,  LAD X: C1 1.5u = 1.668 km  covered (C2 2.5u = 2.780 km)
//	A3 53.435 young 300, decile 5,  LAD Y: C2 0.5u = 0.556 km  covered (C1 3.5u = 3.892 km)
//	A4 53.460 young 400, decile ?,  LAD Y: C2 2.0u = 2.224 km  NOT covered (C3 is closed)
//	A5 53.425 young  50, decile 10, LAD Y: C2 1.5u = 1.668 km  covered (C1 2.5u)
//
// With N = 10 hours only C1 counts: A1, A2 are covered by N hours.
// 2SFCA (d0 = 2 km): R1 = 100 / (100 + 200) = 1/3; R2 = 60 / (300 + 50) = 6/35.
// A1 = A2 = 1/3, A3 = A5 = 6/35, A4 = 0.
//
//	LAD X: young 300, covered 300 (100 %), N-hours 300 (100 %),
//	       places (100 + 200) × 1/3 / 300 × 1000 = 333.33 per 1,000.
//	LAD Y: young 750, covered 350 (46.67 %), N-hours 0,
//	       places (300 + 50) × 6/35 / 750 × 1000 = 60 / 750 × 1000 = 80.
//	Total: young 1,050, covered 650 (61.90 %), N-hours 300 (28.57 %),
//	       places 160 / 1050 × 1000 = 152.38 (every place of C1 and C2 is shared out).
const u = 1.1119508023353290

func meridianAreas() []Area {
	return []Area{
		{Code: "A1", LADCode: "X", LADName: "Exton", Lat: 53.395, Lon: -2.3, IMDDecile: 1, Young: 100},
		{Code: "A2", LADCode: "X", LADName: "Exton", Lat: 53.415, Lon: -2.3, IMDDecile: 2, Young: 200},
		{Code: "A3", LADCode: "Y", LADName: "Wyton", Lat: 53.435, Lon: -2.3, IMDDecile: 5, Young: 300},
		{Code: "A4", LADCode: "Y", LADName: "Wyton", Lat: 53.460, Lon: -2.3, IMDDecile: 0, Young: 400},
		{Code: "A5", LADCode: "Y", LADName: "Wyton", Lat: 53.425, Lon: -2.3, IMDDecile: 10, Young: 50},
	}
}

func meridianCentres() []Centre {
	return []Centre{
		{ID: "C1", Name: "Canal Street Youth Centre", Lat: 53.400, Lon: -2.3, Status: StatusOpen, Provider: ProviderCouncil, HoursPerWeek: 20, WeeklyPlaces: 100},
		{ID: "C2", Name: "Hope Club", Lat: 53.440, Lon: -2.3, Status: StatusOpen, Provider: ProviderCharity, HoursPerWeek: 6, WeeklyPlaces: 60},
		{ID: "C3", Name: "Old School Hall", Lat: 53.470, Lon: -2.3, Status: StatusClosed, Provider: ProviderSchool, HoursPerWeek: 30, WeeklyPlaces: 500},
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a), math.Abs(b)) }

func mustCompute(t testing.TB, areas []Area, centres []Centre, opt Options) *Result {
	t.Helper()
	e, err := NewEngine(areas, opt)
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Compute(centres)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

type wantArea struct {
	nearest           string
	km                float64
	covered, coveredN bool
	access            float64
}

func checkAreas(t *testing.T, r *Result, want []wantArea) {
	t.Helper()
	if len(r.Areas) != len(want) {
		t.Fatalf("got %d areas, want %d", len(r.Areas), len(want))
	}
	for i, w := range want {
		a := r.Areas[i]
		if a.NearestID != w.nearest || !near(a.NearestKm, w.km) || a.Covered != w.covered ||
			a.CoveredMinHours != w.coveredN || !near(a.Access, w.access) {
			t.Errorf("%s: got nearest %q at %.6f km, covered %v, N-hours %v, access %.6f; want %q at %.6f, %v, %v, %.6f",
				a.Code, a.NearestID, a.NearestKm, a.Covered, a.CoveredMinHours, a.Access,
				w.nearest, w.km, w.covered, w.coveredN, w.access)
		}
	}
}

type wantFigures struct {
	young, covered, coveredN int
	share, shareN, per1000   float64
}

func checkFigures(t *testing.T, name string, f Figures, w wantFigures) {
	t.Helper()
	if f.YoungPeople != w.young || f.YoungCovered != w.covered || f.YoungCoveredMinHours != w.coveredN ||
		!near(f.CoveredShare, w.share) || !near(f.CoveredMinHoursShare, w.shareN) || !near(f.PlacesPer1000, w.per1000) {
		t.Errorf("%s: got %+v\nwant %+v", name, f, w)
	}
}

func TestComputeHandFixtures(t *testing.T) {
	r := mustCompute(t, meridianAreas(), meridianCentres(), Options{MinHours: 10})
	checkAreas(t, r, []wantArea{
		{"C1", 0.5 * u, true, true, 1.0 / 3},
		{"C1", 1.5 * u, true, true, 1.0 / 3},
		{"C2", 0.5 * u, true, false, 6.0 / 35},
		{"C2", 2.0 * u, false, false, 0},
		{"C2", 1.5 * u, true, false, 6.0 / 35},
	})

	x, _ := r.Council("X")
	y, _ := r.Council("Y")
	tests := []struct {
		name string
		got  Figures
		want wantFigures
	}{
		{"X", x.Figures, wantFigures{300, 300, 300, 1, 1, 1000.0 / 3}},
		{"Y", y.Figures, wantFigures{750, 350, 0, 350.0 / 750, 0, 80}},
		{"total", r.Total.Figures, wantFigures{1050, 650, 300, 650.0 / 1050, 300.0 / 1050, 160.0 / 1050 * 1000}},
		{"X decile 1", x.ByDecile[1], wantFigures{100, 100, 100, 1, 1, 1000.0 / 3}},
		{"Y decile 5", y.ByDecile[5], wantFigures{300, 300, 0, 1, 0, 6000.0 / 35}},
		{"Y unknown decile", y.ByDecile[0], wantFigures{400, 0, 0, 0, 0, 0}},
		{"Y decile 3 (none)", y.ByDecile[3], wantFigures{}},
		{"X council-run", x.ByProvider[ProviderCouncil], wantFigures{300, 300, 300, 1, 1, 1000.0 / 3}},
		// A3, A4 (uncovered, nearest C2 at 2.2 km) and A5 are nearest to the charity.
		{"Y charity", y.ByProvider[ProviderCharity], wantFigures{750, 350, 0, 350.0 / 750, 0, 80}},
		{"total charity", r.Total.ByProvider[ProviderCharity], wantFigures{750, 350, 0, 350.0 / 750, 0, 80}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkFigures(t, tc.name, tc.got, tc.want) })
	}
	if _, ok := y.ByProvider[ProviderSchool]; ok {
		t.Error("a closed school centre appears in the provider breakdown")
	}
	if x.LADName != "Exton" || x.Areas != 2 || x.AreasCovered != 2 || y.Areas != 3 || y.AreasCovered != 2 {
		t.Errorf("council counts: X %+v, Y %+v", x, y)
	}
}

// Along a parallel a degree of longitude is cos φ times a degree of
// latitude: at 53.4°N, 0.03° of longitude is
// 2R asin(cos 53.4° sin 0.015°) = 1.98892 km, inside 2 km, although 0.03° is
// more than the 2 km radius in degrees of latitude (0.01799°). 0.0325° is
// 2.15466 km, outside.
func TestComputeEastWest(t *testing.T) {
	areas := []Area{
		{Code: "E1", LADCode: "X", Lat: 53.4, Lon: -2.27, IMDDecile: 3, Young: 10},
		{Code: "E2", LADCode: "X", Lat: 53.4, Lon: -2.3325, IMDDecile: 3, Young: 30},
		{Code: "E3", LADCode: "X", Lat: 53.4, Lon: -2.3, IMDDecile: 3, Young: 60},
	}
	centres := []Centre{{ID: "C", Lat: 53.4, Lon: -2.3, Status: StatusOpen, Provider: ProviderLibrary, HoursPerWeek: 12, WeeklyPlaces: 35}}
	r := mustCompute(t, areas, centres, Options{})
	// Catchment of C: E1 and E3, 70 young people, R = 35/70 = 0.5.
	checkAreas(t, r, []wantArea{
		{"C", 1.9889181696276819, true, true, 0.5},
		{"C", 2 * EarthRadiusKm * math.Asin(math.Cos(53.4*degToRad)*math.Sin(0.0325/2*degToRad)), false, false, 0},
		{"C", 0, true, true, 0.5},
	})
	if got := r.Areas[1].NearestKm; !(got > 2.15 && got < 2.16) {
		t.Errorf("E2 at %v km, want 2.155", got)
	}
	checkFigures(t, "X", r.Total.Figures, wantFigures{100, 70, 70, 0.7, 0.7, 70 * 0.5 / 100 * 1000})
}

func TestComputeEdgeCases(t *testing.T) {
	closed := meridianCentres()
	for i := range closed {
		closed[i].Status = StatusClosed
	}
	tests := []struct {
		name    string
		centres []Centre
		opt     Options
		want    []wantArea
		total   wantFigures
	}{
		{"no centres", nil, Options{}, []wantArea{
			{"", -1, false, false, 0}, {"", -1, false, false, 0}, {"", -1, false, false, 0}, {"", -1, false, false, 0}, {"", -1, false, false, 0},
		}, wantFigures{1050, 0, 0, 0, 0, 0}},
		{"all closed", closed, Options{}, []wantArea{
			{"", -1, false, false, 0}, {"", -1, false, false, 0}, {"", -1, false, false, 0}, {"", -1, false, false, 0}, {"", -1, false, false, 0},
		}, wantFigures{1050, 0, 0, 0, 0, 0}},
		// 2.8 km reaches A4 from C2 (2.224 km) and A2, A5 from both C1 and
		// C2 (1.668 / 2.780 km). Catchments: C1 {A1, A2, A5} = 350 → 100/350;
		// C2 {A2, A3, A4, A5} = 950 → 60/950. N = 0: every covered area counts.
		{"threshold 2.8 km", meridianCentres(), Options{ThresholdKm: 2.8}, []wantArea{
			{"C1", 0.5 * u, true, true, 100.0 / 350},
			{"C1", 1.5 * u, true, true, 100.0/350 + 60.0/950},
			{"C2", 0.5 * u, true, true, 60.0 / 950},
			{"C2", 2.0 * u, true, true, 60.0 / 950},
			{"C2", 1.5 * u, true, true, 100.0/350 + 60.0/950},
		}, wantFigures{1050, 1050, 1050, 1, 1, 160.0 / 1050 * 1000}},
		// A centre with no young people in reach shares nothing out.
		{"empty catchment", []Centre{{ID: "far", Lat: 54, Lon: -2.3, Status: StatusOpen, Provider: ProviderOther, WeeklyPlaces: 50}},
			Options{}, []wantArea{
				{"far", 60.5 * u, false, false, 0}, {"far", 58.5 * u, false, false, 0}, {"far", 56.5 * u, false, false, 0},
				{"far", 54 * u, false, false, 0}, {"far", 57.5 * u, false, false, 0},
			}, wantFigures{1050, 0, 0, 0, 0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := mustCompute(t, meridianAreas(), tc.centres, tc.opt)
			checkAreas(t, r, tc.want)
			checkFigures(t, "total", r.Total.Figures, tc.total)
		})
	}
}

func TestInvalidInput(t *testing.T) {
	ok := meridianCentres()[0]
	with := func(f func(c *Centre)) []Centre { c := ok; f(&c); return []Centre{c} }
	centreCases := []struct {
		name    string
		centres []Centre
	}{
		{"no id", with(func(c *Centre) { c.ID = "" })},
		{"latitude", with(func(c *Centre) { c.Lat = 91 })},
		{"NaN longitude", with(func(c *Centre) { c.Lon = math.NaN() })},
		{"status", with(func(c *Centre) { c.Status = "shut" })},
		{"provider", with(func(c *Centre) { c.Provider = "church" })},
		{"hours", with(func(c *Centre) { c.HoursPerWeek = 169 })},
		{"places", with(func(c *Centre) { c.WeeklyPlaces = -1 })},
		{"duplicate id", []Centre{ok, ok}},
	}
	e, err := NewEngine(meridianAreas(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range centreCases {
		t.Run("centre "+tc.name, func(t *testing.T) {
			if _, err := e.Compute(tc.centres); !errors.Is(err, ErrInvalid) {
				t.Errorf("got %v, want ErrInvalid", err)
			}
		})
	}
	area := meridianAreas()[0]
	withArea := func(f func(a *Area)) []Area { a := area; f(&a); return []Area{a} }
	engineCases := []struct {
		name  string
		areas []Area
		opt   Options
	}{
		{"negative threshold", meridianAreas(), Options{ThresholdKm: -1}},
		{"infinite threshold", meridianAreas(), Options{ThresholdKm: math.Inf(1)}},
		{"negative hours", meridianAreas(), Options{MinHours: -2}},
		{"no code", withArea(func(a *Area) { a.Code = "" }), Options{}},
		{"no council", withArea(func(a *Area) { a.LADCode = "" }), Options{}},
		{"longitude", withArea(func(a *Area) { a.Lon = 200 }), Options{}},
		{"decile", withArea(func(a *Area) { a.IMDDecile = 11 }), Options{}},
		{"young", withArea(func(a *Area) { a.Young = -1 }), Options{}},
		{"duplicate code", []Area{area, area}, Options{}},
	}
	for _, tc := range engineCases {
		t.Run("engine "+tc.name, func(t *testing.T) {
			if _, err := NewEngine(tc.areas, tc.opt); !errors.Is(err, ErrInvalid) {
				t.Errorf("got %v, want ErrInvalid", err)
			}
		})
	}
}

func TestGaps(t *testing.T) {
	areas := append(meridianAreas(),
		Area{Code: "B1", LADCode: "Y", Lat: 53.6, Lon: -2.3, IMDDecile: 1, Young: 150},  // 150 × 1.0 = 150
		Area{Code: "B2", LADCode: "X", Lat: 53.7, Lon: -2.3, IMDDecile: 10, Young: 900}, // 900 × 0.1 = 90
		Area{Code: "B3", LADCode: "Y", Lat: 53.8, Lon: -2.3, IMDDecile: 6, Young: 0},    // nobody: not a gap
		Area{Code: "B4", LADCode: "Y", Lat: 53.9, Lon: -2.3, IMDDecile: 9, Young: 100},  // 100 × 0.2 = 20
	)
	r := mustCompute(t, areas, meridianCentres(), Options{})
	tests := []struct {
		lad  string
		want []string
	}{
		// A4: 400 young, unknown decile: 400 × 0.5 = 200.
		{"", []string{"A4", "B1", "B2", "B4"}},
		{"Y", []string{"A4", "B1", "B4"}},
		{"X", []string{"B2"}},
		{"Z", nil},
	}
	for _, tc := range tests {
		t.Run("lad "+tc.lad, func(t *testing.T) {
			gaps := r.Gaps(tc.lad)
			var got []string
			for _, g := range gaps {
				got = append(got, g.Code)
				if g.Score != float64(g.Young)*DeprivationWeight(g.IMDDecile) || g.Weight != DeprivationWeight(g.IMDDecile) {
					t.Errorf("%s: score %v weight %v", g.Code, g.Score, g.Weight)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
	weights := []struct {
		decile int
		want   float64
	}{{1, 1}, {2, 0.9}, {5, 0.6}, {10, 0.1}, {0, 0.5}, {11, 0.5}}
	for _, tc := range weights {
		if got := DeprivationWeight(tc.decile); !near(got, tc.want) {
			t.Errorf("DeprivationWeight(%d) = %v, want %v", tc.decile, got, tc.want)
		}
	}
}

func TestSetAttendance(t *testing.T) {
	tests := []struct {
		young, distinct, regular int
		reach, participation     float64
		meets                    bool
	}{
		{1000, 250, 100, 0.25, 0.1, true},
		{1000, 249, 100, 0.249, 0.1, false},
		{0, 5, 1, 0, 0, false},
	}
	for _, tc := range tests {
		s := Summary{Figures: Figures{YoungPeople: tc.young}}
		s.SetAttendance(tc.distinct, tc.regular)
		if !near(s.Reach, tc.reach) || !near(s.Participation, tc.participation) || s.MeetsREYS != tc.meets ||
			s.Attendees12Months != tc.distinct || s.RegularAttendees != tc.regular {
			t.Errorf("young %d, attendees %d/%d: got %+v", tc.young, tc.distinct, tc.regular, s.Attendance)
		}
	}
}
