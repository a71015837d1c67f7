package api_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

// bookingStatus is the status of a young person's booking of an occurrence.
func (h *H) bookingStatus(person, occ string) string {
	h.t.Helper()
	var s string
	if err := h.DB.Get(&s, `SELECT status FROM bookings WHERE young_person_id = $1 AND occurrence_id = $2 ORDER BY created_at DESC LIMIT 1`, person, occ); err != nil {
		h.t.Fatalf("booking of %s at %s: %v", person, occ, err)
	}
	return s
}

// countsExact fails unless each occurrence's counters equal its bookings.
func (h *H) countsExact(occs ...string) {
	h.t.Helper()
	for _, o := range occs {
		var c struct {
			Confirmed, Counted, Waiting, WaitCounted int
		}
		if err := h.DB.QueryRow(`SELECT o.confirmed_count, o.waitlist_count,
			(SELECT count(*) FROM bookings b WHERE b.occurrence_id = o.id AND b.status = 'confirmed'),
			(SELECT count(*) FROM bookings b WHERE b.occurrence_id = o.id AND b.status = 'waitlisted')
			FROM occurrences o WHERE o.id = $1`, o).Scan(&c.Confirmed, &c.Waiting, &c.Counted, &c.WaitCounted); err != nil {
			h.t.Fatal(err)
		}
		if c.Confirmed != c.Counted || c.Waiting != c.WaitCounted {
			h.t.Fatalf("occurrence %s: counters %d confirmed / %d waiting, bookings %d / %d", o, c.Confirmed, c.Waiting, c.Counted, c.WaitCounted)
		}
	}
}

// childWithConsent inserts a young person born on dob whose guardian
// (guardian@example.test, who has an account) gave consent.
func (h *H) childWithConsent(dob time.Time) (id, token string) {
	h.t.Helper()
	ids, toks := h.youngPeople(1, dob)
	if _, err := h.DB.Exec(`INSERT INTO consents (young_person_id, guardian_email, token_hash, status, expires_at, decided_at, token_used_at)
		VALUES ($1, 'guardian@example.test', $2, 'given', now(), now(), now())`, ids[0], uuid.NewString()); err != nil {
		h.t.Fatal(err)
	}
	return ids[0], toks[0]
}

