package coverage

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// Only A4 (400 young people, 53.460) is uncovered in the hand fixture.
func TestSiteHand(t *testing.T) {
	r := mustCompute(t, meridianAreas(), meridianCentres(), Options{})
	candidates := []Candidate{
		{ID: "K0", Lat: 53.49, Lon: -2.3},  // A4 3u = 3.3 km away: nothing
		{ID: "K1", Lat: 53.455, Lon: -2.3}, // A4 0.5u: 400 (A3, A5 already covered)
		{ID: "K2", Lat: 53.46, Lon: -2.3},  // A4 0 km: 400, later than K1
	}
	tests := []struct {
		k    int
		want []Pick
	}{
		{0, nil},
		{1, []Pick{{Candidate: candidates[1], Index: 1, Gain: 400, Areas: []string{"A4"}}}},
		// After K1 nobody is left: Site stops early.
		{3, []Pick{{Candidate: candidates[1], Index: 1, Gain: 400, Areas: []string{"A4"}}}},
	}
	for _, tc := range tests {
		t.Run(strconv.Itoa(tc.k), func(t *testing.T) {
			got, err := r.Site(tc.k, candidates)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got, tc.want, samePick) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	if _, err := r.Site(-1, candidates); !errors.Is(err, ErrInvalid) {
		t.Errorf("k = -1: got %v", err)
	}
	if _, err := r.Site(1, []Candidate{{ID: "bad", Lat: -91}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad candidate: got %v", err)
	}
}

func samePick(a, b Pick) bool {
	return a.Candidate == b.Candidate && a.Index == b.Index && a.Gain == b.Gain && slices.Equal(a.Areas, b.Areas)
}

// naiveGreedy is greedy maximal covering written again from scratch: every
// candidate against every area, every round.
func naiveGreedy(areas []Area, r *Result, k int, candidates []Candidate, d0 float64) []Pick {
	covered := make([]bool, len(areas))
	for i := range areas {
		covered[i] = r.Areas[i].Covered
	}
	var picks []Pick
	for len(picks) < k {
		best, bestGain := -1, 0
		for c, cand := range candidates {
			gain := 0
			for i, a := range areas {
				if !covered[i] && DistanceKm(a.Lat, a.Lon, cand.Lat, cand.Lon) <= d0 {
					gain += a.Young
				}
			}
			if gain > bestGain {
				best, bestGain = c, gain
			}
		}
		if best < 0 {
			return picks
		}
		p := Pick{Candidate: candidates[best], Index: best, Gain: bestGain}
		for i, a := range areas {
			if !covered[i] && DistanceKm(a.Lat, a.Lon, candidates[best].Lat, candidates[best].Lon) <= d0 {
				covered[i] = true
				if a.Young > 0 {
					p.Areas = append(p.Areas, a.Code)
				}
			}
		}
		slices.Sort(p.Areas)
		picks = append(picks, p)
	}
	return picks
}

// bestCover tries every set of k candidates and returns the most young
// people any of them covers among those uncovered.
func bestCover(areas []Area, r *Result, k int, candidates []Candidate, d0 float64) int {
	reach := make([][]bool, len(candidates))
	for c, cand := range candidates {
		reach[c] = make([]bool, len(areas))
		for i, a := range areas {
			reach[c][i] = !r.Areas[i].Covered && DistanceKm(a.Lat, a.Lon, cand.Lat, cand.Lon) <= d0
		}
	}
	best := 0
	var try func(from int, chosen []int)
	try = func(from int, chosen []int) {
		if len(chosen) == k || from == len(candidates) {
			n := 0
			for i, a := range areas {
				for _, c := range chosen {
					if reach[c][i] {
						n += a.Young
						break
					}
				}
			}
			best = max(best, n)
			return
		}
		try(from+1, append(chosen, from))
		try(from+1, chosen)
	}
	try(0, nil)
	return best
}

func TestSiteMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	for n := range 15 {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			areas, centres := randomInstance(rng, 120, 4)
			opt := Options{ThresholdKm: 1.5 + rng.Float64()*2}
			r := mustCompute(t, areas, centres, opt)
			candidates := make([]Candidate, 12)
			for c := range candidates {
				candidates[c] = Candidate{ID: "K" + strconv.Itoa(c), Lat: 53.3 + rng.Float64()*0.4, Lon: -2.7 + rng.Float64()*0.7}
			}
			for k := 1; k <= 4; k++ {
				picks, err := r.Site(k, candidates)
				if err != nil {
					t.Fatal(err)
				}
				if want := naiveGreedy(areas, r, k, candidates, opt.ThresholdKm); !slices.EqualFunc(picks, want, samePick) {
					t.Fatalf("k=%d: got %+v\nnaive greedy %+v", k, picks, want)
				}
				total := 0
				for _, p := range picks {
					total += p.Gain
				}
				best := bestCover(areas, r, k, candidates, opt.ThresholdKm)
				if total > best || float64(total) < (1-1/2.718281828)*float64(best) {
					t.Errorf("k=%d: greedy covers %d, best %d", k, total, best)
				}
				if k == 1 && best > 0 && (len(picks) != 1 || picks[0].Gain != best) {
					t.Errorf("first pick %+v, best single site covers %d", picks, best)
				}
				// Opening the picked sites covers exactly their gains.
				var ch Changes
				for _, p := range picks {
					ch.Add = append(ch.Add, NewCentre{Lat: p.Lat, Lon: p.Lon, Provider: ProviderOther})
				}
				w, err := WhatIf(r, ch)
				if err != nil {
					t.Fatal(err)
				}
				if w.Total.YoungGainingCover != total {
					t.Errorf("k=%d: opening the picks covers %d, gains add to %d", k, w.Total.YoungGainingCover, total)
				}
			}
		})
	}
}

// SiteIn counts one council's young people only, and equals Site on an
// engine holding that council's areas alone.
func TestSiteIn(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 4))
	for n := range 10 {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			areas, centres := randomInstance(rng, 150, 4)
			for i := range areas {
				areas[i].LADCode = []string{"X", "Y"}[i%2]
			}
			opt := Options{ThresholdKm: 1.5 + rng.Float64()*2}
			r := mustCompute(t, areas, centres, opt)
			var own []Area
			for _, a := range areas {
				if a.LADCode == "X" {
					own = append(own, a)
				}
			}
			alone := mustCompute(t, own, centres, opt)
			candidates := make([]Candidate, 10)
			for c := range candidates {
				candidates[c] = Candidate{ID: "K" + strconv.Itoa(c), Lat: 53.3 + rng.Float64()*0.4, Lon: -2.7 + rng.Float64()*0.7}
			}
			for k := 1; k <= 3; k++ {
				got, err := r.SiteIn("X", k, candidates)
				if err != nil {
					t.Fatal(err)
				}
				want, err := alone.Site(k, candidates)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.EqualFunc(got, want, samePick) {
					t.Fatalf("k=%d: SiteIn %+v\nSite on X alone %+v", k, got, want)
				}
			}
		})
	}
}
