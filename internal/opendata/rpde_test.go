package opendata

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/testdb"
)

// feedWorld is a council with a centre, a series and two occurrences.
type feedWorld struct {
	db                      *sqlx.DB
	p                       *Publisher
	council, centre, series string
	first, second           string
}

func newFeedWorld(t *testing.T) feedWorld {
	t.Helper()
	db := testdb.New(t)
	w := feedWorld{db: db, p: &Publisher{DB: db, BaseURL: "https://youthhub.test"}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.Get(&w.council, `INSERT INTO councils (name) VALUES ('Trafford Council') RETURNING id`))
	must(db.Get(&w.centre, `INSERT INTO centres (council_id, name, lat, lon, provider_type) VALUES ($1, 'Old Trafford Youth Centre', 53.4584, -2.2796, 'council') RETURNING id`, w.council))
	must(db.Get(&w.series, `INSERT INTO session_series (council_id, centre_id, title, category, age_min, age_max, booking_mode, capacity,
		days, start_local, duration_minutes, first_date) VALUES ($1, $2, 'Tuesday football', 'sport', 11, 16, 'bookable', 20, '{2}', '18:00', 90, '2027-06-01')
		RETURNING id`, w.council, w.centre))
	occ := func(dst *string, starts string) {
		must(db.Get(dst, `INSERT INTO occurrences (series_id, council_id, centre_id, starts_at, ends_at, booking_mode, capacity)
			VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz + interval '90 minutes', 'bookable', 20) RETURNING id`, w.series, w.council, w.centre, starts))
	}
	occ(&w.first, "2027-06-01T18:00:00+01:00")
	occ(&w.second, "2027-06-08T18:00:00+01:00")
	return w
}

// readAll follows a feed from a position to its end.
func readAll(t *testing.T, read func(context.Context, Position, int) (Page, error), from Position) ([]Item, Position) {
	t.Helper()
	var all []Item
	for {
		page, err := read(context.Background(), from, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) == 0 {
			return all, from
		}
		all = append(all, page.Items...)
		from = page.Next
	}
}

// waitFor reads a feed from a position until check accepts what follows it.
// Other tests' transactions on the cluster can hold a change back briefly.
func waitFor(t *testing.T, what string, read func(context.Context, Position, int) (Page, error), from Position, check func([]Item) bool) []Item {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		items, _ := readAll(t, read, from)
		if check(items) {
			return items
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; last read %+v", what, items)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func ids(items []Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ID+":"+it.State)
	}
	return out
}

