package account

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/mail"
	"youthhub/internal/platform/postgres"
)

// Forgotten passwords. A link to choose a new password is e-mailed to the
// account's own address; it works once, for ResetTTL. Asking for one answers
// the same whether or not an account uses the address, so the answer tells
// nobody who has an account.
const (
	ResetTTL = time.Hour
	// MaxResetsPerHour links go to one account an hour; asking more often
	// sends nothing more, so the form cannot be used to flood an inbox.
	MaxResetsPerHour = 3
)

// ResetRequested is the answer to every request for a link.
const ResetRequested = "If an account uses this email address, we have sent it a link to choose a new password. The link works for 1 hour."

var (
	errResetInvalid = fault.Coded(fault.NotFound, "reset_link_invalid", "This link is not valid. Check you copied all of it, or ask for a new one")
	errResetUsed    = fault.Coded(fault.Conflict, "reset_link_used", "This link has already been used. If you have forgotten your password again, ask for a new link")
	errResetExpired = fault.Coded(fault.Conflict, "reset_link_expired", "This link has expired: links work for 1 hour. Ask for a new one")
)

// RequestPasswordReset e-mails a single-use link to the active account with
// a password that uses this address, if there is one and it has had fewer
// than MaxResetsPerHour links in the last hour. It does the same work, in
// one statement, whether or not there is such an account.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	email = strings.TrimSpace(email)
	if email == "" || !strings.Contains(email, "@") || len(email) > 254 {
		return fault.Field("email", "Enter your email address, like name@example.com")
	}
	secret, hash, err := auth.NewSecret()
	if err != nil {
		return err
	}
	now := s.Now()
	const q = `WITH u AS (
		SELECT id, email, first_name FROM users
		WHERE email = $1 AND active AND password_hash IS NOT NULL
		  AND (SELECT count(*) FROM password_resets r WHERE r.user_id = users.id AND r.requested_at > $3::timestamptz - interval '1 hour') < $5
	), r AS (
		INSERT INTO password_resets (user_id, token_hash, requested_at, expires_at)
		SELECT id, $2, $3, $4 FROM u RETURNING user_id
	)
	INSERT INTO outbox (to_email, subject, body)
	SELECT u.email, 'Choose a new youthhub password', 'Hello ' || u.first_name || E',\n\n' || $6::text
	FROM u JOIN r ON r.user_id = u.id`
	body := `Someone, we hope you, asked to choose a new password for your youthhub account.

To choose one, open this link within 1 hour. It works once:
` + s.BaseURL + `/reset-password/` + secret + `

If you did not ask, you can ignore this email: your password stays as it is.`
	_, err = s.DB.ExecContext(ctx, q, email, hash, now, now.Add(ResetTTL), MaxResetsPerHour, body)
	return err
}

// PasswordReset is a link that can still be used.
type PasswordReset struct {
	ExpiresAt time.Time
}

type resetRow struct {
	ID        string     `db:"id"`
	UserID    string     `db:"user_id"`
	ExpiresAt time.Time  `db:"expires_at"`
	UsedAt    *time.Time `db:"used_at"`
}

// findReset returns a usable link's row, or why it cannot be used.
func (s *Service) findReset(ctx context.Context, q sqlx.QueryerContext, token, lock string) (resetRow, User, error) {
	var r resetRow
	var u User
	if token == "" || len(token) > 200 {
		return r, u, errResetInvalid
	}
	err := sqlx.GetContext(ctx, q, &r, `SELECT id, user_id, expires_at, used_at FROM password_resets WHERE token_hash = $1`+lock, auth.HashSecret(token))
	if errors.Is(err, sql.ErrNoRows) {
		return r, u, errResetInvalid
	}
	if err != nil {
		return r, u, err
	}
	if err := sqlx.GetContext(ctx, q, &u, `SELECT `+userColumns+` FROM users WHERE id = $1`, r.UserID); err != nil {
		return r, u, err
	}
	switch {
	case !u.Active || u.PasswordHash == nil:
		return r, u, errResetInvalid
	case r.UsedAt != nil:
		return r, u, errResetUsed
	case !r.ExpiresAt.After(s.Now()):
		return r, u, errResetExpired
	}
	return r, u, nil
}

// FindPasswordReset says whether a link can be used, before a new password
// is typed.
func (s *Service) FindPasswordReset(ctx context.Context, token string) (PasswordReset, error) {
	r, _, err := s.findReset(ctx, s.DB, token, "")
	return PasswordReset{ExpiresAt: r.ExpiresAt}, err
}

// ResetPassword sets a new password with a link, in one transaction: the
// link and every other outstanding link of the account are used up, every
// session of the account is signed out, failed sign-ins are forgotten, the
// change is audited, and an e-mail tells the account's owner.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (User, error) {
	var u User
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var err error
		if _, u, err = s.findReset(ctx, tx, token, " FOR UPDATE"); err != nil {
			return err
		}
		email := ""
		if u.Email != nil {
			email = *u.Email
		}
		if msg := auth.CheckPassword(password, u.FirstName, u.LastName, email); msg != "" {
			return fault.Field("password", msg)
		}
		hash, err := auth.HashPassword(password)
		if err != nil {
			return err
		}
		stmts := []struct {
			q    string
			args []any
		}{
			{`UPDATE users SET password_hash = $2, sessions_valid_from = $3, updated_at = now() WHERE id = $1`, []any{u.ID, hash, s.sessionsValidFrom()}},
			{`UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, []any{u.ID, s.Now()}},
			{`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, []any{u.ID}},
			// A change of address asked for by whoever knew the old password stops here.
			{`DELETE FROM email_changes WHERE user_id = $1`, []any{u.ID}},
			{`DELETE FROM login_failures WHERE email = $1`, []any{email}},
			{`INSERT INTO audit_log (actor_id, subject_id, action, reason) VALUES ($1, $1, 'password_reset', 'with a link e-mailed to the account')`, []any{u.ID}},
		}
		for _, st := range stmts {
			if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
				return err
			}
		}
		return mail.Enqueue(ctx, tx, email, "Your youthhub password has been changed", "Hello "+u.FirstName+`,

The password of your youthhub account has just been changed with a link sent to this address,
and you were signed out everywhere else.

If this was not you, ask for a new link on the sign-in page ("Forgotten your password?") to choose
another password, and tell the youth centre you use.`)
	})
	return u, err
}

// ForgetPasswordResets deletes links that expired more than a day ago and
// returns how many. The server's background loop runs it hourly.
func (s *Service) ForgetPasswordResets(ctx context.Context) (int64, error) {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM password_resets WHERE expires_at < $1`, s.Now().Add(-24*time.Hour))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
