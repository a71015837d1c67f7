package opendata

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"youthhub/internal/schedule"
)

// TestEmbeddedVocabulariesAreTheSharedCopies: the embedded files are the
// bytes url-map.json names.
func TestEmbeddedVocabulariesAreTheSharedCopies(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "data", "standards", "openactive", "vocab")
	b, err := os.ReadFile(filepath.Join(dir, "url-map.json"))
	if err != nil {
		t.Fatalf("no shared copies (the shared folder sits beside the repository, in CI too): %v", err)
	}
	var m struct {
		Files []struct{ URL, File, SHA256OfFile string }
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	embedded := map[string]string{ActivityListURL: "vocab/activity-list.jsonld", AccessibilitySupportURL: "vocab/accessibility-support.jsonld"}
	for _, f := range m.Files {
		name, ok := embedded[f.URL]
		if !ok {
			continue
		}
		data, err := vocabFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != f.SHA256OfFile {
			t.Errorf("%s is not the shared copy of %s", name, f.URL)
		}
		delete(embedded, f.URL)
	}
	if len(embedded) > 0 {
		t.Errorf("url-map.json does not list %v", embedded)
	}
}

func TestActivities(t *testing.T) {
	const own = "https://youthhub.test/openactive/activity-list"
	cases := []struct {
		title, category string
		want            []string // prefLabels
		official        bool     // in the OpenActive list
	}{
		{"Tuesday football", "sport", []string{"Football"}, true},
		{"Walking football", "sport", []string{"Walking Football"}, true},
		{"Football and basketball", "sport", []string{"Football", "Basketball"}, true},
		{"Football, football, FOOTBALL", "sport", []string{"Football"}, true},
		{"Game on!", "sport", []string{"Multisports"}, true},
		{"Inclusive swimming", "send", []string{"Swimming"}, true},
		{"Street dance", "arts", []string{"Street Dance"}, true},
		{"Air hockey and table tennis", "other", []string{"Table Tennis"}, true},
		{"Table football and pool", "other", []string{"Pool"}, true},
		{"Jazz band", "music", []string{"Music"}, false},
		{"Dance music production", "digital", []string{"Digital and gaming"}, false},
		{"Cook and eat", "cooking", []string{"Cooking"}, false},
		{"Drop-in", "advice_support", []string{"Advice and support"}, false},
		{"Friday night youth club", "other", []string{"Youth club"}, false},
		{"Bushcraft", "outdoor", []string{"Outdoor activities"}, false},
	}
	for _, c := range cases {
		got := Activities(c.title, c.category, own)
		var labels []string
		for _, a := range got {
			labels = append(labels, a.PrefLabel)
			scheme := own
			if c.official {
				scheme = ActivityListURL
			}
			if a.Type != "Concept" || a.InScheme != scheme || a.ID == "" || (c.official && a.ID[:len(ActivityListURL)+1] != ActivityListURL+"#") {
				t.Errorf("%q: concept %+v", c.title, a)
			}
		}
		if !slices.Equal(labels, c.want) {
			t.Errorf("%q (%s): %v, want %v", c.title, c.category, labels, c.want)
		}
	}
	if got := Activities("Tuesday football", "sport", own)[0].ID; got != "https://openactive.io/activity-list#0a5f732d-e806-4e51-ad40-0a7de0239c8c" {
		t.Errorf("Football is %s", got)
	}
}

func TestAccessibility(t *testing.T) {
	labels := func(cs []Concept) []string {
		var out []string
		for _, c := range cs {
			if c.InScheme != AccessibilitySupportURL {
				t.Errorf("%+v", c)
			}
			out = append(out, c.PrefLabel)
		}
		return out
	}
	all := []string{"step_free", "accessible_toilet", "changing_places", "hearing_loop", "quiet_space", "near_public_transport"}
	if got := labels(AccessibilitySupport(all, true)); !slices.Equal(got, []string{"Physical impairment", "Hearing impairment", "Learning impairment"}) {
		t.Errorf("all features and SEND: %v", got)
	}
	if got := AccessibilitySupport([]string{"quiet_space"}, false); len(got) != 0 {
		t.Errorf("a quiet space: %v", got)
	}
	if got := AccessibilityInformation([]string{"hearing_loop", "step_free"}); got != "Step-free access. Hearing loop." {
		t.Errorf("information: %q", got)
	}
}

