package schedule

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func mustDate(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func utc(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// describe writes an instant as its London wall clock and zone, then UTC, so that each
// expectation states both halves of the clock-change rule.
func describe(v time.Time) string {
	return v.In(london).Format("2006-01-02 15:04 MST") + " = " + v.UTC().Format("15:04Z")
}

func TestOccurrences(t *testing.T) {
	t.Parallel()
	type rule struct {
		days        []time.Weekday
		start       string
		first, last string
		exceptions  []string
	}
	tests := []struct {
		name     string
		rule     rule
		from, to string
		want     []string
	}{
		{
			name: "winter into summer: 18:00 stays 18:00 local across the March change",
			rule: rule{days: []time.Weekday{time.Sunday}, start: "18:00", first: "2027-03-14", last: "2027-04-04"},
			from: "2027-01-01T00:00:00Z", to: "2028-01-01T00:00:00Z",
			want: []string{
				"2027-03-14 18:00 GMT = 18:00Z",
				"2027-03-21 18:00 GMT = 18:00Z",
				"2027-03-28 18:00 BST = 17:00Z",
				"2027-04-04 18:00 BST = 17:00Z",
			},
		},
		{
			name: "summer into winter: 18:00 stays 18:00 local across the October change",
			rule: rule{days: []time.Weekday{time.Sunday}, start: "18:00", first: "2027-10-17", last: "2027-11-07"},
			from: "2027-01-01T00:00:00Z", to: "2028-01-01T00:00:00Z",
			want: []string{
				"2027-10-17 18:00 BST = 17:00Z",
				"2027-10-24 18:00 BST = 17:00Z",
				"2027-10-31 18:00 GMT = 18:00Z",
				"2027-11-07 18:00 GMT = 18:00Z",
			},
		},
		{
			name: "March change week, Saturday to Monday",
			rule: rule{days: []time.Weekday{time.Saturday, time.Sunday, time.Monday}, start: "18:00", first: "2027-03-22", last: "2027-04-04"},
			from: "2027-03-27T00:00:00Z", to: "2027-03-30T00:00:00Z",
			want: []string{
				"2027-03-27 18:00 GMT = 18:00Z",
				"2027-03-28 18:00 BST = 17:00Z",
				"2027-03-29 18:00 BST = 17:00Z",
			},
		},
		{
			name: "October change week, Saturday to Monday",
			rule: rule{days: []time.Weekday{time.Saturday, time.Sunday, time.Monday}, start: "18:00", first: "2027-10-25", last: "2027-11-07"},
			from: "2027-10-30T00:00:00Z", to: "2027-11-02T00:00:00Z",
			want: []string{
				"2027-10-30 18:00 BST = 17:00Z",
				"2027-10-31 18:00 GMT = 18:00Z",
				"2027-11-01 18:00 GMT = 18:00Z",
			},
		},
		{
			name: "series begun in summer, window in winter",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "18:00", first: "2027-06-01"},
			from: "2027-12-01T00:00:00Z", to: "2027-12-15T00:00:00Z",
			want: []string{
				"2027-12-07 18:00 GMT = 18:00Z",
				"2027-12-14 18:00 GMT = 18:00Z",
			},
		},
		{
			name: "series begun in winter, window in summer",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "18:00", first: "2027-01-05"},
			from: "2027-07-01T00:00:00Z", to: "2027-07-15T00:00:00Z",
			want: []string{
				"2027-07-06 18:00 BST = 17:00Z",
				"2027-07-13 18:00 BST = 17:00Z",
			},
		},
		{
			name: "01:30 does not exist on the March change day: it moves forward to 02:30 BST",
			rule: rule{days: []time.Weekday{time.Sunday}, start: "01:30", first: "2027-03-21", last: "2027-04-04"},
			from: "2027-03-01T00:00:00Z", to: "2027-05-01T00:00:00Z",
			want: []string{
				"2027-03-21 01:30 GMT = 01:30Z",
				"2027-03-28 02:30 BST = 01:30Z",
				"2027-04-04 01:30 BST = 00:30Z",
			},
		},
		{
			name: "01:00 does not exist on the March change day: it moves forward to 02:00 BST",
			rule: rule{days: []time.Weekday{time.Sunday}, start: "01:00", first: "2027-03-28", last: "2027-03-28"},
			from: "2027-03-01T00:00:00Z", to: "2027-05-01T00:00:00Z",
			want: []string{"2027-03-28 02:00 BST = 01:00Z"},
		},
		{
			name: "02:00 on the March change day exists (BST)",
			rule: rule{days: []time.Weekday{time.Sunday}, start: "02:00", first: "2027-03-28", last: "2027-03-28"},
			from: "2027-03-01T00:00:00Z", to: "2027-05-01T00:00:00Z",
			want: []string{"2027-03-28 02:00 BST = 01:00Z"},
		},
		{
			name: "01:30 happens twice on the October change day: the first one (BST) is used",
			rule: rule{days: []time.Weekday{time.Sunday}, start: "01:30", first: "2027-10-24", last: "2027-11-07"},
			from: "2027-10-01T00:00:00Z", to: "2027-12-01T00:00:00Z",
			want: []string{
				"2027-10-24 01:30 BST = 00:30Z",
				"2027-10-31 01:30 BST = 00:30Z",
				"2027-11-07 01:30 GMT = 01:30Z",
			},
		},
		{
			name: "00:30 in summer starts on the previous UTC day and is still found",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "00:30", first: "2027-07-06", last: "2027-07-06"},
			from: "2027-07-05T23:00:00Z", to: "2027-07-05T23:59:00Z",
			want: []string{"2027-07-06 00:30 BST = 23:30Z"},
		},
		{
			name: "first and last dates are inclusive",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "18:00", first: "2027-09-07", last: "2027-09-21"},
			from: "2027-01-01T00:00:00Z", to: "2028-01-01T00:00:00Z",
			want: []string{
				"2027-09-07 18:00 BST = 17:00Z",
				"2027-09-14 18:00 BST = 17:00Z",
				"2027-09-21 18:00 BST = 17:00Z",
			},
		},
		{
			name: "a first date that is not a session day starts at the next session day",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "18:00", first: "2027-09-08", last: "2027-09-21"},
			from: "2027-01-01T00:00:00Z", to: "2028-01-01T00:00:00Z",
			want: []string{
				"2027-09-14 18:00 BST = 17:00Z",
				"2027-09-21 18:00 BST = 17:00Z",
			},
		},
		{
			name: "several weekdays, given unordered and repeated, come out in time order",
			rule: rule{days: []time.Weekday{time.Friday, time.Monday, time.Wednesday, time.Monday}, start: "18:30", first: "2027-09-01"},
			from: "2027-09-06T00:00:00Z", to: "2027-09-13T00:00:00Z",
			want: []string{
				"2027-09-06 18:30 BST = 17:30Z",
				"2027-09-08 18:30 BST = 17:30Z",
				"2027-09-10 18:30 BST = 17:30Z",
			},
		},
		{
			name: "exception dates are skipped; an exception on a day off changes nothing",
			rule: rule{
				days: []time.Weekday{time.Tuesday, time.Thursday}, start: "18:00", first: "2027-12-14", last: "2027-12-30",
				exceptions: []string{"2027-12-25", "2027-12-28", "2027-12-30"},
			},
			from: "2027-12-01T00:00:00Z", to: "2028-01-01T00:00:00Z",
			want: []string{
				"2027-12-14 18:00 GMT = 18:00Z",
				"2027-12-16 18:00 GMT = 18:00Z",
				"2027-12-21 18:00 GMT = 18:00Z",
				"2027-12-23 18:00 GMT = 18:00Z",
			},
		},
		{
			name: "an exception on the March change day",
			rule: rule{days: []time.Weekday{time.Sunday}, start: "01:30", first: "2027-03-21", last: "2027-04-04", exceptions: []string{"2027-03-28"}},
			from: "2027-03-01T00:00:00Z", to: "2027-05-01T00:00:00Z",
			want: []string{
				"2027-03-21 01:30 GMT = 01:30Z",
				"2027-04-04 01:30 BST = 00:30Z",
			},
		},
		{
			name: "open-ended series up to the horizon",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "18:00", first: "2027-09-07"},
			from: "2027-09-01T00:00:00Z", to: "2027-10-01T00:00:00Z",
			want: []string{
				"2027-09-07 18:00 BST = 17:00Z",
				"2027-09-14 18:00 BST = 17:00Z",
				"2027-09-21 18:00 BST = 17:00Z",
				"2027-09-28 18:00 BST = 17:00Z",
			},
		},
		{
			name: "window includes a session starting at from and excludes one starting at to",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "18:00", first: "2027-09-07"},
			from: "2027-09-07T17:00:00Z", to: "2027-09-21T17:00:00Z",
			want: []string{
				"2027-09-07 18:00 BST = 17:00Z",
				"2027-09-14 18:00 BST = 17:00Z",
			},
		},
		{
			name: "a window given with another offset means the same instants",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "18:00", first: "2027-09-07"},
			from: "2027-09-07T13:00:00-04:00", to: "2027-09-14T13:00:00-04:00",
			want: []string{"2027-09-07 18:00 BST = 17:00Z"},
		},
		{
			name: "window before the first date",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "18:00", first: "2027-09-07"},
			from: "2027-08-01T00:00:00Z", to: "2027-09-07T16:59:00Z",
		},
		{
			name: "window after the last date",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "18:00", first: "2027-09-07", last: "2027-09-21"},
			from: "2027-09-21T17:01:00Z", to: "2028-01-01T00:00:00Z",
		},
		{
			name: "to equal to from",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "18:00", first: "2027-09-07"},
			from: "2027-09-07T17:00:00Z", to: "2027-09-07T17:00:00Z",
		},
		{
			name: "to before from",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "18:00", first: "2027-09-07"},
			from: "2027-10-01T00:00:00Z", to: "2027-09-01T00:00:00Z",
		},
		{
			name: "no chosen weekday between the first and last dates",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "18:00", first: "2027-09-08", last: "2027-09-13"},
			from: "2027-01-01T00:00:00Z", to: "2028-01-01T00:00:00Z",
		},
		{
			name: "every session is an exception",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "18:00", first: "2027-09-07", last: "2027-09-14", exceptions: []string{"2027-09-07", "2027-09-14"}},
			from: "2027-01-01T00:00:00Z", to: "2028-01-01T00:00:00Z",
		},
		{
			name: "an invalid rule has no sessions",
			rule: rule{days: []time.Weekday{time.Tuesday}, start: "6pm", first: "2027-09-07"},
			from: "2027-01-01T00:00:00Z", to: "2028-01-01T00:00:00Z",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := WeeklyRule{Days: tc.rule.days, StartLocal: tc.rule.start, Duration: 90 * time.Minute, FirstDate: mustDate(t, tc.rule.first)}
			if tc.rule.last != "" {
				r.LastDate = mustDate(t, tc.rule.last)
			}
			for _, e := range tc.rule.exceptions {
				r.Exceptions = append(r.Exceptions, mustDate(t, e))
			}
			got := Occurrences(r, utc(t, tc.from), utc(t, tc.to))
			var desc []string
			for _, o := range got {
				desc = append(desc, describe(o.StartsAt))
				if o.StartsAt.Location() != london || o.EndsAt.Location() != london {
					t.Errorf("occurrence %s is not in Europe/London", describe(o.StartsAt))
				}
				if d := o.EndsAt.Sub(o.StartsAt); d != 90*time.Minute {
					t.Errorf("occurrence %s lasts %s, want 1h30m", describe(o.StartsAt), d)
				}
			}
			if !slices.Equal(desc, tc.want) {
				t.Errorf("Occurrences =\n  %q\nwant\n  %q", desc, tc.want)
			}
		})
	}
}

