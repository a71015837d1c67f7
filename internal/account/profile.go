package account

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/mail"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/postcode"
)

// ProfileChange is what a person corrects about themselves; nil leaves a
// field as it is. Date of birth is not here: it decides consent and which
// sessions a young person may book, so staff correct it.
type ProfileChange struct {
	FirstName *string `json:"first_name" validate:"omitempty,max=100"`
	LastName  *string `json:"last_name" validate:"omitempty,max=100"`
	Postcode  *string `json:"postcode" validate:"omitempty,max=10"`
	Email     *string `json:"email" validate:"omitempty,max=254"`
	// CurrentPassword is needed to change the e-mail address (the address
	// is where a password reset goes), and checked as a sign-in is.
	CurrentPassword *string `json:"current_password" validate:"omitempty,max=1000"`
}

// UpdateProfile corrects a person's own name or (young people) home
// postcode, in one transaction, and asks for a new e-mail address: that is
// sent a link, and becomes the account's address only when the link is
// opened (ConfirmEmailChange), when the old address is told.
func (s *Service) UpdateProfile(ctx context.Context, userID string, ch ProfileChange) (User, error) {
	password, err := s.checkPasswordForEmail(ctx, userID, ch)
	if err != nil {
		return User{}, err
	}
	var u User
	err = postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var before User
		if err := tx.GetContext(ctx, &before, `SELECT `+userColumns+` FROM users WHERE id = $1 FOR UPDATE`, userID); err != nil {
			return postgres.Classify(err)
		}
		fields := password
		add := func(f, m string) { fields = append(fields, fault.FieldError{Field: f, Message: m}) }
		name := func(field string, v *string, required bool) {
			if v == nil {
				return
			}
			*v = strings.TrimSpace(*v)
			switch {
			case *v == "" && required:
				add(field, map[string]string{"first_name": "Enter your first name", "last_name": "Enter your last name"}[field])
			case utf8.RuneCountInString(*v) > 100:
				add(field, "Names must be 100 characters or fewer")
			case BadName(*v):
				add(field, MsgBadName)
			}
		}
		name("first_name", ch.FirstName, true)
		name("last_name", ch.LastName, before.Role == auth.YoungPerson)
		if ch.Postcode != nil {
			pc, ok := NormalisePostcode(*ch.Postcode)
			switch {
			case before.Role != auth.YoungPerson:
				add("postcode", "Only young people have a home postcode here")
			case !ok:
				add("postcode", "Enter a real UK postcode, like M32 0JG")
			default:
				known, err := postcode.Known(ctx, tx, pc)
				if err != nil {
					return err
				}
				if !known {
					add("postcode", postcode.MsgUnknown(pc))
				}
				ch.Postcode = &pc
			}
		}
		emailChanged := false
		if ch.Email != nil {
			*ch.Email = strings.TrimSpace(*ch.Email)
			switch {
			case !strings.Contains(*ch.Email, "@") || strings.ContainsAny(*ch.Email, " \t") || len(*ch.Email) > 254:
				add("email", "Enter an email address, like name@example.com")
			default:
				emailChanged = before.Email == nil || !strings.EqualFold(*before.Email, *ch.Email)
			}
			// A guardian's address is what links them to the children who
			// named it: moving it would drop their own children and pick up
			// any child who named the new one, with no proof it is theirs.
			if emailChanged && before.Role == auth.Guardian {
				add("email", "Your address links you to your children's accounts, so it cannot be changed here. Your child can send a consent request to a new address from their account")
			}
		}
		if emailChanged && len(fields) == 0 {
			var taken bool
			if err := tx.GetContext(ctx, &taken, `SELECT EXISTS (SELECT 1 FROM users WHERE email = $1 AND id <> $2)`, *ch.Email, userID); err != nil {
				return err
			}
			if taken {
				add("email", "An account already uses this email address")
			}
		}
		if len(fields) > 0 {
			return fault.Fields(fields...)
		}
		// The address changes only when the link sent to it is opened (ConfirmEmailChange).
		const q = `UPDATE users SET first_name = coalesce($2, first_name), last_name = coalesce($3, last_name),
			postcode = coalesce($4, postcode), updated_at = now()
			WHERE id = $1 RETURNING ` + userColumns
		if err := tx.GetContext(ctx, &u, q, userID, ch.FirstName, ch.LastName, ch.Postcode); err != nil {
			return err
		}
		if !emailChanged {
			return nil
		}
		return s.askEmailChange(ctx, tx, u, *ch.Email)
	})
	return u, err
}

