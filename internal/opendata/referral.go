package opendata

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/lib/pq"

	"youthhub/internal/platform/fault"
	"youthhub/internal/schedule"
)

// Open Referral UK: what GET / of the API answers.
const (
	HSDSVersion    = "HSDS-UK-3.0"
	HSDSProfileURL = "https://github.com/OpenReferralUK/uk-profile"
	HSDSOpenAPIURL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"
)

// Page sizes of the Open Referral lists.
const (
	DefaultPerPage = 50
	MaxPerPage     = 500
)

// Service is an HSDS service: the youth service at one centre. It takes the
// centre's id. Lists carry its one-to-one fields and its organisation; the
// full record adds schedules, locations, cost options and attributes.
type Service struct {
	ID                 string              `json:"id"`
	OrganizationID     string              `json:"organization_id"`
	Name               string              `json:"name"`
	Description        string              `json:"description"`
	URL                string              `json:"url"`
	Email              string              `json:"email,omitempty"`
	Status             string              `json:"status"`
	MinimumAge         *int                `json:"minimum_age,omitempty"`
	MaximumAge         *int                `json:"maximum_age,omitempty"`
	LastModified       string              `json:"last_modified"`
	Organization       HSDSOrganization    `json:"organization"`
	Schedules          []Schedule          `json:"schedules,omitempty"`
	ServiceAtLocations []ServiceAtLocation `json:"service_at_locations,omitempty"`
	CostOptions        []CostOption        `json:"cost_options,omitempty"`
	Attributes         []Attribute         `json:"attributes,omitempty"`
}

// HSDSOrganization is the council responsible for the youth offer.
type HSDSOrganization struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// ServiceAtLocation links the service to the centre. In a service's
// service_at_locations it carries only the location; on its own it also
// carries the service's one-to-one fields.
type ServiceAtLocation struct {
	ID         string       `json:"id"`
	ServiceID  string       `json:"service_id"`
	LocationID string       `json:"location_id"`
	Location   HSDSLocation `json:"location"`
	Service    *Service     `json:"service,omitempty"`
}

// HSDSLocation is the centre as a physical place. Lists leave out its
// addresses and accessibility.
type HSDSLocation struct {
	ID            string          `json:"id"`
	LocationType  string          `json:"location_type"`
	Name          string          `json:"name"`
	Description   string          `json:"description,omitempty"`
	Latitude      float64         `json:"latitude"`
	Longitude     float64         `json:"longitude"`
	Addresses     []Address       `json:"addresses,omitempty"`
	Accessibility []Accessibility `json:"accessibility,omitempty"`
}

// Address is a location's physical address.
type Address struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id"`
	Address1      string `json:"address_1"`
	City          string `json:"city"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// Accessibility is one access feature of a location.
type Accessibility struct {
	ID          string `json:"id"`
	LocationID  string `json:"location_id"`
	Description string `json:"description"`
}

// Schedule is one weekly opening time of the service, valid between two UK
// clock changes so that opens_at and closes_at can carry the UTC offset the
// profile asks for.
type Schedule struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id"`
	ValidFrom   string `json:"valid_from"`
	ValidTo     string `json:"valid_to,omitempty"`
	Freq        string `json:"freq"`
	Interval    int    `json:"interval"`
	ByDay       string `json:"byday"`
	OpensAt     string `json:"opens_at"`
	ClosesAt    string `json:"closes_at"`
	Description string `json:"description"`
}

// CostOption is a price: every session is free.
type CostOption struct {
	ID                string  `json:"id"`
	ServiceID         string  `json:"service_id"`
	Option            string  `json:"option"`
	Amount            float64 `json:"amount"`
	AmountDescription string  `json:"amount_description"`
}

// Attribute links the service to a taxonomy term: an activity offered, or
// who provides the centre.
type Attribute struct {
	ID             string       `json:"id"`
	LinkID         string       `json:"link_id"`
	LinkType       string       `json:"link_type"`
	TaxonomyTermID string       `json:"taxonomy_term_id"`
	TaxonomyTerm   TaxonomyTerm `json:"taxonomy_term"`
}

