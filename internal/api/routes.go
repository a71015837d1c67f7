package api

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"youthhub/internal/account"
	"youthhub/internal/platform/auth"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/web"
	"youthhub/internal/staffing"
)

// Policy declares who may call a route and which ownership check the handler
// applies. Every route in the table has one; a test fails on any that does not.
type Policy struct {
	Public bool        // anyone, signed in or not
	Roles  []auth.Role // otherwise: a signed-in user with one of these roles
	Owner  string      // the ownership rule the handler enforces, in words
	// Stateless routes check the token and its role claim without a
	// database lookup, because the handler's one SQL statement re-checks the
	// user's current role and that the account is active (the booking hot path).
	Stateless bool
}

func stateless(p Policy) Policy { p.Stateless = true; return p }

func public(owner string) Policy { return Policy{Public: true, Owner: owner} }

func roles(owner string, rs ...auth.Role) Policy { return Policy{Roles: rs, Owner: owner} }

// Route is one entry of the route table.
type Route struct {
	Method, Path string
	Policy       Policy
	Handler      fiber.Handler
}

var (
	young    = auth.YoungPerson
	guardian = auth.Guardian
	worker   = auth.YouthWorker
	manager  = auth.CentreManager
	officer  = auth.CouncilOfficer
	admin    = auth.Admin
	everyone = []auth.Role{young, guardian, worker, manager, officer, admin}
)

