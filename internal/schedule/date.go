package schedule

import (
	"cmp"
	"fmt"
	"time"
)

// Date is a civil (calendar) date with no time of day and no time zone, such as a
// session's first date or a young person's date of birth. The zero Date means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

const dateLayout = "2006-01-02"

// ParseDate reads a date written as YYYY-MM-DD. It returns an error for any other
// form and for dates that do not exist, such as 2027-02-29.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("schedule: date %q is not a real date in the form YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// DateOf returns the date of t in t's own location; pass t.In(London()) for the
// Europe/London date of an instant.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date, which stands for "no date".
func (d Date) IsZero() bool {
	return d == Date{}
}

// IsValid reports whether d names a day that exists in the proleptic Gregorian
// calendar between years 1 and 9999 (so 2028-02-29 is valid and 2027-02-29 is not).
func (d Date) IsValid() bool {
	if d.Year < 1 || d.Year > 9999 {
		return false
	}
	return DateOf(d.midnightUTC()) == d
}

// Compare returns -1 if d is before e, 0 if they are the same day and +1 if d is after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmp.Compare(d.Year, e.Year)
	case d.Month != e.Month:
		return cmp.Compare(d.Month, e.Month)
	default:
		return cmp.Compare(d.Day, e.Day)
	}
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.midnightUTC().Weekday() }

// MarshalText writes d as YYYY-MM-DD, and the zero Date as an empty string, so
// that Date works as a JSON string.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads YYYY-MM-DD (an empty string gives the zero Date). It returns
// ParseDate's error for anything else.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

func (d Date) midnightUTC() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// AgeOn returns a person's age in whole years on day, for eligibility checks such as
// "ages 11–16 on the day of the session".
//
// A person becomes a year older at the start of the anniversary of their birth. Someone
// born on 29 February has no anniversary in a non-leap year and becomes a year older on
// 1 March in those years (they are still the younger age on 28 February), which is how
// age is reckoned in England and Wales. A day before the date of birth gives a negative
// number; callers should treat it as invalid data.
func AgeOn(dob, day Date) int {
	age := day.Year - dob.Year
	if day.Month < dob.Month || (day.Month == dob.Month && day.Day < dob.Day) {
		age--
	}
	return age
}