// TestNothingAppearsBehindAConsumer: a change committed while an older
// transaction is still running is held back until that transaction ends, so
// a consumer that has read to the end never skips the older one's change.
func TestNothingAppearsBehindAConsumer(t *testing.T) {
	t.Parallel()
	w := newFeedWorld(t)
	read := w.p.ScheduledSessionsPage
	waitFor(t, "both occurrences", read, Position{}, func(it []Item) bool { return len(it) == 2 })
	_, end := readAll(t, read, Position{})

	older, err := w.db.Beginx()
	if err != nil {
		t.Fatal(err)
	}
	defer older.Rollback()
	if _, err := older.Exec(`UPDATE occurrences SET capacity = 21 WHERE id = $1`, w.first); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Exec(`UPDATE occurrences SET capacity = 22 WHERE id = $1`, w.second); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if items, _ := readAll(t, read, end); len(items) != 0 {
			t.Fatalf("a change shows while an older transaction runs: %v", ids(items))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := older.Commit(); err != nil {
		t.Fatal(err)
	}
	items := waitFor(t, "both changes", read, end, func(it []Item) bool { return len(it) == 2 })
	if items[0].ID != w.first || items[1].ID != w.second || items[0].Modified >= items[1].Modified {
		t.Fatalf("after the older transaction ends: %v, want the older change first", ids(items))
	}
	if c := *items[1].Data.(ScheduledSession).MaximumAttendeeCapacity; c != 22 {
		t.Fatalf("capacity %d", c)
	}
}

// TestWhatMovesAnItem: what a feed publishes moves an item to the end;
// bookkeeping that it does not publish leaves it where it is; a change to
// a centre or a council's name moves the series held there; deletions
// become deleted items.
func TestWhatMovesAnItem(t *testing.T) {
	t.Parallel()
	w := newFeedWorld(t)
	series, sessions := w.p.SessionSeriesPage, w.p.ScheduledSessionsPage
	waitFor(t, "the series", series, Position{}, func(it []Item) bool { return len(it) == 1 })
	waitFor(t, "the occurrences", sessions, Position{}, func(it []Item) bool { return len(it) == 2 })
	_, seriesEnd := readAll(t, series, Position{})
	_, sessionsEnd := readAll(t, sessions, Position{})

	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := w.db.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	// Not published: nothing moves.
	exec(`UPDATE session_series SET generated_until = now() WHERE id = $1`, w.series)
	exec(`UPDATE occurrences SET waitlist_count = 3, waitlist_seq = 3, register_closed_at = now() WHERE id = $1`, w.first)
	exec(`UPDATE centres SET weekly_hours = 4 WHERE id = $1`, w.centre)
	// A marker change after them: once it shows, they would have too.
	exec(`UPDATE occurrences SET confirmed_count = 1 WHERE id = $1`, w.second)
	items := waitFor(t, "the booking", sessions, sessionsEnd, func(it []Item) bool { return len(it) > 0 })
	if !slices.Equal(ids(items), []string{w.second + ":updated"}) {
		t.Fatalf("unpublished changes moved items: %v", ids(items))
	}
	if left := *items[0].Data.(ScheduledSession).RemainingAttendeeCapacity; left != 19 {
		t.Fatalf("places left %d", left)
	}
	if items, _ := readAll(t, series, seriesEnd); len(items) != 0 {
		t.Fatalf("unpublished changes moved the series: %v", ids(items))
	}

	// A centre's address, then a council's name, move the series.
	exec(`UPDATE centres SET address = 'St Hildas Road, Old Trafford' WHERE id = $1`, w.centre)
	items = waitFor(t, "the series after the centre changed", series, seriesEnd, func(it []Item) bool { return len(it) == 1 })
	if a := items[0].Data.(SessionSeries).Location.Address; a.StreetAddress != "St Hildas Road" {
		t.Fatalf("address %+v", a)
	}
	seriesEnd = items[0].position()
	exec(`UPDATE councils SET name = 'Trafford Metropolitan Borough Council' WHERE id = $1`, w.council)
	items = waitFor(t, "the series after the council's name changed", series, seriesEnd, func(it []Item) bool { return len(it) == 1 })
	if o := items[0].Data.(SessionSeries).Organizer; o.Name != "Trafford Metropolitan Borough Council" {
		t.Fatalf("organizer %+v", o)
	}
	seriesEnd = items[0].position()

	// Deleting the series deletes its occurrences: three deleted items.
	_, sessionsEnd = readAll(t, sessions, Position{})
	exec(`DELETE FROM session_series WHERE id = $1`, w.series)
	items = waitFor(t, "the deleted occurrences", sessions, sessionsEnd, func(it []Item) bool { return len(it) == 2 })
	for _, it := range items {
		if it.State != StateDeleted || it.Data != nil || (it.ID != w.first && it.ID != w.second) {
			t.Fatalf("deleted occurrence: %+v", it)
		}
	}
	items = waitFor(t, "the deleted series", series, seriesEnd, func(it []Item) bool { return len(it) == 1 })
	if items[0].State != StateDeleted || items[0].ID != w.series || items[0].Kind != KindSessionSeries {
		t.Fatalf("deleted series: %+v", items[0])
	}
	// From the start, each id once, in its latest state.
	all, _ := readAll(t, sessions, Position{})
	if len(all) != 2 || all[0].State != StateDeleted {
		t.Fatalf("the whole feed: %v", ids(all))
	}
}

func (it Item) position() Position { return Position{Modified: it.Modified, ID: it.ID} }
