package api

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"

	"youthhub/internal/centre"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/web"
	"youthhub/internal/postcode"
	"youthhub/internal/schedule"
	"youthhub/internal/timetable"
)

// Search defaults and limits of GET /api/v1/sessions.
const (
	defaultSearchDays = 14
	defaultRadiusKm   = 5.0
	maxRadiusKm       = 50.0
)

// listSessions is the public search for sessions (occurrences).
// weekdays are the names the session search's day filter takes, Monday first.
var weekdays = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

func (s *Server) listSessions(c *fiber.Ctx) error {
	page, err := web.PageOf(c, 20, 100)
	if err != nil {
		return err
	}
	from, to, fields := queryRange(c, s.now())
	if to.IsZero() {
		to = from.AddDate(0, 0, defaultSearchDays)
	}
	add := func(field, msg string) { fields = append(fields, fault.FieldError{Field: field, Message: msg}) }
	f := timetable.Filter{From: from, To: to, Limit: page.Limit, Offset: page.Offset,
		Category: c.Query("category"), ProviderType: c.Query("provider_type"), AccessFeatures: web.QueryList(c, "access_feature")}

	pc, latQ, lonQ := strings.TrimSpace(c.Query("postcode")), c.Query("lat"), c.Query("lon")
	var place *timetable.Place
	switch {
	case pc != "" && (latQ != "" || lonQ != ""):
		add("postcode", "Give a postcode, or lat and lon, not both")
	case pc != "":
		if _, ok := postcode.Normalise(pc); !ok {
			add("postcode", "Enter a real UK postcode, like M32 0JG")
		}
	case latQ != "" || lonQ != "":
		lat, err1 := strconv.ParseFloat(latQ, 64)
		lon, err2 := strconv.ParseFloat(lonQ, 64)
		if err1 != nil || lat < 49 || lat > 61 {
			add("lat", "Lat must be a latitude in Great Britain, from 49 to 61")
		}
		if err2 != nil || lon < -9 || lon > 2 {
			add("lon", "Lon must be a longitude in Great Britain, from -9 to 2")
		}
		place = &timetable.Place{Lat: lat, Lon: lon}
	}
	f.RadiusKm = defaultRadiusKm
	if v := c.Query("radius_km"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || !(r > 0 && r <= maxRadiusKm) {
			add("radius_km", fmt.Sprintf("Radius must be a distance in kilometres, more than 0 and at most %g", maxRadiusKm))
		}
		f.RadiusKm = r
	}
	if v := c.Query("age"); v != "" {
		a, err := strconv.Atoi(v)
		if err != nil || a < timetable.MinAge || a > timetable.MaxAge {
			add("age", fmt.Sprintf("Age must be a whole number from %d to %d", timetable.MinAge, timetable.MaxAge))
		}
		f.Age = a
	}
	if f.Category != "" && !slices.Contains(timetable.Categories, f.Category) {
		add("category", "Category must be one of: "+strings.Join(timetable.Categories, ", "))
	}
	if f.ProviderType != "" && !slices.Contains(centre.ProviderTypes, f.ProviderType) {
		add("provider_type", "Provider type is not one we know")
	}
	for _, a := range f.AccessFeatures {
		if !slices.Contains(centre.AccessFeatures, a) {
			add("access_feature", "Access feature "+a+" is not one we know")
			break
		}
	}
	for _, d := range web.QueryList(c, "day") {
		i := slices.Index(weekdays, d)
		if i < 0 {
			add("day", "Day must be one of: "+strings.Join(weekdays, ", "))
			break
		}
		if !slices.Contains(f.Days, i+1) {
			f.Days = append(f.Days, i+1)
		}
	}
	for name, dst := range map[string]*bool{"spaces_only": &f.SpacesOnly, "include_cancelled": &f.IncludeCancelled} {
		switch c.Query(name) {
		case "", "false":
		case "true":
			*dst = true
		default:
			add(name, strings.ReplaceAll(name, "_", " ")+" must be true or false")
		}
	}
	for name, dst := range map[string]*string{"council_id": &f.CouncilID, "centre_id": &f.CentreID} {
		id, err := web.QueryUUID(c, name)
		if e, ok := fault.As(err); ok {
			fields = append(fields, e.Fields...)
		}
		*dst = id
	}
	if len(fields) > 0 {
		slices.SortStableFunc(fields, func(a, b fault.FieldError) int { return strings.Compare(a.Field, b.Field) })
		return fault.Fields(fields...)
	}
	var near *nearDTO
	if pc != "" {
		p, err := s.postcodes.Lookup(c.UserContext(), pc)
		if err != nil {
			return err
		}
		place = &timetable.Place{Lat: p.Lat, Lon: p.Lon}
		near = &nearDTO{Postcode: p.Postcode, Exact: p.Exact()}
		if !p.Exact() {
			near.Area = &p.Area
		}
	}
	f.Near = place
	items, total, err := s.timetable.FindOccurrences(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(sessionListDTO{List: web.List[timetable.Occurrence]{Items: items, Total: total}, Near: near})
}

// nearDTO says where a search by postcode looked: the postcode, normalised,
// and, when the directory does not hold it, the sector or district whose
// middle was used instead.
type nearDTO struct {
	Postcode string  `json:"postcode"`
	Exact    bool    `json:"exact"`
	Area     *string `json:"area"`
}

type sessionListDTO struct {
	web.List[timetable.Occurrence]
	Near *nearDTO `json:"near,omitempty"`
}

// queryRange reads the from and to query parameters (see parseInstant):
// from defaults to from, to to the zero time; to must come after from.
func queryRange(c *fiber.Ctx, from time.Time) (time.Time, time.Time, []fault.FieldError) {
	var to time.Time
	var fields []fault.FieldError
	var err error
	if v := c.Query("from"); v != "" {
		if from, err = parseInstant(v, false); err != nil {
			fields = append(fields, fault.FieldError{Field: "from", Message: "From must be a date like 2027-03-30 or a time like 2027-03-30T18:00:00+01:00"})
		}
	}
	if v := c.Query("to"); v != "" {
		if to, err = parseInstant(v, true); err != nil {
			fields = append(fields, fault.FieldError{Field: "to", Message: "To must be a date like 2027-04-13 or a time like 2027-04-13T18:00:00+01:00"})
		} else if len(fields) == 0 && !to.After(from) {
			fields = append(fields, fault.FieldError{Field: "to", Message: "To must be after from"})
		}
	}
	return from, to, fields
}

// parseInstant reads RFC 3339 (a "+" that a query string turned into a
// space is put back) or a YYYY-MM-DD date in Europe/London: its midnight,
// or with endOfDay the next midnight, so that to=2027-03-30 includes the 30th.
func parseInstant(v string, endOfDay bool) (time.Time, error) {
	if d, err := web.ParseDate(v); err == nil {
		t := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, schedule.London())
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	return time.Parse(time.RFC3339, strings.Replace(v, " ", "+", 1))
}

type sessionDetailDTO struct {
	timetable.OccurrenceDetail
	Centre centre.Centre `json:"centre"`
}

// getSession is one session with its centre; cancelled ones are shown too.
func (s *Server) getSession(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	d, ce, err := s.timetable.FindSessionDetail(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(sessionDetailDTO{OccurrenceDetail: d, Centre: ce})
}

func (s *Server) createSeries(c *fiber.Ctx) error {
	var in timetable.Input
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	p := principal(c)
	return s.idempotentTx(c, p.UserID, func(ctx context.Context, tx *sqlx.Tx) (int, any, error) {
		sr, err := s.timetable.CreateSeriesIn(ctx, tx, p.CouncilID, p.UserID, in)
		if err != nil {
			return 0, nil, err
		}
		return fiber.StatusCreated, sr, nil
	})
}

func (s *Server) listSeries(c *fiber.Ctx) error {
	page, err := web.PageOf(c, 50, 200)
	if err != nil {
		return err
	}
	centreID, err := web.QueryUUID(c, "centre_id")
	if err != nil {
		return err
	}
	items, total, err := s.timetable.FindSeries(c.UserContext(), principal(c).CouncilID,
		timetable.SeriesFilter{CentreID: centreID, Limit: page.Limit, Offset: page.Offset})
	if err != nil {
		return err
	}
	return c.JSON(web.List[timetable.Series]{Items: items, Total: total})
}

func (s *Server) getSeries(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	sr, err := s.timetable.FindSeriesByID(c.UserContext(), principal(c).CouncilID, id)
	if err != nil {
		return err
	}
	return c.JSON(sr)
}

func (s *Server) updateSeries(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var in timetable.Update
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	sr, err := s.timetable.UpdateSeries(c.UserContext(), principal(c).CouncilID, id, in)
	if err != nil {
		return err
	}
	return c.JSON(sr)
}

// listSeriesOccurrences lists a series' occurrences from the start of today
// (or from/to) for its council's staff.
func (s *Server) listSeriesOccurrences(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	page, err := web.PageOf(c, 50, 200)
	if err != nil {
		return err
	}
	today := schedule.DateOf(s.now().In(schedule.London()))
	from, to, fields := queryRange(c, time.Date(today.Year, today.Month, today.Day, 0, 0, 0, 0, schedule.London()))
	if len(fields) > 0 {
		return fault.Fields(fields...)
	}
	f := timetable.SlotFilter{From: from, To: to, Limit: page.Limit, Offset: page.Offset}
	items, total, err := s.timetable.FindSlots(c.UserContext(), principal(c).CouncilID, id, f)
	if err != nil {
		return err
	}
	return c.JSON(web.List[timetable.Slot]{Items: items, Total: total})
}

type occurrenceUpdateIn struct {
	Capacity *int `json:"capacity"`
}

func (s *Server) updateOccurrence(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var in occurrenceUpdateIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	if in.Capacity == nil {
		return fault.Field("capacity", "Enter the number of places")
	}
	sl, err := s.timetable.SetCapacity(c.UserContext(), principal(c).CouncilID, id, *in.Capacity)
	if err != nil {
		return err
	}
	return c.JSON(sl)
}

type cancelIn struct {
	Reason string `json:"reason"`
}

func (s *Server) cancelOccurrence(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var in cancelIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	sl, err := s.timetable.CancelOccurrence(c.UserContext(), principal(c).CouncilID, id, in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(sl)
}
