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
// WGS84 latitude and longitude.
type Point struct {
	Postcode string  `db:"postcode"`
	Lat      float64 `db:"lat"`
	Lon      float64 `db:"lon"`
}

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
// postcode, or one the table does not hold, is a fault.Invalid naming the
// field "postcode" in words a young person understands.
func (s *Service) Lookup(ctx context.Context, raw string) (Point, error) {
	pc, ok := Normalise(raw)
	if !ok {
		return Point{}, fault.Field("postcode", msgMalformed)
	}
	const q = `SELECT postcode, lat, lon FROM postcodes WHERE postcode = $1`
	var p Point
	err := s.DB.GetContext(ctx, &p, q, pc)
	if fault.KindOf(postgres.Classify(err)) == fault.NotFound {
		return Point{}, fault.Field("postcode", fmt.Sprintf(msgUnknown, pc))
	}
	return p, err
}
