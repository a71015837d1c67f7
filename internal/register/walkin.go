package register

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/postcode"
	"youthhub/internal/schedule"
)

// Match is a young person found by a walk-in search: only what staff need
// to tell people apart (no surname, email or phone).
type Match struct {
	ID               string    `db:"id"`
	FirstName        string    `db:"first_name"`
	LastInitial      string    `db:"last_initial"`
	DateOfBirth      time.Time `db:"date_of_birth"`
	PostcodeDistrict string    `db:"postcode_district"`
}

// ActionWalkInSearchShown is the audit action written for each young person
// a walk-in search shows (their first name, initial, birth date and postcode
// district, to any council's staff): their home council's access log says
// who looked them up, and when.
const ActionWalkInSearchShown = "walk_in_search_shown"

// CheckSearch refuses words that cannot be searched for: fewer than 2
// letters, or more than 100 characters.
func CheckSearch(q string) error {
	q = strings.Join(strings.Fields(q), " ")
	if len([]rune(q)) < 2 {
		return fault.Field("q", "Enter at least 2 letters of the name")
	}
	if len(q) > 100 {
		return fault.Field("q", "Q must be 100 characters or fewer")
	}
	return nil
}

// SearchYoungPeople finds active young people born on dateOfBirth whose
// first name, last name or full name starts with q (at least 2 characters),
// at most limit of them by name. Both are needed, as they are asked of the
// young person at the door: a name alone would let any member of staff list
// every young person on the platform a few letters at a time. The same
// statement audits each one shown, with the actor (not the words searched
// for).
func (s *Service) SearchYoungPeople(ctx context.Context, actorID, q string, dateOfBirth time.Time, limit int) ([]Match, error) {
	q = strings.Join(strings.Fields(q), " ")
	if err := CheckSearch(q); err != nil {
		return nil, err
	}
	like := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
	const query = `
WITH found AS (
    SELECT id, first_name, left(last_name, 1) AS last_initial, date_of_birth,
           coalesce(split_part(postcode, ' ', 1), '') AS postcode_district, last_name
    FROM users
    WHERE role = 'young_person' AND active AND date_of_birth IS NOT NULL
      AND (first_name ILIKE $1 OR last_name ILIKE $1 OR (first_name || ' ' || last_name) ILIKE $1)
      AND date_of_birth = $2::date
    ORDER BY first_name, last_name, date_of_birth, id
    LIMIT $3
), aud AS (
    INSERT INTO audit_log (actor_id, subject_id, action, reason, at)
    SELECT $4, id, $5, $6, $7 FROM found
)
SELECT id, first_name, last_initial, date_of_birth, postcode_district
FROM found ORDER BY first_name, last_name, date_of_birth, id`
	// The words searched for are not kept: they are names, which would stay
	// in the log after the person they name had erased their account.
	out := []Match{}
	err := s.DB.SelectContext(ctx, &out, query, like, dateOfBirth.Format(time.DateOnly), limit, actorID,
		ActionWalkInSearchShown, "walk-in search by name and date of birth", s.Now())
	return out, err
}

// Contact is someone to call about a young person in an emergency.
type Contact struct {
	Name         string `json:"name"`
	Phone        string `json:"phone"`
	Relationship string `json:"relationship"`
}

// NewYoungPerson is what staff take at the door to register someone
// quickly. The account has no email or password: the young person cannot
// sign in with it.
type NewYoungPerson struct {
	FirstName   string
	LastName    string
	DateOfBirth time.Time
	Postcode    string // normalised by the caller
}

// WalkIn lets a young person in without a booking: an existing young person
// (YoungPersonID), or one registered now (New). Contact and MedicalNotes,
// when given, are added to the person's emergency details.
type WalkIn struct {
	YoungPersonID string
	New           *NewYoungPerson
	Contact       *Contact
	MedicalNotes  string
	// SomeoneElse: staff have checked that a registered young person of the
	// same first name and date of birth is not the one at the door.
	SomeoneElse bool
}

// CodePossibleDuplicate refuses registering a new young person at the door
// when one of the same first name and date of birth is registered, until
// staff say it is someone else: a second record splits a child's emergency
// contacts and history in two.
const CodePossibleDuplicate = "possible_duplicate"

