package timetable

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/postgres"
)

// ExtendHorizon stores the occurrences of every running series up to now
// plus the horizon, one transaction per series, and returns how many it
// added. A series that fails does not stop the others; the failures are
// joined in the error. It is safe to run at any time and on several replicas at once:
// each series row is locked while it is extended and existing occurrences
// are left alone (ON CONFLICT DO NOTHING). Series that ended before today
// are skipped.
func (s *Service) ExtendHorizon(ctx context.Context, now time.Time) (int64, error) {
	until := now.Add(s.horizon())
	const due = `SELECT id, council_id FROM session_series
		WHERE (generated_until IS NULL OR generated_until < $1)
		  AND (last_date IS NULL OR last_date >= ($2::timestamptz AT TIME ZONE 'Europe/London')::date)
		  AND centre_id NOT IN (SELECT id FROM centres WHERE status = 'closed')
		ORDER BY id`
	var todo []struct {
		ID        string `db:"id"`
		CouncilID string `db:"council_id"`
	}
	if err := s.DB.SelectContext(ctx, &todo, due, until, now); err != nil {
		return 0, err
	}
	var added int64
	var errs []error
	for _, t := range todo {
		err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
			sr, err := findSeries(ctx, tx, t.CouncilID, t.ID, true)
			if err != nil || (sr.GeneratedUntil != nil && !sr.GeneratedUntil.Before(until)) {
				return err
			}
			// A closed centre gets no new sessions. FOR SHARE waits for a
			// closure being committed, which then cancels what exists.
			var status string
			if err := tx.GetContext(ctx, &status, `SELECT status FROM centres WHERE id = $1 FOR SHARE`, sr.CentreID); err != nil || status == "closed" {
				return err
			}
			from := now
			if sr.GeneratedUntil != nil && sr.GeneratedUntil.After(from) {
				from = *sr.GeneratedUntil
			}
			n, err := generate(ctx, tx, sr, from, until)
			added += n
			return err
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("timetable: series %s: %w", t.ID, err))
		}
	}
	return added, errors.Join(errs...)
}
