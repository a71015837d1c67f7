package rota

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRequiredAdults(t *testing.T) {
	tests := []struct {
		name                   string
		expected, ratio, wantN int
	}{
		{"nobody expected still needs two", 0, 10, 2},
		{"5 at 1:10", 5, 10, 2},
		{"20 at 1:10", 20, 10, 2},
		{"21 at 1:10", 21, 10, 3},
		{"30 at 1:10", 30, 10, 3},
		{"31 at 1:10", 31, 10, 4},
		{"default ratio", 21, 0, 3},
		{"SEND 8 at 1:4", 8, 4, 2},
		{"SEND 9 at 1:4", 9, 4, 3},
		{"SEND 12 at 1:4", 12, 4, 3},
		{"SEND 13 at 1:4", 13, 4, 4},
		{"negative expected", -3, 10, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := RequiredAdults(tc.expected, tc.ratio); got != tc.wantN {
				t.Errorf("RequiredAdults(%d, %d) = %d, want %d", tc.expected, tc.ratio, got, tc.wantN)
			}
		})
	}
}

func TestStaffedCapacity(t *testing.T) {
	tests := []struct {
		name                           string
		adults, ratio, capacity, wantN int
	}{
		{"two adults at 1:10, 24 places", 2, 10, 24, 20},
		{"three adults at 1:10, capped at 24", 3, 10, 24, 24},
		{"no adults", 0, 10, 24, 0},
		{"SEND two adults at 1:4", 2, 4, 24, 8},
		{"default ratio", 1, 0, 24, 10},
		{"no capacity", 3, 10, 0, 0},
		{"negative capacity", 3, 10, -1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := StaffedCapacity(tc.adults, tc.ratio, tc.capacity); got != tc.wantN {
				t.Errorf("StaffedCapacity(%d, %d, %d) = %d, want %d", tc.adults, tc.ratio, tc.capacity, got, tc.wantN)
			}
		})
	}
}

