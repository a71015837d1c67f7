package schedule

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "2027-03-28", want: Date{2027, time.March, 28}},
		{in: "2028-02-29", want: Date{2028, time.February, 29}},
		{in: "2027-02-29", wantErr: true},
		{in: "2027-3-28", wantErr: true},
		{in: "28/03/2027", wantErr: true},
		{in: "2027-03-28T18:00:00Z", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(tc.in)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("ParseDate(%q) = %v, want an error", tc.in, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseDate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
			if got.String() != tc.in {
				t.Errorf("String() = %q, want %q", got.String(), tc.in)
			}
		})
	}
}

func TestDateMethods(t *testing.T) {
	t.Parallel()
	a, b := Date{2027, time.March, 28}, Date{2027, time.October, 31}
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Errorf("Compare is wrong")
	}
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Before(a) {
		t.Errorf("Before/After are wrong")
	}
	if (Date{2027, time.December, 31}).Compare(Date{2028, time.January, 1}) != -1 {
		t.Errorf("Compare across a year is wrong")
	}
	if a.Weekday() != time.Sunday || b.Weekday() != time.Sunday {
		t.Errorf("both clock-change days of 2027 are Sundays")
	}
	if !(Date{}).IsZero() || a.IsZero() {
		t.Errorf("IsZero is wrong")
	}
	if (Date{}).IsValid() || (Date{2027, 2, 29}).IsValid() || !(Date{2028, 2, 29}).IsValid() || (Date{10000, 1, 1}).IsValid() {
		t.Errorf("IsValid is wrong")
	}
	late := time.Date(2027, time.July, 6, 23, 30, 0, 0, time.UTC)
	if got := DateOf(late.In(London())); got != (Date{2027, time.July, 7}) {
		t.Errorf("DateOf(23:30Z in July, in London) = %v, want 2027-07-07", got)
	}
}

func TestDateJSON(t *testing.T) {
	t.Parallel()
	type doc struct {
		First Date `json:"first_date"`
		Last  Date `json:"last_date"`
	}
	b, err := json.Marshal(doc{First: Date{2027, time.September, 7}})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"first_date":"2027-09-07","last_date":""}` {
		t.Errorf("Marshal = %s", b)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil || back.First != (Date{2027, time.September, 7}) || !back.Last.IsZero() {
		t.Errorf("Unmarshal = %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"first_date":"2027-02-30"}`), &back); err == nil {
		t.Errorf("Unmarshal of 2027-02-30 succeeded")
	}
}

func TestAgeOn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		dob, day string
		want     int
	}{
		{"day before the birthday", "2010-06-15", "2027-06-14", 16},
		{"on the birthday", "2010-06-15", "2027-06-15", 17},
		{"day after the birthday", "2010-06-15", "2027-06-16", 17},
		{"earlier month", "2010-06-15", "2027-05-31", 16},
		{"new year's eve birthday, day before", "2009-12-31", "2027-12-30", 17},
		{"new year's eve birthday", "2009-12-31", "2027-12-31", 18},
		{"new year's day birthday", "2009-01-01", "2027-01-01", 18},
		{"29 February: 28 February in a non-leap year is still the day before", "2012-02-29", "2027-02-28", 14},
		{"29 February: 1 March in a non-leap year is the birthday", "2012-02-29", "2027-03-01", 15},
		{"29 February: 28 February in a leap year is the day before", "2012-02-29", "2028-02-28", 15},
		{"29 February: 29 February in a leap year is the birthday", "2012-02-29", "2028-02-29", 16},
		{"day of birth", "2027-03-28", "2027-03-28", 0},
		{"day before birth", "2027-03-28", "2027-03-27", -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := AgeOn(mustDate(t, tc.dob), mustDate(t, tc.day)); got != tc.want {
				t.Errorf("AgeOn(%s, %s) = %d, want %d", tc.dob, tc.day, got, tc.want)
			}
		})
	}
}
