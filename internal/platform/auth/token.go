package auth

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Role is what a user may do.
type Role string

// The roles of DESIGN.md §2.
const (
	YoungPerson    Role = "young_person"
	Guardian       Role = "guardian"
	YouthWorker    Role = "youth_worker"
	CentreManager  Role = "centre_manager"
	CouncilOfficer Role = "council_officer"
	Admin          Role = "admin"
)

// Staff roles belong to one council.
var Staff = []Role{YouthWorker, CentreManager, CouncilOfficer}

// IsStaff reports whether r is a council staff role.
func (r Role) IsStaff() bool { return slices.Contains(Staff, r) }

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return slices.Contains([]Role{YoungPerson, Guardian, YouthWorker, CentreManager, CouncilOfficer, Admin}, r)
}

// Claims are the access token's claims. The token says who the user is; their
// current role and council are read from the database on each request.
type Claims struct {
	Role string `json:"role"`
	Use  string `json:"use"`
	jwt.RegisteredClaims
}

// Signer issues and verifies access tokens (HS256, with a key id so keys can
// rotate: every configured key verifies, the active one signs).
type Signer struct {
	keys     map[string][]byte
	active   string
	issuer   string
	audience string
	ttl      time.Duration
	now      func() time.Time
}

// NewSigner makes a Signer. now is injectable for tests.
func NewSigner(keys map[string][]byte, active, issuer, audience string, ttl time.Duration, now func() time.Time) *Signer {
	return &Signer{keys: keys, active: active, issuer: issuer, audience: audience, ttl: ttl, now: now}
}

// TTL is the access tokens' lifetime.
func (s *Signer) TTL() time.Duration { return s.ttl }

// Issue signs an access token for user id with role.
func (s *Signer) Issue(userID string, role Role) (string, error) {
	now := s.now()
	c := Claims{
		Role: string(role),
		Use:  "access",
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.issuer,
			Subject:   userID,
			Audience:  jwt.ClaimStrings{s.audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-30 * time.Second)),
			ExpiresAt: jwt.NewNumericDate(now.Add(s.ttl)),
			ID:        uuid.NewString(),
		},
	}
	t := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
	t.Header["kid"] = s.active
	return t.SignedString(s.keys[s.active])
}

// ErrBadToken is any token that does not verify.
var ErrBadToken = errors.New("auth: invalid token")

// Verify checks signature (HS256 only), kid, issuer, audience, expiry and
// use, and returns the user id.
func (s *Signer) Verify(raw string) (string, error) {
	sub, _, err := s.VerifyRole(raw)
	return sub, err
}

// VerifyRole is Verify that also returns the role the token was issued for.
// The role claim is only a hint: routes that trust it re-check the role in
// their own SQL.
func (s *Signer) VerifyRole(raw string) (string, Role, error) {
	a, err := s.VerifyAccess(raw)
	return a.UserID, a.Role, err
}

// Access is what a verified access token says.
type Access struct {
	UserID   string
	Role     Role
	IssuedAt time.Time // whole seconds
}

// VerifyAccess is Verify that returns the token's user, role and issue time
// (to refuse tokens issued before the user's sessions were ended).
func (s *Signer) VerifyAccess(raw string) (Access, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(raw, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		key, ok := s.keys[kid]
		if !ok {
			return nil, fmt.Errorf("unknown kid")
		}
		return key, nil
	},
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(s.issuer),
		jwt.WithAudience(s.audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(s.now),
	)
	if err != nil {
		return Access{}, fmt.Errorf("%w: %v", ErrBadToken, err)
	}
	if c.Use != "access" {
		return Access{}, fmt.Errorf("%w: not an access token", ErrBadToken)
	}
	if _, err := uuid.Parse(c.Subject); err != nil {
		return Access{}, fmt.Errorf("%w: subject", ErrBadToken)
	}
	if c.IssuedAt == nil {
		return Access{}, fmt.Errorf("%w: no iat", ErrBadToken)
	}
	return Access{UserID: c.Subject, Role: Role(c.Role), IssuedAt: c.IssuedAt.Time}, nil
}
