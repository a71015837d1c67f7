package area

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"youthhub/internal/platform/postgres"
)

// Import scopes: which ONS files an import reads.
const (
	// ScopeTrafford is the demo council's 139 LSOAs with the mid-2024
	// single-year population (LoadTrafford).
	ScopeTrafford = "trafford"
	// ScopeEnglandWales is all 35,672 LSOAs of England and Wales with the
	// mid-2020 population moved onto 2021 LSOAs (LoadEnglandWales).
	ScopeEnglandWales = "england-wales"
)

// Scopes lists the import scopes.
var Scopes = []string{ScopeTrafford, ScopeEnglandWales}

// ErrScope is returned for a scope that is not one of Scopes.
var ErrScope = errors.New("area: unknown scope")

// ImportOptions say what Import reads.
type ImportOptions struct {
	Scope string // one of Scopes
	Dir   string // the data folder (shared/data)
	// LADs, when not empty, keeps only the areas of these councils.
	LADs []string
	// Log receives progress lines (files read, rows copied); nil is silent.
	Log io.Writer
}

// Stats says what an import wrote.
type Stats struct {
	ImportID   int64 // area_imports.id
	Areas      int
	Inserted   int // new codes
	Updated    int // codes already in the table, with something changed
	Unchanged  int // codes already in the table exactly as imported
	Boundaries int // areas given a boundary by this import
	Elapsed    time.Duration
}

// Import reads the ONS files of opt.Scope from opt.Dir, and the LSOA boundary
// files where present (Boundaries), and writes them with Store: in one
// transaction, so that a bad row or a failure leaves the table as it was.
// Running it twice changes nothing the second time (every area Unchanged)
// but records the import.
//
// Errors: ErrScope; a file error naming the file and line (see the package
// comment), a boundary error naming the file and feature; an area the table
// refuses.
func Import(ctx context.Context, db *sqlx.DB, opt ImportOptions) (Stats, error) {
	start := time.Now()
	logf := func(format string, args ...any) {
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, format+"\n", args...)
		}
	}
	l := &Loader{Dir: opt.Dir}
	if opt.Log != nil {
		l.Progress = func(p FileProgress) {
			if p.Done {
				logf("  %s: %s rows", p.File, thousands(p.Rows))
			} else {
				logf("  %s: %s rows…", p.File, thousands(p.Rows))
			}
		}
	}
	var areas []Area
	var err error
	logf("reading the ONS files in %s (scope %s)", opt.Dir, opt.Scope)
	switch opt.Scope {
	case ScopeTrafford:
		areas, err = l.Trafford()
	case ScopeEnglandWales:
		areas, err = l.EnglandWales()
	default:
		return Stats{}, fmt.Errorf("%w %q: use %s or %s", ErrScope, opt.Scope, ScopeTrafford, ScopeEnglandWales)
	}
	if err != nil {
		return Stats{}, err
	}
	if len(opt.LADs) > 0 {
		areas = slices.DeleteFunc(areas, func(a Area) bool { return !slices.Contains(opt.LADs, a.LADCode) })
	}
	codes := make(map[string]bool, len(areas))
	for _, a := range areas {
		codes[a.Code] = true
	}
	bounds, err := l.Boundaries(func(code string) bool { return codes[code] })
	if err != nil {
		return Stats{}, err
	}
	logf("read %s areas and %s boundaries in %s", thousands(len(areas)), thousands(len(bounds)), time.Since(start).Round(time.Millisecond))
	scope := opt.Scope
	if len(opt.LADs) > 0 {
		scope += ":" + fmt.Sprint(opt.LADs)
	}
	st, err := Store(ctx, db, scope, areas, bounds, func(done, total int) {
		logf("  copied %s of %s areas", thousands(done), thousands(total))
	})
	if err != nil {
		return st, err
	}
	st.Elapsed = time.Since(start)
	logf("imported %s areas (%s new, %s changed, %s unchanged), %s with a boundary, in %s", thousands(st.Areas),
		thousands(st.Inserted), thousands(st.Updated), thousands(st.Unchanged), thousands(st.Boundaries), st.Elapsed.Round(time.Millisecond))
	return st, nil
}

// copyEvery is how many rows Store copies between two progress reports.
const copyEvery = 5000

// copyLoad is lib/pq's COPY FROM STDIN: each Exec of the prepared statement
// buffers one row, and an Exec with no arguments sends the rest.
const copyLoad = `COPY area_load (code, name, lad_code, lad_name, lat, lon, centroid_kind, imd_decile, young_by_age, boundary) FROM STDIN`

const createLoadTable = `CREATE TEMPORARY TABLE area_load (
	code text, name text, lad_code text, lad_name text, lat double precision, lon double precision,
	centroid_kind text, imd_decile smallint, young_by_age int[], boundary jsonb
) ON COMMIT DROP`

