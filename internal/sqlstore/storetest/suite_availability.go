package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// The availability tests run at a fixed instant: Monday 4 March 2030,
// 10:00 in Stockholm. The store takes the time of every check as an
// argument, so no test depends on the clock.
var (
	stockholm, _ = time.LoadLocation("Europe/Stockholm")
	availNow     = time.Date(2030, 3, 4, 10, 0, 0, 0, stockholm)
	availToday   = Day(2030, 3, 4)
)

func at(h, m int) *time.Time {
	t := time.Date(2030, 3, 4, h, m, 0, 0, stockholm)
	return &t
}

// AvailabilityStatuses: set, read, replace and clear a day's status; the
// reason is read back by the person alone; days in the past, other
// organisations' sites and people out of reach are refused.
func AvailabilityStatuses(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	emp, chef, sw, empY := As(t, s, w.EmpX1), As(t, s, w.ChefX), As(t, s, w.Switchboard), As(t, s, w.EmpY)

	d := &distans.DayStatus{PersonID: w.EmpX1.ID, Date: availToday, Kind: distans.StatusAway, BackAt: at(16, 0),
		Reason: "Sjuk – migrän"}
	Must(t, s.SetStatus(emp, d, availNow))
	wantLastAction(t, s, w.A.ID, "status.set", w.EmpX1.ID)
	if e := lastEvent(t, s, w.A.ID); strings.Contains(e.Summary, "migrän") || strings.Contains(e.Summary, "Sjuk") {
		t.Fatalf("the audit summary holds the reason: %q", e.Summary)
	}

	got, err := s.FindStatus(emp, w.EmpX1.ID, availToday)
	Must(t, err)
	if got.Kind != distans.StatusAway || got.Reason != "Sjuk – migrän" || got.BackAt == nil || !got.BackAt.Equal(*at(16, 0)) ||
		!got.Date.Equal(availToday) || got.UpdatedBy != w.EmpX1.ID {
		t.Fatalf("own status = %+v", got)
	}
	// The switchboard and the manager see that the person is away and when
	// they are back, never why.
	for name, ctx := range map[string]*distans.Person{"switchboard": w.Switchboard, "chef": w.ChefX, "admin": w.Admin} {
		got, err := s.FindStatus(As(t, s, ctx), w.EmpX1.ID, availToday)
		Must(t, err)
		if got.Reason != "" || got.Kind != distans.StatusAway || got.BackAt == nil {
			t.Fatalf("%s sees %+v", name, got)
		}
		list, err := s.ListStatuses(As(t, s, ctx), w.EmpX1.ID, availToday, availToday.AddDate(0, 0, 7))
		Must(t, err)
		if len(list) != 1 || list[0].Reason != "" {
			t.Fatalf("%s lists %+v", name, list)
		}
	}

	// Replace with a day at the site; the manager may set it.
	d2 := &distans.DayStatus{PersonID: w.EmpX1.ID, Date: availToday, Kind: distans.StatusAtSite, SiteID: w.Site.ID}
	Must(t, s.SetStatus(chef, d2, availNow))
	got, _ = s.FindStatus(emp, w.EmpX1.ID, availToday)
	if got.Kind != distans.StatusAtSite || got.SiteID != w.Site.ID || got.Reason != "" || got.BackAt != nil || got.UpdatedBy != w.ChefX.ID {
		t.Fatalf("after replace = %+v", got)
	}
	Must(t, s.SetStatus(emp, &distans.DayStatus{PersonID: w.EmpX1.ID, Date: availToday.AddDate(0, 0, 1), Kind: distans.StatusRemote, OneOff: true}, availNow))
	list, err := s.ListStatuses(emp, w.EmpX1.ID, availToday, availToday.AddDate(0, 0, 1))
	Must(t, err)
	if len(list) != 2 || list[1].Kind != distans.StatusRemote || !list[1].OneOff {
		t.Fatalf("list = %+v", list)
	}

	for _, tc := range []struct {
		name string
		d    distans.DayStatus
		code string
	}{
		{"yesterday", distans.DayStatus{PersonID: w.EmpX1.ID, Date: availToday.AddDate(0, 0, -1), Kind: distans.StatusRemote}, distans.EINVALID},
		{"past the horizon", distans.DayStatus{PersonID: w.EmpX1.ID, Date: availToday.AddDate(0, 0, 400), Kind: distans.StatusRemote}, distans.EINVALID},
		{"back before now", distans.DayStatus{PersonID: w.EmpX1.ID, Date: availToday, Kind: distans.StatusAway, BackAt: at(9, 0)}, distans.EINVALID},
		{"unknown kind", distans.DayStatus{PersonID: w.EmpX1.ID, Date: availToday, Kind: "semester"}, distans.EINVALID},
		{"site without site", distans.DayStatus{PersonID: w.EmpX1.ID, Date: availToday, Kind: distans.StatusAtSite}, distans.EINVALID},
		{"other organisation's site", distans.DayStatus{PersonID: w.EmpX1.ID, Date: availToday, Kind: distans.StatusAtSite, SiteID: w.SiteB.ID}, distans.EINVALID},
	} {
		WantCode(t, s.SetStatus(emp, &tc.d, availNow), tc.code)
	}
	// Out of reach: a colleague in another unit, the switchboard (sees, may
	// not change), another organisation.
	WantCode(t, s.SetStatus(empY, &distans.DayStatus{PersonID: w.EmpX1.ID, Date: availToday, Kind: distans.StatusRemote}, availNow), distans.ENOTFOUND)
	WantCode(t, s.SetStatus(sw, &distans.DayStatus{PersonID: w.EmpX1.ID, Date: availToday, Kind: distans.StatusRemote}, availNow), distans.EFORBIDDEN)
	_, err = s.FindStatus(empY, w.EmpX1.ID, availToday)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.FindStatus(As(t, s, w.AdminB), w.EmpX1.ID, availToday)
	WantCode(t, err, distans.ENOTFOUND)
	WantCode(t, s.SetStatus(As(t, s, w.AdminB), &distans.DayStatus{PersonID: w.EmpX1.ID, Date: availToday, Kind: distans.StatusRemote}, availNow), distans.ENOTFOUND)
	WantCode(t, s.ClearStatus(As(t, s, w.AdminB), w.EmpX1.ID, availToday), distans.ENOTFOUND)

	Must(t, s.ClearStatus(emp, w.EmpX1.ID, availToday))
	wantLastAction(t, s, w.A.ID, "status.clear", w.EmpX1.ID)
	_, err = s.FindStatus(emp, w.EmpX1.ID, availToday)
	WantCode(t, err, distans.ENOTFOUND)
	WantCode(t, s.ClearStatus(emp, w.EmpX1.ID, availToday), distans.ENOTFOUND)
}

