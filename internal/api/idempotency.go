package api

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/platform/web"
)

// createFunc does the work of a create request on q (a transaction when the
// request is idempotent) and returns the status and body to send.
type createFunc func(ctx context.Context, q sqlx.QueryerContext) (int, any, error)

// idempotent runs a create request once per Idempotency-Key: a retry with
// the same key and body gets the first response (success or refusal) and
// creates nothing; the same key with another body is refused. The key is
// inserted first in the request's transaction, so a racing retry waits on
// its primary key until the first commits, then replays it.
func (s *Server) idempotent(c *fiber.Ctx, userID string, run createFunc) error {
	ctx := c.UserContext()
	key := c.Get("Idempotency-Key")
	if key == "" {
		status, body, err := run(ctx, s.db)
		if err != nil {
			return err
		}
		return c.Status(status).JSON(body)
	}
	if len(key) > 200 || strings.ContainsAny(key, "\r\n") {
		return fault.Field("Idempotency-Key", "The Idempotency-Key header must be 200 characters or fewer")
	}
	h := sha256.New()
	h.Write([]byte(c.Method() + " " + c.Path() + "\n"))
	h.Write(c.Body())
	reqHash := h.Sum(nil)

	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	res, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		userID, key, reqHash)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_ = tx.Rollback()
		var prev struct {
			Hash   []byte `db:"request_hash"`
			Status *int   `db:"status_code"`
			Body   []byte `db:"response"`
		}
		err := s.db.GetContext(ctx, &prev, `SELECT request_hash, status_code, response FROM idempotency_keys WHERE user_id = $1 AND key = $2`, userID, key)
		if errors.Is(err, sql.ErrNoRows) {
			return fault.New(fault.Unavailable, "Please try again")
		}
		if err != nil {
			return err
		}
		if string(prev.Hash) != string(reqHash) {
			return fault.Coded(fault.Invalid, "idempotency_key_reused", "This Idempotency-Key was already used for a different request")
		}
		if prev.Status == nil {
			return fault.Coded(fault.Conflict, "in_progress", "The first request with this Idempotency-Key is still being processed")
		}
		c.Set("Idempotent-Replayed", "true")
		if *prev.Status >= 400 {
			c.Set(fiber.HeaderContentType, "application/problem+json")
			c.Set(fiber.HeaderCacheControl, "no-store")
		} else {
			c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		}
		return c.Status(*prev.Status).Send(prev.Body)
	}
	if _, err := tx.ExecContext(ctx, `SAVEPOINT work`); err != nil {
		return err
	}
	status, body, runErr := run(ctx, tx)
	var out []byte
	if runErr != nil {
		if k := fault.KindOf(runErr); k == fault.Internal || k == fault.Unavailable {
			return runErr // not stored: a retry should try again
		}
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT work`); err != nil {
			return err
		}
		status, out = web.RenderProblem(c, s.log, runErr)
	} else if out, err = json.Marshal(body); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE user_id = $1 AND key = $2`,
		userID, key, status, out); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if runErr != nil {
		c.Set(fiber.HeaderContentType, "application/problem+json")
		c.Set(fiber.HeaderCacheControl, "no-store")
	} else {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	}
	return c.Status(status).Send(out)
}

// txFunc does the work of a create request inside tx and returns the status
// and body to send.
type txFunc func(ctx context.Context, tx *sqlx.Tx) (int, any, error)

// idempotentTx is idempotent for work that needs a transaction of its own:
// with an Idempotency-Key it runs inside the key's transaction, without one
// inside a new transaction.
func (s *Server) idempotentTx(c *fiber.Ctx, userID string, run txFunc) error {
	return s.idempotent(c, userID, func(ctx context.Context, q sqlx.QueryerContext) (int, any, error) {
		if tx, ok := q.(*sqlx.Tx); ok {
			return run(ctx, tx)
		}
		var status int
		var body any
		err := postgres.WithTx(ctx, s.db, func(tx *sqlx.Tx) error {
			var err error
			status, body, err = run(ctx, tx)
			return err
		})
		return status, body, err
	})
}

// IdempotencyKeyTTL is how long a key and its first answer are kept. Mobile
// retries come within minutes; a kept answer can name a young person (a
// walk-in), so it is not kept longer than that needs.
const IdempotencyKeyTTL = 24 * time.Hour

// ForgetIdempotencyKeys deletes keys older than IdempotencyKeyTTL (by the
// database's clock, which stamps them) and returns how many. The server's
// background loop runs it hourly; it is exported for tests. It reads the
// whole table, which holds about a day of keys: an index on created_at
// would cost every booking an index insert.
func (s *Server) ForgetIdempotencyKeys(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1)`, IdempotencyKeyTTL.Seconds())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
