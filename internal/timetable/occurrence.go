package timetable

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"youthhub/internal/centre"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/mail"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/schedule"
)

// Occurrence is one session on one day as young people see it: the item of
// GET /api/v1/sessions (DESIGN.md §3). Times are in Europe/London.
type Occurrence struct {
	ID          string    `db:"id" json:"id"`
	SeriesID    string    `db:"series_id" json:"series_id"`
	CentreID    string    `db:"centre_id" json:"centre_id"`
	CentreName  string    `db:"centre_name" json:"centre_name"`
	Title       string    `db:"title" json:"title"`
	Category    string    `db:"category" json:"category"`
	StartsAt    time.Time `db:"starts_at" json:"starts_at"`
	EndsAt      time.Time `db:"ends_at" json:"ends_at"`
	BookingMode string    `db:"booking_mode" json:"booking_mode"`
	AgeMin      int       `db:"age_min" json:"age_min"`
	AgeMax      int       `db:"age_max" json:"age_max"`
	Capacity    int       `db:"capacity" json:"capacity"`
	// SpacesLeft is the places a young person can still book: the capacity,
	// capped by the staffed limit the rota sets, less confirmed bookings;
	// nil for drop-in sessions.
	SpacesLeft     *int     `db:"spaces_left" json:"spaces_left"`
	WaitlistLength int      `db:"waitlist_length" json:"waitlist_length"`
	Status         string   `db:"status" json:"status"`
	DistanceKm     *float64 `db:"distance_km" json:"distance_km,omitempty"`
}

func (o *Occurrence) local() {
	o.StartsAt, o.EndsAt = o.StartsAt.In(schedule.London()), o.EndsAt.In(schedule.London())
}

// OccurrenceDetail is one session with what a young person needs to know
// before booking.
type OccurrenceDetail struct {
	Occurrence
	Description       string  `db:"description" json:"description"`
	WhatToBring       string  `db:"what_to_bring" json:"what_to_bring"`
	Send              bool    `db:"send" json:"send"`
	BookingWindowDays int     `db:"booking_window_days" json:"booking_window_days"`
	CancelledReason   *string `db:"cancelled_reason" json:"cancelled_reason"`
	// BookingOpensAt is when booking opens (see BookingOpensAt); nil for drop-in.
	BookingOpensAt *time.Time `db:"-" json:"booking_opens_at"`
}

// BookingOpensAt is when booking for a session starting at startsAt opens:
// windowDays before it, counted in Europe/London days, so that a window
// opens at the session's own wall-clock time across a clock change.
func BookingOpensAt(startsAt time.Time, windowDays int) time.Time {
	return startsAt.In(schedule.London()).AddDate(0, 0, -windowDays)
}

// spacesLeft is the SQL for Occurrence.SpacesLeft.
const spacesLeft = `CASE WHEN o.booking_mode <> 'bookable' THEN NULL WHEN o.status = 'cancelled' THEN 0
	ELSE greatest(0, least(o.capacity, coalesce(o.staffed_limit, o.capacity)) - o.confirmed_count) END`

const occurrenceColumns = `o.id, o.series_id, o.centre_id, c.name AS centre_name, s.title, s.category, o.starts_at, o.ends_at,
	o.booking_mode, s.age_min, s.age_max, o.capacity, ` + spacesLeft + ` AS spaces_left, o.waitlist_count AS waitlist_length, o.status`

// Place is a point to search near.
type Place struct {
	Lat, Lon float64
}

// Filter narrows FindOccurrences. From and To are required.
type Filter struct {
	From, To       time.Time
	Near           *Place  // sessions within RadiusKm of here, nearest first
	RadiusKm       float64 // with Near
	Age            int     // 0: any age
	Category       string
	AccessFeatures []string // the centre has every one
	ProviderType   string
	CouncilID      string
	CentreID       string
	SpacesOnly     bool // only bookable sessions with a place left (drop-in sessions have no places to book)
	// Days keeps sessions starting on these days of the week (UK time), by
	// ISO number: 1 Monday to 7 Sunday. Empty: any day.
	Days             []int
	IncludeCancelled bool
	Limit, Offset    int
}

// kmPerDegree is the length of a degree of latitude (and of longitude at the
// equator) on a sphere of the Earth's mean radius.
const (
	earthRadiusKm = 6371.0088
	kmPerDegree   = earthRadiusKm * math.Pi / 180
)

