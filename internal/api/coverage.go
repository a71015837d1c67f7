package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"youthhub/internal/account"
	"youthhub/internal/centre"
	"youthhub/internal/coverage"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/web"
)

// Coverage: a council's figures, map layers, gaps, what-ifs and siting.
//
// Every handler serves the council officer of the council in the path (an
// officer of another council gets 404, as if it did not exist) and the
// platform admin. Query parameters common to all: band (13-19, the default;
// 11-19; 8-25) and threshold_km (the council's own threshold by default).
//
// Small numbers: an area with fewer than SuppressBelow young people in the
// band has its count withheld in every output: null with "suppressed": true
// in JSON and GeoJSON, "<10" in CSV; a gap's score (young × weight) is
// withheld with it. The same rule applies to the groups of the IMD decile
// and provider type breakdowns. Shares, distances and places per 1,000 are
// shown; differencing against the council total can still narrow a
// withheld count (no secondary suppression), which the ONS estimates behind
// the counts are public anyway.

// SuppressBelow is the smallest count of young people shown for one area or
// one breakdown group.
const SuppressBelow = 10

// suppressedCSV stands for a withheld count in CSV files.
const suppressedCSV = "<10"

// coverageCouncil returns council :id when the caller may see its
// coverage: its own officers and the platform admin. Anyone else gets 404,
// as if the council did not exist.
func (s *Server) coverageCouncil(c *fiber.Ctx) (account.Council, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return account.Council{}, err
	}
	if p := principal(c); p.Role != admin && p.CouncilID != id {
		return account.Council{}, fault.New(fault.NotFound, "Not found")
	}
	return s.accounts.FindCouncilByID(c.UserContext(), id)
}

// measure checks the caller (coverageCouncil), reads the band and threshold
// parameters and measures the council. fields are the handler's own field
// errors, so that one 422 response lists every bad field.
func (s *Server) measure(c *fiber.Ctx, fields []fault.FieldError) (*coverage.Measurement, error) {
	council, err := s.coverageCouncil(c)
	if err != nil {
		return nil, err
	}
	return s.measureCouncil(c, council, fields)
}

func (s *Server) measureCouncil(c *fiber.Ctx, council account.Council, fields []fault.FieldError) (*coverage.Measurement, error) {
	q := coverage.Query{Band: coverage.BandStatutory}
	if v := c.Query("band"); v != "" {
		b, ok := coverage.Bands[v]
		if !ok {
			fields = append(fields, fault.FieldError{Field: "band", Message: "Band must be one of: 13-19, 11-19, 8-25"})
		}
		q.Band = b
	}
	if v := c.Query("threshold_km"); v != "" {
		km, err := strconv.ParseFloat(v, 64)
		if err != nil || !(km >= 0.1 && km <= coverage.MaxThresholdKm) {
			fields = append(fields, fault.FieldError{Field: "threshold_km",
				Message: fmt.Sprintf("Threshold km must be a distance from 0.1 to %d", coverage.MaxThresholdKm)})
		}
		q.ThresholdKm = km
	}
	if len(fields) > 0 {
		return nil, fault.Fields(fields...)
	}
	cc := coverage.Council{ID: council.ID, Name: council.Name, ThresholdKm: council.CoverageThresholdKM, MinHours: council.MinWeeklyHours}
	if council.LADCode != nil {
		cc.LADCode = *council.LADCode
	}
	return s.coverage.Measure(c.UserContext(), cc, q)
}

// outputFormat reads ?format=, one of allowed (the first is the default).
func outputFormat(c *fiber.Ctx, allowed ...string) (string, []fault.FieldError) {
	v := c.Query("format")
	if v == "" {
		return allowed[0], nil
	}
	if !slices.Contains(allowed, v) {
		return "", []fault.FieldError{{Field: "format", Message: "Format must be one of: " + strings.Join(allowed, ", ")}}
	}
	return v, nil
}

// count is a number of young people, or nil when it must be withheld.
func count(n int) *int {
	if n < SuppressBelow {
		return nil
	}
	return &n
}

// csvCount is count for CSV.
func csvCount(n int) string {
	if n < SuppressBelow {
		return suppressedCSV
	}
	return strconv.Itoa(n)
}

// csvText keeps a text cell from being read as a formula by a spreadsheet:
// one whose first character other than spaces and control characters (which
// some spreadsheets skip) is a formula sign, in its ASCII or full-width form,
// gets a leading apostrophe.
func csvText(s string) string {
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			continue
		case strings.ContainsRune("=+-@＝＋－＠", r):
			return "'" + s
		}
		return s
	}
	return s
}

func csvFloat(x float64, prec int) string { return strconv.FormatFloat(x, 'f', prec, 64) }

// sendCSV answers rows (the first is the header) as a CSV download.
func sendCSV(c *fiber.Ctx, name string, rows [][]string) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
	return c.Send(b.Bytes())
}

// fileName is the stem of a download: coverage-<what>-<lad>-<band>.
func fileName(m *coverage.Measurement, what string) string {
	return "coverage-" + what + "-" + m.Council.LADCode + "-" + m.Band.String()
}