// Proving it is them at the door: a walk-in of a young person found by the
// search needs their home postcode, which they know and the search does not
// show (only its district). Without it, staff of any council could add any
// young person to a session of their own and read their emergency contacts
// at its roll call.
const (
	// ActionWrongPostcode is the audit action of a walk-in refused for a
	// postcode that is not the young person's.
	ActionWrongPostcode = "walk_in_postcode_wrong"
	// MaxWrongPostcodes is how many wrong postcodes for one young person, in
	// 24 hours and from anyone, are tried before walk-ins of them are
	// refused until the next day (a district holds a few thousand).
	MaxWrongPostcodes = 5
)

// ProvePostcode checks that raw is the home postcode of the young person to
// be let in as a walk-in by a. A wrong one is audited, outside any
// transaction of the caller, and refused naming postcode; after
// MaxWrongPostcodes of them in 24 hours, every try is refused (fault.TooMany).
func (s *Service) ProvePostcode(ctx context.Context, a Actor, o Occurrence, youngPersonID, raw string) error {
	pc, ok := postcode.Normalise(raw)
	if !ok {
		return fault.Field("postcode", "Enter their home postcode, like M32 0JG")
	}
	var row struct {
		Postcode *string `db:"postcode"`
		Wrong    int     `db:"wrong"`
	}
	now := s.Now()
	err := s.DB.GetContext(ctx, &row, `SELECT u.postcode,
			(SELECT count(*) FROM audit_log l WHERE l.subject_id = u.id AND l.action = $2 AND l.at > $3)::int AS wrong
		FROM users u WHERE u.id = $1 AND u.role = 'young_person' AND u.active`, youngPersonID, ActionWrongPostcode, now.Add(-24*time.Hour))
	if errors.Is(err, sql.ErrNoRows) {
		return fault.New(fault.NotFound, "There is no young person with this id")
	}
	if err != nil {
		return err
	}
	if row.Wrong >= MaxWrongPostcodes {
		return fault.Coded(fault.TooMany, "too_many_wrong_postcodes",
			"Too many wrong postcodes have been tried for this young person today. Register them as a new young person, or try again tomorrow")
	}
	if stored, ok := postcode.Normalise(coalesce(row.Postcode)); ok && stored == pc {
		return nil
	}
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO audit_log (actor_id, subject_id, action, reason, at) VALUES ($1, $2, $3, $4, $5)`,
		a.UserID, youngPersonID, ActionWrongPostcode, "walk-in at "+o.Title+", "+o.CentreName, now); err != nil {
		return err
	}
	return fault.Field("postcode", "That is not the home postcode we have for them. Check it with them, or register them as a new young person")
}

func coalesce(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Refusals of a walk-in (fault codes), besides CodeSessionCancelled and
// CodeRegisterLocked.
const (
	CodeFull        = "full"
	CodeNotEligible = "not_eligible_age"
)

// AddWalkInIn puts a young person on an occurrence's register inside tx,
// which the caller commits (the API's Idempotency-Key handling stores the
// answer in the same transaction, so a retried "register a new young
// person" does not register them twice): registering them first when New is
// given, adding their emergency details, and at a bookable session taking a
// place under the occurrence's row lock (the counter is raised only while
// below the places, the same conditional update that bookings use). Someone
// on the waiting list is given the free place on their booking instead.
// Someone already on the register is returned as they are with created
// false. Refusals: fault.Conflict full, session_cancelled, register_locked;
// fault.Invalid not_eligible_age; fault.NotFound for an unknown young person.
func (s *Service) AddWalkInIn(ctx context.Context, tx *sqlx.Tx, a Actor, o Occurrence, w WalkIn) (Entry, bool, error) {
	ypID, created, err := s.placeWalkIn(ctx, tx, a, o, w)
	if err != nil {
		return Entry{}, false, err
	}
	if created && w.New == nil {
		if err := tellWalkedIn(ctx, tx, o, ypID); err != nil {
			return Entry{}, false, err
		}
	}
	var r entryRow
	err = tx.GetContext(ctx, &r, entriesSQL, o.ID, ypID)
	return r.entry(), created, postgres.Classify(err)
}

// NotificationWalkedIn is the kind of notification a young person with an
// account gets when staff let them in at a session as a walk-in: if it was
// not them (someone who knew their name, birthday and postcode), they learn
// of it, as their emergency details are now on that session's roll call.
const NotificationWalkedIn = "walked_in"

func tellWalkedIn(ctx context.Context, tx *sqlx.Tx, o Occurrence, ypID string) error {
	msg := "A youth worker let you in at " + o.Title + ", " + o.CentreName + ", " + schedule.SpokenWhen(o.StartsAt) +
		". If that was not you, tell a youth worker or your council."
	_, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, kind, message)
		SELECT id, $2, $3 FROM users WHERE id = $1 AND email IS NOT NULL`, ypID, NotificationWalkedIn, msg)
	return err
}

