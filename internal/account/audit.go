package account

import (
	"context"
	"strings"
	"time"

	"youthhub/internal/platform/auth"
)

// AuditActions are the actions the access log can be filtered by.
var AuditActions = []string{"view_emergency_contact", "staff_changed", "date_of_birth_corrected", "password_changed", "password_reset", "email_changed", "walk_in_postcode_wrong", "walk_in_search_shown", "email_change_asked", "walk_in_details_added", "consent_given", "consent_refused", "consent_withdrawn"}

// AuditPerson is someone in the access log, named as little as needed:
// staff in full, young people and others by first name and initial.
type AuditPerson struct {
	ID   string    `json:"id"`
	Name string    `json:"name"`
	Role auth.Role `json:"role"`
}

// AuditEntry is one row of the access log.
type AuditEntry struct {
	ID      int64        `json:"id"`
	At      time.Time    `json:"at"`
	Action  string       `json:"action"`
	Reason  string       `json:"reason"`
	Actor   *AuditPerson `json:"actor"`
	Subject *AuditPerson `json:"subject"`
}

// AuditFilter narrows the access log; empty fields do not.
type AuditFilter struct {
	Action        string
	From, Before  time.Time // zero: open
	Limit, Offset int
}

type auditRow struct {
	ID           int64      `db:"id"`
	At           time.Time  `db:"at"`
	Action       string     `db:"action"`
	Reason       string     `db:"reason"`
	ActorID      *string    `db:"actor_id"`
	ActorFirst   *string    `db:"actor_first"`
	ActorLast    *string    `db:"actor_last"`
	ActorRole    *auth.Role `db:"actor_role"`
	SubjectID    *string    `db:"subject_id"`
	SubjectFirst *string    `db:"subject_first"`
	SubjectLast  *string    `db:"subject_last"`
	SubjectRole  *auth.Role `db:"subject_role"`
	Total        int        `db:"total"`
}

// auditOfCouncil picks a council's ($1) entries of the access log: those
// whose actor or subject is on its staff, and those about a young person who
// lives in its area (their home postcode is in it), whoever the actor: a
// roll call at another council's centre that showed its resident's emergency
// contacts is the home council's to see too.
const auditOfCouncil = `
		FROM audit_log a
		LEFT JOIN users act ON act.id = a.actor_id
		LEFT JOIN users sub ON sub.id = a.subject_id
		WHERE (act.council_id = $1 OR sub.council_id = $1
		       OR (sub.role = 'young_person' AND EXISTS (SELECT 1 FROM postcodes p JOIN councils k ON k.lad_code = p.lad_code
		                                                 WHERE p.postcode = sub.postcode AND k.id = $1)))
		  AND ($2 = '' OR a.action = $2)
		  AND ($3::timestamptz IS NULL OR a.at >= $3) AND ($4::timestamptz IS NULL OR a.at < $4)`

// FindAudit reads a council's access log, newest first (see auditOfCouncil).
func (s *Service) FindAudit(ctx context.Context, councilID string, f AuditFilter) ([]AuditEntry, int, error) {
	const q = `SELECT a.id, a.at, a.action, a.reason,
			act.id AS actor_id, act.first_name AS actor_first, act.last_name AS actor_last, act.role AS actor_role,
			sub.id AS subject_id, sub.first_name AS subject_first, sub.last_name AS subject_last, sub.role AS subject_role,
			count(*) OVER () AS total` + auditOfCouncil + `
		ORDER BY a.at DESC, a.id DESC
		LIMIT $5 OFFSET $6`
	var rows []auditRow
	if err := s.DB.SelectContext(ctx, &rows, q, councilID, f.Action, nullTime(f.From), nullTime(f.Before), f.Limit, f.Offset); err != nil {
		return nil, 0, err
	}
	out := make([]AuditEntry, 0, len(rows))
	total := 0
	for _, r := range rows {
		total = r.Total
		out = append(out, AuditEntry{ID: r.ID, At: r.At, Action: r.Action, Reason: r.Reason,
			Actor: auditPerson(r.ActorID, r.ActorFirst, r.ActorLast, r.ActorRole), Subject: auditPerson(r.SubjectID, r.SubjectFirst, r.SubjectLast, r.SubjectRole)})
	}
	if len(rows) == 0 && f.Offset > 0 {
		// Past the end: the total is still wanted, for the pages before.
		var n int
		if err := s.DB.GetContext(ctx, &n, `SELECT count(*)`+auditOfCouncil,
			councilID, f.Action, nullTime(f.From), nullTime(f.Before)); err != nil {
			return nil, 0, err
		}
		total = n
	}
	return out, total, nil
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func auditPerson(id, first, last *string, role *auth.Role) *AuditPerson {
	if id == nil || first == nil || role == nil {
		return nil
	}
	name := *first
	if last != nil && *last != "" {
		if role.IsStaff() {
			name += " " + *last
		} else {
			name += " " + strings.ToUpper(string([]rune(*last)[:1])) + "."
		}
	}
	return &AuditPerson{ID: *id, Name: name, Role: *role}
}
