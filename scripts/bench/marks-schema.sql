-- Tables of the raw PostgreSQL counterpart of the register benchmark
-- (scripts/bench/marks.sql): a mark history whose client-made id is unique,
-- and one current mark per person per session. Load it into the pgbench
-- database first: psql "$PDB" -q -f scripts/bench/marks-schema.sql
DROP TABLE IF EXISTS bench_current_mark, bench_mark;
CREATE TABLE bench_mark (
    id           bigserial PRIMARY KEY,
    occ          int NOT NULL,
    person       int NOT NULL,
    status       text NOT NULL,
    recorded_at  timestamptz NOT NULL,
    client_id    uuid NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE bench_current_mark (
    occ          int NOT NULL,
    person       int NOT NULL,
    mark_id      bigint NOT NULL,
    status       text NOT NULL,
    recorded_at  timestamptz NOT NULL,
    client_id    uuid NOT NULL,
    PRIMARY KEY (occ, person)
);
