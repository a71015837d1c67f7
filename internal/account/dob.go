package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/schedule"
)

// DateOfBirthCorrected is the outcome of CorrectDateOfBirth.
type DateOfBirthCorrected struct {
	User          User
	ConsentStatus string   // under the corrected date
	Cancelled     []string // bookings cancelled, described
}

// CorrectDateOfBirth lets a council officer correct a young person's date of
// birth, mistyped at sign-up: young people cannot change it themselves, as it
// decides guardian consent and which sessions they may book. The officer's
// council must have seen them (a booking, walk-in or mark at one of its
// sessions; a walk-in or mark the officer made themselves does not count, so
// that nobody can make their own way to another council's young person);
// otherwise fault.NotFound. The change, with the officer's reason,
// is audited and the young person is told. It returns the person and their
// consent status under the corrected date ("pending": now under the age of
// digital consent, they need a guardian's consent before booking). Their
// bookings of sessions not yet started that the corrected date rules out
// (age on the day, or consent now needed) are cancelled in the same
// transaction, and the places go to the waiting lists.
func (s *Service) CorrectDateOfBirth(ctx context.Context, by Principal, youngPersonID, dateOfBirth, reason string) (DateOfBirthCorrected, error) {
	reason = strings.TrimSpace(reason)
	var fields []fault.FieldError
	dob, err := time.Parse(time.DateOnly, dateOfBirth)
	today := s.Now().In(schedule.London())
	switch age := ageOn(dob, today); {
	case err != nil:
		fields = append(fields, fault.FieldError{Field: "date_of_birth", Message: "Enter a real date of birth"})
	case dob.After(today):
		fields = append(fields, fault.FieldError{Field: "date_of_birth", Message: "Date of birth must be in the past"})
	case age < MinAge || age > MaxAge:
		fields = append(fields, fault.FieldError{Field: "date_of_birth", Message: fmt.Sprintf("youthhub is for young people aged %d to %d", MinAge, MaxAge)})
	}
	switch {
	case reason == "":
		fields = append(fields, fault.FieldError{Field: "reason", Message: "Say why the date of birth is being corrected"})
	case utf8.RuneCountInString(reason) > 500:
		fields = append(fields, fault.FieldError{Field: "reason", Message: "The reason must be 500 characters or fewer"})
	}
	if len(fields) > 0 {
		return DateOfBirthCorrected{}, fault.Fields(fields...)
	}
	var u User
	var cancelled []string
	err = postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		const find = `SELECT ` + userColumns + ` FROM users u WHERE u.id = $1 AND u.role = 'young_person' AND u.active
			AND (EXISTS (SELECT 1 FROM bookings b JOIN occurrences o ON o.id = b.occurrence_id WHERE b.young_person_id = u.id AND o.council_id = $2)
			  OR EXISTS (SELECT 1 FROM walk_ins w JOIN occurrences o ON o.id = w.occurrence_id WHERE w.young_person_id = u.id AND o.council_id = $2
			             AND w.added_by IS DISTINCT FROM $3)
			  OR EXISTS (SELECT 1 FROM marks m JOIN occurrences o ON o.id = m.occurrence_id WHERE m.young_person_id = u.id AND o.council_id = $2
			             AND m.recorded_by IS DISTINCT FROM $3))
			FOR UPDATE OF u`
		err := tx.GetContext(ctx, &u, find, youngPersonID, by.CouncilID, by.UserID)
		if errors.Is(err, sql.ErrNoRows) {
			return fault.New(fault.NotFound, "Young person not found: they have not been to a session of your council")
		}
		if err != nil {
			return err
		}
		was := ""
		if u.DateOfBirth != nil {
			was = u.DateOfBirth.Format(time.DateOnly)
		}
		if was == dateOfBirth {
			return nil
		}
		if err := tx.GetContext(ctx, &u, `UPDATE users SET date_of_birth = $2, updated_at = now() WHERE id = $1 RETURNING `+userColumns, u.ID, dateOfBirth); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (actor_id, subject_id, action, reason) VALUES ($1, $2, 'date_of_birth_corrected', $3)`,
			by.UserID, u.ID, fmt.Sprintf("from %s to %s: %s", was, dateOfBirth, reason)); err != nil {
			return err
		}
		if cancelled, err = s.cancelBookings(ctx, tx, u.ID, "your date of birth was corrected and they are not open to you now"); err != nil {
			return err
		}
		msg := "Your council corrected your date of birth to " + dob.Format("2 January 2006") + "."
		if len(cancelled) > 0 {
			msg += " These bookings were cancelled, as they are not open to you now: " + strings.Join(cancelled, "; ") + "."
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO notifications (user_id, kind, message) VALUES ($1, 'date_of_birth_corrected', $2)`, u.ID, msg)
		return err
	})
	if err != nil {
		return DateOfBirthCorrected{}, err
	}
	status, _, err := s.ConsentStatus(ctx, u)
	return DateOfBirthCorrected{User: u, ConsentStatus: status, Cancelled: cancelled}, err
}
