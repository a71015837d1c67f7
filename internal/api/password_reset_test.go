package api_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

const newPassword = "purple kettle lighthouse"

func (h *H) askReset(email string) Res {
	h.t.Helper()
	return h.Do(Req{Method: "POST", Path: "/api/v1/auth/password-reset", Body: map[string]string{"email": email}})
}

func (h *H) mailsTo(to, subject string) int {
	h.t.Helper()
	var n int
	if err := h.DB.Get(&n, `SELECT count(*) FROM outbox WHERE to_email = $1 AND subject = $2`, to, subject); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *H) signIn(email, password string) Res {
	h.t.Helper()
	return h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": email, "password": password}})
}

const resetSubject = "Choose a new youthhub password"

func TestPasswordResetChangesThePasswordAndSignsOutEverywhere(t *testing.T) {
	t.Parallel()
	h := newH(t)
	// Signed in on another phone before forgetting the password.
	otherSignIn := h.signIn("young@example.test", fixturePassword).Want(t, 200)
	other, otherAccess := refreshCookieOf(otherSignIn), otherSignIn.Map(t)["access_token"].(string)
	h.Now.Advance(2 * time.Second)

	res := h.askReset("  YOUNG@example.test ").Want(t, 202).Map(t)
	if !strings.Contains(res["message"].(string), "If an account uses this email address") {
		t.Fatalf("message: %v", res)
	}
	token := h.outboxLink("young@example.test", "/reset-password/")
	link := h.Do(Req{Method: "GET", Path: "/api/v1/auth/password-reset/" + token}).Want(t, 200).Map(t)
	exp, err := time.Parse(time.RFC3339, link["expires_at"].(string))
	if err != nil || exp.Sub(h.Now.Now()).Round(time.Minute) != time.Hour {
		t.Fatalf("expires_at %v (%v), want an hour from now", link["expires_at"], err)
	}

	// A password the sign-up rules refuse: the field is named and nothing changes.
	bad := h.Do(Req{Method: "POST", Path: "/api/v1/auth/password-reset/" + token, Body: map[string]string{"password": "short"}}).Want(t, 422)
	if !strings.Contains(string(bad.Body), `"field":"password"`) {
		t.Fatalf("password not named: %s", bad.Body)
	}
	h.signIn("young@example.test", fixturePassword).Want(t, 200)

	// Sent by someone signed in as somebody else: the link's account changes, not theirs.
	done := h.Do(Req{Method: "POST", Path: "/api/v1/auth/password-reset/" + token, Token: h.Login("worker.a@example.test"),
		Body: map[string]string{"password": newPassword}}).Want(t, 200)
	var session struct {
		AccessToken string `json:"access_token"`
		User        struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	done.JSON(t, &session)
	if session.User.ID != h.F.Young || refreshCookieOf(done) == "" {
		t.Fatalf("signed in as %s (cookie %q), want the young person", session.User.ID, refreshCookieOf(done))
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: session.AccessToken}).Want(t, 200)

	h.signIn("young@example.test", fixturePassword).Want(t, 401)
	h.signIn("young@example.test", newPassword).Want(t, 200)
	h.signIn("worker.a@example.test", fixturePassword).Want(t, 200)
	// The other phone's session has ended: its refresh token, and its access token at once.
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: "__Host-youthhub_refresh=" + other}).Want(t, 401)
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: otherAccess}).Want(t, 401)
	h.Do(Req{Method: "GET", Path: "/api/v1/me/bookings", Token: otherAccess}).Want(t, 401)

	// The link works once.
	used := h.Do(Req{Method: "GET", Path: "/api/v1/auth/password-reset/" + token}).Want(t, 409)
	if !strings.Contains(string(used.Body), `"code":"reset_link_used"`) {
		t.Fatalf("used link: %s", used.Body)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/password-reset/" + token, Body: map[string]string{"password": "another fine password"}}).Want(t, 409)
	h.signIn("young@example.test", newPassword).Want(t, 200)

	if n := h.mailsTo("young@example.test", "Your youthhub password has been changed"); n != 1 {
		t.Fatalf("%d 'password changed' e-mails, want 1", n)
	}
	var audited int
	if err := h.DB.Get(&audited, `SELECT count(*) FROM audit_log WHERE subject_id = $1 AND action = 'password_reset'`, h.F.Young); err != nil || audited != 1 {
		t.Fatalf("audit rows %d (%v), want 1", audited, err)
	}
}

