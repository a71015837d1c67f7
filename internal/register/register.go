// Package register keeps the attendance registers of DESIGN.md §2: marks
// (present, late, absent, left) with their full history, the winning mark per
// person per occurrence, QR scans at the door, walk-ins, the emergency roll
// call with its audit trail, and closing registers after a session.
//
// Offline devices make each mark's id (client_id), so a mark synced twice is
// stored once; the mark with the later recorded_at wins (ties: the larger
// client_id). Every batch of marks is one SQL statement that inserts the
// history and keeps current_marks under its row locks, so replays, out-of-order
// syncs and devices racing each other converge on the same winner.
//
// The package never imports other domain packages: the api layer parses QR
// tickets and postcodes and passes plain ids and values in.
package register

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
)

// Rules of the register.
const (
	// LockAfter is how long after a session ends its marks may still be
	// changed by anyone on it; after that only a manager, giving a reason.
	LockAfter = 7 * 24 * time.Hour
	// CloseAfter is how long after a session ends CloseRegisters turns
	// unmarked confirmed bookings into no-shows.
	CloseAfter = time.Hour
	// OpensBefore is how long before a session starts marks are accepted.
	OpensBefore = 2 * time.Hour
	// ClockSkew is how far ahead of the server's clock a device's clock may
	// run; a mark recorded further in the future would win for ever.
	ClockSkew = 5 * time.Minute
	// MaxBatch is the most marks one sync may carry.
	MaxBatch = 200
)

// Service reads and writes registers.
type Service struct {
	DB  *sqlx.DB
	Now func() time.Time

	prepMu    sync.Mutex
	authStmt  *sqlx.Stmt // authorizeSQL
	marksStmt *sqlx.Stmt // storeMarksSQL for a batch
	markStmt  *sqlx.Stmt // storeMarksSQL for one mark
}

// Actor is the member of staff making a request.
type Actor struct {
	UserID    string
	Role      auth.Role
	CouncilID string
}

// manages reports whether the actor may change a locked register.
func (a Actor) manages() bool {
	return a.Role == auth.CentreManager || a.Role == auth.CouncilOfficer
}

// Occurrence is the session a register belongs to, with what the register
// rules need.
type Occurrence struct {
	ID               string     `db:"id"`
	CouncilID        string     `db:"council_id"`
	CentreID         string     `db:"centre_id"`
	CentreName       string     `db:"centre_name"`
	Title            string     `db:"title"`
	StartsAt         time.Time  `db:"starts_at"`
	EndsAt           time.Time  `db:"ends_at"`
	BookingMode      string     `db:"booking_mode"`
	Capacity         int        `db:"capacity"`
	Places           int        `db:"places"` // capacity, capped by the staffed limit
	ConfirmedCount   int        `db:"confirmed_count"`
	Status           string     `db:"status"`
	RegisterClosedAt *time.Time `db:"register_closed_at"`
	AgeMin           int        `db:"age_min"`
	AgeMax           int        `db:"age_max"`
	Rostered         bool       `db:"rostered"` // the actor has a shift on it
	// Barred: the actor's staff record says they are on the children's
	// barred list. They see no register, whatever their role.
	Barred bool `db:"barred"`
}

// LocksAt is when the register locks.
func (o Occurrence) LocksAt() time.Time { return o.EndsAt.Add(LockAfter) }

// Locked reports whether the register is locked at now.
func (o Occurrence) Locked(now time.Time) bool { return now.After(o.LocksAt()) }

// SpacesLeft is the number of free places of a bookable session, nil for drop-in.
func (o Occurrence) SpacesLeft() *int {
	if o.BookingMode != "bookable" {
		return nil
	}
	n := max(0, o.Places-o.ConfirmedCount)
	return &n
}

const occurrenceColumns = `
SELECT o.id, o.council_id, o.centre_id, c.name AS centre_name, s.title, o.starts_at, o.ends_at, o.booking_mode,
       o.capacity, LEAST(o.capacity, coalesce(o.staffed_limit, o.capacity)) AS places, o.confirmed_count,
       o.status, o.register_closed_at, s.age_min, s.age_max, `

const occurrenceFrom = `
FROM occurrences o
JOIN session_series s ON s.id = o.series_id
JOIN centres c ON c.id = o.centre_id
WHERE o.id = $1`

