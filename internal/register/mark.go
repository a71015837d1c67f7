package register

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
)

// Mark statuses. Present and late mean checked in and not out (on site);
// left means checked out; absent means neither.
const (
	Present = "present"
	Late    = "late"
	Absent  = "absent"
	Left    = "left"
)

// Outcomes of one mark of a batch.
const (
	Stored     = "stored"     // new, and now the person's current mark
	Superseded = "superseded" // new and kept in the history, but a later mark wins
	Duplicate  = "duplicate"  // this client_id was stored before: nothing changed
	Refused    = "refused"    // not stored; Code and Reason say why
)

// Refusal codes of one mark.
const (
	CodeInvalid        = "invalid"         // a field is missing or malformed (Reason names it)
	CodeNotOnRegister  = "not_on_register" // neither booked on the session nor a walk-in of it
	CodeFuture         = "recorded_in_future"
	CodeTooEarly       = "before_register_opens"
	CodeClientIDReused = "client_id_reused" // the client_id was used for a different mark
)

// MarkInput is one mark as a device sends it. The fields are the device's
// text, so that one malformed item is refused on its own and does not hold
// back the rest of an offline queue.
type MarkInput struct {
	ClientID      string
	YoungPersonID string
	Status        string
	RecordedAt    string // RFC 3339 with offset: the device's clock when the mark was made
	CheckedInAt   string // optional; a present or late mark without one checks in at RecordedAt
	CheckedOutAt  string // optional; a left mark without one checks out at RecordedAt
}

// Mark is a checked mark, ready to store.
type Mark struct {
	ClientID      string
	YoungPersonID string
	Status        string
	RecordedAt    time.Time
	CheckedInAt   *time.Time
	CheckedOutAt  *time.Time
}

// Result is what happened to one mark of a batch.
type Result struct {
	ClientID string
	Outcome  string
	Code     string // when refused
	Reason   string // when refused, in words a youth worker understands
}

// Batch is one sync of a device's queue.
type Batch struct {
	DeviceID string
	Reason   string // required from a manager changing a locked register
	Marks    []MarkInput
}

func refuse(clientID, code, format string, args ...any) *Result {
	return &Result{ClientID: clientID, Outcome: Refused, Code: code, Reason: fmt.Sprintf(format, args...)}
}

