// Command loadgen sets up booking fixtures and drives load at running
// youthhub servers, for `make bench`. It reports throughput and latency
// percentiles as JSON on stdout.
//
//	loadgen setup -db URL -sessions 2000 -people 60000
//	loadgen run -targets http://127.0.0.1:18081,http://127.0.0.1:18082 -mode book-many -conns 64 -duration 20s
//	loadgen run ... -mode book-hot | read | book-retry   (-rate 1000 for an open loop)
//	loadgen run ... -mode marks   (register marks; fixture: scripts/bench/marks-setup.sql)
//	loadgen run ... -mode noop    (GET /healthz: the HTTP ceiling, no database work)
//	loadgen verify -db URL -ids FILE
//	loadgen pgbench-script > book-youthhub.sql   (youthhub's booking statement for pgbench)
package main

import (
	"bufio"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"youthhub/internal/booking"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"
	"github.com/valyala/fasthttp"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadgen setup|run|verify [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "setup":
		err = setup(os.Args[2:])
	case "run":
		err = run(os.Args[2:])
	case "verify":
		err = verify(os.Args[2:])
	case "pgbench-script":
		err = pgbenchScript(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// Fixture layout (made by setup, read by run through the database). The
// series' own weekly rules lie in the past, so the server's horizon job adds
// no occurrences of its own:
// sessions 1..S ("bench many"), non-overlapping, 30 minutes each, 57 minutes
// apart, capacity 100000; one hot session with capacity 50 in a gap.
// People are young people aged 15; person k books the many-sessions
// k*8+j (j < 8), within the cap of 8 future bookings.
func setup(args []string) error {
	fs := flag.NewFlagSet("setup", flag.ExitOnError)
	dbURL := fs.String("db", "", "database URL")
	sessions := fs.Int("sessions", 2000, "bookable sessions")
	people := fs.Int("people", 60000, "young people")
	_ = fs.Parse(args)
	db, err := sqlx.Open("postgres", *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	stmts := []string{
		`INSERT INTO councils (name, lad_code) VALUES ('Bench Council', 'E99999999') ON CONFLICT DO NOTHING`,
		`INSERT INTO centres (council_id, name, lat, lon, provider_type) SELECT id, 'Bench Centre', 53.45, -2.3, 'council' FROM councils WHERE lad_code = 'E99999999'`,
		`INSERT INTO session_series (council_id, centre_id, title, category, age_min, age_max, booking_mode, capacity, days, start_local, duration_minutes, first_date, last_date, booking_window_days)
		 SELECT c.council_id, c.id, 'Bench many', 'sport', 11, 19, 'bookable', 1000, '{1}', '18:00', 30, current_date - 7, current_date - 1, 90 FROM centres c WHERE c.name = 'Bench Centre'`,
		`INSERT INTO session_series (council_id, centre_id, title, category, age_min, age_max, booking_mode, capacity, days, start_local, duration_minutes, first_date, last_date, booking_window_days)
		 SELECT c.council_id, c.id, 'Bench hot', 'sport', 11, 19, 'bookable', 50, '{1}', '18:00', 20, current_date - 7, current_date - 1, 90 FROM centres c WHERE c.name = 'Bench Centre'`,
		fmt.Sprintf(`INSERT INTO occurrences (id, series_id, council_id, centre_id, starts_at, ends_at, booking_mode, capacity)
		 SELECT `+benchID("g + 1")+`, s.id, s.council_id, s.centre_id, now() + interval '1 hour' + g * interval '57 minutes', now() + interval '1 hour' + g * interval '57 minutes' + interval '30 minutes', 'bookable', 1000
		 FROM session_series s, generate_series(0, %d) g WHERE s.title = 'Bench many'`, *sessions-1),
		`INSERT INTO occurrences (series_id, council_id, centre_id, starts_at, ends_at, booking_mode, capacity)
		 SELECT s.id, s.council_id, s.centre_id, now() + interval '1 hour 33 minutes', now() + interval '1 hour 53 minutes', 'bookable', 50
		 FROM session_series s WHERE s.title = 'Bench hot'`,
		fmt.Sprintf(`INSERT INTO users (id, role, email, password_hash, first_name, last_name, date_of_birth, postcode)
		 SELECT `+benchID("g")+`, 'young_person', 'bench' || g || '@example.test', 'x', 'Bench', 'Person' || g, current_date - interval '15 years 40 days', 'M32 0JG'
		 FROM generate_series(1, %d) g`, *people),
		`ANALYZE`,
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			return fmt.Errorf("%.60s…: %w", s, err)
		}
	}
	return nil
}

// benchID is the SQL for the bench fixture's id number n: many-session k
// (from 1, in time order) and person k have ids that pgbench can compute, so
// its script needs no lookups. The prefix (…-4000-b000-…) keeps them apart
// from the fixed ids of scripts/bench/marks-setup.sql (…-4000-8000-…), which
// is loaded into the same database: with …-8000-… person 40961 would be the
// marks manager (…a001) and many-session 197 the marks session (…c5).
func benchID(n string) string {
	return "CAST('00000000-0000-4000-b000-' || lpad(to_hex(" + n + "), 12, '0') AS uuid)"
}

// The register fixture of scripts/bench/marks-setup.sql (fixed ids there).
const (
	marksSession = "00000000-0000-4000-8000-0000000000c5" // the bookable session that started 30 min ago
	marksManager = "00000000-0000-4000-8000-00000000a001" // centre manager who may keep its register
	marksPeople  = 1000                                   // young people with a confirmed place
)

// marksPerson is the id of the register fixture's young person k (1..1000):
// md5('bench-register-' || k)::uuid in marks-setup.sql.
func marksPerson(k int) string {
	return uuid.UUID(md5.Sum([]byte(fmt.Sprintf("bench-register-%d", k)))).String()
}

// checkMarksFixture fails early when marks-setup.sql is not loaded, or when
// its manager id belongs to someone else (ON CONFLICT DO NOTHING keeps them).
func checkMarksFixture(db *sqlx.DB) error {
	var role string
	var booked int
	if err := db.QueryRow(`SELECT u.role, o.confirmed_count FROM users u, occurrences o WHERE u.id = $1 AND o.id = $2`,
		marksManager, marksSession).Scan(&role, &booked); err != nil {
		return fmt.Errorf("marks fixture (psql -f scripts/bench/marks-setup.sql): %w", err)
	}
	if role != "centre_manager" || booked < marksPeople {
		return fmt.Errorf("marks fixture: user %s is a %s and session %s has %d places confirmed (want centre_manager, %d)",
			marksManager, role, marksSession, booked, marksPeople)
	}
	return nil
}

// pgbenchScript prints youthhub's own booking statement (booking.BookSQL)
// as a pgbench script over the fixture: person random in [first, last],
// session random among the many-sessions, a fresh Idempotency-Key. It
// measures what PostgreSQL alone does with the statement youthhub sends.
func pgbenchScript(args []string) error {
	fs := flag.NewFlagSet("pgbench-script", flag.ExitOnError)
	first := fs.Int("first-person", 260001, "first person number to book for")
	last := fs.Int("last-person", 320000, "last person number")
	sessions := fs.Int("sessions", 2000, "many-sessions in the fixture")
	_ = fs.Parse(args)
	params := map[string]string{
		"$1": benchID("CAST(:occ AS int)"), "$2": benchID("CAST(:person AS int)"), "$3": "now()", "$4": "13", "$5": "8",
		"$6": "'http://bench.invalid'", "$7": "CAST(:key AS text)", "$8": "'\\x00'::bytea", "$9": "now()",
	}
	q := regexp.MustCompile(`\$[0-9]+`).ReplaceAllStringFunc(booking.BookSQL, func(m string) string { return params[m] })
	// pgbench reads ":name" as a variable even inside a string; to_char
	// prints a quoted ":" the same.
	q = strings.ReplaceAll(q, "HH24:MI", `HH24":"MI`)
	fmt.Printf("\\set person random(%d, %d)\n\\set occ random(1, %d)\n\\set key random(1, 1000000000000000)\n%s;\n",
		*first, *last, *sessions, strings.Join(strings.Fields(q), " "))
	return nil
}

type fixture struct {
	many   []string // occurrence ids in time order
	hot    string
	people []string
	centre string
}

func loadFixture(db *sqlx.DB) (fixture, error) {
	var f fixture
	if err := db.Select(&f.many, `SELECT o.id FROM occurrences o JOIN session_series s ON s.id = o.series_id WHERE s.title = 'Bench many' ORDER BY o.starts_at`); err != nil {
		return f, err
	}
	if err := db.Get(&f.hot, `SELECT o.id FROM occurrences o JOIN session_series s ON s.id = o.series_id WHERE s.title = 'Bench hot'`); err != nil {
		return f, err
	}
	if err := db.Select(&f.people, `SELECT id FROM users WHERE email LIKE 'bench%@example.test' ORDER BY email`); err != nil {
		return f, err
	}
	err := db.Get(&f.centre, `SELECT id FROM centres WHERE name = 'Bench Centre'`)
	return f, err
}

type result struct {
	Mode       string           `json:"mode"`
	Conns      int              `json:"conns"`
	Rate       int              `json:"rate,omitempty"`
	Seconds    float64          `json:"seconds"`
	Requests   int64            `json:"requests"`
	OK         int64            `json:"ok"`
	Errors     int64            `json:"errors"`
	Retries    int64            `json:"retries,omitempty"`
	Outcomes   map[string]int64 `json:"outcomes,omitempty"` // marks: per-mark outcomes of the 200 answers
	PerSecond  float64          `json:"per_second"`
	P50ms      float64          `json:"p50_ms"`
	P99ms      float64          `json:"p99_ms"`
	MaxMs      float64          `json:"max_ms"`
	StatusSeen map[string]int64 `json:"statuses"`
}

func run(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	targets := fs.String("targets", "", "comma-separated base URLs (replicas)")
	dbURL := fs.String("db", "", "database URL (to read the fixture; marks: optional, only checked)")
	mode := fs.String("mode", "book-many", "book-many | book-hot | read | book-retry | marks | noop")
	conns := fs.Int("conns", 32, "concurrent connections (closed loop) or workers (open loop)")
	duration := fs.Duration("duration", 20*time.Second, "how long")
	rate := fs.Int("rate", 0, "open loop: requests per second (0 = closed loop)")
	offset := fs.Int("offset", 0, "first person index to use (so runs do not reuse people)")
	idsOut := fs.String("ids", "", "book-retry: write the ids of successful bookings here")
	warmup := fs.Duration("warmup", 0, "run this long first without measuring (connection pools fill, statements get prepared)")
	jwtKey := fs.String("jwt-key", os.Getenv("BENCH_JWT_KEY"), "base64 HMAC key the servers verify with (kid bench)")
	_ = fs.Parse(args)

	// The booking modes read the booking fixture (loadgen setup); marks
	// needs only the fixed ids of marks-setup.sql, checked when -db is set.
	var f fixture
	if (*mode != "marks" && *mode != "noop") || (*mode == "marks" && *dbURL != "") {
		db, err := sqlx.Open("postgres", *dbURL)
		if err != nil {
			return err
		}
		if *mode == "marks" {
			err = checkMarksFixture(db)
		} else {
			f, err = loadFixture(db)
		}
		db.Close()
		if err != nil {
			return err
		}
	}
	key, err := base64.StdEncoding.DecodeString(*jwtKey)
	if err != nil || len(key) < 32 {
		return errors.New("set -jwt-key (base64, 32+ bytes)")
	}
	// An access token as the servers' auth.Signer issues it (kid bench =
	// JWT_KEYS="bench:<key>"). The role claim is only a hint; the server
	// reads the user's role from the database.
	sign := func(sub, role string) string {
		c := jwt.MapClaims{"iss": "youthhub", "aud": []string{"youthhub-api"}, "sub": sub, "use": "access", "role": role,
			"iat": time.Now().Unix(), "exp": time.Now().Add(2 * time.Hour).Unix()}
		t := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
		t.Header["kid"] = "bench"
		s, _ := t.SignedString(key)
		return s
	}
	bases := strings.Split(*targets, ",")
	// fasthttp's client: the load generator shares the machine's two cores
	// with the servers and PostgreSQL, so it should take as little as it can
	// (net/http's client took about 0.35 ms of CPU per request here).
	client := &fasthttp.Client{MaxConnsPerHost: 4096, MaxIdleConnDuration: time.Minute, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second,
		NoDefaultUserAgentHeader: true, DisablePathNormalizing: true}

	tokens := make([]string, len(f.people))
	tokenFor := func(i int) string {
		if tokens[i] == "" {
			tokens[i] = sign(f.people[i], "young_person")
		}
		return tokens[i]
	}
	// Pre-sign the people this run can reach, so signing is not measured.
	first := *offset
	last := min(len(tokens), first+60000)
	for i := first; i < last; i++ {
		tokenFor(i)
	}
	// marks: one token for the manager; people's ids computed up front.
	var managerToken string
	var markPeople []string
	if *mode == "marks" {
		managerToken = sign(marksManager, "centre_manager")
		for k := 1; k <= marksPeople; k++ {
			markPeople = append(markPeople, marksPerson(k))
		}
	}
	marksURL := "/api/v1/sessions/" + marksSession + "/register/marks"
	fmt.Fprintln(os.Stderr, "loadgen: running")

	var next atomic.Int64
	next.Store(int64(*offset) * 8)
	type job struct {
		method, url, token, key string
		body                    string // POST body; "{}" when empty
	}
	makeJob := func(n int64) (job, error) {
		switch *mode {
		case "book-many", "book-retry":
			person := int(n / 8)
			if person >= len(f.people) || tokens[person] == "" {
				return job{}, errors.New("out of people: raise -people in setup")
			}
			sess := f.many[(int(n/8)*8+int(n%8))%len(f.many)]
			return job{method: "POST", url: "/api/v1/sessions/" + sess + "/bookings", token: tokens[person], key: uuid.NewString()}, nil
		case "book-hot":
			person := int(n)
			if person >= len(f.people) || tokens[person] == "" {
				return job{}, errors.New("out of people: raise -people in setup")
			}
			return job{method: "POST", url: "/api/v1/sessions/" + f.hot + "/bookings", token: tokens[person], key: uuid.NewString()}, nil
		case "read":
			return job{method: "GET", url: "/api/v1/sessions/" + f.many[int(n)%len(f.many)]}, nil
		case "noop":
			// The HTTP stack's ceiling on this machine: a request that asks
			// nothing of the database (no token, no query).
			return job{method: "GET", url: "/healthz"}, nil
		case "marks":
			// One mark for person n mod 1000 (cycling over all workers, like
			// BenchmarkMarkPerRequest), made now with a new client_id: the
			// request documented in marks-setup.sql.
			body := fmt.Sprintf(`{"device_id":"loadgen","marks":[{"client_id":%q,"young_person_id":%q,"status":"present","recorded_at":%q}]}`,
				uuid.NewString(), markPeople[int(n%marksPeople)], time.Now().UTC().Format(time.RFC3339Nano))
			return job{method: "POST", url: marksURL, token: managerToken, body: body}, nil
		}
		return job{}, fmt.Errorf("unknown mode %q", *mode)
	}
	if *mode == "book-hot" {
		next.Store(int64(*offset))
	}
	if *mode == "marks" {
		next.Store(0)
	}

	var (
		mu        sync.Mutex
		latencies []time.Duration
		statuses  = map[string]int64{}
		outcomes  = map[string]int64{}
		ok, bad   atomic.Int64
		retries   atomic.Int64
		ids       []string
	)
	// do sends j and returns the status and, for a 201, the new booking's
	// id or, for a 200 to marks, the outcome of each mark.
	do := func(j job, base string) (int, string, []string, error) {
		req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
		defer fasthttp.ReleaseRequest(req)
		defer fasthttp.ReleaseResponse(res)
		req.SetRequestURI(base + j.url)
		req.Header.SetMethod(j.method)
		if j.method == "POST" {
			req.Header.SetContentType("application/json")
			if j.body != "" {
				req.SetBodyString(j.body)
			} else {
				req.SetBodyString("{}")
			}
		}
		if j.token != "" {
			req.Header.Set("Authorization", "Bearer "+j.token)
		}
		if j.key != "" {
			req.Header.Set("Idempotency-Key", j.key)
		}
		if err := client.DoTimeout(req, res, 30*time.Second); err != nil {
			return 0, "", nil, err
		}
		id := ""
		var marked []string
		switch {
		case res.StatusCode() == 201:
			var m struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal(res.Body(), &m)
			id = m.ID
		case res.StatusCode() == 200 && *mode == "marks":
			var m struct {
				Results []struct {
					Outcome string `json:"outcome"`
				} `json:"results"`
			}
			if json.Unmarshal(res.Body(), &m) != nil || len(m.Results) == 0 {
				marked = []string{"unreadable"}
			}
			for _, r := range m.Results {
				marked = append(marked, r.Outcome)
			}
		}
		return res.StatusCode(), id, marked, nil
	}
	var measureFrom time.Time // set at the start: requests scheduled before it are warm-up
	execute := func(j job, n int64, scheduled time.Time) {
		base := bases[int(n)%len(bases)]
		status, id, marked, err := do(j, base)
		if *mode == "book-retry" {
			// Retry with the same Idempotency-Key until the server answers
			// for real: a network error or a 5xx during a restart.
			for tries := 0; (err != nil || status >= 500) && tries < 200; tries++ {
				retries.Add(1)
				time.Sleep(50 * time.Millisecond)
				status, id, marked, err = do(j, bases[(int(n)+tries+1)%len(bases)])
			}
		}
		lat := time.Since(scheduled)
		measured := !scheduled.Before(measureFrom)
		key := fmt.Sprint(status)
		if err != nil {
			key = "error"
		}
		mu.Lock()
		if measured {
			latencies = append(latencies, lat)
			statuses[key]++
			for _, o := range marked {
				outcomes[o]++
			}
		}
		if status == 201 && id != "" {
			ids = append(ids, id)
		}
		mu.Unlock()
		switch {
		case !measured:
		case *mode == "marks" && err == nil && status == 200:
			ok.Add(1)
		case *mode != "marks" && err == nil && status < 300:
			ok.Add(1)
		default:
			bad.Add(1)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), *warmup+*duration)
	defer cancel()
	start := time.Now()
	measureFrom = start.Add(*warmup)
	var wg sync.WaitGroup
	var jobErr atomic.Value
	if *rate <= 0 {
		for range *conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					n := next.Add(1) - 1
					j, err := makeJob(n)
					if err != nil {
						jobErr.Store(err)
						cancel()
						return
					}
					execute(j, n, time.Now())
				}
			}()
		}
	} else {
		// Open loop: requests start on schedule whether or not earlier ones
		// have finished; latency counts from the scheduled start.
		type tick struct {
			n int64
			t time.Time
		}
		ch := make(chan tick, 100000)
		for range *conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for tk := range ch {
					j, err := makeJob(tk.n)
					if err != nil {
						jobErr.Store(err)
						continue
					}
					execute(j, tk.n, tk.t)
				}
			}()
		}
		interval := time.Second / time.Duration(*rate)
		for i := int64(0); ; i++ {
			at := start.Add(time.Duration(i) * interval)
			if at.Sub(start) >= *warmup+*duration {
				break
			}
			time.Sleep(time.Until(at))
			ch <- tick{n: next.Add(1) - 1, t: at}
		}
		close(ch)
	}
	wg.Wait()
	elapsed := time.Since(measureFrom).Seconds()
	if e, _ := jobErr.Load().(error); e != nil {
		return e
	}
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		if len(latencies) == 0 {
			return 0
		}
		i := int(float64(len(latencies)-1) * p)
		return float64(latencies[i].Microseconds()) / 1000
	}
	r := result{Mode: *mode, Conns: *conns, Rate: *rate, Seconds: elapsed, Requests: int64(len(latencies)), OK: ok.Load(), Errors: bad.Load(),
		Retries: retries.Load(), PerSecond: float64(ok.Load()) / elapsed, P50ms: pct(0.50), P99ms: pct(0.99), MaxMs: pct(1), StatusSeen: statuses}
	if *mode == "marks" {
		r.Outcomes = outcomes
	}
	if *idsOut != "" {
		fh, err := os.Create(*idsOut)
		if err != nil {
			return err
		}
		w := bufio.NewWriter(fh)
		for _, id := range ids {
			fmt.Fprintln(w, id)
		}
		w.Flush()
		fh.Close()
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

// verify checks, after a run through a database restart, that every booking
// a client was told about exists, and that no occurrence holds more
// confirmed bookings than its capacity or disagrees with its counters.
func verify(args []string) error {
	fs := flag.NewFlagSet("verify", flag.ExitOnError)
	dbURL := fs.String("db", "", "database URL")
	idsFile := fs.String("ids", "", "file of booking ids the clients received")
	_ = fs.Parse(args)
	db, err := sqlx.Open("postgres", *dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	raw, err := os.ReadFile(*idsFile)
	if err != nil {
		return err
	}
	ids := strings.Fields(string(raw))
	var found int
	if err := db.Get(&found, `SELECT count(*) FROM bookings WHERE id = ANY($1::uuid[])`, "{"+strings.Join(ids, ",")+"}"); err != nil {
		return err
	}
	// A place is taken by a confirmed booking, one the register has since
	// marked attended or no-show (the marks run does), or a walk-in who
	// took a place; confirmed_count counts exactly those.
	const taken = `((SELECT count(*) FROM bookings b WHERE b.occurrence_id = o.id AND b.status IN ('confirmed','attended','no_show'))
		+ (SELECT count(*) FROM walk_ins w WHERE w.occurrence_id = o.id AND w.took_place))`
	var over, drift int
	if err := db.Get(&over, `SELECT count(*) FROM occurrences o WHERE `+taken+` > o.capacity`); err != nil {
		return err
	}
	if err := db.Get(&drift, `SELECT count(*) FROM occurrences o WHERE o.confirmed_count <> `+taken+`
		OR o.waitlist_count <> (SELECT count(*) FROM bookings b WHERE b.occurrence_id = o.id AND b.status = 'waitlisted')`); err != nil {
		return err
	}
	out := map[string]any{"acknowledged": len(ids), "found": found, "lost": len(ids) - found, "overbooked_occurrences": over, "counter_drift": drift}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		return err
	}
	if found != len(ids) || over > 0 || drift > 0 {
		return errors.New("verification failed")
	}
	return nil
}
