package api

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"

	"youthhub/internal/account"
	"youthhub/internal/booking"
	"youthhub/internal/platform/fault"
	"youthhub/internal/platform/ratelimit"
	"youthhub/internal/platform/web"
	"youthhub/internal/postcode"
	"youthhub/internal/register"
	"youthhub/internal/schedule"
	"youthhub/internal/ticket"
)

// Registers at the door. Every handler but the walk-in search first checks
// that the caller keeps this occurrence's register (register.Authorize):
// staff of its council rostered on it, or its council's centre managers and
// officers; another council's session is 404, an unrostered worker 403.

func registerActor(c *fiber.Ctx) register.Actor {
	p := principal(c)
	return register.Actor{UserID: p.UserID, Role: p.Role, CouncilID: p.CouncilID}
}

// registerOccurrence authorises the caller for the :id occurrence.
func (s *Server) registerOccurrence(c *fiber.Ctx) (register.Actor, register.Occurrence, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return register.Actor{}, register.Occurrence{}, err
	}
	a := registerActor(c)
	o, err := s.registers.Authorize(c.UserContext(), a, id)
	return a, o, err
}

func localTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := localTime(*t)
	return &s
}

type registerSessionDTO struct {
	ID               string  `json:"id"`
	Title            string  `json:"title"`
	CentreID         string  `json:"centre_id"`
	CentreName       string  `json:"centre_name"`
	StartsAt         string  `json:"starts_at"`
	EndsAt           string  `json:"ends_at"`
	BookingMode      string  `json:"booking_mode"`
	Capacity         int     `json:"capacity"`
	SpacesLeft       *int    `json:"spaces_left"`
	Status           string  `json:"status"`
	RegisterClosedAt *string `json:"register_closed_at"`
	LocksAt          string  `json:"locks_at"`
	Locked           bool    `json:"locked"`
}

func (s *Server) toRegisterSessionDTO(o register.Occurrence) registerSessionDTO {
	return registerSessionDTO{ID: o.ID, Title: o.Title, CentreID: o.CentreID, CentreName: o.CentreName,
		StartsAt: localTime(o.StartsAt), EndsAt: localTime(o.EndsAt), BookingMode: o.BookingMode, Capacity: o.Capacity,
		SpacesLeft: o.SpacesLeft(), Status: o.Status, RegisterClosedAt: localTimePtr(o.RegisterClosedAt),
		LocksAt: localTime(o.LocksAt()), Locked: o.Locked(s.now())}
}

type currentMarkDTO struct {
	Status         string  `json:"status"`
	CheckedInAt    *string `json:"checked_in_at"`
	CheckedOutAt   *string `json:"checked_out_at"`
	RecordedBy     *string `json:"recorded_by"`
	RecordedByName string  `json:"recorded_by_name"`
	RecordedAt     string  `json:"recorded_at"`
	ClientID       string  `json:"client_id"`
}

type registerEntryDTO struct {
	YoungPersonID string          `json:"young_person_id"`
	FirstName     string          `json:"first_name"`
	LastName      string          `json:"last_name"`
	DateOfBirth   *string         `json:"date_of_birth"`
	BookingID     *string         `json:"booking_id"`
	BookingStatus *string         `json:"booking_status"`
	WalkIn        bool            `json:"walk_in"`
	OnSite        bool            `json:"on_site"`
	HasContact    bool            `json:"has_emergency_contact"`
	Mark          *currentMarkDTO `json:"mark"`
}

func toEntryDTO(e register.Entry) registerEntryDTO {
	out := registerEntryDTO{YoungPersonID: e.YoungPersonID, FirstName: e.FirstName, LastName: e.LastName,
		DateOfBirth: dateString(e.DateOfBirth), BookingID: e.BookingID, BookingStatus: e.BookingStatus, WalkIn: e.WalkIn, OnSite: e.OnSite(), HasContact: e.HasContact}
	if m := e.Mark; m != nil {
		out.Mark = &currentMarkDTO{Status: m.Status, CheckedInAt: localTimePtr(m.CheckedInAt), CheckedOutAt: localTimePtr(m.CheckedOutAt),
			RecordedBy: m.RecordedBy, RecordedByName: m.RecordedByName, RecordedAt: localTime(m.RecordedAt), ClientID: m.ClientID}
	}
	return out
}