func roundKm(km float64) float64 { return math.Round(km*1000) / 1000 }

// figuresDTO is one group's coverage figures.
type figuresDTO struct {
	Areas                int     `json:"areas"`
	AreasCovered         int     `json:"areas_covered"`
	YoungPeople          *int    `json:"young_people"`
	YoungCovered         *int    `json:"young_covered"`
	YoungCoveredMinHours *int    `json:"young_covered_min_hours"`
	CoveredShare         float64 `json:"covered_share"`
	CoveredMinHoursShare float64 `json:"covered_min_hours_share"`
	PlacesPer1000        float64 `json:"places_per_1000"`
	Suppressed           bool    `json:"suppressed"`
}

// toFigures converts f; group counts below SuppressBelow are withheld when
// suppress is set (breakdown groups), never for the council as a whole.
func toFigures(f coverage.Figures, suppress bool) figuresDTO {
	out := figuresDTO{Areas: f.Areas, AreasCovered: f.AreasCovered, CoveredShare: f.CoveredShare,
		CoveredMinHoursShare: f.CoveredMinHoursShare, PlacesPer1000: f.PlacesPer1000}
	if suppress && f.YoungPeople < SuppressBelow {
		out.Suppressed = true
		return out
	}
	out.YoungPeople, out.YoungCovered, out.YoungCoveredMinHours = &f.YoungPeople, &f.YoungCovered, &f.YoungCoveredMinHours
	return out
}

func (f figuresDTO) csv() []string {
	n := func(p *int) string {
		if p == nil {
			return suppressedCSV
		}
		return strconv.Itoa(*p)
	}
	return []string{strconv.Itoa(f.Areas), strconv.Itoa(f.AreasCovered), n(f.YoungPeople), n(f.YoungCovered),
		csvFloat(f.CoveredShare, 4), n(f.YoungCoveredMinHours), csvFloat(f.CoveredMinHoursShare, 4), csvFloat(f.PlacesPer1000, 1)}
}

var figuresCSVHeader = []string{"areas", "areas_covered", "young_people", "young_covered", "covered_share",
	"young_covered_min_hours", "covered_min_hours_share", "places_per_1000"}

type decileDTO struct {
	IMDDecile *int `json:"imd_decile"`
	figuresDTO
	Reach groupReachDTO `json:"reach"`
}

type providerDTO struct {
	ProviderType string `json:"provider_type"`
	figuresDTO
	Reach groupReachDTO `json:"reach"`
}

// groupReachDTO is one breakdown group's reach. The counts, and the shares
// that would give them away, are withheld when the group has fewer than
// SuppressBelow young people or 1 to SuppressBelow-1 attendees.
type groupReachDTO struct {
	Attendees12Months *int     `json:"attendees_12_months"`
	RegularAttendees  *int     `json:"regular_attendees"`
	Reach             *float64 `json:"reach"`
	Participation     *float64 `json:"participation"`
	Suppressed        bool     `json:"suppressed"`
}

func toGroupReach(a coverage.Attendance, young int) groupReachDTO {
	if young < SuppressBelow || (a.Attendees12Months > 0 && a.Attendees12Months < SuppressBelow) {
		return groupReachDTO{Suppressed: true}
	}
	return groupReachDTO{Attendees12Months: &a.Attendees12Months, RegularAttendees: &a.RegularAttendees,
		Reach: &a.Reach, Participation: &a.Participation}
}

func (r groupReachDTO) csv() []string {
	if r.Suppressed {
		return []string{suppressedCSV, suppressedCSV, "", "", ""}
	}
	return []string{strconv.Itoa(*r.Attendees12Months), strconv.Itoa(*r.RegularAttendees), csvFloat(*r.Reach, 4), csvFloat(*r.Participation, 4), ""}
}

type reachDTO struct {
	Attendees12Months  int     `json:"attendees_12_months"`
	AttendeesElsewhere int     `json:"attendees_living_elsewhere"`
	RegularAttendees   int     `json:"regular_attendees"`
	RegularVisits      int     `json:"regular_visits"`
	Reach              float64 `json:"reach"`
	Participation      float64 `json:"participation"`
	REYSBenchmark      float64 `json:"reys_benchmark"`
	MeetsREYS          *bool   `json:"meets_reys"` // nil for a band the benchmark is not set for
	Basis              string  `json:"basis"`
}

type supplyDTO struct {
	CentresInReach int `json:"centres_in_reach"`
	OpenInReach    int `json:"open_in_reach"`
	FromTimetable  int `json:"from_timetable"`
	FromHoursProxy int `json:"from_hours_proxy"`
}

type coverageSummaryDTO struct {
	CouncilID      string    `json:"council_id"`
	CouncilName    string    `json:"council_name"`
	LADCode        string    `json:"lad_code"`
	Band           string    `json:"band"`
	MinAge         int       `json:"min_age"`
	MaxAge         int       `json:"max_age"`
	ThresholdKm    float64   `json:"threshold_km"`
	MinWeeklyHours float64   `json:"min_weekly_hours"`
	ComputedAt     time.Time `json:"computed_at"`
	figuresDTO
	Reach      reachDTO      `json:"reach"`
	ByDecile   []decileDTO   `json:"by_imd_decile"`
	ByProvider []providerDTO `json:"by_provider_type"`
	Supply     supplyDTO     `json:"supply"`
}