func TestOccurrencesKeepLocalTimeForAYear(t *testing.T) {
	t.Parallel()
	r := WeeklyRule{Days: []time.Weekday{time.Tuesday}, StartLocal: "18:00", Duration: time.Hour, FirstDate: mustDate(t, "2027-09-07")}
	got := Occurrences(r, utc(t, "2027-09-01T00:00:00Z"), utc(t, "2028-09-01T00:00:00Z"))
	// 2027-09-07 plus 51 weeks is 2028-08-29, the last Tuesday before the horizon.
	if len(got) != 52 {
		t.Fatalf("got %d occurrences, want 52", len(got))
	}
	var summer, winter int
	for i, o := range got {
		if h, m, _ := o.StartsAt.Clock(); h != 18 || m != 0 || o.StartsAt.Weekday() != time.Tuesday {
			t.Errorf("occurrence %d starts %s, want Tuesday 18:00 local", i, describe(o.StartsAt))
		}
		if i > 0 && !o.StartsAt.After(got[i-1].StartsAt) {
			t.Errorf("occurrence %d is not after occurrence %d", i, i-1)
		}
		if o.StartsAt.UTC().Hour() == 17 {
			summer++
		} else {
			winter++
		}
	}
	// BST ends 2027-10-31 and starts 2028-03-26: 8 Tuesdays before, 21 in winter
	// (2027-11-02 to 2028-03-21), 23 after.
	if summer != 31 || winter != 21 {
		t.Errorf("got %d summer and %d winter sessions, want 31 and 21", summer, winter)
	}
}

