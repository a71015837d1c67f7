package api_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"youthhub/internal/account"
	"youthhub/internal/api"
	"youthhub/internal/platform/auth"
)

// specPathOf turns a Fiber route path into its OpenAPI form (:id → {id}).
func specPathOf(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			name, ext, _ := strings.Cut(s[1:], ".")
			parts[i] = "{" + name + "}"
			if ext != "" {
				parts[i] += "." + ext
			}
		}
	}
	return strings.Join(parts, "/")
}

// TestEveryRouteHasAPolicyAndIsInTheSpec walks every registered route.
func TestEveryRouteHasAPolicyAndIsInTheSpec(t *testing.T) {
	t.Parallel()
	h := newH(t)
	doc, _ := openAPI(t)
	table := map[string]api.Policy{}
	for _, r := range h.Srv.Routes() {
		table[r.Method+" "+r.Path] = r.Policy
		if !r.Policy.Public && len(r.Policy.Roles) == 0 {
			t.Errorf("%s %s: no policy declared", r.Method, r.Path)
		}
		if r.Policy.Owner == "" {
			t.Errorf("%s %s: no ownership rule declared", r.Method, r.Path)
		}
		item := doc.Paths.Find(specPathOf(r.Path))
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("%s %s is missing from api-spec/openapi.yaml", r.Method, specPathOf(r.Path))
		}
	}
	for _, r := range h.App.GetRoutes(true) {
		if r.Method == "HEAD" || !strings.HasPrefix(r.Path, "/api/v1/") || r.Path == "/api/*" {
			continue
		}
		if _, ok := table[r.Method+" "+r.Path]; !ok {
			t.Errorf("%s %s is registered outside the route table (no policy)", r.Method, r.Path)
		}
	}
}

// TestProtectedRoutesRefuseAnonymousAndWrongRoles calls every protected
// route with no token and with each role its policy does not allow.
func TestProtectedRoutesRefuseAnonymousAndWrongRoles(t *testing.T) {
	t.Parallel()
	h := newH(t)
	tokens := map[auth.Role]string{
		auth.YoungPerson: h.Login("young@example.test"), auth.Guardian: h.Login("guardian@example.test"),
		auth.YouthWorker: h.Login("worker.a@example.test"), auth.CentreManager: h.Login("manager.a@example.test"),
		auth.CouncilOfficer: h.Login("officer.a@example.test"), auth.Admin: h.Login("admin@example.test"),
	}
	for _, r := range h.Srv.Routes() {
		if r.Policy.Public {
			continue
		}
		path := strings.NewReplacer(":id", uuid.NewString(), ":token", "x", ":secret", "x").Replace(r.Path)
		res := h.Do(Req{Method: r.Method, Path: path, Body: "{}", Raw: true})
		if res.Status != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d, want 401", r.Method, r.Path, res.Status)
		}
		for role, tok := range tokens {
			if slices.Contains(r.Policy.Roles, role) {
				continue
			}
			res := h.Do(Req{Method: r.Method, Path: path, Body: "{}", Raw: true, Token: tok})
			if res.Status != http.StatusForbidden {
				t.Errorf("%s %s as %s: %d, want 403", r.Method, r.Path, role, res.Status)
			}
		}
	}
}

