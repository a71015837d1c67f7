package timetable

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/mail"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/schedule"
)

const seriesColumns = `s.id, s.council_id, s.centre_id, c.name AS centre_name, s.title, s.description, s.what_to_bring, s.category,
	s.age_min, s.age_max, s.send, s.booking_mode, s.capacity, s.staff_ratio, s.days, s.start_local, s.duration_minutes,
	to_char(s.first_date, 'YYYY-MM-DD') AS first_date, to_char(s.last_date, 'YYYY-MM-DD') AS last_date,
	ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(s.exceptions) AS d ORDER BY d) AS exceptions,
	s.booking_window_days, s.generated_until, s.created_at, s.updated_at`

var errSeriesNotFound = fault.New(fault.NotFound, "Session series not found")

// findSeries loads one series of a council; lock takes the row lock.
func findSeries(ctx context.Context, q sqlx.QueryerContext, councilID, id string, lock bool) (Series, error) {
	query := `SELECT ` + seriesColumns + ` FROM session_series s JOIN centres c ON c.id = s.centre_id
		WHERE s.id = $1 AND s.council_id = $2`
	if lock {
		query += ` FOR UPDATE OF s`
	}
	var sr Series
	err := sqlx.GetContext(ctx, q, &sr, query, id, councilID)
	if errors.Is(err, sql.ErrNoRows) {
		return Series{}, errSeriesNotFound
	}
	return sr, err
}

// FindSeriesByID returns one series of the caller's council, or
// fault.NotFound (also for another council's series).
func (s *Service) FindSeriesByID(ctx context.Context, councilID, id string) (Series, error) {
	return findSeries(ctx, s.DB, councilID, id, false)
}

// SeriesFilter narrows FindSeries.
type SeriesFilter struct {
	CentreID      string // optional
	Limit, Offset int
}

// FindSeries lists a council's series, by centre then title, with the total
// before paging.
func (s *Service) FindSeries(ctx context.Context, councilID string, f SeriesFilter) ([]Series, int, error) {
	const where = ` FROM session_series s JOIN centres c ON c.id = s.centre_id
		WHERE s.council_id = $1 AND ($2 = '' OR s.centre_id::text = $2)`
	var total int
	if err := s.DB.GetContext(ctx, &total, `SELECT count(*)`+where, councilID, f.CentreID); err != nil {
		return nil, 0, err
	}
	out := []Series{}
	err := s.DB.SelectContext(ctx, &out, `SELECT `+seriesColumns+where+` ORDER BY c.name, s.title, s.id LIMIT $3 OFFSET $4`,
		councilID, f.CentreID, f.Limit, f.Offset)
	return out, total, err
}

// CreateSeries adds a series at a centre of the caller's council and
// generates its occurrences up to the horizon, in one transaction. Bad input
// is a fault.Invalid naming every field; a centre of another council is
// fault.NotFound; a closed centre is refused.
func (s *Service) CreateSeries(ctx context.Context, councilID, createdBy string, in Input) (Series, error) {
	var out Series
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var err error
		out, err = s.CreateSeriesIn(ctx, tx, councilID, createdBy, in)
		return err
	})
	return out, err
}

