package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// Office is the World with a hybrid office: at Site the zones North (desks
// N1, N2) and South (S1, S2); a second site Annex with desks A1–A3; a
// third, Tiny, with one desk; and one desk in organisation B.
type Office struct {
	*World
	North, South   *distans.Zone
	N1, N2, S1, S2 *distans.Desk
	Annex, Tiny    *distans.Site
	AnnexDesks     []*distans.Desk
	TinyDesk       *distans.Desk
	DeskB          *distans.Desk
	Today          time.Time // in the organisations' time zone, Europe/Stockholm
}

// OfficeToday returns today's date in Europe/Stockholm, the fixture's time zone.
func OfficeToday() time.Time {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err)
	}
	return distans.DateOf(time.Now().In(loc))
}

// NewZone creates a zone as the system.
func NewZone(t testing.TB, s *sqlstore.Store, orgID, siteID, name string) *distans.Zone {
	t.Helper()
	z := &distans.Zone{SiteID: siteID, Name: name, Floor: "1"}
	Must(t, s.CreateZone(System(orgID), z))
	return z
}

// NewDesk creates a desk as the system.
func NewDesk(t testing.TB, s *sqlstore.Store, orgID, zoneID, label string) *distans.Desk {
	t.Helper()
	d := &distans.Desk{ZoneID: zoneID, Label: label, Screens: 2, HeightAdjustable: true}
	Must(t, s.CreateDesk(System(orgID), d))
	return d
}

// NewOffice builds the Office.
func NewOffice(t testing.TB, s *sqlstore.Store) *Office {
	t.Helper()
	o := &Office{World: NewWorld(t, s), Today: OfficeToday()}
	a := o.A.ID
	o.North = NewZone(t, s, a, o.Site.ID, "Norra")
	o.South = NewZone(t, s, a, o.Site.ID, "Södra")
	o.N1, o.N2 = NewDesk(t, s, a, o.North.ID, "N1"), NewDesk(t, s, a, o.North.ID, "N2")
	o.S1, o.S2 = NewDesk(t, s, a, o.South.ID, "S1"), NewDesk(t, s, a, o.South.ID, "S2")
	o.Annex = &distans.Site{Name: "Annexet", Kind: distans.SiteSatellite}
	Must(t, s.CreateSite(System(a), o.Annex))
	za := NewZone(t, s, a, o.Annex.ID, "Annexet plan 2")
	for i := range 3 {
		o.AnnexDesks = append(o.AnnexDesks, NewDesk(t, s, a, za.ID, fmt.Sprintf("A%d", i+1)))
	}
	o.Tiny = &distans.Site{Name: "Lilla kontoret", Kind: distans.SiteSatellite}
	Must(t, s.CreateSite(System(a), o.Tiny))
	o.TinyDesk = NewDesk(t, s, a, NewZone(t, s, a, o.Tiny.ID, "Rummet").ID, "L1")
	o.DeskB = NewDesk(t, s, o.B.ID, NewZone(t, s, o.B.ID, o.SiteB.ID, "Beta-zon").ID, "B1")
	return o
}

// officeBook books as the person and returns the booking and the error.
func officeBook(t testing.TB, s *sqlstore.Store, ctx context.Context, deskID string, date time.Time, part distans.DayPart) (*distans.Booking, error) {
	t.Helper()
	b := &distans.Booking{DeskID: deskID, Date: date, Part: part}
	err := s.Book(ctx, b)
	return b, err
}

func officeMustBook(t testing.TB, s *sqlstore.Store, ctx context.Context, deskID string, date time.Time, part distans.DayPart) *distans.Booking {
	t.Helper()
	b, err := officeBook(t, s, ctx, deskID, date, part)
	Must(t, err)
	return b
}

// officeNextMonday is the Monday after today (1–7 days ahead).
func officeNextMonday(today time.Time) time.Time {
	return today.AddDate(0, 0, 7-(int(today.Weekday())+6)%7)
}

func OfficePlaces(t *testing.T, s *sqlstore.Store) {
	o := NewOffice(t, s)
	admin, emp := As(t, s, o.Admin), As(t, s, o.EmpX1)

	zones, err := s.ListZones(emp, o.Site.ID)
	Must(t, err)
	if len(zones) != 2 || zones[0].Name != "Norra" || zones[1].Name != "Södra" {
		t.Fatalf("zones: %+v", zones)
	}
	desks, err := s.ListDesks(emp, o.Site.ID, false)
	Must(t, err)
	if len(desks) != 4 || desks[0].SiteID != o.Site.ID || !desks[0].HeightAdjustable || desks[0].Screens != 2 {
		t.Fatalf("desks: %+v", desks)
	}
	wantLastAction(t, s, o.B.ID, "desk.create", o.DeskB.ID)

	// Only PermManageSites in the whole organisation changes places.
	for _, p := range []*distans.Person{o.EmpX1, o.HRX, o.ChefX, o.Switchboard} {
		ctx := As(t, s, p)
		WantCode(t, s.CreateZone(ctx, &distans.Zone{SiteID: o.Site.ID, Name: "Ny"}), distans.EFORBIDDEN)
		WantCode(t, s.CreateDesk(ctx, &distans.Desk{ZoneID: o.North.ID, Label: "N9"}), distans.EFORBIDDEN)
		WantCode(t, s.UpdateDesk(ctx, o.N1), distans.EFORBIDDEN)
		WantCode(t, s.EndDesk(ctx, o.N1.ID, o.Today), distans.EFORBIDDEN)
		WantCode(t, s.SetBookingRules(ctx, &distans.BookingRules{SiteID: o.Site.ID, HorizonDays: 7, ReleaseAt: 600, PMReleaseAt: 840, CongestionPercent: 80}), distans.EFORBIDDEN)
	}

	for _, tc := range []struct {
		name string
		err  error
		code string
	}{
		{"zone without name", s.CreateZone(admin, &distans.Zone{SiteID: o.Site.ID}), distans.EINVALID},
		{"zone at unknown site", s.CreateZone(admin, &distans.Zone{SiteID: "nope", Name: "X"}), distans.EINVALID},
		{"zone at other organisation's site", s.CreateZone(admin, &distans.Zone{SiteID: o.SiteB.ID, Name: "X"}), distans.EINVALID},
		{"desk without label", s.CreateDesk(admin, &distans.Desk{ZoneID: o.North.ID}), distans.EINVALID},
		{"desk with 9 screens", s.CreateDesk(admin, &distans.Desk{ZoneID: o.North.ID, Label: "N9", Screens: 9}), distans.EINVALID},
		{"desk in other organisation's zone", s.CreateDesk(admin, &distans.Desk{ZoneID: o.DeskB.ZoneID, Label: "N9"}), distans.EINVALID},
		{"desk label taken in zone", s.CreateDesk(admin, &distans.Desk{ZoneID: o.North.ID, Label: "N1"}), distans.ECONFLICT},
	} {
		t.Run(tc.name, func(t *testing.T) { WantCode(t, tc.err, tc.code) })
	}
	// The same label in another zone is fine.
	Must(t, s.CreateDesk(admin, &distans.Desk{ZoneID: o.South.ID, Label: "N1", Quiet: true, Accessible: true}))

	// A desk moves between zones of its site, not to another site.
	d := *o.N2
	d.ZoneID, d.Label, d.Quiet = o.South.ID, "S3", true
	Must(t, s.UpdateDesk(admin, &d))
	got, err := s.FindDesk(emp, o.N2.ID)
	Must(t, err)
	if got.ZoneID != o.South.ID || got.Label != "S3" || !got.Quiet || got.SiteID != o.Site.ID {
		t.Fatalf("moved desk: %+v", got)
	}
	wantLastAction(t, s, o.A.ID, "desk.update", o.N2.ID)
	d.ZoneID = o.AnnexDesks[0].ZoneID
	WantCode(t, s.UpdateDesk(admin, &d), distans.EINVALID)

	z := *o.North
	z.Name = "Norra flygeln"
	Must(t, s.UpdateZone(admin, &z))
	wantLastAction(t, s, o.A.ID, "zone.update", o.North.ID)
	z.SiteID = o.Annex.ID
	WantCode(t, s.UpdateZone(admin, &z), distans.EINVALID)

	// Rules: the defaults until set; validated; audited.
	r, err := s.BookingRules(emp, o.Site.ID)
	Must(t, err)
	if r.HorizonDays != distans.DefaultBookingRules.HorizonDays || r.SiteID != o.Site.ID || r.CheckInRequired {
		t.Fatalf("default rules: %+v", r)
	}
	bad := &distans.BookingRules{SiteID: o.Site.ID, HorizonDays: 0, MaxPerWeek: -1, ReleaseAt: 600, PMReleaseAt: 500, CongestionPercent: 0}
	err = s.SetBookingRules(admin, bad)
	WantCode(t, err, distans.EINVALID)
	if n := len(err.(*distans.Error).Fields); n != 4 {
		t.Fatalf("rule errors: %v", err)
	}
	set := &distans.BookingRules{SiteID: o.Site.ID, HorizonDays: 30, MaxPerWeek: 3, CheckInRequired: true, ReleaseAt: 9 * 60,
		PMReleaseAt: 13 * 60, CongestionPercent: 75}
	Must(t, s.SetBookingRules(admin, set))
	Must(t, s.SetBookingRules(admin, set)) // again replaces
	r, err = s.BookingRules(emp, o.Site.ID)
	Must(t, err)
	if r.HorizonDays != 30 || r.MaxPerWeek != 3 || !r.CheckInRequired || r.ReleaseAt.String() != "09:00" || r.PMReleaseAt != 13*60 || r.CongestionPercent != 75 {
		t.Fatalf("rules: %+v", r)
	}
	wantLastAction(t, s, o.A.ID, "booking_rules.set", o.Site.ID)
	if tod, err := distans.ParseTimeOfDay("10:30"); err != nil || tod != 630 {
		t.Fatalf("ParseTimeOfDay: %v %v", tod, err)
	}

	// Ending a desk hides it from today's list and cancels later bookings.
	later := officeMustBook(t, s, emp, o.S1.ID, o.Today.AddDate(0, 0, 3), distans.PartDay)
	Must(t, s.EndDesk(admin, o.S1.ID, o.Today.AddDate(0, 0, 1)))
	wantLastAction(t, s, o.A.ID, "desk.end", o.S1.ID)
	b, err := s.FindBooking(emp, later.ID)
	Must(t, err)
	if b.Status != distans.BookingCancelled {
		t.Fatalf("booking after the desk's end: %s", b.Status)
	}
	// The person is told, once.
	ns, err := s.ListNotifications(emp, false, 10)
	Must(t, err)
	if len(ns) != 1 || ns[0].Kind != distans.NotifyBookingCancelled || ns[0].Params["desk"] != o.S1.Label ||
		ns[0].Params["date"] != later.Date.Format(time.DateOnly) {
		t.Fatalf("notifications after the desk's end: %+v", ns)
	}
	all, err := s.ListDesks(emp, o.Site.ID, true)
	Must(t, err)
	some, err := s.ListDesks(emp, o.Site.ID, false)
	Must(t, err)
	if len(all) != len(some) {
		t.Fatalf("a desk ending tomorrow is still in use today: %d vs %d", len(all), len(some))
	}
	Must(t, s.EndDesk(admin, o.S1.ID, o.Today.AddDate(0, 0, -1)))
	some, _ = s.ListDesks(emp, o.Site.ID, false)
	if len(all) != len(some)+1 {
		t.Fatalf("ended desk still listed: %d vs %d", len(all), len(some))
	}
}

