// Package booking keeps the booking rules of DESIGN.md §2: capacity with a
// waiting list, one live booking per person per occurrence, no overlapping
// confirmed bookings, the booking window, the cap on future bookings, age on
// the day, guardian consent, and promotion from the waiting list on
// cancellation. Capacity is decided inside PostgreSQL by one conditional
// statement under the occurrence's row lock, never by a read-then-write in Go.
package booking

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/schedule"
)

// Defaults of the booking rules.
const (
	DefaultMaxFuture = 8 // future confirmed bookings a young person may hold
)

// Service books places.
type Service struct {
	DB         *sqlx.DB
	Now        func() time.Time
	ConsentAge int
	MaxFuture  int
	BaseURL    string

	prepMu   sync.Mutex
	bookStmt *sqlx.Stmt
}

// Booking is a young person's place (or waiting-list entry) at an occurrence.
type Booking struct {
	ID               string    `db:"id"`
	OccurrenceID     string    `db:"occurrence_id"`
	YoungPersonID    string    `db:"young_person_id"`
	Status           string    `db:"status"`
	WaitlistPosition *int      `db:"waitlist_position"`
	CreatedAt        time.Time `db:"created_at"`
}

// BookSQL books a place in one statement (one round trip): the
// Idempotency-Key row, the user's eligibility (role, active, consent,
// future-booking cap), the occurrence's rules (status, mode, window, age on
// the day, no live booking, no overlap) and the capacity decision are all
// evaluated under the occurrence's row lock taken by the UPDATE. SET
// expressions see the old row, so last_confirmed records this booking's
// decision. The notification and the e-mail are queued by the same statement.
// The cap CTE hands the cap, the clock and the consent age to the
// bookings_person_rules trigger (migrations 00010, 00018), the backstop for
// the per-person rules: it locks the person's row and checks overlap, the
// cap and consent again with a fresh snapshot, so that one person's bookings
// racing each other, or racing their guardian's withdrawal, cannot both
// pass.
// A retry with a key already present inserts nothing (it waits for the first
// request's commit on the key's primary key, then does nothing).
var BookSQL = `
WITH newid AS (SELECT gen_random_uuid() AS id
), k AS (
    INSERT INTO idempotency_keys (user_id, key, request_hash, booking_id)
    SELECT $2, $7, $8, newid.id FROM newid WHERE $7 <> ''
    ON CONFLICT DO NOTHING
    RETURNING 1
), cap AS (
    SELECT set_config('youthhub.book_cap', $5::int::text || '|' || $3::timestamptz::text || '|' || $4::int::text, true)
), yp AS (
    SELECT u.id, u.date_of_birth, u.email, u.first_name
    FROM users u, cap
    WHERE u.id = $2 AND u.role = 'young_person' AND u.active AND (u.sessions_valid_from IS NULL OR u.sessions_valid_from <= $9)
      AND ($7 = '' OR EXISTS (SELECT 1 FROM k))
      AND (extract(year FROM age(($3::timestamptz AT TIME ZONE 'Europe/London')::date, u.date_of_birth)) >= $4
           OR EXISTS (SELECT 1 FROM consents c WHERE c.young_person_id = u.id AND c.status = 'given'))
      AND (SELECT count(*) FROM bookings f WHERE f.young_person_id = u.id AND f.status = 'confirmed' AND f.starts_at > $3) < $5
), occ AS (
    UPDATE occurrences o SET
        last_confirmed  = o.confirmed_count < LEAST(o.capacity, coalesce(o.staffed_limit, o.capacity)),
        confirmed_count = o.confirmed_count + (o.confirmed_count < LEAST(o.capacity, coalesce(o.staffed_limit, o.capacity)))::int,
        waitlist_count  = o.waitlist_count + (o.confirmed_count >= LEAST(o.capacity, coalesce(o.staffed_limit, o.capacity)))::int,
        waitlist_seq    = o.waitlist_seq + (o.confirmed_count >= LEAST(o.capacity, coalesce(o.staffed_limit, o.capacity)))::int
    FROM yp, session_series s
    WHERE o.id = $1 AND s.id = o.series_id
      AND o.status = 'scheduled' AND o.booking_mode = 'bookable'
      AND $3 < o.starts_at
      AND $3 >= ((o.starts_at AT TIME ZONE 'Europe/London') - make_interval(days => s.booking_window_days)) AT TIME ZONE 'Europe/London'
      AND extract(year FROM age((o.starts_at AT TIME ZONE 'Europe/London')::date, yp.date_of_birth)) BETWEEN s.age_min AND s.age_max
      AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.occurrence_id = o.id AND b.young_person_id = yp.id AND b.status IN ('confirmed','waitlisted'))
      AND NOT EXISTS (SELECT 1 FROM walk_ins w WHERE w.occurrence_id = o.id AND w.young_person_id = yp.id)
      AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.young_person_id = yp.id AND b.status = 'confirmed'
                      AND b.starts_at < o.ends_at AND b.ends_at > o.starts_at)
    RETURNING o.id, o.last_confirmed, o.waitlist_seq, o.waitlist_count, o.starts_at, o.ends_at, s.title
), ins AS (
    INSERT INTO bookings (id, occurrence_id, young_person_id, status, waitlist_seq, starts_at, ends_at)
    SELECT newid.id, occ.id, $2, CASE WHEN occ.last_confirmed THEN 'confirmed' ELSE 'waitlisted' END,
           CASE WHEN occ.last_confirmed THEN NULL ELSE occ.waitlist_seq END, occ.starts_at, occ.ends_at
    FROM occ, newid
    RETURNING id, occurrence_id, young_person_id, status, created_at
), msg AS (
    SELECT ins.id, yp.email, yp.first_name,
           CASE WHEN ins.status = 'confirmed'
                THEN 'Your place is booked: ' || occ.title || ', ' || ` + schedule.SpokenWhenSQL("occ.starts_at") + ` || '.'
                ELSE 'You are number ' || occ.waitlist_count || ' on the waiting list for ' || occ.title || ', ' ||
                     ` + schedule.SpokenWhenSQL("occ.starts_at") + ` || '. We will tell you if a place comes up.'
           END AS text,
           CASE WHEN ins.status = 'confirmed' THEN 'booking_confirmed' ELSE 'booking_waitlisted' END AS kind
    FROM ins, occ, yp
), note AS (
    INSERT INTO notifications (user_id, kind, message) SELECT $2, kind, text FROM msg
), mail AS (
    INSERT INTO outbox (to_email, subject, body)
    SELECT email, CASE WHEN kind = 'booking_confirmed' THEN 'Your youthhub booking' ELSE 'You are on a waiting list' END,
           'Hello ' || first_name || E',\n\n' || text || E'\n\nSee your bookings: ' || $6::text || '/bookings'
    FROM msg WHERE email IS NOT NULL
)
SELECT ins.id, ins.occurrence_id, ins.young_person_id, ins.status, ins.created_at,
       CASE WHEN ins.status = 'waitlisted' THEN occ.waitlist_count END AS waitlist_position,
       (SELECT count(*) FROM k)::int AS key_new
FROM (SELECT 1) one LEFT JOIN ins ON true LEFT JOIN occ ON true`

