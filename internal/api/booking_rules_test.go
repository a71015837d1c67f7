package api_test

import (
	"strings"
	"testing"
	"time"
)

func (h *H) book(token, occ string) Res {
	h.t.Helper()
	return h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/bookings", Token: token, Body: map[string]any{}})
}

func code(t *testing.T, r Res) string {
	t.Helper()
	c, _ := r.Map(t)["code"].(string)
	return c
}

// TestAgeOnTheDay: a session for 13–16; the person turns 13 on the day of
// the session (eligible) or the day after (not yet), and turns 17 on the
// day (no longer eligible).
func TestAgeOnTheDay(t *testing.T) {
	t.Parallel()
	h := newH(t)
	start := time.Date(2027, 6, 15, 18, 0, 0, 0, london)
	h.Now.Set(start.AddDate(0, 0, -3))
	occ := h.occurrence(occOpts{AgeMin: 13, AgeMax: 16, Starts: start})
	cases := []struct {
		name string
		dob  time.Time
		want int
		code string
	}{
		{"13th birthday on the day", time.Date(2014, 6, 15, 0, 0, 0, 0, time.UTC), 201, ""},
		{"13th birthday the day after", time.Date(2014, 6, 16, 0, 0, 0, 0, time.UTC), 422, "not_eligible_age"},
		{"17th birthday the day after", time.Date(2010, 6, 16, 0, 0, 0, 0, time.UTC), 201, ""},
		{"17th birthday on the day", time.Date(2010, 6, 15, 0, 0, 0, 0, time.UTC), 422, "not_eligible_age"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ids, toks := h.youngPeople(1, c.dob)
			if c.dob.Year() == 2014 { // under 13 today: consent given
				if _, err := h.DB.Exec(`INSERT INTO consents (young_person_id, guardian_email, token_hash, status, expires_at) VALUES ($1, 'p@example.test', $2, 'given', now())`, ids[0], []byte(ids[0])); err != nil {
					t.Fatal(err)
				}
			}
			r := h.book(toks[0], occ).Want(t, c.want)
			if c.code != "" && code(t, r) != c.code {
				t.Fatalf("code %q, want %q: %s", code(t, r), c.code, r.Body)
			}
		})
	}
}

// TestBookingWindow: opens 14 days before the start, closes at the start.
func TestBookingWindow(t *testing.T) {
	t.Parallel()
	h := newH(t)
	start := time.Date(2027, 3, 30, 18, 0, 0, 0, london) // the Tuesday after the clocks go forward
	h.Now.Set(start)
	occ := h.occurrence(occOpts{Starts: start, Window: 14})
	_, toks := h.youngPeople(4, time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC))
	cases := []struct {
		name string
		now  time.Time
		want int
		code string
	}{
		{"a minute before the window opens", start.AddDate(0, 0, -14).Add(-time.Minute), 422, "booking_not_open"},
		{"as the window opens", start.AddDate(0, 0, -14), 201, ""},
		{"a minute before the start", start.Add(-time.Minute), 201, ""},
		{"at the start", start, 422, "booking_closed"},
	}
	for i, c := range cases {
		h.Now.Set(c.now)
		r := h.book(h.tokenFor(mustSub(t, toks[i])), occ)
		if r.Status != c.want || (c.code != "" && code(t, r) != c.code) {
			t.Errorf("%s: %d %s", c.name, r.Status, r.Body)
		}
	}
	h.Now.Set(start.AddDate(0, 0, -20))
	r := h.book(h.tokenFor(mustSub(t, toks[0])), occ)
	if !strings.Contains(string(r.Body), "Booking opens on Tuesday 16 March at 6pm") {
		t.Fatalf("the refusal should say when booking opens in local time: %s", r.Body)
	}
}

// TestFutureBookingCap: the ninth future confirmed booking is refused.
func TestFutureBookingCap(t *testing.T) {
	t.Parallel()
	h := newH(t)
	_, toks := h.youngPeople(1, time.Now().AddDate(-15, 0, -10))
	for i := range 9 {
		occ := h.occurrence(occOpts{Starts: h.Now.Now().Add(time.Duration(24+i*3) * time.Hour)})
		r := h.book(toks[0], occ)
		if i < 8 {
			r.Want(t, 201)
			continue
		}
		r.Want(t, 422)
		if code(t, r) != "too_many_bookings" {
			t.Fatalf("code %s", r.Body)
		}
	}
}

