package area

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fixture is a tiny copy of the data folder: two 2021 LSOAs in Trafford, one
// unchanged since 2011 (E01006074) and one that is half of a 2011 split
// (E01006185 → E01034000 and E01034001), in every file the loaders read.
type fixture map[string][][]string

func ages(first int) []string {
	out := make([]string, 91) // 0..89, 90+
	for a := range out {
		out[a] = strconv.Itoa(first + a%3)
	}
	return out
}

func sum(xs []string) string {
	s := 0
	for _, x := range xs {
		n, _ := strconv.Atoi(x)
		s += n
	}
	return strconv.Itoa(s)
}

func newFixture() fixture {
	ageHead := func(prefix string) []string {
		h := ageColumns(prefix)
		return h
	}
	a74, a85 := ages(10), ages(20)
	f := fixture{
		fileWardLookup: {
			{"lsoa21_name", "lsoa21_code", "ward24_name", "ward24_code", "ltla24_name", "ltla24_code"},
			{"Trafford 025A", "E01006074", "Ward A", "E05000001", "Trafford", "E08000009"},
			{"Trafford 001G", "E01034000", "Ward B", "E05000002", "Trafford", "E08000009"},
			{"Trafford 001H", "E01034001", "Ward B", "E05000002", "Trafford", "E08000009"},
		},
		fileChangeLookup: {
			{"lsoa11_name", "lsoa11_code", "change_code", "lsoa21_name", "lsoa21_code", "ltla22_name", "ltla22_code"},
			{"Trafford 025A", "E01006074", "U", "Trafford 025A", "E01006074", "Trafford", "E08000009"},
			{"Trafford 001E", "E01006185", "S", "Trafford 001G", "E01034000", "Trafford", "E08000009"},
			{"Trafford 001E", "E01006185", "S", "Trafford 001H", "E01034001", "Trafford", "E08000009"},
		},
		filePWC2011: {
			{"lsoa11cd", "lsoa11nm", "lat", "lon", "ons_objectid"},
			{"E01006074", "Trafford 025A", "53.41", "-2.31", "1"},
			{"E01006185", "Trafford 001E", "53.47", "-2.35", "2"},
		},
		fileCentroid2021: {
			{"lsoa21cd", "lsoa21nm", "lad24cd", "lad24nm", "lat", "lon"},
			{"E01006074", "Trafford 025A", "E08000009", "Trafford", "53.4", "-2.3"},
			{"E01034000", "Trafford 001G", "E08000009", "Trafford", "53.46", "-2.36"},
			{"E01034001", "Trafford 001H", "E08000009", "Trafford", "53.48", "-2.34"},
		},
		fileCensus2021: {
			{"lsoa21_code", "lsoa21_name", "total", "age_0_15", "age_16_24", "age_25_34", "age_35_49", "age_50_64", "age_65_plus"},
			{"E01006074", "Trafford 025A", "60", "10", "10", "10", "10", "10", "10"},
			{"E01034000", "Trafford 001G", "100", "20", "20", "20", "20", "10", "10"},
			{"E01034001", "Trafford 001H", "300", "50", "50", "50", "50", "50", "50"},
		},
		fileMid2020: {
			append([]string{"lsoa11_name", "lsoa11_code", "total_population"}, append(ageHead("age_"), "age_90plus")...),
			append([]string{"Trafford 025A", "E01006074", sum(a74)}, a74...),
			append([]string{"Trafford 001E", "E01006185", sum(a85)}, a85...),
		},
		fileTrafford: {
			append([]string{"period", "area_code", "area_name", "geography", "sex", "all_ages"}, append(ageHead(""), "90+")...),
			append([]string{"2024-06-30", "E01006074", "Trafford 025A", "LSOA", "Persons", sum(a74)}, a74...),
			append([]string{"2024-06-30", "E01006074", "Trafford 025A", "LSOA", "Females", sum(a74)}, a74...),
			append([]string{"2024-06-30", "E01034000", "Trafford 001G", "LSOA", "Persons", sum(a85)}, a85...),
			append([]string{"2024-06-30", "E01034001", "Trafford 001H", "LSOA", "Persons", sum(a85)}, a85...),
		},
		fileIMD2025: {
			{"lsoa21_code", "IMD_decile", "IMD_rank"},
			{"E01006074", "5", "14918"},
			{"E01034000", "2", "3000"},
			{"E01034001", "9", "30000"},
		},
		fileWIMD2019: {
			{"lsoa11_code", "IMD_decile"},
			{"W01000001", "5"},
		},
	}
	return f
}