const reachBasis = "Distinct young people of the band (age today) marked present, late or left on a register (or with a booking marked attended) at one of the council's sessions in the last 12 months, over the council's young population of the band; regular = attended at least regular_visits times. By IMD decile, attendees count where they live (their postcode's area; attendees_living_elsewhere live outside the council or gave no postcode) over the young people of that decile's areas; by provider type, where they attended, over all the council's young people (one person can count for several types). Groups with fewer than 10 attendees are withheld. REYS benchmark: 25% of 13-19-year-olds."

func summaryDTO(m *coverage.Measurement) coverageSummaryDTO {
	sum := m.Summary
	out := coverageSummaryDTO{
		CouncilID: m.Council.ID, CouncilName: m.Council.Name, LADCode: m.Council.LADCode,
		Band: m.Band.String(), MinAge: m.Band.MinAge, MaxAge: m.Band.MaxAge,
		ThresholdKm: m.Options.ThresholdKm, MinWeeklyHours: m.Options.MinHours, ComputedAt: m.ComputedAt.UTC(),
		figuresDTO: toFigures(sum.Figures, false),
		Reach: reachDTO{Attendees12Months: sum.Attendees12Months, AttendeesElsewhere: sum.AttendeesElsewhere, RegularAttendees: sum.RegularAttendees,
			RegularVisits: coverage.RegularVisits, Reach: sum.Reach, Participation: sum.Participation,
			REYSBenchmark: coverage.REYSBenchmark, Basis: reachBasis},
		ByDecile: []decileDTO{}, ByProvider: []providerDTO{},
	}
	if m.Band == coverage.BandStatutory {
		meets := sum.MeetsREYS
		out.Reach.MeetsREYS = &meets
	}
	for d := 1; d <= 10; d++ {
		if f := sum.ByDecile[d]; f.Areas > 0 {
			out.ByDecile = append(out.ByDecile, decileDTO{IMDDecile: &d, figuresDTO: toFigures(f, true),
				Reach: toGroupReach(sum.ReachByDecile[d], f.YoungPeople)})
		}
	}
	if f := sum.ByDecile[0]; f.Areas > 0 {
		out.ByDecile = append(out.ByDecile, decileDTO{figuresDTO: toFigures(f, true), Reach: toGroupReach(sum.ReachByDecile[0], f.YoungPeople)})
	}
	// A provider type is listed when it is some area's nearest, or when
	// young people attended its centres.
	for _, p := range coverage.Providers {
		f, near := sum.ByProvider[p]
		a, went := sum.ReachByProvider[p]
		if near || went {
			out.ByProvider = append(out.ByProvider, providerDTO{ProviderType: string(p), figuresDTO: toFigures(f, true),
				Reach: toGroupReach(a, sum.YoungPeople)})
		}
	}
	for _, ce := range m.Centres {
		if !ce.Near {
			continue
		}
		out.Supply.CentresInReach++
		if ce.Status == coverage.StatusOpen {
			out.Supply.OpenInReach++
			if ce.FromTimetable {
				out.Supply.FromTimetable++
			} else {
				out.Supply.FromHoursProxy++
			}
		}
	}
	return out
}

func (s *Server) coverageSummary(c *fiber.Ctx) error {
	format, fields := outputFormat(c, "json", "csv")
	m, err := s.measure(c, fields)
	if err != nil {
		return err
	}
	web.NoStore(c)
	out := summaryDTO(m)
	if format == "json" {
		return c.JSON(out)
	}
	head := append([]string{"group", "value"}, figuresCSVHeader...)
	head = append(head, "attendees_12_months", "regular_attendees", "reach", "participation", "reys_benchmark")
	rows := [][]string{head}
	council := append([]string{"council", m.Council.LADCode}, out.figuresDTO.csv()...)
	council = append(council, strconv.Itoa(out.Reach.Attendees12Months), strconv.Itoa(out.Reach.RegularAttendees),
		csvFloat(out.Reach.Reach, 4), csvFloat(out.Reach.Participation, 4), csvFloat(out.Reach.REYSBenchmark, 2))
	rows = append(rows, council)
	for _, d := range out.ByDecile {
		v := "unknown"
		if d.IMDDecile != nil {
			v = strconv.Itoa(*d.IMDDecile)
		}
		rows = append(rows, append(append([]string{"imd_decile", v}, d.figuresDTO.csv()...), d.Reach.csv()...))
	}
	for _, p := range out.ByProvider {
		rows = append(rows, append(append([]string{"provider_type", p.ProviderType}, p.figuresDTO.csv()...), p.Reach.csv()...))
	}
	return sendCSV(c, fileName(m, "summary"), rows)
}