// OfficeBookingRules tests every rule of Book, one case each, on a fresh office.
func OfficeBookingRules(t *testing.T, s *sqlstore.Store) {
	o := NewOffice(t, s)
	admin := As(t, s, o.Admin)
	Must(t, s.SetBookingRules(admin, &distans.BookingRules{SiteID: o.Site.ID, HorizonDays: 30, MaxPerWeek: 2,
		ReleaseAt: 600, PMReleaseAt: 840, CongestionPercent: 90}))
	// The annex's horizon reaches the week of the main site's full one
	// (the week after next) whatever the weekday today: its default 14
	// days fell short of it on Mondays and Tuesdays.
	Must(t, s.SetBookingRules(admin, &distans.BookingRules{SiteID: o.Annex.ID, HorizonDays: 30,
		ReleaseAt: 600, PMReleaseAt: 840, CongestionPercent: 90}))
	Must(t, s.EndDesk(admin, o.S2.ID, o.Today.AddDate(0, 0, 2)))
	mon := officeNextMonday(o.Today)
	emp, empY, chef := As(t, s, o.EmpX1), As(t, s, o.EmpY), As(t, s, o.ChefX)
	// EmpY holds N2 on Monday's morning; EmpX1 two bookings in the
	// following week at the site (its maximum).
	officeMustBook(t, s, empY, o.N2.ID, mon, distans.PartAM)
	officeMustBook(t, s, emp, o.N1.ID, mon.AddDate(0, 0, 7), distans.PartAM)
	officeMustBook(t, s, emp, o.N1.ID, mon.AddDate(0, 0, 8), distans.PartDay)

	cases := []struct {
		name   string
		ctx    context.Context
		b      distans.Booking
		code   string
		wantSv string
	}{
		{"ok", emp, distans.Booking{DeskID: o.N1.ID, Date: mon, Part: distans.PartDay}, "", ""},
		{"today", emp, distans.Booking{DeskID: o.S1.ID, Date: o.Today, Part: distans.PartPM}, "", ""},
		{"yesterday", emp, distans.Booking{DeskID: o.S1.ID, Date: o.Today.AddDate(0, 0, -1), Part: distans.PartDay}, distans.EINVALID, "Datumet har redan varit."},
		{"last day of the horizon", empY, distans.Booking{DeskID: o.S1.ID, Date: o.Today.AddDate(0, 0, 30), Part: distans.PartDay}, "", ""},
		{"past the horizon", emp, distans.Booking{DeskID: o.S1.ID, Date: o.Today.AddDate(0, 0, 31), Part: distans.PartDay}, distans.EINVALID, "högst 30 dagar"},
		{"ended desk", emp, distans.Booking{DeskID: o.S2.ID, Date: o.Today.AddDate(0, 0, 3), Part: distans.PartDay}, distans.EINVALID, "används inte längre"},
		{"desk before its end", admin, distans.Booking{DeskID: o.S2.ID, Date: o.Today.AddDate(0, 0, 2), Part: distans.PartAM}, "", ""},
		{"desk of another organisation", emp, distans.Booking{DeskID: o.DeskB.ID, Date: mon, Part: distans.PartDay}, distans.ENOTFOUND, ""},
		{"unknown desk", emp, distans.Booking{DeskID: "nope", Date: mon, Part: distans.PartDay}, distans.ENOTFOUND, ""},
		{"no desk", emp, distans.Booking{Date: mon, Part: distans.PartDay}, distans.EINVALID, ""},
		{"no date", emp, distans.Booking{DeskID: o.N1.ID, Part: distans.PartDay}, distans.EINVALID, ""},
		{"unknown part", emp, distans.Booking{DeskID: o.N1.ID, Date: mon, Part: "night"}, distans.EINVALID, ""},
		{"desk taken", chef, distans.Booking{DeskID: o.N2.ID, Date: mon, Part: distans.PartDay}, distans.ECONFLICT, "Platsen är redan bokad den dagen."},
		{"free half of a taken desk", chef, distans.Booking{DeskID: o.N2.ID, Date: mon, Part: distans.PartPM}, "", ""},
		{"person already elsewhere", empY, distans.Booking{DeskID: o.S1.ID, Date: mon, Part: distans.PartDay}, distans.ECONFLICT, "Du har redan en plats bokad"},
		{"person free the other half", empY, distans.Booking{DeskID: o.S1.ID, Date: mon, Part: distans.PartPM}, "", ""},
		{"weekly maximum", emp, distans.Booking{DeskID: o.S1.ID, Date: mon.AddDate(0, 0, 9), Part: distans.PartPM}, distans.ECONFLICT, "redan 2 bokningar"},
		{"weekly maximum is per site", emp, distans.Booking{DeskID: o.AnnexDesks[0].ID, Date: mon.AddDate(0, 0, 9), Part: distans.PartPM}, "", ""},
		{"for someone else", emp, distans.Booking{DeskID: o.S1.ID, Date: mon.AddDate(0, 0, 1), Part: distans.PartDay, PersonID: o.EmpY.ID}, distans.ENOTFOUND, ""},
		{"manager for their staff", chef, distans.Booking{DeskID: o.S1.ID, Date: mon.AddDate(0, 0, 1), Part: distans.PartDay, PersonID: o.EmpX1.ID}, distans.EFORBIDDEN, ""},
		{"site administrator for anyone", admin, distans.Booking{DeskID: o.S1.ID, Date: mon.AddDate(0, 0, 1), Part: distans.PartDay, PersonID: o.EmpX1.ID}, "", ""},
		{"administrator for a stranger", admin, distans.Booking{DeskID: o.S1.ID, Date: mon.AddDate(0, 0, 2), Part: distans.PartDay, PersonID: o.EmpB.ID}, distans.EINVALID, ""},
		{"not signed in", context.Background(), distans.Booking{DeskID: o.S1.ID, Date: mon, Part: distans.PartDay}, distans.EUNAUTHORIZED, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.b
			err := s.Book(tc.ctx, &b)
			WantCode(t, err, tc.code)
			if tc.wantSv != "" {
				e := err.(*distans.Error)
				msg := e.Sv
				for _, f := range e.Fields {
					msg += " " + f.Sv
				}
				if !strings.Contains(msg, tc.wantSv) || e.En == "" {
					t.Fatalf("message %q (%s), want %q", msg, e.En, tc.wantSv)
				}
			}
			if tc.code == "" {
				if b.ID == "" || b.Status != distans.BookingBooked || b.OrganisationID != o.A.ID || b.SiteID == "" {
					t.Fatalf("booking: %+v", b)
				}
				wantLastAction(t, s, o.A.ID, "booking.create", b.ID)
				if tc.b.PersonID != "" && (b.PersonID != tc.b.PersonID || b.BookedBy != o.Admin.ID) {
					t.Fatalf("booked for: %+v", b)
				}
			}
		})
	}
}

