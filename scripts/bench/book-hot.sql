-- Raw PostgreSQL baseline: one booking as one statement, all on one hot session.
\set person random(1, 100000000)
WITH o AS (
    UPDATE bench_occ SET confirmed = confirmed + (confirmed < capacity)::int,
                         waitlist = waitlist + (confirmed >= capacity)::int
    WHERE id = 1
    RETURNING id, confirmed
)
INSERT INTO bench_booking (occ, person, status)
SELECT id, :person, 'confirmed' FROM o;
