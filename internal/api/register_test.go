package api_test

import (
	"crypto/md5"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"youthhub/internal/api"
	"youthhub/internal/testdb"
	"youthhub/internal/ticket"
)

// regBook gives each young person a confirmed place at occ (written
// directly: the booking window has closed once a session has started) and
// returns the booking ids.
func (h *H) regBook(occ string, people ...string) []string {
	h.t.Helper()
	var ids []string
	for _, yp := range people {
		var id string
		if err := h.DB.Get(&id, `WITH b AS (
				INSERT INTO bookings (occurrence_id, young_person_id, status, starts_at, ends_at)
				SELECT id, $2, 'confirmed', starts_at, ends_at FROM occurrences WHERE id = $1 RETURNING id)
			, o AS (UPDATE occurrences SET confirmed_count = confirmed_count + 1 WHERE id = $1)
			SELECT id FROM b`, occ, yp); err != nil {
			h.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// regRoster puts a member of staff on an occurrence's rota.
func (h *H) regRoster(occ, userID string) {
	h.t.Helper()
	if _, err := h.DB.Exec(`INSERT INTO staff_records (user_id, council_id) SELECT id, council_id FROM users WHERE id = $1
		ON CONFLICT DO NOTHING`, userID); err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.DB.Exec(`INSERT INTO shifts (occurrence_id, council_id, user_id, role, starts_at, ends_at)
		SELECT id, council_id, $2, 'worker', starts_at, ends_at FROM occurrences WHERE id = $1`, occ, userID); err != nil {
		h.t.Fatal(err)
	}
}

// regStarted makes an occurrence of council A that started 30 minutes ago,
// books n young people of 15 on it and rosters worker A; it returns the
// occurrence, the people and their bookings.
func (h *H) regStarted(o occOpts, n int) (occ string, people, bookings []string) {
	h.t.Helper()
	if o.Starts.IsZero() {
		o.Starts = h.Now.Now().Add(-30 * time.Minute)
	}
	occ = h.occurrence(o)
	if n > 0 {
		people, _ = h.youngPeople(n, time.Now().AddDate(-15, 0, -10))
		bookings = h.regBook(occ, people...)
	}
	h.regRoster(occ, h.F.WorkerA)
	return occ, people, bookings
}

type regMark struct {
	ClientID      string  `json:"client_id"`
	YoungPersonID string  `json:"young_person_id"`
	Status        string  `json:"status"`
	RecordedAt    string  `json:"recorded_at"`
	CheckedInAt   *string `json:"checked_in_at,omitempty"`
	at            time.Time
}

func newMark(yp, status string, at time.Time) regMark {
	return regMark{ClientID: uuid.NewString(), YoungPersonID: yp, Status: status, RecordedAt: at.Format(time.RFC3339Nano), at: at}
}

func marksBody(device string, marks []regMark) map[string]any {
	return map[string]any{"device_id": device, "marks": marks}
}

type regCounts struct {
	Booked   int `json:"booked"`
	WalkIns  int `json:"walk_ins"`
	Present  int `json:"present"`
	OnSite   int `json:"on_site"`
	Absent   int `json:"absent"`
	Unmarked int `json:"unmarked"`
}

type regEntry struct {
	YoungPersonID string  `json:"young_person_id"`
	FirstName     string  `json:"first_name"`
	BookingID     *string `json:"booking_id"`
	BookingStatus *string `json:"booking_status"`
	WalkIn        bool    `json:"walk_in"`
	OnSite        bool    `json:"on_site"`
	HasContact    bool    `json:"has_emergency_contact"`
	Mark          *struct {
		Status         string  `json:"status"`
		ClientID       string  `json:"client_id"`
		CheckedInAt    *string `json:"checked_in_at"`
		CheckedOutAt   *string `json:"checked_out_at"`
		RecordedByName string  `json:"recorded_by_name"`
	} `json:"mark"`
}

type regView struct {
	Counts  regCounts  `json:"counts"`
	Entries []regEntry `json:"entries"`
}

func (h *H) regView(token, occ string) regView {
	h.t.Helper()
	var v regView
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/register", Token: token}).Want(h.t, 200).JSON(h.t, &v)
	return v
}

// TestRegisterIsForTheSessionsStaffOnly: a worker must be rostered on the
// session; managers and officers of its council may keep any register;
// another council's staff are told the session does not exist.
func TestRegisterIsForTheSessionsStaffOnly(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{Starts: h.Now.Now().Add(-30 * time.Minute)})
	path := "/api/v1/sessions/" + occ + "/register"
	body := marksBody("tablet", []regMark{newMark(uuid.NewString(), "present", h.Now.Now())})
	worker := h.tokenFor(h.F.WorkerA)
	paths := []Req{
		{Method: "GET", Path: path}, {Method: "GET", Path: path + "/history"},
		{Method: "POST", Path: path + "/marks", Body: body}, {Method: "POST", Path: path + "/scan", Body: map[string]any{"token": "x"}},
		{Method: "POST", Path: "/api/v1/sessions/" + occ + "/walk-ins", Body: map[string]any{"young_person_id": h.F.Young, "postcode": "M32 0JG"}},
		{Method: "GET", Path: "/api/v1/sessions/" + occ + "/roll-call?reason=fire+drill"},
	}
	for _, r := range paths {
		r.Token = worker
		if res := h.Do(r); res.Status != 403 {
			t.Errorf("%s %s by an unrostered worker: %d, want 403", r.Method, r.Path, res.Status)
		}
		for _, other := range []string{h.F.WorkerB, h.F.ManagerB, h.F.OfficerB} {
			r.Token = h.tokenFor(other)
			if res := h.Do(r); res.Status != 404 {
				t.Errorf("%s %s by another council's staff: %d, want 404", r.Method, r.Path, res.Status)
			}
		}
		r.Token = h.tokenFor(h.F.Young)
		if res := h.Do(r); res.Status != 403 {
			t.Errorf("%s %s by a young person: %d, want 403", r.Method, r.Path, res.Status)
		}
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + uuid.NewString() + "/register", Token: h.tokenFor(h.F.ManagerA)}).Want(t, 404)
	h.Do(Req{Method: "GET", Path: path, Token: h.tokenFor(h.F.ManagerA)}).Want(t, 200)
	h.Do(Req{Method: "GET", Path: path, Token: h.tokenFor(h.F.OfficerA)}).Want(t, 200)
	h.regRoster(occ, h.F.WorkerA)
	res := h.Do(Req{Method: "GET", Path: path, Token: worker}).Want(t, 200)
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Fatal("a register without Cache-Control: no-store")
	}
	if h.count("marks") != 0 || h.count("walk_ins") != 0 || h.count("audit_log") != 0 {
		t.Fatal("a refused request wrote something")
	}
}

// winner is the mark that must win for one person: the latest recorded_at,
// ties broken by the larger client_id.
func winner(ms []regMark) regMark {
	w := ms[0]
	for _, m := range ms[1:] {
		if m.at.After(w.at) || (m.at.Equal(w.at) && m.ClientID > w.ClientID) {
			w = m
		}
	}
	return w
}