// OfficeHalfDays: a full day conflicts with either half; the two halves do not
// conflict with each other.
func OfficeHalfDays(t *testing.T, s *sqlstore.Store) {
	o := NewOffice(t, s)
	first, second := As(t, s, o.EmpX1), As(t, s, o.EmpY)
	D, AM, PM := distans.PartDay, distans.PartAM, distans.PartPM
	cases := []struct {
		a, b distans.DayPart
		code string
	}{
		{D, D, distans.ECONFLICT}, {D, AM, distans.ECONFLICT}, {D, PM, distans.ECONFLICT},
		{AM, D, distans.ECONFLICT}, {PM, D, distans.ECONFLICT},
		{AM, AM, distans.ECONFLICT}, {PM, PM, distans.ECONFLICT},
		{AM, PM, ""}, {PM, AM, ""},
	}
	for i, tc := range cases {
		date := o.Today.AddDate(0, 0, 1+i) // a day of its own for each case
		officeMustBook(t, s, first, o.N1.ID, date, tc.a)
		_, err := officeBook(t, s, second, o.N1.ID, date, tc.b)
		WantCode(t, err, tc.code)
		if tc.code != "" && err.(*distans.Error).Sv != "Platsen är redan bokad den dagen." {
			t.Fatalf("%s then %s: %v", tc.a, tc.b, err)
		}
		// The same person: one desk at a time, halves at different desks.
		_, err = officeBook(t, s, first, o.N2.ID, date, tc.b)
		if tc.code == "" {
			WantCode(t, err, "")
		} else {
			WantCode(t, err, distans.ECONFLICT)
		}
	}
	av, err := s.SiteAvailability(first, o.Site.ID, o.Today.AddDate(0, 0, 9)) // case 8: pm then am
	Must(t, err)
	if av.Zones[0].Desks[0].State != distans.DeskDayTaken || av.Zones[0].Desks[1].State != distans.DeskAMTaken {
		t.Fatalf("states: %s %s", av.Zones[0].Desks[0].State, av.Zones[0].Desks[1].State)
	}
}

func OfficeRecurring(t *testing.T, s *sqlstore.Store) {
	o := NewOffice(t, s)
	admin, emp, other := As(t, s, o.Admin), As(t, s, o.EmpX1), As(t, s, o.EmpY)
	Must(t, s.SetBookingRules(admin, &distans.BookingRules{SiteID: o.Site.ID, HorizonDays: 20, ReleaseAt: 600, PMReleaseAt: 840, CongestionPercent: 90}))
	mon := officeNextMonday(o.Today)
	// Someone else has N1 on the second Wednesday, and EmpX1 is already at
	// another desk on the first Monday's morning.
	taken := mon.AddDate(0, 0, 9)
	officeMustBook(t, s, other, o.N1.ID, taken, distans.PartAM)
	busy := officeMustBook(t, s, emp, o.S1.ID, mon, distans.PartAM)

	// Mondays and Wednesdays for four weeks: eight dates, the last ones past
	// the 20-day horizon.
	until := mon.AddDate(0, 0, 27)
	res, err := s.BookRecurring(emp, distans.RecurringBooking{DeskID: o.N1.ID, Weekdays: []time.Weekday{time.Monday, time.Wednesday},
		Part: distans.PartDay, From: mon, Until: until})
	Must(t, err)
	var want []time.Time
	for d := mon; !d.After(until); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Monday || d.Weekday() == time.Wednesday {
			want = append(want, d)
		}
	}
	if len(res.Booked)+len(res.Conflicts) != len(want) {
		t.Fatalf("%d booked + %d conflicts, want %d dates", len(res.Booked), len(res.Conflicts), len(want))
	}
	reasons := map[string]string{}
	for _, c := range res.Conflicts {
		reasons[officeDay(c.Date)] = c.Code + ": " + c.Sv
		if c.Sv == "" || c.En == "" {
			t.Fatalf("conflict without a message: %+v", c)
		}
	}
	horizon := o.Today.AddDate(0, 0, 20)
	for _, d := range want {
		r, conflicted := reasons[officeDay(d)]
		switch {
		case d.Equal(mon):
			if !strings.HasPrefix(r, "conflict: Du har redan en plats") {
				t.Errorf("%s: %q", officeDay(d), r)
			}
		case d.Equal(taken):
			if r != "conflict: Platsen är redan bokad den dagen." {
				t.Errorf("%s: %q", officeDay(d), r)
			}
		case d.After(horizon):
			if !strings.HasPrefix(r, "invalid: Du kan boka högst 20 dagar") {
				t.Errorf("%s: %q", officeDay(d), r)
			}
		case conflicted:
			t.Errorf("%s conflicted: %q", officeDay(d), r)
		}
	}
	for _, b := range res.Booked {
		if b.SeriesID != res.SeriesID || b.Part != distans.PartDay || b.DeskID != o.N1.ID || b.PersonID != o.EmpX1.ID {
			t.Fatalf("booked: %+v", b)
		}
	}
	mine, err := s.ListBookings(emp, distans.BookingFilter{})
	Must(t, err)
	if len(mine) != len(res.Booked)+1 {
		t.Fatalf("stored: %d, booked %d + 1", len(mine), len(res.Booked))
	}
	wantLastAction(t, s, o.A.ID, "booking.create", res.Booked[len(res.Booked)-1].ID)

	// Once the morning is cancelled, booking the series again books
	// exactly the first Monday.
	Must(t, s.CancelBooking(emp, busy.ID))
	again, err := s.BookRecurring(emp, distans.RecurringBooking{DeskID: o.N1.ID, Weekdays: []time.Weekday{time.Monday, time.Wednesday},
		Part: distans.PartDay, From: mon, Until: until})
	Must(t, err)
	if len(again.Booked) != 1 || !again.Booked[0].Date.Equal(mon) || len(again.Conflicts) != len(want)-1 {
		t.Fatalf("again: %d booked, %d conflicts", len(again.Booked), len(again.Conflicts))
	}

	for _, tc := range []struct {
		name string
		r    distans.RecurringBooking
		code string
	}{
		{"no weekdays", distans.RecurringBooking{DeskID: o.N2.ID, Part: distans.PartAM, From: mon, Until: until}, distans.EINVALID},
		{"until before from", distans.RecurringBooking{DeskID: o.N2.ID, Weekdays: []time.Weekday{time.Friday}, Part: distans.PartAM, From: until, Until: mon}, distans.EINVALID},
		{"over a year", distans.RecurringBooking{DeskID: o.N2.ID, Weekdays: []time.Weekday{time.Friday}, Part: distans.PartAM, From: mon, Until: mon.AddDate(2, 0, 0)}, distans.EINVALID},
		{"desk of another organisation", distans.RecurringBooking{DeskID: o.DeskB.ID, Weekdays: []time.Weekday{time.Friday}, Part: distans.PartAM, From: mon, Until: until}, distans.ENOTFOUND},
		{"for someone else", distans.RecurringBooking{DeskID: o.N2.ID, PersonID: o.EmpY.ID, Weekdays: []time.Weekday{time.Friday}, Part: distans.PartAM, From: mon, Until: until}, distans.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.BookRecurring(emp, tc.r)
			WantCode(t, err, tc.code)
		})
	}
}

