package api_test

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// limitedApp is a replica with small limits per client address, behind a
// trusted proxy (the test connection's 0.0.0.0), so that X-Forwarded-For
// names the client.
func (h *H) limitedApp(signUps, failedSignIns, resets int) *fiber.App {
	h.t.Helper()
	h.Cfg.SignUpsPerHour, h.Cfg.FailedSignInsPer15Min, h.Cfg.ResetRequestsPerHour = signUps, failedSignIns, resets
	h.Cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}
	app, _ := h.newApp()
	return app
}

func from(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }

func TestSignUpsAreLimitedPerClientAddress(t *testing.T) {
	t.Parallel()
	h := newH(t)
	app := h.limitedApp(3, 0, 0)
	dob := time.Now().AddDate(-15, 0, 0).Format(time.DateOnly)
	signUp := func(ip string, i int) Res {
		return h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", App: app, Header: from(ip),
			Body: registration("teen"+ip+"-"+strconv.Itoa(i)+"@example.test", dob, nil)})
	}
	// Forms refused for their details make no account and do not count:
	// the SPA checks the first page of an under-13's form this way.
	for i := range 5 {
		h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", App: app, Header: from("198.51.100.7"),
			Body: registration("kid-"+strconv.Itoa(i)+"@example.test", time.Now().AddDate(-12, 0, 0).Format(time.DateOnly), nil)}).Want(t, 422)
	}
	for i := range 3 {
		signUp("198.51.100.7", i).Want(t, 201)
	}
	users := h.count("users")
	res := signUp("198.51.100.7", 3).Want(t, 429)
	if ra, _ := strconv.Atoi(res.Header.Get("Retry-After")); ra < 3500 || ra > 3601 {
		t.Fatalf("Retry-After %q, want about an hour", res.Header.Get("Retry-After"))
	}
	if h.count("users") != users {
		t.Fatal("a refused sign-up wrote an account")
	}
	// A forged address on the left of the header does not make a new client.
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/register", App: app, Header: from("6.6.6.6, 198.51.100.7"),
		Body: registration("forged@example.test", dob, nil)}).Want(t, 429)
	// Someone else is not held up.
	signUp("203.0.113.9", 0).Want(t, 201)
	h.Now.Advance(61 * time.Minute)
	signUp("198.51.100.7", 4).Want(t, 201)
}

func TestFailedSignInsAreLimitedPerClientAddress(t *testing.T) {
	t.Parallel()
	h := newH(t)
	app := h.limitedApp(0, 3, 0)
	login := func(ip, email, password string) Res {
		return h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", App: app, Header: from(ip), Body: map[string]string{"email": email, "password": password}})
	}
	// Successes do not count; one wrong password each on three accounts does.
	login("198.51.100.7", "young@example.test", fixturePassword).Want(t, 200)
	for _, email := range []string{"young@example.test", "child@example.test", "worker.a@example.test"} {
		login("198.51.100.7", email, "spray attempt").Want(t, 401)
	}
	res := login("198.51.100.7", "manager.a@example.test", fixturePassword).Want(t, 429)
	if res.Header.Get("Retry-After") == "" || !strings.Contains(string(res.Body), "this connection") {
		t.Fatalf("refusal: %v %s", res.Header, res.Body)
	}
	login("203.0.113.9", "manager.a@example.test", fixturePassword).Want(t, 200)
	// A client cannot choose its address by sending its own X-Forwarded-For line before the one
	// the proxy adds: the proxy's line, the last, decides.
	for i := range 3 {
		h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", App: app, Body: map[string]string{"email": "child@example.test", "password": "spray attempt"},
			HeaderLines: [][2]string{{"X-Forwarded-For", fmt.Sprintf("192.0.2.%d", 10+i)}, {"X-Forwarded-For", "198.51.100.99"}}}).Want(t, 401)
	}
	login("198.51.100.99", "manager.a@example.test", fixturePassword).Want(t, 429)
	h.Now.Advance(16 * time.Minute)
	login("198.51.100.7", "manager.a@example.test", fixturePassword).Want(t, 200)
}

func TestPasswordLinkRequestsAreLimitedPerClientAddress(t *testing.T) {
	t.Parallel()
	h := newH(t)
	app := h.limitedApp(0, 0, 2)
	ask := func(ip, email string) Res {
		return h.Do(Req{Method: "POST", Path: "/api/v1/auth/password-reset", App: app, Header: from(ip), Body: map[string]string{"email": email}})
	}
	ask("198.51.100.7", "young@example.test").Want(t, 202)
	ask("198.51.100.7", "nobody@example.test").Want(t, 202)
	ask("198.51.100.7", "child@example.test").Want(t, 429)
	if h.mailsTo("child@example.test", resetSubject) != 0 {
		t.Fatal("a refused request sent a link")
	}
	ask("203.0.113.9", "child@example.test").Want(t, 202)
}

// Sign-ups racing from one address over two replicas stop at the limit.
func TestSignUpLimitHoldsUnderRacingRequests(t *testing.T) {
	t.Parallel()
	h := newH(t)
	a := h.limitedApp(3, 0, 0)
	b, _ := h.newApp()
	dob := time.Now().AddDate(-15, 0, 0).Format(time.DateOnly)
	statuses, made := h.race(a, b, 8, 201, 429, func(i int) Req {
		return Req{Method: "POST", Path: "/api/v1/auth/register", Header: from("198.51.100.7"),
			Body: registration("racer"+strconv.Itoa(i)+"@example.test", dob, nil)}
	})
	if made != 3 {
		t.Fatalf("statuses %v: want exactly 3 accounts", statuses)
	}
}

// Behind a proxy nobody named, the server says so once in its log.
func TestAnUntrustedProxyIsLoggedOnce(t *testing.T) {
	t.Parallel()
	h := newH(t)
	for range 2 {
		h.Do(Req{Method: "POST", Path: "/api/v1/auth/password-reset", Header: from("198.51.100.7"), Body: map[string]string{"email": "nobody@example.test"}}).Want(t, 202)
	}
	if n := strings.Count(h.logText(), "TRUSTED_PROXIES does not name"); n != 1 {
		t.Fatalf("%d warnings, want 1:\n%s", n, h.logText())
	}
}

// TestWalkInSearchesAreLimitedPerPersonOfStaff: a door takes a few walk-ins
// an evening; one member of staff searching dozens of times an hour is
// stopped, and their colleagues are not.
func TestWalkInSearchesAreLimitedPerPersonOfStaff(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.Cfg.WalkInSearchesPerHour = 3
	app, _ := h.newApp()
	search := func(who string) Res {
		return h.Do(Req{Method: "GET", Path: "/api/v1/walk-ins/search?q=young&date_of_birth=" + h.dobOf(h.F.Young), App: app, Token: h.tokenFor(who), Raw: true})
	}
	for range 3 {
		search(h.F.WorkerA).Want(t, 200)
	}
	audited := h.count("audit_log")
	r := search(h.F.WorkerA).Want(t, 429)
	if !strings.Contains(string(r.Body), "searched for young people many times") {
		t.Fatalf("the fourth search: %s", r.Body)
	}
	if h.count("audit_log") != audited {
		t.Fatal("a refused search showed someone")
	}
	search(h.F.WorkerB).Want(t, 200)
	// A refused search (no date of birth) does not use up the hour.
	h.Do(Req{Method: "GET", Path: "/api/v1/walk-ins/search?q=young", App: app, Token: h.tokenFor(h.F.ManagerA), Raw: true}).Want(t, 422)
	for range 3 {
		search(h.F.ManagerA).Want(t, 200)
	}
}
