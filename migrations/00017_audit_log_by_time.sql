-- The council's access log is read newest first (GET /api/v1/audit-log).

-- +goose Up
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- +goose Down
DROP INDEX audit_log_at_idx;
