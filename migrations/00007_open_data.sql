-- Open data: where each session series and occurrence stands in the
-- OpenActive RPDE feeds, and the deletions those feeds must go on showing.
--
-- Ordering. The feeds use RPDE's "Modified Timestamp and ID" strategy: items
-- are ordered by (modified, id) and a consumer pages with afterTimestamp and
-- afterId. A sequence or clock value is taken while a row is written but only
-- becomes visible at commit, so two writers can commit out of order and a
-- consumer that has already paged past the later value never sees the earlier
-- one (OpenActive's "delayed item interleaving"). So modified is the 64-bit id
-- of the transaction that last changed the row (pg_current_xact_id(), which
-- only grows within a cluster), and a feed shows only rows whose modified is
-- below the oldest transaction id still running when the page is read
-- (pg_snapshot_xmin(pg_current_snapshot())): PostgreSQL's counterpart of the
-- MIN_ACTIVE_ROWVERSION() filter the RPDE guidance gives for SQL Server. Any
-- transaction that could still write has an id at or above that horizon, so
-- nothing can ever appear behind a consumer's position. A change shows once
-- every write transaction older than it has ended.
--
-- Transaction ids belong to the cluster: pg_upgrade keeps them, but a logical
-- restore (pg_dump into a new cluster) starts them again from a low number;
-- after one, consumers must be asked to harvest the feeds again from the start.
--
-- Only what a feed publishes moves an item: the nightly extension of a
-- series' horizon (generated_until), waiting-list counters and register
-- closing leave it where it is. A change to a centre, or to a council's name,
-- moves every series held there, since a series embeds its place and
-- organiser. Deleted series and occurrences leave a row in opendata_deletions
-- (RPDE keeps deleted items in a feed for at least 7 days; they are kept).
--
-- Bookings. Every booking changes an occurrence's places left, so it moves the
-- occurrence in the feed. An index on occurrences.modified would make every
-- booking's UPDATE a non-HOT update, writing a new entry into each of the
-- table's indexes (a third more WAL per booking, measured). So modified itself
-- is not indexed: the index is on modified_block (modified >> 16, a stored
-- generated column), which changes only when a row's last change was more than
-- 65,536 transactions ago; the feed scans blocks in order and sorts each one
-- (an incremental sort). Rows already present get distinct modified values
-- just below this migration's transaction, in start order, so that no block
-- holds more than 65,536 of them.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION opendata_modified() RETURNS bigint LANGUAGE sql VOLATILE AS $$
    SELECT pg_current_xact_id()::text::bigint
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION opendata_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.modified := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION opendata_touch_series() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'centres' THEN
        UPDATE session_series SET modified = pg_current_xact_id()::text::bigint WHERE centre_id = NEW.id;
    ELSE
        UPDATE session_series SET modified = pg_current_xact_id()::text::bigint WHERE council_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION opendata_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO opendata_deletions (kind, id) VALUES (TG_ARGV[0], OLD.id)
    ON CONFLICT (kind, id) DO UPDATE SET modified = EXCLUDED.modified, deleted_at = EXCLUDED.deleted_at;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

ALTER TABLE session_series ADD COLUMN modified bigint NOT NULL DEFAULT opendata_modified();
CREATE INDEX session_series_modified_idx ON session_series (modified, id);

ALTER TABLE occurrences ADD COLUMN modified bigint NOT NULL DEFAULT opendata_modified();
WITH n AS (SELECT id, row_number() OVER (ORDER BY starts_at, id) AS rn, count(*) OVER () AS total FROM occurrences)
UPDATE occurrences o SET modified = o.modified - n.total + n.rn FROM n WHERE n.id = o.id;
ALTER TABLE occurrences ADD COLUMN modified_block bigint GENERATED ALWAYS AS (modified >> 16) STORED;
CREATE INDEX occurrences_modified_block_idx ON occurrences (modified_block);

CREATE TABLE opendata_deletions (
    kind        text NOT NULL CHECK (kind IN ('SessionSeries', 'ScheduledSession')),
    id          uuid NOT NULL,
    modified    bigint NOT NULL DEFAULT opendata_modified(),
    deleted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, id)
);
CREATE INDEX opendata_deletions_feed_idx ON opendata_deletions (kind, modified, id);

