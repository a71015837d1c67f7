package area

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"youthhub/internal/testdb"
)

// square is a closed ring around (lon, lat), about 200 m a side.
func square(lon, lat float64) [][]float64 {
	d := 0.001
	return [][]float64{{lon - d, lat - d}, {lon + d, lat - d}, {lon + d, lat + d}, {lon - d, lat + d}, {lon - d, lat - d}}
}

// writeBoundaries writes a boundary file into the fixture's data folder.
func writeBoundaries(t *testing.T, dir, name string, features []map[string]any) {
	t.Helper()
	fc := map[string]any{"type": "FeatureCollection", "features": features}
	b, err := json.Marshal(fc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "boundaries"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "boundaries", name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func polygon(code string, ring [][]float64) map[string]any {
	return map[string]any{
		"type": "Feature", "properties": map[string]any{"LSOA21CD": code},
		"geometry": map[string]any{"type": "Polygon", "coordinates": [][][]float64{ring}},
	}
}

// tableState is everything in areas and area_imports, for before/after
// comparisons.
func tableState(t *testing.T, db *sqlx.DB) string {
	t.Helper()
	var s string
	err := db.Get(&s, `SELECT coalesce((SELECT string_agg(concat_ws('|', code, name, lad_code, lad_name, lat, lon, centroid_kind,
			imd_decile, young_by_age::text, boundary::text, imported_at), E'\n' ORDER BY code) FROM areas), '')
		|| '#' || (SELECT count(*) FROM area_imports)`)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestImportFixture(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	dir := newFixture().write(t)
	// E01034001 has no boundary; E01099999 is not an imported area.
	writeBoundaries(t, dir, "lsoa21_bgc_test_E08000009.geojson", []map[string]any{
		polygon("E01006074", square(-2.31, 53.41)), polygon("E01034000", square(-2.36, 53.46)), polygon("E01099999", square(-2.3, 53.4)),
	})

	var log bytes.Buffer
	st, err := Import(ctx, db, ImportOptions{Scope: ScopeTrafford, Dir: dir, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if st.Areas != 3 || st.Inserted != 3 || st.Updated != 0 || st.Boundaries != 2 || st.ImportID == 0 {
		t.Fatalf("first import: %+v", st)
	}
	for _, want := range []string{"trafford_lsoa21_mid2024_single_year_of_age.csv: 4 rows", "copied 3 of 3 areas", "imported 3 areas (3 new, 0 changed, 0 unchanged), 2 with a boundary"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, log.String())
		}
	}

	var row struct {
		Name     string          `db:"name"`
		LAD      string          `db:"lad_code"`
		Kind     string          `db:"centroid_kind"`
		Decile   *int            `db:"imd_decile"`
		Ages     pq.Int64Array   `db:"young_by_age"`
		Boundary json.RawMessage `db:"boundary"`
		Lat      float64         `db:"lat"`
	}
	if err := db.Get(&row, `SELECT name, lad_code, centroid_kind, imd_decile, young_by_age, boundary, lat FROM areas WHERE code = 'E01006074'`); err != nil {
		t.Fatal(err)
	}
	if row.Name != "Trafford 025A" || row.LAD != TraffordLAD || row.Kind != "pwc2011" || row.Decile == nil || *row.Decile != 5 ||
		len(row.Ages) != 26 || row.Ages[0] != 10 || row.Ages[1] != 11 || row.Ages[25] != 11 || row.Lat != 53.41 {
		t.Errorf("E01006074 stored as %+v", row)
	}
	var g struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(row.Boundary, &g); err != nil || g.Type != "Polygon" {
		t.Errorf("boundary %s", row.Boundary)
	}

	// A second run changes no area and keeps the boundaries; it is recorded.
	before := tableState(t, db)
	st2, err := Import(ctx, db, ImportOptions{Scope: ScopeTrafford, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if st2.Inserted != 0 || st2.Updated != 0 || st2.Unchanged != 3 || st2.ImportID <= st.ImportID {
		t.Fatalf("second import: %+v", st2)
	}
	var n, withBoundary int
	if err := db.QueryRow(`SELECT count(*), count(boundary) FROM areas`).Scan(&n, &withBoundary); err != nil {
		t.Fatal(err)
	}
	if n != 3 || withBoundary != 2 {
		t.Errorf("after two imports: %d areas, %d with a boundary", n, withBoundary)
	}
	if after := tableState(t, db); after == before || !strings.HasPrefix(after, before[:strings.LastIndex(before, "#")+1]) {
		t.Errorf("the second import changed areas or was not recorded:\nbefore %s\nafter  %s", before, after)
	}

	// An import without boundary files keeps the stored boundaries.
	if err := os.RemoveAll(filepath.Join(dir, "boundaries")); err != nil {
		t.Fatal(err)
	}
	st3, err := Import(ctx, db, ImportOptions{Scope: ScopeTrafford, Dir: dir, LADs: []string{TraffordLAD}})
	if err != nil || st3.Boundaries != 0 {
		t.Fatalf("third import: %+v, %v", st3, err)
	}
	if err := db.Get(&withBoundary, `SELECT count(boundary) FROM areas`); err != nil || withBoundary != 2 {
		t.Errorf("boundaries after an import without them: %d (%v)", withBoundary, err)
	}

	// A changed population is an update of that area only.
	f := newFixture()
	i15, iAll := slices.Index(f[fileTrafford][0], "15"), slices.Index(f[fileTrafford][0], "all_ages")
	all := mustAtoi(t, f[fileTrafford][4][iAll]) - mustAtoi(t, f[fileTrafford][4][i15]) + 999
	f.set(t, fileTrafford, 5, "15", "999")
	f.set(t, fileTrafford, 5, "all_ages", strconv.Itoa(all))
	st4, err := Import(ctx, db, ImportOptions{Scope: ScopeTrafford, Dir: f.write(t)})
	if err != nil || st4.Inserted != 0 || st4.Updated != 1 || st4.Unchanged != 2 {
		t.Fatalf("changed import: %+v, %v", st4, err)
	}
	var age15 int
	if err := db.Get(&age15, `SELECT young_by_age[16] FROM areas WHERE code = 'E01034001'`); err != nil || age15 != 999 {
		t.Errorf("E01034001 aged 15: %d (%v)", age15, err)
	}
}

// Nothing is half-imported: a bad row in a file, a bad boundary or a row the
// table refuses leaves areas and area_imports exactly as they were.
func TestImportFailureLeavesTheTableUnchanged(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	good := newFixture().write(t)
	if _, err := Import(ctx, db, ImportOptions{Scope: ScopeTrafford, Dir: good}); err != nil {
		t.Fatal(err)
	}
	before := tableState(t, db)

	tests := []struct {
		name string
		run  func(t *testing.T) error
		want string
	}{
		{"bad population row", func(t *testing.T) error {
			f := newFixture()
			f.set(t, fileTrafford, 4, "13", "x")
			return mustFail(Import(ctx, db, ImportOptions{Scope: ScopeTrafford, Dir: f.write(t)}))
		}, `trafford_lsoa21_mid2024_single_year_of_age.csv line 4: 13: not a number "x"`},
		{"bad national row", func(t *testing.T) error {
			f := newFixture()
			f.set(t, fileMid2020, 3, "age_4", "-1")
			return mustFail(Import(ctx, db, ImportOptions{Scope: ScopeEnglandWales, Dir: f.write(t)}))
		}, `lsoa11_population_mid2020_single_year_of_age.csv line 3: age_4: negative count -1`},
		{"open ring", func(t *testing.T) error {
			dir := newFixture().write(t)
			ring := square(-2.31, 53.41)
			ring[4] = []float64{-2.3, 53.4}
			writeBoundaries(t, dir, "lsoa21_bgc_x.geojson", []map[string]any{polygon("E01034000", square(-2.36, 53.46)), polygon("E01006074", ring)})
			return mustFail(Import(ctx, db, ImportOptions{Scope: ScopeTrafford, Dir: dir}))
		}, `lsoa21_bgc_x.geojson feature 2 (E01006074): ring 1 is not closed`},
		{"not a polygon", func(t *testing.T) error {
			dir := newFixture().write(t)
			writeBoundaries(t, dir, "lsoa21_bgc_x.geojson", []map[string]any{{"type": "Feature",
				"properties": map[string]any{"LSOA21CD": "E01006074"}, "geometry": map[string]any{"type": "Point", "coordinates": []float64{-2.3, 53.4}}}})
			return mustFail(Import(ctx, db, ImportOptions{Scope: ScopeTrafford, Dir: dir}))
		}, `lsoa21_bgc_x.geojson feature 1 (E01006074): geometry type "Point", want Polygon or MultiPolygon`},
		{"unknown scope", func(t *testing.T) error {
			return mustFail(Import(ctx, db, ImportOptions{Scope: "scotland", Dir: good}))
		}, `area: unknown scope "scotland": use trafford or england-wales`},
		{"area the table refuses, after the copy", func(t *testing.T) error {
			areas, err := LoadTrafford(good)
			if err != nil {
				return err
			}
			// The second area's boundary breaks the table's CHECK: the
			// first area was already copied when the upsert fails.
			bounds := map[string]json.RawMessage{areas[1].Code: json.RawMessage(`{"type":"Point","coordinates":[-2.3,53.4]}`)}
			return mustFail(Store(ctx, db, "test", areas, bounds, nil))
		}, `That change is not allowed`},
		{"area refused before the copy", func(t *testing.T) error {
			areas, err := LoadTrafford(good)
			if err != nil {
				return err
			}
			areas[2].YoungByAge[14] = -3
			return mustFail(Store(ctx, db, "test", areas, nil, nil))
		}, `area E01034001: -3 people aged 14`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run(t)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got error %v\nwant      %s", err, tc.want)
			}
			if after := tableState(t, db); after != before {
				t.Fatalf("the failed import changed the table:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func mustFail(_ Stats, err error) error { return err }

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The real Trafford files and boundaries, as the seed imports them.
func TestImportTraffordRealData(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	st, err := Import(context.Background(), db, ImportOptions{Scope: ScopeTrafford, Dir: dataDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	if st.Areas != 139 || st.Inserted != 139 || st.Boundaries != 139 {
		t.Fatalf("Trafford import: %+v", st)
	}
	var young int
	if err := db.Get(&young, `SELECT sum(n) FROM areas, unnest(young_by_age[14:20]) AS n`); err != nil {
		t.Fatal(err)
	}
	if young != 21849 { // ages 13–19, see TestLoadTrafford
		t.Errorf("Trafford aged 13-19 in the table: %d, want 21,849", young)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 35672: "35,672", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