func TestOccurrencesEndsAt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		day      string
		start    string
		duration time.Duration
		want     string
	}{
		{"ordinary evening", "2027-09-07", "18:00", 90 * time.Minute, "2027-09-07 19:30 BST = 18:30Z"},
		{"through the March change: four hours of elapsed time", "2027-03-27", "23:00", 4 * time.Hour, "2027-03-28 04:00 BST = 03:00Z"},
		{"through the October change: four hours of elapsed time", "2027-10-30", "23:00", 4 * time.Hour, "2027-10-31 02:00 GMT = 02:00Z"},
		{"longest allowed", "2027-09-07", "09:00", 12 * time.Hour, "2027-09-07 21:00 BST = 20:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := mustDate(t, tc.day)
			r := WeeklyRule{Days: []time.Weekday{d.Weekday()}, StartLocal: tc.start, Duration: tc.duration, FirstDate: d, LastDate: d}
			got := Occurrences(r, utc(t, "2027-01-01T00:00:00Z"), utc(t, "2028-01-01T00:00:00Z"))
			if len(got) != 1 {
				t.Fatalf("got %d occurrences, want 1", len(got))
			}
			if end := describe(got[0].EndsAt); end != tc.want {
				t.Errorf("EndsAt = %s, want %s", end, tc.want)
			}
		})
	}
}