// TestOverlapDuplicateModeAndStatus covers the remaining refusals.
func TestOverlapDuplicateModeAndStatus(t *testing.T) {
	t.Parallel()
	h := newH(t)
	start := h.Now.Now().Add(48 * time.Hour).Truncate(time.Hour)
	a := h.occurrence(occOpts{Starts: start, Dur: 2 * time.Hour})
	overlapping := h.occurrence(occOpts{Starts: start.Add(time.Hour), Title: "Art club"})
	touching := h.occurrence(occOpts{Starts: start.Add(2 * time.Hour), Title: "Late club"})
	dropIn := h.occurrence(occOpts{Mode: "drop_in", Starts: start.Add(24 * time.Hour)})
	cancelled := h.occurrence(occOpts{Starts: start.Add(30 * time.Hour)})
	if _, err := h.DB.Exec(`UPDATE occurrences SET status = 'cancelled' WHERE id = $1`, cancelled); err != nil {
		t.Fatal(err)
	}
	young := h.Login("young@example.test")
	h.book(young, a).Want(t, 201)
	if r := h.book(young, a).Want(t, 409); code(t, r) != "already_booked" {
		t.Fatalf("duplicate: %s", r.Body)
	}
	if r := h.book(young, overlapping).Want(t, 409); code(t, r) != "overlapping_booking" {
		t.Fatalf("overlap: %s", r.Body)
	}
	h.book(young, touching).Want(t, 201) // ends exactly when the next starts: no overlap
	if r := h.book(young, dropIn).Want(t, 422); code(t, r) != "drop_in" {
		t.Fatalf("drop-in: %s", r.Body)
	}
	if r := h.book(young, cancelled).Want(t, 409); code(t, r) != "session_cancelled" {
		t.Fatalf("cancelled: %s", r.Body)
	}
	// Staff cannot book (policy) and an unknown occurrence is 404.
	h.book(h.Login("worker.a@example.test"), a).Want(t, 403)
	h.book(young, "00000000-0000-4000-8000-000000000000").Want(t, 404)
}

// TestUnderThirteenWithoutConsentCannotBook, until the guardian consents.
func TestUnderThirteenWithoutConsentCannotBook(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{AgeMin: 8, AgeMax: 13})
	ids, toks := h.youngPeople(1, time.Now().AddDate(-12, 0, -10))
	r := h.book(toks[0], occ).Want(t, 422)
	if code(t, r) != "consent_needed" {
		t.Fatalf("code: %s", r.Body)
	}
	if _, err := h.DB.Exec(`INSERT INTO consents (young_person_id, guardian_email, token_hash, status, expires_at) VALUES ($1, 'p@example.test', 'x', 'withdrawn', now())`, ids[0]); err != nil {
		t.Fatal(err)
	}
	h.book(toks[0], occ).Want(t, 422)
	if _, err := h.DB.Exec(`UPDATE consents SET status = 'given' WHERE young_person_id = $1`, ids[0]); err != nil {
		t.Fatal(err)
	}
	h.book(toks[0], occ).Want(t, 201)
	// The demo child (consent given in the fixture) books straight away.
	h.book(h.Login("child@example.test"), h.occurrence(occOpts{AgeMin: 8, AgeMax: 13, Starts: h.Now.Now().Add(96 * time.Hour)})).Want(t, 201)
}

