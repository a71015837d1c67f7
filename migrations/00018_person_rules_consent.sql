-- A guardian who withdraws consent has their child's future bookings
-- cancelled (account.Service.WithdrawConsent, DecideConsent). The booking
-- statement checks consent with its own snapshot, taken before it waited for
-- the young person's row lock; so a booking racing the withdrawal could pass
-- that check and commit after the withdrawal had cancelled the bookings it
-- could see (TestWithdrawingConsentRacingBookingsLeavesNoPlace). The
-- withdrawal now locks the young person's row first, and this trigger, which
-- takes the same lock and runs with fresh snapshots, checks consent again
-- for a new confirmed booking of someone under the age of digital consent
-- (passed as the third field of youthhub.book_cap).

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bookings_person_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    setting text;
    held int;
    dob date;
BEGIN
    SELECT date_of_birth INTO dob FROM users WHERE id = NEW.young_person_id FOR NO KEY UPDATE;
    IF EXISTS (SELECT 1 FROM bookings b
               WHERE b.young_person_id = NEW.young_person_id AND b.status = 'confirmed'
                 AND b.starts_at < NEW.ends_at AND b.ends_at > NEW.starts_at AND b.id <> NEW.id) THEN
        RAISE EXCEPTION 'overlapping confirmed bookings' USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'bookings_no_overlap';
    END IF;
    IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM walk_ins w
               WHERE w.occurrence_id = NEW.occurrence_id AND w.young_person_id = NEW.young_person_id) THEN
        RAISE EXCEPTION 'already signed in as a walk-in' USING ERRCODE = 'unique_violation', CONSTRAINT = 'bookings_walked_in';
    END IF;
    setting := current_setting('youthhub.book_cap', true);
    IF TG_OP = 'INSERT' AND setting <> '' THEN
        SELECT count(*) INTO held FROM bookings f
        WHERE f.young_person_id = NEW.young_person_id AND f.status = 'confirmed'
          AND f.starts_at > split_part(setting, '|', 2)::timestamptz;
        IF held > split_part(setting, '|', 1)::int THEN
            RAISE EXCEPTION 'future booking cap reached' USING ERRCODE = 'check_violation', CONSTRAINT = 'bookings_future_cap';
        END IF;
        IF split_part(setting, '|', 3) <> ''
           AND extract(year FROM age((split_part(setting, '|', 2)::timestamptz AT TIME ZONE 'Europe/London')::date, dob))
               < split_part(setting, '|', 3)::int
           AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.young_person_id = NEW.young_person_id AND c.status = 'given') THEN
            RAISE EXCEPTION 'guardian consent needed' USING ERRCODE = 'check_violation', CONSTRAINT = 'bookings_consent';
        END IF;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bookings_person_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    setting text;
    held int;
BEGIN
    PERFORM 1 FROM users WHERE id = NEW.young_person_id FOR NO KEY UPDATE;
    IF EXISTS (SELECT 1 FROM bookings b
               WHERE b.young_person_id = NEW.young_person_id AND b.status = 'confirmed'
                 AND b.starts_at < NEW.ends_at AND b.ends_at > NEW.starts_at AND b.id <> NEW.id) THEN
        RAISE EXCEPTION 'overlapping confirmed bookings' USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'bookings_no_overlap';
    END IF;
    IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM walk_ins w
               WHERE w.occurrence_id = NEW.occurrence_id AND w.young_person_id = NEW.young_person_id) THEN
        RAISE EXCEPTION 'already signed in as a walk-in' USING ERRCODE = 'unique_violation', CONSTRAINT = 'bookings_walked_in';
    END IF;
    setting := current_setting('youthhub.book_cap', true);
    IF TG_OP = 'INSERT' AND setting <> '' THEN
        SELECT count(*) INTO held FROM bookings f
        WHERE f.young_person_id = NEW.young_person_id AND f.status = 'confirmed'
          AND f.starts_at > split_part(setting, '|', 2)::timestamptz;
        IF held > split_part(setting, '|', 1)::int THEN
            RAISE EXCEPTION 'future booking cap reached' USING ERRCODE = 'check_violation', CONSTRAINT = 'bookings_future_cap';
        END IF;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

