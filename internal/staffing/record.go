package staffing

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/rota"
)

// Weekdays are the day names availability uses, in time.Weekday order
// (Sunday first).
var Weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// Window is a weekly period in which a worker can work, in Europe/London
// wall-clock time; To may be "24:00".
type Window struct {
	Day  string `json:"day" validate:"required,oneof=monday tuesday wednesday thursday friday saturday sunday"`
	From string `json:"from" validate:"required,hhmm"`
	To   string `json:"to" validate:"required,len=5"`
}

// Leave is a period of days off, inclusive.
type Leave struct {
	FromDate string `db:"from_date" json:"from_date" validate:"required,date"`
	ToDate   string `db:"to_date" json:"to_date" validate:"required,date"`
	Note     string `db:"note" json:"note" validate:"max=200"`
}

// RecordInput is a staff record as a manager enters it: a full replacement.
// Dates are YYYY-MM-DD; a null date is "not recorded". The DBS certificate
// itself is never stored, only its number and dates.
type RecordInput struct {
	Qualification        string   `json:"qualification" validate:"required,oneof=none jnc2 jnc3 jnc6plus"`
	DBSCertificateNumber *string  `json:"dbs_certificate_number" validate:"omitempty,len=12,numeric"`
	DBSIssueDate         *string  `json:"dbs_issue_date" validate:"omitempty,date"`
	DBSUpdateService     bool     `json:"dbs_update_service"`
	DBSNextCheckDue      *string  `json:"dbs_next_check_due" validate:"omitempty,date"`
	DBSEnhanced          bool     `json:"dbs_enhanced"`
	DBSBarredListChecked bool     `json:"dbs_barred_list_checked"`
	OnBarredList         bool     `json:"on_barred_list"`
	FirstAidExpires      *string  `json:"first_aid_expires" validate:"omitempty,date"`
	SafeguardingExpires  *string  `json:"safeguarding_expires" validate:"omitempty,date"`
	ContractedHours      float64  `json:"contracted_hours" validate:"gte=0,lte=100"`
	OptedOut48h          bool     `json:"opted_out_48h"`
	Volunteer            bool     `json:"volunteer"`
	CentreIDs            []string `json:"centre_ids" validate:"max=100,unique,dive,uuid"`
	Availability         []Window `json:"availability" validate:"max=50,dive"`
	Leave                []Leave  `json:"leave" validate:"max=200,dive"`
}

// Record is a member of staff's record: who they are (from their account,
// including the date of birth the rules use) and what the rota rules read.
// Recorded is false, and the rest defaults, while no record has been saved.
type Record struct {
	UserID      string  `json:"user_id"`
	CouncilID   string  `json:"council_id"`
	Role        string  `json:"role"`
	FirstName   string  `json:"first_name"`
	LastName    string  `json:"last_name"`
	DateOfBirth *string `json:"date_of_birth"`
	Recorded    bool    `json:"recorded"`
	RecordInput
	CalendarSubscribed bool       `json:"calendar_subscribed"`
	UpdatedAt          *time.Time `json:"updated_at"`
}

type recordRow struct {
	UserID               string     `db:"user_id"`
	CouncilID            string     `db:"council_id"`
	Role                 string     `db:"role"`
	FirstName            string     `db:"first_name"`
	LastName             string     `db:"last_name"`
	DateOfBirth          *string    `db:"date_of_birth"`
	Recorded             bool       `db:"recorded"`
	Qualification        string     `db:"qualification"`
	DBSCertificateNumber *string    `db:"dbs_certificate_number"`
	DBSIssueDate         *string    `db:"dbs_issue_date"`
	DBSUpdateService     bool       `db:"dbs_update_service"`
	DBSNextCheckDue      *string    `db:"dbs_next_check_due"`
	DBSEnhanced          bool       `db:"dbs_enhanced"`
	DBSBarredListChecked bool       `db:"dbs_barred_list_checked"`
	OnBarredList         bool       `db:"on_barred_list"`
	FirstAidExpires      *string    `db:"first_aid_expires"`
	SafeguardingExpires  *string    `db:"safeguarding_expires"`
	ContractedHours      float64    `db:"contracted_hours"`
	OptedOut48h          bool       `db:"opted_out_48h"`
	Volunteer            bool       `db:"volunteer"`
	CalendarSubscribed   bool       `db:"calendar_subscribed"`
	UpdatedAt            *time.Time `db:"updated_at"`
}