func TestEvaluate(t *testing.T) {
	lead := with(adult("lead", "Lee Lead"), func(w *Worker) {
		w.Qualification = QualificationJNC3
		w.FirstAidExpires = Date{2028, 1, 1}
	})
	a2 := adult("a2", "Ann Two")
	a3 := adult("a3", "Al Three")
	// Kim is 17 on 9 March 2027 and turns 18 on 10 March 2027.
	kim := born(adult("kim", "Kim Young"), Date{2009, time.March, 10})
	day := func(d int) Occurrence {
		return Occurrence{ID: "o", CentreName: "Old Trafford Youth Centre", Mode: Bookable, Capacity: 30,
			Start: at(2027, 3, d, 18, 0), End: at(2027, 3, d, 19, 30)}
	}
	booked := func(o Occurrence, n int) Occurrence { o.ConfirmedBookings = n; return o }
	on := func(o Occurrence, role Role, ws ...Worker) []Shift {
		var out []Shift
		for _, w := range ws {
			s := sh("s-"+w.ID, o.ID, w.ID, o.Start, o.End)
			s.Role = role
			if w.ID == "lead" {
				s.Role = RoleLead
			}
			out = append(out, s)
		}
		return out
	}
	tests := []struct {
		name       string
		workers    []Worker
		occ        Occurrence
		role       Role // for everyone but "lead"
		staff      []Worker
		wantStatus Status
		wantCodes  []Code
		wantAdults int
	}{
		{"two adults, lead, first-aider", nil, booked(day(9), 12), RoleWorker, []Worker{lead, a2}, Green, nil, 2},
		{"21 booked at 1:10 needs three", nil, booked(day(9), 21), RoleWorker, []Worker{lead, a2}, Red, []Code{CodeTooFewStaff}, 2},
		{"21 booked at 1:10 with three", nil, booked(day(9), 21), RoleWorker, []Worker{lead, a2, a3}, Green, nil, 3},
		{"a 17-year-old does not count", nil, booked(day(9), 21), RoleWorker, []Worker{lead, a2, kim}, Red, []Code{CodeTooFewStaff}, 2},
		{"on the 18th birthday they count", nil, booked(day(10), 21), RoleWorker, []Worker{lead, a2, kim}, Green, nil, 3},
		{"drop-in expects its capacity", nil, func() Occurrence { o := day(9); o.Mode = DropIn; return o }(), RoleWorker, []Worker{lead, a2}, Red, []Code{CodeTooFewStaff}, 2},
		{"SEND 1:4, 9 booked needs three", nil, func() Occurrence { o := booked(day(9), 9); o.Ratio = 4; return o }(), RoleWorker, []Worker{lead, a2}, Red, []Code{CodeTooFewStaff}, 2},
		{"SEND 1:4, 8 booked with two", nil, func() Occurrence { o := booked(day(9), 8); o.Ratio = 4; return o }(), RoleWorker, []Worker{lead, a2}, Green, nil, 2},
		{"one adult is too few even for nobody", nil, day(9), RoleWorker, []Worker{lead}, Red, []Code{CodeTooFewStaff}, 1},
		{"lead with JNC2 only", nil, booked(day(9), 5), RoleWorker,
			[]Worker{with(lead, func(w *Worker) { w.Qualification = QualificationJNC2 }), a2}, Amber, []Code{CodeNoQualifiedLead}, 2},
		{"lead with JNC6+", nil, booked(day(9), 5), RoleWorker,
			[]Worker{with(lead, func(w *Worker) { w.Qualification = QualificationJNC6Plus }), a2}, Green, nil, 2},
		{"qualified but not rostered as lead", nil, booked(day(9), 5), RoleWorker,
			[]Worker{with(a2, func(w *Worker) { w.Qualification = QualificationJNC3; w.FirstAidExpires = Date{2028, 1, 1} }), a3}, Amber, []Code{CodeNoQualifiedLead}, 2},
		{"first aid expired the day before", nil, booked(day(9), 5), RoleWorker,
			[]Worker{with(lead, func(w *Worker) { w.FirstAidExpires = Date{2027, 3, 8} }), a2}, Amber, []Code{CodeNoFirstAider}, 2},
		{"first aid expires on the day", nil, booked(day(9), 5), RoleWorker,
			[]Worker{with(lead, func(w *Worker) { w.FirstAidExpires = Date{2027, 3, 9} }), a2}, Green, nil, 2},
		{"first-aider may be the 17-year-old", nil, booked(day(9), 5), RoleVolunteer,
			[]Worker{with(lead, func(w *Worker) { w.FirstAidExpires = Date{} }), a2, with(kim, func(w *Worker) { w.FirstAidExpires = Date{2028, 1, 1} })}, Green, nil, 2},
		{"short of staff and no lead is red", nil, booked(day(9), 5), RoleWorker,
			[]Worker{a2}, Red, []Code{CodeTooFewStaff, CodeNoQualifiedLead, CodeNoFirstAider}, 1},
		// Someone whose DBS check has lapsed breaks a hard rule and supervises nobody: one adult is short.
		{"a hard violation makes it red, and that worker counts for no places", nil, booked(day(9), 5), RoleWorker,
			[]Worker{lead, with(a2, func(w *Worker) { w.DBS.NextCheckDue = Date{2027, 3, 8} })}, Red, []Code{CodeDBSExpired, CodeTooFewStaff}, 1},
		{"a barred worker counts for no places", nil, booked(day(9), 5), RoleWorker,
			[]Worker{lead, with(a2, func(w *Worker) { w.DBS.OnBarredList = true })}, Red, []Code{CodeBarred, CodeTooFewStaff}, 1},
		{"a worker on leave counts for no places", nil, booked(day(9), 5), RoleWorker,
			[]Worker{lead, with(a2, func(w *Worker) { w.Leave = []DateRange{{Date{2027, 3, 8}, Date{2027, 3, 12}}} })}, Red, []Code{CodeOnLeave, CodeTooFewStaff}, 1},
		{"lapsed safeguarding training counts for no places", nil, booked(day(9), 5), RoleWorker,
			[]Worker{lead, with(a2, func(w *Worker) { w.SafeguardingExpires = Date{2027, 3, 1} })}, Red, []Code{CodeSafeguardingExpired, CodeTooFewStaff}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Rota{Workers: tc.staff, Occurrences: []Occurrence{tc.occ}, Shifts: on(tc.occ, tc.role, tc.staff...)}
			rep := Evaluate(r)
			if len(rep.Occurrences) != 1 {
				t.Fatalf("%d reports", len(rep.Occurrences))
			}
			got := rep.Occurrences[0]
			if got.Status != tc.wantStatus || got.AdultStaff != tc.wantAdults {
				t.Errorf("status %s with %d adults, want %s with %d", got.Status, got.AdultStaff, tc.wantStatus, tc.wantAdults)
			}
			wantCodes(t, got.Violations, tc.wantCodes...)
			for _, v := range got.Violations {
				if v.OccurrenceID != tc.occ.ID {
					t.Errorf("%s names occurrence %q", v.Code, v.OccurrenceID)
				}
				if strings.Contains(v.Message, "kim") || strings.Contains(v.Message, "a2") {
					t.Errorf("message shows an id: %q", v.Message)
				}
			}
		})
	}
}

