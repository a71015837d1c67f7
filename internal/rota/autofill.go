package rota

import (
	"cmp"
	"fmt"
	"slices"
)

// Need is a requirement of an occurrence that auto-fill tries to meet.
type Need string

// The needs, in the order auto-fill meets them.
const (
	// NeedQualifiedLead is a lead aged 18 or over holding JNC level 3 or
	// above.
	NeedQualifiedLead Need = "qualified_lead"
	// NeedFirstAider is a worker with a first-aid certificate valid on the
	// day.
	NeedFirstAider Need = "first_aider"
	// NeedStaff is the adult staff the ratio and the minimum of two ask for.
	NeedStaff Need = "staff"
)

// Unfilled is a need auto-fill could not meet.
type Unfilled struct {
	OccurrenceID string
	Need         Need
	// Missing is how many more workers the need asks for (1 for a lead or a
	// first-aider).
	Missing int
	// Reason says in words why nobody could be found, e.g. "No qualified lead
	// is free on Tuesday 18 March 18:00–19:30 at Old Trafford Youth Centre:
	// 3 qualified leads are on leave, 1 is already on an overlapping shift".
	Reason string
}

// Proposal is auto-fill's answer: the shifts to add and what is still missing.
type Proposal struct {
	// Shifts are new shifts (with empty IDs) covering each occurrence's
	// times. Together with the Rota's shifts they break no hard rule.
	Shifts []Shift
	// Unfilled lists every need not met, by occurrence start time and then
	// in the order of the Need constants.
	Unfilled []Unfilled
}

// plan is an occurrence being filled.
type plan struct {
	o        *Occurrence
	rank     int
	tmpl     prepared
	week     int
	required int
	st       *staffing
}

