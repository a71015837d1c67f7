package api

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/netip"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"youthhub/internal/account"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/ratelimit"
	"youthhub/internal/platform/web"
)

// refreshCookie is the refresh token's cookie: the __Host- prefix pins it
// to this host and path, HttpOnly keeps it from scripts.
const refreshCookie = "__Host-youthhub_refresh"

// deviceCookie marks a browser that has signed in to an account: a random
// id and an HMAC of it with the account's address (JWT keys, domain
// separated). It holds nothing personal and grants nothing but being
// counted apart by the sign-in limits.
const deviceCookie = "__Host-youthhub_device"

func deviceMAC(key []byte, id, email string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("youthhub-device|" + id + "|" + strings.ToLower(strings.TrimSpace(email))))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// knownDevice is the id of this browser when it has signed in to email
// before (its cookie checks out with one of the JWT keys), or "".
func (s *Server) knownDevice(c *fiber.Ctx, email string) string {
	id, mac, ok := strings.Cut(c.Cookies(deviceCookie), ".")
	if !ok || len(id) != 22 {
		return ""
	}
	for _, key := range s.cfg.JWTKeys {
		if hmac.Equal([]byte(mac), []byte(deviceMAC(key, id, email))) {
			return id
		}
	}
	return ""
}

// rememberDevice marks this browser as one that has signed in to email, for a year.
func (s *Server) rememberDevice(c *fiber.Ctx, email string) error {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	c.Cookie(&fiber.Cookie{Name: deviceCookie, Value: id + "." + deviceMAC(s.cfg.JWTKeys[s.cfg.JWTActiveKID], id, email),
		Path: "/", HTTPOnly: true, Secure: true, SameSite: fiber.CookieSameSiteStrictMode, MaxAge: 365 * 24 * 3600})
	return nil
}

type userDTO struct {
	ID        string  `json:"id"`
	Role      string  `json:"role"`
	CouncilID *string `json:"council_id"`
	FirstName string  `json:"first_name"`
}

type tokenDTO struct {
	AccessToken     string  `json:"access_token"`
	TokenType       string  `json:"token_type"`
	ExpiresIn       int     `json:"expires_in"`
	User            userDTO `json:"user"`
	ConsentRequired *bool   `json:"consent_required,omitempty"`
}

func (s *Server) startSession(c *fiber.Ctx, u account.User, refresh string) (tokenDTO, error) {
	access, err := s.signer.Issue(u.ID, u.Role)
	if err != nil {
		return tokenDTO{}, err
	}
	s.setRefreshCookie(c, refresh, s.cfg.RefreshTokenTTL)
	web.NoStore(c)
	return tokenDTO{
		AccessToken: access, TokenType: "Bearer", ExpiresIn: int(s.signer.TTL().Seconds()),
		User: userDTO{ID: u.ID, Role: string(u.Role), CouncilID: u.CouncilID, FirstName: u.FirstName},
	}, nil
}

// signIn starts a new session for u on this device: a new refresh-token
// family in the cookie, and an access token in the answer.
func (s *Server) signIn(c *fiber.Ctx, u account.User) (tokenDTO, error) {
	refresh, err := s.accounts.IssueRefresh(c.UserContext(), u.ID)
	if err != nil {
		return tokenDTO{}, err
	}
	return s.startSession(c, u, refresh)
}

func (s *Server) setRefreshCookie(c *fiber.Ctx, value string, ttl time.Duration) {
	ck := &fiber.Cookie{
		Name: refreshCookie, Value: value, Path: "/", HTTPOnly: true, Secure: true, SameSite: fiber.CookieSameSiteStrictMode,
	}
	if value == "" {
		ck.Expires = time.Unix(1, 0)
		ck.MaxAge = -1
	} else {
		ck.MaxAge = int(ttl.Seconds())
	}
	c.Cookie(ck)
}

