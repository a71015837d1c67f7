package staffing

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/rota"
	"youthhub/internal/schedule"
)

// Swap statuses.
const (
	SwapOffered   = "offered"
	SwapAccepted  = "accepted"
	SwapApproved  = "approved"
	SwapDeclined  = "declined"
	SwapCancelled = "cancelled"
)

// Swap is a worker's offer to hand a shift to a colleague: offered, accepted
// by a colleague, then approved (the shift moves) or declined by a manager;
// the worker may cancel it until then.
type Swap struct {
	ID             string     `db:"id" json:"id"`
	ShiftID        string     `db:"shift_id" json:"shift_id"`
	OccurrenceID   string     `db:"occurrence_id" json:"occurrence_id"`
	Title          string     `db:"title" json:"title"`
	CentreName     string     `db:"centre_name" json:"centre_name"`
	StartsAt       time.Time  `db:"starts_at" json:"starts_at"`
	EndsAt         time.Time  `db:"ends_at" json:"ends_at"`
	Role           string     `db:"role" json:"role"`
	OfferedBy      string     `db:"offered_by" json:"offered_by"`
	OfferedByName  string     `db:"offered_by_name" json:"offered_by_name"`
	AcceptedBy     *string    `db:"accepted_by" json:"accepted_by"`
	AcceptedByName *string    `db:"accepted_by_name" json:"accepted_by_name"`
	Status         string     `db:"status" json:"status"`
	OfferedAt      time.Time  `db:"offered_at" json:"offered_at"`
	AcceptedAt     *time.Time `db:"accepted_at" json:"accepted_at"`
	DecidedAt      *time.Time `db:"decided_at" json:"decided_at"`
	CouncilID      string     `db:"council_id" json:"-"`
}

const swapQuery = `SELECT w.id, w.shift_id, s.occurrence_id, ss.title, c.name AS centre_name, s.starts_at, s.ends_at, s.role,
	w.offered_by, ou.first_name || ' ' || ou.last_name AS offered_by_name, w.accepted_by,
	CASE WHEN au.id IS NULL THEN NULL ELSE au.first_name || ' ' || au.last_name END AS accepted_by_name,
	w.status, w.offered_at, w.accepted_at, w.decided_at, w.council_id
	FROM shift_swaps w JOIN shifts s ON s.id = w.shift_id JOIN occurrences o ON o.id = s.occurrence_id
	JOIN session_series ss ON ss.id = o.series_id JOIN centres c ON c.id = o.centre_id
	JOIN users ou ON ou.id = w.offered_by LEFT JOIN users au ON au.id = w.accepted_by `

// SwapFilter narrows FindSwaps; an empty Status means the open ones (offered
// or accepted).
type SwapFilter struct {
	Status string
}

// FindSwaps lists the swaps of the actor's council, newest first: for a
// manager or officer all of them, for a worker those still offered (which
// they may accept) and those they offered or accepted.
func (s *Service) FindSwaps(ctx context.Context, a Actor, f SwapFilter) ([]Swap, error) {
	q := swapQuery + `WHERE w.council_id = $1
		AND (NULLIF($2::text, '') IS NULL AND w.status IN ('offered','accepted') OR w.status = NULLIF($2::text, ''))
		AND ($3::boolean OR w.status = 'offered' OR w.offered_by = $4::uuid OR w.accepted_by = $4::uuid)
		ORDER BY w.offered_at DESC, w.id LIMIT 500`
	out := []Swap{}
	if err := s.DB.SelectContext(ctx, &out, q, a.CouncilID, f.Status, a.Manages(), a.UserID); err != nil {
		return nil, fmt.Errorf("staffing: find swaps: %w", err)
	}
	for i := range out {
		out[i].localise()
	}
	return out, nil
}

func (w *Swap) localise() {
	w.StartsAt, w.EndsAt = w.StartsAt.In(rota.London()), w.EndsAt.In(rota.London())
}

