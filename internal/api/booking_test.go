package api_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/lib/pq"
)

type occOpts struct {
	Capacity       int
	AgeMin, AgeMax int
	Mode           string
	Starts         time.Time
	Dur            time.Duration
	Window         int
	Title          string
}

// occurrence inserts a series with one occurrence and returns the occurrence id.
func (h *H) occurrence(o occOpts) string {
	h.t.Helper()
	if o.Capacity == 0 {
		o.Capacity = 10
	}
	if o.AgeMin == 0 {
		o.AgeMin, o.AgeMax = 11, 18
	}
	if o.Mode == "" {
		o.Mode = "bookable"
	}
	if o.Starts.IsZero() {
		o.Starts = h.Now.Now().Add(48 * time.Hour).Truncate(time.Hour)
	}
	if o.Dur == 0 {
		o.Dur = 90 * time.Minute
	}
	if o.Window == 0 {
		o.Window = 14
	}
	if o.Title == "" {
		o.Title = "Tuesday football"
	}
	local := o.Starts.In(london)
	var sid, oid string
	err := h.DB.Get(&sid, `INSERT INTO session_series (council_id, centre_id, title, category, age_min, age_max, booking_mode, capacity,
		days, start_local, duration_minutes, first_date, booking_window_days)
		VALUES ($1, $2, $3, 'sport', $4, $5, $6, $7, ARRAY[$8::int], $9, $10, $11, $12) RETURNING id`,
		h.F.CouncilA, h.F.CentreA, o.Title, o.AgeMin, o.AgeMax, o.Mode, o.Capacity, int(local.Weekday()), local.Format("15:04"),
		int(o.Dur.Minutes()), local.Format(time.DateOnly), o.Window)
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.DB.Get(&oid, `INSERT INTO occurrences (series_id, council_id, centre_id, starts_at, ends_at, booking_mode, capacity)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, sid, h.F.CouncilA, h.F.CentreA, o.Starts, o.Starts.Add(o.Dur), o.Mode, o.Capacity); err != nil {
		h.t.Fatal(err)
	}
	return oid
}

var london, _ = time.LoadLocation("Europe/London")

// youngPeople inserts n young people born on dob and returns their ids and access tokens.
func (h *H) youngPeople(n int, dob time.Time) (ids, tokens []string) {
	h.t.Helper()
	for i := range n {
		var id string
		if err := h.DB.Get(&id, `INSERT INTO users (role, email, password_hash, first_name, last_name, date_of_birth, postcode)
			VALUES ('young_person', $1, 'x', $2, 'Racer', $3, 'M32 0JG') RETURNING id`,
			fmt.Sprintf("yp%d-%s@example.test", i, uuid.NewString()[:8]), fmt.Sprintf("Person%d", i), dob.Format(time.DateOnly)); err != nil {
			h.t.Fatal(err)
		}
		ids = append(ids, id)
		tokens = append(tokens, h.tokenFor(id))
	}
	return ids, tokens
}

// tokenFor signs an access token as the server would (the test knows the key).
func (h *H) tokenFor(userID string) string {
	claims := jwt.MapClaims{"iss": "youthhub", "aud": []string{"youthhub-api"}, "sub": userID, "use": "access", "role": "young_person",
		"iat": h.Now.Now().Unix(), "exp": h.Now.Now().Add(time.Hour).Unix()}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	tok.Header["kid"] = "k1"
	s, err := tok.SignedString(testKey)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// listen serves the app on a real loopback socket for racing clients.
func (h *H) listen() string {
	h.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatal(err)
	}
	go func() { _ = h.App.Listener(ln) }()
	h.t.Cleanup(func() { _ = h.App.Shutdown() })
	return "http://" + ln.Addr().String()
}

type raceResult struct {
	status int
	body   map[string]any
	err    error
}

var raceClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 60 * time.Second}

func send(base, method, path, token, key, body string) raceResult {
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := raceClient.Do(req)
	if err != nil {
		return raceResult{err: err}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return raceResult{status: res.StatusCode, body: m}
}

// waitlistPositions returns the waiting list in order as young person ids.
func (h *H) counts(occ string) (confirmed, waitlisted, ctrConfirmed, ctrWaitlist int) {
	h.t.Helper()
	if err := h.DB.QueryRow(`SELECT
		(SELECT count(*) FROM bookings WHERE occurrence_id = $1 AND status = 'confirmed'),
		(SELECT count(*) FROM bookings WHERE occurrence_id = $1 AND status = 'waitlisted'),
		confirmed_count, waitlist_count FROM occurrences WHERE id = $1`, occ).Scan(&confirmed, &waitlisted, &ctrConfirmed, &ctrWaitlist); err != nil {
		h.t.Fatal(err)
	}
	return
}

// race runs n requests at once (each goroutine waits on one start signal)
// and returns their results in order.
func race(n int, do func(i int) raceResult) []raceResult {
	results := make([]raceResult, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i] = do(i)
		}()
	}
	close(start)
	wg.Wait()
	return results
}

// TestTwoHundredRaceForThirtyPlaces: 200 distinct young people book a
// 30-place session at once over real connections.
func TestTwoHundredRaceForThirtyPlaces(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{Capacity: 30})
	_, tokens := h.youngPeople(200, time.Now().AddDate(-15, 0, -10))
	base := h.listen()
	results := race(len(tokens), func(i int) raceResult {
		return send(base, "POST", "/api/v1/sessions/"+occ+"/bookings", tokens[i], uuid.NewString(), "{}")
	})
	confirmed, waitlisted := 0, 0
	positions := map[int]bool{}
	for i, r := range results {
		if r.err != nil || r.status != 201 {
			t.Fatalf("request %d: %v %d %v", i, r.err, r.status, r.body)
		}
		switch r.body["status"] {
		case "confirmed":
			confirmed++
		case "waitlisted":
			waitlisted++
			positions[int(r.body["waitlist_position"].(float64))] = true
		}
	}
	if confirmed != 30 || waitlisted != 170 {
		t.Fatalf("responses: %d confirmed, %d waitlisted; want 30 and 170", confirmed, waitlisted)
	}
	for p := 1; p <= 170; p++ {
		if !positions[p] {
			t.Fatalf("waiting-list position %d was never given (positions must be 1..170 with no gaps)", p)
		}
	}
	c, w, cc, cw := h.counts(occ)
	if c != 30 || w != 170 || cc != 30 || cw != 170 {
		t.Fatalf("database: %d/%d confirmed/waitlisted, counters %d/%d", c, w, cc, cw)
	}
	// Positions read back from the list are 1..170 too.
	var seqs []int
	if err := h.DB.Select(&seqs, `SELECT rank() OVER (ORDER BY waitlist_seq) FROM bookings WHERE occurrence_id = $1 AND status = 'waitlisted'`, occ); err != nil {
		t.Fatal(err)
	}
	for i, s := range seqs {
		if s != i+1 {
			t.Fatalf("stored positions have a gap at %d", i+1)
		}
	}
}

// TestCancellationsAndBookingsRaceWithoutSkippingTheQueue: while 15 of 30
// confirmed people cancel, 20 newcomers book. Places freed by cancellation
// go to the 20 already waiting, in order; no newcomer jumps the queue.
func TestCancellationsAndBookingsRaceWithoutSkippingTheQueue(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{Capacity: 30})
	dob := time.Now().AddDate(-15, 0, -10)
	_, first := h.youngPeople(50, dob)
	base := h.listen()
	bookingOf := make([]string, 50)
	for i, tok := range first { // 30 confirmed, then 20 waiting in order
		r := send(base, "POST", "/api/v1/sessions/"+occ+"/bookings", tok, "", "{}")
		if r.status != 201 {
			t.Fatalf("setup %d: %d %v", i, r.status, r.body)
		}
		bookingOf[i] = r.body["id"].(string)
	}
	_, newcomers := h.youngPeople(20, dob)
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan string, 100)
	for i := range 15 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if r := send(base, "DELETE", "/api/v1/bookings/"+bookingOf[i], first[i], "", ""); r.status != 200 {
				errs <- fmt.Sprintf("cancel %d: %d %v", i, r.status, r.body)
			}
		}()
	}
	for i, tok := range newcomers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := send(base, "POST", "/api/v1/sessions/"+occ+"/bookings", tok, "", "{}")
			if r.status != 201 || r.body["status"] != "waitlisted" {
				errs <- fmt.Sprintf("newcomer %d jumped the queue or failed: %d %v", i, r.status, r.body)
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	c, w, cc, cw := h.counts(occ)
	if c != 30 || w != 25 || cc != 30 || cw != 25 {
		t.Fatalf("database: %d/%d confirmed/waitlisted (counters %d/%d); want 30/25", c, w, cc, cw)
	}
	// The first 15 of the original waiting list were promoted, in order.
	for i := 30; i < 50; i++ {
		var st string
		if err := h.DB.Get(&st, `SELECT status FROM bookings WHERE id = $1`, bookingOf[i]); err != nil {
			t.Fatal(err)
		}
		want := "confirmed"
		if i >= 45 {
			want = "waitlisted"
		}
		if st != want {
			t.Errorf("original waiting-list entry %d is %s, want %s", i-29, st, want)
		}
	}
	var promotedNotes int
	if err := h.DB.Get(&promotedNotes, `SELECT count(*) FROM notifications WHERE kind = 'promoted'`); err != nil {
		t.Fatal(err)
	}
	if promotedNotes != 15 {
		t.Fatalf("%d promotion notifications, want 15", promotedNotes)
	}
}

// TestIdempotencyKeyRetriesRace: twenty retries of one tap, at once, make
// one booking and all get the same answer.
func TestIdempotencyKeyRetriesRace(t *testing.T) {
	t.Parallel()
	h := newH(t)
	occ := h.occurrence(occOpts{Capacity: 5})
	other := h.occurrence(occOpts{Capacity: 5, Starts: h.Now.Now().Add(72 * time.Hour)})
	_, tokens := h.youngPeople(1, time.Now().AddDate(-15, 0, -10))
	base := h.listen()
	key := uuid.NewString()
	results := race(20, func(int) raceResult {
		return send(base, "POST", "/api/v1/sessions/"+occ+"/bookings", tokens[0], key, "{}")
	})
	for i, r := range results {
		if r.status != 201 || r.body["id"] != results[0].body["id"] {
			t.Fatalf("retry %d: %d %v (first: %v)", i, r.status, r.body, results[0].body)
		}
	}
	var n int
	if err := h.DB.Get(&n, `SELECT count(*) FROM bookings`); err != nil {
		t.Fatal(err)
	}
	if c, _, cc, _ := h.counts(occ); n != 1 || c != 1 || cc != 1 {
		t.Fatalf("%d bookings, counter %d; want exactly 1", n, cc)
	}
	// The same key for another request is refused and creates nothing.
	r := send(base, "POST", "/api/v1/sessions/"+other+"/bookings", tokens[0], key, "{}")
	if r.status != 422 || r.body["code"] != "idempotency_key_reused" {
		t.Fatalf("reused key: %d %v", r.status, r.body)
	}
	// A refusal is replayed too: a second tap's error, retried, is the same error.
	dup := uuid.NewString()
	r1 := send(base, "POST", "/api/v1/sessions/"+occ+"/bookings", tokens[0], dup, "{}")
	r2 := send(base, "POST", "/api/v1/sessions/"+occ+"/bookings", tokens[0], dup, "{}")
	if r1.status != 409 || r2.status != 409 || r1.body["request_id"] != r2.body["request_id"] {
		t.Fatalf("replayed refusal: %d %v / %d %v", r1.status, r1.body, r2.status, r2.body)
	}
}

func subjectOf(t *testing.T, tok string) string {
	t.Helper()
	var c jwt.MapClaims
	if _, _, err := jwt.NewParser().ParseUnverified(tok, &c); err != nil {
		t.Fatal(err)
	}
	sub, _ := c.GetSubject()
	return sub
}

func sha(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// TestOnePersonRacingAcrossSessionsKeepsTheRules: one young person taps
// "book" on sixteen different sessions at once (two phones, a flaky
// connection). The future-booking cap (8) and the overlap rule hold under
// the race: exactly eight confirmed places, the rest refused with the
// cap's reason, and never two confirmed places at the same time.
func TestOnePersonRacingAcrossSessionsKeepsTheRules(t *testing.T) {
	t.Parallel()
	h := newH(t)
	first := h.Now.Now().Add(24 * time.Hour).Truncate(time.Hour)
	var occs []string
	for i := range 16 {
		occs = append(occs, h.occurrence(occOpts{Starts: first.Add(time.Duration(i*3) * time.Hour), Title: fmt.Sprintf("Club %d", i)}))
	}
	// Two more that overlap each other and the first session.
	clash := []string{h.occurrence(occOpts{Starts: first.Add(30 * time.Minute), Title: "Clash A"}), h.occurrence(occOpts{Starts: first.Add(45 * time.Minute), Title: "Clash B"})}
	_, tokens := h.youngPeople(2, time.Now().AddDate(-15, 0, -10))
	base := h.listen()
	bookAll := func(tok string, occs []string) []raceResult {
		return race(len(occs), func(i int) raceResult {
			return send(base, "POST", "/api/v1/sessions/"+occs[i]+"/bookings", tok, uuid.NewString(), "{}")
		})
	}
	confirmed, refused := 0, 0
	for i, r := range bookAll(tokens[0], occs) {
		switch {
		case r.err != nil:
			t.Fatalf("request %d: %v", i, r.err)
		case r.status == 201 && r.body["status"] == "confirmed":
			confirmed++
		case r.status == 422 && r.body["code"] == "too_many_bookings":
			refused++
		default:
			t.Fatalf("request %d: %d %v", i, r.status, r.body)
		}
	}
	var held int
	if err := h.DB.Get(&held, `SELECT count(*) FROM bookings WHERE young_person_id = $1 AND status = 'confirmed'`, subjectOf(t, tokens[0])); err != nil {
		t.Fatal(err)
	}
	if confirmed != 8 || refused != 8 || held != 8 {
		t.Fatalf("%d confirmed and %d refused in responses, %d confirmed in the database; want 8, 8, 8", confirmed, refused, held)
	}

	// The second person races for three sessions at the same time: one place.
	ok := 0
	for i, r := range bookAll(tokens[1], append([]string{occs[0]}, clash...)) {
		switch {
		case r.err != nil:
			t.Fatalf("request %d: %v", i, r.err)
		case r.status == 201:
			ok++
		case r.status != 409 || r.body["code"] != "overlapping_booking":
			t.Fatalf("request %d: %d %v", i, r.status, r.body)
		}
	}
	if err := h.DB.Get(&held, `SELECT count(*) FROM bookings WHERE young_person_id = $1 AND status = 'confirmed'`, subjectOf(t, tokens[1])); err != nil {
		t.Fatal(err)
	}
	if ok != 1 || held != 1 {
		t.Fatalf("%d booked in responses, %d in the database; want one place among overlapping sessions", ok, held)
	}
}

// TestOverlapBackstopInTheSchema: straight into the table, past every Go
// check and the booking statement, the schema still refuses a second
// confirmed place at the same time — whether inserted confirmed or
// promoted from the waiting list — and accepts one that only touches.
func TestOverlapBackstopInTheSchema(t *testing.T) {
	t.Parallel()
	h := newH(t)
	start := h.Now.Now().Add(48 * time.Hour).Truncate(time.Hour)
	a := h.occurrence(occOpts{Starts: start, Dur: 2 * time.Hour})
	b := h.occurrence(occOpts{Starts: start.Add(time.Hour), Title: "Art club"})
	c := h.occurrence(occOpts{Starts: start.Add(2 * time.Hour), Title: "Late club"})
	ids, _ := h.youngPeople(1, time.Now().AddDate(-15, 0, -10))
	insert := func(occ, status string, seq any) error {
		_, err := h.DB.Exec(`INSERT INTO bookings (occurrence_id, young_person_id, status, waitlist_seq, starts_at, ends_at)
			SELECT id, $2, $3, $4, starts_at, ends_at FROM occurrences WHERE id = $1`, occ, ids[0], status, seq)
		return err
	}
	refused := func(what string, err error) {
		t.Helper()
		pqErr, ok := err.(*pq.Error)
		if !ok || pqErr.Code != "23P01" || pqErr.Constraint != "bookings_no_overlap" {
			t.Fatalf("%s: %v", what, err)
		}
	}
	if err := insert(a, "confirmed", nil); err != nil {
		t.Fatal(err)
	}
	refused("overlapping insert", insert(b, "confirmed", nil))
	if err := insert(b, "waitlisted", 1); err != nil {
		t.Fatalf("a waiting-list place may overlap: %v", err)
	}
	_, err := h.DB.Exec(`UPDATE bookings SET status = 'confirmed', waitlist_seq = NULL WHERE occurrence_id = $1 AND young_person_id = $2`, b, ids[0])
	refused("overlapping promotion", err)
	if err := insert(c, "confirmed", nil); err != nil {
		t.Fatalf("touching place refused: %v", err)
	}
}

// TestWalkInRacingABookingGivesOnePlace: a youth worker signs a young person
// in at the door at the same instant as the young person books the same
// session on their phone, twenty times over. Each time the person ends up
// with exactly one place: a walk-in or a confirmed booking, never both.
func TestWalkInRacingABookingGivesOnePlace(t *testing.T) {
	t.Parallel()
	h := newH(t)
	base := h.listen()
	worker := h.tokenFor(h.F.ManagerA)
	start := h.Now.Now().Add(30 * time.Minute).Truncate(time.Minute)
	ids, toks := h.youngPeople(20, time.Now().AddDate(-15, 0, -10))
	for i := range ids {
		occ := h.occurrence(occOpts{Capacity: 10, Starts: start.Add(time.Duration(i) * 2 * time.Hour), Title: fmt.Sprintf("Club %d", i)})
		both := race(2, func(j int) raceResult {
			if j == 0 {
				return send(base, "POST", "/api/v1/sessions/"+occ+"/walk-ins", worker, "", `{"young_person_id":"`+ids[i]+`","postcode":"M32 0JG"}`)
			}
			return send(base, "POST", "/api/v1/sessions/"+occ+"/bookings", toks[i], uuid.NewString(), "{}")
		})
		walk, book := both[0], both[1]
		if walk.err != nil || book.err != nil {
			t.Fatalf("round %d: %v %v", i, walk.err, book.err)
		}
		var places, walkIns, booked int
		if err := h.DB.QueryRow(`SELECT confirmed_count,
			(SELECT count(*) FROM walk_ins WHERE occurrence_id = $1 AND took_place),
			(SELECT count(*) FROM bookings WHERE occurrence_id = $1 AND status = 'confirmed')
			FROM occurrences WHERE id = $1`, occ).Scan(&places, &walkIns, &booked); err != nil {
			t.Fatal(err)
		}
		if places != 1 || walkIns+booked != 1 {
			t.Fatalf("round %d: %d places taken, %d walk-ins, %d bookings (walk-in %d %v, booking %d %v)",
				i, places, walkIns, booked, walk.status, walk.body, book.status, book.body)
		}
		if book.status != 201 && (book.status != 409 || book.body["code"] != "already_booked") {
			t.Fatalf("round %d: booking answered %d %v", i, book.status, book.body)
		}
	}
}
