package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// office is a site seeded with a zone and desks, as the system.
type office struct {
	site  *distans.Site
	zone  *distans.Zone
	desks map[string]*distans.Desk
}

func (e *env) seedOffice(slug string, labels ...string) *office {
	e.t.Helper()
	ctx := e.system(slug)
	site := &distans.Site{Name: "Kontorshuset " + slug, Kind: distans.SiteMain}
	if err := e.store.CreateSite(ctx, site); err != nil {
		e.t.Fatal(err)
	}
	z := &distans.Zone{SiteID: site.ID, Name: "Plan 2", Floor: "2"}
	if err := e.store.CreateZone(ctx, z); err != nil {
		e.t.Fatal(err)
	}
	o := &office{site: site, zone: z, desks: map[string]*distans.Desk{}}
	for i, l := range labels {
		d := &distans.Desk{ZoneID: z.ID, Label: l, Screens: 2, HeightAdjustable: i == 0, Quiet: i == 1, Accessible: true}
		if err := e.store.CreateDesk(ctx, d); err != nil {
			e.t.Fatal(err)
		}
		o.desks[l] = d
	}
	return o
}

// today is the current day in Sweden, as the store counts days.
func officeToday(t *testing.T) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	return distans.DateOf(time.Now().In(loc))
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// activeBookings are the active bookings of a desk on a day.
// clearBookings cancels the demo's bookings of the people with these
// e-mail addresses, so that a test starts from a known state.
func (e *env) clearBookings(slug string, emails ...string) {
	e.t.Helper()
	ctx := e.system(slug)
	for _, email := range emails {
		list, err := e.store.ListBookings(ctx, distans.BookingFilter{PersonID: e.person(slug, email).ID})
		if err != nil {
			e.t.Fatal(err)
		}
		for _, b := range list {
			if err := e.store.CancelBooking(ctx, b.ID); err != nil {
				e.t.Fatal(err)
			}
		}
	}
}

