package staffing

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/rota"
)

// Service stores rotas and staff records. Now is injectable for tests.
type Service struct {
	DB  *sqlx.DB
	Now func() time.Time
	// Promote, when set, fills an occurrence's freed places from its waiting
	// list in the caller's transaction (booking.Service.FillFreedPlaces). It
	// is called whenever a rota write raises the places an occurrence
	// offers, so that nobody new books ahead of the queue.
	Promote func(ctx context.Context, tx *sqlx.Tx, occurrenceID string) error
}

// Actor is who asks: their user id, role and council. Every method answers
// only within Actor.CouncilID.
type Actor struct {
	UserID    string
	Role      auth.Role
	CouncilID string
}

// read runs fn in a read-only transaction on one snapshot, so that a view
// built from several queries (a week's rota, an auto-fill proposal) is
// consistent.
func (s *Service) read(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.DB.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return fmt.Errorf("staffing: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	return fn(tx)
}

// Manages reports whether the actor runs rotas (a centre manager or a council
// officer).
func (a Actor) Manages() bool {
	return a.Role == auth.CentreManager || a.Role == auth.CouncilOfficer
}

// Occurrence is a dated session as the rota sees it.
type Occurrence struct {
	ID             string    `db:"id" json:"occurrence_id"`
	SeriesID       string    `db:"series_id" json:"series_id"`
	CentreID       string    `db:"centre_id" json:"centre_id"`
	CentreName     string    `db:"centre_name" json:"centre_name"`
	Title          string    `db:"title" json:"title"`
	StartsAt       time.Time `db:"starts_at" json:"starts_at"`
	EndsAt         time.Time `db:"ends_at" json:"ends_at"`
	BookingMode    string    `db:"booking_mode" json:"booking_mode"`
	Capacity       int       `db:"capacity" json:"capacity"`
	ConfirmedCount int       `db:"confirmed_count" json:"confirmed_count"`
	StaffRatio     int       `db:"staff_ratio" json:"staff_ratio"`
	StaffedLimit   *int      `db:"staffed_limit" json:"staffed_limit"`
	Status         string    `db:"status" json:"-"`
}

func (o Occurrence) rota() rota.Occurrence {
	return rota.Occurrence{
		ID: o.ID, CentreName: o.CentreName, Start: o.StartsAt, End: o.EndsAt, Mode: rota.BookingMode(o.BookingMode),
		Capacity: o.Capacity, ConfirmedBookings: o.ConfirmedCount, Ratio: o.StaffRatio,
	}
}

const occurrenceColumns = `o.id, o.series_id, o.centre_id, c.name AS centre_name, ss.title, o.starts_at, o.ends_at,
	o.booking_mode, o.capacity, o.confirmed_count, ss.staff_ratio, o.staffed_limit, o.status`

const occurrenceFrom = ` FROM occurrences o JOIN session_series ss ON ss.id = o.series_id JOIN centres c ON c.id = o.centre_id `

// Shift is a worker on an occurrence.
type Shift struct {
	ID           string    `db:"id" json:"id"`
	OccurrenceID string    `db:"occurrence_id" json:"occurrence_id"`
	UserID       string    `db:"user_id" json:"user_id"`
	WorkerName   string    `db:"worker_name" json:"worker_name"`
	Role         string    `db:"role" json:"role"`
	StartsAt     time.Time `db:"starts_at" json:"starts_at"`
	EndsAt       time.Time `db:"ends_at" json:"ends_at"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
}

const shiftColumns = `s.id, s.occurrence_id, s.user_id, u.first_name || ' ' || u.last_name AS worker_name, s.role,
	s.starts_at, s.ends_at, s.created_at, s.updated_at`

const shiftFrom = ` FROM shifts s JOIN users u ON u.id = s.user_id `

func (s Shift) rota() rota.Shift {
	return rota.Shift{ID: s.ID, OccurrenceID: s.OccurrenceID, WorkerID: s.UserID, Role: rota.Role(s.Role), Start: s.StartsAt, End: s.EndsAt}
}

// Reason is one broken rule, in words.
type Reason struct {
	Code     string   `json:"code"`
	Severity string   `json:"severity"`
	Message  string   `json:"message"`
	UserIDs  []string `json:"user_ids"`
	ShiftID  *string  `json:"shift_id"`
}

func reasonOf(v rota.Violation) Reason {
	r := Reason{Code: string(v.Code), Severity: string(v.Severity), Message: v.Message, UserIDs: v.WorkerIDs}
	if r.UserIDs == nil {
		r.UserIDs = []string{}
	}
	if v.ShiftID != "" {
		id := v.ShiftID
		r.ShiftID = &id
	}
	return r
}

// OccurrenceRota is one occurrence with its shifts and its rota status: green
// when every rule holds, amber when it has enough adults but no qualified lead
// or no valid first-aider, red when it has too few adults or a shift breaks a
// hard rule. Reasons explain every rule broken.
type OccurrenceRota struct {
	Occurrence
	RotaStatus      string   `json:"rota_status"`
	Expected        int      `json:"expected"`
	RequiredAdults  int      `json:"required_adults"`
	AdultStaff      int      `json:"adult_staff"`
	StaffedCapacity int      `json:"staffed_capacity"`
	Reasons         []Reason `json:"reasons"`
	Shifts          []Shift  `json:"shifts"`
}

// loaded is what the rules read, as rota values, plus the names behind them.
type loaded struct {
	r       rota.Rota
	centres map[string][]string // worker id → the centres they usually work at
	names   map[string]string   // worker id → display name
}

// history is how far either side of the shifts in question the loader reads
// a worker's other shifts: the 17 weeks of the 48-hour average (both ways,
// since a shift sits in every 17-week window that holds it) and a day more for
// rest between days.
const history = (17*7 + 2) * 24 * time.Hour

type workerRow struct {
	UserID           string  `db:"user_id"`
	FirstName        string  `db:"first_name"`
	LastName         string  `db:"last_name"`
	DateOfBirth      *string `db:"date_of_birth"`
	Qualification    string  `db:"qualification"`
	DBSNextCheckDue  *string `db:"dbs_next_check_due"`
	DBSEnhanced      bool    `db:"dbs_enhanced"`
	DBSBarredChecked bool    `db:"dbs_barred_list_checked"`
	OnBarredList     bool    `db:"on_barred_list"`
	FirstAidExpires  *string `db:"first_aid_expires"`
	Safeguarding     *string `db:"safeguarding_expires"`
	ContractedHours  float64 `db:"contracted_hours"`
	OptedOut         bool    `db:"opted_out_48h"`
	Volunteer        bool    `db:"volunteer"`
}

// loadWorkers loads the active staff of a council who have a staff record,
// all of them when ids is nil, with their availability, leave and centres.
func loadWorkers(ctx context.Context, q sqlx.QueryerContext, councilID string, ids []string) (*loaded, error) {
	const qw = `SELECT r.user_id, u.first_name, u.last_name, to_char(u.date_of_birth, 'YYYY-MM-DD') AS date_of_birth,
		r.qualification, to_char(r.dbs_next_check_due, 'YYYY-MM-DD') AS dbs_next_check_due, r.dbs_enhanced,
		r.dbs_barred_list_checked, r.on_barred_list, to_char(r.first_aid_expires, 'YYYY-MM-DD') AS first_aid_expires,
		to_char(r.safeguarding_expires, 'YYYY-MM-DD') AS safeguarding_expires, r.contracted_hours::float8 AS contracted_hours,
		r.opted_out_48h, r.volunteer
		FROM staff_records r JOIN users u ON u.id = r.user_id
		WHERE r.council_id = $1 AND u.active AND ($2::uuid[] IS NULL OR r.user_id = ANY($2::uuid[]))
		ORDER BY r.user_id`
	var rows []workerRow
	if err := sqlx.SelectContext(ctx, q, &rows, qw, councilID, uuids(ids)); err != nil {
		return nil, fmt.Errorf("staffing: load workers: %w", err)
	}
	l := &loaded{centres: map[string][]string{}, names: map[string]string{}}
	index := make(map[string]int, len(rows))
	all := make([]string, 0, len(rows))
	for _, w := range rows {
		index[w.UserID] = len(l.r.Workers)
		all = append(all, w.UserID)
		name := strings.TrimSpace(w.FirstName + " " + w.LastName)
		l.names[w.UserID] = name
		l.r.Workers = append(l.r.Workers, rota.Worker{
			ID: w.UserID, Name: name, DateOfBirth: dayOf(w.DateOfBirth), Qualification: rota.Qualification(w.Qualification),
			DBS: rota.DBS{Enhanced: w.DBSEnhanced, ChildrensBarredList: w.DBSBarredChecked, OnBarredList: w.OnBarredList,
				NextCheckDue: dayOf(w.DBSNextCheckDue)},
			SafeguardingExpires: dayOf(w.Safeguarding), FirstAidExpires: dayOf(w.FirstAidExpires),
			ContractedHours: w.ContractedHours, OptedOut: w.OptedOut, Volunteer: w.Volunteer,
		})
	}
	if len(all) == 0 {
		return l, nil
	}
	const qa = `SELECT user_id, weekday, (extract(epoch FROM from_time) / 60)::int AS from_min, (extract(epoch FROM to_time) / 60)::int AS to_min
		FROM availability WHERE user_id = ANY($1::uuid[]) ORDER BY user_id, weekday, from_time`
	var avail []struct {
		UserID  string `db:"user_id"`
		Weekday int    `db:"weekday"`
		From    int    `db:"from_min"`
		To      int    `db:"to_min"`
	}
	if err := sqlx.SelectContext(ctx, q, &avail, qa, pq.StringArray(all)); err != nil {
		return nil, fmt.Errorf("staffing: load availability: %w", err)
	}
	for _, a := range avail {
		w := &l.r.Workers[index[a.UserID]]
		w.Availability = append(w.Availability, rota.Window{Day: time.Weekday(a.Weekday), From: rota.Clock(a.From), To: rota.Clock(a.To)})
	}
	const ql = `SELECT user_id, to_char(from_date, 'YYYY-MM-DD') AS from_date, to_char(to_date, 'YYYY-MM-DD') AS to_date
		FROM leave WHERE user_id = ANY($1::uuid[]) ORDER BY user_id, from_date`
	var leave []struct {
		UserID string `db:"user_id"`
		From   string `db:"from_date"`
		To     string `db:"to_date"`
	}
	if err := sqlx.SelectContext(ctx, q, &leave, ql, pq.StringArray(all)); err != nil {
		return nil, fmt.Errorf("staffing: load leave: %w", err)
	}
	for _, lv := range leave {
		w := &l.r.Workers[index[lv.UserID]]
		w.Leave = append(w.Leave, rota.DateRange{From: dayOf(&lv.From), To: dayOf(&lv.To)})
	}
	const qc = `SELECT user_id, centre_id FROM staff_centres WHERE user_id = ANY($1::uuid[]) ORDER BY user_id, centre_id`
	var cs []struct {
		UserID   string `db:"user_id"`
		CentreID string `db:"centre_id"`
	}
	if err := sqlx.SelectContext(ctx, q, &cs, qc, pq.StringArray(all)); err != nil {
		return nil, fmt.Errorf("staffing: load centres: %w", err)
	}
	for _, c := range cs {
		l.centres[c.UserID] = append(l.centres[c.UserID], c.CentreID)
	}
	return l, nil
}

// loadHistory adds the shifts the loaded workers hold on scheduled
// occurrences between from−history and to+history.
func (l *loaded) loadHistory(ctx context.Context, q sqlx.QueryerContext, councilID string, from, to time.Time) error {
	if len(l.r.Workers) == 0 {
		return nil
	}
	ids := make([]string, 0, len(l.r.Workers))
	for _, w := range l.r.Workers {
		ids = append(ids, w.ID)
	}
	const qs = `SELECT ` + shiftColumns + shiftFrom + `JOIN occurrences o ON o.id = s.occurrence_id
		WHERE s.council_id = $1 AND s.user_id = ANY($2::uuid[]) AND s.starts_at < $4 AND s.ends_at > $3 AND o.status = 'scheduled'
		ORDER BY s.starts_at, s.id`
	var shifts []Shift
	if err := sqlx.SelectContext(ctx, q, &shifts, qs, councilID, pq.StringArray(ids), from.Add(-history), to.Add(history)); err != nil {
		return fmt.Errorf("staffing: load shifts: %w", err)
	}
	l.addShifts(shifts)
	return nil
}

// addShifts adds shifts not already held.
func (l *loaded) addShifts(shifts []Shift) {
	seen := make(map[string]bool, len(l.r.Shifts))
	for _, s := range l.r.Shifts {
		seen[s.ID] = true
	}
	for _, s := range shifts {
		if !seen[s.ID] {
			seen[s.ID] = true
			l.r.Shifts = append(l.r.Shifts, s.rota())
		}
	}
}

// findOccurrences returns the council's scheduled occurrences starting in
// [from, to), at one centre when centreID is not empty, by start time.
func findOccurrences(ctx context.Context, q sqlx.QueryerContext, councilID, centreID string, from, to time.Time) ([]Occurrence, error) {
	const qo = `SELECT ` + occurrenceColumns + occurrenceFrom + `
		WHERE o.council_id = $1 AND o.starts_at >= $2 AND o.starts_at < $3 AND o.status = 'scheduled'
		AND (NULLIF($4::text, '') IS NULL OR o.centre_id = NULLIF($4::text, '')::uuid)
		ORDER BY o.starts_at, o.id`
	out := []Occurrence{}
	if err := sqlx.SelectContext(ctx, q, &out, qo, councilID, from, to, centreID); err != nil {
		return nil, fmt.Errorf("staffing: find occurrences: %w", err)
	}
	for i := range out {
		out[i].localise()
	}
	return out, nil
}

func (o *Occurrence) localise() {
	o.StartsAt, o.EndsAt = o.StartsAt.In(rota.London()), o.EndsAt.In(rota.London())
}

func (s *Shift) localise() {
	s.StartsAt, s.EndsAt = s.StartsAt.In(rota.London()), s.EndsAt.In(rota.London())
}

// shiftsOn returns the shifts on the given occurrences, by start time and
// worker name.
func shiftsOn(ctx context.Context, q sqlx.QueryerContext, occurrenceIDs []string) ([]Shift, error) {
	out := []Shift{}
	if len(occurrenceIDs) == 0 {
		return out, nil
	}
	const qs = `SELECT ` + shiftColumns + shiftFrom + `WHERE s.occurrence_id = ANY($1::uuid[])
		ORDER BY s.starts_at, CASE s.role WHEN 'lead' THEN 0 WHEN 'worker' THEN 1 ELSE 2 END, worker_name, s.id`
	if err := sqlx.SelectContext(ctx, q, &out, qs, pq.StringArray(occurrenceIDs)); err != nil {
		return nil, fmt.Errorf("staffing: shifts on occurrences: %w", err)
	}
	for i := range out {
		out[i].localise()
	}
	return out, nil
}

// evaluate loads everything the rules need to judge the given occurrences
// (their shifts, the workers on them and those workers' other shifts) and
// returns each occurrence's rota, in the order given.
func evaluate(ctx context.Context, q sqlx.QueryerContext, councilID string, occs []Occurrence) ([]OccurrenceRota, error) {
	out := make([]OccurrenceRota, 0, len(occs))
	if len(occs) == 0 {
		return out, nil
	}
	ids := make([]string, len(occs))
	from, to := occs[0].StartsAt, occs[0].EndsAt
	for i, o := range occs {
		ids[i] = o.ID
		from, to = minTime(from, o.StartsAt), maxTime(to, o.EndsAt)
	}
	shifts, err := shiftsOn(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	byOcc := map[string][]Shift{}
	var workers []string
	seen := map[string]bool{}
	for _, s := range shifts {
		byOcc[s.OccurrenceID] = append(byOcc[s.OccurrenceID], s)
		from, to = minTime(from, s.StartsAt), maxTime(to, s.EndsAt)
		if !seen[s.UserID] {
			seen[s.UserID] = true
			workers = append(workers, s.UserID)
		}
	}
	l := &loaded{centres: map[string][]string{}, names: map[string]string{}}
	if len(workers) > 0 {
		if l, err = loadWorkers(ctx, q, councilID, workers); err != nil {
			return nil, err
		}
		if err := l.loadHistory(ctx, q, councilID, from, to); err != nil {
			return nil, err
		}
	}
	l.addShifts(shifts)
	for _, o := range occs {
		l.r.Occurrences = append(l.r.Occurrences, o.rota())
	}
	rep := rota.Evaluate(l.r)
	for i, o := range occs {
		or := rep.Occurrences[i]
		item := OccurrenceRota{
			Occurrence: o, RotaStatus: string(or.Status), Expected: or.Expected, RequiredAdults: or.Required,
			AdultStaff: or.AdultStaff, StaffedCapacity: or.StaffedCapacity, Reasons: []Reason{}, Shifts: byOcc[o.ID],
		}
		if item.Shifts == nil {
			item.Shifts = []Shift{}
		}
		for _, v := range or.Violations {
			item.Reasons = append(item.Reasons, reasonOf(v))
		}
		out = append(out, item)
	}
	return out, nil
}

// setStaffedLimits stores each occurrence's staffed_limit after a rota write
// (see the package documentation): NULL for a drop-in or before its first
// shift, otherwise the places its adults can look after (whatever its
// capacity, none once every shift is gone) but never below the confirmed
// bookings. The
// caller holds the occurrences' row locks, so confirmed_count cannot move
// underneath. Where the places offered went up, the waiting list is
// promoted (see Service.Promote); it reports whether it asked for that.
func (s *Service) setStaffedLimits(ctx context.Context, tx *sqlx.Tx, items []OccurrenceRota) (bool, error) {
	if len(items) == 0 {
		return false, nil
	}
	ids := make([]string, len(items))
	limits := make([]*int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
		if len(it.Shifts) > 0 && it.BookingMode == string(rota.Bookable) {
			// The places the adults can look after, not capped by the
			// occurrence's capacity (the booking layer takes the lower of
			// the two): a capacity raised later is then offered at once.
			n := int64(rota.StaffedCapacity(it.AdultStaff, it.StaffRatio, math.MaxInt32))
			limits[i] = &n
		}
	}
	const q = `UPDATE occurrences o SET staffed_limit = CASE
			WHEN t.lim IS NOT NULL THEN GREATEST(t.lim, o.confirmed_count)
			WHEN o.staffed_limit IS NOT NULL THEN o.confirmed_count -- every adult gone: no new places
		END
		FROM unnest($1::uuid[], $2::int[]) AS t(id, lim)
		WHERE o.id = t.id
		RETURNING o.id, o.staffed_limit`
	rows, err := tx.QueryxContext(ctx, q, pq.StringArray(ids), pq.Array(limits))
	if err != nil {
		return false, fmt.Errorf("staffing: set staffed limits: %w", err)
	}
	defer rows.Close()
	got := map[string]*int{}
	for rows.Next() {
		var id string
		var lim *int
		if err := rows.Scan(&id, &lim); err != nil {
			return false, fmt.Errorf("staffing: set staffed limits: %w", err)
		}
		got[id] = lim
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("staffing: set staffed limits: %w", err)
	}
	rows.Close()
	offered := func(lim *int, capacity int) int {
		if lim == nil {
			return capacity
		}
		return min(*lim, capacity)
	}
	promoted := false
	for i := range items {
		it := &items[i]
		was := offered(it.StaffedLimit, it.Capacity)
		it.StaffedLimit = got[it.ID]
		if s.Promote != nil && it.BookingMode == string(rota.Bookable) && offered(it.StaffedLimit, it.Capacity) > was {
			if err := s.Promote(ctx, tx, it.ID); err != nil {
				return false, fmt.Errorf("staffing: promote from the waiting list: %w", err)
			}
			promoted = true
		}
	}
	return promoted, nil
}

// lockOccurrences takes the row locks of the council's occurrences, by id,
// and returns them; fault.NotFound when one is not the council's.
func lockOccurrences(ctx context.Context, tx *sqlx.Tx, councilID string, ids []string) ([]Occurrence, error) {
	const q = `SELECT o.id FROM occurrences o WHERE o.id = ANY($1::uuid[]) AND o.council_id = $2 ORDER BY o.id FOR UPDATE`
	var locked []string
	if err := tx.SelectContext(ctx, &locked, q, pq.StringArray(ids), councilID); err != nil {
		return nil, fmt.Errorf("staffing: lock occurrences: %w", err)
	}
	if len(locked) != len(unique(ids)) {
		return nil, fault.New(fault.NotFound, "Not found")
	}
	const qo = `SELECT ` + occurrenceColumns + occurrenceFrom + `WHERE o.id = ANY($1::uuid[]) ORDER BY o.starts_at, o.id`
	var out []Occurrence
	if err := tx.SelectContext(ctx, &out, qo, pq.StringArray(ids)); err != nil {
		return nil, fmt.Errorf("staffing: read occurrences: %w", err)
	}
	for i := range out {
		out[i].localise()
	}
	return out, nil
}

// lockWorkers takes the staff-record locks of the given workers of the
// council, by id, and returns the ids that have a record.
func lockWorkers(ctx context.Context, tx *sqlx.Tx, councilID string, ids ...string) (map[string]bool, error) {
	const q = `SELECT user_id FROM staff_records WHERE council_id = $1 AND user_id = ANY($2::uuid[]) ORDER BY user_id FOR UPDATE`
	var got []string
	if err := tx.SelectContext(ctx, &got, q, councilID, pq.StringArray(ids)); err != nil {
		return nil, fmt.Errorf("staffing: lock workers: %w", err)
	}
	out := make(map[string]bool, len(got))
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

// refusal turns hard violations into the 422 problem the API answers: the
// first rule's code, every message, and each message against the field it
// concerns.
func refusal(vs []rota.Violation) error {
	msgs := make([]string, 0, len(vs))
	fields := make([]fault.FieldError, 0, len(vs))
	for _, v := range vs {
		msgs = append(msgs, v.Message)
		field := "user_id"
		if v.Code == rota.CodeInvalidShift {
			field = "ends_at"
		}
		fields = append(fields, fault.FieldError{Field: field, Message: v.Message})
	}
	return &fault.Error{Kind: fault.Invalid, Code: string(vs[0].Code), Message: strings.Join(msgs, ". ") + ".", Fields: fields}
}

// dayOf reads a YYYY-MM-DD string; nil or unreadable is the zero Date.
func dayOf(s *string) rota.Date {
	if s == nil {
		return rota.Date{}
	}
	t, err := time.Parse(time.DateOnly, *s)
	if err != nil {
		return rota.Date{}
	}
	return rota.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

// uuids is a uuid[] parameter; nil becomes SQL NULL ("no filter").
func uuids(ids []string) any {
	if ids == nil {
		return nil
	}
	return pq.StringArray(ids)
}

func unique(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// weekOf returns the Monday 00:00 (Europe/London) starting the week that
// holds the date d, and the next Monday.
func weekOf(d time.Time) (time.Time, time.Time) {
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, rota.London())
	back := (int(day.Weekday()) + 6) % 7
	mon := day.AddDate(0, 0, -back)
	return mon, mon.AddDate(0, 0, 7)
}
