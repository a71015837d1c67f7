-- An e-mail about a young person sent to someone else (their guardian's
-- consent request) names the young person it is about, so that erasing the
-- young person's account finds it even after their first name or consent
-- link has changed.

-- +goose Up
ALTER TABLE outbox ADD COLUMN about_user_id uuid;
CREATE INDEX outbox_about_idx ON outbox (about_user_id) WHERE about_user_id IS NOT NULL;

-- +goose Down
DROP INDEX outbox_about_idx;
ALTER TABLE outbox DROP COLUMN about_user_id;
