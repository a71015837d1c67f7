package register

import (
	"context"
	"time"

	"youthhub/internal/platform/postgres"
)

// CurrentMark is a person's winning mark at an occurrence.
type CurrentMark struct {
	Status         string
	CheckedInAt    *time.Time
	CheckedOutAt   *time.Time
	RecordedBy     *string // nil once that member of staff's account is deleted
	RecordedByName string
	RecordedAt     time.Time
	ClientID       string
}

// Entry is one line of a register: a young person booked on the
// occurrence or let in as a walk-in, with their current mark (nil before
// anyone marks them).
type Entry struct {
	YoungPersonID string
	FirstName     string
	LastName      string
	DateOfBirth   *time.Time
	BookingID     *string
	BookingStatus *string
	WalkIn        bool
	// HasContact: an emergency contact is kept for them (who it is shows
	// only at a roll call, audited); the register flags those without one,
	// to be asked for one at the door.
	HasContact bool
	Mark       *CurrentMark
}

// OnSite reports whether the person is checked in and not out.
func (e Entry) OnSite() bool {
	return e.Mark != nil && (e.Mark.Status == Present || e.Mark.Status == Late)
}

// Counts sums up a register.
type Counts struct {
	Booked   int // confirmed, attended or no-show bookings
	WalkIns  int
	Present  int // came: marked present, late or left
	OnSite   int // checked in and not out: present or late
	Absent   int
	Unmarked int
}

// Register is an occurrence's register.
type Register struct {
	Occurrence Occurrence
	Counts     Counts
	Entries    []Entry
}

type entryRow struct {
	YoungPersonID  string     `db:"young_person_id"`
	FirstName      string     `db:"first_name"`
	LastName       string     `db:"last_name"`
	DateOfBirth    *time.Time `db:"date_of_birth"`
	BookingID      *string    `db:"booking_id"`
	BookingStatus  *string    `db:"booking_status"`
	WalkIn         bool       `db:"walk_in"`
	HasContact     bool       `db:"has_contact"`
	MarkStatus     *string    `db:"mark_status"`
	CheckedInAt    *time.Time `db:"checked_in_at"`
	CheckedOutAt   *time.Time `db:"checked_out_at"`
	RecordedBy     *string    `db:"recorded_by"`
	RecordedByName *string    `db:"recorded_by_name"`
	RecordedAt     *time.Time `db:"recorded_at"`
	ClientID       *string    `db:"client_id"`
}

func (r entryRow) entry() Entry {
	e := Entry{YoungPersonID: r.YoungPersonID, FirstName: r.FirstName, LastName: r.LastName, DateOfBirth: r.DateOfBirth,
		BookingID: r.BookingID, BookingStatus: r.BookingStatus, WalkIn: r.WalkIn, HasContact: r.HasContact}
	if r.MarkStatus != nil && r.RecordedAt != nil && r.ClientID != nil {
		m := &CurrentMark{Status: *r.MarkStatus, CheckedInAt: r.CheckedInAt, CheckedOutAt: r.CheckedOutAt,
			RecordedBy: r.RecordedBy, RecordedAt: *r.RecordedAt, ClientID: *r.ClientID}
		if r.RecordedByName != nil {
			m.RecordedByName = *r.RecordedByName
		}
		e.Mark = m
	}
	return e
}

// entriesSQL lists the people on a register ($2 NULL) or one of them: those
// booked (confirmed, attended, no-show), the walk-ins, and anyone else with a
// mark (kept visible if a booking changed after they were marked).
const entriesSQL = `
WITH people AS (
    SELECT young_person_id FROM bookings -- by bookings_one_live and bookings_settled_idx
    WHERE occurrence_id = $1 AND (status = 'confirmed' OR status IN ('attended','no_show'))
    UNION
    SELECT young_person_id FROM walk_ins WHERE occurrence_id = $1
    UNION
    SELECT young_person_id FROM current_marks WHERE occurrence_id = $1
)
SELECT u.id AS young_person_id, u.first_name, u.last_name, u.date_of_birth,
       b.id AS booking_id, b.status AS booking_status, (w.young_person_id IS NOT NULL) AS walk_in,
       EXISTS (SELECT 1 FROM emergency_contacts ec WHERE ec.young_person_id = p.young_person_id) AS has_contact,
       cm.status AS mark_status, cm.checked_in_at, cm.checked_out_at, m.recorded_by,
       nullif(trim(r.first_name || ' ' || r.last_name), '') AS recorded_by_name, cm.recorded_at, cm.client_id
FROM people p
JOIN users u ON u.id = p.young_person_id
LEFT JOIN LATERAL (
    SELECT bk.id, bk.status FROM bookings bk
    WHERE bk.occurrence_id = $1 AND bk.young_person_id = p.young_person_id
    ORDER BY bk.status IN ('confirmed','attended','no_show') DESC, bk.created_at DESC LIMIT 1
) b ON true
LEFT JOIN walk_ins w ON w.occurrence_id = $1 AND w.young_person_id = p.young_person_id
LEFT JOIN current_marks cm ON cm.occurrence_id = $1 AND cm.young_person_id = p.young_person_id
LEFT JOIN marks m ON m.id = cm.mark_id
LEFT JOIN users r ON r.id = m.recorded_by
WHERE $2::uuid IS NULL OR p.young_person_id = $2
ORDER BY u.first_name, u.last_name, u.id`