// Authorize loads an occurrence for a member of staff and checks they may
// keep its register: staff of its council who are rostered on it (a row in
// shifts), or any centre manager or council officer of that council. Another
// council's occurrence, or none, is fault.NotFound (its existence is not
// revealed); a youth worker of the council who is not rostered is
// fault.Forbidden.
func (s *Service) Authorize(ctx context.Context, a Actor, occurrenceID string) (Occurrence, error) {
	stmt, err := s.prepare(ctx, &s.authStmt, authorizeSQL)
	if err != nil {
		return Occurrence{}, err
	}
	var o Occurrence
	err = stmt.GetContext(ctx, &o, occurrenceID, a.UserID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && o.CouncilID != a.CouncilID) {
		return Occurrence{}, fault.New(fault.NotFound, "This session does not exist")
	}
	if err != nil {
		return Occurrence{}, err
	}
	if o.Barred {
		return Occurrence{}, fault.Coded(fault.Forbidden, CodeBarred, "Your staff record says you must not work with young people, so you cannot see registers. Speak to your manager")
	}
	if !a.manages() && !o.Rostered {
		return Occurrence{}, fault.New(fault.Forbidden, "Only staff on the rota for this session, its centre managers and council officers can see its register")
	}
	return o, nil
}

const authorizeSQL = occurrenceColumns +
	`EXISTS (SELECT 1 FROM shifts sh WHERE sh.occurrence_id = o.id AND sh.user_id = $2) AS rostered,
	 EXISTS (SELECT 1 FROM staff_records r WHERE r.user_id = $2 AND r.on_barred_list) AS barred` + occurrenceFrom

// CodeBarred refuses staff recorded as on the children's barred list.
const CodeBarred = "barred"

// Barred reports whether userID's staff record says they are on the
// children's barred list.
func (s *Service) Barred(ctx context.Context, userID string) (bool, error) {
	var barred bool
	err := s.DB.GetContext(ctx, &barred, `SELECT EXISTS (SELECT 1 FROM staff_records WHERE user_id = $1 AND on_barred_list)`, userID)
	return barred, err
}

// prepare returns *st, preparing q on the pool the first time: the
// register's hot statements are planned once, not on every request.
func (s *Service) prepare(ctx context.Context, st **sqlx.Stmt, q string) (*sqlx.Stmt, error) {
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	if *st == nil {
		p, err := s.DB.PreparexContext(ctx, q)
		if err != nil {
			return nil, err
		}
		*st = p
	}
	return *st, nil
}

// DaySession is one of a council's sessions on a day, as a centre manager
// or officer picks a register to open.
type DaySession struct {
	OccurrenceID string    `db:"occurrence_id" json:"occurrence_id"`
	Title        string    `db:"title" json:"title"`
	CentreID     string    `db:"centre_id" json:"centre_id"`
	CentreName   string    `db:"centre_name" json:"centre_name"`
	StartsAt     time.Time `db:"starts_at" json:"starts_at"`
	EndsAt       time.Time `db:"ends_at" json:"ends_at"`
	BookingMode  string    `db:"booking_mode" json:"booking_mode"`
	Status       string    `db:"status" json:"status"`
	Booked       int       `db:"booked" json:"booked"`
	Rostered     bool      `db:"rostered" json:"rostered"` // the caller has a shift on it
}

// CouncilDay lists the council's sessions starting between from and to
// (a London day), by start time and centre: the registers its managers and
// officers may keep.
func (s *Service) CouncilDay(ctx context.Context, councilID, userID string, from, to time.Time) ([]DaySession, error) {
	out := []DaySession{}
	err := s.DB.SelectContext(ctx, &out, `SELECT o.id AS occurrence_id, s.title, o.centre_id, c.name AS centre_name, o.starts_at, o.ends_at,
			o.booking_mode, o.status, o.confirmed_count AS booked,
			EXISTS (SELECT 1 FROM shifts sh WHERE sh.occurrence_id = o.id AND sh.user_id = $4) AS rostered
		FROM occurrences o JOIN session_series s ON s.id = o.series_id JOIN centres c ON c.id = o.centre_id
		WHERE o.council_id = $1 AND o.starts_at >= $2 AND o.starts_at < $3
		ORDER BY o.starts_at, c.name, s.title, o.id`, councilID, from, to, userID)
	return out, err
}
