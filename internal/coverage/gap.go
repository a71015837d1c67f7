package coverage

import (
	"cmp"
	"slices"
)

// Gap is an uncovered area, scored for how much a centre there would matter.
type Gap struct {
	Code      string
	LADCode   string
	Young     int
	IMDDecile int
	NearestID string  // nearest open centre (beyond the threshold), or empty
	NearestKm float64 // -1 when no centre is open
	// Weight is DeprivationWeight(IMDDecile).
	Weight float64
	// Score is Young × Weight: the young people affected, weighted by
	// deprivation.
	Score float64
}

// DeprivationWeight is the weight of an area of IMD decile d when ranking
// gaps: (11 − d) / 10, so the most deprived decile counts fully (1.0) and the
// least deprived a tenth (0.1); an unknown decile counts as the middle, 0.5.
func DeprivationWeight(decile int) float64 {
	if decile < 1 || decile > 10 {
		return 0.5
	}
	return float64(11-decile) / 10
}

// Gaps lists the uncovered areas of council lad (every council when lad is
// empty) that have young people, highest Score first (then more young
// people, then by code).
func (r *Result) Gaps(lad string) []Gap {
	var out []Gap
	for _, a := range r.Areas {
		if a.Covered || a.Young == 0 || (lad != "" && a.LADCode != lad) {
			continue
		}
		w := DeprivationWeight(a.IMDDecile)
		out = append(out, Gap{
			Code: a.Code, LADCode: a.LADCode, Young: a.Young, IMDDecile: a.IMDDecile,
			NearestID: a.NearestID, NearestKm: a.NearestKm,
			Weight: w, Score: float64(a.Young) * w,
		})
	}
	slices.SortFunc(out, func(a, b Gap) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.Young, a.Young), cmp.Compare(a.Code, b.Code))
	})
	return out
}
