package rota

import (
	"strings"
	"testing"
	"time"
)

func with(w Worker, f func(*Worker)) Worker { f(&w); return w }

// fullWeeks returns 48-hour weeks (Monday to Thursday, 08:00–20:00) for n
// weeks from the Monday mon.
func fullWeeks(worker string, mon time.Time, n int) []Shift {
	var out []Shift
	for wk := range n {
		for d := range 4 {
			day := mon.AddDate(0, 0, wk*7+d)
			start := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, London())
			out = append(out, sh("h", "hist", worker, start, start.Add(12*time.Hour)))
		}
	}
	return out
}

func TestCheckShift(t *testing.T) {
	sam := adult("w1", "Sam Patel")
	// Jo is 17 throughout 2027 (18 on 1 January 2028).
	jo := born(adult("w2", "Jo Bloggs"), Date{2010, time.January, 1})
	// Ava turns 18 on Sunday 7 March 2027; Ben on Thursday 4 March 2027.
	ava := born(adult("w3", "Ava Shah"), Date{2009, time.March, 7})
	ben := born(adult("w4", "Ben Ode"), Date{2009, time.March, 4})
	p := func(w Worker, start, end time.Time) Shift { return sh("", "new", w.ID, start, end) }
	e := func(w Worker, start, end time.Time) Shift { return sh("e", "old", w.ID, start, end) }
	// Week of Monday 8 March 2027: 17 weeks back starts Monday 16 November 2026.
	histStart := at(2026, time.November, 16, 0, 0)

	tests := []struct {
		name     string
		worker   Worker
		existing []Shift
		proposed Shift
		want     []Code
	}{
		// Rest between working days, adults.
		{"adult rest exactly 11h", sam, []Shift{e(sam, at(2027, 3, 1, 12, 0), at(2027, 3, 1, 22, 0))},
			p(sam, at(2027, 3, 2, 9, 0), at(2027, 3, 2, 12, 0)), nil},
		{"adult rest 10h59", sam, []Shift{e(sam, at(2027, 3, 1, 12, 0), at(2027, 3, 1, 22, 0))},
			p(sam, at(2027, 3, 2, 8, 59), at(2027, 3, 2, 12, 0)), []Code{CodeRestTooShort}},
		{"adult rest 10h59 before an existing shift", sam, []Shift{e(sam, at(2027, 3, 2, 9, 0), at(2027, 3, 2, 12, 0))},
			p(sam, at(2027, 3, 1, 12, 0), at(2027, 3, 1, 22, 1)), []Code{CodeRestTooShort}},
		{"same working day needs no rest", sam, []Shift{e(sam, at(2027, 3, 1, 9, 0), at(2027, 3, 1, 12, 0))},
			p(sam, at(2027, 3, 1, 13, 0), at(2027, 3, 1, 16, 0)), nil},
		{"shift past midnight then next day 10h59 later", sam, []Shift{e(sam, at(2027, 3, 1, 20, 0), at(2027, 3, 2, 1, 0))},
			p(sam, at(2027, 3, 2, 11, 59), at(2027, 3, 2, 14, 0)), []Code{CodeRestTooShort}},

		// Rest, under 18.
		{"under-18 rest exactly 12h", jo, []Shift{e(jo, at(2027, 3, 1, 16, 0), at(2027, 3, 1, 21, 0))},
			p(jo, at(2027, 3, 2, 9, 0), at(2027, 3, 2, 12, 0)), nil},
		{"under-18 rest 11h59", jo, []Shift{e(jo, at(2027, 3, 1, 16, 0), at(2027, 3, 1, 21, 0))},
			p(jo, at(2027, 3, 2, 8, 59), at(2027, 3, 2, 12, 0)), []Code{CodeYoungWorkerRest}},
		{"under-18 rest 11h is not enough", jo, []Shift{e(jo, at(2027, 3, 1, 16, 0), at(2027, 3, 1, 21, 0))},
			p(jo, at(2027, 3, 2, 8, 0), at(2027, 3, 2, 12, 0)), []Code{CodeYoungWorkerRest}},

		// Overlap.
		{"back to back is not an overlap", sam, []Shift{e(sam, at(2027, 3, 2, 18, 0), at(2027, 3, 2, 19, 30))},
			p(sam, at(2027, 3, 2, 19, 30), at(2027, 3, 2, 21, 0)), nil},
		{"one minute overlap", sam, []Shift{e(sam, at(2027, 3, 2, 18, 0), at(2027, 3, 2, 19, 31))},
			p(sam, at(2027, 3, 2, 19, 30), at(2027, 3, 2, 21, 0)), []Code{CodeShiftOverlap}},
		{"same occurrence twice", sam, []Shift{sh("e", "new", sam.ID, at(2027, 3, 2, 18, 0), at(2027, 3, 2, 19, 30))},
			p(sam, at(2027, 3, 2, 18, 0), at(2027, 3, 2, 19, 30)), []Code{CodeDuplicateShift}},

		// Leave (inclusive date range).
		{"first day of leave", with(sam, func(w *Worker) { w.Leave = []DateRange{{Date{2027, 3, 1}, Date{2027, 3, 5}}} }), nil,
			p(sam, at(2027, 3, 1, 18, 0), at(2027, 3, 1, 20, 0)), []Code{CodeOnLeave}},
		{"last day of leave", with(sam, func(w *Worker) { w.Leave = []DateRange{{Date{2027, 3, 1}, Date{2027, 3, 5}}} }), nil,
			p(sam, at(2027, 3, 5, 18, 0), at(2027, 3, 5, 20, 0)), []Code{CodeOnLeave}},
		{"day after leave", with(sam, func(w *Worker) { w.Leave = []DateRange{{Date{2027, 3, 1}, Date{2027, 3, 5}}} }), nil,
			p(sam, at(2027, 3, 6, 9, 0), at(2027, 3, 6, 12, 0)), nil},
		{"day before leave", with(sam, func(w *Worker) { w.Leave = []DateRange{{Date{2027, 3, 1}, Date{2027, 3, 5}}} }), nil,
			p(sam, at(2027, 2, 28, 18, 0), at(2027, 2, 28, 23, 0)), nil},
		{"night shift running into leave", with(sam, func(w *Worker) { w.Leave = []DateRange{{Date{2027, 3, 1}, Date{2027, 3, 5}}} }), nil,
			p(sam, at(2027, 2, 28, 22, 0), at(2027, 3, 1, 1, 0)), []Code{CodeOnLeave}},

		// Availability.
		{"inside availability", with(sam, func(w *Worker) { w.Availability = []Window{{time.Monday, ClockOf(17, 0), ClockOf(22, 0)}} }), nil,
			p(sam, at(2027, 3, 1, 17, 0), at(2027, 3, 1, 22, 0)), nil},
		{"starts a minute before availability", with(sam, func(w *Worker) { w.Availability = []Window{{time.Monday, ClockOf(17, 0), ClockOf(22, 0)}} }), nil,
			p(sam, at(2027, 3, 1, 16, 59), at(2027, 3, 1, 21, 0)), []Code{CodeOutsideAvailability}},
		{"ends a minute after availability", with(sam, func(w *Worker) { w.Availability = []Window{{time.Monday, ClockOf(17, 0), ClockOf(22, 0)}} }), nil,
			p(sam, at(2027, 3, 1, 18, 0), at(2027, 3, 1, 22, 1)), []Code{CodeOutsideAvailability}},
		{"available on another weekday only", with(sam, func(w *Worker) { w.Availability = []Window{{time.Tuesday, ClockOf(17, 0), ClockOf(22, 0)}} }), nil,
			p(sam, at(2027, 3, 1, 18, 0), at(2027, 3, 1, 20, 0)), []Code{CodeOutsideAvailability}},
		{"touching windows act as one", with(sam, func(w *Worker) {
			w.Availability = []Window{{time.Monday, ClockOf(19, 0), ClockOf(22, 0)}, {time.Monday, ClockOf(17, 0), ClockOf(19, 0)}}
		}), nil, p(sam, at(2027, 3, 1, 18, 0), at(2027, 3, 1, 21, 0)), nil},
		{"gap between windows", with(sam, func(w *Worker) {
			w.Availability = []Window{{time.Monday, ClockOf(19, 1), ClockOf(22, 0)}, {time.Monday, ClockOf(17, 0), ClockOf(19, 0)}}
		}), nil, p(sam, at(2027, 3, 1, 18, 0), at(2027, 3, 1, 21, 0)), []Code{CodeOutsideAvailability}},
		{"past midnight into the next day's window", with(sam, func(w *Worker) {
			w.Availability = []Window{{time.Monday, ClockOf(20, 0), ClockOf(24, 0)}, {time.Tuesday, ClockOf(0, 0), ClockOf(2, 0)}}
		}), nil, p(sam, at(2027, 3, 1, 22, 0), at(2027, 3, 2, 1, 0)), nil},
		{"past midnight without the next day's window", with(sam, func(w *Worker) {
			w.Availability = []Window{{time.Monday, ClockOf(20, 0), ClockOf(24, 0)}}
		}), nil, p(sam, at(2027, 3, 1, 22, 0), at(2027, 3, 2, 1, 0)), []Code{CodeOutsideAvailability}},

		// DBS and safeguarding, inclusive dates.
		{"DBS due the day after", with(sam, func(w *Worker) { w.DBS.NextCheckDue = Date{2027, 3, 11} }), nil,
			p(sam, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)), nil},
		{"DBS due on the day", with(sam, func(w *Worker) { w.DBS.NextCheckDue = Date{2027, 3, 10} }), nil,
			p(sam, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)), nil},
		{"DBS due the day before", with(sam, func(w *Worker) { w.DBS.NextCheckDue = Date{2027, 3, 9} }), nil,
			p(sam, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)), []Code{CodeDBSExpired}},
		{"DBS due on the day of a shift ending after midnight", with(sam, func(w *Worker) { w.DBS.NextCheckDue = Date{2027, 3, 10} }), nil,
			p(sam, at(2027, 3, 10, 22, 0), at(2027, 3, 11, 1, 0)), []Code{CodeDBSExpired}},
		{"no DBS", with(sam, func(w *Worker) { w.DBS = DBS{} }), nil,
			p(sam, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)), []Code{CodeDBSMissing}},
		{"standard DBS", with(sam, func(w *Worker) { w.DBS.Enhanced = false }), nil,
			p(sam, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)), []Code{CodeDBSNotEnhanced}},
		{"DBS without the barred list", with(sam, func(w *Worker) { w.DBS.ChildrensBarredList = false }), nil,
			p(sam, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)), []Code{CodeDBSBarredListNotChecked}},
		{"on the barred list", with(sam, func(w *Worker) { w.DBS.OnBarredList = true }), nil,
			p(sam, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)), []Code{CodeBarred}},
		{"safeguarding expires on the day", with(sam, func(w *Worker) { w.SafeguardingExpires = Date{2027, 3, 10} }), nil,
			p(sam, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)), nil},
		{"safeguarding expired the day before", with(sam, func(w *Worker) { w.SafeguardingExpires = Date{2027, 3, 9} }), nil,
			p(sam, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)), []Code{CodeSafeguardingExpired}},
		{"no safeguarding", with(sam, func(w *Worker) { w.SafeguardingExpires = Date{} }), nil,
			p(sam, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)), []Code{CodeSafeguardingMissing}},
		{"every credential missing", with(sam, func(w *Worker) { w.DBS = DBS{NextCheckDue: Date{2027, 1, 1}}; w.SafeguardingExpires = Date{} }), nil,
			p(sam, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)),
			[]Code{CodeDBSNotEnhanced, CodeDBSBarredListNotChecked, CodeDBSExpired, CodeSafeguardingMissing}},

		// Bad input.
		{"no date of birth", with(sam, func(w *Worker) { w.DateOfBirth = Date{} }), nil,
			p(sam, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)), []Code{CodeDateOfBirthMissing}},
		{"unknown worker", sam, nil, sh("", "new", "nobody", at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)), []Code{CodeUnknownWorker}},
		{"ends before it starts", sam, nil, p(sam, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 17, 0)), []Code{CodeInvalidShift}},
		{"no times", sam, nil, sh("", "new", sam.ID, time.Time{}, time.Time{}), []Code{CodeInvalidShift}},

		// Under-18 day: at most 8 hours.
		{"under-18 8h day", jo, nil, p(jo, at(2027, 3, 1, 9, 0), at(2027, 3, 1, 17, 0)), nil},
		{"under-18 8h01 day", jo, nil, p(jo, at(2027, 3, 1, 9, 0), at(2027, 3, 1, 17, 1)), []Code{CodeYoungWorkerDay}},
		{"under-18 two shifts making 8h", jo, []Shift{e(jo, at(2027, 3, 1, 9, 0), at(2027, 3, 1, 13, 0))},
			p(jo, at(2027, 3, 1, 14, 0), at(2027, 3, 1, 18, 0)), nil},
		{"under-18 two shifts making 8h30", jo, []Shift{e(jo, at(2027, 3, 1, 9, 0), at(2027, 3, 1, 13, 0))},
			p(jo, at(2027, 3, 1, 14, 0), at(2027, 3, 1, 18, 30)), []Code{CodeYoungWorkerDay}},
		{"adult 10h day", sam, nil, p(sam, at(2027, 3, 1, 9, 0), at(2027, 3, 1, 19, 0)), nil},

		// Under-18 week (Monday–Sunday): at most 40 hours.
		{"under-18 40h week", jo, youngDays(jo.ID, 1, 4), p(jo, at(2027, 3, 5, 9, 0), at(2027, 3, 5, 17, 0)), nil},
		{"under-18 40h week plus an hour", jo, youngDays(jo.ID, 1, 5),
			p(jo, at(2027, 3, 6, 9, 0), at(2027, 3, 6, 10, 0)), []Code{CodeYoungWorkerWeek}},
		{"under-18 next Monday starts a new week", jo, youngDays(jo.ID, 1, 5),
			p(jo, at(2027, 3, 8, 9, 0), at(2027, 3, 8, 17, 0)), nil},

		// 18th birthday mid-week.
		{"day before 18th birthday: 9h refused", ben, nil,
			p(ben, at(2027, 3, 3, 9, 0), at(2027, 3, 3, 18, 0)), []Code{CodeYoungWorkerDay}},
		{"18th birthday: 10h allowed", ben, nil,
			p(ben, at(2027, 3, 4, 9, 0), at(2027, 3, 4, 19, 0)), nil},
		{"rest from an under-18 shift into the birthday needs 12h", ben, []Shift{e(ben, at(2027, 3, 3, 14, 0), at(2027, 3, 3, 22, 0))},
			p(ben, at(2027, 3, 4, 9, 30), at(2027, 3, 4, 12, 0)), []Code{CodeYoungWorkerRest}},
		{"rest from the birthday onwards is 11h", ben, []Shift{e(ben, at(2027, 3, 4, 12, 0), at(2027, 3, 4, 22, 0))},
			p(ben, at(2027, 3, 5, 9, 0), at(2027, 3, 5, 12, 0)), nil},
		{"40h under 18, then an hour on the Saturday before the birthday", ava, youngDays(ava.ID, 1, 5),
			p(ava, at(2027, 3, 6, 9, 0), at(2027, 3, 6, 10, 0)), []Code{CodeYoungWorkerWeek}},
		{"40h under 18, then a shift on the Sunday birthday", ava, youngDays(ava.ID, 1, 5),
			p(ava, at(2027, 3, 7, 9, 0), at(2027, 3, 7, 19, 0)), nil},

		// 48-hour average over the 17 weeks ending with the shift's week.
		{"average exactly 48h", sam, append(fullWeeks(sam.ID, histStart, 16), fullWeeks(sam.ID, at(2027, 3, 8, 0, 0), 1)[:3]...),
			p(sam, at(2027, 3, 11, 8, 0), at(2027, 3, 11, 20, 0)), nil},
		{"average a minute over 48h", sam, append(fullWeeks(sam.ID, histStart, 16), fullWeeks(sam.ID, at(2027, 3, 8, 0, 0), 1)[:3]...),
			p(sam, at(2027, 3, 11, 8, 0), at(2027, 3, 11, 20, 1)), []Code{CodeWeeklyAverage}},
		{"average over 48h but opted out", with(sam, func(w *Worker) { w.OptedOut = true }), append(fullWeeks(sam.ID, histStart, 16), fullWeeks(sam.ID, at(2027, 3, 8, 0, 0), 1)[:3]...),
			p(sam, at(2027, 3, 11, 8, 0), at(2027, 3, 11, 20, 1)), nil},
		{"the 18th week back is outside the window", sam,
			append(append(fullWeeks(sam.ID, histStart, 16), fullWeeks(sam.ID, at(2027, 3, 8, 0, 0), 1)[:3]...), e(sam, at(2026, 11, 13, 8, 0), at(2026, 11, 13, 20, 0))),
			p(sam, at(2027, 3, 11, 8, 0), at(2027, 3, 11, 20, 0)), nil},
		{"an early shift pushes a later window over", sam, fullWeeks(sam.ID, histStart, 17),
			p(sam, at(2026, 11, 20, 8, 0), at(2026, 11, 20, 9, 0)), []Code{CodeWeeklyAverage}},
		{"a shift before every window is fine", sam, fullWeeks(sam.ID, histStart, 17),
			p(sam, at(2026, 11, 13, 8, 0), at(2026, 11, 13, 9, 0)), nil},

		// Clock changes: rest is real elapsed time. 28 March 2027 the clocks go
		// forward at 01:00; 31 October 2027 they go back at 02:00.
		{"March: 12h on the wall, 11h real, adult", sam, []Shift{e(sam, at(2027, 3, 27, 17, 0), at(2027, 3, 27, 21, 30))},
			p(sam, at(2027, 3, 28, 9, 30), at(2027, 3, 28, 12, 0)), nil},
		{"March: 11h59 on the wall, 10h59 real, adult", sam, []Shift{e(sam, at(2027, 3, 27, 17, 0), at(2027, 3, 27, 21, 30))},
			p(sam, at(2027, 3, 28, 9, 29), at(2027, 3, 28, 12, 0)), []Code{CodeRestTooShort}},
		{"March: 12h on the wall, 11h real, under 18", jo, []Shift{e(jo, at(2027, 3, 27, 17, 0), at(2027, 3, 27, 21, 30))},
			p(jo, at(2027, 3, 28, 9, 30), at(2027, 3, 28, 12, 0)), []Code{CodeYoungWorkerRest}},
		{"October: 10h on the wall, 11h real, adult", sam, []Shift{e(sam, at(2027, 10, 30, 17, 0), at(2027, 10, 30, 22, 0))},
			p(sam, at(2027, 10, 31, 8, 0), at(2027, 10, 31, 12, 0)), nil},
		{"October: 9h59 on the wall, 10h59 real, adult", sam, []Shift{e(sam, at(2027, 10, 30, 17, 0), at(2027, 10, 30, 22, 0))},
			p(sam, at(2027, 10, 31, 7, 59), at(2027, 10, 31, 12, 0)), []Code{CodeRestTooShort}},
		{"October: 11h on the wall, 12h real, under 18", jo, []Shift{e(jo, at(2027, 10, 30, 17, 0), at(2027, 10, 30, 21, 0))},
			p(jo, at(2027, 10, 31, 8, 0), at(2027, 10, 31, 12, 0)), nil},
		{"March: 8h on the wall is 7h real, under 18", jo, nil,
			p(jo, at(2027, 3, 28, 0, 30), at(2027, 3, 28, 8, 30)), nil},
		{"October: 7h30 on the wall is 8h30 real, under 18", jo, nil,
			p(jo, at(2027, 10, 31, 0, 30), at(2027, 10, 31, 8, 0)), []Code{CodeYoungWorkerDay}},
		{"October week: 2h on the wall is 3h real, over 40h under 18", jo, weekOf75(jo.ID, at(2027, 10, 25, 9, 0)),
			p(jo, at(2027, 10, 31, 0, 30), at(2027, 10, 31, 2, 30)), []Code{CodeYoungWorkerWeek}},
		{"March week: 2h30 on the wall is 1h30 real, 39h under 18", jo, weekOf75(jo.ID, at(2027, 3, 22, 9, 0)),
			p(jo, at(2027, 3, 28, 0, 30), at(2027, 3, 28, 3, 0)), nil},
		{"October: repeated hour inside availability", with(sam, func(w *Worker) { w.Availability = []Window{{time.Sunday, ClockOf(0, 0), ClockOf(3, 0)}} }), nil,
			p(sam, at(2027, 10, 31, 0, 30), at(2027, 10, 31, 2, 30)), nil},
		{"October: repeated hour outside availability", with(sam, func(w *Worker) { w.Availability = []Window{{time.Sunday, ClockOf(1, 30), ClockOf(3, 0)}} }), nil,
			p(sam, time.Date(2027, 10, 31, 0, 30, 0, 0, time.UTC), at(2027, 10, 31, 2, 30)), []Code{CodeOutsideAvailability}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Rota{Workers: []Worker{tc.worker}, Shifts: tc.existing}
			wantCodes(t, CheckShift(r, tc.proposed), tc.want...)
		})
	}
}

