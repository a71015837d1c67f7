package api_test

import (
	"strings"
	"testing"
	"time"
)

// TestAYoungPersonDownloadsAndDeletesTheirData.
func TestAYoungPersonDownloadsAndDeletesTheirData(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{Capacity: 1})
	young := h.Login("young@example.test")
	_, others := h.youngPeople(1, time.Now().AddDate(-14, 0, 0))
	h.book(young, occ).Want(t, 201)
	waiting := h.book(others[0], occ).Want(t, 201).Map(t)

	// What staff wrote at a walk-in, and an address used before, are theirs to see too.
	if _, err := h.DB.Exec(`INSERT INTO medical_notes (young_person_id, notes) VALUES ($1, 'Severe peanut allergy')`, h.F.Young); err != nil {
		t.Fatal(err)
	}
	if _, err := h.DB.Exec(`INSERT INTO former_emails (user_id, email) VALUES ($1, 'young.old@example.test')`, h.F.Young); err != nil {
		t.Fatal(err)
	}
	// A manager's reason for changing a locked register can say more than attendance.
	if _, err := h.DB.Exec(`INSERT INTO marks (occurrence_id, young_person_id, status, recorded_at, client_id, reason)
		VALUES ($1, $2, 'absent', now(), gen_random_uuid(), 'Came in upset: spoke to her mum')`, occ, h.F.Young); err != nil {
		t.Fatal(err)
	}
	// Who looked them up: a walk-in search by a worker of council B (by role and council, not name).
	h.Do(Req{Method: "GET", Path: "/api/v1/walk-ins/search?q=young&date_of_birth=" + h.dobOf(h.F.Young), Token: h.tokenFor(h.F.WorkerB)}).Want(t, 200)
	data := h.Do(Req{Method: "GET", Path: "/api/v1/me/data", Token: young}).Want(t, 200)
	for _, want := range []string{`"email":"young@example.test"`, `"session":"Tuesday football"`, `"status":"confirmed"`,
		`"medical_notes":"Severe peanut allergy"`, `"email":"young.old@example.test"`, `"pending_email":null`,
		`"reason":"Came in upset: spoke to her mum"`, `"walk_ins":[]`,
		`"action":"walk_in_search_shown","reason":"walk-in search by name and date of birth","by":"youth_worker","by_council":"Manchester City Council"`} {
		if !strings.Contains(string(data.Body), want) {
			t.Errorf("export lacks %s: %s", want, data.Body)
		}
	}
	if data.Header.Get("Cache-Control") != "no-store" {
		t.Error("export may be cached")
	}
	// Staff cannot use these (policy), and nobody can delete someone else.
	h.deleteMe(h.Login("worker.a@example.test"), fixturePassword).Want(t, 403)

	// Not without the password again: a phone left unlocked is not enough.
	wantField(t, h.Do(Req{Method: "DELETE", Path: "/api/v1/me", Token: young, Raw: true}), "password", "Enter your password")
	wantField(t, h.deleteMe(young, "not my password"), "password", "not right")
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: young}).Want(t, 200)
	if c := h.countWhere("bookings", "young_person_id = '"+h.F.Young+"' AND status = 'confirmed'"); c != 1 {
		t.Fatalf("a refused deletion cancelled bookings: %d left", c)
	}
	h.deleteMe(young, fixturePassword).Want(t, 204)
	// The place went to the waiting list; the account is gone.
	var st string
	if err := h.DB.Get(&st, `SELECT status FROM bookings WHERE id = $1`, waiting["id"]); err != nil || st != "confirmed" {
		t.Fatalf("waiting-list booking is %q, %v", st, err)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": "young@example.test", "password": fixturePassword}}).Want(t, 401)
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: young}).Want(t, 401)
	var row struct {
		FirstName string  `db:"first_name"`
		Email     *string `db:"email"`
		Postcode  *string `db:"postcode"`
		DOB       string  `db:"dob"`
	}
	if err := h.DB.Get(&row, `SELECT first_name, email, postcode, to_char(date_of_birth, 'MM-DD') AS dob FROM users WHERE id = $1`, h.F.Young); err != nil {
		t.Fatal(err)
	}
	if row.FirstName != "Deleted" || row.Email != nil || row.Postcode != nil || row.DOB != "01-01" {
		t.Fatalf("personal data remains: %+v", row)
	}
	var notes int
	if err := h.DB.Get(&notes, `SELECT count(*) FROM notifications WHERE user_id = $1`, h.F.Young); err != nil || notes != 0 {
		t.Fatalf("%d notifications remain", notes)
	}
	// Attendance stays, for the council's anonymous figures, without the words.
	var reasons []string
	if err := h.DB.Select(&reasons, `SELECT reason FROM marks WHERE young_person_id = $1`, h.F.Young); err != nil || len(reasons) != 1 || reasons[0] != "" {
		t.Fatalf("marks after erasure: %q %v", reasons, err)
	}
}

