-- A password change or reset ends every other session at once: refresh
-- tokens were already revoked, and access tokens issued before this instant
-- (whole seconds, as a token's iat) are now refused too, instead of staying
-- valid for up to their 15 minutes.

-- +goose Up
ALTER TABLE users ADD COLUMN sessions_valid_from timestamptz;

-- +goose Down
ALTER TABLE users DROP COLUMN sessions_valid_from;
