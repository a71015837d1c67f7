package coverage

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/fault"
	"youthhub/internal/testdb"
)

// serviceFixture is a small world on the meridian lon −2.3 (u = 0.01° of
// latitude = 1.112 km):
//
//	council X (E08000901): areas X1 53.400 (16 aged 13, 4 aged 20), X2 53.420 (30 aged 15)
//	council Y (E08000902): area Y1 53.436 (50 aged 14), Y2 53.800 (far away, 70 aged 14)
//	centre CX (X) 53.410 open, 6 h/week, no timetable → 60 places (proxy)
//	centre CY (Y) 53.440 open, timetable: 2 occurrences next week, capacity 20
//	          and 30 capped to 12 by the rota → 32 places
type serviceFixture struct {
	db               *sqlx.DB
	councilX, cX, cY string
	councilY         string
	now              time.Time
}

func ages(pairs ...int) string {
	var a [26]int
	for i := 0; i < len(pairs); i += 2 {
		a[pairs[i]] = pairs[i+1]
	}
	s := "{"
	for i, n := range a {
		if i > 0 {
			s += ","
		}
		s += fmt.Sprint(n)
	}
	return s + "}"
}

func newServiceFixture(t *testing.T) serviceFixture {
	t.Helper()
	db := testdb.New(t)
	f := serviceFixture{db: db, now: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.Get(&f.councilX, `INSERT INTO councils (name, lad_code) VALUES ('Exton', 'E08000901') RETURNING id`))
	must(db.Get(&f.councilY, `INSERT INTO councils (name, lad_code) VALUES ('Wyton', 'E08000902') RETURNING id`))
	area := func(code, lad, name string, lat float64, young string) {
		t.Helper()
		_, err := db.Exec(`INSERT INTO areas (code, name, lad_code, lad_name, lat, lon, centroid_kind, imd_decile, young_by_age)
			VALUES ($1, $1, $2, $3, $4, -2.3, 'pwc2011', 3, $5::int[])`, code, lad, name, lat, young)
		must(err)
	}
	area("E01000001", "E08000901", "Exton", 53.400, ages(13, 16, 20, 4))
	area("E01000002", "E08000901", "Exton", 53.420, ages(15, 30))
	area("E01000003", "E08000902", "Wyton", 53.436, ages(14, 50))
	area("E01000004", "E08000902", "Wyton", 53.800, ages(14, 70))
	must(db.QueryRow(`INSERT INTO area_imports (scope, areas, inserted, updated, unchanged, boundaries) VALUES ('test', 4, 4, 0, 0, 0)`).Err())
	must(db.Get(&f.cX, `INSERT INTO centres (council_id, name, lat, lon, provider_type, weekly_hours, status)
		VALUES ($1, 'CX', 53.410, -2.3, 'council', 6, 'open') RETURNING id`, f.councilX))
	must(db.Get(&f.cY, `INSERT INTO centres (council_id, name, lat, lon, provider_type, weekly_hours, status)
		VALUES ($1, 'CY', 53.440, -2.3, 'charity', 40, 'open') RETURNING id`, f.councilY))
	var series string
	must(db.Get(&series, `INSERT INTO session_series (council_id, centre_id, title, category, age_min, age_max, booking_mode,
			capacity, days, start_local, duration_minutes, first_date)
		VALUES ($1, $2, 'Club', 'sport', 11, 16, 'bookable', 30, '{1}', '18:00', 90, '2026-01-01') RETURNING id`, f.councilY, f.cY))
	occ := func(start time.Time, capacity int, staffed *int, status string) string {
		t.Helper()
		var id string
		must(db.Get(&id, `INSERT INTO occurrences (series_id, council_id, centre_id, starts_at, ends_at, booking_mode, capacity, staffed_limit, status)
			VALUES ($1, $2, $3, $4, $5, 'bookable', $6, $7, $8) RETURNING id`,
			series, f.councilY, f.cY, start, start.Add(90*time.Minute), capacity, staffed, status))
		return id
	}
	twelve := 12
	occ(f.now.Add(24*time.Hour), 20, nil, "scheduled")
	occ(f.now.Add(48*time.Hour), 30, &twelve, "scheduled")
	occ(f.now.Add(72*time.Hour), 50, nil, "cancelled")   // not counted
	occ(f.now.Add(8*24*time.Hour), 50, nil, "scheduled") // after the coming week
	occ(f.now.Add(-24*time.Hour), 50, nil, "scheduled")  // past
	return f
}

// person adds a young person of the given age today.
func (f serviceFixture) person(t *testing.T, age int) string {
	t.Helper()
	var id string
	dob := f.now.AddDate(-age, 0, -10).Format(time.DateOnly)
	if err := f.db.Get(&id, `INSERT INTO users (role, first_name, date_of_birth) VALUES ('young_person', 'Y', $1) RETURNING id`, dob); err != nil {
		t.Fatal(err)
	}
	return id
}

