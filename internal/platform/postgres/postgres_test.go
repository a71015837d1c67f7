package postgres_test

import (
	"context"
	"testing"

	"youthhub/internal/platform/postgres"
	"youthhub/internal/testdb"
)

// TestMigrationsUpDownUp proves every migration has a working down step.
func TestMigrationsUpDownUp(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	if err := postgres.Migrate(ctx, db.DB, "reset"); err != nil {
		t.Fatalf("down to zero: %v", err)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'goose_db_version'`); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("after down, %d tables remain", n)
	}
	if err := postgres.Migrate(ctx, db.DB, "up"); err != nil {
		t.Fatalf("up again: %v", err)
	}
	ok, err := postgres.AtHead(ctx, db.DB)
	if err != nil || !ok {
		t.Fatalf("at head = %v, %v", ok, err)
	}
}