func TestDerivedIDsTurnBack(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		centre := uuid.NewString()
		for _, kind := range []string{kindLocation, kindServiceAtLocation} {
			d := derivedID(centre, kind)
			u, err := uuid.Parse(d)
			if err != nil || u.Version() != 4 || u.Variant() != uuid.RFC4122 || d == centre || seen[d] {
				t.Fatalf("%s of %s: %s", kind, centre, d)
			}
			seen[d] = true
			if back, ok := centreOf(d, kind); !ok || back != centre {
				t.Fatalf("%s %s turns back into %s, want %s", kind, d, back, centre)
			}
		}
	}
	if _, ok := centreOf("nope", kindLocation); ok {
		t.Fatal("a non-UUID turned into a centre")
	}
}

func TestClockPeriods(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, schedule.London())
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := clockPeriods(at("2027-03-20 23:30"), 2); !slices.Equal(got, []clockPeriod{{"2027-03-20", "2027-03-27"}, {"2027-03-28", "2027-10-30"}}) {
		t.Errorf("March: %v", got)
	}
	if got := clockPeriods(at("2027-10-31 09:00"), 2); !slices.Equal(got, []clockPeriod{{"2027-10-31", "2028-03-25"}, {"2028-03-26", "2028-10-28"}}) {
		t.Errorf("the day the clocks go back: %v", got)
	}
	if got := clockPeriods(at("2027-03-28 00:30"), 1); !slices.Equal(got, []clockPeriod{{"2027-03-28", "2027-10-30"}}) {
		t.Errorf("the day the clocks go forward: %v", got)
	}
}

func TestOpeningSchedules(t *testing.T) {
	h := hours{{"saturday", "10:00", "14:00"}, {"monday", "17:00", "21:00"}, {"wednesday", "17:00", "21:00"}, {"funday", "09:00", "10:00"}}
	got := openingSchedules("ac148810-d857-441c-9679-408f346de14b", h, time.Date(2027, 7, 1, 12, 0, 0, 0, time.UTC))
	var lines []string
	for _, s := range got {
		lines = append(lines, s.ByDay+" "+s.OpensAt+"-"+s.ClosesAt+" "+s.ValidFrom+".."+s.ValidTo+" "+s.Description)
	}
	want := []string{
		"MO,WE 17:00+01:00-21:00+01:00 2027-07-01..2027-10-30 Open Monday and Wednesday, 17:00 to 21:00 (UK time).",
		"SA 10:00+01:00-14:00+01:00 2027-07-01..2027-10-30 Open Saturday, 10:00 to 14:00 (UK time).",
		"MO,WE 17:00Z-21:00Z 2027-10-31..2028-03-25 Open Monday and Wednesday, 17:00 to 21:00 (UK time).",
		"SA 10:00Z-14:00Z 2027-10-31..2028-03-25 Open Saturday, 10:00 to 14:00 (UK time).",
	}
	if !slices.Equal(lines, want) {
		t.Fatalf("schedules:\n%v\nwant\n%v", lines, want)
	}
	ids := map[string]bool{}
	for _, s := range got {
		if _, err := uuid.Parse(s.ID); err != nil || ids[s.ID] {
			t.Fatalf("schedule id %q is not a distinct UUID", s.ID)
		}
		ids[s.ID] = true
	}
}

func TestAddressesAndNames(t *testing.T) {
	for in, want := range map[string][2]string{
		"99 Central Road, Partington":                   {"99 Central Road", "Partington"},
		"Lostock College Campus, Selby Road, Stretford": {"Lostock College Campus, Selby Road", "Stretford"},
		"Urmston":              {"", "Urmston"},
		"Scouts Hut Alma Road": {"Scouts Hut Alma Road", ""},
		" , ":                  {"", ""},
	} {
		if s, l := splitAddress(in); s != want[0] || l != want[1] {
			t.Errorf("%q: %q, %q", in, s, l)
		}
	}
	for in, want := range map[string]string{
		"Trafford Council": "Trafford", "Manchester City Council": "Manchester", "London Borough of Camden": "Camden",
		"Stockport Metropolitan Borough Council": "Stockport", "Cheltenham Borough Council": "Cheltenham", "Council": "Council",
	} {
		if got := councilPlace(in); got != want {
			t.Errorf("%q: %q", in, got)
		}
	}
	for m, want := range map[int]string{90: "PT1H30M", 60: "PT1H", 45: "PT45M", 0: "PT0M"} {
		if got := isoDuration(m); got != want {
			t.Errorf("%d minutes: %s", m, got)
		}
	}
	if got := addMinutes("23:30", 90); got != "01:00" {
		t.Errorf("past midnight: %s", got)
	}
}
