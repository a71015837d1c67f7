package timetable

import "testing"

// The capacity refusal reads right for one booking as for many.
func TestPlacesAreSaysOneOrMany(t *testing.T) {
	for n, want := range map[int]string{0: "0 places are", 1: "1 place is", 2: "2 places are"} {
		if got := placesAre(n); got != want {
			t.Errorf("placesAre(%d) = %q, want %q", n, got, want)
		}
	}
}
