package register

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"youthhub/internal/platform/fault"
)

// ActionViewEmergencyContact is the audit_log action written for every young
// person whose emergency details a roll call shows.
const ActionViewEmergencyContact = "view_emergency_contact"

// OnSite is one young person at a roll call, with their emergency details.
type OnSite struct {
	YoungPersonID string     `db:"young_person_id"`
	FirstName     string     `db:"first_name"`
	LastName      string     `db:"last_name"`
	DateOfBirth   *time.Time `db:"date_of_birth"`
	Status        string     `db:"status"`
	CheckedInAt   time.Time  `db:"checked_in_at"`
	Contacts      []Contact  `db:"-"`
	MedicalNotes  *string    `db:"medical_notes"`
}

type onSiteRow struct {
	OnSite
	Contacts []byte `db:"contacts"` // a JSON array of Contact
}

// rollCallSQL lists who is on site (current mark present or late) with their
// emergency contacts and medical notes, and in the same statement writes one
// audit_log row per young person whose details it shows: the details are
// never read without the record of who read them and why.
const rollCallSQL = `
WITH rc AS (
    SELECT u.id AS young_person_id, u.first_name, u.last_name, u.date_of_birth, cm.status, cm.checked_in_at,
           coalesce((SELECT json_agg(json_build_object('name', e.name, 'phone', e.phone, 'relationship', e.relationship)
                                     ORDER BY e.created_at, e.id)
                     FROM emergency_contacts e WHERE e.young_person_id = u.id), '[]'::json) AS contacts,
           EXISTS (SELECT 1 FROM emergency_contacts e WHERE e.young_person_id = u.id) AS has_contact,
           mn.notes AS medical_notes
    FROM current_marks cm
    JOIN users u ON u.id = cm.young_person_id
    LEFT JOIN medical_notes mn ON mn.young_person_id = u.id
    WHERE cm.occurrence_id = $1 AND cm.status IN ('present','late')
), aud AS (
    INSERT INTO audit_log (actor_id, subject_id, action, reason, at)
    SELECT $2, young_person_id, $3, $4, $5 FROM rc WHERE has_contact OR medical_notes IS NOT NULL
)
SELECT young_person_id, first_name, last_name, date_of_birth, status, checked_in_at, contacts, medical_notes
FROM rc ORDER BY first_name, last_name, young_person_id`

// CodeRollCallClosed refuses a roll call outside the session's time.
const CodeRollCallClosed = "roll_call_closed"

// RollCall lists everyone checked in and not out at an occurrence the actor
// is authorised for, with emergency contacts and medical notes, for an
// emergency (reason says why: "fire drill", "evacuation"). Each young person
// whose details are shown gets an audit_log row (actor, subject, action
// view_emergency_contact, reason, time), written by the same statement.
// A reason shorter than 3 characters is fault.Invalid.
func (s *Service) RollCall(ctx context.Context, a Actor, o Occurrence, reason string) ([]OnSite, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case len([]rune(reason)) < 3:
		return nil, fault.Field("reason", "Say why you need the roll call, like fire drill or evacuation")
	case len(reason) > 200:
		return nil, fault.Field("reason", "Reason must be 200 characters or fewer")
	}
	// The roll call is of who is on site now: from when the register opens
	// until an hour after the session ends (the time the register stays
	// open for stragglers), not days later.
	now := s.Now()
	switch {
	case now.Before(o.StartsAt.Add(-OpensBefore)):
		return nil, fault.Coded(fault.Conflict, CodeRollCallClosed, "The roll call opens with the register, %s before the session starts", OpensBefore)
	case now.After(o.EndsAt.Add(CloseAfter)):
		return nil, fault.Coded(fault.Conflict, CodeRollCallClosed, "This session is over: a roll call is only for a session that is on now")
	}
	var rows []onSiteRow
	if err := s.DB.SelectContext(ctx, &rows, rollCallSQL, o.ID, a.UserID, ActionViewEmergencyContact, reason, now); err != nil {
		return nil, err
	}
	out := make([]OnSite, len(rows))
	for i, r := range rows {
		out[i] = r.OnSite
		if err := json.Unmarshal(r.Contacts, &out[i].Contacts); err != nil {
			return nil, fmt.Errorf("register: contacts: %w", err)
		}
	}
	return out, nil
}
