package schedule

import (
	"time"

	"github.com/teambition/rrule-go"
)

var london = mustLoadLondon()

// London returns the Europe/London location that every wall-clock time in youthhub uses.
func London() *time.Location { return london }

func mustLoadLondon() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic("schedule: cannot load the Europe/London time zone (import time/tzdata in main): " + err.Error())
	}
	return loc
}

// Occurrence is one dated session of a series. StartsAt and EndsAt are in Europe/London.
type Occurrence struct {
	StartsAt time.Time
	EndsAt   time.Time
}

var rruleWeekday = map[time.Weekday]rrule.Weekday{
	time.Monday:    rrule.MO,
	time.Tuesday:   rrule.TU,
	time.Wednesday: rrule.WE,
	time.Thursday:  rrule.TH,
	time.Friday:    rrule.FR,
	time.Saturday:  rrule.SA,
	time.Sunday:    rrule.SU,
}

// Occurrences returns the sessions of rule that start in [from, to), in start order.
// from and to may be in any location. EndsAt is StartsAt plus rule.Duration in elapsed
// time, so a session that spans a clock change still lasts its full length. See the
// package documentation for start times that fall in a clock change.
//
// The result is empty when to is not after from, when no session falls in the window
// and when the rule fails Validate. For an open-ended rule, to is the horizon.
func Occurrences(rule WeeklyRule, from, to time.Time) []Occurrence {
	if !to.After(from) || Validate(rule) != nil {
		return nil
	}
	hour, minute, _ := parseClock(rule.StartLocal)

	days := make([]rrule.Weekday, 0, len(rule.Days))
	seen := map[time.Weekday]bool{}
	for _, d := range rule.Days {
		if !seen[d] {
			seen[d] = true
			days = append(days, rruleWeekday[d])
		}
	}
	opt := rrule.ROption{
		Freq:      rrule.WEEKLY,
		Wkst:      rrule.MO,
		Byweekday: days,
		Dtstart:   floating(rule.FirstDate, hour, minute),
	}
	if !rule.LastDate.IsZero() {
		opt.Until = floating(rule.LastDate, hour, minute) // UNTIL is inclusive
	}
	rr, err := rrule.NewRRule(opt)
	if err != nil {
		// Unreachable for a rule that passes Validate; no occurrences is the safe answer.
		return nil
	}
	set := &rrule.Set{}
	set.RRule(rr)
	for _, ex := range rule.Exceptions {
		set.ExDate(floating(ex, hour, minute))
	}

	// Widen the window by a day each side in floating time: the instant of a
	// wall-clock time differs from its floating value by the UTC offset (and by the
	// gap shift), and the exact [from, to) test is applied to the real instants below.
	lo := floatingOf(from.In(london)).AddDate(0, 0, -1)
	hi := floatingOf(to.In(london)).AddDate(0, 0, 1)

	var out []Occurrence
	for _, f := range set.Between(lo, hi, true) {
		start := resolveLocal(f)
		if start.Before(from) || !start.Before(to) {
			continue
		}
		out = append(out, Occurrence{StartsAt: start, EndsAt: start.Add(rule.Duration).In(london)})
	}
	return out
}

// floating returns the wall-clock date and time as a UTC value used as a zone-free calendar.
func floating(d Date, hour, minute int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, time.UTC)
}

// floatingOf returns t's wall clock (in t's location) as a floating value.
func floatingOf(t time.Time) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	return time.Date(y, m, d, hh, mm, ss, t.Nanosecond(), time.UTC)
}

// resolveLocal places the floating wall-clock time f in Europe/London following
// RFC 5545 §3.3.5: an ambiguous time is the earlier instant; a non-existent time is
// read with the UTC offset in force before the gap. Europe/London changes offset at
// most once in any 48 hours, so the offsets a day either side are the only candidates.
func resolveLocal(f time.Time) time.Time {
	_, before := f.Add(-24 * time.Hour).In(london).Zone()
	_, after := f.Add(24 * time.Hour).In(london).Zone()
	var best time.Time
	for _, off := range []int{before, after} {
		t := f.Add(-time.Duration(off) * time.Second).In(london)
		if floatingOf(t).Equal(f) && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	if best.IsZero() {
		best = f.Add(-time.Duration(before) * time.Second).In(london)
	}
	return best
}
