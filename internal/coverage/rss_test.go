//go:build benchtool

package coverage

import (
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

var (
	rssDir    = flag.String("rss", "", "directory holding areas.csv and centres.csv from TestWriteBenchCSV: run TestNationalRSS on them")
	rssEngine = flag.Bool("rss-engine", true, "TestNationalRSS builds the engine and computes (false: only reads the data, the baseline)")
)

// TestNationalRSS is a process for scripts/bench-coverage.sh to measure
// under /usr/bin/time -v: it reads the national areas and centres written by
// TestWriteBenchCSV and, with -rss-engine, builds the engine and computes
// coverage ten times, as a server recomputing per request would. The
// difference between the peak resident set of a run with and without the
// engine is what the national engine adds to a process.
func TestNationalRSS(t *testing.T) {
	if *rssDir == "" {
		t.Fatal("give -rss=DIR")
	}
	read := func(name string) [][]string {
		f, err := os.Open(filepath.Join(*rssDir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs[1:]
	}
	num := func(s string) float64 {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	var areas []Area
	for _, r := range read("areas.csv") { // code, lad_code, lat, lon, imd_decile, young
		areas = append(areas, Area{Code: strings.Clone(r[0]), LADCode: strings.Clone(r[1]), Lat: num(r[2]), Lon: num(r[3]),
			IMDDecile: int(num(r[4])), Young: int(num(r[5]))})
	}
	var centres []Centre
	for _, r := range read("centres.csv") { // id, lat, lon, status, provider, hours, places
		centres = append(centres, Centre{ID: strings.Clone(r[0]), Lat: num(r[1]), Lon: num(r[2]), Status: Status(r[3]),
			Provider: Provider(r[4]), HoursPerWeek: num(r[5]), WeeklyPlaces: num(r[6])})
	}
	runtime.GC()
	if !*rssEngine {
		fmt.Printf("read %d areas and %d centres\n", len(areas), len(centres))
		return
	}
	e, err := NewEngine(areas, Options{MinHours: 10})
	if err != nil {
		t.Fatal(err)
	}
	var r *Result
	for range 10 {
		if r, err = e.Compute(centres); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Printf("%d areas, %d covered\n", r.Total.Areas, r.Total.AreasCovered)
}