func OfficeCancel(t *testing.T, s *sqlstore.Store) {
	o := NewOffice(t, s)
	emp, empY, chef, admin := As(t, s, o.EmpX1), As(t, s, o.EmpY), As(t, s, o.ChefX), As(t, s, o.Admin)
	date := o.Today.AddDate(0, 0, 2)
	b := officeMustBook(t, s, emp, o.N1.ID, date, distans.PartDay)
	_, err := officeBook(t, s, empY, o.N1.ID, date, distans.PartAM)
	WantCode(t, err, distans.ECONFLICT)

	WantCode(t, s.CancelBooking(empY, b.ID), distans.ENOTFOUND)               // may not see EmpX1
	WantCode(t, s.CancelBooking(chef, b.ID), distans.EFORBIDDEN)              // sees, may not change
	WantCode(t, s.CancelBooking(As(t, s, o.AdminB), b.ID), distans.ENOTFOUND) // another organisation
	WantCode(t, s.CancelBooking(context.Background(), b.ID), distans.EUNAUTHORIZED)
	Must(t, s.CancelBooking(emp, b.ID))
	wantLastAction(t, s, o.A.ID, "booking.cancel", b.ID)
	WantCode(t, s.CancelBooking(emp, b.ID), distans.ECONFLICT)
	got, err := s.FindBooking(emp, b.ID)
	Must(t, err)
	if got.Status != distans.BookingCancelled {
		t.Fatalf("status %s", got.Status)
	}
	// The slot is free again, for the half and for the day; and the person
	// may book again.
	x := officeMustBook(t, s, empY, o.N1.ID, date, distans.PartAM)
	officeMustBook(t, s, emp, o.N1.ID, date, distans.PartPM)
	Must(t, s.CancelBooking(admin, x.ID)) // a site administrator cancels anyone's
	officeMustBook(t, s, chef, o.N1.ID, date, distans.PartAM)
	list, err := s.ListBookings(emp, distans.BookingFilter{IncludeInactive: true})
	Must(t, err)
	if len(list) != 2 {
		t.Fatalf("EmpX1's bookings with the cancelled: %d", len(list))
	}
	list, err = s.ListBookings(chef, distans.BookingFilter{PersonID: o.EmpX1.ID})
	Must(t, err)
	if len(list) != 1 {
		t.Fatalf("EmpX1's active bookings read by the chef: %d", len(list))
	}
	_, err = s.ListBookings(empY, distans.BookingFilter{PersonID: o.EmpX1.ID})
	WantCode(t, err, distans.ENOTFOUND)
}

func OfficeCheckInRelease(t *testing.T, s *sqlstore.Store) {
	o := NewOffice(t, s)
	admin := As(t, s, o.Admin)
	Must(t, s.SetBookingRules(admin, &distans.BookingRules{SiteID: o.Site.ID, HorizonDays: 14, CheckInRequired: true,
		ReleaseAt: 10 * 60, PMReleaseAt: 14 * 60, CongestionPercent: 90}))
	emp, empY, sw := As(t, s, o.EmpX1), As(t, s, o.EmpY), As(t, s, o.Switchboard)
	day1 := officeMustBook(t, s, emp, o.N1.ID, o.Today, distans.PartDay)
	am := officeMustBook(t, s, empY, o.N2.ID, o.Today, distans.PartAM)
	pm := officeMustBook(t, s, admin, o.S1.ID, o.Today, distans.PartPM)
	claimed := officeMustBook(t, s, sw, o.S2.ID, o.Today, distans.PartDay)
	annex := officeMustBook(t, s, As(t, s, o.ChefX), o.AnnexDesks[0].ID, o.Today, distans.PartDay) // no check-in there
	tomorrow := officeMustBook(t, s, sw, o.S2.ID, o.Today.AddDate(0, 0, 1), distans.PartDay)

	WantCode(t, s.CheckIn(sw, tomorrow.ID), distans.EINVALID)
	WantCode(t, s.CheckIn(emp, claimed.ID), distans.ENOTFOUND)
	Must(t, s.CheckIn(sw, claimed.ID))
	wantLastAction(t, s, o.A.ID, "booking.check_in", claimed.ID)
	Must(t, s.CheckIn(sw, claimed.ID)) // twice is harmless

	loc, _ := time.LoadLocation("Europe/Stockholm")
	at := func(h, m int) time.Time {
		return time.Date(o.Today.Year(), o.Today.Month(), o.Today.Day(), h, m, 0, 0, loc)
	}
	sys := System(o.A.ID)
	_, err := s.ReleaseUnclaimed(emp, at(10, 30))
	WantCode(t, err, distans.EFORBIDDEN)
	for _, tc := range []struct {
		at   time.Time
		want int
	}{
		{at(9, 59), 0},
		{at(10, 0), 2}, // the day and the morning
		{at(10, 30), 0},
		{at(14, 0), 1}, // the afternoon
		{at(16, 0), 0},
	} {
		n, err := s.ReleaseUnclaimed(sys, tc.at)
		Must(t, err)
		if n != tc.want {
			t.Fatalf("release at %s: %d, want %d", tc.at.Format("15:04"), n, tc.want)
		}
	}
	wantLastAction(t, s, o.A.ID, "booking.release", o.Site.ID)
	for _, tc := range []struct {
		b    *distans.Booking
		want distans.BookingStatus
	}{
		{day1, distans.BookingReleased}, {am, distans.BookingReleased}, {pm, distans.BookingReleased},
		{claimed, distans.BookingCheckedIn}, {annex, distans.BookingBooked}, {tomorrow, distans.BookingBooked},
	} {
		got, err := s.FindBooking(admin, tc.b.ID)
		Must(t, err)
		if got.Status != tc.want {
			t.Errorf("booking %s %s: %s, want %s", got.DeskID, got.Part, got.Status, tc.want)
		}
	}
	WantCode(t, s.CheckIn(emp, day1.ID), distans.ECONFLICT)
	// The released desk can be booked again at once, even by the same person.
	officeMustBook(t, s, emp, o.N1.ID, o.Today, distans.PartPM)
	// Another organisation's run touches nothing here.
	n, err := s.ReleaseUnclaimed(System(o.B.ID), at(23, 0))
	Must(t, err)
	if n != 0 {
		t.Fatalf("B released %d", n)
	}
}