// Request is one booking request. Key is the Idempotency-Key ("" for none)
// and Hash identifies the request's content, to refuse a key reused for a
// different request.
type Request struct {
	YoungPersonID, OccurrenceID string
	Key                         string
	Hash                        []byte
	// IssuedAt is when the caller's access token was issued: one issued
	// before their sessions were ended (a password change) books nothing.
	// Zero for a booking made by youthhub itself (the demo seed).
	IssuedAt time.Time
	retried  bool
}

// Replay is the first answer to an earlier request with the same
// Idempotency-Key: either the booking it made, or the refusal it got. Err is
// set when there is no answer to replay (the key was used for another
// request, or the first request has not finished): it is for this retry
// only and must not be stored against the key.
type Replay struct {
	BookingID string
	Status    int
	Response  []byte
	Err       error
}

type bookRow struct {
	ID               *string    `db:"id"`
	OccurrenceID     *string    `db:"occurrence_id"`
	YoungPersonID    *string    `db:"young_person_id"`
	Status           *string    `db:"status"`
	CreatedAt        *time.Time `db:"created_at"`
	WaitlistPosition *int       `db:"waitlist_position"`
	KeyNew           int        `db:"key_new"`
}

func (s *Service) prepared(ctx context.Context) *sqlx.Stmt {
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	if s.bookStmt == nil {
		st, err := s.DB.PreparexContext(ctx, BookSQL)
		if err != nil {
			return nil
		}
		s.bookStmt = st
	}
	return s.bookStmt
}