// FindOccurrences is the public search: sessions starting in [From, To),
// nearest first then soonest when searched near a place, otherwise soonest
// first, with the total before paging. Near a place, a bounding box on the
// centre's latitude and longitude narrows the rows before the haversine
// distance is computed.
func (s *Service) FindOccurrences(ctx context.Context, f Filter) ([]Occurrence, int, error) {
	where := []string{"o.starts_at >= $1", "o.starts_at < $2"}
	args := []any{f.From, f.To}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if !f.IncludeCancelled {
		where = append(where, "o.status = 'scheduled'")
	}
	distance := "NULL::double precision"
	order := "o.starts_at, o.id"
	if f.Near != nil {
		lat, lon := arg(f.Near.Lat), arg(f.Near.Lon)
		dLat := f.RadiusKm / kmPerDegree
		dLon := f.RadiusKm / (kmPerDegree * math.Max(math.Cos(f.Near.Lat*math.Pi/180), 0.01))
		where = append(where,
			fmt.Sprintf("c.lat BETWEEN %s AND %s", arg(f.Near.Lat-dLat), arg(f.Near.Lat+dLat)),
			fmt.Sprintf("c.lon BETWEEN %s AND %s", arg(f.Near.Lon-dLon), arg(f.Near.Lon+dLon)))
		distance = fmt.Sprintf(`(2 * %g * asin(sqrt(power(sin(radians(c.lat - %[2]s) / 2), 2)
			+ cos(radians(%[2]s)) * cos(radians(c.lat)) * power(sin(radians(c.lon - %[3]s) / 2), 2))))`, earthRadiusKm, lat, lon)
		where = append(where, distance+" <= "+arg(f.RadiusKm))
		order = "distance_km_exact, o.starts_at, o.id"
	}
	if f.Age > 0 {
		a := arg(f.Age)
		where = append(where, fmt.Sprintf("%s BETWEEN s.age_min AND s.age_max", a))
	}
	if len(f.Days) > 0 {
		where = append(where, "extract(isodow FROM o.starts_at AT TIME ZONE 'Europe/London')::int = ANY ("+arg(pq.Array(f.Days))+"::int[])")
	}
	if f.Category != "" {
		where = append(where, "s.category = "+arg(f.Category))
	}
	if len(f.AccessFeatures) > 0 {
		where = append(where, "c.access_features @> "+arg(pq.StringArray(f.AccessFeatures)))
	}
	if f.ProviderType != "" {
		where = append(where, "c.provider_type = "+arg(f.ProviderType))
	}
	if f.CouncilID != "" {
		where = append(where, "o.council_id = "+arg(f.CouncilID))
	}
	if f.CentreID != "" {
		where = append(where, "o.centre_id = "+arg(f.CentreID))
	}
	if f.SpacesOnly {
		where = append(where, spacesLeft+" > 0")
	}
	from := ` FROM occurrences o JOIN session_series s ON s.id = o.series_id JOIN centres c ON c.id = o.centre_id
		WHERE ` + strings.Join(where, " AND ")
	var total int
	if err := s.DB.GetContext(ctx, &total, `SELECT count(*)`+from, args...); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + occurrenceColumns + `, round(` + distance + `::numeric, 1)::double precision AS distance_km, ` +
		distance + ` AS distance_km_exact` + from + ` ORDER BY ` + order + ` LIMIT ` + arg(f.Limit) + ` OFFSET ` + arg(f.Offset)
	var rows []struct {
		Occurrence
		Exact *float64 `db:"distance_km_exact"`
	}
	if err := s.DB.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, 0, err
	}
	out := make([]Occurrence, len(rows))
	for i, r := range rows {
		out[i] = r.Occurrence
		out[i].local()
	}
	return out, total, nil
}

// FindOccurrenceByID is one session for anyone to see, cancelled or not, or
// fault.NotFound.
func (s *Service) FindOccurrenceByID(ctx context.Context, id string) (OccurrenceDetail, error) {
	const q = `SELECT ` + occurrenceColumns + `, NULL::double precision AS distance_km,
		s.description, s.what_to_bring, s.send, s.booking_window_days, o.cancelled_reason
		FROM occurrences o JOIN session_series s ON s.id = o.series_id JOIN centres c ON c.id = o.centre_id
		WHERE o.id = $1`
	var d OccurrenceDetail
	err := s.Stmts.Get(ctx, s.DB, &d, q, id)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fault.New(fault.NotFound, "Session not found")
	}
	if err != nil {
		return d, err
	}
	d.local()
	if d.BookingMode == "bookable" {
		t := BookingOpensAt(d.StartsAt, d.BookingWindowDays)
		d.BookingOpensAt = &t
	}
	return d, nil
}

