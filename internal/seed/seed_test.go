package seed

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/account"
	"youthhub/internal/centre"
	"youthhub/internal/coverage"
	"youthhub/internal/schedule"
	"youthhub/internal/testdb"
)

func seeder(t *testing.T, db *sqlx.DB, now *time.Time) *Seeder {
	t.Helper()
	dir := os.Getenv("DEMO_DATA_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	if _, err := os.Stat(filepath.Join(dir, "youth_centres")); err != nil {
		t.Fatalf("no demo data: %v (set DEMO_DATA_DIR to the shared data folder)", err)
	}
	clock := func() time.Time { return *now }
	return &Seeder{
		Accounts: &account.Service{DB: db, Now: clock, ConsentAge: 13, BaseURL: "http://localhost"},
		Centres:  &centre.Service{DB: db}, DataDir: dir, Now: clock,
	}
}

// counts is what the seed has made, table by table.
type counts struct {
	Users         int `db:"users"`
	NoLogin       int `db:"no_login"`
	Consents      int `db:"consents"`
	Series        int `db:"series"`
	Occurrences   int `db:"occurrences"`
	Bookings      int `db:"bookings"`
	Confirmed     int `db:"confirmed"`
	Waitlisted    int `db:"waitlisted"`
	Attended      int `db:"attended"`
	NoShows       int `db:"no_shows"`
	Shifts        int `db:"shifts"`
	WalkIns       int `db:"walk_ins"`
	Marks         int `db:"marks"`
	CurrentMarks  int `db:"current_marks"`
	Notifications int `db:"notifications"`
	StaffRecords  int `db:"staff_records"`
	Contacts      int `db:"contacts"`
	Postcodes     int `db:"postcodes"`
	Centres       int `db:"centres"`
}