// NoteDuplicates is the walk-in search's counterpart for a new young person
// about to be registered at the door: a possible duplicate (a registered
// young person of the same first name and date of birth) will be refused,
// and saying so tells staff that such a person exists, as a search by name
// and date of birth would. So each one found is audited as shown, and the
// caller counts it against the same limit. It reports whether any was found.
func (s *Service) NoteDuplicates(ctx context.Context, actorID, firstName string, dateOfBirth time.Time) (bool, error) {
	var n int
	err := s.DB.GetContext(ctx, &n, `WITH found AS (
		SELECT id FROM users WHERE role = 'young_person' AND active AND lower(first_name) = lower($1) AND date_of_birth = $2
	), aud AS (
		INSERT INTO audit_log (actor_id, subject_id, action, reason, at)
		SELECT $3, id, $4, 'walk-in registration: a possible duplicate by first name and date of birth', $5 FROM found
	)
	SELECT count(*) FROM found`, strings.TrimSpace(firstName), dateOfBirth.Format(time.DateOnly), actorID, ActionWalkInSearchShown, s.Now())
	return n > 0, err
}

// placeWalkIn does AddWalkInIn's work and returns the young person's id and
// whether they were added (false when already on the register).
func (s *Service) placeWalkIn(ctx context.Context, tx *sqlx.Tx, a Actor, o Occurrence, w WalkIn) (string, bool, error) {
	now := s.Now()
	ypID := w.YoungPersonID
	var occ struct {
		Status   string    `db:"status"`
		Mode     string    `db:"booking_mode"`
		StartsAt time.Time `db:"starts_at"`
		EndsAt   time.Time `db:"ends_at"`
		AgeMin   int       `db:"age_min"`
		AgeMax   int       `db:"age_max"`
	}
	// The row lock serialises walk-ins and bookings of this occurrence.
	if err := tx.GetContext(ctx, &occ, `SELECT o.status, o.booking_mode, o.starts_at, o.ends_at, s.age_min, s.age_max
		FROM occurrences o JOIN session_series s ON s.id = o.series_id WHERE o.id = $1 FOR UPDATE OF o`, o.ID); err != nil {
		return "", false, postgres.Classify(err)
	}
	switch {
	case occ.Status == "cancelled":
		return "", false, fault.Coded(fault.Conflict, CodeSessionCancelled, "This session was cancelled")
	case now.After(occ.EndsAt.Add(LockAfter)):
		return "", false, fault.Coded(fault.Conflict, CodeRegisterLocked, "This register locked 7 days after the session")
	case now.Before(occ.StartsAt.Add(-OpensBefore)):
		// A walk-in is someone at the door: not someone added ahead of a
		// session (a place outside the booking rules, and their emergency
		// details on a register they may never come to).
		return "", false, fault.Coded(fault.Conflict, CodeTooEarly, "Walk-ins can be added once the register opens, %s before the session starts", OpensBefore)
	}
	if w.New != nil && !w.SomeoneElse {
		var same bool
		if err := tx.GetContext(ctx, &same, `SELECT EXISTS (SELECT 1 FROM users WHERE role = 'young_person' AND active
			AND lower(first_name) = lower($1) AND date_of_birth = $2)`, w.New.FirstName, w.New.DateOfBirth.Format(time.DateOnly)); err != nil {
			return "", false, err
		}
		if same {
			return "", false, fault.Coded(fault.Conflict, CodePossibleDuplicate,
				"A young person called %s, born on %s, is already registered. Find them by name and date of birth, or say this is someone else",
				w.New.FirstName, w.New.DateOfBirth.Format("2 January 2006"))
		}
	}
	if w.New != nil {
		if err := tx.GetContext(ctx, &ypID, `INSERT INTO users (role, first_name, last_name, date_of_birth, postcode)
			VALUES ('young_person', $1, $2, $3, $4) RETURNING id`,
			w.New.FirstName, w.New.LastName, w.New.DateOfBirth.Format(time.DateOnly), w.New.Postcode); err != nil {
			return "", false, postgres.Classify(err)
		}
	} else {
		var ok bool
		if err := tx.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = 'young_person' AND active)`, ypID); err != nil {
			return "", false, err
		}
		if !ok {
			return "", false, fault.New(fault.NotFound, "There is no young person with this id")
		}
	}
	if err := addDetails(ctx, tx, a, o, ypID, w, now); err != nil {
		return "", false, err
	}
	var have struct {
		Booking string `db:"booking"` // status of their live booking, '' for none
		WalkIn  bool   `db:"walk_in"`
		Age     int    `db:"age"` // on the day of the session, as bookings count it
	}
	if err := tx.GetContext(ctx, &have, `SELECT
		coalesce((SELECT status FROM bookings WHERE occurrence_id = $1 AND young_person_id = $2
		          AND status IN ('confirmed','attended','no_show','waitlisted')
		          ORDER BY status = 'waitlisted', created_at DESC LIMIT 1), '') AS booking,
		EXISTS (SELECT 1 FROM walk_ins WHERE occurrence_id = $1 AND young_person_id = $2) AS walk_in,
		(SELECT extract(year FROM age((o.starts_at AT TIME ZONE 'Europe/London')::date, u.date_of_birth))::int
		 FROM occurrences o, users u WHERE o.id = $1 AND u.id = $2) AS age`, o.ID, ypID); err != nil {
		return "", false, err
	}
	if have.WalkIn || (have.Booking != "" && have.Booking != "waitlisted") {
		return ypID, false, nil // already on the register
	}
	if have.Age < occ.AgeMin || have.Age > occ.AgeMax {
		return "", false, fault.Coded(fault.Invalid, CodeNotEligible, "This session is for ages %d to %d; on the day this young person is %d",
			occ.AgeMin, occ.AgeMax, have.Age)
	}
	if occ.Mode != "bookable" {
		_, err := tx.ExecContext(ctx, `INSERT INTO walk_ins (occurrence_id, young_person_id, took_place, added_by, added_at)
			VALUES ($1, $2, false, $3, $4)`, o.ID, ypID, a.UserID, now)
		if err != nil {
			return "", false, postgres.Classify(err)
		}
		return ypID, true, nil
	}
	waiting := have.Booking == "waitlisted"
	var took int
	err := tx.GetContext(ctx, &took, `UPDATE occurrences SET confirmed_count = confirmed_count + 1,
		waitlist_count = waitlist_count - $2::int
		WHERE id = $1 AND confirmed_count < LEAST(capacity, coalesce(staffed_limit, capacity)) RETURNING 1`, o.ID, boolInt(waiting))
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, fault.Coded(fault.Conflict, CodeFull, "This session is full: there is no place left for a walk-in")
	}
	if err != nil {
		return "", false, err
	}
	if waiting {
		_, err = tx.ExecContext(ctx, `UPDATE bookings SET status = 'confirmed', waitlist_seq = NULL, promoted_at = $3, updated_at = $3
			WHERE occurrence_id = $1 AND young_person_id = $2 AND status = 'waitlisted'`, o.ID, ypID, now)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO walk_ins (occurrence_id, young_person_id, took_place, added_by, added_at)
			VALUES ($1, $2, true, $3, $4)`, o.ID, ypID, a.UserID, now)
	}
	if err := postgres.Classify(err); err != nil {
		if fe, ok := fault.As(err); ok && fe.Code == "bookings_no_overlap" {
			return "", false, fault.Coded(fault.Conflict, "overlapping_booking", "This young person has a place at another session at the same time")
		}
		return "", false, err
	}
	return ypID, true, nil
}

