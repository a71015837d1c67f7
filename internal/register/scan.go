package register

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/schedule"
)

// Scan is what a scan at the door did.
type Scan struct {
	AlreadyPresent bool // the person was already checked in: nothing was written
	Entry          Entry
}

// Refusals of a scan (fault codes).
const (
	CodeBookingCancelled = "booking_cancelled"
	CodeNotConfirmed     = "booking_not_confirmed"
	CodeWrongSession     = "wrong_session"
	CodeUnknownShortCode = "unknown_short_code"
)

// ScanBooking marks the holder of a booking present at the occurrence the
// actor is authorised for, as a QR ticket or short code at the door does.
// The booking must belong to that occurrence (fault.Conflict wrong_session)
// and still hold a place (booking_cancelled, booking_not_confirmed). A
// person already present or late is left as they are (AlreadyPresent), so
// scanning twice is harmless; someone who had left is checked in again.
// Nothing is written on a refusal. Scans of one booking are serialised by an
// advisory lock, so two at once write one mark.
func (s *Service) ScanBooking(ctx context.Context, a Actor, o Occurrence, bookingID, deviceID string) (Scan, error) {
	now := s.Now()
	if err := s.writable(a, o, "", now); err != nil {
		return Scan{}, err
	}
	var out Scan
	var ypID string
	err := retry(ctx, func() error {
		return postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))`, bookingID); err != nil {
				return err
			}
			var b struct {
				OccurrenceID  string  `db:"occurrence_id"`
				YoungPersonID string  `db:"young_person_id"`
				Status        string  `db:"status"`
				MarkStatus    *string `db:"mark_status"`
			}
			err := tx.GetContext(ctx, &b, `SELECT b.occurrence_id, b.young_person_id, b.status, cm.status AS mark_status
				FROM bookings b
				LEFT JOIN current_marks cm ON cm.occurrence_id = b.occurrence_id AND cm.young_person_id = b.young_person_id
				WHERE b.id = $1`, bookingID)
			if errors.Is(err, sql.ErrNoRows) {
				return fault.Coded(fault.Conflict, CodeBookingCancelled, "This booking no longer exists")
			}
			if err != nil {
				return err
			}
			ypID = b.YoungPersonID
			switch {
			case b.OccurrenceID != o.ID:
				other, err := s.SessionOf(ctx, o.CouncilID, b.OccurrenceID)
				if err != nil {
					return err
				}
				return WrongSession(other)
			case b.Status == "cancelled":
				return fault.Coded(fault.Conflict, CodeBookingCancelled, "This booking was cancelled")
			case b.Status == "waitlisted":
				return fault.Coded(fault.Conflict, CodeNotConfirmed, "This young person is on the waiting list and has no place")
			case b.MarkStatus != nil && (*b.MarkStatus == Present || *b.MarkStatus == Late):
				out.AlreadyPresent = true
				return nil
			}
			m := Mark{ClientID: uuid.NewString(), YoungPersonID: b.YoungPersonID, Status: Present, RecordedAt: now, CheckedInAt: &now}
			var rows []markRow
			if err := s.store(ctx, tx, a, o, deviceID, "", []Mark{m}, now, &rows); err != nil {
				return err
			}
			if len(rows) != 1 || !rows[0].Inserted {
				return errors.New("register: a scan stored no mark")
			}
			return nil
		})
	})
	if err != nil {
		return Scan{}, err
	}
	out.Entry, err = s.FindEntry(ctx, o.ID, ypID)
	return out, err
}

// FindBookingByCode finds the booking at an occurrence whose short code
// matches (the caller computes codes; this package does not hold the ticket
// key). Cancelled bookings are included, so that their holder gets the
// right refusal. fault.Invalid unknown_short_code when none matches.
func (s *Service) FindBookingByCode(ctx context.Context, occurrenceID string, matches func(bookingID string) bool) (string, error) {
	var ids []string
	if err := s.DB.SelectContext(ctx, &ids, `SELECT id FROM bookings
		WHERE occurrence_id = $1 AND (status IN ('confirmed','waitlisted') OR status IN ('attended','no_show','cancelled'))
		ORDER BY created_at`, occurrenceID); err != nil {
		return "", err
	}
	for _, id := range ids {
		if matches(id) {
			return id, nil
		}
	}
	return "", fault.Coded(fault.Invalid, CodeUnknownShortCode, "No booking for this session has that code. Check it and try again")
}

// OtherSession is a session of the same council a ticket or code at the door
// is for, when it is not the one whose register is open.
type OtherSession struct {
	Title      string    `db:"title"`
	CentreName string    `db:"centre_name"`
	StartsAt   time.Time `db:"starts_at"`
}

// WrongSession is the refusal of a ticket or code for another session: it
// names that session when it is one of the same council (so that staff can
// send the young person to the right room or day), and only says "another
// session" otherwise.
func WrongSession(other *OtherSession) error {
	if other == nil {
		return fault.Coded(fault.Conflict, CodeWrongSession, "This ticket is for another session")
	}
	return fault.Coded(fault.Conflict, CodeWrongSession, "This ticket is for another session: %s at %s, %s",
		other.Title, other.CentreName, schedule.SpokenWhen(other.StartsAt))
}

// SessionOf finds occurrenceID when it is a session of council, for
// WrongSession; nil otherwise.
func (s *Service) SessionOf(ctx context.Context, council, occurrenceID string) (*OtherSession, error) {
	var out OtherSession
	err := s.DB.GetContext(ctx, &out, `SELECT s.title, c.name AS centre_name, o.starts_at
		FROM occurrences o JOIN session_series s ON s.id = o.series_id JOIN centres c ON c.id = o.centre_id
		WHERE o.id = $1 AND o.council_id = $2`, occurrenceID, council)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// FindCodeElsewhere looks for a short code typed at o's door among the
// bookings of the council's other sessions starting within a day of o (a
// young person at the wrong room, or on the wrong day): matches computes
// the code of a booking at an occurrence. Nil when none matches.
func (s *Service) FindCodeElsewhere(ctx context.Context, o Occurrence, matches func(bookingID, occurrenceID string) bool) (*OtherSession, error) {
	var rows []struct {
		BookingID    string `db:"booking_id"`
		OccurrenceID string `db:"occurrence_id"`
		OtherSession
	}
	if err := s.DB.SelectContext(ctx, &rows, `SELECT b.id AS booking_id, o.id AS occurrence_id, s.title, c.name AS centre_name, o.starts_at
		FROM occurrences o
		JOIN bookings b ON b.occurrence_id = o.id AND b.status IN ('confirmed','attended','no_show')
		JOIN session_series s ON s.id = o.series_id JOIN centres c ON c.id = o.centre_id
		WHERE o.council_id = $1 AND o.id <> $2 AND o.starts_at BETWEEN $3 AND $4
		ORDER BY o.starts_at, b.created_at`, o.CouncilID, o.ID, o.StartsAt.Add(-24*time.Hour), o.StartsAt.Add(24*time.Hour)); err != nil {
		return nil, err
	}
	for _, r := range rows {
		if matches(r.BookingID, r.OccurrenceID) {
			other := r.OtherSession
			return &other, nil
		}
	}
	return nil, nil
}
