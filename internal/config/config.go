// Package config loads and validates youthhub's configuration. It is the only
// reader of the environment.
package config

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultDatabaseURL is the private cluster that `make run` starts under .data/pg.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:54329/youthhub?sslmode=disable"

// Config is every setting the server reads at start.
type Config struct {
	DatabaseURL     string
	Port            int
	BaseURL         string
	JWTKeys         map[string][]byte // kid -> HMAC key
	JWTActiveKID    string
	JWTIssuer       string
	JWTAudience     string
	JWTEphemeral    bool // true when no JWT_KEYS were given and a random key was made
	AccessTokenTTL  time.Duration
	RefreshTokenTTL time.Duration
	SMTPURL         string
	MailFrom        string
	ConsentAge      int
	TicketKey       []byte
	LogLevel        string
	ShutdownTimeout time.Duration
	BodyLimitBytes  int
	DBMaxConns      int
	TileURL         string
	TileAttribution string
	SecureCookies   bool
	RequestTimeout  time.Duration
	DemoDataDir     string
	// TrustedProxies are the load balancers or reverse proxies in front of
	// the server: behind them a client's address is read from
	// X-Forwarded-For. Without them it is the TCP peer.
	TrustedProxies []netip.Prefix
	// Limits per client address (0 switches one off): sign-ups an hour,
	// failed sign-ins in 15 minutes, password-link requests an hour.
	SignUpsPerHour        int
	FailedSignInsPer15Min int
	ResetRequestsPerHour  int
	// WalkInSearchesPerHour limits each member of staff's searches for
	// young people at the door (0 switches it off).
	WalkInSearchesPerHour int
}

