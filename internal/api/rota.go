package api

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"

	"youthhub/internal/calendar"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/web"
	"youthhub/internal/rota"
	"youthhub/internal/staffing"
)

// actorOf is the signed-in caller as the staffing service sees them.
func actorOf(c *fiber.Ctx) staffing.Actor {
	p := principal(c)
	return staffing.Actor{UserID: p.UserID, Role: p.Role, CouncilID: p.CouncilID}
}

// queryDate reads an optional YYYY-MM-DD query parameter, def when absent.
func queryDate(c *fiber.Ctx, name string, def time.Time) (time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	d, err := web.ParseDate(v)
	if err != nil {
		label := strings.ReplaceAll(name, "_", " ")
		return def, fault.Field(name, strings.ToUpper(label[:1])+label[1:]+" must be a real date, like 2027-03-15")
	}
	return d, nil
}

// londonToday is the Europe/London date of now, as midnight UTC (how dates parse).
func (s *Server) londonToday() time.Time {
	n := s.now().In(rota.London())
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

func (s *Server) rotaWeek(c *fiber.Ctx) error {
	centreID, err := web.QueryUUID(c, "centre_id")
	if err != nil {
		return err
	}
	day, err := queryDate(c, "week_start", s.londonToday())
	if err != nil {
		return err
	}
	w, err := s.staffing.FindRota(c.UserContext(), principal(c).CouncilID, centreID, day)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(w)
}

func (s *Server) rotaExpiring(c *fiber.Ctx) error {
	days := 30
	if v := c.Query("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 365 {
			return fault.Field("days", "Days must be a whole number from 0 to 365")
		}
		days = n
	}
	items, err := s.staffing.FindExpiring(c.UserContext(), principal(c).CouncilID, days)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(web.List[staffing.Expiry]{Items: items, Total: len(items)})
}

func (s *Server) rotaAutoFill(c *fiber.Ctx) error {
	var in staffing.AutoFillInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	p, err := s.staffing.PreviewAutoFill(c.UserContext(), principal(c).CouncilID, in)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(p)
}

func (s *Server) rotaAutoFillApply(c *fiber.Ctx) error {
	var in staffing.AutoFillInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	p, err := s.staffing.ApplyAutoFill(c.UserContext(), actorOf(c), in)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.Status(fiber.StatusCreated).JSON(p)
}

// occurrenceRotaDTO is an occurrence's rota without its shifts, which the
// shifts list carries as items.
type occurrenceRotaDTO struct {
	staffing.OccurrenceRota
	Shifts []staffing.Shift `json:"shifts,omitempty"`
}

type shiftListDTO struct {
	Items []staffing.Shift  `json:"items"`
	Total int               `json:"total"`
	Rota  occurrenceRotaDTO `json:"rota"`
}

func (s *Server) occurrenceShifts(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	or, err := s.staffing.FindOccurrenceRota(c.UserContext(), principal(c).CouncilID, id)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(shiftListDTO{Items: or.Shifts, Total: len(or.Shifts), Rota: occurrenceRotaDTO{OccurrenceRota: or}})
}

func (s *Server) createShift(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var in staffing.ShiftInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	a := actorOf(c)
	return s.idempotentTx(c, a.UserID, func(ctx context.Context, tx *sqlx.Tx) (int, any, error) {
		res, err := s.staffing.CreateShiftIn(ctx, tx, a, id, in)
		if err != nil {
			return 0, nil, err
		}
		return fiber.StatusCreated, res, nil
	})
}