// TestErasureForgetsStoredAnswersThatNameThePerson: a walk-in's answer kept
// under a youth worker's Idempotency-Key names the young person; when they
// delete their account it goes too, and other stored answers stay.
func TestErasureForgetsStoredAnswersThatNameThePerson(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, _, _ := h.regStarted(occOpts{Capacity: 10}, 0)
	worker := h.tokenFor(h.F.WorkerA)
	others, _ := h.youngPeople(1, time.Now().AddDate(-14, 0, 0))
	walkIn := func(who, key string) {
		h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/walk-ins", Token: worker,
			Body: map[string]any{"young_person_id": who, "postcode": "M32 0JG"}, Header: map[string]string{"Idempotency-Key": key}}).Want(t, 201)
	}
	walkIn(h.F.Young, "door-1")
	walkIn(others[0], "door-2")
	naming := func(id string) int {
		var n int
		if err := h.DB.Get(&n, `SELECT count(*) FROM idempotency_keys WHERE position(convert_to($1::text, 'UTF8') IN response) > 0`, id); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if naming(h.F.Young) != 1 || naming(others[0]) != 1 {
		t.Fatalf("stored answers naming them: %d, %d", naming(h.F.Young), naming(others[0]))
	}
	h.deleteMe(h.Login("young@example.test"), fixturePassword).Want(t, 204)
	if naming(h.F.Young) != 0 || naming(others[0]) != 1 {
		t.Fatalf("after erasure, stored answers naming them: %d, %d", naming(h.F.Young), naming(others[0]))
	}
}

// Erasing an account deletes the e-mails sent to every address it used, not
// only the last, and the guardian's consent e-mail about a child who has
// since changed their first name.
func TestErasureFindsMailToFormerAddressesAndNames(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{Capacity: 5})
	young := h.Login("young@example.test")
	h.book(young, occ).Want(t, 201) // a confirmation to young@example.test
	for _, addr := range []string{"second@example.test", "third@example.test", "fourth@example.test"} {
		h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: young, Body: map[string]string{"email": addr, "current_password": fixturePassword}}).Want(t, 200)
		if addr != "fourth@example.test" { // the last is asked for, never confirmed
			h.Do(Req{Method: "POST", Path: "/api/v1/auth/email-change/" + h.outboxLink(addr, "/confirm-email/"), Token: young}).Want(t, 200)
		}
	}
	dob := time.Now().AddDate(-11, 0, -3).Format(time.DateOnly)
	kid := h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("qacee@example.test", dob, map[string]any{"guardian_email": "carer@example.test"})}).Want(t, 201).Map(t)["access_token"].(string)
	h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: kid, Body: map[string]string{"first_name": "Renamed"}}).Want(t, 200)
	// A new request to another address replaces the first link: the first e-mail names neither the
	// current first name nor the current link.
	h.Do(Req{Method: "POST", Path: "/api/v1/me/consent-request", Token: kid, Body: map[string]string{"guardian_email": "carer2@example.test"}}).Want(t, 200)
	// Someone else's mail to the same guardian stays.
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("sibling@example.test", dob, map[string]any{"guardian_email": "carer@example.test"})}).Want(t, 201)
	before := h.countWhere("outbox", "to_email IN ('young@example.test','second@example.test','third@example.test')")
	if before < 3 {
		t.Fatalf("%d e-mails to the three addresses before erasure", before)
	}

	h.deleteMe(young, fixturePassword).Want(t, 204)
	h.deleteMe(kid, "marble tiger umbrella").Want(t, 204)
	if n := h.countWhere("outbox", "to_email IN ('young@example.test','second@example.test','third@example.test','fourth@example.test') OR body LIKE '%third@example.test%'"); n != 0 {
		t.Fatalf("%d e-mails to or naming the deleted account's addresses remain", n)
	}
	if n := h.countWhere("outbox", "to_email = 'carer@example.test'"); n != 1 {
		t.Fatalf("%d e-mails to the guardian remain, want the sibling's one", n)
	}
	if n := h.countWhere("outbox", "to_email = 'carer2@example.test'"); n != 0 {
		t.Fatalf("%d e-mails to the second guardian address remain", n)
	}
	if n := h.count("former_emails") + h.count("email_changes"); n != 0 {
		t.Fatalf("%d former or asked-for addresses kept after erasure", n)
	}
}