const recordQuery = `SELECT u.id AS user_id, u.council_id, u.role, u.first_name, u.last_name,
	to_char(u.date_of_birth, 'YYYY-MM-DD') AS date_of_birth, r.user_id IS NOT NULL AS recorded,
	coalesce(r.qualification, 'none') AS qualification, r.dbs_certificate_number,
	to_char(r.dbs_issue_date, 'YYYY-MM-DD') AS dbs_issue_date, coalesce(r.dbs_update_service, false) AS dbs_update_service,
	to_char(r.dbs_next_check_due, 'YYYY-MM-DD') AS dbs_next_check_due, coalesce(r.dbs_enhanced, false) AS dbs_enhanced,
	coalesce(r.dbs_barred_list_checked, false) AS dbs_barred_list_checked, coalesce(r.on_barred_list, false) AS on_barred_list,
	to_char(r.first_aid_expires, 'YYYY-MM-DD') AS first_aid_expires, to_char(r.safeguarding_expires, 'YYYY-MM-DD') AS safeguarding_expires,
	coalesce(r.contracted_hours, 0)::float8 AS contracted_hours, coalesce(r.opted_out_48h, false) AS opted_out_48h,
	coalesce(r.volunteer, false) AS volunteer, r.calendar_secret_hash IS NOT NULL AS calendar_subscribed, r.updated_at
	FROM users u LEFT JOIN staff_records r ON r.user_id = u.id
	WHERE u.id = $1 AND u.council_id = $2 AND u.role IN ('youth_worker','centre_manager','council_officer')`

// FindStaffRecord returns the staff record of a member of the actor's
// council. A manager or officer may read anyone's; others only their own
// (fault.Forbidden). fault.NotFound for anyone not on the council's staff.
func (s *Service) FindStaffRecord(ctx context.Context, a Actor, userID string) (Record, error) {
	if !a.Manages() && a.UserID != userID {
		return Record{}, fault.New(fault.Forbidden, "You can see only your own staff record")
	}
	var rec Record
	err := s.read(ctx, func(tx *sqlx.Tx) error {
		var err error
		rec, err = findRecord(ctx, tx, a.CouncilID, userID)
		return err
	})
	return rec, err
}