// A guardian withdraws consent with the e-mailed link: the child's place and
// waiting-list spot at sessions not yet started are cancelled, the freed
// place goes to the next on the waiting list, the child is told which, and
// a session already under way keeps its register.
func TestWithdrawingConsentCancelsTheChildsFutureBookings(t *testing.T) {
	t.Parallel()
	h := newH(t)
	dob := time.Now().AddDate(-12, 0, -3).Format(time.DateOnly)
	reg := h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("kid@example.test", dob, map[string]any{"guardian_email": "mum@example.test"})}).Want(t, 201).Map(t)
	kidToken := reg["access_token"].(string)
	link := h.outboxLink("mum@example.test", "/consent/")
	h.Do(Req{Method: "POST", Path: "/api/v1/consent/" + link, Body: map[string]string{"decision": "give"}}).Want(t, 200)
	var kid string
	if err := h.DB.Get(&kid, `SELECT id FROM users WHERE email = 'kid@example.test'`); err != nil {
		t.Fatal(err)
	}

	a := h.occurrence(occOpts{Capacity: 1, AgeMin: 8, AgeMax: 14, Title: "Junior art club"})
	b := h.occurrence(occOpts{Capacity: 1, AgeMin: 8, AgeMax: 14, Title: "Junior coding", Starts: h.Now.Now().Add(72 * time.Hour)})
	others, otherTokens := h.youngPeople(2, time.Now().AddDate(-13, 0, -40))
	h.book(kidToken, a).Want(t, 201)
	if got := h.book(otherTokens[0], a).Want(t, 201).Map(t); got["status"] != "waitlisted" {
		t.Fatalf("second at A: %v", got)
	}
	h.book(otherTokens[1], b).Want(t, 201)
	if got := h.book(kidToken, b).Want(t, 201).Map(t); got["status"] != "waitlisted" {
		t.Fatalf("kid at B: %v", got)
	}
	// A session under way, where the kid has a place: its register stays.
	started, _, _ := h.regStarted(occOpts{AgeMin: 8, AgeMax: 14}, 0)
	h.regBook(started, kid)

	h.Do(Req{Method: "POST", Path: "/api/v1/consent/" + link, Body: map[string]string{"decision": "withdraw"}}).Want(t, 200)

	if s := h.bookingStatus(kid, a); s != "cancelled" {
		t.Errorf("kid's place at A: %s", s)
	}
	if s := h.bookingStatus(kid, b); s != "cancelled" {
		t.Errorf("kid's waiting-list spot at B: %s", s)
	}
	if s := h.bookingStatus(others[0], a); s != "confirmed" {
		t.Errorf("the next on A's waiting list was not promoted: %s", s)
	}
	if s := h.bookingStatus(others[1], b); s != "confirmed" {
		t.Errorf("B's place holder: %s", s)
	}
	if s := h.bookingStatus(kid, started); s != "confirmed" {
		t.Errorf("the session under way: %s", s)
	}
	h.countsExact(a, b, started)
	if n := h.countWhere("notifications", "kind = 'promoted' AND user_id = '"+others[0]+"'"); n != 1 {
		t.Errorf("%d promotion notifications", n)
	}
	var msg string
	if err := h.DB.Get(&msg, `SELECT message FROM notifications WHERE user_id = $1 AND kind = 'consent_withdrawn'`, kid); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "Junior art club on ") || !strings.Contains(msg, "Junior coding on ") || !strings.Contains(msg, "(waiting list)") {
		t.Errorf("the kid's notification: %q", msg)
	}
	if n := h.countWhere("outbox", "to_email = 'kid@example.test' AND subject = 'Your youthhub bookings were cancelled' AND body LIKE '%parent or guardian withdrew consent%'"); n != 1 {
		t.Errorf("%d cancellation e-mails to the kid", n)
	}
	if r := h.book(kidToken, a).Want(t, 422); code(t, r) != "consent_needed" {
		t.Errorf("booking after withdrawal: %s", r.Body)
	}
	// Withdrawing again (a retry) changes and tells nothing more.
	h.Do(Req{Method: "POST", Path: "/api/v1/consent/" + link, Body: map[string]string{"decision": "withdraw"}}).Want(t, 200)
	if n := h.countWhere("notifications", "kind = 'consent_withdrawn' AND user_id = '"+kid+"'"); n != 1 {
		t.Errorf("%d withdrawal notifications after a retry", n)
	}
}

// Consent matters only under the age of digital consent: a child who has
// turned 13 since keeps their places when it is withdrawn.
func TestWithdrawingConsentKeepsPlacesOnceThirteen(t *testing.T) {
	t.Parallel()
	h := newH(t)
	teen, teenToken := h.childWithConsent(time.Now().AddDate(-13, 0, -10))
	child, childToken := h.childWithConsent(time.Now().AddDate(-12, 0, -10))
	occ := h.occurrence(occOpts{AgeMin: 8, AgeMax: 14})
	h.book(teenToken, occ).Want(t, 201)
	h.book(childToken, occ).Want(t, 201)
	mum := h.Login("guardian@example.test")
	// Another guardian cannot withdraw, and cancels nothing.
	h.Do(Req{Method: "POST", Path: "/api/v1/guardian/children/" + child + "/withdraw", Token: h.Login("young@example.test")}).Want(t, 403)
	if s := h.bookingStatus(child, occ); s != "confirmed" {
		t.Fatalf("after a refused withdrawal: %s", s)
	}
	for _, id := range []string{teen, child} {
		h.Do(Req{Method: "POST", Path: "/api/v1/guardian/children/" + id + "/withdraw", Token: mum}).Want(t, 200)
	}
	if s := h.bookingStatus(teen, occ); s != "confirmed" {
		t.Errorf("the 13-year-old's place: %s", s)
	}
	if s := h.bookingStatus(child, occ); s != "cancelled" {
		t.Errorf("the 12-year-old's place: %s", s)
	}
	h.countsExact(occ)
}

