// Package postcode turns UK postcodes into places: it normalises what people
// type, imports ONS Postcode Directory-style files into the postcodes table,
// and looks a postcode up to its latitude and longitude for "sessions near me".
package postcode

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
)

// shape is a UK postcode once normalised: outward code, one space, inward code.
// The postcodes table has the same CHECK.
var shape = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$`)

// Normalise upper-cases a UK postcode and puts exactly one space before the
// inward code, so "m320jg", "M32  0JG" and the ONS 7-character form "M32 0JG"
// all become "M32 0JG". ok is false when it is not shaped like a UK postcode.
func Normalise(raw string) (string, bool) {
	s := strings.ToUpper(strings.Join(strings.Fields(raw), ""))
	if len(s) < 5 || len(s) > 7 {
		return "", false
	}
	s = s[:len(s)-3] + " " + s[len(s)-3:]
	if !shape.MatchString(s) {
		return "", false
	}
	return s, true
}

// Point is where a postcode is: the ONS grid reference of its centre as
// WGS84 latitude and longitude. For a postcode the table does not hold,
// Area is the sector ("M32 9") or district ("M32") whose middle it is.
type Point struct {
	Postcode string  `db:"postcode"`
	Lat      float64 `db:"lat"`
	Lon      float64 `db:"lon"`
	Area     string  `db:"-"`
}

// Exact reports whether the point is the postcode's own.
func (p Point) Exact() bool { return p.Area == "" }

// Service looks postcodes up in the postcodes table.
type Service struct {
	DB *sqlx.DB
}

// Messages for the two ways a postcode search fails; the field is "postcode".
const (
	msgMalformed = "Enter a real UK postcode, like M32 0JG"
	msgUnknown   = "We could not find postcode %s. Check it and try again"
)

// Lookup finds where a postcode is. A postcode that is not shaped like a UK
// postcode is a fault.Invalid naming the field "postcode" in words a young
// person understands. One the table does not hold (the directory loaded may
// be a sample, or older than the postcode) is placed at the middle of the
// postcodes it holds in the same sector ("M32 9"), or else in the same
// district ("M32"), with Area saying which; only when it holds neither is it
// a fault.Invalid too.
func (s *Service) Lookup(ctx context.Context, raw string) (Point, error) {
	pc, ok := Normalise(raw)
	if !ok {
		return Point{}, fault.Field("postcode", msgMalformed)
	}
	const q = `SELECT postcode, lat, lon FROM postcodes WHERE postcode = $1`
	p := Point{Postcode: pc}
	err := s.DB.GetContext(ctx, &p, q, pc)
	if fault.KindOf(postgres.Classify(err)) != fault.NotFound {
		return p, err
	}
	outward := pc[:strings.IndexByte(pc, ' ')]
	sector := pc[:len(outward)+2] // "M32 9"
	for _, prefix := range []string{sector, outward + " "} {
		var mid struct {
			Lat *float64 `db:"lat"`
			Lon *float64 `db:"lon"`
		}
		const avg = `SELECT avg(lat) AS lat, avg(lon) AS lon FROM postcodes WHERE postcode LIKE $1 || '%'`
		if err := s.DB.GetContext(ctx, &mid, avg, prefix); err != nil {
			return Point{}, err
		}
		if mid.Lat != nil {
			return Point{Postcode: pc, Lat: *mid.Lat, Lon: *mid.Lon, Area: strings.TrimSpace(prefix)}, nil
		}
	}
	return Point{}, fault.Field("postcode", fmt.Sprintf(msgUnknown, pc))
}

// Known reports whether a normalised postcode is somewhere the directory
// knows: its district (the outward code, "M32") holds at least one postcode.
// With an empty directory (none imported yet) every postcode is known, so
// that a fresh install does not refuse everyone's home postcode.
func Known(ctx context.Context, q sqlx.QueryerContext, pc string) (bool, error) {
	outward, _, _ := strings.Cut(pc, " ")
	var ok bool
	err := sqlx.GetContext(ctx, q, &ok, `SELECT NOT EXISTS (SELECT 1 FROM postcodes)
		OR EXISTS (SELECT 1 FROM postcodes WHERE postcode LIKE $1 || ' %')`, outward)
	return ok, err
}

// MsgUnknown is what a young person is told about a postcode the directory
// does not know.
func MsgUnknown(pc string) string { return fmt.Sprintf(msgUnknown, pc) }
