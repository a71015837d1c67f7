package staffing_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/rota"
	"youthhub/internal/staffing"
	"youthhub/internal/testdb"
)

// world is a council with a centre, a manager and staff with valid records.
type world struct {
	db        *sqlx.DB
	svc       *staffing.Service
	council   string
	centre    string
	manager   staffing.Actor
	staff     []string
	mon       time.Time
	seriesSeq int
}

func newWorld(t *testing.T, workers int) *world {
	t.Helper()
	db := testdb.New(t)
	now := time.Now()
	w := &world{db: db, svc: &staffing.Service{DB: db, Now: func() time.Time { return now }}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.Get(&w.council, `INSERT INTO councils (name) VALUES ('Trafford Council') RETURNING id`))
	must(db.Get(&w.centre, `INSERT INTO centres (council_id, name, lat, lon, provider_type) VALUES ($1, 'Old Trafford Youth Centre', 53.45, -2.28, 'council') RETURNING id`, w.council))
	var mgr string
	must(db.Get(&mgr, `INSERT INTO users (role, council_id, first_name, last_name, date_of_birth) VALUES ('centre_manager', $1, 'Mina', 'Manager', '1985-01-01') RETURNING id`, w.council))
	w.manager = staffing.Actor{UserID: mgr, Role: auth.CentreManager, CouncilID: w.council}
	due := now.AddDate(2, 0, 0).Format(time.DateOnly)
	for i := range workers {
		var id string
		must(db.Get(&id, `INSERT INTO users (role, council_id, first_name, last_name, date_of_birth) VALUES ('youth_worker', $1, $2, 'Worker', '1990-05-05') RETURNING id`,
			w.council, fmt.Sprintf("W%02d", i)))
		q := "none"
		if i%3 == 0 {
			q = "jnc3"
		}
		in := staffing.RecordInput{Qualification: q, DBSEnhanced: true, DBSBarredListChecked: true, DBSNextCheckDue: &due,
			SafeguardingExpires: &due, FirstAidExpires: &due, ContractedHours: 20}
		if _, err := w.svc.PutStaffRecord(context.Background(), w.manager, id, in); err != nil {
			t.Fatal(err)
		}
		w.staff = append(w.staff, id)
	}
	d := now.In(rota.London()).AddDate(0, 0, 14)
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, rota.London())
	w.mon = d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	return w
}

// occurrence adds a bookable occurrence with its own series.
func (w *world) occurrence(t *testing.T, start time.Time, confirmed int) string {
	t.Helper()
	w.seriesSeq++
	var sid, oid string
	if err := w.db.Get(&sid, `INSERT INTO session_series (council_id, centre_id, title, category, age_min, age_max, booking_mode, capacity,
		days, start_local, duration_minutes, first_date) VALUES ($1, $2, $3, 'sport', 11, 18, 'bookable', 30, '{1}', '18:00', 90, $4) RETURNING id`,
		w.council, w.centre, fmt.Sprintf("Session %d", w.seriesSeq), start.Format(time.DateOnly)); err != nil {
		t.Fatal(err)
	}
	if err := w.db.Get(&oid, `INSERT INTO occurrences (series_id, council_id, centre_id, starts_at, ends_at, booking_mode, capacity, confirmed_count)
		VALUES ($1, $2, $3, $4, $5, 'bookable', 30, $6) RETURNING id`, sid, w.council, w.centre, start, start.Add(90*time.Minute), confirmed); err != nil {
		t.Fatal(err)
	}
	return oid
}

