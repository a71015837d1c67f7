package api_test

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// signUpChild registers a 12-year-old naming guardian and returns their access token.
func (h *H) signUpChild(email, guardian string) string {
	h.t.Helper()
	dob := h.Now.Now().AddDate(-12, 0, -3).Format(time.DateOnly)
	res := h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration(email, dob, map[string]any{"guardian_email": guardian})}).Want(h.t, 201)
	var out struct {
		AccessToken string `json:"access_token"`
	}
	res.JSON(h.t, &out)
	return out.AccessToken
}

// signInKid signs a child made by signUpChild in again (after the clock has moved past the access token).
func (h *H) signInKid(email string) string {
	h.t.Helper()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	h.signIn(email, "marble tiger umbrella").Want(h.t, 200).JSON(h.t, &out)
	return out.AccessToken
}

func (h *H) askConsentAgain(token, guardian string) Res {
	h.t.Helper()
	body := map[string]string{}
	if guardian != "" {
		body["guardian_email"] = guardian
	}
	return h.Do(Req{Method: "POST", Path: "/api/v1/me/consent-request", Token: token, Body: body})
}

func wantCode(t *testing.T, r Res, status int, code string) {
	t.Helper()
	r.Want(t, status)
	if !strings.Contains(string(r.Body), `"code":"`+code+`"`) {
		t.Fatalf("want code %s: %s", code, r.Body)
	}
}

func TestAChildFixesAMistypedGuardianAddress(t *testing.T) {
	t.Parallel()
	h := newH(t)
	kid := h.signUpChild("kid@example.test", "mum@exmaple.test")
	me := h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: kid}).Want(t, 200).Map(t)
	exp, _ := time.Parse(time.RFC3339, me["consent_link_expires_at"].(string))
	if me["consent_status"] != "pending" || exp.Sub(h.Now.Now()).Round(time.Hour) != 14*24*time.Hour {
		t.Fatalf("me after sign-up: %v", me)
	}
	mistyped := h.outboxLink("mum@exmaple.test", "/consent/")

	// The same address again straight away: refused, saying when.
	res := h.askConsentAgain(kid, "")
	wantCode(t, res, 429, "consent_recently_requested")
	if ra, _ := strconv.Atoi(res.Header.Get("Retry-After")); ra < 3500 || ra > 3601 {
		t.Fatalf("Retry-After %q, want about an hour", res.Header.Get("Retry-After"))
	}
	// Their own address is not a guardian's.
	res = h.askConsentAgain(kid, "KID@example.test").Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"guardian_email"`) {
		t.Fatalf("guardian_email not named: %s", res.Body)
	}

	me = h.askConsentAgain(kid, " mum@example.test ").Want(t, 200).Map(t)
	if me["guardian_email"] != "mum@example.test" || me["consent_status"] != "pending" {
		t.Fatalf("me after asking again: %v", me)
	}
	// The mistyped address's link no longer works; the new one does.
	h.Do(Req{Method: "GET", Path: "/api/v1/consent/" + mistyped}).Want(t, 404)
	fixed := h.outboxLink("mum@example.test", "/consent/")
	h.Do(Req{Method: "POST", Path: "/api/v1/consent/" + fixed, Body: map[string]string{"decision": "give"}}).Want(t, 200)
	me = h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: kid}).Want(t, 200).Map(t)
	if me["consent_status"] != "given" || me["consent_link_expires_at"] != nil {
		t.Fatalf("me after consent: %v", me)
	}
	// Their copy of their data lists both addresses asked.
	var data struct {
		Requests []struct {
			GuardianEmail string `json:"guardian_email"`
		} `json:"consent_requests"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/me/data", Token: kid}).Want(t, 200).JSON(t, &data)
	if len(data.Requests) != 2 || data.Requests[0].GuardianEmail != "mum@exmaple.test" || data.Requests[1].GuardianEmail != "mum@example.test" {
		t.Fatalf("consent requests in the export: %+v", data.Requests)
	}
	h.Now.Advance(2 * time.Hour)
	kid = h.signInKid("kid@example.test")
	wantCode(t, h.askConsentAgain(kid, "dad@example.test"), 409, "consent_given")
	if n := h.mailsToAny("dad@example.test"); n != 0 {
		t.Fatalf("%d e-mails to dad after consent was given", n)
	}
}

