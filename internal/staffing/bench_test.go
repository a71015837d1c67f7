package staffing_test

import (
	"context"
	"testing"
	"time"

	"youthhub/internal/rota"
	"youthhub/internal/staffing"
	"youthhub/internal/testdb"
)

// BenchmarkPreviewAutoFillCouncilWeek is the figure end to end: a
// council with 40 centres, 1,000 occurrences in the week and 300 workers
// (with 16 weeks of history, 9,600 past shifts), read from PostgreSQL and
// auto-filled centre by centre. The target is under 2 s; the pure engine
// alone is internal/rota's BenchmarkAutoFillCouncilWeek.
func BenchmarkPreviewAutoFillCouncilWeek(b *testing.B) {
	db := testdb.New(b)
	ctx := context.Background()
	mon := time.Date(2027, 3, 8, 0, 0, 0, 0, rota.London())
	svc := &staffing.Service{DB: db, Now: func() time.Time { return mon.AddDate(0, 0, -7) }}
	var council string
	if err := db.Get(&council, `INSERT INTO councils (name) VALUES ('Benchmark Council') RETURNING id`); err != nil {
		b.Fatal(err)
	}
	steps := []string{
		`INSERT INTO centres (council_id, name, lat, lon, provider_type)
			SELECT $1, 'Centre ' || lpad(i::text, 2, '0'), 53.4 + i / 1000.0, -2.3, 'council' FROM generate_series(0, 39) i`,
		// This week's 1,000 occurrences, one series each.
		`WITH c AS (SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM centres WHERE council_id = $1),
		s AS (
			INSERT INTO session_series (council_id, centre_id, title, category, age_min, age_max, booking_mode, capacity, staff_ratio,
				days, start_local, duration_minutes, first_date)
			SELECT $1, c.id, 'Session ' || i, 'sport', 11, 18, CASE WHEN i % 3 = 0 THEN 'drop_in' ELSE 'bookable' END,
				CASE WHEN i % 5 = 0 THEN 4 + i % 13 ELSE 10 + i % 31 END, CASE WHEN i % 5 = 0 THEN 4 ELSE 10 END,
				ARRAY[((i / 40) % 7 + 1) % 7], lpad((10 + (i * 7) % 11)::text, 2, '0') || ':00', 60 + 30 * (i % 5), '2027-03-08'
			FROM generate_series(0, 999) i JOIN c ON c.n = i % 40
			RETURNING id, capacity, booking_mode, start_local, duration_minutes, days[1] AS dow, centre_id)
		INSERT INTO occurrences (series_id, council_id, centre_id, starts_at, ends_at, booking_mode, capacity, confirmed_count)
		SELECT s.id, $1, s.centre_id, t.st, t.st + make_interval(mins => s.duration_minutes), s.booking_mode, s.capacity,
			(hashtext(s.id::text) & 1023) % (s.capacity + 1)
		FROM s, LATERAL (SELECT (('2027-03-08'::date + ((s.dow + 6) % 7)) + s.start_local::time) AT TIME ZONE 'Europe/London' AS st) t`,
		// 300 workers: ages 17 to 60, every sixth a JNC 3 lead, every fourth a first-aider.
		`INSERT INTO users (role, council_id, first_name, last_name, date_of_birth)
			SELECT 'youth_worker', $1, 'Worker', lpad(n::text, 3, '0'), '2027-03-01'::date - make_interval(years => 17 + n % 44) - interval '40 days'
			FROM generate_series(0, 299) n`,
		`INSERT INTO staff_records (user_id, council_id, qualification, dbs_next_check_due, dbs_enhanced, dbs_barred_list_checked,
				first_aid_expires, safeguarding_expires, contracted_hours, volunteer)
			SELECT u.id, $1, (ARRAY['none','none','jnc2','jnc3','jnc3','jnc6plus'])[u.last_name::int % 6 + 1],
				'2027-03-08'::date + (30 + u.last_name::int * 3), true, true,
				CASE WHEN u.last_name::int % 4 = 0 THEN '2028-01-01'::date END, '2028-06-01', (ARRAY[0, 10, 16, 22.5, 37, 37])[u.last_name::int % 6 + 1],
				u.last_name::int % 15 = 0
			FROM users u WHERE u.council_id = $1 AND u.role = 'youth_worker'`,
		// Two in three workers usually work at one to three centres.
		`INSERT INTO staff_centres (user_id, centre_id, council_id)
			SELECT DISTINCT u.id, c.id, $1 FROM users u
			CROSS JOIN generate_series(0, 2) k
			JOIN (SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM centres WHERE council_id = $1) c ON c.n = (u.last_name::int + k * 7) % 40
			WHERE u.council_id = $1 AND u.role = 'youth_worker' AND u.last_name::int % 3 <> 0 AND k <= u.last_name::int % 3`,
		// Every fourth worker gives weekday-evening availability; every tenth is on leave on the Wednesday.
		`INSERT INTO availability (user_id, weekday, from_time, to_time)
			SELECT u.id, d, '16:00', '22:00' FROM users u CROSS JOIN generate_series(1, 5) d
			WHERE u.council_id = $1 AND u.role = 'youth_worker' AND u.last_name::int % 4 = 1`,
		`INSERT INTO leave (user_id, from_date, to_date)
			SELECT u.id, '2027-03-10', '2027-03-10' FROM users u WHERE u.council_id = $1 AND u.role = 'youth_worker' AND u.last_name::int % 10 = 0`,
		// History: 16 weeks, an evening session at every centre every day, each worker on two of them a week.
		`WITH c AS (SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM centres WHERE council_id = $1),
		s AS (
			INSERT INTO session_series (council_id, centre_id, title, category, age_min, age_max, booking_mode, capacity, days, start_local, duration_minutes, first_date)
			SELECT $1, c.id, 'Evening club', 'other', 11, 18, 'drop_in', 30, '{0,1,2,3,4,5,6}', '18:00', 120, '2026-11-16' FROM c
			RETURNING id, centre_id)
		INSERT INTO occurrences (series_id, council_id, centre_id, starts_at, ends_at, booking_mode, capacity)
		SELECT s.id, $1, s.centre_id, t.st, t.st + interval '2 hours', 'drop_in', 30
		FROM s CROSS JOIN generate_series(1, 112) d,
			LATERAL (SELECT (('2027-03-08'::date - d) + time '18:00') AT TIME ZONE 'Europe/London' AS st) t`,
		`INSERT INTO shifts (occurrence_id, council_id, user_id, role, starts_at, ends_at)
			SELECT o.id, $1, u.id, 'worker', o.starts_at, o.ends_at
			FROM users u
			JOIN (SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM centres WHERE council_id = $1) c ON c.n = u.last_name::int % 40
			JOIN occurrences o ON o.centre_id = c.id AND o.booking_mode = 'drop_in' AND o.starts_at < '2027-03-08'
				AND extract(isodow FROM o.starts_at AT TIME ZONE 'Europe/London')::int IN (u.last_name::int % 7 + 1, (u.last_name::int + 3) % 7 + 1)
			WHERE u.council_id = $1 AND u.role = 'youth_worker'`,
		`ANALYZE`,
	}
	for i, q := range steps {
		if q == `ANALYZE` {
			if _, err := db.Exec(q); err != nil {
				b.Fatalf("step %d: %v", i, err)
			}
			continue
		}
		if _, err := db.Exec(q, council); err != nil {
			b.Fatalf("step %d: %v", i, err)
		}
	}
	var occs, past int
	if err := db.Get(&occs, `SELECT count(*) FROM occurrences WHERE starts_at >= '2027-03-08' AND council_id = $1`, council); err != nil {
		b.Fatal(err)
	}
	if err := db.Get(&past, `SELECT count(*) FROM shifts WHERE council_id = $1`, council); err != nil {
		b.Fatal(err)
	}
	if occs != 1000 || past < 9000 {
		b.Fatalf("set-up: %d occurrences this week, %d past shifts", occs, past)
	}
	in := staffing.AutoFillInput{WeekStart: "2027-03-08"}
	var p staffing.Proposal
	for b.Loop() {
		var err error
		if p, err = svc.PreviewAutoFill(ctx, council, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(p.Shifts)), "shifts")
	b.ReportMetric(float64(len(p.Unfilled)), "unfilled")
}
