package coverage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// NewCentre is a centre a what-if adds; it is open.
type NewCentre struct {
	// ID is optional: when empty the centre is called new-1, new-2, ...
	// (skipping ids already taken).
	ID           string
	Name         string
	Lat, Lon     float64
	Provider     Provider
	HoursPerWeek float64
	WeeklyPlaces float64
}

// Changes is a what-if: centres to close, centres (planned or closed) to
// open, and new centres.
type Changes struct {
	Close  []string
	Reopen []string
	Add    []NewCentre
}

// CouncilChange is how one council's figures move under a what-if.
type CouncilChange struct {
	LADCode string // empty for the total of all areas
	LADName string
	Before  Figures
	After   Figures
	// YoungLosingCover live in areas covered before and not after;
	// YoungGainingCover the other way round.
	YoungLosingCover  int
	YoungGainingCover int
	// After − Before.
	CoveredShareChange         float64
	CoveredMinHoursShareChange float64
	PlacesPer1000Change        float64
}

// WhatIfResult is the outcome of a what-if: the recomputed coverage and how
// it differs from the base.
type WhatIfResult struct {
	Changes Changes
	Before  *Result
	After   *Result
	// Added are the centres the what-if added, with their ids.
	Added []Centre
	Total CouncilChange
	// Councils has every council, sorted by code.
	Councils          []CouncilChange
	AreasLosingCover  []string
	AreasGainingCover []string
}

