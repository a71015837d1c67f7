package api_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"youthhub/internal/opendata"
)

// rpdeBody is a page of an RPDE feed.
type rpdeBody struct {
	Next    string     `json:"next"`
	License string     `json:"license"`
	Items   []rpdeItem `json:"items"`
}

type rpdeItem struct {
	State    string         `json:"state"`
	Kind     string         `json:"kind"`
	ID       string         `json:"id"`
	Modified int64          `json:"modified"`
	Data     map[string]any `json:"data"`
}

const testBase = "https://youthhub.test"

// feedPage fetches one page (a path, or a next URL) and checks the RPDE
// rules that hold for every page: next is absolute and carries the last
// item's position, or is the page itself when there are no items; the
// cache lifetime follows; anyone may read it.
func (h *H) feedPage(pathOrURL string) (rpdeBody, Res) {
	h.t.Helper()
	path := strings.TrimPrefix(pathOrURL, testBase)
	res := h.Do(Req{Method: "GET", Path: path}).Want(h.t, 200)
	var b rpdeBody
	res.JSON(h.t, &b)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		h.t.Fatalf("%s: Content-Type %q", path, ct)
	}
	if res.Header.Get("Access-Control-Allow-Origin") != "*" {
		h.t.Fatalf("%s: not readable from other origins", path)
	}
	if b.License != opendata.License {
		h.t.Fatalf("%s: license %q", path, b.License)
	}
	if len(b.Items) == 0 {
		if b.Next != testBase+path {
			h.t.Fatalf("last page %s: next %q is not itself", path, b.Next)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=8" {
			h.t.Fatalf("last page %s: Cache-Control %q", path, cc)
		}
		return b, res
	}
	last := b.Items[len(b.Items)-1]
	u, err := url.Parse(b.Next)
	if err != nil || u.Scheme != "https" || u.Host != "youthhub.test" {
		h.t.Fatalf("%s: next %q is not an absolute URL of the site", path, b.Next)
	}
	if u.Query().Get("afterTimestamp") != fmt.Sprint(last.Modified) || u.Query().Get("afterId") != last.ID {
		h.t.Fatalf("%s: next %q does not start after the last item (%d, %s)", path, b.Next, last.Modified, last.ID)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=3600" {
		h.t.Fatalf("%s: Cache-Control %q on a page with items", path, cc)
	}
	return b, res
}

// harvest follows next from start to the last page and returns every item
// in order and the last page's URL. Within the harvest, items are strictly
// ordered by (modified, id).
func (h *H) harvest(start string) ([]rpdeItem, string) {
	h.t.Helper()
	var all []rpdeItem
	next := start
	for range 1000 {
		page, _ := h.feedPage(next)
		if len(page.Items) == 0 {
			return all, next
		}
		for _, it := range page.Items {
			if n := len(all); n > 0 && !before(all[n-1], it) {
				h.t.Fatalf("items out of order: (%d, %s) then (%d, %s)", all[n-1].Modified, all[n-1].ID, it.Modified, it.ID)
			}
			all = append(all, it)
		}
		next = page.Next
	}
	h.t.Fatal("the feed never ends")
	return nil, ""
}

// before reports whether a comes strictly before b in (modified, id) order.
func before(a, b rpdeItem) bool {
	return a.Modified < b.Modified || (a.Modified == b.Modified && a.ID < b.ID)
}

// eventually retries check until it passes: a change shows in a feed once
// every older write transaction in the cluster has ended, and tests of other
// packages share the cluster.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// latest keeps the last version of each item of a harvest.
func latest(items []rpdeItem) map[string]rpdeItem {
	out := map[string]rpdeItem{}
	for _, it := range items {
		out[it.ID] = it
	}
	return out
}