// TaxonomyTerm is a term of one of youthhub's two taxonomies.
type TaxonomyTerm struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Taxonomy    string `json:"taxonomy"`
	TermURI     string `json:"term_uri,omitempty"`
}

// The two taxonomies attributes use.
const (
	activityTaxonomy = "youthhub activities"
	providerTaxonomy = "youthhub provider types"
)

// providerWords describe who runs a centre.
var providerWords = map[string]string{
	"council": "the council", "charity": "a charity", "co_operative": "a co-operative",
	"community_organisation": "a community organisation", "library": "a library", "school": "a school",
	"faith_group": "a faith group", "other": "a local organisation",
}

// ActivityTermID is the id of the activity taxonomy term of a session
// category ("sport"), as the taxonomy_term_id filter takes it.
func ActivityTermID(category string) string { return recordID("taxonomy_term", "activity", category) }

// ServiceFilter narrows FindServices and FindServiceAtLocations.
type ServiceFilter struct {
	Search         string // in the centre's name, address or council name
	MinimumAge     *int   // services whose youngest age is at least this
	MaximumAge     *int   // services whose oldest age is at most this
	TaxonomyTermID string // services with this activity term
	Page, PerPage  int    // page from 1
}

// serviceRow is a centre with what its running series add up to.
type serviceRow struct {
	ID              string         `db:"id"`
	CouncilID       string         `db:"council_id"`
	CouncilName     string         `db:"council_name"`
	Name            string         `db:"name"`
	Address         string         `db:"address"`
	Postcode        string         `db:"postcode"`
	Lat             float64        `db:"lat"`
	Lon             float64        `db:"lon"`
	ProviderType    string         `db:"provider_type"`
	AccessFeatures  pq.StringArray `db:"access_features"`
	OpeningHours    hours          `db:"opening_hours"`
	Status          string         `db:"status"`
	Email           *string        `db:"email"`
	UpdatedAt       time.Time      `db:"updated_at"`
	AgeMin          *int           `db:"age_min"`
	AgeMax          *int           `db:"age_max"`
	SeriesUpdatedAt *time.Time     `db:"series_updated_at"`
	Categories      pq.StringArray `db:"categories"`
}

// serviceFrom joins each centre to its council and to what its series that
// have not ended by $1 (a date) add up to.
const serviceFrom = ` FROM centres c JOIN councils k ON k.id = c.council_id
LEFT JOIN LATERAL (
    SELECT min(s.age_min) AS age_min, max(s.age_max) AS age_max, max(s.updated_at) AS updated_at,
           array_agg(DISTINCT s.category ORDER BY s.category) AS categories
    FROM session_series s
    WHERE s.centre_id = c.id AND (s.last_date IS NULL OR s.last_date >= $1::date)
) a ON true`

const serviceColumns = `c.id, c.council_id, k.name AS council_name, c.name, c.address, c.postcode, c.lat, c.lon,
    c.provider_type, c.access_features, c.opening_hours, c.status, c.email, c.updated_at,
    a.age_min, a.age_max, a.updated_at AS series_updated_at, coalesce(a.categories, '{}') AS categories`

// serviceWhere filters on $2 search (a LIKE pattern, or empty for any),
// $3 minimum age, $4 maximum age and $5 category (empty for any).
// Planned centres are planning data, not yet decided: not published.
const serviceWhere = ` WHERE c.status <> 'planned' AND ($2 = '' OR c.name ILIKE $2 OR c.address ILIKE $2 OR k.name ILIKE $2)
    AND ($3::int IS NULL OR a.age_min >= $3) AND ($4::int IS NULL OR a.age_max <= $4)
    AND ($5 = '' OR $5 = ANY (a.categories))`

// today is the current date in the UK, YYYY-MM-DD.
func (p *Publisher) today() string { return p.now().In(schedule.London()).Format(time.DateOnly) }

