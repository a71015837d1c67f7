// Package timetable keeps the sessions centres run: session series (a weekly
// rule at a centre, in Europe/London wall-clock time) and their occurrences,
// stored as rows for a rolling horizon so that each can be booked, given its
// own capacity or cancelled. It also answers the public "find a session"
// search, near a postcode or a point, with distances computed in SQL.
//
// Staff act only within their own council: every method that changes or
// shows staff data takes the caller's council id and answers fault.NotFound
// for another council's series or occurrence, as if it did not exist.
//
// # Editing a series
//
// A series' title, description, what to bring, category, ages, SEND flag,
// capacity, staff ratio, booking window, last date and exceptions can be
// changed; its days, start time, length, centre and booking mode cannot
// (start a new series instead). After an edit, future occurrences that the
// rule no longer produces (a new exception date, a new earlier last date) are
// removed: deleted when nobody ever booked them, otherwise cancelled, with
// every live booking cancelled and its young person notified, exactly as
// CancelOccurrence does. Occurrences the rule now produces again (an
// exception taken away, a later last date) are generated. A new series
// capacity applies to future occurrences that still had the old series
// capacity; an occurrence given its own capacity keeps it.
package timetable

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"youthhub/internal/platform/postgres"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"youthhub/internal/platform/fault"
	"youthhub/internal/schedule"
)

// Categories are the kinds of session.
var Categories = []string{"sport", "arts", "music", "digital", "cooking", "advice_support", "outdoor", "send", "other"}

// BookingModes are how young people come to a session.
var BookingModes = []string{"bookable", "drop_in"}

// Defaults and limits of a series.
const (
	DefaultStaffRatio        = 10
	DefaultBookingWindowDays = 14
	DefaultHorizon           = 12 * 7 * 24 * time.Hour
	MinAge, MaxAge           = 8, 25
	MaxAgeWithoutSEND        = 19
	maxExceptions            = 366
)

// Service stores series and occurrences.
type Service struct {
	DB  *sqlx.DB
	Now func() time.Time
	// Horizon is how far ahead occurrences are stored (DefaultHorizon when zero).
	Horizon time.Duration
	// Promote, when set, runs in the transaction that gave an occurrence
	// more places (its own capacity, or the series' capacity), so that the
	// booking package can move people up from the waiting list.
	Promote func(ctx context.Context, tx *sqlx.Tx, occurrenceID string) error
	// Stmts prepares hot queries once (nil: unprepared).
	Stmts *postgres.StmtCache
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Service) horizon() time.Duration {
	if s.Horizon <= 0 {
		return DefaultHorizon
	}
	return s.Horizon
}

var dayNames = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"} // index = time.Weekday

// Days are the weekdays a series runs on, by name ("monday"), stored as
// time.Weekday numbers (Sunday = 0) in the days column.
type Days []string

// Scan reads an int[] column.
func (d *Days) Scan(src any) error {
	var nums pq.Int64Array
	if err := nums.Scan(src); err != nil {
		return fmt.Errorf("timetable: days: %w", err)
	}
	out := make(Days, 0, len(nums))
	for _, n := range nums {
		if n < 0 || n > 6 {
			return fmt.Errorf("timetable: days: %d is not a weekday", n)
		}
		out = append(out, dayNames[n])
	}
	*d = out
	return nil
}

// Value writes the int[] column.
func (d Days) Value() (driver.Value, error) {
	nums := make(pq.Int64Array, 0, len(d))
	for _, w := range d.weekdays() {
		nums = append(nums, int64(w))
	}
	return nums.Value()
}

// weekdays turns names into weekdays in week order from Monday, without
// duplicates; unknown names are left out (validate reports them).
func (d Days) weekdays() []time.Weekday {
	var out []time.Weekday
	for _, w := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		if slices.Contains(d, dayNames[w]) {
			out = append(out, w)
		}
	}
	return out
}

