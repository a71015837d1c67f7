package api_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestNewWalkInRetriedIsRegisteredOnce: at the door with a bad signal, a
// youth worker's "Register and add" is sent eight times at once with one
// Idempotency-Key. The young person is registered once, with one emergency
// contact and one place; every answer names the same person. The key is
// the worker's own: a colleague using the same key string registers their
// own walk-in and never sees the first worker's answer.
func TestNewWalkInRetriedIsRegisteredOnce(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, _, _ := h.regStarted(occOpts{Capacity: 8}, 3)
	worker := h.tokenFor(h.F.WorkerA)
	users, contacts := h.count("users"), h.count("emergency_contacts")
	jess := map[string]any{"first_name": "Jess", "date_of_birth": time.Now().AddDate(-13, -2, 0).Format(time.DateOnly), "postcode": "M32 0JG",
		"emergency_contact": map[string]any{"name": "Pat", "phone": "07700 900123", "relationship": "mum"}}
	body, _ := json.Marshal(jess)
	key := uuid.NewString()
	base := h.listen()
	path := "/api/v1/sessions/" + occ + "/walk-ins"
	results := race(8, func(int) raceResult { return send(base, "POST", path, worker, key, string(body)) })
	var person any
	for i, r := range results {
		if r.err != nil || (r.status != 201 && !(r.status == 409 && r.body["code"] == "in_progress")) {
			t.Fatalf("request %d: %v %d %v", i, r.err, r.status, r.body)
		}
		if r.status == 201 {
			if person == nil {
				person = r.body["young_person_id"]
			}
			if r.body["young_person_id"] != person || r.body["first_name"] != "Jess" {
				t.Fatalf("request %d answered about someone else: %v", i, r.body)
			}
		}
	}
	again := h.Do(Req{Method: "POST", Path: path, Token: worker, Body: jess, Header: map[string]string{"Idempotency-Key": key}}).Want(t, 201)
	if again.Map(t)["young_person_id"] != person || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry after the race: %s", again.Body)
	}
	var confirmed int
	if err := h.DB.Get(&confirmed, `SELECT confirmed_count FROM occurrences WHERE id = $1`, occ); err != nil {
		t.Fatal(err)
	}
	if h.count("users") != users+1 || h.count("emergency_contacts") != contacts+1 || h.count("walk_ins") != 1 || confirmed != 4 {
		t.Fatalf("%d new people, %d new contacts, %d walk-ins, counter %d; want 1, 1, 1, 4",
			h.count("users")-users, h.count("emergency_contacts")-contacts, h.count("walk_ins"), confirmed)
	}

	// The same key for another young person is refused, and nothing is written.
	sam := map[string]any{"first_name": "Sam", "date_of_birth": time.Now().AddDate(-14, 0, 0).Format(time.DateOnly), "postcode": "M32 0JG",
		"emergency_contact": map[string]any{"name": "Alex", "phone": "07700 900456", "relationship": "dad"}}
	r := h.Do(Req{Method: "POST", Path: path, Token: worker, Body: sam, Header: map[string]string{"Idempotency-Key": key}}).Want(t, 422)
	if code(t, r) != "idempotency_key_reused" || h.count("users") != users+1 {
		t.Fatalf("reused key: %s", r.Body)
	}
	// A colleague's key is their own.
	var e regEntry
	h.Do(Req{Method: "POST", Path: path, Token: h.tokenFor(h.F.ManagerA), Body: sam, Header: map[string]string{"Idempotency-Key": key}}).Want(t, 201).JSON(t, &e)
	if e.FirstName != "Sam" || e.YoungPersonID == person || h.count("users") != users+2 {
		t.Fatalf("colleague with the same key string: %+v", e)
	}
	// A refusal is replayed too: a full session stays full for the retry.
	full, _, _ := h.regStarted(occOpts{Capacity: 1, Title: "Full", Starts: h.Now.Now().Add(-5 * time.Hour)}, 1)
	fullKey, users := uuid.NewString(), h.count("users")
	otherJess := map[string]any{"someone_else": true} // another Jess born the same day
	for k, v := range jess {
		otherJess[k] = v
	}
	r1 := h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + full + "/walk-ins", Token: worker, Body: otherJess, Header: map[string]string{"Idempotency-Key": fullKey}}).Want(t, 409)
	r2 := h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + full + "/walk-ins", Token: worker, Body: otherJess, Header: map[string]string{"Idempotency-Key": fullKey}}).Want(t, 409)
	if code(t, r1) != "full" || r1.Map(t)["request_id"] != r2.Map(t)["request_id"] || h.count("users") != users {
		t.Fatalf("refusal replay: %s / %s", r1.Body, r2.Body)
	}
	// The answer is not kept by caches: it names a child.
	if cc := again.Header.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("Cache-Control %q", cc)
	}
}