// Book books a place for a young person, or puts them on the waiting list
// when the occurrence is full, in one statement. With an Idempotency-Key
// already used, it returns the first answer as a Replay instead. A refusal
// comes back as a fault with a reason a young person understands (and is
// stored against the key, so that a retry gets the same refusal).
func (s *Service) Book(ctx context.Context, r Request) (Booking, *Replay, error) {
	now := s.Now()
	if r.IssuedAt.IsZero() {
		r.IssuedAt = now
	}
	var row bookRow
	args := []any{r.OccurrenceID, r.YoungPersonID, now, s.ConsentAge, s.maxFuture(), s.BaseURL, r.Key, r.Hash, r.IssuedAt}
	var err error
	if st := s.prepared(ctx); st != nil {
		err = st.GetContext(ctx, &row, args...)
	} else {
		err = s.DB.GetContext(ctx, &row, BookSQL, args...)
	}
	if err != nil {
		var pqErr *pq.Error
		if errors.As(err, &pqErr) {
			switch pqErr.Constraint {
			case "bookings_one_live":
				return Booking{}, nil, fault.Coded(fault.Conflict, "already_booked", "You already have a place or a waiting-list spot for this session")
			case "bookings_no_overlap":
				return Booking{}, nil, fault.Coded(fault.Conflict, "overlapping_booking", "You already have a place at another session at the same time")
			case "bookings_walked_in":
				// Signed in at the door as a walk-in at the same instant.
				return Booking{}, nil, s.whyNot(ctx, s.DB, r.YoungPersonID, r.OccurrenceID, now, r.IssuedAt)
			case "bookings_future_cap", "bookings_consent":
				// The same person booked other sessions at the same instant,
				// or their guardian withdrew consent meanwhile.
				return Booking{}, nil, s.whyNot(ctx, s.DB, r.YoungPersonID, r.OccurrenceID, now, r.IssuedAt)
			}
		}
		return Booking{}, nil, postgres.Classify(err)
	}
	if row.ID != nil {
		return Booking{ID: *row.ID, OccurrenceID: *row.OccurrenceID, YoungPersonID: *row.YoungPersonID, Status: *row.Status,
			CreatedAt: *row.CreatedAt, WaitlistPosition: row.WaitlistPosition}, nil, nil
	}
	if r.Key != "" && row.KeyNew == 0 {
		rep, err := s.replay(ctx, r)
		if errors.Is(err, errNoAnswer) && !r.retried {
			// The first request with this key committed its key but neither a
			// booking nor a stored refusal (it failed mid-way, e.g. through a
			// database restart): release the key and try once more.
			if _, derr := s.DB.ExecContext(ctx, `DELETE FROM idempotency_keys k WHERE k.user_id = $1 AND k.key = $2
				AND k.status_code IS NULL AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.id = k.booking_id)`, r.YoungPersonID, r.Key); derr != nil {
				return Booking{}, nil, postgres.Classify(derr)
			}
			r.retried = true
			return s.Book(ctx, r)
		}
		if err != nil {
			return Booking{}, &Replay{Err: err}, nil
		}
		return Booking{}, rep, nil
	}
	return Booking{}, nil, s.whyNot(ctx, s.DB, r.YoungPersonID, r.OccurrenceID, now, r.IssuedAt)
}

// replay finds the first answer to a request with this key.
func (s *Service) replay(ctx context.Context, r Request) (*Replay, error) {
	var k struct {
		Hash      []byte  `db:"request_hash"`
		Status    *int    `db:"status_code"`
		Response  []byte  `db:"response"`
		BookingID *string `db:"booking_id"`
	}
	const q = `SELECT k.request_hash, k.status_code, k.response, b.id AS booking_id
		FROM idempotency_keys k LEFT JOIN bookings b ON b.id = k.booking_id WHERE k.user_id = $1 AND k.key = $2`
	if err := s.DB.GetContext(ctx, &k, q, r.YoungPersonID, r.Key); err != nil {
		return nil, postgres.Classify(err)
	}
	switch {
	case string(k.Hash) != string(r.Hash):
		return nil, fault.Coded(fault.Invalid, "idempotency_key_reused", "This Idempotency-Key was already used for a different request")
	case k.BookingID != nil:
		return &Replay{BookingID: *k.BookingID}, nil
	case k.Status != nil:
		return &Replay{Status: *k.Status, Response: k.Response}, nil
	}
	return nil, errNoAnswer
}

// errNoAnswer: the key's first request left neither a booking nor a refusal.
var errNoAnswer = fault.Coded(fault.Conflict, "in_progress", "The first request with this Idempotency-Key is still being processed. Try again in a moment")

// StoreRefusal records the refusal given to the first request with a key,
// so that its retries get the same answer.
func (s *Service) StoreRefusal(ctx context.Context, youngPersonID, key string, status int, body []byte) error {
	_, err := s.DB.ExecContext(ctx, `UPDATE idempotency_keys SET status_code = $3, response = $4, booking_id = NULL
		WHERE user_id = $1 AND key = $2 AND status_code IS NULL`, youngPersonID, key, status, body)
	return err
}

func (s *Service) maxFuture() int {
	if s.MaxFuture > 0 {
		return s.MaxFuture
	}
	return DefaultMaxFuture
}

