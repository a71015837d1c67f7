//go:build benchtool

// Tools for scripts/bench-coverage.sh, built only with -tags benchtool: they
// write the national benchmark data for PostGIS and measure peak memory.

package coverage

import (
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

var benchCSV = flag.String("benchcsv", "", "write the national benchmark areas, centres and Go's nearest centres as CSV to this directory (for scripts/bench-coverage.sh)")

// TestWriteBenchCSV writes the benchmark's inputs and Go's answers for the
// PostGIS comparison: go test -run TestWriteBenchCSV ./internal/coverage/ -args -benchcsv=DIR
func TestWriteBenchCSV(t *testing.T) {
	if *benchCSV == "" {
		t.Fatal("give -benchcsv=DIR")
	}
	areas, centres := nationalData(t)
	r := mustCompute(t, areas, centres, Options{})
	write := func(name string, head []string, rows func(w *csv.Writer) error) {
		f, err := os.Create(filepath.Join(*benchCSV, name))
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(f)
		if err := w.Write(head); err != nil {
			t.Fatal(err)
		}
		if err := rows(w); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	ff := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	write("areas.csv", []string{"code", "lad_code", "lat", "lon", "imd_decile", "young"}, func(w *csv.Writer) error {
		for _, a := range areas {
			if err := w.Write([]string{a.Code, a.LADCode, ff(a.Lat), ff(a.Lon), strconv.Itoa(a.IMDDecile), strconv.Itoa(a.Young)}); err != nil {
				return err
			}
		}
		return nil
	})
	write("centres.csv", []string{"id", "lat", "lon", "status", "provider", "hours", "places"}, func(w *csv.Writer) error {
		for _, c := range centres {
			if err := w.Write([]string{c.ID, ff(c.Lat), ff(c.Lon), string(c.Status), string(c.Provider), ff(c.HoursPerWeek), ff(c.WeeklyPlaces)}); err != nil {
				return err
			}
		}
		return nil
	})
	write("go_nearest.csv", []string{"code", "centre_id", "km"}, func(w *csv.Writer) error {
		for _, a := range r.Areas {
			if err := w.Write([]string{a.Code, a.NearestID, ff(a.NearestKm)}); err != nil {
				return err
			}
		}
		return nil
	})
}
