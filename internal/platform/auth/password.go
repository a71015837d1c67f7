// Package auth holds the domain-free parts of authentication: password
// hashing, access tokens, opaque secrets and roles.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/nbutton23/zxcvbn-go"
	"github.com/nbutton23/zxcvbn-go/frequency"
	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's minimum (m=19 MiB, t=2, p=1).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the shortest password we accept; there are no
// composition rules (NCSC and NIST guidance).
const MinPasswordLength = 12

var commonPasswords = func() map[string]struct{} {
	m := make(map[string]struct{}, 8000)
	for _, w := range frequency.Lists["Passwords"].List {
		m[strings.ToLower(w)] = struct{}{}
	}
	return m
}()

// CheckPassword returns a message a person understands when pw is too short,
// too long, or too easy to guess (on a list of common passwords, a common
// password with digits added, or guessable by zxcvbn). userInputs are the
// person's own details (name, email), which must not make up the password.
func CheckPassword(pw string, userInputs ...string) string {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLength {
		return fmt.Sprintf("Password must be %d characters or more", MinPasswordLength)
	}
	if len(pw) > 256 {
		return "Password must be 256 characters or fewer"
	}
	lower := strings.ToLower(pw)
	stripped := strings.TrimRight(lower, "0123456789!?.*#@$%&-_ ")
	stripped = strings.TrimLeft(stripped, "0123456789!?.*#@$%&-_ ")
	if _, ok := commonPasswords[lower]; ok {
		return "This password is too common. Try three random words"
	}
	if _, ok := commonPasswords[stripped]; ok || stripped == "" {
		return "This password is too common. Try three random words"
	}
	if zxcvbn.PasswordStrength(pw, userInputs).Score < 2 {
		return "This password is too easy to guess. Try three random words"
	}
	return ""
}

// HashPassword hashes pw with argon2id and a random salt, in the PHC string
// format so parameters can change later.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// ErrBadHash reports a stored hash we cannot read.
var ErrBadHash = errors.New("auth: unreadable password hash")

// VerifyPassword reports whether pw matches the PHC-format hash.
func VerifyPassword(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, ErrBadHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, ErrBadHash
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, ErrBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against when the account does not exist, so that an
// unknown email and a wrong password take the same time.
var dummyHash, _ = HashPassword("not-a-real-password-for-timing")

// VerifyDummy spends the same work as VerifyPassword on nothing.
func VerifyDummy(pw string) { _, _ = VerifyPassword(dummyHash, pw) }

// NewSecret returns a random URL-safe secret (32 bytes) and its SHA-256 hash,
// which is all the database keeps.
func NewSecret() (secret string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret), nil
}

// HashSecret is the SHA-256 of an opaque secret.
func HashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}