// Check validates one mark against its occurrence at now: ids, status,
// times that agree with the status, no time beyond the allowed clock skew,
// nothing recorded before the register opens. It fills in the check-in time
// of a present or late mark and the check-out time of a left mark: when it
// was recorded, or, for a mark recorded after the session ended, the
// session's start and end. A refused
// mark comes back as a Result with outcome Refused.
func Check(in MarkInput, o Occurrence, now time.Time) (Mark, *Result) {
	var m Mark
	cid, err := uuid.Parse(in.ClientID)
	if err != nil {
		return m, refuse(in.ClientID, CodeInvalid, "client_id must be a UUID made by the device")
	}
	m.ClientID = cid.String()
	yp, err := uuid.Parse(in.YoungPersonID)
	if err != nil {
		return m, refuse(m.ClientID, CodeInvalid, "young_person_id is not a valid id")
	}
	m.YoungPersonID = yp.String()
	m.Status = in.Status
	switch m.Status {
	case Present, Late, Absent, Left:
	default:
		return m, refuse(m.ClientID, CodeInvalid, "status must be one of: present, late, absent, left")
	}
	if in.RecordedAt == "" {
		return m, refuse(m.ClientID, CodeInvalid, "recorded_at is missing: send the time the mark was made")
	}
	if m.RecordedAt, err = time.Parse(time.RFC3339Nano, in.RecordedAt); err != nil {
		return m, refuse(m.ClientID, CodeInvalid, "recorded_at must be a time like 2025-03-04T18:05:00Z")
	}
	optional := func(field, v string) (*time.Time, *Result) {
		if v == "" {
			return nil, nil
		}
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return nil, refuse(m.ClientID, CodeInvalid, "%s must be a time like 2025-03-04T18:05:00Z", field)
		}
		return &t, nil
	}
	var bad *Result
	if m.CheckedInAt, bad = optional("checked_in_at", in.CheckedInAt); bad != nil {
		return m, bad
	}
	if m.CheckedOutAt, bad = optional("checked_out_at", in.CheckedOutAt); bad != nil {
		return m, bad
	}
	// A mark made after the session (a register put right later) says they
	// came, not when: without times of its own it checks in at the start and
	// out at the end, not days later when it was typed.
	late := m.RecordedAt.After(o.EndsAt)
	switch m.Status {
	case Present, Late:
		if m.CheckedOutAt != nil {
			return m, refuse(m.ClientID, CodeInvalid, "A %s mark cannot have a check-out time: send a left mark instead", m.Status)
		}
		if m.CheckedInAt == nil {
			t := m.RecordedAt
			if late {
				t = o.StartsAt
			}
			m.CheckedInAt = &t
		}
	case Left:
		if m.CheckedOutAt == nil {
			t := m.RecordedAt
			if late && (m.CheckedInAt == nil || !m.CheckedInAt.After(o.EndsAt)) {
				t = o.EndsAt
			}
			m.CheckedOutAt = &t
		}
	case Absent:
		if m.CheckedInAt != nil || m.CheckedOutAt != nil {
			return m, refuse(m.ClientID, CodeInvalid, "An absent mark cannot have check-in or check-out times")
		}
	}
	if m.CheckedInAt != nil && m.CheckedOutAt != nil && m.CheckedOutAt.Before(*m.CheckedInAt) {
		return m, refuse(m.ClientID, CodeInvalid, "checked_out_at is before checked_in_at")
	}
	limit := now.Add(ClockSkew)
	for _, t := range []*time.Time{&m.RecordedAt, m.CheckedInAt, m.CheckedOutAt} {
		if t != nil && t.After(limit) {
			return m, refuse(m.ClientID, CodeFuture, "This mark is timed in the future: check the clock of the device")
		}
	}
	if m.RecordedAt.Before(o.StartsAt.Add(-OpensBefore)) {
		return m, refuse(m.ClientID, CodeTooEarly, "The register opens %s before the session starts", OpensBefore)
	}
	for _, at := range []struct {
		field string
		t     *time.Time
	}{{"checked_in_at", m.CheckedInAt}, {"checked_out_at", m.CheckedOutAt}} {
		if at.t != nil && at.t.Before(o.StartsAt.Add(-OpensBefore)) {
			return m, refuse(m.ClientID, CodeInvalid, "%s is before the register opened, %s before the session started: check the time", at.field, OpensBefore)
		}
	}
	return m, nil
}

// marksSQL stores a batch of checked marks in one statement. Marks of people
// neither booked on the occurrence (confirmed, attended or no-show) nor its
// walk-ins are left out. Each new mark goes into the history (a client_id
// already stored is skipped); the latest new mark per person is upserted
// into current_marks, replacing the current one only when it is later
// (recorded_at, then client_id). ON CONFLICT takes the current row's lock and
// compares with its latest committed version, so racing devices converge.
// Rows are inserted in client_id and then young_person_id order, so two
// batches never wait for each other in a cycle. The bookings of people whose
// current mark changed follow it: attended once they came; back to
// confirmed (or no-show once the register has closed) if marked absent.
// That UPDATE must not filter on the booking's status as this statement's
// snapshot saw it: a batch that won the current row just before us may have
// changed it since; the row is re-read after its lock is taken.
// itemsFromArrays and itemFromScalar are the marks of a batch as the rows
// of item: a batch comes as arrays; a single mark (a tap at the door) comes
// as scalars, so that its prepared statement keeps one generic plan instead
// of being planned again for every mark.
const (
	itemsFromArrays = `
WITH item AS (
    SELECT i.client_id, i.young_person_id, i.status, i.recorded_at,
           NULLIF(i.checked_in_at, '')::timestamptz AS checked_in_at,
           NULLIF(i.checked_out_at, '')::timestamptz AS checked_out_at
    FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])
         AS i (client_id, young_person_id, status, recorded_at, checked_in_at, checked_out_at)
)`
	itemFromScalar = `
WITH item AS (
    SELECT $2::uuid AS client_id, $3::uuid AS young_person_id, $4::text AS status, $5::timestamptz AS recorded_at,
           NULLIF($6::text, '')::timestamptz AS checked_in_at, NULLIF($7::text, '')::timestamptz AS checked_out_at
)`
)

