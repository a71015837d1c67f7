package schedule

import (
	"fmt"
	"time"
)

// SpokenTime is a time of day as GOV.UK writes it, and as the app shows it
// (frontend formatTime): "6pm", "6:30pm", "midday", "midnight", in London.
func SpokenTime(t time.Time) string {
	t = t.In(london)
	h, m := t.Hour(), t.Minute()
	switch {
	case h == 12 && m == 0:
		return "midday"
	case h == 0 && m == 0:
		return "midnight"
	}
	suffix := "am"
	if h >= 12 {
		suffix = "pm"
	}
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	if m == 0 {
		return fmt.Sprintf("%d%s", h12, suffix)
	}
	return fmt.Sprintf("%d:%02d%s", h12, m, suffix)
}

// SpokenWhen is a day and time as messages say it: "Tuesday 1 June at 6pm".
func SpokenWhen(t time.Time) string {
	return t.In(london).Format("Monday 2 January") + " at " + SpokenTime(t)
}

// SpokenWhenSQL is SpokenWhen in SQL, for a timestamptz expression col. It
// holds no colon before a letter (pgbench, which runs the booking statement
// in the benchmarks, would read one as a variable).
func SpokenWhenSQL(col string) string {
	l := "(" + col + " AT TIME ZONE 'Europe/London')"
	return `(to_char(` + l + `, 'FMDay FMDD FMMonth') || ' at ' || CASE to_char(` + l + `, 'HH24MI')
		WHEN '1200' THEN 'midday' WHEN '0000' THEN 'midnight'
		ELSE to_char(` + l + `, 'FMHH12') || CASE WHEN to_char(` + l + `, 'MI') = '00' THEN '' ELSE ':' || to_char(` + l + `, 'MI') END
			|| lower(to_char(` + l + `, 'AM')) END)`
}
