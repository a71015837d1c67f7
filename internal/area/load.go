package area

import (
	"fmt"
	"path/filepath"
	"slices"
)

// LoadTrafford loads the LSOAs of the demo council, Trafford (E08000009), one
// per LSOA in the mid-2024 Trafford population file (139), sorted by code:
//   - population: ONS mid-2024 single-year estimates (the Persons rows);
//   - deprivation: IMD 2025 decile (England, 2021 LSOAs);
//   - centroid: the 2011 population-weighted centroid when the code is
//     unchanged since 2011, otherwise the 2021 geometric centroid;
//   - name and council: the LSOA21 → ward 2024 → LAD 2024 lookup.
//
// dataDir is the shared/data folder. Any unreadable file or bad row returns
// an error naming the file and line.
func LoadTrafford(dataDir string) ([]Area, error) { return (&Loader{Dir: dataDir}).Trafford() }

// Trafford is LoadTrafford reading l.Dir and reporting progress.
func (l *Loader) Trafford() ([]Area, error) {
	info, err := readWardLookup(l)
	if err != nil {
		return nil, err
	}
	codes, ages, err := readTrafford(l)
	if err != nil {
		return nil, err
	}
	for _, c := range codes {
		if _, ok := info[c]; !ok {
			return nil, fmt.Errorf("%s: %s is not in %s", filepath.Base(fileTrafford), c, filepath.Base(fileWardLookup))
		}
	}
	in := func(code string) bool { _, ok := ages[code]; return ok }
	changes, err := readChangeLookup(l, info)
	if err != nil {
		return nil, err
	}
	cents, err := readCentroids(l, changes, in)
	if err != nil {
		return nil, err
	}
	imd, err := readDeciles(l, fileIMD2025, "lsoa21_code", "E01", in)
	if err != nil {
		return nil, err
	}
	slices.Sort(codes)
	out := make([]Area, 0, len(codes))
	for _, c := range codes {
		p, kind, err := cents.place(c)
		if err != nil {
			return nil, err
		}
		i := info[c]
		out = append(out, Area{
			Code: c, Name: i.name, LADCode: i.lad, LADName: i.ladName,
			Lat: p.lat, Lon: p.lon, CentroidKind: kind,
			IMDDecile: imd[c], YoungByAge: ages[c],
		})
	}
	return out, nil
}

// LoadEnglandWales loads all 35,672 LSOAs (2021) of England and Wales, sorted
// by code. Names and councils (LAD 2024) come from the LSOA21 → ward 2024 →
// LAD 2024 lookup and centroids follow the rule of LoadTrafford.
//
// Population is the ONS mid-2020 single-year estimate, published on 2011
// LSOAs, moved onto 2021 LSOAs with the ONS LSOA11 → LSOA21 lookup:
//   - U (unchanged): the counts carry over;
//   - S (split): each age's count is shared among the 2021 parts in
//     proportion to their Census 2021 usual residents (all ages), rounded by
//     largest remainder so that every age's total is conserved exactly;
//   - M (merged): the 2011 counts are summed;
//   - X (irregular: a 2011 area split across 2021 areas that also take in
//     parts of other 2011 areas, 9 rows): best effort — the 2011 counts are
//     shared in proportion to the Census 2021 totals of the whole 2021 target
//     areas (the lookup has no share of each part), then summed like a merge.
//
// Every age's national total is therefore exactly the mid-2020 total (e.g.
// 10–19: 6,909,708). Deprivation: England IMD 2025 (on 2021 LSOAs); Wales
// WIMD 2019 (on 2011 LSOAs), carried over the same lookup, a merged area
// taking the worse (lower) decile of its parts.
//
// Any unreadable file, bad row or inconsistency between the files returns
// an error naming the file (and line, where there is one).
func LoadEnglandWales(dataDir string) ([]Area, error) {
	return (&Loader{Dir: dataDir}).EnglandWales()
}

