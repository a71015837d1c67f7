package mail_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"youthhub/internal/platform/mail"
	"youthhub/internal/testdb"
)

// smtpServer is a minimal in-process SMTP server: it accepts every message
// (or refuses every recipient when refuse is set) and keeps what it got.
type smtpServer struct {
	ln     net.Listener
	refuse bool
	mu     sync.Mutex
	got    []string
}

func newSMTP(t *testing.T, refuse bool) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, refuse: refuse}
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

func (s *smtpServer) handle(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { _, _ = io.WriteString(c, line+"\r\n") }
	say("220 test ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 test")
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
		{"still-trying@example.test", old, nil, 4},
		{"given-up-lately@example.test", recent, nil, 10},
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
	if err != nil || n != 2 {
		t.Fatalf("forgot %d, %v", n, err)
	}
	var former []string
	if err := db.Select(&former, `SELECT email FROM former_emails`); err != nil || strings.Join(former, " ") != "kept@example.test" {
		t.Fatalf("former addresses left: %v (%v)", former, err)
	}
	var left []string
	if err := db.Select(&left, `SELECT to_email FROM outbox ORDER BY to_email`); err != nil {
		t.Fatal(err)
	}
	if strings.Join(left, " ") != "given-up-lately@example.test sent-lately@example.test still-trying@example.test" {
		t.Fatalf("left: %v", left)
	}
}