// FindSessionDetail is FindOccurrenceByID with the occurrence's centre, in
// one statement (the public session page's read).
func (s *Service) FindSessionDetail(ctx context.Context, id string) (OccurrenceDetail, centre.Centre, error) {
	q := `SELECT ` + occurrenceColumns + `, NULL::double precision AS distance_km,
		s.description, s.what_to_bring, s.send, s.booking_window_days, o.cancelled_reason, ` + centre.NestedColumns + `
		FROM occurrences o JOIN session_series s ON s.id = o.series_id JOIN centres c ON c.id = o.centre_id
		JOIN councils k ON k.id = c.council_id
		WHERE o.id = $1`
	var row struct {
		OccurrenceDetail
		Centre centre.Centre `db:"centre"`
	}
	err := s.Stmts.Get(ctx, s.DB, &row, q, id)
	if errors.Is(err, sql.ErrNoRows) {
		return row.OccurrenceDetail, row.Centre, fault.New(fault.NotFound, "Session not found")
	}
	if err != nil {
		return row.OccurrenceDetail, row.Centre, err
	}
	d := &row.OccurrenceDetail
	d.local()
	if d.BookingMode == "bookable" {
		t := BookingOpensAt(d.StartsAt, d.BookingWindowDays)
		d.BookingOpensAt = &t
	}
	return *d, row.Centre, nil
}

// Slot is an occurrence as its centre's staff see it, with the counts the
// booking statement keeps.
type Slot struct {
	ID              string    `db:"id" json:"id"`
	SeriesID        string    `db:"series_id" json:"series_id"`
	StartsAt        time.Time `db:"starts_at" json:"starts_at"`
	EndsAt          time.Time `db:"ends_at" json:"ends_at"`
	BookingMode     string    `db:"booking_mode" json:"booking_mode"`
	Capacity        int       `db:"capacity" json:"capacity"`
	StaffedLimit    *int      `db:"staffed_limit" json:"staffed_limit"`
	ConfirmedCount  int       `db:"confirmed_count" json:"confirmed_count"`
	WaitlistLength  int       `db:"waitlist_length" json:"waitlist_length"`
	SpacesLeft      *int      `db:"spaces_left" json:"spaces_left"`
	Status          string    `db:"status" json:"status"`
	CancelledReason *string   `db:"cancelled_reason" json:"cancelled_reason"`
}

const slotColumns = `o.id, o.series_id, o.starts_at, o.ends_at, o.booking_mode, o.capacity, o.staffed_limit, o.confirmed_count,
	o.waitlist_count AS waitlist_length, ` + spacesLeft + ` AS spaces_left, o.status, o.cancelled_reason`

func (sl *Slot) local() {
	sl.StartsAt, sl.EndsAt = sl.StartsAt.In(schedule.London()), sl.EndsAt.In(schedule.London())
}

// SlotFilter narrows FindSlots; a zero From or To is open.
type SlotFilter struct {
	From, To      time.Time
	Limit, Offset int
}

// FindSlots lists a series' occurrences, cancelled ones too, soonest first,
// for staff of its council; another council's series is fault.NotFound.
func (s *Service) FindSlots(ctx context.Context, councilID, seriesID string, f SlotFilter) ([]Slot, int, error) {
	if _, err := findSeries(ctx, s.DB, councilID, seriesID, false); err != nil {
		return nil, 0, err
	}
	var from, to *time.Time
	if !f.From.IsZero() {
		from = &f.From
	}
	if !f.To.IsZero() {
		to = &f.To
	}
	const where = ` FROM occurrences o WHERE o.series_id = $1 AND o.council_id = $2
		AND ($3::timestamptz IS NULL OR o.starts_at >= $3) AND ($4::timestamptz IS NULL OR o.starts_at < $4)`
	var total int
	if err := s.DB.GetContext(ctx, &total, `SELECT count(*)`+where, seriesID, councilID, from, to); err != nil {
		return nil, 0, err
	}
	out := []Slot{}
	if err := s.DB.SelectContext(ctx, &out, `SELECT `+slotColumns+where+` ORDER BY o.starts_at LIMIT $5 OFFSET $6`,
		seriesID, councilID, from, to, f.Limit, f.Offset); err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].local()
	}
	return out, total, nil
}

