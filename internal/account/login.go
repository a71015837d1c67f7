package account

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
)

// Throttling. After MaxFailures failed sign-ins to one account from one
// client (an address, or ReCheck inside a session) within FailureWindow, that
// client gets 429 for the account until the window moves on; other places can
// still sign in, so typing someone's address ten times does not lock them out.
// MaxAccountFailures failures from all places together lock the account
// everywhere (guessing spread over many addresses) for FailureWindow, but not
// on a knownDevice (a browser that has signed in to it before); a password
// reset unlocks it at once.
const (
	MaxFailures        = 10
	MaxAccountFailures = 100
	FailureWindow      = 15 * time.Minute
)

// ReCheck is the client of a signed-in person's password re-check (changing
// their password or e-mail address): its failures count apart from sign-ins.
const ReCheck = "signed-in"

var errBadLogin = fault.New(fault.Unauthorized, "The email address or password is not right")

// Login checks an email and password from a client (see Throttling). An
// unknown email and a wrong password answer alike and take the same time.
// Failures are counted in PostgreSQL under a per-account advisory lock, so the
// limits hold across replicas.
func (s *Service) Login(ctx context.Context, email, password, client string, knownDevice bool) (User, error) {
	email = strings.TrimSpace(email)
	var u User
	authenticated := false
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		key := strings.ToLower(email)
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 7))`, key); err != nil {
			return err
		}
		now := s.Now()
		var here, all int
		var oldestHere, oldestAll sql.NullTime
		if err := tx.QueryRowxContext(ctx, `SELECT count(*) FILTER (WHERE client = $3), min(failed_at) FILTER (WHERE client = $3),
				count(*), min(failed_at)
			FROM login_failures WHERE email = $1 AND failed_at > $2`,
			key, now.Add(-FailureWindow), client).Scan(&here, &oldestHere, &all, &oldestAll); err != nil {
			return err
		}
		retry := func(oldest sql.NullTime) int {
			return max(1, int(math.Ceil((FailureWindow - now.Sub(oldest.Time)).Seconds())))
		}
		if all >= MaxAccountFailures && !knownDevice {
			return &fault.Error{Kind: fault.TooMany, Code: "account_locked",
				Message:    "There have been too many failed attempts to sign in to this account. Wait 15 minutes, or reset your password to sign in now",
				RetryAfter: retry(oldestAll)}
		}
		if here >= MaxFailures {
			return &fault.Error{Kind: fault.TooMany, Code: "too_many_attempts",
				Message:    "Too many attempts to sign in to this account. Wait 15 minutes and try again",
				RetryAfter: retry(oldestHere)}
		}
		err := tx.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users WHERE email = $1`, email)
		ok := false
		switch {
		case errors.Is(err, sql.ErrNoRows):
			auth.VerifyDummy(password)
		case err != nil:
			return err
		case u.PasswordHash == nil:
			auth.VerifyDummy(password)
		default:
			if ok, err = auth.VerifyPassword(*u.PasswordHash, password); err != nil {
				return err
			}
		}
		if !ok || !u.Active {
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (email, client, failed_at) VALUES ($1, $2, $3)`, key, client, now); err != nil {
				return err
			}
			return nil
		}
		authenticated = true
		// Only this client's count starts again: a right password here says
		// nothing of the attempts made elsewhere.
		_, err = tx.ExecContext(ctx, `DELETE FROM login_failures WHERE (email = $1 AND client = $2) OR failed_at < $3`, key, client, now.Add(-24*time.Hour))
		return err
	})
	if err != nil {
		return User{}, err
	}
	if !authenticated {
		return User{}, errBadLogin
	}
	return u, nil
}

// IssueRefresh starts a new refresh-token family for a user and returns the
// opaque token (the database keeps only its hash).
func (s *Service) IssueRefresh(ctx context.Context, userID string) (string, error) {
	return s.insertRefresh(ctx, s.DB, userID, uuid.NewString())
}

func (s *Service) insertRefresh(ctx context.Context, db sqlx.ExecerContext, userID, family string) (string, error) {
	secret, hash, err := auth.NewSecret()
	if err != nil {
		return "", err
	}
	const q = `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)`
	if _, err := db.ExecContext(ctx, q, userID, family, hash, s.Now().Add(s.RefreshTTL)); err != nil {
		return "", err
	}
	return secret, nil
}

var errBadRefresh = fault.New(fault.Unauthorized, "Your session has ended. Sign in again")

// Refresh rotates a refresh token: the presented one is marked used and a new
// one of the same family is returned. Presenting a token that was already
// used revokes the whole family (it was stolen, or replayed).
func (s *Service) Refresh(ctx context.Context, token string) (User, string, error) {
	if token == "" {
		return User{}, "", errBadRefresh
	}
	var u User
	var next string
	reused := false
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var rt struct {
			ID        string     `db:"id"`
			UserID    string     `db:"user_id"`
			FamilyID  string     `db:"family_id"`
			ExpiresAt time.Time  `db:"expires_at"`
			UsedAt    *time.Time `db:"used_at"`
			RevokedAt *time.Time `db:"revoked_at"`
		}
		err := tx.GetContext(ctx, &rt, `SELECT id, user_id, family_id, expires_at, used_at, revoked_at
			FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`, auth.HashSecret(token))
		if errors.Is(err, sql.ErrNoRows) {
			return errBadRefresh
		}
		if err != nil {
			return err
		}
		if rt.RevokedAt != nil {
			return errBadRefresh
		}
		if rt.UsedAt != nil {
			reused = true
			_, err := tx.ExecContext(ctx, `UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, rt.FamilyID)
			return err
		}
		if !rt.ExpiresAt.After(s.Now()) {
			return errBadRefresh
		}
		if err := tx.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users WHERE id = $1`, rt.UserID); err != nil {
			return err
		}
		if !u.Active {
			return errBadRefresh
		}
		if _, err := tx.ExecContext(ctx, `UPDATE refresh_tokens SET used_at = now() WHERE id = $1`, rt.ID); err != nil {
			return err
		}
		next, err = s.insertRefresh(ctx, tx, u.ID, rt.FamilyID)
		return err
	})
	if err != nil {
		return User{}, "", err
	}
	if reused {
		return User{}, "", fault.Coded(fault.Unauthorized, "refresh_reused", "This session was used somewhere else, so we signed it out everywhere. Sign in again")
	}
	return u, next, nil
}

// Logout revokes the family of the presented refresh token.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	const q = `UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND family_id =
		(SELECT family_id FROM refresh_tokens WHERE token_hash = $1)`
	_, err := s.DB.ExecContext(ctx, q, auth.HashSecret(token))
	return err
}

// EndAllSessions signs the account out everywhere: every refresh token is
// revoked and every access token issued until now is refused (FindPrincipal),
// this device's too. For a phone lost or a computer left signed in.
func (s *Service) EndAllSessions(ctx context.Context, userID string) error {
	return postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET sessions_valid_from = $2 WHERE id = $1`, userID, s.sessionsValidFrom())
		return err
	})
}