// Load reads the configuration through getenv and validates it. The returned
// error lists every bad value, one per line, naming the variable.
func Load(getenv func(string) string) (Config, error) {
	var problems []string
	bad := func(name, msg string) { problems = append(problems, name+": "+msg) }
	str := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	num := func(name string, def, min, max int) int {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < min || n > max {
			bad(name, fmt.Sprintf("must be a whole number from %d to %d, got %q", min, max, v))
			return def
		}
		return n
	}
	dur := func(name string, def time.Duration) time.Duration {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			bad(name, fmt.Sprintf("must be a positive duration such as 15m, got %q", v))
			return def
		}
		return d
	}

	c := Config{
		DatabaseURL:     str("DATABASE_URL", DefaultDatabaseURL),
		Port:            num("PORT", 8080, 1, 65535),
		JWTIssuer:       str("JWT_ISSUER", "youthhub"),
		JWTAudience:     str("JWT_AUDIENCE", "youthhub-api"),
		AccessTokenTTL:  dur("ACCESS_TOKEN_TTL", 15*time.Minute),
		RefreshTokenTTL: dur("REFRESH_TOKEN_TTL", 30*24*time.Hour),
		SMTPURL:         str("SMTP_URL", ""),
		MailFrom:        str("MAIL_FROM", "youthhub <no-reply@youthhub.invalid>"),
		ConsentAge:      num("CONSENT_AGE", 13, 13, 16),
		LogLevel:        str("LOG_LEVEL", "info"),
		ShutdownTimeout: dur("SHUTDOWN_TIMEOUT", 15*time.Second),
		BodyLimitBytes:  num("BODY_LIMIT_BYTES", 64*1024, 1024, 16*1024*1024),
		DBMaxConns:      num("DB_MAX_CONNS", 32, 2, 500),
		TileURL:         str("TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
		TileAttribution: str("TILE_ATTRIBUTION", "© OpenStreetMap contributors"),
		RequestTimeout:  dur("REQUEST_TIMEOUT", 10*time.Second),
		DemoDataDir:     str("DEMO_DATA_DIR", "../shared/data"),
		// A youth club's sign-up evening puts dozens of phones behind one address: generous limits.
		SignUpsPerHour:        num("SIGNUPS_PER_HOUR", 60, 0, 100000),
		FailedSignInsPer15Min: num("FAILED_SIGNINS_PER_15MIN", 50, 0, 100000),
		ResetRequestsPerHour:  num("RESET_REQUESTS_PER_HOUR", 30, 0, 100000),
		WalkInSearchesPerHour: num("WALK_IN_SEARCHES_PER_HOUR", 60, 0, 100000),
	}
	for _, part := range strings.Split(str("TRUSTED_PROXIES", ""), ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			a, aerr := netip.ParseAddr(part)
			if aerr != nil {
				bad("TRUSTED_PROXIES", fmt.Sprintf("each entry must be an IP address or a CIDR range such as 10.0.0.0/8, got %q", part))
				continue
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, p.Masked())
	}
	c.BaseURL = str("BASE_URL", fmt.Sprintf("http://localhost:%d", c.Port))
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("BASE_URL", fmt.Sprintf("must be an http(s) URL such as https://youthhub.example.gov.uk, got %q", c.BaseURL))
	} else {
		c.SecureCookies = u.Scheme == "https"
	}
	if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		bad("DATABASE_URL", "must be a postgres:// URL")
	}
	if c.SMTPURL != "" {
		// The URL holds a password: the messages name what is wrong, never the value.
		const form = "smtps://user:pass@host[:465] (TLS) or smtp://user:pass@host[:587] (STARTTLS)"
		u, err := url.Parse(c.SMTPURL)
		switch {
		case err != nil:
			bad("SMTP_URL", "is not a URL; must be "+form)
		case u.Scheme != "smtp" && u.Scheme != "smtps":
			bad("SMTP_URL", "must start with smtps:// or smtp://, as in "+form)
		case u.Hostname() == "":
			bad("SMTP_URL", "must name the mail server's host, as in "+form)
		case u.Port() != "" && !validPort(u.Port()):
			bad("SMTP_URL", "the port must be a whole number from 1 to 65535")
		case (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "":
			bad("SMTP_URL", "must have nothing after the host and port, as in "+form)
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("LOG_LEVEL", "must be one of debug, info, warn, error")
	}

	// JWT_KEYS: "kid1:base64key,kid2:base64key"; JWT_ACTIVE_KID picks the signing key.
	c.JWTKeys = map[string][]byte{}
	if raw := str("JWT_KEYS", ""); raw != "" {
		for _, part := range strings.Split(raw, ",") {
			kid, b64, ok := strings.Cut(strings.TrimSpace(part), ":")
			key, err := base64.StdEncoding.DecodeString(b64)
			if !ok || kid == "" || err != nil {
				bad("JWT_KEYS", "each entry must be kid:base64key")
				continue
			}
			if len(key) < 32 {
				bad("JWT_KEYS", fmt.Sprintf("key %q must be at least 32 bytes", kid))
				continue
			}
			c.JWTKeys[kid] = key
		}
		c.JWTActiveKID = str("JWT_ACTIVE_KID", "")
		if c.JWTActiveKID == "" && len(c.JWTKeys) == 1 {
			for kid := range c.JWTKeys {
				c.JWTActiveKID = kid
			}
		}
		if _, ok := c.JWTKeys[c.JWTActiveKID]; !ok && len(c.JWTKeys) > 0 {
			bad("JWT_ACTIVE_KID", "must name one of the keys in JWT_KEYS")
		}
	} else {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return c, err
		}
		c.JWTKeys["dev"] = key
		c.JWTActiveKID = "dev"
		c.JWTEphemeral = true
	}

	// TICKET_KEY signs QR tickets; by default derived from the active JWT key.
	if raw := str("TICKET_KEY", ""); raw != "" {
		key, err := base64.StdEncoding.DecodeString(raw)
		if err != nil || len(key) < 32 {
			bad("TICKET_KEY", "must be base64 of at least 32 bytes")
		}
		c.TicketKey = key
	} else {
		c.TicketKey = append([]byte("ticket:"), c.JWTKeys[c.JWTActiveKID]...)
	}

	// A deployment (BASE_URL on https) must keep its keys across restarts
	// and replicas: a random key signs everyone out at each restart, and a
	// ticket key taken from the JWT key makes every QR ticket on young
	// people's phones look forged once the server restarts or the JWT key
	// is rotated.
	if c.SecureCookies {
		if c.JWTEphemeral {
			bad("JWT_KEYS", "must be set when BASE_URL is https: with a random key every restart signs everyone out and every QR ticket looks forged")
		}
		if str("TICKET_KEY", "") == "" {
			bad("TICKET_KEY", "must be set when BASE_URL is https, so that QR tickets keep working when the JWT keys are rotated")
		}
	}

	if len(problems) > 0 {
		return c, errors.New("configuration is not valid:\n  " + strings.Join(problems, "\n  "))
	}
	return c, nil
}

func validPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= 65535
}
