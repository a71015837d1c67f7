package api_test

import (
	"strings"
	"testing"
	"time"
)

func TestWithdrawingAnInvitationSentToTheWrongAddress(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer := h.Login("officer.a@example.test")
	manager := h.Login("manager.a@example.test")
	invite := func(token, email, role string) string {
		t.Helper()
		return h.Do(Req{Method: "POST", Path: "/api/v1/invitations", Token: token, Body: map[string]string{"email": email, "role": role}}).Want(t, 201).Map(t)["id"].(string)
	}
	wrong := invite(officer, "nia@exmaple.test", "youth_worker")
	h.Now.Advance(time.Minute)
	lead := invite(officer, "lead@example.test", "centre_manager")
	h.Now.Advance(time.Minute)
	invite(h.Login("officer.b@example.test"), "other@example.test", "youth_worker")

	var list struct {
		Items []struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		} `json:"items"`
		Total int `json:"total"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/pending-invitations", Token: manager}).Want(t, 200).JSON(t, &list)
	if list.Total != 2 || list.Items[0].ID != lead || list.Items[1].ID != wrong {
		t.Fatalf("council A's pending invitations, newest first: %+v", list)
	}
	link := h.outboxLink("nia@exmaple.test", "/invite/")

	// Another council's officer cannot see or touch it; a manager may not withdraw a manager's invitation.
	h.Do(Req{Method: "DELETE", Path: "/api/v1/pending-invitations/" + wrong, Token: h.Login("officer.b@example.test")}).Want(t, 404)
	h.Do(Req{Method: "DELETE", Path: "/api/v1/pending-invitations/" + lead, Token: manager}).Want(t, 403)
	for _, who := range []string{"worker.a@example.test", "young@example.test", "guardian@example.test"} {
		h.Do(Req{Method: "GET", Path: "/api/v1/pending-invitations", Token: h.Login(who)}).Want(t, 403)
		h.Do(Req{Method: "DELETE", Path: "/api/v1/pending-invitations/" + wrong, Token: h.Login(who)}).Want(t, 403)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/invitations/" + link}).Want(t, 200)

	h.Do(Req{Method: "DELETE", Path: "/api/v1/pending-invitations/" + wrong, Token: manager}).Want(t, 204)
	h.Do(Req{Method: "DELETE", Path: "/api/v1/pending-invitations/" + wrong, Token: officer}).Want(t, 204)
	res := h.Do(Req{Method: "GET", Path: "/api/v1/invitations/" + link}).Want(t, 409)
	if !strings.Contains(string(res.Body), `"code":"invitation_withdrawn"`) {
		t.Fatalf("withdrawn link: %s", res.Body)
	}
	accept := map[string]string{"first_name": "Nia", "last_name": "New", "date_of_birth": "2000-05-01", "password": "pebble lantern orchard"}
	h.Do(Req{Method: "POST", Path: "/api/v1/invitations/" + link + "/accept", Body: accept}).Want(t, 409)
	if n := h.countWhere("users", "email = 'nia@exmaple.test'"); n != 0 {
		t.Fatalf("a withdrawn invitation made %d accounts", n)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/pending-invitations", Token: officer}).Want(t, 200).JSON(t, &list)
	if list.Total != 1 || list.Items[0].ID != lead {
		t.Fatalf("pending after withdrawing: %+v", list)
	}

	// An accepted invitation is not pending and cannot be withdrawn.
	h.Do(Req{Method: "POST", Path: "/api/v1/invitations/" + h.outboxLink("lead@example.test", "/invite/") + "/accept", Body: accept}).Want(t, 201)
	wantCode(t, h.Do(Req{Method: "DELETE", Path: "/api/v1/pending-invitations/" + lead, Token: officer}), 409, "invitation_used")
	h.Do(Req{Method: "GET", Path: "/api/v1/pending-invitations", Token: officer}).Want(t, 200).JSON(t, &list)
	if list.Total != 0 {
		t.Fatalf("pending after acceptance: %+v", list)
	}
}

func (h *H) countWhere(table, where string) int {
	h.t.Helper()
	var n int
	if err := h.DB.Get(&n, `SELECT count(*) FROM `+table+` WHERE `+where); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// A role change and switching off in one request: both or neither, audited.
func TestUpdatingStaffIsOneAuditedChange(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer := h.Login("officer.a@example.test")
	// A role that is not a staff role: refused with the field named, and the account left on.
	res := h.Do(Req{Method: "PATCH", Path: "/api/v1/staff/" + h.F.WorkerA, Token: officer, Raw: true,
		Body: map[string]any{"role": "admin", "active": false}}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"role"`) {
		t.Fatalf("role not named: %s", res.Body)
	}
	h.Login("worker.a@example.test")

	got := h.Do(Req{Method: "PATCH", Path: "/api/v1/staff/" + h.F.WorkerA, Token: officer,
		Body: map[string]any{"role": "centre_manager", "active": false}}).Want(t, 200).Map(t)
	if got["role"] != "centre_manager" || got["active"] != false {
		t.Fatalf("after the change: %v", got)
	}
	h.signIn("worker.a@example.test", fixturePassword).Want(t, 401)
	var reasons []string
	if err := h.DB.Select(&reasons, `SELECT reason FROM audit_log WHERE action = 'staff_changed' AND subject_id = $1 AND actor_id = $2`, h.F.WorkerA, h.F.OfficerA); err != nil {
		t.Fatal(err)
	}
	if len(reasons) != 1 || reasons[0] != "role youth_worker to centre_manager; switched off" {
		t.Fatalf("audit: %q", reasons)
	}
	// Sent again, nothing changes and nothing more is audited.
	h.Do(Req{Method: "PATCH", Path: "/api/v1/staff/" + h.F.WorkerA, Token: officer, Body: map[string]any{"active": false}}).Want(t, 200)
	if n := h.countWhere("audit_log", "action = 'staff_changed'"); n != 1 {
		t.Fatalf("%d audit rows after a change that changed nothing", n)
	}
}

