package opendata

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Publisher reads what the open-data feeds and APIs publish.
type Publisher struct {
	DB *sqlx.DB
	// BaseURL is the site's absolute URL with no trailing slash; every URL and
	// JSON-LD @id in the data starts with it.
	BaseURL string
	// Now is the clock (time.Now when nil): it decides which series are still
	// running and the clock changes that bound published opening hours.
	Now func() time.Time
}

func (p *Publisher) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

// RPDE kinds and states.
const (
	KindSessionSeries    = "SessionSeries"
	KindScheduledSession = "ScheduledSession"
	StateUpdated         = "updated"
	StateDeleted         = "deleted"
)

// Page sizes of the RPDE feeds (RPDE suggests 500).
const (
	DefaultFeedLimit = 500
	MaxFeedLimit     = 500
)

// Item is one RPDE item. Data is absent when State is "deleted".
type Item struct {
	State    string `json:"state"`
	Kind     string `json:"kind"`
	ID       string `json:"id"`
	Modified int64  `json:"modified"`
	Data     any    `json:"data,omitempty"`
}

// Position is a place in a feed: just after the item (Modified, ID). The
// zero Position is the beginning of the feed.
type Position struct {
	Modified int64
	ID       string
}

// IsStart reports whether p is the beginning of the feed.
func (p Position) IsStart() bool { return p == Position{} }

// Page is one page of a feed. Next is where the following page starts: the
// last item's position, or the requested one when the page is empty (the
// last page, in RPDE's terms).
type Page struct {
	Items []Item
	Next  Position
}

// bounds are the query arguments for "after p": the beginning of the feed is
// before every (modified, id), whatever the sign of modified.
func (p Position) bounds() (int64, string) {
	if p.IsStart() {
		return math.MinInt64, "00000000-0000-0000-0000-000000000000"
	}
	return p.Modified, p.ID
}

// The feed queries follow RPDE's "Modified Timestamp and ID" query,
// WHERE (modified = @afterTimestamp AND id > @afterId) OR modified > @afterTimestamp
// ORDER BY modified, id, written as the equivalent row comparison that an
// index on (modified, id) answers. Rows changed by transactions that may still
// be running are held back (modified below the snapshot's xmin; see
// migrations/00007_open_data.sql). Deleted items come from opendata_deletions.
// One statement reads the page and its data, so they come from one snapshot.
const horizonCTE = `WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon)`

const seriesPageSQL = horizonCTE + `,
page AS (
    (SELECT s.modified, s.id, false AS deleted FROM session_series s, h
     WHERE (s.modified, s.id) > ($1, $2::uuid) AND s.modified < h.horizon
     ORDER BY s.modified, s.id LIMIT $3)
    UNION ALL
    (SELECT d.modified, d.id, true FROM opendata_deletions d, h
     WHERE d.kind = 'SessionSeries' AND (d.modified, d.id) > ($1, $2::uuid) AND d.modified < h.horizon
     ORDER BY d.modified, d.id LIMIT $3)
    ORDER BY 1, 2 LIMIT $3
)
SELECT p.modified, p.id, p.deleted,
       s.title, s.description, s.what_to_bring, s.category, s.age_min, s.age_max, s.send, s.booking_mode,
       s.days, s.start_local, s.duration_minutes,
       to_char(s.first_date, 'YYYY-MM-DD') AS first_date, to_char(s.last_date, 'YYYY-MM-DD') AS last_date,
       c.id AS centre_id, c.name AS centre_name, c.address, c.postcode, c.lat, c.lon, c.access_features,
       c.opening_hours, c.phone, k.id AS council_id, k.name AS council_name
FROM page p
LEFT JOIN session_series s ON s.id = p.id AND NOT p.deleted
LEFT JOIN centres c ON c.id = s.centre_id
LEFT JOIN councils k ON k.id = s.council_id
ORDER BY p.modified, p.id`

// Occurrences are indexed by modified_block (modified >> 16) rather than by
// modified, so that a booking's UPDATE stays a HOT update; blocks are read in
// order and each is sorted (see the migration).
const sessionsPageSQL = horizonCTE + `,
page AS (
    (SELECT o.modified, o.id, false AS deleted FROM occurrences o, h
     WHERE o.modified_block >= ($1::bigint >> 16) AND (o.modified, o.id) > ($1, $2::uuid) AND o.modified < h.horizon
     ORDER BY o.modified_block, o.modified, o.id LIMIT $3)
    UNION ALL
    (SELECT d.modified, d.id, true FROM opendata_deletions d, h
     WHERE d.kind = 'ScheduledSession' AND (d.modified, d.id) > ($1, $2::uuid) AND d.modified < h.horizon
     ORDER BY d.modified, d.id LIMIT $3)
    ORDER BY 1, 2 LIMIT $3
)
SELECT p.modified, p.id, p.deleted, o.series_id, o.starts_at, o.ends_at, o.booking_mode, o.capacity, o.status,
       CASE WHEN o.booking_mode = 'bookable'
            THEN greatest(0, least(o.capacity, coalesce(o.staffed_limit, o.capacity)) - o.confirmed_count) END AS spaces_left
FROM page p
LEFT JOIN occurrences o ON o.id = p.id AND NOT p.deleted
ORDER BY p.modified, p.id`

