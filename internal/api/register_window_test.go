package api_test

import (
	"strings"
	"testing"
	"time"
)

// A walk-in is someone at the door, and a roll call is of who is on site
// now: neither is open days before or after the session, so neither can be
// used to reach a young person's emergency details at other times.
func TestWalkInsAndRollCallOnlyWhileTheSessionIsOn(t *testing.T) {
	t.Parallel()
	h := newH(t)
	later := h.occurrence(occOpts{Mode: "drop_in"}) // in two days
	h.regRoster(later, h.F.WorkerA)
	manager := h.tokenFor(h.F.ManagerA)
	people, _ := h.youngPeople(1, time.Now().AddDate(-15, 0, 0))
	newPerson := map[string]any{"first_name": "Ada", "last_name": "Early", "date_of_birth": time.Now().AddDate(-14, 0, 0).Format(time.DateOnly),
		"postcode": "M32 0JG", "emergency_contact": map[string]any{"name": "Ada's dad", "phone": "07700 900999", "relationship": "dad"}}
	users, contacts := h.count("users"), h.count("emergency_contacts")
	for _, body := range []map[string]any{{"young_person_id": people[0], "postcode": "M32 0JG"}, newPerson} {
		wantCode(t, h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + later + "/walk-ins", Token: manager, Body: body}), 409, "before_register_opens")
	}
	if h.count("walk_ins") != 0 || h.count("users") != users || h.count("emergency_contacts") != contacts {
		t.Fatal("a walk-in refused before the register opens left something behind")
	}
	wantCode(t, h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + later + "/roll-call?reason=fire+drill", Token: manager}), 409, "roll_call_closed")

	// On the day: a walk-in with a contact, marked present, is on the roll call.
	occ, _, _ := h.regStarted(occOpts{Mode: "drop_in"}, 0)
	worker := h.tokenFor(h.F.WorkerA)
	var e regEntry
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/walk-ins", Token: worker, Body: newPerson}).Want(t, 201).JSON(t, &e)
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/register/marks", Token: worker,
		Body: marksBody("t", []regMark{newMark(e.YoungPersonID, "present", h.Now.Now())})}).Want(t, 200)
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/roll-call?reason=fire+drill", Token: worker}).Want(t, 200)
	audited := h.count("audit_log")

	// An hour after it ends the roll call closes, unaudited; the register stays open for corrections.
	h.Now.Advance(time.Hour + 61*time.Minute) // it started 30 minutes ago and lasts 90
	worker = h.tokenFor(h.F.WorkerA)
	wantCode(t, h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/roll-call?reason=late+check", Token: worker}), 409, "roll_call_closed")
	if h.count("audit_log") != audited {
		t.Fatal("a refused roll call was audited as a view")
	}
	h.regView(worker, occ)
}

// Staff recorded as on the children's barred list see no register, roll call
// or walk-in search, whatever their role and rota.
func TestBarredStaffCannotReachYoungPeople(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, people, _ := h.regStarted(occOpts{}, 2)
	h.regRoster(occ, h.F.ManagerA)
	for _, who := range []string{h.F.WorkerA, h.F.ManagerA} {
		tok := h.tokenFor(who)
		h.regView(tok, occ)
		h.Do(Req{Method: "GET", Path: "/api/v1/walk-ins/search?q=yo&date_of_birth=" + h.dobOf(people[0]), Token: tok}).Want(t, 200)
		audited := h.count("audit_log") // the search above, of the young people it showed
		if _, err := h.DB.Exec(`UPDATE staff_records SET on_barred_list = true WHERE user_id = $1`, who); err != nil {
			t.Fatal(err)
		}
		for _, r := range []Req{
			{Method: "GET", Path: "/api/v1/sessions/" + occ + "/register"},
			{Method: "GET", Path: "/api/v1/sessions/" + occ + "/register/history"},
			{Method: "GET", Path: "/api/v1/sessions/" + occ + "/roll-call?reason=fire+drill"},
			{Method: "POST", Path: "/api/v1/sessions/" + occ + "/register/marks", Body: marksBody("t", []regMark{newMark(people[0], "present", h.Now.Now())})},
			{Method: "POST", Path: "/api/v1/sessions/" + occ + "/walk-ins", Body: map[string]any{"young_person_id": people[1], "postcode": "M32 0JG"}},
			{Method: "GET", Path: "/api/v1/walk-ins/search?q=yo&date_of_birth=" + h.dobOf(people[0])},
		} {
			r.Token = tok
			wantCode(t, h.Do(r), 403, "barred")
		}
		if h.count("audit_log") != audited {
			t.Fatal("a barred member of staff viewed something")
		}
	}
	if h.count("marks") != 0 || h.count("walk_ins") != 0 {
		t.Fatal("a barred member of staff changed or viewed something")
	}
}