// EnglandWales is LoadEnglandWales reading l.Dir and reporting progress.
func (l *Loader) EnglandWales() ([]Area, error) {
	info, err := readWardLookup(l)
	if err != nil {
		return nil, err
	}
	changes, err := readChangeLookup(l, info)
	if err != nil {
		return nil, err
	}
	cents, err := readCentroids(l, changes, nil)
	if err != nil {
		return nil, err
	}
	census, err := readCensusTotals(l)
	if err != nil {
		return nil, err
	}

	codes := make([]string, 0, len(info))
	for c := range info {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	pos := make(map[string]int, len(codes))
	for i, c := range codes {
		pos[c] = i
	}

	// targets lists, for each 2011 LSOA, the positions of its 2021 LSOAs and
	// their Census 2021 totals (the apportioning weights).
	type target struct{ pos, weight int }
	targets := make(map[string][]target, 35000)
	for _, ch := range changes {
		w, ok := census[ch.code21]
		if !ok {
			return nil, fmt.Errorf("%s: %s has no row", filepath.Base(fileCensus2021), ch.code21)
		}
		targets[ch.code11] = append(targets[ch.code11], target{pos[ch.code21], w})
	}

	young := make([][MaxAge + 1]int, len(codes))
	fed := make([]bool, len(codes))
	read := make(map[string]bool, len(targets))
	var weights, parts []int
	err = readMid2020(l, func(code11 string, ages *[MaxAge + 1]int) error {
		ts, ok := targets[code11]
		if !ok {
			return fmt.Errorf("lsoa11_code: %s is not in %s", code11, filepath.Base(fileChangeLookup))
		}
		read[code11] = true
		if len(ts) == 1 {
			y := &young[ts[0].pos]
			for a, n := range ages {
				y[a] += n
			}
			fed[ts[0].pos] = true
			return nil
		}
		weights, parts = weights[:0], parts[:0]
		for _, t := range ts {
			weights = append(weights, t.weight)
			parts = append(parts, 0)
			fed[t.pos] = true
		}
		for a, n := range ages {
			apportion(n, weights, parts)
			for k, t := range ts {
				young[t.pos][a] += parts[k]
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for code11 := range targets {
		if !read[code11] {
			return nil, fmt.Errorf("%s: no row for %s, which is in %s",
				filepath.Base(fileMid2020), code11, filepath.Base(fileChangeLookup))
		}
	}
	for i, ok := range fed {
		if !ok {
			return nil, fmt.Errorf("%s: %s receives no 2011 LSOA, so it has no population",
				filepath.Base(fileChangeLookup), codes[i])
		}
	}

	english, err := readDeciles(l, fileIMD2025, "lsoa21_code", "E01", nil)
	if err != nil {
		return nil, err
	}
	welsh11, err := readDeciles(l, fileWIMD2019, "lsoa11_code", "W01", nil)
	if err != nil {
		return nil, err
	}
	welsh := make(map[string]int, 2000)
	for _, ch := range changes {
		d, ok := welsh11[ch.code11]
		if !ok {
			continue
		}
		if cur := welsh[ch.code21]; cur == 0 || d < cur {
			welsh[ch.code21] = d
		}
	}

	out := make([]Area, len(codes))
	for i, c := range codes {
		p, kind, err := cents.place(c)
		if err != nil {
			return nil, err
		}
		in := info[c]
		dec := english[c]
		if c[0] == 'W' {
			dec = welsh[c]
		}
		out[i] = Area{
			Code: c, Name: in.name, LADCode: in.lad, LADName: in.ladName,
			Lat: p.lat, Lon: p.lon, CentroidKind: kind,
			IMDDecile: dec, YoungByAge: young[i],
		}
	}
	return out, nil
}

// apportion splits n into len(w) whole parts in proportion to the weights w
// (all zero: equal shares), written to out. Parts are rounded down and the
// remainder goes one each to the largest fractional parts (ties: earlier
// first), so the parts always add up to n.
func apportion(n int, w []int, out []int) {
	total := 0
	for _, x := range w {
		total += x
	}
	weight := func(k int) int64 {
		if total == 0 {
			return 1
		}
		return int64(w[k])
	}
	sum := int64(total)
	if total == 0 {
		sum = int64(len(w))
	}
	given := 0
	for k := range w {
		out[k] = int(int64(n) * weight(k) / sum)
		given += out[k]
	}
	for left := n - given; left > 0; left-- {
		best, bestRem := -1, int64(-1)
		for k := range w {
			rem := int64(n) * weight(k) % sum
			if int64(out[k]) > int64(n)*weight(k)/sum {
				continue // already given its extra one
			}
			if rem > bestRem {
				best, bestRem = k, rem
			}
		}
		out[best]++
	}
}