// whyNot explains a refused booking. It runs only when the booking
// statement inserted nothing.
func (s *Service) whyNot(ctx context.Context, q sqlx.QueryerContext, youngPersonID, occurrenceID string, now, issuedAt time.Time) error {
	const diag = `
SELECT o.status, o.booking_mode, o.starts_at, o.ends_at, s.booking_window_days, s.age_min, s.age_max,
       u.role, u.active, u.date_of_birth, u.sessions_valid_from,
       coalesce((SELECT c.status FROM consents c WHERE c.young_person_id = u.id), '') AS consent,
       EXISTS (SELECT 1 FROM bookings b WHERE b.occurrence_id = o.id AND b.young_person_id = u.id AND b.status IN ('confirmed','waitlisted')) AS booked,
       EXISTS (SELECT 1 FROM walk_ins w WHERE w.occurrence_id = o.id AND w.young_person_id = u.id) AS walked_in,
       EXISTS (SELECT 1 FROM bookings b WHERE b.young_person_id = u.id AND b.status = 'confirmed' AND b.starts_at < o.ends_at AND b.ends_at > o.starts_at) AS overlap,
       (SELECT count(*) FROM bookings f WHERE f.young_person_id = u.id AND f.status = 'confirmed' AND f.starts_at > $3) AS future
FROM occurrences o JOIN session_series s ON s.id = o.series_id, users u
WHERE o.id = $1 AND u.id = $2`
	var d struct {
		Status      string     `db:"status"`
		Mode        string     `db:"booking_mode"`
		StartsAt    time.Time  `db:"starts_at"`
		EndsAt      time.Time  `db:"ends_at"`
		WindowDays  int        `db:"booking_window_days"`
		AgeMin      int        `db:"age_min"`
		AgeMax      int        `db:"age_max"`
		Role        string     `db:"role"`
		Active      bool       `db:"active"`
		DateOfBirth *time.Time `db:"date_of_birth"`
		ValidFrom   *time.Time `db:"sessions_valid_from"`
		Consent     string     `db:"consent"`
		Booked      bool       `db:"booked"`
		WalkedIn    bool       `db:"walked_in"`
		Overlap     bool       `db:"overlap"`
		Future      int        `db:"future"`
	}
	if err := sqlx.GetContext(ctx, q, &d, diag, occurrenceID, youngPersonID, now); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return fault.New(fault.NotFound, "This session does not exist")
		}
		return err
	}
	london := d.StartsAt.In(schedule.London())
	opens := london.AddDate(0, 0, -d.WindowDays) // wall-clock days, across clock changes
	switch {
	case d.ValidFrom != nil && issuedAt.Before(*d.ValidFrom):
		return fault.New(fault.Unauthorized, "Your session has ended. Sign in again")
	case d.Role != "young_person" || !d.Active || d.DateOfBirth == nil:
		return fault.New(fault.Forbidden, "Only young people can book sessions")
	case d.Status == "cancelled":
		return fault.Coded(fault.Conflict, "session_cancelled", "This session has been cancelled")
	case d.Mode != "bookable":
		return fault.Coded(fault.Invalid, "drop_in", "You do not need to book this session: just turn up")
	case !now.Before(d.StartsAt):
		return fault.Coded(fault.Invalid, "booking_closed", "Booking has closed: this session has already started")
	case now.Before(opens):
		return fault.Coded(fault.Invalid, "booking_not_open", "Booking opens on %s", schedule.SpokenWhen(opens))
	}
	if age := ageOn(*d.DateOfBirth, london); age < d.AgeMin || age > d.AgeMax {
		return fault.Coded(fault.Invalid, "not_eligible_age",
			"This session is for ages %d to %d. On %s you will be %d", d.AgeMin, d.AgeMax, london.Format("2 January"), age)
	}
	if ageOn(*d.DateOfBirth, now.In(schedule.London())) < s.ConsentAge && d.Consent != "given" {
		msg := "Your parent or guardian needs to give consent before you can book. We have e-mailed them"
		if d.Consent == "withdrawn" || d.Consent == "refused" {
			msg = "Your parent or guardian has not given consent, so you cannot book yet"
		}
		return fault.Coded(fault.Invalid, "consent_needed", "%s", msg)
	}
	switch {
	case d.Booked:
		return fault.Coded(fault.Conflict, "already_booked", "You already have a place or a waiting-list spot for this session")
	case d.WalkedIn:
		return fault.Coded(fault.Conflict, "already_booked", "You are already on the register for this session: the youth worker signed you in")
	case d.Overlap:
		return fault.Coded(fault.Conflict, "overlapping_booking", "You already have a place at another session at the same time")
	case d.Future >= s.maxFuture():
		return fault.Coded(fault.Invalid, "too_many_bookings",
			"You already have %d sessions booked. Cancel one or wait until after one has happened, so others get a chance too", d.Future)
	}
	return fault.Coded(fault.Unavailable, "busy", "Something changed while we were booking. Please try again")
}

// ageOn is the age in whole years on day (see schedule.AgeOn: born on
// 29 February, a year older on 1 March).
func ageOn(dob, day time.Time) int { return schedule.AgeOn(schedule.DateOf(dob), schedule.DateOf(day)) }
