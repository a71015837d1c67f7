package timetable_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/fault"
	"youthhub/internal/schedule"
	"youthhub/internal/testdb"
	"youthhub/internal/timetable"
)

var london = schedule.London()

// world is a council with one open centre and a young person, on a fresh database.
type world struct {
	db                       *sqlx.DB
	svc                      *timetable.Service
	now                      time.Time
	council, centre, young   string
	otherCouncil, closedSite string
}

func newWorld(t *testing.T, now time.Time) *world {
	t.Helper()
	w := &world{db: testdb.New(t), now: now}
	w.svc = &timetable.Service{DB: w.db, Now: func() time.Time { return w.now }}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.db.Get(&w.council, `INSERT INTO councils (name) VALUES ('Trafford Council') RETURNING id`))
	must(w.db.Get(&w.otherCouncil, `INSERT INTO councils (name) VALUES ('Manchester City Council') RETURNING id`))
	must(w.db.Get(&w.centre, `INSERT INTO centres (council_id, name, lat, lon, provider_type) VALUES ($1, 'Old Trafford Youth Centre', 53.4606, -2.2796, 'council') RETURNING id`, w.council))
	must(w.db.Get(&w.closedSite, `INSERT INTO centres (council_id, name, lat, lon, provider_type, status) VALUES ($1, 'Former Partington Youth Centre', 53.416, -2.43, 'council', 'closed') RETURNING id`, w.council))
	must(w.db.Get(&w.young, `INSERT INTO users (role, email, first_name, date_of_birth) VALUES ('young_person', 'sam@example.test', 'Sam', '2012-01-01') RETURNING id`))
	return w
}

func (w *world) football(t *testing.T, mutate func(*timetable.Input)) timetable.Series {
	t.Helper()
	in := timetable.Input{CentreID: w.centre, Title: "Tuesday football", Category: "sport", AgeMin: 11, AgeMax: 16, BookingMode: "bookable",
		Capacity: 24, Days: []string{"tuesday"}, StartTime: "18:00", DurationMinutes: 90, FirstDate: "2027-09-07"}
	if mutate != nil {
		mutate(&in)
	}
	sr, err := w.svc.CreateSeries(context.Background(), w.council, "", in)
	if err != nil {
		t.Fatalf("CreateSeries: %v", err)
	}
	return sr
}

// starts lists the local start times of a series' scheduled occurrences.
func (w *world) starts(t *testing.T, seriesID string) []string {
	t.Helper()
	var ts []time.Time
	if err := w.db.Select(&ts, `SELECT starts_at FROM occurrences WHERE series_id = $1 AND status = 'scheduled' ORDER BY starts_at`, seriesID); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(ts))
	for i, x := range ts {
		out[i] = x.In(london).Format("2006-01-02 15:04")
	}
	return out
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, london)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCreateSeriesGeneratesTheHorizonAndExtendHorizonMovesIt(t *testing.T) {
	t.Parallel()
	w := newWorld(t, at("2027-09-01 12:00"))
	w.svc.Horizon = 3 * 7 * 24 * time.Hour
	sr := w.football(t, nil)
	if got := w.starts(t, sr.ID); strings.Join(got, ",") != "2027-09-07 18:00,2027-09-14 18:00,2027-09-21 18:00" {
		t.Fatalf("occurrences %v", got)
	}
	if sr.GeneratedUntil == nil || !sr.GeneratedUntil.Equal(at("2027-09-22 12:00")) {
		t.Fatalf("generated_until %v", sr.GeneratedUntil)
	}
	ended := w.football(t, func(in *timetable.Input) { in.Title = "Summer only"; in.LastDate = ptr("2027-09-14") })

	ctx := context.Background()
	n, err := w.svc.ExtendHorizon(ctx, at("2027-09-15 03:00"))
	if err != nil || n != 2 {
		t.Fatalf("ExtendHorizon two weeks on: %d, %v; want 2 new occurrences (28 September, 5 October)", n, err)
	}
	if n, err := w.svc.ExtendHorizon(ctx, at("2027-09-15 03:00")); err != nil || n != 0 {
		t.Fatalf("ExtendHorizon again: %d, %v; want nothing new", n, err)
	}
	if got := w.starts(t, sr.ID); len(got) != 5 || got[4] != "2027-10-05 18:00" {
		t.Fatalf("occurrences %v", got)
	}
	if got := w.starts(t, ended.ID); len(got) != 2 {
		t.Fatalf("an ended series grew: %v", got)
	}
	var until time.Time
	if err := w.db.Get(&until, `SELECT generated_until FROM session_series WHERE id = $1`, ended.ID); err != nil || !until.Equal(at("2027-09-22 12:00")) {
		t.Fatalf("an ended series was extended to %v (%v)", until, err)
	}
}

