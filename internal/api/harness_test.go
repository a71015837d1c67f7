package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"

	"youthhub/internal/api"
	"youthhub/internal/config"
	"youthhub/internal/platform/auth"
	"youthhub/internal/testdb"
)

var spec struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

func specPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "api-spec", "openapi.yaml")
}

// openAPI loads and validates api-spec/openapi.yaml once per package.
func openAPI(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	spec.once.Do(func() {
		openapi3filter.RegisterBodyDecoder("text/calendar", openapi3filter.FileBodyDecoder)
		openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.FileBodyDecoder)
		for _, ct := range []string{"text/html", "application/yaml", "text/javascript", "text/css"} {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
		}
		loader := openapi3.NewLoader()
		spec.doc, spec.err = loader.LoadFromFile(specPath())
		if spec.err != nil {
			return
		}
		if spec.err = spec.doc.Validate(context.Background()); spec.err != nil {
			return
		}
		spec.router, spec.err = gorillamux.NewRouter(spec.doc)
	})
	if spec.err != nil {
		t.Fatalf("openapi.yaml: %v", spec.err)
	}
	return spec.doc, spec.router
}

// testKey is the JWT key of the test servers; tests forge tokens with it.
var testKey = []byte("0123456789abcdef0123456789abcdef")

func testConfig() config.Config {
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "JWT_KEYS":
			return "k1:" + base64.StdEncoding.EncodeToString(testKey)
		case "TICKET_KEY":
			return base64.StdEncoding.EncodeToString([]byte("ticket-key-ticket-key-ticket-key"))
		case "BASE_URL":
			return "https://youthhub.test"
		case "LOG_LEVEL":
			return "error"
		}
		return ""
	})
	if err != nil {
		panic(err)
	}
	return cfg
}

// H is one API under test: the real app on a fresh database.
type H struct {
	t   *testing.T
	App *fiber.App
	Srv *api.Server
	DB  *sqlx.DB
	Cfg config.Config
	Now *clock
	Log *bytes.Buffer
	F   Fixture
	lw  *lockedWriter // one lock for the log, shared by every replica
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Set moves the clock.
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Advance moves the clock on.
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// newH builds the app on a fresh database with the standard fixture.
func newH(t *testing.T) *H {
	t.Helper()
	db := testdb.New(t)
	h := &H{t: t, DB: db, Cfg: testConfig(), Now: &clock{t: time.Now()}, Log: &bytes.Buffer{}}
	h.App, h.Srv = h.newApp()
	h.F = newFixture(t, db)
	return h
}

// newApp builds another app instance (a second "replica") on the same database.
func (h *H) newApp() (*fiber.App, *api.Server) {
	if h.lw == nil {
		h.lw = &lockedWriter{w: h.Log}
	}
	log := slog.New(slog.NewJSONHandler(h.lw, nil))
	return api.New(api.Deps{Config: h.Cfg, DB: h.DB, Log: log, Now: h.Now.Now, SPA: os.DirFS(h.t.TempDir())})
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Req is one request.
type Req struct {
	Method, Path string
	Body         any // a struct/map (sent as JSON) or a string (sent as is)
	Token        string
	Header       map[string]string
	HeaderLines  [][2]string // added one line each, after Header (a header sent twice)
	Cookie       string
	// Raw skips request validation against the spec (for deliberately bad
	// requests); the response is still checked.
	Raw bool
	// Unlisted marks a method or path deliberately not in the spec (404s and
	// 405s): nothing is validated but that errors are problem+json.
	Unlisted bool
	App      *fiber.App
}

// Res is one response.
type Res struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body.
func (r Res) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body into a map.
func (r Res) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// Do sends a request through the real app and checks request and response
// against api-spec/openapi.yaml: a route missing from the spec, or a
// response that does not match it, fails the test.
func (h *H) Do(r Req) Res {
	h.t.Helper()
	return do(h.t, h.App, r)
}

func do(t testing.TB, app *fiber.App, r Req) Res {
	t.Helper()
	if r.App != nil {
		app = r.App
	}
	_, router := openAPI(t)
	var body []byte
	switch b := r.Body.(type) {
	case nil:
	case string:
		body = []byte(b)
	case []byte:
		body = b
	default:
		var err error
		if body, err = json.Marshal(b); err != nil {
			t.Fatal(err)
		}
	}
	req := httptest.NewRequest(r.Method, r.Path, bytes.NewReader(body))
	req.Host = "youthhub.test"
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	if r.Cookie != "" {
		req.Header.Set("Cookie", r.Cookie)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	for _, kv := range r.HeaderLines {
		req.Header.Add(kv[0], kv[1])
	}
	route, params, err := router.FindRoute(req)
	if err != nil && !strings.HasPrefix(r.Path, "/api/v1/nope") && !r.Unlisted {
		t.Fatalf("%s %s is not in api-spec/openapi.yaml: %v", r.Method, r.Path, err)
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}
	if route != nil && !r.Raw {
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Fatalf("%s %s: request does not match the spec: %v", r.Method, r.Path, err)
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("%s %s: bad gzip: %v", r.Method, r.Path, err)
		}
		if out, err = io.ReadAll(zr); err != nil {
			t.Fatalf("%s %s: bad gzip: %v", r.Method, r.Path, err)
		}
	}
	res := Res{Status: resp.StatusCode, Header: resp.Header, Body: out}
	if route != nil {
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts},
			Status:                 resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(out)), Options: opts,
		}
		if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
			t.Fatalf("%s %s: response %d does not match the spec: %v\n%s", r.Method, r.Path, resp.StatusCode, err, out)
		}
	}
	if resp.StatusCode >= 400 {
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Fatalf("%s %s: error %d with content type %q, want problem+json", r.Method, r.Path, resp.StatusCode, ct)
		}
	}
	return res
}