// attend records n attended bookings of person at council's centre, the
// first daysAgo days ago, a week apart.
func (f serviceFixture) attend(t *testing.T, council, centre, person string, n, daysAgo int) {
	t.Helper()
	var series string
	if err := f.db.Get(&series, `INSERT INTO session_series (council_id, centre_id, title, category, age_min, age_max, booking_mode,
			capacity, days, start_local, duration_minutes, first_date)
		VALUES ($1, $2, 'Past club', 'arts', 11, 19, 'bookable', 30, '{2}', '18:00', 60, '2024-01-01') RETURNING id`, council, centre); err != nil {
		t.Fatal(err)
	}
	for k := range n {
		start := f.now.AddDate(0, 0, -daysAgo+7*k)
		var occ string
		if err := f.db.Get(&occ, `INSERT INTO occurrences (series_id, council_id, centre_id, starts_at, ends_at, booking_mode, capacity, status)
			VALUES ($1, $2, $3, $4, $5, 'bookable', 30, 'scheduled') RETURNING id`, series, council, centre, start, start.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.Exec(`INSERT INTO bookings (occurrence_id, young_person_id, status, starts_at, ends_at)
			VALUES ($1, $2, 'attended', $3, $4)`, occ, person, start, start.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestServiceMeasure(t *testing.T) {
	t.Parallel()
	f := newServiceFixture(t)
	s := &Service{DB: f.db, Now: func() time.Time { return f.now }}
	ctx := context.Background()
	x := Council{ID: f.councilX, Name: "Exton", LADCode: "E08000901", ThresholdKm: 2, MinHours: 10}

	// Attendance at X's centre: a 15-year-old 3 times (regular), a
	// 17-year-old once, a 22-year-old 4 times (outside 13–19), a
	// 14-year-old 13 months ago (too old a visit); at Y's centre, once.
	f.attend(t, f.councilX, f.cX, f.person(t, 15), 3, 60)
	f.attend(t, f.councilX, f.cX, f.person(t, 17), 1, 30)
	f.attend(t, f.councilX, f.cX, f.person(t, 22), 4, 100)
	f.attend(t, f.councilX, f.cX, f.person(t, 14), 1, 400)
	f.attend(t, f.councilY, f.cY, f.person(t, 16), 1, 20)

	m, err := s.Measure(ctx, x, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Band != BandStatutory || m.Options.ThresholdKm != 2 || m.Options.MinHours != 10 {
		t.Errorf("band %v, options %+v", m.Band, m.Options)
	}
	// Engine areas: X1, X2 (own) then Y1 (within 4 km of X's box); Y2 is
	// 38 km away.
	var codes []string
	for _, a := range m.Result.Areas {
		codes = append(codes, a.Code)
	}
	if fmt.Sprint(codes) != "[E01000001 E01000002 E01000003]" || len(m.Areas) != 2 || m.Areas[0].Code != "E01000001" {
		t.Fatalf("engine areas %v, own %+v", codes, m.Areas)
	}
	cx, _ := m.Centre(f.cX)
	cy, _ := m.Centre(f.cY)
	if cx.FromTimetable || cx.WeeklyPlaces != 60 || !cx.Own || !cx.Near {
		t.Errorf("CX: %+v", cx)
	}
	if !cy.FromTimetable || cy.WeeklyPlaces != 32 || cy.Occurrences != 2 || cy.Own || !cy.Near || cy.CouncilName != "Wyton" {
		t.Errorf("CY: %+v", cy)
	}

	// X1 (16 aged 13–19) 1u from CX; X2 (30) 1u from CX, 2u = 2.224 km
	// from CY; Y1 0.4u from CY, 2.6u from CX. Covered: all of X.
	// 2SFCA: R_CX = 60 / (16 + 30) ; R_CY = 32 / 50 (X2 is beyond 2 km).
	// X places per 1,000 = (16 + 30) × R_CX / 46 × 1000 = 60/46 × 1000.
	sum := m.Summary
	if sum.YoungPeople != 46 || sum.YoungCovered != 46 || sum.CoveredShare != 1 || sum.YoungCoveredMinHours != 0 ||
		!near(sum.PlacesPer1000, 60.0/46*1000) {
		t.Errorf("summary %+v", sum.Figures)
	}
	if sum.Attendees12Months != 2 || sum.RegularAttendees != 1 || !near(sum.Reach, 2.0/46) || !near(sum.Participation, 1.0/46) || sum.MeetsREYS {
		t.Errorf("attendance %+v", sum.Attendance)
	}

	// 8–25 counts the 20-year-olds and the 22-year-old attendee.
	all, err := s.Measure(ctx, x, Query{Band: BandAll, ThresholdKm: 1})
	if err != nil {
		t.Fatal(err)
	}
	if all.Summary.YoungPeople != 50 || all.Summary.Attendees12Months != 3 || all.Summary.RegularAttendees != 2 || all.Options.ThresholdKm != 1 {
		t.Errorf("8-25 at 1 km: %+v %+v", all.Summary.Figures, all.Summary.Attendance)
	}
	// At 1 km, CX (1.112 km away) covers neither area.
	if all.Summary.YoungCovered != 0 {
		t.Errorf("1 km: %d covered", all.Summary.YoungCovered)
	}

	// Cached: the same engine; a new import is seen at once.
	again, err := s.Measure(ctx, x, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Result.engine != m.Result.engine {
		t.Error("the engine was not cached")
	}
	if _, err := f.db.Exec(`UPDATE areas SET young_by_age[16] = 40 WHERE code = 'E01000002'`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec(`INSERT INTO area_imports (scope, areas, inserted, updated, unchanged, boundaries) VALUES ('test', 1, 0, 1, 0, 0)`); err != nil {
		t.Fatal(err)
	}
	fresh, err := s.Measure(ctx, x, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Result.engine == m.Result.engine || fresh.Summary.YoungPeople != 56 {
		t.Errorf("after an import: %d young people (cached engine: %v)", fresh.Summary.YoungPeople, fresh.Result.engine == m.Result.engine)
	}
}

func TestServiceErrors(t *testing.T) {
	t.Parallel()
	f := newServiceFixture(t)
	s := &Service{DB: f.db}
	ctx := context.Background()
	for name, c := range map[string]Council{
		"no LAD code":      {ID: f.councilX, LADCode: ""},
		"no areas":         {ID: f.councilX, LADCode: "E08000999"},
		"unknown LAD code": {ID: f.councilX, LADCode: "nonsense"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.Measure(ctx, c, Query{})
			if e, ok := fault.As(err); !ok || e.Kind != fault.Conflict || e.Code != "areas_not_imported" {
				t.Errorf("got %v", err)
			}
		})
	}
	x := Council{ID: f.councilX, LADCode: "E08000901"}
	for _, q := range []Query{{ThresholdKm: -1}, {ThresholdKm: 51}, {Band: Band{19, 13}}, {Band: Band{8, 26}}} {
		if _, err := s.Measure(ctx, x, q); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: got %v", q, err)
		}
	}
}

// visit is an occurrence of council's centre daysAgo days ago (mode
// bookable or drop_in), for attendance.
func (f serviceFixture) visit(t *testing.T, council, centre, mode string, daysAgo int) string {
	t.Helper()
	var occ string
	start := f.now.AddDate(0, 0, -daysAgo)
	if err := f.db.Get(&occ, `WITH s AS (INSERT INTO session_series (council_id, centre_id, title, category, age_min, age_max, booking_mode,
			capacity, days, start_local, duration_minutes, first_date)
		VALUES ($1, $2, 'Visit', 'arts', 11, 19, $3, 30, '{2}', '18:00', 60, '2024-01-01') RETURNING id)
		INSERT INTO occurrences (series_id, council_id, centre_id, starts_at, ends_at, booking_mode, capacity, status)
		SELECT s.id, $1, $2, $4, $5, $3, 30, 'scheduled' FROM s RETURNING id`, council, centre, mode, start, start.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	return occ
}

// mark gives person a current register mark at occ, as the register keeps it.
func (f serviceFixture) mark(t *testing.T, occ, person, status string) {
	t.Helper()
	in, out := "now()", "NULL"
	switch status {
	case "left":
		out = "now()"
	case "absent":
		in = "NULL"
	}
	if _, err := f.db.Exec(`WITH m AS (INSERT INTO marks (occurrence_id, young_person_id, status, checked_in_at, checked_out_at, recorded_at, client_id)
			VALUES ($1, $2, $3, `+in+`, `+out+`, now(), gen_random_uuid()) RETURNING *)
		INSERT INTO current_marks (occurrence_id, young_person_id, mark_id, status, checked_in_at, checked_out_at, recorded_at, client_id)
		SELECT occurrence_id, young_person_id, id, status, checked_in_at, checked_out_at, recorded_at, client_id FROM m`, occ, person, status); err != nil {
		t.Fatal(err)
	}
}

// TestReachFromRegistersByDecileAndProvider: reach counts everyone the
// registers saw (booked, walk-ins, drop-ins; present, late or left, never
// absent), once each; by IMD decile it counts where attendees live, and by
// provider type where they went.
func TestReachFromRegistersByDecileAndProvider(t *testing.T) {
	t.Parallel()
	f := newServiceFixture(t)
	s := &Service{DB: f.db, Now: func() time.Time { return f.now }}
	x := Council{ID: f.councilX, Name: "Exton", LADCode: "E08000901", ThresholdKm: 2, MinHours: 10}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// X2 (30 aged 15) is in decile 1, X1 (16 aged 13) in decile 3.
	_, err := f.db.Exec(`UPDATE areas SET imd_decile = 1 WHERE code = 'E01000002'`)
	must(err)
	_, err = f.db.Exec(`INSERT INTO postcodes (postcode, lat, lon, lad_code, lsoa_code) VALUES
		('M1 1AA', 53.40, -2.3, 'E08000901', 'E01000001'), ('M1 1AB', 53.42, -2.3, 'E08000901', 'E01000002'),
		('M2 2AA', 53.436, -2.3, 'E08000902', 'E01000003')`)
	must(err)
	var cx2 string
	must(f.db.Get(&cx2, `INSERT INTO centres (council_id, name, lat, lon, provider_type, weekly_hours, status)
		VALUES ($1, 'CX2', 53.415, -2.3, 'charity', 4, 'open') RETURNING id`, f.councilX))
	livesIn := func(person, postcode string) {
		_, err := f.db.Exec(`UPDATE users SET postcode = $2 WHERE id = $1`, person, postcode)
		must(err)
	}
	a, b, c, d, e, g := f.person(t, 15), f.person(t, 14), f.person(t, 16), f.person(t, 17), f.person(t, 15), f.person(t, 15)
	livesIn(a, "M1 1AB")
	livesIn(b, "M1 1AA")
	livesIn(c, "M2 2AA")
	livesIn(e, "M1 1AA")
	livesIn(g, "M1 1AA")
	// A: three booked visits at CX (council-run): regular.
	f.attend(t, f.councilX, f.cX, a, 3, 90)
	// B: a walk-in at a drop-in at CX2 (charity) who left, and present at CX.
	f.mark(t, f.visit(t, f.councilX, cx2, "drop_in", 20), b, "left")
	f.mark(t, f.visit(t, f.councilX, f.cX, "bookable", 10), b, "present")
	// C lives in Wyton: a booking marked attended and a present mark at the
	// same session count once.
	occ := f.visit(t, f.councilX, f.cX, "bookable", 5)
	_, err = f.db.Exec(`INSERT INTO bookings (occurrence_id, young_person_id, status, starts_at, ends_at)
		SELECT id, $2, 'attended', starts_at, ends_at FROM occurrences WHERE id = $1`, occ, c)
	must(err)
	f.mark(t, occ, c, "present")
	// D has no postcode: late at CX2.
	f.mark(t, f.visit(t, f.councilX, cx2, "drop_in", 3), d, "late")
	// E was marked absent; G went to Wyton's centre only.
	f.mark(t, f.visit(t, f.councilX, f.cX, "bookable", 2), e, "absent")
	f.mark(t, f.visit(t, f.councilY, f.cY, "drop_in", 2), g, "present")

	m, err := s.Measure(context.Background(), x, Query{})
	must(err)
	sum := m.Summary
	if sum.Attendees12Months != 4 || sum.RegularAttendees != 1 || !near(sum.Reach, 4.0/46) || sum.AttendeesElsewhere != 2 {
		t.Fatalf("council: %+v, %d elsewhere", sum.Attendance, sum.AttendeesElsewhere)
	}
	if r := sum.ReachByDecile[1]; r.Attendees12Months != 1 || r.RegularAttendees != 1 || !near(r.Reach, 1.0/30) {
		t.Errorf("decile 1: %+v", r)
	}
	if r := sum.ReachByDecile[3]; r.Attendees12Months != 1 || r.RegularAttendees != 0 || !near(r.Reach, 1.0/16) {
		t.Errorf("decile 3: %+v", r)
	}
	for dec, r := range sum.ReachByDecile {
		if dec != 1 && dec != 3 && r.Attendees12Months != 0 {
			t.Errorf("decile %d: %+v", dec, r)
		}
	}
	if r := sum.ReachByProvider[ProviderCouncil]; r.Attendees12Months != 3 || r.RegularAttendees != 1 || !near(r.Reach, 3.0/46) {
		t.Errorf("council-run: %+v", r)
	}
	if r := sum.ReachByProvider[ProviderCharity]; r.Attendees12Months != 2 || r.RegularAttendees != 0 || !near(r.Reach, 2.0/46) {
		t.Errorf("charity: %+v", r)
	}
	if len(sum.ReachByProvider) != 2 {
		t.Errorf("providers %v", sum.ReachByProvider)
	}
}
