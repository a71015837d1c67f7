package seed

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"youthhub/internal/postcode"
	"youthhub/internal/schedule"
	"youthhub/internal/timetable"
)

// samplePostcodes is the ONSPD sample in the shared data folder.
const samplePostcodes = "postcodes/postcodes_sample_100k_onspd_lsoa11_latlon.csv"

// demoPostcodes are the demo young people's postcodes. The 100,000-row
// sample does not hold them, so each is placed at the mean of its sector's
// postcodes in the sample ("M32 0…"), which is within a few hundred metres.
var demoPostcodes = []string{"M32 0JG", "M41 0RX"}

// seedPostcodes loads the sample once (COPY, about a second) and adds the
// demo postcodes it lacks.
func (s *Seeder) seedPostcodes(ctx context.Context, res *Result) error {
	db := s.Accounts.DB
	if err := db.GetContext(ctx, &res.Postcodes, `SELECT count(*) FROM postcodes`); err != nil {
		return err
	}
	if res.Postcodes == 0 {
		f, err := os.Open(filepath.Join(s.DataDir, samplePostcodes))
		if err != nil {
			return fmt.Errorf("seed: %w (set DEMO_DATA_DIR to the shared data folder)", err)
		}
		defer f.Close()
		if _, err := postcode.Import(ctx, db, f); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	const sector = `INSERT INTO postcodes (postcode, lat, lon, lad_code)
		SELECT $1, avg(lat), avg(lon), mode() WITHIN GROUP (ORDER BY lad_code) FROM postcodes WHERE postcode LIKE $2
		HAVING count(*) > 0
		ON CONFLICT (postcode) DO NOTHING`
	for _, pc := range demoPostcodes {
		if _, err := db.ExecContext(ctx, sector, pc, pc[:len(pc)-2]+"%"); err != nil {
			return fmt.Errorf("seed: postcode %s: %w", pc, err)
		}
	}
	return db.GetContext(ctx, &res.Postcodes, `SELECT count(*) FROM postcodes`)
}

// demoSeries are Trafford's weekly sessions, at real youth centres within
// 5 km of M32 0JG.
var demoSeries = []struct {
	centre string
	in     timetable.Input
}{
	{"Old Trafford Youth Centre", timetable.Input{Title: "Tuesday football", Category: "sport", AgeMin: 11, AgeMax: 16, BookingMode: "bookable",
		Capacity: 24, Days: []string{"tuesday"}, StartTime: "18:00", DurationMinutes: 90,
		Description: "Five-a-side on the floodlit pitch, with a qualified coach. All abilities welcome.",
		WhatToBring: "Trainers or astro boots, shin pads and a water bottle"}},
	{"Gorse Hill Youth Centre", timetable.Input{Title: "Friday youth club", Category: "other", AgeMin: 11, AgeMax: 19, BookingMode: "drop_in",
		Capacity: 40, Days: []string{"friday"}, StartTime: "18:30", DurationMinutes: 150,
		Description: "Pool, table tennis, games consoles, a tuck shop and youth workers to talk to. Just turn up."}},
	{"Old Trafford Youth Centre", timetable.Input{Title: "Music studio", Category: "music", AgeMin: 13, AgeMax: 19, BookingMode: "bookable",
		Capacity: 8, Days: []string{"wednesday"}, StartTime: "17:00", DurationMinutes: 120,
		Description: "Write, record and produce your own tracks in the studio, with a music mentor.",
		WhatToBring: "Headphones if you have them"}},
	{"Davyhulme Youth Centre", timetable.Input{Title: "SEND social", Category: "send", Send: true, AgeMin: 11, AgeMax: 25, BookingMode: "bookable",
		Capacity: 12, StaffRatio: 4, Days: []string{"thursday"}, StartTime: "17:30", DurationMinutes: 120,
		Description: "A relaxed social evening for young people with special educational needs and disabilities, with a quiet room.",
		WhatToBring: "Anything that helps you feel comfortable"}},
	{"Gorse Hill Youth Centre", timetable.Input{Title: "Cooking on a budget", Category: "cooking", AgeMin: 14, AgeMax: 19, BookingMode: "bookable",
		Capacity: 10, Days: []string{"monday"}, StartTime: "17:00", DurationMinutes: 90,
		Description: "Cook a meal for under £2 a head and take some home.",
		WhatToBring: "A container for leftovers"}},
	{"Old Trafford Youth Centre", timetable.Input{Title: "One-to-one mentoring", Category: "advice_support", AgeMin: 11, AgeMax: 19, BookingMode: "bookable",
		Capacity: 1, Days: []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}, StartTime: "19:30", DurationMinutes: 30,
		Description: "Half an hour with a youth worker, just you: talk through whatever is on your mind. One place each evening, so there is often a waiting list."}},
}

// seedSeries creates the demo series, from the Monday of this week, as
// Trafford's centre manager; a series already there (same centre and
// title) is left alone.
func (s *Seeder) seedSeries(ctx context.Context, res *Result) error {
	db := s.Accounts.DB
	tt := s.Timetable
	if tt == nil {
		tt = &timetable.Service{DB: db, Now: s.Now}
	}
	var managerID string
	if err := db.GetContext(ctx, &managerID, `SELECT id FROM users WHERE email = 'manager@demo.test'`); err != nil {
		return fmt.Errorf("seed: the demo manager: %w", err)
	}
	today := s.Now().In(schedule.London())
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7)).Format(time.DateOnly)
	for _, d := range demoSeries {
		var centreID string
		if err := db.GetContext(ctx, &centreID, `SELECT id FROM centres WHERE council_id = $1 AND name = $2 ORDER BY created_at LIMIT 1`,
			res.TraffordID, d.centre); err != nil {
			return fmt.Errorf("seed: centre %q: %w", d.centre, err)
		}
		var exists bool
		if err := db.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM session_series WHERE centre_id = $1 AND title = $2)`,
			centreID, d.in.Title); err != nil {
			return err
		}
		if exists {
			continue
		}
		in := d.in
		in.CentreID, in.FirstDate = centreID, monday
		if _, err := tt.CreateSeries(ctx, res.TraffordID, managerID, in); err != nil {
			return fmt.Errorf("seed: series %q: %w", in.Title, err)
		}
	}
	return db.GetContext(ctx, &res.Series, `SELECT count(*) FROM session_series`)
}