func count(t *testing.T, db *sqlx.DB) counts {
	t.Helper()
	var c counts
	err := db.Get(&c, `SELECT
		(SELECT count(*) FROM users) AS users,
		(SELECT count(*) FROM users WHERE role = 'young_person' AND email IS NULL) AS no_login,
		(SELECT count(*) FROM consents) AS consents,
		(SELECT count(*) FROM session_series) AS series,
		(SELECT count(*) FROM occurrences) AS occurrences,
		(SELECT count(*) FROM bookings) AS bookings,
		(SELECT count(*) FROM bookings WHERE status = 'confirmed') AS confirmed,
		(SELECT count(*) FROM bookings WHERE status = 'waitlisted') AS waitlisted,
		(SELECT count(*) FROM bookings WHERE status = 'attended') AS attended,
		(SELECT count(*) FROM bookings WHERE status = 'no_show') AS no_shows,
		(SELECT count(*) FROM shifts) AS shifts,
		(SELECT count(*) FROM walk_ins) AS walk_ins,
		(SELECT count(*) FROM marks) AS marks,
		(SELECT count(*) FROM current_marks) AS current_marks,
		(SELECT count(*) FROM notifications) AS notifications,
		(SELECT count(*) FROM staff_records) AS staff_records,
		(SELECT count(*) FROM emergency_contacts) AS contacts,
		(SELECT count(*) FROM postcodes) AS postcodes,
		(SELECT count(*) FROM centres) AS centres`)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkCounters fails on any occurrence whose counters disagree with its
// bookings: the places taken are the bookings that hold one (confirmed,
// then attended or no-show once the register is kept) and the walk-ins
// that took one; the waiting list is the waitlisted bookings, numbered
// 1 … n in order (nobody has left one yet).
func checkCounters(t *testing.T, db *sqlx.DB) {
	t.Helper()
	var bad []struct {
		Title     string `db:"title"`
		StartsAt  string `db:"starts_at"`
		Confirmed int    `db:"confirmed_count"`
		Places    int    `db:"places"`
		Waitlist  int    `db:"waitlist_count"`
		Waiting   int    `db:"waiting"`
		Seq       int    `db:"waitlist_seq"`
		MaxSeq    int    `db:"max_seq"`
	}
	err := db.Select(&bad, `SELECT s.title, o.starts_at::text, o.confirmed_count, o.waitlist_count, o.waitlist_seq,
		(SELECT count(*) FROM bookings b WHERE b.occurrence_id = o.id AND b.status IN ('confirmed','attended','no_show'))
		  + (SELECT count(*) FROM walk_ins w WHERE w.occurrence_id = o.id AND w.took_place) AS places,
		(SELECT count(*) FROM bookings b WHERE b.occurrence_id = o.id AND b.status = 'waitlisted') AS waiting,
		(SELECT coalesce(max(b.waitlist_seq), 0) FROM bookings b WHERE b.occurrence_id = o.id AND b.status = 'waitlisted') AS max_seq
		FROM occurrences o JOIN session_series s ON s.id = o.series_id
		WHERE o.status = 'scheduled'`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, o := range bad {
		if o.Confirmed != o.Places || o.Waitlist != o.Waiting || o.Seq != o.Waiting || o.MaxSeq != o.Waiting {
			t.Errorf("%s at %s: confirmed_count %d, places held %d; waitlist_count %d, waitlist_seq %d, waitlisted %d (last number %d)",
				o.Title, o.StartsAt, o.Confirmed, o.Places, o.Waitlist, o.Seq, o.Waiting, o.MaxSeq)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no occurrences")
	}
}

// TestRunTwice seeds a fresh database twice at a Tuesday teatime and checks
// the demo activity: young people without logins, bookings on the coming
// sessions (one full with a waiting list), today's session with Wes on its
// rota, a dozen bookings and a few marks, attendance over the last months
// that the coverage reach counts, consistent counters, nothing for the demo
// young people's logins, and nothing new on the second run.
func TestRunTwice(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	now := time.Date(2026, time.March, 17, 18, 40, 0, 0, schedule.London())
	s := seeder(t, db, &now)

	res, err := s.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first := count(t, db)
	t.Logf("seeded %+v\nresult: %d young people, %d bookings, %d marks, today %s", first, res.YoungPeople, res.Bookings, res.Marks, res.Today)
	again, err := s.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second := count(t, db); second != first {
		t.Errorf("the second run changed the data:\n first %+v\nsecond %+v", first, second)
	}
	if again.YoungPeople != res.YoungPeople || again.Bookings != res.Bookings || again.Marks != res.Marks || again.Today != res.Today {
		t.Errorf("the second run reports %+v, the first %+v", again, res)
	}
	checkCounters(t, db)

	if res.YoungPeople != len(demoYoungPeople) || first.NoLogin != len(demoYoungPeople) {
		t.Errorf("young people without logins: result %d, database %d, want %d", res.YoungPeople, first.NoLogin, len(demoYoungPeople))
	}
	var outside int
	if err := db.Get(&outside, `SELECT count(*) FROM users u LEFT JOIN postcodes p ON p.postcode = u.postcode
		WHERE u.role = 'young_person' AND u.email IS NULL AND (p.lad_code IS DISTINCT FROM 'E08000009' OR u.password_hash IS NOT NULL
		  OR extract(year FROM age($1::date, u.date_of_birth)) NOT BETWEEN 11 AND 18)`, now.Format(time.DateOnly)); err != nil {
		t.Fatal(err)
	}
	if outside != 0 {
		t.Errorf("%d demo young people are not 11 to 18, without a password, at a Trafford postcode", outside)
	}
	// Four in five have an emergency contact, for the roll call.
	if want := len(demoYoungPeople) - len(demoYoungPeople)/5; first.Contacts != want {
		t.Errorf("%d emergency contacts, want %d", first.Contacts, want)
	}
	if res.Bookings == 0 || res.Marks == 0 || first.Attended == 0 || first.NoShows == 0 || first.WalkIns == 0 {
		t.Errorf("too little activity: %+v", first)
	}

	var logins int
	if err := db.Get(&logins, `SELECT count(*) FROM bookings b JOIN users u ON u.id = b.young_person_id
		WHERE u.email IN ('young@demo.test', 'child@demo.test')`); err != nil {
		t.Fatal(err)
	}
	if logins != 0 {
		t.Errorf("the demo young people's logins have %d bookings, want none", logins)
	}

	// Coming sessions: several partly booked, one full with a short waiting list.
	var coming []struct {
		Title     string `db:"title"`
		Places    int    `db:"places"`
		Confirmed int    `db:"confirmed_count"`
		Waiting   int    `db:"waitlist_count"`
	}
	if err := db.Select(&coming, `SELECT s.title, LEAST(o.capacity, coalesce(o.staffed_limit, o.capacity)) AS places,
		o.confirmed_count, o.waitlist_count
		FROM occurrences o JOIN session_series s ON s.id = o.series_id
		WHERE o.starts_at > $1 AND o.status = 'scheduled' AND (o.confirmed_count > 0 OR o.waitlist_count > 0)`, now); err != nil {
		t.Fatal(err)
	}
	partly, full := 0, 0
	for _, o := range coming {
		switch {
		case o.Confirmed == o.Places && o.Waiting > 0 && o.Waiting <= 3:
			full++
		case o.Confirmed < o.Places && o.Waiting == 0:
			partly++
		default:
			t.Errorf("coming %s: %d of %d places, %d waiting", o.Title, o.Confirmed, o.Places, o.Waiting)
		}
	}
	if partly < 3 || full != 1 {
		t.Errorf("coming sessions: %d partly booked, %d full with a waiting list; want 3 or more and 1", partly, full)
	}
	var mentoring int
	if err := db.Get(&mentoring, `SELECT count(*) FROM occurrences o JOIN session_series s ON s.id = o.series_id
		WHERE s.title = 'One-to-one mentoring' AND (o.confirmed_count > 0 OR o.waitlist_count > 0)`); err != nil {
		t.Fatal(err)
	}
	if mentoring != 0 {
		t.Errorf("%d mentoring sessions booked: the waiting-list scenario needs them free", mentoring)
	}

	// Today: Wes rostered on one session at a Trafford centre, its register
	// open now, with a dozen bookings and marks he took.
	var today []struct {
		ID       string    `db:"id"`
		StartsAt time.Time `db:"starts_at"`
		EndsAt   time.Time `db:"ends_at"`
		Role     string    `db:"role"`
		Staff    int       `db:"staff"`
		Booked   int       `db:"booked"`
		Marked   int       `db:"marked"`
		ByWes    int       `db:"by_wes"`
	}
	if err := db.Select(&today, `SELECT o.id, o.starts_at, o.ends_at, sh.role,
		(SELECT count(*) FROM shifts x WHERE x.occurrence_id = o.id) AS staff,
		(SELECT count(*) FROM bookings b WHERE b.occurrence_id = o.id AND b.status IN ('confirmed','attended')) AS booked,
		(SELECT count(*) FROM current_marks m WHERE m.occurrence_id = o.id AND m.status IN ('present','late')) AS marked,
		(SELECT count(*) FROM marks m WHERE m.occurrence_id = o.id AND m.recorded_by = u.id) AS by_wes
		FROM shifts sh JOIN users u ON u.id = sh.user_id JOIN occurrences o ON o.id = sh.occurrence_id
		JOIN councils c ON c.id = o.council_id
		WHERE u.email = 'worker@demo.test' AND c.lad_code = 'E08000009'
		  AND (o.starts_at AT TIME ZONE 'Europe/London')::date = $1::date`, now.Format(time.DateOnly)); err != nil {
		t.Fatal(err)
	}
	if len(today) != 1 {
		t.Fatalf("Wes has %d shifts today, want 1", len(today))
	}
	o := today[0]
	if open := o.StartsAt.Add(-2 * time.Hour); now.Before(open) || !now.Before(o.EndsAt) || o.StartsAt.After(now) {
		t.Errorf("today's session %s–%s: its register is not open at %s", o.StartsAt, o.EndsAt, now)
	}
	if o.Role != "lead" || o.Staff != 2 || o.Booked != todayBooked || o.Marked < 3 || o.Marked != o.ByWes || o.Booked-o.Marked < 3 {
		t.Errorf("today's session: %+v; want Wes the lead of 2, %d booked, 3 or more marked by him, 3 or more unmarked", o, todayBooked)
	}
	if res.Today == "" {
		t.Error("the result does not name today's session")
	}

	// Past attendance: the coverage page's reach for Trafford (young people
	// of 13 to 19 who came in the last 12 months), with each kind of
	// provider's figure large enough to be shown.
	cov := &coverage.Service{DB: db, Now: func() time.Time { return now }}
	m, err := cov.Measure(ctx, coverage.Council{ID: res.TraffordID, Name: "Trafford Council", LADCode: "E08000009"}, coverage.Query{})
	if err != nil {
		t.Fatal(err)
	}
	sum := m.Summary
	t.Logf("reach %.2f%%: %d attendees (%d regular, %d living elsewhere) of %d young people",
		100*sum.Reach, sum.Attendees12Months, sum.RegularAttendees, sum.AttendeesElsewhere, sum.YoungPeople)
	if sum.Reach <= 0 || sum.Attendees12Months < 20 || sum.RegularAttendees == 0 || sum.AttendeesElsewhere != 0 {
		t.Errorf("coverage reach %v from %d attendees (%d regular, %d living elsewhere): want 20 or more, living in Trafford",
			sum.Reach, sum.Attendees12Months, sum.RegularAttendees, sum.AttendeesElsewhere)
	}
	for _, prov := range []coverage.Provider{coverage.ProviderCouncil, coverage.ProviderCharity, coverage.ProviderCommunityOrganisation} {
		if got := sum.ReachByProvider[prov].Attendees12Months; got < 10 {
			t.Errorf("%s centres: %d attendees, want 10 or more (fewer are withheld)", prov, got)
		}
	}
}

// TestRunNextDay seeds late at night, then again the next morning: the
// session made the night before runs past midnight, the morning run adds
// that day's session once, and a third run that morning adds nothing.
func TestRunNextDay(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	now := time.Date(2026, time.March, 16, 23, 50, 0, 0, schedule.London()) // a Monday
	s := seeder(t, db, &now)
	res, err := s.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Today == "" {
		t.Fatal("no session late at night")
	}
	night := count(t, db)
	now = time.Date(2026, time.March, 17, 14, 5, 0, 0, schedule.London())
	next, err := s.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if next.Today == "" || next.Today == res.Today {
		t.Errorf("the morning run's session %q, the night's %q", next.Today, res.Today)
	}
	morning := count(t, db)
	if morning.Series != night.Series+1 || morning.Shifts != night.Shifts+2 || morning.NoLogin != night.NoLogin {
		t.Errorf("the next morning: %+v, the night before: %+v", morning, night)
	}
	if _, err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if again := count(t, db); again != morning {
		t.Errorf("a second run in the morning changed the data:\n first %+v\nsecond %+v", morning, again)
	}
	checkCounters(t, db)
}