func (e *env) activeBookings(slug, deskID string, date time.Time) []*distans.Booking {
	e.t.Helper()
	ctx := e.system(slug)
	var out []*distans.Booking
	people, _, err := e.store.ListPeople(ctx, distans.PersonFilter{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range people {
		list, err := e.store.ListBookings(ctx, distans.BookingFilter{PersonID: p.ID, From: date, To: date})
		if err != nil {
			e.t.Fatal(err)
		}
		for _, b := range list {
			if b.DeskID == deskID {
				out = append(out, b)
			}
		}
	}
	return out
}

// follow loads the page a POST redirected to.
func (c *client) follow(t *testing.T, p page) page {
	t.Helper()
	wantStatus(t, p, http.StatusSeeOther)
	return c.get(p.location)
}

func TestOfficeBooking(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.seedOffice("vara", "P1", "P2", "P10")
	p1, p2 := o.desks["P1"], o.desks["P2"]
	e.clearBookings("vara", account("vara", distans.RoleEmployee), account("vara", distans.RoleManager), account("vara", distans.RoleHR))
	today := officeToday(t)
	date := today.AddDate(0, 0, 1)
	sitePath := "/office/sites/" + o.site.ID + "?date=" + day(date)

	emp := e.as("vara", distans.RoleEmployee)
	mustContain(t, emp.get("/office"), o.site.Name)
	p := emp.get(sitePath)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "P1", "P2", "P10", "höj- och sänkbart bord", "tyst zon", "2 skärmar", "Boka heldag")

	// Book a free desk: it shows as taken.
	p = emp.post("/office/bookings", url.Values{"desk_id": {p1.ID}, "date": {day(date)}, "part": {"day"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.location != sitePath {
		t.Fatalf("redirect to %q, want %q", p.location, sitePath)
	}
	p = emp.get(p.location)
	mustContain(t, p, "Platsen är bokad: P1, heldag.")
	if n := strings.Count(p.body, `name="desk_id" value="`+p1.ID+`"`); n != 0 {
		t.Errorf("P1 still has %d Book buttons after being booked", n)
	}
	if got := e.activeBookings("vara", p1.ID, date); len(got) != 1 {
		t.Fatalf("P1 has %d bookings, want 1", len(got))
	}

	// The same desk and day again, by someone else: the store's conflict,
	// nothing saved.
	chef := e.as("vara", distans.RoleManager)
	chef.get(sitePath)
	p = chef.follow(t, chef.post("/office/bookings", url.Values{"desk_id": {p1.ID}, "date": {day(date)}, "part": {"am"}}))
	mustContain(t, p, "Platsen är redan bokad den dagen.")
	if !strings.Contains(p.body, `class="flash error" role="alert"`) {
		t.Error("the conflict is not shown as an error")
	}
	if got := e.activeBookings("vara", p1.ID, date); len(got) != 1 {
		t.Fatalf("P1 has %d bookings after a conflict, want 1", len(got))
	}

	// Morning and afternoon of one desk both succeed.
	p = chef.follow(t, chef.post("/office/bookings", url.Values{"desk_id": {p2.ID}, "date": {day(date)}, "part": {"am"}}))
	mustContain(t, p, "Platsen är bokad: P2, förmiddag.")
	hr := e.as("vara", distans.RoleHR)
	hr.get(sitePath)
	p = hr.follow(t, hr.post("/office/bookings", url.Values{"desk_id": {p2.ID}, "date": {day(date)}, "part": {"pm"}}))
	mustContain(t, p, "Platsen är bokad: P2, eftermiddag.")
	if got := e.activeBookings("vara", p2.ID, date); len(got) != 2 {
		t.Fatalf("P2 has %d bookings, want am and pm", len(got))
	}

	// A date in the past is refused in Swedish.
	p = emp.follow(t, emp.post("/office/bookings", url.Values{"desk_id": {p2.ID}, "date": {day(today.AddDate(0, 0, -1))}, "part": {"day"}}))
	mustContain(t, p, "Datumet har redan varit.")
	// An unknown part too.
	p = emp.follow(t, emp.post("/office/bookings", url.Values{"desk_id": {o.desks["P10"].ID}, "date": {day(date)}, "part": {"natt"}}))
	mustContain(t, p, "Välj heldag, förmiddag eller eftermiddag.")

	// My bookings; cancel frees the desk.
	p = emp.get("/bookings")
	mustContain(t, p, "P1", o.site.Name, "Avboka")
	b := e.activeBookings("vara", p1.ID, date)[0]
	p = emp.follow(t, emp.post("/bookings/"+b.ID+"/cancel", nil))
	mustContain(t, p, "Bokningen är avbokad.", "Du har inga kommande bokningar.")
	if got := e.activeBookings("vara", p1.ID, date); len(got) != 0 {
		t.Fatalf("P1 still booked after cancelling: %d", len(got))
	}
	p = emp.get(sitePath)
	if !strings.Contains(p.body, `name="desk_id" value="`+p1.ID+`"`) {
		t.Error("P1 has no Book button after the booking was cancelled")
	}

	// Check-in on the day.
	emp.follow(t, emp.post("/office/bookings", url.Values{"desk_id": {p1.ID}, "date": {day(today)}, "part": {"day"}}))
	b = e.activeBookings("vara", p1.ID, today)[0]
	p = emp.get("/bookings")
	mustContain(t, p, "Checka in")
	p = emp.follow(t, emp.post("/bookings/"+b.ID+"/checkin", nil))
	mustContain(t, p, "Du är incheckad.", "incheckad")

	// Recurring: every date reported, the taken morning among the
	// conflicts with its reason.
	p = emp.get("/bookings/recurring?desk_id=" + p2.ID)
	wantStatus(t, p, http.StatusOK)
	form := url.Values{"desk_id": {p2.ID}, "part": {"am"}, "from": {day(date)}, "until": {day(date.AddDate(0, 0, 6))},
		"weekday": {"0", "1", "2", "3", "4", "5", "6"}}
	p = emp.post("/bookings/recurring", form)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "6 datum bokade, 1 gick inte att boka", "<strong>"+day(date)+"</strong>: Platsen är redan bokad den dagen.",
		day(date.AddDate(0, 0, 6)))
	// No weekday: the form again, nothing saved.
	form.Del("weekday")
	p = emp.post("/bookings/recurring", form)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Välj minst en veckodag.")
	form.Set("weekday", "1")
	form.Set("until", "")
	p = emp.post("/bookings/recurring", form)
	wantFieldError(t, p, "until", "")
	if strings.Contains(p.body, `href="#f-until"></a>`) {
		t.Error("an empty message in the error summary")
	}

	// English too.
	emp.lang = "en"
	p = emp.follow(t, emp.post("/office/bookings", url.Values{"desk_id": {p2.ID}, "date": {day(date)}, "part": {"pm"}}))
	mustContain(t, p, "The desk is already booked that day.")
}

func TestOfficeTeamDays(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.seedOffice("vara", "A1")
	date := officeToday(t).AddDate(0, 0, 3)

	chef := e.as("vara", distans.RoleManager)
	p := chef.get("/team-days")
	mustContain(t, p, "Lägg in en gemensam dag")
	p = chef.post("/team-days", url.Values{"unit_id": {""}, "date": {"i morgon"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	chef.get("/team-days")
	chef.follow(t, chef.post("/office/bookings", url.Values{"desk_id": {o.desks["A1"].ID}, "date": {day(date)}, "part": {"day"}}))
	managed := firstUnitOption(p.body)
	p = chef.follow(t, chef.post("/team-days", url.Values{"unit_id": {managed}, "date": {day(date)}, "note": {"Planeringsdag"}}))
	mustContain(t, p, "Den gemensamma dagen är sparad.", day(date), "Planeringsdag")

	emp := e.as("vara", distans.RoleEmployee)
	mustContain(t, emp.get("/team-days"), day(date), "Planeringsdag")
	if strings.Contains(emp.get("/team-days").body, "Lägg in en gemensam dag") {
		t.Error("an employee is offered the manager's form")
	}
	p = emp.get("/office/sites/" + o.site.ID + "?date=" + day(date))
	mustContain(t, p, "Gemensam dag "+day(date), "Här sitter dina kolleger", "A1")

	// An employee cannot set team days.
	p = emp.post("/team-days", url.Values{"unit_id": {managed}, "date": {day(date)}})
	if p.status != http.StatusForbidden && p.status != http.StatusUnprocessableEntity {
		t.Fatalf("an employee setting a team day: %d", p.status)
	}
}

// firstUnitOption is the value of the first unit in the team-day form.
func firstUnitOption(body string) string {
	i := strings.Index(body, `id="f-unit-id"`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	j := strings.Index(rest, `<option value="`)
	if j < 0 {
		return ""
	}
	rest = rest[j+len(`<option value="`):]
	return rest[:strings.Index(rest, `"`)]
}

func TestOfficeUtilisation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.seedOffice("vara", "U1", "U2")
	today := officeToday(t)
	emp := e.as("vara", distans.RoleEmployee)
	emp.get("/office")
	emp.follow(t, emp.post("/office/bookings", url.Values{"desk_id": {o.desks["U1"].ID}, "date": {day(today)}, "part": {"day"}}))
	emp.follow(t, emp.post("/office/bookings", url.Values{"desk_id": {o.desks["U2"].ID}, "date": {day(today.AddDate(0, 0, 1))}, "part": {"am"}}))

	q := "?from=" + day(today) + "&to=" + day(today.AddDate(0, 0, 6))
	// Employees see no aggregates.
	wantStatus(t, emp.get("/office/utilisation"+q), http.StatusForbidden)
	wantStatus(t, emp.get("/office/utilisation.csv"+q), http.StatusForbidden)

	admin := e.as("vara", distans.RoleAdmin)
	p := admin.get("/office/utilisation" + q)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, `<svg role="img" aria-labelledby="heat-title heat-desc"`, `<title id="heat-title">`, "<table>", o.site.Name, "50 %")
	if n := strings.Count(p.body, "<g><title>"); n < 7 {
		t.Errorf("%d heat-map cells with a title, want at least 7", n)
	}

	res, err := admin.http.Get(e.srv.URL + "/office/utilisation.csv" + q)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("Content-Disposition %q", cd)
	}
	records, err := csv.NewReader(res.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(records[0], ",") != "site_id,site,weekday,weekday_name,days,booked,checked_in,capacity,booked_percent" {
		t.Fatalf("header %v", records[0])
	}
	want, err := e.store.Utilisation(e.system("vara"), today, today.AddDate(0, 0, 6))
	if err != nil {
		t.Fatal(err)
	}
	if len(records)-1 != len(want) {
		t.Fatalf("%d CSV rows, the store has %d", len(records)-1, len(want))
	}
	byKey := map[string]*distans.UtilisationRow{}
	for _, w := range want {
		byKey[w.SiteID+"/"+strconv.Itoa((int(w.Weekday)+6)%7+1)] = w
	}
	var seen float64
	for _, r := range records[1:] {
		w := byKey[r[0]+"/"+r[2]]
		if w == nil {
			t.Fatalf("CSV row %v is not in the store's figures", r)
		}
		booked, _ := strconv.ParseFloat(r[5], 64)
		capacity, _ := strconv.ParseFloat(r[7], 64)
		if booked != w.Booked || capacity != w.Capacity {
			t.Errorf("CSV row %v, store %+v", r, w)
		}
		if r[0] == o.site.ID {
			seen += booked
			// The page's table holds the same row.
			cell := "<td>" + strings.Replace(r[5], ".", ",", 1) + "</td>"
			if !strings.Contains(p.body, cell) {
				t.Errorf("the table has no cell %s", cell)
			}
		}
	}
	if seen != 1.5 {
		t.Errorf("the site's booked desk-days in the CSV: %v, want 1.5", seen)
	}
}

func TestOfficeAdministration(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.seedOffice("vara", "X1")
	admin := e.as("vara", distans.RoleAdmin)
	path := "/office/sites/" + o.site.ID + "/zones"
	wantStatus(t, admin.get(path), http.StatusOK)

	// Zone: invalid, then valid.
	p := admin.post(path, url.Values{"name": {""}})
	wantFieldError(t, p, "name", "")
	p = admin.follow(t, admin.post(path, url.Values{"name": {"Tysta rummet"}, "floor": {"3"}}))
	mustContain(t, p, "Zonen är tillagd.", "Tysta rummet")
	zones, _ := e.store.ListZones(e.system("vara"), o.site.ID)
	if len(zones) != 2 {
		t.Fatalf("%d zones", len(zones))
	}

	// Desk with attributes.
	p = admin.post("/office/sites/"+o.site.ID+"/desks", url.Values{"zone_id": {o.zone.ID}, "label": {"X2"}, "screens": {"9"}})
	wantFieldError(t, p, "screens", "9")
	p = admin.follow(t, admin.post("/office/sites/"+o.site.ID+"/desks",
		url.Values{"zone_id": {o.zone.ID}, "label": {"X2"}, "screens": {"1"}, "quiet": {"1"}}))
	mustContain(t, p, "Platsen är tillagd.", "X2")
	desks, _ := e.store.ListDesks(e.system("vara"), o.site.ID, true)
	var x2 *distans.Desk
	for _, d := range desks {
		if d.Label == "X2" {
			x2 = d
		}
	}
	if x2 == nil || !x2.Quiet || x2.HeightAdjustable || x2.Screens != 1 {
		t.Fatalf("desk X2 as stored: %+v", x2)
	}

	// Edit and end.
	wantStatus(t, admin.get("/office/desks/"+x2.ID+"/edit"), http.StatusOK)
	admin.follow(t, admin.post("/office/desks/"+x2.ID, url.Values{"zone_id": {o.zone.ID}, "label": {"X2"}, "screens": {"2"}, "height_adjustable": {"1"}}))
	if d, _ := e.store.FindDesk(e.system("vara"), x2.ID); d.Screens != 2 || !d.HeightAdjustable || d.Quiet {
		t.Fatalf("desk after edit: %+v", d)
	}
	p = admin.follow(t, admin.post("/office/desks/"+x2.ID+"/end", url.Values{"on": {day(officeToday(t))}}))
	mustContain(t, p, "Platsen är avslutad.")

	// Rules.
	p = admin.post("/office/sites/"+o.site.ID+"/rules", url.Values{"horizon_days": {"0"}, "max_per_week": {"3"},
		"release_at": {"10:00"}, "pm_release_at": {"14:00"}, "congestion_percent": {"80"}})
	wantFieldError(t, p, "horizon_days", "0")
	p = admin.post("/office/sites/"+o.site.ID+"/rules", url.Values{"horizon_days": {"30"}, "max_per_week": {"3"},
		"release_at": {"kl 10"}, "pm_release_at": {"14:00"}, "congestion_percent": {"80"}})
	wantFieldError(t, p, "release_at", "kl 10")
	mustContain(t, p, "Ange tiden som TT:MM")
	p = admin.follow(t, admin.post("/office/sites/"+o.site.ID+"/rules", url.Values{"horizon_days": {"30"}, "max_per_week": {"3"},
		"check_in_required": {"1"}, "release_at": {"09:30"}, "pm_release_at": {"13:30"}, "congestion_percent": {"50"}}))
	mustContain(t, p, "Bokningsreglerna är sparade.")
	r, _ := e.store.BookingRules(e.system("vara"), o.site.ID)
	if r.HorizonDays != 30 || r.MaxPerWeek != 3 || !r.CheckInRequired || r.ReleaseAt != 9*60+30 || r.CongestionPercent != 50 {
		t.Fatalf("rules as stored: %+v", r)
	}

	// Congestion: one of one desk booked passes 50 %; other sites are offered.
	other := e.seedOffice("vara", "Y1")
	date := officeToday(t).AddDate(0, 0, 1)
	admin.get("/office")
	admin.follow(t, admin.post("/office/bookings", url.Values{"desk_id": {o.desks["X1"].ID}, "date": {day(date)}, "part": {"day"}}))
	p = admin.get("/office/sites/" + o.site.ID + "?date=" + day(date))
	mustContain(t, p, "Det är trångt här den dagen", other.site.Name)

	// Others may not administer.
	emp := e.as("vara", distans.RoleEmployee)
	wantStatus(t, emp.get(path), http.StatusForbidden)
	wantStatus(t, emp.get("/office/desks/"+x2.ID+"/edit"), http.StatusForbidden)
	wantStatus(t, emp.post(path, url.Values{"name": {"Smyg"}}), http.StatusForbidden)
	wantStatus(t, emp.post("/office/sites/"+o.site.ID+"/rules", url.Values{"horizon_days": {"30"}, "max_per_week": {"3"},
		"release_at": {"09:30"}, "pm_release_at": {"13:30"}, "congestion_percent": {"50"}}), http.StatusForbidden)
}

func TestOfficeTenantIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seedOffice("vara", "V1")
	far := e.seedOffice("bjurholm", "B1")
	date := officeToday(t).AddDate(0, 0, 1)
	ctx := e.system("bjurholm")
	// The demo books its people on some weekdays; tomorrow must be free.
	e.clearBookings("bjurholm", account("bjurholm", distans.RoleEmployee))
	someone := e.person("bjurholm", account("bjurholm", distans.RoleEmployee))
	b := &distans.Booking{DeskID: far.desks["B1"].ID, PersonID: someone.ID, Date: date, Part: distans.PartDay}
	if err := e.store.Book(ctx, b); err != nil {
		t.Fatal(err)
	}

	for _, role := range []distans.Role{distans.RoleEmployee, distans.RoleAdmin} {
		c := e.as("vara", role)
		wantStatus(t, c.get("/office/sites/"+far.site.ID+"?date="+day(date)), http.StatusNotFound)
		wantStatus(t, c.post("/office/bookings", url.Values{"desk_id": {far.desks["B1"].ID}, "date": {day(date)}, "part": {"am"}}), http.StatusNotFound)
		wantStatus(t, c.post("/bookings/"+b.ID+"/cancel", nil), http.StatusNotFound)
		wantStatus(t, c.post("/bookings/"+b.ID+"/checkin", nil), http.StatusNotFound)
		p := c.post("/bookings/recurring", url.Values{"desk_id": {far.desks["B1"].ID}, "part": {"am"}, "from": {day(date)},
			"until": {day(date)}, "weekday": {strconv.Itoa(int(date.Weekday()))}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if role == distans.RoleAdmin {
			wantStatus(t, c.get("/office/sites/"+far.site.ID+"/zones"), http.StatusNotFound)
			wantStatus(t, c.get("/office/desks/"+far.desks["B1"].ID+"/edit"), http.StatusNotFound)
			wantStatus(t, c.post("/office/desks/"+far.desks["B1"].ID+"/end", nil), http.StatusNotFound)
		}
	}
	if got := e.activeBookings("bjurholm", far.desks["B1"].ID, date); len(got) != 1 {
		t.Fatalf("the other organisation's booking changed: %d active", len(got))
	}
}

// TestOfficePagesEnglish renders every office page in English without a
// missing catalog key.
func TestOfficePagesEnglish(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.seedOffice("vara", "E1")
	admin := e.as("vara", distans.RoleAdmin)
	admin.lang = "en"
	for _, path := range []string{"/office", "/office/sites/" + o.site.ID, "/bookings", "/bookings/recurring", "/team-days",
		"/office/utilisation", "/office/sites/" + o.site.ID + "/zones", "/office/desks/" + o.desks["E1"].ID + "/edit"} {
		p := admin.get(path)
		wantStatus(t, p, http.StatusOK)
		if strings.Contains(p.body, "⟦") {
			t.Errorf("%s: a missing catalog key: %.300s", path, p.body[strings.Index(p.body, "⟦"):])
		}
		if !strings.Contains(p.body, `<html lang="en"`) {
			t.Errorf("%s is not in English", path)
		}
	}
	admin.lang = ""
	for _, path := range []string{"/office", "/bookings", "/team-days", "/office/utilisation"} {
		if p := admin.get(path); strings.Contains(p.body, "⟦") {
			t.Errorf("%s (sv): a missing catalog key", path)
		}
	}
}