func forge(t *testing.T, method jwt.SigningMethod, key any, kid string, mutate func(*jwt.MapClaims)) string {
	t.Helper()
	claims := jwt.MapClaims{
		"iss": "youthhub", "aud": []string{"youthhub-api"}, "sub": "", "use": "access",
		"iat": time.Now().Unix(), "exp": time.Now().Add(10 * time.Minute).Unix(),
	}
	mutate(&claims)
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestForgedTokensAreRefused: every kind of bad token gets 401.
func TestForgedTokensAreRefused(t *testing.T) {
	t.Parallel()
	h := newH(t)
	good := h.Login("young@example.test")
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: good}).Want(t, 200)
	sub := func(c *jwt.MapClaims) { (*c)["sub"] = h.F.Young }
	parts := strings.Split(good, ".")
	tampered := parts[0] + "." + strings.TrimRight(jwtSegment(t, parts[1], h.F.Admin, h.F.Young), "=") + "." + parts[2]
	cases := map[string]string{
		"alg none":        forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, "k1", sub),
		"HS512":           forge(t, jwt.SigningMethodHS512, testKey, "k1", sub),
		"wrong key":       forge(t, jwt.SigningMethodHS256, []byte("another-key-another-key-another-k"), "k1", sub),
		"unknown kid":     forge(t, jwt.SigningMethodHS256, testKey, "k9", sub),
		"tampered":        tampered,
		"expired":         forge(t, jwt.SigningMethodHS256, testKey, "k1", func(c *jwt.MapClaims) { sub(c); (*c)["exp"] = time.Now().Add(-time.Minute).Unix() }),
		"no expiry":       forge(t, jwt.SigningMethodHS256, testKey, "k1", func(c *jwt.MapClaims) { sub(c); delete(*c, "exp") }),
		"wrong audience":  forge(t, jwt.SigningMethodHS256, testKey, "k1", func(c *jwt.MapClaims) { sub(c); (*c)["aud"] = "other" }),
		"wrong issuer":    forge(t, jwt.SigningMethodHS256, testKey, "k1", func(c *jwt.MapClaims) { sub(c); (*c)["iss"] = "evil" }),
		"not access":      forge(t, jwt.SigningMethodHS256, testKey, "k1", func(c *jwt.MapClaims) { sub(c); (*c)["use"] = "refresh" }),
		"unknown subject": forge(t, jwt.SigningMethodHS256, testKey, "k1", func(c *jwt.MapClaims) { (*c)["sub"] = uuid.NewString() }),
		"garbage":         "not.a.token",
	}
	login := h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": "young@example.test", "password": fixturePassword}})
	cases["refresh token as access"] = refreshCookieOf(login)
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			res := h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: tok})
			if res.Status != 401 {
				t.Fatalf("status %d, want 401: %s", res.Status, res.Body)
			}
		})
	}
}

// jwtSegment swaps one user id for another inside a base64url JSON segment.
func jwtSegment(t *testing.T, seg, to, from string) string {
	t.Helper()
	raw, err := jwt.NewParser().DecodeSegment(seg)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(raw), from, to, 1)
	return strings.TrimRight(jwtEncode(changed), "=")
}

func jwtEncode(s string) string {
	return strings.NewReplacer("+", "-", "/", "_").Replace(base64Std(s))
}

// TestRefreshRotatesAndReuseRevokesTheFamily.
func TestRefreshRotatesAndReuseRevokesTheFamily(t *testing.T) {
	t.Parallel()
	h := newH(t)
	login := h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": "young@example.test", "password": fixturePassword}}).Want(t, 200)
	first := refreshCookieOf(login)
	if first == "" {
		t.Fatal("no refresh cookie")
	}
	if sc := login.Header.Get("Set-Cookie"); !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Strict") || !strings.Contains(strings.ToLower(sc), "secure") {
		t.Fatalf("cookie flags: %s", sc)
	}
	r1 := h.Do(Req{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: "__Host-youthhub_refresh=" + first}).Want(t, 200)
	second := refreshCookieOf(r1)
	if second == "" || second == first {
		t.Fatal("refresh did not rotate the cookie")
	}
	// The stolen first token is replayed: the whole family is revoked.
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: "__Host-youthhub_refresh=" + first}).Want(t, 401)
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: "__Host-youthhub_refresh=" + second}).Want(t, 401)

	// Logout revokes.
	l2 := h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": "young@example.test", "password": fixturePassword}}).Want(t, 200)
	c := refreshCookieOf(l2)
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/logout", Cookie: "__Host-youthhub_refresh=" + c}).Want(t, 204)
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: "__Host-youthhub_refresh=" + c}).Want(t, 401)
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/refresh"}).Want(t, 401)
}

