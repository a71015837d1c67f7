-- Registers: attendance marks (the full history), the winning mark per person
-- per occurrence, walk-ins, and the emergency details shown at a roll call.
--
-- Offline devices make each mark's id (client_id), so a mark synced twice is
-- stored once (UNIQUE). The later recorded_at wins, ties broken by the larger
-- client_id; current_marks holds the winner and is kept by the same statement
-- that inserts the mark, under its row lock (ON CONFLICT ... DO UPDATE WHERE).
-- The CHECKs make a mark's times agree with its status, whatever the Go does:
-- present/late = checked in and not out (on site); left = checked out;
-- absent = neither.

-- +goose Up
CREATE TABLE marks (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    occurrence_id    uuid NOT NULL REFERENCES occurrences(id) ON DELETE CASCADE,
    young_person_id  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    booking_id       uuid REFERENCES bookings(id) ON DELETE SET NULL,
    status           text NOT NULL CHECK (status IN ('present','late','absent','left')),
    checked_in_at    timestamptz,
    checked_out_at   timestamptz,
    recorded_by      uuid REFERENCES users(id) ON DELETE SET NULL,
    -- The device's clock when the mark was made; decides which mark wins.
    recorded_at      timestamptz NOT NULL,
    client_id        uuid NOT NULL UNIQUE,
    device_id        text NOT NULL DEFAULT '' CHECK (length(device_id) <= 100),
    -- Why a manager changed a locked register (empty otherwise).
    reason           text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (status NOT IN ('present','late') OR (checked_in_at IS NOT NULL AND checked_out_at IS NULL)),
    CHECK (status <> 'left' OR checked_out_at IS NOT NULL),
    CHECK (status <> 'absent' OR (checked_in_at IS NULL AND checked_out_at IS NULL)),
    CHECK (checked_out_at IS NULL OR checked_in_at IS NULL OR checked_out_at >= checked_in_at)
);
-- A person's marks at an occurrence, for the history; also the key the
-- current mark refers to, so that it is always one of that person's marks.
CREATE UNIQUE INDEX marks_occurrence_person_key ON marks (occurrence_id, young_person_id, id);

-- One row per person per occurrence: a copy of the winning mark. Its one
-- foreign key names the mark with its person and occurrence (deleting the
-- occurrence, the person or the mark deletes it); who recorded it is read
-- from the mark.
CREATE TABLE current_marks (
    occurrence_id    uuid NOT NULL,
    young_person_id  uuid NOT NULL,
    mark_id          uuid NOT NULL,
    status           text NOT NULL CHECK (status IN ('present','late','absent','left')),
    checked_in_at    timestamptz,
    checked_out_at   timestamptz,
    recorded_at      timestamptz NOT NULL,
    client_id        uuid NOT NULL,
    PRIMARY KEY (occurrence_id, young_person_id),
    FOREIGN KEY (occurrence_id, young_person_id, mark_id) REFERENCES marks (occurrence_id, young_person_id, id) ON DELETE CASCADE,
    CHECK (status NOT IN ('present','late') OR (checked_in_at IS NOT NULL AND checked_out_at IS NULL)),
    CHECK (status <> 'left' OR checked_out_at IS NOT NULL),
    CHECK (status <> 'absent' OR (checked_in_at IS NULL AND checked_out_at IS NULL))
);
CREATE INDEX current_marks_on_site_idx ON current_marks (occurrence_id) WHERE status IN ('present','late');

-- A young person let in at the door without a booking. At a bookable session
-- the walk-in took a place (occurrences.confirmed_count) under the row lock.
CREATE TABLE walk_ins (
    occurrence_id    uuid NOT NULL REFERENCES occurrences(id) ON DELETE CASCADE,
    young_person_id  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    took_place       boolean NOT NULL,
    added_by         uuid REFERENCES users(id) ON DELETE SET NULL,
    added_at         timestamptz NOT NULL,
    PRIMARY KEY (occurrence_id, young_person_id)
);

-- Who to call about a young person. Shown only at a roll call, and every
-- showing is written to audit_log.
CREATE TABLE emergency_contacts (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    young_person_id  uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    phone            text NOT NULL CHECK (phone ~ '^\+?[0-9][0-9 ]{8,18}[0-9]$'),
    relationship     text NOT NULL CHECK (length(relationship) BETWEEN 1 AND 50),
    created_by       uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX emergency_contacts_person_idx ON emergency_contacts (young_person_id);

-- What staff must know in an emergency (allergies, conditions, medication).
CREATE TABLE medical_notes (
    young_person_id  uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    notes            text NOT NULL CHECK (length(notes) BETWEEN 1 AND 2000),
    updated_by       uuid REFERENCES users(id) ON DELETE SET NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- A session's bookings after the fact (attended, no-show, cancelled), for
-- the register and for closing it; with bookings_one_live (confirmed and
-- waitlisted) every booking of an occurrence is found by index, and new
-- bookings, which are confirmed or waitlisted, do not maintain this one.
CREATE INDEX bookings_settled_idx ON bookings (occurrence_id, young_person_id) WHERE status IN ('attended','no_show','cancelled');

-- +goose Down
DROP INDEX bookings_settled_idx;
DROP TABLE medical_notes;
DROP TABLE emergency_contacts;
DROP TABLE walk_ins;
DROP TABLE current_marks;
DROP TABLE marks;
