package opendata

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// The OpenActive controlled vocabularies, embedded (see vocab/README.md).
//
//go:embed vocab/activity-list.jsonld vocab/accessibility-support.jsonld
var vocabFS embed.FS

// URLs of the OpenActive schemes. Published Concepts must name exactly these
// in inScheme: the data-model validator fetches activity lists by this URL.
const (
	ActivityListURL         = "https://openactive.io/activity-list"
	AccessibilitySupportURL = "https://openactive.io/accessibility-support"
)

// Concept is a SKOS concept as OpenActive data references it: an activity,
// or a kind of accessibility support.
type Concept struct {
	Type      string `json:"@type"`
	ID        string `json:"@id"`
	PrefLabel string `json:"prefLabel"`
	InScheme  string `json:"inScheme"`
}

// schemeFile is the part of an OpenActive ConceptScheme file that is read.
type schemeFile struct {
	ID      string `json:"id"`
	Concept []struct {
		ID        string   `json:"id"`
		PrefLabel string   `json:"prefLabel"`
		AltLabel  []string `json:"altLabel"`
	} `json:"concept"`
}

// vocabulary is the activity list indexed for matching session titles, and
// the accessibility-support list by label.
type vocabulary struct {
	activities map[string]Concept // normalised prefLabel or altLabel
	maxWords   int                // most words in a label
	access     map[string]Concept // prefLabel
}

// ignoredLabels are activity labels too ambiguous to find in a youth
// session's title ("House music", "Air hockey", "Urban art").
var ignoredLabels = []string{"air", "burn", "urban", "house", "spa", "sauna", "nova", "eton", "fabs", "freez", "funk", "disco", "tre", "kfa", "nia"}

// notActivities are phrases of youth-club games that contain an activity's
// name but are not that activity; their words are skipped.
var notActivities = [][]string{{"air", "hockey"}, {"table", "football"}, {"table", "top", "football"}}

// vocab parses the embedded files once, on first use. They are part of the
// binary and checked by a test, so a failure to read them is a programming
// error and panics.
var vocab = sync.OnceValue(func() *vocabulary {
	v, err := loadVocabulary()
	if err != nil {
		panic(err)
	}
	return v
})

func loadVocabulary() (*vocabulary, error) {
	read := func(name, want string) (schemeFile, error) {
		var f schemeFile
		b, err := vocabFS.ReadFile(name)
		if err == nil {
			err = json.Unmarshal(b, &f)
		}
		if err == nil && f.ID != want {
			err = fmt.Errorf("scheme id %q, want %q", f.ID, want)
		}
		if err != nil {
			return f, fmt.Errorf("opendata: %s: %w", name, err)
		}
		return f, nil
	}
	acts, err := read("vocab/activity-list.jsonld", ActivityListURL)
	if err != nil {
		return nil, err
	}
	access, err := read("vocab/accessibility-support.jsonld", AccessibilitySupportURL)
	if err != nil {
		return nil, err
	}
	v := &vocabulary{activities: map[string]Concept{}, access: map[string]Concept{}}
	for _, c := range acts.Concept {
		concept := Concept{Type: "Concept", ID: c.ID, PrefLabel: c.PrefLabel, InScheme: ActivityListURL}
		for _, label := range append([]string{c.PrefLabel}, c.AltLabel...) {
			if strings.ContainsAny(label, "®™") {
				continue // brand names: never written so in a title
			}
			w := words(label)
			key := strings.Join(w, " ")
			if len(key) < 3 || slices.Contains(ignoredLabels, key) {
				continue
			}
			if _, taken := v.activities[key]; taken && label != c.PrefLabel {
				continue // a preferred label wins over another concept's alternative one
			}
			v.activities[key] = concept
			v.maxWords = max(v.maxWords, len(w))
		}
	}
	for _, c := range access.Concept {
		v.access[c.PrefLabel] = Concept{Type: "Concept", ID: c.ID, PrefLabel: c.PrefLabel, InScheme: AccessibilitySupportURL}
	}
	return v, nil
}

// words splits s into lower-case words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// activityByLabel returns the activity-list Concept with this preferred or
// alternative label (any case).
func (v *vocabulary) activityByLabel(label string) (Concept, bool) {
	c, ok := v.activities[strings.Join(words(label), " ")]
	return c, ok
}

