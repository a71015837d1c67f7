-- Raw PostgreSQL baseline: one booking as one statement (conditional UPDATE
-- and INSERT in one CTE), spread over many sessions. pgbench -f, -D nsess=N.
\set occ random(1, :nsess)
\set person random(1, 100000000)
WITH o AS (
    UPDATE bench_occ SET confirmed = confirmed + (confirmed < capacity)::int,
                         waitlist = waitlist + (confirmed >= capacity)::int
    WHERE id = :occ
    RETURNING id, confirmed
)
INSERT INTO bench_booking (occ, person, status)
SELECT id, :person, 'confirmed' FROM o;