// Series is a session series: a weekly rule at a centre.
type Series struct {
	ID                string         `db:"id" json:"id"`
	CouncilID         string         `db:"council_id" json:"council_id"`
	CentreID          string         `db:"centre_id" json:"centre_id"`
	CentreName        string         `db:"centre_name" json:"centre_name"`
	Title             string         `db:"title" json:"title"`
	Description       string         `db:"description" json:"description"`
	WhatToBring       string         `db:"what_to_bring" json:"what_to_bring"`
	Category          string         `db:"category" json:"category"`
	AgeMin            int            `db:"age_min" json:"age_min"`
	AgeMax            int            `db:"age_max" json:"age_max"`
	Send              bool           `db:"send" json:"send"`
	BookingMode       string         `db:"booking_mode" json:"booking_mode"`
	Capacity          int            `db:"capacity" json:"capacity"`
	StaffRatio        int            `db:"staff_ratio" json:"staff_ratio"`
	Days              Days           `db:"days" json:"days"`
	StartTime         string         `db:"start_local" json:"start_time"`
	DurationMinutes   int            `db:"duration_minutes" json:"duration_minutes"`
	FirstDate         string         `db:"first_date" json:"first_date"`
	LastDate          *string        `db:"last_date" json:"last_date"`
	Exceptions        pq.StringArray `db:"exceptions" json:"exceptions"`
	BookingWindowDays int            `db:"booking_window_days" json:"booking_window_days"`
	GeneratedUntil    *time.Time     `db:"generated_until" json:"generated_until"`
	CreatedAt         time.Time      `db:"created_at" json:"created_at"`
	UpdatedAt         time.Time      `db:"updated_at" json:"updated_at"`
}

// rule is the series' weekly rule for the schedule package.
func (s Series) rule() schedule.WeeklyRule {
	r := schedule.WeeklyRule{Days: s.Days.weekdays(), StartLocal: s.StartTime, Duration: time.Duration(s.DurationMinutes) * time.Minute}
	r.FirstDate, _ = schedule.ParseDate(s.FirstDate)
	if s.LastDate != nil {
		r.LastDate, _ = schedule.ParseDate(*s.LastDate)
	}
	for _, e := range s.Exceptions {
		if d, err := schedule.ParseDate(e); err == nil {
			r.Exceptions = append(r.Exceptions, d)
		}
	}
	return r
}

// Input is a new series.
type Input struct {
	CentreID          string   `json:"centre_id"`
	Title             string   `json:"title"`
	Description       string   `json:"description"`
	WhatToBring       string   `json:"what_to_bring"`
	Category          string   `json:"category"`
	AgeMin            int      `json:"age_min"`
	AgeMax            int      `json:"age_max"`
	Send              bool     `json:"send"`
	BookingMode       string   `json:"booking_mode"`
	Capacity          int      `json:"capacity"`
	StaffRatio        int      `json:"staff_ratio"`
	Days              []string `json:"days"`
	StartTime         string   `json:"start_time"`
	DurationMinutes   int      `json:"duration_minutes"`
	FirstDate         string   `json:"first_date"`
	LastDate          *string  `json:"last_date"`
	Exceptions        []string `json:"exceptions"`
	BookingWindowDays int      `json:"booking_window_days"`
}

// Update changes some of a series' fields; a nil field is left as it is.
// LastDate may also be set to null, which removes the end date.
type Update struct {
	Title             *string      `json:"title"`
	Description       *string      `json:"description"`
	WhatToBring       *string      `json:"what_to_bring"`
	Category          *string      `json:"category"`
	AgeMin            *int         `json:"age_min"`
	AgeMax            *int         `json:"age_max"`
	Send              *bool        `json:"send"`
	Capacity          *int         `json:"capacity"`
	StaffRatio        *int         `json:"staff_ratio"`
	LastDate          NullableDate `json:"last_date"`
	Exceptions        *[]string    `json:"exceptions"`
	BookingWindowDays *int         `json:"booking_window_days"`
}

// NullableDate is a PATCH field that can be left out, set to null, or set
// to a date (YYYY-MM-DD).
type NullableDate struct {
	Set   bool    // the field was in the request
	Value *string // nil for null
	bad   bool    // neither a string nor null
}

// UnmarshalJSON records that the field was given. A value that is neither
// text nor null is reported by validation, with the field named.
func (n *NullableDate) UnmarshalJSON(b []byte) error {
	n.Set = true
	n.Value = nil
	if string(b) == "null" {
		return nil
	}
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		n.bad = true
		return nil
	}
	n.Value = &v
	return nil
}

// problems collects field errors in the order they are found.
type problems []fault.FieldError

func (p *problems) add(field, msg string) {
	*p = append(*p, fault.FieldError{Field: field, Message: msg})
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return fault.Fields(p...)
}

// check validates a series as it would be stored; it applies defaults first.
// Every broken field is named, in words a manager understands.
// controlNotLineBreak is a control character other than a line break or a
// tab, which a description may hold.
func controlNotLineBreak(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
}

