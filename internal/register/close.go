package register

import (
	"context"
	"time"
)

// Closed is what CloseRegisters did.
type Closed struct {
	Registers int64 // occurrences whose register was closed
	NoShows   int64 // confirmed bookings turned into no-shows
}

// closeSQL closes, in one statement, the registers of occurrences that ended
// more than CloseAfter ago: register_closed_at is set, and confirmed bookings
// of a held (not cancelled) session whose holder has no present, late or left
// mark become no-shows. A mark stored at the same moment sets its booking to
// attended under the booking's row lock, and this UPDATE re-checks the
// status after waiting for that lock, so the two cannot cross.
const closeSQL = `
WITH due AS (
    UPDATE occurrences SET register_closed_at = $1
    WHERE register_closed_at IS NULL AND ends_at < $2
    RETURNING id, status
), ns AS (
    UPDATE bookings b SET status = 'no_show', updated_at = $1
    FROM due
    WHERE b.occurrence_id = due.id AND due.status = 'scheduled' AND b.status = 'confirmed'
      AND NOT EXISTS (SELECT 1 FROM current_marks cm
                      WHERE cm.occurrence_id = b.occurrence_id AND cm.young_person_id = b.young_person_id
                        AND cm.status IN ('present','late','left'))
    RETURNING b.id
)
SELECT (SELECT count(*) FROM due) AS registers, (SELECT count(*) FROM ns) AS no_shows`

// CloseRegisters closes the registers of every occurrence that ended more
// than an hour before now and is not closed yet: unmarked confirmed bookings
// become no-shows and register_closed_at is set. The server's background
// loop calls it; it is safe to run on several replicas at once (a register
// is closed once). Marks may still be changed until the register locks.
func (s *Service) CloseRegisters(ctx context.Context, now time.Time) (Closed, error) {
	var c Closed
	err := s.DB.QueryRowContext(ctx, closeSQL, now, now.Add(-CloseAfter)).Scan(&c.Registers, &c.NoShows)
	return c, err
}