// OfferSwap offers the actor's own shift to colleagues. Errors:
// fault.NotFound for a shift outside the council; fault.Forbidden for
// someone else's shift; fault.Invalid ("shift_started") once it has started;
// fault.Conflict ("swap_open") when it is already on offer.
func (s *Service) OfferSwap(ctx context.Context, a Actor, shiftID string) (Swap, error) {
	var out Swap
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var err error
		out, err = s.OfferSwapIn(ctx, tx, a, shiftID)
		return err
	})
	return out, err
}

// OfferSwapIn is OfferSwap inside tx, which the caller commits (the API's
// Idempotency-Key handling stores the answer in the same transaction, so a
// retried offer gets the first answer, not "already offered").
func (s *Service) OfferSwapIn(ctx context.Context, tx *sqlx.Tx, a Actor, shiftID string) (Swap, error) {
	sh, _, err := lockShift(ctx, tx, a.CouncilID, shiftID)
	if err != nil {
		return Swap{}, err
	}
	if sh.UserID != a.UserID {
		return Swap{}, fault.New(fault.Forbidden, "You can offer only your own shifts")
	}
	if !sh.StartsAt.After(s.Now()) {
		return Swap{}, fault.Coded(fault.Invalid, "shift_started", "This shift has already started, so it cannot be swapped")
	}
	var id string
	err = tx.GetContext(ctx, &id, `INSERT INTO shift_swaps (shift_id, council_id, offered_by, offered_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		sh.ID, a.CouncilID, a.UserID, s.Now())
	if fault.KindOf(postgres.Classify(err)) == fault.Conflict {
		return Swap{}, fault.Coded(fault.Conflict, "swap_open", "This shift is already offered for a swap")
	}
	if err != nil {
		return Swap{}, postgres.Classify(err)
	}
	return findSwap(ctx, tx, a.CouncilID, id)
}

// AcceptSwap takes a colleague's offered shift, once every hard rota rule
// holds for the actor working it; a manager must still approve. Errors:
// fault.NotFound outside the council; fault.Conflict ("swap_not_open") when
// it is no longer offered; fault.Invalid for one's own offer, a missing staff
// record, or a broken rule (with the rule's code).
func (s *Service) AcceptSwap(ctx context.Context, a Actor, swapID string) (Swap, error) {
	return s.decide(ctx, a, swapID, func(tx *sqlx.Tx, w Swap, o Occurrence, sh Shift) error {
		if w.Status != SwapOffered {
			return fault.Coded(fault.Conflict, "swap_not_open", "This shift is no longer on offer")
		}
		if w.OfferedBy == a.UserID {
			return fault.Coded(fault.Invalid, "own_swap", "You cannot accept your own offer")
		}
		if !sh.StartsAt.After(s.Now()) {
			return fault.Coded(fault.Invalid, "shift_started", "This shift has already started, so it cannot be swapped")
		}
		if err := s.lockStaff(ctx, tx, a.CouncilID, a.UserID); err != nil {
			return err
		}
		moved := sh.rota()
		moved.WorkerID = a.UserID
		if err := check(ctx, tx, a.CouncilID, o, moved); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shift_swaps SET status = 'accepted', accepted_by = $2, accepted_at = $3 WHERE id = $1`,
			w.ID, a.UserID, s.Now()); err != nil {
			return postgres.Classify(err)
		}
		if err := notify(ctx, tx, w.OfferedBy, "swap_accepted",
			fmt.Sprintf("A colleague has accepted your %s shift on %s; a manager will approve it", w.Title, schedule.SpokenWhen(w.StartsAt))); err != nil {
			return err
		}
		return notifyApprovers(ctx, tx, a.CouncilID, o.CentreID, a.UserID,
			fmt.Sprintf("A shift swap is waiting for your approval: %s at %s on %s. See the rota for %s",
				w.Title, o.CentreName, schedule.SpokenWhen(w.StartsAt), o.CentreName))
	})
}

