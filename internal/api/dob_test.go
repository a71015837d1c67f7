package api_test

import (
	"strings"
	"testing"
	"time"
)

func TestAnOfficerCorrectsAMistypedDateOfBirth(t *testing.T) {
	t.Parallel()
	h := newH(t)
	// A 15-year-old who has been to a council A session (booked on it).
	_, people, _ := h.regStarted(occOpts{Capacity: 10}, 1)
	kid := people[0]
	officer := h.Login("officer.a@example.test")
	path := "/api/v1/young-people/" + kid + "/date-of-birth"
	twelve := h.Now.Now().AddDate(-12, 0, -20).Format(time.DateOnly)

	// Refusals: bad date, a future date, too young, no reason; each field named, nothing changed.
	res := h.Do(Req{Method: "POST", Path: path, Token: officer, Raw: true, Body: map[string]string{"date_of_birth": "2011-02-30", "reason": ""}}).Want(t, 422)
	for _, f := range []string{"date_of_birth", "reason"} {
		if !strings.Contains(string(res.Body), `"field":"`+f+`"`) {
			t.Errorf("%s not named: %s", f, res.Body)
		}
	}
	for _, d := range []string{h.Now.Now().AddDate(0, 0, 2).Format(time.DateOnly), h.Now.Now().AddDate(-5, 0, 0).Format(time.DateOnly)} {
		h.Do(Req{Method: "POST", Path: path, Token: officer, Body: map[string]string{"date_of_birth": d, "reason": "typo"}}).Want(t, 422)
	}
	// Wrong role, and another council that has never seen them.
	for _, who := range []string{"manager.a@example.test", "worker.a@example.test", "admin@example.test", "young@example.test"} {
		h.Do(Req{Method: "POST", Path: path, Token: h.Login(who), Body: map[string]string{"date_of_birth": twelve, "reason": "typo"}}).Want(t, 403)
	}
	h.Do(Req{Method: "POST", Path: path, Token: h.Login("officer.b@example.test"), Body: map[string]string{"date_of_birth": twelve, "reason": "typo"}}).Want(t, 404)
	h.Do(Req{Method: "POST", Path: "/api/v1/young-people/" + h.F.Young + "/date-of-birth", Token: officer, Body: map[string]string{"date_of_birth": twelve, "reason": "typo"}}).Want(t, 404)
	if n := h.countWhere("audit_log", "action = 'date_of_birth_corrected'"); n != 0 {
		t.Fatalf("%d audit rows after refusals", n)
	}

	// Corrected to 12: now under the age of digital consent, so consent is needed before booking.
	got := h.Do(Req{Method: "POST", Path: path, Token: officer, Body: map[string]string{"date_of_birth": twelve, "reason": "typed 2010 instead of 2014"}}).Want(t, 200).Map(t)
	if got["date_of_birth"] != twelve || got["consent_status"] != "pending" {
		t.Fatalf("after the correction: %v", got)
	}
	var log auditList
	h.Do(Req{Method: "GET", Path: "/api/v1/audit-log?action=date_of_birth_corrected", Token: officer}).Want(t, 200).JSON(t, &log)
	if log.Total != 1 || log.Items[0].Subject.ID != kid || !strings.HasSuffix(log.Items[0].Reason, "to "+twelve+": typed 2010 instead of 2014") {
		t.Fatalf("access log: %+v", log)
	}
	if n := h.countWhere("notifications", "kind = 'date_of_birth_corrected' AND user_id = '"+kid+"'"); n != 1 {
		t.Fatalf("%d notifications to the young person", n)
	}
	// The same date again changes nothing and audits nothing more.
	h.Do(Req{Method: "POST", Path: path, Token: officer, Body: map[string]string{"date_of_birth": twelve, "reason": "again"}}).Want(t, 200)
	if n := h.countWhere("audit_log", "action = 'date_of_birth_corrected'"); n != 1 {
		t.Fatalf("%d audit rows after a correction that changed nothing", n)
	}
}

// A walk-in or mark the officer made themselves does not open a young person
// to their corrections: otherwise an officer could add any young person found
// by the walk-in search to a session of their own and change their birth date.
func TestAnOfficersOwnWalkInDoesNotOpenADateOfBirth(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{Mode: "drop_in", Starts: h.Now.Now().Add(-10 * time.Minute)})
	officer := h.Login("officer.a@example.test")
	path := "/api/v1/young-people/" + h.F.Young + "/date-of-birth"
	body := map[string]string{"date_of_birth": h.Now.Now().AddDate(-16, 0, -3).Format(time.DateOnly), "reason": "typo"}
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/walk-ins", Token: officer, Body: map[string]any{"young_person_id": h.F.Young, "postcode": "M32 0JG"}}).Want(t, 201)
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/register/marks", Token: officer,
		Body: marksBody("t", []regMark{newMark(h.F.Young, "present", h.Now.Now())})}).Want(t, 200)
	h.Do(Req{Method: "POST", Path: path, Token: officer, Body: body}).Want(t, 404)
	// Seen by a colleague at the door, they are the council's to correct.
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/register/marks", Token: h.tokenFor(h.F.ManagerA),
		Body: marksBody("t", []regMark{newMark(h.F.Young, "late", h.Now.Now())})}).Want(t, 200)
	h.Do(Req{Method: "POST", Path: path, Token: officer, Body: body}).Want(t, 200)
}
