package area

import (
	"fmt"
	"path/filepath"
	"strconv"
)

// Paths of the source files, relative to the data directory.
const (
	fileWardLookup   = "lookups/lsoa21_ward24_lad24_lookup_ew.csv"
	fileChangeLookup = "lookups/lsoa11_lsoa21_lad22_lookup_ew.csv"
	filePWC2011      = "lsoa_centroids/lsoa11_population_weighted_centroids_ew.csv"
	fileCentroid2021 = "lsoa_centroids/lsoa21_centroids_ew_not_population_weighted.csv"
	fileCensus2021   = "population/lsoa21_census2021_usual_residents_age6.csv"
	fileMid2020      = "population/lsoa11_population_mid2020_single_year_of_age.csv"
	fileTrafford     = "population/trafford_lsoa21_mid2024_single_year_of_age.csv"
	fileIMD2025      = "imd/imd2025_england_lsoa21_ranks_deciles.csv"
	fileWIMD2019     = "imd/wimd2019_wales_lsoa11_ranks_deciles_scores.csv"
)

// Bounds that every England and Wales point lies within (with a margin).
const (
	minLat, maxLat = 49.0, 56.5
	minLon, maxLon = -7.0, 2.5
)

var (
	lsoaPrefixes = []string{"E01", "W01"}
	ladPrefixes  = []string{"E06", "E07", "E08", "E09", "W06"}
)

// want filters the codes a reader keeps; nil keeps every code.
type want func(code string) bool

func (w want) keep(code string) bool { return w == nil || w(code) }

// lsoaInfo is an LSOA 2021's name and council.
type lsoaInfo struct{ name, lad, ladName string }

// readWardLookup reads LSOA21 → ward 2024 → LAD 2024: the set of 2021 LSOAs
// and their councils.
func readWardLookup(l *Loader) (map[string]lsoaInfo, error) {
	t, err := l.open(fileWardLookup,
		"lsoa21_code", "lsoa21_name", "ltla24_code", "ltla24_name")
	if err != nil {
		return nil, err
	}
	defer t.close()
	iCode, iName, iLAD, iLADName := t.col("lsoa21_code"), t.col("lsoa21_name"), t.col("ltla24_code"), t.col("ltla24_name")
	out := make(map[string]lsoaInfo, 36000)
	ladNames := make(map[string]string, 400) // interned: one string per council
	for {
		ok, err := t.next()
		if err != nil || !ok {
			return out, err
		}
		code, err := t.code(iCode, lsoaPrefixes...)
		if err != nil {
			return nil, err
		}
		name, err := t.str(iName)
		if err != nil {
			return nil, err
		}
		lad, err := t.code(iLAD, ladPrefixes...)
		if err != nil {
			return nil, err
		}
		if code[0] != lad[0] {
			return nil, t.errf("LSOA %s is in council %s of the other nation", code, lad)
		}
		ladName, seen := ladNames[lad]
		if !seen {
			if ladName, err = t.str(iLADName); err != nil {
				return nil, err
			}
			ladNames[lad] = ladName
		} else if t.rec[iLADName] != ladName {
			return nil, t.errf("ltla24_name: council %s named both %q and %q", lad, ladName, t.rec[iLADName])
		}
		if _, dup := out[code]; dup {
			return nil, t.errf("lsoa21_code: %s appears twice", code)
		}
		out[code] = lsoaInfo{name: name, lad: lad, ladName: ladName}
	}
}

// change is one row of the LSOA 2011 → 2021 lookup.
type change struct {
	code11, code21 string
	kind           byte // U unchanged, S split, M merged, X irregular
}

// readChangeLookup reads LSOA 2011 → LSOA 2021. Every 2021 code must be one
// of known; a U row must keep its code.
func readChangeLookup(l *Loader, known map[string]lsoaInfo) ([]change, error) {
	t, err := l.open(fileChangeLookup, "lsoa11_code", "change_code", "lsoa21_code")
	if err != nil {
		return nil, err
	}
	defer t.close()
	i11, iKind, i21 := t.col("lsoa11_code"), t.col("change_code"), t.col("lsoa21_code")
	out := make([]change, 0, 36000)
	pairs := make(map[[2]string]bool, 36000)
	for {
		ok, err := t.next()
		if err != nil || !ok {
			return out, err
		}
		c11, err := t.code(i11, lsoaPrefixes...)
		if err != nil {
			return nil, err
		}
		c21, err := t.code(i21, lsoaPrefixes...)
		if err != nil {
			return nil, err
		}
		k := t.rec[iKind]
		if k != "U" && k != "S" && k != "M" && k != "X" {
			return nil, t.errf("change_code: %q is not U, S, M or X", k)
		}
		if k == "U" && c11 != c21 {
			return nil, t.errf("change_code: U (unchanged) but %s became %s", c11, c21)
		}
		if _, ok := known[c21]; !ok {
			return nil, t.errf("lsoa21_code: %s is not in %s", c21, filepath.Base(fileWardLookup))
		}
		if pairs[[2]string{c11, c21}] {
			return nil, t.errf("%s → %s appears twice", c11, c21)
		}
		pairs[[2]string{c11, c21}] = true
		out = append(out, change{code11: c11, code21: c21, kind: k[0]})
	}
}