// TestAGuardianDeletesTheirAccount: a guardian can erase their account;
// their child's consent stays as it was given, and the child can still book.
func TestAGuardianDeletesTheirAccount(t *testing.T) {
	t.Parallel()
	h := newH(t)
	guardian := h.Login("guardian@example.test")
	h.Do(Req{Method: "POST", Path: "/api/v1/guardian/children/" + h.F.Child + "/withdraw", Token: guardian}).Want(t, 200)
	h.Do(Req{Method: "POST", Path: "/api/v1/guardian/children/" + h.F.Child + "/give", Token: guardian}).Want(t, 200)
	var linked int
	if err := h.DB.Get(&linked, `SELECT count(*) FROM consents WHERE guardian_user_id = $1`, h.F.Guardian); err != nil || linked != 1 {
		t.Fatalf("the answer is not linked to the account (%d, %v)", linked, err)
	}
	if _, err := h.DB.Exec(`INSERT INTO outbox (to_email, subject, body) VALUES ('guardian@example.test', 'About Charlie', 'Hello')`); err != nil {
		t.Fatal(err)
	}
	h.deleteMe(guardian, fixturePassword).Want(t, 204)

	h.signIn("guardian@example.test", fixturePassword).Want(t, 401)
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: guardian}).Want(t, 401)
	var row struct {
		FirstName string  `db:"first_name"`
		Email     *string `db:"email"`
		Active    bool    `db:"active"`
	}
	if err := h.DB.Get(&row, `SELECT first_name, email, active FROM users WHERE id = $1`, h.F.Guardian); err != nil {
		t.Fatal(err)
	}
	if row.FirstName != "Deleted" || row.Email != nil || row.Active {
		t.Fatalf("the guardian's data remains: %+v", row)
	}
	if n := h.mailsTo("guardian@example.test", "About Charlie"); n != 0 {
		t.Fatal("e-mails to the guardian remain")
	}
	var consent struct {
		Status   string  `db:"status"`
		Guardian *string `db:"guardian_user_id"`
	}
	if err := h.DB.Get(&consent, `SELECT status, guardian_user_id FROM consents WHERE young_person_id = $1`, h.F.Child); err != nil {
		t.Fatal(err)
	}
	if consent.Status != "given" || consent.Guardian != nil {
		t.Fatalf("the child's consent after the guardian left: %+v", consent)
	}
	h.book(h.Login("child@example.test"), h.occurrence(occOpts{AgeMin: 8, AgeMax: 13, Starts: h.Now.Now().Add(96 * time.Hour)})).Want(t, 201)
}

// deleteMe asks to delete the signed-in account, with its password.
func (h *H) deleteMe(token, password string) Res {
	return h.Do(Req{Method: "DELETE", Path: "/api/v1/me", Token: token, Body: map[string]string{"password": password}, Raw: true})
}