// TestConcurrentRotaWritesNeitherDeadlockNorBreakRules runs auto-fill,
// single shift writes, deletes and swaps over the same occurrences and
// workers at once. Every write takes its locks in the same order
// (occurrences, then staff records, then swaps), so none may fail with a
// deadlock or any other server error; afterwards the stored rota breaks no
// hard rule.
func TestConcurrentRotaWritesNeitherDeadlockNorBreakRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 12)
	ctx := context.Background()
	var occs []string
	for day := range 5 {
		for slot := range 3 {
			occs = append(occs, w.occurrence(t, time.Date(w.mon.Year(), w.mon.Month(), w.mon.Day()+day, 16+slot, 30*slot, 0, 0, rota.London()), 5*slot))
		}
	}
	in := staffing.AutoFillInput{WeekStart: w.mon.Format(time.DateOnly)}
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			for range 15 {
				var err error
				switch rng.IntN(4) {
				case 0:
					_, err = w.svc.ApplyAutoFill(ctx, w.manager, in)
				case 1:
					_, err = w.svc.CreateShift(ctx, w.manager, occs[rng.IntN(len(occs))],
						staffing.ShiftInput{UserID: w.staff[rng.IntN(len(w.staff))], Role: "worker"})
				case 2:
					var ids []string
					if err = w.db.Select(&ids, `SELECT id FROM shifts ORDER BY random() LIMIT 1`); err == nil && len(ids) == 1 {
						_, err = w.svc.DeleteShift(ctx, w.manager, ids[0])
					}
				case 3:
					var sh []struct {
						ID     string `db:"id"`
						UserID string `db:"user_id"`
					}
					if err = w.db.Select(&sh, `SELECT id, user_id FROM shifts ORDER BY random() LIMIT 1`); err == nil && len(sh) == 1 {
						owner := staffing.Actor{UserID: sh[0].UserID, Role: auth.YouthWorker, CouncilID: w.council}
						taker := staffing.Actor{UserID: w.staff[rng.IntN(len(w.staff))], Role: auth.YouthWorker, CouncilID: w.council}
						var sw staffing.Swap
						if sw, err = w.svc.OfferSwap(ctx, owner, sh[0].ID); err == nil {
							if _, err = w.svc.AcceptSwap(ctx, taker, sw.ID); err == nil {
								_, err = w.svc.ApproveSwap(ctx, w.manager, sw.ID)
							}
						}
					}
				}
				switch fault.KindOf(err) {
				case fault.Invalid, fault.Conflict, fault.NotFound, fault.Forbidden:
				default:
					if err != nil {
						errs <- err
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	week, err := w.svc.FindRota(ctx, w.council, "", w.mon)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range week.Items {
		for _, r := range it.Reasons {
			if r.Severity == string(rota.Hard) {
				t.Errorf("%s: %s", r.Code, r.Message)
			}
		}
		limit := 0
		if it.StaffedLimit != nil {
			limit = *it.StaffedLimit
		}
		if want := max(rota.StaffedCapacity(it.AdultStaff, it.StaffRatio, math.MaxInt32), it.ConfirmedCount); len(it.Shifts) > 0 && limit != want {
			t.Errorf("%s: staffed limit %d, want %d", it.Title, limit, want)
		}
	}
}

// TestFindRotaReadsTheWholeLondonWeek: the week of any day runs Monday
// 00:00 to Sunday 24:00 Europe/London, across the clock change.
func TestFindRotaReadsTheWholeLondonWeek(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0)
	ctx := context.Background()
	// The week of 29 March 2027: the clocks went forward on Sunday 28 March.
	in := []time.Time{
		time.Date(2027, 3, 28, 23, 30, 0, 0, rota.London()), // the Sunday before: not in
		time.Date(2027, 3, 29, 0, 0, 0, 0, rota.London()),
		time.Date(2027, 4, 4, 23, 0, 0, 0, rota.London()),
		time.Date(2027, 4, 5, 0, 0, 0, 0, rota.London()), // the next Monday: not in
	}
	for _, t0 := range in {
		w.occurrence(t, t0, 0)
	}
	for _, day := range []string{"2027-03-29", "2027-04-01", "2027-04-04"} {
		d, _ := time.Parse(time.DateOnly, day)
		week, err := w.svc.FindRota(ctx, w.council, "", d)
		if err != nil {
			t.Fatal(err)
		}
		if week.WeekStart != "2027-03-29" || week.Total != 2 || week.Summary.Red != 2 {
			t.Fatalf("%s: week %s with %d occurrences (%+v)", day, week.WeekStart, week.Total, week.Summary)
		}
	}
}

// TestAutoFillCountsWhoIsAlreadyRostered: a worker who usually works at
// another centre but has been put on this centre's session by hand counts
// towards it, so auto-fill proposes only what is still missing.
func TestAutoFillCountsWhoIsAlreadyRostered(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 4)
	ctx := context.Background()
	var other string
	if err := w.db.Get(&other, `INSERT INTO centres (council_id, name, lat, lon, provider_type) VALUES ($1, 'Stretford Youth Centre', 53.44, -2.31, 'council') RETURNING id`, w.council); err != nil {
		t.Fatal(err)
	}
	rec, err := w.svc.FindStaffRecord(ctx, w.manager, w.staff[0])
	if err != nil {
		t.Fatal(err)
	}
	rec.CentreIDs = []string{other}
	if _, err := w.svc.PutStaffRecord(ctx, w.manager, w.staff[0], rec.RecordInput); err != nil {
		t.Fatal(err)
	}
	occ := w.occurrence(t, time.Date(w.mon.Year(), w.mon.Month(), w.mon.Day()+1, 18, 0, 0, 0, rota.London()), 0)
	if _, err := w.svc.CreateShift(ctx, w.manager, occ, staffing.ShiftInput{UserID: w.staff[0], Role: "lead"}); err != nil {
		t.Fatal(err)
	}
	p, err := w.svc.PreviewAutoFill(ctx, w.council, staffing.AutoFillInput{WeekStart: w.mon.Format(time.DateOnly), CentreID: w.centre})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Shifts) != 1 || p.Shifts[0].Role != "worker" || p.Shifts[0].UserID == w.staff[0] || len(p.Unfilled) != 0 {
		t.Fatalf("proposal: %+v", p)
	}
}