// AutoFill proposes shifts for every occurrence in r.Occurrences (typically
// one centre's or one council's week) from the workers in r.Workers, keeping
// the shifts in r.Shifts. It never proposes a shift that breaks a hard rule,
// counting the shifts it proposes itself. For each occurrence, in order of
// start time, it adds what is missing in three passes over the week: first a
// qualified lead, then a first-aider (unless someone rostered already is
// one), then adults up to the required number. Each time it takes the free
// worker with the fewest hours that week for their contracted hours; workers
// without contracted hours come after all contracted ones, first-aiders under
// 18 after all adult ones, and ties go to the lower worker id, so the same
// input always gives the same proposal. Existing shifts are never moved.
func AutoFill(r Rota) Proposal {
	c := newChecker(r, "")
	existing := make(map[string][]int, len(r.Occurrences))
	for i := range c.entries {
		id := c.entries[i].s.OccurrenceID
		existing[id] = append(existing[id], i)
	}
	var prop Proposal
	type gap struct {
		rank, need int
		u          Unfilled
	}
	var gaps []gap
	seen := make(map[string]bool, len(r.Occurrences))
	var plans []*plan
	for i := range r.Occurrences {
		o := &r.Occurrences[i]
		if seen[o.ID] {
			continue
		}
		seen[o.ID] = true
		op := &plan{
			o:        o,
			tmpl:     prepare(Shift{OccurrenceID: o.ID, Start: o.Start, End: o.End}),
			required: RequiredAdults(o.Expected(), o.Ratio),
			st:       newStaffing(o),
		}
		op.week = weekOf(op.st.day)
		for _, idx := range existing[o.ID] {
			if ws := c.workers[c.entries[idx].s.WorkerID]; ws != nil {
				op.st.add(ws, c.entries[idx].s.Role)
			}
		}
		plans = append(plans, op)
	}
	slices.SortFunc(plans, func(a, b *plan) int {
		return cmp.Or(a.o.Start.Compare(b.o.Start), cmp.Compare(a.o.ID, b.o.ID))
	})
	var valid []*plan
	for i, op := range plans {
		op.rank = i
		if op.tmpl.valid {
			valid = append(valid, op)
			continue
		}
		gaps = append(gaps, gap{i, 2, Unfilled{OccurrenceID: op.o.ID, Need: NeedStaff, Missing: max(op.required-len(op.st.adults), 0),
			Reason: "This session" + atCentre(op.o) + " has no valid start and end time, so nobody can be rostered on it"}})
	}

	// fill adds up to n of the candidates kept by keep to op, in role, and
	// tallies why the others could not go.
	fill := func(op *plan, n int, young bool, keep func(*workerState) bool, role func(*Worker) Role, countOn bool) (int, *tally) {
		type cand struct {
			ws            *workerState
			young, casual bool
			load          float64
		}
		cands := make([]cand, 0, len(c.order))
		for _, ws := range c.order {
			if !keep(ws) {
				continue
			}
			y := ws.young(op.st.day)
			if y && !young {
				continue
			}
			h := ws.week[op.week].Hours()
			cd := cand{ws: ws, young: y, casual: ws.w.ContractedHours <= 0, load: h}
			if !cd.casual {
				cd.load = h / ws.w.ContractedHours
			}
			cands = append(cands, cd)
		}
		slices.SortFunc(cands, func(a, b cand) int {
			return cmp.Or(boolCmp(a.young, b.young), boolCmp(a.casual, b.casual),
				cmp.Compare(a.load, b.load), cmp.Compare(a.ws.w.ID, b.ws.w.ID))
		})
		var t tally
		added := 0
		for _, cd := range cands {
			if added == n {
				break
			}
			w := cd.ws.w
			if op.st.seen[w.ID] {
				if countOn {
					t.add(CodeDuplicateShift)
				}
				continue
			}
			p := op.tmpl
			p.s.WorkerID = w.ID
			if fs := c.check(&p, -1, false); len(fs) > 0 {
				t.add(fs[0].code)
				continue
			}
			p.s.Role = role(w)
			c.add(p)
			op.st.add(cd.ws, p.s.Role)
			prop.Shifts = append(prop.Shifts, p.s)
			added++
		}
		return added, &t
	}
	helper := func(w *Worker) Role {
		if w.Volunteer {
			return RoleVolunteer
		}
		return RoleWorker
	}

	for _, op := range valid {
		if op.st.lead {
			continue
		}
		_, t := fill(op, 1, false, func(ws *workerState) bool { return ws.w.Qualification.CanLead() },
			func(*Worker) Role { return RoleLead }, true)
		if op.st.lead {
			continue
		}
		why := "nobody in the pool aged 18 or over holds a youth-work qualification at JNC level 3 or above"
		if !t.empty() {
			why = t.words([2]string{"qualified lead", "qualified leads"})
		}
		gaps = append(gaps, gap{op.rank, 0, Unfilled{OccurrenceID: op.o.ID, Need: NeedQualifiedLead, Missing: 1,
			Reason: fmt.Sprintf("No qualified lead is free on %s: %s", describeOccurrence(op.o), why)}})
	}
	for _, op := range valid {
		if op.st.firstAid {
			continue
		}
		lastDay := op.st.lastDay
		_, t := fill(op, 1, true, func(ws *workerState) bool { return hasFirstAid(ws.w, lastDay) }, helper, true)
		if op.st.firstAid {
			continue
		}
		why := fmt.Sprintf("nobody in the pool holds a first-aid certificate valid on %s", dateFromDay(lastDay))
		if !t.empty() {
			why = t.words([2]string{"first-aider", "first-aiders"})
		}
		gaps = append(gaps, gap{op.rank, 1, Unfilled{OccurrenceID: op.o.ID, Need: NeedFirstAider, Missing: 1,
			Reason: fmt.Sprintf("No first-aider is free on %s: %s", describeOccurrence(op.o), why)}})
	}
	for _, op := range valid {
		missing := op.required - len(op.st.adults)
		if missing <= 0 {
			continue
		}
		added, t := fill(op, missing, false, func(*workerState) bool { return true }, helper, false)
		if added == missing {
			continue
		}
		have := len(op.st.adults)
		lead := fmt.Sprintf("Only %d of the %d adult staff needed could be rostered on %s", have, op.required, describeOccurrence(op.o))
		if have == 0 {
			lead = fmt.Sprintf("None of the %d adult staff needed could be rostered on %s", op.required, describeOccurrence(op.o))
		}
		why := "nobody else in the pool is 18 or over on that day"
		if !t.empty() {
			why = t.words([2]string{"other adult", "other adults"})
		}
		gaps = append(gaps, gap{op.rank, 2, Unfilled{OccurrenceID: op.o.ID, Need: NeedStaff, Missing: missing - added,
			Reason: lead + ": " + why}})
	}
	slices.SortStableFunc(gaps, func(a, b gap) int { return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.need, b.need)) })
	for _, g := range gaps {
		prop.Unfilled = append(prop.Unfilled, g.u)
	}
	return prop
}

func atCentre(o *Occurrence) string {
	if o.CentreName == "" {
		return ""
	}
	return " at " + o.CentreName
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	default:
		return -1
	}
}
