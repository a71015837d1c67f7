package api

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// TestSPARoutesMatchTheFrontend: the server's list of SPA pages is the
// frontend's route table, so that no real page answers 404.
func TestSPARoutesMatchTheFrontend(t *testing.T) {
	src, err := os.ReadFile("../../frontend/src/routes.ts")
	if err != nil {
		t.Fatal(err)
	}
	var front []string
	for _, m := range regexp.MustCompile(`path: '([^']+)'`).FindAllStringSubmatch(string(src), -1) {
		front = append(front, m[1])
	}
	if len(front) < 10 {
		t.Fatalf("found only %d routes in routes.ts: has its format changed?", len(front))
	}
	server := slices.Clone(spaRoutes)
	slices.Sort(front)
	slices.Sort(server)
	if !slices.Equal(front, server) {
		t.Fatalf("spaRoutes differ from frontend/src/routes.ts:\nfrontend %v\nserver   %v", front, server)
	}
}
