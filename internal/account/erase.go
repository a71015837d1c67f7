package account

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
)

// Export is everything youthhub holds about a young person, for their own
// copy (UK GDPR right of access).
type Export struct {
	ExportedAt time.Time       `json:"exported_at"`
	Account    json.RawMessage `json:"account"`
	Consent    json.RawMessage `json:"consent"`
	// ConsentRequests is every time a guardian was asked, and at which address.
	ConsentRequests json.RawMessage `json:"consent_requests"`
	Bookings        json.RawMessage `json:"bookings"`
	Attendance      json.RawMessage `json:"attendance"`
	Notifications   json.RawMessage `json:"notifications"`
	Contacts        json.RawMessage `json:"emergency_contacts"`
	MedicalNotes    json.RawMessage `json:"medical_notes"`
	FormerEmails    json.RawMessage `json:"former_emails"`
	PendingEmail    json.RawMessage `json:"pending_email"`
	// WalkIns is every session they were let in at without a booking.
	WalkIns json.RawMessage `json:"walk_ins"`
	// AccessLog is who looked at or changed their data (every roll call
	// that showed their emergency details, walk-in searches that showed
	// them, changes by staff, consent decisions): when, what and why, and
	// the role and council of whoever did it (not staff's names).
	AccessLog json.RawMessage `json:"access_log"`
}

// exportSQL gathers the person's data as JSON in one statement.
const exportSQL = `
SELECT
  (SELECT json_build_object('id', u.id, 'role', u.role, 'first_name', u.first_name, 'last_name', u.last_name,
          'email', u.email, 'date_of_birth', u.date_of_birth, 'postcode', u.postcode, 'created_at', u.created_at)
     FROM users u WHERE u.id = $1) AS account,
  coalesce((SELECT json_build_object('guardian_email', c.guardian_email, 'status', c.status,
          'requested_at', c.requested_at, 'decided_at', c.decided_at)
     FROM consents c WHERE c.young_person_id = $1), 'null'::json) AS consent,
  coalesce((SELECT json_agg(json_build_object('guardian_email', r.guardian_email, 'requested_at', r.requested_at) ORDER BY r.requested_at)
     FROM consent_requests r WHERE r.young_person_id = $1), '[]'::json) AS consent_requests,
  coalesce((SELECT json_agg(json_build_object('id', b.id, 'session', s.title, 'centre', ce.name, 'starts_at', b.starts_at,
          'status', b.status, 'created_at', b.created_at, 'cancelled_at', b.cancelled_at) ORDER BY b.starts_at)
     FROM bookings b JOIN occurrences o ON o.id = b.occurrence_id JOIN session_series s ON s.id = o.series_id
     JOIN centres ce ON ce.id = o.centre_id WHERE b.young_person_id = $1), '[]'::json) AS bookings,
  coalesce((SELECT json_agg(json_build_object('session', s.title, 'starts_at', o.starts_at, 'status', m.status,
          'checked_in_at', m.checked_in_at, 'checked_out_at', m.checked_out_at, 'recorded_at', m.recorded_at,
          'reason', nullif(m.reason, '')) ORDER BY m.recorded_at)
     FROM marks m JOIN occurrences o ON o.id = m.occurrence_id JOIN session_series s ON s.id = o.series_id
     WHERE m.young_person_id = $1), '[]'::json) AS attendance,
  coalesce((SELECT json_agg(json_build_object('kind', n.kind, 'message', n.message, 'created_at', n.created_at) ORDER BY n.created_at)
     FROM notifications n WHERE n.user_id = $1), '[]'::json) AS notifications,
  coalesce((SELECT json_agg(json_build_object('name', e.name, 'phone', e.phone, 'relationship', e.relationship))
     FROM emergency_contacts e WHERE e.young_person_id = $1), '[]'::json) AS contacts,
  coalesce((SELECT to_json(mn.notes) FROM medical_notes mn WHERE mn.young_person_id = $1), 'null'::json) AS medical_notes,
  coalesce((SELECT json_agg(json_build_object('email', f.email, 'changed_at', f.changed_at) ORDER BY f.changed_at)
     FROM former_emails f WHERE f.user_id = $1), '[]'::json) AS former_emails,
  coalesce((SELECT json_build_object('email', c.new_email, 'asked_at', c.asked_at, 'expires_at', c.expires_at)
     FROM email_changes c WHERE c.user_id = $1), 'null'::json) AS pending_email,
  coalesce((SELECT json_agg(json_build_object('session', s.title, 'centre', ce.name, 'starts_at', o.starts_at, 'added_at', w.added_at) ORDER BY o.starts_at)
     FROM walk_ins w JOIN occurrences o ON o.id = w.occurrence_id JOIN session_series s ON s.id = o.series_id
     JOIN centres ce ON ce.id = o.centre_id WHERE w.young_person_id = $1), '[]'::json) AS walk_ins,
  coalesce((SELECT json_agg(json_build_object('at', a.at, 'action', a.action, 'reason', a.reason,
          'by', CASE WHEN a.actor_id = $1 THEN 'you' WHEN au.id IS NULL THEN NULL ELSE au.role END,
          'by_council', k.name) ORDER BY a.at, a.id)
     FROM audit_log a LEFT JOIN users au ON au.id = a.actor_id LEFT JOIN councils k ON k.id = au.council_id
     WHERE a.subject_id = $1), '[]'::json) AS access_log`

