package api_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"youthhub/internal/api"
	"youthhub/internal/testdb"
)

// TestSPAIndexCarriesTheTileSettings: the map tiles the SPA draws are the
// ones TILE_URL and TILE_ATTRIBUTION set at run time (the same origin the
// CSP allows images from), handed over as escaped meta tags in index.html
// on every client-side route; other files are served as built.
func TestSPAIndexCarriesTheTileSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(`<!doctype html><html><head><title>youthhub</title></head><body></body></html>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "assets"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "assets", "app.js"), []byte(`console.log("</head>")`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.TileURL = `https://tiles.example.org/{z}/{x}/{y}.png?key=a&b="x"`
	cfg.TileAttribution = `© Example <Maps>`
	app, _ := api.New(api.Deps{Config: cfg, DB: testdb.New(t), Log: slog.New(slog.DiscardHandler), Now: time.Now, SPA: os.DirFS(dir)})
	get := func(path string) (int, string, string) {
		res, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), res.Header.Get("Content-Security-Policy")
	}
	want := `<meta name="youthhub:tile-url" content="https://tiles.example.org/{z}/{x}/{y}.png?key=a&amp;b=&#34;x&#34;">` +
		`<meta name="youthhub:tile-attribution" content="© Example &lt;Maps&gt;"></head>`
	for _, path := range []string{"/", "/sessions/3f1c", "/index.html"} {
		status, body, csp := get(path)
		if status != 200 || !strings.Contains(body, want) || strings.Count(body, "youthhub:tile-url") != 1 {
			t.Fatalf("%s: %d %s", path, status, body)
		}
		if !strings.Contains(csp, "img-src 'self' data: blob: https://tiles.example.org") {
			t.Fatalf("%s: the CSP does not allow the tiles: %s", path, csp)
		}
	}
	if status, body, _ := get("/assets/app.js"); status != 200 || body != `console.log("</head>")` {
		t.Fatalf("asset: %d %s", status, body)
	}
	// A page the SPA does not have still gets its shell, which says "Page not found", but as a 404.
	for path, want := range map[string]int{"/no-such-page": 404, "/sessions/3f1c/extra": 404, "/sessions/3f1c/": 200, "/register/o1/walk-in": 200} {
		if status, body, _ := get(path); status != want || !strings.Contains(body, "youthhub:tile-url") {
			t.Errorf("%s: %d, want %d with the SPA's shell", path, status, want)
		}
	}
}

// TestWrongMethodsAreNamed: a method an address does not take is 405 with
// Allow listing those it does; an address that does not exist is 404.
func TestWrongMethodsAreNamed(t *testing.T) {
	t.Parallel()
	h := newH(t)
	for _, c := range []struct {
		method, path, allow string
	}{
		{"PUT", "/api/v1/me/bookings", "GET, HEAD"},
		{"PATCH", "/api/v1/bookings/" + h.F.Young, "DELETE, GET, HEAD"},
		{"POST", "/api/v1/calendar/rota/abc.ics", "GET, HEAD"},
		{"POST", "/openreferral/services", "GET, HEAD"},
		{"DELETE", "/openreferral/services/x/", "GET, HEAD"},
	} {
		res := h.Do(Req{Method: c.method, Path: c.path, Unlisted: true, Body: "{}"})
		if res.Status != 405 || res.Header.Get("Allow") != c.allow || !strings.Contains(string(res.Body), "it takes "+c.allow) {
			t.Errorf("%s %s: %d, Allow %q, %s; want 405 with Allow %q", c.method, c.path, res.Status, res.Header.Get("Allow"), res.Body, c.allow)
		}
	}
	// HEAD is answered wherever GET is, without a body.
	for _, p := range []string{"/healthz", "/openreferral/services", "/api/openapi.yaml"} {
		res := h.Do(Req{Method: "HEAD", Path: p, Unlisted: true})
		if res.Status != 200 || len(res.Body) != 0 {
			t.Errorf("HEAD %s: %d with %d bytes, want 200 and no body", p, res.Status, len(res.Body))
		}
	}
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/v1/no-such-thing"},
		{"POST", "/api/v1/bookings/a/b"},
		{"POST", "/api/v1/calendar/rota/abc.txt"},
		{"POST", "/find"},
	} {
		if res := h.Do(Req{Method: c.method, Path: c.path, Unlisted: true, Body: "{}"}); res.Status != 404 || res.Header.Get("Allow") != "" {
			t.Errorf("%s %s: %d, Allow %q; want 404", c.method, c.path, res.Status, res.Header.Get("Allow"))
		}
	}
}