// A session's staff see who holds its places and who is waiting, in order;
// nobody else does.
func TestStaffSeeWhoHoldsASessionsPlaces(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{Capacity: 2})
	people, tokens := h.youngPeople(4, time.Now().AddDate(-15, 0, 0))
	for i := range people {
		h.book(tokens[i], occ).Want(t, 201)
		h.Now.Advance(time.Second)
	}
	h.Do(Req{Method: "DELETE", Path: "/api/v1/bookings/" + h.bookingID(people[0], occ), Token: tokens[0]}).Want(t, 200) // person 2 is promoted
	var list struct {
		Items []struct {
			YoungPersonID    string `json:"young_person_id"`
			FirstName        string `json:"first_name"`
			Status           string `json:"status"`
			WaitlistPosition *int   `json:"waitlist_position"`
		} `json:"items"`
		Total int `json:"total"`
	}
	path := "/api/v1/sessions/" + occ + "/holders"
	h.Do(Req{Method: "GET", Path: path, Token: h.tokenFor(h.F.ManagerA)}).Want(t, 200).JSON(t, &list)
	if list.Total != 3 || list.Items[0].YoungPersonID != people[1] || list.Items[1].YoungPersonID != people[2] ||
		list.Items[2].YoungPersonID != people[3] || list.Items[2].Status != "waitlisted" || list.Items[2].WaitlistPosition == nil ||
		*list.Items[2].WaitlistPosition != 1 || list.Items[0].WaitlistPosition != nil || list.Items[0].FirstName == "" {
		t.Fatalf("holders: %+v", list)
	}
	// A rostered worker too; an unrostered one, another council, a young person: no.
	h.Do(Req{Method: "GET", Path: path, Token: h.tokenFor(h.F.WorkerA)}).Want(t, 403)
	h.regRoster(occ, h.F.WorkerA)
	h.Do(Req{Method: "GET", Path: path, Token: h.tokenFor(h.F.WorkerA)}).Want(t, 200)
	for _, who := range []string{h.F.ManagerB, h.F.OfficerB} {
		h.Do(Req{Method: "GET", Path: path, Token: h.tokenFor(who)}).Want(t, 404)
	}
	h.Do(Req{Method: "GET", Path: path, Token: tokens[1]}).Want(t, 403)
}

func (h *H) bookingID(person, occ string) string {
	h.t.Helper()
	var id string
	if err := h.DB.Get(&id, `SELECT id FROM bookings WHERE young_person_id = $1 AND occurrence_id = $2 AND status IN ('confirmed','waitlisted')`, person, occ); err != nil {
		h.t.Fatal(err)
	}
	return id
}

// The barred flag cannot be lifted by the person it bars, nor by a manager:
// only a council officer, and every change of it is audited. Nobody changes
// their own staff record.
func TestOnlyAnOfficerLiftsABar(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	path := func(id string) string { return "/api/v1/staff/" + id + "/record" }
	barred := h.rotaRecord(func(r map[string]any) { r["on_barred_list"] = true })
	h.rotaPutRecord(officer, h.F.ManagerA, h.rotaRecord())
	wantCode(t, h.Do(Req{Method: "PUT", Path: path(h.F.ManagerA), Token: manager, Body: h.rotaRecord()}), 403, "own_record")
	wantCode(t, h.Do(Req{Method: "PUT", Path: path(h.F.OfficerA), Token: officer, Body: h.rotaRecord()}), 403, "own_record")

	// A manager records a bar on a worker; the worker is refused at the register at once.
	h.Do(Req{Method: "PUT", Path: path(h.F.WorkerA), Token: manager, Body: barred}).Want(t, 200)
	occ, _, _ := h.regStarted(occOpts{}, 0)
	wantCode(t, h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/register", Token: h.tokenFor(h.F.WorkerA)}), 403, "barred")
	// The manager cannot lift it; the officer can.
	wantCode(t, h.Do(Req{Method: "PUT", Path: path(h.F.WorkerA), Token: manager, Body: h.rotaRecord()}), 403, "bar_lifted_by_officer")
	wantCode(t, h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/register", Token: h.tokenFor(h.F.WorkerA)}), 403, "barred")
	h.Do(Req{Method: "PUT", Path: path(h.F.WorkerA), Token: officer, Body: h.rotaRecord()}).Want(t, 200)
	h.regView(h.tokenFor(h.F.WorkerA), occ)

	var reasons []string
	if err := h.DB.Select(&reasons, `SELECT reason FROM audit_log WHERE action = 'staff_changed' AND subject_id = $1 ORDER BY id`, h.F.WorkerA); err != nil {
		t.Fatal(err)
	}
	if strings.Join(reasons, "; ") != "recorded as on the children's barred list; no longer recorded as on the children's barred list" {
		t.Fatalf("audit of the bar: %q", reasons)
	}
}