// ExportData returns a young person's data.
func (s *Service) ExportData(ctx context.Context, userID string) (Export, error) {
	var row struct {
		Account       []byte `db:"account"`
		Consent       []byte `db:"consent"`
		Requests      []byte `db:"consent_requests"`
		Bookings      []byte `db:"bookings"`
		Attendance    []byte `db:"attendance"`
		Notifications []byte `db:"notifications"`
		Contacts      []byte `db:"contacts"`
		MedicalNotes  []byte `db:"medical_notes"`
		FormerEmails  []byte `db:"former_emails"`
		PendingEmail  []byte `db:"pending_email"`
		WalkIns       []byte `db:"walk_ins"`
		AccessLog     []byte `db:"access_log"`
	}
	if err := s.DB.GetContext(ctx, &row, exportSQL, userID); err != nil {
		return Export{}, postgres.Classify(err)
	}
	return Export{ExportedAt: s.Now(), Account: row.Account, Consent: row.Consent, ConsentRequests: row.Requests, Bookings: row.Bookings,
		Attendance: row.Attendance, Notifications: row.Notifications, Contacts: row.Contacts,
		MedicalNotes: row.MedicalNotes, FormerEmails: row.FormerEmails, PendingEmail: row.PendingEmail,
		WalkIns: row.WalkIns, AccessLog: row.AccessLog}, nil
}

