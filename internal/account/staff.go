package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/mail"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/schedule"
)

// Council is a local authority using youthhub.
type Council struct {
	ID                  string    `db:"id" json:"id"`
	Name                string    `db:"name" json:"name"`
	LADCode             *string   `db:"lad_code" json:"lad_code"`
	CoverageThresholdKM float64   `db:"coverage_threshold_km" json:"coverage_threshold_km"`
	MinWeeklyHours      float64   `db:"min_weekly_hours" json:"min_weekly_hours"`
	CreatedAt           time.Time `db:"created_at" json:"created_at"`
	// In the platform admin's list only: active council officers, and
	// officer invitations not yet accepted, withdrawn or expired.
	Officers                  *int `db:"officers" json:"officers,omitempty"`
	PendingOfficerInvitations *int `db:"pending_officer_invitations" json:"pending_officer_invitations,omitempty"`
}

// ladCodePattern is an ONS local authority district code: E, W, S or N and eight digits.
var ladCodePattern = regexp.MustCompile(`^[EWSN][0-9]{8}$`)

const councilColumns = `id, name, lad_code, coverage_threshold_km, min_weekly_hours, created_at`

// CreateCouncil adds a council. The LAD code, when given, is unique.
func (s *Service) CreateCouncil(ctx context.Context, name, ladCode string) (Council, error) {
	return s.CreateCouncilIn(ctx, s.DB, name, ladCode)
}

// CreateCouncilIn is CreateCouncil on q (the API's Idempotency-Key handling
// passes its transaction).
func (s *Service) CreateCouncilIn(ctx context.Context, q sqlx.QueryerContext, name, ladCode string) (Council, error) {
	var c Council
	var lad *string
	if name = strings.TrimSpace(name); name == "" {
		return c, fault.Field("name", "Enter the council's name")
	}
	if ladCode != "" {
		if !ladCodePattern.MatchString(ladCode) {
			return c, fault.Field("lad_code", "Enter the ONS local authority code: a letter and 8 digits, like E08000009")
		}
		lad = &ladCode
	}
	err := sqlx.GetContext(ctx, q, &c, `INSERT INTO councils (name, lad_code) VALUES ($1, $2) RETURNING `+councilColumns, name, lad)
	if fault.KindOf(postgres.Classify(err)) == fault.Conflict {
		return c, fault.Field("lad_code", "A council with this local authority code already exists")
	}
	return c, err
}

// FindCouncils lists councils by name.
func (s *Service) FindCouncils(ctx context.Context) ([]Council, error) {
	var out []Council
	err := s.DB.SelectContext(ctx, &out, `SELECT `+councilColumns+`,
		(SELECT count(*) FROM users u WHERE u.council_id = councils.id AND u.role = 'council_officer' AND u.active) AS officers,
		(SELECT count(*) FROM invitations i WHERE i.council_id = councils.id AND i.role = 'council_officer'
			AND i.used_at IS NULL AND i.withdrawn_at IS NULL AND i.expires_at > $1) AS pending_officer_invitations
		FROM councils ORDER BY name`, s.Now())
	return out, err
}

// FindCouncilByID returns one council.
func (s *Service) FindCouncilByID(ctx context.Context, id string) (Council, error) {
	var c Council
	err := s.DB.GetContext(ctx, &c, `SELECT `+councilColumns+` FROM councils WHERE id = $1`, id)
	return c, postgres.Classify(err)
}

// CreateUser adds an account directly with a password (used by the admin
// command and the demo seed; people otherwise register or accept an invitation).
func (s *Service) CreateUser(ctx context.Context, u User, password string) (User, error) {
	if msg := auth.CheckPassword(password); msg != "" && password != "youthhub-demo-password" {
		return u, fault.Field("password", msg)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return u, err
	}
	const q = `INSERT INTO users (role, council_id, email, password_hash, first_name, last_name, date_of_birth, postcode)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ` + userColumns
	var out User
	err = s.DB.GetContext(ctx, &out, q, u.Role, u.CouncilID, u.Email, hash, u.FirstName, u.LastName, u.DateOfBirth, u.Postcode)
	return out, postgres.Classify(err)
}