// TestOpenActiveFeedsPageAndFollowChanges: two series page one item at a
// time, in (modified, id) order, to a last page that names itself; an edit
// moves a series to the end of its feed; a booking, a cancellation and a
// removal from the timetable each move an occurrence to the end of the
// other feed, as updated (places left, cancelled) or deleted.
func TestOpenActiveFeedsPageAndFollowChanges(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.Now.Set(londonTime("2027-03-20 09:00"))
	manager := h.Login("manager.a@example.test")
	football := h.createSeries(manager, seriesBody(h.F.CentreA, map[string]any{"first_date": "2027-03-23", "last_date": "2027-04-27"}))
	dance := h.createSeries(manager, seriesBody(h.F.CentreA, map[string]any{"title": "Street dance", "category": "arts", "booking_mode": "drop_in",
		"days": []string{"monday", "wednesday"}, "first_date": "2027-03-22", "last_date": "2027-04-07", "start_time": "19:00", "duration_minutes": 60}))
	footballSlots, danceSlots := h.slots(manager, football, ""), h.slots(manager, dance, "")

	// The series feed, one item a page.
	var series []rpdeItem
	eventually(t, "both series in the feed", func() bool {
		series, _ = h.harvest(opendata.SessionSeriesFeedPath + "?limit=1")
		return len(series) == 2
	})
	ids := []string{series[0].ID, series[1].ID}
	if !slices.Contains(ids, football) || !slices.Contains(ids, dance) {
		t.Fatalf("feed ids %v, want %s and %s", ids, football, dance)
	}
	first, _ := h.feedPage(opendata.SessionSeriesFeedPath + "?limit=1")
	if len(first.Items) != 1 || first.Items[0].ID != series[0].ID {
		t.Fatalf("first page: %+v", first.Items)
	}
	second, _ := h.feedPage(first.Next)
	if len(second.Items) != 1 || second.Items[0].ID != series[1].ID {
		t.Fatalf("second page (%s): %+v", first.Next, second.Items)
	}
	_, end := h.harvest(second.Next)

	// An edit moves the series to the end of the feed.
	h.Do(Req{Method: "PATCH", Path: "/api/v1/series/" + football, Token: manager, Body: map[string]any{"title": "Tuesday five-a-side"}}).Want(t, 200)
	eventually(t, "the edited series after the last page", func() bool {
		after, _ := h.harvest(end)
		return len(after) == 1 && after[0].ID == football && after[0].Data["name"] == "Tuesday five-a-side"
	})
	all, _ := h.harvest(opendata.SessionSeriesFeedPath)
	if len(all) != 2 || all[0].ID != dance || all[1].ID != football {
		t.Fatalf("after the edit the feed is %v, want dance then football, each once", []string{all[0].ID, all[len(all)-1].ID})
	}

	// The sessions feed has every occurrence once.
	var sessions []rpdeItem
	want := len(footballSlots) + len(danceSlots)
	eventually(t, "every occurrence in the feed", func() bool {
		sessions, _ = h.harvest(opendata.ScheduledSessionFeedPath + "?limit=5")
		return len(sessions) == want
	})
	if len(latest(sessions)) != want {
		t.Fatalf("%d items for %d occurrences", len(sessions), want)
	}
	for _, it := range sessions {
		parent := map[bool]string{true: football, false: dance}[slices.ContainsFunc(footballSlots, func(s slotItem) bool { return s.ID == it.ID })]
		if it.Kind != "ScheduledSession" || it.State != "updated" || it.Data["superEvent"] != testBase+"/openactive/session-series/"+parent {
			t.Fatalf("session item: %+v", it)
		}
	}
	_, end = h.harvest(opendata.ScheduledSessionFeedPath + "?limit=5")

	// A booking, a cancellation and a removal each move an occurrence to the end.
	booked, cancelled := footballSlots[0].ID, footballSlots[1].ID
	h.Now.Set(londonTime("2027-03-21 09:00"))
	h.book(h.Login("young@example.test"), booked).Want(t, 201)
	manager = h.Login("manager.a@example.test")
	h.Do(Req{Method: "POST", Path: "/api/v1/occurrences/" + cancelled + "/cancel", Token: manager, Body: map[string]any{"reason": "The hall is flooded"}}).Want(t, 200)
	removed := danceSlots[len(danceSlots)-1]
	h.Do(Req{Method: "PATCH", Path: "/api/v1/series/" + dance, Token: manager,
		Body: map[string]any{"exceptions": []string{removed.StartsAt[:10]}}}).Want(t, 200)
	var changed map[string]rpdeItem
	eventually(t, "the booking, the cancellation and the removal after the last page", func() bool {
		after, _ := h.harvest(end)
		changed = latest(after)
		return len(changed) == 3
	})
	if it := changed[booked]; it.State != "updated" || it.Data["remainingAttendeeCapacity"] != 23.0 || it.Data["maximumAttendeeCapacity"] != 24.0 ||
		it.Data["eventStatus"] != "https://schema.org/EventScheduled" {
		t.Fatalf("booked session: %+v", it)
	}
	if it := changed[cancelled]; it.State != "updated" || it.Data["eventStatus"] != "https://schema.org/EventCancelled" || it.Data["remainingAttendeeCapacity"] != 0.0 {
		t.Fatalf("cancelled session: %+v", it)
	}
	if it := changed[removed.ID]; it.State != "deleted" || it.Kind != "ScheduledSession" || it.Data != nil {
		t.Fatalf("removed session: %+v", it)
	}
	// A fresh harvest still has each occurrence once, in its latest state.
	sessions, _ = h.harvest(opendata.ScheduledSessionFeedPath + "?limit=7")
	if len(sessions) != want {
		t.Fatalf("fresh harvest: %d items, want %d", len(sessions), want)
	}
	for _, it := range sessions[want-3:] {
		if _, ok := changed[it.ID]; !ok {
			t.Fatalf("fresh harvest: %s is among the last three, not a changed session", it.ID)
		}
	}
	for _, it := range sessions {
		if _, drop := it.Data["maximumAttendeeCapacity"]; slices.ContainsFunc(danceSlots, func(s slotItem) bool { return s.ID == it.ID }) && drop {
			t.Fatalf("a drop-in session has places: %+v", it.Data)
		}
	}
}

