// Package testdb gives each test a fresh, migrated PostgreSQL database cloned
// from a template (pgtestdb), so tests run against the real schema at unit-test
// speed. The server comes from TEST_DATABASE_URL, by default the private
// cluster that `make test` starts.
package testdb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/peterldowns/pgtestdb"

	"youthhub/internal/platform/postgres"
	"youthhub/migrations"
)

// DefaultURL is the admin URL of the private cluster started by scripts/pg.sh.
const DefaultURL = "postgres://postgres@127.0.0.1:54329/postgres?sslmode=disable"

type migrator struct{}

func (migrator) Hash() (string, error) {
	h := sha256.New()
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(migrations.FS, n)
		if err != nil {
			return "", err
		}
		h.Write([]byte(n))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

func (migrator) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	return postgres.Migrate(ctx, db, "up")
}

func serverConfig(t testing.TB) pgtestdb.Config {
	t.Helper()
	raw := os.Getenv("TEST_DATABASE_URL")
	if raw == "" {
		raw = DefaultURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("testdb: TEST_DATABASE_URL: %v", err)
	}
	pw, _ := u.User.Password()
	opts := u.Query()
	opts.Del("binary_parameters")
	if opts.Get("sslmode") == "" {
		opts.Set("sslmode", "disable")
	}
	return pgtestdb.Config{
		DriverName:                "postgres",
		Host:                      u.Hostname(),
		Port:                      u.Port(),
		User:                      u.User.Username(),
		Password:                  pw,
		Database:                  u.Path[1:],
		Options:                   opts.Encode(),
		ForceTerminateConnections: true,
		TestRole: &pgtestdb.Role{
			Username:     "youthhub_test",
			Password:     "youthhub_test",
			Capabilities: "NOSUPERUSER NOCREATEDB NOCREATEROLE",
		},
	}
}

// URL creates a fresh migrated database and returns its connection URL.
// It is dropped when the test passes. Start the server with `make db-start`.
func URL(t testing.TB) string {
	t.Helper()
	c := pgtestdb.Custom(t, serverConfig(t), migrator{})
	return c.URL()
}

// New returns a pool on a fresh migrated database, closed at cleanup.
func New(t testing.TB) *sqlx.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), URL(t), 20)
	if err != nil {
		t.Fatalf("testdb: open: %v (is the test cluster running? `make db-start`)", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
