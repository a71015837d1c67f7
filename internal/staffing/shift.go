package staffing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/rota"
)

// maxShift is the longest shift that can be stored.
const maxShift = 16 * time.Hour

// ShiftInput puts a worker on an occurrence. StartsAt and EndsAt default to
// the occurrence's own times; when given they must overlap it.
type ShiftInput struct {
	UserID   string     `json:"user_id" validate:"required,uuid"`
	Role     string     `json:"role" validate:"required,oneof=lead worker volunteer"`
	StartsAt *time.Time `json:"starts_at"`
	EndsAt   *time.Time `json:"ends_at"`
}

// ShiftChange changes a shift; fields left out stay as they are.
type ShiftChange struct {
	UserID   *string    `json:"user_id" validate:"omitempty,uuid"`
	Role     *string    `json:"role" validate:"omitempty,oneof=lead worker volunteer"`
	StartsAt *time.Time `json:"starts_at"`
	EndsAt   *time.Time `json:"ends_at"`
}

// ShiftResult is a stored shift and its occurrence's rota after the write.
type ShiftResult struct {
	Shift Shift          `json:"shift"`
	Rota  OccurrenceRota `json:"rota"`
}

// FindOccurrenceRota returns an occurrence of the council with its shifts and
// rota status; fault.NotFound for another council's occurrence or none.
func (s *Service) FindOccurrenceRota(ctx context.Context, councilID, occurrenceID string) (OccurrenceRota, error) {
	var out OccurrenceRota
	err := s.read(ctx, func(tx *sqlx.Tx) error {
		const q = `SELECT ` + occurrenceColumns + occurrenceFrom + `WHERE o.id = $1 AND o.council_id = $2`
		var o Occurrence
		if err := tx.GetContext(ctx, &o, q, occurrenceID, councilID); err != nil {
			return postgres.Classify(err)
		}
		o.localise()
		items, err := evaluate(ctx, tx, councilID, []Occurrence{o})
		if err != nil {
			return err
		}
		out = items[0]
		return nil
	})
	return out, err
}

// CreateShift puts a worker on an occurrence of the actor's council after
// checking every hard rota rule, and updates the occurrence's staffed_limit
// in the same transaction. Errors: fault.NotFound for an occurrence outside
// the council; fault.Invalid with the rule's code (e.g. "dbs_expired",
// "shift_overlap") and a message naming the rule and the worker when a rule
// would break, or with field errors for a bad worker or bad times.
func (s *Service) CreateShift(ctx context.Context, a Actor, occurrenceID string, in ShiftInput) (ShiftResult, error) {
	var res ShiftResult
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var err error
		res, err = s.CreateShiftIn(ctx, tx, a, occurrenceID, in)
		return err
	})
	return res, err
}

// CreateShiftIn is CreateShift inside tx, which the caller commits (the
// API's Idempotency-Key handling stores the answer in the same transaction).
func (s *Service) CreateShiftIn(ctx context.Context, tx *sqlx.Tx, a Actor, occurrenceID string, in ShiftInput) (ShiftResult, error) {
	occs, err := lockOccurrences(ctx, tx, a.CouncilID, []string{occurrenceID})
	if err != nil {
		return ShiftResult{}, err
	}
	o := occs[0]
	if o.Status != "scheduled" {
		return ShiftResult{}, fault.Coded(fault.Invalid, "occurrence_cancelled", "This session has been cancelled, so nobody can be rostered on it")
	}
	start, end, err := shiftTimes(o, in.StartsAt, in.EndsAt)
	if err != nil {
		return ShiftResult{}, err
	}
	if err := s.lockStaff(ctx, tx, a.CouncilID, in.UserID); err != nil {
		return ShiftResult{}, err
	}
	proposed := rota.Shift{OccurrenceID: o.ID, WorkerID: in.UserID, Role: rota.Role(in.Role), Start: start, End: end}
	if err := check(ctx, tx, a.CouncilID, o, proposed); err != nil {
		return ShiftResult{}, err
	}
	const q = `INSERT INTO shifts (occurrence_id, council_id, user_id, role, starts_at, ends_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`
	var id string
	if err := tx.GetContext(ctx, &id, q, o.ID, a.CouncilID, in.UserID, in.Role, start, end, a.UserID); err != nil {
		return ShiftResult{}, shiftWriteError(err)
	}
	return s.afterWrite(ctx, tx, a.CouncilID, o, id)
}