// set changes one cell: line is the 1-based file line (header = 1).
func (f fixture) set(t *testing.T, file string, line int, col, value string) {
	t.Helper()
	recs := f[file]
	i := slices.Index(recs[0], col)
	if i < 0 {
		t.Fatalf("fixture %s has no column %s", file, col)
	}
	recs[line-1] = slices.Clone(recs[line-1])
	recs[line-1][i] = value
}

func (f fixture) write(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, recs := range f {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		w := csv.NewWriter(&b)
		if err := w.WriteAll(recs); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFixtureLoads(t *testing.T) {
	dir := newFixture().write(t)

	tr, err := LoadTrafford(dir)
	if err != nil {
		t.Fatal(err)
	}
	ew, err := LoadEnglandWales(dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		got    []Area
		i      int
		code   string
		kind   CentroidKind
		lat    float64
		decile int
		age0   int
	}{
		{"trafford unchanged", tr, 0, "E01006074", CentroidPWC2011, 53.41, 5, 10},
		{"trafford new", tr, 1, "E01034000", CentroidGeometric2021, 53.46, 2, 20},
		{"national unchanged", ew, 0, "E01006074", CentroidPWC2011, 53.41, 5, 10},
		// 20 split by Census totals 100:300 → 5 and 15.
		{"national split a", ew, 1, "E01034000", CentroidGeometric2021, 53.46, 2, 5},
		{"national split b", ew, 2, "E01034001", CentroidGeometric2021, 53.48, 9, 15},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.got) != 3 {
				t.Fatalf("got %d areas, want 3", len(tc.got))
			}
			a := tc.got[tc.i]
			if a.Code != tc.code || a.CentroidKind != tc.kind || a.Lat != tc.lat || a.IMDDecile != tc.decile ||
				a.YoungByAge[0] != tc.age0 || a.LADCode != TraffordLAD || a.LADName != "Trafford" {
				t.Errorf("got %+v", a)
			}
		})
	}
}

func TestMalformedRows(t *testing.T) {
	load := map[string]func(string) ([]Area, error){
		"trafford": LoadTrafford, "national": LoadEnglandWales,
	}
	tests := []struct {
		loader, file string
		line         int
		col, value   string
		want         string
	}{
		{"national", fileMid2020, 3, "age_13", "x", `age_13: not a number "x"`},
		{"national", fileMid2020, 2, "age_4", "-1", `age_4: negative count -1`},
		{"national", fileMid2020, 2, "total_population", "7", `total_population: 7 but the single years of age add up to 1000`},
		{"national", fileMid2020, 3, "lsoa11_code", "E0100618", `lsoa11_code: not a code E01/W01…: "E0100618"`},
		{"trafford", fileTrafford, 4, "13", "x", `13: not a number "x"`},
		{"trafford", fileTrafford, 3, "sex", "All", `sex: "All" is not Persons, Females or Males`},
		{"trafford", fileIMD2025, 3, "IMD_decile", "11", `IMD_decile: 11 is outside 1..10`},
		{"national", fileIMD2025, 4, "IMD_decile", "", `IMD_decile: not a number ""`},
		{"national", fileWIMD2019, 2, "IMD_decile", "0", `IMD_decile: 0 is outside 1..10`},
		{"trafford", filePWC2011, 2, "lat", "95", `lat: 95 is outside 49..56.5`},
		{"national", fileCentroid2021, 3, "lon", "NaN", `lon: not a number "NaN"`},
		{"national", fileCensus2021, 4, "age_0_15", "51", `total: 300 but the age bands add up to 301`},
		{"trafford", fileWardLookup, 3, "ltla24_code", "S12000033", `ltla24_code: not a code E06/E07/E08/E09/W06…: "S12000033"`},
		{"trafford", fileWardLookup, 4, "lsoa21_code", "E01034000", `lsoa21_code: E01034000 appears twice`},
		{"national", fileChangeLookup, 3, "change_code", "Q", `change_code: "Q" is not U, S, M or X`},
		{"national", fileChangeLookup, 3, "lsoa21_code", "E01099999", `lsoa21_code: E01099999 is not in lsoa21_ward24_lad24_lookup_ew.csv`},
	}
	for _, tc := range tests {
		t.Run(tc.loader+"/"+tc.col+"="+tc.value, func(t *testing.T) {
			f := newFixture()
			f.set(t, tc.file, tc.line, tc.col, tc.value)
			_, err := load[tc.loader](f.write(t))
			want := filepath.Base(tc.file) + " line " + strconv.Itoa(tc.line) + ": " + tc.want
			if err == nil || err.Error() != want {
				t.Errorf("got error %v\nwant       %s", err, want)
			}
		})
	}
}