// CreateSeriesIn is CreateSeries inside tx, which the caller commits (the
// API's Idempotency-Key handling stores the answer in the same transaction).
func (s *Service) CreateSeriesIn(ctx context.Context, tx *sqlx.Tx, councilID, createdBy string, in Input) (Series, error) {
	sr := Series{
		CouncilID: councilID, CentreID: in.CentreID, Title: in.Title, Description: in.Description, WhatToBring: in.WhatToBring,
		Category: in.Category, AgeMin: in.AgeMin, AgeMax: in.AgeMax, Send: in.Send, BookingMode: in.BookingMode,
		Capacity: in.Capacity, StaffRatio: in.StaffRatio, Days: in.Days, StartTime: in.StartTime, DurationMinutes: in.DurationMinutes,
		FirstDate: in.FirstDate, LastDate: in.LastDate, Exceptions: in.Exceptions, BookingWindowDays: in.BookingWindowDays,
	}
	if sr.Exceptions == nil {
		sr.Exceptions = pq.StringArray{}
	}
	err := check(&sr)
	extra := []fault.FieldError{}
	if _, perr := uuid.Parse(in.CentreID); perr != nil {
		extra = append(extra, fault.FieldError{Field: "centre_id", Message: "Choose the centre where the session runs"})
	}
	// A new series starts within a year either side of today: a club that
	// has run since last term, or one planned for next year; 1900 and 9999
	// are typing slips.
	if first, perr := schedule.ParseDate(in.FirstDate); perr == nil {
		today := s.now().In(schedule.London())
		if first.Before(schedule.DateOf(today.AddDate(-1, 0, 0))) || first.After(schedule.DateOf(today.AddDate(1, 0, 0))) {
			extra = append(extra, fault.FieldError{Field: "first_date", Message: "The first date must be within a year of today"})
		}
	}
	for _, fe := range extra {
		if e, ok := fault.As(err); ok {
			e.Fields = append([]fault.FieldError{fe}, e.Fields...)
		} else {
			err = fault.Fields(fe)
		}
	}
	if err != nil {
		return Series{}, err
	}
	var by *string
	if createdBy != "" {
		by = &createdBy
	}
	now := s.now()
	var centre struct {
		CouncilID string `db:"council_id"`
		Status    string `db:"status"`
	}
	err = tx.GetContext(ctx, &centre, `SELECT council_id, status FROM centres WHERE id = $1 FOR SHARE`, sr.CentreID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && centre.CouncilID != councilID) {
		return Series{}, fault.New(fault.NotFound, "Centre not found")
	}
	if err != nil {
		return Series{}, err
	}
	if centre.Status == "closed" {
		return Series{}, fault.Field("centre_id", "This centre is closed: choose an open centre")
	}
	if centre.Status == "planned" {
		return Series{}, fault.Field("centre_id", "This centre is only planned: sessions can start there once it is open")
	}
	const insert = `INSERT INTO session_series (council_id, centre_id, title, description, what_to_bring, category, age_min, age_max,
		send, booking_mode, capacity, staff_ratio, days, start_local, duration_minutes, first_date, last_date, exceptions,
		booking_window_days, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::date, $17::date, $18::date[], $19, $20)
		RETURNING id`
	if err := tx.GetContext(ctx, &sr.ID, insert, councilID, sr.CentreID, sr.Title, sr.Description, sr.WhatToBring, sr.Category,
		sr.AgeMin, sr.AgeMax, sr.Send, sr.BookingMode, sr.Capacity, sr.StaffRatio, sr.Days, sr.StartTime, sr.DurationMinutes,
		sr.FirstDate, sr.LastDate, sr.Exceptions, sr.BookingWindowDays, by); err != nil {
		return Series{}, postgres.Classify(err)
	}
	if _, err := generate(ctx, tx, sr, now, now.Add(s.horizon())); err != nil {
		return Series{}, err
	}
	return findSeries(ctx, tx, councilID, sr.ID, false)
}

// generate stores the occurrences of sr that start in [from, to), skipping
// any already stored, and moves generated_until on to to. It returns how
// many it added.
func generate(ctx context.Context, tx *sqlx.Tx, sr Series, from, to time.Time) (int64, error) {
	var added int64
	if occ := schedule.Occurrences(sr.rule(), from, to); len(occ) > 0 {
		starts, ends := make(pq.StringArray, len(occ)), make(pq.StringArray, len(occ))
		for i, o := range occ {
			starts[i], ends[i] = o.StartsAt.Format(time.RFC3339), o.EndsAt.Format(time.RFC3339)
		}
		const q = `INSERT INTO occurrences (series_id, council_id, centre_id, starts_at, ends_at, booking_mode, capacity)
			SELECT $1, $2, $3, t.starts_at, t.ends_at, $4, $5 FROM unnest($6::timestamptz[], $7::timestamptz[]) AS t (starts_at, ends_at)
			ON CONFLICT (series_id, starts_at) DO NOTHING`
		res, err := tx.ExecContext(ctx, q, sr.ID, sr.CouncilID, sr.CentreID, sr.BookingMode, sr.Capacity, starts, ends)
		if err != nil {
			return 0, fmt.Errorf("timetable: generate: %w", err)
		}
		added, _ = res.RowsAffected()
	}
	const mark = `UPDATE session_series SET generated_until = greatest(generated_until, $2) WHERE id = $1`
	if _, err := tx.ExecContext(ctx, mark, sr.ID, to); err != nil {
		return 0, fmt.Errorf("timetable: generate: %w", err)
	}
	return added, nil
}

