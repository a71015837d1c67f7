package api_test

import (
	"strings"
	"testing"
	"time"
)

type auditList struct {
	Items []struct {
		Action  string                           `json:"action"`
		Reason  string                           `json:"reason"`
		At      string                           `json:"at"`
		Actor   *struct{ ID, Name, Role string } `json:"actor"`
		Subject *struct{ ID, Name, Role string } `json:"subject"`
	} `json:"items"`
	Total int `json:"total"`
}

func TestOfficersReadTheirCouncilsAccessLog(t *testing.T) {
	t.Parallel()
	h := newH(t)
	// A roll call at a council A session shows a booked young person's details.
	occ, people, _ := h.regStarted(occOpts{Capacity: 10}, 1)
	if _, err := h.DB.Exec(`INSERT INTO emergency_contacts (young_person_id, name, phone, relationship) VALUES ($1, 'Pat', '07700900123', 'dad')`, people[0]); err != nil {
		t.Fatal(err)
	}
	worker := h.tokenFor(h.F.WorkerA)
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/register/marks", Token: worker,
		Body: marksBody("t", []regMark{newMark(people[0], "present", h.Now.Now())})}).Want(t, 200)
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/roll-call?reason=fire+drill", Token: worker}).Want(t, 200)
	h.Now.Advance(time.Minute)
	// Staff changes in both councils.
	h.Do(Req{Method: "PATCH", Path: "/api/v1/staff/" + h.F.ManagerA, Token: h.Login("officer.a@example.test"), Body: map[string]any{"role": "youth_worker"}}).Want(t, 200)
	h.Do(Req{Method: "PATCH", Path: "/api/v1/staff/" + h.F.WorkerB, Token: h.Login("officer.b@example.test"), Body: map[string]any{"active": false}}).Want(t, 200)
	// A young person's own password change concerns no council.
	h.Do(Req{Method: "POST", Path: "/api/v1/me/password", Token: h.Login("young@example.test"),
		Body: map[string]string{"current_password": fixturePassword, "new_password": newPassword}}).Want(t, 200)

	officer := h.Login("officer.a@example.test")
	var log auditList
	h.Do(Req{Method: "GET", Path: "/api/v1/audit-log", Token: officer}).Want(t, 200).JSON(t, &log)
	if log.Total != 2 || len(log.Items) != 2 {
		t.Fatalf("council A's log: %+v", log)
	}
	staff, view := log.Items[0], log.Items[1]
	if staff.Action != "staff_changed" || staff.Actor.Name != "council_officer Tester" || staff.Subject.Role != "youth_worker" ||
		staff.Reason != "role centre_manager to youth_worker" {
		t.Fatalf("newest first, the staff change: %+v %+v %+v", staff, staff.Actor, staff.Subject)
	}
	var first, last string
	if err := h.DB.QueryRow(`SELECT first_name, last_name FROM users WHERE id = $1`, people[0]).Scan(&first, &last); err != nil {
		t.Fatal(err)
	}
	if view.Action != "view_emergency_contact" || view.Actor.Name != "youth_worker Tester" || view.Subject.ID != people[0] ||
		view.Subject.Name != first+" "+last[:1]+"." || !strings.Contains(view.Reason, "fire drill") {
		t.Fatalf("the roll call: %+v %+v %+v", view, view.Actor, view.Subject)
	}

	// Filters: by action, by UK day.
	h.Do(Req{Method: "GET", Path: "/api/v1/audit-log?action=view_emergency_contact", Token: officer}).Want(t, 200).JSON(t, &log)
	if log.Total != 1 || log.Items[0].Action != "view_emergency_contact" {
		t.Fatalf("filtered by action: %+v", log)
	}
	tomorrow := h.Now.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	h.Do(Req{Method: "GET", Path: "/api/v1/audit-log?from=" + tomorrow, Token: officer}).Want(t, 200).JSON(t, &log)
	if log.Total != 0 || len(log.Items) != 0 {
		t.Fatalf("from the day after tomorrow: %+v", log)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/audit-log?limit=1&offset=1", Token: officer}).Want(t, 200).JSON(t, &log)
	if log.Total != 2 || len(log.Items) != 1 || log.Items[0].Action != "view_emergency_contact" {
		t.Fatalf("second page: %+v", log)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/audit-log?offset=10", Token: officer}).Want(t, 200).JSON(t, &log)
	if log.Total != 2 || len(log.Items) != 0 {
		t.Fatalf("past the end: %+v", log)
	}
	for _, bad := range []string{"action=peeking", "from=27-11-2026", "from=2026-11-27&to=2026-11-01"} {
		res := h.Do(Req{Method: "GET", Path: "/api/v1/audit-log?" + bad, Token: officer, Raw: true}).Want(t, 422)
		field := strings.SplitN(strings.Split(bad, "&")[len(strings.Split(bad, "&"))-1], "=", 2)[0]
		if !strings.Contains(string(res.Body), `"field":"`+field+`"`) {
			t.Errorf("%s: %s not named: %s", bad, field, res.Body)
		}
	}

	// Council B's officer sees only council B's entry; nobody else may read the log.
	h.Do(Req{Method: "GET", Path: "/api/v1/audit-log", Token: h.Login("officer.b@example.test")}).Want(t, 200).JSON(t, &log)
	if log.Total != 1 || log.Items[0].Subject.ID != h.F.WorkerB {
		t.Fatalf("council B's log: %+v", log)
	}
	for _, who := range []string{"manager.b@example.test", "worker.a@example.test", "guardian@example.test", "admin@example.test"} {
		h.Do(Req{Method: "GET", Path: "/api/v1/audit-log", Token: h.Login(who)}).Want(t, 403)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/audit-log", Token: h.tokenFor(h.F.Young)}).Want(t, 403)
	h.Do(Req{Method: "GET", Path: "/api/v1/audit-log"}).Want(t, 401)
}

// A young person who lives in a council's area is that council's to watch
// over: another council's staff viewing their emergency contacts (a roll call
// at a centre across the boundary) shows in the home council's log too.
func TestTheHomeCouncilSeesWhoViewedItsResidentsDetails(t *testing.T) {
	t.Parallel()
	h := newH(t)
	if _, err := h.DB.Exec(`INSERT INTO postcodes (postcode, lat, lon, lad_code) VALUES ('M32 0JG', 53.4509, -2.3077, 'E08000009'),
		('M1 1AA', 53.4794, -2.2453, 'E08000003')`); err != nil {
		t.Fatal(err)
	}
	people, _ := h.youngPeople(2, time.Now().AddDate(-15, 0, 0)) // both in M32 0JG, Trafford (council A)
	if _, err := h.DB.Exec(`UPDATE users SET postcode = 'M1 1AA' WHERE id = $1`, people[1]); err != nil {
		t.Fatal(err)
	}
	for _, yp := range people {
		if _, err := h.DB.Exec(`INSERT INTO audit_log (actor_id, subject_id, action, reason, at) VALUES ($1, $2, 'view_emergency_contact', 'fire drill', $3)`,
			h.F.ManagerB, yp, h.Now.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var log auditList
	h.Do(Req{Method: "GET", Path: "/api/v1/audit-log", Token: h.Login("officer.a@example.test")}).Want(t, 200).JSON(t, &log)
	if log.Total != 1 || log.Items[0].Subject.ID != people[0] || log.Items[0].Actor.Role != "centre_manager" {
		t.Fatalf("council A's log: %+v", log)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/audit-log", Token: h.Login("officer.b@example.test")}).Want(t, 200).JSON(t, &log)
	if log.Total != 2 {
		t.Fatalf("council B's log (its manager's views): %+v", log)
	}
}
