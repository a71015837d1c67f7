package api

import (
	"context"
	"slices"

	"github.com/jmoiron/sqlx"

	"github.com/gofiber/fiber/v2"

	"youthhub/internal/centre"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/web"
)

func (s *Server) listCentres(c *fiber.Ctx) error {
	page, err := web.PageOf(c, 50, 500)
	if err != nil {
		return err
	}
	councilID, err := web.QueryUUID(c, "council_id")
	if err != nil {
		return err
	}
	f := centre.Filter{CouncilID: councilID, ProviderType: c.Query("provider_type"), AccessFeatures: web.QueryList(c, "access_feature"),
		Status: c.Query("status"), Limit: page.Limit, Offset: page.Offset}
	if p := principal(c); p.Role.IsStaff() {
		f.PlannedOf = p.CouncilID
	}
	var fields []fault.FieldError
	if f.ProviderType != "" && !slices.Contains(centre.ProviderTypes, f.ProviderType) {
		fields = append(fields, fault.FieldError{Field: "provider_type", Message: "Provider type is not one we know"})
	}
	for _, a := range f.AccessFeatures {
		if !slices.Contains(centre.AccessFeatures, a) {
			fields = append(fields, fault.FieldError{Field: "access_feature", Message: "Access feature " + a + " is not one we know"})
		}
	}
	if f.Status != "" && !slices.Contains([]string{"open", "planned", "closed"}, f.Status) {
		fields = append(fields, fault.FieldError{Field: "status", Message: "Status must be open, planned or closed"})
	}
	if len(fields) > 0 {
		return fault.Fields(fields...)
	}
	items, total, err := s.centres.FindCentres(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(web.List[centre.Centre]{Items: items, Total: total})
}

func (s *Server) getCentre(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	ce, err := s.centres.FindCentreByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	if p := principal(c); ce.Status == "planned" && !(p.Role.IsStaff() && p.CouncilID == ce.CouncilID) {
		return fault.New(fault.NotFound, "Not found") // planning data: its own council's staff only
	}
	return c.JSON(ce)
}

func (s *Server) createCentre(c *fiber.Ctx) error {
	var in centre.Input
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	p := principal(c)
	return s.idempotent(c, p.UserID, func(ctx context.Context, q sqlx.QueryerContext) (int, any, error) {
		ce, err := s.centres.CreateCentreIn(ctx, q, p.CouncilID, in)
		if err != nil {
			return 0, nil, err
		}
		return fiber.StatusCreated, ce, nil
	})
}

func (s *Server) updateCentre(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var in centre.Input
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	p := principal(c)
	ce, err := s.centres.UpdateCentre(c.UserContext(), p.CouncilID, id, in)
	if err != nil {
		return err
	}
	if ce.Status == "closed" {
		// A closed centre runs no sessions: cancel those still to come and
		// tell their bookers. Every save of a closed centre does this, so a
		// retry after a failure here finishes the job.
		if _, err := s.timetable.CancelCentreSessions(c.UserContext(), p.CouncilID, id, centreClosedReason); err != nil {
			return err
		}
	}
	return c.JSON(ce)
}

// centreClosedReason is what bookers of a closed centre's sessions are told.
const centreClosedReason = "The centre has closed, so this session will not run"
