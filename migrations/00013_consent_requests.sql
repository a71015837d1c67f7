-- Every time a guardian is asked for consent: at sign-up, and when the young
-- person asks again (the e-mail went astray, the link expired, or the address
-- was mistyped). The log bounds how often one child's account can e-mail a
-- guardian: the same address once an hour, at most five requests a day.

-- +goose Up
CREATE TABLE consent_requests (
    young_person_id  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    guardian_email   citext NOT NULL,
    requested_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_requests_person_idx ON consent_requests (young_person_id, requested_at);
INSERT INTO consent_requests (young_person_id, guardian_email, requested_at)
SELECT young_person_id, guardian_email, requested_at FROM consents;

-- +goose Down
DROP TABLE consent_requests;