// Invitation is a single-use link for a new member of staff.
type Invitation struct {
	ID          string     `db:"id" json:"id"`
	CouncilID   string     `db:"council_id" json:"council_id"`
	CouncilName string     `db:"council_name" json:"council_name"`
	Role        auth.Role  `db:"role" json:"role"`
	Email       string     `db:"email" json:"email"`
	CreatedAt   time.Time  `db:"created_at" json:"created_at"`
	ExpiresAt   time.Time  `db:"expires_at" json:"expires_at"`
	UsedAt      *time.Time `db:"used_at" json:"used_at"`
	// Expired is set in the pending list on an invitation whose link ran
	// out unused, so that whoever sent it can send it again.
	Expired bool `db:"expired" json:"expired"`
}

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// Invite queues an invitation e-mail. Officers may invite any staff role to
// their own council; centre managers may invite youth workers.
func (s *Service) Invite(ctx context.Context, by Principal, email string, role auth.Role) (Invitation, string, error) {
	var inv Invitation
	var secret string
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var err error
		inv, secret, err = s.InviteIn(ctx, tx, by, email, role)
		return err
	})
	return inv, secret, err
}

// InviteIn is Invite inside tx, which the caller commits (the API's
// Idempotency-Key handling stores the answer in the same transaction, so a
// retried invitation sends one e-mail).
func (s *Service) InviteIn(ctx context.Context, tx *sqlx.Tx, by Principal, email string, role auth.Role) (Invitation, string, error) {
	switch {
	case !role.IsStaff():
		return Invitation{}, "", fault.Field("role", "Role must be youth_worker, centre_manager or council_officer")
	case by.Role == auth.CentreManager && role != auth.YouthWorker:
		return Invitation{}, "", fault.New(fault.Forbidden, "Centre managers can invite youth workers only")
	case by.CouncilID == "":
		return Invitation{}, "", fault.New(fault.Forbidden, "You do not belong to a council")
	}
	var taken bool
	if err := tx.GetContext(ctx, &taken, `SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)`, strings.TrimSpace(email)); err != nil {
		return Invitation{}, "", err
	}
	if taken {
		// Said now, not when they follow the link: a member of staff switched off is switched back on instead.
		who := "switch their account back on"
		if by.Role == auth.CentreManager {
			who = "ask a council officer to switch their account back on"
		}
		return Invitation{}, "", fault.Field("email", "An account already uses this email address. If they are on your staff, "+who+"; otherwise ask them for another address")
	}
	// A second invitation to the same address replaces the first (its link
	// stops working), so that one person never holds two live links. The
	// address's lock puts racing invitations one after the other.
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(lower($1), 12))`, strings.TrimSpace(email)); err != nil {
		return Invitation{}, "", err
	}
	var earlier []auth.Role
	if err := tx.SelectContext(ctx, &earlier, `SELECT role FROM invitations WHERE council_id = $1 AND email = $2
		AND used_at IS NULL AND withdrawn_at IS NULL AND expires_at > $3`, by.CouncilID, strings.TrimSpace(email), s.Now()); err != nil {
		return Invitation{}, "", err
	}
	for _, r := range earlier {
		if by.Role == auth.CentreManager && r != auth.YouthWorker {
			return Invitation{}, "", fault.Field("email", fmt.Sprintf("This address already has an invitation from a council officer, to join as a %s. Ask them about it",
				strings.ReplaceAll(string(r), "_", " ")))
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET withdrawn_at = $3 WHERE council_id = $1 AND email = $2
		AND used_at IS NULL AND withdrawn_at IS NULL`, by.CouncilID, strings.TrimSpace(email), s.Now()); err != nil {
		return Invitation{}, "", err
	}
	secret, hash, err := auth.NewSecret()
	if err != nil {
		return Invitation{}, "", err
	}
	var inv Invitation
	const q = `WITH i AS (INSERT INTO invitations (council_id, role, email, token_hash, invited_by, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, council_id, role, email, created_at, expires_at, used_at)
		SELECT i.id, i.council_id, c.name AS council_name, i.role, i.email, i.created_at, i.expires_at, i.used_at
		FROM i JOIN councils c ON c.id = i.council_id`
	if err := tx.GetContext(ctx, &inv, q, by.CouncilID, role, strings.TrimSpace(email), hash, by.UserID, s.Now().Add(InvitationTTL)); err != nil {
		return Invitation{}, "", postgres.Classify(err)
	}
	body := fmt.Sprintf("Hello,\n\nYou have been invited to join %s on youthhub as a %s.\n\nTo accept, open this link within 7 days (it works once):\n%s/invite/%s\n",
		inv.CouncilName, strings.ReplaceAll(string(role), "_", " "), s.BaseURL, secret)
	if err := mail.Enqueue(ctx, tx, inv.Email, "Your invitation to youthhub", body); err != nil {
		return Invitation{}, "", err
	}
	return inv, secret, nil
}

