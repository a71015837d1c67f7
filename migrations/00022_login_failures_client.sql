-- A failed sign-in is counted against the account and the client address it
-- came from (or "signed-in" for a password re-check inside a session). Ten
-- wrong passwords from one place lock the account only there, so that nobody
-- can lock a youth worker out before a session by typing their address
-- somewhere else; a much higher count over all places still locks the account
-- everywhere, against guessing spread over many addresses.

-- +goose Up
ALTER TABLE login_failures ADD COLUMN client text NOT NULL DEFAULT '';
CREATE INDEX login_failures_client_idx ON login_failures (email, client, failed_at);

-- +goose Down
DROP INDEX login_failures_client_idx;
ALTER TABLE login_failures DROP COLUMN client;