// UpdateSeries changes a series of the caller's council (see the package
// comment for what an edit does to its occurrences), in one transaction.
// Bad input is a fault.Invalid naming every field, and so is a capacity
// below the places already booked on a future occurrence.
func (s *Service) UpdateSeries(ctx context.Context, councilID, id string, u Update) (Series, error) {
	now := s.now()
	var out Series
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		old, err := findSeries(ctx, tx, councilID, id, true)
		if err != nil {
			return err
		}
		sr := old
		sr.Exceptions = slices.Clone(old.Exceptions)
		apply(&sr, u)
		if err := check(&sr); err != nil {
			return err
		}
		if sr.Capacity != old.Capacity {
			if err := s.changeCapacity(ctx, tx, sr, old.Capacity, now); err != nil {
				return err
			}
		}
		const q = `UPDATE session_series SET title = $3, description = $4, what_to_bring = $5, category = $6, age_min = $7, age_max = $8,
			send = $9, capacity = $10, staff_ratio = $11, last_date = $12::date, exceptions = $13::date[], booking_window_days = $14,
			updated_at = $15
			WHERE id = $1 AND council_id = $2`
		if _, err := tx.ExecContext(ctx, q, id, councilID, sr.Title, sr.Description, sr.WhatToBring, sr.Category, sr.AgeMin, sr.AgeMax,
			sr.Send, sr.Capacity, sr.StaffRatio, sr.LastDate, sr.Exceptions, sr.BookingWindowDays, now); err != nil {
			return postgres.Classify(err)
		}
		if err := reconcile(ctx, tx, sr, now, s.horizon()); err != nil {
			return err
		}
		out, err = findSeries(ctx, tx, councilID, id, false)
		return err
	})
	return out, err
}

// apply copies the fields an update sets.
func apply(sr *Series, u Update) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	setInt := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	set(&sr.Title, u.Title)
	set(&sr.Description, u.Description)
	set(&sr.WhatToBring, u.WhatToBring)
	set(&sr.Category, u.Category)
	setInt(&sr.AgeMin, u.AgeMin)
	setInt(&sr.AgeMax, u.AgeMax)
	setInt(&sr.Capacity, u.Capacity)
	setInt(&sr.StaffRatio, u.StaffRatio)
	setInt(&sr.BookingWindowDays, u.BookingWindowDays)
	if u.Send != nil {
		sr.Send = *u.Send
	}
	if u.LastDate.Set {
		sr.LastDate = u.LastDate.Value
		if u.LastDate.bad {
			notADate := "not a date"
			sr.LastDate = &notADate // check names the field
		}
	}
	if u.Exceptions != nil {
		sr.Exceptions = append(pq.StringArray{}, *u.Exceptions...)
	}
}