// FindInvitationByToken returns a usable invitation.
func (s *Service) FindInvitationByToken(ctx context.Context, token string) (Invitation, error) {
	var inv Invitation
	var withdrawn *time.Time
	const q = `SELECT i.id, i.council_id, c.name AS council_name, i.role, i.email, i.created_at, i.expires_at, i.used_at, i.withdrawn_at
		FROM invitations i JOIN councils c ON c.id = i.council_id WHERE i.token_hash = $1`
	if err := s.DB.QueryRowxContext(ctx, q, auth.HashSecret(token)).Scan(&inv.ID, &inv.CouncilID, &inv.CouncilName, &inv.Role,
		&inv.Email, &inv.CreatedAt, &inv.ExpiresAt, &inv.UsedAt, &withdrawn); err != nil {
		return inv, fault.New(fault.NotFound, "This invitation link is not valid")
	}
	if withdrawn != nil {
		return inv, fault.Coded(fault.Conflict, "invitation_withdrawn", "This invitation was withdrawn, or replaced by a newer one. Look for a newer e-mail from youthhub, or if you should be joining %s, ask them for a new invitation", inv.CouncilName)
	}
	if inv.UsedAt != nil {
		return inv, fault.Coded(fault.Conflict, "invitation_used", "This invitation has already been used. Sign in instead")
	}
	if !inv.ExpiresAt.After(s.Now()) {
		return inv, fault.Coded(fault.Invalid, "invitation_expired", "This invitation has expired. Ask for a new one")
	}
	return inv, nil
}

// Acceptance is what a new member of staff gives to accept an invitation.
type Acceptance struct {
	FirstName   string `json:"first_name" validate:"required,max=100"`
	LastName    string `json:"last_name" validate:"required,max=100"`
	DateOfBirth string `json:"date_of_birth" validate:"required,date"`
	Password    string `json:"password" validate:"required"`
}

// AcceptInvitation creates the staff account and uses up the invitation, in
// one transaction, so a link works exactly once even when clicked twice.
func (s *Service) AcceptInvitation(ctx context.Context, token string, a Acceptance) (User, error) {
	if msg := auth.CheckPassword(a.Password, a.FirstName, a.LastName); msg != "" {
		return User{}, fault.Field("password", msg)
	}
	dob, _ := time.Parse(time.DateOnly, a.DateOfBirth)
	if age := ageOn(dob, s.Now().In(schedule.London())); age < 16 || age > 100 {
		return User{}, fault.Field("date_of_birth", "Staff and volunteers must be 16 or older")
	}
	hash, err := auth.HashPassword(a.Password)
	if err != nil {
		return User{}, err
	}
	var u User
	err = postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var inv Invitation
		const q = `UPDATE invitations SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND withdrawn_at IS NULL AND expires_at > $2
			RETURNING id, council_id, '' AS council_name, role, email, created_at, expires_at, used_at`
		if err := tx.GetContext(ctx, &inv, q, auth.HashSecret(token), s.Now()); err != nil {
			_, ferr := s.FindInvitationByToken(ctx, token)
			if ferr != nil {
				return ferr
			}
			return fault.New(fault.Conflict, "This invitation has already been used")
		}
		const ins = `INSERT INTO users (role, council_id, email, password_hash, first_name, last_name, date_of_birth)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ` + userColumns
		err := tx.GetContext(ctx, &u, ins, inv.Role, inv.CouncilID, inv.Email, hash, strings.TrimSpace(a.FirstName), strings.TrimSpace(a.LastName), a.DateOfBirth)
		if fault.KindOf(postgres.Classify(err)) == fault.Conflict {
			return fault.New(fault.Conflict, "An account already uses this email address. Sign in instead")
		}
		return err
	})
	return u, err
}

// ExpiredShownFor is how long an invitation that ran out unused stays in
// the pending list, marked expired, unless a newer one went to the address.
const ExpiredShownFor = 30 * 24 * time.Hour