// AvailabilityRedirects: a redirect with a return time and who covers; it
// lapses at its return time and is removed when the person is back early.
func AvailabilityRedirects(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	emp := As(t, s, w.EmpX1)

	r := &distans.Redirect{PersonID: w.EmpX1.ID, Text: "I möte", Until: at(13, 0), Target: distans.RedirectColleague,
		ColleagueID: w.ChefX.ID, PackVersion: 3}
	Must(t, s.SetRedirect(emp, r, availNow))
	wantLastAction(t, s, w.A.ID, "redirect.set", w.EmpX1.ID)
	// Everyone in the organisation reads it, as the directory shows it.
	got, err := s.FindRedirect(As(t, s, w.EmpY), w.EmpX1.ID, availNow)
	Must(t, err)
	if got.Text != "I möte" || got.Target != distans.RedirectColleague || got.ColleagueName != w.ChefX.Name ||
		got.Until == nil || !got.Until.Equal(*r.Until) || got.PackVersion != 3 || got.Phone != distans.PhonePersonal {
		t.Fatalf("redirect = %+v", got)
	}
	// It lapses at its return time.
	_, err = s.FindRedirect(emp, w.EmpX1.ID, r.Until.Add(time.Minute))
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.FindRedirect(As(t, s, w.AdminB), w.EmpX1.ID, availNow)
	WantCode(t, err, distans.ENOTFOUND)

	// Replacing keeps one redirect; voicemail needs no colleague.
	Must(t, s.SetRedirect(emp, &distans.Redirect{PersonID: w.EmpX1.ID, Text: "Ledig", Until: at(17, 0), Target: distans.RedirectVoicemail}, availNow))
	got, _ = s.FindRedirect(emp, w.EmpX1.ID, availNow)
	if got.Target != distans.RedirectVoicemail || got.ColleagueID != "" || got.ColleagueName != "" {
		t.Fatalf("replaced = %+v", got)
	}

	for _, tc := range []struct {
		name string
		r    distans.Redirect
		code string
	}{
		{"return time before now", distans.Redirect{PersonID: w.EmpX1.ID, Text: "Möte", Until: at(9, 59), Target: distans.RedirectVoicemail}, distans.EINVALID},
		{"no text", distans.Redirect{PersonID: w.EmpX1.ID, Until: at(13, 0), Target: distans.RedirectVoicemail}, distans.EINVALID},
		{"colleague missing", distans.Redirect{PersonID: w.EmpX1.ID, Text: "Möte", Target: distans.RedirectColleague}, distans.EINVALID},
		{"colleague elsewhere", distans.Redirect{PersonID: w.EmpX1.ID, Text: "Möte", Target: distans.RedirectColleague, ColleagueID: w.EmpB.ID}, distans.EINVALID},
		{"self", distans.Redirect{PersonID: w.EmpX1.ID, Text: "Möte", Target: distans.RedirectColleague, ColleagueID: w.EmpX1.ID}, distans.EINVALID},
		{"on-call phone", distans.Redirect{PersonID: w.EmpX1.ID, Phone: distans.PhoneOnCall, Text: "Möte", Until: at(13, 0), Target: distans.RedirectSwitchboard}, distans.EINVALID},
		{"unknown target", distans.Redirect{PersonID: w.EmpX1.ID, Text: "Möte", Target: "fax"}, distans.EINVALID},
	} {
		if err := s.SetRedirect(emp, &tc.r, availNow); distans.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	WantCode(t, s.SetRedirect(As(t, s, w.EmpY), &distans.Redirect{PersonID: w.EmpX1.ID, Text: "x", Target: distans.RedirectVoicemail}, availNow), distans.ENOTFOUND)
	WantCode(t, s.ClearRedirect(As(t, s, w.AdminB), w.EmpX1.ID), distans.ENOTFOUND)

	// Back early: the person removes it.
	Must(t, s.ClearRedirect(emp, w.EmpX1.ID))
	wantLastAction(t, s, w.A.ID, "redirect.clear", w.EmpX1.ID)
	_, err = s.FindRedirect(emp, w.EmpX1.ID, availNow)
	WantCode(t, err, distans.ENOTFOUND)
	WantCode(t, s.ClearRedirect(emp, w.EmpX1.ID), distans.ENOTFOUND)
}

// AvailabilityPhoneHours: a person's and a unit's hours; an exception is
// recorded only by the approving role, with who decided and why.
func AvailabilityPhoneHours(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	emp, chef := As(t, s, w.EmpX1), As(t, s, w.ChefX)
	boss := NewPerson(t, s, w.A.ID, "Kim Kommunchef", w.Root.ID)
	Assign(t, s, boss, distans.PhoneHoursApprover, "")

	h := &distans.PhoneHours{PersonID: w.EmpX1.ID, PackVersion: 2, Sessions: []distans.PhoneSession{
		{Weekday: "wed", Start: "09:00", End: "11:00"}, {Weekday: "mon", Start: "13:00", End: "14:00"}, {Weekday: "mon", Start: "09:00", End: "11:00"}}}
	Must(t, s.SavePhoneHours(emp, h, availNow))
	wantLastAction(t, s, w.A.ID, "phone_hours.save", w.EmpX1.ID)
	got, err := s.FindPhoneHours(As(t, s, w.EmpY), w.EmpX1.ID)
	Must(t, err)
	want := []distans.PhoneSession{{Weekday: "mon", Start: "09:00", End: "11:00"}, {Weekday: "mon", Start: "13:00", End: "14:00"},
		{Weekday: "wed", Start: "09:00", End: "11:00"}}
	if got.PersonID != w.EmpX1.ID || got.UnitID != "" || !slices.Equal(got.Sessions, want) || got.PackVersion != 2 || got.Exception != nil {
		t.Fatalf("phone hours = %+v", got)
	}
	_, err = s.FindPhoneHours(As(t, s, w.AdminB), w.EmpX1.ID)
	WantCode(t, err, distans.ENOTFOUND)

	// An exception by someone without the approving role is refused; by the
	// approver it is recorded with the decider.
	short := &distans.PhoneHours{PersonID: w.EmpX1.ID, Sessions: []distans.PhoneSession{{Weekday: "tue", Start: "10:00", End: "10:30"}},
		Exception: &distans.PhoneHoursDecision{Reason: "Deltid"}}
	WantCode(t, s.SavePhoneHours(chef, short, availNow), distans.EFORBIDDEN)
	Must(t, s.SavePhoneHours(As(t, s, boss), short, availNow))
	got, _ = s.FindPhoneHours(emp, w.EmpX1.ID)
	if got.Exception == nil || got.Exception.DecidedBy != boss.ID || got.Exception.DecidedByName != boss.Name ||
		got.Exception.Role != distans.PhoneHoursApprover || got.Exception.Reason != "Deltid" || got.Exception.DecidedAt.IsZero() {
		t.Fatalf("exception = %+v", got.Exception)
	}
	if e := lastEvent(t, s, w.A.ID); !strings.Contains(e.Summary, "exception decided by "+boss.Name) {
		t.Fatalf("audit summary = %q", e.Summary)
	}
	// The decision stands when the hours change without a new one (Sorsele
	// 004 §3: it is what lets the person have phone hours at all).
	decided := *got.Exception
	again := &distans.PhoneHours{PersonID: w.EmpX1.ID, Sessions: []distans.PhoneSession{{Weekday: "thu", Start: "10:00", End: "11:00"}}}
	Must(t, s.SavePhoneHours(emp, again, availNow))
	got, _ = s.FindPhoneHours(emp, w.EmpX1.ID)
	if got.Exception == nil || *got.Exception != decided || again.Exception == nil || *again.Exception != decided ||
		len(got.Sessions) != 1 || got.Sessions[0].Weekday != "thu" {
		t.Fatalf("after a change without a decision: %+v, decision %+v (returned %+v), want %+v", got.Sessions, got.Exception, again.Exception, decided)
	}

	// A unit's hours are kept by its managers.
	unit := &distans.PhoneHours{UnitID: w.X.ID, Sessions: []distans.PhoneSession{{Weekday: "thu", Start: "08:00", End: "12:00"}}}
	Must(t, s.SavePhoneHours(chef, unit, availNow))
	wantLastAction(t, s, w.A.ID, "phone_hours.save", w.X.ID)
	got, err = s.FindPhoneHours(emp, w.X.ID)
	Must(t, err)
	if got.UnitID != w.X.ID || len(got.Sessions) != 1 {
		t.Fatalf("unit hours = %+v", got)
	}
	WantCode(t, s.SavePhoneHours(chef, &distans.PhoneHours{UnitID: w.Y.ID, Sessions: unit.Sessions}, availNow), distans.EFORBIDDEN)
	WantCode(t, s.SavePhoneHours(emp, &distans.PhoneHours{UnitID: w.X1.ID, Sessions: unit.Sessions}, availNow), distans.EFORBIDDEN)
	WantCode(t, s.SavePhoneHours(As(t, s, w.AdminB), &distans.PhoneHours{UnitID: w.X.ID, Sessions: unit.Sessions}, availNow), distans.ENOTFOUND)

	for _, tc := range []struct {
		name string
		h    distans.PhoneHours
	}{
		{"no owner", distans.PhoneHours{Sessions: unit.Sessions}},
		{"two owners", distans.PhoneHours{PersonID: w.EmpX1.ID, UnitID: w.X.ID, Sessions: unit.Sessions}},
		{"no sessions", distans.PhoneHours{PersonID: w.EmpX1.ID}},
		{"bad day", distans.PhoneHours{PersonID: w.EmpX1.ID, Sessions: []distans.PhoneSession{{Weekday: "fre", Start: "08:00", End: "09:00"}}}},
		{"bad time", distans.PhoneHours{PersonID: w.EmpX1.ID, Sessions: []distans.PhoneSession{{Weekday: "fri", Start: "8", End: "09:00"}}}},
		{"end before start", distans.PhoneHours{PersonID: w.EmpX1.ID, Sessions: []distans.PhoneSession{{Weekday: "fri", Start: "10:00", End: "09:00"}}}},
		{"overlap", distans.PhoneHours{PersonID: w.EmpX1.ID, Sessions: []distans.PhoneSession{{Weekday: "fri", Start: "08:00", End: "10:00"}, {Weekday: "fri", Start: "09:00", End: "11:00"}}}},
		{"exception without reason", distans.PhoneHours{PersonID: w.EmpX1.ID, Sessions: unit.Sessions, Exception: &distans.PhoneHoursDecision{}}},
	} {
		if err := s.SavePhoneHours(emp, &tc.h, availNow); distans.ErrorCode(err) != distans.EINVALID {
			t.Errorf("%s: %v, want invalid", tc.name, err)
		}
	}

	WantCode(t, s.DeletePhoneHours(As(t, s, w.EmpY), w.EmpX1.ID), distans.ENOTFOUND)
	Must(t, s.DeletePhoneHours(emp, w.EmpX1.ID))
	wantLastAction(t, s, w.A.ID, "phone_hours.delete", w.EmpX1.ID)
	_, err = s.FindPhoneHours(emp, w.EmpX1.ID)
	WantCode(t, err, distans.ENOTFOUND)
}

// AvailabilityOnCall: the managers keep their units' on-call phones and
// duty rosters; periods never overlap; the switchboard sees who is on duty.
func AvailabilityOnCall(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	chef, sw := As(t, s, w.ChefX), As(t, s, w.Switchboard)

	p := &distans.OnCallPhone{UnitID: w.X1.ID, Name: "Socialjouren", Number: "0952-140 99"}
	Must(t, s.CreateOnCallPhone(chef, p))
	wantLastAction(t, s, w.A.ID, "on_call_phone.create", p.ID)
	WantCode(t, s.CreateOnCallPhone(chef, &distans.OnCallPhone{UnitID: w.Y.ID, Name: "Y-jour", Number: "0952-140 98"}), distans.EFORBIDDEN)
	WantCode(t, s.CreateOnCallPhone(As(t, s, w.EmpX1), &distans.OnCallPhone{UnitID: w.X1.ID, Name: "Egen", Number: "0952-140 97"}), distans.EFORBIDDEN)
	WantCode(t, s.CreateOnCallPhone(chef, &distans.OnCallPhone{UnitID: w.RootB.ID, Name: "B", Number: "0952-140 96"}), distans.EINVALID)
	WantCode(t, s.CreateOnCallPhone(chef, &distans.OnCallPhone{UnitID: w.X1.ID, Name: "", Number: "abc"}), distans.EINVALID)
	y := &distans.OnCallPhone{UnitID: w.Y.ID, Name: "Bygglovsjouren", Number: "0952-140 50"}
	Must(t, s.CreateOnCallPhone(As(t, s, w.Admin), y))

	duty := &distans.OnCallDuty{PhoneID: p.ID, PersonID: w.EmpX1.ID, Starts: availNow.Add(-2 * time.Hour), Ends: availNow.Add(6 * time.Hour)}
	Must(t, s.AddOnCallDuty(chef, duty))
	wantLastAction(t, s, w.A.ID, "on_call_duty.create", p.ID)
	next := &distans.OnCallDuty{PhoneID: p.ID, PersonID: w.ChefX.ID, Starts: duty.Ends, Ends: duty.Ends.Add(16 * time.Hour)}
	Must(t, s.AddOnCallDuty(chef, next))
	WantCode(t, s.AddOnCallDuty(chef, &distans.OnCallDuty{PhoneID: p.ID, PersonID: w.ChefX.ID, Starts: availNow, Ends: availNow.Add(time.Hour)}), distans.ECONFLICT)
	WantCode(t, s.AddOnCallDuty(chef, &distans.OnCallDuty{PhoneID: y.ID, PersonID: w.ChefX.ID, Starts: availNow, Ends: availNow.Add(time.Hour)}), distans.EFORBIDDEN)
	WantCode(t, s.AddOnCallDuty(chef, &distans.OnCallDuty{PhoneID: p.ID, PersonID: w.EmpB.ID, Starts: next.Ends, Ends: next.Ends.Add(time.Hour)}), distans.EINVALID)
	WantCode(t, s.AddOnCallDuty(chef, &distans.OnCallDuty{PhoneID: p.ID, PersonID: w.ChefX.ID, Starts: next.Ends, Ends: next.Ends}), distans.EINVALID)

	duties, err := s.ListOnCallDuties(sw, p.ID, availNow, availNow.Add(24*time.Hour))
	Must(t, err)
	if len(duties) != 2 || duties[0].PersonName != w.EmpX1.Name || duties[1].PersonID != w.ChefX.ID {
		t.Fatalf("duties = %+v", duties)
	}

	cur, err := s.CurrentOnCall(sw, availNow)
	Must(t, err)
	if len(cur) != 2 {
		t.Fatalf("current = %+v", cur)
	}
	byName := map[string]*distans.OnCallPhone{}
	for _, c := range cur {
		byName[c.Name] = c
	}
	if c := byName["Socialjouren"]; c == nil || c.OnDuty == nil || c.OnDuty.PersonID != w.EmpX1.ID || c.UnitName != w.X1.Name || c.Number != p.Number {
		t.Fatalf("Socialjouren now = %+v", c)
	}
	if c := byName["Bygglovsjouren"]; c == nil || c.OnDuty != nil {
		t.Fatalf("Bygglovsjouren now = %+v", c)
	}
	later, err := s.CurrentOnCall(sw, duty.Ends.Add(time.Minute))
	Must(t, err)
	for _, c := range later {
		if c.ID == p.ID && (c.OnDuty == nil || c.OnDuty.PersonID != w.ChefX.ID) {
			t.Fatalf("after the shift change = %+v", c.OnDuty)
		}
	}

	list, err := s.ListOnCallPhones(sw, w.X.ID)
	Must(t, err)
	if len(list) != 1 || list[0].ID != p.ID {
		t.Fatalf("phones in X = %+v", list)
	}
	// Another organisation sees none of it.
	b := As(t, s, w.AdminB)
	_, err = s.FindOnCallPhone(b, p.ID)
	WantCode(t, err, distans.ENOTFOUND)
	if cur, _ := s.CurrentOnCall(b, availNow); len(cur) != 0 {
		t.Fatalf("B sees %+v", cur)
	}
	_, err = s.ListOnCallDuties(b, p.ID, availNow, availNow.Add(time.Hour))
	WantCode(t, err, distans.ENOTFOUND)
	WantCode(t, s.DeleteOnCallPhone(b, p.ID), distans.ENOTFOUND)
	WantCode(t, s.DeleteOnCallDuty(b, duty.ID), distans.ENOTFOUND)

	p.Number = "0952-140 00"
	Must(t, s.UpdateOnCallPhone(chef, p))
	got, _ := s.FindOnCallPhone(sw, p.ID)
	if got.Number != "0952-140 00" {
		t.Fatalf("updated = %+v", got)
	}
	p.UnitID = w.Y.ID
	WantCode(t, s.UpdateOnCallPhone(chef, p), distans.EFORBIDDEN)

	Must(t, s.DeleteOnCallDuty(chef, duty.ID))
	wantLastAction(t, s, w.A.ID, "on_call_duty.delete", p.ID)
	Must(t, s.DeleteOnCallPhone(chef, p.ID))
	wantLastAction(t, s, w.A.ID, "on_call_phone.delete", p.ID)
	_, err = s.FindOnCallPhone(sw, p.ID)
	WantCode(t, err, distans.ENOTFOUND)
}

// AvailabilityDirectory: keywords kept by each person, managers see who has
// none, and the switchboard search: case and diacritics, Swedish order,
// status and return time without reasons, phone hours today, who covers,
// work mobiles for the switchboard only.
func AvailabilityDirectory(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	emp, empY, sw, chef := As(t, s, w.EmpX1), As(t, s, w.EmpY), As(t, s, w.Switchboard), As(t, s, w.ChefX)

	prof := &distans.DirectoryProfile{PersonID: w.EmpX1.ID, Keywords: []string{" Bygglov  Östersund ", "Strandskydd", "strandskydd", ""},
		WorkMobile: "070-123 45 67"}
	Must(t, s.SaveDirectoryProfile(emp, prof))
	wantLastAction(t, s, w.A.ID, "directory.save", w.EmpX1.ID)
	if !slices.Equal(prof.Keywords, []string{"Bygglov Östersund", "Strandskydd"}) {
		t.Fatalf("tidied keywords = %q", prof.Keywords)
	}
	got, err := s.FindDirectoryProfile(emp, w.EmpX1.ID)
	Must(t, err)
	if !slices.Equal(got.Keywords, prof.Keywords) || got.WorkMobile != "070-123 45 67" {
		t.Fatalf("own profile = %+v", got)
	}
	got, _ = s.FindDirectoryProfile(empY, w.EmpX1.ID)
	if !slices.Equal(got.Keywords, prof.Keywords) || got.WorkMobile != "" {
		t.Fatalf("a colleague sees %+v", got)
	}
	got, _ = s.FindDirectoryProfile(sw, w.EmpX1.ID)
	if got.WorkMobile != "070-123 45 67" {
		t.Fatalf("the switchboard sees %+v", got)
	}
	got, err = s.FindDirectoryProfile(emp, w.EmpY.ID)
	Must(t, err)
	if len(got.Keywords) != 0 || got.Keywords == nil {
		t.Fatalf("empty profile = %+v", got)
	}
	_, err = s.FindDirectoryProfile(As(t, s, w.AdminB), w.EmpX1.ID)
	WantCode(t, err, distans.ENOTFOUND)
	WantCode(t, s.SaveDirectoryProfile(empY, &distans.DirectoryProfile{PersonID: w.EmpX1.ID, Keywords: []string{"x"}}), distans.ENOTFOUND)
	WantCode(t, s.SaveDirectoryProfile(As(t, s, w.AdminB), &distans.DirectoryProfile{PersonID: w.EmpX1.ID}), distans.ENOTFOUND)
	// A manager may fix keywords but not hand out a new mobile number.
	WantCode(t, s.SaveDirectoryProfile(chef, &distans.DirectoryProfile{PersonID: w.EmpX1.ID, Keywords: []string{"Bygglov"}, WorkMobile: "070-000 00 00"}), distans.EFORBIDDEN)
	WantCode(t, s.SaveDirectoryProfile(emp, &distans.DirectoryProfile{PersonID: w.EmpX1.ID, WorkMobile: "mobil"}), distans.EINVALID)

	// The manager of X lists the people in X without keywords.
	none, err := s.PeopleWithoutKeywords(chef, "")
	Must(t, err)
	if ids := personIDs(none); !slices.Equal(ids, []string{w.ChefX.ID, w.HRX.ID}) {
		t.Fatalf("without keywords in X = %v", names(none))
	}
	_, err = s.PeopleWithoutKeywords(emp, "")
	WantCode(t, err, distans.EFORBIDDEN)

	// People in Y for the order: Z < Å < Ä < Ö, accents elsewhere as their letter.
	for _, n := range []string{"Örjan Öst", "Zara Zetterlund", "Ärla Ärlig", "Åke Åberg", "Émile Ek", "Anna Andersson"} {
		NewPerson(t, s, w.A.ID, n, w.Y.ID)
	}
	// Only the employed are in the directory: not someone who left
	// yesterday, nor someone who starts tomorrow (people.employed, as
	// placed today).
	today := agrToday() // the organisation's, in Stockholm
	left := NewPerson(t, s, w.A.ID, "Lämnat Lind", w.Y.ID)
	emps, err := s.ListEmployments(System(w.A.ID), left.ID)
	Must(t, err)
	Must(t, s.EndEmployment(System(w.A.ID), emps[0].ID, today.AddDate(0, 0, -1)))
	starts := NewPerson(t, s, w.A.ID, "Börjar Berg", "")
	Must(t, s.CreateEmployment(System(w.A.ID), &distans.Employment{PersonID: starts.ID, UnitID: w.Y.ID, Title: "Handläggare",
		StartsOn: today.AddDate(0, 0, 1)}))
	for _, q := range []string{"lämnat", "börjar"} {
		if hits, pg, err := s.SearchDirectory(empY, distans.DirectoryFilter{Query: q}, distans.Now()); err != nil || len(hits) != 0 || pg.Total != 0 {
			t.Fatalf("directory %q lists %v, counts %d (%v), who is not employed today", q, hitNames(hits), pg.Total, err)
		}
	}
	hits, pg, err := s.SearchDirectory(empY, distans.DirectoryFilter{UnitID: w.Y.ID}, availNow)
	Must(t, err)
	wantOrder := []string{"Anna Andersson", "Émile Ek", "Yngve Ystad", "Zara Zetterlund", "Åke Åberg", "Ärla Ärlig", "Örjan Öst"}
	if pg.Total != len(wantOrder) || !slices.Equal(hitNames(hits), wantOrder) || pg.Next != "" || pg.Prev != "" {
		t.Fatalf("order = %v (%+v)", hitNames(hits), pg)
	}
	hits, pg, _ = s.SearchDirectory(empY, distans.DirectoryFilter{UnitID: w.Y.ID, Limit: 2, After: distans.Cursor("Yngve Ystad", w.EmpY.ID)}, availNow)
	if pg.Total != 7 || !slices.Equal(hitNames(hits), []string{"Zara Zetterlund", "Åke Åberg"}) || pg.Next == "" || pg.Prev == "" {
		t.Fatalf("page = %v (%+v)", hitNames(hits), pg)
	}
	hits, _, _ = s.SearchDirectory(empY, distans.DirectoryFilter{UnitID: w.Y.ID, Limit: 2, Before: pg.Prev}, availNow)
	if !slices.Equal(hitNames(hits), []string{"Émile Ek", "Yngve Ystad"}) {
		t.Fatalf("page before = %v", hitNames(hits))
	}

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"ostersund", []string{w.EmpX1.Name}},       // keyword, without diacritics
		{"ÖSTERSUND", []string{w.EmpX1.Name}},       // keyword, upper case
		{"asa oberg", []string{w.EmpX1.Name}},       // name
		{"strandskydd åsa", []string{w.EmpX1.Name}}, // every word must match somewhere
		{"enhet x1", []string{w.EmpX1.Name}},        // unit name
		{"avdelning y", []string{"Anna Andersson", "Émile Ek", "Yngve Ystad", "Zara Zetterlund", "Åke Åberg", "Ärla Ärlig", "Örjan Öst"}},
		{"emile", []string{"Émile Ek"}},
		{"handlaggare ystad", []string{"Yngve Ystad"}}, // title
		{"bertil", nil}, // another organisation
		{"100%", nil},
	} {
		hits, _, err := s.SearchDirectory(empY, distans.DirectoryFilter{Query: tc.query}, availNow)
		Must(t, err)
		if !slices.Equal(hitNames(hits), tc.want) {
			t.Errorf("search %q = %v, want %v", tc.query, hitNames(hits), tc.want)
		}
	}

	// What a hit shows: EmpX1 away today with a private reason, back at
	// 16:00; redirected to ChefX until 13:00; phone hours on Mondays.
	Must(t, s.SetStatus(emp, &distans.DayStatus{PersonID: w.EmpX1.ID, Date: availToday, Kind: distans.StatusAway, BackAt: at(16, 0),
		Reason: "Läkarbesök"}, availNow))
	Must(t, s.SetRedirect(emp, &distans.Redirect{PersonID: w.EmpX1.ID, Text: "Ledig", Until: at(13, 0),
		Target: distans.RedirectColleague, ColleagueID: w.ChefX.ID}, availNow))
	Must(t, s.SavePhoneHours(emp, &distans.PhoneHours{PersonID: w.EmpX1.ID, Sessions: []distans.PhoneSession{
		{Weekday: "mon", Start: "09:00", End: "11:00"}, {Weekday: "tue", Start: "09:00", End: "11:00"}}}, availNow))
	// Y's phone hours apply to everyone in Y.
	Must(t, s.SavePhoneHours(As(t, s, w.Admin), &distans.PhoneHours{UnitID: w.Y.ID, Sessions: []distans.PhoneSession{
		{Weekday: "mon", Start: "13:00", End: "15:00"}}}, availNow))
	Must(t, s.SetStatus(empY, &distans.DayStatus{PersonID: w.EmpY.ID, Date: availToday, Kind: distans.StatusAtSite, SiteID: w.Site.ID}, availNow))

	for _, viewer := range []*distans.Person{w.Switchboard, w.EmpY} {
		ctx := As(t, s, viewer)
		hits, _, err := s.SearchDirectory(ctx, distans.DirectoryFilter{Query: "Öberg"}, availNow)
		Must(t, err)
		if len(hits) != 1 {
			t.Fatalf("hits = %v", hitNames(hits))
		}
		h := hits[0]
		if h.Status != distans.StatusAway || h.BackAt == nil || !h.BackAt.Equal(*at(13, 0)) || h.RedirectText != "Ledig" ||
			h.RedirectTarget != distans.RedirectColleague || h.CoveredByID != w.ChefX.ID || h.CoveredByName != w.ChefX.Name ||
			h.UnitName != w.X1.Name || h.Title != "Handläggare" || !slices.Equal(h.Keywords, prof.Keywords) {
			t.Fatalf("%s sees %+v", viewer.Name, h)
		}
		if !slices.Equal(h.PhoneHoursToday, []distans.PhoneSession{{Weekday: "mon", Start: "09:00", End: "11:00"}}) {
			t.Fatalf("phone hours today = %+v", h.PhoneHoursToday)
		}
		if mobile := h.WorkMobile != ""; mobile != (viewer == w.Switchboard) {
			t.Fatalf("%s sees work mobile %q", viewer.Name, h.WorkMobile)
		}
		if strings.Contains(strings.ToLower(fmtHit(h)), "läkar") {
			t.Fatalf("the reason leaked: %+v", h)
		}
	}
	// After the redirect lapses, the status's return time shows.
	hits, _, _ = s.SearchDirectory(sw, distans.DirectoryFilter{Query: "oberg"}, at(14, 0).Add(0))
	if h := hits[0]; h.RedirectText != "" || h.CoveredByID != "" || h.BackAt == nil || !h.BackAt.Equal(*at(16, 0)) {
		t.Fatalf("after the redirect = %+v", h)
	}
	hits, _, _ = s.SearchDirectory(sw, distans.DirectoryFilter{Query: "ystad"}, availNow)
	if h := hits[0]; h.Status != distans.StatusAtSite || h.SiteName != w.Site.Name ||
		!slices.Equal(h.PhoneHoursToday, []distans.PhoneSession{{Weekday: "mon", Start: "13:00", End: "15:00"}}) {
		t.Fatalf("Yngve = %+v", h)
	}
	// Tomorrow (Tuesday) EmpX1's own hours hold; nobody has a status.
	tomorrow := availNow.AddDate(0, 0, 1)
	hits, _, _ = s.SearchDirectory(sw, distans.DirectoryFilter{Query: "oberg"}, tomorrow)
	if h := hits[0]; h.Status != "" || len(h.PhoneHoursToday) != 1 || h.PhoneHoursToday[0].Weekday != "tue" {
		t.Fatalf("tomorrow = %+v", h)
	}
	// Another organisation finds nobody of A.
	hits, pg, err = s.SearchDirectory(As(t, s, w.EmpB), distans.DirectoryFilter{Query: "oberg"}, availNow)
	Must(t, err)
	if len(hits) != 0 || pg.Total != 0 {
		t.Fatalf("B finds %v", hitNames(hits))
	}
	// Tomorrow (last: the store places everyone as of then) the one who starts is listed and counted, found and
	// counted by the index (SQLite's person_fts holds the directory's
	// words of the employed only).
	later := distans.WithNow(empY, distans.Now().AddDate(0, 0, 1))
	if hits, pg, err := s.SearchDirectory(later, distans.DirectoryFilter{Query: "börj"}, distans.Now().AddDate(0, 0, 1)); err != nil ||
		len(hits) != 1 || pg.Total != 1 {
		t.Fatalf("tomorrow the directory lists %v, counts %d (%v), want Börjar Berg", hitNames(hits), pg.Total, err)
	}
}

