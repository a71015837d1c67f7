package api_test

import (
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/auth"
)

const fixturePassword = "correct horse battery staple"

var fixtureHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(fixturePassword)
	if err != nil {
		panic(err)
	}
	return h
})

// Fixture is two councils with every role, a young person of 15, a child of
// 11 with consent and a guardian.
type Fixture struct {
	CouncilA, CouncilB                 string
	Admin, OfficerA, ManagerA, WorkerA string
	OfficerB, ManagerB, WorkerB        string
	Young, Child, Guardian             string
	CentreA, CentreB                   string
}

func newFixture(t *testing.T, db *sqlx.DB) Fixture {
	t.Helper()
	var f Fixture
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.Get(&f.CouncilA, `INSERT INTO councils (name, lad_code) VALUES ('Trafford Council', 'E08000009') RETURNING id`))
	must(db.Get(&f.CouncilB, `INSERT INTO councils (name, lad_code) VALUES ('Manchester City Council', 'E08000003') RETURNING id`))
	dob := func(years int) string { return time.Now().AddDate(-years, 0, -30).Format(time.DateOnly) }
	user := func(dst *string, role auth.Role, council *string, email, birth string) {
		t.Helper()
		must(db.Get(dst, `INSERT INTO users (role, council_id, email, password_hash, first_name, last_name, date_of_birth, postcode)
			VALUES ($1, $2, $3, $4, $5, 'Tester', NULLIF($6, '')::date, 'M32 0JG') RETURNING id`,
			role, council, email, fixtureHash(), string(role), birth))
	}
	user(&f.Admin, auth.Admin, nil, "admin@example.test", "")
	user(&f.OfficerA, auth.CouncilOfficer, &f.CouncilA, "officer.a@example.test", dob(40))
	user(&f.ManagerA, auth.CentreManager, &f.CouncilA, "manager.a@example.test", dob(35))
	user(&f.WorkerA, auth.YouthWorker, &f.CouncilA, "worker.a@example.test", dob(25))
	user(&f.OfficerB, auth.CouncilOfficer, &f.CouncilB, "officer.b@example.test", dob(40))
	user(&f.ManagerB, auth.CentreManager, &f.CouncilB, "manager.b@example.test", dob(35))
	user(&f.WorkerB, auth.YouthWorker, &f.CouncilB, "worker.b@example.test", dob(25))
	user(&f.Young, auth.YoungPerson, nil, "young@example.test", dob(15))
	user(&f.Child, auth.YoungPerson, nil, "child@example.test", dob(11))
	user(&f.Guardian, auth.Guardian, nil, "guardian@example.test", "")
	must(db.QueryRow(`INSERT INTO consents (young_person_id, guardian_email, token_hash, status, expires_at, decided_at, token_used_at)
		VALUES ($1, 'guardian@example.test', 'fixture', 'given', now(), now(), now())`, f.Child).Err())
	must(db.Get(&f.CentreA, `INSERT INTO centres (council_id, name, lat, lon, provider_type, access_features, status)
		VALUES ($1, 'Old Trafford Youth Centre', 53.4584, -2.2796, 'council', '{step_free,hearing_loop}', 'open') RETURNING id`, f.CouncilA))
	must(db.Get(&f.CentreB, `INSERT INTO centres (council_id, name, lat, lon, provider_type, access_features, status)
		VALUES ($1, 'Moss Side Youth Club', 53.4600, -2.2400, 'charity', '{}', 'open') RETURNING id`, f.CouncilB))
	return f
}
