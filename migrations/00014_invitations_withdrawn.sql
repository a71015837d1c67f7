-- An invitation can be withdrawn before it is used (sent to the wrong
-- address, or the person is no longer joining): its link stops working.

-- +goose Up
ALTER TABLE invitations ADD COLUMN withdrawn_at timestamptz;
CREATE INDEX invitations_pending_idx ON invitations (council_id, created_at) WHERE used_at IS NULL AND withdrawn_at IS NULL;

-- +goose Down
DROP INDEX invitations_pending_idx;
ALTER TABLE invitations DROP COLUMN withdrawn_at;