// TestInvitationRetriedSendsOneEmail: an officer's invitation, and the
// platform admin's first-officer invitation, retried with one
// Idempotency-Key, make one invitation and send one e-mail.
func TestInvitationRetriedSendsOneEmail(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer := h.Login("officer.a@example.test")
	base := h.listen()
	key := uuid.NewString()
	body := `{"email":"newbie@example.test","role":"youth_worker"}`
	results := race(6, func(int) raceResult { return send(base, "POST", "/api/v1/invitations", officer, key, body) })
	for i, r := range results {
		if r.err != nil || (r.status != 201 && !(r.status == 409 && r.body["code"] == "in_progress")) {
			t.Fatalf("request %d: %v %d %v", i, r.err, r.status, r.body)
		}
	}
	again := send(base, "POST", "/api/v1/invitations", officer, key, body)
	mails := func(to string) int {
		var n int
		if err := h.DB.Get(&n, `SELECT count(*) FROM outbox WHERE to_email = $1`, to); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if again.status != 201 || h.count("invitations") != 1 || mails("newbie@example.test") != 1 {
		t.Fatalf("retry: %d %v; %d invitations, %d e-mails", again.status, again.body, h.count("invitations"), mails("newbie@example.test"))
	}
	// Without a key, a second invitation is a new one (a resend).
	h.Do(Req{Method: "POST", Path: "/api/v1/invitations", Token: officer, Body: map[string]string{"email": "newbie@example.test", "role": "youth_worker"}}).Want(t, 201)
	if mails("newbie@example.test") != 2 {
		t.Fatal("a resend without a key sent no e-mail")
	}

	admin := h.Login("admin@example.test")
	co := h.Do(Req{Method: "POST", Path: "/api/v1/councils", Token: admin, Body: map[string]string{"name": "Salford City Council", "lad_code": "E08000006"}}).Want(t, 201).Map(t)
	hdr := map[string]string{"Idempotency-Key": "first-officer-1"}
	path := "/api/v1/councils/" + co["id"].(string) + "/officers"
	a := h.Do(Req{Method: "POST", Path: path, Token: admin, Body: map[string]string{"email": "first@salford.test"}, Header: hdr}).Want(t, 201).Map(t)
	b := h.Do(Req{Method: "POST", Path: path, Token: admin, Body: map[string]string{"email": "first@salford.test"}, Header: hdr}).Want(t, 201).Map(t)
	if a["id"] != b["id"] || mails("first@salford.test") != 1 {
		t.Fatalf("first officer retried: %v / %v, %d e-mails", a["id"], b["id"], mails("first@salford.test"))
	}
}

// TestCreateCouncilIsIdempotent: the admin's retried "create council" makes
// one council and answers as the first time, not "already exists"; the key
// cannot be reused for another council.
func TestCreateCouncilIsIdempotent(t *testing.T) {
	t.Parallel()
	h := newH(t)
	admin := h.Login("admin@example.test")
	before := h.count("councils")
	hdr := map[string]string{"Idempotency-Key": "council-1"}
	in := map[string]string{"name": "Salford City Council", "lad_code": "E08000006"}
	a := h.Do(Req{Method: "POST", Path: "/api/v1/councils", Token: admin, Body: in, Header: hdr}).Want(t, 201).Map(t)
	b := h.Do(Req{Method: "POST", Path: "/api/v1/councils", Token: admin, Body: in, Header: hdr}).Want(t, 201).Map(t)
	if a["id"] != b["id"] || h.count("councils") != before+1 {
		t.Fatalf("retry: %v / %v, %d new councils", a["id"], b["id"], h.count("councils")-before)
	}
	r := h.Do(Req{Method: "POST", Path: "/api/v1/councils", Token: admin, Body: map[string]string{"name": "Bolton Council", "lad_code": "E08000001"}, Header: hdr}).Want(t, 422)
	if code(t, r) != "idempotency_key_reused" || h.count("councils") != before+1 {
		t.Fatalf("reused key: %s", r.Body)
	}
	// Without a key the duplicate is refused as before, naming the field.
	h.Do(Req{Method: "POST", Path: "/api/v1/councils", Token: admin, Body: in}).Want(t, 422)
}

// TestSwapOfferIsIdempotent: a worker's retried "offer this shift" gets the
// first answer instead of "already offered"; without a key the second offer
// is refused as before.
func TestSwapOfferIsIdempotent(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	mon := h.rotaMonday()
	occ := h.rotaOccurrence(rotaOcc{Start: rotaAt(mon, 1, 18, 0)})
	h.rotaPutRecord(officer, h.F.WorkerA, h.rotaRecord())
	shift := h.rotaAddShift(manager, occ, h.F.WorkerA, "worker").Shift.ID
	worker := h.Login("worker.a@example.test")
	hdr := map[string]string{"Idempotency-Key": "swap-tap-1"}
	a := h.Do(Req{Method: "POST", Path: "/api/v1/shifts/" + shift + "/swap", Token: worker, Header: hdr}).Want(t, 201).Map(t)
	b := h.Do(Req{Method: "POST", Path: "/api/v1/shifts/" + shift + "/swap", Token: worker, Header: hdr}).Want(t, 201).Map(t)
	if a["id"] != b["id"] || h.count("shift_swaps") != 1 {
		t.Fatalf("retry: %v / %v, %d swaps", a["id"], b["id"], h.count("shift_swaps"))
	}
	r := h.Do(Req{Method: "POST", Path: "/api/v1/shifts/" + shift + "/swap", Token: worker}).Want(t, 409)
	if code(t, r) != "swap_open" {
		t.Fatalf("second offer without a key: %s", r.Body)
	}
}

// TestOldIdempotencyKeysAreForgotten: keys and their answers (which can name
// a young person) are kept for a day, then deleted; newer ones stay and
// still replay.
func TestOldIdempotencyKeysAreForgotten(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer := h.Login("officer.a@example.test")
	in := map[string]any{"name": "Urmston Youth Hub", "lat": 53.45, "lon": -2.35, "provider_type": "council"}
	hdr := map[string]string{"Idempotency-Key": "fresh"}
	first := h.Do(Req{Method: "POST", Path: "/api/v1/centres", Token: officer, Body: in, Header: hdr}).Want(t, 201).Map(t)
	h.Do(Req{Method: "POST", Path: "/api/v1/centres", Token: officer, Body: map[string]any{"name": "Old", "lat": 53.45, "lon": -2.35, "provider_type": "council"},
		Header: map[string]string{"Idempotency-Key": "old"}}).Want(t, 201)
	if _, err := h.DB.Exec(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old'`); err != nil {
		t.Fatal(err)
	}
	n, err := h.Srv.ForgetIdempotencyKeys(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("forgot %d keys (%v), want 1", n, err)
	}
	var left []string
	if err := h.DB.Select(&left, `SELECT key FROM idempotency_keys`); err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0] != "fresh" {
		t.Fatalf("keys left: %v", left)
	}
	again := h.Do(Req{Method: "POST", Path: "/api/v1/centres", Token: officer, Body: in, Header: hdr}).Want(t, 201).Map(t)
	if again["id"] != first["id"] {
		t.Fatal("a day-old key no longer replays")
	}
}