// point is a latitude and longitude in degrees (WGS84).
type point struct{ lat, lon float64 }

// readPoints reads code, lat and lon columns from a centroid file.
func readPoints(l *Loader, file, codeCol string, w want) (map[string]point, error) {
	t, err := l.open(file, codeCol, "lat", "lon")
	if err != nil {
		return nil, err
	}
	defer t.close()
	iCode, iLat, iLon := t.col(codeCol), t.col("lat"), t.col("lon")
	out := make(map[string]point, 36000)
	for {
		ok, err := t.next()
		if err != nil || !ok {
			return out, err
		}
		code, err := t.code(iCode, lsoaPrefixes...)
		if err != nil {
			return nil, err
		}
		lat, err := t.floatIn(iLat, minLat, maxLat)
		if err != nil {
			return nil, err
		}
		lon, err := t.floatIn(iLon, minLon, maxLon)
		if err != nil {
			return nil, err
		}
		if !w.keep(code) {
			continue
		}
		if _, dup := out[code]; dup {
			return nil, t.errf("%s: %s appears twice", codeCol, code)
		}
		out[code] = point{lat, lon}
	}
}

// readDeciles reads an LSOA code and its IMD decile (1..10).
func readDeciles(l *Loader, file, codeCol string, prefix string, w want) (map[string]int, error) {
	t, err := l.open(file, codeCol, "IMD_decile")
	if err != nil {
		return nil, err
	}
	defer t.close()
	iCode, iDec := t.col(codeCol), t.col("IMD_decile")
	out := make(map[string]int, 36000)
	for {
		ok, err := t.next()
		if err != nil || !ok {
			return out, err
		}
		code, err := t.code(iCode, prefix)
		if err != nil {
			return nil, err
		}
		d, err := t.intIn(iDec, 1, 10)
		if err != nil {
			return nil, err
		}
		if !w.keep(code) {
			continue
		}
		if _, dup := out[code]; dup {
			return nil, t.errf("%s: %s appears twice", codeCol, code)
		}
		out[code] = d
	}
}

// readCensusTotals reads the Census 2021 usual residents of each 2021 LSOA;
// the six age bands must add up to the total.
func readCensusTotals(l *Loader) (map[string]int, error) {
	bands := []string{"age_0_15", "age_16_24", "age_25_34", "age_35_49", "age_50_64", "age_65_plus"}
	t, err := l.open(fileCensus2021, append([]string{"lsoa21_code", "total"}, bands...)...)
	if err != nil {
		return nil, err
	}
	defer t.close()
	iCode, iTotal := t.col("lsoa21_code"), t.col("total")
	iBands := make([]int, len(bands))
	for k, b := range bands {
		iBands[k] = t.col(b)
	}
	out := make(map[string]int, 36000)
	for {
		ok, err := t.next()
		if err != nil || !ok {
			return out, err
		}
		code, err := t.code(iCode, lsoaPrefixes...)
		if err != nil {
			return nil, err
		}
		total, err := t.count(iTotal)
		if err != nil {
			return nil, err
		}
		sum := 0
		for _, i := range iBands {
			n, err := t.count(i)
			if err != nil {
				return nil, err
			}
			sum += n
		}
		if sum != total {
			return nil, t.errf("total: %d but the age bands add up to %d", total, sum)
		}
		if _, dup := out[code]; dup {
			return nil, t.errf("lsoa21_code: %s appears twice", code)
		}
		out[code] = total
	}
}

// ageColumns returns the names of single-year columns from 0 to 89, as
// prefix+age.
func ageColumns(prefix string) []string {
	cols := make([]string, 90)
	for a := range cols {
		cols[a] = prefix + strconv.Itoa(a)
	}
	return cols
}

// ageReader reads a single-year-of-age row: ages 0..89 and the 90+ column
// must add up to the total column. It keeps ages 0..MaxAge.
type ageReader struct {
	iAges  []int // 0..89 then 90+
	iTotal int
}