// clientIP is the address the request came from (see ratelimit.ClientIP).
// Behind a proxy that is not in TRUSTED_PROXIES, every client would share
// the proxy's address and its limits: the first such request is logged.
func (s *Server) clientIP(c *fiber.Ctx) string {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	// Every X-Forwarded-For line, in order: a proxy may add its own line
	// rather than append to the client's, and the last word is the proxy's.
	var lines []string
	for _, v := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
		lines = append(lines, string(v))
	}
	xff := strings.Join(lines, ",")
	ip := ratelimit.ClientIP(peer, xff, s.cfg.TrustedProxies)
	if xff != "" && ip == ratelimit.ClientIP(peer, "", nil) {
		s.proxyWarning.Do(func() {
			s.log.Warn("a request came through a proxy that TRUSTED_PROXIES does not name: limits per client count the proxy's address for every client behind it",
				"proxy", ip, "trusted_proxies", len(s.cfg.TrustedProxies))
		})
	}
	return ip
}

// The limits per client address on what needs no sign-in.
func (s *Server) signUpRule() ratelimit.Rule {
	return ratelimit.Rule{Bucket: "sign_up", Max: s.cfg.SignUpsPerHour, Window: time.Hour,
		Message: "Too many accounts have been made from this connection in the last hour. Try again later"}
}

func (s *Server) failedSignInRule() ratelimit.Rule {
	return ratelimit.Rule{Bucket: "failed_sign_in", Max: s.cfg.FailedSignInsPer15Min, Window: 15 * time.Minute,
		Message: "Too many failed sign-ins from this connection. Wait 15 minutes and try again"}
}

func (s *Server) resetRequestRule() ratelimit.Rule {
	return ratelimit.Rule{Bucket: "password_reset", Max: s.cfg.ResetRequestsPerHour, Window: time.Hour,
		Message: "Too many password links have been asked for from this connection. Try again later"}
}

func (s *Server) register(c *fiber.Ctx) error {
	var in account.Registration
	if err := web.DecodeOnly(c, &in); err != nil {
		return err
	}
	// The form's format errors are shown with the rest (an unknown postcode,
	// a weak password), not one batch at a time.
	var err error
	if in.Invalid, err = web.FieldErrors(&in); err != nil {
		return err
	}
	// Only a sign-up that would make an account counts towards the limit
	// per client: the SPA has the first page of an under-13's form checked
	// by sending it without the guardian's address, which is refused.
	ip := s.clientIP(c)
	in.BeforeCreate = func(ctx context.Context) error { return s.limiter.Hit(ctx, s.signUpRule(), ip) }
	reg, err := s.accounts.Register(c.UserContext(), in)
	if err != nil {
		return err
	}
	if err := s.rememberDevice(c, in.Email); err != nil {
		return err
	}
	out, err := s.signIn(c, reg.User)
	if err != nil {
		return err
	}
	out.ConsentRequired = &reg.ConsentRequired
	return c.Status(fiber.StatusCreated).JSON(out)
}

type loginIn struct {
	Email    string `json:"email" validate:"required,max=254"`
	Password string `json:"password" validate:"required,max=256"`
}

