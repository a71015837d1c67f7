// Package web holds the domain-free HTTP plumbing: the Fiber app with its one
// error handler (RFC 9457 problem+json), request ids, access logging, metrics,
// security headers and strict JSON decoding.
package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"youthhub/internal/platform/fault"
)

// Options configures the app.
type Options struct {
	Log            *slog.Logger
	BodyLimit      int
	RequestTimeout time.Duration
	HSTS           bool
	TileOrigin     string // extra img-src origin for map tiles, e.g. https://tile.openstreetmap.org
	Metrics        *Metrics
}

// Locals keys.
const (
	LocalRequestID = "request_id"
	LocalUserID    = "user_id"
)

// New builds the Fiber app with the shared middleware in place.
func New(o Options) *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:               "youthhub",
		BodyLimit:             o.BodyLimit,
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
		ErrorHandler:          ErrorHandler(o.Log),
		StrictRouting:         false,
		CaseSensitive:         true,
	})
	// Compression matters on mobile data: the SPA's scripts and the coverage
	// GeoJSON shrink several times; the fastest level keeps the CPU cost low.
	app.Use(requestID, accessLog(o.Log, o.Metrics), securityHeaders(o.HSTS, o.TileOrigin), deadline(o.RequestTimeout), refuseNUL,
		compress.New(compress.Config{Level: compress.LevelBestSpeed}))
	return app
}

func requestID(c *fiber.Ctx) error {
	id := c.Get("X-Request-Id")
	if id == "" || len(id) > 64 || strings.ContainsAny(id, "\r\n\"") {
		id = uuid.NewString()
	} else {
		id = strings.Clone(id)
	}
	c.Locals(LocalRequestID, id)
	c.Set("X-Request-Id", id)
	return c.Next()
}

// deadline gives each request's UserContext a timeout.
func deadline(d time.Duration) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		c.SetUserContext(ctx)
		return c.Next()
	}
}

func securityHeaders(hsts bool, tileOrigin string) fiber.Handler {
	img := "'self' data: blob:"
	if tileOrigin != "" {
		img += " " + tileOrigin
	}
	csp := "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + img +
		"; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	return func(c *fiber.Ctx) error {
		c.Set("Content-Security-Policy", csp)
		c.Set("X-Content-Type-Options", "nosniff")
		c.Set("X-Frame-Options", "DENY")
		c.Set("Referrer-Policy", "no-referrer")
		c.Set("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
		c.Set("Cross-Origin-Opener-Policy", "same-origin")
		if hsts {
			c.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		return c.Next()
	}
}

// accessLog writes one line per request and records metrics. It never logs
// bodies, query strings, tokens or personal data: only the route pattern.
func accessLog(log *slog.Logger, m *Metrics) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		if err != nil {
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		status := c.Response().StatusCode()
		route := c.Route().Path
		if route == "/" && c.Path() != "/" {
			route = "(spa)"
		}
		d := time.Since(start)
		// c.Method() is a view of a buffer Fiber reuses for the next
		// request: the metrics keep their labels, so they get a copy.
		method := strings.Clone(c.Method())
		if m != nil {
			m.observe(method, route, status, d)
		}
		attrs := []any{
			"method", method, "route", route, "status", status,
			"duration_ms", float64(d.Microseconds()) / 1000,
			"request_id", c.Locals(LocalRequestID),
		}
		if uid, ok := c.Locals(LocalUserID).(string); ok {
			attrs = append(attrs, "user_id", uid)
		}
		log.Info("request", attrs...)
		return nil
	}
}

// Metrics are the Prometheus collectors for HTTP traffic.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics registers the HTTP collectors on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "youthhub_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "youthhub_http_request_duration_seconds", Help: "HTTP request duration by method and route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (m *Metrics) observe(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(d.Seconds())
}

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type      string             `json:"type"`
	Title     string             `json:"title"`
	Status    int                `json:"status"`
	Detail    string             `json:"detail,omitempty"`
	Instance  string             `json:"instance,omitempty"`
	Code      string             `json:"code,omitempty"`
	RequestID string             `json:"request_id,omitempty"`
	Errors    []fault.FieldError `json:"errors,omitempty"`
}