// UpdateShift changes a shift of the actor's council (its worker, role or
// times) after checking every hard rule for the shift as it would be, and
// updates the occurrence's staffed_limit. Moving a shift to another worker
// cancels any swap open on it. Errors as CreateShift.
func (s *Service) UpdateShift(ctx context.Context, a Actor, shiftID string, ch ShiftChange) (ShiftResult, error) {
	var res ShiftResult
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		cur, o, err := lockShift(ctx, tx, a.CouncilID, shiftID)
		if err != nil {
			return err
		}
		next := cur
		if ch.UserID != nil {
			next.UserID = *ch.UserID
		}
		if ch.Role != nil {
			next.Role = *ch.Role
		}
		start, end := cur.StartsAt, cur.EndsAt
		if ch.StartsAt != nil {
			start = *ch.StartsAt
		}
		if ch.EndsAt != nil {
			end = *ch.EndsAt
		}
		if next.StartsAt, next.EndsAt, err = shiftTimes(o, &start, &end); err != nil {
			return err
		}
		if err := s.lockStaff(ctx, tx, a.CouncilID, cur.UserID, next.UserID); err != nil {
			return err
		}
		if err := check(ctx, tx, a.CouncilID, o, next.rota()); err != nil {
			return err
		}
		const q = `UPDATE shifts SET user_id = $2, role = $3, starts_at = $4, ends_at = $5, updated_at = now() WHERE id = $1`
		if _, err := tx.ExecContext(ctx, q, cur.ID, next.UserID, next.Role, next.StartsAt, next.EndsAt); err != nil {
			return shiftWriteError(err)
		}
		if next.UserID != cur.UserID {
			if err := cancelOpenSwaps(ctx, tx, cur.ID, a.UserID); err != nil {
				return err
			}
		}
		res, err = s.afterWrite(ctx, tx, a.CouncilID, o, cur.ID)
		return err
	})
	return res, err
}

