package api

import (
	"fmt"
	"strings"

	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"

	"youthhub/internal/account"
	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/web"
)

type meDTO struct {
	ID                 string     `json:"id"`
	Role               string     `json:"role"`
	CouncilID          *string    `json:"council_id"`
	FirstName          string     `json:"first_name"`
	LastName           string     `json:"last_name"`
	Email              *string    `json:"email"`
	DateOfBirth        *string    `json:"date_of_birth"`
	Postcode           *string    `json:"postcode"`
	ConsentStatus      string     `json:"consent_status"`
	GuardianEmail      *string    `json:"guardian_email"`
	ConsentRequestedAt *time.Time `json:"consent_requested_at"`
	// ConsentLinkExpiresAt is when an unanswered request's link stops working.
	ConsentLinkExpiresAt *time.Time `json:"consent_link_expires_at"`
	// PendingEmail is a new address waiting for the link sent to it to be
	// opened (until PendingEmailExpiresAt); mail still goes to Email.
	PendingEmail          *string    `json:"pending_email"`
	PendingEmailExpiresAt *time.Time `json:"pending_email_expires_at"`
}

func dateString(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

func (s *Server) getMe(c *fiber.Ctx) error {
	web.NoStore(c)
	out, err := s.me(c.UserContext(), principal(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (s *Server) me(ctx context.Context, userID string) (meDTO, error) {
	u, err := s.accounts.FindUserByID(ctx, userID)
	if err != nil {
		return meDTO{}, err
	}
	status, consent, err := s.accounts.ConsentStatus(ctx, u)
	if err != nil {
		return meDTO{}, err
	}
	out := meDTO{ID: u.ID, Role: string(u.Role), CouncilID: u.CouncilID, FirstName: u.FirstName, LastName: u.LastName,
		Email: u.Email, DateOfBirth: dateString(u.DateOfBirth), Postcode: u.Postcode, ConsentStatus: status}
	pending, err := s.accounts.FindPendingEmail(ctx, userID)
	if err != nil {
		return meDTO{}, err
	}
	if pending != nil {
		out.PendingEmail, out.PendingEmailExpiresAt = &pending.Email, &pending.ExpiresAt
	}
	if consent != nil {
		out.GuardianEmail = &consent.GuardianEmail
		out.ConsentRequestedAt = &consent.RequestedAt
		if consent.Status == "pending" {
			out.ConsentLinkExpiresAt = &consent.ExpiresAt
		}
	}
	return out, nil
}

// updateMe corrects the caller's own name, e-mail address or (young
// people) home postcode; it answers as GET /me does.
func (s *Server) updateMe(c *fiber.Ctx) error {
	var in account.ProfileChange
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	id := principal(c).UserID
	if _, err := s.accounts.UpdateProfile(c.UserContext(), id, in); err != nil {
		return err
	}
	out, err := s.me(c.UserContext(), id)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(out)
}

type passwordChangeIn struct {
	CurrentPassword string `json:"current_password" validate:"max=256"`
	NewPassword     string `json:"new_password" validate:"max=256"`
}

// changePassword sets a new password; every session of the account ends and
// this device gets a new one, as a sign-in does.
func (s *Server) changePassword(c *fiber.Ctx) error {
	var in passwordChangeIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	u, err := s.accounts.ChangePassword(c.UserContext(), principal(c).UserID, in.CurrentPassword, in.NewPassword)
	if err != nil {
		return err
	}
	out, err := s.signIn(c, u)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

type consentRequestIn struct {
	GuardianEmail string `json:"guardian_email" validate:"max=254"`
}

// requestConsentAgain sends the guardian a new link, to a corrected address
// or the same one, while consent is unanswered; it answers with the
// person's record as GET /me does.
func (s *Server) requestConsentAgain(c *fiber.Ctx) error {
	var in consentRequestIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	id := principal(c).UserID
	if err := s.accounts.RequestConsentAgain(c.UserContext(), id, in.GuardianEmail); err != nil {
		return err
	}
	out, err := s.me(c.UserContext(), id)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(out)
}

type consentDTO struct {
	YoungPersonID  string     `json:"young_person_id,omitempty"`
	ChildFirstName string     `json:"child_first_name"`
	Status         string     `json:"status"`
	RequestedAt    time.Time  `json:"requested_at"`
	DecidedAt      *time.Time `json:"decided_at"`
}

func toConsentDTO(c account.Consent, withID bool) consentDTO {
	out := consentDTO{ChildFirstName: c.ChildFirstName, Status: c.Status, RequestedAt: c.RequestedAt, DecidedAt: c.DecidedAt}
	if withID {
		out.YoungPersonID = c.YoungPersonID
	}
	return out
}

func (s *Server) getConsent(c *fiber.Ctx) error {
	web.NoStore(c)
	con, err := s.accounts.FindConsentByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	return c.JSON(toConsentDTO(con, false))
}

type decisionIn struct {
	Decision string `json:"decision" validate:"required,oneof=give refuse withdraw"`
}

func (s *Server) decideConsent(c *fiber.Ctx) error {
	var in decisionIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	web.NoStore(c)
	con, err := s.accounts.DecideConsent(c.UserContext(), c.Params("token"), in.Decision)
	if err != nil {
		return err
	}
	return c.JSON(toConsentDTO(con, false))
}

func (s *Server) guardianChildren(c *fiber.Ctx) error {
	web.NoStore(c)
	list, err := s.accounts.GuardianChildren(c.UserContext(), principal(c).UserID)
	if err != nil {
		return err
	}
	out := web.List[consentDTO]{Items: []consentDTO{}, Total: len(list)}
	for _, con := range list {
		out.Items = append(out.Items, toConsentDTO(con, true))
	}
	return c.JSON(out)
}

func (s *Server) withdrawConsent(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	con, err := s.accounts.WithdrawConsent(c.UserContext(), principal(c).UserID, id)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(toConsentDTO(con, true))
}

func (s *Server) giveConsent(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	con, err := s.accounts.GiveConsent(c.UserContext(), principal(c).UserID, id)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(toConsentDTO(con, true))
}

func (s *Server) listCouncils(c *fiber.Ctx) error {
	list, err := s.accounts.FindCouncils(c.UserContext())
	if err != nil {
		return err
	}
	if list == nil {
		list = []account.Council{}
	}
	return c.JSON(web.List[account.Council]{Items: list, Total: len(list)})
}

type councilIn struct {
	Name    string `json:"name" validate:"required,max=200"`
	LADCode string `json:"lad_code" validate:"omitempty,len=9,alphanum"`
}

func (s *Server) createCouncil(c *fiber.Ctx) error {
	var in councilIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	return s.idempotent(c, principal(c).UserID, func(ctx context.Context, q sqlx.QueryerContext) (int, any, error) {
		co, err := s.accounts.CreateCouncilIn(ctx, q, in.Name, in.LADCode)
		if err != nil {
			return 0, nil, err
		}
		return fiber.StatusCreated, co, nil
	})
}

type inviteIn struct {
	Email string `json:"email" validate:"required,email,max=254"`
	Role  string `json:"role" validate:"required,oneof=youth_worker centre_manager council_officer"`
}

type invitationDTO struct {
	account.Invitation
}

func (s *Server) invite(c *fiber.Ctx) error {
	var in inviteIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	p := principal(c)
	return s.idempotentTx(c, p.UserID, func(ctx context.Context, tx *sqlx.Tx) (int, any, error) {
		inv, _, err := s.accounts.InviteIn(ctx, tx, p, in.Email, auth.Role(in.Role))
		if err != nil {
			return 0, nil, err
		}
		return fiber.StatusCreated, invitationDTO{inv}, nil
	})
}

func (s *Server) listPendingInvitations(c *fiber.Ctx) error {
	web.NoStore(c)
	list, err := s.accounts.FindPendingInvitations(c.UserContext(), principal(c).CouncilID)
	if err != nil {
		return err
	}
	out := web.List[invitationDTO]{Items: make([]invitationDTO, 0, len(list)), Total: len(list)}
	for _, inv := range list {
		out.Items = append(out.Items, invitationDTO{inv})
	}
	return c.JSON(out)
}

func (s *Server) withdrawInvitation(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := s.accounts.WithdrawInvitation(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type firstOfficerIn struct {
	Email string `json:"email" validate:"required,email,max=254"`
}

// inviteFirstOfficer lets the platform admin invite a council's first officer.
func (s *Server) inviteFirstOfficer(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var in firstOfficerIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	if _, err := s.accounts.FindCouncilByID(c.UserContext(), id); err != nil {
		return err
	}
	by := principal(c)
	by.CouncilID = id
	return s.idempotentTx(c, by.UserID, func(ctx context.Context, tx *sqlx.Tx) (int, any, error) {
		inv, _, err := s.accounts.InviteIn(ctx, tx, by, in.Email, auth.CouncilOfficer)
		if err != nil {
			return 0, nil, err
		}
		return fiber.StatusCreated, invitationDTO{inv}, nil
	})
}

func (s *Server) getInvitation(c *fiber.Ctx) error {
	inv, err := s.accounts.FindInvitationByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(invitationDTO{inv})
}

func (s *Server) acceptInvitation(c *fiber.Ctx) error {
	var in account.Acceptance
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	u, err := s.accounts.AcceptInvitation(c.UserContext(), c.Params("token"), in)
	if err != nil {
		return err
	}
	out, err := s.signIn(c, u)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

type staffDTO struct {
	ID        string  `json:"id"`
	Role      string  `json:"role"`
	FirstName string  `json:"first_name"`
	LastName  string  `json:"last_name"`
	Email     *string `json:"email"`
	Active    bool    `json:"active"`
}

func (s *Server) listStaff(c *fiber.Ctx) error {
	web.NoStore(c)
	list, err := s.accounts.FindStaff(c.UserContext(), principal(c).CouncilID)
	if err != nil {
		return err
	}
	out := web.List[staffDTO]{Items: []staffDTO{}, Total: len(list)}
	for _, u := range list {
		out.Items = append(out.Items, staffDTO{ID: u.ID, Role: string(u.Role), FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Active: u.Active})
	}
	return c.JSON(out)
}

type staffUpdateIn struct {
	Role   *string `json:"role" validate:"omitempty,oneof=youth_worker centre_manager council_officer"`
	Active *bool   `json:"active"`
}

func (s *Server) updateStaff(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var in staffUpdateIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	p := principal(c)
	if id == p.UserID {
		return fault.New(fault.Forbidden, "You cannot change your own role or switch off your own account")
	}
	var role *auth.Role
	if in.Role != nil {
		r := auth.Role(*in.Role)
		role = &r
	}
	u, err := s.accounts.UpdateStaff(c.UserContext(), p, id, role, in.Active)
	if err != nil {
		return err
	}
	if in.Active != nil {
		// Someone switched off supervises nobody: the places of their sessions
		// to come follow (a switch back on counts them again).
		if err := s.staffing.RestaffWorker(c.UserContext(), p.CouncilID, id); err != nil {
			return err
		}
	}
	web.NoStore(c)
	return c.JSON(staffDTO{ID: u.ID, Role: string(u.Role), FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Active: u.Active})
}

type emergencyContactsIn struct {
	Items []contactIn `json:"items" validate:"required,max=3,dive"` // [] removes them all; missing is refused
}

// listMyEmergencyContacts: the young person's own emergency contacts.
func (s *Server) listMyEmergencyContacts(c *fiber.Ctx) error {
	items, err := s.accounts.FindEmergencyContacts(c.UserContext(), principal(c).UserID)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(web.List[account.EmergencyContact]{Items: items, Total: len(items)})
}

// replaceMyEmergencyContacts sets the young person's emergency contacts (up
// to three; none clears them), each field checked as at a walk-in.
func (s *Server) replaceMyEmergencyContacts(c *fiber.Ctx) error {
	var in emergencyContactsIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	var fields []fault.FieldError
	add := func(f, m string) { fields = append(fields, fault.FieldError{Field: f, Message: m}) }
	out := make([]account.EmergencyContact, 0, len(in.Items))
	for i, ec := range in.Items {
		at := fmt.Sprintf("items[%d].", i)
		phone, ok := phoneOf(ec.Phone)
		if !ok {
			add(at+"phone", "Enter a phone number with 10 to 15 digits, like 07700 900123")
		}
		ct := account.EmergencyContact{Name: strings.TrimSpace(ec.Name), Phone: phone, Relationship: strings.TrimSpace(ec.Relationship)}
		if ct.Name == "" {
			add(at+"name", "Enter the emergency contact's name")
		}
		if ct.Relationship == "" {
			add(at+"relationship", "Enter how they are related, like mum or carer")
		}
		out = append(out, ct)
	}
	if len(fields) > 0 {
		return fault.Fields(fields...)
	}
	items, err := s.accounts.ReplaceEmergencyContacts(c.UserContext(), principal(c).UserID, out)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(web.List[account.EmergencyContact]{Items: items, Total: len(items)})
}