// changeCapacity gives future occurrences that had the old series capacity
// the new one, refusing when one already has more confirmed bookings.
func (s *Service) changeCapacity(ctx context.Context, tx *sqlx.Tx, sr Series, oldCapacity int, now time.Time) error {
	const full = `SELECT starts_at, confirmed_count FROM occurrences
		WHERE series_id = $1 AND starts_at > $2 AND status = 'scheduled' AND capacity = $3 AND confirmed_count > $4
		ORDER BY starts_at LIMIT 1 FOR UPDATE`
	var busy struct {
		StartsAt  time.Time `db:"starts_at"`
		Confirmed int       `db:"confirmed_count"`
	}
	err := tx.GetContext(ctx, &busy, full, sr.ID, now, oldCapacity, sr.Capacity)
	if err == nil {
		return fault.Field("capacity", fmt.Sprintf("%s already booked for the session on %s, so the capacity cannot be less than %d",
			placesAre(busy.Confirmed), spokenDate(busy.StartsAt), busy.Confirmed))
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	const q = `UPDATE occurrences SET capacity = $4
		WHERE series_id = $1 AND starts_at > $2 AND status = 'scheduled' AND capacity = $3 RETURNING id`
	var ids []string
	if err := tx.SelectContext(ctx, &ids, q, sr.ID, now, oldCapacity, sr.Capacity); err != nil {
		if fault.KindOf(postgres.Classify(err)) == fault.Invalid {
			return errBookedMeanwhile
		}
		return err
	}
	if sr.Capacity > oldCapacity && s.Promote != nil {
		for _, id := range ids {
			if err := s.Promote(ctx, tx, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// removedReason is what young people are told when a change to a series
// takes away a session they had booked.
const removedReason = "The centre has changed the dates of this session, and it no longer runs on this day"

// reconcile makes the future occurrences up to generated_until match the
// rule: ones it no longer produces are deleted when nobody ever booked them
// and cancelled otherwise; ones it produces and that are missing are added.
func reconcile(ctx context.Context, tx *sqlx.Tx, sr Series, now time.Time, horizon time.Duration) error {
	until := now.Add(horizon)
	if sr.GeneratedUntil != nil && sr.GeneratedUntil.After(until) {
		until = *sr.GeneratedUntil
	}
	keep := pq.StringArray{}
	for _, o := range schedule.Occurrences(sr.rule(), now, until) {
		keep = append(keep, o.StartsAt.Format(time.RFC3339))
	}
	const drop = `DELETE FROM occurrences o
		WHERE o.series_id = $1 AND o.starts_at > $2 AND o.status = 'scheduled' AND o.starts_at <> ALL ($3::timestamptz[])
		  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.occurrence_id = o.id)`
	if _, err := tx.ExecContext(ctx, drop, sr.ID, now, keep); err != nil {
		return fmt.Errorf("timetable: reconcile: %w", err)
	}
	const booked = `SELECT o.id FROM occurrences o
		WHERE o.series_id = $1 AND o.starts_at > $2 AND o.status = 'scheduled' AND o.starts_at <> ALL ($3::timestamptz[])
		ORDER BY o.starts_at`
	var ids []string
	if err := tx.SelectContext(ctx, &ids, booked, sr.ID, now, keep); err != nil {
		return fmt.Errorf("timetable: reconcile: %w", err)
	}
	for _, id := range ids {
		if _, err := cancel(ctx, tx, sr.CouncilID, id, removedReason, now); err != nil {
			return err
		}
	}
	if err := restore(ctx, tx, sr, now, keep); err != nil {
		return err
	}
	_, err := generate(ctx, tx, sr, now, until)
	return err
}

// restore schedules again the future occurrences that an earlier change of
// dates cancelled (removedReason) and that the rule now produces again: a
// manager who undoes an end date or an exception gets the sessions back.
// Places are open again; those whose bookings the removal cancelled, and the
// staff still on its rota, are told. A session cancelled on its own, for a
// reason the manager gave, stays cancelled.
func restore(ctx context.Context, tx *sqlx.Tx, sr Series, now time.Time, keep pq.StringArray) error {
	const q = `WITH was AS (
		SELECT o.id, o.cancelled_at FROM occurrences o
		WHERE o.series_id = $1 AND o.starts_at > $2 AND o.status = 'cancelled' AND o.cancelled_reason = $3
		  AND o.starts_at = ANY ($4::timestamptz[])
		FOR UPDATE
	), back AS (
		UPDATE occurrences o SET status = 'scheduled', cancelled_reason = NULL, cancelled_at = NULL
		FROM was WHERE o.id = was.id
		RETURNING o.id, o.starts_at, was.cancelled_at
	), told AS (
		-- The bookings the removal cancelled: at the very time it cancelled the session.
		SELECT back.starts_at, b.young_person_id AS user_id, true AS booker FROM back JOIN bookings b ON b.occurrence_id = back.id
		WHERE b.status = 'cancelled' AND b.cancelled_at = back.cancelled_at
		UNION
		SELECT back.starts_at, sh.user_id, false FROM back JOIN shifts sh ON sh.occurrence_id = back.id
	)
	SELECT told.starts_at, told.booker, u.id AS user_id, u.email, u.first_name
	FROM told JOIN users u ON u.id = told.user_id AND u.active ORDER BY told.starts_at, u.id`
	var people []struct {
		StartsAt  time.Time `db:"starts_at"`
		Booker    bool      `db:"booker"`
		UserID    string    `db:"user_id"`
		Email     *string   `db:"email"`
		FirstName string    `db:"first_name"`
	}
	if err := tx.SelectContext(ctx, &people, q, sr.ID, now, removedReason, keep); err != nil {
		return fmt.Errorf("timetable: restore: %w", err)
	}
	var centre string
	if len(people) > 0 {
		if err := tx.GetContext(ctx, &centre, `SELECT name FROM centres WHERE id = $1`, sr.CentreID); err != nil {
			return err
		}
	}
	for _, p := range people {
		when := schedule.SpokenWhen(p.StartsAt)
		kind, message, after := "session_restored",
			fmt.Sprintf("%s at %s on %s is back on: the centre has changed its dates again.", sr.Title, centre, when),
			"Your booking was cancelled when it was taken off, so if you still want to go, book again."
		if !p.Booker {
			kind, after = "shift_restored", "You are on the rota for it again."
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, kind, message) VALUES ($1, $2, $3)`,
			p.UserID, kind, message+" "+after); err != nil {
			return fmt.Errorf("timetable: restore: %w", err)
		}
		if p.Email != nil {
			body := "Hello " + p.FirstName + ",\n\n" + message + "\n\n" + after + "\n"
			if err := mail.Enqueue(ctx, tx, *p.Email, "Back on: "+sr.Title+" on "+spokenDate(p.StartsAt), body); err != nil {
				return err
			}
		}
	}
	return nil
}

// spokenDate is a start time as people say it: "Tuesday 30 March".
func spokenDate(t time.Time) string {
	return t.In(schedule.London()).Format("Monday 2 January")
}