func TestResolveLocal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		wall string // floating wall-clock time
		want string
	}{
		{"2027-03-28T00:59:00Z", "2027-03-28 00:59 GMT = 00:59Z"},
		{"2027-03-28T01:00:00Z", "2027-03-28 02:00 BST = 01:00Z"},
		{"2027-03-28T01:59:00Z", "2027-03-28 02:59 BST = 01:59Z"},
		{"2027-03-28T02:00:00Z", "2027-03-28 02:00 BST = 01:00Z"},
		{"2027-10-31T00:59:00Z", "2027-10-31 00:59 BST = 23:59Z"},
		{"2027-10-31T01:00:00Z", "2027-10-31 01:00 BST = 00:00Z"},
		{"2027-10-31T01:59:00Z", "2027-10-31 01:59 BST = 00:59Z"},
		{"2027-10-31T02:00:00Z", "2027-10-31 02:00 GMT = 02:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.wall, func(t *testing.T) {
			t.Parallel()
			if got := describe(resolveLocal(utc(t, tc.wall))); got != tc.want {
				t.Errorf("resolveLocal(%s) = %s, want %s", tc.wall, got, tc.want)
			}
		})
	}
}

func ExampleOccurrences() {
	first, _ := ParseDate("2027-03-21")
	last, _ := ParseDate("2027-04-04")
	rule := WeeklyRule{Days: []time.Weekday{time.Sunday}, StartLocal: "18:00", Duration: 90 * time.Minute, FirstDate: first, LastDate: last}
	from := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, o := range Occurrences(rule, from, to) {
		fmt.Println(o.StartsAt.Format("Mon 2 Jan 15:04 MST"), "is", o.StartsAt.UTC().Format("15:04 UTC"))
	}
	// Output:
	// Sun 21 Mar 18:00 GMT is 18:00 UTC
	// Sun 28 Mar 18:00 BST is 17:00 UTC
	// Sun 4 Apr 18:00 BST is 17:00 UTC
}
