package rota

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestAutoFill(t *testing.T) {
	tue := Occurrence{ID: "o1", CentreName: "Old Trafford Youth Centre", Mode: Bookable, Capacity: 30, ConfirmedBookings: 21,
		Start: at(2027, 3, 16, 18, 0), End: at(2027, 3, 16, 19, 30)}
	qualified := func(w Worker) Worker { w.Qualification = QualificationJNC3; return w }
	firstAider := func(w Worker) Worker { w.FirstAidExpires = Date{2028, 1, 1}; return w }
	contracted := func(w Worker, h float64) Worker { w.ContractedHours = h; return w }
	// worked gives a worker hours earlier in the same week (Monday 15 March).
	worked := func(id string, h int) Shift {
		return sh("h-"+id, "earlier", id, at(2027, 3, 15, 8, 0), at(2027, 3, 15, 8+h, 0))
	}
	type pick struct {
		worker string
		role   Role
	}
	tests := []struct {
		name     string
		occs     []Occurrence
		workers  []Worker
		existing []Shift
		want     []pick
		unfilled []string // reasons
	}{
		{
			name: "lead, first-aider and staff, least loaded first, ties by id",
			occs: []Occurrence{tue},
			workers: []Worker{
				qualified(adult("lead-b", "Bea")), // 37h contract, 10h worked: 0.27
				qualified(adult("lead-a", "Abe")), // 37h contract, 20h worked: 0.54
				firstAider(adult("fa", "Fay")),
				contracted(adult("w2", "Wyn"), 10), // 0h worked: 0, ties with w1
				adult("w1", "Wes"),
				contracted(adult("c0", "Cas"), 0), // casual: last
			},
			existing: []Shift{worked("lead-b", 10), worked("lead-a", 12), sh("h2-lead-a", "earlier", "lead-a", at(2027, 3, 16, 8, 0), at(2027, 3, 16, 16, 0))},
			want:     []pick{{"lead-b", RoleLead}, {"fa", RoleWorker}, {"w1", RoleWorker}},
		},
		{
			name: "fairness against contracted hours",
			occs: []Occurrence{func() Occurrence { o := tue; o.ConfirmedBookings = 0; return o }()},
			workers: []Worker{
				firstAider(qualified(adult("lead", "Lee"))),
				contracted(adult("part", "Pat"), 10), // 5h of 10: 0.5
				adult("full", "Fran"),                // 10h of 37: 0.27
			},
			existing: []Shift{worked("part", 5), worked("full", 10)},
			want:     []pick{{"lead", RoleLead}, {"full", RoleWorker}},
		},
		{
			name: "casual workers and volunteers after contracted ones",
			occs: []Occurrence{func() Occurrence { o := tue; o.ConfirmedBookings = 25; return o }()},
			workers: []Worker{
				firstAider(qualified(adult("lead", "Lee"))),
				with(contracted(adult("a-vol", "Val"), 0), func(w *Worker) { w.Volunteer = true }),
				adult("z-paid", "Zed"),
			},
			existing: []Shift{worked("z-paid", 10)},
			want:     []pick{{"lead", RoleLead}, {"z-paid", RoleWorker}, {"a-vol", RoleVolunteer}},
		},
		{
			name: "an under-18 first-aider when no adult one is free",
			occs: []Occurrence{func() Occurrence { o := tue; o.ConfirmedBookings = 0; return o }()},
			workers: []Worker{
				qualified(adult("lead", "Lee")),
				firstAider(born(adult("kid", "Kit"), Date{2010, 1, 1})),
				adult("w1", "Wes"),
			},
			want: []pick{{"lead", RoleLead}, {"kid", RoleWorker}, {"w1", RoleWorker}},
		},
		{
			name: "nobody qualified is free, with reasons",
			occs: []Occurrence{tue},
			workers: []Worker{
				firstAider(qualified(with(adult("l1", "L1"), func(w *Worker) { w.Leave = []DateRange{{Date{2027, 3, 15}, Date{2027, 3, 19}}} }))),
				qualified(with(adult("l2", "L2"), func(w *Worker) { w.Leave = []DateRange{{Date{2027, 3, 16}, Date{2027, 3, 16}}} })),
				qualified(with(adult("l3", "L3"), func(w *Worker) { w.Leave = []DateRange{{Date{2027, 3, 10}, Date{2027, 3, 20}}} })),
				qualified(adult("l4", "L4")),
				born(qualified(adult("young", "Yan")), Date{2010, 1, 1}), // under 18: not a candidate lead
				firstAider(adult("w1", "Wes")),
				adult("w2", "Wyn"),
				adult("w3", "Wil"),
			},
			existing: []Shift{sh("busy", "elsewhere", "l4", at(2027, 3, 16, 17, 0), at(2027, 3, 16, 19, 0))},
			want:     []pick{{"w1", RoleWorker}, {"w2", RoleWorker}, {"w3", RoleWorker}},
			unfilled: []string{"No qualified lead is free on Tuesday 16 March 18:00–19:30 at Old Trafford Youth Centre: 3 qualified leads are on leave, 1 is already on an overlapping shift"},
		},
		{
			name: "its own proposals count: overlapping sessions share a pool",
			occs: []Occurrence{
				tue,
				{ID: "o2", CentreName: "Stretford Youth Hub", Mode: DropIn, Capacity: 15, Start: at(2027, 3, 16, 19, 0), End: at(2027, 3, 16, 21, 0)},
			},
			workers: []Worker{
				firstAider(qualified(adult("l1", "L1"))),
				firstAider(qualified(adult("l2", "L2"))),
				adult("w1", "Wes"),
			},
			want: []pick{{"l1", RoleLead}, {"l2", RoleLead}, {"w1", RoleWorker}},
			unfilled: []string{
				"Only 2 of the 3 adult staff needed could be rostered on Tuesday 16 March 18:00–19:30 at Old Trafford Youth Centre: 1 other adult is already on an overlapping shift",
				"Only 1 of the 2 adult staff needed could be rostered on Tuesday 16 March 19:00–21:00 at Stretford Youth Hub: 2 other adults are already on overlapping shifts",
			},
		},
		{
			name: "its own proposals count: rest into the next morning",
			occs: []Occurrence{
				{ID: "late", CentreName: "A", Mode: Bookable, Start: at(2027, 3, 16, 20, 0), End: at(2027, 3, 16, 23, 0)},
				{ID: "early", CentreName: "B", Mode: Bookable, Start: at(2027, 3, 17, 9, 0), End: at(2027, 3, 17, 11, 0)},
			},
			workers: []Worker{firstAider(qualified(adult("l1", "L1"))), adult("w1", "Wes"), adult("w2", "Wyn")},
			want:    []pick{{"l1", RoleLead}, {"w1", RoleWorker}, {"w2", RoleWorker}},
			unfilled: []string{
				"No qualified lead is free on Wednesday 17 March 09:00–11:00 at B: 1 qualified lead would not get 11 hours' rest between shifts",
				"No first-aider is free on Wednesday 17 March 09:00–11:00 at B: 1 first-aider would not get 11 hours' rest between shifts",
				"Only 1 of the 2 adult staff needed could be rostered on Wednesday 17 March 09:00–11:00 at B: 2 other adults would not get 11 hours' rest between shifts",
			},
		},
		{
			name: "an existing lead and first-aider are kept",
			occs: []Occurrence{func() Occurrence { o := tue; o.ConfirmedBookings = 0; return o }()},
			workers: []Worker{
				firstAider(qualified(adult("l1", "L1"))),
				firstAider(qualified(adult("l0", "L0"))),
				adult("w1", "Wes"),
			},
			existing: []Shift{{ID: "s", OccurrenceID: "o1", WorkerID: "l1", Role: RoleLead, Start: tue.Start, End: tue.End}},
			want:     []pick{{"l0", RoleWorker}}, // ties with w1 on load; l0 < w1
		},
		{
			name:     "a worker without a date of birth is never proposed",
			occs:     []Occurrence{func() Occurrence { o := tue; o.ConfirmedBookings = 0; return o }()},
			workers:  []Worker{firstAider(qualified(adult("l1", "L1"))), born(adult("w0", "Nod"), Date{})},
			want:     []pick{{"l1", RoleLead}},
			unfilled: []string{"Only 1 of the 2 adult staff needed could be rostered on Tuesday 16 March 18:00–19:30 at Old Trafford Youth Centre: 1 other adult has no date of birth recorded"},
		},
		{
			name:     "an occurrence without times",
			occs:     []Occurrence{{ID: "bad", CentreName: "Old Trafford Youth Centre", Mode: DropIn, Capacity: 10}},
			workers:  []Worker{firstAider(qualified(adult("l1", "L1")))},
			unfilled: []string{"This session at Old Trafford Youth Centre has no valid start and end time, so nobody can be rostered on it"},
		},
		{
			name:     "empty pool",
			occs:     []Occurrence{tue},
			unfilled: []string{"No qualified lead is free on Tuesday 16 March 18:00–19:30 at Old Trafford Youth Centre: nobody in the pool aged 18 or over holds a youth-work qualification at JNC level 3 or above", "No first-aider is free on Tuesday 16 March 18:00–19:30 at Old Trafford Youth Centre: nobody in the pool holds a first-aid certificate valid on 16 March 2027", "None of the 3 adult staff needed could be rostered on Tuesday 16 March 18:00–19:30 at Old Trafford Youth Centre: nobody else in the pool is 18 or over on that day"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Rota{Workers: tc.workers, Occurrences: tc.occs, Shifts: tc.existing}
			prop := AutoFill(r)
			got := []pick{}
			for _, s := range prop.Shifts {
				got = append(got, pick{s.WorkerID, s.Role})
			}
			if tc.want == nil {
				tc.want = []pick{}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("shifts = %v, want %v", got, tc.want)
			}
			reasons := []string{}
			for _, u := range prop.Unfilled {
				reasons = append(reasons, u.Reason)
			}
			if tc.unfilled == nil {
				tc.unfilled = []string{}
			}
			if !slices.Equal(reasons, tc.unfilled) {
				t.Errorf("unfilled:\n%s\nwant:\n%s", strings.Join(reasons, "\n"), strings.Join(tc.unfilled, "\n"))
			}
			if again := AutoFill(r); !reflect.DeepEqual(prop, again) {
				t.Errorf("a second run differs")
			}
		})
	}
}