func shuffled(ms []regMark, r *rand.Rand) []regMark {
	out := slices.Clone(ms)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func chunks(ms []regMark, n int) [][]regMark {
	var out [][]regMark
	for len(ms) > n {
		out = append(out, ms[:n])
		ms = ms[n:]
	}
	return append(out, ms)
}

// TestOfflineMarksRaceAndReplay: two devices marked 25 people offline, with
// overlapping and conflicting marks. Both sync at once, in pieces and
// whole, in different orders, several times over, over real connections.
// Every mark is stored exactly once, each person's current mark is the one
// with the latest recorded_at (ties: the larger client_id), the counts are
// exact, bookings follow the winning marks, and replays change nothing.
func TestOfflineMarksRaceAndReplay(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, people, _ := h.regStarted(occOpts{Capacity: 30}, 25)
	now := h.Now.Now()
	t0 := now.Add(-29 * time.Minute).Truncate(time.Millisecond)
	var dev [2][]regMark
	byPerson := map[string][]regMark{}
	add := func(d int, m regMark) {
		dev[d] = append(dev[d], m)
		byPerson[m.YoungPersonID] = append(byPerson[m.YoungPersonID], m)
	}
	for i, yp := range people {
		at := t0.Add(time.Duration(i) * time.Second)
		switch i % 5 {
		case 0: // checked in on one device, out on the other
			add(0, newMark(yp, "present", at))
			left := newMark(yp, "left", at.Add(20*time.Minute))
			in := at.Format(time.RFC3339Nano)
			left.CheckedInAt = &in
			add(1, left)
		case 1: // an earlier absent mark arrives too
			add(0, newMark(yp, "present", at.Add(5*time.Minute)))
			add(1, newMark(yp, "absent", at))
		case 2: // the same instant on both devices: the larger client_id wins
			add(0, newMark(yp, "late", at.Add(10*time.Minute)))
			add(1, newMark(yp, "present", at.Add(10*time.Minute)))
		case 3: // three marks, two from one device
			add(0, newMark(yp, "absent", at))
			add(1, newMark(yp, "present", at.Add(time.Minute)))
			add(0, newMark(yp, "left", at.Add(15*time.Minute)))
		case 4: // marked present by mistake, corrected to absent
			add(1, newMark(yp, "present", at))
			add(0, newMark(yp, "absent", at.Add(3*time.Minute)))
		}
	}
	total := len(dev[0]) + len(dev[1])
	var wantOnSite, wantPresent, wantAbsent int
	for _, ms := range byPerson {
		switch winner(ms).Status {
		case "present", "late":
			wantOnSite++
			wantPresent++
		case "left":
			wantPresent++
		case "absent":
			wantAbsent++
		}
	}
	worker := h.tokenFor(h.F.WorkerA)
	manager := h.tokenFor(h.F.ManagerA)
	base := h.listen()
	path := "/api/v1/sessions/" + occ + "/register/marks"
	rnd := rand.New(rand.NewPCG(1, 2))

	// Round 1: the devices sync at once, each in pieces and whole, in
	// shuffled, reversed and original order.
	var reqs []string
	var tokens []string
	for d := range 2 {
		name := fmt.Sprintf("tablet-%d", d+1)
		rev := slices.Clone(dev[d])
		slices.Reverse(rev)
		for _, batch := range append(chunks(shuffled(dev[d], rnd), 4), rev, dev[d], shuffled(dev[d], rnd)) {
			b, _ := json.Marshal(marksBody(name, batch))
			reqs = append(reqs, string(b))
			tokens = append(tokens, []string{worker, manager}[d])
		}
	}
	outcomes := map[string][]string{}
	run := func() {
		t.Helper()
		results := make([]raceResult, len(reqs))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range reqs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i] = send(base, "POST", path, tokens[i], "", reqs[i])
			}()
		}
		close(start)
		wg.Wait()
		for i, r := range results {
			if r.err != nil || r.status != 200 {
				t.Fatalf("sync %d: %v %d %v", i, r.err, r.status, r.body)
			}
			for _, x := range r.body["results"].([]any) {
				res := x.(map[string]any)
				outcomes[res["client_id"].(string)] = append(outcomes[res["client_id"].(string)], res["outcome"].(string))
			}
		}
	}
	check := func(round string) {
		t.Helper()
		var n, distinct int
		if err := h.DB.QueryRow(`SELECT count(*), count(DISTINCT client_id) FROM marks WHERE occurrence_id = $1`, occ).Scan(&n, &distinct); err != nil {
			t.Fatal(err)
		}
		if n != total || distinct != total {
			t.Fatalf("%s: %d marks (%d distinct client ids) in the history, want %d", round, n, distinct, total)
		}
		cur := map[string]string{}
		rows, err := h.DB.Query(`SELECT young_person_id, client_id FROM current_marks WHERE occurrence_id = $1`, occ)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var yp, cid string
			if err := rows.Scan(&yp, &cid); err != nil {
				t.Fatal(err)
			}
			cur[yp] = cid
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if len(cur) != len(people) {
			t.Fatalf("%s: %d current marks, want one for each of %d people", round, len(cur), len(people))
		}
		for yp, ms := range byPerson {
			if w := winner(ms); cur[yp] != w.ClientID {
				t.Fatalf("%s: current mark of %s is %s, want %s (%s at %s)", round, yp, cur[yp], w.ClientID, w.Status, w.RecordedAt)
			}
		}
		v := h.regView(worker, occ)
		want := regCounts{Booked: 25, Present: wantPresent, OnSite: wantOnSite, Absent: wantAbsent}
		if v.Counts != want {
			t.Fatalf("%s: counts %+v, want %+v", round, v.Counts, want)
		}
		for _, e := range v.Entries {
			w := winner(byPerson[e.YoungPersonID])
			if e.Mark == nil || e.Mark.ClientID != w.ClientID || e.Mark.Status != w.Status {
				t.Fatalf("%s: entry %+v, want mark %s", round, e, w.ClientID)
			}
			wantBooking := "attended"
			if w.Status == "absent" {
				wantBooking = "confirmed"
			}
			if e.BookingStatus == nil || *e.BookingStatus != wantBooking {
				t.Fatalf("%s: booking of a person marked %s is %v, want %s", round, w.Status, e.BookingStatus, wantBooking)
			}
		}
	}

	run()
	for cid, outs := range outcomes {
		firsts := 0
		for _, o := range outs {
			switch o {
			case "stored", "superseded":
				firsts++
			case "duplicate":
			default:
				t.Fatalf("mark %s: outcome %s", cid, o)
			}
		}
		if firsts != 1 {
			t.Fatalf("mark %s was stored %d times (outcomes %v), want exactly once", cid, firsts, outs)
		}
	}
	for _, ms := range byPerson {
		w := winner(ms)
		if !slices.Contains(outcomes[w.ClientID], "stored") {
			t.Fatalf("the winning mark %s was never reported stored: %v", w.ClientID, outcomes[w.ClientID])
		}
	}
	check("first sync")

	// Round 2: everything again, at once: all duplicates, nothing changes.
	outcomes = map[string][]string{}
	run()
	for cid, outs := range outcomes {
		for _, o := range outs {
			if o != "duplicate" {
				t.Fatalf("replayed mark %s: %s, want duplicate", cid, o)
			}
		}
	}
	check("replay")

	// Round 3: one device replays its whole queue in reverse, through the
	// contract-checked client.
	all := append(slices.Clone(dev[1]), dev[0]...)
	slices.Reverse(all)
	for _, batch := range chunks(all, 200) {
		var out struct {
			Duplicate int `json:"duplicate"`
		}
		h.Do(Req{Method: "POST", Path: path, Token: worker, Body: marksBody("tablet-3", batch)}).Want(t, 200).JSON(t, &out)
		if out.Duplicate != len(batch) {
			t.Fatalf("reverse replay: %d duplicates of %d", out.Duplicate, len(batch))
		}
	}
	check("reverse replay")

	// The history of one person lists every mark once, in recorded order.
	yp := people[3]
	var hist struct {
		Items []struct {
			ClientID string `json:"client_id"`
			Current  bool   `json:"current"`
			DeviceID string `json:"device_id"`
		} `json:"items"`
		Total int `json:"total"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/register/history?young_person_id=" + yp, Token: worker}).Want(t, 200).JSON(t, &hist)
	ms := slices.Clone(byPerson[yp])
	sort.Slice(ms, func(i, j int) bool { return ms[i].at.Before(ms[j].at) })
	if hist.Total != len(ms) || len(hist.Items) != len(ms) {
		t.Fatalf("history of %s: %d marks, want %d", yp, hist.Total, len(ms))
	}
	for i, m := range ms {
		if hist.Items[i].ClientID != m.ClientID || hist.Items[i].Current != (i == len(ms)-1) || !strings.HasPrefix(hist.Items[i].DeviceID, "tablet-") {
			t.Fatalf("history item %d: %+v, want %s", i, hist.Items[i], m.ClientID)
		}
	}
}

// TestABadMarkIsRefusedAlone: one sync holds a good mark and several bad
// ones; the good one is stored, each bad one is refused with its reason.
func TestABadMarkIsRefusedAlone(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, people, _ := h.regStarted(occOpts{}, 1)
	stranger, _ := h.youngPeople(1, time.Now().AddDate(-15, 0, 0))
	now := h.Now.Now()
	good := newMark(people[0], "present", now)
	reused := good
	reused.Status = "absent"
	future := newMark(people[0], "present", now.Add(time.Hour))
	early := newMark(people[0], "present", now.Add(-3*time.Hour))
	badStatus := newMark(people[0], "here", now)
	absentWithTimes := newMark(people[0], "absent", now)
	absentWithTimes.CheckedInAt = &absentWithTimes.RecordedAt
	in1900 := newMark(people[0], "late", now)
	longAgo := "1900-01-01T00:00:00Z"
	in1900.CheckedInAt = &longAgo
	batch := []any{good, newMark(stranger[0], "present", now), badStatus, future, early, reused, absentWithTimes, in1900,
		map[string]any{"client_id": "not-a-uuid", "young_person_id": people[0], "status": "present", "recorded_at": now.Format(time.RFC3339)},
		map[string]any{"client_id": uuid.NewString(), "young_person_id": people[0], "status": "present", "recorded_at": "yesterday"},
	}
	res := h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/register/marks", Token: h.tokenFor(h.F.WorkerA),
		Body: map[string]any{"marks": batch}, Raw: true}).Want(t, 200)
	var out struct {
		Results []struct {
			Outcome, Code, Reason string
		} `json:"results"`
		Stored, Refused int
	}
	res.JSON(t, &out)
	want := []string{"", "not_on_register", "invalid", "recorded_in_future", "before_register_opens", "client_id_reused", "invalid", "invalid", "invalid", "invalid"}
	if len(out.Results) != len(want) || out.Stored != 1 || out.Refused != len(want)-1 {
		t.Fatalf("results: %s", res.Body)
	}
	for i, w := range want {
		r := out.Results[i]
		if (w == "" && r.Outcome != "stored") || (w != "" && (r.Outcome != "refused" || r.Code != w || r.Reason == "")) {
			t.Fatalf("item %d: %+v, want %q", i, r, w)
		}
	}
	if h.count("marks") != 1 {
		t.Fatalf("%d marks stored, want 1", h.count("marks"))
	}
	// Whole-batch refusals.
	path := "/api/v1/sessions/" + occ + "/register/marks"
	worker := h.tokenFor(h.F.WorkerA)
	for name, body := range map[string]any{
		"no marks":    map[string]any{"marks": []any{}},
		"too many":    map[string]any{"marks": make([]regMark, 201)},
		"not a list":  `{"marks": {}}`,
		"extra field": `{"marks": [], "owner": "me"}`,
		"long reason": map[string]any{"reason": strings.Repeat("x", 501), "marks": []regMark{newMark(people[0], "absent", now)}},
	} {
		if r := h.Do(Req{Method: "POST", Path: path, Token: worker, Body: body, Raw: true}); r.Status != 422 {
			t.Errorf("%s: %d, want 422", name, r.Status)
		} else if name == "long reason" && !strings.Contains(string(r.Body), `"field":"reason"`) {
			t.Errorf("reason not named: %s", r.Body)
		}
	}
	if h.count("marks") != 1 {
		t.Fatal("a refused batch wrote something")
	}
}

// TestLockedAndCancelledRegisters: seven days after a session only a
// manager giving a reason may change its register; a cancelled session's
// register cannot be changed.
func TestLockedAndCancelledRegisters(t *testing.T) {
	t.Parallel()
	h := newH(t)
	start := h.Now.Now().Add(-30 * time.Minute)
	occ, people, _ := h.regStarted(occOpts{Starts: start}, 1)
	h.Now.Advance(8 * 24 * time.Hour)
	path := "/api/v1/sessions/" + occ + "/register/marks"
	mark := newMark(people[0], "present", start.Add(5*time.Minute))
	r := h.Do(Req{Method: "POST", Path: path, Token: h.tokenFor(h.F.WorkerA), Body: marksBody("t", []regMark{mark})}).Want(t, 409)
	if code(t, r) != "register_locked" {
		t.Fatalf("code %s", r.Body)
	}
	manager := h.tokenFor(h.F.ManagerA)
	h.Do(Req{Method: "POST", Path: path, Token: manager, Body: marksBody("t", []regMark{mark})}).Want(t, 422)
	if h.count("marks") != 0 {
		t.Fatal("a locked register was changed")
	}
	body := marksBody("office", []regMark{mark})
	body["reason"] = "Paper register typed up late"
	h.Do(Req{Method: "POST", Path: path, Token: manager, Body: body}).Want(t, 200)
	var reason string
	if err := h.DB.Get(&reason, `SELECT reason FROM marks`); err != nil || reason != "Paper register typed up late" {
		t.Fatalf("reason %q, %v", reason, err)
	}
	var view struct {
		Session struct {
			Locked bool `json:"locked"`
		} `json:"session"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/register", Token: manager}).Want(t, 200).JSON(t, &view)
	if !view.Session.Locked {
		t.Fatal("the register does not say it is locked")
	}

}