// FindPendingInvitations lists a council's invitations neither used nor
// withdrawn, newest first: those still working, and those that expired in the
// last ExpiredShownFor with no newer invitation to the same address since.
func (s *Service) FindPendingInvitations(ctx context.Context, councilID string) ([]Invitation, error) {
	out := []Invitation{}
	const q = `SELECT i.id, i.council_id, c.name AS council_name, i.role, i.email, i.created_at, i.expires_at, i.used_at,
			i.expires_at <= $2 AS expired
		FROM invitations i JOIN councils c ON c.id = i.council_id
		WHERE i.council_id = $1 AND i.used_at IS NULL AND i.withdrawn_at IS NULL AND i.expires_at > $3
		  AND (i.expires_at > $2 OR NOT EXISTS (SELECT 1 FROM invitations n WHERE n.council_id = i.council_id
		       AND n.email = i.email AND n.created_at > i.created_at AND n.withdrawn_at IS NULL))
		ORDER BY i.created_at DESC, i.id`
	now := s.Now()
	err := s.DB.SelectContext(ctx, &out, q, councilID, now, now.Add(-ExpiredShownFor))
	return out, err
}

// WithdrawInvitation stops a pending invitation's link from working. Officers
// may withdraw any invitation of their council; centre managers those for
// youth workers (the ones they may send). Withdrawing twice is not an error.
func (s *Service) WithdrawInvitation(ctx context.Context, by Principal, id string) error {
	var st struct {
		Role      auth.Role  `db:"role"`
		UsedAt    *time.Time `db:"used_at"`
		Withdrawn *time.Time `db:"withdrawn_at"`
	}
	return postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &st, `SELECT role, used_at, withdrawn_at FROM invitations WHERE id = $1 AND council_id = $2 FOR UPDATE`, id, by.CouncilID)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fault.New(fault.NotFound, "Invitation not found")
		case err != nil:
			return err
		case by.Role == auth.CentreManager && st.Role != auth.YouthWorker:
			return fault.New(fault.Forbidden, "Centre managers can withdraw invitations for youth workers only")
		case st.UsedAt != nil:
			return fault.Coded(fault.Conflict, "invitation_used", "This invitation has already been accepted. Switch the account off instead")
		case st.Withdrawn != nil:
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE invitations SET withdrawn_at = $2 WHERE id = $1`, id, s.Now())
		return err
	})
}

// FindStaff lists the staff of one council.
func (s *Service) FindStaff(ctx context.Context, councilID string) ([]User, error) {
	var out []User
	err := s.DB.SelectContext(ctx, &out, `SELECT `+userColumns+` FROM users WHERE council_id = $1 ORDER BY last_name, first_name`, councilID)
	return out, err
}

// UpdateStaff changes a member of staff's role, switches their account on or
// off, or both, in one statement, within the officer's own council; each
// change is written to the audit log. Another council's staff are
// fault.NotFound.
func (s *Service) UpdateStaff(ctx context.Context, by Principal, userID string, role *auth.Role, active *bool) (User, error) {
	if role != nil && !role.IsStaff() {
		return User{}, fault.Field("role", "Role must be youth_worker, centre_manager or council_officer")
	}
	var u User
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var before User
		err := tx.GetContext(ctx, &before, `SELECT `+userColumns+` FROM users WHERE id = $1 AND council_id = $2 FOR UPDATE`, userID, by.CouncilID)
		if errors.Is(err, sql.ErrNoRows) {
			return fault.New(fault.NotFound, "Not found")
		}
		if err != nil {
			return err
		}
		const q = `UPDATE users SET role = coalesce($2, role), active = coalesce($3, active), updated_at = now() WHERE id = $1 RETURNING ` + userColumns
		if err := tx.GetContext(ctx, &u, q, userID, role, active); err != nil {
			return err
		}
		var changes []string
		if u.Role != before.Role {
			changes = append(changes, fmt.Sprintf("role %s to %s", before.Role, u.Role))
		}
		if u.Active != before.Active {
			changes = append(changes, map[bool]string{true: "switched on", false: "switched off"}[u.Active])
		}
		if len(changes) == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (actor_id, subject_id, action, reason) VALUES ($1, $2, 'staff_changed', $3)`,
			by.UserID, userID, strings.Join(changes, "; "))
		return err
	})
	return u, err
}
