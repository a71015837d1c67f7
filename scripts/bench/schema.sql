DROP TABLE IF EXISTS bench_booking, bench_occ;
CREATE TABLE bench_occ (id int PRIMARY KEY, capacity int NOT NULL, confirmed int NOT NULL DEFAULT 0, waitlist int NOT NULL DEFAULT 0);
CREATE TABLE bench_booking (id bigserial PRIMARY KEY, occ int NOT NULL REFERENCES bench_occ(id), person int NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO bench_occ (id, capacity) SELECT g, CASE WHEN g = 1 THEN 50 ELSE 1000 END FROM generate_series(1, 2000) g;
