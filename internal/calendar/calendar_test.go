package calendar

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

var (
	start   = time.Date(2027, time.March, 28, 17, 0, 0, 0, time.UTC) // 18:00 BST
	end     = start.Add(90 * time.Minute)
	updated = time.Date(2027, time.March, 1, 9, 30, 0, 0, time.UTC)
)

func sampleEvents() []Event {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return []Event{
		{
			UID:         "occurrence-1@youthhub",
			Summary:     "Tuesday football, ages 11–16; bring boots, shin pads, water, and a coat if it rains, because we play outside",
			Description: "Meet at the front desk.\r\nParents: pick up at 19:30, please.",
			Location:    "Riverside Youth Centre, 1 High St, Anytown",
			StartsAt:    start.In(london),
			EndsAt:      end.In(london),
			Status:      StatusConfirmed,
			URL:         "https://youthhub.example/sessions/1?week=13",
			Updated:     updated,
		},
		{
			UID:      "occurrence-2@youthhub",
			Summary:  "Art club",
			StartsAt: start.AddDate(0, 0, 7),
			EndsAt:   end.AddDate(0, 0, 7),
			Status:   StatusCancelled,
			Updated:  updated,
		},
	}
}

func parse(t *testing.T, feed []byte) *ics.Calendar {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(feed))
	if err != nil {
		t.Fatalf("ParseCalendar: %v\n%s", err, feed)
	}
	return cal
}

func calendarProperty(cal *ics.Calendar, name string) (string, bool) {
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == name {
			return p.Value, true
		}
	}
	return "", false
}

func eventProperty(t *testing.T, e *ics.VEvent, p ics.ComponentProperty) string {
	t.Helper()
	prop := e.GetProperty(p)
	if prop == nil {
		t.Fatalf("event %s has no %s", e.Id(), p)
	}
	return prop.Value
}

func TestFeedRoundTrip(t *testing.T) {
	t.Parallel()
	events := sampleEvents()
	cal := parse(t, Feed("Riverside rota, Alex", events))

	for name, want := range map[string]string{
		"PRODID":       "-//youthhub//EN",
		"VERSION":      "2.0",
		"METHOD":       "PUBLISH",
		"CALSCALE":     "GREGORIAN",
		"X-WR-CALNAME": "Riverside rota, Alex",
		"NAME":         "Riverside rota, Alex",
	} {
		if got, ok := calendarProperty(cal, name); !ok || got != want {
			t.Errorf("%s = %q (present %v), want %q", name, got, ok, want)
		}
	}

	got := cal.Events()
	if len(got) != len(events) {
		t.Fatalf("got %d events, want %d", len(got), len(events))
	}
	for i, e := range events {
		g := got[i]
		if g.Id() != e.UID {
			t.Errorf("event %d UID = %q, want %q", i, g.Id(), e.UID)
		}
		if s := eventProperty(t, g, ics.ComponentPropertySummary); s != e.Summary {
			t.Errorf("event %d SUMMARY = %q, want %q", i, s, e.Summary)
		}
		st, err := g.GetStartAt()
		if err != nil || !st.Equal(e.StartsAt) {
			t.Errorf("event %d DTSTART = %v, %v; want %v", i, st, err, e.StartsAt)
		}
		en, err := g.GetEndAt()
		if err != nil || !en.Equal(e.EndsAt) {
			t.Errorf("event %d DTEND = %v, %v; want %v", i, en, err, e.EndsAt)
		}
		stamp, err := g.GetDtStampTime()
		if err != nil || !stamp.Equal(e.Updated) {
			t.Errorf("event %d DTSTAMP = %v, %v; want %v", i, stamp, err, e.Updated)
		}
		if s := eventProperty(t, g, ics.ComponentPropertyStatus); s != string(e.Status) {
			t.Errorf("event %d STATUS = %q, want %q", i, s, e.Status)
		}
	}
	first := got[0]
	if d := eventProperty(t, first, ics.ComponentPropertyDescription); d != "Meet at the front desk.\nParents: pick up at 19:30, please." {
		t.Errorf("DESCRIPTION = %q", d)
	}
	if l := eventProperty(t, first, ics.ComponentPropertyLocation); l != events[0].Location {
		t.Errorf("LOCATION = %q", l)
	}
	if u := eventProperty(t, first, ics.ComponentPropertyUrl); u != events[0].URL {
		t.Errorf("URL = %q", u)
	}
	if got[1].GetProperty(ics.ComponentPropertyDescription) != nil || got[1].GetProperty(ics.ComponentPropertyUrl) != nil {
		t.Errorf("empty description and URL should be left out")
	}
}