var errOccurrenceNotFound = fault.New(fault.NotFound, "Session not found")

// errBookedMeanwhile is a new capacity that the table's CHECK refused because
// places were booked between the check and the change.
var errBookedMeanwhile = fault.Field("capacity", "More places were booked meanwhile: the capacity cannot be less than the places booked")

// lockSlot loads and locks one occurrence of a council.
func lockSlot(ctx context.Context, tx *sqlx.Tx, councilID, id string) (Slot, error) {
	var sl Slot
	err := tx.GetContext(ctx, &sl, `SELECT `+slotColumns+` FROM occurrences o WHERE o.id = $1 AND o.council_id = $2 FOR UPDATE`, id, councilID)
	if errors.Is(err, sql.ErrNoRows) {
		return sl, errOccurrenceNotFound
	}
	sl.local()
	return sl, err
}

// SetCapacity gives one occurrence of the caller's council its own
// capacity. A capacity below the places already confirmed is a
// fault.Invalid on "capacity" (the table's CHECK is the backstop under
// concurrent bookings); another council's occurrence is fault.NotFound.
func (s *Service) SetCapacity(ctx context.Context, councilID, id string, capacity int) (Slot, error) {
	if capacity < 0 || capacity > 1000 {
		return Slot{}, fault.Field("capacity", "Enter the number of places, from 0 to 1,000")
	}
	var out Slot
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		sl, err := lockSlot(ctx, tx, councilID, id)
		if err != nil {
			return err
		}
		if capacity < sl.ConfirmedCount {
			return fault.Field("capacity", fmt.Sprintf("%s already booked, so the capacity cannot be less than %d", placesAre(sl.ConfirmedCount), sl.ConfirmedCount))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE occurrences SET capacity = $2 WHERE id = $1`, id, capacity); err != nil {
			if fault.KindOf(postgres.Classify(err)) == fault.Invalid {
				return errBookedMeanwhile
			}
			return err
		}
		if capacity > sl.Capacity && s.Promote != nil {
			if err := s.Promote(ctx, tx, id); err != nil {
				return err
			}
		}
		out, err = lockSlot(ctx, tx, councilID, id)
		return err
	})
	return out, err
}

// CancelOccurrence cancels one occurrence of the caller's council that has
// not started, with a reason young people will read. In the same
// transaction every young person with a live booking (confirmed or
// waitlisted) gets a notification and an email, their bookings are
// cancelled, and the counters are zeroed. Cancelling a cancelled occurrence
// changes nothing. Another council's occurrence is fault.NotFound.
func (s *Service) CancelOccurrence(ctx context.Context, councilID, id, reason string) (Slot, error) {
	reason = strings.TrimSpace(reason)
	switch n := len([]rune(reason)); {
	case n == 0:
		return Slot{}, fault.Field("reason", "Enter the reason, which young people who booked will see")
	case n > 500:
		return Slot{}, fault.Field("reason", "Reason must be 500 characters or fewer")
	}
	now := s.now()
	var out Slot
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var err error
		out, err = cancel(ctx, tx, councilID, id, reason, now)
		return err
	})
	return out, err
}

// CancelCentreSessions cancels every session still to come at a centre of
// councilID, as CancelOccurrence does one (bookers and the waiting list are
// told, with reason), in one transaction. It is how closing a centre takes
// its sessions off the timetable; running it again finds nothing left to
// cancel. It returns how many sessions it cancelled.
func (s *Service) CancelCentreSessions(ctx context.Context, councilID, centreID, reason string) (int, error) {
	now := s.now()
	n := 0
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		n = 0
		var ids []string
		if err := tx.SelectContext(ctx, &ids, `SELECT id FROM occurrences
			WHERE centre_id = $1 AND council_id = $2 AND status = 'scheduled' AND starts_at > $3 ORDER BY starts_at, id`,
			centreID, councilID, now); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := cancel(ctx, tx, councilID, id, reason, now); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// cancel is CancelOccurrence inside tx.
func cancel(ctx context.Context, tx *sqlx.Tx, councilID, id, reason string, now time.Time) (Slot, error) {
	sl, err := lockSlot(ctx, tx, councilID, id)
	if err != nil || sl.Status == "cancelled" {
		return sl, err
	}
	if !sl.StartsAt.After(now) {
		return sl, fault.Coded(fault.Invalid, "started", "This session has already started, so it can no longer be cancelled")
	}
	var what struct {
		Title  string `db:"title"`
		Centre string `db:"centre"`
	}
	if err := tx.GetContext(ctx, &what, `SELECT s.title, c.name AS centre FROM occurrences o
		JOIN session_series s ON s.id = o.series_id JOIN centres c ON c.id = o.centre_id WHERE o.id = $1`, id); err != nil {
		return sl, err
	}
	const bookers = `UPDATE bookings b SET status = 'cancelled', waitlist_seq = NULL, cancelled_at = $2, updated_at = $2
		FROM users u
		WHERE b.occurrence_id = $1 AND b.status IN ('confirmed', 'waitlisted') AND u.id = b.young_person_id
		RETURNING b.young_person_id, u.email, u.first_name`
	var people []struct {
		UserID    string  `db:"young_person_id"`
		Email     *string `db:"email"`
		FirstName string  `db:"first_name"`
	}
	if err := tx.SelectContext(ctx, &people, bookers, id, now); err != nil {
		return sl, fmt.Errorf("timetable: cancel bookings: %w", err)
	}
	when := schedule.SpokenWhen(sl.StartsAt)
	message := fmt.Sprintf("%s at %s on %s has been cancelled. The centre says: %s", what.Title, what.Centre, when, reason)
	for _, p := range people {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, kind, message) VALUES ($1, 'session_cancelled', $2)`,
			p.UserID, message); err != nil {
			return sl, fmt.Errorf("timetable: notify: %w", err)
		}
		if p.Email != nil {
			body := "Hello " + p.FirstName + ",\n\n" + message + "\n\nYour booking has been cancelled, so you do not need to do anything. " +
				"Sorry for the change.\n"
			if err := mail.Enqueue(ctx, tx, *p.Email, "Cancelled: "+what.Title+" on "+sl.StartsAt.Format("Monday 2 January"), body); err != nil {
				return sl, err
			}
		}
	}
	// The staff rostered on it are told too: their shift is off.
	var staff []struct {
		Email     *string `db:"email"`
		FirstName string  `db:"first_name"`
	}
	if err := tx.SelectContext(ctx, &staff, `WITH s AS (SELECT DISTINCT u.id, u.email, u.first_name FROM shifts sh JOIN users u ON u.id = sh.user_id
			WHERE sh.occurrence_id = $1 AND u.active), n AS (
			INSERT INTO notifications (user_id, kind, message) SELECT id, 'shift_cancelled', $2 FROM s)
		SELECT email, first_name FROM s ORDER BY id`, id,
		fmt.Sprintf("Your shift at %s at %s on %s is off: the session has been cancelled. The centre says: %s", what.Title, what.Centre, when, reason)); err != nil {
		return sl, fmt.Errorf("timetable: tell staff: %w", err)
	}
	for _, p := range staff {
		if p.Email == nil {
			continue
		}
		body := "Hello " + p.FirstName + ",\n\n" + message + "\n\nYou were on the rota for it, so that shift is off. " +
			"Your rota and its calendar show the change.\n"
		if err := mail.Enqueue(ctx, tx, *p.Email, "Shift off: "+what.Title+" on "+sl.StartsAt.Format("Monday 2 January"), body); err != nil {
			return sl, err
		}
	}
	const q = `UPDATE occurrences SET status = 'cancelled', cancelled_reason = $2, cancelled_at = $3, confirmed_count = 0, waitlist_count = 0
		WHERE id = $1`
	if _, err := tx.ExecContext(ctx, q, id, reason, now); err != nil {
		return sl, fmt.Errorf("timetable: cancel: %w", err)
	}
	return lockSlot(ctx, tx, councilID, id)
}

// placesAre says how many places are booked: "1 place is", "3 places are".
func placesAre(n int) string {
	if n == 1 {
		return "1 place is"
	}
	return fmt.Sprintf("%d places are", n)
}