// upsertAreas moves the load table into areas: new codes are inserted,
// changed ones updated, identical ones left alone (so a rerun writes little).
// A boundary already stored is kept when the import brings none.
const upsertAreas = `WITH up AS (
	INSERT INTO areas (code, name, lad_code, lad_name, lat, lon, centroid_kind, imd_decile, young_by_age, boundary, imported_at)
	SELECT code, name, lad_code, lad_name, lat, lon, centroid_kind, imd_decile, young_by_age, boundary, now()
	FROM area_load
	ON CONFLICT (code) DO UPDATE SET
		name = excluded.name, lad_code = excluded.lad_code, lad_name = excluded.lad_name,
		lat = excluded.lat, lon = excluded.lon, centroid_kind = excluded.centroid_kind,
		imd_decile = excluded.imd_decile, young_by_age = excluded.young_by_age,
		boundary = coalesce(excluded.boundary, areas.boundary), imported_at = excluded.imported_at
	WHERE (areas.name, areas.lad_code, areas.lad_name, areas.lat, areas.lon, areas.centroid_kind, areas.imd_decile,
			areas.young_by_age, areas.boundary)
		IS DISTINCT FROM (excluded.name, excluded.lad_code, excluded.lad_name, excluded.lat, excluded.lon, excluded.centroid_kind,
			excluded.imd_decile, excluded.young_by_age, coalesce(excluded.boundary, areas.boundary))
	RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM up`

const insertImport = `INSERT INTO area_imports (scope, areas, inserted, updated, unchanged, boundaries)
	VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`

// Store writes areas into the areas table, each with its boundary from
// boundaries when there is one, in one transaction: the rows are checked,
// copied (COPY) into a temporary table, then inserted or updated by code in
// one statement, and the import is recorded in area_imports (whose latest id
// tells the coverage service that areas changed). Nothing is written when
// any step fails. progress, when not nil, is called every few thousand rows
// copied and at the end.
//
// Errors: an invalid area (naming its code) before anything is written; a
// database error, classified by postgres.Classify.
func Store(ctx context.Context, db *sqlx.DB, scope string, areas []Area, boundaries map[string]json.RawMessage,
	progress func(done, total int)) (Stats, error) {
	if err := checkAreas(areas); err != nil {
		return Stats{}, err
	}
	st := Stats{Areas: len(areas)}
	err := postgres.WithTx(ctx, db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, createLoadTable); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, copyLoad)
		if err != nil {
			return err
		}
		defer stmt.Close()
		ages := make([]int64, MaxAge+1)
		for i, a := range areas {
			for k, n := range a.YoungByAge {
				ages[k] = int64(n)
			}
			var decile, boundary any
			if a.IMDDecile != 0 {
				decile = a.IMDDecile
			}
			if b, ok := boundaries[a.Code]; ok {
				boundary = string(b)
				st.Boundaries++
			}
			if _, err := stmt.ExecContext(ctx, a.Code, a.Name, a.LADCode, a.LADName, a.Lat, a.Lon,
				string(a.CentroidKind), decile, pq.Array(ages), boundary); err != nil {
				return fmt.Errorf("copy %s: %w", a.Code, err)
			}
			if progress != nil && (i+1)%copyEvery == 0 {
				progress(i+1, len(areas))
			}
		}
		if _, err := stmt.ExecContext(ctx); err != nil {
			return postgres.Classify(fmt.Errorf("copy: %w", err))
		}
		if err := stmt.Close(); err != nil {
			return err
		}
		if progress != nil {
			progress(len(areas), len(areas))
		}
		if err := tx.QueryRowxContext(ctx, upsertAreas).Scan(&st.Inserted, &st.Updated); err != nil {
			return postgres.Classify(fmt.Errorf("upsert areas: %w", err))
		}
		st.Unchanged = st.Areas - st.Inserted - st.Updated
		return tx.GetContext(ctx, &st.ImportID, insertImport, scope, st.Areas, st.Inserted, st.Updated, st.Unchanged, st.Boundaries)
	})
	if err != nil {
		return Stats{}, err
	}
	return st, nil
}

// checkAreas refuses what the table would refuse, naming the area: a bad
// code, council, centroid, decile or count, or a code given twice.
func checkAreas(areas []Area) error {
	seen := make(map[string]bool, len(areas))
	for _, a := range areas {
		bad := func(format string, args ...any) error {
			return fmt.Errorf("area %s: %s", a.Code, fmt.Sprintf(format, args...))
		}
		switch {
		case !validCode(a.Code, lsoaPrefixes):
			return fmt.Errorf("area %q: not an LSOA code E01/W01…", a.Code)
		case seen[a.Code]:
			return bad("appears twice")
		case !validCode(a.LADCode, ladPrefixes):
			return bad("council %q is not a code E06/E07/E08/E09/W06…", a.LADCode)
		case a.Name == "" || a.LADName == "":
			return bad("no name or no council name")
		case !(a.Lat >= minLat && a.Lat <= maxLat && a.Lon >= minLon && a.Lon <= maxLon):
			return bad("centroid %v, %v is outside England and Wales", a.Lat, a.Lon)
		case a.CentroidKind != CentroidPWC2011 && a.CentroidKind != CentroidGeometric2021:
			return bad("unknown centroid kind %q", a.CentroidKind)
		case a.IMDDecile < 0 || a.IMDDecile > 10:
			return bad("IMD decile %d is outside 1..10", a.IMDDecile)
		}
		for age, n := range a.YoungByAge {
			if n < 0 {
				return bad("%d people aged %d", n, age)
			}
		}
		seen[a.Code] = true
	}
	return nil
}

// thousands formats n with comma separators: 35672 → "35,672".
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
