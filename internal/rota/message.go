package rota

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

func name(w *Worker) string {
	if w.Name != "" {
		return w.Name
	}
	return "Worker " + w.ID
}

func possessive(s string) string { return s + "'s" }

// hours formats d to the minute: "11 hours", "10 hours 59 minutes".
func hours(d time.Duration) string {
	d = d.Round(time.Minute)
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case h == 0:
		return plural(m, "minute")
	case m == 0:
		return plural(h, "hour")
	default:
		return plural(h, "hour") + " " + plural(m, "minute")
	}
}

func longDay(n int) string { return dateOfDay(n).Format("Monday 2 January 2006") }

func dateFromDay(n int) Date {
	y, m, d := dateOfDay(n).Date()
	return Date{y, m, d}
}

// clockRange formats the local times of an interval, "18:00–19:30".
func clockRange(start, end time.Time) string {
	return start.In(london).Format("15:04") + "–" + end.In(london).Format("15:04")
}

// describeOccurrence names an occurrence the way a manager would:
// "Tuesday 18 March 18:00–19:30 at Old Trafford Youth Centre".
func describeOccurrence(o *Occurrence) string {
	s := o.Start.In(london).Format("Monday 2 January") + " " + clockRange(o.Start, o.End)
	if o.CentreName != "" {
		s += " at " + o.CentreName
	}
	return s
}

// describeShift names another shift: "a shift from 17:00 to 19:00 on Tuesday
// 18 March 2027 at Stretford Youth Centre".
func (c *checker) describeShift(e *prepared) string {
	s := fmt.Sprintf("a shift from %s to %s on %s", e.s.Start.Format("15:04"), e.s.End.Format("15:04"), longDay(e.startDay))
	if o := c.occs[e.s.OccurrenceID]; o != nil && o.CentreName != "" {
		s += " at " + o.CentreName
	}
	return s
}

func thisSession(p *prepared) string {
	if p.startDay == p.lastDay {
		return "this session on " + dateFromDay(p.startDay).String()
	}
	return "this session, which ends on " + dateFromDay(p.lastDay).String()
}

func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// violation puts a finding about the proposed or stored shift p into words.
func (c *checker) violation(p *prepared, f finding) Violation {
	v := Violation{Code: f.code, Severity: Hard, OccurrenceID: p.s.OccurrenceID, ShiftID: p.s.ID}
	ws := c.workers[p.s.WorkerID]
	if ws == nil {
		if f.code == CodeUnknownWorker {
			v.Message = "This shift names a worker who is not on the staff list"
		} else {
			v.Message = "This shift has no valid start and end time: it must end after it starts"
		}
		if p.s.WorkerID != "" {
			v.WorkerIDs = []string{p.s.WorkerID}
		}
		return v
	}
	w := ws.w
	v.WorkerIDs = []string{w.ID}
	n := name(w)
	switch f.code {
	case CodeInvalidShift:
		v.Message = fmt.Sprintf("%s shift has no valid start and end time: it must end after it starts", possessive(n))
	case CodeDateOfBirthMissing:
		v.Message = fmt.Sprintf("%s has no date of birth recorded, so the limits for workers under 18 cannot be checked", n)
	case CodeOnLeave:
		if f.leave.From == f.leave.To {
			v.Message = fmt.Sprintf("%s is on leave on %s", n, f.leave.From)
		} else {
			v.Message = fmt.Sprintf("%s is on leave from %s to %s", n, f.leave.From, f.leave.To)
		}
	case CodeOutsideAvailability:
		var pt part
		for _, x := range p.parts {
			if x.day == f.day {
				pt = x
			}
		}
		wd := pt.start.Weekday()
		end := pt.end.Format("15:04")
		if pt.end.Day() != pt.start.Day() {
			end = "24:00"
		}
		var wins []string
		for _, win := range w.Availability {
			if win.Day == wd {
				wins = append(wins, win.From.String()+"–"+win.To.String())
			}
		}
		v.Message = fmt.Sprintf("%s has not said they can work on %ss from %s to %s", n, wd, pt.start.Format("15:04"), end)
		if len(wins) == 0 {
			v.Message += fmt.Sprintf("; they have given no availability on %ss", wd)
		} else {
			v.Message += fmt.Sprintf("; their %s availability is %s", wd, joinNames(wins))
		}
	case CodeDuplicateShift:
		v.Message = fmt.Sprintf("%s is already rostered on this session", n)
	case CodeShiftOverlap:
		e := &c.entries[f.other]
		v.Message = fmt.Sprintf("%s is already on %s, which overlaps this one", n, c.describeShift(e))
	case CodeBarred:
		v.Message = fmt.Sprintf("%s is on the children's barred list and must not work with young people", n)
	case CodeDBSMissing:
		v.Message = fmt.Sprintf("%s has no DBS check recorded; working with young people needs an enhanced check with the children's barred list", n)
	case CodeDBSNotEnhanced:
		v.Message = fmt.Sprintf("%s DBS check is not an enhanced check; working with young people needs an enhanced check with the children's barred list", possessive(n))
	case CodeDBSBarredListNotChecked:
		v.Message = fmt.Sprintf("%s DBS check did not include the children's barred list", possessive(n))
	case CodeDBSExpired:
		v.Message = fmt.Sprintf("%s DBS check was due on %s, before %s", possessive(n), w.DBS.NextCheckDue, thisSession(p))
	case CodeSafeguardingMissing:
		v.Message = fmt.Sprintf("%s has no safeguarding training recorded", n)
	case CodeSafeguardingExpired:
		v.Message = fmt.Sprintf("%s safeguarding training expired on %s, before %s", possessive(n), w.SafeguardingExpires, thisSession(p))
	case CodeRestTooShort, CodeYoungWorkerRest:
		e := &c.entries[f.other]
		v.WorkerIDs = []string{w.ID}
		var between string
		if e.s.End.Compare(p.s.Start) <= 0 {
			between = fmt.Sprintf("the shift ending %s on %s and this one starting %s on %s",
				e.s.End.Format("15:04"), longDay(DateOf(e.s.End).day()), p.s.Start.Format("15:04"), longDay(p.startDay))
		} else {
			between = fmt.Sprintf("this shift ending %s on %s and the shift starting %s on %s",
				p.s.End.Format("15:04"), longDay(DateOf(p.s.End).day()), e.s.Start.Format("15:04"), longDay(e.startDay))
		}
		rule := "adults need at least 11 hours between working days"
		if f.code == CodeYoungWorkerRest {
			rule = "workers under 18 need at least 12 hours between working days"
		}
		v.Message = fmt.Sprintf("%s would have only %s rest between %s; %s", n, hours(f.amount), between, rule)
	case CodeYoungWorkerDay:
		v.Message = fmt.Sprintf("%s is under 18 and would work %s on %s; the limit for under-18s is 8 hours a day", n, hours(f.amount), longDay(f.day))
	case CodeYoungWorkerWeek:
		v.Message = fmt.Sprintf("%s is under 18 and would work %s in the week beginning %s; the limit for under-18s is 40 hours a week", n, hours(f.amount), longDay(f.day))
	case CodeWeeklyAverage:
		v.Message = fmt.Sprintf("%s would work %s in the 17 weeks ending %s, an average of %s a week; the limit is an average of 48 hours a week unless they opt out",
			n, hours(f.amount), longDay(f.day), hours(f.amount/averageWeeks))
	default:
		v.Message = fmt.Sprintf("%s cannot be rostered on this shift", n)
	}
	return v
}

