// Package api is the HTTP layer: one route table with an authorisation
// policy per route, and handlers that compose the domain services.
package api

import (
	"bytes"
	"context"
	"html"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"youthhub/internal/account"
	"youthhub/internal/booking"
	"youthhub/internal/centre"
	"youthhub/internal/config"
	"youthhub/internal/coverage"
	"youthhub/internal/opendata"
	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/platform/ratelimit"
	"youthhub/internal/platform/web"
	"youthhub/internal/postcode"
	"youthhub/internal/register"
	"youthhub/internal/staffing"
	"youthhub/internal/ticket"
	"youthhub/internal/timetable"
)

// Server holds what the handlers need.
type Server struct {
	cfg       config.Config
	db        *sqlx.DB
	log       *slog.Logger
	now       func() time.Time
	signer    *auth.Signer
	accounts  *account.Service
	centres   *centre.Service
	coverage  *coverage.Service
	bookings  *booking.Service
	timetable *timetable.Service
	postcodes *postcode.Service
	tickets   *ticket.Signer
	staffing  *staffing.Service
	registers *register.Service
	opendata  *opendata.Publisher
	registry  *prometheus.Registry
	spa       fs.FS
	limiter   *ratelimit.Limiter

	proxyWarning sync.Once // logged once: X-Forwarded-For from a peer not in TRUSTED_PROXIES

	indexOnce sync.Once
	index     []byte // index.html with the runtime settings the SPA reads (see spaIndex)
}

// Deps are the outside things a Server is built from.
type Deps struct {
	Config config.Config
	DB     *sqlx.DB
	Log    *slog.Logger
	Now    func() time.Time
	SPA    fs.FS // the built frontend (dist/), nil to serve none
}

// New wires the services and returns the Fiber app with every route mounted.
func New(d Deps) (*fiber.App, *Server) {
	if d.Now == nil {
		d.Now = time.Now
	}
	stmts := postgres.NewStmtCache(d.DB)
	s := &Server{
		cfg: d.Config, db: d.DB, log: d.Log, now: d.Now, spa: d.SPA,
		signer: auth.NewSigner(d.Config.JWTKeys, d.Config.JWTActiveKID, d.Config.JWTIssuer, d.Config.JWTAudience, d.Config.AccessTokenTTL, d.Now),
		accounts: &account.Service{DB: d.DB, Now: d.Now, ConsentAge: d.Config.ConsentAge, BaseURL: strings.TrimRight(d.Config.BaseURL, "/"),
			RefreshTTL: d.Config.RefreshTokenTTL, Stmts: stmts},
		centres:   &centre.Service{DB: d.DB, Stmts: stmts},
		coverage:  &coverage.Service{DB: d.DB, Now: d.Now},
		bookings:  &booking.Service{DB: d.DB, Now: d.Now, ConsentAge: d.Config.ConsentAge, BaseURL: strings.TrimRight(d.Config.BaseURL, "/")},
		tickets:   ticket.NewSigner(d.Config.TicketKey),
		timetable: &timetable.Service{DB: d.DB, Now: d.Now, Stmts: stmts},
		postcodes: &postcode.Service{DB: d.DB},
		staffing:  &staffing.Service{DB: d.DB, Now: d.Now},
		registers: &register.Service{DB: d.DB, Now: d.Now},
		opendata:  &opendata.Publisher{DB: d.DB, BaseURL: strings.TrimRight(d.Config.BaseURL, "/"), Now: d.Now},
		registry:  prometheus.NewRegistry(),
		limiter:   &ratelimit.Limiter{DB: d.DB, Now: d.Now},
	}
	// Raising a capacity (or adding staff) fills freed places from the waiting list.
	s.timetable.Promote = s.bookings.FillFreedPlaces
	// Withdrawn consent, or a corrected date of birth, cancels the bookings
	// the young person may no longer hold.
	s.accounts.CancelBookings = func(ctx context.Context, tx *sqlx.Tx, youngPersonID string) ([]string, error) {
		cancelled, err := s.bookings.CancelIneligible(ctx, tx, youngPersonID)
		out := make([]string, len(cancelled))
		for i, c := range cancelled {
			out[i] = c.String()
		}
		return out, err
	}
	s.staffing.Promote = s.bookings.FillFreedPlaces
	s.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(d.DB.DB, "youthhub"))
	tileOrigin := ""
	if i := strings.Index(d.Config.TileURL, "://"); i > 0 {
		rest := d.Config.TileURL[i+3:]
		if j := strings.Index(rest, "/"); j > 0 {
			rest = rest[:j]
		}
		rest = strings.NewReplacer("{s}.", "*.", "{s}", "*").Replace(rest)
		tileOrigin = d.Config.TileURL[:i+3] + rest
	}
	app := web.New(web.Options{
		Log: d.Log, BodyLimit: d.Config.BodyLimitBytes, RequestTimeout: d.Config.RequestTimeout,
		HSTS: d.Config.SecureCookies, TileOrigin: tileOrigin, Metrics: web.NewMetrics(s.registry),
	})
	s.mount(app)
	return app, s
}

func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		return c.Status(http.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "database": "unreachable"})
	}
	ok, err := postgres.AtHead(ctx, s.db.DB)
	if err != nil || !ok {
		return c.Status(http.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "database": "migrations pending"})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

func (s *Server) metrics() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
}

// serveSPA serves the built frontend's files and falls back to index.html
// for every other non-API path, so client-side routes load on refresh.
func (s *Server) serveSPA(c *fiber.Ctx) error {
	if s.spa == nil {
		return fiber.ErrNotFound
	}
	p := strings.TrimPrefix(c.Path(), "/")
	if strings.HasPrefix(p, "api/") {
		return fiber.ErrNotFound
	}
	if p != "" && p != "index.html" && !strings.HasSuffix(p, "/") {
		if b, err := fs.ReadFile(s.spa, p); err == nil {
			if strings.HasPrefix(p, "assets/") {
				c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
			}
			c.Type(extOf(p))
			return c.Send(b)
		}
	}
	b := s.spaIndex()
	if b == nil {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Type("html", "utf-8")
	if p != "index.html" && !isSPAPage(c.Path()) {
		c.Status(fiber.StatusNotFound)
	}
	return c.Send(b)
}

// spaIndex is the SPA's index.html with the settings it reads at run time
// as meta tags: the map tiles' URL template and attribution (TILE_URL,
// TILE_ATTRIBUTION), the same URL the Content-Security-Policy allows images
// from. Built once; nil without an index.html.
func (s *Server) spaIndex() []byte {
	s.indexOnce.Do(func() {
		b, err := fs.ReadFile(s.spa, "index.html")
		if err != nil {
			return
		}
		meta := `<meta name="youthhub:tile-url" content="` + html.EscapeString(s.cfg.TileURL) + `">` +
			`<meta name="youthhub:tile-attribution" content="` + html.EscapeString(s.cfg.TileAttribution) + `">`
		s.index = bytes.Replace(b, []byte("</head>"), []byte(meta+"</head>"), 1)
	})
	return s.index
}

func extOf(p string) string {
	if i := strings.LastIndex(p, "."); i >= 0 {
		return p[i+1:]
	}
	return "html"
}

// MarkNoShows closes the registers of sessions that ended more than an hour
// ago (register.CloseRegisters): confirmed bookings with no present, late or
// left mark become no-shows. It returns how many did. The server's
// background loop runs it; it is exported for tests.
func (s *Server) MarkNoShows(ctx context.Context) (int64, error) {
	c, err := s.registers.CloseRegisters(ctx, s.now())
	return c.NoShows, err
}