// TestACancelledSessionStillTakesCheckOuts: young people who arrived before
// a session was cancelled (the register opens two hours before the start)
// can still be checked out, so the roll call does not keep them "on site";
// nothing else is recorded at a cancelled session.
func TestACancelledSessionStillTakesCheckOuts(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, people, _ := h.regStarted(occOpts{Starts: h.Now.Now().Add(40 * time.Minute), Title: "Cancelled club"}, 2)
	worker, manager := h.tokenFor(h.F.WorkerA), h.tokenFor(h.F.ManagerA)
	path := "/api/v1/sessions/" + occ + "/register/marks"
	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: marksBody("t", []regMark{newMark(people[0], "present", h.Now.Now())})}).Want(t, 200)
	h.Do(Req{Method: "POST", Path: "/api/v1/occurrences/" + occ + "/cancel", Token: manager, Body: map[string]any{"reason": "No staff tonight"}}).Want(t, 200)
	h.Now.Advance(5 * time.Minute)

	var out struct {
		Results []struct {
			Outcome, Code, Reason string
		} `json:"results"`
	}
	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: marksBody("t", []regMark{
		newMark(people[0], "left", h.Now.Now()), newMark(people[1], "present", h.Now.Now()),
	})}).Want(t, 200).JSON(t, &out)
	if len(out.Results) != 2 || out.Results[0].Outcome != "stored" || out.Results[1].Outcome != "refused" ||
		out.Results[1].Code != "session_cancelled" || !strings.Contains(out.Results[1].Reason, "only check-outs") {
		t.Fatalf("marks at a cancelled session: %+v", out.Results)
	}
	var view struct {
		Counts regCounts `json:"counts"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/register", Token: worker}).Want(t, 200).JSON(t, &view)
	if view.Counts.OnSite != 0 {
		t.Fatalf("on site after the check-out: %+v", view.Counts)
	}
	if h.count("marks") != 2 {
		t.Fatalf("%d marks, want the arrival and the check-out", h.count("marks"))
	}
	// A scan or a walk-in at a cancelled session is still refused whole.
	wantCode(t, h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/walk-ins", Token: worker,
		Body: map[string]any{"young_person_id": people[1], "postcode": "M32 0JG"}}), 409, "session_cancelled")
}

// TestScanAtTheDoor: the right ticket marks its holder present once; a
// ticket of another session, of a cancelled booking, a forged or a
// malformed one is refused with its own code and writes nothing.
func TestScanAtTheDoor(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, people, bookings := h.regStarted(occOpts{}, 3)
	if _, err := h.DB.Exec(`UPDATE bookings SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, bookings[2]); err != nil {
		t.Fatal(err)
	}
	elsewhere := h.occurrence(occOpts{Starts: h.Now.Now().Add(48 * time.Hour), Title: "Thursday art"})
	otherBooking := h.regBook(elsewhere, people[0])[0]
	signer := ticket.NewSigner(h.Cfg.TicketKey)
	path := "/api/v1/sessions/" + occ + "/register/scan"
	worker := h.tokenFor(h.F.WorkerA)
	scan := func(body map[string]any) Res { return h.Do(Req{Method: "POST", Path: path, Token: worker, Body: body}) }

	var first struct {
		AlreadyPresent bool     `json:"already_present"`
		Entry          regEntry `json:"entry"`
	}
	scan(map[string]any{"token": signer.Token(bookings[0], occ), "device_id": "door-phone"}).Want(t, 200).JSON(t, &first)
	if first.AlreadyPresent || first.Entry.Mark == nil || first.Entry.Mark.Status != "present" || !first.Entry.OnSite ||
		*first.Entry.BookingStatus != "attended" || first.Entry.Mark.RecordedByName != "youth_worker Tester" {
		t.Fatalf("first scan: %+v", first)
	}
	again := scan(map[string]any{"token": signer.Token(bookings[0], occ)}).Want(t, 200).Map(t)
	if again["already_present"] != true {
		t.Fatalf("second scan: %v", again)
	}
	code1 := signer.ShortCode(bookings[1], occ)
	typed := strings.ToLower(code1[:4] + " " + code1[4:])
	byCode := scan(map[string]any{"short_code": typed}).Want(t, 200).Map(t)
	if byCode["already_present"] != false {
		t.Fatalf("short code: %v", byCode)
	}
	if n := h.count("marks"); n != 2 {
		t.Fatalf("%d marks after two people and a repeat scan, want 2", n)
	}
	refusals := []struct {
		name   string
		body   map[string]any
		status int
		code   string
	}{
		{"a ticket of another session", map[string]any{"token": signer.Token(otherBooking, elsewhere)}, 409, "wrong_session"},
		{"a cancelled booking", map[string]any{"token": signer.Token(bookings[2], occ)}, 409, "booking_cancelled"},
		{"a cancelled booking's short code", map[string]any{"short_code": signer.ShortCode(bookings[2], occ)}, 409, "booking_cancelled"},
		{"forged", map[string]any{"token": ticket.NewSigner([]byte("another key another key another k")).Token(bookings[2], occ)}, 422, "forged"},
		{"moved to this session", map[string]any{"token": moveTicket(t, signer.Token(otherBooking, elsewhere), occ)}, 422, "forged"},
		{"malformed", map[string]any{"token": "https://example.com/not-a-ticket"}, 422, "malformed"},
		{"unknown short code", map[string]any{"short_code": "ABCD2345"}, 422, "unknown_short_code"},
	}
	for _, c := range refusals {
		r := scan(c.body)
		if r.Status != c.status || code(t, r) != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.Status, r.Body, c.status, c.code)
		}
	}
	// Another session of the council is named, so that staff can send them
	// there: a ticket's, and a typed code of a session within a day.
	if r := scan(map[string]any{"token": signer.Token(otherBooking, elsewhere)}); !strings.Contains(string(r.Body), "This ticket is for another session: Thursday art at ") {
		t.Errorf("another session's ticket: %s", r.Body)
	}
	tonight := h.occurrence(occOpts{Starts: h.Now.Now().Add(3 * time.Hour), Title: "Evening football"})
	tonightBooking := h.regBook(tonight, people[1])[0]
	r := scan(map[string]any{"short_code": signer.ShortCode(tonightBooking, tonight)})
	if r.Status != 409 || code(t, r) != "wrong_session" || !strings.Contains(string(r.Body), "another session: Evening football at ") {
		t.Errorf("tonight's code: %d %s", r.Status, r.Body)
	}
	if r := scan(map[string]any{"short_code": signer.ShortCode(otherBooking, elsewhere)}); r.Status != 422 || code(t, r) != "unknown_short_code" {
		t.Errorf("a code of a session two days off: %d %s", r.Status, r.Body)
	}
	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: map[string]any{}}).Want(t, 422)
	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: map[string]any{"token": "a", "short_code": "b"}}).Want(t, 422)
	if n := h.count("marks"); n != 2 {
		t.Fatalf("refused scans wrote marks: %d, want 2", n)
	}
	var st string
	if err := h.DB.Get(&st, `SELECT status FROM bookings WHERE id = $1`, bookings[2]); err != nil || st != "cancelled" {
		t.Fatalf("cancelled booking is %s (%v)", st, err)
	}
	// Someone who left and comes back is checked in again.
	left := newMark(people[0], "left", h.Now.Now().Add(time.Second))
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/register/marks", Token: worker, Body: marksBody("t", []regMark{left})}).Want(t, 200)
	h.Now.Advance(time.Minute)
	back := scan(map[string]any{"token": signer.Token(bookings[0], occ)}).Want(t, 200).Map(t)
	if back["already_present"] != false {
		t.Fatalf("back after leaving: %v", back)
	}
	if v := h.regView(worker, occ); v.Counts.OnSite != 2 {
		t.Fatalf("on site %d, want 2", v.Counts.OnSite)
	}
}

