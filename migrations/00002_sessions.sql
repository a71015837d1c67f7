-- Postcodes, session series, occurrences and bookings.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- ONS Postcode Directory-style lookup: normalised postcode → point.
CREATE TABLE postcodes (
    postcode   text PRIMARY KEY CHECK (postcode ~ '^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$'),
    lat        double precision NOT NULL CHECK (lat BETWEEN 49 AND 61),
    lon        double precision NOT NULL CHECK (lon BETWEEN -9 AND 2),
    lad_code   text,
    lsoa_code  text
);

-- A session series: a weekly rule at a centre (Europe/London wall-clock times).
CREATE TABLE session_series (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    council_id           uuid NOT NULL REFERENCES councils(id),
    centre_id            uuid NOT NULL REFERENCES centres(id),
    title                text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    description          text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    what_to_bring        text NOT NULL DEFAULT '' CHECK (length(what_to_bring) <= 500),
    category             text NOT NULL CHECK (category IN ('sport','arts','music','digital','cooking','advice_support','outdoor','send','other')),
    age_min              int NOT NULL CHECK (age_min BETWEEN 8 AND 25),
    age_max              int NOT NULL CHECK (age_max BETWEEN 8 AND 25),
    send                 boolean NOT NULL DEFAULT false,
    booking_mode         text NOT NULL CHECK (booking_mode IN ('bookable','drop_in')),
    capacity             int NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
    staff_ratio          int NOT NULL DEFAULT 10 CHECK (staff_ratio BETWEEN 1 AND 30),
    days                 int[] NOT NULL CHECK (cardinality(days) BETWEEN 1 AND 7 AND days <@ ARRAY[0,1,2,3,4,5,6]),
    start_local          text NOT NULL CHECK (start_local ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    duration_minutes     int NOT NULL CHECK (duration_minutes BETWEEN 15 AND 720),
    first_date           date NOT NULL,
    last_date            date,
    exceptions           date[] NOT NULL DEFAULT '{}',
    booking_window_days  int NOT NULL DEFAULT 14 CHECK (booking_window_days BETWEEN 1 AND 90),
    generated_until      timestamptz,
    created_by           uuid REFERENCES users(id),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (age_min <= age_max),
    CHECK (send OR age_max <= 19),
    CHECK (last_date IS NULL OR last_date >= first_date)
);
CREATE INDEX session_series_centre_idx ON session_series (centre_id);

-- One row per occurrence. Counters are kept by the booking statement itself,
-- under the row lock, and the CHECKs are the backstop: never more confirmed
-- bookings than capacity, whatever the Go code does.
CREATE TABLE occurrences (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    series_id         uuid NOT NULL REFERENCES session_series(id) ON DELETE CASCADE,
    council_id        uuid NOT NULL REFERENCES councils(id),
    centre_id         uuid NOT NULL REFERENCES centres(id),
    starts_at         timestamptz NOT NULL,
    ends_at           timestamptz NOT NULL,
    booking_mode      text NOT NULL CHECK (booking_mode IN ('bookable','drop_in')),
    capacity          int NOT NULL CHECK (capacity BETWEEN 0 AND 1000),
    staffed_limit     int CHECK (staffed_limit >= 0),
    confirmed_count   int NOT NULL DEFAULT 0 CHECK (confirmed_count >= 0),
    waitlist_count    int NOT NULL DEFAULT 0 CHECK (waitlist_count >= 0),
    waitlist_seq      int NOT NULL DEFAULT 0,
    last_confirmed    boolean,
    status            text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','cancelled')),
    cancelled_reason  text,
    register_closed_at timestamptz,
    CHECK (ends_at > starts_at),
    CHECK (confirmed_count <= capacity),
    UNIQUE (series_id, starts_at)
);
CREATE INDEX occurrences_time_idx ON occurrences (starts_at) WHERE status = 'scheduled';
CREATE INDEX occurrences_centre_idx ON occurrences (centre_id, starts_at);

CREATE TABLE bookings (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    occurrence_id    uuid NOT NULL REFERENCES occurrences(id) ON DELETE CASCADE,
    young_person_id  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status           text NOT NULL CHECK (status IN ('confirmed','waitlisted','cancelled','attended','no_show')),
    waitlist_seq     int,
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    cancelled_at     timestamptz,
    promoted_at      timestamptz,
    CHECK ((status = 'waitlisted') = (waitlist_seq IS NOT NULL)),
    -- No two confirmed bookings of one young person that overlap in time.
    EXCLUDE USING gist (young_person_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status = 'confirmed')
);
-- One live booking per young person per occurrence.
CREATE UNIQUE INDEX bookings_one_live ON bookings (occurrence_id, young_person_id) WHERE status IN ('confirmed','waitlisted');
CREATE UNIQUE INDEX bookings_waitlist_order ON bookings (occurrence_id, waitlist_seq) WHERE status = 'waitlisted';
CREATE INDEX bookings_person_idx ON bookings (young_person_id, starts_at);

-- A young person's private calendar subscription (only the hash is kept).
ALTER TABLE users ADD COLUMN calendar_secret_hash bytea UNIQUE;

-- +goose Down
ALTER TABLE users DROP COLUMN calendar_secret_hash;
DROP TABLE bookings;
DROP TABLE occurrences;
DROP TABLE session_series;
DROP TABLE postcodes;