// The admin sees which councils have an officer, or an invitation on its way.
func TestCouncilListSaysWhoHasAnOfficer(t *testing.T) {
	t.Parallel()
	h := newH(t)
	admin := h.Login("admin@example.test")
	co := h.Do(Req{Method: "POST", Path: "/api/v1/councils", Token: admin, Body: map[string]string{"name": "Salford City Council", "lad_code": "E08000006"}}).Want(t, 201).Map(t)
	if _, ok := co["officers"]; ok {
		t.Fatalf("a new council's answer carries list-only fields: %v", co)
	}
	res := h.Do(Req{Method: "POST", Path: "/api/v1/councils", Token: admin, Body: map[string]string{"name": "Nowhere", "lad_code": "X12345678"}}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"lad_code"`) {
		t.Fatalf("lad_code not named: %s", res.Body)
	}
	h.Do(Req{Method: "POST", Path: "/api/v1/councils/" + co["id"].(string) + "/officers", Token: admin, Body: map[string]string{"email": "first@salford.test"}}).Want(t, 201)

	var list struct {
		Items []struct {
			Name     string `json:"name"`
			Officers int    `json:"officers"`
			Pending  int    `json:"pending_officer_invitations"`
		} `json:"items"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/councils", Token: admin}).Want(t, 200).JSON(t, &list)
	got := map[string][2]int{}
	for _, c := range list.Items {
		got[c.Name] = [2]int{c.Officers, c.Pending}
	}
	if got["Salford City Council"] != [2]int{0, 1} || got["Trafford Council"] != [2]int{1, 0} || got["Manchester City Council"] != [2]int{1, 0} {
		t.Fatalf("officers and pending invitations by council: %v", got)
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/councils", Token: h.Login("officer.a@example.test")}).Want(t, 403)
}

// An address that already has an account is refused when inviting, not when the link is followed.
func TestInvitingAnAddressWithAnAccountIsRefusedAtOnce(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer := h.Login("officer.a@example.test")
	before := h.count("outbox")
	res := h.Do(Req{Method: "POST", Path: "/api/v1/invitations", Token: officer, Body: map[string]string{"email": "WORKER.B@example.test", "role": "youth_worker"}}).Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"email"`) {
		t.Fatalf("email not named: %s", res.Body)
	}
	if h.count("outbox") != before || h.count("invitations") != 0 {
		t.Fatal("a refused invitation was written or e-mailed")
	}
}

// An invitation that ran out unused stays in the list, marked expired, so
// that whoever sent it sees it never arrived and can send it again.
func TestExpiredInvitationsStayListedUntilSentAgain(t *testing.T) {
	t.Parallel()
	h := newH(t)
	// Signed in afresh each time: the clock moves on by weeks.
	officer := func() string { return h.Login("officer.a@example.test") }
	invite := func(email string) string {
		t.Helper()
		return h.Do(Req{Method: "POST", Path: "/api/v1/invitations", Token: officer(), Body: map[string]string{"email": email, "role": "youth_worker"}}).Want(t, 201).Map(t)["id"].(string)
	}
	type item struct {
		ID      string `json:"id"`
		Email   string `json:"email"`
		Expired bool   `json:"expired"`
	}
	pending := func() []item {
		t.Helper()
		var list struct {
			Items []item `json:"items"`
		}
		h.Do(Req{Method: "GET", Path: "/api/v1/pending-invitations", Token: officer()}).Want(t, 200).JSON(t, &list)
		return list.Items
	}
	old := invite("late@example.test")
	stale := invite("gone@example.test")
	link := h.outboxLink("late@example.test", "/invite/")
	h.Now.Advance(8 * 24 * time.Hour)

	got := pending()
	if len(got) != 2 || !got[0].Expired || !got[1].Expired {
		t.Fatalf("after eight days both are listed as expired: %+v", got)
	}
	wantCode(t, h.Do(Req{Method: "GET", Path: "/api/v1/invitations/" + link}), 422, "invitation_expired")

	// Sent again: the new one is listed, working; the expired one to that address is not.
	again := invite("LATE@example.test")
	got = pending()
	if len(got) != 2 || got[0].ID != again || got[0].Expired || got[1].ID != stale || !got[1].Expired {
		t.Fatalf("after sending again (want %s working, %s expired): %+v", again, stale, got)
	}
	for _, it := range got {
		if it.ID == old {
			t.Fatalf("the expired invitation is still listed beside the new one: %+v", got)
		}
	}

	// An expired one can be removed from the list; after 30 days it drops off by itself.
	h.Do(Req{Method: "DELETE", Path: "/api/v1/pending-invitations/" + stale, Token: officer()}).Want(t, 204)
	if got = pending(); len(got) != 1 || got[0].ID != again {
		t.Fatalf("after removing the expired one: %+v", got)
	}
	invite("slow@example.test")
	h.Now.Advance(38 * 24 * time.Hour)
	if got = pending(); len(got) != 0 {
		t.Fatalf("invitations expired over 30 days ago are still listed: %+v", got)
	}
}

// Inviting an address again replaces the earlier invitation: one person never
// holds two live links. A manager cannot replace an officer's invitation.
func TestInvitingTheSameAddressAgainReplacesTheFirst(t *testing.T) {
	t.Parallel()
	h := newH(t)
	officer, manager := h.Login("officer.a@example.test"), h.Login("manager.a@example.test")
	invite := func(token, email, role string) Res {
		return h.Do(Req{Method: "POST", Path: "/api/v1/invitations", Token: token, Body: map[string]string{"email": email, "role": role}})
	}
	invite(manager, "nia@example.test", "youth_worker").Want(t, 201)
	first := h.outboxLink("nia@example.test", "/invite/")
	h.Now.Advance(time.Minute)
	second := invite(manager, "NIA@example.test", "youth_worker").Want(t, 201).Map(t)["id"].(string)
	var list struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	h.Do(Req{Method: "GET", Path: "/api/v1/pending-invitations", Token: officer}).Want(t, 200).JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != second {
		t.Fatalf("pending after inviting twice: %+v, want only %s", list.Items, second)
	}
	wantCode(t, h.Do(Req{Method: "GET", Path: "/api/v1/invitations/" + first}), 409, "invitation_withdrawn")

	// An officer's invitation to a manager's post is not the manager's to replace.
	invite(officer, "lead@example.test", "centre_manager").Want(t, 201)
	res := invite(manager, "lead@example.test", "youth_worker").Want(t, 422)
	if !strings.Contains(string(res.Body), `"field":"email"`) || !strings.Contains(string(res.Body), "to join as a centre manager") {
		t.Fatalf("manager replacing an officer's invitation: %s", res.Body)
	}
	// Someone with an account: a manager is pointed to an officer, who can switch it back on.
	res = invite(manager, "worker.b@example.test", "youth_worker").Want(t, 422)
	if !strings.Contains(string(res.Body), "ask a council officer to switch their account back on") {
		t.Fatalf("manager inviting an existing account: %s", res.Body)
	}
}
