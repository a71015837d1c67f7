package seed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"youthhub/internal/booking"
	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/register"
	"youthhub/internal/schedule"
	"youthhub/internal/staffing"
	"youthhub/internal/timetable"
)

// demoYoungPeople are Trafford young people registered at the door by staff,
// as walk-ins are: no email and no password, so nobody signs in as them.
// Ages run from 11 to 18 (11 + index mod 8). Their bookings, walk-ins and
// register marks are the demo's activity; the demo logins (young@demo.test,
// child@demo.test) are never booked, so that they start with nothing.
var demoYoungPeople = []struct{ first, last string }{
	{"Isla", "Murray"}, {"Noah", "Patel"}, {"Zara", "Hussain"}, {"Leo", "Walsh"},
	{"Maya", "Kowalski"}, {"Ethan", "Morris"}, {"Freya", "Taylor"}, {"Kai", "Johnson"},
	{"Amara", "Okoye"}, {"Harry", "Byrne"}, {"Sofia", "Rossi"}, {"Jayden", "Campbell"},
	{"Poppy", "Wilson"}, {"Yusuf", "Ali"}, {"Ruby", "Doherty"}, {"Oscar", "Nowak"},
	{"Layla", "Ahmed"}, {"Finley", "Jones"}, {"Imogen", "Price"}, {"Mason", "Green"},
	{"Grace", "Adeyemi"}, {"Reuben", "Cohen"}, {"Niamh", "Kelly"}, {"Tyler", "Roberts"},
	{"Eliza", "Grant"}, {"Ibrahim", "Mahmood"}, {"Millie", "Edwards"}, {"Callum", "Fraser"},
	{"Anaya", "Sharma"}, {"Alfie", "Turner"}, {"Evie", "Lewis"}, {"Muhammad", "Iqbal"},
	{"Lily", "Thompson"}, {"Jacob", "Wright"}, {"Ellie", "Walker"}, {"Samuel", "Mensah"},
	{"Hollie", "Fletcher"}, {"Dylan", "Hall"}, {"Amira", "Saleh"}, {"Riley", "Cooper"},
}

// historyWeeks is how far back the finished demo series run.
const historyWeeks = 16

// demoHistory are weekly series that ran over the last few months and ended
// yesterday, one per kind of provider, so that the registers have a history
// and the coverage page's reach (attendance in the last 12 months) is not
// zero. regular picks the young people (by index) who come most weeks.
var demoHistory = []struct {
	centre  string
	in      timetable.Input
	regular func(i int) bool
}{
	{"Sale West Youth Centre (Integrated with Sale West Community Centre)", timetable.Input{Title: "Street dance", Category: "arts",
		AgeMin: 11, AgeMax: 18, BookingMode: "bookable", Capacity: 16, Days: []string{"wednesday"}, StartTime: "18:00", DurationMinutes: 90,
		Description: "A street dance course with a professional choreographer, ending in a showcase for families.",
		WhatToBring: "Comfortable clothes, trainers and a water bottle"}, func(i int) bool { return i%3 != 0 }},
	{"St John's Centre (Old Trafford Community Hub)", timetable.Input{Title: "Homework club", Category: "advice_support",
		AgeMin: 11, AgeMax: 16, BookingMode: "drop_in", Capacity: 30, Days: []string{"tuesday"}, StartTime: "16:00", DurationMinutes: 90,
		Description: "Help with homework and revision from volunteer tutors, with toast and a quiet room. Just turn up."},
		func(i int) bool { return i%2 == 0 }},
	{"Woodsend Fields (Football Changing Rooms) Integrated with Community Centre", timetable.Input{Title: "Saturday football",
		Category: "sport", AgeMin: 11, AgeMax: 18, BookingMode: "drop_in", Capacity: 40, Days: []string{"saturday"}, StartTime: "10:30",
		DurationMinutes: 120, Description: "Informal football on the Woodsend Fields pitches, for every ability. Just turn up."},
		func(i int) bool { return i%2 == 1 }},
}