// A child books many sessions at once while their guardian withdraws
// consent, on two replicas: afterwards the child holds no place at a
// session not yet started, and every count is exact. Each booking either
// committed before the withdrawal locked the child (and was cancelled by it)
// or was refused after it.
func TestWithdrawingConsentRacingBookingsLeavesNoPlace(t *testing.T) {
	t.Parallel()
	h := newH(t)
	other, _ := h.newApp()
	const sessions = 8
	var occs []string
	for i := range sessions {
		occs = append(occs, h.occurrence(occOpts{AgeMin: 8, AgeMax: 14, Capacity: 5, Title: fmt.Sprintf("Club %d", i),
			Starts: h.Now.Now().Add(time.Duration(48+3*i) * time.Hour)}))
	}
	mum := h.Login("guardian@example.test")
	for round := range 6 {
		child, token := h.childWithConsent(time.Now().AddDate(-12, 0, -10))
		var wg sync.WaitGroup
		statuses := make([]int, sessions)
		for i, occ := range occs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/bookings", Token: token, Body: map[string]any{}}
				if i%2 == 1 {
					r.App = other
				}
				statuses[i] = h.Do(r).Status
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Let some bookings start first, on the other replica.
			time.Sleep(time.Duration(round) * time.Millisecond)
			h.Do(Req{Method: "POST", Path: "/api/v1/guardian/children/" + child + "/withdraw", Token: mum, App: other}).Want(t, 200)
		}()
		wg.Wait()
		for _, s := range statuses {
			if s != 201 && s != 422 {
				t.Fatalf("round %d: booking statuses %v", round, statuses)
			}
		}
		if n := h.countWhere("bookings", "young_person_id = '"+child+"' AND status IN ('confirmed','waitlisted')"); n != 0 {
			t.Fatalf("round %d: %d live bookings after the withdrawal (statuses %v)", round, n, statuses)
		}
		h.countsExact(occs...)
	}
}

// A corrected date of birth cancels the bookings it rules out: age on the
// day outside the session's range, or now under 13 without consent; the
// officer sees which, the freed places go to the waiting lists.
func TestCorrectingADateOfBirthCancelsBookingsItRulesOut(t *testing.T) {
	t.Parallel()
	h := newH(t)
	teens := h.occurrence(occOpts{AgeMin: 13, AgeMax: 16, Capacity: 1, Title: "Teen boxing"})
	open := h.occurrence(occOpts{AgeMin: 8, AgeMax: 18, Title: "Open art", Starts: h.Now.Now().Add(72 * time.Hour)})
	ids, toks := h.youngPeople(2, time.Now().AddDate(-15, 0, -10))
	kid, next := ids[0], ids[1]
	h.book(toks[0], teens).Want(t, 201)
	h.book(toks[1], teens).Want(t, 201) // waiting list
	h.book(toks[0], open).Want(t, 201)
	officer := h.Login("officer.a@example.test")
	path := "/api/v1/young-people/" + kid + "/date-of-birth"

	// Seventeen: too old for Teen boxing, still fine for Open art.
	seventeen := h.Now.Now().AddDate(-17, 0, -20).Format(time.DateOnly)
	var got struct {
		ConsentStatus     string   `json:"consent_status"`
		CancelledBookings []string `json:"cancelled_bookings"`
	}
	h.Do(Req{Method: "POST", Path: path, Token: officer, Body: map[string]string{"date_of_birth": seventeen, "reason": "typo in the year"}}).Want(t, 200).JSON(t, &got)
	if len(got.CancelledBookings) != 1 || !strings.HasPrefix(got.CancelledBookings[0], "Teen boxing on ") {
		t.Fatalf("cancelled: %+v", got)
	}
	if h.bookingStatus(kid, teens) != "cancelled" || h.bookingStatus(next, teens) != "confirmed" || h.bookingStatus(kid, open) != "confirmed" {
		t.Fatalf("after the correction: kid %s/%s, next %s", h.bookingStatus(kid, teens), h.bookingStatus(kid, open), h.bookingStatus(next, teens))
	}
	h.countsExact(teens, open)
	var msg string
	if err := h.DB.Get(&msg, `SELECT message FROM notifications WHERE user_id = $1 AND kind = 'date_of_birth_corrected'`, kid); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "Teen boxing on ") {
		t.Errorf("the young person's notification: %q", msg)
	}

	// Twelve, without consent: Open art goes too.
	twelve := h.Now.Now().AddDate(-12, 0, -20).Format(time.DateOnly)
	h.Do(Req{Method: "POST", Path: path, Token: officer, Body: map[string]string{"date_of_birth": twelve, "reason": "the right year at last"}}).Want(t, 200).JSON(t, &got)
	if got.ConsentStatus != "pending" || len(got.CancelledBookings) != 1 || !strings.HasPrefix(got.CancelledBookings[0], "Open art on ") {
		t.Fatalf("cancelled at twelve: %+v", got)
	}
	if h.bookingStatus(kid, open) != "cancelled" {
		t.Fatal("Open art was kept without consent")
	}
	h.countsExact(teens, open)
}