// TestOpenActiveItemsHaveTheModelsProperties checks items against the
// Modelling Opportunity Data 2.0 models (required fields of Event,
// SessionSeries, ScheduledSession, Place, Concept, Offer, Organization and
// PartialSchedule), and that nothing personal is published.
func TestOpenActiveItemsHaveTheModelsProperties(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.Now.Set(londonTime("2027-03-20 09:00"))
	if _, err := h.DB.Exec(`UPDATE centres SET address = 'St Hildas Road, Old Trafford', postcode = 'M16 9PQ', phone = '0161 000 0000',
		opening_hours = '[{"day":"tuesday","opens":"17:00","closes":"21:00"},{"day":"thursday","opens":"17:00","closes":"21:00"}]' WHERE id = $1`, h.F.CentreA); err != nil {
		t.Fatal(err)
	}
	manager := h.Login("manager.a@example.test")
	football := h.createSeries(manager, seriesBody(h.F.CentreA, map[string]any{"first_date": "2027-03-23"}))
	h.createSeries(manager, seriesBody(h.F.CentreA, map[string]any{"title": "Beats and bars", "category": "music", "first_date": "2027-03-24", "days": []string{"wednesday"}}))

	var series, sessions []rpdeItem
	eventually(t, "the series and their sessions in the feeds", func() bool {
		series, _ = h.harvest(opendata.SessionSeriesFeedPath)
		sessions, _ = h.harvest(opendata.ScheduledSessionFeedPath)
		return len(series) == 2 && len(sessions) > 2
	})
	for _, it := range series {
		d := it.Data
		has(t, d, "@context", "@type", "@id", "identifier", "url", "name", "location", "activity", "organizer", "eventSchedule", "ageRange", "offers")
		if d["@context"] != "https://openactive.io/" || d["@type"] != "SessionSeries" || d["identifier"] != it.ID {
			t.Fatalf("series: %v", d)
		}
		loc := d["location"].(map[string]any)
		has(t, loc, "@type", "name", "address", "geo")
		has(t, loc["geo"].(map[string]any), "@type", "latitude", "longitude")
		for _, a := range d["activity"].([]any) {
			has(t, a.(map[string]any), "@type", "@id", "prefLabel", "inScheme")
		}
		for _, o := range d["offers"].([]any) {
			has(t, o.(map[string]any), "@type", "price", "priceCurrency")
		}
		has(t, d["organizer"].(map[string]any), "@type", "@id", "name")
		for _, s := range d["eventSchedule"].([]any) {
			has(t, s.(map[string]any), "@type", "repeatFrequency", "byDay", "startTime", "endTime", "scheduleTimezone", "startDate")
		}
		age := d["ageRange"].(map[string]any)
		if age["@type"] != "QuantitativeValue" || age["minValue"] != 11.0 || age["maxValue"] != 16.0 {
			t.Fatalf("ageRange: %v", age)
		}
		if d["isAccessibleForFree"] != true || d["genderRestriction"] != "https://openactive.io/NoRestriction" {
			t.Fatalf("series: %v", d)
		}
	}
	byID := latest(series)
	fb := byID[football].Data
	act := fb["activity"].([]any)[0].(map[string]any)
	if act["@id"] != "https://openactive.io/activity-list#0a5f732d-e806-4e51-ad40-0a7de0239c8c" || act["prefLabel"] != "Football" ||
		act["inScheme"] != "https://openactive.io/activity-list" {
		t.Fatalf("Tuesday football's activity: %v", act)
	}
	support := fmt.Sprint(fb["accessibilitySupport"])
	if !strings.Contains(support, "Physical impairment") || !strings.Contains(support, "Hearing impairment") {
		t.Fatalf("a step-free centre with a hearing loop: %v", fb["accessibilitySupport"])
	}
	loc := fb["location"].(map[string]any)
	addr := loc["address"].(map[string]any)
	if addr["streetAddress"] != "St Hildas Road" || addr["addressLocality"] != "Old Trafford" || addr["postalCode"] != "M16 9PQ" ||
		addr["addressRegion"] != "Trafford" || addr["addressCountry"] != "GB" || loc["telephone"] != "0161 000 0000" {
		t.Fatalf("place: %v", loc)
	}
	hours := fmt.Sprint(loc["openingHoursSpecification"])
	if !strings.Contains(hours, "https://schema.org/Tuesday https://schema.org/Thursday") || !strings.Contains(hours, "opens:17:00") {
		t.Fatalf("opening hours: %v", hours)
	}
	sched := fb["eventSchedule"].([]any)[0].(map[string]any)
	if fmt.Sprint(sched["byDay"]) != "[https://schema.org/Tuesday]" || sched["startTime"] != "18:00" || sched["endTime"] != "19:30" ||
		sched["duration"] != "PT1H30M" || sched["repeatFrequency"] != "P1W" || sched["startDate"] != "2027-03-23" {
		t.Fatalf("schedule: %v", sched)
	}
	for _, it := range series {
		if it.ID == football {
			continue
		}
		act := it.Data["activity"].([]any)[0].(map[string]any)
		if act["prefLabel"] != "Music" || act["inScheme"] != testBase+"/openactive/activity-list" {
			t.Fatalf("music session's activity: %v", act)
		}
	}
	list := h.Do(Req{Method: "GET", Path: opendata.ActivityListPath}).Want(t, 200)
	if !strings.Contains(string(list.Body), `"id":"`+testBase+`/openactive/activity-list#music"`) {
		t.Fatalf("the activity list lacks music: %s", list.Body)
	}

	for _, it := range sessions {
		d := it.Data
		has(t, d, "@context", "@type", "@id", "identifier", "superEvent", "startDate", "endDate", "eventStatus", "url", "duration",
			"maximumAttendeeCapacity", "remainingAttendeeCapacity")
		if d["@type"] != "ScheduledSession" {
			t.Fatalf("session: %v", d)
		}
	}
	first := latest(sessions)[h.slots(manager, football, "")[0].ID].Data
	if first["startDate"] != "2027-03-23T18:00:00Z" || first["endDate"] != "2027-03-23T19:30:00Z" {
		t.Fatalf("before the clocks change: %v to %v", first["startDate"], first["endDate"])
	}
	second := latest(sessions)[h.slots(manager, football, "")[1].ID].Data
	if second["startDate"] != "2027-03-30T18:00:00+01:00" {
		t.Fatalf("after the clocks change: %v", second["startDate"])
	}

	// Nothing personal: no e-mail address, no name, no bookings.
	for _, path := range []string{opendata.SessionSeriesFeedPath, opendata.ScheduledSessionFeedPath} {
		body := string(h.Do(Req{Method: "GET", Path: path}).Want(t, 200).Body)
		for _, leak := range []string{"@example.test", "Tester", "young_person", "manager", "waitlist", "confirmed"} {
			if strings.Contains(body, leak) {
				t.Fatalf("%s publishes %q", path, leak)
			}
		}
	}
}

