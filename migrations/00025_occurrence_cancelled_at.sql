-- When a session was cancelled: the bookings cancelled with it share the
-- time, so that bringing the session back tells exactly those people (not
-- someone who had cancelled their own booking, nor anyone twice).

-- +goose Up
ALTER TABLE occurrences ADD COLUMN cancelled_at timestamptz;

-- +goose Down
ALTER TABLE occurrences DROP COLUMN cancelled_at;