func TestEvaluateMessages(t *testing.T) {
	lead := with(adult("lead", "Lee Lead"), func(w *Worker) { w.Qualification = QualificationJNC2; w.FirstAidExpires = Date{2027, 3, 1} })
	kim := born(adult("kim", "Kim Young"), Date{2010, time.March, 10})
	o := Occurrence{ID: "o", CentreName: "Old Trafford Youth Centre", Mode: Bookable, Capacity: 30, ConfirmedBookings: 21,
		Start: at(2027, 3, 16, 18, 0), End: at(2027, 3, 16, 19, 30)}
	s1 := sh("s1", "o", lead.ID, o.Start, o.End)
	s1.Role = RoleLead
	r := Rota{Workers: []Worker{lead, kim}, Occurrences: []Occurrence{o}, Shifts: []Shift{s1, sh("s2", "o", kim.ID, o.Start, o.End)}}
	got := Evaluate(r).Occurrences[0]
	want := []string{
		"Only 1 adult is rostered on Tuesday 16 March 18:00–19:30 at Old Trafford Youth Centre; 21 young people are booked and the ratio is 1:10, so 3 adults are needed (Kim Young is under 18 and does not count)",
		"No lead with a youth-work qualification at JNC level 3 or above is rostered on Tuesday 16 March 18:00–19:30 at Old Trafford Youth Centre (Lee Lead is rostered as lead but holds JNC level 2)",
		"Nobody rostered on Tuesday 16 March 18:00–19:30 at Old Trafford Youth Centre holds a first-aid certificate valid on 16 March 2027 (Lee Lead's expired on 1 March 2027)",
	}
	var msgs []string
	for _, v := range got.Violations {
		msgs = append(msgs, v.Message)
	}
	if !slices.Equal(msgs, want) {
		t.Errorf("messages:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	if got.Required != 3 || got.StaffedCapacity != 10 || got.Expected != 21 {
		t.Errorf("required %d, staffed capacity %d, expected %d", got.Required, got.StaffedCapacity, got.Expected)
	}
	if !slices.Equal(got.Violations[0].WorkerIDs, []string{"kim"}) || !slices.Equal(got.Violations[1].WorkerIDs, []string{"lead"}) {
		t.Errorf("worker ids: %v, %v", got.Violations[0].WorkerIDs, got.Violations[1].WorkerIDs)
	}
}

func TestEvaluateReportsBothSidesOfAnOverlap(t *testing.T) {
	sam := adult("w1", "Sam Patel")
	o1 := Occurrence{ID: "o1", CentreName: "A", Start: at(2027, 3, 16, 18, 0), End: at(2027, 3, 16, 19, 30)}
	o2 := Occurrence{ID: "o2", CentreName: "B", Start: at(2027, 3, 16, 19, 0), End: at(2027, 3, 16, 21, 0)}
	r := Rota{Workers: []Worker{sam}, Occurrences: []Occurrence{o1, o2},
		Shifts: []Shift{sh("s1", "o1", sam.ID, o1.Start, o1.End), sh("s2", "o2", sam.ID, o2.Start, o2.End)}}
	for _, or := range Evaluate(r).Occurrences {
		if or.Status != Red || len(or.Violations) == 0 || or.Violations[0].Code != CodeShiftOverlap {
			t.Errorf("%s: %s %v", or.OccurrenceID, or.Status, codes(or.Violations))
		}
	}
}