// Routes is the one route table, read top to bottom.
func (s *Server) Routes() []Route {
	return []Route{
		{"GET", "/healthz", public("none"), s.healthz},
		{"GET", "/readyz", public("none"), s.readyz},
		{"GET", "/metrics", public("none: operational counters only, no personal data"), s.metrics()},
		{"GET", "/api/openapi.yaml", public("the public contract"), s.openAPIYAML},
		{"GET", "/api/docs", public("the public contract"), s.docsIndex},
		{"GET", "/api/docs/:file", public("the public contract"), s.docsAsset},

		{"POST", "/api/v1/auth/register", public("creates the caller's own account"), s.register},
		{"POST", "/api/v1/auth/login", public("the caller's own credentials"), s.login},
		{"POST", "/api/v1/auth/refresh", public("the refresh cookie identifies the caller"), s.refresh},
		{"POST", "/api/v1/auth/logout", public("the refresh cookie identifies the caller"), s.logout},
		{"POST", "/api/v1/auth/password-reset", public("answers alike for any address; e-mails only the account's own address"), s.requestPasswordReset},
		{"GET", "/api/v1/auth/password-reset/:token", public("holder of the single-use link"), s.getPasswordReset},
		{"POST", "/api/v1/auth/password-reset/:token", public("holder of the single-use link"), s.resetPassword},
		{"GET", "/api/v1/auth/email-change/:token", public("holder of the link sent to the new address"), s.getEmailChange},
		{"POST", "/api/v1/auth/email-change/:token", roles("holder of the link sent to the new address, signed in as the account it is for", everyone...), s.confirmEmailChange},

		{"GET", "/api/v1/me", roles("own record", everyone...), s.getMe},
		{"PATCH", "/api/v1/me", roles("own record", everyone...), s.updateMe},
		{"POST", "/api/v1/me/password", roles("own password; the current one is checked as a sign-in is", everyone...), s.changePassword},
		{"POST", "/api/v1/me/sign-out-everywhere", roles("the caller's own sessions", everyone...), s.signOutEverywhere},
		{"GET", "/api/v1/me/data", roles("the caller's own data", young), s.exportMyData},
		{"DELETE", "/api/v1/me", roles("the caller's own account", young, guardian), s.deleteMe},
		{"GET", "/api/v1/me/emergency-contacts", roles("own emergency contacts", young), s.listMyEmergencyContacts},
		{"PUT", "/api/v1/me/emergency-contacts", roles("own emergency contacts", young), s.replaceMyEmergencyContacts},
		{"POST", "/api/v1/me/consent-request", roles("the caller's own consent request", young), s.requestConsentAgain},

		{"GET", "/api/v1/consent/:token", public("holder of the single-use link"), s.getConsent},
		{"POST", "/api/v1/consent/:token", public("holder of the single-use link"), s.decideConsent},
		{"GET", "/api/v1/guardian/children", roles("children whose account named the guardian's email", guardian), s.guardianChildren},
		{"POST", "/api/v1/guardian/children/:id/withdraw", roles("a child whose account named the guardian's email", guardian), s.withdrawConsent},
		{"POST", "/api/v1/guardian/children/:id/give", roles("a child whose account named the guardian's email", guardian), s.giveConsent},

		{"GET", "/api/v1/councils", roles("all councils", admin), s.listCouncils},
		{"POST", "/api/v1/councils", roles("platform admin only", admin), s.createCouncil},
		{"POST", "/api/v1/councils/:id/officers", roles("platform admin only", admin), s.inviteFirstOfficer},

		{"POST", "/api/v1/invitations", roles("into the caller's own council", officer, manager), s.invite},
		{"GET", "/api/v1/invitations/:token", public("holder of the single-use link"), s.getInvitation},
		{"POST", "/api/v1/invitations/:token/accept", public("holder of the single-use link"), s.acceptInvitation},
		{"GET", "/api/v1/pending-invitations", roles("invitations into the caller's own council", officer, manager), s.listPendingInvitations},
		{"DELETE", "/api/v1/pending-invitations/:id", roles("an invitation into the caller's own council; managers: youth workers' only", officer, manager), s.withdrawInvitation},
		{"POST", "/api/v1/young-people/:id/date-of-birth", roles("a young person who has been to a session of the caller's own council; audited with a reason", officer), s.correctDateOfBirth},
		{"GET", "/api/v1/audit-log", roles("entries whose actor or subject is on the caller's own council's staff", officer), s.auditLog},
		{"GET", "/api/v1/staff", roles("staff of the caller's own council", officer, manager), s.listStaff},
		{"PATCH", "/api/v1/staff/:id", roles("staff of the caller's own council", officer), s.updateStaff},

		{"GET", "/api/v1/centres", public("public listing"), s.listCentres},
		{"GET", "/api/v1/centres/:id", public("public listing"), s.getCentre},
		{"POST", "/api/v1/centres", roles("into the caller's own council", officer), s.createCentre},
		{"PUT", "/api/v1/centres/:id", roles("a centre of the caller's own council", officer), s.updateCentre},

		// Timetable
		{"GET", "/api/v1/sessions", public("public listing of every council's sessions"), s.listSessions},
		{"GET", "/api/v1/sessions/:id", public("public listing, cancelled sessions too"), s.getSession},
		{"POST", "/api/v1/series", roles("at a centre of the caller's own council", manager, officer), s.createSeries},
		{"GET", "/api/v1/series", roles("series of the caller's own council", manager, officer), s.listSeries},
		{"GET", "/api/v1/series/:id", roles("a series of the caller's own council", manager, officer), s.getSeries},
		{"PATCH", "/api/v1/series/:id", roles("a series of the caller's own council", manager, officer), s.updateSeries},
		{"GET", "/api/v1/series/:id/occurrences", roles("a series of the caller's own council", manager, officer), s.listSeriesOccurrences},
		{"PATCH", "/api/v1/occurrences/:id", roles("an occurrence of the caller's own council", manager, officer), s.updateOccurrence},
		{"POST", "/api/v1/occurrences/:id/cancel", roles("an occurrence of the caller's own council", manager, officer), s.cancelOccurrence},

		// Bookings
		{"POST", "/api/v1/sessions/:id/bookings", stateless(roles("books for the caller only; the booking statement re-checks role and active", young)), s.createBooking},
		{"GET", "/api/v1/me/bookings", roles("the caller's own bookings", young), s.listMyBookings},
		{"GET", "/api/v1/bookings/:id", roles("the caller's own booking", young), s.getBooking},
		{"DELETE", "/api/v1/bookings/:id", roles("the caller's own booking", young), s.cancelBooking},
		{"GET", "/api/v1/bookings/:id/calendar.ics", roles("the caller's own booking", young), s.bookingICS},
		{"POST", "/api/v1/me/calendar", roles("the caller's own subscription", young), s.resetCalendar},
		{"GET", "/api/v1/calendar/bookings/:secret.ics", public("holder of the private subscription secret"), s.bookingsFeed},
		{"GET", "/api/v1/me/notifications", roles("the caller's own notifications", everyone...), s.listNotifications},
		{"POST", "/api/v1/me/notifications/read", roles("the caller's own notifications", everyone...), s.readNotifications},

		// Registers
		{"GET", "/api/v1/registers/today", roles("sessions of the caller's own council", manager, officer), s.registersToday},
		{"GET", "/api/v1/sessions/:id/register", roles(keepsRegister, worker, manager, officer), s.getRegister},
		{"POST", "/api/v1/sessions/:id/register/marks", roles(keepsRegister, worker, manager, officer), s.recordMarks},
		{"GET", "/api/v1/sessions/:id/register/history", roles(keepsRegister, worker, manager, officer), s.registerHistory},
		{"POST", "/api/v1/sessions/:id/register/scan", roles(keepsRegister, worker, manager, officer), s.scan},
		{"POST", "/api/v1/sessions/:id/walk-ins", roles(keepsRegister, worker, manager, officer), s.addWalkIn},
		{"GET", "/api/v1/sessions/:id/holders", roles(keepsRegister+"; names and where each stands only", worker, manager, officer), s.sessionHolders},
		{"GET", "/api/v1/sessions/:id/roll-call", roles(keepsRegister+"; each view of a child's details is audited", worker, manager, officer), s.rollCall},
		{"GET", "/api/v1/walk-ins/search", roles("any staff: young people cross council lines; only first name, initial, birth date, postcode district", worker, manager, officer), s.searchWalkIns},

		// Rota
		{"GET", "/api/v1/rota", roles("occurrences of the caller's own council", manager, officer), s.rotaWeek},
		{"GET", "/api/v1/rota/expiring", roles("staff of the caller's own council", manager, officer), s.rotaExpiring},
		{"POST", "/api/v1/rota/autofill", roles("occurrences and staff of the caller's own council", manager, officer), s.rotaAutoFill},
		{"POST", "/api/v1/rota/autofill/apply", roles("occurrences and staff of the caller's own council", manager, officer), s.rotaAutoFillApply},
		{"GET", "/api/v1/sessions/:id/shifts", roles("an occurrence of the caller's own council", manager, officer), s.occurrenceShifts},
		{"POST", "/api/v1/sessions/:id/shifts", roles("an occurrence and staff of the caller's own council", manager, officer), s.createShift},
		{"PATCH", "/api/v1/shifts/:id", roles("a shift of the caller's own council", manager, officer), s.updateShift},
		{"DELETE", "/api/v1/shifts/:id", roles("a shift of the caller's own council", manager, officer), s.deleteShift},
		{"POST", "/api/v1/shifts/:id/swap", roles("the caller's own shift", worker, manager, officer), s.offerSwap},
		{"GET", "/api/v1/swaps", roles("swaps of the caller's own council; workers see open offers and their own", worker, manager, officer), s.listSwaps},
		{"POST", "/api/v1/swaps/:id/accept", roles("a colleague's offer in the caller's own council", worker, manager, officer), s.swapAction((*staffing.Service).AcceptSwap)},
		{"POST", "/api/v1/swaps/:id/approve", roles("a swap of the caller's own council", manager, officer), s.swapAction((*staffing.Service).ApproveSwap)},
		{"POST", "/api/v1/swaps/:id/decline", roles("a swap of the caller's own council", manager, officer), s.swapAction((*staffing.Service).DeclineSwap)},
		{"POST", "/api/v1/swaps/:id/cancel", roles("the caller's own offer", worker, manager, officer), s.swapAction((*staffing.Service).CancelSwap)},
		{"GET", "/api/v1/staff/:id/record", roles("own record; managers and officers: staff of their own council", worker, manager, officer), s.getStaffRecord},
		{"PUT", "/api/v1/staff/:id/record", roles("staff of the caller's own council", manager, officer), s.putStaffRecord},
		{"GET", "/api/v1/me/rota", roles("the caller's own shifts", worker, manager, officer), s.myRota},
		{"POST", "/api/v1/me/rota/calendar", roles("the caller's own subscription", worker, manager, officer), s.myRotaCalendar},
		{"GET", "/api/v1/calendar/rota/:secret.ics", public("holder of the private subscription secret"), s.rotaFeed},

		// Coverage
		{"GET", "/api/v1/councils/:id/coverage", roles(coverageOwner, officer, admin), s.coverageSummary},
		{"GET", "/api/v1/councils/:id/coverage/areas", roles(coverageOwner, officer, admin), s.coverageAreas},
		{"GET", "/api/v1/councils/:id/coverage/centres", roles(coverageOwner, officer, admin), s.coverageCentres},
		{"GET", "/api/v1/councils/:id/coverage/gaps", roles(coverageOwner, officer, admin), s.coverageGaps},
		{"POST", "/api/v1/councils/:id/coverage/what-if", roles(coverageOwner+"; writes nothing", officer, admin), s.coverageWhatIf},
		{"POST", "/api/v1/councils/:id/coverage/siting", roles(coverageOwner+"; writes nothing", officer, admin), s.coverageSiting},

		// Open data
		{"GET", "/openactive/session-series", public(openDataOwner), s.sessionSeriesFeed},
		{"GET", "/openactive/scheduled-sessions", public(openDataOwner), s.scheduledSessionsFeed},
		{"GET", "/openactive/activity-list", public(openDataOwner), s.activityList},
		{"GET", "/openreferral", public(openDataOwner), s.referralAPI},
		{"GET", "/openreferral/services", public(openDataOwner), s.referralServices},
		{"GET", "/openreferral/services/:id", public(openDataOwner), s.referralService},
		{"GET", "/openreferral/service_at_locations", public(openDataOwner), s.referralServiceAtLocations},
		{"GET", "/openreferral/service_at_locations/:id", public(openDataOwner), s.referralServiceAtLocation},
	}
}

