package api

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"youthhub/internal/booking"
	"youthhub/internal/calendar"
	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/web"
	"youthhub/internal/schedule"
)

type bookingSessionDTO struct {
	ID             string `json:"id"`
	SeriesID       string `json:"series_id"`
	CentreID       string `json:"centre_id"`
	CentreName     string `json:"centre_name"`
	CentreAddress  string `json:"centre_address"`
	Title          string `json:"title"`
	Category       string `json:"category"`
	StartsAt       string `json:"starts_at"`
	EndsAt         string `json:"ends_at"`
	BookingMode    string `json:"booking_mode"`
	AgeMin         int    `json:"age_min"`
	AgeMax         int    `json:"age_max"`
	Capacity       int    `json:"capacity"`
	SpacesLeft     *int   `json:"spaces_left"`
	WaitlistLength int    `json:"waitlist_length"`
	Status         string `json:"status"`
	// CancelledReason is the centre's reason when the session is cancelled.
	CancelledReason *string `json:"cancelled_reason"`
}

type bookingDTO struct {
	ID               string             `json:"id"`
	OccurrenceID     string             `json:"occurrence_id"`
	Status           string             `json:"status"`
	WaitlistPosition *int               `json:"waitlist_position"`
	CreatedAt        time.Time          `json:"created_at"`
	QRToken          *string            `json:"qr_token"`
	ShortCode        *string            `json:"short_code"`
	Session          *bookingSessionDTO `json:"session,omitempty"`
}

// localTime formats t in Europe/London with its offset (RFC 3339).
func localTime(t time.Time) string {
	return t.In(schedule.London()).Format("2006-01-02T15:04:05-07:00")
}

func (s *Server) toBookingDTO(b booking.Booking, sess *booking.Session) bookingDTO {
	out := bookingDTO{ID: b.ID, OccurrenceID: b.OccurrenceID, Status: b.Status, WaitlistPosition: b.WaitlistPosition, CreatedAt: b.CreatedAt}
	if b.Status == "confirmed" {
		tok, code := s.tickets.Token(b.ID, b.OccurrenceID), s.tickets.ShortCode(b.ID, b.OccurrenceID)
		out.QRToken, out.ShortCode = &tok, &code
	}
	if sess != nil {
		out.Session = &bookingSessionDTO{ID: sess.ID, SeriesID: sess.SeriesID, CentreID: sess.CentreID, CentreName: sess.CentreName,
			CentreAddress: sess.CentreAddress, Title: sess.Title, Category: sess.Category, StartsAt: localTime(sess.StartsAt),
			EndsAt: localTime(sess.EndsAt), BookingMode: sess.BookingMode, AgeMin: sess.AgeMin, AgeMax: sess.AgeMax,
			Capacity: sess.Capacity, SpacesLeft: sess.SpacesLeft, WaitlistLength: sess.WaitlistLength, Status: sess.Status,
			CancelledReason: sess.CancelledReason}
	}
	return out
}

type bookIn struct{}

// createBooking books in one SQL statement, Idempotency-Key included (see
// booking.Book); a retry gets the first answer, refusals too.
func (s *Server) createBooking(c *fiber.Ctx) error {
	occID, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var in bookIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	key := c.Get("Idempotency-Key")
	if len(key) > 200 || strings.ContainsAny(key, "\r\n") {
		return fault.Field("Idempotency-Key", "The Idempotency-Key header must be 200 characters or fewer")
	}
	h := sha256.Sum256(append([]byte("POST "+occID+"\n"), c.Body()...))
	p := principal(c)
	ctx := c.UserContext()
	web.NoStore(c)
	b, replay, err := s.bookings.Book(ctx, booking.Request{YoungPersonID: p.UserID, OccurrenceID: occID, Key: strings.Clone(key), Hash: h[:], IssuedAt: p.IssuedAt})
	switch {
	case err != nil:
		if k := fault.KindOf(err); key == "" || k == fault.Internal || k == fault.Unavailable || k == fault.Unauthorized {
			// Not the request's answer (signing in again or retrying may
			// change it): not stored against the key.
			return err
		}
		status, body := web.RenderProblem(c, s.log, err)
		if serr := s.bookings.StoreRefusal(ctx, p.UserID, key, status, body); serr != nil {
			return serr
		}
		c.Set(fiber.HeaderContentType, "application/problem+json")
		return c.Status(status).Send(body)
	case replay != nil && replay.Err != nil:
		return replay.Err
	case replay != nil && replay.BookingID != "":
		it, err := s.bookings.FindBookingByID(ctx, p.UserID, replay.BookingID)
		if err != nil {
			return err
		}
		c.Set("Idempotent-Replayed", "true")
		return c.Status(fiber.StatusCreated).JSON(s.toBookingDTO(it.Booking, nil))
	case replay != nil:
		c.Set("Idempotent-Replayed", "true")
		c.Set(fiber.HeaderContentType, "application/problem+json")
		return c.Status(replay.Status).Send(replay.Response)
	}
	return c.Status(fiber.StatusCreated).JSON(s.toBookingDTO(b, nil))
}

