package staffing

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/rota"
)

// Week is the rota of a council, or of one of its centres, for a
// Monday–Sunday week: every scheduled occurrence with its shifts and status.
type Week struct {
	WeekStart string           `json:"week_start"`
	CentreID  *string          `json:"centre_id"`
	Summary   Summary          `json:"summary"`
	Items     []OccurrenceRota `json:"items"`
	Total     int              `json:"total"`
}

// Summary counts the occurrences of a week by rota status.
type Summary struct {
	Green int `json:"green"`
	Amber int `json:"amber"`
	Red   int `json:"red"`
}

// FindRota returns the week holding day (Monday to Sunday, Europe/London) for
// the council, or for one of its centres when centreID is not empty.
// fault.NotFound when the centre is another council's.
func (s *Service) FindRota(ctx context.Context, councilID, centreID string, day time.Time) (Week, error) {
	mon, next := weekOf(day)
	w := Week{WeekStart: mon.Format(time.DateOnly)}
	if centreID != "" {
		w.CentreID = &centreID
	}
	err := s.read(ctx, func(tx *sqlx.Tx) error {
		if err := checkCentre(ctx, tx, councilID, centreID); err != nil {
			return err
		}
		occs, err := findOccurrences(ctx, tx, councilID, centreID, mon, next)
		if err != nil {
			return err
		}
		w.Items, err = evaluate(ctx, tx, councilID, occs)
		return err
	})
	if err != nil {
		return Week{}, err
	}
	w.Total = len(w.Items)
	for _, it := range w.Items {
		switch rota.Status(it.RotaStatus) {
		case rota.Green:
			w.Summary.Green++
		case rota.Amber:
			w.Summary.Amber++
		default:
			w.Summary.Red++
		}
	}
	return w, nil
}

// checkCentre answers fault.NotFound unless centreID is empty or a centre of
// the council.
func checkCentre(ctx context.Context, q sqlx.QueryerContext, councilID, centreID string) error {
	if centreID == "" {
		return nil
	}
	var ok bool
	if err := sqlx.GetContext(ctx, q, &ok, `SELECT EXISTS (SELECT 1 FROM centres WHERE id = $1 AND council_id = $2)`, centreID, councilID); err != nil {
		return fmt.Errorf("staffing: check centre: %w", err)
	}
	if !ok {
		return fault.New(fault.NotFound, "Not found")
	}
	return nil
}

// AutoFillInput asks auto-fill for a week: the Monday–Sunday week holding
// WeekStart, for one centre or (CentreID empty) the whole council.
type AutoFillInput struct {
	CentreID  string `json:"centre_id" validate:"omitempty,uuid"`
	WeekStart string `json:"week_start" validate:"required,date"`
}

// ProposedShift is a shift auto-fill proposes; ShiftID is set once applied.
type ProposedShift struct {
	ShiftID      string    `json:"shift_id,omitempty"`
	OccurrenceID string    `json:"occurrence_id"`
	CentreID     string    `json:"centre_id"`
	CentreName   string    `json:"centre_name"`
	Title        string    `json:"title"`
	StartsAt     time.Time `json:"starts_at"`
	EndsAt       time.Time `json:"ends_at"`
	UserID       string    `json:"user_id"`
	WorkerName   string    `json:"worker_name"`
	Role         string    `json:"role"`
}

// Unfilled is a need auto-fill could not meet, and why.
type Unfilled struct {
	OccurrenceID string    `json:"occurrence_id"`
	CentreID     string    `json:"centre_id"`
	CentreName   string    `json:"centre_name"`
	Title        string    `json:"title"`
	StartsAt     time.Time `json:"starts_at"`
	Need         string    `json:"need"`
	Missing      int       `json:"missing"`
	Reason       string    `json:"reason"`
}

// Proposal is auto-fill's answer for a week.
type Proposal struct {
	WeekStart string          `json:"week_start"`
	CentreID  *string         `json:"centre_id"`
	Shifts    []ProposedShift `json:"shifts"`
	Unfilled  []Unfilled      `json:"unfilled"`
}

// PreviewAutoFill proposes shifts for the week's occurrences that have not
// started yet, keeping every hard rule, and lists what it could not fill. It
// writes nothing. Each centre draws on the workers who usually work there,
// those who have no usual centre and those already rostered there that week;
// centres are filled one after another (by name), each seeing the shifts
// proposed for the ones before. The same input
// on the same data gives the same proposal. fault.NotFound when the centre is
// another council's.
func (s *Service) PreviewAutoFill(ctx context.Context, councilID string, in AutoFillInput) (Proposal, error) {
	day, mon, next, err := parseWeek(in)
	if err != nil {
		return Proposal{}, err
	}
	var p Proposal
	err = s.read(ctx, func(tx *sqlx.Tx) error {
		if err := checkCentre(ctx, tx, councilID, in.CentreID); err != nil {
			return err
		}
		occs, err := findOccurrences(ctx, tx, councilID, in.CentreID, maxTime(mon, s.Now()), next)
		if err != nil {
			return err
		}
		p, _, err = plan(ctx, tx, councilID, occs, mon, next)
		return err
	})
	if err != nil {
		return Proposal{}, err
	}
	p.WeekStart, p.CentreID = day, centreRef(in.CentreID)
	return p, nil
}