type registerCountsDTO struct {
	Booked   int `json:"booked"`
	WalkIns  int `json:"walk_ins"`
	Present  int `json:"present"`
	OnSite   int `json:"on_site"`
	Absent   int `json:"absent"`
	Unmarked int `json:"unmarked"`
}

type registerDTO struct {
	Session     registerSessionDTO `json:"session"`
	Counts      registerCountsDTO  `json:"counts"`
	Entries     []registerEntryDTO `json:"entries"`
	GeneratedAt string             `json:"generated_at"`
}

func (s *Server) getRegister(c *fiber.Ctx) error {
	_, o, err := s.registerOccurrence(c)
	if err != nil {
		return err
	}
	reg, err := s.registers.FindRegister(c.UserContext(), o)
	if err != nil {
		return err
	}
	k := reg.Counts
	out := registerDTO{Session: s.toRegisterSessionDTO(o), Entries: make([]registerEntryDTO, 0, len(reg.Entries)),
		Counts:      registerCountsDTO{Booked: k.Booked, WalkIns: k.WalkIns, Present: k.Present, OnSite: k.OnSite, Absent: k.Absent, Unmarked: k.Unmarked},
		GeneratedAt: localTime(s.now())}
	for _, e := range reg.Entries {
		out.Entries = append(out.Entries, toEntryDTO(e))
	}
	web.NoStore(c)
	return c.JSON(out)
}

// markIn is one offline mark. Every field is text so that one malformed
// mark is refused on its own (register.Check) instead of failing the sync.
type markIn struct {
	ClientID      string `json:"client_id"`
	YoungPersonID string `json:"young_person_id"`
	Status        string `json:"status"`
	RecordedAt    string `json:"recorded_at"`
	CheckedInAt   string `json:"checked_in_at"`
	CheckedOutAt  string `json:"checked_out_at"`
}

type marksIn struct {
	DeviceID string   `json:"device_id"`
	Reason   string   `json:"reason"`
	Marks    []markIn `json:"marks"`
}