func TestCreateSeriesRefusesBadInputNamingEachField(t *testing.T) {
	t.Parallel()
	w := newWorld(t, at("2027-09-01 12:00"))
	tests := []struct {
		name   string
		mutate func(*timetable.Input)
		fields []string
	}{
		{"everything missing", func(in *timetable.Input) { *in = timetable.Input{} },
			[]string{"centre_id", "title", "category", "age_min", "age_max", "booking_mode", "capacity", "days", "start_time", "duration_minutes", "first_date"}},
		{"over 19 without SEND", func(in *timetable.Input) { in.AgeMax = 21 }, []string{"age_max"}},
		{"ages the wrong way round", func(in *timetable.Input) { in.AgeMin, in.AgeMax = 16, 11 }, []string{"age_max"}},
		{"too young", func(in *timetable.Input) { in.AgeMin = 7 }, []string{"age_min"}},
		{"unknown day", func(in *timetable.Input) { in.Days = []string{"tuesday", "funday"} }, []string{"days"}},
		{"bad time and length", func(in *timetable.Input) { in.StartTime, in.DurationMinutes = "6pm", 5 }, []string{"start_time", "duration_minutes"}},
		{"unreal dates", func(in *timetable.Input) {
			in.FirstDate, in.LastDate, in.Exceptions = "2027-02-30", ptr("someday"), []string{"2027-13-01"}
		}, []string{"exceptions", "first_date", "last_date"}},
		{"last before first", func(in *timetable.Input) { in.LastDate = ptr("2027-09-01") }, []string{"last_date"}},
		{"an empty last date is none", func(in *timetable.Input) { in.LastDate, in.Title = ptr(""), "" }, []string{"title"}},
		{"ratio and window out of range", func(in *timetable.Input) { in.StaffRatio, in.BookingWindowDays = 31, 91 }, []string{"staff_ratio", "booking_window_days"}},
		{"bad category and mode", func(in *timetable.Input) { in.Category, in.BookingMode = "parkour", "walk_up" }, []string{"category", "booking_mode"}},
		{"long title", func(in *timetable.Input) { in.Title = strings.Repeat("x", 121) }, []string{"title"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := timetable.Input{CentreID: w.centre, Title: "Tuesday football", Category: "sport", AgeMin: 11, AgeMax: 16, BookingMode: "bookable",
				Capacity: 24, Days: []string{"tuesday"}, StartTime: "18:00", DurationMinutes: 90, FirstDate: "2027-09-07"}
			tc.mutate(&in)
			_, err := w.svc.CreateSeries(context.Background(), w.council, "", in)
			e, ok := fault.As(err)
			if !ok || e.Kind != fault.Invalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			named := map[string]bool{}
			for _, f := range e.Fields {
				named[f.Field] = true
				if f.Message == "" {
					t.Errorf("field %s has no message", f.Field)
				}
			}
			for _, f := range tc.fields {
				if !named[f] {
					t.Errorf("field %s not named: %+v", f, e.Fields)
				}
			}
			if len(named) != len(tc.fields) {
				t.Errorf("named %v, want exactly %v", e.Fields, tc.fields)
			}
		})
	}
	var n int
	if err := w.db.Get(&n, `SELECT (SELECT count(*) FROM session_series) + (SELECT count(*) FROM occurrences)`); err != nil || n != 0 {
		t.Fatalf("refused input wrote %d rows (%v)", n, err)
	}

	if _, err := w.svc.CreateSeries(context.Background(), w.otherCouncil, "", timetable.Input{CentreID: w.centre, Title: "x", Category: "sport",
		AgeMin: 11, AgeMax: 16, BookingMode: "bookable", Capacity: 5, Days: []string{"monday"}, StartTime: "18:00", DurationMinutes: 60,
		FirstDate: "2027-09-06"}); fault.KindOf(err) != fault.NotFound {
		t.Errorf("another council's centre: %v, want not found", err)
	}
	_, err := w.svc.CreateSeries(context.Background(), w.council, "", timetable.Input{CentreID: w.closedSite, Title: "x", Category: "sport",
		AgeMin: 11, AgeMax: 16, BookingMode: "bookable", Capacity: 5, Days: []string{"monday"}, StartTime: "18:00", DurationMinutes: 60,
		FirstDate: "2027-09-06"})
	if e, ok := fault.As(err); !ok || len(e.Fields) != 1 || e.Fields[0].Field != "centre_id" {
		t.Errorf("closed centre: %v, want a centre_id field error", err)
	}
	sendSeries := w.football(t, func(in *timetable.Input) { in.Category, in.AgeMax = "send", 25 })
	if !sendSeries.Send || sendSeries.StaffRatio != 10 || sendSeries.BookingWindowDays != 14 {
		t.Errorf("a send-category series is SEND, with default ratio and window: %+v", sendSeries)
	}
}