func (h *H) mailsToAny(to string) int {
	h.t.Helper()
	var n int
	if err := h.DB.Get(&n, `SELECT count(*) FROM outbox WHERE to_email = $1`, to); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func TestAskingForConsentAgainAfterTheLinkExpired(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.signUpChild("kid@example.test", "mum@example.test")
	old := h.outboxLink("mum@example.test", "/consent/")
	h.Now.Advance(15 * 24 * time.Hour)
	h.Do(Req{Method: "POST", Path: "/api/v1/consent/" + old, Body: map[string]string{"decision": "give"}}).Want(t, 422)
	kid := h.signInKid("kid@example.test")

	h.askConsentAgain(kid, "").Want(t, 200)
	fresh := h.outboxLink("mum@example.test", "/consent/")
	if fresh == old {
		t.Fatal("no new link was sent")
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/consent/" + fresh, Body: map[string]string{"decision": "refuse"}}).Want(t, 200)
	// A guardian's "no" stands: the child cannot ask them, or anybody else, again.
	h.Now.Advance(2 * time.Hour)
	kid = h.signInKid("kid@example.test")
	wantCode(t, h.askConsentAgain(kid, ""), 409, "consent_answered")
	wantCode(t, h.askConsentAgain(kid, "auntie@example.test"), 409, "consent_answered")
}

func TestConsentRequestsAreLimitedToFiveADay(t *testing.T) {
	t.Parallel()
	h := newH(t)
	kid := h.signUpChild("kid@example.test", "a@example.test") // the first of the day
	for _, g := range []string{"b", "c", "d", "e"} {
		h.askConsentAgain(kid, g+"@example.test").Want(t, 200)
	}
	res := h.askConsentAgain(kid, "f@example.test")
	wantCode(t, res, 429, "too_many_consent_requests")
	if h.mailsToAny("f@example.test") != 0 {
		t.Fatal("the sixth request of the day sent an e-mail")
	}
	h.Now.Advance(24*time.Hour + time.Minute)
	h.askConsentAgain(h.signInKid("kid@example.test"), "f@example.test").Want(t, 200)
}

func TestConsentRequestRoles(t *testing.T) {
	t.Parallel()
	h := newH(t)
	for _, email := range []string{"worker.a@example.test", "manager.a@example.test", "officer.b@example.test", "guardian@example.test", "admin@example.test"} {
		h.askConsentAgain(h.Login(email), "someone@example.test").Want(t, 403)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/me/consent-request", Body: map[string]string{}}).Want(t, 401)
	// Fifteen: no consent needed. Eleven with consent given (the fixture's child): already given.
	wantCode(t, h.askConsentAgain(h.Login("young@example.test"), "someone@example.test"), 409, "consent_not_needed")
	wantCode(t, h.askConsentAgain(h.Login("child@example.test"), "someone@example.test"), 409, "consent_given")
	if h.mailsToAny("someone@example.test") != 0 {
		t.Fatal("a refused request sent an e-mail")
	}
}

// Taps racing on a bad signal ask once.
func TestConsentRequestRace(t *testing.T) {
	t.Parallel()
	h := newH(t)
	kid := h.signUpChild("kid@example.test", "mum@exmaple.test")
	second, _ := h.newApp()
	statuses, ok := h.race(h.App, second, 6, 200, 429, func(int) Req {
		return Req{Method: "POST", Path: "/api/v1/me/consent-request", Token: kid, Body: map[string]string{"guardian_email": "mum@example.test"}}
	})
	if ok != 1 || h.mailsToAny("mum@example.test") != 1 {
		t.Fatalf("statuses %v, %d e-mails: want one request and one e-mail", statuses, h.mailsToAny("mum@example.test"))
	}
}

// Deleting the account forgets the addresses they asked and their password links.
func TestErasureForgetsConsentRequestsAndResetLinks(t *testing.T) {
	t.Parallel()
	h := newH(t)
	kid := h.signUpChild("kid@example.test", "mum@exmaple.test")
	h.askConsentAgain(kid, "mum@example.test").Want(t, 200)
	h.askReset("kid@example.test").Want(t, 202)
	rows := func() (n int) {
		if err := h.DB.Get(&n, `SELECT (SELECT count(*) FROM consent_requests) + (SELECT count(*) FROM password_resets)`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if rows() != 3 {
		t.Fatalf("%d rows before erasure, want 2 requests and 1 link", rows())
	}
	// Their guardian also has a child called Alex, whose e-mails stay.
	h.signUpChild("alex@example.test", "mum@example.test")
	if _, err := h.DB.Exec(`UPDATE users SET first_name = 'Alex' WHERE email = 'alex@example.test'`); err != nil {
		t.Fatal(err)
	}
	if _, err := h.DB.Exec(`UPDATE outbox SET body = replace(body, 'Sam', 'Alex') WHERE id = (SELECT max(id) FROM outbox WHERE to_email = 'mum@example.test')`); err != nil {
		t.Fatal(err)
	}
	if h.mailsToAny("kid@example.test") == 0 || h.mailsToAny("mum@example.test") != 2 {
		t.Fatalf("before erasure: %d to the kid, %d to mum", h.mailsToAny("kid@example.test"), h.mailsToAny("mum@example.test"))
	}
	h.deleteMe(kid, "marble tiger umbrella").Want(t, 204)
	if h.count("consent_requests") != 1 || h.count("password_resets") != 0 {
		t.Fatalf("%d consent requests (want Alex's only) or %d reset links kept after erasure", h.count("consent_requests"), h.count("password_resets"))
	}
	// E-mails to them, and to their guardians about them, went too; Alex's stayed.
	if n := h.mailsToAny("kid@example.test") + h.mailsToAny("mum@exmaple.test"); n != 0 {
		t.Fatalf("%d e-mails to the erased child or about them kept", n)
	}
	if n := h.countWhere("outbox", "to_email = 'mum@example.test' AND body LIKE '%Alex%'"); n != 1 {
		t.Fatalf("%d e-mails about Alex kept, want 1", n)
	}
}

// Sign-ups naming a stranger's address cannot make youthhub e-mail them without end.
func TestAGuardianAddressGetsAtMostFiveRequestsADay(t *testing.T) {
	t.Parallel()
	h := newH(t)
	dob := h.Now.Now().AddDate(-12, 0, -3).Format(time.DateOnly)
	for i := range 5 {
		h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration(
			"kid"+strconv.Itoa(i)+"@example.test", dob, map[string]any{"guardian_email": "target@example.test"})}).Want(t, 201)
	}
	users := h.count("users")
	res := h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("kid5@example.test", dob,
		map[string]any{"guardian_email": "TARGET@example.test"})}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"guardian_email"`) {
		t.Fatalf("guardian_email not named: %s", res.Body)
	}
	if h.count("users") != users || h.mailsToAny("target@example.test") != 5 {
		t.Fatalf("the sixth sign-up wrote an account (%d users, was %d) or mailed (%d)", h.count("users"), users, h.mailsToAny("target@example.test"))
	}
	// Asking again, from an account that named someone else, is refused the same way.
	kid := h.signUpChild("other@example.test", "dad@example.test")
	res = h.askConsentAgain(kid, "target@example.test").Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"guardian_email"`) {
		t.Fatalf("guardian_email not named: %s", res.Body)
	}
	h.Now.Advance(24*time.Hour + time.Minute)
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("kid5@example.test", h.Now.Now().AddDate(-12, 0, -3).Format(time.DateOnly),
		map[string]any{"guardian_email": "target@example.test"})}).Want(t, 201)
}