// findServiceRows lists centres by name with the total before paging.
func (p *Publisher) findServiceRows(ctx context.Context, f ServiceFilter) ([]serviceRow, int, error) {
	search := ""
	if s := strings.TrimSpace(f.Search); s != "" {
		search = "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s) + "%"
	}
	category := ""
	if f.TaxonomyTermID != "" {
		category = "-" // an unknown term matches nothing
		for _, a := range ownActivities {
			if ActivityTermID(a.Category) == f.TaxonomyTermID {
				category = a.Category
			}
		}
	}
	args := []any{p.today(), search, f.MinimumAge, f.MaximumAge, category}
	var total int
	if err := p.DB.GetContext(ctx, &total, `SELECT count(*)`+serviceFrom+serviceWhere, args...); err != nil {
		return nil, 0, fmt.Errorf("opendata: services: %w", err)
	}
	rows := []serviceRow{}
	q := `SELECT ` + serviceColumns + serviceFrom + serviceWhere + ` ORDER BY c.name, c.id LIMIT $6 OFFSET $7`
	if err := p.DB.SelectContext(ctx, &rows, q, append(args, f.PerPage, (f.Page-1)*f.PerPage)...); err != nil {
		return nil, 0, fmt.Errorf("opendata: services: %w", err)
	}
	return rows, total, nil
}

func (p *Publisher) findServiceRow(ctx context.Context, centreID string) (serviceRow, error) {
	if _, err := uuid.Parse(centreID); err != nil {
		return serviceRow{}, fault.New(fault.NotFound, "Service not found")
	}
	var r serviceRow
	err := p.DB.GetContext(ctx, &r, `SELECT `+serviceColumns+serviceFrom+` WHERE c.id = $2 AND c.status <> 'planned'`, p.today(), centreID)
	if errors.Is(err, sql.ErrNoRows) {
		return serviceRow{}, fault.New(fault.NotFound, "Service not found")
	}
	if err != nil {
		return serviceRow{}, fmt.Errorf("opendata: service: %w", err)
	}
	return r, nil
}

// FindServices lists services (one-to-one fields and organisation) by
// centre name, with the total before paging.
func (p *Publisher) FindServices(ctx context.Context, f ServiceFilter) ([]Service, int, error) {
	rows, total, err := p.findServiceRows(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Service, 0, len(rows))
	for _, r := range rows {
		out = append(out, p.service(r))
	}
	return out, total, nil
}

// FindServiceByID returns the full record of a service, or fault.NotFound.
func (p *Publisher) FindServiceByID(ctx context.Context, id string) (Service, error) {
	r, err := p.findServiceRow(ctx, id)
	if err != nil {
		return Service{}, err
	}
	s := p.service(r)
	s.Schedules = openingSchedules(r.ID, r.OpeningHours, p.now())
	s.ServiceAtLocations = []ServiceAtLocation{p.serviceAtLocation(r, true)}
	s.CostOptions = []CostOption{{
		ID: recordID("cost_option", r.ID), ServiceID: r.ID, Option: "Free", Amount: 0,
		AmountDescription: "Every session is free.",
	}}
	s.Attributes = p.attributes(r)
	return s, nil
}

// FindServiceAtLocations lists the links of services to their centres, with
// the one-to-one fields of both, by centre name, with the total before paging.
func (p *Publisher) FindServiceAtLocations(ctx context.Context, f ServiceFilter) ([]ServiceAtLocation, int, error) {
	rows, total, err := p.findServiceRows(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]ServiceAtLocation, 0, len(rows))
	for _, r := range rows {
		sal := p.serviceAtLocation(r, false)
		s := p.service(r)
		sal.Service = &s
		out = append(out, sal)
	}
	return out, total, nil
}

