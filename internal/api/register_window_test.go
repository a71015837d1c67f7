package api_test

import (
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
	for _, body := range []map[string]any{{"young_person_id": people[0]}, newPerson} {
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
		h.Do(Req{Method: "GET", Path: "/api/v1/walk-ins/search?q=yo", Token: tok}).Want(t, 200)
		if _, err := h.DB.Exec(`UPDATE staff_records SET on_barred_list = true WHERE user_id = $1`, who); err != nil {
			t.Fatal(err)
		}
		for _, r := range []Req{
			{Method: "GET", Path: "/api/v1/sessions/" + occ + "/register"},
			{Method: "GET", Path: "/api/v1/sessions/" + occ + "/register/history"},
			{Method: "GET", Path: "/api/v1/sessions/" + occ + "/roll-call?reason=fire+drill"},
			{Method: "POST", Path: "/api/v1/sessions/" + occ + "/register/marks", Body: marksBody("t", []regMark{newMark(people[0], "present", h.Now.Now())})},
			{Method: "POST", Path: "/api/v1/sessions/" + occ + "/walk-ins", Body: map[string]any{"young_person_id": people[1]}},
			{Method: "GET", Path: "/api/v1/walk-ins/search?q=yo"},
		} {
			r.Token = tok
			wantCode(t, h.Do(r), 403, "barred")
		}
	}
	if h.count("marks") != 0 || h.count("walk_ins") != 0 || h.count("audit_log") != 0 {
		t.Fatal("a barred member of staff changed or viewed something")
	}
}