// notifyApprovers tells those who can approve a swap at a centre that one is
// waiting: its centre managers (their staff record names the centre), or,
// when it has none, every centre manager and council officer of the
// council. Whoever accepted the swap is not told of their own.
func notifyApprovers(ctx context.Context, tx *sqlx.Tx, councilID, centreID, except, message string) error {
	const q = `WITH centre_managers AS (
			SELECT u.id FROM users u JOIN staff_centres sc ON sc.user_id = u.id AND sc.centre_id = $2
			WHERE u.council_id = $1 AND u.role = 'centre_manager' AND u.active)
		INSERT INTO notifications (user_id, kind, message)
		SELECT id, 'swap_waiting', $4 FROM (
			SELECT id FROM centre_managers
			UNION
			SELECT u.id FROM users u WHERE NOT EXISTS (SELECT 1 FROM centre_managers)
				AND u.council_id = $1 AND u.role IN ('centre_manager', 'council_officer') AND u.active) AS approvers
		WHERE id <> $3`
	if _, err := tx.ExecContext(ctx, q, councilID, centreID, except, message); err != nil {
		return fmt.Errorf("staffing: notify approvers: %w", err)
	}
	return nil
}

// ApproveSwap moves an accepted swap's shift to the colleague who accepted
// it, after checking every hard rule for them again, and updates the
// occurrence's staffed_limit. Errors: fault.NotFound outside the council;
// fault.Conflict ("swap_not_accepted") unless accepted, or ("shift_moved")
// when the shift has meanwhile been given to someone else; fault.Invalid for
// a broken rule.
func (s *Service) ApproveSwap(ctx context.Context, a Actor, swapID string) (Swap, error) {
	return s.decide(ctx, a, swapID, func(tx *sqlx.Tx, w Swap, o Occurrence, sh Shift) error {
		if w.Status != SwapAccepted || w.AcceptedBy == nil {
			return fault.Coded(fault.Conflict, "swap_not_accepted", "Only a swap a colleague has accepted can be approved")
		}
		if sh.UserID != w.OfferedBy {
			return fault.Coded(fault.Conflict, "shift_moved", "This shift has been given to someone else since it was offered")
		}
		if !sh.StartsAt.After(s.Now()) {
			return fault.Coded(fault.Invalid, "shift_started", "This shift has already started, so it cannot be swapped")
		}
		to := *w.AcceptedBy
		if err := s.lockStaff(ctx, tx, a.CouncilID, w.OfferedBy, to); err != nil {
			return err
		}
		moved := sh.rota()
		moved.WorkerID = to
		if err := check(ctx, tx, a.CouncilID, o, moved); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shifts SET user_id = $2, updated_at = now() WHERE id = $1`, sh.ID, to); err != nil {
			return shiftWriteError(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shift_swaps SET status = 'approved', decided_by = $2, decided_at = $3 WHERE id = $1`,
			w.ID, a.UserID, s.Now()); err != nil {
			return postgres.Classify(err)
		}
		if _, err := s.afterWrite(ctx, tx, a.CouncilID, o, sh.ID); err != nil {
			return err
		}
		when := schedule.SpokenWhen(w.StartsAt)
		if err := notify(ctx, tx, w.OfferedBy, "swap_approved", fmt.Sprintf("Your %s shift on %s has gone to a colleague", w.Title, when)); err != nil {
			return err
		}
		return notify(ctx, tx, to, "swap_approved", fmt.Sprintf("You are now rostered on %s on %s", w.Title, when))
	})
}