func newAgeReader(t *table, ageCols []string, plusCol, totalCol string) ageReader {
	r := ageReader{iTotal: t.col(totalCol)}
	for _, c := range ageCols {
		r.iAges = append(r.iAges, t.col(c))
	}
	r.iAges = append(r.iAges, t.col(plusCol))
	return r
}

func (r ageReader) read(t *table, out *[MaxAge + 1]int) error {
	total, err := t.count(r.iTotal)
	if err != nil {
		return err
	}
	sum := 0
	for a, i := range r.iAges {
		n, err := t.count(i)
		if err != nil {
			return err
		}
		if a <= MaxAge {
			out[a] = n
		}
		sum += n
	}
	if sum != total {
		return t.errf("%s: %d but the single years of age add up to %d", t.head[r.iTotal], total, sum)
	}
	return nil
}

// readMid2020 streams the national mid-2020 single-year estimates on 2011
// LSOAs, calling fn for each row.
func readMid2020(l *Loader, fn func(code11 string, ages *[MaxAge + 1]int) error) error {
	ageCols := ageColumns("age_")
	req := append([]string{"lsoa11_code", "total_population", "age_90plus"}, ageCols...)
	t, err := l.open(fileMid2020, req...)
	if err != nil {
		return err
	}
	defer t.close()
	iCode := t.col("lsoa11_code")
	ar := newAgeReader(t, ageCols, "age_90plus", "total_population")
	seen := make(map[string]bool, 35000)
	var ages [MaxAge + 1]int
	for {
		ok, err := t.next()
		if err != nil || !ok {
			return err
		}
		code, err := t.code(iCode, lsoaPrefixes...)
		if err != nil {
			return err
		}
		if seen[code] {
			return t.errf("lsoa11_code: %s appears twice", code)
		}
		seen[code] = true
		if err := ar.read(t, &ages); err != nil {
			return err
		}
		if err := fn(code, &ages); err != nil {
			return t.errf("%v", err)
		}
	}
}

// readTrafford reads the Trafford mid-2024 single-year estimates on 2021
// LSOAs: every row is checked, the Persons rows are kept, in file order.
func readTrafford(l *Loader) (codes []string, ages map[string][MaxAge + 1]int, err error) {
	ageCols := ageColumns("")
	req := append([]string{"area_code", "sex", "all_ages", "90+"}, ageCols...)
	t, err := l.open(fileTrafford, req...)
	if err != nil {
		return nil, nil, err
	}
	defer t.close()
	iCode, iSex := t.col("area_code"), t.col("sex")
	ar := newAgeReader(t, ageCols, "90+", "all_ages")
	ages = make(map[string][MaxAge + 1]int, 150)
	for {
		ok, err := t.next()
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			return codes, ages, nil
		}
		code, err := t.code(iCode, lsoaPrefixes...)
		if err != nil {
			return nil, nil, err
		}
		var a [MaxAge + 1]int
		if err := ar.read(t, &a); err != nil {
			return nil, nil, err
		}
		switch sex := t.rec[iSex]; sex {
		case "Persons":
			if _, dup := ages[code]; dup {
				return nil, nil, t.errf("area_code: %s has two Persons rows", code)
			}
			codes = append(codes, code)
			ages[code] = a
		case "Females", "Males":
		default:
			return nil, nil, t.errf("sex: %q is not Persons, Females or Males", sex)
		}
	}
}

// centroids reads what is needed to place 2021 LSOAs: the LSOAs whose code
// did not change in 2021 get the 2011 population-weighted centroid, every
// other LSOA the 2021 geometric centroid.
type centroids struct {
	unchanged map[string]bool
	pwc       map[string]point
	geo       map[string]point
}

func readCentroids(l *Loader, changes []change, w want) (*centroids, error) {
	c := &centroids{unchanged: make(map[string]bool, 34000)}
	for _, ch := range changes {
		if ch.kind == 'U' && w.keep(ch.code21) {
			c.unchanged[ch.code21] = true
		}
	}
	var err error
	if c.pwc, err = readPoints(l, filePWC2011, "lsoa11cd", func(code string) bool { return c.unchanged[code] }); err != nil {
		return nil, err
	}
	if c.geo, err = readPoints(l, fileCentroid2021, "lsoa21cd", w); err != nil {
		return nil, err
	}
	return c, nil
}

// place returns the centroid of a 2021 LSOA and which kind it is.
func (c *centroids) place(code string) (point, CentroidKind, error) {
	if c.unchanged[code] {
		if p, ok := c.pwc[code]; ok {
			return p, CentroidPWC2011, nil
		}
	}
	if p, ok := c.geo[code]; ok {
		return p, CentroidGeometric2021, nil
	}
	return point{}, "", fmt.Errorf("%s: no centroid in %s", code, filepath.Base(fileCentroid2021))
}