CREATE TRIGGER centres_move_series AFTER UPDATE ON centres FOR EACH ROW
    WHEN ((OLD.council_id, OLD.name, OLD.address, OLD.postcode, OLD.lat, OLD.lon, OLD.provider_type, OLD.access_features,
           OLD.opening_hours, OLD.status, OLD.phone, OLD.email, OLD.website)
          IS DISTINCT FROM
          (NEW.council_id, NEW.name, NEW.address, NEW.postcode, NEW.lat, NEW.lon, NEW.provider_type, NEW.access_features,
           NEW.opening_hours, NEW.status, NEW.phone, NEW.email, NEW.website))
    EXECUTE FUNCTION opendata_touch_series();
CREATE TRIGGER councils_move_series AFTER UPDATE OF name ON councils FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION opendata_touch_series();

CREATE TRIGGER session_series_modified BEFORE UPDATE ON session_series FOR EACH ROW
    WHEN ((OLD.council_id, OLD.centre_id, OLD.title, OLD.description, OLD.what_to_bring, OLD.category, OLD.age_min, OLD.age_max,
           OLD.send, OLD.booking_mode, OLD.capacity, OLD.days, OLD.start_local, OLD.duration_minutes, OLD.first_date,
           OLD.last_date, OLD.exceptions)
          IS DISTINCT FROM
          (NEW.council_id, NEW.centre_id, NEW.title, NEW.description, NEW.what_to_bring, NEW.category, NEW.age_min, NEW.age_max,
           NEW.send, NEW.booking_mode, NEW.capacity, NEW.days, NEW.start_local, NEW.duration_minutes, NEW.first_date,
           NEW.last_date, NEW.exceptions))
    EXECUTE FUNCTION opendata_touch();
CREATE TRIGGER session_series_deleted AFTER DELETE ON session_series FOR EACH ROW
    EXECUTE FUNCTION opendata_deleted('SessionSeries');

-- What a ScheduledSession publishes: its times, status, and capacity with the
-- places left (capacity, capped by the staffed limit, less confirmed bookings).
CREATE TRIGGER occurrences_modified BEFORE UPDATE ON occurrences FOR EACH ROW
    WHEN ((OLD.series_id, OLD.starts_at, OLD.ends_at, OLD.booking_mode, OLD.capacity, OLD.staffed_limit, OLD.confirmed_count, OLD.status)
          IS DISTINCT FROM
          (NEW.series_id, NEW.starts_at, NEW.ends_at, NEW.booking_mode, NEW.capacity, NEW.staffed_limit, NEW.confirmed_count, NEW.status))
    EXECUTE FUNCTION opendata_touch();
CREATE TRIGGER occurrences_deleted AFTER DELETE ON occurrences FOR EACH ROW
    EXECUTE FUNCTION opendata_deleted('ScheduledSession');

-- +goose Down
DROP TRIGGER occurrences_deleted ON occurrences;
DROP TRIGGER occurrences_modified ON occurrences;
DROP TRIGGER session_series_deleted ON session_series;
DROP TRIGGER session_series_modified ON session_series;
DROP TRIGGER councils_move_series ON councils;
DROP TRIGGER centres_move_series ON centres;
DROP TABLE opendata_deletions;
ALTER TABLE occurrences DROP COLUMN modified_block;
ALTER TABLE occurrences DROP COLUMN modified;
ALTER TABLE session_series DROP COLUMN modified;
DROP FUNCTION opendata_deleted();
DROP FUNCTION opendata_touch_series();
DROP FUNCTION opendata_touch();
DROP FUNCTION opendata_modified();
