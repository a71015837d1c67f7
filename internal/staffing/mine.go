package staffing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/rota"
)

// MyShift is one of a worker's own shifts with what and where it is.
// OccurrenceStatus is scheduled or cancelled: a cancelled session's shift
// stays listed so that the worker learns of it.
type MyShift struct {
	ID               string    `db:"id" json:"id"`
	OccurrenceID     string    `db:"occurrence_id" json:"occurrence_id"`
	Role             string    `db:"role" json:"role"`
	StartsAt         time.Time `db:"starts_at" json:"starts_at"`
	EndsAt           time.Time `db:"ends_at" json:"ends_at"`
	Title            string    `db:"title" json:"title"`
	CentreID         string    `db:"centre_id" json:"centre_id"`
	CentreName       string    `db:"centre_name" json:"centre_name"`
	CentreAddress    string    `db:"centre_address" json:"centre_address"`
	CentrePostcode   string    `db:"centre_postcode" json:"centre_postcode"`
	OccurrenceStatus string    `db:"occurrence_status" json:"occurrence_status"`
	UpdatedAt        time.Time `db:"updated_at" json:"updated_at"`
}

const myShiftQuery = `SELECT s.id, s.occurrence_id, s.role, s.starts_at, s.ends_at, ss.title, o.centre_id, c.name AS centre_name,
	c.address AS centre_address, c.postcode AS centre_postcode, o.status AS occurrence_status, s.updated_at
	FROM shifts s JOIN occurrences o ON o.id = s.occurrence_id JOIN session_series ss ON ss.id = o.series_id JOIN centres c ON c.id = o.centre_id
	WHERE s.user_id = $1 AND s.ends_at > $2 AND s.starts_at < $3
	ORDER BY s.starts_at, s.id`

// FindMyShifts returns a worker's own shifts overlapping [from, to), by
// start time.
func (s *Service) FindMyShifts(ctx context.Context, userID string, from, to time.Time) ([]MyShift, error) {
	return findMyShifts(ctx, s.DB, userID, from, to)
}

func findMyShifts(ctx context.Context, q sqlx.QueryerContext, userID string, from, to time.Time) ([]MyShift, error) {
	out := []MyShift{}
	if err := sqlx.SelectContext(ctx, q, &out, myShiftQuery, userID, from, to); err != nil {
		return nil, fmt.Errorf("staffing: my shifts: %w", err)
	}
	for i := range out {
		out[i].StartsAt, out[i].EndsAt = out[i].StartsAt.In(rota.London()), out[i].EndsAt.In(rota.London())
	}
	return out, nil
}

// ResetCalendarSecret makes a new secret for the actor's private rota
// calendar and returns it; only its hash is kept, so the old URL stops
// working. fault.NotFound ("no_staff_record") when the actor has no staff
// record.
func (s *Service) ResetCalendarSecret(ctx context.Context, a Actor) (string, error) {
	secret, hash, err := auth.NewSecret()
	if err != nil {
		return "", fmt.Errorf("staffing: calendar secret: %w", err)
	}
	res, err := s.DB.ExecContext(ctx, `UPDATE staff_records SET calendar_secret_hash = $2 WHERE user_id = $1 AND council_id = $3`,
		a.UserID, hash, a.CouncilID)
	if err != nil {
		return "", postgres.Classify(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return "", fault.Coded(fault.NotFound, "no_staff_record", "You have no staff record yet, so you have no rota to subscribe to")
	}
	return secret, nil
}

// How far back and ahead a rota calendar feed reaches.
const (
	calendarBack  = 31 * 24 * time.Hour
	calendarAhead = 366 * 24 * time.Hour
)

// FindCalendar returns the name and the shifts (from a month ago to a year
// ahead) of the active worker whose calendar secret this is; fault.NotFound
// for any other secret.
func (s *Service) FindCalendar(ctx context.Context, secret string) (string, []MyShift, error) {
	var who struct {
		UserID    string `db:"user_id"`
		FirstName string `db:"first_name"`
		LastName  string `db:"last_name"`
	}
	const q = `SELECT r.user_id, u.first_name, u.last_name FROM staff_records r JOIN users u ON u.id = r.user_id
		WHERE r.calendar_secret_hash = $1 AND u.active`
	if err := s.DB.GetContext(ctx, &who, q, auth.HashSecret(secret)); err != nil {
		return "", nil, postgres.Classify(err)
	}
	now := s.Now()
	shifts, err := s.FindMyShifts(ctx, who.UserID, now.Add(-calendarBack), now.Add(calendarAhead))
	if err != nil {
		return "", nil, err
	}
	return strings.TrimSpace(who.FirstName + " " + who.LastName), shifts, nil
}
