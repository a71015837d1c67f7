package account

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/schedule"
)

// Asking a guardian for consent.
const (
	// ConsentLinkTTL is how long a guardian has to answer a request.
	ConsentLinkTTL = 14 * 24 * time.Hour
	// SameGuardianGap is how long before the same address can be asked again.
	SameGuardianGap = time.Hour
	// MaxConsentRequestsPerDay bounds how many e-mails one child's account
	// sends to guardians in 24 hours, sign-up included.
	MaxConsentRequestsPerDay = 5
	// MaxRequestsToAGuardianPerDay bounds how many consent e-mails one
	// address gets in 24 hours, from all accounts together.
	MaxRequestsToAGuardianPerDay = 5
)

// errGuardianAskedEnough refuses a request to an address asked
// MaxRequestsToAGuardianPerDay times in the last 24 hours.
var errGuardianAskedEnough = fault.Field("guardian_email", "We have sent several consent requests to this address today. Ask your parent or guardian to look for them, or try again tomorrow")

// guardianAskedEnough reports whether the address has had its day's consent
// requests. It takes a transaction-scoped lock on the address, so that
// sign-ups and requests racing to it are counted one after another.
func guardianAskedEnough(ctx context.Context, tx *sqlx.Tx, guardianEmail string, now time.Time) (bool, error) {
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(lower($1), 11))`, guardianEmail); err != nil {
		return false, err
	}
	var n int
	err := tx.GetContext(ctx, &n, `SELECT count(*) FROM consent_requests WHERE guardian_email = $1 AND requested_at > $2`,
		guardianEmail, now.Add(-24*time.Hour))
	return n >= MaxRequestsToAGuardianPerDay, err
}

// RequestConsentAgain sends a young person's guardian a new consent link,
// to the address given or, when it is empty, to the one asked before. It is
// for a request not yet answered: the e-mail went astray, the link expired,
// or the address was mistyped. The earlier link stops working. The same
// address can be asked once an hour, and a child's account can send at most
// MaxConsentRequestsPerDay requests a day, so that it cannot be used to
// flood somebody's inbox.
func (s *Service) RequestConsentAgain(ctx context.Context, youngPersonID, guardianEmail string) error {
	guardianEmail = strings.TrimSpace(guardianEmail)
	return postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var u User
		// The person's row lock puts one child's requests in a line, so the limits hold under racing taps.
		if err := tx.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users WHERE id = $1 FOR UPDATE`, youngPersonID); err != nil {
			return postgres.Classify(err)
		}
		now := s.Now()
		if u.Role != auth.YoungPerson || u.DateOfBirth == nil || ageOn(*u.DateOfBirth, now.In(schedule.London())) >= s.ConsentAge {
			return fault.Coded(fault.Conflict, "consent_not_needed", "You do not need a parent's or guardian's consent")
		}
		var cur struct {
			Email  string `db:"guardian_email"`
			Status string `db:"status"`
		}
		err := tx.GetContext(ctx, &cur, `SELECT guardian_email, status FROM consents WHERE young_person_id = $1`, u.ID)
		if err = postgres.Classify(err); err != nil && fault.KindOf(err) != fault.NotFound {
			return err
		}
		switch cur.Status {
		case "given":
			return fault.Coded(fault.Conflict, "consent_given", "Your parent or guardian has already given consent")
		case "refused", "withdrawn":
			return fault.Coded(fault.Conflict, "consent_answered", "Your parent or guardian has answered, so we cannot ask them again. Talk to them: they can change their answer with the link we sent")
		}
		if guardianEmail == "" {
			guardianEmail = cur.Email
		}
		switch {
		case guardianEmail == "":
			return fault.Field("guardian_email", "Enter a parent's or guardian's email address")
		case !strings.Contains(guardianEmail, "@") || len(guardianEmail) > 254:
			return fault.Field("guardian_email", "Enter an email address, like name@example.com")
		case u.Email != nil && strings.EqualFold(guardianEmail, *u.Email):
			return fault.Field("guardian_email", "Enter your parent's or guardian's email, not your own")
		}
		var asked struct {
			Today    int        `db:"today"`
			First    *time.Time `db:"first"`
			SameLast *time.Time `db:"same_last"`
		}
		if err := tx.GetContext(ctx, &asked, `SELECT count(*) AS today, min(requested_at) AS first,
				max(requested_at) FILTER (WHERE guardian_email = $3) AS same_last
			FROM consent_requests WHERE young_person_id = $1 AND requested_at > $2`, u.ID, now.Add(-24*time.Hour), guardianEmail); err != nil {
			return err
		}
		if asked.Today >= MaxConsentRequestsPerDay {
			return tooSoon("too_many_consent_requests", fmt.Sprintf("You have asked for consent %d times today. You can ask again after", MaxConsentRequestsPerDay),
				asked.First.Add(24*time.Hour), now)
		}
		if asked.SameLast != nil && now.Sub(*asked.SameLast) < SameGuardianGap {
			return tooSoon("consent_recently_requested", "We sent a link to this address less than an hour ago. Ask them to look in their spam folder. You can send it again after",
				asked.SameLast.Add(SameGuardianGap), now)
		}
		return s.requestConsent(ctx, tx, u, guardianEmail)
	})
}

// tooSoon is a 429 whose message ends with when to try again, in London time.
func tooSoon(code, message string, at, now time.Time) *fault.Error {
	when := schedule.SpokenTime(at)
	if at.In(schedule.London()).YearDay() != now.In(schedule.London()).YearDay() {
		when += " on " + at.In(schedule.London()).Format("Monday 2 January")
	}
	return &fault.Error{Kind: fault.TooMany, Code: code, Message: message + " " + when,
		RetryAfter: max(1, int(math.Ceil(at.Sub(now).Seconds())))}
}
