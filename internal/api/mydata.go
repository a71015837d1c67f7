package api

import (
	"github.com/gofiber/fiber/v2"

	"youthhub/internal/platform/web"
)

// exportMyData gives a young person a copy of everything held about them.
func (s *Server) exportMyData(c *fiber.Ctx) error {
	out, err := s.accounts.ExportData(c.UserContext(), principal(c).UserID)
	if err != nil {
		return err
	}
	web.NoStore(c)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="my-youthhub-data.json"`)
	return c.JSON(out)
}

// deleteMe erases a young person's account: upcoming bookings are cancelled
// through the booking rules first (so the waiting list moves on), then the
// personal data is removed and the session ends.
type deleteMeIn struct {
	Password string `json:"password" validate:"max=200"`
}

func (s *Server) deleteMe(c *fiber.Ctx) error {
	ctx := c.UserContext()
	uid := principal(c).UserID
	var in deleteMeIn
	if len(c.Body()) > 0 { // no body: asked for the password below
		if err := web.Decode(c, &in); err != nil {
			return err
		}
	}
	if err := s.accounts.ConfirmPassword(ctx, uid, in.Password); err != nil {
		return err
	}
	ids, err := s.bookings.FindLiveFutureBookingIDs(ctx, uid)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := s.bookings.Cancel(ctx, uid, id); err != nil {
			return err
		}
	}
	if err := s.accounts.Erase(ctx, uid); err != nil {
		return err
	}
	s.setRefreshCookie(c, "", 0)
	return c.SendStatus(fiber.StatusNoContent)
}
