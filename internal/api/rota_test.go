package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/lib/pq"

	"youthhub/internal/api"
	"youthhub/internal/rota"
)

// rotaOcc describes an occurrence for the rota tests.
type rotaOcc struct {
	Council, Centre string
	Title           string
	Start           time.Time
	Dur             time.Duration
	Mode            string
	Capacity        int
	Confirmed       int
	Ratio           int
}

// rotaOccurrence inserts a series with one occurrence and returns the
// occurrence id. Defaults: council A, centre A, bookable, 30 places, none
// confirmed, ratio 1:10, 90 minutes.
func (h *H) rotaOccurrence(o rotaOcc) string {
	h.t.Helper()
	if o.Council == "" {
		o.Council, o.Centre = h.F.CouncilA, h.F.CentreA
	}
	if o.Title == "" {
		o.Title = "Youth club"
	}
	if o.Dur == 0 {
		o.Dur = 90 * time.Minute
	}
	if o.Mode == "" {
		o.Mode = "bookable"
	}
	if o.Capacity == 0 {
		o.Capacity = 30
	}
	if o.Ratio == 0 {
		o.Ratio = 10
	}
	local := o.Start.In(rota.London())
	var sid, oid string
	err := h.DB.Get(&sid, `INSERT INTO session_series (council_id, centre_id, title, category, age_min, age_max, booking_mode, capacity,
		staff_ratio, days, start_local, duration_minutes, first_date)
		VALUES ($1, $2, $3, 'sport', 11, 18, $4, $5, $6, ARRAY[$7::int], $8, $9, $10) RETURNING id`,
		o.Council, o.Centre, o.Title, o.Mode, o.Capacity, o.Ratio, int(local.Weekday()), local.Format("15:04"),
		int(o.Dur.Minutes()), local.Format(time.DateOnly))
	if err != nil {
		h.t.Fatal(err)
	}
	err = h.DB.Get(&oid, `INSERT INTO occurrences (series_id, council_id, centre_id, starts_at, ends_at, booking_mode, capacity, confirmed_count)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, sid, o.Council, o.Centre, o.Start, o.Start.Add(o.Dur), o.Mode, o.Capacity, o.Confirmed)
	if err != nil {
		h.t.Fatal(err)
	}
	return oid
}

// rotaStaff adds a youth worker aged age to a council and returns their id.
func (h *H) rotaStaff(council, first, last string, age int) string {
	h.t.Helper()
	var id string
	dob := h.Now.Now().AddDate(-age, 0, -30).Format(time.DateOnly)
	email := strings.ToLower(first+"."+last) + "@rota.test"
	if err := h.DB.Get(&id, `INSERT INTO users (role, council_id, email, password_hash, first_name, last_name, date_of_birth)
		VALUES ('youth_worker', $1, $2, $3, $4, $5, $6) RETURNING id`, council, email, fixtureHash(), first, last, dob); err != nil {
		h.t.Fatal(err)
	}
	return id
}

// rotaRecord is a staff record with every credential valid for years;
// change it with mods.
func (h *H) rotaRecord(mods ...func(map[string]any)) map[string]any {
	day := func(years int) string { return h.Now.Now().AddDate(years, 0, 0).Format(time.DateOnly) }
	r := map[string]any{
		"qualification": "none", "dbs_certificate_number": "001234567890", "dbs_issue_date": day(-1),
		"dbs_update_service": true, "dbs_next_check_due": day(2), "dbs_enhanced": true, "dbs_barred_list_checked": true,
		"safeguarding_expires": day(2), "contracted_hours": 20,
	}
	for _, m := range mods {
		m(r)
	}
	return r
}

func rotaLead(r map[string]any) { r["qualification"] = "jnc3" }
func rotaFirstAider(r map[string]any) {
	r["first_aid_expires"] = time.Now().AddDate(3, 0, 0).Format(time.DateOnly)
}

// rotaPutRecord saves a staff record as the officer of council A.
func (h *H) rotaPutRecord(token, userID string, rec map[string]any) {
	h.t.Helper()
	h.Do(Req{Method: "PUT", Path: "/api/v1/staff/" + userID + "/record", Token: token, Body: rec}).Want(h.t, 200)
}

// rotaMonday is the Monday (Europe/London) a few weeks ahead, so that every
// session in the tests is in the future.
func (h *H) rotaMonday() time.Time {
	d := h.Now.Now().In(rota.London()).AddDate(0, 0, 21)
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, rota.London())
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func rotaAt(mon time.Time, day, hh, mm int) time.Time {
	return time.Date(mon.Year(), mon.Month(), mon.Day()+day, hh, mm, 0, 0, rota.London())
}

type rotaShiftRes struct {
	Shift struct {
		ID     string `json:"id"`
		UserID string `json:"user_id"`
		Role   string `json:"role"`
	} `json:"shift"`
	Rota rotaOccView `json:"rota"`
}

type rotaOccView struct {
	ID           string `json:"occurrence_id"`
	RotaStatus   string `json:"rota_status"`
	Expected     int    `json:"expected"`
	Required     int    `json:"required_adults"`
	AdultStaff   int    `json:"adult_staff"`
	StaffedLimit *int   `json:"staffed_limit"`
	Reasons      []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"reasons"`
	Shifts []struct {
		ID     string `json:"id"`
		UserID string `json:"user_id"`
	} `json:"shifts"`
}

func (o rotaOccView) codes() []string {
	out := []string{}
	for _, r := range o.Reasons {
		out = append(out, r.Code)
	}
	return out
}

// rotaAddShift rosters a worker and returns the decoded result.
func (h *H) rotaAddShift(token, occ, user, role string) rotaShiftRes {
	h.t.Helper()
	var out rotaShiftRes
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/shifts", Token: token,
		Body: map[string]any{"user_id": user, "role": role}}).Want(h.t, 201).JSON(h.t, &out)
	return out
}