func OfficeTeamDays(t *testing.T, s *sqlstore.Store) {
	o := NewOffice(t, s)
	chef, emp, empY := As(t, s, o.ChefX), As(t, s, o.EmpX1), As(t, s, o.EmpY)
	date := o.Today.AddDate(0, 0, 5)
	td := &distans.TeamDay{UnitID: o.X.ID, Date: date, Note: "Planeringsdag, vi sitter i norra zonen"}
	Must(t, s.SetTeamDay(chef, td))
	wantLastAction(t, s, o.A.ID, "team_day.create", td.ID)
	WantCode(t, s.SetTeamDay(chef, &distans.TeamDay{UnitID: o.X.ID, Date: date}), distans.ECONFLICT)
	WantCode(t, s.SetTeamDay(chef, &distans.TeamDay{UnitID: o.X.ID, Date: o.Today.AddDate(0, 0, -1)}), distans.EINVALID)
	WantCode(t, s.SetTeamDay(chef, &distans.TeamDay{UnitID: o.Y.ID, Date: date}), distans.EFORBIDDEN) // not chef of Y
	WantCode(t, s.SetTeamDay(emp, &distans.TeamDay{UnitID: o.X1.ID, Date: date}), distans.EFORBIDDEN)
	WantCode(t, s.SetTeamDay(As(t, s, o.AdminB), &distans.TeamDay{UnitID: o.X.ID, Date: date}), distans.EINVALID)
	sub := &distans.TeamDay{UnitID: o.X1.ID, Date: date.AddDate(0, 0, 1), Note: "Bara X1"}
	Must(t, s.SetTeamDay(chef, sub)) // the chef of X is chef over X1

	// X1's people see X's days (they apply to the subtree) and X1's own.
	days, err := s.ListTeamDays(emp, o.X1.ID, o.Today, o.Today.AddDate(0, 0, 30))
	Must(t, err)
	if len(days) != 2 || days[0].ID != td.ID || days[0].Note != td.Note || days[1].ID != sub.ID {
		t.Fatalf("X1's team days: %+v", days)
	}
	days, err = s.ListTeamDays(emp, o.X.ID, time.Time{}, time.Time{})
	Must(t, err)
	if len(days) != 1 {
		t.Fatalf("X's team days: %d", len(days))
	}
	_, err = s.ListTeamDays(empY, o.X.ID, time.Time{}, time.Time{})
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.ListTeamDays(As(t, s, o.AdminB), o.X.ID, time.Time{}, time.Time{})
	WantCode(t, err, distans.ENOTFOUND)

	// Where the team sits: X's subtree only.
	officeMustBook(t, s, emp, o.N1.ID, date, distans.PartDay)
	officeMustBook(t, s, chef, o.N2.ID, date, distans.PartAM)
	officeMustBook(t, s, empY, o.S1.ID, date, distans.PartDay)
	tb, err := s.ListTeamBookings(emp, o.X.ID, date)
	Must(t, err)
	if len(tb) != 2 || tb[0].DeskLabel != "N1" || tb[0].Name != o.EmpX1.Name || tb[1].PersonID != o.ChefX.ID ||
		tb[0].ZoneName != "Norra" || tb[0].SiteName != o.Site.Name {
		t.Fatalf("team bookings: %+v", tb)
	}
	_, err = s.ListTeamBookings(empY, o.X.ID, date)
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.ListTeamBookings(As(t, s, o.AdminB), o.X.ID, date)
	WantCode(t, err, distans.ENOTFOUND)
	tb, err = s.ListTeamBookings(As(t, s, o.HRX), o.X1.ID, date) // PermViewPeople over X
	Must(t, err)
	if len(tb) != 1 || tb[0].PersonID != o.EmpX1.ID {
		t.Fatalf("X1's bookings for HR: %+v", tb)
	}

	WantCode(t, s.DeleteTeamDay(emp, td.ID), distans.EFORBIDDEN)
	WantCode(t, s.DeleteTeamDay(As(t, s, o.AdminB), td.ID), distans.ENOTFOUND)
	Must(t, s.DeleteTeamDay(chef, td.ID))
	wantLastAction(t, s, o.A.ID, "team_day.delete", td.ID)
	WantCode(t, s.DeleteTeamDay(chef, td.ID), distans.ENOTFOUND)
}

func OfficeAvailability(t *testing.T, s *sqlstore.Store) {
	o := NewOffice(t, s)
	admin, emp, empY := As(t, s, o.Admin), As(t, s, o.EmpX1), As(t, s, o.EmpY)
	date := o.Today.AddDate(0, 0, 3)
	Must(t, s.SetBookingRules(admin, &distans.BookingRules{SiteID: o.Site.ID, HorizonDays: 14, ReleaseAt: 600, PMReleaseAt: 840, CongestionPercent: 50}))
	officeMustBook(t, s, emp, o.N1.ID, date, distans.PartDay)
	officeMustBook(t, s, empY, o.N2.ID, date, distans.PartAM)
	officeMustBook(t, s, As(t, s, o.Switchboard), o.S1.ID, date, distans.PartPM)
	// Annex: one of three desks taken; Tiny: its only desk taken.
	officeMustBook(t, s, As(t, s, o.HRX), o.AnnexDesks[1].ID, date, distans.PartAM)
	officeMustBook(t, s, As(t, s, o.ChefX), o.TinyDesk.ID, date, distans.PartDay)

	av, err := s.SiteAvailability(empY, o.Site.ID, date)
	Must(t, err)
	if av.Desks != 4 || av.FreeDesks != 1 || av.FreeAM != 2 || av.FreePM != 2 || av.BookedPercent != 50 || !av.Congested {
		t.Fatalf("totals: %+v", av)
	}
	if len(av.Zones) != 2 || av.Zones[0].Zone.Name != "Norra" || av.Zones[1].Free != 1 || av.Rules.CongestionPercent != 50 {
		t.Fatalf("zones: %+v", av.Zones)
	}
	n1, n2, s1, s2 := av.Zones[0].Desks[0], av.Zones[0].Desks[1], av.Zones[1].Desks[0], av.Zones[1].Desks[1]
	if n1.State != distans.DeskDayTaken || n2.State != distans.DeskAMTaken || s1.State != distans.DeskPMTaken || s2.State != distans.DeskFree {
		t.Fatalf("states: %s %s %s %s", n1.State, n2.State, s1.State, s2.State)
	}
	// EmpY sees their own booking, and only "booked" for the others.
	if !n2.AM.Mine || n2.AM.Name != o.EmpY.Name || n2.AM.BookingID == "" {
		t.Fatalf("own slot: %+v", n2.AM)
	}
	if n1.AM.Name != "" || n1.AM.PersonID != "" || n1.AM.BookingID != "" || n1.AM.Mine || n1.AM != n1.PM {
		t.Fatalf("someone else's slot shown to EmpY: %+v", n1.AM)
	}
	// The administrator (PermViewPeople everywhere) sees every name; the
	// chef of X sees EmpX1 (in X1) but not the switchboard.
	av, err = s.SiteAvailability(admin, o.Site.ID, date)
	Must(t, err)
	if av.Zones[0].Desks[0].AM.Name != o.EmpX1.Name || av.Zones[1].Desks[0].PM.Name != o.Switchboard.Name {
		t.Fatalf("names for the administrator: %+v", av.Zones[0].Desks[0].AM)
	}
	av, err = s.SiteAvailability(As(t, s, o.ChefX), o.Site.ID, date)
	Must(t, err)
	if av.Zones[0].Desks[0].AM.Name != o.EmpX1.Name || av.Zones[1].Desks[0].PM.Name != "" {
		t.Fatalf("names for the chef: %+v %+v", av.Zones[0].Desks[0].AM, av.Zones[1].Desks[0].PM)
	}
	// Another day is empty and not congested.
	av, err = s.SiteAvailability(empY, o.Site.ID, date.AddDate(0, 0, 1))
	Must(t, err)
	if av.FreeDesks != 4 || av.Congested || av.BookedPercent != 0 {
		t.Fatalf("empty day: %+v", av)
	}

	// Other sites with room, most free desks first: Annex (2 free), not
	// Tiny (full), not the site itself.
	near, err := s.NearestFreeSites(empY, o.Site.ID, date)
	Must(t, err)
	if len(near) != 1 || near[0].Site.ID != o.Annex.ID || near[0].Desks != 3 || near[0].FreeDesks != 2 || near[0].BookedPercent != 16 {
		t.Fatalf("nearest: %+v", near)
	}
	near, err = s.NearestFreeSites(empY, o.Annex.ID, date)
	Must(t, err)
	if len(near) != 1 || near[0].Site.ID != o.Site.ID || near[0].FreeDesks != 1 {
		t.Fatalf("nearest from the annex: %+v", near)
	}

	_, err = s.SiteAvailability(As(t, s, o.AdminB), o.Site.ID, date)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.NearestFreeSites(As(t, s, o.AdminB), o.Site.ID, date)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.SiteAvailability(context.Background(), o.Site.ID, date)
	WantCode(t, err, distans.EUNAUTHORIZED)
}