// seriesRow is a row of seriesPageSQL; everything after Deleted is NULL for
// a deleted item.
type seriesRow struct {
	Modified        int64          `db:"modified"`
	ID              string         `db:"id"`
	Deleted         bool           `db:"deleted"`
	Title           *string        `db:"title"`
	Description     *string        `db:"description"`
	WhatToBring     *string        `db:"what_to_bring"`
	Category        *string        `db:"category"`
	AgeMin          *int           `db:"age_min"`
	AgeMax          *int           `db:"age_max"`
	Send            *bool          `db:"send"`
	BookingMode     *string        `db:"booking_mode"`
	Days            pq.Int64Array  `db:"days"`
	StartLocal      *string        `db:"start_local"`
	DurationMinutes *int           `db:"duration_minutes"`
	FirstDate       *string        `db:"first_date"`
	LastDate        *string        `db:"last_date"`
	CentreID        *string        `db:"centre_id"`
	CentreName      *string        `db:"centre_name"`
	Address         *string        `db:"address"`
	Postcode        *string        `db:"postcode"`
	Lat             *float64       `db:"lat"`
	Lon             *float64       `db:"lon"`
	AccessFeatures  pq.StringArray `db:"access_features"`
	OpeningHours    *hours         `db:"opening_hours"`
	Phone           *string        `db:"phone"`
	CouncilID       *string        `db:"council_id"`
	CouncilName     *string        `db:"council_name"`
}

// sessionRow is a row of sessionsPageSQL; everything after Deleted is NULL
// for a deleted item.
type sessionRow struct {
	Modified    int64      `db:"modified"`
	ID          string     `db:"id"`
	Deleted     bool       `db:"deleted"`
	SeriesID    *string    `db:"series_id"`
	StartsAt    *time.Time `db:"starts_at"`
	EndsAt      *time.Time `db:"ends_at"`
	BookingMode *string    `db:"booking_mode"`
	Capacity    *int       `db:"capacity"`
	Status      *string    `db:"status"`
	SpacesLeft  *int       `db:"spaces_left"`
}

// SessionSeriesPage is the page of the SessionSeries feed after a position,
// of at most limit items (1 to MaxFeedLimit).
func (p *Publisher) SessionSeriesPage(ctx context.Context, after Position, limit int) (Page, error) {
	m, id := after.bounds()
	var rows []seriesRow
	if err := p.DB.SelectContext(ctx, &rows, seriesPageSQL, m, id, limit); err != nil {
		return Page{}, fmt.Errorf("opendata: session series feed: %w", err)
	}
	page := Page{Items: make([]Item, 0, len(rows)), Next: after}
	for _, r := range rows {
		it := Item{State: StateUpdated, Kind: KindSessionSeries, ID: r.ID, Modified: r.Modified}
		switch {
		case r.Deleted:
			it.State = StateDeleted
		case r.Title == nil || r.CentreID == nil:
			// Gone between the page and the join cannot happen in one
			// statement; a row without its centre would be a broken FK.
			return Page{}, fmt.Errorf("opendata: session series %s: missing data", r.ID)
		default:
			it.Data = p.sessionSeries(r)
		}
		page.Items = append(page.Items, it)
		page.Next = Position{Modified: r.Modified, ID: r.ID}
	}
	return page, nil
}

// ScheduledSessionsPage is the page of the ScheduledSession feed after a
// position, of at most limit items (1 to MaxFeedLimit).
func (p *Publisher) ScheduledSessionsPage(ctx context.Context, after Position, limit int) (Page, error) {
	m, id := after.bounds()
	var rows []sessionRow
	if err := p.DB.SelectContext(ctx, &rows, sessionsPageSQL, m, id, limit); err != nil {
		return Page{}, fmt.Errorf("opendata: scheduled sessions feed: %w", err)
	}
	page := Page{Items: make([]Item, 0, len(rows)), Next: after}
	for _, r := range rows {
		it := Item{State: StateUpdated, Kind: KindScheduledSession, ID: r.ID, Modified: r.Modified}
		switch {
		case r.Deleted:
			it.State = StateDeleted
		case r.SeriesID == nil:
			return Page{}, fmt.Errorf("opendata: occurrence %s: missing data", r.ID)
		default:
			it.Data = p.scheduledSession(r)
		}
		page.Items = append(page.Items, it)
		page.Next = Position{Modified: r.Modified, ID: r.ID}
	}
	return page, nil
}

// url joins the base URL and a path.
func (p *Publisher) url(path ...string) string {
	return p.BaseURL + strings.Join(path, "")
}
