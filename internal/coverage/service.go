package coverage

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"youthhub/internal/platform/fault"
)

// Service measures a council's coverage from the database: the areas table
// (written by `youthhub import-areas`), the centres, the timetable and the
// bookings. The figures come from the pure engine above; the Service only
// reads.
//
// Engines are cached in memory per council, age band and threshold: areas
// change only on import, and every import adds a row to area_imports whose
// latest id is checked on each request, so a server sees an import made by
// another process at once. Centres, their supply and attendance are read on
// every request and the coverage is recomputed (milliseconds for a council).
type Service struct {
	DB  *sqlx.DB
	Now func() time.Time

	mu      sync.Mutex
	engines map[engineKey]*councilEngine
}

// Council is what the Service needs to know of a council (the api layer reads
// it from the councils table).
type Council struct {
	ID, Name string
	// LADCode links the council to its areas (areas.lad_code).
	LADCode string
	// ThresholdKm is the council's coverage distance; MinHours is N in
	// "covered by a centre open at least N hours a week".
	ThresholdKm, MinHours float64
}

// Band is an inclusive range of ages, the young people a figure counts.
type Band struct{ MinAge, MaxAge int }

// Age bands a council can report on.
var (
	// BandStatutory is the statutory youth offer, 13–19: the default, and
	// the band the REYS benchmark is set for.
	BandStatutory = Band{13, 19}
	// BandSecondary is secondary-school age to 19.
	BandSecondary = Band{11, 19}
	// BandAll is everyone the platform serves, 8–25.
	BandAll = Band{8, 25}
)

// Bands lists the bands by name, as the API takes them.
var Bands = map[string]Band{"13-19": BandStatutory, "11-19": BandSecondary, "8-25": BandAll}

// String is the band's name, e.g. "13-19".
func (b Band) String() string { return strconv.Itoa(b.MinAge) + "-" + strconv.Itoa(b.MaxAge) }

// MaxThresholdKm is the largest coverage distance a request may ask for
// (the councils table allows the same).
const MaxThresholdKm = 50

// RegularVisits is how many attended sessions in 12 months make a young
// person a regular attendee (participation).
const RegularVisits = 3

// PlacesPerHourProxy turns a centre's weekly opening hours into weekly
// places when it has no timetable in the coming week: 10 places an hour, one
// group at the NSPCC's 1:10 ratio with the minimum two staff.
const PlacesPerHourProxy = 10

// Query chooses what a measurement counts.
type Query struct {
	Band Band // zero: BandStatutory
	// ThresholdKm overrides the council's threshold when not zero.
	ThresholdKm float64
}

// AreaInfo is what the map and the tables show of an area beyond its
// figures.
type AreaInfo struct {
	Code, Name   string
	LADCode      string
	Lat, Lon     float64
	CentroidKind string
	// Boundary is the area's GeoJSON geometry, nil when none was imported.
	Boundary json.RawMessage
}

// CentreInfo is a centre as the map shows it.
type CentreInfo struct {
	Centre
	CouncilID, CouncilName string
	AccessFeatures         []string
	// Own: the centre belongs to the measured council.
	Own bool
	// Near: the centre is within reach of the council's areas (within twice
	// the threshold of their bounding box); far centres only decide the
	// distance to the nearest centre.
	Near bool
	// FromTimetable: WeeklyPlaces is the staffed places of its occurrences
	// in the coming 7 days; otherwise weekly hours × PlacesPerHourProxy.
	FromTimetable bool
	Occurrences   int
}

// Measurement is a council's coverage now.
type Measurement struct {
	Council Council
	Band    Band
	Options Options
	// Result holds every area of the engine: the council's own areas first
	// (Result.Areas[:len(Areas)], in the order of Areas), then its
	// neighbours' areas within reach, which make centres across the boundary
	// and their shared catchments count.
	Result *Result
	// Summary is the council's figures, with reach and participation.
	Summary Summary
	Areas   []AreaInfo
	// Centres are in the order of Result.Centres(): every centre.
	Centres    []CentreInfo
	ComputedAt time.Time
}

// Centre returns the centre with id, if measured.
func (m *Measurement) Centre(id string) (CentreInfo, bool) {
	for _, c := range m.Centres {
		if c.ID == id {
			return c, true
		}
	}
	return CentreInfo{}, false
}

type engineKey struct {
	councilID, lad string
	band           Band
	threshold      float64
	minHours       float64
	version        int64
}

// councilEngine is the cached part of a measurement: the areas and their
// index.
type councilEngine struct {
	engine *Engine
	areas  []AreaInfo // own areas
	// bounding box of the own areas, widened by the reach margin
	lat0, lat1, lon0, lon1 float64
}