// ActionDetailsAdded is the audit action written when staff at the door add
// an emergency contact or medical notes for a young person already
// registered: their home council's access log (and their own data
// download) says who added what, and when.
const ActionDetailsAdded = "walk_in_details_added"

// addDetails stores a walk-in's emergency contact and medical notes. A young
// person registered just now gets them as given. For someone already
// registered they are only ever added to: a contact joins their others, and
// notes go after the ones kept, dated and marked as added at the door, so
// that nobody at a door can replace what the young person or another worker
// recorded (an allergy overwritten with "none"). Each addition is audited.
func addDetails(ctx context.Context, tx *sqlx.Tx, a Actor, o Occurrence, ypID string, w WalkIn, now time.Time) error {
	existing := w.New == nil
	var added []string
	if w.Contact != nil {
		// The same contact sent again (a retried walk-in) is not added twice.
		res, err := tx.ExecContext(ctx, `INSERT INTO emergency_contacts (young_person_id, name, phone, relationship, created_by)
			SELECT $1, $2, $3, $4, $5
			WHERE NOT EXISTS (SELECT 1 FROM emergency_contacts c WHERE c.young_person_id = $1
			                  AND lower(c.name) = lower($2) AND regexp_replace(c.phone, '\s', '', 'g') = regexp_replace($3, '\s', '', 'g'))`,
			ypID, w.Contact.Name, w.Contact.Phone, w.Contact.Relationship, a.UserID)
		if err != nil {
			return postgres.Classify(err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			added = append(added, "an emergency contact")
		}
	}
	if notes := strings.TrimSpace(w.MedicalNotes); notes != "" {
		if !existing {
			if _, err := tx.ExecContext(ctx, `INSERT INTO medical_notes (young_person_id, notes, updated_by, updated_at)
				VALUES ($1, $2, $3, $4)`, ypID, notes, a.UserID, now); err != nil {
				return postgres.Classify(err)
			}
		} else {
			stamped := "Added at the door, " + now.In(schedule.London()).Format("2 January 2006") + ": " + notes
			if utf8.RuneCountInString(stamped) > 2000 {
				return fault.Field("medical_notes", "Medical notes added for someone already registered must be 1,950 characters or fewer")
			}
			// Only the very same addition (a retried walk-in, the same day) is
			// not added again: notes that merely contain the words ("No nut
			// allergy known" and then "nut allergy") are added.
			res, err := tx.ExecContext(ctx, `INSERT INTO medical_notes AS m (young_person_id, notes, updated_by, updated_at)
				VALUES ($1, $2, $3, $4)
				ON CONFLICT (young_person_id) DO UPDATE SET notes = m.notes || E'\n' || EXCLUDED.notes,
					updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
				WHERE position(E'\n' || EXCLUDED.notes || E'\n' IN E'\n' || m.notes || E'\n') = 0
				  AND length(m.notes) + 1 + length(EXCLUDED.notes) <= 2000`,
				ypID, stamped, a.UserID, now)
			if err != nil {
				return postgres.Classify(err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				var kept bool
				if err := tx.GetContext(ctx, &kept, `SELECT position(E'\n' || $2 || E'\n' IN E'\n' || notes || E'\n') > 0 FROM medical_notes WHERE young_person_id = $1`, ypID, stamped); err != nil {
					return err
				}
				if !kept {
					return fault.Field("medical_notes", "Their medical notes are full (2,000 characters): tell a centre manager what needs to be added")
				}
			} else {
				added = append(added, "medical notes")
			}
		}
	}
	if !existing || len(added) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (actor_id, subject_id, action, reason, at) VALUES ($1, $2, $3, $4, $5)`,
		a.UserID, ypID, ActionDetailsAdded, "added "+strings.Join(added, " and ")+" at a walk-in to "+o.Title+", "+o.CentreName, now)
	return err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
