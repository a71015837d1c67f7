package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"youthhub/internal/opendata"
	"youthhub/internal/platform/fault"
)

// Open data is public, holds no personal data, and is meant to be fetched by
// other sites' code: any origin may read it (no credentials are involved).
const openDataOwner = "open data: public, no personal data"

// Cache lifetimes. RPDE pages with items never change once written (an item
// that changes moves to a later page), so caches may keep them an hour; the
// last page is where new items appear, so only briefly (OpenActive asks for
// 3600 and 8 seconds).
const (
	rpdePageCache     = "public, max-age=3600"
	rpdeLastPageCache = "public, max-age=8"
	referralCache     = "public, max-age=300"
)

// maxReferralPage bounds page so that the offset it makes stays an int.
const maxReferralPage = 1_000_000

// rpdePage is the body of an RPDE page.
type rpdePage struct {
	Next    string          `json:"next"`
	Items   []opendata.Item `json:"items"`
	License string          `json:"license"`
}

// sessionSeriesFeed is the OpenActive SessionSeries RPDE feed.
func (s *Server) sessionSeriesFeed(c *fiber.Ctx) error {
	return s.rpdeFeed(c, opendata.SessionSeriesFeedPath, s.opendata.SessionSeriesPage)
}

// scheduledSessionsFeed is the OpenActive ScheduledSession RPDE feed.
func (s *Server) scheduledSessionsFeed(c *fiber.Ctx) error {
	return s.rpdeFeed(c, opendata.ScheduledSessionFeedPath, s.opendata.ScheduledSessionsPage)
}

// rpdeFeed answers one page of a feed. The next URL is the feed's own URL
// with the position of the page's last item, or the same position when the
// page is empty (RPDE's last page, whose next URL is itself).
func (s *Server) rpdeFeed(c *fiber.Ctx, path string, read func(context.Context, opendata.Position, int) (opendata.Page, error)) error {
	after, limit, limitGiven, err := feedParams(c)
	if err != nil {
		return err
	}
	page, err := read(c.UserContext(), after, limit)
	if err != nil {
		return err
	}
	var q []string
	if !page.Next.IsStart() {
		q = append(q, "afterTimestamp="+strconv.FormatInt(page.Next.Modified, 10), "afterId="+url.QueryEscape(page.Next.ID))
	}
	if limitGiven {
		q = append(q, "limit="+strconv.Itoa(limit))
	}
	next := s.opendata.BaseURL + path
	if len(q) > 0 {
		next += "?" + strings.Join(q, "&")
	}
	c.Set(fiber.HeaderCacheControl, rpdePageCache)
	if len(page.Items) == 0 {
		c.Set(fiber.HeaderCacheControl, rpdeLastPageCache)
	}
	return openJSON(c, fiber.MIMEApplicationJSON, rpdePage{Next: next, Items: page.Items, License: opendata.License})
}

// feedParams reads afterTimestamp and afterId (both or neither) and limit.
func feedParams(c *fiber.Ctx) (after opendata.Position, limit int, limitGiven bool, err error) {
	var fields []fault.FieldError
	add := func(field, msg string) { fields = append(fields, fault.FieldError{Field: field, Message: msg}) }
	ts, id := c.Query("afterTimestamp"), c.Query("afterId")
	switch {
	case ts == "" && id == "":
	case ts == "" || id == "":
		add("afterTimestamp", "Give afterTimestamp and afterId together, as in the next URL of the previous page")
	default:
		m, perr := strconv.ParseInt(ts, 10, 64)
		if perr != nil {
			add("afterTimestamp", "afterTimestamp must be a whole number, as in the next URL of the previous page")
		}
		u, perr := uuid.Parse(id)
		if perr != nil {
			add("afterId", "afterId must be an item id, as in the next URL of the previous page")
		}
		after = opendata.Position{Modified: m, ID: u.String()}
	}
	limit = opendata.DefaultFeedLimit
	if v := c.Query("limit"); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 1 || n > opendata.MaxFeedLimit {
			add("limit", fmt.Sprintf("Limit must be a whole number from 1 to %d", opendata.MaxFeedLimit))
		}
		limit, limitGiven = n, true
	}
	if len(fields) > 0 {
		return after, 0, false, fault.Fields(fields...)
	}
	return after, limit, limitGiven, nil
}

