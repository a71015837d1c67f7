package postgres

import (
	"context"
	"sync"

	"github.com/jmoiron/sqlx"
)

// StmtCache prepares each hot query once per pool, so that PostgreSQL plans
// it once per connection instead of on every request (database/sql
// re-prepares on each new connection, also after a database restart). A nil
// cache runs queries unprepared.
type StmtCache struct {
	db *sqlx.DB
	mu sync.Mutex
	m  map[string]*sqlx.Stmt
}

// NewStmtCache makes a cache for db.
func NewStmtCache(db *sqlx.DB) *StmtCache {
	return &StmtCache{db: db, m: map[string]*sqlx.Stmt{}}
}

func (c *StmtCache) stmt(ctx context.Context, q string) *sqlx.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok {
		return st
	}
	st, err := c.db.PreparexContext(ctx, q)
	if err != nil {
		return nil
	}
	c.m[q] = st
	return st
}

// Get runs a one-row query with a prepared statement.
func (c *StmtCache) Get(ctx context.Context, db *sqlx.DB, dst any, q string, args ...any) error {
	if c != nil {
		if st := c.stmt(ctx, q); st != nil {
			return st.GetContext(ctx, dst, args...)
		}
	}
	return db.GetContext(ctx, dst, q, args...)
}

// Close releases the prepared statements.
func (c *StmtCache) Close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		_ = st.Close()
	}
	c.m = map[string]*sqlx.Stmt{}
}
