package opendata

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"youthhub/internal/schedule"
)

// OpenActive constants.
const (
	// Context is the JSON-LD @context of every OpenActive item.
	Context = "https://openactive.io/"
	// License is what the feeds are published under: the Open Government
	// Licence v3.0, as councils publish their open data.
	License = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

	eventScheduled = "https://schema.org/EventScheduled"
	eventCancelled = "https://schema.org/EventCancelled"
	noRestriction  = "https://openactive.io/NoRestriction"
)

// Paths under the base URL. The @id paths name things; only the feeds, the
// activity list and the public pages (url) answer a GET.
const (
	SessionSeriesFeedPath    = "/openactive/session-series"
	ScheduledSessionFeedPath = "/openactive/scheduled-sessions"
	ActivityListPath         = "/openactive/activity-list"
	placePath                = "/openactive/places/"
	organizerPath            = "/openactive/organizers/"
)

// schemaDays are schema.org's days, by time.Weekday.
var schemaDays = [...]string{
	"https://schema.org/Sunday", "https://schema.org/Monday", "https://schema.org/Tuesday", "https://schema.org/Wednesday",
	"https://schema.org/Thursday", "https://schema.org/Friday", "https://schema.org/Saturday",
}

// weekOrder is Monday to Sunday.
var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// SessionSeries is a session series as OpenActive publishes it (Modelling
// Opportunity Data 2.0): what, for whom, where, by whom, when (its weekly
// rule as a PartialSchedule) and at what price (free).
type SessionSeries struct {
	Context                  string            `json:"@context"`
	Type                     string            `json:"@type"`
	ID                       string            `json:"@id"`
	Identifier               string            `json:"identifier"`
	Name                     string            `json:"name"`
	Description              string            `json:"description,omitempty"`
	AttendeeInstructions     string            `json:"attendeeInstructions,omitempty"`
	URL                      string            `json:"url"`
	Activity                 []Concept         `json:"activity"`
	Category                 []string          `json:"category"`
	AgeRange                 QuantitativeValue `json:"ageRange"`
	GenderRestriction        string            `json:"genderRestriction"`
	AccessibilitySupport     []Concept         `json:"accessibilitySupport,omitempty"`
	AccessibilityInformation string            `json:"accessibilityInformation,omitempty"`
	IsAccessibleForFree      bool              `json:"isAccessibleForFree"`
	Offers                   []Offer           `json:"offers"`
	Location                 Place             `json:"location"`
	Organizer                Organization      `json:"organizer"`
	Duration                 string            `json:"duration"`
	EventSchedule            []PartialSchedule `json:"eventSchedule"`
}

// ScheduledSession is one occurrence of a series. It refers to its series
// by @id (superEvent) and inherits everything else from it.
type ScheduledSession struct {
	Context                   string `json:"@context"`
	Type                      string `json:"@type"`
	ID                        string `json:"@id"`
	Identifier                string `json:"identifier"`
	SuperEvent                string `json:"superEvent"`
	URL                       string `json:"url"`
	StartDate                 string `json:"startDate"`
	EndDate                   string `json:"endDate"`
	Duration                  string `json:"duration"`
	EventStatus               string `json:"eventStatus"`
	MaximumAttendeeCapacity   *int   `json:"maximumAttendeeCapacity,omitempty"`
	RemainingAttendeeCapacity *int   `json:"remainingAttendeeCapacity,omitempty"`
}

// QuantitativeValue is an age range.
type QuantitativeValue struct {
	Type     string `json:"@type"`
	MinValue int    `json:"minValue"`
	MaxValue int    `json:"maxValue"`
}

// Offer is a price; every youthhub session is free, for the series' ages.
type Offer struct {
	Type           string            `json:"@type"`
	ID             string            `json:"@id"`
	Identifier     string            `json:"identifier"`
	Name           string            `json:"name"`
	Price          float64           `json:"price"`
	PriceCurrency  string            `json:"priceCurrency"`
	AgeRestriction QuantitativeValue `json:"ageRestriction"`
	URL            string            `json:"url"`
}