// DeleteShift removes a shift of the actor's council and updates its
// occurrence's staffed_limit, returning the occurrence's rota after it.
// fault.NotFound for a shift outside the council.
func (s *Service) DeleteShift(ctx context.Context, a Actor, shiftID string) (OccurrenceRota, error) {
	var out OccurrenceRota
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		cur, o, err := lockShift(ctx, tx, a.CouncilID, shiftID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM shifts WHERE id = $1`, cur.ID); err != nil {
			return fmt.Errorf("staffing: delete shift: %w", err)
		}
		res, err := s.afterWrite(ctx, tx, a.CouncilID, o, "")
		out = res.Rota
		return err
	})
	return out, err
}

// lockShift finds a shift of the council, locks its occurrence (before
// anything else, as every write does) and returns the shift as it stands
// under the lock.
func lockShift(ctx context.Context, tx *sqlx.Tx, councilID, shiftID string) (Shift, Occurrence, error) {
	var occID string
	err := tx.GetContext(ctx, &occID, `SELECT occurrence_id FROM shifts WHERE id = $1 AND council_id = $2`, shiftID, councilID)
	if err != nil {
		return Shift{}, Occurrence{}, postgres.Classify(err)
	}
	occs, err := lockOccurrences(ctx, tx, councilID, []string{occID})
	if err != nil {
		return Shift{}, Occurrence{}, err
	}
	var cur Shift
	if err := tx.GetContext(ctx, &cur, `SELECT `+shiftColumns+shiftFrom+`WHERE s.id = $1`, shiftID); err != nil {
		return Shift{}, Occurrence{}, postgres.Classify(err)
	}
	cur.localise()
	return cur, occs[0], nil
}

// lockStaff locks the staff records of the workers (the last is the one
// being rostered) and refuses that worker when they are not on the council's
// staff or have no staff record.
func (s *Service) lockStaff(ctx context.Context, tx *sqlx.Tx, councilID string, ids ...string) error {
	have, err := lockWorkers(ctx, tx, councilID, ids...)
	if err != nil {
		return err
	}
	id := ids[len(ids)-1]
	if have[id] {
		return nil
	}
	var name string
	err = tx.GetContext(ctx, &name, `SELECT first_name || ' ' || last_name FROM users
		WHERE id = $1 AND council_id = $2 AND role IN ('youth_worker','centre_manager','council_officer')`, id, councilID)
	if err != nil {
		return fault.Field("user_id", "There is nobody on your council's staff with this id")
	}
	return &fault.Error{Kind: fault.Invalid, Code: "staff_record_missing",
		Message: name + " has no staff record yet: add their DBS check, safeguarding training and date of birth first",
		Fields:  []fault.FieldError{{Field: "user_id", Message: name + " has no staff record yet"}}}
}

// check refuses proposed when it breaks a hard rule, given the worker's
// shifts around it.
func check(ctx context.Context, tx *sqlx.Tx, councilID string, o Occurrence, proposed rota.Shift) error {
	l, err := loadWorkers(ctx, tx, councilID, []string{proposed.WorkerID})
	if err != nil {
		return err
	}
	if err := l.loadHistory(ctx, tx, councilID, proposed.Start, proposed.End); err != nil {
		return err
	}
	l.r.Occurrences = []rota.Occurrence{o.rota()}
	if err := l.nameOccurrences(ctx, tx); err != nil {
		return err
	}
	if vs := rota.CheckShift(l.r, proposed); len(vs) > 0 {
		return refusal(vs)
	}
	return nil
}

// nameOccurrences adds the occurrences of the loaded shifts (for the centre
// names in messages) to those already in l.r.Occurrences.
func (l *loaded) nameOccurrences(ctx context.Context, q sqlx.QueryerContext) error {
	have := map[string]bool{}
	for _, o := range l.r.Occurrences {
		have[o.ID] = true
	}
	var ids []string
	for _, s := range l.r.Shifts {
		if !have[s.OccurrenceID] {
			have[s.OccurrenceID] = true
			ids = append(ids, s.OccurrenceID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	const qo = `SELECT ` + occurrenceColumns + occurrenceFrom + `WHERE o.id = ANY($1::uuid[])`
	var occs []Occurrence
	if err := sqlx.SelectContext(ctx, q, &occs, qo, pq.StringArray(ids)); err != nil {
		return fmt.Errorf("staffing: name occurrences: %w", err)
	}
	for _, o := range occs {
		l.r.Occurrences = append(l.r.Occurrences, o.rota())
	}
	return nil
}

// afterWrite recomputes the occurrence's rota and staffed_limit after a
// shift write and returns the shift (when shiftID names one) with it. When
// the write let people in from the waiting list, the rota is read again
// with their bookings.
func (s *Service) afterWrite(ctx context.Context, tx *sqlx.Tx, councilID string, o Occurrence, shiftID string) (ShiftResult, error) {
	items, err := evaluate(ctx, tx, councilID, []Occurrence{o})
	if err != nil {
		return ShiftResult{}, err
	}
	promoted, err := s.setStaffedLimits(ctx, tx, items)
	if err != nil {
		return ShiftResult{}, err
	}
	if promoted {
		occs, err := lockOccurrences(ctx, tx, councilID, []string{o.ID})
		if err != nil {
			return ShiftResult{}, err
		}
		if items, err = evaluate(ctx, tx, councilID, occs); err != nil {
			return ShiftResult{}, err
		}
	}
	res := ShiftResult{Rota: items[0]}
	for _, sh := range items[0].Shifts {
		if sh.ID == shiftID {
			res.Shift = sh
		}
	}
	return res, nil
}

// shiftTimes applies the defaults (the occurrence's times) and checks that
// the shift ends after it starts, overlaps the occurrence and is not
// impossibly long.
func shiftTimes(o Occurrence, start, end *time.Time) (time.Time, time.Time, error) {
	s, e := o.StartsAt, o.EndsAt
	if start != nil {
		s = start.In(rota.London())
	}
	if end != nil {
		e = end.In(rota.London())
	}
	switch {
	case !e.After(s):
		return s, e, fault.Field("ends_at", "The shift must end after it starts")
	case e.Sub(s) > maxShift:
		return s, e, fault.Field("ends_at", "A shift can be at most 16 hours long")
	case !s.Before(o.EndsAt) || !o.StartsAt.Before(e):
		return s, e, fault.Field("starts_at", "The shift must overlap the session it is for")
	}
	return s, e, nil
}

// shiftWriteError explains the schema refusing a shift: the backstops behind
// the rules, reached only if a check was bypassed.
func shiftWriteError(err error) error {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Constraint {
		case "shifts_no_overlap":
			return &fault.Error{Kind: fault.Invalid, Code: string(rota.CodeShiftOverlap), Err: err,
				Message: "This worker already has a shift at that time (perhaps on a cancelled session): remove it first"}
		case "shifts_one_per_occurrence":
			return &fault.Error{Kind: fault.Invalid, Code: string(rota.CodeDuplicateShift), Err: err,
				Message: "This worker is already rostered on this session"}
		}
	}
	return postgres.Classify(err)
}