// maxCached bounds the engine cache; it is emptied when full.
const maxCached = 64

const latestImport = `SELECT coalesce(max(id), 0) FROM area_imports`

// selectAreas reads a council's areas ($1 = its LAD code) and the other
// areas in its bounding box widened by $2 degrees of latitude (and the same
// distance in longitude): own areas first, each group by code. Boundaries
// are read for own areas only.
const selectAreas = `WITH own AS (
	SELECT min(lat) AS lat0, max(lat) AS lat1, min(lon) AS lon0, max(lon) AS lon1,
		$2 / cos(radians(greatest(abs(min(lat)), abs(max(lat))) + $2)) AS dlon
	FROM areas WHERE lad_code = $1
)
SELECT a.code, a.name, a.lad_code, a.lad_name, a.lat, a.lon, a.centroid_kind, coalesce(a.imd_decile, 0) AS imd_decile,
	a.young_by_age, CASE WHEN a.lad_code = $1 THEN a.boundary END AS boundary
FROM areas a, own
WHERE a.lad_code = $1
	OR (a.lat BETWEEN own.lat0 - $2 AND own.lat1 + $2 AND a.lon BETWEEN own.lon0 - own.dlon AND own.lon1 + own.dlon)
ORDER BY a.lad_code <> $1, a.code`

type areaRow struct {
	Code         string        `db:"code"`
	Name         string        `db:"name"`
	LADCode      string        `db:"lad_code"`
	LADName      string        `db:"lad_name"`
	Lat          float64       `db:"lat"`
	Lon          float64       `db:"lon"`
	CentroidKind string        `db:"centroid_kind"`
	IMDDecile    int           `db:"imd_decile"`
	YoungByAge   pq.Int64Array `db:"young_by_age"`
	Boundary     []byte        `db:"boundary"`
}

// selectCentres reads every centre with its supply: the staffed places of
// its scheduled occurrences starting in [$1, $2) (capacity capped by the
// staffed limit where the rota set one), and whether it runs a timetable at
// all: any session, cancelled or not, from a week before $1 to TimetableWeeks
// after it ([$3, $4)). A centre
// with a timetable is counted by it, even in a week with nothing on;
// otherwise cancelling its sessions would swap them for the larger
// opening-hours estimate and raise the council's places.
const selectCentres = `SELECT c.id, c.council_id, co.name AS council_name, c.name, c.lat, c.lon, c.status, c.provider_type,
	c.access_features, c.weekly_hours, coalesce(s.places, 0) AS places, coalesce(s.occurrences, 0) AS occurrences,
	EXISTS (SELECT 1 FROM occurrences t WHERE t.centre_id = c.id AND t.starts_at >= $3 AND t.starts_at < $4) AS timetabled
FROM centres c
JOIN councils co ON co.id = c.council_id
LEFT JOIN LATERAL (
	SELECT sum(least(o.capacity, coalesce(o.staffed_limit, o.capacity))) AS places, count(*) AS occurrences
	FROM occurrences o
	WHERE o.centre_id = c.id AND o.status = 'scheduled' AND o.starts_at >= $1 AND o.starts_at < $2
) s ON true
WHERE c.status <> 'planned' OR c.council_id = $5
ORDER BY c.id`

// TimetableWeeks is how far ahead a centre's sessions make it a centre with a
// timetable (see selectCentres).
const TimetableWeeks = 8

type centreRow struct {
	ID             string         `db:"id"`
	CouncilID      string         `db:"council_id"`
	CouncilName    string         `db:"council_name"`
	Name           string         `db:"name"`
	Lat            float64        `db:"lat"`
	Lon            float64        `db:"lon"`
	Status         string         `db:"status"`
	ProviderType   string         `db:"provider_type"`
	AccessFeatures pq.StringArray `db:"access_features"`
	WeeklyHours    float64        `db:"weekly_hours"`
	Places         int            `db:"places"`
	Occurrences    int            `db:"occurrences"`
	Timetabled     bool           `db:"timetabled"`
}