// distanceBand names the distance from an area to its nearest open centre
// for the map's legend.
func distanceBand(km float64) string {
	switch {
	case km < 0:
		return "none"
	case km <= 1:
		return "0-1"
	case km <= 2:
		return "1-2"
	case km <= 3:
		return "2-3"
	case km <= 5:
		return "3-5"
	}
	return "5+"
}

type areaPropsDTO struct {
	Code              string     `json:"code"`
	Name              string     `json:"name"`
	Young             *int       `json:"young"`
	Suppressed        bool       `json:"suppressed"`
	IMDDecile         *int       `json:"imd_decile"`
	NearestKm         *float64   `json:"nearest_km"`
	NearestCentreID   *string    `json:"nearest_centre_id"`
	NearestCentreName *string    `json:"nearest_centre_name"`
	Covered           bool       `json:"covered"`
	CoveredMinHours   bool       `json:"covered_min_hours"`
	DistanceBand      string     `json:"distance_band"`
	PlacesPer1000     float64    `json:"places_per_1000"`
	Centroid          [2]float64 `json:"centroid"`
	CentroidKind      string     `json:"centroid_kind"`
	Shape             string     `json:"shape"`
}

type featureDTO[P any] struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties P               `json:"properties"`
}

type featureCollectionDTO[P any] struct {
	Type        string          `json:"type"`
	Band        string          `json:"band"`
	ThresholdKm float64         `json:"threshold_km"`
	Features    []featureDTO[P] `json:"features"`
}

func pointJSON(lat, lon float64) json.RawMessage {
	return json.RawMessage(`{"type":"Point","coordinates":[` + strconv.FormatFloat(lon, 'f', -1, 64) + "," + strconv.FormatFloat(lat, 'f', -1, 64) + "]}")
}

// areaProps describes own area i of m.
func areaProps(m *coverage.Measurement, names map[string]string, i int) areaPropsDTO {
	a, r := m.Areas[i], m.Result.Areas[i]
	p := areaPropsDTO{Code: a.Code, Name: a.Name, Young: count(r.Young), Suppressed: r.Young < SuppressBelow,
		Covered: r.Covered, CoveredMinHours: r.CoveredMinHours, DistanceBand: distanceBand(r.NearestKm),
		PlacesPer1000: r.Access * 1000, Centroid: [2]float64{a.Lon, a.Lat}, CentroidKind: a.CentroidKind, Shape: "centroid"}
	if r.IMDDecile > 0 {
		d := r.IMDDecile
		p.IMDDecile = &d
	}
	if r.NearestID != "" {
		km, id, name := roundKm(r.NearestKm), r.NearestID, names[r.NearestID]
		p.NearestKm, p.NearestCentreID, p.NearestCentreName = &km, &id, &name
	}
	if a.Boundary != nil {
		p.Shape = "boundary"
	}
	return p
}

func centreNames(m *coverage.Measurement) map[string]string {
	names := make(map[string]string, len(m.Centres))
	for _, ce := range m.Centres {
		names[ce.ID] = ce.Name
	}
	return names
}

func (s *Server) coverageAreas(c *fiber.Ctx) error {
	format, fields := outputFormat(c, "geojson", "csv")
	m, err := s.measure(c, fields)
	if err != nil {
		return err
	}
	web.NoStore(c)
	names := centreNames(m)
	if format == "csv" {
		rows := [][]string{{"code", "name", "young", "imd_decile", "nearest_km", "nearest_centre_id", "nearest_centre_name",
			"covered", "covered_min_hours", "distance_band", "places_per_1000", "lat", "lon"}}
		for i := range m.Areas {
			p, r := areaProps(m, names, i), m.Result.Areas[i]
			dec, km, cid, cname := "", "", "", ""
			if p.IMDDecile != nil {
				dec = strconv.Itoa(*p.IMDDecile)
			}
			if p.NearestKm != nil {
				km, cid, cname = csvFloat(*p.NearestKm, 3), *p.NearestCentreID, *p.NearestCentreName
			}
			rows = append(rows, []string{p.Code, csvText(p.Name), csvCount(r.Young), dec, km, cid, csvText(cname),
				strconv.FormatBool(p.Covered), strconv.FormatBool(p.CoveredMinHours), p.DistanceBand,
				csvFloat(p.PlacesPer1000, 1), csvFloat(p.Centroid[1], 6), csvFloat(p.Centroid[0], 6)})
		}
		return sendCSV(c, fileName(m, "areas"), rows)
	}
	out := featureCollectionDTO[areaPropsDTO]{Type: "FeatureCollection", Band: m.Band.String(), ThresholdKm: m.Options.ThresholdKm,
		Features: make([]featureDTO[areaPropsDTO], len(m.Areas))}
	for i, a := range m.Areas {
		geom := a.Boundary
		if geom == nil {
			geom = pointJSON(a.Lat, a.Lon)
		}
		out.Features[i] = featureDTO[areaPropsDTO]{Type: "Feature", ID: a.Code, Geometry: geom, Properties: areaProps(m, names, i)}
	}
	c.Set(fiber.HeaderContentType, "application/geo+json")
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return c.Send(b)
}