// activityList is the youthhub activity list, for the activities the
// OpenActive list does not name.
func (s *Server) activityList(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return openJSON(c, "application/ld+json", s.opendata.ActivityList())
}

// referralAPI is GET / of the Open Referral UK API: which standard it follows.
func (s *Server) referralAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return openJSON(c, fiber.MIMEApplicationJSON, fiber.Map{"version": opendata.HSDSVersion, "profile": opendata.HSDSProfileURL, "openapi_url": opendata.HSDSOpenAPIURL})
}

// referralPage is the body of an Open Referral list.
type referralPage[T any] struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   []T  `json:"contents"`
}

func newReferralPage[T any](items []T, total int, f opendata.ServiceFilter) referralPage[T] {
	pages := (total + f.PerPage - 1) / f.PerPage
	return referralPage[T]{
		TotalItems: total, TotalPages: pages, PageNumber: f.Page, Size: len(items),
		FirstPage: f.Page == 1, LastPage: f.Page >= pages, Empty: len(items) == 0, Contents: items,
	}
}

// referralFilter reads page, per_page, search, minimum_age, maximum_age and
// taxonomy_term_id. The profile's other filters (postcode, proximity, day,
// start_time, end_time) are not offered and are ignored.
func referralFilter(c *fiber.Ctx) (opendata.ServiceFilter, error) {
	f := opendata.ServiceFilter{Page: 1, PerPage: opendata.DefaultPerPage, Search: c.Query("search"), TaxonomyTermID: c.Query("taxonomy_term_id")}
	var fields []fault.FieldError
	add := func(field, msg string) { fields = append(fields, fault.FieldError{Field: field, Message: msg}) }
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxReferralPage {
			add("page", fmt.Sprintf("Page must be a whole number from 1 to %d", maxReferralPage))
		}
		f.Page = n
	}
	if v := c.Query("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > opendata.MaxPerPage {
			add("per_page", fmt.Sprintf("Per page must be a whole number from 1 to %d", opendata.MaxPerPage))
		}
		f.PerPage = n
	}
	age := func(name string) *int {
		v := c.Query(name)
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 120 {
			add(name, "Age must be a whole number of years")
			return nil
		}
		return &n
	}
	f.MinimumAge, f.MaximumAge = age("minimum_age"), age("maximum_age")
	if len(f.Search) > 200 {
		add("search", "Search must be 200 characters or fewer")
	}
	if len(fields) > 0 {
		return f, fault.Fields(fields...)
	}
	f.Search = strings.Clone(f.Search)
	f.TaxonomyTermID = strings.Clone(f.TaxonomyTermID)
	return f, nil
}

// referralServices lists services, one per centre.
func (s *Server) referralServices(c *fiber.Ctx) error {
	f, err := referralFilter(c)
	if err != nil {
		return err
	}
	items, total, err := s.opendata.FindServices(c.UserContext(), f)
	if err != nil {
		return err
	}
	return referralJSON(c, newReferralPage(items, total, f))
}

// referralService is one service, fully nested.
func (s *Server) referralService(c *fiber.Ctx) error {
	sv, err := s.opendata.FindServiceByID(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return referralJSON(c, sv)
}

// referralServiceAtLocations lists the services at their centres.
func (s *Server) referralServiceAtLocations(c *fiber.Ctx) error {
	f, err := referralFilter(c)
	if err != nil {
		return err
	}
	items, total, err := s.opendata.FindServiceAtLocations(c.UserContext(), f)
	if err != nil {
		return err
	}
	return referralJSON(c, newReferralPage(items, total, f))
}

// referralServiceAtLocation is one service at its centre, fully nested.
func (s *Server) referralServiceAtLocation(c *fiber.Ctx) error {
	sal, err := s.opendata.FindServiceAtLocationByID(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return referralJSON(c, sal)
}

func referralJSON(c *fiber.Ctx, v any) error {
	c.Set(fiber.HeaderCacheControl, referralCache)
	return openJSON(c, fiber.MIMEApplicationJSON, v)
}

// openJSON sends open data: readable from any origin, and with URLs written
// as they are ("&", not "\u0026", so that a next URL reads as one).
func openJSON(c *fiber.Ctx, contentType string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	c.Set(fiber.HeaderContentType, contentType)
	return c.Send(buf.Bytes())
}