func check(s *Series) error {
	var p problems
	s.Title = strings.TrimSpace(s.Title)
	switch n := len([]rune(s.Title)); {
	case n == 0:
		p.add("title", "Enter a title, like Tuesday football")
	case n > 120:
		p.add("title", "Title must be 120 characters or fewer")
	case strings.ContainsFunc(s.Title, unicode.IsControl):
		// It goes into e-mail subjects, calendar entries and notifications.
		p.add("title", "Title must be one line, with no control characters")
	}
	switch {
	case len([]rune(s.Description)) > 2000:
		p.add("description", "Description must be 2,000 characters or fewer")
	case strings.ContainsFunc(s.Description, controlNotLineBreak):
		p.add("description", "Description cannot contain control characters")
	}
	switch {
	case len([]rune(s.WhatToBring)) > 500:
		p.add("what_to_bring", "What to bring must be 500 characters or fewer")
	case strings.ContainsFunc(s.WhatToBring, controlNotLineBreak):
		p.add("what_to_bring", "What to bring cannot contain control characters")
	}
	if !slices.Contains(Categories, s.Category) {
		p.add("category", "Choose a category: sport, arts, music, digital, cooking, advice_support, outdoor, send or other")
	}
	if s.Category == "send" {
		s.Send = true // a SEND session is for young people with SEND, up to 25
	}
	ageOK := true
	if s.AgeMin < MinAge || s.AgeMin > MaxAge {
		p.add("age_min", fmt.Sprintf("The youngest age must be from %d to %d", MinAge, MaxAge))
		ageOK = false
	}
	if s.AgeMax < MinAge || s.AgeMax > MaxAge {
		p.add("age_max", fmt.Sprintf("The oldest age must be from %d to %d", MinAge, MaxAge))
		ageOK = false
	}
	switch {
	case !ageOK:
	case s.AgeMax < s.AgeMin:
		p.add("age_max", "The oldest age must be the same as or more than the youngest age")
	case s.AgeMax > MaxAgeWithoutSEND && !s.Send:
		p.add("age_max", fmt.Sprintf("Only SEND sessions can be for young people over %d: set send to true, or make the oldest age %d or less", MaxAgeWithoutSEND, MaxAgeWithoutSEND))
	}
	if !slices.Contains(BookingModes, s.BookingMode) {
		p.add("booking_mode", "Choose bookable or drop_in")
	}
	if s.Capacity < 1 || s.Capacity > 1000 {
		p.add("capacity", "Enter the number of places, from 1 to 1,000")
	}
	if s.StaffRatio == 0 {
		s.StaffRatio = DefaultStaffRatio
	}
	if s.StaffRatio < 1 || s.StaffRatio > 30 {
		p.add("staff_ratio", "Enter how many young people one adult looks after, from 1 to 30")
	}
	if s.BookingWindowDays == 0 {
		s.BookingWindowDays = DefaultBookingWindowDays
	}
	if s.BookingWindowDays < 1 || s.BookingWindowDays > 90 {
		p.add("booking_window_days", "Bookings can open from 1 to 90 days before a session")
	}
	for _, d := range s.Days {
		if !slices.Contains(dayNames, d) {
			p.add("days", "Choose days from monday to sunday, in lower case")
			break
		}
	}
	if len(s.Exceptions) > maxExceptions {
		p.add("exceptions", fmt.Sprintf("List no more than %d dates with no session", maxExceptions))
	}
	for _, e := range s.Exceptions {
		if _, err := schedule.ParseDate(e); err != nil {
			p.add("exceptions", "Enter each date with no session as a real date, like 2027-12-28")
			break
		}
	}
	if s.LastDate != nil && strings.TrimSpace(*s.LastDate) == "" {
		s.LastDate = nil // an empty last date is no last date
	}
	r := s.rule()
	r.FirstDate = dateField(s.FirstDate)
	if s.LastDate != nil {
		r.LastDate = dateField(*s.LastDate)
	}
	r.Exceptions = nil // checked above, as text
	var rerr schedule.ValidationErrors
	if errors.As(schedule.Validate(r), &rerr) {
		for _, fe := range rerr {
			field := fe.Field
			if field == "duration" {
				field = "duration_minutes"
			}
			if field == "days" && slices.ContainsFunc(p, func(f fault.FieldError) bool { return f.Field == "days" }) {
				continue
			}
			p.add(field, fe.Message)
		}
	}
	slices.Sort(s.Exceptions)
	s.Exceptions = slices.Compact(s.Exceptions)
	return p.err()
}

// notADate is a Date that is not valid, so that schedule.Validate asks for a
// real date rather than for a missing one.
var notADate = schedule.Date{Year: 1, Month: time.February, Day: 30}

// dateField reads a YYYY-MM-DD field for schedule.Validate: the zero Date
// when empty, notADate when it is not a real date.
func dateField(v string) schedule.Date {
	if v == "" {
		return schedule.Date{}
	}
	d, err := schedule.ParseDate(v)
	if err != nil {
		return notADate
	}
	return d
}
