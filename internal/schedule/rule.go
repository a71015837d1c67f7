package schedule

import (
	"strings"
	"time"
)

// Limits on the length of one session.
const (
	MinDuration = 15 * time.Minute
	MaxDuration = 12 * time.Hour
)

// WeeklyRule is how a session series repeats: on the same days every week, at the same
// Europe/London wall-clock time, from FirstDate to LastDate inclusive, skipping the
// Exceptions (for example bank holidays or half term).
type WeeklyRule struct {
	// Days lists the weekdays the session runs on; duplicates are ignored.
	Days []time.Weekday
	// StartLocal is the start time as Europe/London wall-clock time, "HH:MM" in 24-hour form.
	StartLocal string
	// Duration is how long each session lasts in elapsed time.
	Duration time.Duration
	// FirstDate is the first day the series may run (inclusive).
	FirstDate Date
	// LastDate is the last day the series may run (inclusive); the zero Date means the
	// series has no end.
	LastDate Date
	// Exceptions are days on which the series does not run.
	Exceptions []Date
}

// FieldError is one problem with one field of a rule, in words a person understands.
// Field is the API field name (for example "start_time").
type FieldError struct {
	Field   string
	Message string
}

// ValidationErrors lists every problem Validate found, in field order. The API layer
// can find it with errors.As and answer 422 with one message per field.
type ValidationErrors []FieldError

// Error joins the field messages into one line.
func (v ValidationErrors) Error() string {
	parts := make([]string, len(v))
	for i, fe := range v {
		parts[i] = fe.Field + ": " + fe.Message
	}
	return "schedule: invalid rule: " + strings.Join(parts, "; ")
}

// Validate checks a rule before it is saved. It returns nil or a ValidationErrors
// naming each broken field: "days", "start_time", "duration", "first_date",
// "last_date" and "exceptions". Occurrences of a rule that fails Validate are empty.
func Validate(r WeeklyRule) error {
	var errs ValidationErrors
	add := func(field, msg string) { errs = append(errs, FieldError{Field: field, Message: msg}) }

	if len(r.Days) == 0 {
		add("days", "Choose at least one day")
	} else {
		for _, d := range r.Days {
			if d < time.Sunday || d > time.Saturday {
				add("days", "Choose days from Monday to Sunday")
				break
			}
		}
	}
	if _, _, ok := parseClock(r.StartLocal); !ok {
		add("start_time", "Enter a start time like 18:00")
	}
	if r.Duration < MinDuration || r.Duration > MaxDuration {
		add("duration", "Enter a length between 15 minutes and 12 hours")
	}
	switch {
	case r.FirstDate.IsZero():
		add("first_date", "Enter the first date")
	case !r.FirstDate.IsValid():
		add("first_date", "Enter a real first date, like 2027-09-07")
	}
	switch {
	case r.LastDate.IsZero():
		// Open-ended series.
	case !r.LastDate.IsValid():
		add("last_date", "Enter a real last date, like 2028-07-18")
	case r.FirstDate.IsValid() && r.LastDate.Before(r.FirstDate):
		add("last_date", "The last date must be on or after the first date")
	}
	for _, d := range r.Exceptions {
		if !d.IsValid() {
			add("exceptions", "Enter each date with no session as a real date, like 2027-12-28")
			break
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// parseClock reads "HH:MM" (24-hour, two digits each).
func parseClock(s string) (hour, minute int, ok bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, 0, false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, 0, false
		}
	}
	hour = int(s[0]-'0')*10 + int(s[1]-'0')
	minute = int(s[3]-'0')*10 + int(s[4]-'0')
	if hour > 23 || minute > 59 {
		return 0, 0, false
	}
	return hour, minute, true
}