// weekOf75 returns five 7h30 shifts, Monday to Friday, from start.
func weekOf75(worker string, start time.Time) []Shift {
	var out []Shift
	for i := range 5 {
		s := start.AddDate(0, 0, i)
		out = append(out, sh("y", "old", worker, s, s.Add(7*time.Hour+30*time.Minute)))
	}
	return out
}

// youngDays returns n 8-hour shifts (09:00–17:00) on consecutive days from
// day d of March 2027.
func youngDays(worker string, d, n int) []Shift {
	var out []Shift
	for i := range n {
		out = append(out, sh("y", "old", worker, at(2027, 3, d+i, 9, 0), at(2027, 3, d+i, 17, 0)))
	}
	return out
}

func TestCheckShiftUpdateIgnoresTheOldVersion(t *testing.T) {
	sam := adult("w1", "Sam Patel")
	old := sh("s1", "o1", sam.ID, at(2027, 3, 2, 18, 0), at(2027, 3, 2, 19, 30))
	moved := old
	moved.End = at(2027, 3, 2, 20, 0)
	r := Rota{Workers: []Worker{sam}, Shifts: []Shift{old}}
	wantCodes(t, CheckShift(r, moved))
	moved.ID = ""
	wantCodes(t, CheckShift(r, moved), CodeDuplicateShift)
}