type centrePropsDTO struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	CouncilID      string   `json:"council_id"`
	CouncilName    string   `json:"council_name"`
	Own            bool     `json:"own"`
	Status         string   `json:"status"`
	ProviderType   string   `json:"provider_type"`
	AccessFeatures []string `json:"access_features"`
	WeeklyHours    float64  `json:"weekly_hours"`
	WeeklyPlaces   float64  `json:"weekly_places"`
	Supply         string   `json:"supply"`
	// AreasNearest counts the council's areas whose nearest open centre
	// this is.
	AreasNearest int `json:"areas_nearest"`
}

func (s *Server) coverageCentres(c *fiber.Ctx) error {
	format, fields := outputFormat(c, "geojson", "csv")
	providers, features, statuses := web.QueryList(c, "provider_type"), web.QueryList(c, "access_feature"), web.QueryList(c, "status")
	for _, p := range providers {
		if !coverage.Provider(p).Valid() {
			fields = append(fields, fault.FieldError{Field: "provider_type", Message: "Provider type is not one we know"})
			break
		}
	}
	for _, a := range features {
		if !slices.Contains(centreAccessFeatures, a) {
			fields = append(fields, fault.FieldError{Field: "access_feature", Message: "Access feature is not one we know"})
			break
		}
	}
	for _, st := range statuses {
		if !coverage.Status(st).Valid() {
			fields = append(fields, fault.FieldError{Field: "status", Message: "Status must be open, planned or closed"})
			break
		}
	}
	m, err := s.measure(c, fields)
	if err != nil {
		return err
	}
	web.NoStore(c)
	nearest := map[string]int{}
	for i := range m.Areas {
		if id := m.Result.Areas[i].NearestID; id != "" {
			nearest[id]++
		}
	}
	type row struct {
		props    centrePropsDTO
		lat, lon float64
	}
	var rows []row
	for _, ce := range m.Centres {
		if !ce.Own && !ce.Near {
			continue
		}
		if (len(providers) > 0 && !slices.Contains(providers, string(ce.Provider))) ||
			(len(statuses) > 0 && !slices.Contains(statuses, string(ce.Status))) || !allIn(features, ce.AccessFeatures) {
			continue
		}
		supply := "hours_proxy"
		if ce.FromTimetable {
			supply = "timetable"
		}
		rows = append(rows, row{lat: ce.Lat, lon: ce.Lon, props: centrePropsDTO{ID: ce.ID, Name: ce.Name, CouncilID: ce.CouncilID,
			CouncilName: ce.CouncilName, Own: ce.Own, Status: string(ce.Status), ProviderType: string(ce.Provider),
			AccessFeatures: ce.AccessFeatures, WeeklyHours: ce.HoursPerWeek, WeeklyPlaces: ce.WeeklyPlaces, Supply: supply,
			AreasNearest: nearest[ce.ID]}})
	}
	if format == "csv" {
		out := [][]string{{"id", "name", "council_name", "own", "status", "provider_type", "access_features",
			"weekly_hours", "weekly_places", "supply", "areas_nearest", "lat", "lon"}}
		for _, r := range rows {
			p := r.props
			out = append(out, []string{p.ID, csvText(p.Name), csvText(p.CouncilName), strconv.FormatBool(p.Own), p.Status,
				p.ProviderType, strings.Join(p.AccessFeatures, " "), csvFloat(p.WeeklyHours, 1), csvFloat(p.WeeklyPlaces, 0),
				p.Supply, strconv.Itoa(p.AreasNearest), csvFloat(r.lat, 6), csvFloat(r.lon, 6)})
		}
		return sendCSV(c, fileName(m, "centres"), out)
	}
	out := featureCollectionDTO[centrePropsDTO]{Type: "FeatureCollection", Band: m.Band.String(), ThresholdKm: m.Options.ThresholdKm,
		Features: make([]featureDTO[centrePropsDTO], len(rows))}
	for k, r := range rows {
		out.Features[k] = featureDTO[centrePropsDTO]{Type: "Feature", ID: r.props.ID, Geometry: pointJSON(r.lat, r.lon), Properties: r.props}
	}
	c.Set(fiber.HeaderContentType, "application/geo+json")
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return c.Send(b)
}

// centreAccessFeatures are the access features a centre can record.
var centreAccessFeatures = []string{"step_free", "accessible_toilet", "changing_places", "hearing_loop", "quiet_space", "near_public_transport"}

