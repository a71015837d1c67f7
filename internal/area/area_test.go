package area

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// dataDir is shared/data, which sits beside the repository: three folders up
// from this package (internal/area → repo → its parent).
func dataDir(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot find the test file's directory")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(dir, fileMid2020)); err != nil {
		t.Fatalf("shared data not found beside the repository: %v", err)
	}
	return dir
}

var national struct {
	once  sync.Once
	areas []Area
	err   error
}

func loadNational(t *testing.T) []Area {
	t.Helper()
	dir := dataDir(t)
	national.once.Do(func() { national.areas, national.err = LoadEnglandWales(dir) })
	if national.err != nil {
		t.Fatal(national.err)
	}
	return national.areas
}

func byCode(areas []Area) map[string]Area {
	m := make(map[string]Area, len(areas))
	for _, a := range areas {
		m[a.Code] = a
	}
	return m
}

func bandTotal(areas []Area, minAge, maxAge int) int {
	n := 0
	for _, a := range areas {
		n += YoungPeople(a, minAge, maxAge)
	}
	return n
}

func TestLoadTrafford(t *testing.T) {
	areas, err := LoadTrafford(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(areas) != 139 {
		t.Fatalf("got %d Trafford areas, want 139", len(areas))
	}
	kinds := map[CentroidKind]int{}
	for i, a := range areas {
		if a.LADCode != TraffordLAD || a.LADName != "Trafford" {
			t.Errorf("%s is in %s %s, want %s Trafford", a.Code, a.LADCode, a.LADName, TraffordLAD)
		}
		if a.IMDDecile < 1 || a.IMDDecile > 10 {
			t.Errorf("%s has IMD decile %d", a.Code, a.IMDDecile)
		}
		if i > 0 && areas[i-1].Code >= a.Code {
			t.Errorf("not sorted by code at %d: %s, %s", i, areas[i-1].Code, a.Code)
		}
		kinds[a.CentroidKind]++
	}
	// 137 LSOAs kept their 2011 code; E01006185 was split into E01034000/1.
	if kinds[CentroidPWC2011] != 137 || kinds[CentroidGeometric2021] != 2 {
		t.Errorf("centroid kinds %v, want 137 pwc2011 and 2 geometric2021", kinds)
	}

	tests := []struct {
		name     string
		min, max int
		want     int
	}{
		// Sums of the Persons rows of the mid-2024 file.
		{"13-19", 13, 19, 21849},
		{"0-25", 0, 25, 75573},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := bandTotal(areas, tc.min, tc.max); got != tc.want {
				t.Errorf("Trafford aged %d-%d: %d, want %d", tc.min, tc.max, got, tc.want)
			}
		})
	}

	a := byCode(areas)["E01006074"]
	want := Area{
		Code: "E01006074", Name: "Trafford 025A", LADCode: TraffordLAD, LADName: "Trafford",
		Lat: 53.391129222834891, Lon: -2.373411139942076, CentroidKind: CentroidPWC2011, IMDDecile: 5,
		YoungByAge: [26]int{6, 14, 8, 12, 13, 29, 20, 26, 39, 37, 28, 30, 32, 31, 17, 25, 19, 24, 20, 11, 12, 10, 11, 15, 18, 14},
	}
	if a != want {
		t.Errorf("E01006074:\n got %+v\nwant %+v", a, want)
	}
	if got := YoungPeople(a, 13, 19); got != 147 {
		t.Errorf("E01006074 aged 13-19: %d, want 147", got)
	}
}

