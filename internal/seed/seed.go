// Package seed builds the demo councils from the real data in ../shared/data:
// Trafford (its real youth and community centres) with every role, and
// Cheltenham as a second council, and Trafford's activity (activity.go):
// bookings, rotas and registers of young people without logins, past and
// today. It is idempotent: running it twice changes nothing the second time.
package seed

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"youthhub/internal/account"
	"youthhub/internal/centre"
	"youthhub/internal/platform/auth"
	"youthhub/internal/schedule"
	"youthhub/internal/timetable"
)

// DemoPassword is every demo account's password. Only the seed creates these accounts.
const DemoPassword = "youthhub-demo-password"

// Login is one demo account.
type Login struct {
	Email, Role, Note string
}

// Result says what the seed made.
type Result struct {
	TraffordID, CheltenhamID string
	Logins                   []Login
	Centres                  int
	Series, Postcodes        int
	Areas                    int // small areas (LSOAs) for coverage
	// The demo activity: young people without logins, their bookings and
	// current register marks, and today's session with worker@demo.test
	// rostered on it ("" when a rota rule kept it from being made).
	YoungPeople, Bookings, Marks int
	Today                        string
}

// Seeder holds the services the seed writes through.
type Seeder struct {
	Accounts *account.Service
	Centres  *centre.Service
	// Timetable makes the demo session series (one on the accounts database when nil).
	Timetable *timetable.Service
	DataDir   string
	Now       func() time.Time
}

