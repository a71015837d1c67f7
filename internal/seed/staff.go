package seed

import (
	"context"
	"fmt"
	"time"

	"youthhub/internal/account"
	"youthhub/internal/platform/auth"
	"youthhub/internal/schedule"
	"youthhub/internal/staffing"
)

// demoStaff are Trafford's rota staff besides the demo manager and worker:
// a mix of qualifications, contracts and credentials, so that auto-fill has
// people to choose from and the expiring-checks list has something to show.
var demoStaff = []struct {
	email, first, last string
	age                int
	qualification      string
	firstAid           bool
	hours              float64
	volunteer          bool
	dbsDueInDays       int // 0: two years ahead
	evenings           bool
}{
	{"worker2@demo.test", "Priya", "Shah", 31, "jnc3", true, 30, false, 0, false},
	{"worker3@demo.test", "Tom", "Evans", 26, "jnc2", false, 22.5, false, 0, false},
	{"worker4@demo.test", "Aisha", "Khan", 38, "none", true, 16, false, 0, false},
	{"worker5@demo.test", "Jack", "Murphy", 44, "jnc6plus", false, 37, false, 20, false},
	{"worker6@demo.test", "Olivia", "Brown", 23, "none", false, 0, false, 0, true},
	{"worker7@demo.test", "Daniel", "Okafor", 29, "jnc3", true, 10, false, 0, true},
	{"volunteer@demo.test", "Chloe", "Davies", 17, "none", false, 0, true, 0, true},
}

// seedStaff gives the demo manager and worker staff records, adds the other
// demo staff and theirs. A record already there is left alone, so that
// re-running the seed keeps a manager's edits.
func (s *Seeder) seedStaff(ctx context.Context, res *Result) error {
	db := s.Accounts.DB
	st := &staffing.Service{DB: db, Now: s.Now}
	// The council officer keeps the records (nobody keeps their own).
	var officerID string
	if err := db.GetContext(ctx, &officerID, `SELECT id FROM users WHERE email = 'officer@demo.test'`); err != nil {
		return fmt.Errorf("seed: the demo officer: %w", err)
	}
	keeper := staffing.Actor{UserID: officerID, Role: auth.CouncilOfficer, CouncilID: res.TraffordID}
	now := s.Now().In(schedule.London())
	day := func(days int) *string {
		d := now.AddDate(0, 0, days).Format(time.DateOnly)
		return &d
	}
	seq := 0
	record := func(email, qualification string, firstAid bool, hours float64, volunteer bool, dbsDue int, evenings bool) error {
		var id string
		if err := db.GetContext(ctx, &id, `SELECT id FROM users WHERE email = $1`, email); err != nil {
			return fmt.Errorf("seed: staff %s: %w", email, err)
		}
		rec, err := st.FindStaffRecord(ctx, keeper, id)
		if err != nil || rec.Recorded {
			return err
		}
		if dbsDue == 0 {
			dbsDue = 730
		}
		seq++
		number := fmt.Sprintf("0012%08d", seq)
		in := staffing.RecordInput{
			Qualification: qualification, DBSCertificateNumber: &number, DBSIssueDate: day(dbsDue - 1095), DBSUpdateService: true,
			DBSNextCheckDue: day(dbsDue), DBSEnhanced: true, DBSBarredListChecked: true, SafeguardingExpires: day(500),
			ContractedHours: hours, Volunteer: volunteer,
		}
		if firstAid {
			in.FirstAidExpires = day(400)
		}
		if evenings {
			for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
				in.Availability = append(in.Availability, staffing.Window{Day: d, From: "16:00", To: "22:00"})
			}
		}
		_, err = st.PutStaffRecord(ctx, keeper, id, in)
		return err
	}
	if err := record("manager@demo.test", "jnc6plus", true, 37, false, 0, false); err != nil {
		return err
	}
	if err := record("worker@demo.test", "jnc3", true, 30, false, 0, false); err != nil {
		return err
	}
	for _, p := range demoStaff {
		var exists bool
		if err := db.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)`, p.email); err != nil {
			return err
		}
		if !exists {
			dob := time.Date(now.Year()-p.age, now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -60)
			email := p.email
			u := account.User{Role: auth.YouthWorker, CouncilID: &res.TraffordID, Email: &email, FirstName: p.first, LastName: p.last, DateOfBirth: &dob}
			if _, err := s.Accounts.CreateUser(ctx, u, DemoPassword); err != nil {
				return fmt.Errorf("seed: staff %s: %w", p.email, err)
			}
		}
		if err := record(p.email, p.qualification, p.firstAid, p.hours, p.volunteer, p.dbsDueInDays, p.evenings); err != nil {
			return err
		}
	}
	res.Logins = append(res.Logins, Login{Email: demoStaff[0].email, Role: string(auth.YouthWorker), Note: "Trafford youth worker, a colleague for shift swaps"})
	return nil
}
