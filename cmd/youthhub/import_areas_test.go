package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"youthhub/internal/platform/postgres"
	"youthhub/internal/testdb"
)

// sharedData is shared/data beside the repository.
func sharedData(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		t.Fatalf("shared data not found beside the repository: %v", err)
	}
	return dir
}

// copyData links every file of shared/data into a new folder, except those
// in change, which are written with the change applied.
func copyData(t *testing.T, change map[string]func(string) string) string {
	t.Helper()
	src, dst := sharedData(t), t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		fn, ok := change[rel]
		if !ok {
			return os.Symlink(p, out)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, []byte(fn(string(b))), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestImportAreasCommand(t *testing.T) {
	t.Parallel()
	dbURL := testdb.URL(t)
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	ctx := context.Background()
	state := func() string {
		t.Helper()
		db, err := postgres.Open(ctx, dbURL, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var s string
		if err := db.Get(&s, `SELECT count(*) || ' ' || coalesce(max(imported_at)::text, '') || ' ' || (SELECT count(*) FROM area_imports) FROM areas`); err != nil {
			t.Fatal(err)
		}
		return s
	}

	var out bytes.Buffer
	if err := run(ctx, []string{"import-areas", "--data", sharedData(t)}, getenv, &out); err != nil {
		t.Fatalf("import-areas: %v\n%s", err, out.String())
	}
	for _, want := range []string{"scope trafford", "trafford_lsoa21_mid2024_single_year_of_age.csv: 417 rows",
		"lsoa21_bgc_trafford_E08000009.geojson", "imported 139 areas (139 new, 0 changed, 0 unchanged), 139 with a boundary"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	before := state()
	if !strings.HasPrefix(before, "139 ") {
		t.Fatalf("areas after import: %s", before)
	}

	// Line 5 of the Trafford population file gets a bad age count.
	const pop = "population/trafford_lsoa21_mid2024_single_year_of_age.csv"
	bad := copyData(t, map[string]func(string) string{pop: func(s string) string {
		lines := strings.SplitAfter(s, "\n")
		lines[4] = strings.Replace(lines[4], ",Persons,", ",Everyone,", 1)
		return strings.Join(lines, "")
	}})
	out.Reset()
	err := run(ctx, []string{"import-areas", "--scope", "trafford", "--data", bad}, getenv, &out)
	want := `trafford_lsoa21_mid2024_single_year_of_age.csv line 5: sex: "Everyone" is not Persons, Females or Males`
	if err == nil || err.Error() != want {
		t.Fatalf("got error %v\nwant      %s", err, want)
	}
	if after := state(); after != before {
		t.Fatalf("a failed import changed the areas: %s → %s", before, after)
	}

	// Run twice: the same areas, unchanged.
	out.Reset()
	if err := run(ctx, []string{"import-areas", "--data", sharedData(t)}, getenv, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "imported 139 areas (0 new, 0 changed, 139 unchanged)") {
		t.Errorf("second run:\n%s", out.String())
	}

	if err := run(ctx, []string{"import-areas", "--scope", "wales"}, getenv, &out); err == nil || !strings.Contains(err.Error(), `unknown scope "wales"`) {
		t.Errorf("unknown scope: %v", err)
	}
}
