package seed

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"youthhub/internal/area"
)

// lsoasOutsideTrafford are the councils whose small areas the seed imports
// from the national files: Manchester, Trafford's neighbour (its areas make
// centres across the boundary, and their shared catchments, count), and
// Cheltenham, the second demo council.
var lsoasOutsideTrafford = []string{"E08000003", "E07000078"}

// seedAreas imports the small areas the coverage map needs, with their
// boundaries where the data has them: Trafford's 139 from the mid-2024
// Trafford file, then Manchester's and Cheltenham's from the national
// (mid-2020) files. Each import is skipped when its areas are already in, so
// a second run costs two counts; a first run takes about a second.
func (s *Seeder) seedAreas(ctx context.Context, res *Result) error {
	db := s.Accounts.DB
	const countAreas = `SELECT count(*) FROM areas WHERE lad_code = ANY($1)`
	var n int
	if err := db.GetContext(ctx, &n, countAreas, pq.Array([]string{area.TraffordLAD})); err != nil {
		return err
	}
	if n == 0 {
		if _, err := area.Import(ctx, db, area.ImportOptions{Scope: area.ScopeTrafford, Dir: s.DataDir}); err != nil {
			return fmt.Errorf("seed: areas: %w", err)
		}
	}
	if err := db.GetContext(ctx, &n, countAreas, pq.Array(lsoasOutsideTrafford)); err != nil {
		return err
	}
	if n == 0 {
		if _, err := area.Import(ctx, db, area.ImportOptions{Scope: area.ScopeEnglandWales, Dir: s.DataDir, LADs: lsoasOutsideTrafford}); err != nil {
			return fmt.Errorf("seed: areas: %w", err)
		}
	}
	return db.GetContext(ctx, &res.Areas, `SELECT count(*) FROM areas`)
}