// Want fails unless the status is want.
func (r Res) Want(t testing.TB, want int) Res {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d: %s", r.Status, want, r.Body)
	}
	return r
}

// Login signs in and returns the access token.
func (h *H) Login(email string) string {
	h.t.Helper()
	res := h.Do(Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": email, "password": fixturePassword}}).Want(h.t, 200)
	var out struct {
		AccessToken string `json:"access_token"`
	}
	res.JSON(h.t, &out)
	return out.AccessToken
}

// refreshCookieOf returns the refresh cookie value set by a response.
// deviceCookieOf is the device cookie a sign-in set.
func deviceCookieOf(r Res) string {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == "__Host-youthhub_device" {
			return c.Value
		}
	}
	return ""
}

func refreshCookieOf(r Res) string {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == "__Host-youthhub_refresh" {
			return c.Value
		}
	}
	return ""
}

// count returns the rows of a table.
func (h *H) count(table string) int {
	h.t.Helper()
	var n int
	if err := h.DB.Get(&n, "SELECT count(*) FROM "+table); err != nil {
		h.t.Fatal(err)
	}
	return n
}

var _ = auth.Admin

func base64Std(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// logText is what the servers have logged so far.
func (h *H) logText() string {
	if h.lw == nil {
		return h.Log.String()
	}
	h.lw.mu.Lock()
	defer h.lw.mu.Unlock()
	return h.Log.String()
}

// race sends req(i) for i in 0..n-1 all at once, alternately through apps a
// and b (two replicas on one database). It returns the statuses and how
// many were ok; any status but ok or refused fails the test.
func (h *H) race(a, b *fiber.App, n, ok, refused int, req func(i int) Req) (statuses []int, won int) {
	h.t.Helper()
	statuses = make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := req(i)
			r.App = a
			if i%2 == 1 {
				r.App = b
			}
			statuses[i] = h.Do(r).Status
		}()
	}
	wg.Wait()
	for _, s := range statuses {
		switch s {
		case ok:
			won++
		case refused:
		default:
			h.t.Fatalf("statuses %v: want only %d and %d", statuses, ok, refused)
		}
	}
	return statuses, won
}
