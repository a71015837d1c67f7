package api

import "strings"

// spaRoutes are the pages of the SPA (frontend/src/routes.ts; a test keeps
// the two lists the same). Any other path still gets index.html, whose own
// router shows "Page not found", but with status 404, so that a browser,
// a crawler or a link checker is told the truth.
var spaRoutes = []string{
	"/", "/register", "/sign-in", "/sign-out", "/forgot-password", "/reset-password/:token", "/confirm-email/:token",
	"/account", "/account/password", "/account/emergency-contact", "/account/:detail",
	"/centres", "/centres/:id", "/sessions", "/sessions/:id", "/bookings", "/notifications", "/consent/:token",
	"/coverage", "/admin/councils",
	"/manage/sessions", "/manage/sessions/new", "/manage/sessions/:id", "/manage/sessions/:id/edit",
	"/manage/occurrences/:id/bookings", "/manage/centres/new", "/manage/centres/:id/edit",
	"/rota", "/rota/checks", "/rota/sessions/:id", "/my-rota",
	"/staff", "/invite/:token", "/staff/:id/record", "/access-log", "/young-people",
	"/register/today", "/register/:occurrenceId", "/register/:occurrenceId/walk-in", "/register/:occurrenceId/roll-call",
}

// isSPAPage reports whether path is one of spaRoutes (":name" matches one
// segment; a trailing slash is ignored, as the SPA's router does).
func isSPAPage(path string) bool {
	got := strings.Split(strings.TrimRight(path, "/"), "/")
	for _, r := range spaRoutes {
		want := strings.Split(strings.TrimRight(r, "/"), "/")
		if len(want) != len(got) {
			continue
		}
		match := true
		for i, w := range want {
			if !(w == got[i] || (strings.HasPrefix(w, ":") && got[i] != "")) {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