// Run seeds the demo data.
func (s *Seeder) Run(ctx context.Context) (Result, error) {
	var res Result
	db := s.Accounts.DB
	var err error
	if res.TraffordID, err = s.council(ctx, "Trafford Council", "E08000009"); err != nil {
		return res, err
	}
	if res.CheltenhamID, err = s.council(ctx, "Cheltenham Borough Council", "E07000078"); err != nil {
		return res, err
	}
	rows, err := readCentres(filepath.Join(s.DataDir, "youth_centres", "youth_and_community_centres_combined.csv"))
	if err != nil {
		return res, err
	}
	var have int
	if err := db.GetContext(ctx, &have, `SELECT count(*) FROM centres`); err != nil {
		return res, err
	}
	if have == 0 {
		for i, r := range rows {
			councilID := ""
			switch r.lad {
			case "E08000009":
				councilID = res.TraffordID
			case "E07000078":
				councilID = res.CheltenhamID
			default:
				continue
			}
			if _, err := s.Centres.CreateCentre(ctx, councilID, demoCentre(i, r)); err != nil {
				return res, fmt.Errorf("seed: centre %q: %w", r.name, err)
			}
		}
	}
	if err := db.GetContext(ctx, &res.Centres, `SELECT count(*) FROM centres`); err != nil {
		return res, err
	}

	now := s.Now().In(schedule.London())
	born := func(years, days int) *time.Time {
		t := time.Date(now.Year()-years, now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -days)
		return &t
	}
	pc := func(s string) *string { return &s }
	people := []struct {
		u    account.User
		note string
	}{
		{account.User{Role: auth.Admin, FirstName: "Ada", LastName: "Admin"}, "platform admin"},
		{account.User{Role: auth.CouncilOfficer, CouncilID: &res.TraffordID, FirstName: "Olu", LastName: "Officer", DateOfBirth: born(41, 20)}, "Trafford council officer"},
		{account.User{Role: auth.CentreManager, CouncilID: &res.TraffordID, FirstName: "Mina", LastName: "Manager", DateOfBirth: born(35, 3)}, "Trafford centre manager"},
		{account.User{Role: auth.YouthWorker, CouncilID: &res.TraffordID, FirstName: "Wes", LastName: "Worker", DateOfBirth: born(27, 50)}, "Trafford youth worker"},
		{account.User{Role: auth.YoungPerson, FirstName: "Yasmin", LastName: "Young", DateOfBirth: born(15, 40), Postcode: pc("M32 0JG")}, "young person aged 15"},
		{account.User{Role: auth.YoungPerson, FirstName: "Charlie", LastName: "Child", DateOfBirth: born(11, 100), Postcode: pc("M41 0RX")}, "young person aged 11, guardian consent given"},
		{account.User{Role: auth.Guardian, FirstName: "Gina", LastName: "Guardian"}, "guardian of child@demo.test"},
		{account.User{Role: auth.CouncilOfficer, CouncilID: &res.CheltenhamID, FirstName: "Omar", LastName: "Officer", DateOfBirth: born(45, 9)}, "Cheltenham council officer"},
	}
	emails := []string{"admin@demo.test", "officer@demo.test", "manager@demo.test", "worker@demo.test", "young@demo.test", "child@demo.test", "guardian@demo.test", "officer2@demo.test"}
	for i, p := range people {
		email := emails[i]
		p.u.Email = &email
		res.Logins = append(res.Logins, Login{Email: email, Role: string(p.u.Role), Note: p.note})
		var exists bool
		if err := db.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)`, email); err != nil {
			return res, err
		}
		if exists {
			continue
		}
		u, err := s.Accounts.CreateUser(ctx, p.u, DemoPassword)
		if err != nil {
			return res, fmt.Errorf("seed: user %s: %w", email, err)
		}
		if email == "child@demo.test" {
			_, hash, err := auth.NewSecret()
			if err != nil {
				return res, err
			}
			if _, err := db.ExecContext(ctx, `INSERT INTO consents (young_person_id, guardian_email, token_hash, status, expires_at, decided_at, token_used_at)
				VALUES ($1, 'guardian@demo.test', $2, 'given', now(), now(), now())`, u.ID, hash); err != nil {
				return res, err
			}
		}
	}
	if err := s.seedPostcodes(ctx, &res); err != nil {
		return res, err
	}
	if err := s.seedSeries(ctx, &res); err != nil {
		return res, err
	}
	if err := s.seedStaff(ctx, &res); err != nil {
		return res, err
	}
	if err := s.seedAreas(ctx, &res); err != nil {
		return res, err
	}
	if err := s.seedActivity(ctx, &res); err != nil {
		return res, err
	}
	return res, nil
}

func (s *Seeder) council(ctx context.Context, name, lad string) (string, error) {
	var id string
	err := s.Accounts.DB.GetContext(ctx, &id, `SELECT id FROM councils WHERE lad_code = $1`, lad)
	if err == nil {
		return id, nil
	}
	c, err := s.Accounts.CreateCouncil(ctx, name, lad)
	return c.ID, err
}

type centreRow struct {
	name, category, address, postcode, lad, flags string
	lat, lon                                      float64
}

func readCentres(path string) ([]centreRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("seed: %w (set DEMO_DATA_DIR to the shared data folder)", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	var out []centreRow
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		lat, err1 := strconv.ParseFloat(rec[col["lat"]], 64)
		lon, err2 := strconv.ParseFloat(rec[col["lon"]], 64)
		if err1 != nil || err2 != nil {
			continue // no coordinates in the source: cannot be placed on a map
		}
		out = append(out, centreRow{
			name: rec[col["name"]], category: rec[col["category"]], address: strings.ReplaceAll(rec[col["address"]], "\n", ", "),
			postcode: rec[col["postcode"]], lad: rec[col["lad24cd"]], flags: rec[col["flags"]], lat: lat, lon: lon,
		})
	}
	return out, nil
}

// demoCentre turns a real centre into a demo record. Provider type follows
// the category (council youth centres; community centres run by community
// organisations; hubs by charities); access features and hours are demo
// values, varied by position so that filters have something to show.
func demoCentre(i int, r centreRow) centre.Input {
	in := centre.Input{Name: r.name, Address: r.address, Postcode: r.postcode, Lat: r.lat, Lon: r.lon, Status: "open"}
	switch r.category {
	case "youth_centre":
		in.ProviderType = "council"
		in.OpeningHours = []centre.Opening{{Day: "monday", Opens: "17:00", Closes: "21:00"}, {Day: "wednesday", Opens: "17:00", Closes: "21:00"}, {Day: "friday", Opens: "17:00", Closes: "22:00"}}
	case "community_hub":
		in.ProviderType = "charity"
		in.OpeningHours = []centre.Opening{{Day: "tuesday", Opens: "10:00", Closes: "16:00"}, {Day: "thursday", Opens: "10:00", Closes: "16:00"}}
	case "scout_hut":
		in.ProviderType = "community_organisation"
		in.OpeningHours = []centre.Opening{{Day: "thursday", Opens: "18:30", Closes: "20:30"}}
	default:
		in.ProviderType = "community_organisation"
		in.OpeningHours = []centre.Opening{{Day: "tuesday", Opens: "18:00", Closes: "21:00"}, {Day: "saturday", Opens: "10:00", Closes: "14:00"}}
	}
	if strings.Contains(r.flags, "former_site") || strings.HasPrefix(r.name, "Former ") {
		in.Status = "closed"
	}
	all := centre.AccessFeatures
	for j, a := range all {
		if (i+j)%3 != 0 {
			in.AccessFeatures = append(in.AccessFeatures, a)
		}
	}
	return in
}
