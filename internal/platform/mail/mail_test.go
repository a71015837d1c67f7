package mail_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"log/slog"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/mail"
	"youthhub/internal/testdb"
)

// smtpServer is a minimal in-process SMTP server: it accepts every message
// (or refuses every recipient when refuse is set) and keeps what it got. With
// a certificate it offers STARTTLS, or with implicit speaks TLS from the first
// byte (smtps); it offers AUTH PLAIN.
type smtpServer struct {
	ln       net.Listener
	refuse   bool
	cert     *tls.Certificate
	implicit bool
	mu       sync.Mutex
	got      []string
	overTLS  []bool   // for each message in got, whether it came over TLS
	cmds     []string // every command verb, in order, with "(tls)" once TLS starts
	auths    []string // the user and password of each AUTH PLAIN, as "user:password"
}

func newSMTP(t *testing.T, refuse bool) *smtpServer {
	return startSMTP(t, &smtpServer{refuse: refuse})
}

func startSMTP(t *testing.T, s *smtpServer) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.ln = ln
	go s.serve()
	t.Cleanup(func() { ln.Close() })
	return s
}

func (s *smtpServer) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.handle(c)
	}
}

func (s *smtpServer) note(cmd string) {
	s.mu.Lock()
	s.cmds = append(s.cmds, cmd)
	s.mu.Unlock()
}

