-- Core tables: councils, accounts, tokens, throttling, invitations, outbox, audit, idempotency.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE councils (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                   text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    lad_code               text UNIQUE,
    coverage_threshold_km  double precision NOT NULL DEFAULT 2.0 CHECK (coverage_threshold_km > 0 AND coverage_threshold_km <= 50),
    min_weekly_hours       double precision NOT NULL DEFAULT 10 CHECK (min_weekly_hours >= 0),
    created_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    role           text NOT NULL CHECK (role IN ('young_person','guardian','youth_worker','centre_manager','council_officer','admin')),
    council_id     uuid REFERENCES councils(id),
    email          citext UNIQUE,
    password_hash  text,
    first_name     text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name      text NOT NULL DEFAULT '' CHECK (length(last_name) <= 100),
    date_of_birth  date,
    postcode       text,
    active         boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- Staff belong to exactly one council; young people, guardians and admins to none.
    CHECK ((role IN ('youth_worker','centre_manager','council_officer')) = (council_id IS NOT NULL)),
    CHECK (role <> 'young_person' OR date_of_birth IS NOT NULL)
);
CREATE INDEX users_council_idx ON users (council_id) WHERE council_id IS NOT NULL;

-- Parental consent for young people under the age of digital consent.
CREATE TABLE consents (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    young_person_id  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    guardian_email   citext NOT NULL,
    token_hash       bytea NOT NULL UNIQUE,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','given','refused','withdrawn')),
    requested_at     timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    decided_at       timestamptz,
    token_used_at    timestamptz,
    guardian_user_id uuid REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX consents_guardian_email_idx ON consents (guardian_email);
CREATE UNIQUE INDEX consents_one_per_child ON consents (young_person_id);

CREATE TABLE refresh_tokens (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    family_id    uuid NOT NULL,
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

-- Failed logins, kept in the database so throttling holds across server replicas.
CREATE TABLE login_failures (
    email       citext NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (email, failed_at);

CREATE TABLE invitations (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    council_id   uuid NOT NULL REFERENCES councils(id),
    role         text NOT NULL CHECK (role IN ('youth_worker','centre_manager','council_officer')),
    email        citext NOT NULL,
    token_hash   bytea NOT NULL UNIQUE,
    invited_by   uuid NOT NULL REFERENCES users(id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);

-- Outgoing e-mail, sent by a background worker.
CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    to_email     citext NOT NULL,
    subject      text NOT NULL,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz,
    attempts     int NOT NULL DEFAULT 0,
    last_error   text
);
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;

CREATE TABLE notifications (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        text NOT NULL,
    message     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    read_at     timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);

-- Every view of a child's contact or medical details, and other sensitive access.
CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    actor_id     uuid REFERENCES users(id),
    subject_id   uuid,
    action       text NOT NULL,
    reason       text NOT NULL DEFAULT '',
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_id, at);

-- Idempotency-Key: the first response to a create request, replayed on retry.
CREATE TABLE idempotency_keys (
    user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash  bytea NOT NULL,
    status_code   int,
    response      bytea,
    booking_id    uuid,  -- set by the booking statement itself (one round trip per booking)
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

CREATE TABLE centres (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    council_id       uuid NOT NULL REFERENCES councils(id),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address          text NOT NULL DEFAULT '',
    postcode         text NOT NULL DEFAULT '',
    lat              double precision NOT NULL CHECK (lat BETWEEN 49 AND 61),
    lon              double precision NOT NULL CHECK (lon BETWEEN -9 AND 2),
    provider_type    text NOT NULL CHECK (provider_type IN ('council','charity','co_operative','community_organisation','library','school','faith_group','other')),
    access_features  text[] NOT NULL DEFAULT '{}'
        CHECK (access_features <@ ARRAY['step_free','accessible_toilet','changing_places','hearing_loop','quiet_space','near_public_transport']::text[]),
    opening_hours    jsonb NOT NULL DEFAULT '[]',
    weekly_hours     double precision NOT NULL DEFAULT 0 CHECK (weekly_hours >= 0 AND weekly_hours <= 168),
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open','planned','closed')),
    phone            text,
    email            text,
    website          text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX centres_council_idx ON centres (council_id);

-- +goose Down
DROP TABLE centres;
DROP TABLE idempotency_keys;
DROP TABLE audit_log;
DROP TABLE notifications;
DROP TABLE outbox;
DROP TABLE invitations;
DROP TABLE login_failures;
DROP TABLE refresh_tokens;
DROP TABLE consents;
DROP TABLE users;
DROP TABLE councils;
