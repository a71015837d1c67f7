-- Rate limits count hits per client address, and now also per member of
-- staff (walk-in searches, by user id): the client column becomes text.
-- abbrev() writes an address as it was given (no /32 on a single host).

-- +goose Up
ALTER TABLE rate_limit_hits ALTER COLUMN client TYPE text USING abbrev(client);

-- +goose Down
DELETE FROM rate_limit_hits WHERE client !~ '^[0-9a-fA-F:.]+(/[0-9]+)?$';
ALTER TABLE rate_limit_hits ALTER COLUMN client TYPE inet USING client::inet;