// A waiting-list spot left by an under-13 whose consent is no longer given
// (a booking that raced the withdrawal onto the waiting list) is passed
// over when a place comes up: the next who may take it is promoted.
func TestPromotionPassesOverAChildWithoutConsent(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{Capacity: 1, AgeMin: 8, AgeMax: 14})
	_, holder := h.youngPeople(1, time.Now().AddDate(-13, 0, -40))
	child, childToken := h.childWithConsent(time.Now().AddDate(-12, 0, -10))
	next, nextToken := h.youngPeople(1, time.Now().AddDate(-13, 0, -50))
	mine := h.book(holder[0], occ).Want(t, 201).Map(t)
	h.book(childToken, occ).Want(t, 201)
	h.book(nextToken[0], occ).Want(t, 201)
	if _, err := h.DB.Exec(`UPDATE consents SET status = 'withdrawn' WHERE young_person_id = $1`, child); err != nil {
		t.Fatal(err)
	}
	h.Do(Req{Method: "DELETE", Path: "/api/v1/bookings/" + mine["id"].(string), Token: holder[0]}).Want(t, 200)
	if s := h.bookingStatus(child, occ); s != "waitlisted" {
		t.Errorf("the child without consent: %s", s)
	}
	if s := h.bookingStatus(next[0], occ); s != "confirmed" {
		t.Errorf("the next on the list: %s", s)
	}
	h.countsExact(occ)
}

// A guardian who withdrew or refused consent can change their mind: with
// the e-mailed link at any time, or from their account. The child is told
// and can book again. Nobody else can give it for them.
func TestAGuardianChangesTheirMindAndGivesConsentAgain(t *testing.T) {
	t.Parallel()
	h := newH(t)
	dob := time.Now().AddDate(-11, 0, -3).Format(time.DateOnly)
	reg := h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("kid@example.test", dob, map[string]any{"guardian_email": "guardian@example.test"})}).Want(t, 201).Map(t)
	kidToken := reg["access_token"].(string)
	kid := reg["user"].(map[string]any)["id"].(string)
	link := h.outboxLink("guardian@example.test", "/consent/")
	decide := func(d string) {
		h.Do(Req{Method: "POST", Path: "/api/v1/consent/" + link, Body: map[string]string{"decision": d}}).Want(t, 200)
	}
	status := func() string {
		return h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: kidToken}).Want(t, 200).Map(t)["consent_status"].(string)
	}

	decide("refuse")
	h.Now.Advance(20 * 24 * time.Hour) // long after the link would have expired for a first answer
	kidToken = h.tokenFor(kid)
	club := h.occurrence(occOpts{AgeMin: 8, AgeMax: 14, Title: "Junior art club"})
	decide("give")
	if s := status(); s != "given" {
		t.Fatalf("given with the link after refusing: %s", s)
	}
	h.book(kidToken, club).Want(t, 201)
	decide("withdraw")
	if s := h.bookingStatus(kid, club); s != "cancelled" {
		t.Fatalf("the place after withdrawing: %s", s)
	}

	// From the guardian's account; another guardian, the child and staff cannot.
	path := "/api/v1/guardian/children/" + kid + "/give"
	h.Do(Req{Method: "POST", Path: path, Token: kidToken}).Want(t, 403)
	h.Do(Req{Method: "POST", Path: path, Token: h.Login("worker.a@example.test")}).Want(t, 403)
	if _, err := h.DB.Exec(`INSERT INTO users (role, email, password_hash, first_name) VALUES ('guardian', 'dad@example.test', $1, 'Dad')`, fixtureHash()); err != nil {
		t.Fatal(err)
	}
	h.Do(Req{Method: "POST", Path: path, Token: h.Login("dad@example.test")}).Want(t, 404)
	if s := status(); s != "withdrawn" {
		t.Fatalf("after refused attempts: %s", s)
	}
	got := h.Do(Req{Method: "POST", Path: path, Token: h.Login("guardian@example.test")}).Want(t, 200).Map(t)
	if got["status"] != "given" || status() != "given" {
		t.Fatalf("given from the account: %v", got)
	}
	h.book(kidToken, club).Want(t, 201)
	// Given again (a retry) tells the child nothing more.
	h.Do(Req{Method: "POST", Path: path, Token: h.Login("guardian@example.test")}).Want(t, 200)
	if n := h.countWhere("notifications", "kind = 'consent_given' AND user_id = '"+kid+"'"); n != 2 {
		t.Fatalf("%d consent-given notifications, want 2 (link, account)", n)
	}
}