// TestLoginThrottleHoldsAcrossReplicas: two app instances share only the
// database; ten failures on either lock the account on both.
func TestLoginThrottleHoldsAcrossReplicas(t *testing.T) {
	t.Parallel()
	h := newH(t)
	other, _ := h.newApp()
	bad := map[string]string{"email": "young@example.test", "password": "wrong password here"}
	for i := range 10 {
		app := h.App
		if i%2 == 1 {
			app = other
		}
		res := h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: bad, App: app})
		if res.Status != 401 {
			t.Fatalf("attempt %d: %d", i+1, res.Status)
		}
	}
	for _, app := range []any{h.App, other} {
		_ = app
	}
	good := map[string]string{"email": "young@example.test", "password": fixturePassword}
	res := h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: good, App: other}).Want(t, 429)
	if ra := res.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("Retry-After = %q", ra)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: good}).Want(t, 429)
	// Another account is not affected.
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": "child@example.test", "password": fixturePassword}}).Want(t, 200)
	// After 15 minutes the account opens again.
	h.Now.Advance(15*time.Minute + time.Second)
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: good, App: other}).Want(t, 200)
}

// TestWrongPasswordsLockOnlyWhereTheyWereTyped: someone typing a youth
// worker's address ten times from their own connection cannot lock the
// worker out of their own phone; only spread-out guessing on a very large
// scale locks the account everywhere, and a password reset opens it again.
func TestWrongPasswordsLockOnlyWhereTheyWereTyped(t *testing.T) {
	t.Parallel()
	h := newH(t)
	app := h.limitedApp(0, 0, 0) // no per-address limits: this test is about the account's own
	login := func(ip, password string) Res {
		return h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", App: app, Header: from(ip),
			Body: map[string]string{"email": "worker.a@example.test", "password": password}})
	}
	// The worker's own phone has signed in before, at the youth centre (198.51.100.7).
	phone := "__Host-youthhub_device=" + deviceCookieOf(login("198.51.100.7", fixturePassword).Want(t, 200))
	fromPhone := func(ip, password string) Res {
		return h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", App: app, Header: from(ip), Cookie: phone,
			Body: map[string]string{"email": "worker.a@example.test", "password": password}})
	}
	for range account.MaxFailures {
		login("198.51.100.7", "wrong password here").Want(t, 401)
	}
	if code := login("198.51.100.7", fixturePassword).Want(t, 429).Map(t)["code"]; code != "too_many_attempts" {
		t.Fatalf("code %v, want too_many_attempts", code)
	}
	// The worker, on their own connection, signs in; the other place stays locked; their phone,
	// on the centre's Wi-Fi where the guessing came from, is not.
	login("203.0.113.9", fixturePassword).Want(t, 200)
	login("198.51.100.7", fixturePassword).Want(t, 429)
	fromPhone("198.51.100.7", fixturePassword).Want(t, 200)

	// Guessing spread over many addresses: after MaxAccountFailures the account is locked everywhere.
	for i := range account.MaxAccountFailures - account.MaxFailures {
		login(fmt.Sprintf("192.0.2.%d", 1+i/account.MaxFailures), "wrong password here").Want(t, 401)
	}
	locked := login("203.0.113.9", fixturePassword).Want(t, 429).Map(t)
	if locked["code"] != "account_locked" || !strings.Contains(locked["detail"].(string), "reset your password") {
		t.Fatalf("locked everywhere: %v", locked)
	}
	// Everywhere but the worker's own phone; a made-up device cookie does not pass.
	fromPhone("192.0.2.200", fixturePassword).Want(t, 200)
	id, _, _ := strings.Cut(strings.TrimPrefix(phone, "__Host-youthhub_device="), ".")
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", App: app, Header: from("192.0.2.201"), Cookie: "__Host-youthhub_device=" + id + ".forged",
		Body: map[string]string{"email": "worker.a@example.test", "password": fixturePassword}}).Want(t, 429)
	// A password reset opens the account at once.
	h.askReset("worker.a@example.test").Want(t, 202)
	token := h.outboxLink("worker.a@example.test", "/reset-password/")
	h.Do(Req{Method: "POST", Path: "/api/v1/auth/password-reset/" + token, Body: map[string]string{"password": newPassword}}).Want(t, 200)
	login("203.0.113.9", newPassword).Want(t, 200)
}

// TestUnknownEmailAndWrongPasswordAnswerAlike.
func TestUnknownEmailAndWrongPasswordAnswerAlike(t *testing.T) {
	t.Parallel()
	h := newH(t)
	a := h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": "nobody@example.test", "password": "whatever whatever"}}).Want(t, 401).Map(t)
	b := h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": "young@example.test", "password": "whatever whatever"}}).Want(t, 401).Map(t)
	if a["detail"] != b["detail"] || a["title"] != b["title"] {
		t.Fatalf("answers differ: %v / %v", a, b)
	}
}

