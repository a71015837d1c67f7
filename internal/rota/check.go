package rota

import (
	"cmp"
	"slices"
	"sort"
	"time"
)

// Working-time limits.
const (
	adultRest        = 11 * time.Hour
	youngRest        = 12 * time.Hour
	youngDayLimit    = 8 * time.Hour
	youngWeekLimit   = 40 * time.Hour
	averageWeeks     = 17
	averageWeekLimit = 48 * time.Hour
	averageLimit     = averageWeeks * averageWeekLimit
)

// part is the piece of a shift that falls on one local calendar day.
type part struct {
	day        int // day number, see Date.day
	start, end time.Time
	dur        time.Duration // real elapsed time
}

// prepared is a shift with its times in London and split by day.
type prepared struct {
	s                 Shift
	valid             bool
	parts             []part
	startDay, lastDay int
	dur               time.Duration
}

func prepare(s Shift) prepared {
	p := prepared{s: s}
	if s.Start.IsZero() || s.End.IsZero() || !s.End.After(s.Start) {
		return p
	}
	p.valid = true
	p.s.Start, p.s.End = s.Start.In(london), s.End.In(london)
	for cur := p.s.Start; cur.Before(p.s.End); {
		y, m, d := cur.Date()
		next := time.Date(y, m, d+1, 0, 0, 0, 0, london)
		end := p.s.End
		if next.Before(end) {
			end = next
		}
		p.parts = append(p.parts, part{day: Date{y, m, d}.day(), start: cur, end: end, dur: end.Sub(cur)})
		cur = end
	}
	p.startDay = p.parts[0].day
	p.lastDay = p.parts[len(p.parts)-1].day
	p.dur = p.s.End.Sub(p.s.Start)
	return p
}

// workerState indexes one worker's shifts for the checks.
type workerState struct {
	w         *Worker
	adultFrom int   // day number of the 18th birthday
	list      []int // entry indices, sorted by start
	maxDur    time.Duration
	total     time.Duration
	week      map[int]time.Duration // all hours by week
	youngDay  map[int]time.Duration // under-18 hours by day
	youngWeek map[int]time.Duration // under-18 hours by week
	occ       map[string]int        // shifts per occurrence
}

func (ws *workerState) young(day int) bool { return day < ws.adultFrom }

// checker holds a Rota indexed for the hard rules; AutoFill adds to it.
type checker struct {
	workers map[string]*workerState
	order   []*workerState // by id
	occs    map[string]*Occurrence
	entries []prepared
}

// newChecker indexes r. When only is not empty, just that worker's shifts
// are indexed (the others stay in entries, unprepared, so that indices still
// match r.Shifts): enough to check one of their shifts.
func newChecker(r Rota, only string) *checker {
	c := &checker{
		workers: make(map[string]*workerState, len(r.Workers)),
		occs:    make(map[string]*Occurrence, len(r.Occurrences)),
		entries: make([]prepared, 0, len(r.Shifts)),
	}
	for i := range r.Workers {
		w := &r.Workers[i]
		if _, dup := c.workers[w.ID]; dup || (only != "" && w.ID != only) {
			continue
		}
		dob := w.DateOfBirth
		ws := &workerState{
			w:         w,
			adultFrom: Date{dob.Year + 18, dob.Month, dob.Day}.day(),
			week:      map[int]time.Duration{},
			youngDay:  map[int]time.Duration{},
			youngWeek: map[int]time.Duration{},
			occ:       map[string]int{},
		}
		c.workers[w.ID] = ws
		c.order = append(c.order, ws)
	}
	slices.SortFunc(c.order, func(a, b *workerState) int { return cmp.Compare(a.w.ID, b.w.ID) })
	for i := range r.Occurrences {
		o := &r.Occurrences[i]
		if _, dup := c.occs[o.ID]; !dup {
			c.occs[o.ID] = o
		}
	}
	for _, s := range r.Shifts {
		if only != "" && s.WorkerID != only {
			c.entries = append(c.entries, prepared{s: s})
			continue
		}
		c.entries = append(c.entries, prepare(s))
	}
	for i := range c.entries {
		if ws := c.workers[c.entries[i].s.WorkerID]; ws != nil && c.entries[i].valid {
			ws.list = append(ws.list, i)
			c.account(ws, &c.entries[i])
		}
	}
	for _, ws := range c.order {
		slices.SortFunc(ws.list, func(a, b int) int {
			return cmp.Or(c.entries[a].s.Start.Compare(c.entries[b].s.Start), cmp.Compare(a, b))
		})
	}
	return c
}