func TestLoadEnglandWales(t *testing.T) {
	areas := loadNational(t)
	if len(areas) != 35672 {
		t.Fatalf("got %d areas, want 35,672", len(areas))
	}
	nations := map[byte]int{}
	lads := map[string]bool{}
	kinds := map[CentroidKind]int{}
	for i, a := range areas {
		nations[a.Code[0]]++
		lads[a.LADCode] = true
		kinds[a.CentroidKind]++
		if a.IMDDecile < 1 || a.IMDDecile > 10 {
			t.Errorf("%s has IMD decile %d", a.Code, a.IMDDecile)
		}
		if a.Code[0] != a.LADCode[0] {
			t.Errorf("%s is in council %s", a.Code, a.LADCode)
		}
		if i > 0 && areas[i-1].Code >= a.Code {
			t.Errorf("not sorted by code at %d", i)
		}
	}
	if nations['E'] != 33755 || nations['W'] != 1917 {
		t.Errorf("got %d English and %d Welsh areas, want 33,755 and 1,917", nations['E'], nations['W'])
	}
	if len(lads) != 318 {
		t.Errorf("got %d councils, want 318", len(lads))
	}
	if kinds[CentroidPWC2011] != 33647 || kinds[CentroidGeometric2021] != 35672-33647 {
		t.Errorf("centroid kinds %v, want 33,647 pwc2011 (unchanged codes)", kinds)
	}

	// The mapping conserves every age exactly, so national totals equal the
	// mid-2020 file's (README: ages 10–19 total 6,909,708).
	totals := []struct {
		min, max int
		want     int
	}{
		{10, 19, 6909708},
		{13, 19, 4702785},
		{0, 25, 18475985},
	}
	for _, tc := range totals {
		if got := bandTotal(areas, tc.min, tc.max); got != tc.want {
			t.Errorf("England and Wales aged %d-%d: %d, want %d", tc.min, tc.max, got, tc.want)
		}
	}

	m := byCode(areas)
	tests := []struct {
		name   string
		code   string
		check  func(a Area) bool
		expect string
	}{
		{"unchanged: 2011 PWC", "E01000001", func(a Area) bool {
			return a.CentroidKind == CentroidPWC2011 && a.Lat == 51.519642607773854 && a.Lon == -0.096276045946254 &&
				a.LADCode == "E09000001" && a.Name == "City of London 001A"
		}, "2011 PWC 51.519642607773854,-0.096276045946254 in E09000001"},
		// E01033468 (mid-2020: 33 aged 0, 28 aged 13) split into E01035189
		// and E01035190, Census 2021 totals 1,320 and 1,728: 33 → 14.29 +
		// 18.71 → 14 + 19; 28 → 12.13 + 15.87 → 12 + 16.
		{"split part 1", "E01035189", func(a Area) bool {
			return a.CentroidKind == CentroidGeometric2021 && a.YoungByAge[0] == 14 && a.YoungByAge[13] == 12
		}, "geometric centroid, 14 aged 0, 12 aged 13"},
		{"split part 2", "E01035190", func(a Area) bool {
			return a.CentroidKind == CentroidGeometric2021 && a.YoungByAge[0] == 19 && a.YoungByAge[13] == 16
		}, "geometric centroid, 19 aged 0, 16 aged 13"},
		// W01000069 (WIMD decile 8, 76 aged 13–19) and W01000079 (decile 6,
		// 37) merged into W01002003.
		{"Welsh merge", "W01002003", func(a Area) bool {
			return a.IMDDecile == 6 && YoungPeople(a, 13, 19) == 76+37 && a.LADCode == "W06000002"
		}, "decile 6 (the worse), 113 aged 13-19, in Gwynedd"},
		{"Welsh unchanged", "W01000010", func(a Area) bool {
			return a.IMDDecile == 9 && a.CentroidKind == CentroidPWC2011 && a.LADCode == "W06000001"
		}, "WIMD decile 9, 2011 PWC, Isle of Anglesey"},
		{"English IMD 2025", "E01006074", func(a Area) bool {
			return a.IMDDecile == 5 && YoungPeople(a, 0, 25) > 0
		}, "IMD 2025 decile 5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, ok := m[tc.code]
			if !ok {
				t.Fatalf("%s missing", tc.code)
			}
			if !tc.check(a) {
				t.Errorf("%s: got %+v, want %s", tc.code, a, tc.expect)
			}
		})
	}
}

// The two loaders agree on where a Trafford area is, its council and its
// deprivation (population differs: mid-2024 against mid-2020).
func TestTraffordMatchesNational(t *testing.T) {
	tr, err := LoadTrafford(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	m := byCode(loadNational(t))
	for _, a := range tr {
		n, ok := m[a.Code]
		if !ok {
			t.Errorf("%s not in the national load", a.Code)
			continue
		}
		if n.Name != a.Name || n.LADCode != a.LADCode || n.Lat != a.Lat || n.Lon != a.Lon ||
			n.CentroidKind != a.CentroidKind || n.IMDDecile != a.IMDDecile {
			t.Errorf("%s differs:\nTrafford %+v\nnational %+v", a.Code, a, n)
		}
	}
}

func BenchmarkLoadEnglandWales(b *testing.B) {
	dir := dataDir(b)
	for b.Loop() {
		if _, err := LoadEnglandWales(dir); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadTrafford(b *testing.B) {
	dir := dataDir(b)
	for b.Loop() {
		if _, err := LoadTrafford(dir); err != nil {
			b.Fatal(err)
		}
	}
}
