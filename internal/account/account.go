// Package account manages people: young people's self-registration with
// guardian consent, staff invitations, sign-in with throttling, and
// rotating refresh tokens.
package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/mail"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/postcode"
	"youthhub/internal/schedule"
)

// Service holds the database and the rules for accounts.
type Service struct {
	DB         *sqlx.DB
	Now        func() time.Time
	ConsentAge int
	BaseURL    string
	RefreshTTL time.Duration
	Stmts      *postgres.StmtCache // hot queries prepared once (nil: unprepared)

	// CancelBookings cancels, in the caller's transaction, the young
	// person's bookings of sessions not yet started that they may no longer
	// hold (booking.Service.CancelIneligible), describing each one. Nil
	// cancels nothing.
	CancelBookings func(ctx context.Context, tx *sqlx.Tx, youngPersonID string) ([]string, error)
}

// User is an account as the rest of the system sees it.
type User struct {
	ID           string     `db:"id"`
	Role         auth.Role  `db:"role"`
	CouncilID    *string    `db:"council_id"`
	Email        *string    `db:"email"`
	PasswordHash *string    `db:"password_hash"`
	FirstName    string     `db:"first_name"`
	LastName     string     `db:"last_name"`
	DateOfBirth  *time.Time `db:"date_of_birth"`
	Postcode     *string    `db:"postcode"`
	Active       bool       `db:"active"`
	CreatedAt    time.Time  `db:"created_at"`
}

const userColumns = `id, role, council_id, email, password_hash, first_name, last_name, date_of_birth, postcode, active, created_at`

// Principal is the caller of a request: who, in which role, for which council.
type Principal struct {
	UserID    string    `db:"id"`
	Role      auth.Role `db:"role"`
	CouncilID string    `db:"council_id"`
	Active    bool      `db:"active"`
	// IssuedAt is when the request's access token was issued (set by the
	// API's authorisation, not read from the database).
	IssuedAt time.Time `db:"-"`
}

// FindPrincipal loads the current role and council of a user, so that a
// deactivation or role change takes effect on the next request. An access
// token issued before the user's sessions were ended (a password change or
// reset) is refused.
func (s *Service) FindPrincipal(ctx context.Context, userID string, issuedAt time.Time) (Principal, error) {
	const q = `SELECT id, role, coalesce(council_id::text, '') AS council_id, active, sessions_valid_from FROM users WHERE id = $1`
	var row struct {
		Principal
		ValidFrom *time.Time `db:"sessions_valid_from"`
	}
	if err := s.Stmts.Get(ctx, s.DB, &row, q, userID); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return row.Principal, fault.New(fault.Unauthorized, "Your session has ended. Sign in again")
		}
		return row.Principal, err
	}
	if !row.Active {
		return row.Principal, fault.New(fault.Unauthorized, "This account has been switched off")
	}
	if row.ValidFrom != nil && issuedAt.Before(*row.ValidFrom) {
		return row.Principal, fault.New(fault.Unauthorized, "Your session has ended. Sign in again")
	}
	return row.Principal, nil
}

// sessionsValidFrom is the instant a password change or reset ends every
// session before it, in whole seconds like a token's iat (a token issued in
// the same second, for the new session, stays valid).
func (s *Service) sessionsValidFrom() time.Time { return s.Now().Truncate(time.Second) }

// FindUserByID returns one user.
func (s *Service) FindUserByID(ctx context.Context, id string) (User, error) {
	var u User
	err := s.DB.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
	return u, postgres.Classify(err)
}

// NormalisePostcode upper-cases a UK postcode and puts one space before the
// inward code. ok is false when it is not shaped like a UK postcode. It is
// postcode.Normalise: registration checks the shape only, since the postcode
// table may hold only part of the country.
func NormalisePostcode(raw string) (string, bool) { return postcode.Normalise(raw) }

// BadName reports whether a name holds a line break or another control
// character: names go into e-mails, registers and exports, one line each.
func BadName(s string) bool {
	return strings.ContainsFunc(s, unicode.IsControl)
}

// MsgBadName is said of such a name.
const MsgBadName = "Names cannot contain line breaks or other control characters"