// restaffWorker recomputes the rota and staffed places of the sessions to
// come that userID is rostered on, after a change to who they are (their
// staff record, or their account switched off): someone who may no longer
// work with young people supervises nobody, so fewer places are offered
// (never fewer than those already booked).
func (s *Service) restaffWorker(ctx context.Context, tx *sqlx.Tx, councilID, userID string) error {
	var ids []string
	if err := tx.SelectContext(ctx, &ids, `SELECT DISTINCT occurrence_id FROM shifts WHERE user_id = $1 AND council_id = $2 AND ends_at > $3`,
		userID, councilID, s.Now()); err != nil {
		return fmt.Errorf("staffing: a worker's sessions: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	occs, err := lockOccurrences(ctx, tx, councilID, ids)
	if err != nil {
		return err
	}
	items, err := evaluate(ctx, tx, councilID, occs)
	if err != nil {
		return err
	}
	_, err = s.setStaffedLimits(ctx, tx, items)
	return err
}

// RestaffWorker is restaffWorker in a transaction of its own, for a change
// made elsewhere (an account switched off or given another role).
func (s *Service) RestaffWorker(ctx context.Context, councilID, userID string) error {
	return postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error { return s.restaffWorker(ctx, tx, councilID, userID) })
}

func findRecord(ctx context.Context, q sqlx.QueryerContext, councilID, userID string) (Record, error) {
	var row recordRow
	if err := sqlx.GetContext(ctx, q, &row, recordQuery, userID, councilID); err != nil {
		return Record{}, postgres.Classify(err)
	}
	rec := Record{
		UserID: row.UserID, CouncilID: row.CouncilID, Role: row.Role, FirstName: row.FirstName, LastName: row.LastName,
		DateOfBirth: row.DateOfBirth, Recorded: row.Recorded, CalendarSubscribed: row.CalendarSubscribed, UpdatedAt: row.UpdatedAt,
		RecordInput: RecordInput{
			Qualification: row.Qualification, DBSCertificateNumber: row.DBSCertificateNumber, DBSIssueDate: row.DBSIssueDate,
			DBSUpdateService: row.DBSUpdateService, DBSNextCheckDue: row.DBSNextCheckDue, DBSEnhanced: row.DBSEnhanced,
			DBSBarredListChecked: row.DBSBarredListChecked, OnBarredList: row.OnBarredList, FirstAidExpires: row.FirstAidExpires,
			SafeguardingExpires: row.SafeguardingExpires, ContractedHours: row.ContractedHours, OptedOut48h: row.OptedOut48h,
			Volunteer: row.Volunteer, CentreIDs: []string{}, Availability: []Window{}, Leave: []Leave{},
		},
	}
	if err := sqlx.SelectContext(ctx, q, &rec.CentreIDs, `SELECT centre_id FROM staff_centres WHERE user_id = $1 ORDER BY centre_id`, userID); err != nil {
		return Record{}, fmt.Errorf("staffing: record centres: %w", err)
	}
	var wins []struct {
		Weekday int    `db:"weekday"`
		From    string `db:"from_time"`
		To      string `db:"to_time"`
	}
	const qa = `SELECT weekday, to_char(from_time, 'HH24:MI') AS from_time,
		CASE WHEN to_time = '24:00' THEN '24:00' ELSE to_char(to_time, 'HH24:MI') END AS to_time
		FROM availability WHERE user_id = $1 ORDER BY (weekday + 6) % 7, from_time`
	if err := sqlx.SelectContext(ctx, q, &wins, qa, userID); err != nil {
		return Record{}, fmt.Errorf("staffing: record availability: %w", err)
	}
	for _, w := range wins {
		rec.Availability = append(rec.Availability, Window{Day: Weekdays[w.Weekday], From: w.From, To: w.To})
	}
	const ql = `SELECT to_char(from_date, 'YYYY-MM-DD') AS from_date, to_char(to_date, 'YYYY-MM-DD') AS to_date, note
		FROM leave WHERE user_id = $1 ORDER BY from_date, to_date`
	if err := sqlx.SelectContext(ctx, q, &rec.Leave, ql, userID); err != nil {
		return Record{}, fmt.Errorf("staffing: record leave: %w", err)
	}
	return rec, nil
}

// PutStaffRecord saves the whole staff record of a member of the actor's
// council (centres, availability and leave replaced too) in one transaction.
// Shifts already held are kept (the rota shows any that now break a rule),
// but the places of their sessions are recomputed (restaffWorker). Errors: fault.NotFound for anyone not on the council's
// staff; fault.Invalid naming each bad field.
func (s *Service) PutStaffRecord(ctx context.Context, a Actor, userID string, in RecordInput) (Record, error) {
	if err := in.check(s.Now().In(rota.London()).Format(time.DateOnly)); err != nil {
		return Record{}, err
	}
	if userID == a.UserID {
		// The checks in it decide who may work with young people: nobody
		// vouches for themselves.
		return Record{}, fault.Coded(fault.Forbidden, "own_record", "You cannot change your own staff record. Ask a council officer to")
	}
	var rec Record
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		// The row lock keeps two changes of the barred flag from passing each other.
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM staff_records WHERE user_id = $1 FOR UPDATE`, userID); err != nil {
			return err
		}
		was, err := findRecord(ctx, tx, a.CouncilID, userID)
		if err != nil {
			return err
		}
		if was.OnBarredList != in.OnBarredList {
			// Only a council officer lifts a bar; anyone who keeps records may
			// record one. Either way it is audited.
			if !in.OnBarredList && a.Role != auth.CouncilOfficer {
				return fault.Coded(fault.Forbidden, "bar_lifted_by_officer", "Only a council officer can record that someone is no longer on the children's barred list")
			}
			why := "recorded as on the children's barred list"
			if !in.OnBarredList {
				why = "no longer recorded as on the children's barred list"
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (actor_id, subject_id, action, reason, at) VALUES ($1, $2, 'staff_changed', $3, $4)`,
				a.UserID, userID, why, s.Now()); err != nil {
				return err
			}
		}
		var n int
		if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM centres WHERE id = ANY($1::uuid[]) AND council_id = $2`,
			pq.StringArray(in.CentreIDs), a.CouncilID); err != nil {
			return fmt.Errorf("staffing: check centres: %w", err)
		}
		if n != len(in.CentreIDs) {
			return fault.Field("centre_ids", "Choose centres of your own council")
		}
		const q = `INSERT INTO staff_records (user_id, council_id, qualification, dbs_certificate_number, dbs_issue_date,
			dbs_update_service, dbs_next_check_due, dbs_enhanced, dbs_barred_list_checked, on_barred_list, first_aid_expires,
			safeguarding_expires, contracted_hours, opted_out_48h, volunteer, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5::date, $6, $7::date, $8, $9, $10, $11::date, $12::date, $13, $14, $15, now(), $16)
			ON CONFLICT (user_id) DO UPDATE SET qualification = EXCLUDED.qualification,
				dbs_certificate_number = EXCLUDED.dbs_certificate_number, dbs_issue_date = EXCLUDED.dbs_issue_date,
				dbs_update_service = EXCLUDED.dbs_update_service, dbs_next_check_due = EXCLUDED.dbs_next_check_due,
				dbs_enhanced = EXCLUDED.dbs_enhanced, dbs_barred_list_checked = EXCLUDED.dbs_barred_list_checked,
				on_barred_list = EXCLUDED.on_barred_list, first_aid_expires = EXCLUDED.first_aid_expires,
				safeguarding_expires = EXCLUDED.safeguarding_expires, contracted_hours = EXCLUDED.contracted_hours,
				opted_out_48h = EXCLUDED.opted_out_48h, volunteer = EXCLUDED.volunteer, updated_at = now(),
				updated_by = EXCLUDED.updated_by`
		if _, err := tx.ExecContext(ctx, q, userID, a.CouncilID, in.Qualification, in.DBSCertificateNumber, in.DBSIssueDate,
			in.DBSUpdateService, in.DBSNextCheckDue, in.DBSEnhanced, in.DBSBarredListChecked, in.OnBarredList, in.FirstAidExpires,
			in.SafeguardingExpires, in.ContractedHours, in.OptedOut48h, in.Volunteer, a.UserID); err != nil {
			return postgres.Classify(err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM staff_centres WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("staffing: clear centres: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO staff_centres (user_id, centre_id, council_id)
			SELECT $1, unnest($2::uuid[]), $3`, userID, pq.StringArray(in.CentreIDs), a.CouncilID); err != nil {
			return postgres.Classify(err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM availability WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("staffing: clear availability: %w", err)
		}
		days, froms, tos := make([]int64, len(in.Availability)), make([]string, len(in.Availability)), make([]string, len(in.Availability))
		for i, w := range in.Availability {
			days[i], froms[i], tos[i] = int64(slices.Index(Weekdays, w.Day)), w.From, w.To
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO availability (user_id, weekday, from_time, to_time)
			SELECT $1, t.d, t.f, t.t FROM unnest($2::int[], $3::time[], $4::time[]) AS t(d, f, t)`,
			userID, pq.Int64Array(days), pq.StringArray(froms), pq.StringArray(tos)); err != nil {
			return postgres.Classify(err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM leave WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("staffing: clear leave: %w", err)
		}
		lf, lt, ln := make([]string, len(in.Leave)), make([]string, len(in.Leave)), make([]string, len(in.Leave))
		for i, l := range in.Leave {
			lf[i], lt[i], ln[i] = l.FromDate, l.ToDate, l.Note
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO leave (user_id, from_date, to_date, note)
			SELECT $1, t.f, t.t, t.n FROM unnest($2::date[], $3::date[], $4::text[]) AS t(f, t, n)`,
			userID, pq.StringArray(lf), pq.StringArray(lt), pq.StringArray(ln)); err != nil {
			return postgres.Classify(err)
		}
		// Who may supervise young people may have changed (a bar, a lapsed
		// check): the places of their sessions to come follow at once.
		if err := s.restaffWorker(ctx, tx, a.CouncilID, userID); err != nil {
			return err
		}
		rec, err = findRecord(ctx, tx, a.CouncilID, userID)
		return err
	})
	return rec, err
}

