package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// withOffice gives each organisation a zone and desks: deskA1, deskA2 at
// Stadshuset A, deskB1 at Stadshuset B; "day" is tomorrow in Stockholm
// (the ids map carries it as {day}), "past" yesterday.
func withOffice(t *testing.T, e *env) {
	t.Helper()
	for _, sfx := range []string{"A", "B"} {
		sys := distans.NewContext(context.Background(), distans.SystemActor(e.ids["org"+sfx]))
		z := &distans.Zone{SiteID: e.ids["site"+sfx], Name: "Plan 1", Floor: "1"}
		must(t, e.store.CreateZone(sys, z))
		e.ids["zone"+sfx] = z.ID
		for _, n := range []string{"1", "2"} {
			d := &distans.Desk{ZoneID: z.ID, Label: sfx + n, Screens: 2}
			must(t, e.store.CreateDesk(sys, d))
			e.ids["desk"+sfx+n] = d.ID
		}
	}
	loc, _ := time.LoadLocation("Europe/Stockholm")
	today := distans.DateOf(time.Now().In(loc))
	e.ids["day"] = today.AddDate(0, 0, 1).Format(time.DateOnly)
	e.ids["past"] = today.AddDate(0, 0, -1).Format(time.DateOnly)
	e.ids["far"] = today.AddDate(0, 0, 60).Format(time.DateOnly)
	e.ids["until"] = today.AddDate(0, 0, 13).Format(time.DateOnly)
}

// bookAs books through the store as the person, for setting up.
func bookAs(t *testing.T, e *env, name, desk string, part distans.DayPart) string {
	t.Helper()
	day, _ := time.Parse(time.DateOnly, e.ids["day"])
	b := &distans.Booking{DeskID: e.ids[desk], Date: day, Part: part}
	must(t, e.store.Book(distans.NewContext(context.Background(), e.actor(t, name)), b))
	return b.ID
}

func TestBookings(t *testing.T) {
	t.Parallel()
	taken := func(t *testing.T, e *env) { e.ids["bookingY"] = bookAs(t, e, "empY", "deskA1", distans.PartDay) }
	runScenarios(t, []scenario{
		{name: "book a desk", method: "POST", url: "/api/v1/bookings", as: "empX1", body: `{"desk_id":"{deskA1}","date":"{day}","part":"am"}`,
			status: 201, contains: []string{`"date": "{day}"`, `"part": "am"`, `"status": "booked"`, `"person_id": "{empX1}"`}},
		{name: "no token", method: "POST", url: "/api/v1/bookings", body: `{"desk_id":"{deskA1}","date":"{day}","part":"am"}`,
			status: 401, unchanged: true},
		{name: "a day in the past", method: "POST", url: "/api/v1/bookings", as: "empX1", body: `{"desk_id":"{deskA1}","date":"{past}","part":"day"}`,
			status: 422, unchanged: true},
		{name: "past the horizon", method: "POST", url: "/api/v1/bookings", as: "empX1", body: `{"desk_id":"{deskA1}","date":"{far}","part":"day"}`,
			status: 422, unchanged: true},
		{name: "not a part", method: "POST", url: "/api/v1/bookings", as: "empX1", body: `{"desk_id":"{deskA1}","date":"{day}","part":"kväll"}`,
			status: 422, contains: []string{`"part"`, "förmiddag"}, unchanged: true},
		{name: "not a date", method: "POST", url: "/api/v1/bookings", as: "empX1", body: `{"desk_id":"{deskA1}","date":"i morgon","part":"day"}`,
			status: 422, contains: []string{"ÅÅÅÅ-MM-DD"}, unchanged: true},
		{name: "a desk in another organisation", method: "POST", url: "/api/v1/bookings", as: "empB", body: `{"desk_id":"{deskA1}","date":"{day}","part":"day"}`,
			status: 404, unchanged: true},
		{name: "unknown field", method: "POST", url: "/api/v1/bookings", as: "empX1", body: `{"desk_id":"{deskA1}","date":"{day}","part":"day","person_id":"{empY}"}`,
			status: 422, unchanged: true},
		{name: "list mine", method: "GET", url: "/api/v1/bookings", as: "empX1", status: 200, contains: []string{`"items": []`}, unchanged: true},
		{name: "availability", method: "GET", url: "/api/v1/sites/{siteA}/availability?date={day}", as: "empX1", status: 200,
			contains: []string{`"date": "{day}"`, `"free_desks": 2`, `"A1"`}, unchanged: true},
		{name: "availability without a date", method: "GET", url: "/api/v1/sites/{siteA}/availability", as: "empX1", status: 422, unchanged: true},
		{name: "availability of another organisation", method: "GET", url: "/api/v1/sites/{siteA}/availability?date={day}", as: "adminB", status: 404,
			excludes: []string{"A1"}, unchanged: true},
		{name: "zones", method: "GET", url: "/api/v1/sites/{siteA}/zones", as: "empY", status: 200, contains: []string{"{zoneA}"}, unchanged: true},
		{name: "desks", method: "GET", url: "/api/v1/sites/{siteA}/desks", as: "empY", status: 200, contains: []string{"{deskA1}", "{deskA2}"}, unchanged: true},
		{name: "desks of another organisation", method: "GET", url: "/api/v1/sites/{siteA}/desks", as: "empB", status: 404, unchanged: true},
		{name: "utilisation needs a permission", method: "GET", url: "/api/v1/utilisation?from={day}&to={until}", as: "empX1", status: 403, unchanged: true},
		{name: "utilisation", method: "GET", url: "/api/v1/utilisation?from={day}&to={until}", as: "adminA", status: 200, contains: []string{`"items"`}, unchanged: true},
		{name: "team days of my unit", method: "GET", url: "/api/v1/team-days", as: "empX1", status: 200, contains: []string{`"items": []`}, unchanged: true},
	}, withOffice)

	runScenarios(t, []scenario{
		{name: "a taken desk is 409", method: "POST", url: "/api/v1/bookings", as: "empX1", body: `{"desk_id":"{deskA1}","date":"{day}","part":"pm"}`,
			status: 409, contains: []string{`"code": "conflict"`, "redan bokad"}, unchanged: true},
		{name: "a half day beside my own booking is 409", method: "POST", url: "/api/v1/bookings", as: "empY", body: `{"desk_id":"{deskA2}","date":"{day}","part":"am"}`,
			status: 409, unchanged: true},
		{name: "someone else's booking cannot be cancelled", method: "DELETE", url: "/api/v1/bookings/{bookingY}", as: "empX1", status: 404, unchanged: true},
		{name: "nor from another organisation", method: "DELETE", url: "/api/v1/bookings/{bookingY}", as: "adminB", status: 404, unchanged: true},
		{name: "check-in before the day", method: "POST", url: "/api/v1/bookings/{bookingY}/checkin", as: "empY", status: 422, unchanged: true},
	}, withOffice, taken)

	runScenarios(t, []scenario{
		{name: "cancel my booking", method: "DELETE", url: "/api/v1/bookings/{bookingY}", as: "empY", status: 204,
			check: func(t *testing.T, e *env, _ []byte) {
				// The desk is free again.
				status, body := e.do(t, "POST", "/api/v1/bookings", "empX1", `{"desk_id":"{deskA1}","date":"{day}","part":"day"}`)
				if status != http.StatusCreated {
					t.Errorf("rebooking a cancelled desk: %d %s", status, body)
				}
			}},
		{name: "recurring reports conflicts", method: "POST", url: "/api/v1/bookings/recurring", as: "empX1",
			body:   `{"desk_id":"{deskA1}","weekdays":["mon","tue","wed","thu","fri","sat","sun"],"part":"day","from":"{day}","until":"{day}"}`,
			status: 200, contains: []string{`"booked": []`, `"conflicts": [`, `"date": "{day}"`}},
		{name: "recurring with an unknown weekday", method: "POST", url: "/api/v1/bookings/recurring", as: "empX1",
			body:   `{"desk_id":"{deskA2}","weekdays":["måndag"],"part":"day","from":"{day}","until":"{until}"}`,
			status: 422, contains: []string{"Okänd veckodag"}, unchanged: true},
	}, withOffice, taken)
}