// matchTitle finds activity-list Concepts named in a title, longest name
// first ("Walking football" is Walking Football, not Walking and Football),
// in title order, without repeats.
func (v *vocabulary) matchTitle(title string) []Concept {
	w := words(title)
	var out []Concept
	for i := 0; i < len(w); {
		if skip := slices.IndexFunc(notActivities, func(p []string) bool { return len(p) <= len(w)-i && slices.Equal(w[i:i+len(p)], p) }); skip >= 0 {
			i += len(notActivities[skip])
			continue
		}
		n := min(v.maxWords, len(w)-i)
		for ; n > 0; n-- {
			if c, ok := v.activities[strings.Join(w[i:i+n], " ")]; ok {
				if !slices.Contains(out, c) {
					out = append(out, c)
				}
				break
			}
		}
		i += max(n, 1)
	}
	return out
}

// titleCategories are the session categories whose titles name physical
// activities worth looking up; the others ("music", "digital", "cooking",
// "advice_support") would only match by accident ("Jazz band").
var titleCategories = []string{"sport", "outdoor", "send", "arts", "other"}

// ownActivities are the labels of the youthhub activity list: one per session
// category, for sessions the OpenActive list has no activity for. Sport falls
// back to the OpenActive "Multisports" instead.
var ownActivities = []struct{ Category, Slug, Label, Definition string }{
	{"sport", "sport", "Sport", "Sports and games."},
	{"arts", "arts", "Arts and crafts", "Art, crafts, drama and making things."},
	{"music", "music", "Music", "Playing, writing, recording and mixing music."},
	{"digital", "digital", "Digital and gaming", "Coding, gaming, media and digital skills."},
	{"cooking", "cooking", "Cooking", "Cooking and healthy eating."},
	{"advice_support", "advice-support", "Advice and support", "Information, advice and support for young people."},
	{"outdoor", "outdoor", "Outdoor activities", "Outdoor learning and adventure."},
	{"send", "inclusive", "Inclusive activities", "Sessions for young people with special educational needs and disabilities (SEND)."},
	{"other", "youth-club", "Youth club", "Open youth club sessions."},
}

// Activities are a session's OpenActive activities: those its title names,
// for categories where titles name physical activities; otherwise the
// OpenActive "Multisports" for a sport session; otherwise the category's
// Concept in the youthhub activity list at ownList (the ActivityList URL).
func Activities(title, category, ownList string) []Concept {
	v := vocab()
	if slices.Contains(titleCategories, category) {
		if found := v.matchTitle(title); len(found) > 0 {
			return found
		}
	}
	if category == "sport" {
		if c, ok := v.activityByLabel("Multisports"); ok {
			return []Concept{c}
		}
	}
	for _, a := range ownActivities {
		if a.Category == category {
			return []Concept{{Type: "Concept", ID: ownList + "#" + a.Slug, PrefLabel: a.Label, InScheme: ownList}}
		}
	}
	return []Concept{{Type: "Concept", ID: ownList + "#youth-club", PrefLabel: "Youth club", InScheme: ownList}}
}

// accessFeatures are the centre access features in words, and the
// accessibility-support Concept each stands for, if one does.
var accessFeatures = []struct{ Feature, Words, Support string }{
	{"step_free", "Step-free access", "Physical impairment"},
	{"accessible_toilet", "Accessible toilet", "Physical impairment"},
	{"changing_places", "Changing Places toilet", "Physical impairment"},
	{"hearing_loop", "Hearing loop", "Hearing impairment"},
	{"quiet_space", "Quiet space", ""},
	{"near_public_transport", "Near public transport", ""},
}

// AccessibilitySupport maps a centre's access features (and a SEND session)
// to the OpenActive accessibility-support Concepts they support, without
// repeats: step-free access, accessible and Changing Places toilets support
// physical impairment; a hearing loop, hearing impairment; a SEND session,
// learning impairment. A quiet space and nearby public transport map to none
// and are described in words instead (AccessibilityInformation).
func AccessibilitySupport(features []string, send bool) []Concept {
	v := vocab()
	var out []Concept
	add := func(label string) {
		if c, ok := v.access[label]; ok && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	for _, f := range accessFeatures {
		if f.Support != "" && slices.Contains(features, f.Feature) {
			add(f.Support)
		}
	}
	if send {
		add("Learning impairment")
	}
	return out
}

// AccessibilityInformation describes a centre's access features in words,
// in a fixed order: "Step-free access. Hearing loop." ("" for none).
func AccessibilityInformation(features []string) string {
	var parts []string
	for _, f := range accessFeatures {
		if slices.Contains(features, f.Feature) {
			parts = append(parts, f.Words+".")
		}
	}
	return strings.Join(parts, " ")
}

// featureWords is an access feature in words ("" if unknown).
func featureWords(feature string) string {
	for _, f := range accessFeatures {
		if f.Feature == feature {
			return f.Words
		}
	}
	return ""
}