func (s *Server) mount(app *fiber.App) {
	for _, r := range s.Routes() {
		app.Add(r.Method, r.Path, s.authorize(r.Policy), r.Handler)
		if r.Method == fiber.MethodGet {
			// HEAD is GET without the body (monitors, link checkers, calendar apps).
			app.Add(fiber.MethodHead, r.Path, s.authorize(r.Policy), r.Handler)
		}
	}
	routes := s.Routes()
	noRoute := func(c *fiber.Ctx) error {
		if allow := allowedMethods(routes, c.Path()); len(allow) > 0 {
			c.Set(fiber.HeaderAllow, strings.Join(allow, ", "))
			return fault.New(fault.NotAllowed, "%s does not take %s; it takes %s", c.Path(), c.Method(), strings.Join(allow, ", "))
		}
		if strings.HasPrefix(c.Path(), "/api/") {
			return fault.New(fault.NotFound, "There is no such API endpoint")
		}
		return fiber.ErrNotFound
	}
	app.All("/api/*", noRoute)
	app.Get("/*", s.serveSPA)
	app.Use(noRoute) // any other method on a page or an open-data path
}

// allowedMethods lists the methods the route table has for path (":name"
// matches one segment, ":name.ext" one ending in .ext).
func allowedMethods(routes []Route, path string) []string {
	got := strings.Split(strings.TrimSuffix(path, "/"), "/")
	var out []string
	for _, r := range routes {
		want := strings.Split(r.Path, "/")
		if len(want) != len(got) || slices.Contains(out, r.Method) {
			continue
		}
		match := true
		for i, w := range want {
			switch {
			case !strings.HasPrefix(w, ":"):
				match = w == got[i]
			case strings.Contains(w, "."):
				ext := w[strings.Index(w, "."):]
				match = len(got[i]) > len(ext) && strings.HasSuffix(got[i], ext)
			default:
				match = got[i] != ""
			}
			if !match {
				break
			}
		}
		if match {
			out = append(out, r.Method)
			if r.Method == fiber.MethodGet {
				out = append(out, fiber.MethodHead)
			}
		}
	}
	slices.Sort(out)
	return out
}