// moveTicket swaps the occurrence inside a ticket, keeping its signature.
func moveTicket(t *testing.T, tok, occ string) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	o := uuid.MustParse(occ)
	parts[2] = strings.TrimRight(jwtEncode(string(o[:])), "=")
	return strings.Join(parts, ".")
}

// TestWalkInsTakePlacesAndRefuseWhenFull: walk-ins race for the free places
// of a bookable session; exactly the free places are taken, the rest are
// refused as full, and a refused registration of a new person writes nothing.
func TestWalkInsTakePlacesAndRefuseWhenFull(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, _, _ := h.regStarted(occOpts{Capacity: 8}, 3) // 5 places left
	walkers, _ := h.youngPeople(12, time.Now().AddDate(-14, 0, 0))
	base := h.listen()
	worker := h.tokenFor(h.F.WorkerA)
	results := race(len(walkers), func(i int) raceResult {
		return send(base, "POST", "/api/v1/sessions/"+occ+"/walk-ins", worker, "", `{"young_person_id":"`+walkers[i]+`","postcode":"M32 0JG"}`)
	})
	added, full := 0, 0
	for i, r := range results {
		switch {
		case r.status == 201 && r.body["walk_in"] == true:
			added++
		case r.status == 409 && r.body["code"] == "full":
			full++
		default:
			t.Fatalf("walk-in %d: %v %d %v", i, r.err, r.status, r.body)
		}
	}
	var confirmed int
	if err := h.DB.Get(&confirmed, `SELECT confirmed_count FROM occurrences WHERE id = $1`, occ); err != nil {
		t.Fatal(err)
	}
	if added != 5 || full != 7 || confirmed != 8 || h.count("walk_ins") != 5 {
		t.Fatalf("%d added, %d full, counter %d, %d walk-ins; want 5, 7, 8, 5", added, full, confirmed, h.count("walk_ins"))
	}
	users, contacts := h.count("users"), h.count("emergency_contacts")
	newPerson := map[string]any{"first_name": "Jess", "date_of_birth": time.Now().AddDate(-13, -2, 0).Format(time.DateOnly), "postcode": "m32 0jg",
		"emergency_contact": map[string]any{"name": "Pat", "phone": "07700 900123", "relationship": "mum"}}
	r := h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/walk-ins", Token: worker, Body: newPerson}).Want(t, 409)
	if code(t, r) != "full" || h.count("users") != users || h.count("emergency_contacts") != contacts {
		t.Fatalf("a walk-in refused as full wrote something: %s", r.Body)
	}
	// Someone already on the register is returned as they are.
	for _, r := range results {
		if r.status == 201 {
			h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/walk-ins", Token: worker,
				Body: map[string]any{"young_person_id": r.body["young_person_id"], "postcode": "M32 0JG"}}).Want(t, 200)
			break
		}
	}
	// A walk-in's mark is accepted; a new person at a drop-in session takes no place.
	drop := h.occurrence(occOpts{Mode: "drop_in", Capacity: 1, Title: "Drop-in", Starts: h.Now.Now().Add(-10 * time.Minute)})
	worker = h.tokenFor(h.F.ManagerA)
	var e regEntry
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + drop + "/walk-ins", Token: worker, Body: newPerson}).Want(t, 201).JSON(t, &e)
	if !e.WalkIn || e.BookingID != nil || e.FirstName != "Jess" || e.Mark != nil {
		t.Fatalf("entry %+v", e)
	}
	var pc string
	var email, hash *string
	if err := h.DB.QueryRow(`SELECT postcode, email, password_hash FROM users WHERE id = $1`, e.YoungPersonID).Scan(&pc, &email, &hash); err != nil {
		t.Fatal(err)
	}
	if pc != "M32 0JG" || email != nil || hash != nil {
		t.Fatalf("walk-in account: %s %v %v", pc, email, hash)
	}
	res := h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + drop + "/register/marks", Token: worker,
		Body: marksBody("t", []regMark{newMark(e.YoungPersonID, "present", h.Now.Now())})}).Want(t, 200).Map(t)
	if res["stored"] != 1.0 {
		t.Fatalf("walk-in mark: %v", res)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + drop + "/walk-ins", Token: worker, Body: map[string]any{"young_person_id": walkers[0], "postcode": "M32 0JG"}}).Want(t, 201)
	if n := h.count("walk_ins"); n != 7 {
		t.Fatalf("%d walk-ins, want 7", n)
	}
}