func OfficeUtilisation(t *testing.T, s *sqlstore.Store) {
	o := NewOffice(t, s)
	admin, emp := As(t, s, o.Admin), As(t, s, o.EmpX1)
	b := officeMustBook(t, s, emp, o.N1.ID, o.Today, distans.PartDay)
	Must(t, s.CheckIn(emp, b.ID))
	officeMustBook(t, s, As(t, s, o.EmpY), o.N2.ID, o.Today, distans.PartAM)
	c := officeMustBook(t, s, As(t, s, o.ChefX), o.S1.ID, o.Today, distans.PartPM)
	Must(t, s.CancelBooking(As(t, s, o.ChefX), c.ID)) // cancelled: not counted
	officeMustBook(t, s, emp, o.AnnexDesks[0].ID, o.Today.AddDate(0, 0, 1), distans.PartPM)

	_, err := s.Utilisation(emp, o.Today, o.Today.AddDate(0, 0, 6))
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.Utilisation(admin, o.Today, o.Today.AddDate(0, 0, -1))
	WantCode(t, err, distans.EINVALID)
	for _, ctx := range []context.Context{admin, As(t, s, o.ChefX)} { // PermManageSites; PermViewAggregates in X
		rows, err := s.Utilisation(ctx, o.Today, o.Today.AddDate(0, 0, 6))
		Must(t, err)
		by := map[string]*distans.UtilisationRow{}
		for _, r := range rows {
			by[r.SiteID+"/"+r.Weekday.String()] = r
			if r.Days != 1 {
				t.Fatalf("a week has one of each weekday: %+v", r)
			}
		}
		if len(rows) != 3*7 { // Site, Annex, Tiny × 7 weekdays
			t.Fatalf("rows: %d", len(rows))
		}
		today := by[o.Site.ID+"/"+o.Today.Weekday().String()]
		if today.Booked != 1.5 || today.CheckedIn != 1 || today.Capacity != 4 || today.SiteName != o.Site.Name {
			t.Fatalf("today at the site: %+v", today)
		}
		tomorrow := by[o.Annex.ID+"/"+o.Today.AddDate(0, 0, 1).Weekday().String()]
		if tomorrow.Booked != 0.5 || tomorrow.CheckedIn != 0 || tomorrow.Capacity != 3 {
			t.Fatalf("tomorrow at the annex: %+v", tomorrow)
		}
	}
	rows, err := s.Utilisation(As(t, s, o.AdminB), o.Today, o.Today.AddDate(0, 0, 6))
	Must(t, err)
	for _, r := range rows {
		if r.SiteID != o.SiteB.ID || r.Booked != 0 {
			t.Fatalf("B's utilisation: %+v", r)
		}
	}
}

// OfficeTenantIsolation calls every office method as B's administrator
// with A's records: nothing of A is found, read or changed.
func OfficeTenantIsolation(t *testing.T, s *sqlstore.Store) {
	o := NewOffice(t, s)
	date := o.Today.AddDate(0, 0, 1)
	b := officeMustBook(t, s, As(t, s, o.EmpX1), o.N1.ID, date, distans.PartDay)
	td := &distans.TeamDay{UnitID: o.X.ID, Date: date}
	Must(t, s.SetTeamDay(As(t, s, o.ChefX), td))
	before := lastEvent(t, s, o.A.ID).Seq

	ctx := As(t, s, o.AdminB)
	second := func(_ any, err error) error { return err }
	n1 := *o.N1
	north := *o.North
	for _, tc := range []struct {
		name string
		err  error
		code string
	}{
		{"ListZones", second(s.ListZones(ctx, o.Site.ID)), distans.ENOTFOUND},
		{"UpdateZone", s.UpdateZone(ctx, &north), distans.ENOTFOUND},
		{"FindDesk", second(s.FindDesk(ctx, o.N1.ID)), distans.ENOTFOUND},
		{"ListDesks", second(s.ListDesks(ctx, o.Site.ID, true)), distans.ENOTFOUND},
		{"UpdateDesk", s.UpdateDesk(ctx, &n1), distans.ENOTFOUND},
		{"EndDesk", s.EndDesk(ctx, o.N1.ID, date), distans.ENOTFOUND},
		{"BookingRules", second(s.BookingRules(ctx, o.Site.ID)), distans.ENOTFOUND},
		{"SetBookingRules", s.SetBookingRules(ctx, &distans.BookingRules{SiteID: o.Site.ID, HorizonDays: 1, ReleaseAt: 1, PMReleaseAt: 1, CongestionPercent: 1}), distans.ENOTFOUND},
		{"Book", second(officeBook(t, s, ctx, o.N2.ID, date, distans.PartDay)), distans.ENOTFOUND},
		{"BookRecurring", second(s.BookRecurring(ctx, distans.RecurringBooking{DeskID: o.N2.ID, Weekdays: []time.Weekday{date.Weekday()}, Part: distans.PartDay, From: date, Until: date})), distans.ENOTFOUND},
		{"FindBooking", second(s.FindBooking(ctx, b.ID)), distans.ENOTFOUND},
		{"ListBookings", second(s.ListBookings(ctx, distans.BookingFilter{PersonID: o.EmpX1.ID})), distans.ENOTFOUND},
		{"CancelBooking", s.CancelBooking(ctx, b.ID), distans.ENOTFOUND},
		{"CheckIn", s.CheckIn(ctx, b.ID), distans.ENOTFOUND},
		{"SetTeamDay", s.SetTeamDay(ctx, &distans.TeamDay{UnitID: o.X.ID, Date: date.AddDate(0, 0, 1)}), distans.EINVALID},
		{"DeleteTeamDay", s.DeleteTeamDay(ctx, td.ID), distans.ENOTFOUND},
		{"ListTeamDays", second(s.ListTeamDays(ctx, o.X.ID, time.Time{}, time.Time{})), distans.ENOTFOUND},
		{"ListTeamBookings", second(s.ListTeamBookings(ctx, o.X.ID, date)), distans.ENOTFOUND},
		{"SiteAvailability", second(s.SiteAvailability(ctx, o.Site.ID, date)), distans.ENOTFOUND},
		{"NearestFreeSites", second(s.NearestFreeSites(ctx, o.Site.ID, date)), distans.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) { WantCode(t, tc.err, tc.code) })
	}
	// B's own views hold nothing of A.
	near, err := s.NearestFreeSites(ctx, o.SiteB.ID, date)
	Must(t, err)
	if len(near) != 0 {
		t.Fatalf("B's other sites: %+v", near)
	}
	if got := lastEvent(t, s, o.A.ID).Seq; got != before {
		t.Fatalf("A's audit trail grew from %d to %d", before, got)
	}
	got, err := s.FindBooking(As(t, s, o.EmpX1), b.ID)
	Must(t, err)
	if got.Status != distans.BookingBooked {
		t.Fatalf("A's booking changed: %+v", got)
	}
}

// OfficeRaceCount is how many goroutines OfficeBookingRace runs.
const OfficeRaceCount = 200

