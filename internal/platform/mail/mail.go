// Package mail queues e-mail in the outbox table, in the caller's
// transaction, and sends it in the background over SMTP with TLS (see Sender).
//
// Bodies hold working single-use links (password resets, invitations,
// guardian consent) whose tokens the database otherwise keeps only hashed, so
// a message's body is removed in the same UPDATE that marks it sent; the row
// (recipient, subject, times, attempts) stays for Retention, to answer "I
// never got the e-mail". With no SMTP server configured nothing is sent:
// messages stay queued, body and all, listed by `youthhub admin outbox`
// (development and the end-to-end tests read their links there).
package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Enqueue adds a message to the outbox inside tx, so that it is sent only if
// the change that caused it commits.
func Enqueue(ctx context.Context, tx sqlx.ExtContext, to, subject, body string) error {
	const q = `INSERT INTO outbox (to_email, subject, body) VALUES ($1, $2, $3)`
	if _, err := tx.ExecContext(ctx, q, to, subject, body); err != nil {
		return fmt.Errorf("mail: enqueue: %w", err)
	}
	return nil
}

// EnqueueAbout is Enqueue for a message about a young person sent to someone
// else (their guardian): erasing the young person's account deletes it too.
func EnqueueAbout(ctx context.Context, tx sqlx.ExtContext, aboutUserID, to, subject, body string) error {
	const q = `INSERT INTO outbox (to_email, subject, body, about_user_id) VALUES ($1, $2, $3, $4)`
	if _, err := tx.ExecContext(ctx, q, to, subject, body, aboutUserID); err != nil {
		return fmt.Errorf("mail: enqueue: %w", err)
	}
	return nil
}

// Message is one outbox row.
type Message struct {
	ID      int64  `db:"id"`
	To      string `db:"to_email"`
	Subject string `db:"subject"`
	// Body is the text of a message not yet sent; once sent it is empty.
	Body      string     `db:"body"`
	CreatedAt time.Time  `db:"created_at"`
	SentAt    *time.Time `db:"sent_at"`
	Attempts  int        `db:"attempts"`
}

// Retention is how long a message stays in the outbox once sent (or once
// given up on): long enough to answer "I never got the e-mail", no longer,
// as messages name young people and their sessions.
const Retention = 30 * 24 * time.Hour