// TestWalkInRulesAndBadInput: missing details are named field by field,
// the session's ages apply, and someone on the waiting list gets a free
// place on their own booking.
func TestWalkInRulesAndBadInput(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, _, _ := h.regStarted(occOpts{Capacity: 3, AgeMin: 13, AgeMax: 16}, 1)
	worker := h.tokenFor(h.F.WorkerA)
	path := "/api/v1/sessions/" + occ + "/walk-ins"
	h.postcodes() // M32, M16 and M31 known
	users := h.count("users")
	cases := []struct {
		name   string
		body   any
		fields []string
	}{
		{"nothing", map[string]any{}, []string{"first_name", "date_of_birth", "postcode", "emergency_contact"}},
		{"bad details", map[string]any{"first_name": "Al", "date_of_birth": "2012-02-30", "postcode": "nowhere",
			"emergency_contact": map[string]any{"name": "", "phone": "999", "relationship": "dad"}},
			[]string{"date_of_birth", "postcode", "emergency_contact.phone", "emergency_contact.name"}},
		{"both", map[string]any{"young_person_id": h.F.Young, "first_name": "Al"}, []string{"young_person_id"}},
		{"a postcode the directory does not know", map[string]any{"first_name": "Al", "date_of_birth": time.Now().AddDate(-14, 0, 0).Format(time.DateOnly),
			"postcode": "ZZ99 9ZZ", "emergency_contact": map[string]any{"name": "Bo", "phone": "+44 7700 900123", "relationship": "mum"}}, []string{"postcode"}},
		{"too old to be a young person", map[string]any{"first_name": "Al", "date_of_birth": "1990-01-01", "postcode": "M32 0JG",
			"emergency_contact": map[string]any{"name": "Bo", "phone": "+44 7700 900123", "relationship": "partner"}}, []string{"date_of_birth"}},
	}
	for _, c := range cases {
		r := h.Do(Req{Method: "POST", Path: path, Token: worker, Body: c.body, Raw: true}).Want(t, 422)
		got := map[string]bool{}
		for _, e := range r.Map(t)["errors"].([]any) {
			got[e.(map[string]any)["field"].(string)] = true
		}
		for _, f := range c.fields {
			if !got[f] {
				t.Errorf("%s: %s not named: %s", c.name, f, r.Body)
			}
		}
	}
	young := h.F.Child // 11: too young for 13–16
	r := h.Do(Req{Method: "POST", Path: path, Token: worker, Body: map[string]any{"young_person_id": young, "postcode": "M32 0JG"}}).Want(t, 422)
	if code(t, r) != "not_eligible_age" {
		t.Fatalf("age: %s", r.Body)
	}
	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: map[string]any{"young_person_id": h.F.WorkerA, "postcode": "M32 0JG"}}).Want(t, 404)
	if h.count("users") != users || h.count("walk_ins") != 0 {
		t.Fatal("a refused walk-in wrote something")
	}
	// On the waiting list: the walk-in takes the free place on the booking.
	waiting, _ := h.youngPeople(1, time.Now().AddDate(-15, 0, 0))
	if _, err := h.DB.Exec(`WITH b AS (INSERT INTO bookings (occurrence_id, young_person_id, status, waitlist_seq, starts_at, ends_at)
		SELECT id, $2, 'waitlisted', 1, starts_at, ends_at FROM occurrences WHERE id = $1)
		UPDATE occurrences SET waitlist_count = 1, waitlist_seq = 1 WHERE id = $1`, occ, waiting[0]); err != nil {
		t.Fatal(err)
	}
	var e regEntry
	// Their home postcode proves it is them: a wrong one is refused, audited, and after five a day
	// nobody can try again; the right one, in any spacing or case, lets them in.
	for range 4 {
		r := h.Do(Req{Method: "POST", Path: path, Token: worker, Body: map[string]any{"young_person_id": waiting[0], "postcode": "M32 0JH"}}).Want(t, 422)
		if !strings.Contains(string(r.Body), `"field":"postcode"`) || !strings.Contains(string(r.Body), "not the home postcode we have for them") {
			t.Fatalf("a wrong postcode: %s", r.Body)
		}
	}
	if n := h.countWhere("audit_log", "action = 'walk_in_postcode_wrong' AND subject_id = '"+waiting[0]+"'"); n != 4 {
		t.Fatalf("%d wrong postcodes audited, want 4", n)
	}
	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: map[string]any{"young_person_id": waiting[0], "postcode": "m320jg"}}).Want(t, 201).JSON(t, &e)
	if e.WalkIn || e.BookingStatus == nil || *e.BookingStatus != "confirmed" {
		t.Fatalf("waiting-list walk-in: %+v", e)
	}
	c, w, cc, cw := h.counts(occ)
	if c != 2 || w != 0 || cc != 2 || cw != 0 {
		t.Fatalf("counts after promotion at the door: %d %d %d %d", c, w, cc, cw)
	}
}

// dobOf is a young person's date of birth, as a walk-in search takes it.
func (h *H) dobOf(id string) string {
	h.t.Helper()
	var dob string
	if err := h.DB.Get(&dob, `SELECT to_char(date_of_birth, 'YYYY-MM-DD') FROM users WHERE id = $1`, id); err != nil {
		h.t.Fatal(err)
	}
	return dob
}