// storeMarksSQL stores checked marks (the item rows) in one statement.
// Marks of people neither booked on the occurrence (confirmed, attended or
// no-show) nor its walk-ins are left out; so are those of people marked
// there before whose booking has gone (with a cancelled session), except a
// check-out: a place is never held by a mark alone. Each new mark goes into the
// history (a client_id already stored is skipped); the latest new mark per
// person is upserted into current_marks, replacing the current one only when
// it is later (recorded_at, then client_id). ON CONFLICT takes the current
// row's lock and compares with its latest committed version, so racing
// devices converge. Rows are inserted in client_id and then young_person_id
// order, so two batches never wait for each other in a cycle. The booking of
// a person whose current mark changed follows it: attended once they came;
// back to confirmed (or no-show once the register has closed) if marked
// absent. That UPDATE must not filter on the booking's status as this
// statement's snapshot saw it: a batch that won the current row just before
// us may have changed it since; the row is re-read after its lock is taken.
const storeMarksSQL = `
, elig AS (
    SELECT item.client_id, item.young_person_id, item.status, item.recorded_at, item.checked_in_at,
           item.checked_out_at, b.id AS booking_id
    FROM item
    LEFT JOIN LATERAL (
        SELECT bk.id FROM bookings bk
        WHERE bk.occurrence_id = $1 AND bk.young_person_id = item.young_person_id
          AND bk.status IN ('confirmed','attended','no_show')
        ORDER BY bk.created_at DESC LIMIT 1
    ) b ON true
    WHERE b.id IS NOT NULL
       OR EXISTS (SELECT 1 FROM walk_ins w WHERE w.occurrence_id = $1 AND w.young_person_id = item.young_person_id)
       OR (item.status = 'left' AND EXISTS (SELECT 1 FROM current_marks cm
                                             WHERE cm.occurrence_id = $1 AND cm.young_person_id = item.young_person_id))
), ins AS (
    INSERT INTO marks (occurrence_id, young_person_id, booking_id, status, checked_in_at, checked_out_at,
                       recorded_by, recorded_at, client_id, device_id, reason)
    SELECT $1, e.young_person_id, e.booking_id, e.status, e.checked_in_at, e.checked_out_at,
           $8, e.recorded_at, e.client_id, $9, $10
    FROM elig e ORDER BY e.client_id
    ON CONFLICT (client_id) DO NOTHING
    RETURNING id, young_person_id, booking_id, status, checked_in_at, checked_out_at, recorded_at, client_id
), best AS (
    SELECT DISTINCT ON (young_person_id) id, young_person_id, booking_id, status, checked_in_at, checked_out_at,
           recorded_at, client_id
    FROM ins ORDER BY young_person_id, recorded_at DESC, client_id DESC
), cur AS (
    INSERT INTO current_marks AS c (occurrence_id, young_person_id, mark_id, status, checked_in_at, checked_out_at,
                                    recorded_at, client_id)
    SELECT $1, young_person_id, id, status, checked_in_at, checked_out_at, recorded_at, client_id
    FROM best ORDER BY young_person_id
    ON CONFLICT (occurrence_id, young_person_id) DO UPDATE SET
        mark_id = EXCLUDED.mark_id, status = EXCLUDED.status, checked_in_at = EXCLUDED.checked_in_at,
        checked_out_at = EXCLUDED.checked_out_at, recorded_at = EXCLUDED.recorded_at, client_id = EXCLUDED.client_id
    WHERE EXCLUDED.recorded_at > c.recorded_at
       OR (EXCLUDED.recorded_at = c.recorded_at AND EXCLUDED.client_id > c.client_id)
    RETURNING c.client_id
), want AS (
    SELECT best.booking_id,
           CASE WHEN best.status <> 'absent' THEN 'attended'
                WHEN o.register_closed_at IS NULL THEN 'confirmed'
                ELSE 'no_show' END AS status
    FROM cur
    JOIN best ON best.client_id = cur.client_id
    JOIN occurrences o ON o.id = $1
    WHERE best.booking_id IS NOT NULL
), att AS (
    UPDATE bookings b SET status = want.status,
                          updated_at = CASE WHEN b.status = want.status THEN b.updated_at ELSE $11 END
    FROM want
    WHERE b.id = want.booking_id AND b.status IN ('confirmed','attended','no_show')
      AND (want.status <> 'confirmed' OR NOT EXISTS (
            SELECT 1 FROM bookings x
            WHERE x.young_person_id = b.young_person_id AND x.status = 'confirmed' AND x.id <> b.id
              AND x.starts_at < b.ends_at AND x.ends_at > b.starts_at))
)
SELECT item.client_id,
       (elig.client_id IS NOT NULL) AS on_register,
       (ins.client_id IS NOT NULL) AS inserted,
       (cur.client_id IS NOT NULL) AS won,
       (SELECT m.occurrence_id = $1 AND m.young_person_id = item.young_person_id AND m.status = item.status
               AND m.recorded_at = item.recorded_at
        FROM marks m WHERE m.client_id = item.client_id AND ins.client_id IS NULL) AS same
FROM item
LEFT JOIN elig ON elig.client_id = item.client_id
LEFT JOIN ins ON ins.client_id = item.client_id
LEFT JOIN cur ON cur.client_id = item.client_id`

