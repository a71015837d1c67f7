package coverage

import (
	"fmt"
	"slices"
)

// Candidate is a possible site for a new centre.
type Candidate struct {
	ID       string
	Lat, Lon float64
}

// Pick is one site chosen by Site.
type Pick struct {
	Candidate
	// Index is the candidate's position in the list given to Site.
	Index int
	// Gain is the number of young people the site covers who were not
	// covered before it (by open centres or by earlier picks).
	Gain int
	// Areas are the codes of the areas it newly covers.
	Areas []string
}

// Site proposes up to k sites among candidates for new centres, by greedy
// maximal covering: each round picks the candidate that covers (within the
// threshold) the most young people still uncovered, after the open centres
// of r and the earlier picks; ties go to the earlier candidate. It stops
// early when no candidate adds anyone. Greedy is within 1 − 1/e (63 %) of
// the best possible cover and its first pick is the best single site.
//
// It returns an error wrapping ErrInvalid for a negative k or a candidate
// with bad coordinates.
func (r *Result) Site(k int, candidates []Candidate) ([]Pick, error) {
	return r.SiteIn("", k, candidates)
}

// SiteIn is Site counting only the young people of council lad (every
// council when lad is empty): a council plans for its own residents, while
// the engine may also hold its neighbours' areas so that centres across the
// boundary count. It equals Site on an engine of lad's areas alone.
func (r *Result) SiteIn(lad string, k int, candidates []Candidate) ([]Pick, error) {
	if k < 0 {
		return nil, fmt.Errorf("%w: %d sites asked for", ErrInvalid, k)
	}
	e := r.engine
	d0 := e.opt.ThresholdKm
	reach := make([][]int32, len(candidates)) // uncovered areas within d0
	for c, cand := range candidates {
		if !validLatLon(cand.Lat, cand.Lon) {
			return nil, fmt.Errorf("%w: candidate %q: coordinates %v, %v out of range", ErrInvalid, cand.ID, cand.Lat, cand.Lon)
		}
		e.idx.within(newPt(cand.Lat, cand.Lon), d0, func(i int32, _ float64) {
			if a := &r.Areas[i]; !a.Covered && a.Young > 0 && (lad == "" || a.LADCode == lad) {
				reach[c] = append(reach[c], i)
			}
		})
	}
	covered := make([]bool, len(r.Areas))
	var picks []Pick
	for len(picks) < k {
		best, bestGain := -1, 0
		for c, areas := range reach {
			gain := 0
			for _, i := range areas {
				if !covered[i] {
					gain += r.Areas[i].Young
				}
			}
			if gain > bestGain {
				best, bestGain = c, gain
			}
		}
		if best < 0 {
			break
		}
		p := Pick{Candidate: candidates[best], Index: best, Gain: bestGain}
		for _, i := range reach[best] {
			if !covered[i] {
				covered[i] = true
				p.Areas = append(p.Areas, r.Areas[i].Code)
			}
		}
		slices.Sort(p.Areas)
		picks = append(picks, p)
	}
	return picks, nil
}