// Registration is what a young person gives to create an account.
type Registration struct {
	// Register says what is missing in its own words; the tags check the format.
	FirstName     string `json:"first_name" validate:"max=100"`
	LastName      string `json:"last_name" validate:"max=100"`
	DateOfBirth   string `json:"date_of_birth" validate:"date"`
	Postcode      string `json:"postcode" validate:"max=10"`
	Email         string `json:"email" validate:"omitempty,email,max=254"`
	Password      string `json:"password" validate:"max=1000"`
	GuardianEmail string `json:"guardian_email" validate:"omitempty,email,max=254"`
	// BeforeCreate, when set, runs once the details are valid and before
	// the account is made (the API's limit on sign-ups per client: a
	// refused form costs nothing).
	BeforeCreate func(context.Context) error `json:"-" validate:"-"`
	// Invalid are the format errors already found (web.FieldErrors):
	// Register reports them with its own, checking the other fields.
	Invalid []fault.FieldError `json:"-" validate:"-"`
}

// registrationOrder is the sign-up form's order, for its errors.
var registrationOrder = []string{"first_name", "last_name", "date_of_birth", "postcode", "email", "password", "guardian_email"}

// Registered is the outcome of a registration.
type Registered struct {
	User            User
	ConsentRequired bool
}

// Youngest and oldest ages the service registers (DESIGN.md §1: 8–25).
const (
	MinAge = 8
	MaxAge = 25
)

// Register creates a young person's account. Under the age of digital
// consent, a guardian's email is required and a single-use consent link is
// queued to it in the same transaction.
func (s *Service) Register(ctx context.Context, r Registration) (Registered, error) {
	fields := slices.Clone(r.Invalid)
	bad := map[string]bool{}
	for _, f := range fields {
		bad[f.Field] = true
	}
	// One message a field: the first found.
	add := func(f, m string) {
		if !bad[f] {
			bad[f] = true
			fields = append(fields, fault.FieldError{Field: f, Message: m})
		}
	}
	r.FirstName, r.LastName = strings.TrimSpace(r.FirstName), strings.TrimSpace(r.LastName)
	r.Email = strings.TrimSpace(r.Email)
	switch {
	case r.FirstName == "":
		add("first_name", "Enter your first name")
	case BadName(r.FirstName):
		add("first_name", MsgBadName)
	}
	switch {
	case r.LastName == "":
		add("last_name", "Enter your last name")
	case BadName(r.LastName):
		add("last_name", MsgBadName)
	}
	dob, dobErr := time.Parse(time.DateOnly, r.DateOfBirth)
	today := s.Now().In(schedule.London())
	age := ageOn(dob, today)
	switch {
	case dobErr != nil || bad["date_of_birth"]:
		// Said already (missing or not a date), or said by the validator.
		add("date_of_birth", "Enter your date of birth, like 2011-03-27")
	case dob.After(today):
		add("date_of_birth", "Date of birth must be in the past")
	case age < MinAge:
		add("date_of_birth", fmt.Sprintf("You must be %d or older to use youthhub", MinAge))
	case age > MaxAge:
		add("date_of_birth", fmt.Sprintf("youthhub is for young people aged %d to %d", MinAge, MaxAge))
	}
	pc, ok := NormalisePostcode(r.Postcode)
	if bad["postcode"] {
		// Said already.
	} else if !ok {
		add("postcode", "Enter a real UK postcode, like M32 0JG")
	} else if known, err := postcode.Known(ctx, s.DB, pc); err != nil {
		return Registered{}, err
	} else if !known {
		add("postcode", postcode.MsgUnknown(pc))
	}
	if r.Email == "" {
		add("email", "Enter your email address")
	}
	if r.Password == "" {
		add("password", "Enter a password")
	} else if msg := auth.CheckPassword(r.Password, r.FirstName, r.LastName, r.Email); msg != "" {
		add("password", msg)
	}
	needsConsent := dobErr == nil && age < s.ConsentAge
	if needsConsent {
		switch {
		case r.GuardianEmail == "":
			add("guardian_email", fmt.Sprintf("Enter a parent's or guardian's email address: under %d, they need to agree before you can book", s.ConsentAge))
		case strings.EqualFold(strings.TrimSpace(r.GuardianEmail), r.Email):
			add("guardian_email", "Enter your parent's or guardian's email, not your own")
		}
	}
	if len(fields) > 0 {
		slices.SortStableFunc(fields, func(a, b fault.FieldError) int {
			return slices.Index(registrationOrder, a.Field) - slices.Index(registrationOrder, b.Field)
		})
		return Registered{}, fault.Fields(fields...)
	}
	if r.BeforeCreate != nil {
		if err := r.BeforeCreate(ctx); err != nil {
			return Registered{}, err
		}
	}
	hash, err := auth.HashPassword(r.Password)
	if err != nil {
		return Registered{}, err
	}
	var out Registered
	err = postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		const q = `INSERT INTO users (role, email, password_hash, first_name, last_name, date_of_birth, postcode)
			VALUES ('young_person', $1, $2, $3, $4, $5, $6) RETURNING ` + userColumns
		if err := tx.GetContext(ctx, &out.User, q, r.Email, hash, r.FirstName, r.LastName, r.DateOfBirth, pc); err != nil {
			if fault.KindOf(postgres.Classify(err)) == fault.Conflict {
				return fault.Field("email", "An account already uses this email address. Sign in instead")
			}
			return err
		}
		if needsConsent {
			out.ConsentRequired = true
			return s.requestConsent(ctx, tx, out.User, strings.TrimSpace(r.GuardianEmail))
		}
		return nil
	})
	return out, err
}