func (h *H) rotaStaffedLimit(occ string) *int {
	h.t.Helper()
	var n *int
	if err := h.DB.Get(&n, `SELECT staffed_limit FROM occurrences WHERE id = $1`, occ); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func rotaProblem(t *testing.T, r Res) (code, detail string) {
	t.Helper()
	m := r.Map(t)
	code, _ = m["code"].(string)
	detail, _ = m["detail"].(string)
	return code, detail
}

// TestRotaRefusesAShiftForAWorkerWithAnExpiredDBS: the rule is named, and
// so is the worker; nothing is written.
func TestRotaRefusesAShiftForAWorkerWithAnExpiredDBS(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	mon := h.rotaMonday()
	occ := h.rotaOccurrence(rotaOcc{Start: rotaAt(mon, 1, 18, 0)})
	sam := h.rotaStaff(h.F.CouncilA, "Sam", "Patel", 30)
	h.rotaPutRecord(officer, sam, h.rotaRecord(func(r map[string]any) {
		r["dbs_issue_date"] = mon.AddDate(-3, 0, 0).Format(time.DateOnly)
		r["dbs_next_check_due"] = mon.AddDate(0, 0, -10).Format(time.DateOnly)
	}))
	res := h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/shifts", Token: manager,
		Body: map[string]any{"user_id": sam, "role": "worker"}}).Want(t, 422)
	code, detail := rotaProblem(t, res)
	if code != "dbs_expired" || !strings.Contains(detail, "Sam Patel") || !strings.Contains(detail, "DBS check was due on") {
		t.Fatalf("code %q, detail %q", code, detail)
	}
	if n := h.count("shifts"); n != 0 {
		t.Fatalf("%d shifts written", n)
	}
	// A worker with no staff record at all is refused too, and says so.
	res = h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/shifts", Token: manager,
		Body: map[string]any{"user_id": h.F.WorkerA, "role": "worker"}}).Want(t, 422)
	if code, _ := rotaProblem(t, res); code != "staff_record_missing" {
		t.Fatalf("code %q", code)
	}
	// Another council's worker is not on this council's staff.
	res = h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/shifts", Token: manager,
		Body: map[string]any{"user_id": h.F.WorkerB, "role": "worker"}}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"user_id"`) {
		t.Fatalf("user_id not named: %s", res.Body)
	}
}

// TestRotaRefusesOverlappingShifts through the API, and the schema refuses
// them too when inserted directly.
func TestRotaRefusesOverlappingShifts(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	mon := h.rotaMonday()
	first := h.rotaOccurrence(rotaOcc{Title: "Football", Start: rotaAt(mon, 1, 18, 0)})
	second := h.rotaOccurrence(rotaOcc{Title: "Art club", Start: rotaAt(mon, 1, 19, 0)})
	h.rotaPutRecord(officer, h.F.WorkerA, h.rotaRecord())
	s1 := h.rotaAddShift(manager, first, h.F.WorkerA, "worker")
	res := h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + second + "/shifts", Token: manager,
		Body: map[string]any{"user_id": h.F.WorkerA, "role": "worker"}}).Want(t, 422)
	code, detail := rotaProblem(t, res)
	if code != "shift_overlap" || !strings.Contains(detail, "youth_worker Tester is already on a shift from 18:00 to 19:30") {
		t.Fatalf("code %q, detail %q", code, detail)
	}
	// The same worker twice on one session.
	res = h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + first + "/shifts", Token: manager,
		Body: map[string]any{"user_id": h.F.WorkerA, "role": "lead"}}).Want(t, 422)
	if code, _ := rotaProblem(t, res); code != "duplicate_shift" {
		t.Fatalf("code %q", code)
	}
	// Moving the shift's times onto the other session's is checked the same way.
	h.Do(Req{Method: "PATCH", Path: "/api/v1/shifts/" + s1.Shift.ID, Token: manager,
		Body: map[string]any{"ends_at": rotaAt(mon, 1, 19, 0).Format(time.RFC3339)}}).Want(t, 200)
	s2 := h.rotaAddShift(manager, second, h.F.WorkerA, "worker")
	res = h.Do(Req{Method: "PATCH", Path: "/api/v1/shifts/" + s1.Shift.ID, Token: manager,
		Body: map[string]any{"ends_at": rotaAt(mon, 1, 19, 30).Format(time.RFC3339)}}).Want(t, 422)
	if code, _ := rotaProblem(t, res); code != "shift_overlap" {
		t.Fatalf("code %q", code)
	}

	// Straight into the table, past every Go check.
	_, err := h.DB.Exec(`INSERT INTO shifts (occurrence_id, council_id, user_id, role, starts_at, ends_at)
		VALUES ($1, $2, $3, 'worker', $4, $5)`, second, h.F.CouncilA, h.F.WorkerA, rotaAt(mon, 1, 19, 15), rotaAt(mon, 1, 20, 0))
	if err == nil {
		t.Fatal("the schema let a duplicate in")
	}
	third := h.rotaOccurrence(rotaOcc{Title: "Drama", Start: rotaAt(mon, 1, 18, 30)})
	_, err = h.DB.Exec(`INSERT INTO shifts (occurrence_id, council_id, user_id, role, starts_at, ends_at)
		VALUES ($1, $2, $3, 'worker', $4, $5)`, third, h.F.CouncilA, h.F.WorkerA, rotaAt(mon, 1, 18, 30), rotaAt(mon, 1, 19, 30))
	pqErr, ok := err.(*pq.Error)
	if !ok || pqErr.Code != "23P01" || pqErr.Constraint != "shifts_no_overlap" {
		t.Fatalf("direct overlapping insert: %v", err)
	}
	// Touching shifts are fine.
	if _, err := h.DB.Exec(`INSERT INTO shifts (occurrence_id, council_id, user_id, role, starts_at, ends_at)
		VALUES ($1, $2, $3, 'worker', $4, $5)`, third, h.F.CouncilA, h.F.WorkerA, rotaAt(mon, 1, 20, 30), rotaAt(mon, 1, 21, 0)); err != nil {
		t.Fatalf("touching shift refused: %v", err)
	}
	// Another council's worker cannot be put on this council's session, even directly.
	h.rotaPutRecord(h.Login("officer.b@example.test"), h.F.WorkerB, h.rotaRecord())
	if _, err := h.DB.Exec(`INSERT INTO shifts (occurrence_id, council_id, user_id, role, starts_at, ends_at)
		VALUES ($1, $2, $3, 'worker', $4, $5)`, third, h.F.CouncilA, h.F.WorkerB, rotaAt(mon, 1, 18, 30), rotaAt(mon, 1, 19, 30)); err == nil {
		t.Fatal("a shift crossed councils")
	}
	_ = s2
}

// TestRotaShortfallIsRedWithReasonsAndStaffTurnItGreen.
func TestRotaShortfallIsRedWithReasonsAndStaffTurnItGreen(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	mon := h.rotaMonday()
	occ := h.rotaOccurrence(rotaOcc{Title: "Tuesday football", Start: rotaAt(mon, 1, 18, 0), Confirmed: 21})
	lee := h.rotaStaff(h.F.CouncilA, "Lee", "Lead", 35)
	fay := h.rotaStaff(h.F.CouncilA, "Fay", "Aid", 28)
	kit := h.rotaStaff(h.F.CouncilA, "Kit", "Young", 17)
	wes := h.rotaStaff(h.F.CouncilA, "Wes", "Worker", 40)
	h.rotaPutRecord(officer, lee, h.rotaRecord(rotaLead))
	h.rotaPutRecord(officer, fay, h.rotaRecord(rotaFirstAider))
	h.rotaPutRecord(officer, kit, h.rotaRecord(func(r map[string]any) { r["volunteer"] = true }))
	h.rotaPutRecord(officer, wes, h.rotaRecord())

	week := func() rotaOccView {
		var w struct {
			Summary map[string]int `json:"summary"`
			Items   []rotaOccView  `json:"items"`
		}
		h.Do(Req{Method: "GET", Path: "/api/v1/rota?week_start=" + mon.AddDate(0, 0, 3).Format(time.DateOnly), Token: manager}).Want(t, 200).JSON(t, &w)
		if len(w.Items) != 1 {
			t.Fatalf("%d occurrences in the week", len(w.Items))
		}
		return w.Items[0]
	}
	o := week()
	if o.RotaStatus != "red" || !slices.Equal(o.codes(), []string{"too_few_staff", "no_qualified_lead", "no_first_aider"}) {
		t.Fatalf("empty rota: %s %v", o.RotaStatus, o.codes())
	}
	if msg := o.Reasons[0].Message; !strings.Contains(msg, "No adult staff are rostered on") ||
		!strings.Contains(msg, "21 young people are booked and the ratio is 1:10, so 3 adults are needed") {
		t.Fatalf("reason: %s", msg)
	}
	r := h.rotaAddShift(manager, occ, lee, "lead")
	if r.Rota.RotaStatus != "red" || !slices.Equal(r.Rota.codes(), []string{"too_few_staff", "no_first_aider"}) {
		t.Fatalf("with a lead: %s %v", r.Rota.RotaStatus, r.Rota.codes())
	}
	r = h.rotaAddShift(manager, occ, kit, "volunteer")
	if r.Rota.AdultStaff != 1 || !strings.Contains(r.Rota.Reasons[0].Message, "Kit Young is under 18 and does not count") {
		t.Fatalf("a 17-year-old counted: %+v", r.Rota)
	}
	r = h.rotaAddShift(manager, occ, fay, "worker")
	if r.Rota.RotaStatus != "red" || !slices.Equal(r.Rota.codes(), []string{"too_few_staff"}) {
		t.Fatalf("two adults of three: %s %v", r.Rota.RotaStatus, r.Rota.codes())
	}
	r = h.rotaAddShift(manager, occ, wes, "worker")
	if r.Rota.RotaStatus != "green" || len(r.Rota.Reasons) != 0 || r.Rota.AdultStaff != 3 {
		t.Fatalf("full rota: %+v", r.Rota)
	}
	if o := week(); o.RotaStatus != "green" || len(o.Shifts) != 4 {
		t.Fatalf("week view: %+v", o)
	}
	// The first-aider's certificate lapses before the session: amber, explained.
	h.rotaPutRecord(officer, fay, h.rotaRecord(func(r map[string]any) { r["first_aid_expires"] = mon.Format(time.DateOnly) }))
	if o := week(); o.RotaStatus != "amber" || !slices.Equal(o.codes(), []string{"no_first_aider"}) ||
		!strings.Contains(o.Reasons[0].Message, "Fay Aid's expired on") {
		t.Fatalf("lapsed first aid: %s %v", o.RotaStatus, o.Reasons)
	}
	// The list of the session's shifts carries the same status.
	var list struct {
		Items []struct {
			WorkerName string `json:"worker_name"`
			Role       string `json:"role"`
		} `json:"items"`
		Total int         `json:"total"`
		Rota  rotaOccView `json:"rota"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/shifts", Token: officer}).Want(t, 200).JSON(t, &list)
	if list.Total != 4 || list.Items[0].Role != "lead" || list.Items[0].WorkerName != "Lee Lead" || list.Rota.RotaStatus != "amber" {
		t.Fatalf("shift list: %+v", list)
	}
}