// TestDeactivationAndRoleChangeTakeEffectOnNextRequest.
func TestDeactivationAndRoleChangeTakeEffectOnNextRequest(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer := h.Login("officer.a@example.test")
	manager := h.Login("manager.a@example.test")
	h.Do(Req{Method: "GET", Path: "/api/v1/staff", Token: manager}).Want(t, 200)
	h.Do(Req{Method: "PATCH", Path: "/api/v1/staff/" + h.F.ManagerA, Token: officer, Body: map[string]any{"role": "youth_worker"}}).Want(t, 200)
	h.Do(Req{Method: "GET", Path: "/api/v1/staff", Token: manager}).Want(t, 403)
	h.Do(Req{Method: "PATCH", Path: "/api/v1/staff/" + h.F.ManagerA, Token: officer, Body: map[string]any{"active": false}}).Want(t, 200)
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: manager}).Want(t, 401)
	// The other council's officer cannot touch council A's staff.
	officerB := h.Login("officer.b@example.test")
	h.Do(Req{Method: "PATCH", Path: "/api/v1/staff/" + h.F.WorkerA, Token: officerB, Body: map[string]any{"active": false}}).Want(t, 404)
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: h.Login("worker.a@example.test")}).Want(t, 200)
}

// TestBadBodiesAreRefusedAndWriteNothing.
func TestBadBodiesAreRefusedAndWriteNothing(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer := h.Login("officer.a@example.test")
	before := h.count("centres")
	users := h.count("users")
	cases := []struct {
		name, path, body string
		token            string
		status           int
		field            string
	}{
		{"malformed", "/api/v1/centres", `{"name": "A",`, officer, 400, ""},
		{"not an object", "/api/v1/centres", `[1,2]`, officer, 400, ""},
		{"unknown field", "/api/v1/centres", `{"name":"A","lat":53.4,"lon":-2.3,"provider_type":"council","owner":"me"}`, officer, 422, "owner"},
		{"wrong type", "/api/v1/centres", `{"name":"A","lat":"north","lon":-2.3,"provider_type":"council"}`, officer, 422, "lat"},
		{"bad enum", "/api/v1/centres", `{"name":"A","lat":53.4,"lon":-2.3,"provider_type":"pirates"}`, officer, 422, "provider_type"},
		{"trailing data", "/api/v1/centres", `{"name":"A","lat":53.4,"lon":-2.3,"provider_type":"council"} {}`, officer, 400, ""},
		{"centre name over two lines", "/api/v1/centres", `{"name":"Hub\nBcc: x@evil.test","lat":53.4,"lon":-2.3,"provider_type":"council"}`, officer, 422, "name"},
		{"control character in an address", "/api/v1/centres", `{"name":"Hub","address":"1 High St\u0007","lat":53.4,"lon":-2.3,"provider_type":"council"}`, officer, 422, "address"},
		{"register short password", "/api/v1/auth/register", `{"first_name":"A","last_name":"B","date_of_birth":"2010-01-01","postcode":"M32 0JG","email":"a@b.test","password":"short"}`, "", 422, "password"},
		{"register common password", "/api/v1/auth/register", `{"first_name":"A","last_name":"B","date_of_birth":"2010-01-01","postcode":"M32 0JG","email":"a@b.test","password":"password1234"}`, "", 422, "password"},
		{"register bad postcode", "/api/v1/auth/register", `{"first_name":"A","last_name":"B","date_of_birth":"2010-01-01","postcode":"NOT A CODE","email":"a@b.test","password":"marble tiger umbrella"}`, "", 422, "postcode"},
		{"register bad date", "/api/v1/auth/register", `{"first_name":"A","last_name":"B","date_of_birth":"2010-02-30","postcode":"M32 0JG","email":"a@b.test","password":"marble tiger umbrella"}`, "", 422, "date_of_birth"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := h.Do(Req{Method: "POST", Path: c.path, Body: c.body, Token: c.token, Raw: true}).Want(t, c.status)
			p := res.Map(t)
			if c.field != "" {
				errs, _ := p["errors"].([]any)
				found := false
				for _, e := range errs {
					if e.(map[string]any)["field"] == c.field {
						found = true
					}
				}
				if !found {
					t.Fatalf("field %s not named: %s", c.field, res.Body)
				}
			}
		})
	}
	if h.count("centres") != before || h.count("users") != users {
		t.Fatal("a refused request wrote something")
	}
}

