-- Requests counted per client address, for the limits on unauthenticated
-- endpoints (sign-ups, failed sign-ins, password-reset requests), kept in
-- the database so that they hold across server replicas. Rows older than a
-- day are deleted hourly.

-- +goose Up
CREATE TABLE rate_limit_hits (
    bucket  text NOT NULL,
    client  inet NOT NULL,
    at      timestamptz NOT NULL
);
CREATE INDEX rate_limit_hits_idx ON rate_limit_hits (bucket, client, at);

-- +goose Down
DROP TABLE rate_limit_hits;
