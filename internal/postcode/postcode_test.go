package postcode_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"youthhub/internal/platform/fault"
	"youthhub/internal/postcode"
	"youthhub/internal/testdb"
)

func TestNormalise(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"M32 0JG", "M32 0JG", true},
		{"m320jg", "M32 0JG", true},
		{"  m32   0jg ", "M32 0JG", true},
		{"AB429AH", "AB42 9AH", true}, // the ONS 7-character form of a 4-character outward code
		{"AB1 0AD", "AB1 0AD", true},
		{"EC1A 1BB", "EC1A 1BB", true},
		{"W1A 0AX", "W1A 0AX", true},
		{"SW1A2AA", "SW1A 2AA", true},
		{"", "", false},
		{"M32", "", false},
		{"NOT A CODE", "", false},
		{"M32 0J", "", false},
		{"123 4AB", "", false},
		{"M32 0JGG", "", false},
		{"M32-0JG", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, ok := postcode.Normalise(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("Normalise(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

const smallCSV = `postcode,lad_code,pcon_code,lsoa11_code,lat,lon
M32 0JQ,E08000009,E14000979,E01006187,53.45551,-2.30250
m169pq,E08000009,E14000979,E01006110,53.46061,-2.27960
AB429AH,,,,,0.00000
ZZ1 9ZZ,,,,99.999999,0.000000
NOT A CODE,E08000009,,,53.4,-2.3
M32 0JQ,E08000009,E14000979,E01006187,53.45551,-2.30250
GY1 1AA,,,,49.45,-2.54
`

func TestImportAndLookup(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	for run := 1; run <= 2; run++ {
		res, err := postcode.Import(ctx, db, strings.NewReader(smallCSV))
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if res.Loaded != 3 || res.Skipped != 3 {
			t.Fatalf("run %d: %+v, want 3 loaded (one listed twice) and 3 skipped", run, res)
		}
		var n int
		if err := db.Get(&n, `SELECT count(*) FROM postcodes`); err != nil || n != 3 {
			t.Fatalf("run %d: %d rows, %v", run, n, err)
		}
	}
	s := &postcode.Service{DB: db}
	p, err := s.Lookup(ctx, "m16 9pq")
	if err != nil || p.Postcode != "M16 9PQ" || p.Lat != 53.46061 || p.Lon != -2.2796 {
		t.Fatalf("Lookup = %+v, %v", p, err)
	}
	if !p.Exact() {
		t.Fatalf("a postcode the table holds is not exact: %+v", p)
	}
	// Postcodes the table does not hold: the middle of the sector's
	// postcodes it holds, or else the district's ("M3" is not "M32").
	for _, c := range []struct{ in, area string }{{"M32 0ZZ", "M32 0"}, {"m329pl", "M32"}} {
		p, err := s.Lookup(ctx, c.in)
		if err != nil || p.Area != c.area || p.Exact() || p.Lat != 53.45551 || p.Lon != -2.3025 {
			t.Errorf("Lookup(%q) = %+v, %v, want M32 0JQ's place with area %s", c.in, p, err, c.area)
		}
	}
	var lad *string
	if err := db.Get(&lad, `SELECT lad_code FROM postcodes WHERE postcode = 'GY1 1AA'`); err != nil || lad != nil {
		t.Fatalf("an empty column is stored as NULL: %v, %v", lad, err)
	}

	tests := []struct {
		in, message string
	}{
		{"NOT A CODE", "Enter a real UK postcode, like M32 0JG"},
		{"", "Enter a real UK postcode, like M32 0JG"},
		{"ab429ah", "We could not find postcode AB42 9AH. Check it and try again"},
		{"M1 1AA", "We could not find postcode M1 1AA. Check it and try again"},
		{"M3 2AB", "We could not find postcode M3 2AB. Check it and try again"},
	}
	for _, tc := range tests {
		_, err := s.Lookup(ctx, tc.in)
		e, ok := fault.As(err)
		if !ok || e.Kind != fault.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "postcode" || e.Fields[0].Message != tc.message {
			t.Errorf("Lookup(%q) = %v, want a postcode field error %q", tc.in, err, tc.message)
		}
	}
}

func TestImportRefusesAFileWithoutCoordinateColumns(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	_, err := postcode.Import(context.Background(), db, strings.NewReader("postcode,lad_code\nM32 0JQ,E08000009\n"))
	if err == nil || !strings.Contains(err.Error(), "lat") || !strings.Contains(err.Error(), "lon") {
		t.Fatalf("err = %v, want one naming lat and lon", err)
	}
}

func TestImportOfABrokenFileChangesNothing(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	broken := "postcode,lat,lon\nM32 0JQ,53.45551,-2.30250\n\"M16 9PQ,53.4,-2.2\n"
	if _, err := postcode.Import(context.Background(), db, strings.NewReader(broken)); err == nil {
		t.Fatal("a broken CSV imported without error")
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM postcodes`); err != nil || n != 0 {
		t.Fatalf("%d rows after a failed import, %v", n, err)
	}
}

// TestImportTheSample loads the project's 100,000-row ONSPD sample (running
// an import twice is TestImportAndLookup's job).
func TestImportTheSample(t *testing.T) {
	t.Parallel()
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "data", "postcodes", "postcodes_sample_100k_onspd_lsoa11_latlon.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("shared data not found beside the repository: %v", err)
	}
	defer f.Close()
	db := testdb.New(t)
	start := time.Now()
	res, err := postcode.Import(context.Background(), db, f)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v in %v", res, time.Since(start))
	if res.Loaded != 100_000-797-90 || res.Skipped != 797+90 {
		t.Fatalf("%+v, want 100,000 rows of which 797 have no coordinates and 90 are retired NPT postcodes", res)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM postcodes`); err != nil || n != res.Loaded {
		t.Fatalf("%d rows, %v", n, err)
	}
	var p struct {
		Lat  float64 `db:"lat"`
		Lon  float64 `db:"lon"`
		LAD  string  `db:"lad_code"`
		LSOA string  `db:"lsoa_code"`
	}
	if err := db.Get(&p, `SELECT lat, lon, lad_code, lsoa_code FROM postcodes WHERE postcode = 'M32 0JQ'`); err != nil ||
		p.Lat != 53.45551 || p.Lon != -2.3025 || p.LAD != "E08000009" || p.LSOA != "E01006187" {
		t.Fatalf("M32 0JQ: %+v, %v", p, err)
	}
}