// DeclineSwap refuses an open swap (a manager's decision); the shift stays
// with the worker who offered it. fault.Conflict ("swap_not_open") once
// decided.
func (s *Service) DeclineSwap(ctx context.Context, a Actor, swapID string) (Swap, error) {
	return s.decide(ctx, a, swapID, func(tx *sqlx.Tx, w Swap, _ Occurrence, _ Shift) error {
		if w.Status != SwapOffered && w.Status != SwapAccepted {
			return fault.Coded(fault.Conflict, "swap_not_open", "This swap has already been decided")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shift_swaps SET status = 'declined', decided_by = $2, decided_at = $3 WHERE id = $1`,
			w.ID, a.UserID, s.Now()); err != nil {
			return postgres.Classify(err)
		}
		return notify(ctx, tx, w.OfferedBy, "swap_declined", fmt.Sprintf("Your offer to swap your %s shift on %s was declined; the shift is still yours",
			w.Title, schedule.SpokenWhen(w.StartsAt)))
	})
}

// CancelSwap withdraws the actor's own open offer. fault.Forbidden for
// someone else's; fault.Conflict ("swap_not_open") once decided.
func (s *Service) CancelSwap(ctx context.Context, a Actor, swapID string) (Swap, error) {
	return s.decide(ctx, a, swapID, func(tx *sqlx.Tx, w Swap, _ Occurrence, _ Shift) error {
		if w.OfferedBy != a.UserID {
			return fault.New(fault.Forbidden, "You can cancel only your own offers")
		}
		if w.Status != SwapOffered && w.Status != SwapAccepted {
			return fault.Coded(fault.Conflict, "swap_not_open", "This swap has already been decided")
		}
		_, err := tx.ExecContext(ctx, `UPDATE shift_swaps SET status = 'cancelled', decided_by = $2, decided_at = $3 WHERE id = $1`,
			w.ID, a.UserID, s.Now())
		return postgres.Classify(err)
	})
}

// decide runs one step of a swap in a transaction: it locks the shift's
// occurrence, then the swap, and hands both with the shift to step.
func (s *Service) decide(ctx context.Context, a Actor, swapID string, step func(*sqlx.Tx, Swap, Occurrence, Shift) error) (Swap, error) {
	var out Swap
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var shiftID string
		if err := tx.GetContext(ctx, &shiftID, `SELECT shift_id FROM shift_swaps WHERE id = $1 AND council_id = $2`, swapID, a.CouncilID); err != nil {
			return postgres.Classify(err)
		}
		sh, o, err := lockShift(ctx, tx, a.CouncilID, shiftID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `SELECT id FROM shift_swaps WHERE id = $1 FOR UPDATE`, swapID); err != nil {
			return fmt.Errorf("staffing: lock swap: %w", err)
		}
		w, err := findSwap(ctx, tx, a.CouncilID, swapID)
		if err != nil {
			return err
		}
		if err := step(tx, w, o, sh); err != nil {
			return err
		}
		out, err = findSwap(ctx, tx, a.CouncilID, swapID)
		return err
	})
	return out, err
}

func findSwap(ctx context.Context, q sqlx.QueryerContext, councilID, id string) (Swap, error) {
	var w Swap
	if err := sqlx.GetContext(ctx, q, &w, swapQuery+`WHERE w.id = $1 AND w.council_id = $2`, id, councilID); err != nil {
		return Swap{}, postgres.Classify(err)
	}
	w.localise()
	return w, nil
}

// cancelOpenSwaps closes the open swaps of a shift that has been given to
// someone else.
func cancelOpenSwaps(ctx context.Context, tx *sqlx.Tx, shiftID, by string) error {
	const q = `UPDATE shift_swaps SET status = 'cancelled', decided_by = $2, decided_at = now()
		WHERE shift_id = $1 AND status IN ('offered','accepted')`
	if _, err := tx.ExecContext(ctx, q, shiftID, by); err != nil {
		return fmt.Errorf("staffing: cancel swaps: %w", err)
	}
	return nil
}

// notify leaves a message for a user in the same transaction as the change
// it reports.
func notify(ctx context.Context, tx *sqlx.Tx, userID, kind, message string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, kind, message) VALUES ($1, $2, $3)`, userID, kind, message); err != nil {
		return fmt.Errorf("staffing: notify: %w", err)
	}
	return nil
}