// Sign-ups racing to name one address pass the daily limit together in none of them.
func TestGuardianLimitHoldsUnderRacingSignUps(t *testing.T) {
	t.Parallel()
	h := newH(t)
	second, _ := h.newApp()
	dob := h.Now.Now().AddDate(-12, 0, -3).Format(time.DateOnly)
	for i := range 3 {
		h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration(
			"early"+strconv.Itoa(i)+"@example.test", dob, map[string]any{"guardian_email": "target@example.test"})}).Want(t, 201)
	}
	statuses, made := h.race(h.App, second, 8, 201, 422, func(i int) Req {
		return Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration(
			"racer"+strconv.Itoa(i)+"@example.test", dob, map[string]any{"guardian_email": "target@example.test"})}
	})
	if made != 2 || h.mailsToAny("target@example.test") != 5 {
		t.Fatalf("statuses %v, %d e-mails: want 2 more sign-ups and 5 e-mails in all", statuses, h.mailsToAny("target@example.test"))
	}
}

// wantField checks a 422 that names field, with words in its message.
func wantField(t *testing.T, r Res, field, words string) {
	t.Helper()
	r.Want(t, 422)
	if !strings.Contains(string(r.Body), `"field":"`+field+`"`) || !strings.Contains(string(r.Body), words) {
		t.Fatalf("want %s (%q): %s", field, words, r.Body)
	}
}