// account adds e's hours to the worker's totals.
func (c *checker) account(ws *workerState, e *prepared) {
	young := ws.young(e.startDay)
	for _, pt := range e.parts {
		wk := weekOf(pt.day)
		ws.week[wk] += pt.dur
		if young {
			ws.youngDay[pt.day] += pt.dur
			ws.youngWeek[wk] += pt.dur
		}
	}
	ws.total += e.dur
	ws.maxDur = max(ws.maxDur, e.dur)
	ws.occ[e.s.OccurrenceID]++
}

// add stores a new valid shift for a known worker and returns its index.
func (c *checker) add(p prepared) int {
	i := len(c.entries)
	c.entries = append(c.entries, p)
	ws := c.workers[p.s.WorkerID]
	at, _ := slices.BinarySearchFunc(ws.list, p.s.Start, func(e int, t time.Time) int {
		return c.entries[e].s.Start.Compare(t)
	})
	for at < len(ws.list) && c.entries[ws.list[at]].s.Start.Equal(p.s.Start) {
		at++
	}
	ws.list = slices.Insert(ws.list, at, i)
	c.account(ws, &c.entries[i])
	return i
}

// finding is a broken hard rule before it is put into words.
type finding struct {
	code   Code
	other  int           // entry index of the other shift involved, or -1
	amount time.Duration // rest had, or hours that would be worked
	day    int           // the day, week's Monday or window's Sunday concerned
	leave  DateRange
}

// check returns the hard rules that p breaks against the indexed shifts,
// ignoring entry skip (the shift being replaced or evaluated; -1 for none).
// With all false it stops at the first.
func (c *checker) check(p *prepared, skip int, all bool) []finding {
	if !p.valid {
		return []finding{{code: CodeInvalidShift, other: -1}}
	}
	ws := c.workers[p.s.WorkerID]
	if ws == nil {
		return []finding{{code: CodeUnknownWorker, other: -1}}
	}
	var out []finding
	stop := func(f finding) bool {
		out = append(out, f)
		return !all
	}
	w := ws.w
	var sk *prepared
	if skip >= 0 && c.entries[skip].valid && c.entries[skip].s.WorkerID == w.ID {
		sk = &c.entries[skip]
	} else {
		skip = -1
	}

	if w.DateOfBirth.IsZero() && stop(finding{code: CodeDateOfBirthMissing, other: -1}) {
		return out
	}
	for _, l := range w.Leave {
		if l.From.day() <= p.lastDay && p.startDay <= l.To.day() {
			if stop(finding{code: CodeOnLeave, other: -1, leave: l}) {
				return out
			}
			break
		}
	}
	if len(w.Availability) > 0 {
		if pt, ok := available(w.Availability, p.parts); !ok {
			if stop(finding{code: CodeOutsideAvailability, other: -1, day: pt.day}) {
				return out
			}
		}
	}
	if p.s.OccurrenceID != "" {
		n := ws.occ[p.s.OccurrenceID]
		if sk != nil && sk.s.OccurrenceID == p.s.OccurrenceID {
			n--
		}
		if n > 0 && stop(finding{code: CodeDuplicateShift, other: -1}) {
			return out
		}
	}

	// Overlaps and rest, against the shifts that can come within 12 hours.
	lo := p.s.Start.Add(-ws.maxDur - youngRest)
	hi := p.s.End.Add(youngRest)
	i := sort.Search(len(ws.list), func(i int) bool { return c.entries[ws.list[i]].s.Start.After(lo) })
	for ; i < len(ws.list); i++ {
		idx := ws.list[i]
		e := &c.entries[idx]
		if !e.s.Start.Before(hi) {
			break
		}
		if idx == skip || (p.s.OccurrenceID != "" && e.s.OccurrenceID == p.s.OccurrenceID) {
			continue
		}
		if e.s.Start.Before(p.s.End) && p.s.Start.Before(e.s.End) {
			if stop(finding{code: CodeShiftOverlap, other: idx}) {
				return out
			}
			continue
		}
		if e.startDay == p.startDay {
			continue
		}
		gap, earlierDay := p.s.Start.Sub(e.s.End), e.startDay
		if p.s.End.Compare(e.s.Start) <= 0 {
			gap, earlierDay = e.s.Start.Sub(p.s.End), p.startDay
		}
		need, code := adultRest, CodeRestTooShort
		if ws.young(earlierDay) {
			need, code = youngRest, CodeYoungWorkerRest
		}
		if gap < need && stop(finding{code: code, other: idx, amount: gap}) {
			return out
		}
	}

	lastDay := p.lastDay
	switch d := w.DBS; {
	case d.OnBarredList:
		if stop(finding{code: CodeBarred, other: -1}) {
			return out
		}
	case d.NextCheckDue.IsZero():
		if stop(finding{code: CodeDBSMissing, other: -1}) {
			return out
		}
	default:
		if !d.Enhanced && stop(finding{code: CodeDBSNotEnhanced, other: -1}) {
			return out
		}
		if !d.ChildrensBarredList && stop(finding{code: CodeDBSBarredListNotChecked, other: -1}) {
			return out
		}
		if d.NextCheckDue.day() < lastDay && stop(finding{code: CodeDBSExpired, other: -1, day: lastDay}) {
			return out
		}
	}
	if w.SafeguardingExpires.IsZero() {
		if stop(finding{code: CodeSafeguardingMissing, other: -1}) {
			return out
		}
	} else if w.SafeguardingExpires.day() < lastDay && stop(finding{code: CodeSafeguardingExpired, other: -1, day: lastDay}) {
		return out
	}

	// Under-18 limits on the hours of under-18 shifts.
	skipYoung := sk != nil && ws.young(sk.startDay)
	if ws.young(p.startDay) {
		for _, pt := range p.parts {
			h := ws.youngDay[pt.day] + pt.dur
			if skipYoung {
				h -= partOn(sk, pt.day)
			}
			if h > youngDayLimit && stop(finding{code: CodeYoungWorkerDay, other: -1, amount: h, day: pt.day}) {
				return out
			}
		}
		for wk := weekOf(p.startDay); wk <= weekOf(p.lastDay); wk++ {
			h := ws.youngWeek[wk] + weekPart(p, wk)
			if skipYoung {
				h -= weekPart(sk, wk)
			}
			if h > youngWeekLimit && stop(finding{code: CodeYoungWorkerWeek, other: -1, amount: h, day: mondayOf(wk)}) {
				return out
			}
		}
	}

	// The 48-hour average, for every 17-week window holding p.
	if !w.OptedOut {
		total := ws.total + p.dur
		if sk != nil {
			total -= sk.dur
		}
		if total > averageLimit {
			weekHours := func(wk int) time.Duration {
				h := ws.week[wk] + weekPart(p, wk)
				if sk != nil {
					h -= weekPart(sk, wk)
				}
				return h
			}
			first, last := weekOf(p.startDay), weekOf(p.lastDay)+averageWeeks-1
			for wk := first; wk <= last; wk++ {
				sunday := mondayOf(wk) + 6
				if ws.young(sunday) || weekHours(wk) == 0 {
					continue
				}
				var sum time.Duration
				for k := wk - averageWeeks + 1; k <= wk; k++ {
					sum += weekHours(k)
				}
				if sum > averageLimit {
					stop(finding{code: CodeWeeklyAverage, other: -1, amount: sum, day: sunday})
					return out
				}
			}
		}
	}
	return out
}

