// Package centre manages youth centres: where they are, who runs them, how
// accessible they are and when they open.
package centre

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/postgres"
	"youthhub/internal/postcode"
)

// ProviderTypes are who may run a centre.
var ProviderTypes = []string{"council", "charity", "co_operative", "community_organisation", "library", "school", "faith_group", "other"}

// AccessFeatures are the accessibility facts recorded for every centre.
var AccessFeatures = []string{"step_free", "accessible_toilet", "changing_places", "hearing_loop", "quiet_space", "near_public_transport"}

// Days of the week as used in opening hours.
var Days = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// Opening is one opening period in a week.
type Opening struct {
	Day    string `json:"day" validate:"required,oneof=monday tuesday wednesday thursday friday saturday sunday"`
	Opens  string `json:"opens" validate:"required,hhmm"`
	Closes string `json:"closes" validate:"required,hhmm"`
}

// Hours is a list of openings stored as JSON.
type Hours []Opening

// Scan reads the jsonb column.
func (h *Hours) Scan(src any) error {
	b, ok := src.([]byte)
	if !ok {
		return fmt.Errorf("centre: hours: %T", src)
	}
	return json.Unmarshal(b, h)
}

// WeeklyHours adds up the openings.
func (h Hours) WeeklyHours() float64 {
	total := 0.0
	for _, o := range h {
		a, _ := time.Parse("15:04", o.Opens)
		b, _ := time.Parse("15:04", o.Closes)
		if b.After(a) {
			total += b.Sub(a).Hours()
		}
	}
	return total
}

// Centre is a youth centre.
type Centre struct {
	ID             string         `db:"id" json:"id"`
	CouncilID      string         `db:"council_id" json:"council_id"`
	CouncilName    string         `db:"council_name" json:"council_name"`
	Name           string         `db:"name" json:"name"`
	Address        string         `db:"address" json:"address"`
	Postcode       string         `db:"postcode" json:"postcode"`
	Lat            float64        `db:"lat" json:"lat"`
	Lon            float64        `db:"lon" json:"lon"`
	ProviderType   string         `db:"provider_type" json:"provider_type"`
	AccessFeatures pq.StringArray `db:"access_features" json:"access_features"`
	OpeningHours   Hours          `db:"opening_hours" json:"opening_hours"`
	WeeklyHours    float64        `db:"weekly_hours" json:"weekly_hours"`
	Status         string         `db:"status" json:"status"`
	Phone          *string        `db:"phone" json:"phone"`
	Email          *string        `db:"email" json:"email"`
	Website        *string        `db:"website" json:"website"`
	CreatedAt      time.Time      `db:"created_at" json:"-"`
	UpdatedAt      time.Time      `db:"updated_at" json:"updated_at"`
}

const columns = `c.id, c.council_id, k.name AS council_name, c.name, c.address, c.postcode, c.lat, c.lon, c.provider_type,
	c.access_features, c.opening_hours, c.weekly_hours, c.status, c.phone, c.email, c.website, c.created_at, c.updated_at`

// NestedColumns are the columns of Centre named "centre.<column>", for a
// query that joins centres c and councils k (k.id = c.council_id) and scans
// into a struct with a `db:"centre"` Centre field.
var NestedColumns = nest(columns, "centre.")

func nest(cols, prefix string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		expr, name, ok := strings.Cut(p, " AS ")
		if !ok {
			_, name, _ = strings.Cut(p, ".")
		}
		parts[i] = expr + ` AS "` + prefix + name + `"`
	}
	return strings.Join(parts, ", ")
}

// Service stores centres.
type Service struct {
	DB    *sqlx.DB
	Stmts *postgres.StmtCache // hot queries prepared once (nil: unprepared)
}

// Filter narrows FindCentres.
type Filter struct {
	CouncilID      string
	ProviderType   string
	AccessFeatures []string
	Status         string
	// PlannedOf is the one council whose planned centres are listed (the
	// caller's, for its staff); "" lists none: a planned centre is planning
	// data, not yet decided, and not public.
	PlannedOf     string
	Limit, Offset int
}