// AvailabilityRetention: status history and lapsed redirects older than
// the cut-off are removed, by the system only, and the removal is audited.
func AvailabilityRetention(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	sys := System(w.A.ID)
	// Statuses from half a year back, set "then".
	old := availNow.AddDate(0, -6, 0)
	for i := range 3 {
		Must(t, s.SetStatus(sys, &distans.DayStatus{PersonID: w.EmpX1.ID, Date: Day(2029, 9, 4+i), Kind: distans.StatusRemote}, old))
	}
	Must(t, s.SetRedirect(sys, &distans.Redirect{PersonID: w.EmpY.ID, Text: "Semester", Target: distans.RedirectSwitchboard,
		Until: func() *time.Time { t := old.Add(48 * time.Hour); return &t }()}, old))
	Must(t, s.SetStatus(sys, &distans.DayStatus{PersonID: w.EmpX1.ID, Date: availToday, Kind: distans.StatusRemote}, availNow))
	Must(t, s.SetRedirect(sys, &distans.Redirect{PersonID: w.EmpX1.ID, Text: "Möte", Target: distans.RedirectVoicemail, Until: at(13, 0)}, availNow))
	Must(t, s.SetStatus(System(w.B.ID), &distans.DayStatus{PersonID: w.EmpB.ID, Date: Day(2029, 9, 4), Kind: distans.StatusRemote}, old))

	cutoff := availToday.AddDate(0, 0, -distans.DefaultStatusHistoryDays)
	_, err := s.DeleteStatusHistory(As(t, s, w.Admin), cutoff)
	WantCode(t, err, distans.EFORBIDDEN)
	n, err := s.DeleteStatusHistory(sys, cutoff)
	Must(t, err)
	if n != 4 {
		t.Fatalf("removed %d, want 3 statuses and 1 redirect", n)
	}
	wantLastAction(t, s, w.A.ID, "status.purge", w.A.ID)
	left, err := s.ListStatuses(sys, w.EmpX1.ID, Day(2029, 1, 1), Day(2031, 1, 1))
	Must(t, err)
	if len(left) != 1 || !left[0].Date.Equal(availToday) {
		t.Fatalf("left = %+v", left)
	}
	if _, err := s.FindRedirect(sys, w.EmpX1.ID, availNow); err != nil {
		t.Fatalf("the current redirect went: %v", err)
	}
	// Organisation B keeps its own until its own job runs.
	bleft, err := s.ListStatuses(System(w.B.ID), w.EmpB.ID, Day(2029, 1, 1), Day(2031, 1, 1))
	Must(t, err)
	if len(bleft) != 1 {
		t.Fatalf("B's statuses = %+v", bleft)
	}
	n, err = s.DeleteStatusHistory(sys, cutoff)
	Must(t, err)
	if n != 0 {
		t.Fatalf("second run removed %d", n)
	}
}

func hitNames(hs []*distans.DirectoryHit) []string {
	if len(hs) == 0 {
		return nil
	}
	return ids(hs, func(h *distans.DirectoryHit) string { return h.Name })
}

func names(ps []*distans.Person) []string {
	return ids(ps, func(p *distans.Person) string { return p.Name })
}

func fmtHit(h *distans.DirectoryHit) string {
	return strings.Join([]string{h.Name, h.Title, h.UnitName, string(h.Status), h.RedirectText, h.SiteName,
		strings.Join(h.Keywords, " ")}, " ")
}