func (s *Service) requestConsent(ctx context.Context, tx *sqlx.Tx, child User, guardianEmail string) error {
	secret, hash, err := auth.NewSecret()
	if err != nil {
		return err
	}
	if enough, err := guardianAskedEnough(ctx, tx, guardianEmail, s.Now()); err != nil || enough {
		if err == nil {
			err = errGuardianAskedEnough
		}
		return err
	}
	// A new request replaces an unanswered one: its link stops working.
	const q = `INSERT INTO consents (young_person_id, guardian_email, token_hash, requested_at, expires_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (young_person_id) DO UPDATE SET guardian_email = EXCLUDED.guardian_email, token_hash = EXCLUDED.token_hash,
			requested_at = EXCLUDED.requested_at, expires_at = EXCLUDED.expires_at, status = 'pending', decided_at = NULL,
			token_used_at = NULL, guardian_user_id = NULL
		WHERE consents.status = 'pending'`
	now := s.Now()
	res, err := tx.ExecContext(ctx, q, child.ID, guardianEmail, hash, now, now.Add(ConsentLinkTTL))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("account: consent request for an answered consent (%d rows): %w", n, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO consent_requests (young_person_id, guardian_email, requested_at) VALUES ($1, $2, $3)`,
		child.ID, guardianEmail, now); err != nil {
		return err
	}
	body := fmt.Sprintf(`Hello,

%s has created a youthhub account and gave your email address as their parent or guardian.
Because they are under %d, they need your consent before they can book youth sessions.

youthhub keeps their name, date of birth, home postcode and email, and the sessions they book.

To give or refuse consent, open this link within 14 days. If you give consent, you can
withdraw it at any time with the same link, so keep this email:
%s/consent/%s

If you do not know this young person, you can ignore this email.`, child.FirstName, s.ConsentAge, s.BaseURL, secret)
	return mail.EnqueueAbout(ctx, tx, child.ID, guardianEmail, "Consent needed for "+child.FirstName+"'s youthhub account", body)
}

// Consent is the state of a young person's guardian consent.
type Consent struct {
	YoungPersonID  string     `db:"young_person_id"`
	ChildFirstName string     `db:"first_name"`
	GuardianEmail  string     `db:"guardian_email"`
	Status         string     `db:"status"`
	RequestedAt    time.Time  `db:"requested_at"`
	DecidedAt      *time.Time `db:"decided_at"`
	ExpiresAt      time.Time  `db:"expires_at"`
	TokenUsedAt    *time.Time `db:"token_used_at"`
}

const consentColumns = `c.young_person_id, u.first_name, c.guardian_email, c.status, c.requested_at, c.decided_at, c.expires_at, c.token_used_at`

// FindConsentByYoungPerson returns the consent row, fault.NotFound if none.
func (s *Service) FindConsentByYoungPerson(ctx context.Context, youngPersonID string) (Consent, error) {
	var c Consent
	err := s.DB.GetContext(ctx, &c, `SELECT `+consentColumns+` FROM consents c JOIN users u ON u.id = c.young_person_id WHERE c.young_person_id = $1`, youngPersonID)
	return c, postgres.Classify(err)
}

// FindConsentByToken returns the consent a guardian's link points to.
func (s *Service) FindConsentByToken(ctx context.Context, token string) (Consent, error) {
	var c Consent
	err := s.DB.GetContext(ctx, &c, `SELECT `+consentColumns+` FROM consents c JOIN users u ON u.id = c.young_person_id WHERE c.token_hash = $1`, auth.HashSecret(token))
	if err != nil {
		return c, fault.New(fault.NotFound, "This consent link is not valid. Ask the young person to send a new one")
	}
	return c, nil
}

// DecideConsent records a guardian's decision from their e-mailed link:
// decision is give, refuse or withdraw.
//   - give or refuse answers the request once, while the link has not
//     expired; sent again with the same answer (a retry) it returns the
//     consent as it is.
//   - withdraw (or refuse, once consent is given) withdraws consent at any
//     time, even after the link has expired: a guardian invited by e-mail
//     has no account, and the link is how they keep the promise that they
//     can withdraw.
//   - give, after the guardian refused or withdrew, changes their mind, also
//     at any time: the young person cannot ask again once a guardian has
//     answered (their "no" stands against the child), so the guardian's own
//     link is the way back.
func (s *Service) DecideConsent(ctx context.Context, token, decision string) (Consent, error) {
	hash := auth.HashSecret(token)
	var cur struct {
		Child     string     `db:"young_person_id"`
		Status    string     `db:"status"`
		UsedAt    *time.Time `db:"token_used_at"`
		ExpiresAt time.Time  `db:"expires_at"`
	}
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &cur, `SELECT young_person_id, status, token_used_at, expires_at FROM consents WHERE token_hash = $1 FOR UPDATE`, hash)
		if errors.Is(err, sql.ErrNoRows) {
			return fault.New(fault.NotFound, "This consent link is not valid. Ask the young person to send a new one")
		}
		if err != nil {
			return err
		}
		if decision == "refuse" && cur.Status == "given" {
			decision = "withdraw"
		}
		switch {
		case decision == "withdraw" && cur.Status == "withdrawn",
			decision == "give" && cur.Status == "given",
			decision == "refuse" && cur.Status == "refused":
			return nil // answered already: a retry
		case decision == "withdraw" && cur.Status != "given":
			return fault.Coded(fault.Conflict, "consent_not_given", "Consent has not been given, so there is nothing to withdraw")
		case decision == "withdraw":
			if err := s.withdraw(ctx, tx, cur.Child, `UPDATE consents SET status = 'withdrawn', decided_at = now() WHERE token_hash = $1`, hash); err != nil {
				return err
			}
			return s.auditConsent(ctx, tx, cur.Child, "withdrawn", "")
		case decision == "give" && (cur.Status == "refused" || cur.Status == "withdrawn"):
			if err := s.giveAgain(ctx, tx, cur.Child, `UPDATE consents SET status = 'given', decided_at = now() WHERE token_hash = $1`, hash); err != nil {
				return err
			}
			return s.auditConsent(ctx, tx, cur.Child, "given", "")
		case cur.UsedAt != nil:
			return fault.Coded(fault.Conflict, "consent_link_used", "This link has already been used to answer. It can still withdraw consent")
		case !cur.ExpiresAt.After(s.Now()):
			return fault.Coded(fault.Invalid, "consent_link_expired", "This consent link has expired. Ask the young person to send a new one")
		}
		status := map[string]string{"give": "given", "refuse": "refused"}[decision]
		if _, err := tx.ExecContext(ctx, `UPDATE consents SET status = $2, decided_at = now(), token_used_at = now() WHERE token_hash = $1`, hash, status); err != nil {
			return err
		}
		if err := tellChild(ctx, tx, cur.Child, status, nil); err != nil {
			return err
		}
		return s.auditConsent(ctx, tx, cur.Child, status, "")
	})
	if err != nil {
		return Consent{}, err
	}
	return s.FindConsentByToken(ctx, token)
}

// auditConsent keeps each decision on a child's consent (given, refused,
// withdrawn) in the audit log, so that the council can show who decided
// what and when, and the home council's access log lists every change of
// mind: by the signed-in guardian (guardianID), or, with guardianID empty,
// through the link e-mailed to the guardian (who may have no account).
func (s *Service) auditConsent(ctx context.Context, tx *sqlx.Tx, child, status, guardianID string) error {
	how := "by their parent or guardian, through the link e-mailed to them"
	if guardianID != "" {
		how = "by their parent or guardian, signed in"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (actor_id, subject_id, action, reason, at) VALUES (NULLIF($1, '')::uuid, $2, $3, $4, $5)`,
		guardianID, child, "consent_"+status, "consent "+status+" "+how, s.Now())
	return err
}

