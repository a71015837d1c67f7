package register

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestCheck(t *testing.T) {
	now := time.Date(2026, 3, 3, 18, 30, 0, 0, time.UTC)
	o := Occurrence{StartsAt: time.Date(2026, 3, 3, 18, 0, 0, 0, time.UTC), EndsAt: time.Date(2026, 3, 3, 19, 30, 0, 0, time.UTC)}
	cid, yp := uuid.NewString(), uuid.NewString()
	at := "2026-03-03T18:05:00Z"
	mk := func(status, rec, in, out string) MarkInput {
		return MarkInput{ClientID: cid, YoungPersonID: yp, Status: status, RecordedAt: rec, CheckedInAt: in, CheckedOutAt: out}
	}
	cases := []struct {
		name     string
		in       MarkInput
		code     string // "" when accepted
		in2, out string // expected check-in and check-out times once filled in
	}{
		{"present checks in when recorded", mk("present", at, "", ""), "", at, ""},
		{"late keeps its own check-in", mk("late", at, "2026-03-03T18:04:00Z", ""), "", "2026-03-03T18:04:00Z", ""},
		{"left checks out when recorded", mk("left", at, "2026-03-03T18:01:00Z", ""), "", "2026-03-03T18:01:00Z", at},
		{"left without a check-in", mk("left", at, "", ""), "", "", at},
		{"absent", mk("absent", at, "", ""), "", "", ""},
		{"offset times", mk("present", "2026-03-03T18:05:00+00:00", "", ""), "", at, ""},
		{"present with a check-out", mk("present", at, "", at), CodeInvalid, "", ""},
		{"absent with a check-in", mk("absent", at, at, ""), CodeInvalid, "", ""},
		{"out before in", mk("left", at, "2026-03-03T18:06:00Z", "2026-03-03T18:02:00Z"), CodeInvalid, "", ""},
		{"unknown status", mk("here", at, "", ""), CodeInvalid, "", ""},
		{"no time", mk("present", "", "", ""), CodeInvalid, "", ""},
		{"no offset", mk("present", "2026-03-03T18:05:00", "", ""), CodeInvalid, "", ""},
		{"bad client id", MarkInput{ClientID: "1", YoungPersonID: yp, Status: "present", RecordedAt: at}, CodeInvalid, "", ""},
		{"bad young person", MarkInput{ClientID: cid, YoungPersonID: "me", Status: "present", RecordedAt: at}, CodeInvalid, "", ""},
		{"within the clock skew", mk("present", "2026-03-03T18:34:59Z", "", ""), "", "2026-03-03T18:34:59Z", ""},
		{"beyond the clock skew", mk("present", "2026-03-03T18:35:01Z", "", ""), CodeFuture, "", ""},
		{"check-out in the future", mk("left", at, "", "2026-03-03T19:00:00Z"), CodeFuture, "", ""},
		{"as the register opens", mk("present", "2026-03-03T16:00:00Z", "", ""), "", "2026-03-03T16:00:00Z", ""},
		{"before the register opens", mk("present", "2026-03-03T15:59:59Z", "", ""), CodeTooEarly, "", ""},
	}
	stamp := func(p *time.Time) string {
		if p == nil {
			return ""
		}
		return p.UTC().Format(time.RFC3339)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, bad := Check(c.in, o, now)
			if c.code != "" {
				if bad == nil || bad.Code != c.code || bad.Outcome != Refused || bad.Reason == "" {
					t.Fatalf("got %+v, want refusal %s", bad, c.code)
				}
				return
			}
			if bad != nil {
				t.Fatalf("refused: %+v", bad)
			}
			if stamp(m.CheckedInAt) != c.in2 || stamp(m.CheckedOutAt) != c.out || m.ClientID != cid {
				t.Fatalf("in %s out %s, want %s %s", stamp(m.CheckedInAt), stamp(m.CheckedOutAt), c.in2, c.out)
			}
		})
	}
}

// A register put right after the session (absent corrected to present three
// days later) says they came, at the session's times, not when it was typed.
func TestCheckAfterTheSession(t *testing.T) {
	o := Occurrence{StartsAt: time.Date(2026, 3, 3, 18, 0, 0, 0, time.UTC), EndsAt: time.Date(2026, 3, 3, 19, 30, 0, 0, time.UTC)}
	now := time.Date(2026, 3, 6, 5, 0, 0, 0, time.UTC)
	rec := now.Format(time.RFC3339)
	in := func(status, checkedIn string) MarkInput {
		return MarkInput{ClientID: uuid.NewString(), YoungPersonID: uuid.NewString(), Status: status, RecordedAt: rec, CheckedInAt: checkedIn}
	}
	m, bad := Check(in("present", ""), o, now)
	if bad != nil || !m.CheckedInAt.Equal(o.StartsAt) {
		t.Fatalf("present, typed later: %+v %+v", m, bad)
	}
	m, bad = Check(in("left", "2026-03-03T18:10:00Z"), o, now)
	if bad != nil || !m.CheckedOutAt.Equal(o.EndsAt) || !m.CheckedInAt.Equal(time.Date(2026, 3, 3, 18, 10, 0, 0, time.UTC)) {
		t.Fatalf("left, typed later: %+v %+v", m, bad)
	}
	m, bad = Check(in("late", "2026-03-03T18:20:00Z"), o, now)
	if bad != nil || !m.CheckedInAt.Equal(time.Date(2026, 3, 3, 18, 20, 0, 0, time.UTC)) {
		t.Fatalf("late with its own time: %+v %+v", m, bad)
	}
}

func TestOccurrenceLock(t *testing.T) {
	end := time.Date(2026, 3, 3, 19, 30, 0, 0, time.UTC)
	o := Occurrence{EndsAt: end, BookingMode: "bookable", Places: 10, ConfirmedCount: 12}
	if o.Locked(end.Add(LockAfter)) || !o.Locked(end.Add(LockAfter+time.Second)) {
		t.Fatal("the register must lock exactly 7 days after the end")
	}
	if n := o.SpacesLeft(); n == nil || *n != 0 {
		t.Fatalf("spaces left %v", n)
	}
	o.BookingMode = "drop_in"
	if o.SpacesLeft() != nil {
		t.Fatal("a drop-in session has no places to count")
	}
}