// OfficeBookingRace: OfficeRaceCount people book the same desk for the same day at
// once, a third each for the day, the morning and the afternoon. Exactly
// the allowed bookings succeed (one full day, or one morning and one
// afternoon), every other request gets ECONFLICT, and the database holds no
// two active slots for one half day. Then one person asks for every desk
// of the annex at once and gets exactly one.
func OfficeBookingRace(t *testing.T, s *sqlstore.Store) {
	o := NewOffice(t, s)
	date := o.Today.AddDate(0, 0, 1)
	people := make([]*distans.Person, OfficeRaceCount)
	for i := range people {
		p := &distans.Person{Name: fmt.Sprintf("Racer %d", i), Email: fmt.Sprintf("racer%d@example.se", i)}
		Must(t, s.CreatePerson(System(o.A.ID), p))
		people[i] = p
	}
	parts := []distans.DayPart{distans.PartDay, distans.PartAM, distans.PartPM}
	errs := make([]error, OfficeRaceCount)
	booked := make([]*distans.Booking, OfficeRaceCount)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, p := range people {
		ctx := distans.NewContext(context.Background(), &distans.Actor{OrganisationID: o.A.ID, PersonID: p.ID, Name: p.Name})
		wg.Go(func() {
			<-start
			booked[i], errs[i] = officeBook(t, s, ctx, o.N1.ID, date, parts[i%3])
		})
	}
	close(start)
	wg.Wait()
	var won []distans.DayPart
	for i, err := range errs {
		switch distans.ErrorCode(err) {
		case "":
			won = append(won, booked[i].Part)
		case distans.ECONFLICT:
			if err.(*distans.Error).Sv != "Platsen är redan bokad den dagen." {
				t.Errorf("conflict message: %v", err)
			}
		default:
			t.Errorf("request %d: %v", i, err)
		}
	}
	ok := len(won) == 1 && won[0] == distans.PartDay ||
		len(won) == 2 && won[0] != won[1] && won[0] != distans.PartDay && won[1] != distans.PartDay
	if !ok {
		t.Fatalf("winners: %v", won)
	}
	t.Logf("%s: %d requests, won %v", s.Dialect(), OfficeRaceCount, won)

	raw := Raw(t, s)
	var dup int
	Must(t, raw.QueryRow(`SELECT COUNT(*) FROM (SELECT desk_id, date, half FROM booking_slots
		GROUP BY organisation_id, desk_id, date, half HAVING COUNT(*) > 1) x`).Scan(&dup))
	var slots, active int
	Must(t, raw.QueryRow(`SELECT COUNT(*) FROM booking_slots WHERE desk_id = $1`, o.N1.ID).Scan(&slots))
	Must(t, raw.QueryRow(`SELECT COUNT(*) FROM bookings WHERE desk_id = $1 AND status IN ('booked', 'checked_in')`, o.N1.ID).Scan(&active))
	if dup != 0 || slots != 2 || active != len(won) {
		t.Fatalf("database: %d duplicate slots, %d slots, %d active bookings for %d winners", dup, slots, active, len(won))
	}

	// One person, every annex desk at once: one wins.
	ctx := As(t, s, o.EmpY)
	errs = make([]error, 3*len(o.AnnexDesks))
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = officeBook(t, s, ctx, o.AnnexDesks[i%len(o.AnnexDesks)].ID, date, distans.PartDay)
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		} else {
			WantCode(t, err, distans.ECONFLICT)
		}
	}
	if wins != 1 {
		t.Fatalf("one person won %d desks", wins)
	}

	// Recurring and single bookings racing for the same desks and week:
	// every request ends in a booking or a clear conflict — never a
	// deadlock or another error — and no slot is held twice.
	racers := people[:min(40, len(people))]
	from := o.Today.AddDate(0, 0, 2)
	errs = make([]error, len(racers))
	for i, p := range racers {
		ctx := distans.NewContext(context.Background(), &distans.Actor{OrganisationID: o.A.ID, PersonID: p.ID, Name: p.Name})
		desk := []*distans.Desk{o.N2, o.S1}[i%2]
		wg.Go(func() {
			if i%3 == 0 {
				_, errs[i] = s.BookRecurring(ctx, distans.RecurringBooking{DeskID: desk.ID, Part: parts[i%len(parts)],
					Weekdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday},
					From:     from, Until: from.AddDate(0, 0, 4)})
				return
			}
			_, errs[i] = officeBook(t, s, ctx, desk.ID, from.AddDate(0, 0, i%5), parts[i%len(parts)])
		})
	}
	wg.Wait()
	for i, err := range errs {
		if c := distans.ErrorCode(err); c != "" && c != distans.ECONFLICT {
			t.Errorf("mixed request %d: %v", i, err)
		}
	}
	Must(t, raw.QueryRow(`SELECT COUNT(*) FROM (SELECT desk_id, date, half FROM booking_slots
		GROUP BY organisation_id, desk_id, date, half HAVING COUNT(*) > 1) x`).Scan(&dup))
	if dup != 0 {
		t.Fatalf("%d slots held twice after the mixed race", dup)
	}
	// Every booking appended its audit event to the one chain while others
	// did: the chain holds each once, in an unbroken order.
	if b, err := s.VerifyAuditChains(context.Background()); err != nil || b != nil {
		t.Fatalf("audit chain after the race: %v %v", b, err)
	}
	var events, rows int
	Must(t, raw.QueryRow(`SELECT COUNT(*) FROM audit_events WHERE organisation_id = $1 AND action = 'booking.create'`, o.A.ID).Scan(&events))
	Must(t, raw.QueryRow(`SELECT COUNT(*) FROM bookings WHERE organisation_id = $1`, o.A.ID).Scan(&rows))
	if events != rows {
		t.Fatalf("%d booking events for %d bookings", events, rows)
	}
}

// OfficeSlotIndexes proves the guarantee sits in the database: a second active
// slot for the same desk and half day, written behind the store's back,
// is refused.
func OfficeSlotIndexes(t *testing.T, s *sqlstore.Store) {
	o := NewOffice(t, s)
	date := o.Today.AddDate(0, 0, 1)
	b := officeMustBook(t, s, As(t, s, o.EmpX1), o.N1.ID, date, distans.PartAM)
	other := officeMustBook(t, s, As(t, s, o.EmpY), o.N2.ID, date, distans.PartPM)
	raw := Raw(t, s)
	_, err := raw.Exec(`INSERT INTO booking_slots (organisation_id, booking_id, half, desk_id, person_id, date)
		VALUES ($1, $2, 'am', $3, $4, $5)`, o.A.ID, other.ID, o.N1.ID, o.EmpY.ID, officeDay(date))
	if err == nil || !strings.Contains(err.Error(), "desk") {
		t.Fatalf("a second slot for the desk: %v", err)
	}
	_, err = raw.Exec(`INSERT INTO booking_slots (organisation_id, booking_id, half, desk_id, person_id, date)
		VALUES ($1, $2, 'pm', $3, $4, $5)`, o.A.ID, b.ID, o.S1.ID, o.EmpY.ID, officeDay(date))
	if err == nil || !strings.Contains(err.Error(), "person") {
		t.Fatalf("a second slot for the person: %v", err)
	}
}

func officeDay(t time.Time) string { return t.Format(time.DateOnly) }