func TestFeedWireFormat(t *testing.T) {
	t.Parallel()
	feed := Feed("Riverside rota", sampleEvents())
	s := string(feed)

	if !strings.HasPrefix(s, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(s, "END:VCALENDAR\r\n") {
		t.Errorf("feed does not start and end with the VCALENDAR lines:\n%s", s)
	}
	if strings.Count(s, "\n") != strings.Count(s, "\r\n") || strings.Count(s, "\r") != strings.Count(s, "\r\n") {
		t.Errorf("feed has a line ending other than CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	folded := 0
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets, more than 75: %q", i, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 character: %q", i, l)
		}
		if strings.HasPrefix(l, " ") {
			folded++
		}
	}
	if folded == 0 {
		t.Errorf("the long summary was not folded:\n%s", s)
	}

	unfolded := strings.ReplaceAll(s, "\r\n ", "")
	for _, want := range []string{
		`SUMMARY:Tuesday football\, ages 11–16\; bring boots\, shin pads\, water\, and a coat if it rains\, because we play outside` + "\r\n",
		`DESCRIPTION:Meet at the front desk.\nParents: pick up at 19:30\, please.` + "\r\n",
		`LOCATION:Riverside Youth Centre\, 1 High St\, Anytown` + "\r\n",
		"DTSTART:20270328T170000Z\r\n",
		"DTEND:20270328T183000Z\r\n",
		"DTSTAMP:20270301T093000Z\r\n",
		"LAST-MODIFIED:20270301T093000Z\r\n",
		"STATUS:CONFIRMED\r\n",
		"STATUS:CANCELLED\r\n",
		"METHOD:PUBLISH\r\n",
		"PRODID:-//youthhub//EN\r\n",
		"VERSION:2.0\r\n",
		"X-WR-CALNAME:Riverside rota\r\n",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("unfolded feed lacks %q:\n%s", want, unfolded)
		}
	}
	if strings.Contains(s, "VTIMEZONE") || strings.Contains(s, "TZID") {
		t.Errorf("feed should use UTC times only")
	}
}

func TestFeedCleansText(t *testing.T) {
	t.Parallel()
	feed := Feed("Rota\r\nX-INJECTED:1", []Event{{
		UID:      "occurrence-3@youthhub",
		Summary:  "Games\rnight\x00\x1b",
		StartsAt: start,
		EndsAt:   end,
		URL:      "https://youthhub.example/s/3\r\nX-INJECTED:1",
	}})
	s := string(feed)
	if strings.Contains(s, "\r\nX-INJECTED") {
		t.Errorf("a line break in a value started a new property:\n%s", s)
	}
	cal := parse(t, feed)
	if name, _ := calendarProperty(cal, "X-WR-CALNAME"); name != "Rota\nX-INJECTED:1" {
		t.Errorf("X-WR-CALNAME = %q", name)
	}
	e := cal.Events()[0]
	if got := eventProperty(t, e, ics.ComponentPropertySummary); got != "Games\nnight" {
		t.Errorf("SUMMARY = %q", got)
	}
	if got := eventProperty(t, e, ics.ComponentPropertyUrl); got != "https://youthhub.example/s/3X-INJECTED:1" {
		t.Errorf("URL = %q", got)
	}
	if got := eventProperty(t, e, ics.ComponentPropertyStatus); got != "CONFIRMED" {
		t.Errorf("an event with no status has STATUS %q, want CONFIRMED", got)
	}
	if stamp, err := e.GetDtStampTime(); err != nil || !stamp.Equal(time.Unix(0, 0)) {
		t.Errorf("DTSTAMP with no Updated = %v, %v; want the Unix epoch", stamp, err)
	}
	if e.GetProperty(ics.ComponentPropertyLastModified) != nil {
		t.Errorf("LAST-MODIFIED written with no Updated")
	}
}

func TestFeedEmptyAndDeterministic(t *testing.T) {
	t.Parallel()
	empty := Feed("Nothing yet", nil)
	if cal := parse(t, empty); len(cal.Events()) != 0 {
		t.Errorf("empty feed has events")
	}
	if !bytes.Equal(Feed("Rota", sampleEvents()), Feed("Rota", sampleEvents())) {
		t.Errorf("the same events gave different bytes")
	}
}

func TestSubscriptionSecret(t *testing.T) {
	t.Parallel()
	a, err := SubscriptionSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, err := SubscriptionSecret()
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two secrets are equal")
	}
	raw, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil || len(raw) != 32 {
		t.Errorf("secret %q decodes to %d bytes (%v), want 32", a, len(raw), err)
	}
	if len(a) != 43 || strings.ContainsAny(a, "+/=") {
		t.Errorf("secret %q is not 43 URL-safe characters", a)
	}
}

func TestFeedFoldsLongTextWithoutSpaces(t *testing.T) {
	t.Parallel()
	summary := strings.Repeat("Café–Ŵales,", 30)
	feed := Feed("Rota", []Event{{UID: "occurrence-4@youthhub", Summary: summary, StartsAt: start, EndsAt: end}})
	for i, l := range strings.Split(strings.TrimSuffix(string(feed), "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Errorf("line %d is %d octets or splits a character: %q", i, len(l), l)
		}
	}
	if got := eventProperty(t, parse(t, feed).Events()[0], ics.ComponentPropertySummary); got != summary {
		t.Errorf("SUMMARY = %q, want %q", got, summary)
	}
}
