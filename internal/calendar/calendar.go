// Package calendar writes iCalendar (RFC 5545) feeds that people subscribe to from
// their calendar apps: a worker's rota or a young person's bookings. It is pure Go and
// uses github.com/arran4/golang-ical for the format (line folding and text escaping).
//
// Times are written in UTC with a Z suffix, so the feed needs no VTIMEZONE and every
// client shows them in its own zone; the Europe/London wall-clock rules live in
// package schedule, which produced the instants.
package calendar

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"
)

// ProductID is the PRODID of every feed.
const ProductID = "-//youthhub//EN"

// Status is the status of an event in a feed.
type Status string

// The statuses a feed writes. Anything other than StatusCancelled, including the empty
// Status, is written as CONFIRMED.
const (
	StatusConfirmed Status = "CONFIRMED"
	StatusCancelled Status = "CANCELLED"
)

// Event is one session in a feed.
type Event struct {
	// UID identifies the event for ever, across feed refreshes (for example
	// "occurrence-1234@youthhub"); it must not be empty or change, or calendar apps
	// show duplicates.
	UID         string
	Summary     string
	Description string
	Location    string
	StartsAt    time.Time
	EndsAt      time.Time
	// Status is StatusConfirmed or StatusCancelled; a cancelled event stays in the
	// feed so that apps that already hold it learn of the cancellation.
	Status Status
	// URL links to the session's page; empty for none.
	URL string
	// Updated is when the event last changed; it becomes DTSTAMP and LAST-MODIFIED.
	// The zero time is written as the Unix epoch, because DTSTAMP is required.
	Updated time.Time
}

// Feed returns an iCalendar stream named name (shown by apps as the calendar's title)
// holding events in the order given: METHOD:PUBLISH, UTC times, CRLF line endings,
// lines folded at 75 octets and text escaped as RFC 5545 requires. Control characters
// other than line breaks and tabs are dropped from text, and URLs lose any whitespace
// or control characters. The output depends only on its arguments, so the same data
// gives the same bytes (useful for ETags).
func Feed(name string, events []Event) []byte {
	cal := ics.NewCalendarFor("youthhub")
	cal.SetProductId(ProductID)
	cal.SetVersion("2.0")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(cleanText(name))
	cal.SetXWRCalName(cleanText(name))

	for _, e := range events {
		ev := cal.AddEvent(cleanText(e.UID))
		stamp := e.Updated
		if stamp.IsZero() {
			stamp = time.Unix(0, 0)
		}
		ev.SetDtStampTime(stamp)
		if !e.Updated.IsZero() {
			ev.SetModifiedAt(e.Updated)
		}
		ev.SetStartAt(e.StartsAt)
		ev.SetEndAt(e.EndsAt)
		ev.SetSummary(cleanText(e.Summary))
		if e.Description != "" {
			ev.SetDescription(cleanText(e.Description))
		}
		if e.Location != "" {
			ev.SetLocation(cleanText(e.Location))
		}
		if e.Status == StatusCancelled {
			ev.SetStatus(ics.ObjectStatusCancelled)
		} else {
			ev.SetStatus(ics.ObjectStatusConfirmed)
		}
		if u := cleanURL(e.URL); u != "" {
			ev.SetURL(u)
		}
	}

	var b bytes.Buffer
	// Writing to a bytes.Buffer cannot fail, and the options are constants.
	_ = cal.SerializeTo(&b, ics.WithNewLineWindows)
	return b.Bytes()
}

// cleanText makes s safe for a TEXT value: line breaks become "\n" (which the library
// escapes), and other control characters except tab are dropped, since a bare CR would
// end the content line early.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
}

// cleanURL drops whitespace and control characters, which cannot appear in a URI.
func cleanURL(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// SubscriptionSecret returns a new random secret for a calendar subscription URL: 32
// bytes from crypto/rand, base64url-encoded without padding (43 characters, safe in a
// URL path). It returns an error only if the system's random source fails.
func SubscriptionSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("calendar: subscription secret: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