// consentNews is what the young person is told when their guardian answers.
var consentNews = map[string]string{
	"given":     "Your parent or guardian gave consent. You can book sessions now.",
	"refused":   "Your parent or guardian did not give consent, so you cannot book sessions.",
	"withdrawn": "Your parent or guardian withdrew consent, so you cannot book sessions.",
}

// withdraw withdraws consent for a child (update, with its args, changes the
// consent row the caller has locked). The child's row is locked first: each
// new booking of theirs takes the same lock and then checks consent again
// (migration 00018), so a booking racing the withdrawal either is seen here
// or sees the withdrawal. Their bookings of sessions not yet started are
// cancelled, the places go to the waiting lists, and they are told.
func (s *Service) withdraw(ctx context.Context, tx *sqlx.Tx, child, update string, args ...any) error {
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE`, child); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, update, args...); err != nil {
		return err
	}
	cancelled, err := s.cancelBookings(ctx, tx, child, "your parent or guardian withdrew consent")
	if err != nil {
		return err
	}
	return tellChild(ctx, tx, child, "withdrawn", cancelled)
}

// giveAgain records consent given after a refusal or a withdrawal (update,
// with its args, changes the consent row the caller has locked), and tells
// the young person they can book again.
func (s *Service) giveAgain(ctx context.Context, tx *sqlx.Tx, child, update string, args ...any) error {
	if _, err := tx.ExecContext(ctx, update, args...); err != nil {
		return err
	}
	return tellChild(ctx, tx, child, "given", nil)
}

// cancelBookings cancels the bookings a young person may no longer hold
// (CancelBookings) and e-mails them the list, and why, when there is one.
func (s *Service) cancelBookings(ctx context.Context, tx *sqlx.Tx, youngPersonID, why string) ([]string, error) {
	if s.CancelBookings == nil {
		return nil, nil
	}
	cancelled, err := s.CancelBookings(ctx, tx, youngPersonID)
	if err != nil || len(cancelled) == 0 {
		return nil, err
	}
	var to struct {
		Email     *string `db:"email"`
		FirstName string  `db:"first_name"`
	}
	if err := tx.GetContext(ctx, &to, `SELECT email, first_name FROM users WHERE id = $1`, youngPersonID); err != nil {
		return nil, err
	}
	if to.Email != nil {
		body := "Hello " + to.FirstName + ",\n\nThese bookings have been cancelled because " + why + ":\n\n- " +
			strings.Join(cancelled, "\n- ") + "\n\nSee your notifications: " + s.BaseURL + "/notifications"
		if err := mail.Enqueue(ctx, tx, *to.Email, "Your youthhub bookings were cancelled", body); err != nil {
			return nil, err
		}
	}
	return cancelled, nil
}

// tellChild puts the guardian's answer in the young person's notifications,
// with the bookings it cancelled.
func tellChild(ctx context.Context, tx sqlx.ExecerContext, youngPersonID, status string, cancelled []string) error {
	msg := consentNews[status]
	if len(cancelled) > 0 {
		msg += " Your bookings of sessions that have not started were cancelled: " + strings.Join(cancelled, "; ") + "."
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, kind, message) VALUES ($1, $2, $3)`,
		youngPersonID, "consent_"+status, msg)
	return err
}