// check finds what the validation tags cannot: times and dates in order,
// and a DBS certificate not issued after today (YYYY-MM-DD, London).
func (in *RecordInput) check(today string) error {
	var fields []fault.FieldError
	add := func(field, msg string) { fields = append(fields, fault.FieldError{Field: field, Message: msg}) }
	for i, w := range in.Availability {
		if !validClock(w.To) {
			add(fmt.Sprintf("availability[%d].to", i), "To must be a time like 22:00, or 24:00 for the end of the day")
		} else if w.To <= w.From {
			add(fmt.Sprintf("availability[%d].to", i), "To must be after from")
		}
	}
	for i, l := range in.Leave {
		if l.ToDate < l.FromDate {
			add(fmt.Sprintf("leave[%d].to_date", i), "The last day of leave must be the same as or after the first")
		}
	}
	if in.DBSIssueDate != nil && *in.DBSIssueDate > today {
		add("dbs_issue_date", "The DBS certificate's issue date cannot be in the future")
	}
	if in.DBSIssueDate != nil && in.DBSNextCheckDue != nil && *in.DBSNextCheckDue < *in.DBSIssueDate {
		add("dbs_next_check_due", "The next DBS check cannot be due before the certificate was issued")
	}
	if len(fields) > 0 {
		return fault.Fields(fields...)
	}
	if in.CentreIDs == nil {
		in.CentreIDs = []string{}
	}
	return nil
}