// Forget deletes messages sent more than Retention before now, and those
// still unsent Retention after they were queued (given up on: with no
// SMTP_URL, or a server that has refused them for a month), and returns how
// many; the server's background loop runs it hourly. It
// also empties the body of any sent message that still has one (sent by a
// version of youthhub that kept bodies, as during a rolling upgrade).
func Forget(ctx context.Context, db sqlx.ExecerContext, now time.Time) (int64, error) {
	res, err := db.ExecContext(ctx, `DELETE FROM outbox WHERE (sent_at < $1) OR (sent_at IS NULL AND created_at < $1)`,
		now.Add(-Retention))
	if err != nil {
		return 0, fmt.Errorf("mail: forget: %w", err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE outbox SET body = '' WHERE sent_at IS NOT NULL AND body <> ''`); err != nil {
		return 0, fmt.Errorf("mail: forget sent bodies: %w", err)
	}
	// Former addresses are kept only to find mail sent to them (erasure);
	// mail unsent after Retention is given up on, so twice that is enough.
	if _, err := db.ExecContext(ctx, `DELETE FROM former_emails WHERE changed_at < $1`, now.Add(-2*Retention)); err != nil {
		return 0, fmt.Errorf("mail: forget former addresses: %w", err)
	}
	return res.RowsAffected()
}

// maxAttempts is how many times a message is tried before it is given up on.
const maxAttempts = 10

// List returns the newest outbox messages, sent or not; a sent message's
// Body is empty.
func List(ctx context.Context, db *sqlx.DB, limit int) ([]Message, error) {
	const q = `SELECT id, to_email, subject, body, created_at, sent_at, attempts FROM outbox ORDER BY id DESC LIMIT $1`
	var out []Message
	err := db.SelectContext(ctx, &out, q, limit)
	return out, err
}

// Sender delivers outbox messages over SMTPURL. With smtps:// (port 465 by
// default) the connection is TLS from the first byte; with smtp:// (port 587 by
// default) the server must offer STARTTLS, or nothing is sent, except to a
// relay on this machine (localhost, 127.0.0.1 or ::1), which may be plain.
// The server's certificate is always verified, and the user and password in
// SMTPURL are sent (AUTH PLAIN) only over TLS or to such a relay: e-mails hold
// single-use links and name young people.
type Sender struct {
	DB      *sqlx.DB
	SMTPURL string
	From    string
	Log     *slog.Logger
	// RootCAs, when set, replaces the system's certificate authorities in
	// verifying the server's certificate (a private authority; tests).
	RootCAs *x509.CertPool
	// Dial, when set, opens the connection to SMTPURL's host and port in
	// place of a net.Dialer (tests reach a local server by another name).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Run sends pending messages every interval until ctx ends.
func (s *Sender) Run(ctx context.Context, interval time.Duration) {
	if s.SMTPURL == "" {
		s.Log.Info("e-mail is not sent: no SMTP_URL configured; messages stay queued (see `youthhub admin outbox`)")
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.SendPending(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("outbox send failed", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SendPending sends up to 50 unsent messages, each in its own transaction
// with the row locked (SKIP LOCKED), so several replicas never send twice. It
// stops at the first message that fails (which stays queued, its attempt
// counted) and returns that error. With no SMTPURL it sends nothing.
func (s *Sender) SendPending(ctx context.Context) (int, error) {
	if s.SMTPURL == "" {
		return 0, nil
	}
	sent := 0
	for range 50 {
		tx, err := s.DB.BeginTxx(ctx, nil)
		if err != nil {
			return sent, err
		}
		var m Message
		err = tx.GetContext(ctx, &m, `SELECT id, to_email, subject, body, created_at, sent_at, attempts FROM outbox
			WHERE sent_at IS NULL AND attempts < $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`, maxAttempts)
		if err != nil {
			_ = tx.Rollback()
			if errors.Is(err, sql.ErrNoRows) {
				return sent, nil
			}
			return sent, err
		}
		if serr := s.send(ctx, m); serr != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, m.ID, serr.Error()); err != nil {
				_ = tx.Rollback()
				return sent, err
			}
			if err := tx.Commit(); err != nil {
				return sent, err
			}
			return sent, serr
		}
		// The body goes as the message is marked sent: its link has
		// reached the recipient and need not wait here for Retention.
		if _, err = tx.ExecContext(ctx, `UPDATE outbox SET sent_at = now(), attempts = attempts + 1, body = '' WHERE id = $1`, m.ID); err != nil {
			_ = tx.Rollback()
			return sent, err
		}
		if err := tx.Commit(); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// sendTimeout bounds one message's whole SMTP conversation, so that a server
// that stops answering cannot hold the outbox row (and the sender) for ever.
const sendTimeout = time.Minute

func (s *Sender) send(ctx context.Context, m Message) error {
	u, err := url.Parse(s.SMTPURL)
	if err != nil {
		return errors.New("mail: SMTP_URL is not a URL")
	}
	host, port := u.Hostname(), u.Port()
	implicitTLS := u.Scheme == "smtps"
	if port == "" {
		port = "587"
		if implicitTLS {
			port = "465"
		}
	}
	tlsConfig := &tls.Config{ServerName: host, RootCAs: s.RootCAs}

	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	dial := s.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	conn, err := dial(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	deadline, _ := ctx.Deadline()
	if err := conn.SetDeadline(deadline); err != nil {
		conn.Close()
		return fmt.Errorf("mail: %w", err)
	}
	if implicitTLS {
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return fmt.Errorf("mail: TLS with %s: %w", host, err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: %w", err)
	}
	defer c.Close()
	if !implicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConfig); err != nil {
				return fmt.Errorf("mail: STARTTLS with %s: %w", host, err)
			}
		} else if !isLoopback(host) {
			return fmt.Errorf("mail: %s does not offer STARTTLS: not sending in plain text (only a relay on localhost may be plain)", host)
		}
	}
	if u.User != nil {
		// net/smtp's PLAIN refuses, too, to send a password in plain text
		// to anything but localhost; by here the connection is TLS anyway
		// unless the host is loopback.
		pw, _ := u.User.Password()
		if ok, _ := c.Extension("AUTH"); !ok {
			return fmt.Errorf("mail: %s does not offer AUTH", host)
		}
		if err := c.Auth(smtp.PlainAuth("", u.User.Username(), pw, host)); err != nil {
			return fmt.Errorf("mail: %w", err)
		}
	}

	from := s.From
	addr := from
	if i := strings.LastIndex(from, "<"); i >= 0 {
		addr = strings.Trim(from[i:], "<>")
	}
	// A subject is one line, whatever it was built from (a first name with a
	// line break in it must not add a header), and encoded for non-ASCII.
	subject := mime.QEncoding.Encode("utf-8", strings.Join(strings.Fields(m.Subject), " "))
	msg := "From: " + from + "\r\nTo: " + m.To + "\r\nSubject: " + subject +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		strings.ReplaceAll(m.Body, "\n", "\r\n")
	if err := c.Mail(addr); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if _, err := w.Write([]byte(msg)); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	// The server has taken the message: a failed QUIT must not send it twice.
	_ = c.Quit()
	return nil
}

// isLoopback reports whether host names this machine, as net/smtp's PLAIN
// authentication reads it: only there may mail go without TLS.
func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}
