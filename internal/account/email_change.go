package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/mail"
	"youthhub/internal/platform/postgres"
)

// Changing an e-mail address. The new address is kept aside and sent a link;
// it becomes the account's address only when the link is opened, within
// EmailChangeTTL. Until then mail goes to the old address, so a slip of the
// keyboard sends nobody a young person's bookings or reset links.
const (
	EmailChangeTTL = 24 * time.Hour
	// MaxEmailChangesPerDay links are sent for one account a day, so the
	// form cannot be used to flood someone else's inbox.
	MaxEmailChangesPerDay = 5
)

var (
	errEmailLinkInvalid = fault.Coded(fault.NotFound, "email_link_invalid", "This link is not valid: it may have been used already, or replaced by a newer one. Check you copied all of it")
	errEmailLinkExpired = fault.Coded(fault.Conflict, "email_link_expired", "This link has expired: links work for 24 hours. Change your email address again from My account")
)

// PendingEmail is a new address waiting for its link to be opened.
type PendingEmail struct {
	Email     string    `db:"new_email"`
	ExpiresAt time.Time `db:"expires_at"`
}

// FindPendingEmail is the person's address waiting to be confirmed, if any
// (an expired one is not).
func (s *Service) FindPendingEmail(ctx context.Context, userID string) (*PendingEmail, error) {
	var p PendingEmail
	err := s.DB.GetContext(ctx, &p, `SELECT new_email, expires_at FROM email_changes WHERE user_id = $1 AND expires_at > $2`, userID, s.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &p, err
}

// askEmailChange keeps newEmail aside for u and sends it the link, inside
// the caller's transaction (which holds u's row lock).
func (s *Service) askEmailChange(ctx context.Context, tx *sqlx.Tx, u User, newEmail string) error {
	now := s.Now()
	var asked int
	if err := tx.GetContext(ctx, &asked, `SELECT count(*) FROM audit_log WHERE subject_id = $1 AND action = 'email_change_asked' AND at > $2`,
		u.ID, now.Add(-24*time.Hour)); err != nil {
		return err
	}
	if asked >= MaxEmailChangesPerDay {
		return &fault.Error{Kind: fault.TooMany, Code: "too_many_email_changes", RetryAfter: 3600,
			Message: fmt.Sprintf("You have asked to change your email address %d times today. Try again tomorrow", MaxEmailChangesPerDay)}
	}
	secret, hash, err := auth.NewSecret()
	if err != nil {
		return err
	}
	// The link sent for a change this replaces is of no use any more
	// (only this person's: another's mail to the same address stays).
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE about_user_id = $1 AND subject = $2`, u.ID, emailChangeSubject); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO email_changes (user_id, new_email, token_hash, asked_at, expires_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id) DO UPDATE SET new_email = EXCLUDED.new_email, token_hash = EXCLUDED.token_hash,
			asked_at = EXCLUDED.asked_at, expires_at = EXCLUDED.expires_at`, u.ID, newEmail, hash, now, now.Add(EmailChangeTTL)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (actor_id, subject_id, action, reason, at) VALUES ($1, $1, 'email_change_asked', 'a link was sent to the new address', $2)`,
		u.ID, now); err != nil {
		return err
	}
	if err := mail.EnqueueAbout(ctx, tx, u.ID, newEmail, emailChangeSubject, "Hello "+u.FirstName+`,

You asked to use this email address for your youthhub account. To confirm it, open this link within 24 hours:
`+s.BaseURL+`/confirm-email/`+secret+`

Until you do, we keep using your old address. If you did not ask, you can ignore this email.`); err != nil {
		return err
	}
	// The address in use hears of it at once, while it can still be stopped:
	// someone who has the password should not move the account quietly.
	if u.Email == nil {
		return nil
	}
	return mail.Enqueue(ctx, tx, *u.Email, "Your youthhub email address is about to change", "Hello "+u.FirstName+`,

You asked to use `+newEmail+` for your youthhub account instead of this address. We have sent a link
there: it changes when you open it within 24 hours, signed in to youthhub.

If you did not ask for this, choose a new password now ("Forgotten your password?" on the sign-in
page): that stops the change and signs everyone else out. Then tell the youth centre you use.`)
}

const emailChangeSubject = "Confirm your new youthhub email address"

// FindEmailChange says which address a link would confirm, before it is
// confirmed.
func (s *Service) FindEmailChange(ctx context.Context, token string) (PendingEmail, error) {
	var p PendingEmail
	if token == "" || len(token) > 200 {
		return p, errEmailLinkInvalid
	}
	err := s.DB.GetContext(ctx, &p, `SELECT c.new_email, c.expires_at FROM email_changes c JOIN users u ON u.id = c.user_id AND u.active
		WHERE c.token_hash = $1`, auth.HashSecret(token))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return p, errEmailLinkInvalid
	case err != nil:
		return p, err
	case !p.ExpiresAt.After(s.Now()):
		return p, errEmailLinkExpired
	}
	return p, nil
}

// ConfirmEmailChange makes the address a link was sent to the account's
// address, in one transaction, for userID, who must be the account's holder
// (signed in; another account's link is fault.NotFound): the old address is
// told and kept in former_emails (for erasure), and the change is audited.
func (s *Service) ConfirmEmailChange(ctx context.Context, token, userID string) (User, error) {
	var u User
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		if token == "" || len(token) > 200 {
			return errEmailLinkInvalid
		}
		var c struct {
			UserID    string    `db:"user_id"`
			NewEmail  string    `db:"new_email"`
			ExpiresAt time.Time `db:"expires_at"`
		}
		err := tx.GetContext(ctx, &c, `SELECT user_id, new_email, expires_at FROM email_changes WHERE token_hash = $1 AND user_id = $2 FOR UPDATE`,
			auth.HashSecret(token), userID)
		if errors.Is(err, sql.ErrNoRows) {
			return errEmailLinkInvalid
		}
		if err != nil {
			return err
		}
		var before User
		if err := tx.GetContext(ctx, &before, `SELECT `+userColumns+` FROM users WHERE id = $1 FOR UPDATE`, c.UserID); err != nil {
			return err
		}
		switch {
		case !before.Active:
			return errEmailLinkInvalid
		case !c.ExpiresAt.After(s.Now()):
			return errEmailLinkExpired
		}
		err = tx.GetContext(ctx, &u, `UPDATE users SET email = $2, updated_at = now() WHERE id = $1 RETURNING `+userColumns, c.UserID, c.NewEmail)
		if fault.KindOf(postgres.Classify(err)) == fault.Conflict {
			return fault.Coded(fault.Conflict, "email_taken", "Another account has started using this address since you asked. Choose another from My account")
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM email_changes WHERE user_id = $1`, u.ID); err != nil {
			return err
		}
		// Reset links sent to the address just left stop working: whoever
		// reads that mailbox (shared, or someone else's now) cannot use them.
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, u.ID, s.Now()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (actor_id, subject_id, action, reason) VALUES ($1, $1, 'email_changed', 'confirmed by a link sent to the new address')`, u.ID); err != nil {
			return err
		}
		if before.Email == nil || strings.EqualFold(*before.Email, c.NewEmail) {
			return nil
		}
		// Kept while the outbox keeps mail, so that erasure finds what went to it.
		if _, err := tx.ExecContext(ctx, `INSERT INTO former_emails (user_id, email) VALUES ($1, $2)`, u.ID, *before.Email); err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, *before.Email, "Your youthhub email address has been changed", "Hello "+u.FirstName+`,

The email address of your youthhub account has just been changed to `+*u.Email+`.
From now on, sign in with that address; we will send emails there.

If this was not you, tell the youth centre you use straight away.`)
	})
	return u, err
}
