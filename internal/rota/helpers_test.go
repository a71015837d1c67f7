package rota

import (
	"slices"
	"testing"
	"time"
)

// at returns a Europe/London wall-clock time.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, London())
}

// adult returns a worker aged 30 in 2027 with every credential valid until 2030.
func adult(id, name string) Worker {
	return Worker{
		ID:                  id,
		Name:                name,
		DateOfBirth:         Date{1997, time.June, 1},
		Qualification:       QualificationNone,
		DBS:                 DBS{Enhanced: true, ChildrensBarredList: true, NextCheckDue: Date{2030, time.January, 1}},
		SafeguardingExpires: Date{2030, time.January, 1},
		ContractedHours:     37,
	}
}

// born returns w with a new date of birth.
func born(w Worker, d Date) Worker { w.DateOfBirth = d; return w }

func sh(id, occ, worker string, start, end time.Time) Shift {
	return Shift{ID: id, OccurrenceID: occ, WorkerID: worker, Role: RoleWorker, Start: start, End: end}
}

func codes(vs []Violation) []Code {
	out := []Code{}
	for _, v := range vs {
		out = append(out, v.Code)
	}
	return out
}

func wantCodes(t *testing.T, got []Violation, want ...Code) {
	t.Helper()
	if want == nil {
		want = []Code{}
	}
	if !slices.Equal(codes(got), want) {
		t.Errorf("codes = %v, want %v", codes(got), want)
		for _, v := range got {
			t.Logf("  %s: %s", v.Code, v.Message)
		}
	}
	for _, v := range got {
		if v.Message == "" {
			t.Errorf("%s has no message", v.Code)
		}
	}
}