// validClock accepts HH:MM from 00:00 to 24:00.
func validClock(s string) bool {
	if s == "24:00" {
		return true
	}
	t, err := time.Parse("15:04", s)
	return err == nil && len(s) == 5 && t.Format("15:04") == s
}

// Expiry is a check that is missing, out of date or due soon.
type Expiry struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	// Check is dbs, first_aid or safeguarding.
	Check string `json:"check"`
	// Due is the last day the check is valid; null when none is recorded.
	Due *string `json:"due"`
	// DaysLeft is the days from today to Due, negative once it has passed.
	DaysLeft *int `json:"days_left"`
	// Status is missing, expired or due_soon.
	Status  string `json:"status"`
	Message string `json:"message"`
}

// FindExpiring lists, for the council's active staff with a record, every
// DBS check, first-aid certificate and safeguarding training that has run
// out or runs out within days (and every DBS check or safeguarding training
// not recorded at all; first aid is optional), missing first, then by date
// and name.
func (s *Service) FindExpiring(ctx context.Context, councilID string, days int) ([]Expiry, error) {
	const q = `SELECT r.user_id, u.first_name, u.last_name, to_char(r.dbs_next_check_due, 'YYYY-MM-DD') AS dbs_next_check_due,
		to_char(r.first_aid_expires, 'YYYY-MM-DD') AS first_aid_expires, to_char(r.safeguarding_expires, 'YYYY-MM-DD') AS safeguarding_expires
		FROM staff_records r JOIN users u ON u.id = r.user_id
		WHERE r.council_id = $1 AND u.active ORDER BY u.last_name, u.first_name, r.user_id`
	var rows []struct {
		UserID       string  `db:"user_id"`
		FirstName    string  `db:"first_name"`
		LastName     string  `db:"last_name"`
		DBS          *string `db:"dbs_next_check_due"`
		FirstAid     *string `db:"first_aid_expires"`
		Safeguarding *string `db:"safeguarding_expires"`
	}
	if err := s.DB.SelectContext(ctx, &rows, q, councilID); err != nil {
		return nil, fmt.Errorf("staffing: find expiring: %w", err)
	}
	now := s.Now().In(rota.London())
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	out := []Expiry{}
	for _, r := range rows {
		name := strings.TrimSpace(r.FirstName + " " + r.LastName)
		for _, c := range []struct {
			check, what string
			due         *string
			required    bool
		}{
			{"dbs", "DBS check", r.DBS, true},
			{"first_aid", "first-aid certificate", r.FirstAid, false},
			{"safeguarding", "safeguarding training", r.Safeguarding, true},
		} {
			if c.due == nil {
				if c.required {
					out = append(out, Expiry{UserID: r.UserID, Name: name, Check: c.check, Status: "missing",
						Message: fmt.Sprintf("%s has no %s recorded, so they cannot be rostered", name, c.what)})
				}
				continue
			}
			d, err := time.Parse(time.DateOnly, *c.due)
			if err != nil {
				return nil, fmt.Errorf("staffing: find expiring: %w", err)
			}
			left := int(d.Sub(today).Hours() / 24)
			if left > days {
				continue
			}
			e := Expiry{UserID: r.UserID, Name: name, Check: c.check, Due: c.due, DaysLeft: &left, Status: "due_soon"}
			when := dayOf(c.due).String()
			switch {
			case left < 0:
				e.Status = "expired"
				e.Message = fmt.Sprintf("%s's %s ran out on %s, %s ago", name, c.what, when, plural(-left, "day"))
			case left == 0:
				e.Message = fmt.Sprintf("%s's %s runs out today", name, c.what)
			default:
				e.Message = fmt.Sprintf("%s's %s runs out on %s, in %s", name, c.what, when, plural(left, "day"))
			}
			out = append(out, e)
		}
	}
	rank := func(e Expiry) int {
		if e.DaysLeft == nil {
			return -1 << 30
		}
		return *e.DaysLeft
	}
	slices.SortStableFunc(out, func(a, b Expiry) int { return cmp.Compare(rank(a), rank(b)) })
	return out, nil
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
