package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAYoungPersonCorrectsTheirDetails(t *testing.T) {
	t.Parallel()
	h := newH(t)
	young := h.Login("young@example.test")
	me := h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: young, Body: map[string]string{"postcode": "m41 0rx"}}).Want(t, 200).Map(t)
	if me["postcode"] != "M41 0RX" || me["first_name"] != "young_person" || me["email"] != "young@example.test" {
		t.Fatalf("after changing the postcode: %v", me)
	}
	// Bad values: each field named, nothing changed.
	res := h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: young,
		Body: map[string]string{"first_name": " ", "postcode": "NOT A CODE", "email": "worker.a@example.test"}}).Want(t, 422)
	for _, f := range []string{"first_name", "postcode", "current_password"} {
		if !strings.Contains(string(res.Body), `"field":"`+f+`"`) {
			t.Errorf("%s not named: %s", f, res.Body)
		}
	}
	// A new address needs the current password (a stolen session must not move the address a
	// password reset goes to); a wrong one is named, and counts as a failed sign-in.
	res = h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: young, Body: map[string]string{"email": "sam.new@example.test", "current_password": "not it"}}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"current_password","message":"Your current password is not right"`) {
		t.Fatalf("a wrong password: %s", res.Body)
	}
	res = h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: young, Body: map[string]string{"email": "WORKER.A@example.test", "current_password": fixturePassword}}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"email"`) {
		t.Fatalf("taken email not named: %s", res.Body)
	}
	if n := h.mailsToAny("young@example.test"); n != 0 {
		t.Fatalf("%d e-mails after refused changes", n)
	}

	// A new address is asked for: it is sent a link, and nothing else changes until it is opened.
	me = h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: young, Body: map[string]string{"email": "sam.typo@example.test", "last_name": "Jones", "current_password": fixturePassword}}).Want(t, 200).Map(t)
	if me["email"] != "young@example.test" || me["pending_email"] != "sam.typo@example.test" || me["last_name"] != "Jones" || me["postcode"] != "M41 0RX" {
		t.Fatalf("after asking for a new address: %v", me)
	}
	typoLink := h.outboxLink("sam.typo@example.test", "/confirm-email/")
	// Asked again (the first had a typo): the newer address replaces it, and the first link stops working.
	me = h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: young, Body: map[string]string{"email": " sam.new@example.test ", "current_password": fixturePassword}}).Want(t, 200).Map(t)
	if me["pending_email"] != "sam.new@example.test" {
		t.Fatalf("after asking again: %v", me)
	}
	wantCode(t, h.Do(Req{Method: "POST", Path: "/api/v1/auth/email-change/" + typoLink, Token: young}), 404, "email_link_invalid")
	if h.mailsToAny("sam.typo@example.test") != 0 {
		t.Fatal("the link to the mistyped address was kept")
	}
	h.signIn("sam.new@example.test", fixturePassword).Want(t, 401)
	h.signIn("young@example.test", fixturePassword).Want(t, 200)
	if h.mailsTo("young@example.test", "Your youthhub email address has been changed") != 0 {
		t.Fatal("the old address was told of a change not yet made")
	}

	// The link, opened signed in to the account, makes the change: not signed in, or as
	// someone else (who received a mistyped address), it does not.
	link := h.outboxLink("sam.new@example.test", "/confirm-email/")
	if got := h.Do(Req{Method: "GET", Path: "/api/v1/auth/email-change/" + link}).Want(t, 200).Map(t); got["email"] != "sam.new@example.test" {
		t.Fatalf("the link's address: %v", got)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/email-change/" + link}).Want(t, 401)
	wantCode(t, h.Do(Req{Method: "POST", Path: "/api/v1/auth/email-change/" + link, Token: h.Login("child@example.test")}), 404, "email_link_invalid")
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/email-change/" + link, Token: young}).Want(t, 200)
	me = h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: young}).Want(t, 200).Map(t)
	if me["email"] != "sam.new@example.test" || me["pending_email"] != nil {
		t.Fatalf("after opening the link: %v", me)
	}
	// The old address hears of it; the new one signs in, the old one no longer does; the link is used up.
	if h.mailsTo("young@example.test", "Your youthhub email address has been changed") != 1 {
		t.Fatal("the old address was not told")
	}
	h.signIn("young@example.test", fixturePassword).Want(t, 401)
	h.signIn("sam.new@example.test", fixturePassword).Want(t, 200)
	if n := h.countWhere("audit_log", fmt.Sprintf("action = 'email_changed' AND subject_id = '%s'", h.F.Young)); n != 1 {
		t.Fatalf("%d audit rows for the change of address", n)
	}
	wantCode(t, h.Do(Req{Method: "POST", Path: "/api/v1/auth/email-change/" + link, Token: h.Login("sam.new@example.test")}), 404, "email_link_invalid")
}

