package coverage

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"
)

// copyResult is a deep copy of what a caller can see of a result, to check
// that nothing changed it.
func copyResult(r *Result) Result {
	c := *r
	c.Areas = slices.Clone(r.Areas)
	c.Councils = slices.Clone(r.Councils)
	c.centres = slices.Clone(r.centres)
	c.nearest = slices.Clone(r.nearest)
	return c
}

func copyChanges(ch Changes) Changes {
	return Changes{Close: slices.Clone(ch.Close), Reopen: slices.Clone(ch.Reopen), Add: slices.Clone(ch.Add)}
}

// apply is the what-if done by hand on the list of centres.
func apply(centres []Centre, ch Changes, addedIDs []string) []Centre {
	out := slices.Clone(centres)
	for i := range out {
		if slices.Contains(ch.Close, out[i].ID) {
			out[i].Status = StatusClosed
		}
		if slices.Contains(ch.Reopen, out[i].ID) {
			out[i].Status = StatusOpen
		}
	}
	for k, nc := range ch.Add {
		out = append(out, Centre{ID: addedIDs[k], Name: nc.Name, Lat: nc.Lat, Lon: nc.Lon, Status: StatusOpen,
			Provider: nc.Provider, HoursPerWeek: nc.HoursPerWeek, WeeklyPlaces: nc.WeeklyPlaces})
	}
	return out
}

// See TestComputeHandFixtures for the distances.
func TestWhatIfHand(t *testing.T) {
	newAt := func(lat float64) NewCentre {
		return NewCentre{Lat: lat, Lon: -2.3, Provider: ProviderCharity, HoursPerWeek: 12, WeeklyPlaces: 40}
	}
	tests := []struct {
		name            string
		ch              Changes
		lost, gained    int
		losing, gaining []string
		sentence        string
	}{
		{"close C2: A3 (C1 3.9 km) and A5 (C1 2.8 km) lose their centre",
			Changes{Close: []string{"C2"}}, 350, 0, []string{"A3", "A5"}, nil,
			"Closing Hope Club leaves 350 young people without a centre within 2 km"},
		{"reopen C3: A4 is 1.1 km from it",
			Changes{Reopen: []string{"C3"}}, 0, 400, nil, []string{"A4"},
			"Opening Old School Hall brings 400 young people within 2 km of a centre"},
		{"add a centre beside A4",
			Changes{Add: []NewCentre{newAt(53.455)}}, 0, 400, nil, []string{"A4"},
			"Opening a new centre brings 400 young people within 2 km of a centre"},
		{"close C1, add at A4: A1 and A2 lose, A4 gains",
			Changes{Close: []string{"C1"}, Add: []NewCentre{newAt(53.46)}}, 300, 400, []string{"A1", "A2"}, []string{"A4"},
			"Closing Canal Street Youth Centre and opening a new centre leaves 300 young people without a centre within 2 km and brings 400 young people within 2 km of one"},
		{"close both, two named and one unnamed new",
			Changes{Close: []string{"C1", "C2"}, Add: []NewCentre{{Name: "Hub", Lat: 53.395, Lon: -2.3, Provider: ProviderLibrary}, newAt(60), newAt(61)}},
			550, 0, []string{"A2", "A3", "A5"}, nil,
			"Closing Canal Street Youth Centre and Hope Club, and opening new centre Hub and 2 new centres leaves 550 young people without a centre within 2 km"},
		{"close the closed school", Changes{Close: []string{"C3"}}, 0, 0, nil, nil,
			"Closing Old School Hall changes no one's access to a centre within 2 km"},
		{"nothing", Changes{}, 0, 0, nil, nil, "No change"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := NewEngine(meridianAreas(), Options{MinHours: 10})
			if err != nil {
				t.Fatal(err)
			}
			centres := meridianCentres()
			base, err := e.Compute(centres)
			if err != nil {
				t.Fatal(err)
			}
			before, chBefore := copyResult(base), copyChanges(tc.ch)
			w, err := WhatIf(base, tc.ch)
			if err != nil {
				t.Fatal(err)
			}
			if w.Total.YoungLosingCover != tc.lost || w.Total.YoungGainingCover != tc.gained ||
				!slices.Equal(w.AreasLosingCover, tc.losing) || !slices.Equal(w.AreasGainingCover, tc.gaining) {
				t.Errorf("lost %d %v, gained %d %v; want %d %v, %d %v", w.Total.YoungLosingCover, w.AreasLosingCover,
					w.Total.YoungGainingCover, w.AreasGainingCover, tc.lost, tc.losing, tc.gained, tc.gaining)
			}
			if got := w.Sentence(); got != tc.sentence {
				t.Errorf("sentence\n got %q\nwant %q", got, tc.sentence)
			}
			// Same as a full recompute on the changed list.
			var ids []string
			for _, c := range w.Added {
				ids = append(ids, c.ID)
			}
			full, err := e.Compute(apply(centres, tc.ch, ids))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(w.After, full) {
				t.Error("what-if differs from a full recompute")
			}
			if !reflect.DeepEqual(*base, before) || !reflect.DeepEqual(tc.ch, chBefore) || !reflect.DeepEqual(centres, meridianCentres()) {
				t.Error("what-if changed its inputs")
			}
		})
	}
}

