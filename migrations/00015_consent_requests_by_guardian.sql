-- Consent requests by the address asked: no address gets more than a few a
-- day, whichever accounts ask (sign-ups naming a stranger's address would
-- otherwise make youthhub send them e-mail without end).

-- +goose Up
CREATE INDEX consent_requests_guardian_idx ON consent_requests (guardian_email, requested_at);

-- +goose Down
DROP INDEX consent_requests_guardian_idx;
