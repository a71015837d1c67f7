package schedule

import (
	"regexp"
	"testing"
	"time"
)

func TestSpokenTimeIsWrittenAsTheAppWritesIt(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, London())
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for in, want := range map[string]string{
		"2027-06-01 18:00": "Tuesday 1 June at 6pm",
		"2027-06-01 18:30": "Tuesday 1 June at 6:30pm",
		"2027-06-01 09:05": "Tuesday 1 June at 9:05am",
		"2027-06-01 12:00": "Tuesday 1 June at midday",
		"2027-06-01 12:15": "Tuesday 1 June at 12:15pm",
		"2027-06-01 00:00": "Tuesday 1 June at midnight",
		"2027-06-01 00:30": "Tuesday 1 June at 12:30am",
	} {
		if got := SpokenWhen(at(in).UTC()); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

// TestSpokenWhenSQLHasNoPgbenchVariables: the booking statement is also run
// by pgbench, which reads ":name" anywhere in the text as a variable.
func TestSpokenWhenSQLHasNoPgbenchVariables(t *testing.T) {
	if v := regexp.MustCompile(`:[A-Za-z_]`).FindString(SpokenWhenSQL("o.starts_at")); v != "" {
		t.Fatalf("%q would be a pgbench variable", v)
	}
}