// TestWalkInSearchShowsTheMinimum: staff find registered young people by
// name and date of birth, both asked at the door, and see only what tells
// them apart. A name alone is refused: it would list everyone.
func TestWalkInSearchShowsTheMinimum(t *testing.T) {
	t.Parallel()
	h := newH(t)
	worker := h.tokenFor(h.F.WorkerB) // young people cross council lines
	dob := h.dobOf(h.F.Young)
	res := h.Do(Req{Method: "GET", Path: "/api/v1/walk-ins/search?q=young&date_of_birth=" + dob, Token: worker}).Want(t, 200)
	if strings.Contains(string(res.Body), "@") || strings.Contains(string(res.Body), "Tester") || strings.Contains(string(res.Body), "0JG") {
		t.Fatalf("search shows too much: %s", res.Body)
	}
	var out struct {
		Items []map[string]any `json:"items"`
	}
	res.JSON(t, &out)
	if len(out.Items) != 1 || out.Items[0]["id"] != h.F.Young || out.Items[0]["date_of_birth"] != dob ||
		out.Items[0]["last_initial"] != "T" || out.Items[0]["postcode_district"] != "M32" {
		t.Fatalf("by name and birth date: %s", res.Body)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/walk-ins/search?q=you&date_of_birth=" + h.dobOf(h.F.Child), Token: worker}).Want(t, 200).JSON(t, &out)
	if len(out.Items) != 1 || out.Items[0]["id"] != h.F.Child {
		t.Fatalf("the child by birth date: %v", out.Items)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/walk-ins/search?q=you&date_of_birth=2001-01-01", Token: worker}).Want(t, 200).JSON(t, &out)
	if len(out.Items) != 0 {
		t.Fatalf("wrong birth date matched: %v", out.Items)
	}
	wantField(t, h.Do(Req{Method: "GET", Path: "/api/v1/walk-ins/search?q=young", Token: worker, Raw: true}), "date_of_birth", "needs their name and date of birth")
	wantField(t, h.Do(Req{Method: "GET", Path: "/api/v1/walk-ins/search?q=young&date_of_birth=2011-02-30", Token: worker, Raw: true}), "date_of_birth", "real date")
	h.Do(Req{Method: "GET", Path: "/api/v1/walk-ins/search?q=%25%25&date_of_birth=" + dob, Token: worker}).Want(t, 200).JSON(t, &out)
	if len(out.Items) != 0 {
		t.Fatalf("a wildcard matched: %v", out.Items)
	}
	wantField(t, h.Do(Req{Method: "GET", Path: "/api/v1/walk-ins/search?q=y&date_of_birth=" + dob, Token: worker, Raw: true}), "q", "2 letters")
	h.Do(Req{Method: "GET", Path: "/api/v1/walk-ins/search?q=youth_w&date_of_birth=" + dob, Token: worker}).Want(t, 200).JSON(t, &out)
	if len(out.Items) != 0 {
		t.Fatalf("staff found by a walk-in search: %v", out.Items)
	}

	// Each young person shown is audited: their home council (A) sees that
	// council B's worker looked them up (not the names searched for, which
	// would outlive an erased account).
	if _, err := h.DB.Exec(`INSERT INTO postcodes (postcode, lat, lon, lad_code) VALUES ('M32 0JG', 53.4509, -2.3077, 'E08000009')`); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Items []struct {
			Reason  string            `json:"reason"`
			Actor   map[string]string `json:"actor"`
			Subject map[string]string `json:"subject"`
		} `json:"items"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/audit-log?action=walk_in_search_shown", Token: h.Login("officer.a@example.test")}).Want(t, 200).JSON(t, &log)
	if len(log.Items) != 2 { // the young person, then the child
		t.Fatalf("access log: %+v", log.Items)
	}
	if e := log.Items[1]; e.Actor["id"] != h.F.WorkerB || e.Subject["id"] != h.F.Young || e.Reason != "walk-in search by name and date of birth" || strings.Contains(e.Reason, "you") {
		t.Fatalf("newest entry: %+v", e)
	}
}

// TestRollCallShowsWhoIsOnSiteAndAuditsEveryView: the roll call lists
// those checked in and not out with their emergency details, and writes one
// audit row per young person whose details it shows, every time.
func TestRollCallShowsWhoIsOnSiteAndAuditsEveryView(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, _, _ := h.regStarted(occOpts{Mode: "drop_in"}, 0)
	worker := h.tokenFor(h.F.WorkerA)
	var ids []string
	for i, name := range []string{"Ana", "Ben", "Cal"} {
		body := map[string]any{"first_name": name, "last_name": "Lee", "date_of_birth": time.Now().AddDate(-14, 0, -i).Format(time.DateOnly), "postcode": "M32 0JG",
			"emergency_contact": map[string]any{"name": name + "'s mum", "phone": "07700 90012" + fmt.Sprint(i), "relationship": "mum"}}
		if name == "Ana" {
			body["medical_notes"] = "Asthma: inhaler in bag"
		}
		var e regEntry
		h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/walk-ins", Token: worker, Body: body}).Want(t, 201).JSON(t, &e)
		ids = append(ids, e.YoungPersonID)
	}
	noContact, _ := h.youngPeople(1, time.Now().AddDate(-15, 0, 0))
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/walk-ins", Token: worker, Body: map[string]any{"young_person_id": noContact[0], "postcode": "M32 0JG"}}).Want(t, 201)
	now := h.Now.Now()
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + occ + "/register/marks", Token: worker, Body: marksBody("t", []regMark{
		newMark(ids[0], "present", now), newMark(ids[1], "late", now), newMark(ids[2], "left", now), newMark(noContact[0], "present", now),
	})}).Want(t, 200)

	// The register says, before any emergency, who has no contact kept (not
	// who the contacts are: that is the roll call's, audited).
	audited := h.count("audit_log")
	var reg struct {
		Entries []regEntry `json:"entries"`
	}
	view := h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/register", Token: worker}).Want(t, 200)
	view.JSON(t, &reg)
	for _, e := range reg.Entries {
		if e.HasContact != (e.YoungPersonID != noContact[0]) {
			t.Fatalf("has_emergency_contact of %s: %v", e.FirstName, e.HasContact)
		}
	}
	if strings.Contains(string(view.Body), "07700") || h.count("audit_log") != audited {
		t.Fatalf("the register showed a contact: %s", view.Body)
	}

	path := "/api/v1/sessions/" + occ + "/roll-call"
	h.Do(Req{Method: "GET", Path: path, Token: worker, Raw: true}).Want(t, 422)
	if h.count("audit_log") != 0 {
		t.Fatal("a refused roll call wrote to the audit log")
	}
	res := h.Do(Req{Method: "GET", Path: path + "?reason=fire+drill", Token: worker}).Want(t, 200)
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Fatal("roll call without Cache-Control: no-store")
	}
	var rc struct {
		Total int `json:"total"`
		Items []struct {
			YoungPersonID     string `json:"young_person_id"`
			FirstName         string `json:"first_name"`
			EmergencyContacts []struct {
				Name, Phone, Relationship string
			} `json:"emergency_contacts"`
			MedicalNotes *string `json:"medical_notes"`
		} `json:"items"`
	}
	res.JSON(t, &rc)
	if rc.Total != 3 || len(rc.Items) != 3 || rc.Items[0].FirstName != "Ana" || rc.Items[1].FirstName != "Ben" {
		t.Fatalf("roll call: %s", res.Body)
	}
	if c := rc.Items[0].EmergencyContacts; len(c) != 1 || c[0].Phone != "07700900120" || c[0].Relationship != "mum" ||
		rc.Items[0].MedicalNotes == nil || *rc.Items[0].MedicalNotes != "Asthma: inhaler in bag" {
		t.Fatalf("Ana's details: %+v", rc.Items[0])
	}
	type audit struct {
		Actor   string `db:"actor_id"`
		Subject string `db:"subject_id"`
		Action  string `db:"action"`
		Reason  string `db:"reason"`
	}
	var rows []audit
	if err := h.DB.Select(&rows, `SELECT actor_id, subject_id, action, reason FROM audit_log ORDER BY subject_id`); err != nil {
		t.Fatal(err)
	}
	want := []string{ids[0], ids[1]}
	sort.Strings(want)
	if len(rows) != 2 {
		t.Fatalf("audit rows %+v, want one for each of Ana and Ben", rows)
	}
	for i, r := range rows {
		if r.Actor != h.F.WorkerA || r.Subject != want[i] || r.Action != "view_emergency_contact" || r.Reason != "fire drill" {
			t.Fatalf("audit row %+v", r)
		}
	}
	h.Do(Req{Method: "GET", Path: path + "?reason=evacuation", Token: h.tokenFor(h.F.ManagerA)}).Want(t, 200)
	if n := h.count("audit_log"); n != 4 {
		t.Fatalf("%d audit rows after two roll calls, want 4", n)
	}
	// The register itself never shows contacts.
	if body := string(h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ + "/register", Token: worker}).Want(t, 200).Body); strings.Contains(body, "07700") || strings.Contains(body, "Asthma") {
		t.Fatal("the register shows emergency details")
	}
}

// TestClosingRegisters: an hour after a session, confirmed bookings with no
// present, late or left mark become no-shows, once; a manager can still
// correct the register afterwards and the booking follows.
func TestClosingRegisters(t *testing.T) {
	t.Parallel()
	h := newH(t)
	start := h.Now.Now().Add(-3 * time.Hour)
	occ, people, bookings := h.regStarted(occOpts{Starts: start, Dur: 90 * time.Minute}, 4)
	later, _, laterBookings := h.regStarted(occOpts{Starts: h.Now.Now().Add(-time.Hour), Title: "Still on"}, 1)
	manager := h.tokenFor(h.F.ManagerA)
	path := "/api/v1/sessions/" + occ + "/register/marks"
	h.Do(Req{Method: "POST", Path: path, Token: manager, Body: marksBody("t", []regMark{
		newMark(people[0], "present", start.Add(time.Minute)), newMark(people[1], "absent", start.Add(time.Minute)),
		newMark(people[3], "left", start.Add(time.Hour)),
	})}).Want(t, 200)
	n, err := h.Srv.MarkNoShows(t.Context())
	if err != nil || n != 2 {
		t.Fatalf("no-shows %d, %v; want 2", n, err)
	}
	status := func(id string) string {
		var s string
		if err := h.DB.Get(&s, `SELECT status FROM bookings WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		return s
	}
	for i, want := range []string{"attended", "no_show", "no_show", "attended"} {
		if got := status(bookings[i]); got != want {
			t.Fatalf("booking %d is %s, want %s", i, got, want)
		}
	}
	if status(laterBookings[0]) != "confirmed" {
		t.Fatal("a session that ended less than an hour ago was closed")
	}
	var closed, open int
	if err := h.DB.QueryRow(`SELECT count(*) FILTER (WHERE register_closed_at IS NOT NULL), count(*) FILTER (WHERE register_closed_at IS NULL)
		FROM occurrences WHERE id IN ($1, $2)`, occ, later).Scan(&closed, &open); err != nil || closed != 1 || open != 1 {
		t.Fatalf("closed %d, open %d (%v)", closed, open, err)
	}
	if n, err := h.Srv.MarkNoShows(t.Context()); err != nil || n != 0 {
		t.Fatalf("second run: %d, %v", n, err)
	}
	// Corrections after closing: the booking follows the winning mark.
	h.Do(Req{Method: "POST", Path: path, Token: manager, Body: marksBody("office", []regMark{
		newMark(people[2], "late", start.Add(20*time.Minute)), newMark(people[0], "absent", start.Add(80*time.Minute)),
	})}).Want(t, 200)
	if status(bookings[2]) != "attended" || status(bookings[0]) != "no_show" {
		t.Fatalf("after corrections: %s, %s", status(bookings[2]), status(bookings[0]))
	}
}

// The register benchmark's fixture (scripts/bench/marks-setup.sql).
const (
	benchOccurrence = "00000000-0000-4000-8000-0000000000c5"
	benchManager    = "00000000-0000-4000-8000-00000000a001"
)

// benchPerson is the id of the fixture's young person k (1..1000).
func benchPerson(k int) string {
	return uuid.UUID(md5.Sum([]byte(fmt.Sprintf("bench-register-%d", k)))).String()
}

func benchSetupSQL(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "scripts", "bench", "marks-setup.sql"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func benchMarkBody(k int, at time.Time) string {
	return fmt.Sprintf(`{"device_id":"bench","marks":[{"client_id":%q,"young_person_id":%q,"status":"present","recorded_at":%q}]}`,
		uuid.NewString(), benchPerson(k), at.UTC().Format(time.RFC3339Nano))
}

// TestBenchmarkFixtureAndRequest keeps the benchmark's fixture and its
// documented request working: the setup runs twice, and the request stores
// a mark for the person whose id Go derives as the SQL does.
func TestBenchmarkFixtureAndRequest(t *testing.T) {
	t.Parallel()
	h := newH(t)
	for range 2 {
		if _, err := h.DB.Exec(benchSetupSQL(t)); err != nil {
			t.Fatal(err)
		}
	}
	var people, booked int
	if err := h.DB.QueryRow(`SELECT (SELECT count(*) FROM users WHERE first_name LIKE 'Bench%' AND role = 'young_person'),
		confirmed_count FROM occurrences WHERE id = $1`, benchOccurrence).Scan(&people, &booked); err != nil {
		t.Fatal(err)
	}
	if people != 1000 || booked != 1000 {
		t.Fatalf("fixture: %d people, %d booked", people, booked)
	}
	res := h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + benchOccurrence + "/register/marks", Token: h.tokenFor(benchManager),
		Body: benchMarkBody(1000, h.Now.Now())}).Want(t, 200).Map(t)
	if res["stored"] != 1.0 {
		t.Fatalf("bench request: %v", res)
	}
}