// TestServerErrorsDoNotLeak: with the database gone, the client sees a
// generic problem with a request id and nothing of the driver's message.
func TestServerErrorsDoNotLeak(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.DB.Close()
	res := h.Do(Req{Method: "GET", Path: "/api/v1/centres"})
	if res.Status < 500 {
		t.Fatalf("status %d", res.Status)
	}
	p := res.Map(t)
	body := strings.ToLower(string(res.Body))
	for _, leak := range []string{"sql", "database is closed", "pq:", "/internal/", ".go"} {
		if strings.Contains(body, leak) {
			t.Fatalf("5xx body leaks %q: %s", leak, res.Body)
		}
	}
	if p["request_id"] == "" || p["request_id"] == nil {
		t.Fatal("no request id")
	}
	if !strings.Contains(h.logText(), fmt.Sprint(p["request_id"])) {
		t.Fatal("the failure was not logged with its request id")
	}
}

// TestHealthReadinessMetricsAndHeaders.
func TestHealthReadinessMetricsAndHeaders(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.Do(Req{Method: "GET", Path: "/healthz"}).Want(t, 200)
	res := h.Do(Req{Method: "GET", Path: "/readyz"}).Want(t, 200)
	for _, hdr := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Request-Id"} {
		if res.Header.Get(hdr) == "" {
			t.Errorf("missing %s", hdr)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP: %s", csp)
	}
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Error("HSTS missing behind https BASE_URL")
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/centres"}).Want(t, 200)
	m := h.Do(Req{Method: "GET", Path: "/metrics"}).Want(t, 200)
	for _, want := range []string{`youthhub_http_requests_total{method="GET",route="/api/v1/centres",status="200"}`, `go_sql_max_open_connections{db_name="youthhub"}`, "youthhub_http_request_duration_seconds_bucket"} {
		if !strings.Contains(string(m.Body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// Other methods, then GETs again: the metrics still answer, with every
	// method named right (Fiber reuses the buffer behind c.Method()).
	young := h.Login("young@example.test")
	for range 3 {
		h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": "nobody@example.test", "password": "not the password"}}).Want(t, 401)
		h.Do(Req{Method: "DELETE", Path: "/api/v1/bookings/00000000-0000-4000-8000-000000000000", Token: young}).Want(t, 404)
		h.Do(Req{Method: "PATCH", Path: "/api/v1/me", Token: young, Body: map[string]string{"first_name": "young_person"}}).Want(t, 200)
		h.Do(Req{Method: "GET", Path: "/api/v1/centres"}).Want(t, 200)
	}
	m = h.Do(Req{Method: "GET", Path: "/metrics"}).Want(t, 200)
	for _, want := range []string{`method="POST",route="/api/v1/auth/login",status="401"`, `method="DELETE",route="/api/v1/bookings/:id",status="404"`,
		`method="PATCH",route="/api/v1/me",status="200"`, `method="GET",route="/api/v1/centres",status="200"} 4`} {
		if !strings.Contains(string(m.Body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	me := h.Do(Req{Method: "GET", Path: "/api/v1/me", Token: young}).Want(t, 200)
	if me.Header.Get("Cache-Control") != "no-store" {
		t.Error("personal data without Cache-Control: no-store")
	}
	if strings.Contains(h.logText(), "young@example.test") || strings.Contains(h.logText(), fixturePassword) {
		t.Error("the access log holds personal data")
	}
}

// TestOversizedBodyIsRefused goes through a real listener, where the body
// limit is enforced while reading the request.
func TestOversizedBodyIsRefused(t *testing.T) {
	t.Parallel()
	h := newH(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = h.App.Listener(ln) }()
	t.Cleanup(func() { _ = h.App.Shutdown() })
	officer := h.Login("officer.a@example.test")
	before := h.count("centres")
	huge := `{"name":"` + strings.Repeat("x", 70*1024) + `","lat":53.4,"lon":-2.3,"provider_type":"council"}`
	req, _ := http.NewRequest("POST", "http://"+ln.Addr().String()+"/api/v1/centres", strings.NewReader(huge))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+officer)
	res, err := http.DefaultClient.Do(req)
	switch {
	case errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET):
		// The server answered 413 and closed the connection while the
		// client was still sending the body: refused all the same.
	case err != nil:
		t.Fatal(err)
	default:
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 413 || !strings.Contains(string(body), "The request body must be 64 KB or less") {
			t.Fatalf("status %d, want 413 saying the limit: %s", res.StatusCode, body)
		}
	}
	if h.count("centres") != before {
		t.Fatal("an oversized request wrote something")
	}
}

// TestResponsesAreCompressedForSlowPhones.
func TestResponsesAreCompressedForSlowPhones(t *testing.T) {
	t.Parallel()
	h := newH(t)
	res := h.Do(Req{Method: "GET", Path: "/api/v1/centres", Header: map[string]string{"Accept-Encoding": "gzip"}}).Want(t, 200)
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q", res.Header.Get("Content-Encoding"))
	}
}

// TestAPIDocsAreServedWithoutACDN.
func TestAPIDocsAreServedWithoutACDN(t *testing.T) {
	t.Parallel()
	h := newH(t)
	page := h.Do(Req{Method: "GET", Path: "/api/docs"}).Want(t, 200)
	if strings.Contains(string(page.Body), "http") || strings.Contains(string(page.Body), "<script>") {
		t.Fatalf("the docs page loads something from elsewhere or inline: %s", page.Body)
	}
	for _, f := range []string{"init.js", "swagger-ui-bundle.js", "swagger-ui.css"} {
		h.Do(Req{Method: "GET", Path: "/api/docs/" + f}).Want(t, 200)
	}
	h.Do(Req{Method: "GET", Path: "/api/docs/..%2f..%2fetc%2fpasswd"}).Want(t, 404)
	spec := h.Do(Req{Method: "GET", Path: "/api/openapi.yaml"}).Want(t, 200)
	if !strings.HasPrefix(string(spec.Body), "openapi: 3") {
		t.Fatalf("spec: %.40s", spec.Body)
	}
}

// Odd input gets a clear 4xx and writes nothing: the NUL character
// (PostgreSQL cannot store it) anywhere in a body or query, and a council
// named only with spaces.
func TestNULAndBlankNamesAreRefused(t *testing.T) {
	t.Parallel()
	h := newH(t)
	users := h.count("users")
	for _, r := range []Req{
		{Method: "POST", Path: "/api/v1/auth/register", Raw: true, Body: `{"first_name":"Sam\u0000x","last_name":"Jones","date_of_birth":"2010-01-01","postcode":"M32 0JG","email":"nul@example.test","password":"marble tiger umbrella"}`},
		{Method: "POST", Path: "/api/v1/auth/login", Raw: true, Body: `{"email":"young@example.test\u0000","password":"x"}`},
		{Method: "GET", Path: "/api/v1/walk-ins/search?q=ab%00&date_of_birth=2010-01-01", Token: h.tokenFor(h.F.WorkerA), Raw: true},
	} {
		res := h.Do(r).Want(t, 422)
		if !strings.Contains(string(res.Body), "NUL character") {
			t.Errorf("%s %s: %s", r.Method, r.Path, res.Body)
		}
	}
	if h.count("users") != users {
		t.Fatal("a request with NUL made an account")
	}
	// The auth scheme's name is case-insensitive.
	young := h.Login("young@example.test")
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Header: map[string]string{"Authorization": "bearer " + young}}).Want(t, 200)
	h.Do(Req{Method: "GET", Path: "/api/v1/me", Header: map[string]string{"Authorization": "Basic " + young}}).Want(t, 401)
	res := h.Do(Req{Method: "POST", Path: "/api/v1/councils", Token: h.Login("admin@example.test"), Body: map[string]string{"name": "   "}}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"name"`) {
		t.Fatalf("blank council name: %s", res.Body)
	}
}
