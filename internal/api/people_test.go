package api_test

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func registration(email, dob string, extra map[string]any) map[string]any {
	m := map[string]any{"first_name": "Sam", "last_name": "Jones", "date_of_birth": dob, "postcode": "m320jg",
		"email": email, "password": "marble tiger umbrella"}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func (h *H) outboxLink(to, prefix string) string {
	h.t.Helper()
	var body string
	if err := h.DB.Get(&body, `SELECT body FROM outbox WHERE to_email = $1 ORDER BY id DESC LIMIT 1`, to); err != nil {
		h.t.Fatalf("no mail to %s: %v", to, err)
	}
	m := regexp.MustCompile(regexp.QuoteMeta(prefix) + `([A-Za-z0-9_-]+)`).FindStringSubmatch(body)
	if m == nil {
		h.t.Fatalf("no %s link in %q", prefix, body)
	}
	return m[1]
}

func TestRegisterAFifteenYearOld(t *testing.T) {
	t.Parallel()
	h := newH(t)
	dob := time.Now().AddDate(-15, 0, 0).Format(time.DateOnly)
	res := h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("sam@example.test", dob, nil)}).Want(t, 201)
	var out struct {
		AccessToken     string `json:"access_token"`
		ConsentRequired bool   `json:"consent_required"`
	}
	res.JSON(t, &out)
	if out.ConsentRequired {
		t.Fatal("a 15-year-old needs no consent")
	}
	me := h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: out.AccessToken}).Want(t, 200).Map(t)
	if me["postcode"] != "M32 0JG" || me["consent_status"] != "not_needed" || me["role"] != "young_person" {
		t.Fatalf("me: %v", me)
	}
	// The same email again is refused with the field named, and nothing is written.
	n := h.count("users")
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("SAM@example.test", dob, nil)}).Want(t, 422)
	if h.count("users") != n {
		t.Fatal("duplicate registration wrote a user")
	}
}

func TestRegisterAgeLimits(t *testing.T) {
	t.Parallel()
	h := newH(t)
	today := time.Now().In(time.UTC)
	cases := []struct {
		name   string
		dob    time.Time
		status int
	}{
		{"eighth birthday today", today.AddDate(-8, 0, 0), 201},
		{"eight tomorrow", today.AddDate(-8, 0, 1), 422},
		{"twenty-five", today.AddDate(-26, 0, 1), 201},
		{"twenty-six today", today.AddDate(-26, 0, 0), 422},
		{"born tomorrow", today.AddDate(0, 0, 1), 422},
	}
	for i, c := range cases {
		extra := map[string]any{"guardian_email": "parent@example.test"}
		res := h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration(
			strings.ReplaceAll(c.name, " ", "")+"@example.test", c.dob.Format(time.DateOnly), extra)})
		if res.Status != c.status {
			t.Errorf("%d %s: %d, want %d: %s", i, c.name, res.Status, c.status, res.Body)
		}
	}
}