// selectAttendance counts, for council $1, the distinct young people aged
// $5..$6 on day $4 with a booking marked attended at one of its sessions
// starting in [$2, $3), and those with RegularVisits ($7) or more.
// selectVisits lists, for each young person of the band (by age today) who
// attended one of the council's sessions in the last 12 months, their
// visits by the provider type of the centre, with the area they live in
// (by their postcode; NULL when not known). Attended means a current
// register mark of present, late or left, or a booking marked attended;
// walk-ins and drop-in sessions count through their marks.
const selectVisits = `SELECT a.young_person_id AS person, c.provider_type AS provider, count(*) AS visits,
	ar.lad_code AS home_lad, ar.imd_decile AS home_decile
FROM occurrences o
JOIN centres c ON c.id = o.centre_id
CROSS JOIN LATERAL (
	SELECT cm.young_person_id FROM current_marks cm WHERE cm.occurrence_id = o.id AND cm.status IN ('present','late','left')
	UNION
	SELECT b.young_person_id FROM bookings b WHERE b.occurrence_id = o.id AND b.status = 'attended'
) a
JOIN users u ON u.id = a.young_person_id
LEFT JOIN postcodes p ON p.postcode = u.postcode
LEFT JOIN areas ar ON ar.code = p.lsoa_code
WHERE o.council_id = $1 AND o.starts_at >= $2 AND o.starts_at < $3
	AND u.date_of_birth <= $4::date - make_interval(years => $5)
	AND u.date_of_birth > $4::date - make_interval(years => $6 + 1)
GROUP BY a.young_person_id, c.provider_type, ar.lad_code, ar.imd_decile`

// ErrNoAreas is returned when no area of the council has been imported.
var ErrNoAreas = fault.Coded(fault.Conflict, "areas_not_imported",
	"This council's small areas have not been imported yet, so coverage cannot be measured. Ask the platform admin to run youthhub import-areas")

// Measure computes council c's coverage now for q. It returns ErrNoAreas
// when the council has no LAD code or none of its areas is imported, an
// error wrapping ErrInvalid for a band or threshold out of range, and
// database errors as they come.
//
// Supply for 2SFCA is each centre's staffed weekly places from the
// timetable (occurrences in the coming 7 days), or weekly hours ×
// PlacesPerHourProxy where it has none. Reach is the distinct young people
// of the band (by age today) who attended one of the council's sessions in
// the last 12 months (selectVisits), over the council's young population
// of the band; participation counts those who attended RegularVisits times
// or more. By decile, attendees count where they live; by provider type,
// where they attended (Summary.SetVisits).
func (s *Service) Measure(ctx context.Context, c Council, q Query) (*Measurement, error) {
	if q.Band == (Band{}) {
		q.Band = BandStatutory
	}
	if q.Band.MinAge < 0 || q.Band.MaxAge > 25 || q.Band.MinAge > q.Band.MaxAge {
		return nil, fmt.Errorf("%w: age band %v", ErrInvalid, q.Band)
	}
	opt := Options{ThresholdKm: c.ThresholdKm, MinHours: c.MinHours}
	if q.ThresholdKm != 0 {
		opt.ThresholdKm = q.ThresholdKm
	}
	if opt.ThresholdKm == 0 {
		opt.ThresholdKm = DefaultThresholdKm
	}
	if !(opt.ThresholdKm > 0 && opt.ThresholdKm <= MaxThresholdKm) {
		return nil, fmt.Errorf("%w: threshold %v km not in (0, %d]", ErrInvalid, opt.ThresholdKm, MaxThresholdKm)
	}
	if c.LADCode == "" {
		return nil, ErrNoAreas
	}
	now := s.now()

	var version int64
	if err := s.DB.GetContext(ctx, &version, latestImport); err != nil {
		return nil, fmt.Errorf("coverage: latest import: %w", err)
	}
	key := engineKey{councilID: c.ID, lad: c.LADCode, band: q.Band, threshold: opt.ThresholdKm, minHours: opt.MinHours, version: version}
	ce, err := s.engine(ctx, key)
	if err != nil {
		return nil, err
	}

	var rows []centreRow
	// Another council's planned centres are its own undecided business: they are not read.
	if err := s.DB.SelectContext(ctx, &rows, selectCentres, now, now.AddDate(0, 0, 7),
		now.AddDate(0, 0, -7), now.AddDate(0, 0, 7*TimetableWeeks), c.ID); err != nil {
		return nil, fmt.Errorf("coverage: centres: %w", err)
	}
	centres := make([]Centre, len(rows))
	infos := make([]CentreInfo, len(rows))
	for j, r := range rows {
		ci := CentreInfo{
			Centre: Centre{ID: r.ID, Name: r.Name, Lat: r.Lat, Lon: r.Lon, Status: Status(r.Status),
				Provider: Provider(r.ProviderType), HoursPerWeek: r.WeeklyHours},
			CouncilID: r.CouncilID, CouncilName: r.CouncilName, AccessFeatures: []string(r.AccessFeatures),
			Own:  r.CouncilID == c.ID,
			Near: r.Lat >= ce.lat0 && r.Lat <= ce.lat1 && r.Lon >= ce.lon0 && r.Lon <= ce.lon1,
		}
		if ci.AccessFeatures == nil {
			ci.AccessFeatures = []string{}
		}
		ci.Occurrences = r.Occurrences
		if r.Timetabled {
			ci.WeeklyPlaces, ci.FromTimetable = float64(r.Places), true
		} else {
			ci.WeeklyPlaces = r.WeeklyHours * PlacesPerHourProxy
		}
		centres[j], infos[j] = ci.Centre, ci
	}
	res, err := ce.engine.Compute(centres)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	sum, _ := res.Council(c.LADCode)

	var visitRows []struct {
		Person     string  `db:"person"`
		Provider   string  `db:"provider"`
		Visits     int     `db:"visits"`
		HomeLAD    *string `db:"home_lad"`
		HomeDecile *int    `db:"home_decile"`
	}
	today := now.In(london).Format(time.DateOnly)
	if err := s.DB.SelectContext(ctx, &visitRows, selectVisits, c.ID, now.AddDate(-1, 0, 0), now, today,
		q.Band.MinAge, q.Band.MaxAge); err != nil {
		return nil, fmt.Errorf("coverage: attendance: %w", err)
	}
	visits := make([]Visits, len(visitRows))
	for i, r := range visitRows {
		visits[i] = Visits{Person: r.Person, Provider: Provider(r.Provider), Count: r.Visits, HomeLAD: r.HomeLAD, HomeDecile: r.HomeDecile}
	}
	sum.SetVisits(visits)

	return &Measurement{
		Council: c, Band: q.Band, Options: ce.engine.Options(), Result: res, Summary: sum,
		Areas: ce.areas, Centres: infos, ComputedAt: now,
	}, nil
}