// checkPasswordForEmail asks for the current password when ch changes the
// e-mail address of an account that signs in with one: otherwise anyone
// holding a stolen access token for a few minutes could move the address and
// then reset the password to it, taking the account for good.
// It returns the field error to show beside the others, if any.
func (s *Service) checkPasswordForEmail(ctx context.Context, userID string, ch ProfileChange) ([]fault.FieldError, error) {
	if ch.Email == nil {
		return nil, nil
	}
	u, err := s.FindUserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Email == nil || strings.EqualFold(*u.Email, strings.TrimSpace(*ch.Email)) {
		return nil, nil
	}
	if ch.CurrentPassword == nil || *ch.CurrentPassword == "" {
		return []fault.FieldError{{Field: "current_password", Message: "Enter your current password to change your email address"}}, nil
	}
	if _, err := s.Login(ctx, *u.Email, *ch.CurrentPassword, ReCheck, false); errors.Is(err, errBadLogin) {
		return []fault.FieldError{{Field: "current_password", Message: "Your current password is not right"}}, nil
	} else if err != nil {
		return nil, err
	}
	return nil, nil
}

// ChangePassword sets a new password for a signed-in person who knows their
// current one. The current password is checked as a sign-in is (the same
// throttle: after too many wrong ones, 429), every session of the account is
// signed out, the change is audited and e-mailed. The caller starts a new
// session for this device.
// ConfirmPassword checks the signed-in account holder's password again
// before a step that cannot be undone (deleting the account), so that a
// phone left unlocked is not enough. A wrong password counts towards the
// account's sign-in lockout, as at sign-in.
func (s *Service) ConfirmPassword(ctx context.Context, userID, password string) error {
	if password == "" {
		return fault.Field("password", "Enter your password to delete your account")
	}
	u, err := s.FindUserByID(ctx, userID)
	if err != nil {
		return err
	}
	if u.Email == nil {
		return fault.New(fault.Conflict, "This account has no email address to sign in with")
	}
	if _, err := s.Login(ctx, *u.Email, password, ReCheck, false); errors.Is(err, errBadLogin) {
		return fault.Field("password", "Your password is not right")
	} else if err != nil {
		return err
	}
	return nil
}

func (s *Service) ChangePassword(ctx context.Context, userID, current, next string) (User, error) {
	u, err := s.FindUserByID(ctx, userID)
	if err != nil {
		return User{}, err
	}
	if u.Email == nil {
		return User{}, fault.New(fault.Conflict, "This account has no email address to sign in with")
	}
	// Both passwords are checked, so that a person told of one mistake is not told of the other next time.
	var fields []fault.FieldError
	if msg := auth.CheckPassword(next, u.FirstName, u.LastName, *u.Email); msg != "" {
		fields = append(fields, fault.FieldError{Field: "new_password", Message: msg})
	} else if next == current {
		fields = append(fields, fault.FieldError{Field: "new_password", Message: "Choose a new password, not the one you use now"})
	}
	if current == "" {
		fields = append(fields, fault.FieldError{Field: "current_password", Message: "Enter your current password"})
	} else if _, err := s.Login(ctx, *u.Email, current, ReCheck, false); errors.Is(err, errBadLogin) {
		fields = append(fields, fault.FieldError{Field: "current_password", Message: "Your current password is not right"})
	} else if err != nil {
		return User{}, err
	}
	if len(fields) > 0 {
		return User{}, fault.Fields(fields...)
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return User{}, err
	}
	err = postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		for _, q := range []string{
			`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
			// A change of address asked for with the old password stops here too.
			`DELETE FROM email_changes WHERE user_id = $1`,
			`INSERT INTO audit_log (actor_id, subject_id, action, reason) VALUES ($1, $1, 'password_changed', 'by the account holder, signed in')`,
		} {
			if _, err := tx.ExecContext(ctx, q, u.ID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $2, sessions_valid_from = $3, updated_at = now() WHERE id = $1`,
			u.ID, hash, s.sessionsValidFrom()); err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, *u.Email, "Your youthhub password has been changed", "Hello "+u.FirstName+`,

The password of your youthhub account has just been changed, and you were signed out everywhere else.

If this was not you, use "Forgotten your password?" on the sign-in page to choose another one,
and tell the youth centre you use.`)
	})
	return u, err
}