// Place is a centre.
type Place struct {
	Type                      string                      `json:"@type"`
	ID                        string                      `json:"@id"`
	Identifier                string                      `json:"identifier"`
	Name                      string                      `json:"name"`
	URL                       string                      `json:"url"`
	Address                   PostalAddress               `json:"address"`
	Geo                       GeoCoordinates              `json:"geo"`
	Telephone                 string                      `json:"telephone,omitempty"`
	OpeningHoursSpecification []OpeningHoursSpecification `json:"openingHoursSpecification,omitempty"`
}

// PostalAddress is a UK address.
type PostalAddress struct {
	Type            string `json:"@type"`
	StreetAddress   string `json:"streetAddress,omitempty"`
	AddressLocality string `json:"addressLocality,omitempty"`
	AddressRegion   string `json:"addressRegion,omitempty"`
	PostalCode      string `json:"postalCode,omitempty"`
	AddressCountry  string `json:"addressCountry"`
}

// GeoCoordinates is a point (WGS 84).
type GeoCoordinates struct {
	Type      string  `json:"@type"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// OpeningHoursSpecification is one opening period on some days of the week.
type OpeningHoursSpecification struct {
	Type      string   `json:"@type"`
	DayOfWeek []string `json:"dayOfWeek"`
	Opens     string   `json:"opens"`
	Closes    string   `json:"closes"`
}

// Organization is the council that runs the youth offer.
type Organization struct {
	Type       string `json:"@type"`
	ID         string `json:"@id"`
	Identifier string `json:"identifier"`
	Name       string `json:"name"`
}

// PartialSchedule is a series' weekly rule. Exception dates are not listed:
// the ScheduledSession feed has every occurrence, cancelled ones included.
type PartialSchedule struct {
	Type             string   `json:"@type"`
	RepeatFrequency  string   `json:"repeatFrequency"`
	ByDay            []string `json:"byDay"`
	StartDate        string   `json:"startDate"`
	EndDate          string   `json:"endDate,omitempty"`
	StartTime        string   `json:"startTime"`
	EndTime          string   `json:"endTime"`
	Duration         string   `json:"duration"`
	ScheduleTimezone string   `json:"scheduleTimezone"`
}

// categoryNames are the session categories in words, for Event.category.
var categoryNames = map[string]string{
	"sport": "Sport", "arts": "Arts", "music": "Music", "digital": "Digital", "cooking": "Cooking",
	"advice_support": "Advice and support", "outdoor": "Outdoor", "send": "SEND", "other": "Youth club",
}

func (p *Publisher) seriesID(id string) string  { return p.url(SessionSeriesFeedPath, "/", id) }
func (p *Publisher) sessionID(id string) string { return p.url(ScheduledSessionFeedPath, "/", id) }

// sessionSeries maps a live row of seriesPageSQL.
func (p *Publisher) sessionSeries(r seriesRow) SessionSeries {
	id := r.ID
	category := deref(r.Category)
	minutes := deref(r.DurationMinutes)
	pageURL := p.url("/centres/", deref(r.CentreID))
	categories := []string{categoryNames[category]}
	if deref(r.Send) && category != "send" {
		categories = append(categories, categoryNames["send"])
	}
	ages := QuantitativeValue{Type: "QuantitativeValue", MinValue: deref(r.AgeMin), MaxValue: deref(r.AgeMax)}
	var days []string
	for _, w := range weekOrder {
		if slices.Contains(r.Days, int64(w)) {
			days = append(days, schemaDays[w])
		}
	}
	start := deref(r.StartLocal)
	return SessionSeries{
		Context: Context, Type: KindSessionSeries, ID: p.seriesID(id), Identifier: id,
		Name: deref(r.Title), Description: strings.TrimSpace(deref(r.Description)),
		AttendeeInstructions:     bring(deref(r.WhatToBring)),
		URL:                      pageURL,
		Activity:                 Activities(deref(r.Title), category, p.url(ActivityListPath)),
		Category:                 categories,
		AgeRange:                 ages,
		GenderRestriction:        noRestriction,
		AccessibilitySupport:     AccessibilitySupport(r.AccessFeatures, deref(r.Send)),
		AccessibilityInformation: AccessibilityInformation(r.AccessFeatures),
		IsAccessibleForFree:      true,
		Offers: []Offer{{
			Type: "Offer", ID: p.seriesID(id) + "#/offers/free", Identifier: "free", Name: "Free",
			Price: 0, PriceCurrency: "GBP", AgeRestriction: ages, URL: pageURL,
		}},
		Location:  p.place(r),
		Organizer: Organization{Type: "Organization", ID: p.url(organizerPath, deref(r.CouncilID)), Identifier: deref(r.CouncilID), Name: deref(r.CouncilName)},
		Duration:  isoDuration(minutes),
		EventSchedule: []PartialSchedule{{
			Type: "PartialSchedule", RepeatFrequency: "P1W", ByDay: days,
			StartDate: deref(r.FirstDate), EndDate: deref(r.LastDate),
			StartTime: start, EndTime: addMinutes(start, minutes), Duration: isoDuration(minutes),
			ScheduleTimezone: "Europe/London",
		}},
	}
}

func (p *Publisher) place(r seriesRow) Place {
	street, locality := splitAddress(deref(r.Address))
	pl := Place{
		Type: "Place", ID: p.url(placePath, deref(r.CentreID)), Identifier: deref(r.CentreID), Name: deref(r.CentreName),
		URL: p.url("/centres/", deref(r.CentreID)),
		Address: PostalAddress{
			Type: "PostalAddress", StreetAddress: street, AddressLocality: locality,
			AddressRegion: councilPlace(deref(r.CouncilName)), PostalCode: strings.TrimSpace(deref(r.Postcode)), AddressCountry: "GB",
		},
		Geo:       GeoCoordinates{Type: "GeoCoordinates", Latitude: deref(r.Lat), Longitude: deref(r.Lon)},
		Telephone: strings.TrimSpace(deref(r.Phone)),
	}
	if r.OpeningHours != nil {
		for _, g := range r.OpeningHours.grouped() {
			spec := OpeningHoursSpecification{Type: "OpeningHoursSpecification", Opens: g.Opens, Closes: g.Closes}
			for _, d := range g.Days {
				spec.DayOfWeek = append(spec.DayOfWeek, schemaDays[d])
			}
			pl.OpeningHoursSpecification = append(pl.OpeningHoursSpecification, spec)
		}
	}
	return pl
}

// scheduledSession maps a live row of sessionsPageSQL. Places are published
// for bookable sessions only: a drop-in session has no places to book. A
// cancelled session has none left.
func (p *Publisher) scheduledSession(r sessionRow) ScheduledSession {
	london := schedule.London()
	starts, ends := r.StartsAt.In(london), r.EndsAt.In(london)
	s := ScheduledSession{
		Context: Context, Type: KindScheduledSession, ID: p.sessionID(r.ID), Identifier: r.ID,
		SuperEvent: p.seriesID(deref(r.SeriesID)), URL: p.url("/sessions/", r.ID),
		StartDate: starts.Format(time.RFC3339), EndDate: ends.Format(time.RFC3339),
		Duration:    isoDuration(int(ends.Sub(starts).Minutes())),
		EventStatus: eventScheduled,
	}
	cancelled := deref(r.Status) == "cancelled"
	if cancelled {
		s.EventStatus = eventCancelled
	}
	if deref(r.BookingMode) == "bookable" {
		capacity, left := deref(r.Capacity), deref(r.SpacesLeft)
		if cancelled {
			left = 0
		}
		s.MaximumAttendeeCapacity, s.RemainingAttendeeCapacity = &capacity, &left
	}
	return s
}

// ActivityList is the youthhub activity list, the SKOS ConceptScheme of the
// activities the OpenActive list has no concept for, in the form OpenActive
// publishes its own ("id", "type" and "concept" as the OpenActive context
// names them).
func (p *Publisher) ActivityList() map[string]any {
	list := p.url(ActivityListPath)
	concepts := make([]map[string]any, 0, len(ownActivities))
	for _, a := range ownActivities {
		concepts = append(concepts, map[string]any{
			"type": "Concept", "id": list + "#" + a.Slug, "prefLabel": a.Label, "definition": a.Definition, "topConceptOf": list,
		})
	}
	return map[string]any{
		"@context": Context, "id": list, "type": "ConceptScheme", "title": "youthhub activity list",
		"description": "Activities of youth sessions that the OpenActive Activity List (https://openactive.io/activity-list) does not name.",
		"license":     License, "concept": concepts,
	}
}

// isoDuration writes minutes as an ISO 8601 duration: PT1H30M.
func isoDuration(minutes int) string {
	h, m := minutes/60, minutes%60
	switch {
	case minutes <= 0:
		return "PT0M"
	case m == 0:
		return fmt.Sprintf("PT%dH", h)
	case h == 0:
		return fmt.Sprintf("PT%dM", m)
	}
	return fmt.Sprintf("PT%dH%dM", h, m)
}

// addMinutes adds minutes to an "HH:MM" wall-clock time, past midnight if
// need be.
func addMinutes(hhmm string, minutes int) string {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return ""
	}
	return t.Add(time.Duration(minutes) * time.Minute).Format("15:04")
}

// bring turns "what to bring" into attendee instructions.
func bring(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	return "What to bring: " + s
}

// splitAddress splits "99 Central Road, Partington" into the street part
// and the locality (the last part); one part is a street, or a locality
// when it has no digits and is a single word.
func splitAddress(a string) (street, locality string) {
	var parts []string
	for _, s := range strings.Split(a, ",") {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	switch len(parts) {
	case 0:
		return "", ""
	case 1:
		if !strings.ContainsAny(parts[0], "0123456789 ") {
			return "", parts[0]
		}
		return parts[0], ""
	}
	return strings.Join(parts[:len(parts)-1], ", "), parts[len(parts)-1]
}

// councilPlace is the place a council is named after: "Trafford" for
// "Trafford Council", "Manchester" for "Manchester City Council".
func councilPlace(name string) string {
	name = strings.TrimSpace(name)
	for _, suffix := range []string{" Metropolitan Borough Council", " Royal Borough Council", " City Council", " Borough Council",
		" County Council", " District Council", " Council"} {
		if s, ok := strings.CutSuffix(name, suffix); ok && s != "" {
			return s
		}
	}
	if s, ok := strings.CutPrefix(name, "London Borough of "); ok {
		return s
	}
	return name
}

// opening is one opening period of a centre, as stored (opening_hours).
type opening struct {
	Day    string `json:"day"`
	Opens  string `json:"opens"`
	Closes string `json:"closes"`
}

// hours are a centre's opening periods (the opening_hours jsonb column).
type hours []opening

// Scan reads the jsonb column.
func (h *hours) Scan(src any) error {
	b, ok := src.([]byte)
	if !ok {
		return fmt.Errorf("opendata: opening hours: %T", src)
	}
	return json.Unmarshal(b, h)
}

// openingGroup is one opening time shared by several days.
type openingGroup struct {
	Days          []time.Weekday
	Opens, Closes string
}

var dayByName = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// grouped puts days with the same opening and closing times together, in
// order of the first such day from Monday, days Monday first.
func (h hours) grouped() []openingGroup {
	var out []openingGroup
	for _, w := range weekOrder {
		for _, o := range h {
			if d, ok := dayByName[o.Day]; !ok || d != w {
				continue
			}
			i := slices.IndexFunc(out, func(g openingGroup) bool { return g.Opens == o.Opens && g.Closes == o.Closes })
			if i < 0 {
				out = append(out, openingGroup{Opens: o.Opens, Closes: o.Closes})
				i = len(out) - 1
			}
			if !slices.Contains(out[i].Days, w) {
				out[i].Days = append(out[i].Days, w)
			}
		}
	}
	return out
}

// deref is *v, or the zero value for nil.
func deref[T any](v *T) T {
	if v == nil {
		var zero T
		return zero
	}
	return *v
}
