-- Raw PostgreSQL baseline of the register benchmark: one attendance mark as
-- one statement — the INSERT ... ON CONFLICT (client_id) DO NOTHING of the
-- history and the INSERT ... ON CONFLICT ... DO UPDATE WHERE (later wins) of
-- the person's current mark, in one CTE, as youthhub's marks statement does
-- (which also checks the person is on the register, fills the booking id and
-- keeps the booking attended). Tables: scripts/bench/marks-schema.sql.
--
--   psql "$PDB" -q -f scripts/bench/marks-schema.sql
--   pgbench -n -M prepared -c 64 -j 2 -T 15 -D npeople=1000 -f scripts/bench/marks.sql "$PDB"
--
-- Its HTTP counterpart (the same mark through youthhub, one per request) is
-- described in scripts/bench/marks-setup.sql; compare marks/s with this tps.
\set person random(1, :npeople)
WITH ins AS (
    INSERT INTO bench_mark (occ, person, status, recorded_at, client_id)
    VALUES (1, :person, 'present', clock_timestamp(), gen_random_uuid())
    ON CONFLICT (client_id) DO NOTHING
    RETURNING id, occ, person, status, recorded_at, client_id
)
INSERT INTO bench_current_mark AS c (occ, person, mark_id, status, recorded_at, client_id)
SELECT occ, person, id, status, recorded_at, client_id FROM ins
ON CONFLICT (occ, person) DO UPDATE SET
    mark_id = EXCLUDED.mark_id, status = EXCLUDED.status, recorded_at = EXCLUDED.recorded_at, client_id = EXCLUDED.client_id
WHERE EXCLUDED.recorded_at > c.recorded_at
   OR (EXCLUDED.recorded_at = c.recorded_at AND EXCLUDED.client_id > c.client_id);
