package register

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
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
				return fault.Coded(fault.Conflict, CodeWrongSession, "This ticket is for another session")
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
