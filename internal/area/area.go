// Package area reads the ONS small-area files kept in shared/data into one
// record per 2021 Lower layer Super Output Area (LSOA): where it is, which
// council it belongs to, how deprived it is and how many young people live
// there, by single year of age.
//
// The files mix two geographies. The 2011 LSOAs (34,753) carry the national
// single-year population (mid-2020), the official population-weighted
// centroids and the Welsh deprivation index; the 2021 LSOAs (35,672) carry the
// council lookup, the English IMD 2025 and the Census 2021 totals. Everything
// is brought onto 2021 LSOAs here; see LoadEnglandWales for the rules.
//
// The parsers stream each file with encoding/csv and check every row they
// use: a bad row stops the load with an error that names the file, the line
// and the column, e.g.
//
//	lsoa11_population_mid2020_single_year_of_age.csv line 17: age_13: not a number "x"
package area

// CentroidKind says which point stands for an area.
type CentroidKind string

const (
	// CentroidPWC2011 is the ONS 2011 population-weighted centroid, used for
	// the 33,647 LSOAs whose code did not change in 2021.
	CentroidPWC2011 CentroidKind = "pwc2011"
	// CentroidGeometric2021 is the geometric (label) centroid of the 2021
	// boundary, used for new, split and merged LSOAs: no official 2021
	// population-weighted centroid file was available.
	CentroidGeometric2021 CentroidKind = "geometric2021"
)

// MaxAge is the oldest single year of age kept in Area.YoungByAge. The
// platform serves 8–25-year-olds (the statutory youth offer is 13–19, up to 24
// or 25 with SEND), so ages 0..25 are kept and older ages are dropped.
const MaxAge = 25

// TraffordLAD is the LAD24 code of Trafford, the demo council.
const TraffordLAD = "E08000009"

// Area is one 2021 LSOA with what the coverage engine needs to know about it.
type Area struct {
	Code         string // LSOA 2021 code, e.g. E01006074
	Name         string // LSOA 2021 name, e.g. Trafford 025A
	LADCode      string // local authority district (May 2024) code
	LADName      string // local authority district (May 2024) name
	Lat, Lon     float64
	CentroidKind CentroidKind
	// IMDDecile is the deprivation decile, 1 = most deprived 10 %, 10 = least,
	// 0 = unknown. England: IMD 2025; Wales: WIMD 2019. The two indices are
	// separate rankings and are not comparable across the border.
	IMDDecile int
	// YoungByAge[a] is the number of persons aged a, for a in 0..MaxAge.
	YoungByAge [MaxAge + 1]int
}

// Band is an inclusive age range of young people.
type Band struct{ MinAge, MaxAge int }

// Age bands the platform reports on.
var (
	// BandStatutory is the statutory youth offer, 13–19: the default.
	BandStatutory = Band{13, 19}
	// BandSecondary is secondary-school age to 19, 11–19.
	BandSecondary = Band{11, 19}
	// BandAll is every young person the platform serves, 8–25.
	BandAll = Band{8, 25}
)

// YoungPeople returns the number of persons in a aged minAge..maxAge
// inclusive. Ages are clamped to 0..MaxAge; an empty range counts nobody.
func YoungPeople(a Area, minAge, maxAge int) int {
	minAge = max(minAge, 0)
	maxAge = min(maxAge, MaxAge)
	n := 0
	for age := minAge; age <= maxAge; age++ {
		n += a.YoungByAge[age]
	}
	return n
}

// Young returns the number of persons in a within band b.
func (b Band) Young(a Area) int { return YoungPeople(a, b.MinAge, b.MaxAge) }