func TestUpdateSeriesReconcilesFutureOccurrences(t *testing.T) {
	t.Parallel()
	w := newWorld(t, at("2027-09-01 12:00"))
	w.svc.Horizon = 5 * 7 * 24 * time.Hour
	sr := w.football(t, nil) // 7, 14, 21, 28 September and 5 October
	ctx := context.Background()
	occ := func(day string) string {
		t.Helper()
		var id string
		if err := w.db.Get(&id, `SELECT id FROM occurrences WHERE series_id = $1 AND starts_at = $2`, sr.ID, at(day+" 18:00")); err != nil {
			t.Fatalf("occurrence on %s: %v", day, err)
		}
		return id
	}
	booked := occ("2027-09-21")
	if _, err := w.db.Exec(`INSERT INTO bookings (occurrence_id, young_person_id, status, starts_at, ends_at)
		SELECT id, $2, 'confirmed', starts_at, ends_at FROM occurrences WHERE id = $1`, booked, w.young); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Exec(`UPDATE occurrences SET confirmed_count = 1 WHERE id = $1`, booked); err != nil {
		t.Fatal(err)
	}
	own := occ("2027-10-05")
	if _, err := w.svc.SetCapacity(ctx, w.council, own, 30); err != nil {
		t.Fatal(err)
	}

	// Two new exceptions: the unbooked session goes, the booked one is cancelled and its booker told.
	got, err := w.svc.UpdateSeries(ctx, w.council, sr.ID, timetable.Update{Exceptions: &[]string{"2027-09-21", "2027-09-14", "2027-09-14"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Exceptions, ",") != "2027-09-14,2027-09-21" {
		t.Errorf("exceptions %v", got.Exceptions)
	}
	if s := w.starts(t, sr.ID); strings.Join(s, ",") != "2027-09-07 18:00,2027-09-28 18:00,2027-10-05 18:00" {
		t.Fatalf("after exceptions: %v", s)
	}
	var st struct {
		Status    string `db:"status"`
		Confirmed int    `db:"confirmed_count"`
		Bookings  int    `db:"live"`
		Notes     int    `db:"notes"`
	}
	if err := w.db.Get(&st, `SELECT o.status, o.confirmed_count,
		(SELECT count(*) FROM bookings b WHERE b.occurrence_id = o.id AND b.status IN ('confirmed','waitlisted')) AS live,
		(SELECT count(*) FROM notifications n WHERE n.user_id = $2 AND n.kind = 'session_cancelled') AS notes
		FROM occurrences o WHERE o.id = $1`, booked, w.young); err != nil {
		t.Fatal(err)
	}
	if st.Status != "cancelled" || st.Confirmed != 0 || st.Bookings != 0 || st.Notes != 1 {
		t.Fatalf("the booked occurrence: %+v", st)
	}

	// The exceptions go again: the deleted session comes back, and so does the cancelled one,
	// with its places open and its former booker told.
	if _, err := w.svc.UpdateSeries(ctx, w.council, sr.ID, timetable.Update{Exceptions: &[]string{}}); err != nil {
		t.Fatal(err)
	}
	if s := w.starts(t, sr.ID); strings.Join(s, ",") != "2027-09-07 18:00,2027-09-14 18:00,2027-09-21 18:00,2027-09-28 18:00,2027-10-05 18:00" {
		t.Fatalf("after removing exceptions: %v", s)
	}
	var back int
	if err := w.db.Get(&back, `SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'session_restored'`, w.young); err != nil || back != 1 {
		t.Fatalf("%d notifications that 21 September is back (%v)", back, err)
	}

	// A new capacity reaches the sessions that had the series' capacity, not one with its own.
	if _, err := w.svc.UpdateSeries(ctx, w.council, sr.ID, timetable.Update{Capacity: ptr(12)}); err != nil {
		t.Fatal(err)
	}
	var caps []int
	if err := w.db.Select(&caps, `SELECT capacity FROM occurrences WHERE series_id = $1 AND status = 'scheduled' ORDER BY starts_at`, sr.ID); err != nil {
		t.Fatal(err)
	}
	if len(caps) != 5 || caps[0] != 12 || caps[2] != 12 || caps[3] != 12 || caps[4] != 30 {
		t.Fatalf("capacities %v", caps)
	}

	// An earlier last date removes the sessions after it.
	if _, err := w.svc.UpdateSeries(ctx, w.council, sr.ID, timetable.Update{LastDate: timetable.NullableDate{Set: true, Value: ptr("2027-09-20")}}); err != nil {
		t.Fatal(err)
	}
	if s := w.starts(t, sr.ID); strings.Join(s, ",") != "2027-09-07 18:00,2027-09-14 18:00" {
		t.Fatalf("after an earlier last date: %v", s)
	}
	// No last date: the series runs to the horizon again, all five sessions.
	if _, err := w.svc.UpdateSeries(ctx, w.council, sr.ID, timetable.Update{LastDate: timetable.NullableDate{Set: true}}); err != nil {
		t.Fatal(err)
	}
	if s := w.starts(t, sr.ID); len(s) != 5 {
		t.Fatalf("after removing the last date: %v", s)
	}

	if _, err := w.svc.UpdateSeries(ctx, w.otherCouncil, sr.ID, timetable.Update{Title: ptr("Mine now")}); fault.KindOf(err) != fault.NotFound {
		t.Fatalf("another council's update: %v, want not found", err)
	}
}

func TestSeriesCapacityCannotGoBelowConfirmedBookings(t *testing.T) {
	t.Parallel()
	w := newWorld(t, at("2027-09-01 12:00"))
	sr := w.football(t, nil)
	if _, err := w.db.Exec(`UPDATE occurrences SET confirmed_count = 20 WHERE series_id = $1 AND starts_at = $2`, sr.ID, at("2027-09-14 18:00")); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.UpdateSeries(context.Background(), w.council, sr.ID, timetable.Update{Capacity: ptr(10), Title: ptr("Renamed")})
	e, ok := fault.As(err)
	if !ok || len(e.Fields) != 1 || e.Fields[0].Field != "capacity" || !strings.Contains(e.Fields[0].Message, "Tuesday 14 September") {
		t.Fatalf("err = %v", err)
	}
	again, _ := w.svc.FindSeriesByID(context.Background(), w.council, sr.ID)
	if again.Title != "Tuesday football" || again.Capacity != 24 {
		t.Fatalf("a refused update changed the series: %+v", again)
	}
}

func TestBookingOpensAtCountsUKDays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		starts string
		days   int
		want   string
	}{
		{"2027-03-30 18:00", 14, "2027-03-16T18:00:00Z"},      // opens in GMT, session in BST
		{"2027-11-02 18:00", 14, "2027-10-19T18:00:00+01:00"}, // opens in BST, session in GMT
		{"2027-07-06 18:00", 1, "2027-07-05T18:00:00+01:00"},
	}
	for _, tc := range tests {
		got := timetable.BookingOpensAt(at(tc.starts), tc.days).Format(time.RFC3339)
		if got != tc.want {
			t.Errorf("BookingOpensAt(%s, %d) = %s, want %s", tc.starts, tc.days, got, tc.want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestClosedCentreGetsNoNewSessions: once a centre closes, its sessions
// still to come are cancelled (with their bookers told) and the rolling
// horizon adds no more; other centres' series still grow.
func TestClosedCentreGetsNoNewSessions(t *testing.T) {
	t.Parallel()
	w := newWorld(t, at("2027-09-01 12:00"))
	w.svc.Horizon = 3 * 7 * 24 * time.Hour
	sr := w.football(t, nil)
	var other string
	if err := w.db.Get(&other, `INSERT INTO centres (council_id, name, lat, lon, provider_type) VALUES ($1, 'Sale Hub', 53.42, -2.32, 'council') RETURNING id`, w.council); err != nil {
		t.Fatal(err)
	}
	elsewhere := w.football(t, func(in *timetable.Input) { in.CentreID = other; in.Title = "Sale football" })
	ctx := context.Background()
	if _, err := w.db.Exec(`UPDATE centres SET status = 'closed' WHERE id = $1`, w.centre); err != nil {
		t.Fatal(err)
	}
	n, err := w.svc.CancelCentreSessions(ctx, w.council, w.centre, "The centre has closed")
	if err != nil || n != 3 {
		t.Fatalf("CancelCentreSessions: %d, %v; want the 3 sessions still to come", n, err)
	}
	if n, err := w.svc.CancelCentreSessions(ctx, w.council, w.centre, "The centre has closed"); err != nil || n != 0 {
		t.Fatalf("again: %d, %v; want nothing left to cancel", n, err)
	}
	// Another council cannot cancel this council's sessions.
	var otherCouncil string
	if err := w.db.Get(&otherCouncil, `INSERT INTO councils (name, lad_code) VALUES ('Elsewhere', 'E08000099') RETURNING id`); err != nil {
		t.Fatal(err)
	}
	if n, err := w.svc.CancelCentreSessions(ctx, otherCouncil, other, "no"); err != nil || n != 0 {
		t.Fatalf("another council cancelled %d sessions (%v)", n, err)
	}
	added, err := w.svc.ExtendHorizon(ctx, at("2027-09-15 03:00"))
	if err != nil || added != 2 {
		t.Fatalf("ExtendHorizon: %d, %v; want 2, all at the open centre", added, err)
	}
	if got := w.starts(t, sr.ID); len(got) != 0 { // starts lists scheduled sessions
		t.Fatalf("the closed centre has sessions on its timetable: %v", got)
	}
	if got := w.starts(t, elsewhere.ID); len(got) != 5 {
		t.Fatalf("the open centre's series: %v", got)
	}
}
