package coverage

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
)

// Engine holds the areas and their spatial index. It is built once per set
// of areas and options and is safe for concurrent use: Compute never changes
// it.
type Engine struct {
	opt      Options
	areas    []Area
	idx      pointIndex // areas
	lads     []string   // council codes, sorted
	ladNames []string
	ladOf    []int32 // area → position in lads
}

// NewEngine checks and indexes the areas. It returns an error wrapping
// ErrInvalid for a bad option or area: an empty or repeated code, no council,
// coordinates out of range, a decile outside 0..10 or a negative count.
func NewEngine(areas []Area, opt Options) (*Engine, error) {
	if opt.ThresholdKm == 0 {
		opt.ThresholdKm = DefaultThresholdKm
	}
	if !(opt.ThresholdKm > 0) || math.IsInf(opt.ThresholdKm, 0) {
		return nil, fmt.Errorf("%w: threshold %v km is not a positive distance", ErrInvalid, opt.ThresholdKm)
	}
	if !validCount(opt.MinHours) {
		return nil, fmt.Errorf("%w: minimum hours %v is negative or not a number", ErrInvalid, opt.MinHours)
	}
	e := &Engine{opt: opt, areas: slices.Clone(areas)}
	e.idx.pts = make([]pt, len(areas))
	e.ladOf = make([]int32, len(areas))
	seen := make(map[string]bool, len(areas))
	ladName := make(map[string]string)
	for i, a := range e.areas {
		switch {
		case a.Code == "":
			return nil, fmt.Errorf("%w: area %d has no code", ErrInvalid, i)
		case seen[a.Code]:
			return nil, fmt.Errorf("%w: area %s appears twice", ErrInvalid, a.Code)
		case a.LADCode == "":
			return nil, fmt.Errorf("%w: area %s has no council", ErrInvalid, a.Code)
		case !validLatLon(a.Lat, a.Lon):
			return nil, fmt.Errorf("%w: area %s: coordinates %v, %v out of range", ErrInvalid, a.Code, a.Lat, a.Lon)
		case a.IMDDecile < 0 || a.IMDDecile > 10:
			return nil, fmt.Errorf("%w: area %s: IMD decile %d not in 0..10", ErrInvalid, a.Code, a.IMDDecile)
		case a.Young < 0:
			return nil, fmt.Errorf("%w: area %s: %d young people", ErrInvalid, a.Code, a.Young)
		}
		seen[a.Code] = true
		if _, ok := ladName[a.LADCode]; !ok || ladName[a.LADCode] == "" {
			ladName[a.LADCode] = a.LADName
		}
		e.idx.pts[i] = newPt(a.Lat, a.Lon)
		e.idx.insert(int32(i), e.idx.pts[i])
	}
	for code := range ladName {
		e.lads = append(e.lads, code)
	}
	slices.Sort(e.lads)
	pos := make(map[string]int32, len(e.lads))
	for k, code := range e.lads {
		pos[code] = int32(k)
		e.ladNames = append(e.ladNames, ladName[code])
	}
	for i, a := range e.areas {
		e.ladOf[i] = pos[a.LADCode]
	}
	return e, nil
}

// Options returns the engine's options, with defaults filled in.
func (e *Engine) Options() Options { return e.opt }

// AreaResult is one area's coverage.
type AreaResult struct {
	Code      string
	LADCode   string
	Young     int
	IMDDecile int
	// NearestID is the nearest open centre, at NearestKm; empty, with
	// NearestKm = -1, when no centre is open.
	NearestID       string
	NearestKm       float64
	NearestProvider Provider
	// Covered: an open centre lies within the threshold.
	Covered bool
	// CoveredMinHours: an open centre within the threshold is open at least
	// Options.MinHours a week.
	CoveredMinHours bool
	// Access is the 2SFCA accessibility A_i: the sum, over open centres
	// within the threshold, of their weekly places per young person in
	// their catchment.
	Access float64
}

// Result is the coverage of every area and council for one list of centres.
type Result struct {
	Options Options
	// Areas are in the engine's area order.
	Areas []AreaResult
	// Councils has one summary per council, sorted by code.
	Councils []Summary
	// Total sums every area of the engine.
	Total Summary

	engine  *Engine
	centres []Centre
	nearest []int32 // area → centre position, -1 for none
}

// Council returns the summary of the council with code lad.
func (r *Result) Council(lad string) (Summary, bool) {
	k, ok := slices.BinarySearch(r.engine.lads, lad)
	if !ok {
		return Summary{}, false
	}
	return r.Councils[k], true
}