// Today's session: a one-off at a Trafford youth centre that started a
// little before the seed ran, so that its register is open.
const (
	todayTitle    = "Games and chill"
	todayCentre   = "Lostock Youth Centre"
	todayBooked   = 12
	todayCapacity = 20
	todayMinutes  = 180
)

// demoUpcoming are the bookings on the next sessions of the weekly demo
// series (seedSeries): nth is 0 for the next one. Music studio ends up full
// with a short waiting list; One-to-one mentoring, Friday youth club (drop-in)
// and every session at Davyhulme other than SEND social are left alone.
var demoUpcoming = []struct {
	title     string
	nth, want int
}{
	{"Tuesday football", 0, 15},
	{"Tuesday football", 1, 9},
	{"Music studio", 0, 11}, // 8 places: 8 booked, 3 on the waiting list
	{"SEND social", 0, 5},
	{"Cooking on a budget", 0, 6},
}

type person struct {
	ID          string    `db:"id"`
	DateOfBirth time.Time `db:"date_of_birth"`
	index       int
}

// ageOn is the person's age on the Europe/London day of t.
func (p person) ageOn(t time.Time) int {
	return schedule.AgeOn(schedule.DateOf(p.DateOfBirth), schedule.DateOf(t.In(schedule.London())))
}

// activity makes the demo's bookings, shifts, walk-ins and marks through
// the services that make them in the app, on a clock the seed moves (to
// before a past session to book it, into it to keep its register).
type activity struct {
	db        *sqlx.DB
	res       *Result
	now       time.Time // when the seed runs, in London
	clock     time.Time // what the services below take as now
	consent   int       // age of digital consent
	bookings  *booking.Service
	registers *register.Service
	staff     *staffing.Service
	manager   staffing.Actor
	wes       register.Actor // today's lead, who keeps today's register
	priya     register.Actor // the finished series' lead, who kept their registers
	tom       string         // the second adult on the finished series
	aisha     string         // the second adult today
	people    []person
}

// seedActivity gives the demo council activity: young people without
// logins, the registers of the last few months, a session today with
// worker@demo.test rostered on it, and bookings on the coming sessions.
// Each part is guarded by what it makes, so running it again changes
// nothing: a person by name, the finished series by centre and title (and
// each of its sessions by having no bookings, walk-ins or marks), today's
// session by centre, title and date, and the bookings and marks of a
// session by the session having none. Run on a later day, it adds that
// day's session and books coming sessions that have no bookings yet.
func (s *Seeder) seedActivity(ctx context.Context, res *Result) error {
	db := s.Accounts.DB
	a := &activity{db: db, res: res, now: s.Now().In(schedule.London()), consent: s.Accounts.ConsentAge}
	if a.consent <= 0 {
		a.consent = 13
	}
	clock := func() time.Time { return a.clock }
	a.bookings = &booking.Service{DB: db, Now: clock, ConsentAge: a.consent, BaseURL: s.Accounts.BaseURL}
	a.registers = &register.Service{DB: db, Now: clock}
	a.staff = &staffing.Service{DB: db, Now: clock, Promote: a.bookings.FillFreedPlaces}
	ids := map[string]*string{"manager@demo.test": &a.manager.UserID, "worker@demo.test": &a.wes.UserID,
		"worker2@demo.test": &a.priya.UserID, "worker3@demo.test": &a.tom, "worker4@demo.test": &a.aisha}
	for email, id := range ids {
		if err := db.GetContext(ctx, id, `SELECT id FROM users WHERE email = $1`, email); err != nil {
			return fmt.Errorf("seed: %s: %w", email, err)
		}
	}
	a.manager.Role, a.manager.CouncilID = auth.CentreManager, res.TraffordID
	a.wes.Role, a.wes.CouncilID = auth.YouthWorker, res.TraffordID
	a.priya.Role, a.priya.CouncilID = auth.YouthWorker, res.TraffordID

	if err := a.youngPeople(ctx); err != nil {
		return err
	}
	if err := a.history(ctx); err != nil {
		return err
	}
	if err := a.today(ctx); err != nil {
		return err
	}
	if err := a.upcoming(ctx); err != nil {
		return err
	}
	// What the server's background loop does: past sessions' unmarked
	// bookings become no-shows.
	if _, err := a.registers.CloseRegisters(ctx, a.now); err != nil {
		return fmt.Errorf("seed: close registers: %w", err)
	}
	people := make(pq.StringArray, len(a.people))
	for i, p := range a.people {
		people[i] = p.ID
	}
	res.YoungPeople = len(a.people)
	return db.QueryRowxContext(ctx, `SELECT (SELECT count(*) FROM bookings WHERE young_person_id = ANY($1::uuid[])),
		(SELECT count(*) FROM current_marks WHERE young_person_id = ANY($1::uuid[])),
		(SELECT count(*) FROM session_series)`, people).Scan(&res.Bookings, &res.Marks, &res.Series)
}