// A guardian who says no from their account to a request they never
// answered has refused, not withdrawn: the child is told so.
func TestAGuardianRefusesFromTheirAccount(t *testing.T) {
	t.Parallel()
	h := newH(t)
	dob := time.Now().AddDate(-11, 0, -3).Format(time.DateOnly)
	reg := h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", Body: registration("pip@example.test", dob, map[string]any{"guardian_email": "guardian@example.test"})}).Want(t, 201).Map(t)
	kid := reg["user"].(map[string]any)["id"].(string)
	got := h.Do(Req{Method: "POST", Path: "/api/v1/guardian/children/" + kid + "/withdraw", Token: h.Login("guardian@example.test")}).Want(t, 200).Map(t)
	if got["status"] != "refused" {
		t.Fatalf("no to a request never answered: %v", got)
	}
	if n := h.countWhere("notifications", "kind = 'consent_refused' AND user_id = '"+kid+"'"); n != 1 {
		t.Fatalf("%d refusal notifications to the child", n)
	}
	if n := h.countWhere("notifications", "kind = 'consent_withdrawn' AND user_id = '"+kid+"'"); n != 0 {
		t.Fatalf("the child was told consent was withdrawn (%d)", n)
	}
}

// Every decision on a child's consent is kept in the audit log, the changes
// of mind too (a link can give consent again after withdrawing it), so the
// council can show who consented and when; the home council's officers see
// them in the access log.
func TestEveryConsentDecisionIsAudited(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.signUpChild("kid@example.test", "mum@example.test")
	link := h.outboxLink("mum@example.test", "/consent/")
	for _, d := range []string{"give", "withdraw", "give", "give"} { // the last one a retry: no change
		h.Do(Req{Method: "POST", Path: "/api/v1/consent/" + link, Body: map[string]string{"decision": d}}).Want(t, 200)
	}
	var kid string
	if err := h.DB.Get(&kid, `SELECT id FROM users WHERE email = 'kid@example.test'`); err != nil {
		t.Fatal(err)
	}
	var rows []string
	if err := h.DB.Select(&rows, `SELECT action || ' ' || coalesce(actor_id::text, 'link') || ' ' || reason FROM audit_log
		WHERE subject_id = $1 AND action LIKE 'consent_%' ORDER BY id`, kid); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"consent_given link consent given by their parent or guardian, through the link e-mailed to them",
		"consent_withdrawn link consent withdrawn by their parent or guardian, through the link e-mailed to them",
		"consent_given link consent given by their parent or guardian, through the link e-mailed to them",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audited:\n%s", strings.Join(rows, "\n"))
	}
	if _, err := h.DB.Exec(`INSERT INTO postcodes (postcode, lat, lon, lad_code) VALUES ('M32 0JG', 53.4509, -2.3077, 'E08000009') ON CONFLICT DO NOTHING`); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Items []struct {
			Action string `json:"action"`
		} `json:"items"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/audit-log?action=consent_withdrawn", Token: h.Login("officer.a@example.test")}).Want(t, 200).JSON(t, &log)
	if len(log.Items) != 1 {
		t.Fatalf("officer's access log: %+v", log.Items)
	}
}