// Erase removes a young person's personal data in one transaction. The
// account is switched off and stripped of name, email, password, postcode
// and exact date of birth (the year is kept, on 1 January, because past
// attendance stays in the council's anonymous reach figures); consent,
// notifications, tokens, password-reset links, contacts, medical notes, calendar secret,
// idempotency keys, staff's stored answers that name them, and e-mails to
// them or to their guardian about them (sent or not) are deleted.
// Future bookings must be cancelled first (through the booking rules, so
// the waiting list moves on): Erase refuses while any are live. A guardian's
// account is erased as eraseGuardian says.
func (s *Service) Erase(ctx context.Context, userID string) error {
	return postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var role string
		if err := tx.GetContext(ctx, &role, `SELECT role FROM users WHERE id = $1 FOR UPDATE`, userID); err != nil {
			return postgres.Classify(err)
		}
		if role == "guardian" {
			return eraseGuardian(ctx, tx, userID)
		}
		var live int
		if err := tx.GetContext(ctx, &live, `SELECT count(*) FROM bookings WHERE young_person_id = $1
			AND status IN ('confirmed','waitlisted') AND starts_at > $2`, userID, s.Now()); err != nil {
			return err
		}
		if live > 0 {
			return fault.Coded(fault.Conflict, "live_bookings", "Cancel your upcoming bookings first")
		}
		stmts := []string{
			// E-mails to them (at this address or one they used before), and
			// to their guardian about them (naming them, or carrying their
			// consent link), sent or not.
			`DELETE FROM outbox o USING users u WHERE u.id = $1 AND (lower(o.to_email) = lower(u.email)
				OR o.to_email IN (SELECT email FROM former_emails WHERE user_id = $1)
				OR (o.to_email IN (SELECT guardian_email FROM consents WHERE young_person_id = $1
				                   UNION SELECT guardian_email FROM consent_requests WHERE young_person_id = $1)
				    AND (position(u.first_name IN o.body) > 0
				         OR sha256(convert_to(substring(o.body FROM '/consent/([A-Za-z0-9_-]+)'), 'UTF8'))
				            IN (SELECT token_hash FROM consents WHERE young_person_id = $1))))`,
			// Mail about them to someone else, whatever their name was then.
			`DELETE FROM outbox WHERE about_user_id = $1`,
			`DELETE FROM former_emails WHERE user_id = $1`,
			// A new address never confirmed (the link sent to it is about them, above).
			`DELETE FROM email_changes WHERE user_id = $1`,
			`DELETE FROM consents WHERE young_person_id = $1`,
			`DELETE FROM consent_requests WHERE young_person_id = $1`,
			`DELETE FROM notifications WHERE user_id = $1`,
			`DELETE FROM refresh_tokens WHERE user_id = $1`,
			`DELETE FROM password_resets WHERE user_id = $1`,
			`DELETE FROM idempotency_keys WHERE user_id = $1`,
			// Staff's stored answers that name them (a walk-in's register entry).
			`DELETE FROM idempotency_keys WHERE position(convert_to($1::text, 'UTF8') IN response) > 0`,
			`DELETE FROM emergency_contacts WHERE young_person_id = $1`,
			`DELETE FROM medical_notes WHERE young_person_id = $1`,
			// Their attendance stays, for the council's anonymous figures; the
			// words a manager typed about a change to it may say more.
			`UPDATE marks SET reason = '' WHERE young_person_id = $1 AND reason <> ''`,
			`UPDATE users SET first_name = 'Deleted', last_name = '', email = NULL, password_hash = NULL, postcode = NULL,
				date_of_birth = date_trunc('year', date_of_birth)::date, calendar_secret_hash = NULL, active = false, updated_at = now()
			 WHERE id = $1 AND role = 'young_person'`,
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q, userID); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (actor_id, subject_id, action, reason) VALUES ($1, $1, 'erase_account', 'requested by the young person')`, userID)
		return err
	})
}

// eraseGuardian removes a guardian account's personal data: name, e-mail
// address, password, sessions, links, notifications and the e-mails sent to
// them. The answers they gave about their children stay (a child's consent
// is the child's record, and names their guardian's address, not this
// account), no longer linked to the account.
func eraseGuardian(ctx context.Context, tx *sqlx.Tx, userID string) error {
	stmts := []string{
		`DELETE FROM outbox o USING users u WHERE u.id = $1 AND (lower(o.to_email) = lower(u.email)
			OR o.to_email IN (SELECT email FROM former_emails WHERE user_id = $1))`,
		`DELETE FROM former_emails WHERE user_id = $1`,
		`DELETE FROM outbox WHERE about_user_id = $1`,
		`DELETE FROM email_changes WHERE user_id = $1`,
		`UPDATE consents SET guardian_user_id = NULL WHERE guardian_user_id = $1`,
		`DELETE FROM notifications WHERE user_id = $1`,
		`DELETE FROM refresh_tokens WHERE user_id = $1`,
		`DELETE FROM password_resets WHERE user_id = $1`,
		`DELETE FROM idempotency_keys WHERE user_id = $1`,
		`UPDATE users SET first_name = 'Deleted', last_name = '', email = NULL, password_hash = NULL, active = false, updated_at = now()
		 WHERE id = $1 AND role = 'guardian'`,
		`INSERT INTO audit_log (actor_id, subject_id, action, reason) VALUES ($1, $1, 'erase_account', 'requested by the guardian')`,
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q, userID); err != nil {
			return err
		}
	}
	return nil
}