// FindCentres lists centres, filtered, by name, with the total before paging.
func (s *Service) FindCentres(ctx context.Context, f Filter) ([]Centre, int, error) {
	where := []string{"true"}
	args := []any{}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.CouncilID != "" {
		where = append(where, "c.council_id = "+arg(f.CouncilID))
	}
	if f.ProviderType != "" {
		where = append(where, "c.provider_type = "+arg(f.ProviderType))
	}
	if len(f.AccessFeatures) > 0 {
		where = append(where, "c.access_features @> "+arg(pq.StringArray(f.AccessFeatures)))
	}
	if f.Status != "" {
		where = append(where, "c.status = "+arg(f.Status))
	}
	if f.PlannedOf == "" {
		where = append(where, "c.status <> 'planned'")
	} else {
		where = append(where, "(c.status <> 'planned' OR c.council_id = "+arg(f.PlannedOf)+")")
	}
	w := strings.Join(where, " AND ")
	var total int
	if err := s.DB.GetContext(ctx, &total, `SELECT count(*) FROM centres c WHERE `+w, args...); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + columns + ` FROM centres c JOIN councils k ON k.id = c.council_id WHERE ` + w +
		` ORDER BY c.name, c.id LIMIT ` + arg(f.Limit) + ` OFFSET ` + arg(f.Offset)
	out := []Centre{}
	if err := s.DB.SelectContext(ctx, &out, q, args...); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// FindCentreByID returns one centre or fault.NotFound.
func (s *Service) FindCentreByID(ctx context.Context, id string) (Centre, error) {
	var c Centre
	err := s.Stmts.Get(ctx, s.DB, &c, `SELECT `+columns+` FROM centres c JOIN councils k ON k.id = c.council_id WHERE c.id = $1`, id)
	return c, postgres.Classify(err)
}

// Input is a new centre or a full replacement of its editable fields.
type Input struct {
	Name           string    `json:"name" validate:"required,max=200"`
	Address        string    `json:"address" validate:"max=500"`
	Postcode       string    `json:"postcode" validate:"max=10"`
	Lat            float64   `json:"lat" validate:"required,gte=49,lte=61"`
	Lon            float64   `json:"lon" validate:"required,gte=-9,lte=2"`
	ProviderType   string    `json:"provider_type" validate:"required,oneof=council charity co_operative community_organisation library school faith_group other"`
	AccessFeatures []string  `json:"access_features" validate:"max=6,unique,dive,oneof=step_free accessible_toilet changing_places hearing_loop quiet_space near_public_transport"`
	OpeningHours   []Opening `json:"opening_hours" validate:"max=28,dive"`
	Status         string    `json:"status" validate:"omitempty,oneof=open planned closed"`
	Phone          *string   `json:"phone" validate:"omitempty,max=40"`
	Email          *string   `json:"email" validate:"omitempty,email,max=254"`
	Website        *string   `json:"website" validate:"omitempty,http_url,max=500"`
}

func (in *Input) check() error {
	var fields []fault.FieldError
	// The name goes into e-mails, calendars, CSV and open data: one line. The
	// address may have line breaks, nothing else of the kind.
	if strings.ContainsFunc(in.Name, unicode.IsControl) {
		fields = append(fields, fault.FieldError{Field: "name", Message: "Name must be one line, with no control characters"})
	}
	if strings.ContainsFunc(in.Address, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' }) {
		fields = append(fields, fault.FieldError{Field: "address", Message: "Address cannot contain control characters other than line breaks"})
	}
	if strings.TrimSpace(in.Name) == "" && in.Name != "" {
		fields = append(fields, fault.FieldError{Field: "name", Message: "Enter the centre's name"})
	}
	if strings.TrimSpace(in.Postcode) != "" {
		if pc, ok := postcode.Normalise(in.Postcode); ok {
			in.Postcode = pc
		} else {
			fields = append(fields, fault.FieldError{Field: "postcode", Message: "Enter a real postcode, like M32 0JG, or leave it empty"})
		}
	} else {
		in.Postcode = ""
	}
	for i, o := range in.OpeningHours {
		if o.Closes <= o.Opens {
			fields = append(fields, fault.FieldError{Field: fmt.Sprintf("opening_hours[%d].closes", i), Message: "Closing time must be after opening time"})
			continue
		}
		// Two openings on one day that overlap would count those hours
		// twice in weekly_hours, and so in the coverage figures.
		for _, e := range in.OpeningHours[:i] {
			if e.Day == o.Day && e.Closes > e.Opens && o.Opens < e.Closes && e.Opens < o.Closes {
				fields = append(fields, fault.FieldError{Field: fmt.Sprintf("opening_hours[%d].opens", i),
					Message: fmt.Sprintf("These hours overlap the opening at %s to %s on %s: give each time once", e.Opens, e.Closes, o.Day)})
				break
			}
		}
	}
	if len(fields) > 0 {
		return fault.Fields(fields...)
	}
	if in.Status == "" {
		in.Status = "open"
	}
	if in.AccessFeatures == nil {
		in.AccessFeatures = []string{}
	}
	if in.OpeningHours == nil {
		in.OpeningHours = []Opening{}
	}
	return nil
}

// CreateCentre adds a centre to a council.
func (s *Service) CreateCentre(ctx context.Context, councilID string, in Input) (Centre, error) {
	return s.CreateCentreIn(ctx, s.DB, councilID, in)
}

// CreateCentreIn is CreateCentre on q, a transaction (for Idempotency-Key) or the pool.
func (s *Service) CreateCentreIn(ctx context.Context, q sqlx.QueryerContext, councilID string, in Input) (Centre, error) {
	if err := in.check(); err != nil {
		return Centre{}, err
	}
	if err := NearCouncil(ctx, q, councilID, in.Lat, in.Lon, ""); err != nil {
		return Centre{}, err
	}
	hours, _ := json.Marshal(in.OpeningHours)
	var id string
	err := sqlx.GetContext(ctx, q, &id, insertSQL, councilID, in.Name, in.Address, in.Postcode, in.Lat, in.Lon, in.ProviderType,
		pq.StringArray(in.AccessFeatures), string(hours), Hours(in.OpeningHours).WeeklyHours(), in.Status, in.Phone, in.Email, in.Website)
	if err != nil {
		return Centre{}, postgres.Classify(err)
	}
	var c Centre
	err = sqlx.GetContext(ctx, q, &c, `SELECT `+columns+` FROM centres c JOIN councils k ON k.id = c.council_id WHERE c.id = $1`, id)
	return c, err
}

const insertSQL = `INSERT INTO centres (council_id, name, address, postcode, lat, lon, provider_type, access_features, opening_hours, weekly_hours, status, phone, email, website)
	VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING id`

// UpdateCentre replaces a centre's editable fields, only within councilID.
func (s *Service) UpdateCentre(ctx context.Context, councilID, id string, in Input) (Centre, error) {
	if err := in.check(); err != nil {
		return Centre{}, err
	}
	var was struct {
		Lat float64 `db:"lat"`
		Lon float64 `db:"lon"`
	}
	err := s.DB.GetContext(ctx, &was, `SELECT lat, lon FROM centres WHERE id = $1 AND council_id = $2`, id, councilID)
	if errors.Is(err, sql.ErrNoRows) {
		return Centre{}, fault.New(fault.NotFound, "Not found")
	} else if err != nil {
		return Centre{}, err
	}
	if was.Lat != in.Lat || was.Lon != in.Lon { // a centre is checked where it moves to, not for staying put
		if err := NearCouncil(ctx, s.DB, councilID, in.Lat, in.Lon, ""); err != nil {
			return Centre{}, err
		}
	}
	hours, _ := json.Marshal(in.OpeningHours)
	const q = `UPDATE centres SET name=$3, address=$4, postcode=$5, lat=$6, lon=$7, provider_type=$8, access_features=$9,
		opening_hours=$10, weekly_hours=$11, status=$12, phone=$13, email=$14, website=$15, updated_at=now()
		WHERE id = $1 AND council_id = $2`
	res, err := s.DB.ExecContext(ctx, q, id, councilID, in.Name, in.Address, in.Postcode, in.Lat, in.Lon, in.ProviderType,
		pq.StringArray(in.AccessFeatures), string(hours), Hours(in.OpeningHours).WeeklyHours(), in.Status, in.Phone, in.Email, in.Website)
	if err != nil {
		return Centre{}, postgres.Classify(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Centre{}, fault.New(fault.NotFound, "Not found")
	}
	return s.FindCentreByID(ctx, id)
}

// MaxKmFromCouncil is how far a centre may be from the middle of the
// nearest small area of its council: near enough for one just over the
// boundary or in a large rural area, too near for a latitude and longitude
// from another part of the country (a slip of a digit or a sign).
const MaxKmFromCouncil = 20.0

// NearCouncil refuses a point further than MaxKmFromCouncil from every small
// area of the council, naming the fields prefix+"lat" and prefix+"lon". A
// council whose areas are not loaded yet is not checked.
func NearCouncil(ctx context.Context, q sqlx.QueryerContext, councilID string, lat, lon float64, prefix string) error {
	var row struct {
		Name string   `db:"name"`
		Km   *float64 `db:"km"`
	}
	const near = `SELECT k.name, (SELECT min(2 * 6371.0088 * asin(sqrt(power(sin(radians(a.lat - $2) / 2), 2)
			+ cos(radians($2)) * cos(radians(a.lat)) * power(sin(radians(a.lon - $3) / 2), 2))))
		FROM areas a WHERE a.lad_code = k.lad_code) AS km
		FROM councils k WHERE k.id = $1`
	if err := sqlx.GetContext(ctx, q, &row, near, councilID, lat, lon); err != nil {
		return err
	}
	if row.Km == nil || *row.Km <= MaxKmFromCouncil {
		return nil
	}
	msg := fmt.Sprintf("This point is about %.0f km from %s's area: check the latitude and longitude", *row.Km, row.Name)
	return fault.Fields(fault.FieldError{Field: prefix + "lat", Message: msg}, fault.FieldError{Field: prefix + "lon", Message: msg})
}