var kindStatus = map[fault.Kind]int{
	fault.Invalid:      fiber.StatusUnprocessableEntity,
	fault.BadRequest:   fiber.StatusBadRequest,
	fault.NotFound:     fiber.StatusNotFound,
	fault.NotAllowed:   fiber.StatusMethodNotAllowed,
	fault.Conflict:     fiber.StatusConflict,
	fault.Unauthorized: fiber.StatusUnauthorized,
	fault.Forbidden:    fiber.StatusForbidden,
	fault.TooMany:      fiber.StatusTooManyRequests,
	fault.Unavailable:  fiber.StatusServiceUnavailable,
	fault.Internal:     fiber.StatusInternalServerError,
}

var statusTitle = map[int]string{
	400: "The request could not be read",
	401: "You need to sign in",
	403: "You do not have permission to do this",
	404: "Not found",
	405: "Method not allowed",
	409: "This cannot be done now",
	413: "The request is too large",
	415: "Send JSON",
	422: "Some of the details need changing",
	429: "Too many attempts",
	500: "Something went wrong",
	503: "The service is busy",
}

// ErrorHandler is the app's one error handler. It turns every error into
// problem+json; 5xx bodies carry only a generic title and the request id, and
// the cause is logged once here.
func ErrorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		status, body := RenderProblem(c, log, err)
		c.Status(status)
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Set(fiber.HeaderContentType, "application/problem+json")
		return c.Send(body)
	}
}

// RenderProblem turns err into a problem+json status and body, setting
// Retry-After when the error carries one. 5xx causes are logged here, once.
func RenderProblem(c *fiber.Ctx, log *slog.Logger, err error) (int, []byte) {
	p := Problem{Status: fiber.StatusInternalServerError}
	var fe *fiber.Error
	if e, ok := fault.As(err); ok {
		p.Status = kindStatus[e.Kind]
		if p.Status == 0 {
			p.Status = fiber.StatusInternalServerError
		}
		if p.Status < 500 || e.Kind == fault.Unavailable {
			p.Detail = e.Message
			p.Code = e.Code
			p.Errors = e.Fields
		}
		if e.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(e.RetryAfter))
		}
	} else if errors.As(err, &fe) {
		p.Status = fe.Code
		if fe.Code == fiber.StatusRequestEntityTooLarge {
			p.Detail = fmt.Sprintf("The request body must be %d KB or less", c.App().Config().BodyLimit/1024)
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		p.Status = fiber.StatusServiceUnavailable
	}
	p.Title = statusTitle[p.Status]
	if p.Title == "" {
		p.Title = "Error"
	}
	p.Type = "about:blank"
	if p.Code != "" {
		p.Type = "https://youthhub.invalid/problems/" + p.Code
	}
	p.Instance = c.Path()
	if id, ok := c.Locals(LocalRequestID).(string); ok {
		p.RequestID = id
	}
	if p.Status >= 500 {
		log.Error("request failed", "status", p.Status, "route", c.Route().Path, "request_id", p.RequestID, "error", err.Error())
	}
	b, merr := json.Marshal(p)
	if merr != nil {
		return 500, []byte(`{"type":"about:blank","title":"Something went wrong","status":500}`)
	}
	return p.Status, b
}

// refuseNUL answers 422 to a request whose JSON body or query string holds
// the NUL character: PostgreSQL cannot store it in text, and it has no place
// in a name, a reason or a search.
func refuseNUL(c *fiber.Ctx) error {
	if bytes.Contains(c.Body(), []byte(`\u0000`)) || bytes.Contains(c.Body(), []byte{0}) ||
		bytes.Contains(c.Request().URI().QueryString(), []byte("%00")) || bytes.Contains(c.Request().URI().QueryString(), []byte{0}) {
		return fault.New(fault.Invalid, "Text cannot contain the NUL character (U+0000)")
	}
	return c.Next()
}
