package rota

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/London must resolve on hosts without a zoneinfo database.
)

var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic("rota: cannot load Europe/London: " + err.Error())
	}
	return loc
}()

// London returns the Europe/London location in which every rota date and time
// of day is read.
func London() *time.Location { return london }

// DefaultRatio is the number of young people per adult member of staff when
// an occurrence sets no ratio of its own (the NSPCC's 1:10 for ages 13–18).
const DefaultRatio = 10

// MinimumStaff is the number of adult staff every occurrence needs however few
// young people are expected.
const MinimumStaff = 2

// Date is a calendar date with no time of day, as printed on a certificate or
// a leave request. The zero Date means "not recorded".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the Europe/London calendar date of t.
func DateOf(t time.Time) Date {
	y, m, d := t.In(london).Date()
	return Date{y, m, d}
}

// IsZero reports whether d is the zero Date, meaning "not recorded".
func (d Date) IsZero() bool { return d == Date{} }

// String formats d the British way, "3 March 2027"; the zero Date prints as
// "no date".
func (d Date) String() string {
	if d.IsZero() {
		return "no date"
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format("2 January 2006")
}

// day returns the number of days from 1 January 1970 to d, normalising out of
// range months and days the way time.Date does (so 29 February in a common
// year is 1 March).
func (d Date) day() int {
	return int(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// dateOfDay is the inverse of Date.day.
func dateOfDay(n int) time.Time { return time.Unix(int64(n)*86400, 0).UTC() }

// weekOf returns the index of the Monday–Sunday week holding day n.
func weekOf(n int) int {
	q := (n + 3) / 7
	if (n+3)%7 < 0 {
		q--
	}
	return q
}

// mondayOf returns the day number of the Monday that starts week w.
func mondayOf(w int) int { return w*7 - 3 }

// DateRange is an inclusive range of calendar dates, such as a period of leave
// from its first day off to its last.
type DateRange struct {
	From, To Date
}

// Clock is a local time of day in minutes after midnight, from 0 (00:00) to
// 1440 (24:00, the end of the day).
type Clock int

// ClockOf returns the Clock for hour:minute; ClockOf(24, 0) is the end of the
// day.
func ClockOf(hour, minute int) Clock { return Clock(hour*60 + minute) }

// String formats c as "18:30".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// Window is a weekly period in which a worker has said they can work, such as
// Tuesdays from 17:00 to 22:00. From is inclusive and To exclusive; windows
// on the same day may touch or overlap and then act as one.
type Window struct {
	Day      time.Weekday
	From, To Clock
}

// Qualification is a worker's highest recognised youth-work qualification on
// the JNC scale. Its values are the strings stored in the database; an
// unknown value counts as QualificationNone.
type Qualification string

// The qualification levels the rota rules distinguish.
const (
	// QualificationNone is no recognised youth-work qualification.
	QualificationNone Qualification = "none"
	// QualificationJNC2 is a JNC level 2 (youth support worker)
	// qualification; it does not qualify a lead.
	QualificationJNC2 Qualification = "jnc2"
	// QualificationJNC3 is a JNC level 3 qualification, enough to lead.
	QualificationJNC3 Qualification = "jnc3"
	// QualificationJNC6Plus is a JNC level 6 (degree-level professional)
	// qualification or higher.
	QualificationJNC6Plus Qualification = "jnc6plus"
)

// CanLead reports whether q is JNC level 3 or above, the level a session's
// lead must hold.
func (q Qualification) CanLead() bool {
	return q == QualificationJNC3 || q == QualificationJNC6Plus
}

func (q Qualification) words() string {
	switch q {
	case QualificationJNC2:
		return "holds JNC level 2"
	case QualificationJNC3:
		return "holds JNC level 3"
	case QualificationJNC6Plus:
		return "holds JNC level 6 or above"
	default:
		return "holds no recognised youth-work qualification"
	}
}

// Role is what a worker does on a shift. Only a lead can satisfy the
// qualified-lead rule; every role counts towards staffing when the worker is
// 18 or over.
type Role string

// The shift roles.
const (
	// RoleLead is in charge of the session.
	RoleLead Role = "lead"
	// RoleWorker is a paid youth worker.
	RoleWorker Role = "worker"
	// RoleVolunteer is a volunteer, who may be under 18.
	RoleVolunteer Role = "volunteer"
)

// DBS is a worker's Disclosure and Barring Service record. Working with young
// people needs an enhanced check that includes the children's barred list,
// with a next check due on or after the day of the shift.
type DBS struct {
	// Enhanced is true for an enhanced check (not basic or standard).
	Enhanced bool
	// ChildrensBarredList is true when the check included the children's
	// barred list.
	ChildrensBarredList bool
	// OnBarredList is true when the person is barred from working with
	// children; such a person may never be rostered.
	OnBarredList bool
	// NextCheckDue is the date by which the check must be renewed; the zero
	// Date means no check is recorded. A check due on the day of a shift, or
	// later, is valid for it.
	NextCheckDue Date
}

// Worker is a member of staff or a volunteer who can be rostered.
type Worker struct {
	ID string
	// Name is the display name used in every message, e.g. "Sam Patel".
	Name string
	// DateOfBirth decides who counts as an adult and which working-time
	// limits apply. A worker without one is refused every shift.
	DateOfBirth   Date
	Qualification Qualification
	DBS           DBS
	// SafeguardingExpires is the last day on which the worker's
	// safeguarding training is valid; the zero Date means none recorded.
	SafeguardingExpires Date
	// FirstAidExpires is the last day on which the worker's first-aid
	// certificate is valid; the zero Date means the worker is no first-aider.
	FirstAidExpires Date
	// Leave lists the worker's days off; no shift may touch any of them.
	Leave []DateRange
	// Availability lists when the worker has said they can work, by weekday.
	// An empty list means the worker has stated no restriction. When it is
	// not empty, every minute of a shift must fall inside a window of the
	// weekday it falls on.
	Availability []Window
	// ContractedHours is the worker's contracted hours a week; auto-fill
	// spreads hours in proportion to it. Zero means sessional or volunteer:
	// such workers are used after every contracted worker has been tried.
	ContractedHours float64
	// OptedOut is true when the worker has signed an opt-out from the 48-hour
	// average week. It has no effect on rest or on the under-18 limits.
	OptedOut bool
	// Volunteer makes auto-fill propose RoleVolunteer rather than RoleWorker
	// for the worker's non-lead shifts.
	Volunteer bool
}

// BookingMode says how young people come to an occurrence.
type BookingMode string

// The booking modes.
const (
	// Bookable occurrences expect their confirmed bookings.
	Bookable BookingMode = "bookable"
	// DropIn occurrences take no bookings and expect their full capacity.
	DropIn BookingMode = "drop_in"
)

// Occurrence is one dated session that needs staff, such as "Tuesday
// football" on 18 March 2027.
type Occurrence struct {
	ID string
	// CentreName names the centre in messages, e.g. "Old Trafford Youth
	// Centre".
	CentreName string
	// Start and End are the session's times; they are read in Europe/London.
	Start, End        time.Time
	Mode              BookingMode
	Capacity          int
	ConfirmedBookings int
	// Ratio is the number of young people per adult, e.g. 4 for a SEND
	// session; zero or less means DefaultRatio.
	Ratio int
}

// Expected returns the number of young people the staffing must cover:
// confirmed bookings for a bookable occurrence, capacity for a drop-in.
func (o Occurrence) Expected() int {
	if o.Mode == DropIn {
		return o.Capacity
	}
	return o.ConfirmedBookings
}

// ratio returns the occurrence's ratio with the default applied.
func (o Occurrence) ratio() int {
	if o.Ratio <= 0 {
		return DefaultRatio
	}
	return o.Ratio
}

// RequiredAdults returns the adult staff an occurrence needs:
// max(MinimumStaff, ceil(expected/ratio)). A ratio of zero or less means
// DefaultRatio; a negative expected counts as zero.
func RequiredAdults(expected, ratio int) int {
	if ratio <= 0 {
		ratio = DefaultRatio
	}
	expected = max(expected, 0)
	return max(MinimumStaff, (expected+ratio-1)/ratio)
}

// StaffedCapacity returns the places a bookable occurrence can offer with the
// adults rostered: adults × ratio, capped by the occurrence's own capacity and
// never negative. A ratio of zero or less means DefaultRatio. The booking
// layer uses it so that rota and bookings stay one system.
func StaffedCapacity(adults, ratio, capacity int) int {
	if ratio <= 0 {
		ratio = DefaultRatio
	}
	return max(0, min(adults*ratio, capacity))
}

// Shift puts a worker on an occurrence. Start and End are the times worked
// (usually the occurrence's own) and are required, so that the working-time
// rules can use shifts of occurrences that are not in scope.
type Shift struct {
	// ID is the stored shift's id; empty for a shift not yet saved, such as
	// the ones AutoFill proposes.
	ID           string
	OccurrenceID string
	WorkerID     string
	Role         Role
	Start, End   time.Time
}

// Rota is everything the rules read. Occurrences are the ones in scope:
// Evaluate reports on them and AutoFill fills them. Shifts are all the shifts
// already held by the workers, on any occurrence, including enough history
// (17 weeks) for the 48-hour average and the day before the scope for rest.
// A worker id listed twice keeps its first entry.
type Rota struct {
	Workers     []Worker
	Occurrences []Occurrence
	Shifts      []Shift
}

// Severity says what a broken rule does.
type Severity string

// The severities.
const (
	// Hard violations refuse the write: the shift must not be saved.
	Hard Severity = "hard"
	// Shortfall violations leave the occurrence short of what it needs; its
	// status becomes amber or red but nothing is refused.
	Shortfall Severity = "shortfall"
)

// Code identifies a rule; its values are stable and safe to store or to key
// translations by.
type Code string

// The hard rules: a shift that breaks one must not be saved.
const (
	// CodeInvalidShift means the shift has no start or end, or ends before it
	// starts.
	CodeInvalidShift Code = "invalid_shift"
	// CodeUnknownWorker means the shift's worker is not in Rota.Workers.
	CodeUnknownWorker Code = "unknown_worker"
	// CodeDateOfBirthMissing means the worker has no date of birth, so neither
	// the adult count nor the under-18 limits can be worked out.
	CodeDateOfBirthMissing Code = "date_of_birth_missing"
	// CodeOnLeave means the shift touches a day of the worker's leave.
	CodeOnLeave Code = "on_leave"
	// CodeOutsideAvailability means part of the shift falls outside the worker's
	// stated weekly availability.
	CodeOutsideAvailability Code = "outside_availability"
	// CodeDuplicateShift means the worker already has a shift on this occurrence.
	CodeDuplicateShift Code = "duplicate_shift"
	// CodeShiftOverlap means the worker already has a shift that overlaps this
	// one (shifts that only touch do not overlap).
	CodeShiftOverlap Code = "shift_overlap"
	// CodeBarred means the worker is on the children's barred list.
	CodeBarred Code = "barred"
	// CodeDBSMissing means no DBS check is recorded.
	CodeDBSMissing Code = "dbs_missing"
	// CodeDBSNotEnhanced means the DBS check is not an enhanced one.
	CodeDBSNotEnhanced Code = "dbs_not_enhanced"
	// CodeDBSBarredListNotChecked means the enhanced check did not include the
	// children's barred list.
	CodeDBSBarredListNotChecked Code = "dbs_barred_list_not_checked"
	// CodeDBSExpired means the DBS check's next check was due before the day of
	// the shift.
	CodeDBSExpired Code = "dbs_expired"
	// CodeSafeguardingMissing means no safeguarding training is recorded.
	CodeSafeguardingMissing Code = "safeguarding_missing"
	// CodeSafeguardingExpired means the safeguarding training expired before the
	// day of the shift.
	CodeSafeguardingExpired Code = "safeguarding_expired"
	// CodeRestTooShort means an adult would have less than 11 hours between the
	// end of one working day's shift and the start of another's.
	CodeRestTooShort Code = "rest_too_short"
	// CodeYoungWorkerRest is CodeRestTooShort with 12 hours, after a shift
	// worked under 18.
	CodeYoungWorkerRest Code = "young_worker_rest_too_short"
	// CodeYoungWorkerDay means a worker under 18 would work more than 8 hours on
	// one day.
	CodeYoungWorkerDay Code = "young_worker_day_too_long"
	// CodeYoungWorkerWeek means a worker under 18 would work more than 40 hours
	// in a Monday–Sunday week.
	CodeYoungWorkerWeek Code = "young_worker_week_too_long"
	// CodeWeeklyAverage means an adult who has not opted out would average more
	// than 48 hours a week over 17 weeks.
	CodeWeeklyAverage Code = "weekly_average_too_high"
)

// The shortfall rules: they colour an occurrence amber or red.
const (
	// CodeTooFewStaff means fewer adults are rostered than RequiredAdults;
	// always red.
	CodeTooFewStaff Code = "too_few_staff"
	// CodeNoQualifiedLead means no lead aged 18 or over with JNC level 3 or
	// above is rostered; amber when there are enough adults, otherwise red.
	CodeNoQualifiedLead Code = "no_qualified_lead"
	// CodeNoFirstAider means nobody rostered holds a first-aid certificate valid
	// on the day; amber when there are enough adults, otherwise red.
	CodeNoFirstAider Code = "no_first_aider"
)

// Violation is one broken rule, explained.
type Violation struct {
	Code     Code
	Severity Severity
	// OccurrenceID is the occurrence whose rota breaks the rule.
	OccurrenceID string
	// ShiftID is the stored shift at fault, when there is one.
	ShiftID string
	// WorkerIDs are the workers the rule is about (empty when a shortfall
	// concerns nobody in particular).
	WorkerIDs []string
	// Message explains the violation to a centre manager, naming people by
	// display name.
	Message string
}

// Status is an occurrence's rota status.
type Status string

// The statuses.
const (
	// Green: every rule holds.
	Green Status = "green"
	// Amber: enough adults, but no qualified lead or no valid first-aider.
	Amber Status = "amber"
	// Red: too few adults, or a shift breaks a hard rule.
	Red Status = "red"
)
