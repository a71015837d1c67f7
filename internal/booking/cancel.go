package booking

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/mail"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/schedule"
)

// Cancel cancels a young person's own booking. If it held a confirmed
// place, the first person on the waiting list who can take it (no
// overlapping confirmed booking, under the future-booking cap, with consent
// where they need it) is promoted in the same transaction and notified.
// Cancelling a cancelled booking again returns it as it is (DELETE is
// idempotent: a retry promotes no one). The occurrence row is locked first,
// so cancellations and bookings of one occurrence are serialised.
func (s *Service) Cancel(ctx context.Context, youngPersonID, bookingID string) (Booking, error) {
	now := s.Now()
	var out Booking
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var occID string
		err := tx.GetContext(ctx, &occID, `SELECT occurrence_id FROM bookings WHERE id = $1 AND young_person_id = $2`, bookingID, youngPersonID)
		if errors.Is(err, sql.ErrNoRows) {
			return fault.New(fault.NotFound, "Booking not found")
		}
		if err != nil {
			return err
		}
		was, err := s.cancelLive(ctx, tx, occID, bookingID, now)
		if err != nil {
			return err
		}
		if was == "" {
			// Cancelling again (a retry after a dropped answer) answers
			// with the cancelled booking and changes nothing.
			if err := tx.GetContext(ctx, &out, `SELECT id, occurrence_id, young_person_id, status, created_at, NULL::int AS waitlist_position
				FROM bookings WHERE id = $1 AND status = 'cancelled'`, bookingID); err == nil {
				return nil
			}
			return fault.Coded(fault.Conflict, "not_live", "This session has happened, so the booking can no longer be cancelled")
		}
		return tx.GetContext(ctx, &out, `SELECT id, occurrence_id, young_person_id, status, created_at, NULL::int AS waitlist_position FROM bookings WHERE id = $1`, bookingID)
	})
	return out, err
}

// cancelLive cancels a live booking (a place or a waiting-list spot) under
// its occurrence's row lock and keeps the occurrence's counts; a freed place
// goes to the first on the waiting list who can take it. It returns the
// booking's status before, or "" when it was not live (nothing changed).
func (s *Service) cancelLive(ctx context.Context, tx *sqlx.Tx, occID, bookingID string, now time.Time) (string, error) {
	var occ struct {
		StartsAt  time.Time `db:"starts_at"`
		Capacity  int       `db:"capacity"`
		Confirmed int       `db:"confirmed_count"`
	}
	if err := tx.GetContext(ctx, &occ, `SELECT starts_at, LEAST(capacity, coalesce(staffed_limit, capacity)) AS capacity, confirmed_count
		FROM occurrences WHERE id = $1 FOR UPDATE`, occID); err != nil {
		return "", err
	}
	var was string
	err := tx.GetContext(ctx, &was, `WITH old AS (SELECT status FROM bookings WHERE id = $1 FOR UPDATE)
		UPDATE bookings b SET status = 'cancelled', waitlist_seq = NULL, cancelled_at = $2, updated_at = $2
		FROM old WHERE b.id = $1 AND old.status IN ('confirmed','waitlisted') RETURNING old.status`, bookingID, now)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if was == "confirmed" && !now.Before(occ.StartsAt) {
		return "", fault.Coded(fault.Invalid, "started", "This session has started, so the booking can no longer be cancelled")
	}
	if was == "waitlisted" {
		_, err := tx.ExecContext(ctx, `UPDATE occurrences SET waitlist_count = waitlist_count - 1 WHERE id = $1`, occID)
		return was, err
	}
	promoted := false
	if occ.Confirmed-1 < occ.Capacity {
		if promoted, err = s.promote(ctx, tx, occID, now); err != nil {
			return "", err
		}
	}
	q := `UPDATE occurrences SET confirmed_count = confirmed_count - 1 WHERE id = $1`
	if promoted {
		q = `UPDATE occurrences SET waitlist_count = waitlist_count - 1 WHERE id = $1`
	}
	_, err = tx.ExecContext(ctx, q, occID)
	return was, err
}

// Cancelled is a booking cancelled because its young person may no longer
// hold it.
type Cancelled struct {
	Title    string    `db:"title"`
	StartsAt time.Time `db:"starts_at"`
	Status   string    `db:"status"` // confirmed or waitlisted, before
}

// String describes the booking to its young person: "Football on Tuesday
// 3 March at 18:00 (waiting list)".
func (c Cancelled) String() string {
	d := c.Title + " on " + schedule.SpokenWhen(c.StartsAt)
	if c.Status == "waitlisted" {
		d += " (waiting list)"
	}
	return d
}