// TestANewAddressLinkExpiresAndCannotTakeAnAddress: a link works for a day;
// an address another account took meanwhile is not given to this one; the
// form cannot flood an inbox.
func TestANewAddressLinkExpiresAndCannotTakeAnAddress(t *testing.T) {
	t.Parallel()
	h := newH(t)
	young := h.Login("young@example.test")
	ask := func(email string) Res {
		return h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: young, Body: map[string]string{"email": email, "current_password": fixturePassword}})
	}
	ask("later@example.test").Want(t, 200)
	link := h.outboxLink("later@example.test", "/confirm-email/")
	h.Now.Advance(24*time.Hour + time.Minute)
	wantCode(t, h.Do(Req{Method: "POST", Path: "/api/v1/auth/email-change/" + link, Token: h.Login("young@example.test")}), 409, "email_link_expired")
	if me := h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: h.Login("young@example.test")}).Want(t, 200).Map(t); me["pending_email"] != nil {
		t.Fatalf("an expired request still shows: %v", me)
	}

	young = h.Login("young@example.test")
	ask("shared@example.test").Want(t, 200)
	link = h.outboxLink("shared@example.test", "/confirm-email/")
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("shared@example.test", time.Now().AddDate(-15, 0, 0).Format(time.DateOnly), nil)}).Want(t, 201)
	wantCode(t, h.Do(Req{Method: "POST", Path: "/api/v1/auth/email-change/" + link, Token: young}), 409, "email_taken")

	for i := range 4 { // one asked since the clock moved on: 5 a day
		ask(fmt.Sprintf("more%d@example.test", i)).Want(t, 200)
	}
	wantCode(t, ask("flood@example.test"), 429, "too_many_email_changes")
	if h.mailsToAny("flood@example.test") != 0 {
		t.Fatal("a refused request sent mail")
	}
}