// TestSignUpNamesEveryMistakeAtOnce: a form with a badly written address
// and an unknown postcode, a weak password and no last name is refused
// once, naming all four in the form's order; nothing is made.
func TestSignUpNamesEveryMistakeAtOnce(t *testing.T) {
	t.Parallel()
	h := newH(t)
	users := h.count("users")
	body := registration("not an address", time.Now().AddDate(-15, 0, 0).Format(time.DateOnly),
		map[string]any{"last_name": "", "postcode": "12345", "password": "password"})
	var out struct {
		Errors []struct{ Field, Message string } `json:"errors"`
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: body, Raw: true}).Want(t, 422).JSON(t, &out)
	var got []string
	for _, e := range out.Errors {
		got = append(got, e.Field)
	}
	if strings.Join(got, ",") != "last_name,postcode,email,password" || out.Errors[0].Message != "Enter your last name" {
		t.Fatalf("errors %+v, want last_name, postcode, email and password, once each", out.Errors)
	}
	// A date that is not one is said once, not also as an age.
	body = registration("dates@example.test", "2011-02-30", nil)
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: body, Raw: true}).Want(t, 422).JSON(t, &out)
	if len(out.Errors) != 1 || out.Errors[0].Field != "date_of_birth" {
		t.Fatalf("a date that is not one: %+v", out.Errors)
	}
	// An empty form: each field asked for in words a young person uses.
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: map[string]string{}, Raw: true}).Want(t, 422).JSON(t, &out)
	got = nil
	for _, e := range out.Errors {
		got = append(got, e.Field+": "+e.Message)
	}
	if want := "first_name: Enter your first name|last_name: Enter your last name|date_of_birth: Enter your date of birth, like 2011-03-27|" +
		"postcode: Enter a real UK postcode, like M32 0JG|email: Enter your email address|password: Enter a password"; strings.Join(got, "|") != want {
		t.Fatalf("an empty form:\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
	if h.count("users") != users {
		t.Fatal("a refused sign-up made an account")
	}
}

func TestUnderThirteenNeedsGuardianConsent(t *testing.T) {
	t.Parallel()
	h := newH(t)
	dob := time.Now().AddDate(-12, 0, -3).Format(time.DateOnly)
	// Without a guardian's email: refused, field named.
	res := h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("kid@example.test", dob, nil)}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"guardian_email"`) {
		t.Fatalf("guardian_email not named: %s", res.Body)
	}
	// Own email as guardian: refused.
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("kid@example.test", dob, map[string]any{"guardian_email": "kid@example.test"})}).Want(t, 422)

	res = h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("kid@example.test", dob, map[string]any{"guardian_email": "mum@example.test"})}).Want(t, 201)
	var out struct {
		AccessToken     string `json:"access_token"`
		ConsentRequired bool   `json:"consent_required"`
	}
	res.JSON(t, &out)
	if !out.ConsentRequired {
		t.Fatal("consent_required should be true")
	}
	me := h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: out.AccessToken}).Want(t, 200).Map(t)
	if me["consent_status"] != "pending" || me["guardian_email"] != "mum@example.test" {
		t.Fatalf("me: %v", me)
	}
	token := h.outboxLink("mum@example.test", "/consent/")
	info := h.Do(Req{Method: "GET", Path: "/api/v1/consent/" + token}).Want(t, 200).Map(t)
	if info["child_first_name"] != "Sam" || info["status"] != "pending" {
		t.Fatalf("consent info: %v", info)
	}
	if _, leaked := info["young_person_id"]; leaked {
		t.Fatal("the link page shows the child's id")
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/consent/" + token, Body: map[string]string{"decision": "give"}}).Want(t, 200)
	// The answer is given once: a retry of it answers as before; the link
	// cannot be used to answer differently, except to withdraw.
	h.Do(Req{Method: "POST", Path: "/api/v1/consent/" + token, Body: map[string]string{"decision": "give"}}).Want(t, 200)
	h.Do(Req{Method: "POST", Path: "/api/v1/consent/" + token, Body: map[string]string{"decision": "maybe"}, Raw: true}).Want(t, 422)
	h.Do(Req{Method: "GET", Path: "/api/v1/consent/not-a-real-token"}).Want(t, 404)
	h.Do(Req{Method: "POST", Path: "/api/v1/consent/not-a-real-token", Body: map[string]string{"decision": "withdraw"}}).Want(t, 404)
	me = h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: out.AccessToken}).Want(t, 200).Map(t)
	if me["consent_status"] != "given" {
		t.Fatalf("after consent: %v", me["consent_status"])
	}

	// A guardian account with that email sees the child and can withdraw.
	var gid string
	if err := h.DB.Get(&gid, `INSERT INTO users (role, email, password_hash, first_name) VALUES ('guardian', 'mum@example.test', $1, 'Mum') RETURNING id`, fixtureHash()); err != nil {
		t.Fatal(err)
	}
	mum := h.Login("mum@example.test")
	var kids struct {
		Items []struct {
			YoungPersonID string `json:"young_person_id"`
			Status        string `json:"status"`
		} `json:"items"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/guardian/children", Token: mum}).Want(t, 200).JSON(t, &kids)
	if len(kids.Items) != 1 || kids.Items[0].Status != "given" {
		t.Fatalf("children: %+v", kids)
	}
	// Another guardian cannot withdraw someone else's child.
	other := h.Login("guardian@example.test")
	h.Do(Req{Method: "POST", Path: "/api/v1/guardian/children/" + kids.Items[0].YoungPersonID + "/withdraw", Token: other}).Want(t, 404)
	h.Do(Req{Method: "POST", Path: "/api/v1/guardian/children/" + kids.Items[0].YoungPersonID + "/withdraw", Token: mum}).Want(t, 200)
	me = h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: out.AccessToken}).Want(t, 200).Map(t)
	if me["consent_status"] != "withdrawn" {
		t.Fatalf("after withdrawal: %v", me["consent_status"])
	}
}

