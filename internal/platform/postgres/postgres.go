// Package postgres opens the connection pool, runs transactions and
// classifies PostgreSQL errors into fault kinds.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/pressly/goose/v3"

	"youthhub/internal/platform/fault"
	"youthhub/migrations"
)

// Open connects to PostgreSQL with a bounded pool. It adds
// binary_parameters=yes so that each parameterised statement is one round trip.
func Open(ctx context.Context, dsn string, maxConns int) (*sqlx.DB, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", err)
	}
	q := u.Query()
	if q.Get("binary_parameters") == "" {
		q.Set("binary_parameters", "yes")
	}
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	u.RawQuery = q.Encode()
	db, err := sqlx.Open("postgres", u.String())
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: ping: %w", err)
	}
	return db, nil
}

// WithTx runs fn in a transaction, committing when fn returns nil and rolling
// back otherwise.
func WithTx(ctx context.Context, db *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return Classify(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// Classify maps driver errors to fault kinds: a unique violation is a
// conflict, a check or foreign-key violation is invalid, sql.ErrNoRows is not
// found, a serialization failure is unavailable (retry). Other errors are
// returned unchanged (internal).
func Classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &fault.Error{Kind: fault.NotFound, Message: "Not found", Err: err}
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code {
		case "23505":
			return &fault.Error{Kind: fault.Conflict, Code: pqErr.Constraint, Message: "This already exists", Err: err}
		case "23503", "23514", "23P01", "22007", "22008", "22P02":
			return &fault.Error{Kind: fault.Invalid, Code: pqErr.Constraint, Message: "That change is not allowed", Err: err}
		case "40001", "40P01", "57P01", "57P03", "08006", "08003":
			return &fault.Error{Kind: fault.Unavailable, Message: "Busy, please try again", Err: err}
		}
	}
	return err
}

// Migrate runs the embedded goose migrations: command is up, down, status,
// or reset.
func Migrate(ctx context.Context, db *sql.DB, command string) error {
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	switch command {
	case "up":
		_, err = p.Up(ctx)
	case "down":
		_, err = p.Down(ctx)
	case "reset":
		_, err = p.DownTo(ctx, 0)
	case "status":
		var st []*goose.MigrationStatus
		st, err = p.Status(ctx)
		for _, s := range st {
			fmt.Printf("%-8s %s\n", s.State, s.Source.Path)
		}
	default:
		return fmt.Errorf("migrate: unknown command %q (up, down, status, reset)", command)
	}
	if err != nil {
		return fmt.Errorf("migrate %s: %w", command, err)
	}
	return nil
}

// AtHead reports whether every embedded migration has been applied.
func AtHead(ctx context.Context, db *sql.DB) (bool, error) {
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	return !pending, err
}