// phrase says why a candidate was not free, for auto-fill's reasons; the
// first form is singular, the second plural.
func phrase(code Code) [2]string {
	switch code {
	case CodeDateOfBirthMissing:
		return [2]string{"has no date of birth recorded", "have no date of birth recorded"}
	case CodeOnLeave:
		return [2]string{"is on leave", "are on leave"}
	case CodeOutsideAvailability:
		return [2]string{"is not available at that time", "are not available at that time"}
	case CodeDuplicateShift:
		return [2]string{"is already rostered on this session", "are already rostered on this session"}
	case CodeShiftOverlap:
		return [2]string{"is already on an overlapping shift", "are already on overlapping shifts"}
	case CodeBarred:
		return [2]string{"is on the children's barred list", "are on the children's barred list"}
	case CodeDBSMissing, CodeDBSNotEnhanced, CodeDBSBarredListNotChecked:
		return [2]string{"has no enhanced DBS check with the children's barred list", "have no enhanced DBS check with the children's barred list"}
	case CodeDBSExpired:
		return [2]string{"has a DBS check that is out of date", "have DBS checks that are out of date"}
	case CodeSafeguardingMissing, CodeSafeguardingExpired:
		return [2]string{"has no valid safeguarding training", "have no valid safeguarding training"}
	case CodeRestTooShort:
		return [2]string{"would not get 11 hours' rest between shifts", "would not get 11 hours' rest between shifts"}
	case CodeYoungWorkerRest:
		return [2]string{"is under 18 and would not get 12 hours' rest between shifts", "are under 18 and would not get 12 hours' rest between shifts"}
	case CodeYoungWorkerDay:
		return [2]string{"is under 18 and would work more than 8 hours that day", "are under 18 and would work more than 8 hours that day"}
	case CodeYoungWorkerWeek:
		return [2]string{"is under 18 and would work more than 40 hours that week", "are under 18 and would work more than 40 hours that week"}
	case CodeWeeklyAverage:
		return [2]string{"would go over the 48-hour weekly average", "would go over the 48-hour weekly average"}
	default:
		return [2]string{"cannot be rostered", "cannot be rostered"}
	}
}

// tally counts why candidates were not free, keyed by their phrase so that
// codes sharing words are counted together.
type tally struct {
	counts map[[2]string]int
	order  [][2]string
}

func (t *tally) add(code Code) {
	if t.counts == nil {
		t.counts = map[[2]string]int{}
	}
	ph := phrase(code)
	if t.counts[ph] == 0 {
		t.order = append(t.order, ph)
	}
	t.counts[ph]++
}

func (t *tally) empty() bool { return len(t.order) == 0 }

// words lists the counts, largest first: "3 leads are on leave, 1 is already
// on an overlapping shift". noun holds the singular and plural of the kind of
// candidate.
func (t *tally) words(noun [2]string) string {
	order := append([][2]string(nil), t.order...)
	slices.SortFunc(order, func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(t.counts[b], t.counts[a]), cmp.Compare(a[0], b[0]))
	})
	items := make([]string, 0, len(order))
	for i, ph := range order {
		n := t.counts[ph]
		form := 0
		if n != 1 {
			form = 1
		}
		if i == 0 {
			items = append(items, fmt.Sprintf("%d %s %s", n, noun[form], ph[form]))
		} else {
			items = append(items, fmt.Sprintf("%d %s", n, ph[form]))
		}
	}
	return strings.Join(items, ", ")
}
