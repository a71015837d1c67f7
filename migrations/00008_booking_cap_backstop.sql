-- The future-booking cap under races. The booking statement checks the cap
-- with its own snapshot, so one young person booking several sessions at
-- the same instant (two phones, retries on a bad connection) could each see
-- fewer than the cap and all succeed. This deferred constraint trigger is
-- the backstop: at commit it locks the person's row, which queues that
-- person's concurrent bookings behind each other, and counts again with a
-- fresh snapshot, so it sees the bookings committed by the others.
--
-- The booking statement passes the cap and its clock in the transaction-
-- local setting youthhub.book_cap ('cap|now'); other writers of confirmed
-- bookings (promotion from the waiting list) check the cap themselves and
-- are not limited here. FOR NO KEY UPDATE does not conflict with the
-- FOR KEY SHARE locks that foreign-key checks take on the same row.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION bookings_future_cap() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    setting text := current_setting('youthhub.book_cap', true);
    held int;
BEGIN
    IF setting IS NULL OR setting = '' THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM users WHERE id = NEW.young_person_id FOR NO KEY UPDATE;
    SELECT count(*) INTO held FROM bookings f
    WHERE f.young_person_id = NEW.young_person_id AND f.status = 'confirmed'
      AND f.starts_at > split_part(setting, '|', 2)::timestamptz;
    IF held > split_part(setting, '|', 1)::int THEN
        RAISE EXCEPTION 'future booking cap reached' USING ERRCODE = 'check_violation', CONSTRAINT = 'bookings_future_cap';
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER bookings_future_cap AFTER INSERT ON bookings DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.status = 'confirmed') EXECUTE FUNCTION bookings_future_cap();

-- +goose Down
DROP TRIGGER bookings_future_cap ON bookings;
DROP FUNCTION bookings_future_cap();