// GuardianChildren lists the consents given to a guardian's email.
func (s *Service) GuardianChildren(ctx context.Context, guardianID string) ([]Consent, error) {
	const q = `SELECT ` + consentColumns + ` FROM consents c JOIN users u ON u.id = c.young_person_id
		JOIN users g ON g.id = $1 AND g.email = c.guardian_email ORDER BY u.first_name`
	var out []Consent
	err := s.DB.SelectContext(ctx, &out, q, guardianID)
	return out, err
}

// WithdrawConsent lets the signed-in guardian withdraw consent for a child
// whose account named their email.
func (s *Service) WithdrawConsent(ctx context.Context, guardianID, youngPersonID string) (Consent, error) {
	return s.guardianAnswers(ctx, guardianID, youngPersonID, "withdrawn", s.withdraw)
}

// GiveConsent lets the signed-in guardian give consent for a child whose
// account named their email: first, or again after refusing or withdrawing
// it.
func (s *Service) GiveConsent(ctx context.Context, guardianID, youngPersonID string) (Consent, error) {
	return s.guardianAnswers(ctx, guardianID, youngPersonID, "given", s.giveAgain)
}

// guardianAnswers sets the consent of a child whose account named the
// signed-in guardian's email to status, with apply (withdraw or giveAgain),
// under the consent row's lock. Another guardian's child is fault.NotFound;
// a consent already in that state is left alone (a retry tells nobody).
func (s *Service) guardianAnswers(ctx context.Context, guardianID, youngPersonID, status string,
	apply func(ctx context.Context, tx *sqlx.Tx, child, update string, args ...any) error) (Consent, error) {
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		var was string
		err := tx.GetContext(ctx, &was, `SELECT c.status FROM consents c JOIN users g ON g.id = $1 AND g.role = 'guardian' AND g.email = c.guardian_email
			WHERE c.young_person_id = $2 FOR UPDATE OF c`, guardianID, youngPersonID)
		if errors.Is(err, sql.ErrNoRows) {
			return fault.New(fault.NotFound, "Not found")
		}
		if err != nil || was == status {
			return err
		}
		const update = `UPDATE consents SET status = $3, decided_at = now(), guardian_user_id = $1 WHERE young_person_id = $2`
		if status == "withdrawn" && (was == "pending" || was == "refused") {
			// Never given, so not withdrawn: the answer is no, and the child
			// is told so (they hold no bookings to cancel).
			if was == "refused" {
				return nil
			}
			if _, err := tx.ExecContext(ctx, update, guardianID, youngPersonID, "refused"); err != nil {
				return err
			}
			if err := tellChild(ctx, tx, youngPersonID, "refused", nil); err != nil {
				return err
			}
			return s.auditConsent(ctx, tx, youngPersonID, "refused", guardianID)
		}
		if err := apply(ctx, tx, youngPersonID, update, guardianID, youngPersonID, status); err != nil {
			return err
		}
		return s.auditConsent(ctx, tx, youngPersonID, status, guardianID)
	})
	if err != nil {
		return Consent{}, err
	}
	return s.FindConsentByYoungPerson(ctx, youngPersonID)
}

// ConsentStatus is "not_needed" for those at or over the consent age and
// the consent row's status otherwise ("pending" when none exists).
func (s *Service) ConsentStatus(ctx context.Context, u User) (string, *Consent, error) {
	if u.Role != auth.YoungPerson || u.DateOfBirth == nil || ageOn(*u.DateOfBirth, s.Now().In(schedule.London())) >= s.ConsentAge {
		return "not_needed", nil, nil
	}
	c, err := s.FindConsentByYoungPerson(ctx, u.ID)
	if fault.KindOf(err) == fault.NotFound {
		return "pending", nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	return c.Status, &c, nil
}

// ageOn is the age in whole years on day (see schedule.AgeOn: born on
// 29 February, a year older on 1 March).
func ageOn(dob, day time.Time) int { return schedule.AgeOn(schedule.DateOf(dob), schedule.DateOf(day)) }