type markRow struct {
	ClientID   string       `db:"client_id"`
	OnRegister bool         `db:"on_register"`
	Inserted   bool         `db:"inserted"`
	Won        bool         `db:"won"`
	Same       sql.NullBool `db:"same"` // NULL when the earlier mark is not visible to this statement
}

// RecordMarks stores a batch of marks from a device at an occurrence the
// actor has been authorised for (Authorize), and says per mark what
// happened: stored, superseded (kept in the history, but a later mark wins),
// duplicate (already stored) or refused with a reason. One bad mark does not
// fail the batch. The whole batch is one statement, so it is all stored or
// none of it is. At a cancelled session only check-outs (left) are taken;
// other marks are refused one by one (session_cancelled). The batch as a
// whole is refused with fault.Conflict (register_locked) or fault.Invalid
// (marks, device_id, or reason when a manager changes a locked register
// without one).
func (s *Service) RecordMarks(ctx context.Context, a Actor, o Occurrence, b Batch) ([]Result, error) {
	now := s.Now()
	// A session cancelled after young people had arrived (the register
	// opens before the start) still takes their check-outs, so that nobody
	// stays "on site" at its roll call; any other mark is refused.
	cancelled := o.Status == "cancelled"
	if cancelled {
		o.Status = "scheduled"
	}
	if err := s.writable(a, o, b.Reason, now); err != nil {
		return nil, err
	}
	switch {
	case len(b.Marks) == 0:
		return nil, fault.Field("marks", "Send at least one mark")
	case len(b.Marks) > MaxBatch:
		return nil, fault.Field("marks", fmt.Sprintf("Send at most %d marks at a time", MaxBatch))
	case len(b.DeviceID) > 100:
		return nil, fault.Field("device_id", "Device id must be 100 characters or fewer")
	}
	results := make([]Result, len(b.Marks))
	index := map[string]int{} // client_id → position in marks
	var marks []Mark
	var at []int
	for i, in := range b.Marks {
		m, bad := Check(in, o, now)
		if bad == nil && cancelled && m.Status != Left {
			bad = refuse(m.ClientID, CodeSessionCancelled, "This session was cancelled: only check-outs (left) can still be recorded")
		}
		if bad != nil {
			results[i] = *bad
			continue
		}
		if j, seen := index[m.ClientID]; seen {
			if sameMark(marks[j], m) {
				results[i] = Result{ClientID: m.ClientID, Outcome: Duplicate}
			} else {
				results[i] = *refuse(m.ClientID, CodeClientIDReused, "This client_id was already used for a different mark")
			}
			continue
		}
		index[m.ClientID] = len(marks)
		marks = append(marks, m)
		at = append(at, i)
	}
	if len(marks) == 0 {
		return results, nil
	}
	var rows []markRow
	err := retry(ctx, func() error {
		rows = rows[:0]
		return s.store(ctx, nil, a, o, b.DeviceID, strings.TrimSpace(b.Reason), marks, now, &rows)
	})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		j, ok := index[r.ClientID]
		if !ok {
			return nil, fmt.Errorf("register: the database answered for an unknown client_id")
		}
		results[at[j]] = outcome(r)
	}
	return results, nil
}