// TestAGuardianCannotMoveTheirAddress: a guardian's children are found by
// the address they named, so moving it would hand the guardian any child who
// named the new address (and drop their own). It is refused.
func TestAGuardianCannotMoveTheirAddress(t *testing.T) {
	t.Parallel()
	h := newH(t)
	guardian := h.Login("guardian@example.test")
	children := func() string {
		return string(h.Do(Req{Method: "GET", Path: "/api/v1/guardian/children", Token: guardian}).Want(t, 200).Body)
	}
	before := children()
	if !strings.Contains(before, h.F.Child) {
		t.Fatalf("the fixture guardian's children: %s", before)
	}
	// A stranger's child names another address.
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("kira@example.test", time.Now().AddDate(-10, 0, 0).Format(time.DateOnly),
		map[string]any{"guardian_email": "parent2@example.test"})}).Want(t, 201)
	res := h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: guardian,
		Body: map[string]string{"email": "parent2@example.test", "current_password": fixturePassword}}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"email"`) || !strings.Contains(string(res.Body), "links you to your children") {
		t.Fatalf("refusal: %s", res.Body)
	}
	if after := children(); after != before {
		t.Fatalf("children after the refused change: %s", after)
	}
	// Their name still changes.
	h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: guardian, Body: map[string]string{"first_name": "Gill"}}).Want(t, 200)
}

func TestChangingYourPasswordSignsYouOutElsewhere(t *testing.T) {
	t.Parallel()
	h := newH(t)
	phone := refreshCookieOf(h.signIn("young@example.test", fixturePassword).Want(t, 200))
	young := h.Login("young@example.test")
	change := func(current, next string) Res {
		return h.Do(Req{Method: "POST", Path: "/api/v1/me/password", Token: young, Body: map[string]string{"current_password": current, "new_password": next}})
	}
	for _, c := range []struct{ current, next, field string }{
		{"wrong guess", newPassword, "current_password"},
		{fixturePassword, "short", "new_password"},
		{fixturePassword, fixturePassword, "new_password"},
	} {
		res := change(c.current, c.next).Want(t, 422)
		if !strings.Contains(string(res.Body), `"field":"`+c.field+`"`) {
			t.Fatalf("%+v: %s not named: %s", c, c.field, res.Body)
		}
	}
	both := change("wrong again", "short").Want(t, 422)
	for _, f := range []string{"current_password", "new_password"} {
		if !strings.Contains(string(both.Body), `"field":"`+f+`"`) {
			t.Fatalf("both wrong: %s not named: %s", f, both.Body)
		}
	}
	laptop := h.signIn("young@example.test", fixturePassword).Want(t, 200).Map(t)["access_token"].(string)
	h.Now.Advance(2 * time.Second)

	res := change(fixturePassword, newPassword).Want(t, 200)
	if refreshCookieOf(res) == "" {
		t.Fatal("no new session for this device")
	}
	// Access tokens issued before the change are refused at once; this device's new one works.
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: laptop}).Want(t, 401)
	occ := h.occurrence(occOpts{})
	key := map[string]string{"Idempotency-Key": "after-the-change"}
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/bookings", Token: laptop, Header: key, Body: map[string]any{}}).Want(t, 401)
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: young}).Want(t, 401)
	fresh := res.Map(t)["access_token"].(string)
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: fresh}).Want(t, 200)
	// The refused request's key is not held against a retry, signed in again.
	if got := h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/bookings", Token: fresh, Header: key, Body: map[string]any{}}).Want(t, 201); got.Header.Get("Idempotent-Replayed") != "" {
		t.Fatal("a retry replayed the refusal of a session that had ended")
	}
	h.signIn("young@example.test", fixturePassword).Want(t, 401)
	h.signIn("young@example.test", newPassword).Want(t, 200)
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: "__Host-youthhub_refresh=" + phone}).Want(t, 401)
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: "__Host-youthhub_refresh=" + refreshCookieOf(res)}).Want(t, 200)
	if h.mailsTo("young@example.test", "Your youthhub password has been changed") != 1 {
		t.Fatal("the change was not e-mailed")
	}
}

// Guessing the current password from a stolen session is throttled like signing in.
func TestWrongCurrentPasswordsAreThrottled(t *testing.T) {
	t.Parallel()
	h := newH(t)
	young := h.Login("young@example.test")
	for i := range 10 {
		h.Do(Req{Method: "POST", Path: "/api/v1/me/password", Token: young,
			Body: map[string]string{"current_password": fmt.Sprint("guess ", i), "new_password": newPassword}}).Want(t, 422)
	}
	res := h.Do(Req{Method: "POST", Path: "/api/v1/me/password", Token: young,
		Body: map[string]string{"current_password": fixturePassword, "new_password": newPassword}}).Want(t, 429)
	if res.Header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
	if n := h.countWhere("audit_log", "action = 'password_changed'"); n != 0 {
		t.Fatal("the password was changed while throttled")
	}
}

// A home postcode must be somewhere the postcode directory knows (its
// district), once one is loaded: otherwise the person counts in no area.
func TestAHomePostcodeMustBeKnown(t *testing.T) {
	t.Parallel()
	h := newH(t)
	// No directory loaded yet: any well-formed postcode is taken.
	young := h.Login("young@example.test")
	h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: young, Body: map[string]string{"postcode": "zz99 9zz"}}).Want(t, 200)
	h.postcodes() // M32, M16 and M31
	for _, r := range []Req{
		{Method: "PATCH", Path: "/api/v1/me", Token: young, Body: map[string]string{"postcode": "ZZ99 9ZZ"}},
		{Method: "POST", Path: "/api/v1/auth/register", Body: registration("new@example.test", time.Now().AddDate(-15, 0, 0).Format(time.DateOnly),
			map[string]any{"postcode": "zz99 9zz"})},
	} {
		res := h.Do(r).Want(t, 422)
		if !strings.Contains(string(res.Body), `"field":"postcode","message":"We could not find postcode ZZ99 9ZZ. Check it and try again"`) {
			t.Fatalf("%s %s: %s", r.Method, r.Path, res.Body)
		}
	}
	if h.countWhere("users", "email = 'new@example.test'") != 0 {
		t.Fatal("an account was made with an unknown postcode")
	}
	// A postcode newer than the directory, in a district it knows, is fine.
	got := h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: young, Body: map[string]string{"postcode": "m329pl"}}).Want(t, 200).Map(t)
	if got["postcode"] != "M32 9PL" {
		t.Fatalf("postcode: %v", got["postcode"])
	}
}

// A young person who booked themselves gives emergency contacts, which the
// roll call then shows; only they can read or set their own.
func TestAYoungPersonSetsTheirEmergencyContacts(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, people, _ := h.regStarted(occOpts{}, 1)
	me := h.tokenFor(people[0])
	path := "/api/v1/me/emergency-contacts"
	var list struct {
		Items []map[string]string `json:"items"`
		Total int                 `json:"total"`
	}
	h.Do(Req{Method: "GET", Path: path, Token: me}).Want(t, 200).JSON(t, &list)
	if list.Total != 0 {
		t.Fatalf("before: %+v", list)
	}
	// Each bad field is named, and nothing is kept.
	res := h.Do(Req{Method: "PUT", Path: path, Token: me, Body: map[string]any{"items": []map[string]string{
		{"name": "Mum", "phone": "07700 900123", "relationship": "mum"}, {"name": " ", "phone": "999", "relationship": ""}}}}).Want(t, 422)
	for _, f := range []string{"items[1].name", "items[1].phone", "items[1].relationship"} {
		if !strings.Contains(string(res.Body), `"field":"`+f+`"`) {
			t.Errorf("%s not named: %s", f, res.Body)
		}
	}
	h.Do(Req{Method: "PUT", Path: path, Token: me, Raw: true, Body: map[string]any{"items": []map[string]string{{}, {}, {}, {}}}}).Want(t, 422)
	if h.countWhere("emergency_contacts", "young_person_id = '"+people[0]+"'") != 0 {
		t.Fatal("a refused request kept a contact")
	}
	h.Do(Req{Method: "PUT", Path: path, Token: me, Body: map[string]any{"items": []map[string]string{
		{"name": "Dee Doyle", "phone": "+44 7700 900123", "relationship": "mum"}}}}).Want(t, 200).JSON(t, &list)
	if list.Total != 1 || list.Items[0]["phone"] != "+447700900123" || list.Items[0]["name"] != "Dee Doyle" {
		t.Fatalf("after: %+v", list)
	}
	// A body without items is a broken client, not "remove them all": refused, the contact kept.
	res = h.Do(Req{Method: "PUT", Path: path, Token: me, Raw: true, Body: map[string]any{}}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"items"`) {
		t.Fatalf("items not named: %s", res.Body)
	}
	if h.countWhere("emergency_contacts", "young_person_id = '"+people[0]+"'") != 1 {
		t.Fatal("a body without items removed the contact")
	}
	// Staff and guardians have no emergency contacts of their own here.
	for _, who := range []string{"worker.a@example.test", "guardian@example.test"} {
		h.Do(Req{Method: "GET", Path: path, Token: h.Login(who)}).Want(t, 403)
		h.Do(Req{Method: "PUT", Path: path, Token: h.Login(who), Body: map[string]any{"items": []any{}}}).Want(t, 403)
	}
	// Another young person sees only their own (none).
	h.Do(Req{Method: "GET", Path: path, Token: h.Login("young@example.test")}).Want(t, 200).JSON(t, &list)
	if list.Total != 0 {
		t.Fatalf("another young person sees %+v", list)
	}
	// The roll call shows the contact once they are checked in.
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/register/marks", Token: h.tokenFor(h.F.WorkerA),
		Body: marksBody("phone-1", []regMark{newMark(people[0], "present", h.Now.Now())})}).Want(t, 200)
	roll := h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/roll-call?reason=fire%20drill", Token: h.tokenFor(h.F.WorkerA)}).Want(t, 200)
	if !strings.Contains(string(roll.Body), "Dee Doyle") || !strings.Contains(string(roll.Body), "+447700900123") {
		t.Fatalf("roll call: %s", roll.Body)
	}
	// Clearing them.
	h.Do(Req{Method: "PUT", Path: path, Token: me, Body: map[string]any{"items": []any{}}}).Want(t, 200).JSON(t, &list)
	if list.Total != 0 {
		t.Fatalf("after clearing: %+v", list)
	}
}