// OfficeAvailabilityLayout: an instance keeps a site's zones and desks in
// memory between availability reads; a desk or zone changed through
// another instance is seen at the next read all the same.
func OfficeAvailabilityLayout(t *testing.T, s *sqlstore.Store) {
	o := NewOffice(t, s)
	v, _ := dsns.Load(s)
	other := open(t, v.(string))
	a, emp := o.A.ID, As(t, s, o.EmpX1)
	date := o.Today.AddDate(0, 0, 2)
	labels := func() []string {
		t.Helper()
		av, err := s.SiteAvailability(emp, o.Site.ID, date)
		Must(t, err)
		var out []string
		for _, z := range av.Zones {
			for _, d := range z.Desks {
				out = append(out, z.Zone.Name+"/"+d.Desk.Label)
			}
		}
		return out
	}
	want := func(w ...string) {
		t.Helper()
		if got := labels(); !slices.Equal(got, w) {
			t.Fatalf("desks: got %v, want %v", got, w)
		}
	}
	want("Norra/N1", "Norra/N2", "Södra/S1", "Södra/S2")
	// Labels read naturally: N10 after N2.
	NewDesk(t, other, a, o.North.ID, "N10")
	want("Norra/N1", "Norra/N2", "Norra/N10", "Södra/S1", "Södra/S2")
	n2 := *o.N2
	n2.ZoneID, n2.Label = o.South.ID, "S3"
	Must(t, other.UpdateDesk(System(a), &n2))
	want("Norra/N1", "Norra/N10", "Södra/S1", "Södra/S2", "Södra/S3")
	south := *o.South
	// Zones in Swedish order: Å before Ä, which bytes would put first.
	north := *o.North
	north.Name, south.Name = "Åsen", "Ärlan"
	Must(t, other.UpdateZone(System(a), &north))
	Must(t, other.UpdateZone(System(a), &south))
	want("Åsen/N1", "Åsen/N10", "Ärlan/S1", "Ärlan/S2", "Ärlan/S3")
	north.Name = "Norra"
	Must(t, other.UpdateZone(System(a), &north))
	south.Name = "Ateljén"
	Must(t, other.UpdateZone(System(a), &south))
	want("Ateljén/S1", "Ateljén/S2", "Ateljén/S3", "Norra/N1", "Norra/N10")
	// A desk ended the day before is gone that day, and there the day before.
	Must(t, other.EndDesk(System(a), o.S1.ID, date.AddDate(0, 0, -1)))
	want("Ateljén/S2", "Ateljén/S3", "Norra/N1", "Norra/N10")
	av, err := s.SiteAvailability(emp, o.Site.ID, date.AddDate(0, 0, -1))
	Must(t, err)
	if av.Desks != 5 {
		t.Fatalf("desks the day the desk ends: %d", av.Desks)
	}
	NewZone(t, other, a, o.Site.ID, "Tomma zonen") // a zone without desks is not shown
	want("Ateljén/S2", "Ateljén/S3", "Norra/N1", "Norra/N10")

	// The site and its rules are kept with the layout, and their changes
	// are seen the same way.
	site, err := other.UpdateSite(System(a), o.Site.ID, distans.SiteUpdate{Name: ptr("Stadshuset, plan 3")})
	Must(t, err)
	if av, err = s.SiteAvailability(emp, o.Site.ID, date); err != nil || av.Site.Name != site.Name {
		t.Fatalf("the other instance's new site name is not seen: %v", err)
	}
	Must(t, other.SetBookingRules(System(a), &distans.BookingRules{SiteID: o.Site.ID, HorizonDays: 30, MaxPerWeek: 3,
		ReleaseAt: 600, PMReleaseAt: 840, CongestionPercent: 40}))
	av, err = s.SiteAvailability(emp, o.Site.ID, date)
	Must(t, err)
	if av.Site.Name != site.Name || av.Rules.MaxPerWeek != 3 || av.Rules.CongestionPercent != 40 {
		t.Fatalf("site %q, rules %+v: the other instance's changes are not seen", av.Site.Name, av.Rules)
	}
	Must(t, other.EndSite(System(a), o.Site.ID, date))
	av, err = s.SiteAvailability(emp, o.Site.ID, date)
	Must(t, err)
	if av.Site.EndedOn == nil {
		t.Fatal("the site's end is not seen")
	}
	av.Site.Name, av.Rules.MaxPerWeek = "ändrad", 9 // callers get copies
	if av, _ = s.SiteAvailability(emp, o.Site.ID, date); av.Site.Name != site.Name || av.Rules.MaxPerWeek != 3 {
		t.Fatal("a caller's change reached the kept site")
	}
}

// OfficeAuditPending: a booking's audit event reaches the chain whether it
// is written there at once or held as pending (PostgreSQL's one-statement
// booking): sealed by ChainPendingAudit, or by whoever reads the trail
// first, once each, in an unbroken chain, however many seal at once.
func OfficeAuditPending(t *testing.T, s *sqlstore.Store) {
	o := NewOffice(t, s)
	raw := Raw(t, s)
	ctx := context.Background()
	count := func(query string) int {
		t.Helper()
		var n int
		Must(t, raw.QueryRow(query, o.A.ID).Scan(&n))
		return n
	}
	const (
		pending = `SELECT COUNT(*) FROM audit_pending WHERE organisation_id = $1`
		chained = `SELECT COUNT(*) FROM audit_events WHERE organisation_id = $1 AND action = 'booking.create'`
	)
	b := officeMustBook(t, s, As(t, s, o.EmpX1), o.N1.ID, o.Today.AddDate(0, 0, 1), distans.PartDay)
	if count(pending)+count(chained) != 1 {
		t.Fatalf("the booking's event: %d pending, %d chained", count(pending), count(chained))
	}
	waiting := count(pending)
	n, err := s.ChainPendingAudit(ctx, distans.Now())
	Must(t, err)
	if n != waiting || count(pending) != 0 || count(chained) != 1 {
		t.Fatalf("sealed %d of %d; %d pending, %d chained", n, waiting, count(pending), count(chained))
	}

	// Reading the trail seals first: the newest event is the newest booking.
	b = officeMustBook(t, s, As(t, s, o.EmpY), o.N2.ID, o.Today.AddDate(0, 0, 1), distans.PartAM)
	evs, err := s.ListAuditEvents(As(t, s, o.Admin), distans.AuditFilter{Limit: 1})
	Must(t, err)
	want := "booked desk N2 (" + o.N2.ID + ") on " + officeDay(o.Today.AddDate(0, 0, 1)) + " am for person " + o.EmpY.ID
	if len(evs) != 1 || evs[0].Action != "booking.create" || evs[0].RecordID != b.ID || evs[0].ActorID != o.EmpY.ID ||
		evs[0].ActorName != o.EmpY.Name || evs[0].Summary != want || evs[0].Hash != evs[0].ComputeHash() {
		t.Fatalf("newest event: %+v", evs)
	}
	if b.SiteID != o.Site.ID || b.BookedBy != o.EmpY.ID || b.Status != distans.BookingBooked {
		t.Fatalf("booking: %+v", b)
	}

	// Bookings, other changes and sealers all at once.
	var wg sync.WaitGroup
	people := []*distans.Person{o.Admin, o.HRX, o.ChefX, o.Switchboard, o.EmpX1, o.EmpY}
	desks := []*distans.Desk{o.N1, o.N2, o.S1, o.S2}
	errs := make(chan error, 200)
	for i := range 24 {
		p := people[i%len(people)]
		ctx := distans.NewContext(context.Background(), &distans.Actor{OrganisationID: o.A.ID, PersonID: p.ID, Name: p.Name})
		wg.Go(func() {
			_, err := officeBook(t, s, ctx, desks[i%len(desks)].ID, o.Today.AddDate(0, 0, 3+i/len(desks)), distans.PartDay)
			if distans.ErrorCode(err) != "" && distans.ErrorCode(err) != distans.ECONFLICT {
				errs <- err
			}
		})
	}
	for i := range 3 {
		wg.Go(func() {
			if _, err := s.ChainPendingAudit(ctx, distans.Now()); err != nil {
				errs <- err
			}
			z := &distans.Zone{SiteID: o.Site.ID, Name: fmt.Sprintf("Zon %d", i)}
			if err := s.CreateZone(System(o.A.ID), z); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if b, err := s.VerifyAuditChains(ctx); err != nil || b != nil {
		t.Fatalf("chain: %v %v", b, err)
	}
	if count(pending) != 0 || count(chained) != count(`SELECT COUNT(*) FROM bookings WHERE organisation_id = $1`) {
		t.Fatalf("%d pending, %d chained booking events for %d bookings", count(pending), count(chained),
			count(`SELECT COUNT(*) FROM bookings WHERE organisation_id = $1`))
	}
}
