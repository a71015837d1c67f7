package rota

import (
	"fmt"
	"time"
)

// CheckShift returns the hard rules that saving proposed would break, given
// the rota r as it stands (r.Occurrences may be empty; they only name centres
// in messages). An empty result means the write may go ahead; any violation
// means refuse it. A shift in r.Shifts with the same non-empty ID as proposed
// is the version being replaced and is ignored, so CheckShift serves updates
// as well as inserts. Shortfalls are not reported here: call Evaluate for the
// occurrence's status after the write.
func CheckShift(r Rota, proposed Shift) []Violation {
	c := newChecker(r, proposed.WorkerID)
	skip := -1
	if proposed.ID != "" {
		for i := range r.Shifts {
			if r.Shifts[i].ID == proposed.ID {
				skip = i
				break
			}
		}
	}
	p := prepare(proposed)
	fs := c.check(&p, skip, true)
	out := make([]Violation, 0, len(fs))
	for _, f := range fs {
		out = append(out, c.violation(&p, f))
	}
	return out
}

// Report is the state of every occurrence in scope, in the order of
// Rota.Occurrences.
type Report struct {
	Occurrences []OccurrenceReport
}

// OccurrenceReport is one occurrence's rota status with every reason for it.
type OccurrenceReport struct {
	OccurrenceID string
	Status       Status
	// Expected is the young people the staffing must cover (see
	// Occurrence.Expected).
	Expected int
	// Required is the adult staff needed (see RequiredAdults).
	Required int
	// AdultStaff is the distinct workers rostered who are 18 or over on the
	// day and cleared to work with young people (see cleared).
	AdultStaff int
	// StaffedCapacity is the places the adults rostered can supervise (see
	// StaffedCapacity); the booking layer offers no more than this.
	StaffedCapacity int
	// Violations lists the hard violations of the occurrence's shifts, then
	// its shortfalls; empty when Status is Green.
	Violations []Violation
}

// Evaluate checks every rule for every occurrence in r.Occurrences: each of
// its shifts against the hard rules (against all of r.Shifts), and its
// staffing against the shortfall rules: enough adults (RequiredAdults), a
// qualified lead (a RoleLead shift held by a worker aged 18 or over on the
// day with JNC level 3 or above) and a first-aider (any worker rostered whose
// certificate is valid on the day). An occurrence is red when a shift
// breaks a hard rule or when it has too few adults; amber when it has enough
// adults but no qualified lead or no valid first-aider; green otherwise.
func Evaluate(r Rota) Report {
	c := newChecker(r, "")
	byOcc := make(map[string][]int, len(r.Occurrences))
	for i := range c.entries {
		id := c.entries[i].s.OccurrenceID
		byOcc[id] = append(byOcc[id], i)
	}
	rep := Report{Occurrences: make([]OccurrenceReport, 0, len(r.Occurrences))}
	for i := range r.Occurrences {
		o := &r.Occurrences[i]
		or := OccurrenceReport{OccurrenceID: o.ID, Expected: o.Expected()}
		or.Required = RequiredAdults(or.Expected, o.Ratio)
		hard := false
		for _, idx := range byOcc[o.ID] {
			e := &c.entries[idx]
			for _, f := range c.check(e, idx, true) {
				or.Violations = append(or.Violations, c.violation(e, f))
				hard = true
			}
		}
		st := newStaffing(o)
		for _, idx := range byOcc[o.ID] {
			if ws := c.workers[c.entries[idx].s.WorkerID]; ws != nil {
				st.add(ws, c.entries[idx].s.Role)
			}
		}
		or.AdultStaff = len(st.adults)
		or.StaffedCapacity = StaffedCapacity(or.AdultStaff, o.Ratio, o.Capacity)
		short := or.AdultStaff < or.Required
		if short {
			or.Violations = append(or.Violations, st.tooFew(o, or.Expected, or.Required))
		}
		if !st.lead {
			or.Violations = append(or.Violations, st.noLead(o))
		}
		if !st.firstAid {
			or.Violations = append(or.Violations, st.noFirstAider(o))
		}
		switch {
		case hard || short:
			or.Status = Red
		case !st.lead || !st.firstAid:
			or.Status = Amber
		default:
			or.Status = Green
		}
		rep.Occurrences = append(rep.Occurrences, or)
	}
	return rep
}

// staffing is what the workers rostered on one occurrence add up to.
type staffing struct {
	day, lastDay int // the occurrence's first and last local days
	adults       map[string]bool
	young        []*Worker // under 18 on the day, so not counted
	noBirthDate  []*Worker // no date of birth, so not counted
	lead         bool
	badLeads     []*Worker // rostered as lead but not a qualified adult
	firstAid     bool
	lapsedAid    []*Worker // first-aid certificate expired
	seen         map[string]bool
}

func occurrenceDays(o *Occurrence) (first, last int) {
	first = DateOf(o.Start).day()
	last = first
	if o.End.After(o.Start) {
		last = DateOf(o.End.Add(-time.Nanosecond)).day()
	}
	return first, last
}

func newStaffing(o *Occurrence) *staffing {
	st := &staffing{adults: map[string]bool{}, seen: map[string]bool{}}
	st.day, st.lastDay = occurrenceDays(o)
	return st
}

