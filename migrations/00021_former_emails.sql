-- The addresses a person used before changing it, kept only as long as the
-- outbox keeps e-mails (30 days, mail.Forget): so that erasing an account
-- also deletes what was sent to its old addresses (booking confirmations, the
-- "your address has changed" notice), not only to the current one.

-- +goose Up
CREATE TABLE former_emails (
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email       citext NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX former_emails_user_idx ON former_emails (user_id);
CREATE INDEX former_emails_changed_idx ON former_emails (changed_at);

-- +goose Down
DROP TABLE former_emails;