// CancelIneligible cancels, in the caller's transaction, the young person's
// places and waiting-list spots at sessions not yet started that they may no
// longer hold: their age on the day is outside the session's range (after a
// corrected date of birth), or they are under the age of digital consent
// without a guardian's consent (after it was withdrawn). Each freed place
// goes to the next on the waiting list, who is notified. The caller holds
// the young person's row lock, which each new booking of theirs takes too
// (the bookings_person_rules trigger), so none races this unseen.
func (s *Service) CancelIneligible(ctx context.Context, tx *sqlx.Tx, youngPersonID string) ([]Cancelled, error) {
	now := s.Now()
	const q = `
SELECT b.id, b.occurrence_id, s.title, o.starts_at, b.status
FROM bookings b JOIN occurrences o ON o.id = b.occurrence_id JOIN session_series s ON s.id = o.series_id
     JOIN users u ON u.id = b.young_person_id
WHERE b.young_person_id = $1 AND b.status IN ('confirmed','waitlisted') AND o.starts_at > $2
  AND (extract(year FROM age((o.starts_at AT TIME ZONE 'Europe/London')::date, u.date_of_birth)) NOT BETWEEN s.age_min AND s.age_max
       OR (extract(year FROM age(($2::timestamptz AT TIME ZONE 'Europe/London')::date, u.date_of_birth)) < $3
           AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.young_person_id = u.id AND c.status = 'given')))
ORDER BY o.id`
	var rows []struct {
		ID           string `db:"id"`
		OccurrenceID string `db:"occurrence_id"`
		Cancelled
	}
	if err := tx.SelectContext(ctx, &rows, q, youngPersonID, now, s.ConsentAge); err != nil {
		return nil, err
	}
	out := make([]Cancelled, 0, len(rows))
	for _, r := range rows {
		was, err := s.cancelLive(ctx, tx, r.OccurrenceID, r.ID, now)
		if err != nil {
			return nil, err
		}
		if was != "" {
			out = append(out, r.Cancelled)
		}
	}
	return out, nil
}

// promote moves the first eligible person on the waiting list to confirmed,
// notifying them. It reports whether anyone was promoted.
func (s *Service) promote(ctx context.Context, tx *sqlx.Tx, occID string, now time.Time) (bool, error) {
	const q = `
WITH next AS (
    SELECT w.id FROM bookings w
    WHERE w.occurrence_id = $1 AND w.status = 'waitlisted'
      AND NOT EXISTS (SELECT 1 FROM bookings c WHERE c.young_person_id = w.young_person_id AND c.status = 'confirmed'
                      AND c.starts_at < w.ends_at AND c.ends_at > w.starts_at)
      AND (SELECT count(*) FROM bookings f WHERE f.young_person_id = w.young_person_id AND f.status = 'confirmed' AND f.starts_at > $2) < $3
      AND (extract(year FROM age(($2::timestamptz AT TIME ZONE 'Europe/London')::date,
                                 (SELECT u.date_of_birth FROM users u WHERE u.id = w.young_person_id))) >= $4
           OR EXISTS (SELECT 1 FROM consents k WHERE k.young_person_id = w.young_person_id AND k.status = 'given'))
    ORDER BY w.waitlist_seq LIMIT 1 FOR UPDATE
)
UPDATE bookings b SET status = 'confirmed', waitlist_seq = NULL, promoted_at = $2, updated_at = $2
FROM next WHERE b.id = next.id
RETURNING b.young_person_id`
	var who string
	err := tx.GetContext(ctx, &who, q, occID, now, s.maxFuture(), s.ConsentAge)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var info struct {
		Email     *string `db:"email"`
		FirstName string  `db:"first_name"`
		Text      string  `db:"text"`
	}
	if err := tx.GetContext(ctx, &info, `SELECT u.email, u.first_name,
		'Good news: a place came up and you are now booked for ' || s.title || ', ' ||
		`+schedule.SpokenWhenSQL("o.starts_at")+` || '.' AS text
		FROM users u, occurrences o JOIN session_series s ON s.id = o.series_id WHERE u.id = $1 AND o.id = $2`, who, occID); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, kind, message) VALUES ($1, 'promoted', $2)`, who, info.Text); err != nil {
		return false, err
	}
	if info.Email != nil {
		if err := mail.Enqueue(ctx, tx, *info.Email, "A place came up: you are booked",
			"Hello "+info.FirstName+",\n\n"+info.Text+"\n\nSee your bookings: "+s.BaseURL+"/bookings"); err != nil {
			return false, err
		}
	}
	return true, nil
}

// MarkNoShows turns confirmed bookings of sessions that ended more than
// grace ago into no-shows, and returns how many changed. Attendance marks
// (the register) change a booking to attended before then.
func (s *Service) MarkNoShows(ctx context.Context, grace time.Duration) (int64, error) {
	res, err := s.DB.ExecContext(ctx, `UPDATE bookings SET status = 'no_show', updated_at = $1
		WHERE status = 'confirmed' AND ends_at < $2`, s.Now(), s.Now().Add(-grace))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// FillFreedPlaces promotes people from the waiting list, in order, while the
// occurrence has room (after its capacity was raised or a rota added staff).
// It runs in the caller's transaction and locks the occurrence row first.
func (s *Service) FillFreedPlaces(ctx context.Context, tx *sqlx.Tx, occurrenceID string) error {
	now := s.Now()
	for {
		var room bool
		if err := tx.GetContext(ctx, &room, `SELECT confirmed_count < LEAST(capacity, coalesce(staffed_limit, capacity)) AND waitlist_count > 0
			FROM occurrences WHERE id = $1 FOR UPDATE`, occurrenceID); err != nil {
			return err
		}
		if !room {
			return nil
		}
		promoted, err := s.promote(ctx, tx, occurrenceID, now)
		if err != nil || !promoted {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE occurrences SET confirmed_count = confirmed_count + 1, waitlist_count = waitlist_count - 1 WHERE id = $1`, occurrenceID); err != nil {
			return err
		}
	}
}