// youngPeople adds the demo young people who are not there yet (found by
// name among young people without an email), born so that ages run from 11
// to 18, living at Trafford postcodes of the postcodes table.
func (a *activity) youngPeople(ctx context.Context) error {
	var postcodes []string
	err := a.db.SelectContext(ctx, &postcodes, `SELECT postcode FROM postcodes WHERE lad_code = 'E08000009'
		ORDER BY lsoa_code IN (SELECT code FROM areas) DESC, md5(postcode) LIMIT $1`, len(demoYoungPeople))
	if err != nil {
		return err
	}
	if len(postcodes) == 0 {
		return fmt.Errorf("seed: no Trafford postcodes for the demo young people")
	}
	const find = `SELECT id, date_of_birth FROM users
		WHERE role = 'young_person' AND email IS NULL AND first_name = $1 AND last_name = $2 ORDER BY created_at LIMIT 1`
	for i, yp := range demoYoungPeople {
		var p person
		err := a.db.GetContext(ctx, &p, find, yp.first, yp.last)
		if errors.Is(err, sql.ErrNoRows) {
			age := 11 + i%8
			dob := time.Date(a.now.Year()-age, a.now.Month(), a.now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -(10 + i*37%300))
			err = a.db.GetContext(ctx, &p, `INSERT INTO users (role, first_name, last_name, date_of_birth, postcode)
				VALUES ('young_person', $1, $2, $3, $4) RETURNING id, date_of_birth`,
				yp.first, yp.last, dob.Format(time.DateOnly), postcodes[i%len(postcodes)])
		}
		if err != nil {
			return fmt.Errorf("seed: young person %s %s: %w", yp.first, yp.last, err)
		}
		// Most have an emergency contact, as a youth worker would have taken at the door, so that
		// the roll call shows some (and writes its audit rows); every fifth has none recorded.
		if i%5 != 4 {
			_, err = a.db.ExecContext(ctx, `INSERT INTO emergency_contacts (young_person_id, name, phone, relationship)
				SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM emergency_contacts WHERE young_person_id = $1)`,
				p.ID, demoParents[i%len(demoParents)]+" "+yp.last, fmt.Sprintf("07700 900%03d", i), []string{"mum", "dad", "carer", "gran"}[i%4])
			if err != nil {
				return fmt.Errorf("seed: contact of %s %s: %w", yp.first, yp.last, err)
			}
		}
		p.index = i
		a.people = append(a.people, p)
	}
	return nil
}

// demoParents are the first names of the demo young people's emergency contacts.
var demoParents = []string{"Karen", "Mark", "Joanne", "Paul", "Nadia", "Imran", "Claire", "Gareth", "Yemi", "Sandra"}

// occurrence is a session the activity fills.
type occurrence struct {
	ID       string    `db:"id"`
	StartsAt time.Time `db:"starts_at"`
	EndsAt   time.Time `db:"ends_at"`
	Mode     string    `db:"booking_mode"`
	Capacity int       `db:"capacity"`
	AgeMin   int       `db:"age_min"`
	AgeMax   int       `db:"age_max"`
	Series   int       `db:"-"` // index in demoHistory
	Title    string    `db:"title"`
}

// untouched is the SQL condition that a session has no bookings, walk-ins or
// marks yet.
const untouched = `NOT EXISTS (SELECT 1 FROM bookings b WHERE b.occurrence_id = o.id)
	AND NOT EXISTS (SELECT 1 FROM walk_ins w WHERE w.occurrence_id = o.id)
	AND NOT EXISTS (SELECT 1 FROM marks m WHERE m.occurrence_id = o.id)`

