package coverage

// Figures are the coverage figures of a group of areas (a council, or the
// part of it in one deprivation decile, or served by one provider type).
type Figures struct {
	Areas        int
	AreasCovered int
	// YoungPeople is the young population of the group in the chosen band.
	YoungPeople int
	// YoungCovered live in areas with an open centre within the threshold.
	YoungCovered int
	// YoungCoveredMinHours live in areas with a centre open at least
	// Options.MinHours a week within the threshold.
	YoungCoveredMinHours int
	// CoveredShare is YoungCovered / YoungPeople (0 with no young people).
	CoveredShare float64
	// CoveredMinHoursShare is YoungCoveredMinHours / YoungPeople.
	CoveredMinHoursShare float64
	// PlacesPer1000 is the 2SFCA accessibility: weekly places per 1,000
	// young people, Σ Young_i A_i / Σ Young_i × 1000.
	PlacesPer1000 float64
}

// Attendance carries the figures that come from registers rather than from
// the map; the attendance package fills them with SetAttendance.
type Attendance struct {
	// Attendees12Months is the number of distinct young people of the band
	// who attended any session in the last 12 months.
	Attendees12Months int
	// RegularAttendees is the number of those who attended regularly.
	RegularAttendees int
	// Reach is Attendees12Months / YoungPeople, read against REYSBenchmark.
	Reach float64
	// Participation is RegularAttendees / YoungPeople.
	Participation float64
	// MeetsREYS reports Reach >= REYSBenchmark.
	MeetsREYS bool
}

// Summary is a council's coverage.
type Summary struct {
	LADCode string // empty for the total of all areas
	LADName string
	Figures
	// ByDecile[d] covers the council's areas of IMD decile d (1 = most
	// deprived); ByDecile[0] holds areas whose decile is unknown.
	ByDecile [11]Figures
	// ByProvider groups areas by the provider type of their nearest open
	// centre (near or far); areas with no open centre at all are left out.
	ByProvider map[Provider]Figures
	Attendance
	// ReachByDecile[d] counts the attendees who live in the council's areas
	// of IMD decile d (by their postcode's area), over ByDecile[d]'s young
	// people; ReachByDecile[0] those in its areas of unknown decile.
	ReachByDecile [11]Attendance
	// ReachByProvider counts the attendees at centres of each provider type
	// (regular: RegularVisits there), over the council's young people; one
	// young person can count for several types.
	ReachByProvider map[Provider]Attendance
	// AttendeesElsewhere live outside the council's areas, or their
	// postcode is not known: in the council's reach, in no decile's.
	AttendeesElsewhere int
}

// Visits is how often one young person attended sessions at centres of one
// provider type, and where they live (nil when their postcode is not known).
type Visits struct {
	Person     string
	Provider   Provider
	Count      int
	HomeLAD    *string
	HomeDecile *int
}

// SetVisits records the attendance figures from each attendee's visits
// (rows of one person may repeat, one per provider type): the council's
// reach and participation, and the same by the decile of where attendees
// live and by the provider type of where they attended.
func (s *Summary) SetVisits(visits []Visits) {
	type person struct {
		count  int
		decile int // -1: lives elsewhere or unknown
	}
	people := map[string]*person{}
	byProv := map[Provider]map[string]int{}
	for _, v := range visits {
		p := people[v.Person]
		if p == nil {
			p = &person{decile: -1}
			if v.HomeLAD != nil && *v.HomeLAD == s.LADCode {
				p.decile = 0
				if v.HomeDecile != nil {
					p.decile = *v.HomeDecile
				}
			}
			people[v.Person] = p
		}
		p.count += v.Count
		if byProv[v.Provider] == nil {
			byProv[v.Provider] = map[string]int{}
		}
		byProv[v.Provider][v.Person] += v.Count
	}
	var all, allRegular int
	var dec, decRegular [11]int
	s.AttendeesElsewhere = 0
	for _, p := range people {
		regular := p.count >= RegularVisits
		all++
		if regular {
			allRegular++
		}
		if p.decile < 0 {
			s.AttendeesElsewhere++
			continue
		}
		dec[p.decile]++
		if regular {
			decRegular[p.decile]++
		}
	}
	s.SetAttendance(all, allRegular)
	for d := range s.ReachByDecile {
		s.ReachByDecile[d] = attendance(dec[d], decRegular[d], s.ByDecile[d].YoungPeople)
	}
	s.ReachByProvider = make(map[Provider]Attendance, len(byProv))
	for prov, counts := range byProv {
		regular := 0
		for _, n := range counts {
			if n >= RegularVisits {
				regular++
			}
		}
		s.ReachByProvider[prov] = attendance(len(counts), regular, s.YoungPeople)
	}
}