// partOn returns the hours of p on day.
func partOn(p *prepared, day int) time.Duration {
	for _, pt := range p.parts {
		if pt.day == day {
			return pt.dur
		}
	}
	return 0
}

// weekPart returns the hours of p in week wk.
func weekPart(p *prepared, wk int) time.Duration {
	var h time.Duration
	for _, pt := range p.parts {
		if weekOf(pt.day) == wk {
			h += pt.dur
		}
	}
	return h
}

// available reports whether every minute of the parts lies inside the
// windows; if not, it returns the first part that does not.
func available(wins []Window, parts []part) (part, bool) {
	for _, pt := range parts {
		wd := pt.start.Weekday()
		from := secondOfDay(pt.start)
		to := secondOfDay(pt.end)
		if pt.end.Day() != pt.start.Day() || pt.end.Month() != pt.start.Month() {
			to = 24 * 3600
		}
		if time.Duration(to-from)*time.Second == pt.dur {
			if !covered(wins, wd, from, to) {
				return pt, false
			}
			continue
		}
		// The clocks change inside this part: check the wall clock minute by
		// minute.
		for t := pt.start; t.Before(pt.end); t = t.Add(time.Minute) {
			s := secondOfDay(t)
			if !covered(wins, wd, s, min(s+60, 24*3600)) {
				return pt, false
			}
		}
	}
	return part{}, true
}

func secondOfDay(t time.Time) int { return t.Hour()*3600 + t.Minute()*60 + t.Second() }

// covered reports whether the windows of weekday wd together cover the
// seconds [from, to).
func covered(wins []Window, wd time.Weekday, from, to int) bool {
	for cur := from; cur < to; {
		ext := cur
		for _, w := range wins {
			if w.Day == wd && int(w.From)*60 <= cur && int(w.To)*60 > ext {
				ext = int(w.To) * 60
			}
		}
		if ext == cur {
			return false
		}
		cur = ext
	}
	return true
}