// Centres returns a copy of the centres the result was computed from.
func (r *Result) Centres() []Centre { return slices.Clone(r.centres) }

// parallelMin is the number of nearest-centre searches worth spreading over
// several goroutines.
const parallelMin = 2048

// Compute measures coverage for centres. It does not keep or change the
// slice. It returns an error wrapping ErrInvalid for a bad centre (see
// Centre) or a repeated id.
//
// Per area: the nearest open centre (great-circle), covered (within the
// threshold), covered by a centre open at least MinHours, and the 2SFCA
// accessibility. 2SFCA, with d0 = the threshold: step 1 gives each open
// centre j the ratio R_j = WeeklyPlaces_j / Σ Young_i over areas within d0;
// step 2 gives each area A_i = Σ R_j over open centres within d0. A council's
// places per 1,000 is the young-population-weighted mean of A_i × 1000.
func (e *Engine) Compute(centres []Centre) (*Result, error) {
	if err := checkCentres(centres); err != nil {
		return nil, err
	}
	cs := slices.Clone(centres)
	var cx pointIndex
	cx.pts = make([]pt, len(cs))
	for j, c := range cs {
		cx.pts[j] = newPt(c.Lat, c.Lon)
		if c.Status == StatusOpen {
			cx.insert(int32(j), cx.pts[j])
		}
	}
	d0 := e.opt.ThresholdKm

	// Catchments and 2SFCA step 1. The (area, centre) pairs within d0 are
	// the same both ways, so step 2 and coverage reuse them.
	type pair struct {
		area, centre int32
		km           float64
	}
	pairs := make([]pair, 0, 16*cx.tree.Len())
	ratio := make([]float64, len(cs))
	for j, c := range cs {
		if c.Status != StatusOpen {
			continue
		}
		demand := 0
		e.idx.within(cx.pts[j], d0, func(i int32, d float64) {
			pairs = append(pairs, pair{i, int32(j), d})
			demand += e.areas[i].Young
		})
		if demand > 0 {
			ratio[j] = c.WeeklyPlaces / float64(demand)
		}
	}

	res := make([]AreaResult, len(e.areas))
	nearest := make([]int32, len(e.areas))
	for i := range nearest {
		nearest[i] = -1
	}
	for _, p := range pairs {
		ar := &res[p.area]
		ar.Access += ratio[p.centre]
		if cs[p.centre].HoursPerWeek >= e.opt.MinHours {
			ar.CoveredMinHours = true
		}
		if n := nearest[p.area]; n < 0 || p.km < ar.NearestKm || (p.km == ar.NearestKm && p.centre < n) {
			nearest[p.area], ar.NearestKm = p.centre, p.km
		}
	}

	// Areas with no open centre within d0: search outwards, from 2 d0 (the
	// nearest is beyond d0), never wider than the distance to the centre
	// nearest the previous area (areas in code order are mostly neighbours).
	var far []int32
	for i, n := range nearest {
		res[i].Covered = n >= 0
		if n < 0 {
			far = append(far, int32(i))
		}
	}
	if cx.tree.Len() > 0 {
		search := func(part []int32) {
			prev := int32(-1)
			for _, i := range part {
				p, known := e.idx.pts[i], math.Inf(1)
				if prev >= 0 {
					known = distKm(p, cx.pts[prev])
				}
				nearest[i], res[i].NearestKm = cx.nearest(p, 2*d0, known)
				prev = nearest[i]
			}
		}
		workers := min(runtime.GOMAXPROCS(0), len(far)/parallelMin)
		if workers <= 1 {
			search(far)
		} else {
			var wg sync.WaitGroup
			size := (len(far) + workers - 1) / workers
			for part := range slices.Chunk(far, size) {
				wg.Go(func() { search(part) })
			}
			wg.Wait()
		}
	} else {
		for _, i := range far {
			res[i].NearestKm = -1
		}
	}

	for i, a := range e.areas {
		ar := &res[i]
		ar.Code, ar.LADCode, ar.Young, ar.IMDDecile = a.Code, a.LADCode, a.Young, a.IMDDecile
		if n := nearest[i]; n >= 0 {
			ar.NearestID, ar.NearestProvider = cs[n].ID, cs[n].Provider
		}
	}
	r := &Result{Options: e.opt, Areas: res, engine: e, centres: cs, nearest: nearest}
	r.summarise()
	return r, nil
}