func TestCalendarFeed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	withOffice(t, e)
	bookAs(t, e, "empX1", "deskA1", distans.PartAM)

	status, _ := e.do(t, "POST", "/api/v1/me/calendar-feed", "", "")
	if status != http.StatusUnauthorized {
		t.Errorf("without a token: %d", status)
	}
	var created struct {
		URL    string `json:"url"`
		Secret string `json:"secret"`
	}
	e.doJSON(t, "POST", "/api/v1/me/calendar-feed", "empX1", "", &created)
	if !strings.HasPrefix(created.URL, e.srv.URL+"/calendar/") || !strings.HasSuffix(created.URL, created.Secret+".ics") {
		t.Fatalf("created: %+v", created)
	}
	path := strings.TrimPrefix(created.URL, e.srv.URL)
	res, err := e.srv.Client().Get(created.URL)
	must(t, err)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("feed: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	status, body := e.do(t, "GET", path, "", "")
	if status != 200 || !strings.Contains(string(body), "BEGIN:VCALENDAR\r\n") || !strings.Contains(string(body), "Skrivbord A1 (förmiddag)") {
		t.Fatalf("feed body: %d %s", status, body)
	}

	// A new feed revokes the old; revoking ends the new one.
	var again struct {
		URL string `json:"url"`
	}
	e.doJSON(t, "POST", "/api/v1/me/calendar-feed", "empX1", "", &again)
	if status, _ := e.do(t, "GET", path, "", ""); status != 404 {
		t.Errorf("the old feed answers %d after a new one", status)
	}
	if status, _ := e.do(t, "GET", strings.TrimPrefix(again.URL, e.srv.URL), "", ""); status != 200 {
		t.Errorf("the new feed answers %d", status)
	}
	if status, _ := e.do(t, "DELETE", "/api/v1/me/calendar-feed", "empX1", ""); status != 204 {
		t.Errorf("revoke: %d", status)
	}
	for _, p := range []string{strings.TrimPrefix(again.URL, e.srv.URL), "/calendar/cal_NOSUCHSECRET.ics", "/calendar/x.ics", "/calendar/" + created.Secret} {
		if status, _ := e.do(t, "GET", p, "", ""); status != 404 {
			t.Errorf("%s answers %d, want 404", p, status)
		}
	}
	if status, _ := e.do(t, "DELETE", "/api/v1/me/calendar-feed", "empX1", ""); status != 404 {
		t.Errorf("revoking twice: %d", status)
	}

	// The feed stops when the employment ends.
	var last struct {
		URL string `json:"url"`
	}
	e.doJSON(t, "POST", "/api/v1/me/calendar-feed", "empX1", "", &last)
	sys := distans.NewContext(context.Background(), distans.SystemActor(e.ids["orgA"]))
	emps, err := e.store.ListEmployments(sys, e.ids["empX1"])
	must(t, err)
	for _, em := range emps {
		must(t, e.store.EndEmployment(sys, em.ID, distans.DateOf(time.Now()).AddDate(0, 0, -1)))
	}
	if status, _ := e.do(t, "GET", strings.TrimPrefix(last.URL, e.srv.URL), "", ""); status != 404 {
		t.Errorf("the feed of someone no longer employed answers %d, want 404", status)
	}
}