// cleared reports whether w may work with young people on the days from
// day to lastDay and is there to: not barred, an enhanced DBS check with the
// children's barred list still current, safeguarding training still valid,
// and not on leave. Someone who may not, or will not be there, is never
// counted as a supervising adult, whatever the rota says.
func cleared(w *Worker, day, lastDay int) bool {
	d := w.DBS
	if d.OnBarredList || d.NextCheckDue.IsZero() || !d.Enhanced || !d.ChildrensBarredList || d.NextCheckDue.day() < lastDay ||
		w.SafeguardingExpires.IsZero() || w.SafeguardingExpires.day() < lastDay {
		return false
	}
	for _, l := range w.Leave {
		if l.From.day() <= lastDay && day <= l.To.day() {
			return false
		}
	}
	return true
}

// add counts a worker rostered on the occurrence in role.
func (st *staffing) add(ws *workerState, role Role) {
	w := ws.w
	adult := !ws.young(st.day) && !w.DateOfBirth.IsZero() && cleared(w, st.day, st.lastDay)
	if role == RoleLead {
		if adult && w.Qualification.CanLead() {
			st.lead = true
		} else {
			st.badLeads = append(st.badLeads, w)
		}
	}
	if st.seen[w.ID] {
		return
	}
	st.seen[w.ID] = true
	switch {
	case w.DateOfBirth.IsZero():
		st.noBirthDate = append(st.noBirthDate, w)
	case adult:
		st.adults[w.ID] = true
	case !ws.young(st.day):
		// An adult who may not work with young people, or is on leave: their
		// shift is a hard violation already; they supervise nobody.
	default:
		st.young = append(st.young, w)
	}
	switch {
	case hasFirstAid(w, st.lastDay):
		st.firstAid = true
	case !w.FirstAidExpires.IsZero():
		st.lapsedAid = append(st.lapsedAid, w)
	}
}

func hasFirstAid(w *Worker, lastDay int) bool {
	return !w.FirstAidExpires.IsZero() && w.FirstAidExpires.day() >= lastDay
}

func names(ws []*Worker) (ns, ids []string) {
	for _, w := range ws {
		ns = append(ns, name(w))
		ids = append(ids, w.ID)
	}
	return ns, ids
}

func (st *staffing) tooFew(o *Occurrence, expected, required int) Violation {
	n := len(st.adults)
	var have string
	switch n {
	case 0:
		have = "No adult staff are rostered on "
	case 1:
		have = "Only 1 adult is rostered on "
	default:
		have = fmt.Sprintf("Only %d adults are rostered on ", n)
	}
	msg := have + describeOccurrence(o)
	if RequiredAdults(expected, o.Ratio) > MinimumStaff {
		who := fmt.Sprintf("%d young people are booked", expected)
		if o.Mode == DropIn {
			who = fmt.Sprintf("the drop-in can take %d young people", expected)
		}
		msg += fmt.Sprintf("; %s and the ratio is 1:%d, so %d adults are needed", who, o.ratio(), required)
	} else {
		msg += fmt.Sprintf("; every session needs at least %d adults", required)
	}
	v := Violation{Code: CodeTooFewStaff, Severity: Shortfall, OccurrenceID: o.ID}
	if len(st.young) > 0 {
		ns, ids := names(st.young)
		verb := "is under 18 and does not count"
		if len(ns) > 1 {
			verb = "are under 18 and do not count"
		}
		msg += fmt.Sprintf(" (%s %s)", joinNames(ns), verb)
		v.WorkerIDs = ids
	}
	if len(st.noBirthDate) > 0 {
		ns, ids := names(st.noBirthDate)
		verb := "has no date of birth recorded and does not count"
		if len(ns) > 1 {
			verb = "have no date of birth recorded and do not count"
		}
		msg += fmt.Sprintf(" (%s %s)", joinNames(ns), verb)
		v.WorkerIDs = append(v.WorkerIDs, ids...)
	}
	v.Message = msg
	return v
}

func (st *staffing) noLead(o *Occurrence) Violation {
	v := Violation{Code: CodeNoQualifiedLead, Severity: Shortfall, OccurrenceID: o.ID}
	msg := "No lead with a youth-work qualification at JNC level 3 or above is rostered on " + describeOccurrence(o)
	var why []string
	for _, w := range st.badLeads {
		v.WorkerIDs = append(v.WorkerIDs, w.ID)
		switch {
		case w.DateOfBirth.IsZero():
			why = append(why, fmt.Sprintf("%s is rostered as lead but has no date of birth recorded", name(w)))
		case w.Qualification.CanLead():
			why = append(why, fmt.Sprintf("%s is rostered as lead but is under 18", name(w)))
		default:
			why = append(why, fmt.Sprintf("%s is rostered as lead but %s", name(w), w.Qualification.words()))
		}
	}
	if len(why) > 0 {
		msg += " (" + joinNames(why) + ")"
	}
	v.Message = msg
	return v
}

func (st *staffing) noFirstAider(o *Occurrence) Violation {
	v := Violation{Code: CodeNoFirstAider, Severity: Shortfall, OccurrenceID: o.ID}
	msg := fmt.Sprintf("Nobody rostered on %s holds a first-aid certificate valid on %s", describeOccurrence(o), dateFromDay(st.lastDay))
	if len(st.lapsedAid) > 0 {
		var why []string
		for _, w := range st.lapsedAid {
			v.WorkerIDs = append(v.WorkerIDs, w.ID)
			why = append(why, fmt.Sprintf("%s expired on %s", possessive(name(w)), w.FirstAidExpires))
		}
		msg += " (" + joinNames(why) + ")"
	}
	v.Message = msg
	return v
}