// BenchmarkMarkPerRequest measures marks stored per second through the whole
// HTTP stack over real connections, one mark per request, 64 clients at once
// (go test -run - -bench MarkPerRequest ./internal/api). Compare with
// scripts/bench/marks.sql under pgbench at -c 64.
func BenchmarkMarkPerRequest(b *testing.B) {
	db := testdb.New(b)
	if _, err := db.Exec(benchSetupSQL(b)); err != nil {
		b.Fatal(err)
	}
	app, _ := api.New(api.Deps{Config: testConfig(), DB: db, Log: slog.New(slog.DiscardHandler), Now: time.Now, SPA: os.DirFS(b.TempDir())})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	b.Cleanup(func() { _ = app.Shutdown() })
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": "youthhub", "aud": []string{"youthhub-api"}, "sub": benchManager,
		"use": "access", "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()})
	tok.Header["kid"] = "k1"
	token, err := tok.SignedString(testKey)
	if err != nil {
		b.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/api/v1/sessions/" + benchOccurrence + "/register/marks"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}, Timeout: 30 * time.Second}
	b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0)))
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			k := int(n.Add(1)%1000) + 1
			req, _ := http.NewRequest("POST", url, strings.NewReader(benchMarkBody(k, time.Now())))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "marks/s")
}

// Five wrong postcodes for one young person in a day, from anyone, and walk-ins
// of them are refused until the next day, even with the right one: a
// district's postcodes cannot be tried one by one.
func TestWalkInPostcodeGuessesAreLimited(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, _, _ := h.regStarted(occOpts{Mode: "drop_in"}, 0)
	worker, manager := h.tokenFor(h.F.WorkerA), h.tokenFor(h.F.ManagerA)
	path := "/api/v1/sessions/" + occ + "/walk-ins"
	people, _ := h.youngPeople(1, time.Now().AddDate(-15, 0, 0))
	try := func(tok, pc string) Res {
		return h.Do(Req{Method: "POST", Path: path, Token: tok, Body: map[string]any{"young_person_id": people[0], "postcode": pc}})
	}
	for i := range 5 {
		try([]string{worker, manager}[i%2], fmt.Sprintf("M32 0J%c", 'A'+i)).Want(t, 422)
	}
	wantCode(t, try(worker, "M32 0JG"), 429, "too_many_wrong_postcodes")
	if h.count("walk_ins") != 0 {
		t.Fatal("a walk-in was added after five wrong postcodes")
	}
	h.Now.Advance(25 * time.Hour)
	later, _, _ := h.regStarted(occOpts{Mode: "drop_in"}, 0)
	h.Do(Req{Method: "POST", Path: "/api/v1/sessions/" + later + "/walk-ins", Token: h.tokenFor(h.F.WorkerA),
		Body: map[string]any{"young_person_id": people[0], "postcode": "M32 0JG"}}).Want(t, 201)
}