// FindRegister returns an occurrence's whole register (at most its
// capacity plus walk-ins: small enough to send in one answer, which an
// offline device needs), sorted by name, with its counts.
func (s *Service) FindRegister(ctx context.Context, o Occurrence) (Register, error) {
	var rows []entryRow
	if err := s.DB.SelectContext(ctx, &rows, entriesSQL, o.ID, nil); err != nil {
		return Register{}, err
	}
	reg := Register{Occurrence: o, Entries: make([]Entry, 0, len(rows))}
	for _, r := range rows {
		e := r.entry()
		reg.Entries = append(reg.Entries, e)
		c := &reg.Counts
		if e.BookingID != nil && e.BookingStatus != nil && *e.BookingStatus != "cancelled" && *e.BookingStatus != "waitlisted" {
			c.Booked++
		}
		if e.WalkIn {
			c.WalkIns++
		}
		switch {
		case e.Mark == nil:
			c.Unmarked++
		case e.Mark.Status == Absent:
			c.Absent++
		default:
			c.Present++
		}
		if e.OnSite() {
			c.OnSite++
		}
	}
	return reg, nil
}

// FindEntry returns one person's line of a register; fault.NotFound when
// they are not on it.
func (s *Service) FindEntry(ctx context.Context, occurrenceID, youngPersonID string) (Entry, error) {
	var r entryRow
	err := s.DB.GetContext(ctx, &r, entriesSQL, occurrenceID, youngPersonID)
	return r.entry(), postgres.Classify(err)
}

// MarkRecord is one mark of the history, as it was sent.
type MarkRecord struct {
	ID             string     `db:"id"`
	ClientID       string     `db:"client_id"`
	YoungPersonID  string     `db:"young_person_id"`
	BookingID      *string    `db:"booking_id"`
	Status         string     `db:"status"`
	CheckedInAt    *time.Time `db:"checked_in_at"`
	CheckedOutAt   *time.Time `db:"checked_out_at"`
	RecordedBy     *string    `db:"recorded_by"`
	RecordedByName string     `db:"recorded_by_name"`
	RecordedAt     time.Time  `db:"recorded_at"`
	DeviceID       string     `db:"device_id"`
	Reason         string     `db:"reason"`
	CreatedAt      time.Time  `db:"created_at"`
	Current        bool       `db:"current"` // the winning mark of its person
}

// FindMarks returns every mark kept for an occurrence (for one young person
// when youngPersonID is not empty), by person then in the order they were
// recorded, and the total.
func (s *Service) FindMarks(ctx context.Context, occurrenceID, youngPersonID string, limit, offset int) ([]MarkRecord, int, error) {
	var yp *string
	if youngPersonID != "" {
		yp = &youngPersonID
	}
	var total int
	if err := s.DB.GetContext(ctx, &total, `SELECT count(*) FROM marks
		WHERE occurrence_id = $1 AND ($2::uuid IS NULL OR young_person_id = $2)`, occurrenceID, yp); err != nil {
		return nil, 0, err
	}
	const q = `
SELECT m.id, m.client_id, m.young_person_id, m.booking_id, m.status, m.checked_in_at, m.checked_out_at,
       m.recorded_by, coalesce(trim(r.first_name || ' ' || r.last_name), '') AS recorded_by_name, m.recorded_at,
       m.device_id, m.reason, m.created_at, (cm.mark_id IS NOT NULL) AS current
FROM marks m
LEFT JOIN users r ON r.id = m.recorded_by
LEFT JOIN current_marks cm ON cm.occurrence_id = m.occurrence_id AND cm.young_person_id = m.young_person_id AND cm.mark_id = m.id
WHERE m.occurrence_id = $1 AND ($2::uuid IS NULL OR m.young_person_id = $2)
ORDER BY m.young_person_id, m.recorded_at, m.client_id
LIMIT $3 OFFSET $4`
	out := []MarkRecord{}
	err := s.DB.SelectContext(ctx, &out, q, occurrenceID, yp, limit, offset)
	return out, total, err
}