func (s *smtpServer) handle(c net.Conn) {
	defer func() { c.Close() }()
	overTLS := false
	startTLS := func() bool {
		tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{*s.cert}})
		if err := tc.Handshake(); err != nil {
			return false
		}
		c, overTLS = tc, true
		s.note("(tls)")
		return true
	}
	if s.implicit && !startTLS() {
		return
	}
	r := bufio.NewReader(c)
	say := func(line string) { _, _ = io.WriteString(c, line+"\r\n") }
	say("220 test ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		verb, _, _ := strings.Cut(cmd, " ")
		s.note(verb)
		switch {
		case verb == "EHLO":
			exts := []string{"test", "AUTH PLAIN"}
			if s.cert != nil && !overTLS {
				exts = append(exts, "STARTTLS")
			}
			for i, e := range exts {
				sep := "-"
				if i == len(exts)-1 {
					sep = " "
				}
				say("250" + sep + e)
			}
		case verb == "HELO":
			say("250 test")
		case cmd == "STARTTLS" && s.cert != nil && !overTLS:
			say("220 go ahead")
			if !startTLS() {
				return
			}
			r = bufio.NewReader(c)
		case strings.HasPrefix(cmd, "AUTH PLAIN "):
			raw, _ := base64.StdEncoding.DecodeString(strings.Fields(strings.TrimSpace(line))[2])
			parts := strings.Split(string(raw), "\x00")
			s.mu.Lock()
			s.auths = append(s.auths, strings.Join(parts[1:], ":"))
			s.mu.Unlock()
			say("235 ok")
		case strings.HasPrefix(cmd, "MAIL FROM"):
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO"):
			if s.refuse {
				say("550 no such user")
			} else {
				say("250 ok")
			}
		case cmd == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.got = append(s.got, b.String())
			s.overTLS = append(s.overTLS, overTLS)
			s.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

// selfSigned makes a certificate for names that is its own authority, and a
// pool that trusts it, as httptest does for its TLS servers.
func selfSigned(t *testing.T, names ...string) (*tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: names[0]},
		DNSNames:              names,
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// dialTo is a Sender.Dial that reaches srv whatever host and port the sender
// asks for, so that srv can stand for a mail server that is not on loopback;
// it keeps the addresses asked for in dialled.
func dialTo(srv *smtpServer, dialled *[]string) func(context.Context, string, string) (net.Conn, error) {
	var mu sync.Mutex
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		mu.Lock()
		*dialled = append(*dialled, addr)
		mu.Unlock()
		var d net.Dialer
		return d.DialContext(ctx, network, srv.ln.Addr().String())
	}
}

// A relay on 127.0.0.1 may take mail in plain text (this one offers no
// STARTTLS).
func TestOutboxIsSentOverSMTPOnce(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	srv := newSMTP(t, false)
	for _, to := range []string{"a@example.test", "b@example.test"} {
		if err := mail.Enqueue(ctx, db, to, "Consent needed", "Hello,\nplease open the link."); err != nil {
			t.Fatal(err)
		}
	}
	sender := &mail.Sender{DB: db, SMTPURL: "smtp://" + srv.ln.Addr().String(), From: "youthhub <no-reply@example.test>",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	n, err := sender.SendPending(ctx)
	if err != nil || n != 2 {
		t.Fatalf("sent %d, %v", n, err)
	}
	// A second pass sends nothing again.
	if n, err := sender.SendPending(ctx); err != nil || n != 0 {
		t.Fatalf("second pass sent %d, %v", n, err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.got) != 2 || !strings.Contains(srv.got[0], "Subject: Consent needed") || !strings.Contains(srv.got[0], "please open the link") {
		t.Fatalf("received: %q", srv.got)
	}
	// Sent, the body (and any link in it) is gone; the rest of the row stays
	// to answer "I never got the e-mail".
	msgs, err := mail.List(ctx, db, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.SentAt == nil || m.Body != "" || m.Attempts != 1 || m.Subject != "Consent needed" || !strings.HasSuffix(m.To, "@example.test") {
			t.Errorf("after sending: %+v", m)
		}
	}
}

// With no SMTP_URL nothing is sent: messages stay queued with their body, so
// that development and the end-to-end tests can read their links.
func TestWithoutSMTPURLMessagesStayQueued(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	body := "Open https://youthhub.example/reset-password/secret"
	if err := mail.Enqueue(ctx, db, "a@example.test", "Reset your password", body); err != nil {
		t.Fatal(err)
	}
	sender := &mail.Sender{DB: db, From: "no-reply@example.test", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for range 2 {
		if n, err := sender.SendPending(ctx); err != nil || n != 0 {
			t.Fatalf("sent %d, %v", n, err)
		}
	}
	assertQueued(t, db, body, 0)
}

// A subject built from a name with a line break in it stays one header line
// (nobody can add a Bcc through their first name), and a non-ASCII one is
// encoded.
func TestASubjectCannotAddHeaders(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	srv := newSMTP(t, false)
	for _, subject := range []string{"Consent needed for Evil\r\nBcc: spy@example.test", "Consent needed for Zoë"} {
		if err := mail.Enqueue(ctx, db, "a@example.test", subject, "Hello"); err != nil {
			t.Fatal(err)
		}
	}
	sender := &mail.Sender{DB: db, SMTPURL: "smtp://" + srv.ln.Addr().String(), From: "youthhub <no-reply@example.test>",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if n, err := sender.SendPending(ctx); err != nil || n != 2 {
		t.Fatalf("sent %d, %v", n, err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	all := strings.Join(srv.got, "\n---\n")
	if strings.Contains(all, "\r\nBcc:") || !strings.Contains(all, "Subject: Consent needed for Evil Bcc: spy@example.test\r\n") {
		t.Fatalf("a line break in the subject made a header: %q", srv.got)
	}
	if !strings.Contains(all, "Subject: =?utf-8?q?Consent_needed_for_Zo=C3=AB?=") {
		t.Fatalf("the non-ASCII subject is not encoded: %q", srv.got)
	}
}

func TestOutboxKeepsFailedMessagesForRetry(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	srv := newSMTP(t, true)
	if err := mail.Enqueue(ctx, db, "nobody@example.test", "Hi", "body"); err != nil {
		t.Fatal(err)
	}
	sender := &mail.Sender{DB: db, SMTPURL: "smtp://" + srv.ln.Addr().String(), From: "no-reply@example.test",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if _, err := sender.SendPending(ctx); err == nil {
		t.Fatal("want the SMTP refusal")
	}
	msgs, err := mail.List(ctx, db, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].SentAt != nil || msgs[0].Attempts != 1 {
		t.Fatalf("after a refusal: %+v", msgs)
	}
}

// Sent messages, and messages given up on, are forgotten after
// mail.Retention; pending ones and recent ones stay.
func TestOldMessagesAreForgotten(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	now := time.Now()
	old := now.Add(-mail.Retention - time.Hour)
	recent := now.Add(-mail.Retention + time.Hour)
	rows := []struct {
		to       string
		created  time.Time
		sent     *time.Time
		attempts int
	}{
		{"sent-long-ago@example.test", old, &old, 1},
		{"sent-lately@example.test", old, &recent, 3},
		{"given-up-long-ago@example.test", old, nil, 10},
		{"still-unsent-after-a-month@example.test", old, nil, 4}, // e.g. no SMTP_URL: given up on too
		{"given-up-lately@example.test", recent, nil, 10},
		{"queued-lately@example.test", recent, nil, 0},
	}
	for _, r := range rows {
		if _, err := db.Exec(`INSERT INTO outbox (to_email, subject, body, created_at, sent_at, attempts) VALUES ($1, 's', 'b', $2, $3, $4)`,
			r.to, r.created, r.sent, r.attempts); err != nil {
			t.Fatal(err)
		}
	}
	// A former address is kept twice as long as mail is, then forgotten too.
	var uid string
	if err := db.Get(&uid, `INSERT INTO users (role, first_name, last_name, date_of_birth, postcode) VALUES ('young_person', 'Fay', 'Former', '2010-01-01', 'M32 0JG') RETURNING id`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO former_emails (user_id, email, changed_at) VALUES ($1, 'kept@example.test', $2), ($1, 'gone@example.test', $3)`,
		uid, now.Add(-mail.Retention-time.Hour), now.Add(-2*mail.Retention-time.Hour)); err != nil {
		t.Fatal(err)
	}
	n, err := mail.Forget(ctx, db, now)
	if err != nil || n != 3 {
		t.Fatalf("forgot %d, %v", n, err)
	}
	var former []string
	if err := db.Select(&former, `SELECT email FROM former_emails`); err != nil || strings.Join(former, " ") != "kept@example.test" {
		t.Fatalf("former addresses left: %v (%v)", former, err)
	}
	// A sent message that still has its body (sent by an older version)
	// loses it; unsent ones keep theirs.
	var left []string
	if err := db.Select(&left, `SELECT to_email || '=' || body FROM outbox ORDER BY to_email`); err != nil {
		t.Fatal(err)
	}
	if strings.Join(left, " ") != "given-up-lately@example.test=b queued-lately@example.test=b sent-lately@example.test=" {
		t.Fatalf("left: %v", left)
	}
}

// smtps:// speaks TLS from the first byte, to port 465 unless told otherwise,
// verifies the server's certificate and only then sends the password.
func TestSMTPSDelivers(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	cert, roots := selfSigned(t, "mail.example.test")
	srv := startSMTP(t, &smtpServer{cert: cert, implicit: true})
	if err := mail.Enqueue(ctx, db, "a@example.test", "Reset your password", "Open https://youthhub.example/reset-password/secret"); err != nil {
		t.Fatal(err)
	}
	var dialled []string
	sender := &mail.Sender{DB: db, SMTPURL: "smtps://relay-user:relay%20pass@mail.example.test", From: "no-reply@example.test",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), RootCAs: roots, Dial: dialTo(srv, &dialled)}
	if n, err := sender.SendPending(ctx); err != nil || n != 1 {
		t.Fatalf("sent %d, %v", n, err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if strings.Join(dialled, " ") != "mail.example.test:465" {
		t.Errorf("dialled %v, want the smtps port 465", dialled)
	}
	if len(srv.got) != 1 || !srv.overTLS[0] || !strings.Contains(srv.got[0], "reset-password/secret") {
		t.Fatalf("received %q over TLS %v", srv.got, srv.overTLS)
	}
	if strings.Join(srv.auths, " ") != "relay-user:relay pass" || srv.cmds[0] != "(tls)" {
		t.Errorf("auth %v, commands %v", srv.auths, srv.cmds)
	}
}

// smtp:// to a server that offers STARTTLS starts TLS before it
// authenticates or sends anything, to port 587 unless told otherwise.
func TestSMTPUsesSTARTTLS(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	cert, roots := selfSigned(t, "mail.example.test")
	srv := startSMTP(t, &smtpServer{cert: cert})
	if err := mail.Enqueue(ctx, db, "a@example.test", "Consent needed", "Open https://youthhub.example/consent/secret"); err != nil {
		t.Fatal(err)
	}
	var dialled []string
	sender := &mail.Sender{DB: db, SMTPURL: "smtp://relay-user:pw@mail.example.test", From: "no-reply@example.test",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), RootCAs: roots, Dial: dialTo(srv, &dialled)}
	if n, err := sender.SendPending(ctx); err != nil || n != 1 {
		t.Fatalf("sent %d, %v", n, err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if strings.Join(dialled, " ") != "mail.example.test:587" {
		t.Errorf("dialled %v, want the submission port 587", dialled)
	}
	if len(srv.got) != 1 || !srv.overTLS[0] || !strings.Contains(srv.got[0], "consent/secret") {
		t.Fatalf("received %q over TLS %v", srv.got, srv.overTLS)
	}
	if got := strings.Join(srv.cmds, " "); got != "EHLO STARTTLS (tls) EHLO AUTH MAIL RCPT DATA QUIT" {
		t.Errorf("commands: %s", got)
	}
	if strings.Join(srv.auths, " ") != "relay-user:pw" {
		t.Errorf("auth %v", srv.auths)
	}
}

// smtp:// to a server (not on this machine) that does not offer STARTTLS, as
// when someone on the path strips it, sends nothing, not even the password:
// the message stays queued, with its body, and the attempt is counted.
func TestSMTPWithoutSTARTTLSIsRefused(t *testing.T) {
	t.Parallel()
	for _, url := range []string{"smtp://relay-user:pw@mail.example.test:25", "smtp://mail.example.test:25"} {
		t.Run(url, func(t *testing.T) {
			t.Parallel()
			db := testdb.New(t)
			ctx := context.Background()
			srv := newSMTP(t, false)
			body := "Open https://youthhub.example/consent/secret"
			if err := mail.Enqueue(ctx, db, "a@example.test", "Consent needed", body); err != nil {
				t.Fatal(err)
			}
			var dialled []string
			sender := &mail.Sender{DB: db, SMTPURL: url, From: "no-reply@example.test",
				Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Dial: dialTo(srv, &dialled)}
			n, err := sender.SendPending(ctx)
			if n != 0 || err == nil || !strings.Contains(err.Error(), "STARTTLS") || strings.Contains(err.Error(), "secret") {
				t.Fatalf("sent %d, %v; want a refusal naming STARTTLS and not the body", n, err)
			}
			srv.mu.Lock()
			if got := strings.Join(srv.cmds, " "); got != "EHLO" || len(srv.got) != 0 || strings.Join(dialled, " ") != "mail.example.test:25" {
				t.Errorf("dialled %v, server saw %q, got %q", dialled, got, srv.got)
			}
			srv.mu.Unlock()
			assertQueued(t, db, body, 1)
		})
	}
}

// A certificate that does not verify (no trusted authority, or another
// host's name) stops the message before anything is sent.
func TestUnverifiedCertificateIsRefused(t *testing.T) {
	t.Parallel()
	cert, roots := selfSigned(t, "mail.example.test")
	otherCert, otherRoots := selfSigned(t, "other.example.test")
	for _, tc := range []struct {
		name     string
		url      string
		cert     *tls.Certificate
		implicit bool
		roots    *x509.CertPool
	}{
		{"smtps, self-signed, system roots", "smtps://u:pw@mail.example.test", cert, true, nil},
		{"smtps, another host's certificate", "smtps://u:pw@mail.example.test", otherCert, true, otherRoots},
		{"STARTTLS, self-signed, system roots", "smtp://u:pw@mail.example.test", cert, false, nil},
		{"STARTTLS, another host's certificate", "smtp://u:pw@mail.example.test", otherCert, false, otherRoots},
		{"STARTTLS on loopback, untrusted", "smtp://u:pw@localhost", cert, false, roots},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := testdb.New(t)
			ctx := context.Background()
			srv := startSMTP(t, &smtpServer{cert: tc.cert, implicit: tc.implicit})
			body := "Open https://youthhub.example/invite/secret"
			if err := mail.Enqueue(ctx, db, "a@example.test", "Join youthhub", body); err != nil {
				t.Fatal(err)
			}
			var dialled []string
			sender := &mail.Sender{DB: db, SMTPURL: tc.url, From: "no-reply@example.test",
				Log: slog.New(slog.NewTextHandler(io.Discard, nil)), RootCAs: tc.roots, Dial: dialTo(srv, &dialled)}
			if n, err := sender.SendPending(ctx); n != 0 || err == nil || !strings.Contains(err.Error(), "certificate") {
				t.Fatalf("sent %d, %v; want a certificate error", n, err)
			}
			srv.mu.Lock()
			if len(srv.got) != 0 || len(srv.auths) != 0 || strings.Contains(strings.Join(srv.cmds, " "), "(tls)") {
				t.Errorf("server saw %v, got %q", srv.cmds, srv.got)
			}
			srv.mu.Unlock()
			assertQueued(t, db, body, 1)
		})
	}
}

// assertQueued checks that the outbox holds one message, not sent, with body
// and attempts.
func assertQueued(t *testing.T, db *sqlx.DB, body string, attempts int) {
	t.Helper()
	msgs, err := mail.List(context.Background(), db, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].SentAt != nil || msgs[0].Attempts != attempts || msgs[0].Body != body {
		t.Fatalf("outbox: %+v", msgs)
	}
}