// ApplyAutoFill recomputes the proposal of PreviewAutoFill for the same input
// and stores its shifts in one transaction, with the week's occurrences and
// the council's staff records locked, checking each shift again before it is
// written and updating each occurrence's staffed_limit. It returns the
// proposal with the new shift ids. Errors as PreviewAutoFill; fault.Invalid
// with the rule's code should a re-check fail (nothing is written then).
func (s *Service) ApplyAutoFill(ctx context.Context, a Actor, in AutoFillInput) (Proposal, error) {
	day, mon, next, err := parseWeek(in)
	if err != nil {
		return Proposal{}, err
	}
	var p Proposal
	err = postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		if err := checkCentre(ctx, tx, a.CouncilID, in.CentreID); err != nil {
			return err
		}
		scope, err := findOccurrences(ctx, tx, a.CouncilID, in.CentreID, maxTime(mon, s.Now()), next)
		if err != nil {
			return err
		}
		ids := make([]string, len(scope))
		for i, o := range scope {
			ids[i] = o.ID
		}
		locked, err := lockOccurrences(ctx, tx, a.CouncilID, ids)
		if err != nil {
			return err
		}
		occs := locked[:0]
		for _, o := range locked {
			if o.Status == "scheduled" {
				occs = append(occs, o)
			}
		}
		if _, err := tx.ExecContext(ctx, `SELECT user_id FROM staff_records WHERE council_id = $1 ORDER BY user_id FOR UPDATE`, a.CouncilID); err != nil {
			return fmt.Errorf("staffing: lock staff: %w", err)
		}
		var l *loaded
		if p, l, err = plan(ctx, tx, a.CouncilID, occs, mon, next); err != nil {
			return err
		}
		p.WeekStart, p.CentreID = day, centreRef(in.CentreID)
		if err := recheck(l, p.Shifts); err != nil {
			return err
		}
		if err := insertProposed(ctx, tx, a, p.Shifts); err != nil {
			return err
		}
		touched := map[string]bool{}
		for _, sh := range p.Shifts {
			touched[sh.OccurrenceID] = true
		}
		var changed []Occurrence
		for _, o := range occs {
			if touched[o.ID] {
				changed = append(changed, o)
			}
		}
		items, err := evaluate(ctx, tx, a.CouncilID, changed)
		if err != nil {
			return err
		}
		_, err = s.setStaffedLimits(ctx, tx, items)
		return err
	})
	return p, err
}

func parseWeek(in AutoFillInput) (string, time.Time, time.Time, error) {
	d, err := time.Parse(time.DateOnly, in.WeekStart)
	if err != nil {
		return "", time.Time{}, time.Time{}, fault.Field("week_start", "Week start must be a real date, like 2027-03-15")
	}
	mon, next := weekOf(d)
	return mon.Format(time.DateOnly), mon, next, nil
}

func centreRef(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}

