package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"youthhub/internal/platform/fault"
)

// Page is the limit/offset of a list request.
type Page struct {
	Limit  int
	Offset int
}

// List is the envelope of every list response.
type List[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// PageOf reads limit (1..max, default def) and offset (>= 0).
func PageOf(c *fiber.Ctx, def, max int) (Page, error) {
	p := Page{Limit: def}
	var fields []fault.FieldError
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > max {
			fields = append(fields, fault.FieldError{Field: "limit", Message: fmt.Sprintf("Limit must be a whole number from 1 to %d", max)})
		}
		p.Limit = n
	}
	if v := c.Query("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			fields = append(fields, fault.FieldError{Field: "offset", Message: "Offset must be a whole number, 0 or more"})
		}
		p.Offset = n
	}
	if len(fields) > 0 {
		return p, fault.Fields(fields...)
	}
	return p, nil
}

// ParamID reads a UUID path parameter; a malformed one is 404, as it names
// nothing that exists.
func ParamID(c *fiber.Ctx, name string) (string, error) {
	v := c.Params(name)
	id, err := uuid.Parse(v)
	if err != nil {
		return "", fault.New(fault.NotFound, "Not found")
	}
	return id.String(), nil
}

// QueryUUID reads an optional UUID query parameter.
func QueryUUID(c *fiber.Ctx, name string) (string, error) {
	v := c.Query(name)
	if v == "" {
		return "", nil
	}
	id, err := uuid.Parse(v)
	if err != nil {
		return "", fault.Field(name, fmt.Sprintf("%s is not a valid id", strings.ReplaceAll(name, "_", " ")))
	}
	return id.String(), nil
}

// QueryList reads a repeatable query parameter (a=1&a=2) or a comma list.
func QueryList(c *fiber.Ctx, name string) []string {
	var out []string
	for _, raw := range c.Context().QueryArgs().PeekMulti(name) {
		for _, s := range strings.Split(string(raw), ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// parseDate parses YYYY-MM-DD strictly.
func parseDate(s string) (time.Time, error) {
	if len(s) != 10 {
		return time.Time{}, fmt.Errorf("not a date")
	}
	return time.Parse(time.DateOnly, s)
}

// ParseDate parses a YYYY-MM-DD date.
func ParseDate(s string) (time.Time, error) { return parseDate(s) }

// NoStore marks a response as personal data that no cache may keep.
func NoStore(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "no-store")
}