func attendance(distinct, regular, young int) Attendance {
	return Attendance{Attendees12Months: distinct, RegularAttendees: regular, Reach: share(distinct, young),
		Participation: share(regular, young), MeetsREYS: young > 0 && share(distinct, young) >= REYSBenchmark}
}

// SetAttendance records the attendance figures: distinct attendees in the
// last 12 months and regular attendees, both within the summary's age band,
// and derives reach and participation from the young population.
func (s *Summary) SetAttendance(distinct, regular int) {
	s.Attendance = attendance(distinct, regular, s.YoungPeople)
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// tally adds up areas into Figures.
type tally struct {
	areas, areasCovered, young, covered, coveredN int
	access                                        float64 // Σ Young_i A_i
}

func (t *tally) add(a *AreaResult) {
	t.areas++
	t.young += a.Young
	t.access += float64(a.Young) * a.Access
	if a.Covered {
		t.areasCovered++
		t.covered += a.Young
	}
	if a.CoveredMinHours {
		t.coveredN += a.Young
	}
}

func (t *tally) figures() Figures {
	f := Figures{
		Areas: t.areas, AreasCovered: t.areasCovered, YoungPeople: t.young,
		YoungCovered: t.covered, YoungCoveredMinHours: t.coveredN,
		CoveredShare: share(t.covered, t.young), CoveredMinHoursShare: share(t.coveredN, t.young),
	}
	if t.young > 0 {
		f.PlacesPer1000 = t.access / float64(t.young) * 1000
	}
	return f
}

type summaryTally struct {
	all  tally
	dec  [11]tally
	prov map[Provider]*tally
}

func (s *summaryTally) add(a *AreaResult) {
	s.all.add(a)
	s.dec[a.IMDDecile].add(a)
	if a.NearestID == "" {
		return
	}
	p := s.prov[a.NearestProvider]
	if p == nil {
		if s.prov == nil {
			s.prov = make(map[Provider]*tally, len(Providers))
		}
		p = &tally{}
		s.prov[a.NearestProvider] = p
	}
	p.add(a)
}

func (s *summaryTally) summary(lad, name string) Summary {
	out := Summary{LADCode: lad, LADName: name, Figures: s.all.figures(), ByProvider: make(map[Provider]Figures, len(s.prov))}
	for d := range s.dec {
		out.ByDecile[d] = s.dec[d].figures()
	}
	for p, t := range s.prov {
		out.ByProvider[p] = t.figures()
	}
	return out
}

// summarise fills Councils and Total from Areas, adding areas in order so
// that the float sums do not depend on anything but the input.
func (r *Result) summarise() {
	e := r.engine
	councils := make([]summaryTally, len(e.lads))
	var total summaryTally
	for i := range r.Areas {
		a := &r.Areas[i]
		councils[e.ladOf[i]].add(a)
		total.add(a)
	}
	r.Councils = make([]Summary, len(e.lads))
	for k := range councils {
		r.Councils[k] = councils[k].summary(e.lads[k], e.ladNames[k])
	}
	r.Total = total.summary("", "")
}