type markResultDTO struct {
	ClientID string `json:"client_id"`
	Outcome  string `json:"outcome"`
	Code     string `json:"code,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

type marksDTO struct {
	Results    []markResultDTO `json:"results"`
	Stored     int             `json:"stored"`
	Superseded int             `json:"superseded"`
	Duplicate  int             `json:"duplicate"`
	Refused    int             `json:"refused"`
}

func (s *Server) recordMarks(c *fiber.Ctx) error {
	a, o, err := s.registerOccurrence(c)
	if err != nil {
		return err
	}
	var in marksIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	b := register.Batch{DeviceID: in.DeviceID, Reason: in.Reason, Marks: make([]register.MarkInput, len(in.Marks))}
	for i, m := range in.Marks {
		b.Marks[i] = register.MarkInput(m)
	}
	results, err := s.registers.RecordMarks(c.UserContext(), a, o, b)
	if err != nil {
		return err
	}
	out := marksDTO{Results: make([]markResultDTO, len(results))}
	for i, r := range results {
		out.Results[i] = markResultDTO(r)
		switch r.Outcome {
		case register.Stored:
			out.Stored++
		case register.Superseded:
			out.Superseded++
		case register.Duplicate:
			out.Duplicate++
		default:
			out.Refused++
		}
	}
	web.NoStore(c)
	return c.JSON(out)
}

type markRecordDTO struct {
	ID             string  `json:"id"`
	ClientID       string  `json:"client_id"`
	YoungPersonID  string  `json:"young_person_id"`
	BookingID      *string `json:"booking_id"`
	Status         string  `json:"status"`
	CheckedInAt    *string `json:"checked_in_at"`
	CheckedOutAt   *string `json:"checked_out_at"`
	RecordedBy     *string `json:"recorded_by"`
	RecordedByName string  `json:"recorded_by_name"`
	RecordedAt     string  `json:"recorded_at"`
	DeviceID       string  `json:"device_id"`
	Reason         string  `json:"reason"`
	CreatedAt      string  `json:"created_at"`
	Current        bool    `json:"current"`
}

func (s *Server) registerHistory(c *fiber.Ctx) error {
	_, o, err := s.registerOccurrence(c)
	if err != nil {
		return err
	}
	page, err := web.PageOf(c, 200, 1000)
	if err != nil {
		return err
	}
	yp, err := web.QueryUUID(c, "young_person_id")
	if err != nil {
		return err
	}
	items, total, err := s.registers.FindMarks(c.UserContext(), o.ID, yp, page.Limit, page.Offset)
	if err != nil {
		return err
	}
	out := web.List[markRecordDTO]{Items: make([]markRecordDTO, 0, len(items)), Total: total}
	for _, m := range items {
		out.Items = append(out.Items, markRecordDTO{ID: m.ID, ClientID: m.ClientID, YoungPersonID: m.YoungPersonID, BookingID: m.BookingID,
			Status: m.Status, CheckedInAt: localTimePtr(m.CheckedInAt), CheckedOutAt: localTimePtr(m.CheckedOutAt), RecordedBy: m.RecordedBy,
			RecordedByName: m.RecordedByName, RecordedAt: localTime(m.RecordedAt), DeviceID: m.DeviceID, Reason: m.Reason,
			CreatedAt: localTime(m.CreatedAt), Current: m.Current})
	}
	web.NoStore(c)
	return c.JSON(out)
}

type scanIn struct {
	Token     string `json:"token" validate:"max=200"`
	ShortCode string `json:"short_code" validate:"max=20"`
	DeviceID  string `json:"device_id" validate:"max=100"`
}

type scanDTO struct {
	AlreadyPresent bool             `json:"already_present"`
	Entry          registerEntryDTO `json:"entry"`
}

// scan marks a ticket's holder present. Refusals have stable codes: 422
// malformed, forged, unknown_short_code; 409 wrong_session,
// booking_cancelled, booking_not_confirmed. Nothing is written on a refusal.
func (s *Server) scan(c *fiber.Ctx) error {
	a, o, err := s.registerOccurrence(c)
	if err != nil {
		return err
	}
	var in scanIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	ctx := c.UserContext()
	var bookingID string
	switch {
	case (in.Token == "") == (in.ShortCode == ""):
		return fault.Field("token", "Send either the QR code's token or the short code")
	case in.Token != "":
		b, occ, err := s.tickets.Parse(in.Token)
		switch {
		case errors.Is(err, ticket.ErrForged):
			return fault.Coded(fault.Invalid, "forged", "This QR code was not made by youthhub: do not let it in on its own; ask for the booking")
		case err != nil:
			return fault.Coded(fault.Invalid, "malformed", "This is not a youthhub QR code. Try again, or type the short code")
		case occ != o.ID:
			other, err := s.registers.SessionOf(ctx, o.CouncilID, occ)
			if err != nil {
				return err
			}
			return register.WrongSession(other)
		}
		bookingID = b
	default:
		code := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(in.ShortCode))
		if bookingID, err = s.registers.FindBookingByCode(ctx, o.ID, func(id string) bool {
			return s.tickets.ShortCode(id, o.ID) == code
		}); err != nil {
			// Not this session's: maybe another session's today (the wrong
			// room, or the wrong day), which staff can send them to.
			other, ferr := s.registers.FindCodeElsewhere(ctx, o, func(id, occ string) bool {
				return s.tickets.ShortCode(id, occ) == code
			})
			if ferr != nil {
				return ferr
			}
			if other != nil {
				return register.WrongSession(other)
			}
			return err
		}
	}
	res, err := s.registers.ScanBooking(ctx, a, o, bookingID, in.DeviceID)
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(scanDTO{AlreadyPresent: res.AlreadyPresent, Entry: toEntryDTO(res.Entry)})
}

type contactIn struct {
	Name         string `json:"name" validate:"max=100"`
	Phone        string `json:"phone" validate:"max=30"`
	Relationship string `json:"relationship" validate:"max=50"`
}

type walkInIn struct {
	YoungPersonID    string     `json:"young_person_id" validate:"omitempty,uuid"`
	FirstName        string     `json:"first_name" validate:"max=100"`
	LastName         string     `json:"last_name" validate:"max=100"`
	DateOfBirth      string     `json:"date_of_birth" validate:"max=10"`
	Postcode         string     `json:"postcode" validate:"max=10"`
	EmergencyContact *contactIn `json:"emergency_contact"`
	MedicalNotes     string     `json:"medical_notes" validate:"max=2000"`
	// SomeoneElse registers a new young person although one of the same
	// first name and date of birth is registered (409 possible_duplicate
	// otherwise): staff have checked it is not them.
	SomeoneElse bool `json:"someone_else"`
}

// phoneOf keeps the digits of a phone number (and a leading +), as the
// emergency_contacts CHECK wants them; ok is false unless 10 to 15 digits.
func phoneOf(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	var b strings.Builder
	if rest, ok := strings.CutPrefix(raw, "+"); ok {
		b.WriteByte('+')
		raw = rest
	}
	digits := 0
	for _, r := range raw {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			digits++
		case strings.ContainsRune(" -().", r):
		default:
			return "", false
		}
	}
	return b.String(), digits >= 10 && digits <= 15
}

// walkIn checks the body and turns it into a register.WalkIn: either an
// existing young person, or a new one with first name, date of birth,
// postcode and an emergency contact.
func (s *Server) walkIn(ctx context.Context, in walkInIn) (register.WalkIn, error) {
	var fields []fault.FieldError
	add := func(f, m string) { fields = append(fields, fault.FieldError{Field: f, Message: m}) }
	w := register.WalkIn{YoungPersonID: in.YoungPersonID, MedicalNotes: strings.TrimSpace(in.MedicalNotes), SomeoneElse: in.SomeoneElse}
	newPerson := in.FirstName != "" || in.LastName != "" || in.DateOfBirth != ""
	switch {
	case in.YoungPersonID != "" && newPerson:
		add("young_person_id", "Send either a young person's id or the details of a new young person, not both")
	case in.YoungPersonID != "" && strings.TrimSpace(in.Postcode) == "":
		add("postcode", "Ask them for their home postcode, to check it is them")
	case in.YoungPersonID == "":
		p := register.NewYoungPerson{FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName)}
		if p.FirstName == "" {
			add("first_name", "Enter their first name")
		} else if account.BadName(p.FirstName) {
			add("first_name", account.MsgBadName)
		}
		if account.BadName(p.LastName) {
			add("last_name", account.MsgBadName)
		}
		if in.DateOfBirth == "" {
			add("date_of_birth", "Enter their date of birth")
		} else if dob, err := web.ParseDate(in.DateOfBirth); err != nil {
			add("date_of_birth", "Date of birth must be a real date, like 2011-03-27")
		} else {
			if age := schedule.AgeOn(schedule.DateOf(dob), schedule.DateOf(s.now().In(schedule.London()))); age < account.MinAge || age > account.MaxAge {
				add("date_of_birth", "Young people must be 8 to 25 years old: check the date of birth")
			}
			p.DateOfBirth = dob
		}
		if pc, ok := postcode.Normalise(in.Postcode); !ok {
			add("postcode", "Enter a real UK postcode, like M32 0JG")
		} else if known, err := postcode.Known(ctx, s.db, pc); err != nil {
			return register.WalkIn{}, err
		} else if !known {
			add("postcode", postcode.MsgUnknown(pc))
		} else {
			p.Postcode = pc
		}
		if in.EmergencyContact == nil {
			add("emergency_contact", "Enter an emergency contact: who to call if something happens")
		}
		w.New = &p
	}
	if ec := in.EmergencyContact; ec != nil {
		phone, ok := phoneOf(ec.Phone)
		if !ok {
			add("emergency_contact.phone", "Enter a phone number with 10 to 15 digits, like 07700 900123")
		}
		w.Contact = &register.Contact{Name: strings.TrimSpace(ec.Name), Phone: phone, Relationship: strings.TrimSpace(ec.Relationship)}
		if w.Contact.Name == "" {
			add("emergency_contact.name", "Enter the emergency contact's name")
		}
		if w.Contact.Relationship == "" {
			add("emergency_contact.relationship", "Enter how they are related, like mum or carer")
		}
	}
	if len(fields) > 0 {
		return w, fault.Fields(fields...)
	}
	return w, nil
}

// addWalkIn puts a young person on the register without a booking: 201 with
// their entry when added, 200 when they were already on it; 409 full when a
// bookable session has no place left.
func (s *Server) addWalkIn(c *fiber.Ctx) error {
	a, o, err := s.registerOccurrence(c)
	if err != nil {
		return err
	}
	var in walkInIn
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	w, err := s.walkIn(c.UserContext(), in)
	if err != nil {
		return err
	}
	if w.YoungPersonID != "" {
		if err := s.registers.ProvePostcode(c.UserContext(), a, o, w.YoungPersonID, in.Postcode); err != nil {
			return err
		}
	}
	// A possible duplicate is refused below (409 possible_duplicate), which
	// tells staff such a young person exists: audited and limited as a
	// walk-in search by name and date of birth is.
	if w.New != nil && !w.SomeoneElse {
		found, err := s.registers.NoteDuplicates(c.UserContext(), a.UserID, w.New.FirstName, w.New.DateOfBirth)
		if err != nil {
			return err
		}
		if found {
			if err := s.limiter.Hit(c.UserContext(), s.walkInSearchRule(), a.UserID); err != nil {
				return err
			}
		}
	}
	web.NoStore(c)
	return s.idempotentTx(c, a.UserID, func(ctx context.Context, tx *sqlx.Tx) (int, any, error) {
		e, created, err := s.registers.AddWalkInIn(ctx, tx, a, o, w)
		if err != nil {
			return 0, nil, err
		}
		if created {
			return fiber.StatusCreated, toEntryDTO(e), nil
		}
		return fiber.StatusOK, toEntryDTO(e), nil
	})
}

type walkInMatchDTO struct {
	ID               string `json:"id"`
	FirstName        string `json:"first_name"`
	LastInitial      string `json:"last_initial"`
	DateOfBirth      string `json:"date_of_birth"`
	PostcodeDistrict string `json:"postcode_district"`
}

// searchWalkIns finds registered young people for a walk-in, showing only
// what tells them apart.
func (s *Server) walkInSearchRule() ratelimit.Rule {
	return ratelimit.Rule{Bucket: "walk_in_search", Max: s.cfg.WalkInSearchesPerHour, Window: time.Hour,
		Message: "You have searched for young people many times in the last hour. Register them as a new young person, or try again later"}
}

func (s *Server) searchWalkIns(c *fiber.Ctx) error {
	if barred, err := s.registers.Barred(c.UserContext(), principal(c).UserID); err != nil {
		return err
	} else if barred {
		return fault.Coded(fault.Forbidden, register.CodeBarred, "Your staff record says you must not work with young people, so you cannot search for them. Speak to your manager")
	}
	v := c.Query("date_of_birth")
	if v == "" {
		return fault.Field("date_of_birth", "Enter their date of birth: a search needs their name and date of birth")
	}
	dob, err := web.ParseDate(v)
	if err != nil {
		return fault.Field("date_of_birth", "Date of birth must be a real date, like 2011-03-27")
	}
	if err := register.CheckSearch(c.Query("q")); err != nil {
		return err // a refused search does not count
	}
	// A door takes a few walk-ins an evening; dozens of searches an hour by
	// one person is someone going through the young people on the platform.
	if err := s.limiter.Hit(c.UserContext(), s.walkInSearchRule(), principal(c).UserID); err != nil {
		return err
	}
	found, err := s.registers.SearchYoungPeople(c.UserContext(), principal(c).UserID, c.Query("q"), dob, 20)
	if err != nil {
		return err
	}
	out := web.List[walkInMatchDTO]{Items: make([]walkInMatchDTO, 0, len(found)), Total: len(found)}
	for _, m := range found {
		out.Items = append(out.Items, walkInMatchDTO{ID: m.ID, FirstName: m.FirstName, LastInitial: m.LastInitial,
			DateOfBirth: m.DateOfBirth.Format(time.DateOnly), PostcodeDistrict: m.PostcodeDistrict})
	}
	web.NoStore(c)
	return c.JSON(out)
}

type rollCallItemDTO struct {
	YoungPersonID     string             `json:"young_person_id"`
	FirstName         string             `json:"first_name"`
	LastName          string             `json:"last_name"`
	DateOfBirth       *string            `json:"date_of_birth"`
	Status            string             `json:"status"`
	CheckedInAt       string             `json:"checked_in_at"`
	EmergencyContacts []register.Contact `json:"emergency_contacts"`
	MedicalNotes      *string            `json:"medical_notes"`
}

type rollCallDTO struct {
	Session     registerSessionDTO `json:"session"`
	GeneratedAt string             `json:"generated_at"`
	Items       []rollCallItemDTO  `json:"items"`
	Total       int                `json:"total"`
}

// sessionHolders: who holds a place at a session, and who is waiting, in
// order, for its staff.
func (s *Server) sessionHolders(c *fiber.Ctx) error {
	_, o, err := s.registerOccurrence(c)
	if err != nil {
		return err
	}
	list, err := s.bookings.FindHolders(c.UserContext(), o.ID)
	if err != nil {
		return err
	}
	for i := range list {
		list[i].BookedAt = list[i].BookedAt.In(schedule.London())
	}
	web.NoStore(c)
	return c.JSON(web.List[booking.Holder]{Items: list, Total: len(list)})
}

// rollCall lists who is on site now with their emergency details; every
// young person whose details are shown is written to the audit log.
func (s *Server) rollCall(c *fiber.Ctx) error {
	a, o, err := s.registerOccurrence(c)
	if err != nil {
		return err
	}
	list, err := s.registers.RollCall(c.UserContext(), a, o, c.Query("reason"))
	if err != nil {
		return err
	}
	out := rollCallDTO{Session: s.toRegisterSessionDTO(o), GeneratedAt: localTime(s.now()), Items: make([]rollCallItemDTO, 0, len(list)), Total: len(list)}
	for _, p := range list {
		contacts := p.Contacts
		if contacts == nil {
			contacts = []register.Contact{}
		}
		out.Items = append(out.Items, rollCallItemDTO{YoungPersonID: p.YoungPersonID, FirstName: p.FirstName, LastName: p.LastName,
			DateOfBirth: dateString(p.DateOfBirth), Status: p.Status, CheckedInAt: localTime(p.CheckedInAt),
			EmergencyContacts: contacts, MedicalNotes: p.MedicalNotes})
	}
	web.NoStore(c)
	return c.JSON(out)
}

// keepsRegister is the ownership rule of the register routes.
const keepsRegister = "an occurrence of the caller's own council: youth workers rostered on it (shifts), any centre manager or council officer"

// registersToday lists the caller's council's sessions on a London day
// (today unless day is given): the registers a centre manager or officer
// may open, whether or not they are on the rota.
func (s *Server) registersToday(c *fiber.Ctx) error {
	day, err := queryDate(c, "day", s.londonToday())
	if err != nil {
		return err
	}
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, schedule.London())
	items, err := s.registers.CouncilDay(c.UserContext(), principal(c).CouncilID, principal(c).UserID, from, from.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	web.NoStore(c)
	return c.JSON(web.List[register.DaySession]{Items: items, Total: len(items)})
}
