// Package ratelimit counts requests per client in PostgreSQL, so that a
// limit holds across server replicas, and says how long to wait once it is
// reached. The client is an address for endpoints that need no sign-in
// (creating accounts, signing in, asking for password links) and a user id
// for what signed-in staff may only do now and then (walk-in searches).
package ratelimit

import (
	"context"
	"math"
	"net/netip"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
)

// Rule is a limit: at most Max hits in any Window.
type Rule struct {
	Bucket  string
	Max     int
	Window  time.Duration
	Message string // said to the client, in plain words
}

// Limiter checks and records hits.
type Limiter struct {
	DB  *sqlx.DB
	Now func() time.Time
}

// Hit records one hit of client against r, or refuses it with a 429 (and
// how many seconds to wait) when the window already holds r.Max. Hits of
// one client in one bucket are counted one after another, under a
// transaction lock, so racing requests cannot pass together.
func (l *Limiter) Hit(ctx context.Context, r Rule, client string) error {
	return l.do(ctx, r, client, true)
}

// Check refuses like Hit when the window is full, and records nothing: for
// limits on outcomes, such as failed sign-ins, recorded with Record.
func (l *Limiter) Check(ctx context.Context, r Rule, client string) error {
	return l.do(ctx, r, client, false)
}

// Record counts one hit without checking.
func (l *Limiter) Record(ctx context.Context, r Rule, client string) error {
	_, err := l.DB.ExecContext(ctx, `INSERT INTO rate_limit_hits (bucket, client, at) VALUES ($1, $2, $3)`, r.Bucket, client, l.Now())
	return err
}

func (l *Limiter) do(ctx context.Context, r Rule, client string, record bool) error {
	if r.Max <= 0 {
		return nil // switched off
	}
	now := l.Now()
	return postgres.WithTx(ctx, l.DB, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 17))`, r.Bucket, client); err != nil {
			return err
		}
		var n int
		var oldest *time.Time
		if err := tx.QueryRowxContext(ctx, `SELECT count(*), min(at) FROM rate_limit_hits WHERE bucket = $1 AND client = $2 AND at > $3`,
			r.Bucket, client, now.Add(-r.Window)).Scan(&n, &oldest); err != nil {
			return err
		}
		if n >= r.Max {
			wait := r.Window
			if oldest != nil {
				wait = oldest.Add(r.Window).Sub(now)
			}
			return &fault.Error{Kind: fault.TooMany, Code: "too_many_requests", Message: r.Message,
				RetryAfter: max(1, int(math.Ceil(wait.Seconds())))}
		}
		if !record {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO rate_limit_hits (bucket, client, at) VALUES ($1, $2, $3)`, r.Bucket, client, now)
		return err
	})
}

// Forget deletes hits older than a day (longer than any window) and returns how many.
func (l *Limiter) Forget(ctx context.Context) (int64, error) {
	res, err := l.DB.ExecContext(ctx, `DELETE FROM rate_limit_hits WHERE at < $1`, l.Now().Add(-24*time.Hour))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ClientIP is the address a request came from. The TCP peer, unless it is
// one of the trusted proxies: then X-Forwarded-For is read from the right
// (the end a proxy appends to, which a client cannot forge), skipping
// trusted proxies, and the first other address is the client's.
func ClientIP(peer netip.Addr, forwardedFor string, trusted []netip.Prefix) string {
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a.Unmap()) {
				return true
			}
		}
		return false
	}
	peer = peer.Unmap()
	if !isTrusted(peer) || forwardedFor == "" {
		return client(peer)
	}
	parts := strings.Split(forwardedFor, ",")
	for i := len(parts) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(parts[i]))
		if err != nil {
			return client(peer) // a malformed chain: trust none of it
		}
		if a = a.Unmap(); !isTrusted(a) {
			return client(a)
		}
	}
	return client(peer)
}

// client names the client an address belongs to: an IPv4 address itself,
// an IPv6 address by its /64 (one home or phone is given a whole /64, so
// counting each address apart would give anyone endless "clients").
func client(a netip.Addr) string {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