// TestAutoFillProperties runs auto-fill on random councils and checks, with
// CheckShift and with a naive re-implementation of the time rules, that no
// proposed shift breaks a hard rule, that every unfilled need has a reason,
// and that the needs left unfilled are exactly the shortfalls Evaluate sees.
func TestAutoFillProperties(t *testing.T) {
	for seed := range uint64(200) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(seed, 0x726f7461))
			r := randomCouncil(rng, 1+rng.IntN(5), 5+rng.IntN(40), 4+rng.IntN(30))
			prop := AutoFill(r)
			workers := map[string]Worker{}
			for _, w := range r.Workers {
				workers[w.ID] = w
			}
			all := append(slices.Clip(r.Shifts), prop.Shifts...)
			for i, p := range prop.Shifts {
				others := slices.Delete(slices.Clone(all), len(r.Shifts)+i, len(r.Shifts)+i+1)
				if vs := CheckShift(Rota{Workers: r.Workers, Occurrences: r.Occurrences, Shifts: others}, p); len(vs) > 0 {
					t.Errorf("proposed shift %d (%s on %s) breaks %v: %s", i, p.WorkerID, p.OccurrenceID, codes(vs), vs[0].Message)
				}
				naiveCheck(t, workers[p.WorkerID], p, others)
			}
			needs := map[string][]Need{}
			for _, u := range prop.Unfilled {
				if strings.TrimSpace(u.Reason) == "" || u.Missing <= 0 {
					t.Errorf("unfilled %+v has no reason or nothing missing", u)
				}
				needs[u.OccurrenceID] = append(needs[u.OccurrenceID], u.Need)
			}
			rep := Evaluate(Rota{Workers: r.Workers, Occurrences: r.Occurrences, Shifts: all})
			for _, or := range rep.Occurrences {
				var short []Need
				for _, v := range or.Violations {
					switch v.Code {
					case CodeNoQualifiedLead:
						short = append(short, NeedQualifiedLead)
					case CodeNoFirstAider:
						short = append(short, NeedFirstAider)
					case CodeTooFewStaff:
						short = append(short, NeedStaff)
					}
				}
				slices.Sort(short)
				slices.Sort(needs[or.OccurrenceID])
				if !slices.Equal(short, needs[or.OccurrenceID]) {
					t.Errorf("%s: Evaluate shortfalls %v, AutoFill unfilled %v", or.OccurrenceID, short, needs[or.OccurrenceID])
				}
			}
			if again := AutoFill(r); !reflect.DeepEqual(prop, again) {
				t.Errorf("a second run differs")
			}
		})
	}
}

