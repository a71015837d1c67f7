package schedule

import (
	"errors"
	"maps"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	valid := func() WeeklyRule {
		return WeeklyRule{
			Days:       []time.Weekday{time.Tuesday},
			StartLocal: "18:00",
			Duration:   90 * time.Minute,
			FirstDate:  Date{2027, time.September, 7},
			LastDate:   Date{2028, time.July, 18},
			Exceptions: []Date{{2027, time.December, 28}},
		}
	}
	tests := []struct {
		name   string
		modify func(r *WeeklyRule)
		want   map[string]string
	}{
		{name: "valid", modify: func(*WeeklyRule) {}},
		{name: "open-ended", modify: func(r *WeeklyRule) { r.LastDate = Date{} }},
		{name: "one day only", modify: func(r *WeeklyRule) { r.LastDate = r.FirstDate }},
		{name: "midnight start", modify: func(r *WeeklyRule) { r.StartLocal = "00:00" }},
		{name: "last minute of the day", modify: func(r *WeeklyRule) { r.StartLocal = "23:59" }},
		{name: "shortest", modify: func(r *WeeklyRule) { r.Duration = 15 * time.Minute }},
		{name: "longest", modify: func(r *WeeklyRule) { r.Duration = 12 * time.Hour }},
		{
			name:   "no days",
			modify: func(r *WeeklyRule) { r.Days = nil },
			want:   map[string]string{"days": "Choose at least one day"},
		},
		{
			name:   "day out of range",
			modify: func(r *WeeklyRule) { r.Days = []time.Weekday{time.Monday, 7} },
			want:   map[string]string{"days": "Choose days from Monday to Sunday"},
		},
		{
			name:   "no start time",
			modify: func(r *WeeklyRule) { r.StartLocal = "" },
			want:   map[string]string{"start_time": "Enter a start time like 18:00"},
		},
		{
			name:   "12-hour start time",
			modify: func(r *WeeklyRule) { r.StartLocal = "6pm" },
			want:   map[string]string{"start_time": "Enter a start time like 18:00"},
		},
		{
			name:   "single-digit hour",
			modify: func(r *WeeklyRule) { r.StartLocal = "8:00" },
			want:   map[string]string{"start_time": "Enter a start time like 18:00"},
		},
		{
			name:   "hour 24",
			modify: func(r *WeeklyRule) { r.StartLocal = "24:00" },
			want:   map[string]string{"start_time": "Enter a start time like 18:00"},
		},
		{
			name:   "minute 60",
			modify: func(r *WeeklyRule) { r.StartLocal = "18:60" },
			want:   map[string]string{"start_time": "Enter a start time like 18:00"},
		},
		{
			name:   "seconds",
			modify: func(r *WeeklyRule) { r.StartLocal = "18:00:00" },
			want:   map[string]string{"start_time": "Enter a start time like 18:00"},
		},
		{
			name:   "too short",
			modify: func(r *WeeklyRule) { r.Duration = 14 * time.Minute },
			want:   map[string]string{"duration": "Enter a length between 15 minutes and 12 hours"},
		},
		{
			name:   "too long",
			modify: func(r *WeeklyRule) { r.Duration = 12*time.Hour + time.Minute },
			want:   map[string]string{"duration": "Enter a length between 15 minutes and 12 hours"},
		},
		{
			name:   "no first date",
			modify: func(r *WeeklyRule) { r.FirstDate = Date{} },
			want:   map[string]string{"first_date": "Enter the first date"},
		},
		{
			name:   "first date that does not exist",
			modify: func(r *WeeklyRule) { r.FirstDate = Date{2027, time.February, 29} },
			want:   map[string]string{"first_date": "Enter a real first date, like 2027-09-07"},
		},
		{
			name:   "last date before first date",
			modify: func(r *WeeklyRule) { r.LastDate = Date{2027, time.September, 6} },
			want:   map[string]string{"last_date": "The last date must be on or after the first date"},
		},
		{
			name:   "last date that does not exist",
			modify: func(r *WeeklyRule) { r.LastDate = Date{2028, time.June, 31} },
			want:   map[string]string{"last_date": "Enter a real last date, like 2028-07-18"},
		},
		{
			name:   "exception that does not exist",
			modify: func(r *WeeklyRule) { r.Exceptions = append(r.Exceptions, Date{2027, 13, 1}, Date{2027, 14, 1}) },
			want:   map[string]string{"exceptions": "Enter each date with no session as a real date, like 2027-12-28"},
		},
		{
			name: "every field wrong at once",
			modify: func(r *WeeklyRule) {
				*r = WeeklyRule{Exceptions: []Date{{2027, 2, 30}}}
			},
			want: map[string]string{
				"days":       "Choose at least one day",
				"start_time": "Enter a start time like 18:00",
				"duration":   "Enter a length between 15 minutes and 12 hours",
				"first_date": "Enter the first date",
				"exceptions": "Enter each date with no session as a real date, like 2027-12-28",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := valid()
			tc.modify(&r)
			err := Validate(r)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var verrs ValidationErrors
			if !errors.As(err, &verrs) {
				t.Fatalf("Validate = %v, want ValidationErrors", err)
			}
			got := map[string]string{}
			for _, fe := range verrs {
				if _, dup := got[fe.Field]; dup {
					t.Errorf("field %q reported twice", fe.Field)
				}
				got[fe.Field] = fe.Message
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("Validate fields = %v, want %v", got, tc.want)
			}
			for field, msg := range tc.want {
				if !strings.Contains(err.Error(), field+": "+msg) {
					t.Errorf("Error() = %q, want it to contain %q", err.Error(), field+": "+msg)
				}
			}
		})
	}
}