// history creates the finished series (from the Monday historyWeeks weeks
// ago to yesterday) and fills each of their sessions that is untouched, in
// time order: Priya (lead) and Tom rostered, bookings made three days
// before, walk-ins, and Priya's marks during the session. Wes has no shifts
// there, so that they never stand in the way of his shift today.
func (a *activity) history(ctx context.Context) error {
	today := time.Date(a.now.Year(), a.now.Month(), a.now.Day(), 0, 0, 0, 0, schedule.London())
	first := today.AddDate(0, 0, -((int(today.Weekday())+6)%7)-7*historyWeeks)
	last := today.AddDate(0, 0, -1).Format(time.DateOnly)
	tt := &timetable.Service{DB: a.db, Now: func() time.Time { return first }, Horizon: today.Sub(first)}
	titles := make(pq.StringArray, len(demoHistory))
	centres := make(pq.StringArray, len(demoHistory))
	for i, h := range demoHistory {
		titles[i] = h.in.Title
		var centreID string
		if err := a.db.GetContext(ctx, &centreID, `SELECT id FROM centres WHERE council_id = $1 AND name = $2 ORDER BY created_at LIMIT 1`,
			a.res.TraffordID, h.centre); err != nil {
			return fmt.Errorf("seed: centre %q: %w", h.centre, err)
		}
		centres[i] = centreID
		var exists bool
		if err := a.db.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM session_series WHERE centre_id = $1 AND title = $2)`,
			centreID, h.in.Title); err != nil {
			return err
		}
		if exists {
			continue
		}
		in := h.in
		in.CentreID, in.FirstDate, in.LastDate = centreID, first.Format(time.DateOnly), &last
		if _, err := tt.CreateSeries(ctx, a.res.TraffordID, a.manager.UserID, in); err != nil {
			return fmt.Errorf("seed: series %q: %w", in.Title, err)
		}
	}
	var occs []occurrence
	err := a.db.SelectContext(ctx, &occs, `SELECT o.id, o.starts_at, o.ends_at, o.booking_mode, o.capacity, s.age_min, s.age_max, s.title
		FROM occurrences o JOIN session_series s ON s.id = o.series_id
		JOIN unnest($1::uuid[], $2::text[]) AS h (centre_id, title) ON h.centre_id = s.centre_id AND h.title = s.title
		WHERE o.status = 'scheduled' AND o.ends_at < $3 AND `+untouched+`
		ORDER BY o.starts_at, o.id`, centres, titles, a.now)
	if err != nil {
		return err
	}
	for _, o := range occs {
		for i, h := range demoHistory {
			if h.in.Title == o.Title {
				o.Series = i
			}
		}
		if err := a.pastSession(ctx, o); err != nil {
			return fmt.Errorf("seed: %s on %s: %w", o.Title, o.StartsAt.In(schedule.London()).Format(time.DateOnly), err)
		}
	}
	return nil
}

// pastSession fills one finished session.
func (a *activity) pastSession(ctx context.Context, o occurrence) error {
	rng := rand.New(rand.NewPCG(uint64(o.StartsAt.Unix()), uint64(o.Series)))
	// Priya keeps the register; should a rota rule refuse her or Tom (their
	// records changed in a database kept from before), the manager does.
	keeper := a.priya
	err := a.roster(ctx, nil, o.ID, a.priya.UserID, a.tom)
	if _, refused := fault.As(err); refused {
		keeper = register.Actor{UserID: a.manager.UserID, Role: a.manager.Role, CouncilID: a.manager.CouncilID}
	} else if err != nil {
		return err
	}
	regular := demoHistory[o.Series].regular
	var coming, dropping []person
	for _, p := range a.people {
		if age := p.ageOn(o.StartsAt); age < o.AgeMin || age > o.AgeMax {
			continue
		}
		switch {
		case regular(p.index) && rng.Float64() < 0.6:
			coming = append(coming, p)
		case rng.Float64() < 0.04:
			dropping = append(dropping, p) // now and then someone new turns up
		}
	}
	var onRegister []person
	walkers := dropping
	if o.Mode == "bookable" {
		booked, err := a.book(ctx, o, coming, min(len(coming), o.Capacity-2), o.StartsAt.AddDate(0, 0, -3))
		if err != nil {
			return err
		}
		onRegister = booked
	} else {
		walkers = append(coming, dropping...)
	}
	nBooked := len(onRegister)
	a.clock = o.StartsAt.Add(10 * time.Minute)
	walked, err := a.walkIns(ctx, keeper, o.ID, walkers)
	if err != nil {
		return err
	}
	onRegister = append(onRegister, walked...)
	// Most come on time, a few late, some leave early; now and then a
	// booked place is marked absent or left unmarked (a no-show once the
	// register closes).
	var marks []register.MarkInput
	for i, p := range onRegister {
		in := o.StartsAt.Add(time.Duration(2+i%9) * time.Minute)
		m := register.MarkInput{ClientID: uuid.NewString(), YoungPersonID: p.ID, Status: register.Present}
		r := rng.Float64()
		if i >= nBooked && r < 0.10 {
			r = 0.5 // a walk-in is on site
		}
		switch {
		case r < 0.05:
			continue
		case r < 0.10:
			m.Status = register.Absent
		case r < 0.22:
			m.Status, in = register.Late, o.StartsAt.Add(time.Duration(20+i%15)*time.Minute)
		case r < 0.30:
			m.Status, m.CheckedInAt = register.Left, stamp(in)
			in = o.EndsAt.Add(-time.Duration(20+i%20) * time.Minute)
		}
		m.RecordedAt = stamp(in)
		marks = append(marks, m)
	}
	a.clock = o.EndsAt.Add(-5 * time.Minute)
	return a.mark(ctx, keeper, o.ID, marks)
}

func stamp(t time.Time) string { return t.Format(time.RFC3339) }

// roster puts two adults on a session, as the manager, inside tx when it is
// not nil. A rota rule that refuses a shift comes back as a fault.
func (a *activity) roster(ctx context.Context, tx *sqlx.Tx, occurrenceID, lead, worker string) error {
	for _, sh := range []staffing.ShiftInput{{UserID: lead, Role: "lead"}, {UserID: worker, Role: "worker"}} {
		var err error
		if tx != nil {
			_, err = a.staff.CreateShiftIn(ctx, tx, a.manager, occurrenceID, sh)
		} else {
			_, err = a.staff.CreateShift(ctx, a.manager, occurrenceID, sh)
		}
		if err != nil {
			return fmt.Errorf("shift: %w", err)
		}
	}
	return nil
}

// book books up to want of people on a session through the booking
// service, with its clock at at (a waiting-list place counts). Someone the
// rules refuse (age of consent on that day, a place at another session at
// the same time, the cap on future bookings) is passed over. It returns
// those given a place.
func (a *activity) book(ctx context.Context, o occurrence, people []person, want int, at time.Time) ([]person, error) {
	a.clock = at
	var placed []person
	n := 0
	for _, p := range people {
		if n >= want {
			break
		}
		if age := p.ageOn(o.StartsAt); age < o.AgeMin || age > o.AgeMax || p.ageOn(at) < a.consent {
			continue
		}
		b, _, err := a.bookings.Book(ctx, booking.Request{YoungPersonID: p.ID, OccurrenceID: o.ID})
		if _, refused := fault.As(err); refused {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("book: %w", err)
		}
		n++
		if b.Status == "confirmed" {
			placed = append(placed, p)
		}
	}
	return placed, nil
}

// walkIns signs people in at the door of a session as by (rostered on it)
// through register.AddWalkInIn, with the clock during it, each in its own
// transaction as the API does. It returns those on the register.
func (a *activity) walkIns(ctx context.Context, by register.Actor, occurrenceID string, people []person) ([]person, error) {
	if len(people) == 0 {
		return nil, nil
	}
	o, err := a.registers.Authorize(ctx, by, occurrenceID)
	if err != nil {
		return nil, err
	}
	var in []person
	for _, p := range people {
		err := postgres.WithTx(ctx, a.db, func(tx *sqlx.Tx) error {
			_, _, err := a.registers.AddWalkInIn(ctx, tx, by, o, register.WalkIn{YoungPersonID: p.ID})
			return err
		})
		if _, refused := fault.As(err); refused {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("walk-in: %w", err)
		}
		in = append(in, p)
	}
	return in, nil
}

// mark records marks as by (rostered on the session), from one device, as
// a sync of the register.
func (a *activity) mark(ctx context.Context, by register.Actor, occurrenceID string, marks []register.MarkInput) error {
	if len(marks) == 0 {
		return nil
	}
	o, err := a.registers.Authorize(ctx, by, occurrenceID)
	if err != nil {
		return err
	}
	results, err := a.registers.RecordMarks(ctx, by, o, register.Batch{DeviceID: "demo-seed", Marks: marks})
	if err != nil {
		return fmt.Errorf("marks: %w", err)
	}
	for _, r := range results {
		if r.Outcome == register.Refused {
			return fmt.Errorf("mark refused: %s", r.Reason)
		}
	}
	return nil
}

// today makes today's session at Lostock Youth Centre, unless it is there:
// a one-off series starting on the quarter hour 30 to 45 minutes before now
// (not before midnight) for three hours, so that its register is open. Wes
// (lead) and Aisha are rostered on it in the same transaction; when a rota
// rule refuses them (Wes already works then) there is no session today.
// Then a dozen bookings, made the day before, and Wes's first marks.
func (a *activity) today(ctx context.Context) error {
	day := a.now.Format(time.DateOnly)
	const find = `SELECT o.id, o.starts_at, o.ends_at, o.booking_mode, o.capacity, s.age_min, s.age_max, s.title
		FROM occurrences o JOIN session_series s ON s.id = o.series_id JOIN centres c ON c.id = s.centre_id
		WHERE c.council_id = $1 AND c.name = $2 AND s.title = $3 AND s.first_date = $4::date
		ORDER BY o.starts_at LIMIT 1`
	var o occurrence
	err := a.db.GetContext(ctx, &o, find, a.res.TraffordID, todayCentre, todayTitle, day)
	if errors.Is(err, sql.ErrNoRows) {
		var made bool
		if made, err = a.makeToday(ctx, day); err == nil && !made {
			return nil
		}
		if err == nil {
			err = a.db.GetContext(ctx, &o, find, a.res.TraffordID, todayCentre, todayTitle, day)
		}
	}
	if err != nil {
		return fmt.Errorf("seed: today's session: %w", err)
	}
	local := func(t time.Time) string { return t.In(schedule.London()).Format("15:04") }
	a.res.Today = fmt.Sprintf("%s at %s, %s–%s", todayTitle, todayCentre, local(o.StartsAt), local(o.EndsAt))

	var have int
	if err := a.db.GetContext(ctx, &have, `SELECT count(*) FROM bookings WHERE occurrence_id = $1`, o.ID); err != nil {
		return err
	}
	if have == 0 {
		// Everyone, in an order that mixes the ages; book passes over
		// those under the age of consent.
		people := make([]person, len(a.people))
		for i := range a.people {
			people[i] = a.people[(i*7)%len(a.people)]
		}
		if _, err := a.book(ctx, o, people, todayBooked, o.StartsAt.Add(-26*time.Hour)); err != nil {
			return fmt.Errorf("seed: today's session: %w", err)
		}
	}
	if err := a.db.GetContext(ctx, &have, `SELECT count(*) FROM marks WHERE occurrence_id = $1`, o.ID); err != nil {
		return err
	}
	if have > 0 || a.now.After(o.EndsAt) {
		return nil
	}
	var booked []string
	if err := a.db.SelectContext(ctx, &booked, `SELECT young_person_id FROM bookings
		WHERE occurrence_id = $1 AND status = 'confirmed' ORDER BY created_at, id LIMIT 4`, o.ID); err != nil {
		return err
	}
	var marks []register.MarkInput
	for i, id := range booked {
		st := register.Present
		if i == len(booked)-1 {
			st = register.Late
		}
		at := a.now.Add(-time.Duration(3*(len(booked)-i)) * time.Minute)
		marks = append(marks, register.MarkInput{ClientID: uuid.NewString(), YoungPersonID: id, Status: st, RecordedAt: stamp(at)})
	}
	a.clock = a.now
	if err := a.mark(ctx, a.wes, o.ID, marks); err != nil {
		return fmt.Errorf("seed: today's session: %w", err)
	}
	return nil
}

// makeToday creates today's session with its shifts; false when a rota
// rule refused them (nothing is created then).
func (a *activity) makeToday(ctx context.Context, day string) (bool, error) {
	midnight := time.Date(a.now.Year(), a.now.Month(), a.now.Day(), 0, 0, 0, 0, schedule.London())
	start := a.now.Truncate(15 * time.Minute).Add(-30 * time.Minute)
	if start.Before(midnight) {
		start = midnight
	}
	var centreID string
	if err := a.db.GetContext(ctx, &centreID, `SELECT id FROM centres WHERE council_id = $1 AND name = $2 ORDER BY created_at LIMIT 1`,
		a.res.TraffordID, todayCentre); err != nil {
		return false, fmt.Errorf("centre %q: %w", todayCentre, err)
	}
	in := timetable.Input{CentreID: centreID, Title: todayTitle, Category: "other", AgeMin: 11, AgeMax: 18, BookingMode: "bookable",
		Capacity: todayCapacity, Days: []string{dayName(start.Weekday())}, StartTime: start.Format("15:04"), DurationMinutes: todayMinutes,
		FirstDate: day, LastDate: &day,
		Description: "Pool, table tennis, board games and consoles, and youth workers to talk to. Book to keep your place."}
	// From midnight: the start time may be an hour the clocks repeat.
	tt := &timetable.Service{DB: a.db, Now: func() time.Time { return midnight }}
	var refused bool
	err := postgres.WithTx(ctx, a.db, func(tx *sqlx.Tx) error {
		sr, err := tt.CreateSeriesIn(ctx, tx, a.res.TraffordID, a.manager.UserID, in)
		if err != nil {
			return err
		}
		var occ string
		if err := tx.GetContext(ctx, &occ, `SELECT id FROM occurrences WHERE series_id = $1`, sr.ID); err != nil {
			return err
		}
		err = a.roster(ctx, tx, occ, a.wes.UserID, a.aisha)
		if _, ok := fault.As(err); ok {
			refused = true
		}
		return err
	})
	if refused {
		return false, nil
	}
	return err == nil, err
}

func dayName(d time.Weekday) string {
	return [...]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}[d]
}

// upcoming books the demo young people on the coming sessions of the weekly
// demo series (demoUpcoming) that start more than an hour from now and have
// no bookings yet, with the real clock.
func (a *activity) upcoming(ctx context.Context) error {
	a.clock = a.now
	for u, d := range demoUpcoming {
		var o occurrence
		err := a.db.GetContext(ctx, &o, `SELECT o.id, o.starts_at, o.ends_at, o.booking_mode, o.capacity, s.age_min, s.age_max, s.title
			FROM occurrences o JOIN session_series s ON s.id = o.series_id
			WHERE s.council_id = $1 AND s.title = $2 AND o.status = 'scheduled' AND o.starts_at > $3
			ORDER BY o.starts_at OFFSET $4 LIMIT 1`, a.res.TraffordID, d.title, a.now.Add(time.Hour), d.nth)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		var have bool
		if err := a.db.GetContext(ctx, &have, `SELECT EXISTS (SELECT 1 FROM bookings WHERE occurrence_id = $1)`, o.ID); err != nil {
			return err
		}
		if have {
			continue
		}
		// A different order for each session, so that different people go.
		people := make([]person, len(a.people))
		for i := range a.people {
			people[i] = a.people[(i*11+u*5)%len(a.people)]
		}
		if _, err := a.book(ctx, o, people, d.want, a.now); err != nil {
			return fmt.Errorf("seed: bookings for %s: %w", d.title, err)
		}
	}
	return nil
}