func TestWhatIfCouncilDiff(t *testing.T) {
	base := mustCompute(t, meridianAreas(), meridianCentres(), Options{MinHours: 10})
	w, err := WhatIf(base, Changes{Close: []string{"C1"}})
	if err != nil {
		t.Fatal(err)
	}
	// X loses C1: A1, A2 (300 young people) uncovered, places 333.33 → 0.
	x, ok := w.Council("X")
	if !ok {
		t.Fatal("no council X")
	}
	if x.YoungLosingCover != 300 || !near(x.CoveredShareChange, -1) || !near(x.CoveredMinHoursShareChange, -1) ||
		!near(x.PlacesPer1000Change, -1000.0/3) || x.Before.YoungCovered != 300 || x.After.YoungCovered != 0 {
		t.Errorf("X: %+v", x)
	}
	y, _ := w.Council("Y")
	if y.YoungLosingCover != 0 || y.CoveredShareChange != 0 || y.PlacesPer1000Change != 0 {
		t.Errorf("Y: %+v", y)
	}
	if _, ok := w.Council("Z"); ok {
		t.Error("found council Z")
	}
	if got, want := w.SentenceFor("X"), "Closing Canal Street Youth Centre leaves 300 young people without a centre within 2 km"; got != want {
		t.Errorf("SentenceFor(X) = %q, want %q", got, want)
	}
	if got, want := w.SentenceFor("Y"), "Closing Canal Street Youth Centre changes no one's access to a centre within 2 km"; got != want {
		t.Errorf("SentenceFor(Y) = %q, want %q", got, want)
	}
}

func TestWhatIfErrors(t *testing.T) {
	base := mustCompute(t, meridianAreas(), meridianCentres(), Options{})
	tests := []struct {
		name string
		ch   Changes
	}{
		{"unknown close", Changes{Close: []string{"nope"}}},
		{"unknown reopen", Changes{Reopen: []string{"nope"}}},
		{"close and reopen", Changes{Close: []string{"C1"}, Reopen: []string{"C1"}}},
		{"new id taken", Changes{Add: []NewCentre{{ID: "C2", Lat: 53, Lon: -2, Provider: ProviderSchool}}}},
		{"new ids clash", Changes{Add: []NewCentre{{ID: "n", Lat: 53, Lon: -2, Provider: ProviderSchool}, {ID: "n", Lat: 53, Lon: -2, Provider: ProviderSchool}}}},
		{"bad provider", Changes{Add: []NewCentre{{Lat: 53, Lon: -2, Provider: "pub"}}}},
		{"bad latitude", Changes{Add: []NewCentre{{Lat: 100, Lon: -2, Provider: ProviderSchool}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := WhatIf(base, tc.ch); !errors.Is(err, ErrInvalid) {
				t.Errorf("got %v, want ErrInvalid", err)
			}
		})
	}
	if _, err := WhatIf(nil, Changes{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil base: got %v", err)
	}
}

func TestWhatIfNewIDs(t *testing.T) {
	centres := append(meridianCentres(), Centre{ID: "new-1", Lat: 50, Lon: -3, Status: StatusPlanned, Provider: ProviderOther})
	base := mustCompute(t, meridianAreas(), centres, Options{})
	w, err := WhatIf(base, Changes{Add: []NewCentre{
		{Lat: 53, Lon: -2, Provider: ProviderSchool}, {ID: "mine", Lat: 53, Lon: -2, Provider: ProviderSchool}, {Lat: 53, Lon: -2, Provider: ProviderSchool},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range w.Added {
		got = append(got, c.ID)
	}
	if want := []string{"new-2", "mine", "new-3"}; !slices.Equal(got, want) {
		t.Errorf("added ids %v, want %v", got, want)
	}
}

// Random what-ifs on random instances equal a full recompute, exactly.
func TestWhatIfMatchesRecompute(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for n := range 12 {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			areas, centres := randomInstance(rng, 600, 30)
			opt := Options{ThresholdKm: 1 + rng.Float64()*2, MinHours: float64(rng.IntN(20))}
			e, err := NewEngine(areas, opt)
			if err != nil {
				t.Fatal(err)
			}
			base, err := e.Compute(centres)
			if err != nil {
				t.Fatal(err)
			}
			var ch Changes
			for _, c := range centres {
				switch r := rng.IntN(6); {
				case r == 0:
					ch.Close = append(ch.Close, c.ID)
				case r == 1 && c.Status != StatusOpen:
					ch.Reopen = append(ch.Reopen, c.ID)
				}
			}
			for range rng.IntN(4) {
				ch.Add = append(ch.Add, NewCentre{Lat: 53.3 + rng.Float64()*0.4, Lon: -2.7 + rng.Float64()*0.7,
					Provider: Providers[rng.IntN(len(Providers))], HoursPerWeek: 15, WeeklyPlaces: 80})
			}
			before := copyResult(base)
			w, err := WhatIf(base, ch)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, c := range w.Added {
				ids = append(ids, c.ID)
			}
			changed := apply(centres, ch, ids)
			full, err := e.Compute(changed)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(w.After, full) {
				t.Fatal("what-if differs from a full recompute")
			}
			if !reflect.DeepEqual(*base, before) {
				t.Fatal("what-if changed the base")
			}
			checkAgainstNaive(t, areas, changed, opt, w.After)
			lost := 0
			for i := range areas {
				if base.Areas[i].Covered && !full.Areas[i].Covered {
					lost += areas[i].Young
				}
			}
			if w.Total.YoungLosingCover != lost || !near(w.Total.CoveredShareChange, full.Total.CoveredShare-base.Total.CoveredShare) {
				t.Errorf("lost %d, want %d; share change %v", w.Total.YoungLosingCover, lost, w.Total.CoveredShareChange)
			}
		})
	}
}

func TestThousands(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {1234, "1,234"}, {999999, "999,999"}, {1234567, "1,234,567"}, {-45678, "-45,678"}}
	for _, tc := range tests {
		if got := thousands(tc.n); got != tc.want {
			t.Errorf("thousands(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := people(1); got != "1 young person" {
		t.Errorf("people(1) = %q", got)
	}
}
