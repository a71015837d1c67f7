-- Forgotten passwords: a single-use link e-mailed to the account's address.
-- Only the token's hash is kept. A link works once, for an hour; asking again
-- leaves earlier links working until they expire or one of them is used
-- (using one ends the rest). Rows go with the account, and are forgotten a
-- day after they expire.

-- +goose Up
CREATE TABLE password_resets (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash    bytea NOT NULL UNIQUE,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    CHECK (expires_at > requested_at)
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id, requested_at);

-- +goose Down
DROP TABLE password_resets;