func TestMessages(t *testing.T) {
	sam := adult("w1", "Sam Patel")
	jo := born(adult("w2", "Jo Bloggs"), Date{2010, time.January, 1})
	occ := Occurrence{ID: "o1", CentreName: "Old Trafford Youth Centre", Start: at(2027, 3, 9, 17, 0), End: at(2027, 3, 9, 19, 0)}
	tests := []struct {
		name     string
		workers  []Worker
		existing []Shift
		proposed Shift
		want     string
	}{
		{"dbs", []Worker{with(sam, func(w *Worker) { w.DBS.NextCheckDue = Date{2027, 3, 3} })}, nil,
			sh("", "o2", sam.ID, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)),
			"Sam Patel's DBS check was due on 3 March 2027, before this session on 10 March 2027"},
		{"rest", []Worker{sam}, []Shift{sh("e", "o1", sam.ID, at(2027, 3, 9, 12, 0), at(2027, 3, 9, 23, 0))},
			sh("", "o2", sam.ID, at(2027, 3, 10, 9, 59), at(2027, 3, 10, 12, 0)),
			"Sam Patel would have only 10 hours 59 minutes rest between the shift ending 23:00 on Tuesday 9 March 2027 and this one starting 09:59 on Wednesday 10 March 2027; adults need at least 11 hours between working days"},
		{"overlap", []Worker{sam}, []Shift{sh("e", "o1", sam.ID, occ.Start, occ.End)},
			sh("", "o2", sam.ID, at(2027, 3, 9, 18, 0), at(2027, 3, 9, 20, 0)),
			"Sam Patel is already on a shift from 17:00 to 19:00 on Tuesday 9 March 2027 at Old Trafford Youth Centre, which overlaps this one"},
		{"leave", []Worker{with(sam, func(w *Worker) { w.Leave = []DateRange{{Date{2027, 3, 8}, Date{2027, 3, 12}}} })}, nil,
			sh("", "o2", sam.ID, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)),
			"Sam Patel is on leave from 8 March 2027 to 12 March 2027"},
		{"availability", []Worker{with(sam, func(w *Worker) { w.Availability = []Window{{time.Wednesday, ClockOf(9, 0), ClockOf(17, 0)}} })}, nil,
			sh("", "o2", sam.ID, at(2027, 3, 10, 18, 0), at(2027, 3, 10, 20, 0)),
			"Sam Patel has not said they can work on Wednesdays from 18:00 to 20:00; their Wednesday availability is 09:00–17:00"},
		{"young day", []Worker{jo}, nil,
			sh("", "o2", jo.ID, at(2027, 3, 10, 9, 0), at(2027, 3, 10, 17, 30)),
			"Jo Bloggs is under 18 and would work 8 hours 30 minutes on Wednesday 10 March 2027; the limit for under-18s is 8 hours a day"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Rota{Workers: tc.workers, Occurrences: []Occurrence{occ}, Shifts: tc.existing}
			vs := CheckShift(r, tc.proposed)
			if len(vs) != 1 || vs[0].Message != tc.want {
				t.Fatalf("got %+v\nwant message %q", vs, tc.want)
			}
			if vs[0].Severity != Hard || vs[0].OccurrenceID != "o2" || len(vs[0].WorkerIDs) != 1 || vs[0].WorkerIDs[0] != tc.proposed.WorkerID {
				t.Errorf("violation fields = %+v", vs[0])
			}
			if strings.Contains(vs[0].Message, tc.proposed.WorkerID) {
				t.Errorf("message shows an id: %q", vs[0].Message)
			}
		})
	}
}