func TestCentresByCouncilAndRole(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officerA, officerB := h.Login("officer.a@example.test"), h.Login("officer.b@example.test")
	in := map[string]any{"name": "Sale West Youth Centre", "address": "Newbury Avenue, Sale", "postcode": "M33 5JP", "lat": 53.4213, "lon": -2.3460,
		"provider_type": "charity", "access_features": []string{"step_free", "quiet_space"},
		"opening_hours": []map[string]string{{"day": "monday", "opens": "17:00", "closes": "21:00"}, {"day": "friday", "opens": "18:00", "closes": "22:30"}}}
	var c struct {
		ID          string  `json:"id"`
		CouncilID   string  `json:"council_id"`
		WeeklyHours float64 `json:"weekly_hours"`
		Status      string  `json:"status"`
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/centres", Token: officerA, Body: in}).Want(t, 201).JSON(t, &c)
	if c.CouncilID != h.F.CouncilA || c.WeeklyHours != 8.5 || c.Status != "open" {
		t.Fatalf("created: %+v", c)
	}
	// Wrong role.
	h.Do(Req{Method: "POST", Path: "/api/v1/centres", Token: h.Login("worker.a@example.test"), Body: in}).Want(t, 403)
	// Wrong council: officer B cannot edit council A's centre.
	in["status"] = "closed"
	h.Do(Req{Method: "PUT", Path: "/api/v1/centres/" + c.ID, Token: officerB, Body: in}).Want(t, 404)
	h.Do(Req{Method: "PUT", Path: "/api/v1/centres/" + c.ID, Token: officerA, Body: in}).Want(t, 200)
	// Closing time before opening is named.
	in["opening_hours"] = []map[string]string{{"day": "monday", "opens": "21:00", "closes": "17:00"}}
	res := h.Do(Req{Method: "PUT", Path: "/api/v1/centres/" + c.ID, Token: officerA, Body: in}).Want(t, 422)
	if !strings.Contains(string(res.Body), "opening_hours[0].closes") {
		t.Fatalf("field not named: %s", res.Body)
	}
	// Overlapping hours on one day would count twice in weekly_hours; a postcode that is not one is
	// not published. Both are named, and the centre is left as it was.
	in["opening_hours"] = []map[string]string{{"day": "monday", "opens": "10:00", "closes": "18:00"}, {"day": "monday", "opens": "12:00", "closes": "20:00"}}
	in["postcode"] = "ZZZZZZZZ"
	res = h.Do(Req{Method: "PUT", Path: "/api/v1/centres/" + c.ID, Token: officerA, Body: in}).Want(t, 422)
	for _, f := range []string{`"field":"opening_hours[1].opens"`, `"field":"postcode"`} {
		if !strings.Contains(string(res.Body), f) {
			t.Fatalf("%s not named: %s", f, res.Body)
		}
	}
	in["opening_hours"] = []map[string]string{{"day": "monday", "opens": "10:00", "closes": "12:00"}, {"day": "monday", "opens": "12:00", "closes": "20:00"}}
	in["postcode"] = "m335jp"
	got := h.Do(Req{Method: "PUT", Path: "/api/v1/centres/" + c.ID, Token: officerA, Body: in}).Want(t, 200).Map(t)
	if got["weekly_hours"] != 10.0 || got["postcode"] != "M33 5JP" {
		t.Fatalf("back-to-back hours and a lower-case postcode: %v", got)
	}

	// Public listing and filters.
	var list struct {
		Items []struct {
			Name string `json:"name"`
		} `json:"items"`
		Total int `json:"total"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/centres?council_id=" + h.F.CouncilA}).Want(t, 200).JSON(t, &list)
	if list.Total != 2 {
		t.Fatalf("council A has %d centres, want 2", list.Total)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/centres?access_feature=step_free&access_feature=hearing_loop"}).Want(t, 200).JSON(t, &list)
	if list.Total != 1 || list.Items[0].Name != "Old Trafford Youth Centre" {
		t.Fatalf("access filter: %+v", list)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/centres?provider_type=charity&status=closed"}).Want(t, 200).JSON(t, &list)
	if list.Total != 1 || list.Items[0].Name != "Sale West Youth Centre" {
		t.Fatalf("provider filter: %+v", list)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/centres?provider_type=pirates", Raw: true}).Want(t, 422)
	h.Do(Req{Method: "GET", Path: "/api/v1/centres?limit=0", Raw: true}).Want(t, 422)
	h.Do(Req{Method: "GET", Path: "/api/v1/centres/" + h.F.CentreB}).Want(t, 200)
	h.Do(Req{Method: "GET", Path: "/api/v1/centres/not-a-uuid"}).Want(t, 404)
}

func TestStaffInvitations(t *testing.T) {
	t.Parallel()
	h := newH(t)
	manager := h.Login("manager.a@example.test")
	// A manager may invite youth workers, not officers.
	h.Do(Req{Method: "POST", Path: "/api/v1/invitations", Token: manager, Body: map[string]string{"email": "boss@example.test", "role": "council_officer"}}).Want(t, 403)
	inv := h.Do(Req{Method: "POST", Path: "/api/v1/invitations", Token: manager, Body: map[string]string{"email": "newbie@example.test", "role": "youth_worker"}}).Want(t, 201).Map(t)
	if inv["council_id"] != h.F.CouncilA {
		t.Fatalf("invited into %v", inv["council_id"])
	}
	token := h.outboxLink("newbie@example.test", "/invite/")
	h.Do(Req{Method: "GET", Path: "/api/v1/invitations/" + token}).Want(t, 200)
	accept := map[string]string{"first_name": "Nia", "last_name": "New", "date_of_birth": "2000-05-01", "password": "pebble lantern orchard"}
	res := h.Do(Req{Method: "POST", Path: "/api/v1/invitations/" + token + "/accept", Body: accept}).Want(t, 201)
	var s struct {
		User struct {
			Role      string `json:"role"`
			CouncilID string `json:"council_id"`
		} `json:"user"`
	}
	res.JSON(t, &s)
	if s.User.Role != "youth_worker" || s.User.CouncilID != h.F.CouncilA {
		t.Fatalf("accepted: %+v", s)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/invitations/" + token + "/accept", Body: accept}).Want(t, 409)
	// Staff lists are per council.
	var list struct {
		Total int `json:"total"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/staff", Token: h.Login("officer.b@example.test")}).Want(t, 200).JSON(t, &list)
	if list.Total != 3 {
		t.Fatalf("council B staff = %d, want 3", list.Total)
	}
	// The admin creates a council and invites its first officer.
	admin := h.Login("admin@example.test")
	co := h.Do(Req{Method: "POST", Path: "/api/v1/councils", Token: admin, Body: map[string]string{"name": "Salford City Council", "lad_code": "E08000006"}}).Want(t, 201).Map(t)
	h.Do(Req{Method: "POST", Path: "/api/v1/councils", Token: admin, Body: map[string]string{"name": "Again", "lad_code": "E08000006"}}).Want(t, 422)
	h.Do(Req{Method: "POST", Path: "/api/v1/councils/" + co["id"].(string) + "/officers", Token: admin, Body: map[string]string{"email": "first@salford.test"}}).Want(t, 201)
	tok := h.outboxLink("first@salford.test", "/invite/")
	h.Do(Req{Method: "POST", Path: "/api/v1/invitations/" + tok + "/accept", Body: accept}).Want(t, 201)
}

// TestCreateCentreIsIdempotent: a retried create with the same key makes one centre.
func TestCreateCentreIsIdempotent(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer := h.Login("officer.a@example.test")
	in := map[string]any{"name": "Urmston Youth Hub", "lat": 53.45, "lon": -2.35, "provider_type": "council"}
	before := h.count("centres")
	hdr := map[string]string{"Idempotency-Key": "tap-1"}
	a := h.Do(Req{Method: "POST", Path: "/api/v1/centres", Token: officer, Body: in, Header: hdr}).Want(t, 201).Map(t)
	b := h.Do(Req{Method: "POST", Path: "/api/v1/centres", Token: officer, Body: in, Header: hdr}).Want(t, 201).Map(t)
	if a["id"] != b["id"] || h.count("centres") != before+1 {
		t.Fatalf("retry created another centre: %v / %v", a["id"], b["id"])
	}
	in["name"] = "Something else"
	h.Do(Req{Method: "POST", Path: "/api/v1/centres", Token: officer, Body: in, Header: hdr}).Want(t, 422)
}

// TestClosingACentreCancelsItsSessions: when an officer closes a centre,
// its sessions still to come are cancelled and their bookers told why;
// sessions already over, and other centres' sessions, are left alone; a
// booking at the closed centre is then refused; saving the closed centre
// again finds nothing more to cancel.
func TestClosingACentreCancelsItsSessions(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer := h.Login("officer.a@example.test")
	next := h.occurrence(occOpts{Capacity: 1})
	later := h.occurrence(occOpts{Starts: h.Now.Now().Add(96 * time.Hour).Truncate(time.Hour), Title: "Art club"})
	over := h.occurrence(occOpts{Starts: h.Now.Now().Add(-48 * time.Hour).Truncate(time.Hour), Title: "Last week"})
	ids, toks := h.youngPeople(3, time.Now().AddDate(-15, 0, -10))
	h.book(toks[0], next).Want(t, 201)
	var w struct {
		Status string `json:"status"`
	}
	h.book(toks[1], next).Want(t, 201).JSON(t, &w)
	if w.Status != "waitlisted" {
		t.Fatalf("second booking %q, want waitlisted", w.Status)
	}

	in := map[string]any{"name": "Old Trafford Youth Centre", "lat": 53.4563, "lon": -2.2796, "provider_type": "council", "status": "closed"}
	// Wrong role and wrong council change nothing.
	h.Do(Req{Method: "PUT", Path: "/api/v1/centres/" + h.F.CentreA, Token: h.Login("worker.a@example.test"), Body: in}).Want(t, 403)
	h.Do(Req{Method: "PUT", Path: "/api/v1/centres/" + h.F.CentreA, Token: h.Login("officer.b@example.test"), Body: in}).Want(t, 404)
	status := func(occ string) string {
		var s string
		if err := h.DB.Get(&s, `SELECT status FROM occurrences WHERE id = $1`, occ); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if status(next) != "scheduled" {
		t.Fatal("a refused request cancelled a session")
	}

	h.Do(Req{Method: "PUT", Path: "/api/v1/centres/" + h.F.CentreA, Token: officer, Body: in}).Want(t, 200)
	if status(next) != "cancelled" || status(later) != "cancelled" || status(over) != "scheduled" {
		t.Fatalf("after closing: next %s, later %s, last week %s", status(next), status(later), status(over))
	}
	for i, id := range ids[:2] {
		var msg string
		if err := h.DB.Get(&msg, `SELECT message FROM notifications WHERE user_id = $1 AND kind = 'session_cancelled'`, id); err != nil {
			t.Fatalf("booker %d was not told: %v", i, err)
		}
		if !strings.Contains(msg, "The centre has closed") {
			t.Fatalf("booker %d was told %q", i, msg)
		}
	}
	// My bookings says why, beside the cancelled booking.
	var mine struct {
		Items []struct {
			Status  string `json:"status"`
			Session struct {
				Status          string  `json:"status"`
				CancelledReason *string `json:"cancelled_reason"`
			} `json:"session"`
		} `json:"items"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/me/bookings", Token: toks[0]}).Want(t, 200).JSON(t, &mine)
	if len(mine.Items) == 0 || mine.Items[0].Session.Status != "cancelled" || mine.Items[0].Session.CancelledReason == nil ||
		!strings.Contains(*mine.Items[0].Session.CancelledReason, "The centre has closed") {
		t.Fatalf("my bookings after the closure: %+v", mine.Items)
	}
	var live int
	if err := h.DB.Get(&live, `SELECT count(*) FROM bookings WHERE occurrence_id = $1 AND status IN ('confirmed', 'waitlisted')`, next); err != nil {
		t.Fatal(err)
	}
	if live != 0 {
		t.Fatalf("%d live bookings left at a closed centre", live)
	}
	if r := h.book(toks[2], later).Want(t, 409); code(t, r) != "session_cancelled" {
		t.Fatalf("booking at a closed centre: %s", r.Body)
	}

	// Saving the closed centre again cancels nothing more and tells no one twice.
	h.Do(Req{Method: "PUT", Path: "/api/v1/centres/" + h.F.CentreA, Token: officer, Body: in}).Want(t, 200)
	var told int
	if err := h.DB.Get(&told, `SELECT count(*) FROM notifications WHERE kind = 'session_cancelled'`); err != nil {
		t.Fatal(err)
	}
	if told != 2 {
		t.Fatalf("%d cancellation notices after saving twice, want 2", told)
	}
}

// TestGuardianWithdrawsWithTheEmailedLink: a guardian invited by e-mail
// has no account; the link they were sent withdraws consent at any time,
// even after it has expired for answering, and a withdrawn consent cannot
// be given again with it.
func TestGuardianWithdrawsWithTheEmailedLink(t *testing.T) {
	t.Parallel()
	h := newH(t)
	dob := h.Now.Now().AddDate(-11, 0, -3).Format(time.DateOnly)
	var out struct {
		AccessToken string `json:"access_token"`
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("ava@example.test", dob, map[string]any{"guardian_email": "dad@example.test"})}).Want(t, 201).JSON(t, &out)
	token := h.outboxLink("dad@example.test", "/consent/")
	decide := func(d string) Res {
		return h.Do(Req{Method: "POST", Path: "/api/v1/consent/" + token, Body: map[string]string{"decision": d}})
	}
	// Nothing to withdraw before consent is given.
	if r := decide("withdraw").Want(t, 409); code(t, r) != "consent_not_given" {
		t.Fatalf("withdraw before giving: %s", r.Body)
	}
	decide("give").Want(t, 200)
	occ := h.occurrence(occOpts{AgeMin: 8, AgeMax: 13})
	h.book(out.AccessToken, occ).Want(t, 201)

	// A month later the link has expired for answering, but still withdraws.
	h.Now.Set(h.Now.Now().AddDate(0, 1, 0))
	if st := decide("withdraw").Want(t, 200).Map(t)["status"]; st != "withdrawn" {
		t.Fatalf("withdrawn: %v", st)
	}
	decide("withdraw").Want(t, 200) // a retry answers the same
	var again struct {
		AccessToken string `json:"access_token"`
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": "ava@example.test", "password": "marble tiger umbrella"}}).Want(t, 200).JSON(t, &again)
	out.AccessToken = again.AccessToken
	me := h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: out.AccessToken}).Want(t, 200).Map(t)
	if me["consent_status"] != "withdrawn" {
		t.Fatalf("after withdrawal: %v", me["consent_status"])
	}
	// The young person was told each answer, once (the retried withdrawal told nothing more).
	var notes struct {
		Items []struct {
			Kind    string `json:"kind"`
			Message string `json:"message"`
		} `json:"items"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/me/notifications", Token: out.AccessToken}).Want(t, 200).JSON(t, &notes)
	var kinds []string
	for _, n := range notes.Items {
		if strings.HasPrefix(n.Kind, "consent_") {
			kinds = append(kinds, n.Kind)
		}
	}
	if strings.Join(kinds, " ") != "consent_withdrawn consent_given" || !strings.Contains(notes.Items[0].Message, "withdrew consent") {
		t.Fatalf("notifications: %+v", notes.Items)
	}
	later := h.occurrence(occOpts{AgeMin: 8, AgeMax: 13, Title: "Art club", Starts: h.Now.Now().Add(48 * time.Hour)})
	h.book(out.AccessToken, later).Want(t, 422)
	// Changing their mind, the guardian gives consent again with the same link; the child can book.
	decide("give").Want(t, 200)
	if st := h.Do(Req{Method: "GET", Path: "/api/v1/consent/" + token}).Want(t, 200).Map(t)["status"]; st != "given" {
		t.Fatalf("status after giving again: %v", st)
	}
	h.book(out.AccessToken, later).Want(t, 201)
}

// A centre's point must be in or near its council's area: a latitude and
// longitude from another part of the country is a slip, and would count in
// the wrong place on the coverage map. A centre that stays put is not
// checked again.
func TestACentreFarFromItsCouncilIsRefused(t *testing.T) {
	t.Parallel()
	h := newH(t)
	coverageFixture(t, h) // Trafford's and Manchester's small areas
	officer := h.Login("officer.a@example.test")
	in := map[string]any{"name": "Cheltenham by mistake", "lat": 51.9, "lon": -2.07, "provider_type": "charity"}
	res := h.Do(Req{Method: "POST", Path: "/api/v1/centres", Token: officer, Body: in}).Want(t, 422)
	for _, f := range []string{`"field":"lat"`, `"field":"lon"`, "km from Trafford Council's area: check the latitude and longitude"} {
		if !strings.Contains(string(res.Body), f) {
			t.Fatalf("%s missing: %s", f, res.Body)
		}
	}
	in["lat"], in["lon"] = 53.4213, -2.3460 // Sale
	c := h.Do(Req{Method: "POST", Path: "/api/v1/centres", Token: officer, Body: in}).Want(t, 201).Map(t)
	in["lon"] = 2.346 // the sign dropped
	h.Do(Req{Method: "PUT", Path: "/api/v1/centres/" + c["id"].(string), Token: officer, Body: in}).Want(t, 422)

	// One already stored far away (before this check) can still be renamed where it is.
	var far string
	if err := h.DB.Get(&far, `INSERT INTO centres (council_id, name, lat, lon, provider_type, status) VALUES ($1, 'Old import', 51.9, -2.07, 'charity', 'open') RETURNING id`, h.F.CouncilA); err != nil {
		t.Fatal(err)
	}
	h.Do(Req{Method: "PUT", Path: "/api/v1/centres/" + far, Token: officer, Body: map[string]any{"name": "Old import, renamed", "lat": 51.9, "lon": -2.07, "provider_type": "charity"}}).Want(t, 200)
}

// A planned centre is planning data, not yet decided: only its own
// council's staff see it, nobody can start sessions there, and it is not
// published.
func TestAPlannedCentreIsNotPublic(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer := h.Login("officer.a@example.test")
	planned := h.Do(Req{Method: "POST", Path: "/api/v1/centres", Token: officer,
		Body: map[string]any{"name": "Maybe Hub", "lat": 53.4213, "lon": -2.3460, "provider_type": "charity", "status": "planned"}}).Want(t, 201).Map(t)["id"].(string)
	names := func(token string) string {
		var list struct {
			Items []struct{ Name string } `json:"items"`
		}
		h.Do(Req{Method: "GET", Path: "/api/v1/centres?council_id=" + h.F.CouncilA, Token: token}).Want(t, 200).JSON(t, &list)
		var out []string
		for _, c := range list.Items {
			out = append(out, c.Name)
		}
		return strings.Join(out, ",")
	}
	for who, tok := range map[string]string{"anyone": "", "a young person": h.Login("young@example.test"), "another council": h.Login("officer.b@example.test")} {
		if strings.Contains(names(tok), "Maybe Hub") {
			t.Errorf("%s sees the planned centre", who)
		}
		h.Do(Req{Method: "GET", Path: "/api/v1/centres/" + planned, Token: tok}).Want(t, 404)
	}
	for _, tok := range []string{officer, h.Login("manager.a@example.test")} {
		if !strings.Contains(names(tok), "Maybe Hub") {
			t.Error("the council's own staff do not see its planned centre")
		}
		h.Do(Req{Method: "GET", Path: "/api/v1/centres/" + planned, Token: tok}).Want(t, 200)
	}
	if body := string(h.Do(Req{Method: "GET", Path: "/openreferral/services"}).Want(t, 200).Body); strings.Contains(body, "Maybe Hub") {
		t.Error("the planned centre is published in Open Referral")
	}
	res := h.Do(Req{Method: "POST", Path: "/api/v1/series", Token: h.Login("manager.a@example.test"), Body: seriesBody(planned, nil)}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"centre_id"`) || !strings.Contains(string(res.Body), "only planned") {
		t.Fatalf("a series at a planned centre: %s", res.Body)
	}
}
