-- A young person's confirmed bookings by start time: the future-booking cap
-- and the overlap rule read them on every booking. Without this index the
-- planner reached for the EXCLUDE constraint's GiST index, whose equality
-- search over random uuids visits many pages: a booking took 3–8 ms in
-- PostgreSQL once a few tens of thousands of bookings existed (make bench),
-- against under 1 ms with this index.

-- +goose Up
CREATE INDEX bookings_person_confirmed_idx ON bookings (young_person_id, starts_at) WHERE status = 'confirmed';

-- +goose Down
DROP INDEX bookings_person_confirmed_idx;