func outcome(r markRow) Result {
	switch {
	case !r.OnRegister:
		return *refuse(r.ClientID, CodeNotOnRegister,
			"This young person is not booked on this session and is not a walk-in: add them as a walk-in first")
	case r.Inserted && r.Won:
		return Result{ClientID: r.ClientID, Outcome: Stored}
	case r.Inserted:
		return Result{ClientID: r.ClientID, Outcome: Superseded}
	case r.Same.Valid && !r.Same.Bool:
		return *refuse(r.ClientID, CodeClientIDReused, "This client_id was already used for a different mark")
	}
	return Result{ClientID: r.ClientID, Outcome: Duplicate}
}

func sameMark(a, b Mark) bool {
	return a.YoungPersonID == b.YoungPersonID && a.Status == b.Status && a.RecordedAt.Equal(b.RecordedAt)
}

// Refusals of a whole request to change a register (fault codes).
const (
	CodeSessionCancelled = "session_cancelled"
	CodeRegisterLocked   = "register_locked"
)

// writable refuses changes to a cancelled session's register, and to a
// locked one unless a manager gives a reason.
func (s *Service) writable(a Actor, o Occurrence, reason string, now time.Time) error {
	if utf8.RuneCountInString(strings.TrimSpace(reason)) > 500 {
		return fault.Field("reason", "Reason must be 500 characters or fewer")
	}
	if o.Status == "cancelled" {
		return fault.Coded(fault.Conflict, CodeSessionCancelled, "This session was cancelled, so its register cannot be changed")
	}
	if !o.Locked(now) {
		return nil
	}
	if !a.manages() {
		return fault.Coded(fault.Conflict, CodeRegisterLocked,
			"This register locked 7 days after the session. Ask a centre manager to make the change")
	}
	if strings.TrimSpace(reason) == "" {
		return fault.Field("reason", "Give a reason for changing a register more than 7 days after the session")
	}
	return nil
}

// store runs storeMarksSQL on the pool, or in tx when it is not nil, as a
// prepared statement (the statement is long; planning it for every mark
// would cost more than running it).
func (s *Service) store(ctx context.Context, tx *sqlx.Tx, a Actor, o Occurrence, device, reason string,
	marks []Mark, now time.Time, rows *[]markRow) error {
	n := len(marks)
	cid, yp, st, rec, in, out := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	stamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(time.RFC3339Nano)
	}
	for i, m := range marks {
		cid[i], yp[i], st[i], rec[i] = m.ClientID, m.YoungPersonID, m.Status, m.RecordedAt.Format(time.RFC3339Nano)
		in[i], out[i] = stamp(m.CheckedInAt), stamp(m.CheckedOutAt)
	}
	prep, q := &s.marksStmt, itemsFromArrays+storeMarksSQL
	if n == 1 {
		prep, q = &s.markStmt, itemFromScalar+storeMarksSQL
	}
	stmt, err := s.prepare(ctx, prep, q)
	if err != nil {
		return err
	}
	if tx != nil {
		stmt = tx.StmtxContext(ctx, stmt)
	}
	if n == 1 {
		err = stmt.SelectContext(ctx, rows, o.ID, cid[0], yp[0], st[0], rec[0], in[0], out[0], a.UserID, device, reason, now)
	} else {
		err = stmt.SelectContext(ctx, rows, o.ID, pq.Array(cid), pq.Array(yp), pq.Array(st), pq.Array(rec),
			pq.Array(in), pq.Array(out), a.UserID, device, reason, now)
	}
	return postgres.Classify(err)
}

// retry runs fn again (at most twice more) when PostgreSQL broke a deadlock
// or a serialisation conflict by cancelling it; fn must be atomic.
func retry(ctx context.Context, fn func() error) error {
	for attempt := 0; ; attempt++ {
		err := fn()
		if err == nil || attempt == 2 || ctx.Err() != nil || !transient(err) {
			return err
		}
	}
}

func transient(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && (pqErr.Code == "40P01" || pqErr.Code == "40001")
}
