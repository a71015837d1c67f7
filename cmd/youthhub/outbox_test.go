package main

import (
	"context"
	"strings"
	"testing"

	"youthhub/internal/platform/mail"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/testdb"
)

// `admin outbox` shows a queued message's text, links and all (development
// and the end-to-end tests read them there), and a sent one's without it.
func TestAdminOutboxShowsOnlyUnsentBodies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dbURL := testdb.URL(t)
	db, err := postgres.Open(ctx, dbURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := mail.Enqueue(ctx, db, "sent@example.test", "Join youthhub", "Open http://localhost:8080/invite/sent-token"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE outbox SET sent_at = now(), attempts = 1, body = ''`); err != nil {
		t.Fatal(err)
	}
	if err := mail.Enqueue(ctx, db, "queued@example.test", "Consent needed", "Open http://localhost:8080/consent/queued-token"); err != nil {
		t.Fatal(err)
	}

	var out strings.Builder
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return dbURL
		}
		return ""
	}
	if err := run(ctx, []string{"admin", "outbox"}, getenv, &out); err != nil {
		t.Fatal(err)
	}
	msgs := strings.Split(strings.TrimSpace(out.String()), "\n\n")
	if len(msgs) != 2 ||
		!strings.Contains(msgs[0], " queued to queued@example.test: Consent needed\nOpen http://localhost:8080/consent/queued-token") ||
		!strings.Contains(msgs[1], " sent to sent@example.test: Join youthhub\n(sent ") ||
		!strings.Contains(msgs[1], "the text is not kept once sent)") {
		t.Fatalf("admin outbox printed:\n%s", out.String())
	}
}
