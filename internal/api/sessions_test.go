package api_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"youthhub/internal/schedule"
)

// sessionItem is an item of GET /api/v1/sessions.
type sessionItem struct {
	ID             string   `json:"id"`
	SeriesID       string   `json:"series_id"`
	CentreID       string   `json:"centre_id"`
	CentreName     string   `json:"centre_name"`
	Title          string   `json:"title"`
	StartsAt       string   `json:"starts_at"`
	EndsAt         string   `json:"ends_at"`
	Capacity       int      `json:"capacity"`
	SpacesLeft     *int     `json:"spaces_left"`
	WaitlistLength int      `json:"waitlist_length"`
	Status         string   `json:"status"`
	DistanceKm     *float64 `json:"distance_km"`
}

// slotItem is an item of GET /api/v1/series/{id}/occurrences.
type slotItem struct {
	ID             string  `json:"id"`
	StartsAt       string  `json:"starts_at"`
	Capacity       int     `json:"capacity"`
	ConfirmedCount int     `json:"confirmed_count"`
	WaitlistLength int     `json:"waitlist_length"`
	Status         string  `json:"status"`
	Reason         *string `json:"cancelled_reason"`
}

// londonTime is a Europe/London wall-clock time.
func londonTime(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, schedule.London())
	if err != nil {
		panic(err)
	}
	return t
}

// seriesBody is a valid POST /api/v1/series body; over replaces fields.
func seriesBody(centreID string, over map[string]any) map[string]any {
	b := map[string]any{"centre_id": centreID, "title": "Tuesday football", "description": "Five-a-side on the 3G pitch.",
		"what_to_bring": "Trainers and a water bottle", "category": "sport", "age_min": 11, "age_max": 16, "booking_mode": "bookable",
		"capacity": 24, "days": []string{"tuesday"}, "start_time": "18:00", "duration_minutes": 90, "first_date": "2027-06-01"}
	for k, v := range over {
		b[k] = v
	}
	return b
}

// createSeries posts a series as token and returns its id.
func (h *H) createSeries(token string, body map[string]any) string {
	h.t.Helper()
	var out struct {
		ID string `json:"id"`
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/series", Token: token, Body: body}).Want(h.t, 201).JSON(h.t, &out)
	return out.ID
}

func (h *H) slots(token, seriesID, query string) []slotItem {
	h.t.Helper()
	var out struct {
		Items []slotItem `json:"items"`
		Total int        `json:"total"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/series/" + seriesID + "/occurrences?limit=200" + query, Token: token}).Want(h.t, 200).JSON(h.t, &out)
	if out.Total != len(out.Items) {
		h.t.Fatalf("total %d, items %d", out.Total, len(out.Items))
	}
	return out.Items
}

func (h *H) sessions(query string) ([]sessionItem, int) {
	h.t.Helper()
	var out struct {
		Items []sessionItem `json:"items"`
		Total int           `json:"total"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions?" + query}).Want(h.t, 200).JSON(h.t, &out)
	return out.Items, out.Total
}

// centre adds an open centre to a council.
func (h *H) centre(council, name string, lat, lon float64, provider, features string) string {
	h.t.Helper()
	var id string
	if err := h.DB.Get(&id, `INSERT INTO centres (council_id, name, lat, lon, provider_type, access_features, status)
		VALUES ($1, $2, $3, $4, $5, $6::text[], 'open') RETURNING id`, council, name, lat, lon, provider, features); err != nil {
		h.t.Fatal(err)
	}
	return id
}

// postcodes stores a few postcodes (real Trafford points) in the test database.
func (h *H) postcodes() {
	h.t.Helper()
	if _, err := h.DB.Exec(`INSERT INTO postcodes (postcode, lat, lon) VALUES
		('M32 0JG', 53.45551, -2.30250), ('M16 9PQ', 53.46061, -2.27311), ('M31 4FA', 53.41607, -2.42165)`); err != nil {
		h.t.Fatal(err)
	}
}

func TestSeriesKeepTheirLocalTimeAcrossTheClockChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		now        string
		firstDate  string
		exceptions []string
		want       map[string]string // local date → UTC start
		absent     []string
	}{
		{
			name: "spring forward, 28 March 2027", now: "2027-03-01 12:00", firstDate: "2027-03-02", exceptions: []string{"2027-03-16"},
			want: map[string]string{
				"2027-03-09": "2027-03-09T18:00:00Z", "2027-03-23": "2027-03-23T18:00:00Z",
				"2027-03-30": "2027-03-30T17:00:00Z", "2027-04-06": "2027-04-06T17:00:00Z",
			},
			absent: []string{"2027-03-16"},
		},
		{
			name: "fall back, 31 October 2027", now: "2027-10-01 12:00", firstDate: "2027-10-05", exceptions: []string{"2027-10-26"},
			want: map[string]string{
				"2027-10-19": "2027-10-19T17:00:00Z", "2027-11-02": "2027-11-02T18:00:00Z", "2027-12-21": "2027-12-21T18:00:00Z",
			},
			absent: []string{"2027-10-26"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newH(t)
			h.Now.Set(londonTime(tc.now))
			manager := h.Login("manager.a@example.test")
			id := h.createSeries(manager, seriesBody(h.F.CentreA, map[string]any{"first_date": tc.firstDate, "exceptions": tc.exceptions}))
			got := map[string]string{}
			for _, s := range h.slots(manager, id, "") {
				at, err := time.Parse(time.RFC3339, s.StartsAt)
				if err != nil {
					t.Fatal(err)
				}
				if local := at.In(schedule.London()).Format("15:04"); local != "18:00" {
					t.Errorf("%s starts at %s local, want 18:00", s.StartsAt, local)
				}
				if !strings.HasSuffix(s.StartsAt, "+01:00") && !strings.HasSuffix(s.StartsAt, "Z") {
					t.Errorf("%s is not given with its London offset", s.StartsAt)
				}
				got[at.In(schedule.London()).Format(time.DateOnly)] = at.UTC().Format(time.RFC3339)
			}
			if len(got) != 11 {
				t.Errorf("%d occurrences in the 12-week horizon less one exception, want 11: %v", len(got), got)
			}
			for day, utc := range tc.want {
				if got[day] != utc {
					t.Errorf("%s starts at %q UTC, want %s", day, got[day], utc)
				}
			}
			for _, day := range tc.absent {
				if _, ok := got[day]; ok {
					t.Errorf("%s is an exception but has an occurrence", day)
				}
			}
		})
	}
}

