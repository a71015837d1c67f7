// Package ticket signs and checks the QR tickets of confirmed bookings. A
// ticket names one booking at one occurrence and carries an HMAC, so it can
// be checked at the door without a database lookup and cannot be forged or
// moved to another session. A short code derived from the same MAC is the
// typed fallback when a camera fails.
package ticket

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"strings"

	"github.com/google/uuid"
)

const prefix = "YH1"

// Signer makes and checks tickets with one secret key.
type Signer struct{ key []byte }

// NewSigner returns a Signer for key (at least 32 bytes).
func NewSigner(key []byte) *Signer { return &Signer{key: key} }

func (s *Signer) mac(bookingID, occurrenceID uuid.UUID) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(prefix))
	m.Write(bookingID[:])
	m.Write(occurrenceID[:])
	return m.Sum(nil)
}

// Token returns the QR payload for a booking at an occurrence.
func (s *Signer) Token(bookingID, occurrenceID string) string {
	b, o := uuid.MustParse(bookingID), uuid.MustParse(occurrenceID)
	enc := base64.RawURLEncoding
	return prefix + "." + enc.EncodeToString(b[:]) + "." + enc.EncodeToString(o[:]) + "." + enc.EncodeToString(s.mac(b, o)[:16])
}

var shortEnc = base32.NewEncoding("ABCDEFGHJKLMNPQRSTUVWXYZ23456789").WithPadding(base32.NoPadding)

// ShortCode is an 8-character code for typing at the door (no 0/O or 1/I).
func (s *Signer) ShortCode(bookingID, occurrenceID string) string {
	b, o := uuid.MustParse(bookingID), uuid.MustParse(occurrenceID)
	return shortEnc.EncodeToString(s.mac(b, o)[16:21])
}

// Errors from Parse.
var (
	ErrMalformed = errors.New("ticket: not a youthhub ticket")
	ErrForged    = errors.New("ticket: signature does not match")
)

// Parse checks a ticket's signature and returns the booking and occurrence
// ids it names.
func (s *Signer) Parse(token string) (bookingID, occurrenceID string, err error) {
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 4 || parts[0] != prefix {
		return "", "", ErrMalformed
	}
	enc := base64.RawURLEncoding
	bb, err1 := enc.DecodeString(parts[1])
	ob, err2 := enc.DecodeString(parts[2])
	mac, err3 := enc.DecodeString(parts[3])
	if err1 != nil || err2 != nil || err3 != nil || len(bb) != 16 || len(ob) != 16 || len(mac) != 16 {
		return "", "", ErrMalformed
	}
	b, _ := uuid.FromBytes(bb)
	o, _ := uuid.FromBytes(ob)
	if !hmac.Equal(mac, s.mac(b, o)[:16]) {
		return "", "", ErrForged
	}
	return b.String(), o.String(), nil
}
