-- Rotas: staff records (what the rota rules read about each worker), where and
-- when they work, their leave, shifts and shift swaps.
--
-- Tenancy is in the schema: a staff record carries its user's council (a
-- composite foreign key to users), and a shift carries the council of both its
-- occurrence and its worker (two composite foreign keys), so no Go bug can put
-- one council's worker on another council's session. The working-time and
-- safeguarding rules live in Go (internal/rota); the schema keeps the two that
-- must hold under any concurrency: one shift per worker per occurrence, and no
-- worker on two overlapping shifts.

-- +goose Up
ALTER TABLE users ADD CONSTRAINT users_id_council_key UNIQUE (id, council_id);
ALTER TABLE centres ADD CONSTRAINT centres_id_council_key UNIQUE (id, council_id);
ALTER TABLE occurrences ADD CONSTRAINT occurrences_id_council_key UNIQUE (id, council_id);

-- What the rota rules need to know about a member of staff. The date of birth
-- is the user's own (users.date_of_birth); the DBS certificate itself is never
-- stored, only its number and dates.
CREATE TABLE staff_records (
    user_id                  uuid PRIMARY KEY,
    council_id               uuid NOT NULL,
    qualification            text NOT NULL DEFAULT 'none' CHECK (qualification IN ('none','jnc2','jnc3','jnc6plus')),
    dbs_certificate_number   text CHECK (dbs_certificate_number ~ '^[0-9]{12}$'),
    dbs_issue_date           date,
    dbs_update_service       boolean NOT NULL DEFAULT false,
    dbs_next_check_due       date,
    dbs_enhanced             boolean NOT NULL DEFAULT false,
    dbs_barred_list_checked  boolean NOT NULL DEFAULT false,
    -- The check found the person on the children's barred list: never rostered.
    on_barred_list           boolean NOT NULL DEFAULT false,
    first_aid_expires        date,
    safeguarding_expires     date,
    contracted_hours         numeric(4,1) NOT NULL DEFAULT 0 CHECK (contracted_hours BETWEEN 0 AND 100),
    opted_out_48h            boolean NOT NULL DEFAULT false,
    volunteer                boolean NOT NULL DEFAULT false,
    -- SHA-256 of the secret in the worker's private rota calendar URL.
    calendar_secret_hash     bytea UNIQUE,
    updated_at               timestamptz NOT NULL DEFAULT now(),
    updated_by               uuid REFERENCES users(id) ON DELETE SET NULL,
    FOREIGN KEY (user_id, council_id) REFERENCES users (id, council_id) ON DELETE CASCADE ON UPDATE CASCADE,
    UNIQUE (user_id, council_id),
    CHECK (dbs_issue_date IS NULL OR dbs_next_check_due IS NULL OR dbs_next_check_due >= dbs_issue_date)
);
CREATE INDEX staff_records_council_idx ON staff_records (council_id);

-- The centres a worker usually works at; auto-fill draws each centre's staff
-- from them (a worker with none listed may work at any centre of the council).
CREATE TABLE staff_centres (
    user_id     uuid NOT NULL,
    centre_id   uuid NOT NULL,
    council_id  uuid NOT NULL,
    PRIMARY KEY (user_id, centre_id),
    FOREIGN KEY (user_id, council_id) REFERENCES staff_records (user_id, council_id) ON DELETE CASCADE ON UPDATE CASCADE,
    FOREIGN KEY (centre_id, council_id) REFERENCES centres (id, council_id) ON DELETE CASCADE
);
CREATE INDEX staff_centres_centre_idx ON staff_centres (centre_id);

-- When a worker has said they can work, by weekday (0 = Sunday … 6 = Saturday,
-- as Go's time.Weekday), in Europe/London wall-clock time. No rows means no
-- restriction.
CREATE TABLE availability (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES staff_records(user_id) ON DELETE CASCADE,
    weekday    smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    from_time  time NOT NULL,
    to_time    time NOT NULL CHECK (to_time <= '24:00'),
    CHECK (to_time > from_time)
);
CREATE INDEX availability_user_idx ON availability (user_id);

-- Days off, inclusive.
CREATE TABLE leave (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES staff_records(user_id) ON DELETE CASCADE,
    from_date  date NOT NULL,
    to_date    date NOT NULL,
    note       text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    CHECK (to_date >= from_date)
);
CREATE INDEX leave_user_idx ON leave (user_id, from_date);

-- A worker on an occurrence. council_id ties both to one council.
CREATE TABLE shifts (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    occurrence_id  uuid NOT NULL,
    council_id     uuid NOT NULL,
    user_id        uuid NOT NULL,
    role           text NOT NULL CHECK (role IN ('lead','worker','volunteer')),
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    created_by     uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (occurrence_id, council_id) REFERENCES occurrences (id, council_id) ON DELETE CASCADE,
    FOREIGN KEY (user_id, council_id) REFERENCES staff_records (user_id, council_id) ON DELETE CASCADE ON UPDATE CASCADE,
    CHECK (ends_at > starts_at),
    CONSTRAINT shifts_one_per_occurrence UNIQUE (occurrence_id, user_id),
    -- No worker on two overlapping shifts, whatever the Go code does.
    CONSTRAINT shifts_no_overlap EXCLUDE USING gist (user_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
);
CREATE INDEX shifts_council_time_idx ON shifts (council_id, starts_at);

-- A worker offers their shift; a colleague accepts; a manager approves and the
-- shift moves. At most one open swap per shift.
CREATE TABLE shift_swaps (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    shift_id     uuid NOT NULL REFERENCES shifts(id) ON DELETE CASCADE,
    council_id   uuid NOT NULL REFERENCES councils(id),
    offered_by   uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    accepted_by  uuid REFERENCES users(id) ON DELETE CASCADE,
    decided_by   uuid REFERENCES users(id) ON DELETE SET NULL,
    status       text NOT NULL DEFAULT 'offered' CHECK (status IN ('offered','accepted','approved','declined','cancelled')),
    offered_at   timestamptz NOT NULL DEFAULT now(),
    accepted_at  timestamptz,
    decided_at   timestamptz,
    CHECK (accepted_by IS DISTINCT FROM offered_by),
    CHECK (status NOT IN ('accepted','approved') OR (accepted_by IS NOT NULL AND accepted_at IS NOT NULL)),
    CHECK (status NOT IN ('approved','declined','cancelled') OR decided_at IS NOT NULL)
);
CREATE UNIQUE INDEX shift_swaps_one_open ON shift_swaps (shift_id) WHERE status IN ('offered','accepted');
CREATE INDEX shift_swaps_council_idx ON shift_swaps (council_id, status);

-- +goose Down
DROP TABLE shift_swaps;
DROP TABLE shifts;
DROP TABLE leave;
DROP TABLE availability;
DROP TABLE staff_centres;
DROP TABLE staff_records;
ALTER TABLE occurrences DROP CONSTRAINT occurrences_id_council_key;
ALTER TABLE centres DROP CONSTRAINT centres_id_council_key;
ALTER TABLE users DROP CONSTRAINT users_id_council_key;