func (s *Server) login(c *fiber.Ctx) error {
	var in loginIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	ip := s.clientIP(c)
	// A browser that has signed in to this account before is counted on its
	// own, not with its address (a youth centre's Wi-Fi), and is not locked by
	// guessing from elsewhere: nobody can lock a worker out of their own phone.
	device := s.knownDevice(c, in.Email)
	client := ip
	if device != "" {
		client = "device:" + device
	} else if err := s.limiter.Check(c.UserContext(), s.failedSignInRule(), ip); err != nil {
		return err
	}
	u, err := s.accounts.Login(c.UserContext(), in.Email, in.Password, client, device != "")
	if fault.KindOf(err) == fault.Unauthorized {
		if rerr := s.limiter.Record(c.UserContext(), s.failedSignInRule(), ip); rerr != nil {
			return rerr
		}
	}
	if err != nil {
		return err
	}
	if device == "" {
		if err := s.rememberDevice(c, in.Email); err != nil {
			return err
		}
	}
	out, err := s.signIn(c, u)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (s *Server) refresh(c *fiber.Ctx) error {
	u, next, err := s.accounts.Refresh(c.UserContext(), c.Cookies(refreshCookie))
	if err != nil {
		s.setRefreshCookie(c, "", 0)
		return err
	}
	out, err := s.startSession(c, u, next)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (s *Server) logout(c *fiber.Ctx) error {
	if err := s.accounts.Logout(c.UserContext(), c.Cookies(refreshCookie)); err != nil {
		return err
	}
	s.setRefreshCookie(c, "", 0)
	return c.SendStatus(fiber.StatusNoContent)
}

// signOutEverywhere ends every session of the caller's account, this one
// included.
func (s *Server) signOutEverywhere(c *fiber.Ctx) error {
	if err := s.accounts.EndAllSessions(c.UserContext(), principal(c).UserID); err != nil {
		return err
	}
	s.setRefreshCookie(c, "", 0)
	return c.SendStatus(fiber.StatusNoContent)
}

type resetRequestIn struct {
	Email string `json:"email" validate:"max=254"`
}

type messageDTO struct {
	Message string `json:"message"`
}

// requestPasswordReset answers 202 alike whether or not an account uses the
// address.
func (s *Server) requestPasswordReset(c *fiber.Ctx) error {
	var in resetRequestIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	if err := s.limiter.Hit(c.UserContext(), s.resetRequestRule(), s.clientIP(c)); err != nil {
		return err
	}
	if err := s.accounts.RequestPasswordReset(c.UserContext(), in.Email); err != nil {
		return err
	}
	web.NoStore(c)
	return c.Status(fiber.StatusAccepted).JSON(messageDTO{Message: account.ResetRequested})
}

type resetLinkDTO struct {
	ExpiresAt string `json:"expires_at"`
}

func (s *Server) getPasswordReset(c *fiber.Ctx) error {
	r, err := s.accounts.FindPasswordReset(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(resetLinkDTO{ExpiresAt: localTime(r.ExpiresAt)})
}

type resetIn struct {
	Password string `json:"password" validate:"max=256"`
}

// resetPassword sets the new password and signs the person in here; every
// other session of theirs was signed out.
func (s *Server) resetPassword(c *fiber.Ctx) error {
	var in resetIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	u, err := s.accounts.ResetPassword(c.UserContext(), c.Params("token"), in.Password)
	if err != nil {
		return err
	}
	out, err := s.signIn(c, u)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

type emailLinkDTO struct {
	Email     string `json:"email"`
	ExpiresAt string `json:"expires_at"`
}

// getEmailChange says which address a link would confirm.
func (s *Server) getEmailChange(c *fiber.Ctx) error {
	p, err := s.accounts.FindEmailChange(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(emailLinkDTO{Email: p.Email, ExpiresAt: localTime(p.ExpiresAt)})
}

// confirmEmailChange makes the link's address the account's. It takes the
// link and a sign-in to the account: whoever receives a mistyped address
// cannot take the account with one tap.
func (s *Server) confirmEmailChange(c *fiber.Ctx) error {
	u, err := s.accounts.ConfirmEmailChange(c.UserContext(), c.Params("token"), principal(c).UserID)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(fiber.Map{"email": u.Email})
}

// ForgetPasswordResets deletes long-expired password-reset links, and
// counted requests older than any limit's window; the server's background
// loop runs it hourly.
func (s *Server) ForgetPasswordResets(ctx context.Context) (int64, error) {
	n, err := s.accounts.ForgetPasswordResets(ctx)
	if err != nil {
		return n, err
	}
	m, err := s.limiter.Forget(ctx)
	return n + m, err
}