// WhatIf applies ch to the centres of base and recomputes coverage with the
// same engine. It changes neither base nor ch, and its After equals
// Engine.Compute on the changed list of centres (added centres go at the end,
// in order). It returns an error wrapping ErrInvalid when an id to close or
// reopen is unknown or in both lists, or when a new centre is invalid or its
// id is taken.
func WhatIf(base *Result, ch Changes) (*WhatIfResult, error) {
	if base == nil {
		return nil, fmt.Errorf("%w: no base result", ErrInvalid)
	}
	cs := slices.Clone(base.centres)
	pos := make(map[string]int, len(cs)+len(ch.Add))
	for j, c := range cs {
		pos[c.ID] = j
	}
	closing := make(map[string]bool, len(ch.Close))
	for _, id := range ch.Close {
		j, ok := pos[id]
		if !ok {
			return nil, fmt.Errorf("%w: no centre %q to close", ErrInvalid, id)
		}
		cs[j].Status = StatusClosed
		closing[id] = true
	}
	for _, id := range ch.Reopen {
		j, ok := pos[id]
		if !ok {
			return nil, fmt.Errorf("%w: no centre %q to reopen", ErrInvalid, id)
		}
		if closing[id] {
			return nil, fmt.Errorf("%w: centre %q both closed and reopened", ErrInvalid, id)
		}
		cs[j].Status = StatusOpen
	}
	var added []Centre
	next := 1
	for _, nc := range ch.Add {
		id := nc.ID
		for id == "" {
			if cand := "new-" + strconv.Itoa(next); !hasKey(pos, cand) {
				id = cand
			}
			next++
		}
		if hasKey(pos, id) {
			return nil, fmt.Errorf("%w: new centre id %q is taken", ErrInvalid, id)
		}
		c := Centre{
			ID: id, Name: nc.Name, Lat: nc.Lat, Lon: nc.Lon, Status: StatusOpen,
			Provider: nc.Provider, HoursPerWeek: nc.HoursPerWeek, WeeklyPlaces: nc.WeeklyPlaces,
		}
		pos[id] = len(cs)
		cs = append(cs, c)
		added = append(added, c)
	}
	after, err := base.engine.Compute(cs)
	if err != nil {
		return nil, err
	}
	w := &WhatIfResult{
		Changes: Changes{Close: slices.Clone(ch.Close), Reopen: slices.Clone(ch.Reopen), Add: slices.Clone(ch.Add)},
		Before:  base, After: after, Added: added,
	}
	w.diff()
	return w, nil
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

func (w *WhatIfResult) diff() {
	e := w.Before.engine
	lost := make([]int, len(e.lads))
	gained := make([]int, len(e.lads))
	totalLost, totalGained := 0, 0
	for i, b := range w.Before.Areas {
		a := w.After.Areas[i]
		switch {
		case b.Covered && !a.Covered:
			lost[e.ladOf[i]] += a.Young
			totalLost += a.Young
			w.AreasLosingCover = append(w.AreasLosingCover, a.Code)
		case !b.Covered && a.Covered:
			gained[e.ladOf[i]] += a.Young
			totalGained += a.Young
			w.AreasGainingCover = append(w.AreasGainingCover, a.Code)
		}
	}
	change := func(b, a Summary, l, g int) CouncilChange {
		return CouncilChange{
			LADCode: b.LADCode, LADName: b.LADName, Before: b.Figures, After: a.Figures,
			YoungLosingCover: l, YoungGainingCover: g,
			CoveredShareChange:         a.CoveredShare - b.CoveredShare,
			CoveredMinHoursShareChange: a.CoveredMinHoursShare - b.CoveredMinHoursShare,
			PlacesPer1000Change:        a.PlacesPer1000 - b.PlacesPer1000,
		}
	}
	w.Councils = make([]CouncilChange, len(e.lads))
	for k := range e.lads {
		w.Councils[k] = change(w.Before.Councils[k], w.After.Councils[k], lost[k], gained[k])
	}
	w.Total = change(w.Before.Total, w.After.Total, totalLost, totalGained)
}

// Council returns the change of the council with code lad.
func (w *WhatIfResult) Council(lad string) (CouncilChange, bool) {
	k, ok := slices.BinarySearch(w.Before.engine.lads, lad)
	if !ok {
		return CouncilChange{}, false
	}
	return w.Councils[k], true
}

// Sentence says in one line what the what-if does to young people's access
// across all the engine's areas, e.g. "Closing Sale West Youth Centre leaves
// 1,234 young people without a centre within 2 km".
func (w *WhatIfResult) Sentence() string { return w.sentence(w.Total) }

// SentenceFor is Sentence counting only the young people of council lad; an
// unknown council counts nobody.
func (w *WhatIfResult) SentenceFor(lad string) string {
	ch, _ := w.Council(lad)
	return w.sentence(ch)
}

func (w *WhatIfResult) sentence(ch CouncilChange) string {
	names := func(ids []string) []string {
		out := make([]string, 0, len(ids))
		for _, id := range ids {
			name := id
			for _, c := range w.Before.centres {
				if c.ID == id && c.Name != "" {
					name = c.Name
				}
			}
			out = append(out, name)
		}
		return out
	}
	var actions []string
	multi := false // some action names several centres
	if len(w.Changes.Close) > 0 {
		actions = append(actions, "closing "+andList(names(w.Changes.Close)))
		multi = multi || len(w.Changes.Close) > 1
	}
	if len(w.Changes.Reopen) > 0 {
		actions = append(actions, "opening "+andList(names(w.Changes.Reopen)))
		multi = multi || len(w.Changes.Reopen) > 1
	}
	if len(w.Added) > 0 {
		var named []string
		unnamed := 0
		for _, c := range w.Added {
			if c.Name != "" {
				named = append(named, "new centre "+c.Name)
			} else {
				unnamed++
			}
		}
		switch {
		case unnamed == 1:
			named = append(named, "a new centre")
		case unnamed > 1:
			named = append(named, thousands(unnamed)+" new centres")
		}
		actions = append(actions, "opening "+andList(named))
		multi = multi || len(named) > 1
	}
	if len(actions) == 0 {
		return "No change"
	}
	s := andList(actions)
	if multi && len(actions) > 1 {
		s = strings.Join(actions[:len(actions)-1], ", ") + ", and " + actions[len(actions)-1]
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	within := "within " + strconv.FormatFloat(w.Before.Options.ThresholdKm, 'f', -1, 64) + " km"
	lost, gained := ch.YoungLosingCover, ch.YoungGainingCover
	switch {
	case lost > 0 && gained > 0:
		return fmt.Sprintf("%s leaves %s without a centre %s and brings %s %s of one", s, people(lost), within, people(gained), within)
	case lost > 0:
		return fmt.Sprintf("%s leaves %s without a centre %s", s, people(lost), within)
	case gained > 0:
		return fmt.Sprintf("%s brings %s %s of a centre", s, people(gained), within)
	}
	return fmt.Sprintf("%s changes no one's access to a centre %s", s, within)
}

func people(n int) string {
	if n == 1 {
		return "1 young person"
	}
	return thousands(n) + " young people"
}

// andList joins "a", "a and b", "a, b and c".
func andList(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// thousands formats n with comma separators: 1234567 → "1,234,567".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