func TestMalformedFiles(t *testing.T) {
	tests := []struct {
		name   string
		change func(f fixture)
		want   string
	}{
		{"short row", func(f fixture) {
			f[fileIMD2025] = append(f[fileIMD2025], []string{"E01000001", "3"})
		}, "imd2025_england_lsoa21_ranks_deciles.csv line 5: wrong number of fields"},
		{"missing column", func(f fixture) {
			f[fileTrafford][0] = slices.Clone(f[fileTrafford][0])
			f[fileTrafford][0][5] = "total"
		}, `trafford_lsoa21_mid2024_single_year_of_age.csv line 1: missing column "all_ages"`},
		{"unknown 2021 area", func(f fixture) {
			f[fileTrafford] = append(f[fileTrafford], slices.Clone(f[fileTrafford][1]))
			f[fileTrafford][5][1] = "E01099999"
		}, "trafford_lsoa21_mid2024_single_year_of_age.csv: E01099999 is not in lsoa21_ward24_lad24_lookup_ew.csv"},
		{"duplicate persons row", func(f fixture) {
			f[fileTrafford] = append(f[fileTrafford], f[fileTrafford][1])
		}, "trafford_lsoa21_mid2024_single_year_of_age.csv line 6: area_code: E01006074 has two Persons rows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture()
			tc.change(f)
			_, err := LoadTrafford(f.write(t))
			if err == nil || err.Error() != tc.want {
				t.Errorf("got error %v\nwant       %s", err, tc.want)
			}
		})
	}
}

func TestApportion(t *testing.T) {
	tests := []struct {
		n    int
		w    []int
		want []int
	}{
		{0, []int{1, 2}, []int{0, 0}},
		{10, []int{1}, []int{10}},
		{10, []int{1, 1}, []int{5, 5}},
		{11, []int{1, 1}, []int{6, 5}},                       // tie: earlier first
		{33, []int{1320, 1728}, []int{14, 19}},               // 14.29 + 18.71
		{28, []int{1320, 1728}, []int{12, 16}},               // 12.13 + 15.87
		{7, []int{0, 0, 0}, []int{3, 2, 2}},                  // no weights: equal
		{5, []int{0, 3}, []int{0, 5}},                        // a zero weight gets nothing
		{100, []int{1, 1, 1}, []int{34, 33, 33}},             // 33.33 each
		{2, []int{1, 1, 1, 1, 1}, []int{1, 1, 0, 0, 0}},      // more parts than people
		{1000, []int{1, 2, 3, 4}, []int{100, 200, 300, 400}}, // exact
	}
	for _, tc := range tests {
		t.Run(strconv.Itoa(tc.n), func(t *testing.T) {
			got := make([]int, len(tc.w))
			apportion(tc.n, tc.w, got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("apportion(%d, %v) = %v, want %v", tc.n, tc.w, got, tc.want)
			}
		})
	}
}

func TestYoungPeople(t *testing.T) {
	var a Area
	for age := range a.YoungByAge {
		a.YoungByAge[age] = age + 1 // age a has a+1 people
	}
	tests := []struct {
		name     string
		min, max int
		want     int
	}{
		{"statutory 13-19", 13, 19, 14 + 15 + 16 + 17 + 18 + 19 + 20},
		{"11-19", 11, 19, 12 + 13 + 14 + 15 + 16 + 17 + 18 + 19 + 20},
		{"8-25", 8, 25, (9 + 26) * 18 / 2},
		{"one year", 16, 16, 17},
		{"clamped high", 24, 40, 25 + 26},
		{"clamped low", -3, 0, 1},
		{"empty", 19, 13, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := YoungPeople(a, tc.min, tc.max); got != tc.want {
				t.Errorf("YoungPeople(%d, %d) = %d, want %d", tc.min, tc.max, got, tc.want)
			}
		})
	}
	if got, want := BandStatutory.Young(a), YoungPeople(a, 13, 19); got != want {
		t.Errorf("BandStatutory.Young = %d, want %d", got, want)
	}
}
