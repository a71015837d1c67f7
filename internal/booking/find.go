package booking

import (
	"context"
	"time"

	"youthhub/internal/platform/postgres"
)

// Session is the occurrence a booking is for, as a young person sees it.
type Session struct {
	ID             string    `db:"s_id"`
	SeriesID       string    `db:"s_series_id"`
	CentreID       string    `db:"s_centre_id"`
	CentreName     string    `db:"s_centre_name"`
	CentreAddress  string    `db:"s_centre_address"`
	Title          string    `db:"s_title"`
	Category       string    `db:"s_category"`
	StartsAt       time.Time `db:"s_starts_at"`
	EndsAt         time.Time `db:"s_ends_at"`
	BookingMode    string    `db:"s_booking_mode"`
	AgeMin         int       `db:"s_age_min"`
	AgeMax         int       `db:"s_age_max"`
	Capacity       int       `db:"s_capacity"`
	SpacesLeft     *int      `db:"s_spaces_left"`
	WaitlistLength int       `db:"s_waitlist_length"`
	Status         string    `db:"s_status"`
	// CancelledReason is what the centre said when it cancelled the session.
	CancelledReason *string `db:"s_cancelled_reason"`
}

// Item is a booking with its session.
type Item struct {
	Booking
	Session
}

const itemSQL = `
SELECT b.id, b.occurrence_id, b.young_person_id, b.status, b.created_at,
       CASE WHEN b.status = 'waitlisted' THEN (SELECT count(*) FROM bookings w WHERE w.occurrence_id = b.occurrence_id
            AND w.status = 'waitlisted' AND w.waitlist_seq <= b.waitlist_seq)::int END AS waitlist_position,
       o.id AS s_id, o.series_id AS s_series_id, o.centre_id AS s_centre_id, c.name AS s_centre_name, c.address AS s_centre_address,
       s.title AS s_title, s.category AS s_category, o.starts_at AS s_starts_at, o.ends_at AS s_ends_at,
       o.booking_mode AS s_booking_mode, s.age_min AS s_age_min, s.age_max AS s_age_max, o.capacity AS s_capacity,
       CASE WHEN o.booking_mode = 'bookable' THEN GREATEST(0, LEAST(o.capacity, coalesce(o.staffed_limit, o.capacity)) - o.confirmed_count) END AS s_spaces_left,
       o.waitlist_count AS s_waitlist_length, o.status AS s_status, o.cancelled_reason AS s_cancelled_reason
FROM bookings b
JOIN occurrences o ON o.id = b.occurrence_id
JOIN session_series s ON s.id = o.series_id
JOIN centres c ON c.id = o.centre_id`

// FindBookings lists a young person's bookings: upcoming first by start
// time, then past ones most recent first.
func (s *Service) FindBookings(ctx context.Context, youngPersonID string, limit, offset int) ([]Item, int, error) {
	var total int
	if err := s.DB.GetContext(ctx, &total, `SELECT count(*) FROM bookings WHERE young_person_id = $1`, youngPersonID); err != nil {
		return nil, 0, err
	}
	out := []Item{}
	err := s.DB.SelectContext(ctx, &out, itemSQL+`
WHERE b.young_person_id = $1
ORDER BY (o.ends_at < $2), CASE WHEN o.ends_at >= $2 THEN o.starts_at END, o.starts_at DESC
LIMIT $3 OFFSET $4`, youngPersonID, s.Now(), limit, offset)
	return out, total, err
}

// FindBookingByID returns one of a young person's bookings; another
// person's booking is not found.
func (s *Service) FindBookingByID(ctx context.Context, youngPersonID, id string) (Item, error) {
	var it Item
	err := s.DB.GetContext(ctx, &it, itemSQL+` WHERE b.id = $1 AND b.young_person_id = $2`, id, youngPersonID)
	return it, postgres.Classify(err)
}

// Notification is an in-app message.
type Notification struct {
	ID        string     `db:"id" json:"id"`
	Kind      string     `db:"kind" json:"kind"`
	Message   string     `db:"message" json:"message"`
	CreatedAt time.Time  `db:"created_at" json:"created_at"`
	ReadAt    *time.Time `db:"read_at" json:"read_at"`
}

// FindNotifications lists a user's notifications, newest first.
func (s *Service) FindNotifications(ctx context.Context, userID string, limit, offset int) ([]Notification, int, error) {
	var total int
	if err := s.DB.GetContext(ctx, &total, `SELECT count(*) FROM notifications WHERE user_id = $1`, userID); err != nil {
		return nil, 0, err
	}
	out := []Notification{}
	err := s.DB.SelectContext(ctx, &out, `SELECT id, kind, message, created_at, read_at FROM notifications
		WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`, userID, limit, offset)
	return out, total, err
}

// MarkNotificationsRead marks all of a user's notifications read.
func (s *Service) MarkNotificationsRead(ctx context.Context, userID string) error {
	_, err := s.DB.ExecContext(ctx, `UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL`, userID, s.Now())
	return err
}

// FindLiveFutureBookingIDs lists a young person's confirmed and waitlisted
// bookings of sessions that have not started.
func (s *Service) FindLiveFutureBookingIDs(ctx context.Context, youngPersonID string) ([]string, error) {
	var ids []string
	err := s.DB.SelectContext(ctx, &ids, `SELECT id FROM bookings WHERE young_person_id = $1
		AND status IN ('confirmed','waitlisted') AND starts_at > $2 ORDER BY starts_at`, youngPersonID, s.Now())
	return ids, err
}

// Holder is a young person holding a place, or waiting for one, at an
// occurrence, as the session's staff see them: names and where they stand,
// nothing more.
type Holder struct {
	BookingID        string    `db:"booking_id" json:"booking_id"`
	YoungPersonID    string    `db:"young_person_id" json:"young_person_id"`
	FirstName        string    `db:"first_name" json:"first_name"`
	LastName         string    `db:"last_name" json:"last_name"`
	Status           string    `db:"status" json:"status"`
	WaitlistPosition *int      `db:"waitlist_position" json:"waitlist_position"`
	BookedAt         time.Time `db:"created_at" json:"booked_at"`
}

// FindHolders lists an occurrence's live bookings for its staff (the caller
// checks they may see them): places first, in the order they were booked,
// then the waiting list in its order, each with their position.
func (s *Service) FindHolders(ctx context.Context, occurrenceID string) ([]Holder, error) {
	const q = `SELECT b.id AS booking_id, b.young_person_id, u.first_name, u.last_name, b.status, b.created_at,
		CASE WHEN b.status = 'waitlisted' THEN row_number() OVER (PARTITION BY b.status = 'waitlisted' ORDER BY b.waitlist_seq) END AS waitlist_position
		FROM bookings b JOIN users u ON u.id = b.young_person_id
		WHERE b.occurrence_id = $1 AND b.status IN ('confirmed', 'attended', 'no_show', 'waitlisted')
		ORDER BY b.status = 'waitlisted', b.waitlist_seq, b.created_at, b.id`
	out := []Holder{}
	err := s.DB.SelectContext(ctx, &out, q, occurrenceID)
	return out, err
}
