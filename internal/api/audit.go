package api

import (
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"youthhub/internal/account"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/web"
	"youthhub/internal/schedule"
)

type auditDTO struct {
	ID      int64                `json:"id"`
	At      string               `json:"at"`
	Action  string               `json:"action"`
	Reason  string               `json:"reason"`
	Actor   *account.AuditPerson `json:"actor"`
	Subject *account.AuditPerson `json:"subject"`
}

// auditLog is the council's access log: who viewed which child's emergency
// details, and changes to staff accounts, newest first.
func (s *Server) auditLog(c *fiber.Ctx) error {
	page, err := web.PageOf(c, 50, 200)
	if err != nil {
		return err
	}
	f := account.AuditFilter{Action: c.Query("action"), Limit: page.Limit, Offset: page.Offset}
	var fields []fault.FieldError
	if f.Action != "" && !slices.Contains(account.AuditActions, f.Action) {
		fields = append(fields, fault.FieldError{Field: "action", Message: "Choose what to show from the list"})
	}
	day := func(name string) time.Time {
		v := c.Query(name)
		if v == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation(time.DateOnly, v, schedule.London())
		if err != nil {
			fields = append(fields, fault.FieldError{Field: name, Message: "Enter a real date, like 2026-11-27"})
		}
		return d
	}
	f.From = day("from")
	if to := day("to"); !to.IsZero() {
		f.Before = to.AddDate(0, 0, 1)
	}
	if len(fields) == 0 && !f.From.IsZero() && !f.Before.IsZero() && !f.Before.After(f.From) {
		fields = append(fields, fault.FieldError{Field: "to", Message: "The end date must be the same as or after the start date"})
	}
	if len(fields) > 0 {
		return fault.Fields(fields...)
	}
	entries, total, err := s.accounts.FindAudit(c.UserContext(), principal(c).CouncilID, f)
	if err != nil {
		return err
	}
	out := web.List[auditDTO]{Items: make([]auditDTO, 0, len(entries)), Total: total}
	for _, e := range entries {
		out.Items = append(out.Items, auditDTO{ID: e.ID, At: localTime(e.At), Action: e.Action, Reason: e.Reason, Actor: e.Actor, Subject: e.Subject})
	}
	web.NoStore(c)
	return c.JSON(out)
}

type dobIn struct {
	DateOfBirth string `json:"date_of_birth" validate:"max=10"`
	Reason      string `json:"reason" validate:"max=2000"`
}

type dobDTO struct {
	ID            string `json:"id"`
	FirstName     string `json:"first_name"`
	DateOfBirth   string `json:"date_of_birth"`
	ConsentStatus string `json:"consent_status"`
	// CancelledBookings describes the bookings of sessions not yet started
	// that the corrected date ruled out, now cancelled.
	CancelledBookings []string `json:"cancelled_bookings"`
}

// correctDateOfBirth lets a council officer correct a young person's date of
// birth, with a reason that goes in the access log.
func (s *Server) correctDateOfBirth(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var in dobIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	r, err := s.accounts.CorrectDateOfBirth(c.UserContext(), principal(c), id, in.DateOfBirth, in.Reason)
	if err != nil {
		return err
	}
	web.NoStore(c)
	cancelled := r.Cancelled
	if cancelled == nil {
		cancelled = []string{}
	}
	return c.JSON(dobDTO{ID: r.User.ID, FirstName: r.User.FirstName, DateOfBirth: r.User.DateOfBirth.Format(time.DateOnly),
		ConsentStatus: r.ConsentStatus, CancelledBookings: cancelled})
}