// FindServiceAtLocationByID returns one link with its full location and the
// service's one-to-one fields, or fault.NotFound.
func (p *Publisher) FindServiceAtLocationByID(ctx context.Context, id string) (ServiceAtLocation, error) {
	centreID, ok := centreOf(id, kindServiceAtLocation)
	if !ok {
		return ServiceAtLocation{}, fault.New(fault.NotFound, "Service at location not found")
	}
	r, err := p.findServiceRow(ctx, centreID)
	if fault.KindOf(err) == fault.NotFound {
		return ServiceAtLocation{}, fault.New(fault.NotFound, "Service at location not found")
	}
	if err != nil {
		return ServiceAtLocation{}, err
	}
	sal := p.serviceAtLocation(r, true)
	s := p.service(r)
	sal.Service = &s
	return sal, nil
}

// serviceStatus maps a centre's status to HSDS's.
var serviceStatus = map[string]string{"open": "active", "planned": "inactive", "closed": "defunct"}

func (p *Publisher) service(r serviceRow) Service {
	place := councilPlace(r.CouncilName)
	var acts []string
	for _, a := range ownActivities {
		if slices.Contains(r.Categories, a.Category) {
			acts = append(acts, strings.ToLower(a.Label))
		}
	}
	desc := fmt.Sprintf("Youth sessions at %s, run by %s for %s.", r.Name, providerWords[r.ProviderType], r.CouncilName)
	if r.AgeMin != nil && r.AgeMax != nil {
		desc = fmt.Sprintf("Free youth sessions for young people aged %d to %d at %s, run by %s for %s.",
			*r.AgeMin, *r.AgeMax, r.Name, providerWords[r.ProviderType], r.CouncilName)
	}
	if len(acts) > 0 {
		desc += " Activities: " + strings.Join(acts, ", ") + "."
	}
	modified := r.UpdatedAt
	if r.SeriesUpdatedAt != nil && r.SeriesUpdatedAt.After(modified) {
		modified = *r.SeriesUpdatedAt
	}
	s := Service{
		ID: r.ID, OrganizationID: r.CouncilID, Name: "Youth service at " + r.Name, Description: desc,
		URL: p.url("/centres/", r.ID), Status: serviceStatus[r.Status], MinimumAge: r.AgeMin, MaximumAge: r.AgeMax,
		LastModified: modified.UTC().Format(time.RFC3339),
		Organization: HSDSOrganization{
			ID: r.CouncilID, Name: r.CouncilName,
			Description: fmt.Sprintf("%s, the local authority responsible for youth services in %s.", r.CouncilName, place),
		},
	}
	if r.Email != nil && strings.Contains(*r.Email, "@") {
		s.Email = strings.TrimSpace(*r.Email)
	}
	return s
}

func (p *Publisher) serviceAtLocation(r serviceRow, full bool) ServiceAtLocation {
	locID := derivedID(r.ID, kindLocation)
	loc := HSDSLocation{
		ID: locID, LocationType: "physical", Name: r.Name, Latitude: r.Lat, Longitude: r.Lon,
		Description: fmt.Sprintf("A youth centre run by %s.", providerWords[r.ProviderType]),
	}
	if full {
		street, locality := splitAddress(r.Address)
		place := councilPlace(r.CouncilName)
		if street == "" {
			street = r.Name
		}
		if locality == "" {
			locality = place
		}
		loc.Addresses = []Address{{
			ID: recordID("address", r.ID), LocationID: locID, Address1: street, City: locality, StateProvince: place,
			PostalCode: strings.TrimSpace(r.Postcode), Country: "GB", AddressType: "physical",
		}}
		for _, f := range r.AccessFeatures {
			if w := featureWords(f); w != "" {
				loc.Accessibility = append(loc.Accessibility, Accessibility{ID: recordID("accessibility", r.ID, f), LocationID: locID, Description: w})
			}
		}
	}
	return ServiceAtLocation{ID: derivedID(r.ID, kindServiceAtLocation), ServiceID: r.ID, LocationID: locID, Location: loc}
}