// allIn reports whether every one of want is in have.
func allIn(want, have []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

type gapDTO struct {
	Rank              int      `json:"rank"`
	Code              string   `json:"code"`
	Name              string   `json:"name"`
	Young             *int     `json:"young"`
	Suppressed        bool     `json:"suppressed"`
	IMDDecile         *int     `json:"imd_decile"`
	DeprivationWeight float64  `json:"deprivation_weight"`
	Score             *float64 `json:"score"`
	NearestKm         *float64 `json:"nearest_km"`
	NearestCentreID   *string  `json:"nearest_centre_id"`
	NearestCentreName *string  `json:"nearest_centre_name"`
}

type gapsDTO struct {
	Band        string   `json:"band"`
	ThresholdKm float64  `json:"threshold_km"`
	Items       []gapDTO `json:"items"`
	Total       int      `json:"total"`
}

func (s *Server) coverageGaps(c *fiber.Ctx) error {
	format, fields := outputFormat(c, "json", "csv")
	page, err := web.PageOf(c, 50, 1000)
	if fe, ok := fault.As(err); ok {
		fields = append(fields, fe.Fields...)
	}
	m, err := s.measure(c, fields)
	if err != nil {
		return err
	}
	web.NoStore(c)
	names := centreNames(m)
	areaName := make(map[string]string, len(m.Areas))
	for _, a := range m.Areas {
		areaName[a.Code] = a.Name
	}
	gaps := m.Result.Gaps(m.Council.LADCode)
	items := make([]gapDTO, len(gaps))
	for k, g := range gaps {
		it := gapDTO{Rank: k + 1, Code: g.Code, Name: areaName[g.Code], Young: count(g.Young), Suppressed: g.Young < SuppressBelow,
			DeprivationWeight: g.Weight}
		if !it.Suppressed {
			score := g.Score
			it.Score = &score
		}
		if g.IMDDecile > 0 {
			d := g.IMDDecile
			it.IMDDecile = &d
		}
		if g.NearestID != "" {
			km, id, name := roundKm(g.NearestKm), g.NearestID, names[g.NearestID]
			it.NearestKm, it.NearestCentreID, it.NearestCentreName = &km, &id, &name
		}
		items[k] = it
	}
	if format == "csv" {
		rows := [][]string{{"rank", "code", "name", "young", "imd_decile", "deprivation_weight", "score",
			"nearest_km", "nearest_centre_id", "nearest_centre_name"}}
		for _, it := range items {
			dec, score, km, cid, cname := "", suppressedCSV, "", "", ""
			if it.IMDDecile != nil {
				dec = strconv.Itoa(*it.IMDDecile)
			}
			if it.Score != nil {
				score = csvFloat(*it.Score, 1)
			}
			if it.NearestKm != nil {
				km, cid, cname = csvFloat(*it.NearestKm, 3), *it.NearestCentreID, *it.NearestCentreName
			}
			young := suppressedCSV
			if it.Young != nil {
				young = strconv.Itoa(*it.Young)
			}
			rows = append(rows, []string{strconv.Itoa(it.Rank), it.Code, csvText(it.Name), young, dec,
				csvFloat(it.DeprivationWeight, 1), score, km, cid, csvText(cname)})
		}
		return sendCSV(c, fileName(m, "gaps"), rows)
	}
	lo, hi := min(page.Offset, len(items)), min(page.Offset+page.Limit, len(items))
	return c.JSON(gapsDTO{Band: m.Band.String(), ThresholdKm: m.Options.ThresholdKm, Items: items[lo:hi], Total: len(items)})
}

// newCentreIn is a centre a what-if adds.
type newCentreIn struct {
	Name         string   `json:"name" validate:"max=200"`
	Lat          *float64 `json:"lat" validate:"required,gte=49,lte=61"`
	Lon          *float64 `json:"lon" validate:"required,gte=-9,lte=2"`
	ProviderType string   `json:"provider_type" validate:"required,oneof=council charity co_operative community_organisation library school faith_group other"`
	WeeklyHours  *float64 `json:"weekly_hours" validate:"required,gte=0,lte=168"`
	WeeklyPlaces *float64 `json:"weekly_places" validate:"omitempty,gte=0,lte=100000"`
}

type whatIfIn struct {
	Close  []string      `json:"close" validate:"max=100"`
	Reopen []string      `json:"reopen" validate:"max=100"`
	Add    []newCentreIn `json:"add" validate:"max=20,dive"`
}

type whatIfDiffDTO struct {
	CoveredShare         float64 `json:"covered_share"`
	CoveredMinHoursShare float64 `json:"covered_min_hours_share"`
	PlacesPer1000        float64 `json:"places_per_1000"`
	YoungLosingCover     int     `json:"young_losing_cover"`
	YoungGainingCover    int     `json:"young_gaining_cover"`
}

type addedCentreDTO struct {
	ID           string  `json:"id"`
	Name         string  `json:"name"`
	Lat          float64 `json:"lat"`
	Lon          float64 `json:"lon"`
	ProviderType string  `json:"provider_type"`
	WeeklyHours  float64 `json:"weekly_hours"`
	WeeklyPlaces float64 `json:"weekly_places"`
}

type whatIfDTO struct {
	Band              string           `json:"band"`
	ThresholdKm       float64          `json:"threshold_km"`
	Before            figuresDTO       `json:"before"`
	After             figuresDTO       `json:"after"`
	Difference        whatIfDiffDTO    `json:"difference"`
	AreasLosingCover  []string         `json:"areas_losing_cover"`
	AreasGainingCover []string         `json:"areas_gaining_cover"`
	Added             []addedCentreDTO `json:"added"`
	Sentence          string           `json:"sentence"`
}

// checkIDs refuses ids in list that are not measured centres, that appear
// twice, or whose status is not allowed.
func checkIDs(m *coverage.Measurement, field string, list []string, allowed func(coverage.Status) bool, why string) []fault.FieldError {
	var out []fault.FieldError
	seen := map[string]bool{}
	for i, id := range list {
		f := fmt.Sprintf("%s[%d]", field, i)
		ce, ok := m.Centre(id)
		switch {
		case !ok:
			out = append(out, fault.FieldError{Field: f, Message: "There is no centre with this id"})
		case seen[id]:
			out = append(out, fault.FieldError{Field: f, Message: "This centre is listed twice"})
		case !allowed(ce.Status):
			out = append(out, fault.FieldError{Field: f, Message: ce.Name + " " + why})
		}
		seen[id] = true
	}
	return out
}

func (s *Server) coverageWhatIf(c *fiber.Ctx) error {
	council, err := s.coverageCouncil(c)
	if err != nil {
		return err
	}
	var in whatIfIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	m, err := s.measureCouncil(c, council, nil)
	if err != nil {
		return err
	}
	if len(in.Close)+len(in.Reopen)+len(in.Add) == 0 {
		return fault.Field("close", "Choose at least one centre to close or open, or add a new one")
	}
	fields := checkIDs(m, "close", in.Close, func(st coverage.Status) bool { return st == coverage.StatusOpen }, "is not open, so it cannot be closed")
	fields = append(fields, checkIDs(m, "reopen", in.Reopen, func(st coverage.Status) bool { return st != coverage.StatusOpen }, "is already open")...)
	for i, id := range in.Reopen {
		if slices.Contains(in.Close, id) {
			fields = append(fields, fault.FieldError{Field: fmt.Sprintf("reopen[%d]", i), Message: "A centre cannot be both closed and reopened"})
		}
	}
	// A new centre far from the council's areas is a slip of a digit or a
	// sign: said, rather than answered with "no change".
	for i, a := range in.Add {
		err := centre.NearCouncil(c.UserContext(), s.db, council.ID, *a.Lat, *a.Lon, fmt.Sprintf("add[%d].", i))
		if fe, ok := fault.As(err); ok && fe.Kind == fault.Invalid {
			fields = append(fields, fe.Fields...)
		} else if err != nil {
			return err
		}
	}
	if len(fields) > 0 {
		return fault.Fields(fields...)
	}
	ch := coverage.Changes{Close: in.Close, Reopen: in.Reopen}
	for _, a := range in.Add {
		places := *a.WeeklyHours * coverage.PlacesPerHourProxy
		if a.WeeklyPlaces != nil {
			places = *a.WeeklyPlaces
		}
		ch.Add = append(ch.Add, coverage.NewCentre{Name: a.Name, Lat: *a.Lat, Lon: *a.Lon, Provider: coverage.Provider(a.ProviderType),
			HoursPerWeek: *a.WeeklyHours, WeeklyPlaces: places})
	}
	w, err := coverage.WhatIf(m.Result, ch)
	if errors.Is(err, coverage.ErrInvalid) {
		return fault.Field("add", "A new centre is not valid")
	}
	if err != nil {
		return err
	}
	lad := m.Council.LADCode
	cc, _ := w.Council(lad)
	out := whatIfDTO{Band: m.Band.String(), ThresholdKm: m.Options.ThresholdKm,
		Before: toFigures(cc.Before, false), After: toFigures(cc.After, false),
		Difference: whatIfDiffDTO{CoveredShare: cc.CoveredShareChange, CoveredMinHoursShare: cc.CoveredMinHoursShareChange,
			PlacesPer1000: cc.PlacesPer1000Change, YoungLosingCover: cc.YoungLosingCover, YoungGainingCover: cc.YoungGainingCover},
		AreasLosingCover: ownCodes(m, w.AreasLosingCover), AreasGainingCover: ownCodes(m, w.AreasGainingCover),
		Added: []addedCentreDTO{}, Sentence: w.SentenceFor(lad)}
	for _, a := range w.Added {
		out.Added = append(out.Added, addedCentreDTO{ID: a.ID, Name: a.Name, Lat: a.Lat, Lon: a.Lon, ProviderType: string(a.Provider),
			WeeklyHours: a.HoursPerWeek, WeeklyPlaces: a.WeeklyPlaces})
	}
	web.NoStore(c)
	return c.JSON(out)
}

// ownCodes keeps the codes of the measured council's own areas.
func ownCodes(m *coverage.Measurement, codes []string) []string {
	own := make(map[string]bool, len(m.Areas))
	for _, a := range m.Areas {
		own[a.Code] = true
	}
	out := []string{}
	for _, c := range codes {
		if own[c] {
			out = append(out, c)
		}
	}
	return out
}

type pointIn struct {
	Name string   `json:"name" validate:"max=200"`
	Lat  *float64 `json:"lat" validate:"required,gte=49,lte=61"`
	Lon  *float64 `json:"lon" validate:"required,gte=-9,lte=2"`
}

type sitingIn struct {
	K          *int            `json:"k" validate:"required,gte=1,lte=20"`
	Candidates json.RawMessage `json:"candidates"`
}

type pickDTO struct {
	Rank              int      `json:"rank"`
	ID                string   `json:"id"`
	Name              string   `json:"name"`
	Lat               float64  `json:"lat"`
	Lon               float64  `json:"lon"`
	Gain              int      `json:"gain"`
	Areas             []string `json:"areas"`
	YoungCoveredAfter int      `json:"young_covered_after"`
	CoveredShareAfter float64  `json:"covered_share_after"`
}

type sitingDTO struct {
	Band              string    `json:"band"`
	ThresholdKm       float64   `json:"threshold_km"`
	Candidates        string    `json:"candidates"`
	CandidateCount    int       `json:"candidate_count"`
	YoungPeople       int       `json:"young_people"`
	YoungCovered      int       `json:"young_covered"`
	CoveredShare      float64   `json:"covered_share"`
	CoveredShareAfter float64   `json:"covered_share_after"`
	Picks             []pickDTO `json:"picks"`
}

// maxCandidates bounds the explicit candidate points of a siting request.
const maxCandidates = 2000

func (s *Server) coverageSiting(c *fiber.Ctx) error {
	council, err := s.coverageCouncil(c)
	if err != nil {
		return err
	}
	var in sitingIn
	if err := web.DecodeOnly(c, &in); err != nil {
		return err
	}
	// k's errors are said with the candidates', not one batch at a time.
	fields, err := web.FieldErrors(&in)
	if err != nil {
		return err
	}
	kind := ""
	var points []pointIn
	raw := bytes.TrimSpace(in.Candidates)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		kind = "areas"
	case raw[0] == '"':
		_ = json.Unmarshal(raw, &kind)
		if kind != "centres" && kind != "areas" {
			fields = append(fields, fault.FieldError{Field: "candidates", Message: `Candidates must be "centres", "areas" or a list of points`})
		}
	case raw[0] == '[':
		kind = "points"
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&points); err != nil {
			fields = append(fields, fault.FieldError{Field: "candidates", Message: "Each candidate must be a point with lat, lon and an optional name"})
		} else if len(points) == 0 || len(points) > maxCandidates {
			fields = append(fields, fault.FieldError{Field: "candidates", Message: fmt.Sprintf("Give from 1 to %d candidate points", maxCandidates)})
		}
		for i, p := range points {
			if err := web.Validate(&p); err != nil {
				if fe, ok := fault.As(err); ok {
					for _, f := range fe.Fields {
						fields = append(fields, fault.FieldError{Field: fmt.Sprintf("candidates[%d].%s", i, f.Field), Message: f.Message})
					}
				}
			}
		}
	default:
		fields = append(fields, fault.FieldError{Field: "candidates", Message: `Candidates must be "centres", "areas" or a list of points`})
	}
	m, err := s.measureCouncil(c, council, fields)
	if err != nil {
		return err
	}
	var cands []coverage.Candidate
	names := map[string]string{}
	switch kind {
	case "centres":
		for _, ce := range m.Centres {
			if ce.Own && ce.Status != coverage.StatusOpen {
				cands = append(cands, coverage.Candidate{ID: ce.ID, Lat: ce.Lat, Lon: ce.Lon})
				names[ce.ID] = ce.Name
			}
		}
	case "areas":
		for _, a := range m.Areas {
			cands = append(cands, coverage.Candidate{ID: a.Code, Lat: a.Lat, Lon: a.Lon})
			names[a.Code] = a.Name
		}
	case "points":
		for i, p := range points {
			id := "point-" + strconv.Itoa(i+1)
			cands = append(cands, coverage.Candidate{ID: id, Lat: *p.Lat, Lon: *p.Lon})
			names[id] = p.Name
		}
	}
	picks, err := m.Result.SiteIn(m.Council.LADCode, *in.K, cands)
	if err != nil {
		return err
	}
	sum := m.Summary
	out := sitingDTO{Band: m.Band.String(), ThresholdKm: m.Options.ThresholdKm, Candidates: kind, CandidateCount: len(cands),
		YoungPeople: sum.YoungPeople, YoungCovered: sum.YoungCovered, CoveredShare: sum.CoveredShare,
		CoveredShareAfter: sum.CoveredShare, Picks: []pickDTO{}}
	covered := sum.YoungCovered
	for k, p := range picks {
		covered += p.Gain
		out.CoveredShareAfter = float64(covered) / float64(max(sum.YoungPeople, 1))
		out.Picks = append(out.Picks, pickDTO{Rank: k + 1, ID: p.ID, Name: names[p.ID], Lat: p.Lat, Lon: p.Lon, Gain: p.Gain,
			Areas: p.Areas, YoungCoveredAfter: covered, CoveredShareAfter: out.CoveredShareAfter})
	}
	web.NoStore(c)
	return c.JSON(out)
}

// coverageOwner is the ownership rule of the coverage routes.
const coverageOwner = "the caller's own council (officer); any council (admin); another council's officer gets 404"