func TestFindSessionsNearAPostcode(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.postcodes()
	h.Now.Set(londonTime("2027-06-01 09:00")) // a Tuesday
	gorseHill := h.centre(h.F.CouncilA, "Gorse Hill Youth Centre", 53.45606, -2.29768, "council", "{}")
	partington := h.centre(h.F.CouncilA, "Partington Youth Centre", 53.41607, -2.42165, "council", "{}")
	managerA, managerB := h.Login("manager.a@example.test"), h.Login("manager.b@example.test")
	h.createSeries(managerA, seriesBody(h.F.CentreA, nil))
	h.createSeries(managerA, seriesBody(gorseHill, map[string]any{"title": "Music studio", "category": "music", "days": []string{"wednesday"}}))
	h.createSeries(managerA, seriesBody(partington, map[string]any{"title": "Partington club"}))
	h.createSeries(managerB, seriesBody(h.F.CentreB, map[string]any{"title": "Moss Side club", "days": []string{"monday"}}))

	items, total := h.sessions("postcode=m320jg")
	if total != 6 || len(items) != 6 {
		t.Fatalf("%d sessions within 5 km in 14 days, want 6 (2 each at 3 centres): %+v", total, items)
	}
	order := []string{}
	for i, it := range items {
		if it.DistanceKm == nil {
			t.Fatalf("item %d has no distance_km", i)
		}
		if *it.DistanceKm*10 != float64(int(*it.DistanceKm*10+0.5)) {
			t.Errorf("distance %v is not rounded to 0.1 km", *it.DistanceKm)
		}
		if i > 0 && (*it.DistanceKm < *items[i-1].DistanceKm || (*it.DistanceKm == *items[i-1].DistanceKm && it.StartsAt < items[i-1].StartsAt)) {
			t.Errorf("not sorted by distance then start: %+v before %+v", items[i-1], it)
		}
		if len(order) == 0 || order[len(order)-1] != it.CentreName {
			order = append(order, it.CentreName)
		}
	}
	if strings.Join(order, ", ") != "Gorse Hill Youth Centre, Old Trafford Youth Centre, Moss Side Youth Club" {
		t.Fatalf("centres by distance: %v", order)
	}
	if d := *items[0].DistanceKm; d < 0.1 || d > 0.5 {
		t.Errorf("Gorse Hill is %v km from M32 0JG, want about 0.3", d)
	}
	if items[0].StartsAt != "2027-06-02T18:00:00+01:00" || items[0].EndsAt != "2027-06-02T19:30:00+01:00" {
		t.Errorf("times %s–%s, want RFC 3339 with the London offset", items[0].StartsAt, items[0].EndsAt)
	}

	// Where the search looked: the postcode itself.
	var near struct {
		Near map[string]any `json:"near"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions?postcode=m320jg"}).Want(t, 200).JSON(t, &near)
	if near.Near["postcode"] != "M32 0JG" || near.Near["exact"] != true || near.Near["area"] != nil {
		t.Errorf("near: %v", near.Near)
	}
	// A postcode the directory does not hold (Lostock Youth Centre's, M32 9PL):
	// searched from the middle of its district's postcodes, and said so.
	if items, total := h.sessions("postcode=M32+9PL"); total != 6 || items[0].CentreName != "Gorse Hill Youth Centre" {
		t.Errorf("near M32 9PL: %d sessions, first %+v", total, items[0])
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions?postcode=M32+9PL"}).Want(t, 200).JSON(t, &near)
	if near.Near["postcode"] != "M32 9PL" || near.Near["exact"] != false || near.Near["area"] != "M32" {
		t.Errorf("near an unknown postcode: %v", near.Near)
	}
	// Without a postcode there is no near.
	near.Near = nil
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions?lat=53.45551&lon=-2.30250"}).Want(t, 200).JSON(t, &near)
	if near.Near != nil {
		t.Errorf("near without a postcode: %v", near.Near)
	}

	// A wider radius reaches Partington (about 8 km); lat and lon work like a postcode.
	if _, total := h.sessions("postcode=M32%200JG&radius_km=10"); total != 8 {
		t.Errorf("within 10 km: %d, want 8", total)
	}
	if _, total := h.sessions("lat=53.45551&lon=-2.30250&radius_km=1"); total != 2 {
		t.Errorf("within 1 km of a point: %d, want 2 (Gorse Hill)", total)
	}
	// No place: every session, soonest first, without distances.
	all, total := h.sessions("")
	if total != 8 {
		t.Errorf("unplaced search: %d sessions, want 8", total)
	}
	for i, it := range all {
		if it.DistanceKm != nil {
			t.Errorf("item %d has distance_km without a place", i)
		}
		if i > 0 && it.StartsAt < all[i-1].StartsAt {
			t.Errorf("not sorted by start: %s before %s", all[i-1].StartsAt, it.StartsAt)
		}
	}
	page, total := h.sessions("limit=3&offset=6")
	if total != 8 || len(page) != 2 {
		t.Errorf("page 3 of 3: %d items of %d", len(page), total)
	}
	if _, total := h.sessions("from=2027-06-07&to=2027-06-08"); total != 3 {
		t.Errorf("sessions on 7 and 8 June: %d, want 3 (Moss Side on Monday, two on Tuesday)", total)
	}
	if _, total := h.sessions("from=" + url.QueryEscape("2027-06-08T18:00:00+01:00") + "&to=" + url.QueryEscape("2027-06-08T18:00:01+01:00")); total != 2 {
		t.Errorf("sessions starting at 18:00 BST on 8 June: %d, want 2", total)
	}

	tests := []struct {
		query, field, message string
	}{
		{"postcode=NOT+A+CODE", "postcode", "Enter a real UK postcode, like M32 0JG"},
		{"postcode=zz99zz", "postcode", "We could not find postcode ZZ9 9ZZ. Check it and try again"},
		{"postcode=M32+0JG&lat=53.4&lon=-2.3", "postcode", "Give a postcode, or lat and lon, not both"},
		{"lat=53.4", "lon", "Lon must be a longitude in Great Britain, from -9 to 2"},
		{"postcode=M32+0JG&radius_km=51", "radius_km", "Radius must be a distance in kilometres, more than 0 and at most 50"},
		{"age=7", "age", "Age must be a whole number from 8 to 25"},
		{"from=yesterday", "from", "From must be a date like 2027-03-30 or a time like 2027-03-30T18:00:00+01:00"},
		{"from=2027-06-10&to=2027-06-09", "to", "To must be after from"},
		{"to=tomorrow", "to", "To must be a date like 2027-04-13 or a time like 2027-04-13T18:00:00+01:00"},
		{"category=parkour", "category", "Category must be one of: sport, arts, music, digital, cooking, advice_support, outdoor, send, other"},
		{"spaces_only=yes", "spaces_only", "spaces only must be true or false"},
		{"day=fri", "day", "Day must be one of: monday, tuesday, wednesday, thursday, friday, saturday, sunday"},
		{"centre_id=42", "centre_id", "centre id is not a valid id"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			res := h.Do(Req{Method: "GET", Path: "/api/v1/sessions?" + tc.query, Raw: true}).Want(t, 422)
			var p struct {
				Errors []struct{ Field, Message string } `json:"errors"`
			}
			res.JSON(t, &p)
			if len(p.Errors) != 1 || p.Errors[0].Field != tc.field || p.Errors[0].Message != tc.message {
				t.Fatalf("errors %+v, want %s: %q", p.Errors, tc.field, tc.message)
			}
		})
	}
}

func TestFindSessionsFilters(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.Now.Set(londonTime("2027-06-01 09:00"))
	managerA, managerB := h.Login("manager.a@example.test"), h.Login("manager.b@example.test")
	// Centre A: council-run, step-free with a hearing loop. Centre B: a charity, no access features.
	h.createSeries(managerA, seriesBody(h.F.CentreA, nil))
	music := h.createSeries(managerA, seriesBody(h.F.CentreA, map[string]any{"title": "Music studio", "category": "music", "age_min": 13, "age_max": 19,
		"capacity": 2, "days": []string{"wednesday"}, "last_date": "2027-06-02"}))
	h.createSeries(managerB, seriesBody(h.F.CentreB, map[string]any{"title": "Friday youth club", "category": "other", "age_min": 11, "age_max": 19,
		"booking_mode": "drop_in", "capacity": 40, "days": []string{"friday"}, "last_date": "2027-06-04"}))
	h.createSeries(managerB, seriesBody(h.F.CentreB, map[string]any{"title": "SEND social", "category": "send", "age_min": 11, "age_max": 25,
		"staff_ratio": 4, "capacity": 12, "days": []string{"thursday"}, "last_date": "2027-06-03"}))
	// The music studio is full.
	if _, err := h.DB.Exec(`UPDATE occurrences SET confirmed_count = 2, waitlist_count = 3 WHERE series_id = $1`, music); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"age=12", []string{"Tuesday football", "SEND social", "Friday youth club", "Tuesday football"}},
		{"age=18", []string{"Music studio", "SEND social", "Friday youth club"}},
		{"age=24", []string{"SEND social"}},
		{"category=music", []string{"Music studio"}},
		{"access_feature=step_free&access_feature=hearing_loop", []string{"Tuesday football", "Music studio", "Tuesday football"}},
		{"access_feature=quiet_space", nil},
		{"provider_type=charity", []string{"SEND social", "Friday youth club"}},
		{"spaces_only=true", []string{"Tuesday football", "SEND social", "Tuesday football"}},
		{"council_id=" + h.F.CouncilB, []string{"SEND social", "Friday youth club"}},
		{"centre_id=" + h.F.CentreA + "&category=sport", []string{"Tuesday football", "Tuesday football"}},
		{"age=14&spaces_only=true&provider_type=council", []string{"Tuesday football", "Tuesday football"}},
		{"day=friday", []string{"Friday youth club"}},
		{"day=wednesday&day=thursday", []string{"Music studio", "SEND social"}},
		{"day=tuesday&age=18", nil},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			items, total := h.sessions(tc.query)
			var got []string
			for _, it := range items {
				got = append(got, it.Title)
			}
			if total != len(tc.want) || !slices.Equal(got, tc.want) {
				t.Fatalf("got %v (total %d), want %v", got, total, tc.want)
			}
		})
	}
	items, _ := h.sessions("category=music")
	if it := items[0]; it.SpacesLeft == nil || *it.SpacesLeft != 0 || it.WaitlistLength != 3 {
		t.Errorf("a full session: spaces_left %v, waitlist %d", it.SpacesLeft, it.WaitlistLength)
	}
	items, _ = h.sessions("category=other")
	if items[0].SpacesLeft != nil {
		t.Errorf("a drop-in session has spaces_left %v, want null", *items[0].SpacesLeft)
	}
	// The rota's staffed limit caps the places offered.
	if _, err := h.DB.Exec(`UPDATE occurrences SET staffed_limit = 20, confirmed_count = 5 WHERE series_id IN (SELECT id FROM session_series WHERE title = 'SEND social')`); err != nil {
		t.Fatal(err)
	}
	if _, err := h.DB.Exec(`UPDATE occurrences o SET staffed_limit = 10, confirmed_count = 4 FROM session_series s
		WHERE s.id = o.series_id AND s.title = 'Tuesday football' AND o.starts_at = $1`, londonTime("2027-06-01 18:00")); err != nil {
		t.Fatal(err)
	}
	items, _ = h.sessions("category=sport")
	if *items[0].SpacesLeft != 6 || *items[1].SpacesLeft != 24 {
		t.Errorf("spaces left %d and %d, want 6 (staffed for 10, 4 booked) and 24", *items[0].SpacesLeft, *items[1].SpacesLeft)
	}
	items, _ = h.sessions("category=send")
	if *items[0].SpacesLeft != 7 {
		t.Errorf("spaces left %d, want 7 (capacity 12 below the staffed 20, 5 booked)", *items[0].SpacesLeft)
	}
}

func TestSessionDetailAndCancelledSessions(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.Now.Set(londonTime("2027-03-20 09:00"))
	manager := h.Login("manager.a@example.test")
	series := h.createSeries(manager, seriesBody(h.F.CentreA, map[string]any{"first_date": "2027-03-23", "booking_window_days": 7}))
	slots := h.slots(manager, series, "")
	first, second := slots[0].ID, slots[1].ID

	d := h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + second}).Want(t, 200).Map(t)
	centre, _ := d["centre"].(map[string]any)
	if d["starts_at"] != "2027-03-30T18:00:00+01:00" || d["booking_opens_at"] != "2027-03-23T18:00:00Z" ||
		d["what_to_bring"] != "Trainers and a water bottle" || d["description"] != "Five-a-side on the 3G pitch." ||
		d["send"] != false || d["booking_window_days"] != 7.0 || d["status"] != "scheduled" || d["spaces_left"] != 24.0 ||
		centre["name"] != "Old Trafford Youth Centre" || centre["access_features"] == nil ||
		centre["id"] != h.F.CentreA || centre["council_id"] != h.F.CouncilA || centre["council_name"] == "" || centre["opening_hours"] == nil {
		t.Fatalf("detail: %v", d)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/occurrences/" + first + "/cancel", Token: manager, Body: map[string]any{"reason": "The hall is flooded"}}).Want(t, 200)
	d = h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + first}).Want(t, 200).Map(t)
	if d["status"] != "cancelled" || d["cancelled_reason"] != "The hall is flooded" {
		t.Fatalf("cancelled detail: %v", d)
	}
	items, total := h.sessions("")
	if total != 1 || items[0].ID != second {
		t.Fatalf("the list shows a cancelled session: %+v", items)
	}
	items, total = h.sessions("include_cancelled=true")
	if total != 2 || items[0].Status != "cancelled" {
		t.Fatalf("include_cancelled: %+v", items)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions/00000000-0000-0000-0000-000000000000"}).Want(t, 404)
	h.Do(Req{Method: "GET", Path: "/api/v1/sessions/not-an-id"}).Want(t, 404)
}

// TestManagerEndpointsCheckRoleAndCouncil: anonymous 401, youth worker and
// young person 403, another council's manager 404, on every manager endpoint;
// the council's manager and officer succeed.
func TestManagerEndpointsCheckRoleAndCouncil(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.Now.Set(londonTime("2027-06-01 09:00"))
	managerA, officerA := h.Login("manager.a@example.test"), h.Login("officer.a@example.test")
	series := h.createSeries(managerA, seriesBody(h.F.CentreA, nil))
	occ := h.slots(managerA, series, "")[0].ID
	tokens := map[string]string{
		"youth worker": h.Login("worker.a@example.test"), "young person": h.Login("young@example.test"),
		"other council's manager": h.Login("manager.b@example.test"), "other council's officer": h.Login("officer.b@example.test"),
	}
	want := map[string]int{"": 401, "youth worker": 403, "young person": 403, "other council's manager": 404, "other council's officer": 404}
	endpoints := []struct {
		method, path string
		body         any
		ok           int
	}{
		{"POST", "/api/v1/series", seriesBody(h.F.CentreA, map[string]any{"title": "Another"}), 201},
		{"GET", "/api/v1/series/" + series, nil, 200},
		{"PATCH", "/api/v1/series/" + series, map[string]any{"title": "Tuesday football (5-a-side)"}, 200},
		{"GET", "/api/v1/series/" + series + "/occurrences", nil, 200},
		{"PATCH", "/api/v1/occurrences/" + occ, map[string]any{"capacity": 20}, 200},
		{"POST", "/api/v1/occurrences/" + occ + "/cancel", map[string]any{"reason": "Pitch closed"}, 200},
	}
	for _, e := range endpoints {
		for who, code := range want {
			if e.method == "POST" && e.path == "/api/v1/series" && code == 404 {
				continue // checked below: another council's centre
			}
			res := h.Do(Req{Method: e.method, Path: e.path, Token: tokens[who], Body: e.body})
			if res.Status != code {
				t.Errorf("%s %s as %q: %d, want %d: %s", e.method, e.path, who, res.Status, code, res.Body)
			}
		}
		h.Do(Req{Method: e.method, Path: e.path, Token: managerA, Body: e.body}).Want(t, e.ok)
		h.Do(Req{Method: e.method, Path: e.path, Token: officerA, Body: e.body}).Want(t, e.ok)
	}
	// Creating a series at another council's centre: 404, nothing written.
	before := h.count("session_series")
	h.Do(Req{Method: "POST", Path: "/api/v1/series", Token: tokens["other council's manager"], Body: seriesBody(h.F.CentreA, nil)}).Want(t, 404)
	if h.count("session_series") != before {
		t.Fatal("a refused series was written")
	}
	// The list shows only the caller's council.
	var list struct {
		Items []struct{ ID string } `json:"items"`
		Total int                   `json:"total"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/series", Token: tokens["other council's manager"]}).Want(t, 200).JSON(t, &list)
	if list.Total != 0 {
		t.Fatalf("another council sees %d series", list.Total)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/series?centre_id=" + h.F.CentreA, Token: managerA}).Want(t, 200).JSON(t, &list)
	if list.Total != 3 {
		t.Fatalf("the council's manager sees %d series at centre A, want 3", list.Total)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/series", Token: tokens["youth worker"]}).Want(t, 403)
	h.Do(Req{Method: "GET", Path: "/api/v1/series"}).Want(t, 401)
}

func TestCreateSeriesRefusesBadInputAndWritesNothing(t *testing.T) {
	t.Parallel()
	h := newH(t)
	manager := h.Login("manager.a@example.test")
	bad := seriesBody(h.F.CentreA, map[string]any{"age_max": 21, "days": []string{"tuesday", "funday"}, "start_time": "6pm",
		"first_date": "2027-02-30", "capacity": 0, "title": "Football\r\nBcc: x@evil.test", "what_to_bring": "Trainers\u001b[31m"})
	res := h.Do(Req{Method: "POST", Path: "/api/v1/series", Token: manager, Body: bad}).Want(t, 422)
	var p struct {
		Errors []struct{ Field, Message string } `json:"errors"`
	}
	res.JSON(t, &p)
	got := map[string]string{}
	for _, e := range p.Errors {
		got[e.Field] = e.Message
	}
	for field, msg := range map[string]string{
		"age_max":       "Only SEND sessions can be for young people over 19: set send to true, or make the oldest age 19 or less",
		"days":          "Choose days from monday to sunday, in lower case",
		"start_time":    "Enter a start time like 18:00",
		"first_date":    "Enter a real first date, like 2027-09-07",
		"capacity":      "Enter the number of places, from 1 to 1,000",
		"title":         "Title must be one line, with no control characters",
		"what_to_bring": "What to bring cannot contain control characters",
	} {
		if got[field] != msg {
			t.Errorf("%s: %q, want %q", field, got[field], msg)
		}
	}
	if len(got) != 7 {
		t.Errorf("errors %v", p.Errors)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/series", Token: manager, Raw: true,
		Body: seriesBody(h.F.CentreA, map[string]any{"colour": "red"})}).Want(t, 422)
	// A first date far from today is a typing slip.
	for _, d := range []string{"1900-01-01", "9999-12-01", time.Now().AddDate(-1, 0, -2).Format(time.DateOnly)} {
		res := h.Do(Req{Method: "POST", Path: "/api/v1/series", Token: manager, Body: seriesBody(h.F.CentreA, map[string]any{"first_date": d, "last_date": nil})}).Want(t, 422)
		if !strings.Contains(string(res.Body), `"field":"first_date","message":"The first date must be within a year of today"`) {
			t.Fatalf("first_date %s: %s", d, res.Body)
		}
	}
	if h.count("session_series") != 0 || h.count("occurrences") != 0 {
		t.Fatal("a refused series wrote something")
	}
	// A series cannot change its booking mode; a bad last date is named.
	id := h.createSeries(manager, seriesBody(h.F.CentreA, nil))
	h.Do(Req{Method: "PATCH", Path: "/api/v1/series/" + id, Token: manager, Raw: true, Body: map[string]any{"booking_mode": "drop_in"}}).Want(t, 422)
	res = h.Do(Req{Method: "PATCH", Path: "/api/v1/series/" + id, Token: manager, Raw: true, Body: map[string]any{"last_date": 2027}}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"last_date"`) {
		t.Fatalf("last_date not named: %s", res.Body)
	}
}

func TestSeriesEditViaTheAPI(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.Now.Set(londonTime("2027-06-01 09:00"))
	manager := h.Login("manager.a@example.test")
	id := h.createSeries(manager, seriesBody(h.F.CentreA, nil))
	before := len(h.slots(manager, id, ""))
	s := h.Do(Req{Method: "PATCH", Path: "/api/v1/series/" + id, Token: manager, Body: map[string]any{
		"title": "Football for all", "age_max": 18, "exceptions": []string{"2027-06-08"}, "last_date": "2027-07-20"}}).Want(t, 200).Map(t)
	if s["title"] != "Football for all" || s["age_max"] != 18.0 || s["last_date"] != "2027-07-20" || fmt.Sprint(s["exceptions"]) != "[2027-06-08]" {
		t.Fatalf("series %v", s)
	}
	after := h.slots(manager, id, "")
	if len(after) != 7 || before <= len(after) {
		t.Fatalf("%d occurrences after the edit (from %d), want 7: 1 June to 20 July less 8 June", len(after), before)
	}
	items, _ := h.sessions("from=2027-06-08&to=2027-06-08")
	if len(items) != 0 {
		t.Fatalf("a session on an exception date: %+v", items)
	}
	s = h.Do(Req{Method: "PATCH", Path: "/api/v1/series/" + id, Token: manager, Body: map[string]any{"last_date": nil}}).Want(t, 200).Map(t)
	if s["last_date"] != nil || len(h.slots(manager, id, "")) != 11 {
		t.Fatalf("no last date: %v", s["last_date"])
	}
}

func TestOccurrenceCapacityCannotGoBelowConfirmedBookings(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.Now.Set(londonTime("2027-06-01 09:00"))
	manager := h.Login("manager.a@example.test")
	occ := h.slots(manager, h.createSeries(manager, seriesBody(h.F.CentreA, nil)), "")[0].ID
	if _, err := h.DB.Exec(`UPDATE occurrences SET confirmed_count = 5 WHERE id = $1`, occ); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		capacity any
		status   int
		message  string
	}{
		{4, 422, "5 places are already booked, so the capacity cannot be less than 5"},
		{-1, 422, "Enter the number of places, from 0 to 1,000"},
		{nil, 422, "Enter the number of places"},
		{5, 200, ""},
		{30, 200, ""},
	}
	for _, tc := range tests {
		body := map[string]any{}
		if tc.capacity != nil {
			body["capacity"] = tc.capacity
		}
		res := h.Do(Req{Method: "PATCH", Path: "/api/v1/occurrences/" + occ, Token: manager, Body: body, Raw: true}).Want(t, tc.status)
		if tc.status == 422 && !strings.Contains(string(res.Body), `"message":"`+tc.message+`"`) {
			t.Errorf("capacity %v: %s, want %q", tc.capacity, res.Body, tc.message)
		}
		if tc.status == 200 && res.Map(t)["capacity"] != float64(tc.capacity.(int)) {
			t.Errorf("capacity %v not set: %s", tc.capacity, res.Body)
		}
	}
	// The CHECK constraint is the backstop: no statement can go below the confirmed count.
	if _, err := h.DB.Exec(`UPDATE occurrences SET capacity = 4 WHERE id = $1`, occ); err == nil {
		t.Fatal("the database accepted a capacity below confirmed bookings")
	}
}

func TestCancelOccurrenceNotifiesBookersAndZeroesCounters(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.Now.Set(londonTime("2027-06-01 09:00"))
	manager := h.Login("manager.a@example.test")
	series := h.createSeries(manager, seriesBody(h.F.CentreA, nil))
	slots := h.slots(manager, series, "")
	occ, other := slots[0].ID, slots[1].ID
	// Sam (15) holds a place, the child is on the waiting list, and Sam cancelled an earlier booking.
	if _, err := h.DB.Exec(`INSERT INTO bookings (occurrence_id, young_person_id, status, waitlist_seq, starts_at, ends_at, cancelled_at)
		SELECT o.id, b.who, b.status, b.seq, o.starts_at, o.ends_at, b.cancelled_at
		FROM occurrences o, (VALUES ($2::uuid, 'confirmed', NULL::int, NULL::timestamptz), ($3::uuid, 'waitlisted', 1, NULL),
		                            ($2::uuid, 'cancelled', NULL, now())) AS b (who, status, seq, cancelled_at)
		WHERE o.id = $1`, occ, h.F.Young, h.F.Child); err != nil {
		t.Fatal(err)
	}
	if _, err := h.DB.Exec(`UPDATE occurrences SET confirmed_count = 1, waitlist_count = 1, waitlist_seq = 1 WHERE id = $1`, occ); err != nil {
		t.Fatal(err)
	}
	h.regRoster(occ, h.F.WorkerA)    // on the rota: told their shift is off
	h.regRoster(other, h.F.ManagerA) // another week's shift: told nothing
	h.Do(Req{Method: "POST", Path: "/api/v1/occurrences/" + occ + "/cancel", Token: manager, Body: map[string]any{"reason": "  "}, Raw: true}).Want(t, 422)
	out := h.Do(Req{Method: "POST", Path: "/api/v1/occurrences/" + occ + "/cancel", Token: manager,
		Body: map[string]any{"reason": "The pitch is being resurfaced"}}).Want(t, 200).Map(t)
	if out["status"] != "cancelled" || out["confirmed_count"] != 0.0 || out["waitlist_length"] != 0.0 || out["cancelled_reason"] != "The pitch is being resurfaced" {
		t.Fatalf("cancelled occurrence: %v", out)
	}
	// Its detail offers no places (it used to say 24 spaces left).
	if d := h.Do(Req{Method: "GET", Path: "/api/v1/sessions/" + occ}).Want(t, 200).Map(t); d["spaces_left"] != 0.0 || d["status"] != "cancelled" {
		t.Fatalf("cancelled session detail: spaces_left %v, status %v", d["spaces_left"], d["status"])
	}
	var live int
	if err := h.DB.Get(&live, `SELECT count(*) FROM bookings WHERE occurrence_id = $1 AND status <> 'cancelled'`, occ); err != nil || live != 0 {
		t.Fatalf("%d live bookings remain (%v)", live, err)
	}
	var notes []struct {
		UserID  string `db:"user_id"`
		Message string `db:"message"`
	}
	if err := h.DB.Select(&notes, `SELECT user_id, message FROM notifications WHERE kind = 'session_cancelled' ORDER BY user_id`); err != nil {
		t.Fatal(err)
	}
	if len(notes) != 2 {
		t.Fatalf("notifications %+v, want one each for the booker and the waiting child", notes)
	}
	for _, n := range notes {
		if n.Message != "Tuesday football at Old Trafford Youth Centre on Tuesday 1 June at 6pm has been cancelled. The centre says: The pitch is being resurfaced" {
			t.Errorf("message %q", n.Message)
		}
	}
	var mails []string
	if err := h.DB.Select(&mails, `SELECT to_email FROM outbox WHERE subject LIKE 'Cancelled: Tuesday football on Tuesday 1 June' ORDER BY to_email`); err != nil {
		t.Fatal(err)
	}
	if strings.Join(mails, ",") != "child@example.test,young@example.test" {
		t.Fatalf("emails to %v", mails)
	}
	var shiftNotes []string
	if err := h.DB.Select(&shiftNotes, `SELECT user_id || ': ' || message FROM notifications WHERE kind = 'shift_cancelled'`); err != nil {
		t.Fatal(err)
	}
	if len(shiftNotes) != 1 || shiftNotes[0] != h.F.WorkerA+": Your shift at Tuesday football at Old Trafford Youth Centre on Tuesday 1 June at 6pm is off: the session has been cancelled. The centre says: The pitch is being resurfaced" {
		t.Fatalf("staff told: %q", shiftNotes)
	}
	if n := h.mailsTo("worker.a@example.test", "Shift off: Tuesday football on Tuesday 1 June"); n != 1 {
		t.Fatalf("%d e-mails to the rostered worker", n)
	}
	// The young person sees it in their notifications.
	if res := h.Do(Req{Method: "GET", Path: "/api/v1/me/notifications", Token: h.Login("young@example.test")}).Want(t, 200); !strings.Contains(string(res.Body), "resurfaced") {
		t.Errorf("notifications: %s", res.Body)
	}
	// Cancelling again changes nothing; the next week is untouched.
	h.Do(Req{Method: "POST", Path: "/api/v1/occurrences/" + occ + "/cancel", Token: manager, Body: map[string]any{"reason": "Again"}}).Want(t, 200)
	if h.count("notifications") != 3 {
		t.Fatal("a second cancel notified again")
	}
	var status string
	if err := h.DB.Get(&status, `SELECT status FROM occurrences WHERE id = $1`, other); err != nil || status != "scheduled" {
		t.Fatalf("the next week is %q (%v)", status, err)
	}
	// A session that has started cannot be cancelled.
	h.Now.Set(londonTime("2027-06-08 18:30"))
	h.Do(Req{Method: "POST", Path: "/api/v1/occurrences/" + other + "/cancel", Token: h.Login("manager.a@example.test"), Body: map[string]any{"reason": "Too late"}}).Want(t, 422)
}

// TestCreateSeriesIsIdempotent: a manager's "Start series" sent ten times at
// once with one Idempotency-Key (a flaky connection retrying) starts one
// series with one set of occurrences, and every retry gets its answer; a
// refusal is replayed too, and the key cannot be reused for another series.
func TestCreateSeriesIsIdempotent(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.Now.Set(londonTime("2027-05-20 09:00"))
	manager := h.Login("manager.a@example.test")
	base := h.listen()
	body, _ := json.Marshal(seriesBody(h.F.CentreA, nil))
	key := uuid.NewString()
	results := race(10, func(int) raceResult {
		return send(base, "POST", "/api/v1/series", manager, key, string(body))
	})
	for i, r := range results {
		// A retry that arrives while the first is still being stored is told to try again (409).
		if r.err != nil || (r.status != 201 && !(r.status == 409 && r.body["code"] == "in_progress")) {
			t.Fatalf("request %d: %v %d %v", i, r.err, r.status, r.body)
		}
		if r.status == 201 && r.body["id"] != results[0].body["id"] && results[0].status == 201 {
			t.Fatalf("request %d made another series: %v", i, r.body["id"])
		}
	}
	again := send(base, "POST", "/api/v1/series", manager, key, string(body))
	if again.status != 201 {
		t.Fatalf("retry after the race: %d %v", again.status, again.body)
	}
	var series, occurrences, tuesdays int
	if err := h.DB.QueryRow(`SELECT (SELECT count(*) FROM session_series), (SELECT count(*) FROM occurrences),
		(SELECT count(DISTINCT starts_at) FROM occurrences)`).Scan(&series, &occurrences, &tuesdays); err != nil {
		t.Fatal(err)
	}
	// Tuesdays from 1 June 2027 within the 12-week horizon from 20 May: 1 June to 10 August.
	if series != 1 || occurrences != 11 || tuesdays != 11 {
		t.Fatalf("%d series and %d occurrences (%d distinct); want 1 series of 11", series, occurrences, tuesdays)
	}
	other, _ := json.Marshal(seriesBody(h.F.CentreA, map[string]any{"title": "Thursday football"}))
	if r := send(base, "POST", "/api/v1/series", manager, key, string(other)); r.status != 422 || r.body["code"] != "idempotency_key_reused" {
		t.Fatalf("reused key: %d %v", r.status, r.body)
	}
	// A refusal is stored against its key and replayed, and nothing is half-written.
	bad, _ := json.Marshal(seriesBody(h.F.CentreA, map[string]any{"capacity": 0}))
	badKey := uuid.NewString()
	r1 := send(base, "POST", "/api/v1/series", manager, badKey, string(bad))
	r2 := send(base, "POST", "/api/v1/series", manager, badKey, string(bad))
	if r1.status != 422 || r2.status != 422 || r1.body["request_id"] != r2.body["request_id"] {
		t.Fatalf("refusal replay: %d %v / %d %v", r1.status, r1.body, r2.status, r2.body)
	}
	if h.count("session_series") != 1 {
		t.Fatal("a refused series was written")
	}
}

// TestUndoingAnEndDateBringsBookedSessionsBack: a manager who sets an end
// date by mistake and takes it off again gets the booked session back, and
// those it was taken from are told; a session cancelled on its own stays so.
func TestUndoingAnEndDateBringsBookedSessionsBack(t *testing.T) {
	t.Parallel()
	h := newH(t)
	h.Now.Set(londonTime("2027-05-31 09:00"))
	manager := h.Login("manager.a@example.test")
	young := h.Login("young@example.test")
	series := h.createSeries(manager, seriesBody(h.F.CentreA, nil))
	slots := h.slots(manager, series, "")
	jun8, jun15 := slots[1].ID, slots[2].ID
	h.book(young, jun8).Want(t, 201)
	// Someone else booked and then cancelled their own place: the removal takes nothing from them.
	ids, toks := h.youngPeople(1, time.Now().AddDate(-14, 0, 0))
	own := h.book(toks[0], jun8).Want(t, 201).Map(t)["id"].(string)
	h.Do(Req{Method: "DELETE", Path: "/api/v1/bookings/" + own, Token: toks[0]}).Want(t, 200)
	// On 22 June their cancelled booking is the only one (it used to be taken for the removal's).
	if _, err := h.DB.Exec(`INSERT INTO bookings (occurrence_id, young_person_id, status, starts_at, ends_at, cancelled_at)
		SELECT id, $2, 'cancelled', starts_at, ends_at, $3 FROM occurrences WHERE id = $1`, slots[3].ID, ids[0], h.Now.Now()); err != nil {
		t.Fatal(err)
	}
	h.Now.Advance(time.Minute)
	h.regRoster(jun8, h.F.WorkerA)
	h.Do(Req{Method: "POST", Path: "/api/v1/occurrences/" + jun15 + "/cancel", Token: manager, Body: map[string]any{"reason": "Half term"}}).Want(t, 200)

	h.Do(Req{Method: "PATCH", Path: "/api/v1/series/" + series, Token: manager, Body: map[string]any{"last_date": "2027-06-01"}}).Want(t, 200)
	byID := func() map[string]slotItem {
		m := map[string]slotItem{}
		for _, s := range h.slots(manager, series, "") {
			m[s.ID] = s
		}
		return m
	}
	if s := byID()[jun8]; s.Status != "cancelled" {
		t.Fatalf("8 June after the end date: %+v", s)
	}

	// Undone: 8 June is on again, its places open; 15 June keeps its own cancellation.
	h.Do(Req{Method: "PATCH", Path: "/api/v1/series/" + series, Token: manager, Body: map[string]any{"last_date": nil}}).Want(t, 200)
	got := byID()
	if s := got[jun8]; s.Status != "scheduled" || s.Reason != nil || s.ConfirmedCount != 0 || s.Capacity != 24 {
		t.Fatalf("8 June after undoing: %+v", s)
	}
	if s := got[jun15]; s.Status != "cancelled" || s.Reason == nil || *s.Reason != "Half term" {
		t.Fatalf("15 June, cancelled on its own: %+v", s)
	}
	var told []string
	if err := h.DB.Select(&told, `SELECT kind || ' ' || user_id || ': ' || message FROM notifications WHERE kind LIKE '%restored' ORDER BY kind`); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"session_restored " + h.F.Young + ": Tuesday football at Old Trafford Youth Centre on Tuesday 8 June at 6pm is back on: the centre has changed its dates again. Your booking was cancelled when it was taken off, so if you still want to go, book again.",
		"shift_restored " + h.F.WorkerA + ": Tuesday football at Old Trafford Youth Centre on Tuesday 8 June at 6pm is back on: the centre has changed its dates again. You are on the rota for it again.",
	}
	if !slices.Equal(told, want) {
		t.Fatalf("told:\n%s\nwant:\n%s (not %s, who had cancelled their own place)", strings.Join(told, "\n"), strings.Join(want, "\n"), ids[0])
	}
	if n := h.mailsTo("young@example.test", "Back on: Tuesday football on Tuesday 8 June"); n != 1 {
		t.Fatalf("%d e-mails saying it is back on", n)
	}
	h.book(young, jun8).Want(t, 201)

	// The same with an exception date put in and taken out; nobody is told twice.
	h.Do(Req{Method: "PATCH", Path: "/api/v1/series/" + series, Token: manager, Body: map[string]any{"exceptions": []string{"2027-06-08"}}}).Want(t, 200)
	h.Do(Req{Method: "PATCH", Path: "/api/v1/series/" + series, Token: manager, Body: map[string]any{"exceptions": []string{}}}).Want(t, 200)
	if s := byID()[jun8]; s.Status != "scheduled" {
		t.Fatalf("8 June after an exception came and went: %+v", s)
	}
	if n := h.mailsTo("young@example.test", "Back on: Tuesday football on Tuesday 8 June"); n != 2 {
		t.Fatalf("%d e-mails saying it is back on, want one for each time", n)
	}
}