// plan runs auto-fill over occs, centre by centre, and returns the proposal
// with what it read (every worker of the council and their shifts around the
// week).
func plan(ctx context.Context, q sqlx.QueryerContext, councilID string, occs []Occurrence, mon, next time.Time) (Proposal, *loaded, error) {
	p := Proposal{Shifts: []ProposedShift{}, Unfilled: []Unfilled{}}
	l, err := loadWorkers(ctx, q, councilID, nil)
	if err != nil {
		return p, nil, err
	}
	if err := l.loadHistory(ctx, q, councilID, mon, next); err != nil {
		return p, nil, err
	}
	ids := make([]string, len(occs))
	byID := make(map[string]Occurrence, len(occs))
	for i, o := range occs {
		ids[i] = o.ID
		byID[o.ID] = o
	}
	on, err := shiftsOn(ctx, q, ids)
	if err != nil {
		return p, nil, err
	}
	l.addShifts(on)

	type centre struct{ id, name string }
	var centres []centre
	byCentre := map[string][]rota.Occurrence{}
	for _, o := range occs {
		if _, ok := byCentre[o.CentreID]; !ok {
			centres = append(centres, centre{o.CentreID, o.CentreName})
		}
		byCentre[o.CentreID] = append(byCentre[o.CentreID], o.rota())
	}
	slices.SortFunc(centres, func(a, b centre) int { return cmp.Or(cmp.Compare(a.name, b.name), cmp.Compare(a.id, b.id)) })

	// Each centre's auto-fill reads only its pool's shifts: the pool is the
	// workers who usually work there, those with no usual centre, and anyone
	// already rostered on one of its sessions (so that they count).
	byWorker := map[string][]rota.Shift{}
	for _, sh := range l.r.Shifts {
		byWorker[sh.WorkerID] = append(byWorker[sh.WorkerID], sh)
	}
	rostered := map[string]map[string]bool{} // centre → workers on its sessions this week
	for _, sh := range on {
		c := byID[sh.OccurrenceID].CentreID
		if rostered[c] == nil {
			rostered[c] = map[string]bool{}
		}
		rostered[c][sh.UserID] = true
	}
	var proposed []rota.Shift
	var unfilled []rota.Unfilled
	for _, c := range centres {
		var pool []rota.Worker
		var shifts []rota.Shift
		for _, w := range l.r.Workers {
			if cs := l.centres[w.ID]; len(cs) == 0 || slices.Contains(cs, c.id) || rostered[c.id][w.ID] {
				pool = append(pool, w)
				shifts = append(shifts, byWorker[w.ID]...)
			}
		}
		prop := rota.AutoFill(rota.Rota{Workers: pool, Occurrences: byCentre[c.id], Shifts: shifts})
		for _, sh := range prop.Shifts {
			byWorker[sh.WorkerID] = append(byWorker[sh.WorkerID], sh)
		}
		proposed = append(proposed, prop.Shifts...)
		unfilled = append(unfilled, prop.Unfilled...)
	}
	order := func(a, b Occurrence) int { return cmp.Or(a.StartsAt.Compare(b.StartsAt), cmp.Compare(a.ID, b.ID)) }
	slices.SortStableFunc(proposed, func(a, b rota.Shift) int { return order(byID[a.OccurrenceID], byID[b.OccurrenceID]) })
	slices.SortStableFunc(unfilled, func(a, b rota.Unfilled) int { return order(byID[a.OccurrenceID], byID[b.OccurrenceID]) })
	for _, sh := range proposed {
		o := byID[sh.OccurrenceID]
		p.Shifts = append(p.Shifts, ProposedShift{
			OccurrenceID: o.ID, CentreID: o.CentreID, CentreName: o.CentreName, Title: o.Title,
			StartsAt: sh.Start.In(rota.London()), EndsAt: sh.End.In(rota.London()),
			UserID: sh.WorkerID, WorkerName: l.names[sh.WorkerID], Role: string(sh.Role),
		})
	}
	for _, u := range unfilled {
		o := byID[u.OccurrenceID]
		p.Unfilled = append(p.Unfilled, Unfilled{
			OccurrenceID: o.ID, CentreID: o.CentreID, CentreName: o.CentreName, Title: o.Title, StartsAt: o.StartsAt,
			Need: string(u.Need), Missing: u.Missing, Reason: u.Reason,
		})
	}
	return p, l, nil
}

// recheck runs CheckShift on each proposed shift in turn, against the
// worker's loaded shifts and the proposed ones before it.
func recheck(l *loaded, proposed []ProposedShift) error {
	own := map[string][]rota.Shift{}
	for _, s := range l.r.Shifts {
		own[s.WorkerID] = append(own[s.WorkerID], s)
	}
	workers := map[string]rota.Worker{}
	for _, w := range l.r.Workers {
		workers[w.ID] = w
	}
	for _, p := range proposed {
		s := rota.Shift{OccurrenceID: p.OccurrenceID, WorkerID: p.UserID, Role: rota.Role(p.Role), Start: p.StartsAt, End: p.EndsAt}
		r := rota.Rota{Workers: []rota.Worker{workers[p.UserID]}, Shifts: own[p.UserID]}
		if vs := rota.CheckShift(r, s); len(vs) > 0 {
			return refusal(vs)
		}
		own[p.UserID] = append(own[p.UserID], s)
	}
	return nil
}

// insertProposed stores the proposed shifts in one statement and sets their
// ids.
func insertProposed(ctx context.Context, tx *sqlx.Tx, a Actor, ps []ProposedShift) error {
	if len(ps) == 0 {
		return nil
	}
	occ, user, role, start, end := make([]string, len(ps)), make([]string, len(ps)), make([]string, len(ps)), make([]string, len(ps)), make([]string, len(ps))
	for i, p := range ps {
		occ[i], user[i], role[i] = p.OccurrenceID, p.UserID, p.Role
		start[i], end[i] = p.StartsAt.Format(time.RFC3339Nano), p.EndsAt.Format(time.RFC3339Nano)
	}
	const q = `INSERT INTO shifts (occurrence_id, council_id, user_id, role, starts_at, ends_at, created_by)
		SELECT t.occ, $1, t.usr, t.role, t.s, t.e, $2
		FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[], $7::timestamptz[]) AS t(occ, usr, role, s, e)
		RETURNING id, occurrence_id, user_id`
	rows, err := tx.QueryxContext(ctx, q, a.CouncilID, a.UserID, pq.StringArray(occ), pq.StringArray(user), pq.StringArray(role),
		pq.StringArray(start), pq.StringArray(end))
	if err != nil {
		return shiftWriteError(err)
	}
	defer rows.Close()
	ids := map[[2]string]string{}
	for rows.Next() {
		var id, o, u string
		if err := rows.Scan(&id, &o, &u); err != nil {
			return fmt.Errorf("staffing: insert proposed: %w", err)
		}
		ids[[2]string{o, u}] = id
	}
	if err := rows.Err(); err != nil {
		return shiftWriteError(err)
	}
	for i := range ps {
		ps[i].ShiftID = ids[[2]string{ps[i].OccurrenceID, ps[i].UserID}]
	}
	return nil
}