// TestStaffedLimitFollowsTheRotaButNeverDropsBelowBookings.
func TestStaffedLimitFollowsTheRotaButNeverDropsBelowBookings(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	mon := h.rotaMonday()
	occ := h.rotaOccurrence(rotaOcc{Start: rotaAt(mon, 2, 18, 0), Capacity: 35, Ratio: 10})
	dropIn := h.rotaOccurrence(rotaOcc{Start: rotaAt(mon, 3, 18, 0), Mode: "drop_in"})
	var staff []string
	for i, name := range []string{"Ann", "Ben", "Cat", "Dan", "Eve"} {
		id := h.rotaStaff(h.F.CouncilA, name, "Staff", 30+i)
		h.rotaPutRecord(officer, id, h.rotaRecord())
		staff = append(staff, id)
	}
	young := h.rotaStaff(h.F.CouncilA, "Yan", "Volunteer", 16)
	h.rotaPutRecord(officer, young, h.rotaRecord())

	if h.rotaStaffedLimit(occ) != nil {
		t.Fatal("no rota yet, but a staffed limit")
	}
	var shifts []string
	// The places the adults can look after, beyond the capacity of 35 too
	// (the session offers the lower of the two).
	for i, want := range []int{10, 20, 30, 40, 50} {
		r := h.rotaAddShift(manager, occ, staff[i], "worker")
		shifts = append(shifts, r.Shift.ID)
		if got := h.rotaStaffedLimit(occ); got == nil || *got != want {
			t.Fatalf("%d adults: staffed limit %v, want %d", i+1, got, want)
		}
		if r.Rota.StaffedLimit == nil || *r.Rota.StaffedLimit != want {
			t.Fatalf("%d adults: answer says %v", i+1, r.Rota.StaffedLimit)
		}
	}
	h.rotaAddShift(manager, occ, young, "volunteer")
	if got := h.rotaStaffedLimit(occ); *got != 50 {
		t.Fatalf("an under-18 volunteer changed the limit to %d", *got)
	}
	// 25 young people book; then staff drop out.
	if _, err := h.DB.Exec(`UPDATE occurrences SET confirmed_count = 25 WHERE id = $1`, occ); err != nil {
		t.Fatal(err)
	}
	for _, id := range shifts[2:] {
		h.Do(Req{Method: "DELETE", Path: "/api/v1/shifts/" + id, Token: manager}).Want(t, 200)
	}
	if got := h.rotaStaffedLimit(occ); *got != 25 {
		t.Fatalf("2 adults with 25 booked: limit %d, want 25 (nobody loses a place)", *got)
	}
	var after struct {
		Rota rotaOccView `json:"rota"`
	}
	h.Do(Req{Method: "DELETE", Path: "/api/v1/shifts/" + shifts[1], Token: manager}).Want(t, 200).JSON(t, &after)
	if got := h.rotaStaffedLimit(occ); *got != 25 || after.Rota.RotaStatus != "red" {
		t.Fatalf("1 adult with 25 booked: limit %d, status %s", *got, after.Rota.RotaStatus)
	}
	// Swapping the last adult for another moves nothing below the bookings either.
	h.Do(Req{Method: "PATCH", Path: "/api/v1/shifts/" + shifts[0], Token: manager, Body: map[string]any{"user_id": staff[4]}}).Want(t, 200)
	if got := h.rotaStaffedLimit(occ); *got != 25 {
		t.Fatalf("after PATCH: limit %d", *got)
	}
	// Every shift gone: fewer adults never means more places. Nobody booked
	// loses their place, and nobody new gets one until adults are rostered.
	var left []string
	if err := h.DB.Select(&left, `SELECT id FROM shifts WHERE occurrence_id = $1`, occ); err != nil {
		t.Fatal(err)
	}
	for _, id := range left {
		h.Do(Req{Method: "DELETE", Path: "/api/v1/shifts/" + id, Token: manager}).Want(t, 200)
	}
	if got := h.rotaStaffedLimit(occ); got == nil || *got != 25 {
		t.Fatalf("every shift gone with 25 booked: limit %v, want 25", got)
	}
	var spaces struct {
		SpacesLeft *int `json:"spaces_left"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ}).Want(t, 200).JSON(t, &spaces)
	if spaces.SpacesLeft == nil || *spaces.SpacesLeft != 0 {
		t.Fatalf("every shift gone: %v places offered, want 0", spaces.SpacesLeft)
	}
	// A drop-in takes no bookings: its limit stays NULL whatever the rota.
	h.rotaAddShift(manager, dropIn, staff[0], "worker")
	if h.rotaStaffedLimit(dropIn) != nil {
		t.Fatal("a drop-in got a staffed limit")
	}
}

type rotaProposal struct {
	WeekStart string `json:"week_start"`
	Shifts    []struct {
		ShiftID      string `json:"shift_id"`
		OccurrenceID string `json:"occurrence_id"`
		UserID       string `json:"user_id"`
		WorkerName   string `json:"worker_name"`
		Role         string `json:"role"`
	} `json:"shifts"`
	Unfilled []struct {
		OccurrenceID string `json:"occurrence_id"`
		Need         string `json:"need"`
		Missing      int    `json:"missing"`
		Reason       string `json:"reason"`
	} `json:"unfilled"`
}

func (p rotaProposal) keys() []string {
	var out []string
	for _, s := range p.Shifts {
		out = append(out, s.OccurrenceID+"/"+s.UserID+"/"+s.Role)
	}
	slices.Sort(out)
	return out
}

// TestAutoFillPreviewWritesNothingAndApplyWritesThePreview.
func TestAutoFillPreviewWritesNothingAndApplyWritesThePreview(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	mon := h.rotaMonday()
	var centre2 string
	if err := h.DB.Get(&centre2, `INSERT INTO centres (council_id, name, lat, lon, provider_type) VALUES ($1, 'Stretford Youth Centre', 53.44, -2.31, 'council') RETURNING id`, h.F.CouncilA); err != nil {
		t.Fatal(err)
	}
	occs := []string{
		h.rotaOccurrence(rotaOcc{Title: "Football", Start: rotaAt(mon, 1, 18, 0), Confirmed: 25}),
		h.rotaOccurrence(rotaOcc{Title: "Art club", Start: rotaAt(mon, 2, 17, 0)}),
		h.rotaOccurrence(rotaOcc{Title: "Cooking", Centre: centre2, Council: h.F.CouncilA, Start: rotaAt(mon, 1, 18, 30)}),
		h.rotaOccurrence(rotaOcc{Title: "Saturday sport", Start: rotaAt(mon, 5, 10, 0)}),
	}
	leads := []string{h.rotaStaff(h.F.CouncilA, "Lou", "Lead", 40), h.rotaStaff(h.F.CouncilA, "Max", "Lead", 33)}
	for _, id := range leads {
		h.rotaPutRecord(officer, id, h.rotaRecord(rotaLead, rotaFirstAider))
	}
	for i := range 4 {
		id := h.rotaStaff(h.F.CouncilA, fmt.Sprintf("Worker%c", 'A'+i), "Pool", 25+i)
		h.rotaPutRecord(officer, id, h.rotaRecord(func(r map[string]any) {
			// Nobody but the leads works Saturdays.
			r["availability"] = []map[string]string{{"day": "tuesday", "from": "09:00", "to": "22:00"}, {"day": "wednesday", "from": "09:00", "to": "24:00"}}
		}))
	}
	// Lou usually works at Stretford only.
	rec := h.rotaRecord(rotaLead, rotaFirstAider)
	rec["centre_ids"] = []string{centre2}
	h.rotaPutRecord(officer, leads[0], rec)

	in := map[string]any{"week_start": mon.AddDate(0, 0, 2).Format(time.DateOnly)}
	var p1, p2 rotaProposal
	h.Do(Req{Method: "POST", Path: "/api/v1/rota/autofill", Token: manager, Body: in}).Want(t, 200).JSON(t, &p1)
	if n := h.count("shifts"); n != 0 {
		t.Fatalf("preview wrote %d shifts", n)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/rota/autofill", Token: officer, Body: in}).Want(t, 200).JSON(t, &p2)
	if !slices.Equal(p1.keys(), p2.keys()) || len(p1.Unfilled) != len(p2.Unfilled) {
		t.Fatalf("two previews differ:\n%v\n%v", p1.keys(), p2.keys())
	}
	if p1.WeekStart != mon.Format(time.DateOnly) || len(p1.Shifts) == 0 {
		t.Fatalf("rotaProposal: %+v", p1)
	}
	for _, s := range p1.Shifts {
		if s.WorkerName == "" || s.ShiftID != "" {
			t.Fatalf("proposed shift: %+v", s)
		}
		if s.OccurrenceID == occs[2] && s.Role == "lead" && s.UserID != leads[0] {
			t.Fatalf("Stretford's lead is not Lou: %+v", s)
		}
		if s.UserID == leads[0] && s.OccurrenceID != occs[2] {
			t.Fatalf("Lou proposed away from Stretford: %+v", s)
		}
	}
	// Saturday: one lead free, the workers unavailable: a gap, explained.
	var sat []string
	for _, u := range p1.Unfilled {
		if u.OccurrenceID == occs[3] {
			sat = append(sat, u.Need+": "+u.Reason)
		}
	}
	if len(sat) != 1 || !strings.Contains(sat[0], "staff: Only 1 of the 2 adult staff needed could be rostered") ||
		!strings.Contains(sat[0], "not available at that time") {
		t.Fatalf("Saturday's gaps: %q", sat)
	}

	var applied rotaProposal
	h.Do(Req{Method: "POST", Path: "/api/v1/rota/autofill/apply", Token: manager, Body: in}).Want(t, 201).JSON(t, &applied)
	if !slices.Equal(applied.keys(), p1.keys()) {
		t.Fatalf("apply differs from the preview:\n%v\n%v", applied.keys(), p1.keys())
	}
	var stored []string
	if err := h.DB.Select(&stored, `SELECT occurrence_id || '/' || user_id || '/' || role FROM shifts ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(stored, p1.keys()) {
		t.Fatalf("stored shifts differ from the preview:\n%v\n%v", stored, p1.keys())
	}
	for _, s := range applied.Shifts {
		if s.ShiftID == "" {
			t.Fatalf("applied shift without an id: %+v", s)
		}
	}
	if got := h.rotaStaffedLimit(occs[0]); got == nil || *got != 30 {
		t.Fatalf("football staffed limit %v after auto-fill", got)
	}
	// A second run has nothing left to add but the same gaps.
	var again rotaProposal
	h.Do(Req{Method: "POST", Path: "/api/v1/rota/autofill", Token: manager, Body: in}).Want(t, 200).JSON(t, &again)
	if len(again.Shifts) != 0 || len(again.Unfilled) != len(p1.Unfilled) {
		t.Fatalf("second run: %+v", again)
	}
	// One centre only.
	one := map[string]any{"week_start": mon.Format(time.DateOnly), "centre_id": centre2}
	h.Do(Req{Method: "POST", Path: "/api/v1/rota/autofill", Token: manager, Body: one}).Want(t, 200)
	h.Do(Req{Method: "POST", Path: "/api/v1/rota/autofill", Token: manager, Body: map[string]any{"week_start": "2027-02-30"}, Raw: true}).Want(t, 422)
}

// TestRotaObjectsOfAnotherCouncilAreNotFound: every rota object of council
// A answers 404 to council B's staff.
func TestRotaObjectsOfAnotherCouncilAreNotFound(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officerA, managerA := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	mon := h.rotaMonday()
	occ := h.rotaOccurrence(rotaOcc{Start: rotaAt(mon, 1, 18, 0)})
	h.rotaPutRecord(officerA, h.F.WorkerA, h.rotaRecord())
	shift := h.rotaAddShift(managerA, occ, h.F.WorkerA, "worker").Shift.ID
	var swap struct {
		ID string `json:"id"`
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/shifts/" + shift + "/swap", Token: h.Login("worker.a@example.test")}).Want(t, 201).JSON(t, &swap)

	officerB, managerB, workerB := h.Login("officer.b@example.test"), h.Login("manager.b@example.test"), h.Login("worker.b@example.test")
	h.rotaPutRecord(officerB, h.F.WorkerB, h.rotaRecord())
	cases := []struct {
		method, path, token string
		body                any
	}{
		{"GET", "/api/v1/sessions/" + occ + "/shifts", managerB, nil},
		{"POST", "/api/v1/sessions/" + occ + "/shifts", managerB, map[string]any{"user_id": h.F.WorkerB, "role": "worker"}},
		{"PATCH", "/api/v1/shifts/" + shift, officerB, map[string]any{"role": "lead"}},
		{"DELETE", "/api/v1/shifts/" + shift, managerB, nil},
		{"POST", "/api/v1/shifts/" + shift + "/swap", workerB, nil},
		{"POST", "/api/v1/swaps/" + swap.ID + "/accept", workerB, nil},
		{"POST", "/api/v1/swaps/" + swap.ID + "/approve", managerB, nil},
		{"POST", "/api/v1/swaps/" + swap.ID + "/decline", managerB, nil},
		{"POST", "/api/v1/swaps/" + swap.ID + "/cancel", workerB, nil},
		{"GET", "/api/v1/staff/" + h.F.WorkerA + "/record", officerB, nil},
		{"PUT", "/api/v1/staff/" + h.F.WorkerA + "/record", managerB, h.rotaRecord()},
		{"GET", "/api/v1/rota?centre_id=" + h.F.CentreA, managerB, nil},
		{"POST", "/api/v1/rota/autofill", managerB, map[string]any{"week_start": mon.Format(time.DateOnly), "centre_id": h.F.CentreA}},
		{"POST", "/api/v1/rota/autofill/apply", officerB, map[string]any{"week_start": mon.Format(time.DateOnly), "centre_id": h.F.CentreA}},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			h.Do(Req{Method: c.method, Path: c.path, Token: c.token, Body: c.body}).Want(t, 404)
		})
	}
	// Council B's own views do not show A's data.
	var w struct {
		Total int `json:"total"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/rota?week_start=" + mon.Format(time.DateOnly), Token: managerB}).Want(t, 200).JSON(t, &w)
	var sw struct {
		Total int `json:"total"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/swaps", Token: workerB}).Want(t, 200).JSON(t, &sw)
	var ex struct {
		Items []struct {
			UserID string `json:"user_id"`
		} `json:"items"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/rota/expiring?days=365", Token: officerB}).Want(t, 200).JSON(t, &ex)
	if w.Total != 0 || sw.Total != 0 {
		t.Fatalf("council B sees A's rota (%d) or swaps (%d)", w.Total, sw.Total)
	}
	for _, e := range ex.Items {
		if e.UserID == h.F.WorkerA {
			t.Fatal("council B sees A's expiring checks")
		}
	}
	if n := h.count("shifts"); n != 1 {
		t.Fatalf("%d shifts after refused requests", n)
	}
}

// TestShiftSwapOfferAcceptApprove: a worker offers, a colleague accepts
// (rules checked for them), a manager approves (checked again) and the shift
// moves.
func TestShiftSwapOfferAcceptApprove(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	mon := h.rotaMonday()
	occ := h.rotaOccurrence(rotaOcc{Start: rotaAt(mon, 1, 18, 0)})
	h.rotaPutRecord(officer, h.F.WorkerA, h.rotaRecord())
	pat := h.rotaStaff(h.F.CouncilA, "Pat", "Colleague", 29)
	h.rotaPutRecord(officer, pat, h.rotaRecord())
	lapsed := h.rotaStaff(h.F.CouncilA, "Les", "Lapsed", 45)
	h.rotaPutRecord(officer, lapsed, h.rotaRecord(func(r map[string]any) { r["safeguarding_expires"] = mon.Format(time.DateOnly) }))
	shift := h.rotaAddShift(manager, occ, h.F.WorkerA, "worker").Shift.ID
	other := h.rotaAddShift(manager, occ, pat, "worker").Shift.ID

	wes, patTok, lesTok := h.Login("worker.a@example.test"), h.Login("pat.colleague@rota.test"), h.Login("les.lapsed@rota.test")
	// Only one's own shift can be offered.
	h.Do(Req{Method: "POST", Path: "/api/v1/shifts/" + other + "/swap", Token: wes}).Want(t, 403)
	var swap struct {
		ID         string  `json:"id"`
		Status     string  `json:"status"`
		AcceptedBy *string `json:"accepted_by"`
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/shifts/" + shift + "/swap", Token: wes}).Want(t, 201).JSON(t, &swap)
	res := h.Do(Req{Method: "POST", Path: "/api/v1/shifts/" + shift + "/swap", Token: wes}).Want(t, 409)
	if code, _ := rotaProblem(t, res); code != "swap_open" {
		t.Fatalf("code %q", code)
	}
	var open struct {
		Items []struct {
			ID            string `json:"id"`
			OfferedByName string `json:"offered_by_name"`
		} `json:"items"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/swaps", Token: lesTok}).Want(t, 200).JSON(t, &open)
	if len(open.Items) != 1 || open.Items[0].ID != swap.ID || open.Items[0].OfferedByName != "youth_worker Tester" {
		t.Fatalf("open swaps: %+v", open)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/swaps/" + swap.ID + "/accept", Token: wes}).Want(t, 422)
	// Les's safeguarding lapses before the session: refused, the rule named.
	res = h.Do(Req{Method: "POST", Path: "/api/v1/swaps/" + swap.ID + "/accept", Token: lesTok}).Want(t, 422)
	if code, detail := rotaProblem(t, res); code != "safeguarding_expired" || !strings.Contains(detail, "Les Lapsed") {
		t.Fatalf("code %q, detail %q", code, detail)
	}
	// Pat is already on this session.
	res = h.Do(Req{Method: "POST", Path: "/api/v1/swaps/" + swap.ID + "/accept", Token: patTok}).Want(t, 422)
	if code, _ := rotaProblem(t, res); code != "duplicate_shift" {
		t.Fatalf("code %q", code)
	}
	h.Do(Req{Method: "DELETE", Path: "/api/v1/shifts/" + other, Token: manager}).Want(t, 200)
	h.Do(Req{Method: "POST", Path: "/api/v1/swaps/" + swap.ID + "/approve", Token: manager}).Want(t, 409)
	h.Do(Req{Method: "POST", Path: "/api/v1/swaps/" + swap.ID + "/accept", Token: patTok}).Want(t, 200).JSON(t, &swap)
	if swap.Status != "accepted" || swap.AcceptedBy == nil || *swap.AcceptedBy != pat {
		t.Fatalf("accepted: %+v", swap)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/swaps/" + swap.ID + "/accept", Token: lesTok}).Want(t, 409)
	h.Do(Req{Method: "POST", Path: "/api/v1/swaps/" + swap.ID + "/approve", Token: manager}).Want(t, 200).JSON(t, &swap)
	if swap.Status != "approved" {
		t.Fatalf("approved: %+v", swap)
	}
	var owner string
	if err := h.DB.Get(&owner, `SELECT user_id FROM shifts WHERE id = $1`, shift); err != nil || owner != pat {
		t.Fatalf("shift belongs to %s (%v), want Pat", owner, err)
	}
	var notes int
	if err := h.DB.Get(&notes, `SELECT count(*) FROM notifications WHERE kind LIKE 'swap_%' AND kind <> 'swap_waiting'`); err != nil || notes != 3 {
		t.Fatalf("%d swap notifications (%v)", notes, err)
	}
	// Whoever can approve it was told it was waiting: with no manager named for the centre, the
	// council's managers and officers; nobody else, and nobody of another council.
	var told []string
	if err := h.DB.Select(&told, `SELECT user_id FROM notifications WHERE kind = 'swap_waiting' AND message LIKE 'A shift swap is waiting for your approval%' ORDER BY user_id`); err != nil {
		t.Fatal(err)
	}
	var approvers []string
	if err := h.DB.Select(&approvers, `SELECT id FROM users WHERE council_id = $1 AND role IN ('centre_manager','council_officer') AND active ORDER BY id`, h.F.CouncilA); err != nil {
		t.Fatal(err)
	}
	if strings.Join(told, ",") != strings.Join(approvers, ",") || len(told) < 2 {
		t.Fatalf("told %v, want the council's approvers %v", told, approvers)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/swaps/" + swap.ID + "/decline", Token: manager}).Want(t, 409)

	// Pat offers it on, then thinks better of it; Wes cannot cancel Pat's offer.
	h.Do(Req{Method: "POST", Path: "/api/v1/shifts/" + shift + "/swap", Token: patTok}).Want(t, 201).JSON(t, &swap)
	h.Do(Req{Method: "POST", Path: "/api/v1/swaps/" + swap.ID + "/cancel", Token: wes}).Want(t, 403)
	h.Do(Req{Method: "POST", Path: "/api/v1/swaps/" + swap.ID + "/cancel", Token: patTok}).Want(t, 200).JSON(t, &swap)
	if swap.Status != "cancelled" {
		t.Fatalf("cancelled: %+v", swap)
	}
	// A manager declines another offer; the shift stays.
	h.Do(Req{Method: "POST", Path: "/api/v1/shifts/" + shift + "/swap", Token: patTok}).Want(t, 201).JSON(t, &swap)
	h.Do(Req{Method: "POST", Path: "/api/v1/swaps/" + swap.ID + "/decline", Token: officer}).Want(t, 200)
	// Reassigning a shift cancels its open offer.
	h.Do(Req{Method: "POST", Path: "/api/v1/shifts/" + shift + "/swap", Token: patTok}).Want(t, 201).JSON(t, &swap)
	h.Do(Req{Method: "PATCH", Path: "/api/v1/shifts/" + shift, Token: manager, Body: map[string]any{"user_id": h.F.WorkerA}}).Want(t, 200)
	var status string
	if err := h.DB.Get(&status, `SELECT status FROM shift_swaps WHERE id = $1`, swap.ID); err != nil || status != "cancelled" {
		t.Fatalf("offer on a reassigned shift: %s (%v)", status, err)
	}
}

// TestRotaCalendarFeedParses: a worker sees their rota and subscribes to it;
// the feed is valid iCalendar with the shift in it, and a reset retires the
// old link.
func TestRotaCalendarFeedParses(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	mon := h.rotaMonday()
	occ := h.rotaOccurrence(rotaOcc{Title: "Tuesday football", Start: rotaAt(mon, 1, 18, 0)})
	h.rotaPutRecord(officer, h.F.WorkerA, h.rotaRecord())
	shift := h.rotaAddShift(manager, occ, h.F.WorkerA, "lead").Shift.ID
	wes := h.Login("worker.a@example.test")

	var mine struct {
		Items []struct {
			ID         string    `json:"id"`
			Title      string    `json:"title"`
			CentreName string    `json:"centre_name"`
			StartsAt   time.Time `json:"starts_at"`
		} `json:"items"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/me/rota?to=" + mon.AddDate(0, 0, 7).Format(time.DateOnly), Token: wes}).Want(t, 200).JSON(t, &mine)
	if len(mine.Items) != 1 || mine.Items[0].ID != shift || mine.Items[0].Title != "Tuesday football" || !mine.Items[0].StartsAt.Equal(rotaAt(mon, 1, 18, 0)) {
		t.Fatalf("my rota: %+v", mine)
	}
	// Someone else's rota is not in mine, and nobody without a record subscribes.
	var none struct {
		Total int `json:"total"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/me/rota", Token: manager}).Want(t, 200).JSON(t, &none)
	if none.Total != 0 {
		t.Fatal("the manager sees the worker's shifts as theirs")
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/me/rota/calendar", Token: manager}).Want(t, 404)

	var sub struct {
		URL string `json:"url"`
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/me/rota/calendar", Token: wes}).Want(t, 200).JSON(t, &sub)
	path := strings.TrimPrefix(sub.URL, "https://youthhub.test")
	if !strings.HasPrefix(path, "/api/v1/calendar/rota/") || !strings.HasSuffix(path, ".ics") {
		t.Fatalf("url %q", sub.URL)
	}
	res := h.Do(Req{Method: "GET", Path: path}).Want(t, 200)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Fatalf("content type %q", ct)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(res.Body))
	if err != nil {
		t.Fatalf("feed does not parse: %v\n%s", err, res.Body)
	}
	evs := cal.Events()
	if len(evs) != 1 || evs[0].Id() != "shift-"+shift+"@youthhub" {
		t.Fatalf("events: %d\n%s", len(evs), res.Body)
	}
	start, err := evs[0].GetStartAt()
	if err != nil || !start.Equal(rotaAt(mon, 1, 18, 0)) {
		t.Fatalf("DTSTART %v (%v)", start, err)
	}
	if s := evs[0].GetProperty(ics.ComponentPropertySummary); s == nil || s.Value != "Tuesday football (lead)" {
		t.Fatalf("summary %v", s)
	}
	// A new link retires the old one; a made-up one finds nothing.
	h.Do(Req{Method: "POST", Path: "/api/v1/me/rota/calendar", Token: wes}).Want(t, 200)
	h.Do(Req{Method: "GET", Path: path}).Want(t, 404)
	h.Do(Req{Method: "GET", Path: "/api/v1/calendar/rota/not-a-secret.ics"}).Want(t, 404)
}

// TestStaffRecordAccessAndValidation.
func TestStaffRecordAccessAndValidation(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager, wes := h.Login("officer.a@example.test"), h.Login("manager.a@example.test"), h.Login("worker.a@example.test")
	var rec struct {
		Recorded     bool   `json:"recorded"`
		DateOfBirth  string `json:"date_of_birth"`
		Availability []struct {
			Day, From, To string
		} `json:"availability"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/staff/" + h.F.WorkerA + "/record", Token: wes}).Want(t, 200).JSON(t, &rec)
	if rec.Recorded || rec.DateOfBirth == "" {
		t.Fatalf("before any record: %+v", rec)
	}
	body := h.rotaRecord(func(r map[string]any) {
		r["availability"] = []map[string]string{{"day": "friday", "from": "17:00", "to": "24:00"}}
		r["leave"] = []map[string]string{{"from_date": "2027-08-02", "to_date": "2027-08-13", "note": "Summer"}}
		r["centre_ids"] = []string{h.F.CentreA}
	})
	h.rotaPutRecord(manager, h.F.WorkerA, body)
	h.Do(Req{Method: "GET", Path: "/api/v1/staff/" + h.F.WorkerA + "/record", Token: wes}).Want(t, 200).JSON(t, &rec)
	if !rec.Recorded || len(rec.Availability) != 1 || rec.Availability[0].To != "24:00" {
		t.Fatalf("after saving: %+v", rec)
	}
	// A worker sees only their own; another council's centre cannot be chosen.
	h.Do(Req{Method: "GET", Path: "/api/v1/staff/" + h.F.ManagerA + "/record", Token: wes}).Want(t, 403)
	h.Do(Req{Method: "GET", Path: "/api/v1/staff/" + h.F.Young + "/record", Token: officer}).Want(t, 404)
	bad := h.rotaRecord(func(r map[string]any) { r["centre_ids"] = []string{h.F.CentreB} })
	res := h.Do(Req{Method: "PUT", Path: "/api/v1/staff/" + h.F.WorkerA + "/record", Token: officer, Body: bad}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"centre_ids"`) {
		t.Fatalf("centre_ids not named: %s", res.Body)
	}
	cases := []struct {
		name, field string
		mod         func(map[string]any)
	}{
		{"window backwards", "availability[0].to", func(r map[string]any) {
			r["availability"] = []map[string]string{{"day": "friday", "from": "20:00", "to": "17:00"}}
		}},
		{"leave backwards", "leave[0].to_date", func(r map[string]any) {
			r["leave"] = []map[string]string{{"from_date": "2027-08-13", "to_date": "2027-08-02"}}
		}},
		{"certificate number", "dbs_certificate_number", func(r map[string]any) { r["dbs_certificate_number"] = "12345" }},
		{"qualification", "qualification", func(r map[string]any) { r["qualification"] = "phd" }},
		{"due before issue", "dbs_next_check_due", func(r map[string]any) { r["dbs_next_check_due"] = "2001-01-01" }},
		{"issued in the future", "dbs_issue_date", func(r map[string]any) {
			r["dbs_issue_date"] = time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
			r["dbs_next_check_due"] = time.Now().AddDate(3, 0, 0).Format(time.DateOnly)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := h.Do(Req{Method: "PUT", Path: "/api/v1/staff/" + h.F.WorkerA + "/record", Token: officer, Body: h.rotaRecord(c.mod), Raw: true}).Want(t, 422)
			if !strings.Contains(string(res.Body), `"field":"`+c.field+`"`) {
				t.Fatalf("%s not named: %s", c.field, res.Body)
			}
		})
	}
	var saved struct {
		Leave []map[string]string `json:"leave"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/staff/" + h.F.WorkerA + "/record", Token: manager}).Want(t, 200).JSON(t, &saved)
	if len(saved.Leave) != 1 || saved.Leave[0]["note"] != "Summer" {
		t.Fatalf("a refused PUT changed the record: %+v", saved)
	}
	// Leave is a hard rule: the worker cannot be rostered on it.
	occ := h.rotaOccurrence(rotaOcc{Start: time.Date(2027, 8, 6, 18, 0, 0, 0, rota.London())})
	res = h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/shifts", Token: manager,
		Body: map[string]any{"user_id": h.F.WorkerA, "role": "worker"}}).Want(t, 422)
	if code, detail := rotaProblem(t, res); code != "on_leave" || !strings.Contains(detail, "is on leave from 2 August 2027 to 13 August 2027") {
		t.Fatalf("code %q, detail %q", code, detail)
	}
}

// TestExpiringChecks lists what runs out within the days asked, missing
// checks first.
func TestExpiringChecks(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer := h.Login("officer.a@example.test")
	today := h.Now.Now().In(rota.London())
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	h.rotaPutRecord(officer, h.F.WorkerA, h.rotaRecord(func(r map[string]any) {
		r["dbs_next_check_due"] = day(10)
		r["first_aid_expires"] = day(-3)
	}))
	h.rotaPutRecord(officer, h.F.ManagerA, h.rotaRecord(func(r map[string]any) { r["safeguarding_expires"] = nil }))
	type item struct {
		UserID   string `json:"user_id"`
		Check    string `json:"check"`
		Status   string `json:"status"`
		DaysLeft *int   `json:"days_left"`
		Message  string `json:"message"`
	}
	var out struct {
		Items []item `json:"items"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/rota/expiring", Token: h.Login("manager.a@example.test")}).Want(t, 200).JSON(t, &out)
	got := []string{}
	for _, it := range out.Items {
		got = append(got, it.Check+"/"+it.Status)
	}
	if want := []string{"safeguarding/missing", "first_aid/expired", "dbs/due_soon"}; !slices.Equal(got, want) {
		t.Fatalf("expiring = %v, want %v", got, want)
	}
	if !strings.Contains(out.Items[2].Message, "DBS check runs out on") || *out.Items[2].DaysLeft != 10 {
		t.Fatalf("message: %+v", out.Items[2])
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/rota/expiring?days=5", Token: officer}).Want(t, 200).JSON(t, &out)
	if len(out.Items) != 2 {
		t.Fatalf("within 5 days: %+v", out.Items)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/rota/expiring?days=-1", Token: officer, Raw: true}).Want(t, 422)
}

// TestConcurrentAssignmentsOfOneWorkerToOverlappingSessions: many requests
// at once on two app instances; exactly one wins, the rest are refused by
// the overlap rule.
func TestConcurrentAssignmentsOfOneWorkerToOverlappingSessions(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	mon := h.rotaMonday()
	h.rotaPutRecord(officer, h.F.WorkerA, h.rotaRecord())
	const n = 16
	occs := make([]string, n)
	for i := range occs {
		occs[i] = h.rotaOccurrence(rotaOcc{Title: fmt.Sprintf("Session %d", i), Start: rotaAt(mon, 2, 17, i*5)})
	}
	// A second replica on the same database (its own logger: the harness's
	// log buffer is not shared safely between app instances).
	other, _ := api.New(api.Deps{Config: h.Cfg, DB: h.DB, Log: slog.New(slog.NewJSONHandler(io.Discard, nil)), Now: h.Now.Now})
	var wg sync.WaitGroup
	statuses := make([]int, n)
	codes := make([]string, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			app := h.App
			if i%2 == 1 {
				app = other
			}
			body, _ := json.Marshal(map[string]any{"user_id": h.F.WorkerA, "role": "worker"})
			req := httptest.NewRequest("POST", "/api/v1/sessions/"+occs[i]+"/shifts", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+manager)
			<-start
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			statuses[i] = resp.StatusCode
			var p struct {
				Code string `json:"code"`
			}
			_ = json.Unmarshal(b, &p)
			codes[i] = p.Code
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for i, st := range statuses {
		switch {
		case st == http.StatusCreated:
			won++
		case st == http.StatusUnprocessableEntity && codes[i] == "shift_overlap":
		default:
			t.Errorf("request %d: %d %q", i, st, codes[i])
		}
	}
	if won != 1 || h.count("shifts") != 1 {
		t.Fatalf("%d requests won, %d shifts stored; want exactly 1", won, h.count("shifts"))
	}
}

// TestAddingStaffLetsTheWaitingListIn: the rota caps the places; when more
// adults are rostered the people waiting are booked in, in order, in the same
// transaction, and nobody new jumps the queue.
func TestAddingStaffLetsTheWaitingListIn(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	start := h.Now.Now().In(rota.London()).AddDate(0, 0, 2)
	occ := h.rotaOccurrence(rotaOcc{Start: time.Date(start.Year(), start.Month(), start.Day(), 18, 0, 0, 0, rota.London()), Capacity: 30, Ratio: 5})
	staff := []string{h.rotaStaff(h.F.CouncilA, "Ann", "First", 30), h.rotaStaff(h.F.CouncilA, "Ben", "Second", 31)}
	for _, id := range staff {
		h.rotaPutRecord(officer, id, h.rotaRecord())
	}
	h.rotaAddShift(manager, occ, staff[0], "worker")
	if got := h.rotaStaffedLimit(occ); got == nil || *got != 5 {
		t.Fatalf("staffed limit %v, want 5", got)
	}
	_, toks := h.youngPeople(8, h.Now.Now().AddDate(-15, 0, -10))
	var ids []string
	for _, tok := range toks {
		ids = append(ids, h.book(tok, occ).Want(t, 201).Map(t)["id"].(string))
	}
	if c, w, _, _ := h.counts(occ); c != 5 || w != 3 {
		t.Fatalf("before: %d confirmed, %d waiting", c, w)
	}
	r := h.rotaAddShift(manager, occ, staff[1], "worker")
	if c, w, cc, cw := h.counts(occ); c != 8 || w != 0 || cc != 8 || cw != 0 {
		t.Fatalf("after: %d confirmed, %d waiting (counters %d/%d)", c, w, cc, cw)
	}
	if r.Rota.StaffedLimit == nil || *r.Rota.StaffedLimit != 10 || r.Rota.Expected != 8 {
		t.Fatalf("answer: staffed limit %v, expecting %d", r.Rota.StaffedLimit, r.Rota.Expected)
	}
	var expected int
	var res map[string]any
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/shifts", Token: manager}).Want(t, 200).JSON(t, &res)
	expected = int(res["rota"].(map[string]any)["expected"].(float64))
	if expected != 8 {
		t.Fatalf("rota expects %d young people, want 8", expected)
	}
	for i, id := range ids {
		var st string
		if err := h.DB.Get(&st, `SELECT status FROM bookings WHERE id = $1`, id); err != nil || st != "confirmed" {
			t.Fatalf("booking %d is %s (%v)", i+1, st, err)
		}
	}
}

// TestCreateShiftIsIdempotent: a manager's "Add to rota" retried with the
// same Idempotency-Key (a dropped connection) gets the first answer and
// puts the worker on once, instead of a confusing "already on a shift";
// the key cannot be reused for another worker.
func TestCreateShiftIsIdempotent(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	mon := h.rotaMonday()
	occ := h.rotaOccurrence(rotaOcc{Title: "Football", Start: rotaAt(mon, 1, 18, 0)})
	h.rotaPutRecord(officer, h.F.WorkerA, h.rotaRecord())
	hdr := map[string]string{"Idempotency-Key": "rota-tap-1"}
	body := map[string]any{"user_id": h.F.WorkerA, "role": "worker"}
	var a, b rotaShiftRes
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/shifts", Token: manager, Body: body, Header: hdr}).Want(t, 201).JSON(t, &a)
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/shifts", Token: manager, Body: body, Header: hdr}).Want(t, 201).JSON(t, &b)
	if a.Shift.ID == "" || a.Shift.ID != b.Shift.ID || h.count("shifts") != 1 {
		t.Fatalf("retry: %q then %q, %d shifts", a.Shift.ID, b.Shift.ID, h.count("shifts"))
	}
	other := map[string]any{"user_id": h.F.ManagerA, "role": "lead"}
	if r := h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/shifts", Token: manager, Body: other, Header: hdr}).Want(t, 422); code(t, r) != "idempotency_key_reused" {
		t.Fatalf("reused key: %s", r.Body)
	}
	if h.count("shifts") != 1 {
		t.Fatal("a refused request wrote a shift")
	}
}

// A full session with a rota gets more places: raising its capacity offers
// them at once and promotes from the waiting list, in order (the rota's
// adults could look after more than the old capacity all along).
func TestRaisingTheCapacityOfARosteredSessionPromotes(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	day := h.Now.Now().In(london).AddDate(0, 0, 3)
	occ := h.occurrence(occOpts{Capacity: 8, Starts: time.Date(day.Year(), day.Month(), day.Day(), 18, 0, 0, 0, london)})
	for i, name := range []string{"Ann", "Ben", "Cat"} {
		id := h.rotaStaff(h.F.CouncilA, name, "Staff", 30+i)
		h.rotaPutRecord(officer, id, h.rotaRecord())
		h.rotaAddShift(manager, occ, id, "worker")
	}
	people, tokens := h.youngPeople(12, time.Now().AddDate(-15, 0, 0))
	for _, tok := range tokens {
		h.book(tok, occ).Want(t, 201)
	}
	var got struct {
		Capacity       int `json:"capacity"`
		SpacesLeft     int `json:"spaces_left"`
		WaitlistLength int `json:"waitlist_length"`
	}
	h.Do(Req{Method: "PATCH", Path: "/api/v1/occurrences/" + occ, Token: manager, Body: map[string]any{"capacity": 14}}).Want(t, 200).JSON(t, &got)
	if got.Capacity != 14 || got.WaitlistLength != 0 || got.SpacesLeft != 2 {
		t.Fatalf("after raising the capacity to 14: %+v, want 12 booked, none waiting, 2 places left", got)
	}
	for _, p := range people {
		if s := h.bookingStatus(p, occ); s != "confirmed" {
			t.Fatalf("%s: %s", p, s)
		}
	}
	h.countsExact(occ)
}

// A shift time that is not a time is refused with the field named, not as
// unreadable JSON.
func TestAShiftTimeThatIsNotATimeIsNamed(t *testing.T) {
	t.Parallel()
	h := newH(t)
	manager := h.Login("manager.a@example.test")
	occ := h.rotaOccurrence(rotaOcc{Start: rotaAt(h.rotaMonday(), 1, 18, 0)})
	for field, v := range map[string]string{"starts_at": "yesterday", "ends_at": "2026-12-09T17:00:00"} {
		res := h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/shifts", Token: manager, Raw: true,
			Body: map[string]any{"user_id": h.F.WorkerA, "role": "worker", field: v}}).Want(t, 422)
		if !strings.Contains(string(res.Body), `"field":"`+field+`"`) || !strings.Contains(string(res.Body), "2025-03-04T18:05:00Z") {
			t.Fatalf("%s %q: %s", field, v, res.Body)
		}
	}
	if n := h.count("shifts"); n != 0 {
		t.Fatalf("%d shifts written", n)
	}
}

// A swap waiting at a centre with its own manager is that manager's to
// approve: only they are told, not every manager and officer of the council.
func TestASwapWaitingTellsTheCentresManager(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	occ := h.rotaOccurrence(rotaOcc{Start: rotaAt(h.rotaMonday(), 1, 18, 0)})
	h.rotaPutRecord(officer, h.F.WorkerA, h.rotaRecord())
	pat := h.rotaStaff(h.F.CouncilA, "Pat", "Colleague", 29)
	h.rotaPutRecord(officer, pat, h.rotaRecord())
	h.rotaPutRecord(officer, h.F.ManagerA, h.rotaRecord(func(r map[string]any) { r["centre_ids"] = []string{h.F.CentreA} }))
	shift := h.rotaAddShift(manager, occ, h.F.WorkerA, "worker").Shift.ID
	var swap struct {
		ID string `json:"id"`
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/shifts/" + shift + "/swap", Token: h.Login("worker.a@example.test")}).Want(t, 201).JSON(t, &swap)
	h.Do(Req{Method: "POST", Path: "/api/v1/swaps/" + swap.ID + "/accept", Token: h.Login("pat.colleague@rota.test")}).Want(t, 200)
	var told []string
	if err := h.DB.Select(&told, `SELECT user_id FROM notifications WHERE kind = 'swap_waiting'`); err != nil {
		t.Fatal(err)
	}
	if len(told) != 1 || told[0] != h.F.ManagerA {
		t.Fatalf("told %v, want only the centre's manager %s", told, h.F.ManagerA)
	}
}

// TestStaffWhoMayNotWorkWithChildrenSuperviseNobody: a worker recorded as
// barred, or switched off, no longer counts towards a session's places, at
// once; those already booked keep their places, nobody new gets one.
func TestStaffWhoMayNotWorkWithChildrenSuperviseNobody(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	mon := h.rotaMonday()
	occ := h.rotaOccurrence(rotaOcc{Start: rotaAt(mon, 2, 18, 0), Capacity: 40, Ratio: 10, Confirmed: 5})
	var staff []string
	for i, name := range []string{"Ann", "Ben", "Cat"} {
		id := h.rotaStaff(h.F.CouncilA, name, "Staff", 30+i)
		h.rotaPutRecord(officer, id, h.rotaRecord())
		h.rotaAddShift(manager, occ, id, "worker")
		staff = append(staff, id)
	}
	if got := h.rotaStaffedLimit(occ); got == nil || *got != 30 {
		t.Fatalf("3 adults: limit %v, want 30", got)
	}
	spaces := func() float64 {
		t.Helper()
		return h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ}).Want(t, 200).Map(t)["spaces_left"].(float64)
	}
	if s := spaces(); s != 25 {
		t.Fatalf("spaces left %v, want 25", s)
	}

	// Ann is recorded as barred: she supervises nobody from now on.
	h.rotaPutRecord(officer, staff[0], h.rotaRecord(func(r map[string]any) { r["on_barred_list"] = true }))
	if got := h.rotaStaffedLimit(occ); got == nil || *got != 20 {
		t.Fatalf("a barred worker still counted: limit %v, want 20", *got)
	}
	var view struct {
		Rota rotaOccView `json:"rota"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/shifts", Token: manager}).Want(t, 200).JSON(t, &view)
	if view.Rota.AdultStaff != 2 || view.Rota.RotaStatus != "red" || !slices.Contains(view.Rota.codes(), "barred") {
		t.Fatalf("the rota after the bar: %+v", view.Rota)
	}
	// Ben is switched off.
	h.Do(Req{Method: "PATCH", Path: "/api/v1/staff/" + staff[1], Token: officer, Body: map[string]any{"active": false}}).Want(t, 200)
	if got := h.rotaStaffedLimit(occ); got == nil || *got != 10 {
		t.Fatalf("a switched-off worker still counted: limit %v, want 10", got)
	}
	if s := spaces(); s != 5 {
		t.Fatalf("spaces left %v, want 5", s)
	}
	// Cat's DBS check lapses before the session: nobody left to supervise; the 5 booked keep their places.
	h.rotaPutRecord(officer, staff[2], h.rotaRecord(func(r map[string]any) {
		r["dbs_next_check_due"] = mon.Format(time.DateOnly)
	}))
	if got := h.rotaStaffedLimit(occ); got == nil || *got != 5 {
		t.Fatalf("no cleared adult, 5 booked: limit %v, want 5", got)
	}
	if s := spaces(); s != 0 {
		t.Fatalf("spaces left %v, want 0", s)
	}
	// Switched on again, Ben counts again.
	h.Do(Req{Method: "PATCH", Path: "/api/v1/staff/" + staff[1], Token: officer, Body: map[string]any{"active": true}}).Want(t, 200)
	if got := h.rotaStaffedLimit(occ); got == nil || *got != 10 {
		t.Fatalf("switched back on: limit %v, want 10", got)
	}
}