// TestWalkInOnlyAddsToARegisteredPersonsDetails: at the door, staff can add
// an emergency contact or medical notes for someone already registered, but
// never replace what is kept (an allergy overwritten with "none"); each
// addition is audited, and sending the same again adds nothing.
func TestWalkInOnlyAddsToARegisteredPersonsDetails(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, _, _ := h.regStarted(occOpts{Mode: "drop_in"}, 0)
	worker := h.tokenFor(h.F.WorkerA)
	path := "/api/v1/sessions/" + occ + "/walk-ins"
	ids, _ := h.youngPeople(1, time.Now().AddDate(-14, 0, 0))
	yp := ids[0]
	notes := func() string {
		var n string
		if err := h.DB.Get(&n, `SELECT coalesce((SELECT notes FROM medical_notes WHERE young_person_id = $1), '')`, yp); err != nil {
			t.Fatal(err)
		}
		return n
	}
	contact := func(name, phone string) map[string]any {
		return map[string]any{"name": name, "phone": phone, "relationship": "aunt"}
	}

	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: map[string]any{"young_person_id": yp, "postcode": "M32 0JG",
		"medical_notes": "Severe peanut allergy - EpiPen in bag", "emergency_contact": contact("Ann Racer", "07700 900111")}}).Want(t, 201)
	if n := notes(); !strings.Contains(n, "Severe peanut allergy - EpiPen in bag") || !strings.HasPrefix(n, "Added at the door, ") {
		t.Fatalf("notes after the first walk-in: %q", n)
	}
	// Sent again by someone else's phone, with "none" and another contact:
	// added to, not replaced.
	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: map[string]any{"young_person_id": yp, "postcode": "M32 0JG",
		"medical_notes": "none", "emergency_contact": contact("Stranger Danger", "07700 900222")}}).Want(t, 200)
	n := notes()
	if !strings.Contains(n, "Severe peanut allergy - EpiPen in bag") || !strings.Contains(n, ": none") || strings.Index(n, "peanut") > strings.Index(n, "none") {
		t.Fatalf("notes after a second walk-in: %q", n)
	}
	if c := h.countWhere("emergency_contacts", "young_person_id = '"+yp+"'"); c != 2 {
		t.Fatalf("%d contacts, want 2", c)
	}
	// They are told they were let in (once: the second time they were on the register already).
	var told []string
	if err := h.DB.Select(&told, `SELECT message FROM notifications WHERE user_id = $1 AND kind = 'walked_in'`, yp); err != nil ||
		len(told) != 1 || !strings.HasPrefix(told[0], "A youth worker let you in at Tuesday football, ") || !strings.Contains(told[0], "If that was not you") {
		t.Fatalf("walked-in notifications: %q %v", told, err)
	}
	if a := h.countWhere("audit_log", "action = 'walk_in_details_added' AND subject_id = '"+yp+"' AND actor_id = '"+h.F.WorkerA+"'"); a != 2 {
		t.Fatalf("%d additions audited, want 2", a)
	}
	// The same again (a retried request): nothing new, nothing audited.
	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: map[string]any{"young_person_id": yp, "postcode": "M32 0JG",
		"medical_notes": "none", "emergency_contact": contact("stranger danger", "07700900222")}}).Want(t, 200)
	if notes() != n || h.countWhere("emergency_contacts", "young_person_id = '"+yp+"'") != 2 ||
		h.countWhere("audit_log", "action = 'walk_in_details_added'") != 2 {
		t.Fatalf("a retried walk-in added something: %q", notes())
	}
	// The officers of the young person's home council see who added what.
	if _, err := h.DB.Exec(`INSERT INTO postcodes (postcode, lat, lon, lad_code) VALUES ('M32 0JG', 53.4509, -2.3077, 'E08000009') ON CONFLICT DO NOTHING`); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Items []struct {
			Reason string `json:"reason"`
		} `json:"items"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/audit-log?action=walk_in_details_added", Token: h.Login("officer.a@example.test")}).Want(t, 200).JSON(t, &log)
	if len(log.Items) != 2 || !strings.HasPrefix(log.Items[1].Reason, "added an emergency contact and medical notes at a walk-in to ") {
		t.Fatalf("access log: %+v", log.Items)
	}
	// Notes that merely contain the words already kept are still added ("peanut allergy" after
	// "Severe peanut allergy - EpiPen in bag"); notes too long once dated are refused by name.
	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: map[string]any{"young_person_id": yp, "postcode": "M32 0JG",
		"medical_notes": "peanut allergy"}}).Want(t, 200)
	if n := notes(); !strings.HasSuffix(n, ": peanut allergy") {
		t.Fatalf("notes after a shorter addition: %q", n)
	}
	wantField(t, h.Do(Req{Method: "POST", Path: path, Token: worker, Raw: true, Body: map[string]any{"young_person_id": yp, "postcode": "M32 0JG",
		"medical_notes": strings.Repeat("a", 1990)}}), "medical_notes", "1,950 characters")

	// Someone registered at the door gets their notes as given, unaudited:
	// they are new with the walk-in.
	var e regEntry
	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: map[string]any{"first_name": "Nia", "date_of_birth": time.Now().AddDate(-13, 0, -3).Format(time.DateOnly),
		"postcode": "M32 0JG", "medical_notes": "Asthma", "emergency_contact": contact("Nia's mum", "07700 900333")}}).Want(t, 201).JSON(t, &e)
	var kept string
	if err := h.DB.Get(&kept, `SELECT notes FROM medical_notes WHERE young_person_id = $1`, e.YoungPersonID); err != nil || kept != "Asthma" {
		t.Fatalf("a new walk-in's notes: %q %v", kept, err)
	}
	if h.countWhere("audit_log", "action = 'walk_in_details_added' AND subject_id = '"+e.YoungPersonID+"'") != 0 {
		t.Fatal("a new walk-in's own details audited as added")
	}
}

// TestManagersSeeTheirCouncilsRegistersToday: a centre manager or officer
// opens any of their council's registers today, rostered or not, from one
// list; another council's staff see none of them, and workers use their rota.
func TestManagersSeeTheirCouncilsRegistersToday(t *testing.T) {
	t.Parallel()
	h := newH(t)
	n := h.Now.Now().In(london)
	midnight := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, london)
	late := h.occurrence(occOpts{Starts: midnight.Add(20 * time.Hour), Title: "Evening art"})
	early := h.occurrence(occOpts{Starts: midnight.Add(30 * time.Minute), Title: "Night owls"})
	h.occurrence(occOpts{Starts: midnight.Add(24*time.Hour + time.Hour), Title: "Tomorrow's club"})
	h.occurrence(occOpts{Starts: midnight.Add(-time.Hour), Title: "Yesterday's club"})
	h.regRoster(late, h.F.ManagerA)

	var out struct {
		Items []struct {
			OccurrenceID string `json:"occurrence_id"`
			Title        string `json:"title"`
			CentreName   string `json:"centre_name"`
			Rostered     bool   `json:"rostered"`
		} `json:"items"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/registers/today", Token: h.tokenFor(h.F.ManagerA)}).Want(t, 200).JSON(t, &out)
	if len(out.Items) != 2 || out.Items[0].OccurrenceID != early || out.Items[1].OccurrenceID != late ||
		out.Items[0].Rostered || !out.Items[1].Rostered || out.Items[1].CentreName == "" {
		t.Fatalf("manager A today: %+v", out.Items)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/registers/today?day=" + midnight.AddDate(0, 0, 1).Format(time.DateOnly), Token: h.Login("officer.a@example.test")}).Want(t, 200).JSON(t, &out)
	if len(out.Items) != 1 || out.Items[0].Title != "Tomorrow's club" {
		t.Fatalf("officer A tomorrow: %+v", out.Items)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/registers/today", Token: h.tokenFor(h.F.ManagerB)}).Want(t, 200).JSON(t, &out)
	if len(out.Items) != 0 {
		t.Fatalf("another council's manager: %+v", out.Items)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/registers/today", Token: h.tokenFor(h.F.WorkerA)}).Want(t, 403)
	h.Do(Req{Method: "GET", Path: "/api/v1/registers/today", Token: h.Login("young@example.test")}).Want(t, 403)
	wantField(t, h.Do(Req{Method: "GET", Path: "/api/v1/registers/today?day=tomorrow", Token: h.tokenFor(h.F.ManagerA), Raw: true}), "day", "real date")
}

// TestWalkInWarnsOfAPossibleDuplicate: registering someone new at the door
// when a young person of the same first name and date of birth is
// registered is refused until staff say it is someone else, so that one
// child's contacts and history are not split over two records.
func TestWalkInWarnsOfAPossibleDuplicate(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, _, _ := h.regStarted(occOpts{Mode: "drop_in"}, 0)
	worker := h.tokenFor(h.F.WorkerA)
	path := "/api/v1/sessions/" + occ + "/walk-ins"
	var first string
	if err := h.DB.Get(&first, `SELECT first_name FROM users WHERE id = $1`, h.F.Young); err != nil {
		t.Fatal(err)
	}
	body := func(name string, someoneElse bool) map[string]any {
		return map[string]any{"first_name": name, "last_name": "Other", "date_of_birth": h.dobOf(h.F.Young), "postcode": "M32 0JG",
			"emergency_contact": map[string]any{"name": "Pat Other", "phone": "07700 900444", "relationship": "dad"}, "someone_else": someoneElse}
	}
	users := h.count("users")
	r := h.Do(Req{Method: "POST", Path: path, Token: worker, Body: body(strings.ToUpper(first), false)})
	wantCode(t, r, 409, "possible_duplicate")
	// Saying so tells that such a young person exists, as a search would: audited as one.
	if h.countWhere("audit_log", "action = 'walk_in_search_shown' AND subject_id = '"+h.F.Young+"' AND actor_id = '"+h.F.WorkerA+"'") != 1 {
		t.Fatal("a possible duplicate was not audited as shown")
	}
	if !strings.Contains(string(r.Body), "is already registered") || h.count("users") != users || h.count("emergency_contacts") != 0 {
		t.Fatalf("a possible duplicate: %s", r.Body)
	}
	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: body(first, true)}).Want(t, 201)
	// Another first name on the same day is no duplicate.
	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: body("Zed", false)}).Want(t, 201)
	if h.count("users") != users+2 {
		t.Fatalf("%d people registered, want 2", h.count("users")-users)
	}
}

// TestAMarkAloneHoldsNoPlace: someone marked absent whose booking is then
// cancelled is off the register: marking them present is refused (the place
// went back), while a check-out is still taken.
func TestAMarkAloneHoldsNoPlace(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ, people, bookings := h.regStarted(occOpts{Capacity: 1}, 1)
	worker := h.tokenFor(h.F.WorkerA)
	path := "/api/v1/sessions/" + occ + "/register/marks"
	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: marksBody("t", []regMark{newMark(people[0], "absent", h.Now.Now())})}).Want(t, 200)
	if _, err := h.DB.Exec(`UPDATE bookings SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, bookings[0]); err != nil {
		t.Fatal(err)
	}
	h.Now.Advance(time.Minute)
	var out struct {
		Results []struct{ Outcome, Code string } `json:"results"`
	}
	h.Do(Req{Method: "POST", Path: path, Token: worker, Body: marksBody("t", []regMark{newMark(people[0], "present", h.Now.Now())})}).Want(t, 200).JSON(t, &out)
	if len(out.Results) != 1 || out.Results[0].Code != "not_on_register" {
		t.Fatalf("present without a place: %+v", out.Results)
	}
}