// has fails unless m has every key.
func has(t *testing.T, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Fatalf("%q missing from %v", k, m)
		}
	}
}

// TestFeedParametersAreChecked: a position needs both halves, well formed.
func TestFeedParametersAreChecked(t *testing.T) {
	t.Parallel()
	h := newH(t)
	for _, q := range []string{"afterTimestamp=12", "afterId=" + h.F.CentreA, "afterTimestamp=x&afterId=" + h.F.CentreA,
		"afterTimestamp=12&afterId=nope", "limit=0", "limit=501"} {
		for _, feed := range []string{opendata.SessionSeriesFeedPath, opendata.ScheduledSessionFeedPath} {
			h.Do(Req{Method: "GET", Path: feed + "?" + q, Raw: true}).Want(t, 422)
		}
	}
	// A position past the end is an empty last page.
	page, _ := h.feedPage(opendata.ScheduledSessionFeedPath + "?afterTimestamp=9223372036854775807&afterId=" + h.F.CentreA + "&limit=3")
	if len(page.Items) != 0 {
		t.Fatalf("items past the end: %+v", page.Items)
	}
}

// standards is the shared folder of offline copies of the open-data
// standards (../shared/data/standards beside the repository).
func standards(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "data", "standards")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("no offline copies of the standards at %s: the shared folder sits beside the repository, in CI too", dir)
	}
	return dir
}