// naiveCheck re-implements the date and time rules pairwise, with none of
// the engine's indexes, as an independent oracle.
func naiveCheck(t *testing.T, w Worker, p Shift, others []Shift) {
	t.Helper()
	day := func(x time.Time) Date { return DateOf(x) }
	before := func(a, b Date) bool { return a.day() < b.day() }
	age18 := func(d Date) bool {
		b := time.Date(w.DateOfBirth.Year+18, w.DateOfBirth.Month, w.DateOfBirth.Day, 0, 0, 0, 0, time.UTC)
		return !time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Before(b)
	}
	last := day(p.End.Add(-time.Nanosecond))
	if w.DBS.OnBarredList || !w.DBS.Enhanced || !w.DBS.ChildrensBarredList || w.DBS.NextCheckDue.IsZero() || before(w.DBS.NextCheckDue, last) {
		t.Errorf("%s proposed without a valid DBS: %+v", w.ID, w.DBS)
	}
	if w.SafeguardingExpires.IsZero() || before(w.SafeguardingExpires, last) {
		t.Errorf("%s proposed without valid safeguarding", w.ID)
	}
	for _, l := range w.Leave {
		if !before(last, l.From) && !before(l.To, day(p.Start)) {
			t.Errorf("%s proposed on leave %v", w.ID, l)
		}
	}
	var dayHours time.Duration
	for _, o := range others {
		if o.WorkerID != p.WorkerID {
			continue
		}
		if o.Start.Before(p.End) && p.Start.Before(o.End) {
			t.Errorf("%s proposed on overlapping shifts %s and %s", w.ID, p.OccurrenceID, o.OccurrenceID)
			continue
		}
		first, second := o, p
		if p.Start.Before(o.Start) {
			first, second = p, o
		}
		if day(first.Start) != day(second.Start) {
			need := 11 * time.Hour
			if !age18(day(first.Start)) {
				need = 12 * time.Hour
			}
			if gap := second.Start.Sub(first.End); gap < need {
				t.Errorf("%s proposed with %v rest between %s and %s", w.ID, gap, first.OccurrenceID, second.OccurrenceID)
			}
		} else if !age18(day(o.Start)) {
			dayHours += o.End.Sub(o.Start)
		}
	}
	if !age18(day(p.Start)) && day(p.Start) == last && dayHours+p.End.Sub(p.Start) > 8*time.Hour {
		t.Errorf("%s (under 18) proposed for %v on %v", w.ID, dayHours+p.End.Sub(p.Start), day(p.Start))
	}
}

// BenchmarkAutoFillCouncilWeek fills a large council's week: 40 centres,
// 1,000 occurrences and 300 workers with 16 weeks of history for some.
func BenchmarkAutoFillCouncilWeek(b *testing.B) {
	r := randomCouncil(rand.New(rand.NewPCG(1, 2)), 40, 1000, 300)
	var prop Proposal
	for b.Loop() {
		prop = AutoFill(r)
	}
	b.ReportMetric(float64(len(prop.Shifts)), "shifts")
	b.ReportMetric(float64(len(prop.Unfilled)), "unfilled")
}
