-- A new e-mail address takes effect only once a link sent to it is opened:
-- a mistyped address would otherwise receive a young person's booking
-- confirmations and their password-reset links. One pending change per
-- person; asking again replaces it.

-- +goose Up
CREATE TABLE email_changes (
    user_id     uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    new_email   citext NOT NULL,
    token_hash  bytea NOT NULL UNIQUE,
    asked_at    timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

-- +goose Down
DROP TABLE email_changes;
