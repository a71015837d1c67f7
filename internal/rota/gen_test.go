package rota

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// councilWeeks are the Mondays random councils are built around: an ordinary
// week and the two clock-change weeks of 2027.
var councilWeeks = []time.Time{
	at(2027, time.March, 8, 0, 0),
	at(2027, time.March, 22, 0, 0),   // clocks go forward on Sunday 28 March
	at(2027, time.October, 25, 0, 0), // clocks go back on Sunday 31 October
}

func pick[T any](rng *rand.Rand, xs ...T) T { return xs[rng.IntN(len(xs))] }

func dateAt(t time.Time, days int) Date { return DateOf(t.AddDate(0, 0, days)) }

// randomCouncil builds a week of occurrences at the given number of centres,
// a pool of workers with a spread of ages, qualifications, credentials (some
// lapsing mid-week), leave and availability, and existing shifts: some on the
// week's occurrences, some the weekend before, and up to 16 weeks of history.
func randomCouncil(rng *rand.Rand, centres, occurrences, workers int) Rota {
	mon := councilWeeks[rng.IntN(len(councilWeeks))]
	var r Rota
	for i := range occurrences {
		day := mon.AddDate(0, 0, rng.IntN(7))
		startMin := pick(rng, 10*60, 13*60, 16*60, 17*60, 17*60+30, 18*60, 18*60, 18*60+30, 19*60)
		dur := pick(rng, 60, 90, 120, 120, 150, 180, 240)
		if rng.IntN(40) == 0 { // a late-night or overnight event
			startMin, dur = pick(rng, 22*60, 23*60+30, 30), pick(rng, 120, 180, 240)
		}
		start := time.Date(day.Year(), day.Month(), day.Day(), startMin/60, startMin%60, 0, 0, London())
		o := Occurrence{
			ID:         fmt.Sprintf("o%04d", i),
			CentreName: fmt.Sprintf("Centre %d", rng.IntN(centres)+1),
			Start:      start,
			End:        start.Add(time.Duration(dur) * time.Minute),
			Mode:       pick(rng, Bookable, Bookable, DropIn),
			Capacity:   10 + rng.IntN(31),
		}
		o.ConfirmedBookings = rng.IntN(o.Capacity + 1)
		if rng.IntN(5) == 0 {
			o.Ratio = 4
			o.Capacity = 4 + rng.IntN(13)
			o.ConfirmedBookings = rng.IntN(o.Capacity + 1)
		}
		r.Occurrences = append(r.Occurrences, o)
	}
	for i := range workers {
		w := Worker{
			ID:            fmt.Sprintf("w%04d", i),
			Name:          fmt.Sprintf("Worker %d", i),
			Qualification: pick(rng, QualificationNone, QualificationNone, QualificationJNC2, QualificationJNC3, QualificationJNC3, QualificationJNC6Plus),
			DBS: DBS{Enhanced: true, ChildrensBarredList: true,
				NextCheckDue: dateAt(mon, 30+rng.IntN(900))},
			SafeguardingExpires: dateAt(mon, 30+rng.IntN(700)),
			ContractedHours:     pick(rng, 0.0, 10, 16, 22.5, 37, 37),
			OptedOut:            rng.IntN(5) == 0,
		}
		w.Volunteer = w.ContractedHours == 0 && rng.IntN(2) == 0
		switch rng.IntN(10) {
		case 0, 1: // under 18, some with an 18th birthday in or near the week
			b := mon.AddDate(-18, 0, rng.IntN(14)-3)
			if rng.IntN(2) == 0 {
				b = mon.AddDate(-16-rng.IntN(2), 0, -rng.IntN(300))
			}
			w.DateOfBirth = DateOf(b)
		default:
			w.DateOfBirth = DateOf(mon.AddDate(-19-rng.IntN(45), 0, -rng.IntN(365)))
		}
		switch rng.IntN(40) {
		case 0:
			w.DBS = DBS{}
		case 1:
			w.DBS.Enhanced = false
		case 2:
			w.DBS.ChildrensBarredList = false
		case 3:
			w.DBS.OnBarredList = true
		case 4, 5, 6:
			w.DBS.NextCheckDue = dateAt(mon, rng.IntN(9)-1) // lapses during the week
		case 7:
			w.DateOfBirth = Date{}
		}
		switch rng.IntN(25) {
		case 0:
			w.SafeguardingExpires = Date{}
		case 1, 2:
			w.SafeguardingExpires = dateAt(mon, rng.IntN(9)-1)
		}
		switch rng.IntN(4) {
		case 0:
		case 1:
			w.FirstAidExpires = dateAt(mon, rng.IntN(9)-1)
		default:
			w.FirstAidExpires = dateAt(mon, 30+rng.IntN(900))
		}
		if rng.IntN(6) == 0 {
			from := rng.IntN(10) - 3
			w.Leave = append(w.Leave, DateRange{dateAt(mon, from), dateAt(mon, from+rng.IntN(5))})
		}
		if rng.IntN(5) < 2 {
			for range 1 + rng.IntN(6) {
				from := ClockOf(pick(rng, 0, 9, 12, 15, 16, 17, 18), pick(rng, 0, 30))
				to := min(from+Clock(60*(2+rng.IntN(8))), ClockOf(24, 0))
				w.Availability = append(w.Availability, Window{time.Weekday(rng.IntN(7)), from, to})
			}
		}
		r.Workers = append(r.Workers, w)

		// History: some workers have worked long weeks for months.
		if rng.IntN(4) == 0 {
			perDay := time.Duration(6+rng.IntN(7)) * time.Hour
			for wk := 1; wk <= 16; wk++ {
				for d := range 3 + rng.IntN(3) {
					day := mon.AddDate(0, 0, -7*wk+d)
					start := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, London())
					r.Shifts = append(r.Shifts, Shift{ID: fmt.Sprintf("h-%s-%d-%d", w.ID, wk, d), OccurrenceID: fmt.Sprintf("hist-%d-%d", wk, d),
						WorkerID: w.ID, Role: RoleWorker, Start: start, End: start.Add(perDay)})
				}
			}
		}
		// The Sunday evening before the week, to test rest into Monday.
		if rng.IntN(8) == 0 {
			sun := mon.AddDate(0, 0, -1)
			start := time.Date(sun.Year(), sun.Month(), sun.Day(), 17+rng.IntN(5), 0, 0, 0, London())
			r.Shifts = append(r.Shifts, Shift{ID: "sun-" + w.ID, OccurrenceID: "sun-" + w.ID, WorkerID: w.ID, Role: RoleWorker,
				Start: start, End: start.Add(3 * time.Hour)})
		}
	}
	// Some occurrences already have someone rostered, rightly or not.
	for i, o := range r.Occurrences {
		if rng.IntN(8) == 0 {
			w := r.Workers[rng.IntN(len(r.Workers))]
			r.Shifts = append(r.Shifts, Shift{ID: fmt.Sprintf("x%d", i), OccurrenceID: o.ID, WorkerID: w.ID,
				Role: pick(rng, RoleLead, RoleWorker), Start: o.Start, End: o.End})
		}
	}
	return r
}
