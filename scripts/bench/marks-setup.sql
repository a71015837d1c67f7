-- Fixture of the register benchmark ("one mark per request"), on a migrated
-- youthhub database. Idempotent: running it again keeps everything and moves
-- the session so that it started 30 minutes ago (marks are accepted from 2 h
-- before the start until 7 days after the end).
--
--   psql "$BDB" -q -f scripts/bench/marks-setup.sql
--
-- It makes one council, one centre manager (may keep any register of the
-- council, so no shift is needed), one bookable session and 1,000 young people
-- of 15 with a confirmed place. Young person k (1..1000) has the id
-- md5('bench-register-' || k)::uuid — in Go: uuid.UUID(md5.Sum([]byte(fmt.Sprintf("bench-register-%d", k)))).
--
-- The request, one mark each (sign an access token for the manager's id with
-- the server's JWT key; `loadgen run -mode marks` sends exactly this):
--
--   POST /api/v1/sessions/00000000-0000-4000-8000-0000000000c5/register/marks
--   Authorization: Bearer <access token, sub = 00000000-0000-4000-8000-00000000a001>
--   Content-Type: application/json
--
--   {"device_id":"bench-7","marks":[{"client_id":"<a new random UUID>",
--    "young_person_id":"<person k's id>","status":"present","recorded_at":"<now, RFC 3339>"}]}
--
-- → 200 {"results":[{"client_id":"…","outcome":"stored"}],"stored":1,"superseded":0,"duplicate":0,"refused":0}
-- (superseded instead of stored when a later mark of that person is already in).
-- The raw PostgreSQL counterpart is scripts/bench/marks.sql.
INSERT INTO councils (id, name, lad_code)
VALUES ('00000000-0000-4000-8000-00000000c001', 'Bench Register Council', 'E99999998')
ON CONFLICT DO NOTHING;

INSERT INTO users (id, role, council_id, first_name, last_name, date_of_birth)
VALUES ('00000000-0000-4000-8000-00000000a001', 'centre_manager', '00000000-0000-4000-8000-00000000c001', 'Bench', 'Manager', '1990-01-01')
ON CONFLICT DO NOTHING;

INSERT INTO centres (id, council_id, name, lat, lon, provider_type)
VALUES ('00000000-0000-4000-8000-0000000000ce', '00000000-0000-4000-8000-00000000c001', 'Bench Register Centre', 53.45, -2.3, 'council')
ON CONFLICT DO NOTHING;

INSERT INTO session_series (id, council_id, centre_id, title, category, age_min, age_max, booking_mode, capacity,
                            days, start_local, duration_minutes, first_date)
VALUES ('00000000-0000-4000-8000-0000000000a5', '00000000-0000-4000-8000-00000000c001', '00000000-0000-4000-8000-0000000000ce',
        'Bench register', 'sport', 11, 19, 'bookable', 1000, '{1}', '18:00', 720, current_date)
ON CONFLICT DO NOTHING;

INSERT INTO occurrences (id, series_id, council_id, centre_id, starts_at, ends_at, booking_mode, capacity)
VALUES ('00000000-0000-4000-8000-0000000000c5', '00000000-0000-4000-8000-0000000000a5', '00000000-0000-4000-8000-00000000c001',
        '00000000-0000-4000-8000-0000000000ce', now() - interval '30 minutes', now() + interval '12 hours', 'bookable', 1000)
ON CONFLICT (id) DO UPDATE SET starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, register_closed_at = NULL;

INSERT INTO users (id, role, first_name, last_name, date_of_birth, postcode)
SELECT md5('bench-register-' || k)::uuid, 'young_person', 'Bench' || k, 'Person', current_date - interval '15 years', 'M32 0JG'
FROM generate_series(1, 1000) k
ON CONFLICT DO NOTHING;

INSERT INTO bookings (occurrence_id, young_person_id, status, starts_at, ends_at)
SELECT o.id, md5('bench-register-' || k)::uuid, 'confirmed', o.starts_at, o.ends_at
FROM generate_series(1, 1000) k, occurrences o
WHERE o.id = '00000000-0000-4000-8000-0000000000c5'
  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.occurrence_id = o.id AND b.young_person_id = md5('bench-register-' || k)::uuid);

UPDATE occurrences SET confirmed_count = (
    SELECT count(*) FROM bookings WHERE occurrence_id = '00000000-0000-4000-8000-0000000000c5' AND status IN ('confirmed','attended'))
WHERE id = '00000000-0000-4000-8000-0000000000c5';