// A name with a line break in it is refused wherever a name is given: names
// go into e-mails (a subject line), registers and exports.
func TestNamesCannotHoldLineBreaks(t *testing.T) {
	t.Parallel()
	h := newH(t)
	dob := time.Now().AddDate(-15, 0, 0).Format(time.DateOnly)
	res := h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("lines@example.test", dob, map[string]any{"first_name": "Evil\r\nBcc: spy@example.test"})}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"first_name","message":"Names cannot contain line breaks or other control characters"`) {
		t.Fatalf("sign-up: %s", res.Body)
	}
	young := h.Login("young@example.test")
	res = h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: young, Body: map[string]string{"last_name": "Jones\nX"}}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"last_name"`) {
		t.Fatalf("profile: %s", res.Body)
	}
	occ, _, _ := h.regStarted(occOpts{Mode: "drop_in"}, 0)
	res = h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/walk-ins", Token: h.tokenFor(h.F.WorkerA), Body: map[string]any{
		"first_name": "Ana\tB", "date_of_birth": dob, "postcode": "M32 0JG",
		"emergency_contact": map[string]any{"name": "Mum", "phone": "07700 900123", "relationship": "mum"}}}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"first_name"`) {
		t.Fatalf("walk-in: %s", res.Body)
	}
	if h.countWhere("users", "first_name LIKE 'Evil%' OR first_name LIKE 'Ana%'") != 0 {
		t.Fatal("a refused name was stored")
	}
}

// TestAnAddressChangeCannotOutliveTheOwnersPassword: someone who knows the
// password asks for their own address; the owner is told at once, and
// choosing a new password stops the change. After a change, reset links
// sent to the old address no longer work. Another person's mail to the same
// address is not touched by the change or by erasure.
func TestAnAddressChangeCannotOutliveTheOwnersPassword(t *testing.T) {
	t.Parallel()
	h := newH(t)
	attacker := h.Login("young@example.test")
	h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: attacker, Body: map[string]string{"email": "attacker@example.test", "current_password": fixturePassword}}).Want(t, 200)
	stolen := h.outboxLink("attacker@example.test", "/confirm-email/")
	if h.mailsTo("young@example.test", "Your youthhub email address is about to change") != 1 {
		t.Fatal("the owner was not told of the change asked for")
	}
	// The owner resets their password: the change stops.
	h.askReset("young@example.test").Want(t, 202)
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/password-reset/" + h.outboxLink("young@example.test", "/reset-password/"),
		Body: map[string]string{"password": newPassword}}).Want(t, 200)
	wantCode(t, h.Do(Req{Method: "POST", Path: "/api/v1/auth/email-change/" + stolen, Token: h.signIn("young@example.test", newPassword).Map(t)["access_token"].(string)}), 404, "email_link_invalid")
	h.signIn("young@example.test", newPassword).Want(t, 200)

	// A reset link sent to the old address, then a change of address: the old link is dead.
	h.askReset("young@example.test").Want(t, 202)
	oldLink := h.outboxLink("young@example.test", "/reset-password/")
	tok := h.signIn("young@example.test", newPassword).Want(t, 200).Map(t)["access_token"].(string)
	h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: tok, Body: map[string]string{"email": "young.new@example.test", "current_password": newPassword}}).Want(t, 200)
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/email-change/" + h.outboxLink("young.new@example.test", "/confirm-email/"), Token: tok}).Want(t, 200)
	wantCode(t, h.Do(Req{Method: "POST", Path: "/api/v1/auth/password-reset/" + oldLink, Body: map[string]string{"password": "another fine password"}}), 409, "reset_link_used")

	// Someone else's mail to an address a young person asks for, then erases: it stays.
	if _, err := h.DB.Exec(`INSERT INTO outbox (to_email, subject, body) VALUES ('newstaff@example.test', 'Your invitation to youthhub', 'Join')`); err != nil {
		t.Fatal(err)
	}
	child := h.Login("child@example.test")
	h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: child, Body: map[string]string{"email": "newstaff@example.test", "current_password": fixturePassword}}).Want(t, 200)
	h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: child, Body: map[string]string{"email": "newstaff@example.test", "current_password": fixturePassword}}).Want(t, 200)
	h.deleteMe(child, fixturePassword).Want(t, 204)
	if n := h.mailsTo("newstaff@example.test", "Your invitation to youthhub"); n != 1 {
		t.Fatal("another person's mail to the address was deleted")
	}
	if n := h.mailsToAny("newstaff@example.test"); n != 1 {
		t.Fatalf("%d e-mails to the address, want only the invitation (the erased child's link gone)", n)
	}
}

// TestSignOutEverywhere: a young person who left a computer signed in, or
// lost a phone, ends every session from the one in their hand: every
// refresh cookie and access token stops working, theirs too; signing in
// again works, and nobody else's sessions end.
func TestSignOutEverywhere(t *testing.T) {
	t.Parallel()
	h := newH(t)
	phone := h.signIn("young@example.test", fixturePassword).Want(t, 200)
	laptop := h.signIn("young@example.test", fixturePassword).Want(t, 200)
	other := h.signIn("child@example.test", fixturePassword).Want(t, 200)
	token := func(r Res) string { return r.Map(t)["access_token"].(string) }
	h.Now.Advance(2 * time.Second) // a later second than the sign-ins, as in life

	h.Do(Req{Method: "POST", Path: "/api/v1/me/sign-out-everywhere"}).Want(t, 401)
	res := h.Do(Req{Method: "POST", Path: "/api/v1/me/sign-out-everywhere", Token: token(phone)}).Want(t, 204)
	if c := (&http.Response{Header: res.Header}).Cookies(); len(c) == 0 || c[0].Value != "" || c[0].Expires.After(time.Now()) {
		t.Fatalf("this device's refresh cookie was not cleared: %v", res.Header)
	}
	for _, r := range []Res{phone, laptop} {
		h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: token(r)}).Want(t, 401)
		h.Do(Req{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: "__Host-youthhub_refresh=" + refreshCookieOf(r)}).Want(t, 401)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: token(other)}).Want(t, 200)
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: "__Host-youthhub_refresh=" + refreshCookieOf(other)}).Want(t, 200)
	again := h.signIn("young@example.test", fixturePassword).Want(t, 200)
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: token(again)}).Want(t, 200)
}