func TestPasswordResetAnswersAlikeForEveryAddress(t *testing.T) {
	t.Parallel()
	h := newH(t)
	// An invited member of staff who has not chosen a password yet, and one switched off.
	if _, err := h.DB.Exec(`INSERT INTO users (role, council_id, email, first_name) VALUES ('youth_worker', $1, 'invited@example.test', 'Ivy')`, h.F.CouncilA); err != nil {
		t.Fatal(err)
	}
	if _, err := h.DB.Exec(`UPDATE users SET active = false WHERE id = $1`, h.F.WorkerB); err != nil {
		t.Fatal(err)
	}
	known := h.askReset("young@example.test").Want(t, 202)
	for _, email := range []string{"nobody@example.test", "invited@example.test", "worker.b@example.test"} {
		res := h.askReset(email).Want(t, 202)
		if string(res.Body) != string(known.Body) {
			t.Errorf("%s: answer %s differs from a known address's %s", email, res.Body, known.Body)
		}
		if n := h.mailsTo(email, resetSubject); n != 0 {
			t.Errorf("%s: %d e-mails, want none", email, n)
		}
	}
	if n := h.count("password_resets"); n != 1 {
		t.Fatalf("%d links made, want 1 (for the known address)", n)
	}
	for _, email := range []string{"", "not-an-address"} {
		res := h.askReset(email).Want(t, 422)
		if !strings.Contains(string(res.Body), `"field":"email"`) {
			t.Errorf("%q: email not named: %s", email, res.Body)
		}
	}
}

func TestPasswordResetSendsAtMostThreeLinksAnHour(t *testing.T) {
	t.Parallel()
	h := newH(t)
	for i := 0; i < 5; i++ {
		h.askReset("young@example.test").Want(t, 202)
	}
	if n := h.mailsTo("young@example.test", resetSubject); n != 3 {
		t.Fatalf("%d links e-mailed in an hour, want 3", n)
	}
	h.Now.Advance(61 * time.Minute)
	h.askReset("young@example.test").Want(t, 202)
	if n := h.mailsTo("young@example.test", resetSubject); n != 4 {
		t.Fatalf("%d links e-mailed after the hour, want 4", n)
	}
}

func TestPasswordResetLinkExpiresAndOneUseEndsTheOthers(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.askReset("young@example.test").Want(t, 202)
	first := h.outboxLink("young@example.test", "/reset-password/")
	h.Now.Advance(61 * time.Minute)
	for _, m := range []string{"GET", "POST"} {
		res := h.Do(Req{Method: m, Path: "/api/v1/auth/password-reset/" + first, Body: map[string]string{"password": newPassword}})
		if res.Status != 409 || !strings.Contains(string(res.Body), `"code":"reset_link_expired"`) {
			t.Fatalf("%s expired link: %d %s", m, res.Status, res.Body)
		}
	}
	h.signIn("young@example.test", fixturePassword).Want(t, 200)

	h.askReset("young@example.test").Want(t, 202)
	second := h.outboxLink("young@example.test", "/reset-password/")
	h.askReset("young@example.test").Want(t, 202)
	third := h.outboxLink("young@example.test", "/reset-password/")
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/password-reset/" + third, Body: map[string]string{"password": newPassword}}).Want(t, 200)
	res := h.Do(Req{Method: "POST", Path: "/api/v1/auth/password-reset/" + second, Body: map[string]string{"password": "another fine password"}}).Want(t, 409)
	if !strings.Contains(string(res.Body), `"code":"reset_link_used"`) {
		t.Fatalf("older link after a newer one was used: %s", res.Body)
	}

	res = h.Do(Req{Method: "GET", Path: "/api/v1/auth/password-reset/not-a-real-link"}).Want(t, 404)
	if !strings.Contains(string(res.Body), `"code":"reset_link_invalid"`) {
		t.Fatalf("unknown link: %s", res.Body)
	}
}

// A reset proves the owner holds the mailbox: an account throttled by failed
// sign-ins can be signed in to at once.
func TestPasswordResetLiftsTheSignInThrottle(t *testing.T) {
	t.Parallel()
	h := newH(t)
	for i := 0; i < 10; i++ {
		h.signIn("young@example.test", "wrong guess "+fmt.Sprint(i)).Want(t, 401)
	}
	h.signIn("young@example.test", fixturePassword).Want(t, 429)
	h.askReset("young@example.test").Want(t, 202)
	token := h.outboxLink("young@example.test", "/reset-password/")
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/password-reset/" + token, Body: map[string]string{"password": newPassword}}).Want(t, 200)
	h.signIn("young@example.test", newPassword).Want(t, 200)
}

// The same link sent at once from two tabs, or retried: one new password
// wins, the rest are told the link was used.
func TestPasswordResetLinkRace(t *testing.T) {
	t.Parallel()
	h := newH(t)
	second, _ := h.newApp()
	h.askReset("young@example.test").Want(t, 202)
	token := h.outboxLink("young@example.test", "/reset-password/")
	const n = 8
	statuses, won := h.race(h.App, second, n, 200, 409, func(i int) Req {
		return Req{Method: "POST", Path: "/api/v1/auth/password-reset/" + token,
			Body: map[string]string{"password": fmt.Sprintf("racing password number %d", i)}}
	})
	if won != 1 {
		t.Fatalf("statuses %v: want one 200", statuses)
	}
	winner := slices.Index(statuses, 200)
	for i := range n {
		want := 401
		if i == winner {
			want = 200
		}
		h.signIn("young@example.test", fmt.Sprintf("racing password number %d", i)).Want(t, want)
	}
}