func (s *Server) listMyBookings(c *fiber.Ctx) error {
	page, err := web.PageOf(c, 50, 200)
	if err != nil {
		return err
	}
	items, total, err := s.bookings.FindBookings(c.UserContext(), principal(c).UserID, page.Limit, page.Offset)
	if err != nil {
		return err
	}
	out := web.List[bookingDTO]{Items: make([]bookingDTO, 0, len(items)), Total: total}
	for i := range items {
		out.Items = append(out.Items, s.toBookingDTO(items[i].Booking, &items[i].Session))
	}
	web.NoStore(c)
	return c.JSON(out)
}

func (s *Server) getBooking(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	it, err := s.bookings.FindBookingByID(c.UserContext(), principal(c).UserID, id)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(s.toBookingDTO(it.Booking, &it.Session))
}

func (s *Server) cancelBooking(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	b, err := s.bookings.Cancel(c.UserContext(), principal(c).UserID, id)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(s.toBookingDTO(b, nil))
}

func calendarEvent(s *Server, it booking.Item) calendar.Event {
	st := calendar.StatusConfirmed
	summary := it.Title
	if it.Booking.Status == "cancelled" || it.Session.Status == "cancelled" {
		st = calendar.StatusCancelled
		summary = "Cancelled: " + summary
	}
	loc := it.CentreName
	if it.CentreAddress != "" {
		loc += ", " + it.CentreAddress
	}
	return calendar.Event{
		UID: it.Booking.ID + "@youthhub", Summary: summary, Location: loc,
		Description: fmt.Sprintf("Your youthhub booking at %s. Show your QR code at the door.", it.CentreName),
		StartsAt:    it.StartsAt, EndsAt: it.EndsAt, Status: st, URL: s.cfg.BaseURL + "/bookings", Updated: it.Booking.CreatedAt,
	}
}

func (s *Server) bookingICS(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	it, err := s.bookings.FindBookingByID(c.UserContext(), principal(c).UserID, id)
	if err != nil {
		return err
	}
	web.NoStore(c)
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="youthhub-booking.ics"`)
	return c.Send(calendar.Feed(it.Title, []calendar.Event{calendarEvent(s, it)}))
}

type calendarLinkDTO struct {
	URL string `json:"url"`
}

// resetCalendar makes (or replaces) the young person's private subscription
// URL; only its hash is stored, so the URL is shown only now.
func (s *Server) resetCalendar(c *fiber.Ctx) error {
	secret, hash, err := auth.NewSecret()
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(c.UserContext(), `UPDATE users SET calendar_secret_hash = $2 WHERE id = $1`, principal(c).UserID, hash); err != nil {
		return err
	}
	web.NoStore(c)
	return c.Status(fiber.StatusCreated).JSON(calendarLinkDTO{URL: s.cfg.BaseURL + "/api/v1/calendar/bookings/" + secret + ".ics"})
}

func (s *Server) bookingsFeed(c *fiber.Ctx) error {
	secret := c.Params("secret")
	var uid string
	if err := s.db.GetContext(c.UserContext(), &uid, `SELECT id FROM users WHERE calendar_secret_hash = $1 AND active`, auth.HashSecret(secret)); err != nil {
		return fault.New(fault.NotFound, "This calendar link is not valid. Make a new one in youthhub")
	}
	items, _, err := s.bookings.FindBookings(c.UserContext(), uid, 200, 0)
	if err != nil {
		return err
	}
	events := make([]calendar.Event, 0, len(items))
	for _, it := range items {
		if it.Booking.Status == "confirmed" || it.Booking.Status == "cancelled" || it.Booking.Status == "attended" {
			events = append(events, calendarEvent(s, it))
		}
	}
	web.NoStore(c)
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	return c.Send(calendar.Feed("My youthhub sessions", events))
}

func (s *Server) listNotifications(c *fiber.Ctx) error {
	page, err := web.PageOf(c, 50, 200)
	if err != nil {
		return err
	}
	items, total, err := s.bookings.FindNotifications(c.UserContext(), principal(c).UserID, page.Limit, page.Offset)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(web.List[booking.Notification]{Items: items, Total: total})
}

func (s *Server) readNotifications(c *fiber.Ctx) error {
	if err := s.bookings.MarkNotificationsRead(c.UserContext(), principal(c).UserID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
