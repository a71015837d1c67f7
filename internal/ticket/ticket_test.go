package ticket

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestTicketRoundTripAndForgery(t *testing.T) {
	s := NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	b, o := uuid.NewString(), uuid.NewString()
	tok := s.Token(b, o)
	gb, gorr, err := s.Parse(tok)
	if err != nil || gb != b || gorr != o {
		t.Fatalf("parse: %v %v %v", gb, gorr, err)
	}
	other := uuid.MustParse(uuid.NewString())
	parts := strings.Split(tok, ".")
	moved := strings.Join([]string{parts[0], parts[1], encode(other[:]), parts[3]}, ".")
	cases := map[string]struct {
		tok  string
		want error
	}{
		"moved to another session": {moved, ErrForged},
		"other key":                {NewSigner([]byte("another key another key another k")).Token(b, o), ErrForged},
		"garbage":                  {"hello", ErrMalformed},
		"truncated":                {tok[:len(tok)-3], ErrMalformed},
	}
	for name, c := range cases {
		if _, _, err := s.Parse(c.tok); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	code := s.ShortCode(b, o)
	if len(code) != 8 || strings.ContainsAny(code, "01IO") {
		t.Fatalf("short code %q", code)
	}
	if code == s.ShortCode(uuid.NewString(), o) {
		t.Fatal("two bookings share a short code")
	}
}

func encode(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