// london is the time zone of "today" for ages.
var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// kmPerDegree is the length of a degree of latitude on the engine's sphere.
const kmPerDegree = EarthRadiusKm * math.Pi / 180

// engine returns the cached engine for key, building it on a miss.
func (s *Service) engine(ctx context.Context, key engineKey) (*councilEngine, error) {
	s.mu.Lock()
	ce, ok := s.engines[key]
	s.mu.Unlock()
	if ok {
		return ce, nil
	}

	// Neighbours' areas within twice the threshold of the council's box:
	// every centre within the threshold of an own area has its whole
	// catchment inside, so 2SFCA shares out its places correctly.
	margin := 2 * key.threshold / kmPerDegree * 1.01
	var rows []areaRow
	if err := s.DB.SelectContext(ctx, &rows, selectAreas, key.lad, margin); err != nil {
		return nil, fmt.Errorf("coverage: areas: %w", err)
	}
	areas := make([]Area, len(rows))
	ce = &councilEngine{lat0: math.Inf(1), lat1: math.Inf(-1), lon0: math.Inf(1), lon1: math.Inf(-1)}
	for i, r := range rows {
		young := 0
		for age := key.band.MinAge; age <= key.band.MaxAge && age < len(r.YoungByAge); age++ {
			young += int(r.YoungByAge[age])
		}
		areas[i] = Area{Code: r.Code, LADCode: r.LADCode, LADName: r.LADName, Lat: r.Lat, Lon: r.Lon, IMDDecile: r.IMDDecile, Young: young}
		if r.LADCode != key.lad {
			continue
		}
		ce.areas = append(ce.areas, AreaInfo{Code: r.Code, Name: r.Name, LADCode: r.LADCode, Lat: r.Lat, Lon: r.Lon,
			CentroidKind: r.CentroidKind, Boundary: json.RawMessage(r.Boundary)})
		ce.lat0, ce.lat1 = min(ce.lat0, r.Lat), max(ce.lat1, r.Lat)
		ce.lon0, ce.lon1 = min(ce.lon0, r.Lon), max(ce.lon1, r.Lon)
	}
	if len(ce.areas) == 0 {
		return nil, ErrNoAreas
	}
	dlon := margin / math.Cos((max(math.Abs(ce.lat0), math.Abs(ce.lat1))+margin)*math.Pi/180)
	ce.lat0, ce.lat1, ce.lon0, ce.lon1 = ce.lat0-margin, ce.lat1+margin, ce.lon0-dlon, ce.lon1+dlon
	e, err := NewEngine(areas, Options{ThresholdKm: key.threshold, MinHours: key.minHours})
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	ce.engine = e

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.engines == nil || len(s.engines) >= maxCached {
		s.engines = make(map[engineKey]*councilEngine)
	}
	s.engines[key] = ce
	return ce, nil
}