// orukSchemas compiles the Open Referral UK validator's JSON schemas (the
// ones its service checks APIs against), Draft 2020-12 with formats asserted.
func orukSchemas(t *testing.T, names ...string) map[string]*jsonschema.Schema {
	t.Helper()
	dir := filepath.Join(standards(t), "openreferral-uk", "oruk-validator-v3.0-uk")
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	out := map[string]*jsonschema.Schema{}
	for _, n := range names {
		s, err := c.Compile(filepath.Join(dir, n+".json"))
		if err != nil {
			t.Fatalf("schema %s: %v", n, err)
		}
		out[n] = s
	}
	return out
}

// validate checks a response body against a schema.
func validate(t *testing.T, s *jsonschema.Schema, what string, body []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(v); err != nil {
		t.Fatalf("%s does not match the Open Referral UK schema: %v\n%s", what, err, body)
	}
}

// TestOpenReferralMatchesTheUKProfile: every Open Referral answer passes the
// Open Referral UK validator's schema for it, pages add up, filters filter,
// and a service carries its council, place, accessibility and hours.
func TestOpenReferralMatchesTheUKProfile(t *testing.T) {
	t.Parallel()
	h := newH(t)
	schemas := orukSchemas(t, "api_details", "service", "service_list", "service_at_location", "service_at_location_list")
	h.Now.Set(londonTime("2027-03-20 09:00"))
	if _, err := h.DB.Exec(`UPDATE centres SET address = 'St Hildas Road, Old Trafford', postcode = 'M16 9PQ', email = 'otyc@example.org',
		opening_hours = '[{"day":"monday","opens":"17:00","closes":"21:00"},{"day":"wednesday","opens":"17:00","closes":"21:00"},{"day":"saturday","opens":"10:00","closes":"14:00"}]'
		WHERE id = $1`, h.F.CentreA); err != nil {
		t.Fatal(err)
	}
	manager := h.Login("manager.a@example.test")
	h.createSeries(manager, seriesBody(h.F.CentreA, map[string]any{"first_date": "2027-03-23"}))
	h.createSeries(manager, seriesBody(h.F.CentreA, map[string]any{"title": "Art club", "category": "arts", "age_min": 13, "age_max": 18, "first_date": "2027-03-24", "days": []string{"wednesday"}}))

	res := h.Do(Req{Method: "GET", Path: "/openreferral"}).Want(t, 200)
	validate(t, schemas["api_details"], "GET /openreferral", res.Body)

	res = h.Do(Req{Method: "GET", Path: "/openreferral/services"}).Want(t, 200)
	validate(t, schemas["service_list"], "GET /openreferral/services", res.Body)
	var list struct {
		TotalItems int              `json:"total_items"`
		TotalPages int              `json:"total_pages"`
		PageNumber int              `json:"page_number"`
		Size       int              `json:"size"`
		FirstPage  bool             `json:"first_page"`
		LastPage   bool             `json:"last_page"`
		Empty      bool             `json:"empty"`
		Contents   []map[string]any `json:"contents"`
	}
	res.JSON(t, &list)
	if list.TotalItems != 2 || list.TotalPages != 1 || list.PageNumber != 1 || list.Size != 2 || !list.FirstPage || !list.LastPage || list.Empty {
		t.Fatalf("page: %+v", list)
	}
	if res.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.HasPrefix(res.Header.Get("Cache-Control"), "public") {
		t.Fatalf("headers: %v", res.Header)
	}
	var otyc map[string]any
	for _, s := range list.Contents {
		if s["id"] == h.F.CentreA {
			otyc = s
		}
	}
	if otyc == nil || otyc["name"] != "Youth service at Old Trafford Youth Centre" || otyc["status"] != "active" ||
		otyc["minimum_age"] != 11.0 || otyc["maximum_age"] != 18.0 || otyc["organization_id"] != h.F.CouncilA || otyc["email"] != "otyc@example.org" {
		t.Fatalf("service: %v", otyc)
	}
	if org := otyc["organization"].(map[string]any); org["name"] != "Trafford Council" {
		t.Fatalf("organisation: %v", org)
	}

	res = h.Do(Req{Method: "GET", Path: "/openreferral/services/" + h.F.CentreA}).Want(t, 200)
	validate(t, schemas["service"], "GET /openreferral/services/{id}", res.Body)
	var full struct {
		Schedules          []map[string]any `json:"schedules"`
		ServiceAtLocations []struct {
			ID         string `json:"id"`
			LocationID string `json:"location_id"`
			Location   struct {
				ID            string           `json:"id"`
				Latitude      float64          `json:"latitude"`
				Addresses     []map[string]any `json:"addresses"`
				Accessibility []map[string]any `json:"accessibility"`
			} `json:"location"`
		} `json:"service_at_locations"`
		CostOptions []map[string]any `json:"cost_options"`
		Attributes  []struct {
			TaxonomyTerm map[string]any `json:"taxonomy_term"`
		} `json:"attributes"`
	}
	res.JSON(t, &full)
	if len(full.ServiceAtLocations) != 1 || full.ServiceAtLocations[0].Location.Latitude != 53.4584 {
		t.Fatalf("locations: %+v", full.ServiceAtLocations)
	}
	sal := full.ServiceAtLocations[0]
	addr := sal.Location.Addresses[0]
	if addr["address_1"] != "St Hildas Road" || addr["city"] != "Old Trafford" || addr["postal_code"] != "M16 9PQ" || addr["country"] != "GB" {
		t.Fatalf("address: %v", addr)
	}
	var access []string
	for _, a := range sal.Location.Accessibility {
		if a["location_id"] != sal.LocationID {
			t.Fatalf("accessibility of another location: %v", a)
		}
		access = append(access, a["description"].(string))
	}
	if !slices.Equal(access, []string{"Step-free access", "Hearing loop"}) {
		t.Fatalf("accessibility: %v", access)
	}
	// Opening hours: Monday and Wednesday 17:00–21:00, Saturday 10:00–14:00,
	// for GMT until the clocks change on 28 March 2027 and for BST after.
	var got []string
	for _, s := range full.Schedules {
		got = append(got, fmt.Sprintf("%s %s-%s %s..%s", s["byday"], s["opens_at"], s["closes_at"], s["valid_from"], s["valid_to"]))
	}
	wantHours := []string{
		"MO,WE 17:00Z-21:00Z 2027-03-20..2027-03-27", "SA 10:00Z-14:00Z 2027-03-20..2027-03-27",
		"MO,WE 17:00+01:00-21:00+01:00 2027-03-28..2027-10-30", "SA 10:00+01:00-14:00+01:00 2027-03-28..2027-10-30",
	}
	if !slices.Equal(got, wantHours) {
		t.Fatalf("schedules:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantHours, "\n"))
	}
	if len(full.CostOptions) != 1 || full.CostOptions[0]["amount"] != 0.0 {
		t.Fatalf("cost: %v", full.CostOptions)
	}
	var terms []string
	for _, a := range full.Attributes {
		terms = append(terms, a.TaxonomyTerm["name"].(string))
	}
	if !slices.Equal(terms, []string{"Sport", "Arts and crafts", "council"}) {
		t.Fatalf("attributes: %v", terms)
	}

	res = h.Do(Req{Method: "GET", Path: "/openreferral/service_at_locations?per_page=1"}).Want(t, 200)
	validate(t, schemas["service_at_location_list"], "GET /openreferral/service_at_locations", res.Body)
	res.JSON(t, &list)
	if list.TotalItems != 2 || list.TotalPages != 2 || list.Size != 1 || !list.FirstPage || list.LastPage {
		t.Fatalf("page 1 of 2: %+v", list)
	}
	res = h.Do(Req{Method: "GET", Path: "/openreferral/service_at_locations/" + sal.ID}).Want(t, 200)
	validate(t, schemas["service_at_location"], "GET /openreferral/service_at_locations/{id}", res.Body)
	var one map[string]any
	res.JSON(t, &one)
	if one["service_id"] != h.F.CentreA || one["location_id"] != sal.LocationID || one["service"].(map[string]any)["id"] != h.F.CentreA {
		t.Fatalf("service at location: %v", one)
	}

	// Filters and pages.
	count := func(q string) int {
		t.Helper()
		var p struct {
			TotalItems int `json:"total_items"`
		}
		h.Do(Req{Method: "GET", Path: "/openreferral/services?" + q}).Want(t, 200).JSON(t, &p)
		return p.TotalItems
	}
	for q, want := range map[string]int{
		"search=old+trafford": 1, "search=Manchester": 1, "search=%25": 0, "minimum_age=11": 1, "minimum_age=12": 0,
		"maximum_age=18": 1, "maximum_age=17": 0, "taxonomy_term_id=" + opendata.ActivityTermID("arts"): 1,
		"taxonomy_term_id=" + opendata.ActivityTermID("music"): 0, "page=3": 2,
	} {
		if got := count(q); got != want {
			t.Errorf("%s: %d services, want %d", q, got, want)
		}
	}
	res = h.Do(Req{Method: "GET", Path: "/openreferral/services?page=3"}).Want(t, 200)
	validate(t, schemas["service_list"], "an empty page", res.Body)
	for _, p := range []string{"/openreferral/services/" + sal.ID, "/openreferral/services/nope", "/openreferral/service_at_locations/" + h.F.CentreB,
		"/openreferral/service_at_locations/nope"} {
		h.Do(Req{Method: "GET", Path: p}).Want(t, 404)
	}
	for _, q := range []string{"page=0", "page=1000001", "per_page=501", "minimum_age=old"} {
		h.Do(Req{Method: "GET", Path: "/openreferral/services?" + q, Raw: true}).Want(t, 422)
	}
	body := string(h.Do(Req{Method: "GET", Path: "/openreferral/services/" + h.F.CentreA}).Want(t, 200).Body)
	for _, leak := range []string{"@example.test", "Tester"} {
		if strings.Contains(body, leak) {
			t.Fatalf("the service publishes %q", leak)
		}
	}
}