func (s *Server) updateShift(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var in staffing.ShiftChange
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	res, err := s.staffing.UpdateShift(c.UserContext(), actorOf(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (s *Server) deleteShift(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	or, err := s.staffing.DeleteShift(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"rota": or})
}

func (s *Server) listSwaps(c *fiber.Ctx) error {
	f := staffing.SwapFilter{Status: c.Query("status")}
	switch f.Status {
	case "", staffing.SwapOffered, staffing.SwapAccepted, staffing.SwapApproved, staffing.SwapDeclined, staffing.SwapCancelled:
	default:
		return fault.Field("status", "Status must be one of: offered, accepted, approved, declined, cancelled")
	}
	items, err := s.staffing.FindSwaps(c.UserContext(), actorOf(c), f)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(web.List[staffing.Swap]{Items: items, Total: len(items)})
}

func (s *Server) offerSwap(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	a := actorOf(c)
	return s.idempotentTx(c, a.UserID, func(ctx context.Context, tx *sqlx.Tx) (int, any, error) {
		w, err := s.staffing.OfferSwapIn(ctx, tx, a, id)
		if err != nil {
			return 0, nil, err
		}
		return fiber.StatusCreated, w, nil
	})
}

// swapAction answers one step of a swap (accept, approve, decline, cancel):
// pass the staffing method, e.g. (*staffing.Service).AcceptSwap.
func (s *Server) swapAction(step func(*staffing.Service, context.Context, staffing.Actor, string) (staffing.Swap, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := web.ParamID(c, "id")
		if err != nil {
			return err
		}
		w, err := step(s.staffing, c.UserContext(), actorOf(c), id)
		if err != nil {
			return err
		}
		return c.JSON(w)
	}
}

func (s *Server) getStaffRecord(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	rec, err := s.staffing.FindStaffRecord(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(rec)
}

func (s *Server) putStaffRecord(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var in staffing.RecordInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	rec, err := s.staffing.PutStaffRecord(c.UserContext(), actorOf(c), id, in)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(rec)
}

func (s *Server) myRota(c *fiber.Ctx) error {
	today := s.londonToday()
	from, err := queryDate(c, "from", today)
	if err != nil {
		return err
	}
	to, err := queryDate(c, "to", today.AddDate(0, 0, 56))
	if err != nil {
		return err
	}
	if !to.After(from) || to.Sub(from) > 400*24*time.Hour {
		return fault.Field("to", "To must be after from, and at most 400 days later")
	}
	london := func(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, rota.London()) }
	items, err := s.staffing.FindMyShifts(c.UserContext(), principal(c).UserID, london(from), london(to).AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(web.List[staffing.MyShift]{Items: items, Total: len(items)})
}

func (s *Server) myRotaCalendar(c *fiber.Ctx) error {
	secret, err := s.staffing.ResetCalendarSecret(c.UserContext(), actorOf(c))
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(fiber.Map{"url": strings.TrimRight(s.cfg.BaseURL, "/") + "/api/v1/calendar/rota/" + secret + ".ics"})
}

// rotaFeed serves a worker's private rota as iCalendar; the secret in the
// path is the credential.
func (s *Server) rotaFeed(c *fiber.Ctx) error {
	secret := c.Params("secret")
	if secret == "" {
		return fault.New(fault.NotFound, "Not found")
	}
	name, shifts, err := s.staffing.FindCalendar(c.UserContext(), strings.Clone(secret))
	if err != nil {
		return err
	}
	events := make([]calendar.Event, 0, len(shifts))
	for _, sh := range shifts {
		ev := calendar.Event{
			UID:      "shift-" + sh.ID + "@youthhub",
			Summary:  sh.Title + " (" + sh.Role + ")",
			Location: strings.Trim(strings.Join([]string{sh.CentreName, sh.CentreAddress, sh.CentrePostcode}, ", "), ", "),
			StartsAt: sh.StartsAt, EndsAt: sh.EndsAt, Updated: sh.UpdatedAt,
			Description: "Your " + sh.Role + " shift at " + sh.CentreName + ".",
		}
		if sh.OccurrenceStatus == "cancelled" {
			ev.Status = calendar.StatusCancelled
			ev.Description = "This session has been cancelled."
		}
		events = append(events, ev)
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	return c.Send(calendar.Feed("Rota: "+name, events))
}