// attributes are the activities of the series running at the centre and
// who provides it.
func (p *Publisher) attributes(r serviceRow) []Attribute {
	var out []Attribute
	list := p.url(ActivityListPath)
	for _, a := range ownActivities {
		if !slices.Contains(r.Categories, a.Category) {
			continue
		}
		term := TaxonomyTerm{ID: ActivityTermID(a.Category), Name: a.Label, Description: a.Definition, Taxonomy: activityTaxonomy, TermURI: list + "#" + a.Slug}
		out = append(out, Attribute{ID: recordID("attribute", r.ID, "activity", a.Category), LinkID: r.ID, LinkType: "service", TaxonomyTermID: term.ID, TaxonomyTerm: term})
	}
	if w, ok := providerWords[r.ProviderType]; ok {
		term := TaxonomyTerm{ID: recordID("taxonomy_term", "provider", r.ProviderType), Name: r.ProviderType,
			Description: "Run by " + w + ".", Taxonomy: providerTaxonomy}
		out = append(out, Attribute{ID: recordID("attribute", r.ID, "provider"), LinkID: r.ID, LinkType: "service", TaxonomyTermID: term.ID, TaxonomyTerm: term})
	}
	return out
}

// byDayCodes are iCalendar's day codes by time.Weekday.
var byDayCodes = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

var dayNames = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// openingSchedules turns opening hours into weekly schedules for the UK's
// current clock period (GMT or BST) and the next one, each bounded by
// valid_from and valid_to and with its own UTC offset, as HSDS asks for
// times with an offset. Days with the same hours share a schedule.
func openingSchedules(serviceID string, h hours, now time.Time) []Schedule {
	groups := h.grouped()
	if len(groups) == 0 {
		return nil
	}
	var out []Schedule
	for _, period := range clockPeriods(now, 2) {
		for _, g := range groups {
			var codes, names []string
			for _, d := range g.Days {
				codes = append(codes, byDayCodes[d])
				names = append(names, dayNames[d])
			}
			opens, errO := time.ParseInLocation("2006-01-02 15:04", period.From+" "+g.Opens, schedule.London())
			closes, errC := time.ParseInLocation("2006-01-02 15:04", period.From+" "+g.Closes, schedule.London())
			if errO != nil || errC != nil {
				continue
			}
			s := Schedule{
				ID:        recordID("schedule", serviceID, period.From, g.Opens, g.Closes, strings.Join(codes, ",")),
				ServiceID: serviceID, ValidFrom: period.From, ValidTo: period.To, Freq: "WEEKLY", Interval: 1,
				ByDay: strings.Join(codes, ","), OpensAt: opens.Format("15:04Z07:00"), ClosesAt: closes.Format("15:04Z07:00"),
				Description: fmt.Sprintf("Open %s, %s to %s (UK time).", joinWords(names), g.Opens, g.Closes),
			}
			out = append(out, s)
		}
	}
	return out
}

// clockPeriod is a run of days with one UK UTC offset; To is "" when no
// change follows within a year.
type clockPeriod struct{ From, To string }

// clockPeriods are the next n periods of constant UK offset from now's date:
// a period ends the day before the clocks change (they change at 01:00 UTC,
// before any centre opens).
func clockPeriods(now time.Time, n int) []clockPeriod {
	london := schedule.London()
	y, m, d := now.In(london).Date()
	day := time.Date(y, m, d, 12, 0, 0, 0, london)
	offset := func(t time.Time) int { _, off := t.Zone(); return off }
	var out []clockPeriod
	from := day
	for len(out) < n {
		to := ""
		next := from
		for i := 1; i <= 366; i++ {
			c := from.AddDate(0, 0, i)
			if offset(c) != offset(from) {
				to, next = c.AddDate(0, 0, -1).Format(time.DateOnly), c
				break
			}
		}
		out = append(out, clockPeriod{From: from.Format(time.DateOnly), To: to})
		if to == "" {
			break
		}
		from = next
	}
	return out
}

// joinWords joins "Monday", "Wednesday" and "Friday" as "Monday, Wednesday and Friday".
func joinWords(w []string) string {
	if len(w) <= 1 {
		return strings.Join(w, "")
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}
