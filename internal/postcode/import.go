package postcode

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/postgres"
)

// Result says what an Import did.
type Result struct {
	// Loaded is the number of rows copied into the postcodes table (inserted
	// or updated in place).
	Loaded int
	// Skipped is the number of rows left out: no coordinates (ONS leaves them
	// empty, or puts 99.999999, for postcodes with no grid reference),
	// coordinates outside Great Britain, or a postcode of the wrong shape.
	Skipped int
}

// columns names the CSV headers Import understands, each with the ONS
// Postcode Directory's own name as an alternative, so that both the project's
// sample (postcode, lat, lon, lad_code, lsoa11_code) and a full ONSPD file
// (pcds, lat, long, oslaua, lsoa21) load.
var columns = map[string][]string{
	"postcode": {"postcode", "pcds", "pcd", "pcd2"},
	"lat":      {"lat", "latitude"},
	"lon":      {"lon", "long", "longitude"},
	"lad":      {"lad_code", "oslaua", "lad"},
	"lsoa":     {"lsoa_code", "lsoa21_code", "lsoa21", "lsoa11_code", "lsoa11"},
}

const (
	createImportTable = `CREATE TEMP TABLE postcode_import (
		postcode text NOT NULL, lat double precision NOT NULL, lon double precision NOT NULL, lad_code text, lsoa_code text
	) ON COMMIT DROP`
	upsertPostcodes = `INSERT INTO postcodes (postcode, lat, lon, lad_code, lsoa_code)
		SELECT DISTINCT ON (postcode) postcode, lat, lon, lad_code, lsoa_code FROM postcode_import ORDER BY postcode
		ON CONFLICT (postcode) DO UPDATE SET lat = EXCLUDED.lat, lon = EXCLUDED.lon, lad_code = EXCLUDED.lad_code, lsoa_code = EXCLUDED.lsoa_code
		WHERE (postcodes.lat, postcodes.lon, postcodes.lad_code, postcodes.lsoa_code)
			IS DISTINCT FROM (EXCLUDED.lat, EXCLUDED.lon, EXCLUDED.lad_code, EXCLUDED.lsoa_code)`
	// copyImport is lib/pq's COPY FROM STDIN: each Exec of the prepared
	// statement buffers one row, and an Exec with no arguments sends them.
	copyImport  = `COPY postcode_import (postcode, lat, lon, lad_code, lsoa_code) FROM STDIN`
	countImport = `SELECT count(DISTINCT postcode) FROM postcode_import`
)

// Import loads an ONS Postcode Directory-style CSV (a header row naming at
// least postcode, lat and lon) into the postcodes table. The rows are streamed
// with COPY into a temporary table and merged with one upsert, all in one
// transaction: a file that fails part-way changes nothing, and importing the
// same file twice leaves the table as it was. A row the CSV reader cannot
// read is an error naming its line; rows without usable coordinates are
// counted in Result.Skipped.
func Import(ctx context.Context, db *sqlx.DB, r io.Reader) (Result, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return Result{}, fmt.Errorf("postcode: read header: %w", err)
	}
	col, err := headerIndex(head)
	if err != nil {
		return Result{}, err
	}
	var res Result
	err = postgres.WithTx(ctx, db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, createImportTable); err != nil {
			return fmt.Errorf("postcode: %w", err)
		}
		stmt, err := tx.PrepareContext(ctx, copyImport)
		if err != nil {
			return fmt.Errorf("postcode: copy: %w", err)
		}
		defer stmt.Close()
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("postcode: %w", err) // csv.ParseError names the line
			}
			pc, lat, lon, ok := parseRow(rec, col)
			if !ok {
				res.Skipped++
				continue
			}
			if _, err := stmt.ExecContext(ctx, pc, lat, lon, optional(rec, col["lad"]), optional(rec, col["lsoa"])); err != nil {
				line, _ := cr.FieldPos(0)
				return fmt.Errorf("postcode: copy line %d: %w", line, err)
			}
		}
		if _, err := stmt.ExecContext(ctx); err != nil {
			return fmt.Errorf("postcode: copy: %w", err)
		}
		if err := stmt.Close(); err != nil {
			return fmt.Errorf("postcode: copy: %w", err)
		}
		if err := tx.GetContext(ctx, &res.Loaded, countImport); err != nil {
			return fmt.Errorf("postcode: %w", err)
		}
		if _, err := tx.ExecContext(ctx, upsertPostcodes); err != nil {
			return fmt.Errorf("postcode: merge: %w", err)
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// headerIndex finds each known column in the header; -1 for an optional one
// that is absent.
func headerIndex(head []string) (map[string]int, error) {
	at := map[string]int{}
	for i, h := range head {
		at[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	col := map[string]int{}
	for key, names := range columns {
		col[key] = -1
		for _, n := range names {
			if i, ok := at[n]; ok {
				col[key] = i
				break
			}
		}
	}
	var missing []string
	for _, key := range []string{"postcode", "lat", "lon"} {
		if col[key] < 0 {
			missing = append(missing, strings.Join(columns[key], " or "))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("postcode: the header has no column %s", strings.Join(missing, ", nor "))
	}
	return col, nil
}

// parseRow reads one row; ok is false when it cannot be placed on a map.
func parseRow(rec []string, col map[string]int) (pc string, lat, lon float64, ok bool) {
	field := func(key string) string {
		if i := col[key]; i >= 0 && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	pc, ok = Normalise(field("postcode"))
	if !ok {
		return "", 0, 0, false
	}
	lat, err1 := strconv.ParseFloat(field("lat"), 64)
	lon, err2 := strconv.ParseFloat(field("lon"), 64)
	// The same bounds as the table's CHECKs: Great Britain, the Isle of Man
	// and the Channel Islands. ONS marks "no coordinates" with 99.999999.
	if err1 != nil || err2 != nil || lat < 49 || lat > 61 || lon < -9 || lon > 2 {
		return "", 0, 0, false
	}
	return pc, lat, lon, true
}

// optional is a column's value, or nil (NULL) when absent or empty.
func optional(rec []string, i int) any {
	if i < 0 || i >= len(rec) {
		return nil
	}
	if v := strings.TrimSpace(rec[i]); v != "" {
		return v
	}
	return nil
}
