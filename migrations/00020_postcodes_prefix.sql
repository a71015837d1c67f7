-- A postcode the table does not hold (the directory loaded may be a sample,
-- or a postcode newer than it) is searched near the middle of its sector
-- ("M32 9") or, failing that, its district ("M32"): postcode.Service.Lookup
-- averages the postcodes that start with it. text_pattern_ops lets that
-- LIKE 'M32 9%' use an index whatever the database's collation.

-- +goose Up
CREATE INDEX postcodes_prefix_idx ON postcodes (postcode text_pattern_ops);

-- +goose Down
DROP INDEX postcodes_prefix_idx;