// TestMyBookingsTicketsCancelAndPromotion: the young person's view.
func TestMyBookingsTicketsCancelAndPromotion(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{Capacity: 1})
	young := h.Login("young@example.test")
	_, others := h.youngPeople(1, time.Now().AddDate(-14, 0, 0))
	mine := h.book(young, occ).Want(t, 201).Map(t)
	if mine["status"] != "confirmed" || mine["qr_token"] == nil || len(mine["short_code"].(string)) != 8 {
		t.Fatalf("confirmed booking: %v", mine)
	}
	theirs := h.book(others[0], occ).Want(t, 201).Map(t)
	if theirs["status"] != "waitlisted" || theirs["waitlist_position"].(float64) != 1 || theirs["qr_token"] != nil {
		t.Fatalf("waitlisted booking: %v", theirs)
	}
	var list struct {
		Items []struct {
			ID      string `json:"id"`
			Session struct {
				Title    string `json:"title"`
				StartsAt string `json:"starts_at"`
			} `json:"session"`
		} `json:"items"`
		Total int `json:"total"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/me/bookings", Token: young}).Want(t, 200).JSON(t, &list)
	if list.Total != 1 || list.Items[0].Session.Title != "Tuesday football" || !strings.HasSuffix(list.Items[0].Session.StartsAt, "+00:00") {
		t.Fatalf("my bookings: %+v", list)
	}
	id := mine["id"].(string)
	// Another young person cannot see or cancel it.
	h.Do(Req{Method: "GET", Path: "/api/v1/bookings/" + id, Token: others[0]}).Want(t, 404)
	h.Do(Req{Method: "DELETE", Path: "/api/v1/bookings/" + id, Token: others[0]}).Want(t, 404)
	ics := h.Do(Req{Method: "GET", Path: "/api/v1/bookings/" + id + "/calendar.ics", Token: young}).Want(t, 200)
	if !strings.Contains(string(ics.Body), "BEGIN:VEVENT") || !strings.Contains(string(ics.Body), "SUMMARY:Tuesday football") {
		t.Fatalf("ics: %s", ics.Body)
	}
	h.Do(Req{Method: "DELETE", Path: "/api/v1/bookings/" + id, Token: young}).Want(t, 200)
	promoted := h.Do(Req{Method: "GET", Path: "/api/v1/bookings/" + theirs["id"].(string), Token: others[0]}).Want(t, 200).Map(t)
	if promoted["status"] != "confirmed" || promoted["qr_token"] == nil {
		t.Fatalf("not promoted: %v", promoted)
	}
	// Cancelling again (a retry after a dropped answer) answers with the
	// cancelled booking and changes nothing: the counters stay exact.
	_, late := h.youngPeople(1, time.Now().AddDate(-14, 0, 0))
	h.book(late[0], occ).Want(t, 201)
	if again := h.Do(Req{Method: "DELETE", Path: "/api/v1/bookings/" + id, Token: young}).Want(t, 200).Map(t); again["status"] != "cancelled" {
		t.Fatalf("second cancel: %v", again)
	}
	if c, w, cc, wc := h.counts(occ); c != 1 || w != 1 || cc != 1 || wc != 1 {
		t.Fatalf("after a second cancel: %d confirmed, %d waiting, counters %d/%d; want 1, 1, 1/1", c, w, cc, wc)
	}
	var notes struct {
		Items []struct {
			Kind, Message string
		} `json:"items"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/me/notifications", Token: others[0]}).Want(t, 200).JSON(t, &notes)
	if len(notes.Items) != 2 || notes.Items[0].Kind != "promoted" || !strings.Contains(notes.Items[0].Message, "a place came up") {
		t.Fatalf("notifications: %+v", notes)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/me/notifications/read", Token: others[0]}).Want(t, 204)

	// Calendar subscription: a secret URL, reset on demand.
	link := h.Do(Req{Method: "POST", Path: "/api/v1/me/calendar", Token: others[0]}).Want(t, 201).Map(t)
	path := strings.TrimPrefix(link["url"].(string), "https://youthhub.test")
	feed := h.Do(Req{Method: "GET", Path: path}).Want(t, 200)
	if !strings.Contains(string(feed.Body), "Tuesday football") {
		t.Fatalf("feed: %s", feed.Body)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/me/calendar", Token: others[0]}).Want(t, 201)
	h.Do(Req{Method: "GET", Path: path}).Want(t, 404)
}

// TestNoShowsAfterTheSession.
func TestNoShowsAfterTheSession(t *testing.T) {
	t.Parallel()
	h := newH(t)
	start := h.Now.Now().Add(2 * time.Hour)
	occ := h.occurrence(occOpts{Starts: start})
	young := h.Login("young@example.test")
	b := h.book(young, occ).Want(t, 201).Map(t)
	h.Now.Set(start.Add(3 * time.Hour))
	young = h.Login("young@example.test") // the first access token has expired by now
	n, err := h.Srv.MarkNoShows(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("marked %d, %v", n, err)
	}
	got := h.Do(Req{Method: "GET", Path: "/api/v1/bookings/" + b["id"].(string), Token: young}).Want(t, 200).Map(t)
	if got["status"] != "no_show" {
		t.Fatalf("status %v", got["status"])
	}
}

// mustSub reads the user id out of a token made by tokenFor.
func mustSub(t *testing.T, tok string) string {
	t.Helper()
	return subjectOf(t, tok)
}

// TestSwitchedOffAccountCannotBook: the booking route skips the user lookup
// for speed, so its statement must refuse a switched-off account itself.
func TestSwitchedOffAccountCannotBook(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{})
	ids, toks := h.youngPeople(1, time.Now().AddDate(-15, 0, -10))
	if _, err := h.DB.Exec(`UPDATE users SET active = false WHERE id = $1`, ids[0]); err != nil {
		t.Fatal(err)
	}
	h.book(toks[0], occ).Want(t, 403)
	if c, _, _, _ := h.counts(occ); c != 0 {
		t.Fatal("a switched-off account booked a place")
	}
}

// TestRaisingCapacityPromotesFromTheWaitingList, in order.
func TestRaisingCapacityPromotesFromTheWaitingList(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{Capacity: 1})
	_, toks := h.youngPeople(4, time.Now().AddDate(-15, 0, -10))
	var ids []string
	for _, tok := range toks {
		ids = append(ids, h.book(tok, occ).Want(t, 201).Map(t)["id"].(string))
	}
	manager := h.Login("manager.a@example.test")
	h.Do(Req{Method: "PATCH", Path: "/api/v1/occurrences/" + occ, Token: manager, Body: map[string]any{"capacity": 3}}).Want(t, 200)
	want := []string{"confirmed", "confirmed", "confirmed", "waitlisted"}
	for i, id := range ids {
		var st string
		if err := h.DB.Get(&st, `SELECT status FROM bookings WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		if st != want[i] {
			t.Errorf("booking %d is %s, want %s", i+1, st, want[i])
		}
	}
	if c, w, cc, cw := h.counts(occ); c != 3 || w != 1 || cc != 3 || cw != 1 {
		t.Fatalf("counts %d/%d, counters %d/%d", c, w, cc, cw)
	}
}

// TestAKeyLeftWithoutAnAnswerIsRetried: if the first request with a key
// committed the key but neither a booking nor a refusal (it died mid-way),
// a retry books instead of being stuck.
func TestAKeyLeftWithoutAnAnswerIsRetried(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{})
	ids, toks := h.youngPeople(1, time.Now().AddDate(-15, 0, -10))
	if _, err := h.DB.Exec(`INSERT INTO idempotency_keys (user_id, key, request_hash, booking_id) VALUES ($1, 'tap-9', $2, gen_random_uuid())`,
		ids[0], sha("POST "+occ+"\n{}")); err != nil {
		t.Fatal(err)
	}
	r := h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/bookings", Token: toks[0], Body: map[string]any{},
		Header: map[string]string{"Idempotency-Key": "tap-9"}}).Want(t, 201)
	if r.Map(t)["status"] != "confirmed" {
		t.Fatalf("retry: %s", r.Body)
	}
}

// TestSignedInWalkInCannotBookASecondPlace: a young person signed in at the
// door as a walk-in before the session starts already holds a place; booking
// the same session from their phone afterwards is refused and takes nothing.
func TestSignedInWalkInCannotBookASecondPlace(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{Capacity: 5, Starts: h.Now.Now().Add(30 * time.Minute).Truncate(time.Minute)})
	ids, toks := h.youngPeople(1, time.Now().AddDate(-15, 0, -10))
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/walk-ins", Token: h.tokenFor(h.F.ManagerA),
		Body: map[string]any{"young_person_id": ids[0], "postcode": "M32 0JG"}}).Want(t, 201)
	r := h.book(toks[0], occ).Want(t, 409)
	if code(t, r) != "already_booked" || !strings.Contains(string(r.Body), "signed you in") {
		t.Fatalf("booking after walking in: %s", r.Body)
	}
	if c, w, cc, cw := h.counts(occ); c != 0 || w != 0 || cc != 1 || cw != 0 {
		t.Fatalf("bookings %d/%d, counters %d/%d; want the walk-in's one place only", c, w, cc, cw)
	}
}