const localPrincipal = "principal"

// authorize enforces a route's policy: public routes still read a valid
// token when present; others need a valid access token and an allowed role.
// The user's current role and council are read from the database.
func (s *Server) authorize(p Policy) fiber.Handler {
	return func(c *fiber.Ctx) error {
		h := c.Get(fiber.HeaderAuthorization)
		if h == "" {
			if p.Public {
				return c.Next()
			}
			return fault.New(fault.Unauthorized, "Sign in to do this")
		}
		// The scheme name is case-insensitive (RFC 9110 §11.1).
		raw, ok := "", len(h) > 7 && strings.EqualFold(h[:7], "Bearer ")
		if ok {
			raw = h[7:]
		}
		if !ok {
			return fault.New(fault.Unauthorized, "Send the access token as: Authorization: Bearer <token>")
		}
		tok, err := s.signer.VerifyAccess(raw)
		if err != nil {
			return fault.New(fault.Unauthorized, "Your session has ended. Sign in again")
		}
		pr := account.Principal{UserID: tok.UserID, Role: tok.Role, Active: true}
		if !p.Stateless {
			if pr, err = s.accounts.FindPrincipal(c.UserContext(), tok.UserID, tok.IssuedAt); err != nil {
				return err
			}
		}
		pr.IssuedAt = tok.IssuedAt
		c.Locals(web.LocalUserID, pr.UserID)
		c.Locals(localPrincipal, pr)
		if !p.Public && !slices.Contains(p.Roles, pr.Role) {
			return fault.New(fault.Forbidden, "Your role cannot do this")
		}
		return c.Next()
	}
}

// principal is the signed-in caller; the zero value when signed out.
func principal(c *fiber.Ctx) account.Principal {
	p, _ := c.Locals(localPrincipal).(account.Principal)
	return p
}
