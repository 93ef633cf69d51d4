package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// The directory limited to a unit lists that unit's subtree and nobody
// else, and its paging keeps both the query and the unit.
func TestDirectoryUnitFilter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.system("sorsele")
	now := time.Now()
	all, orgPage, err := e.store.SearchDirectory(ctx, distans.DirectoryFilter{Limit: 200}, now)
	if err != nil {
		t.Fatal(err)
	}
	orgTotal := orgPage.Total
	units, err := e.store.ListUnits(ctx, distans.UnitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// A unit with some of the organisation's people, not all; and the
	// unit with the most, for paging.
	var unit, big *distans.Unit
	var inside []*distans.DirectoryHit
	bigTotal := 0
	for _, u := range units {
		hits, pg, err := e.store.SearchDirectory(ctx, distans.DirectoryFilter{UnitID: u.ID, Limit: 200}, now)
		n := pg.Total
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 && n < orgTotal && unit == nil {
			unit, inside = u, hits
		}
		if n > bigTotal {
			big, bigTotal = u, n
		}
	}
	if unit == nil {
		t.Fatal("no Sorsele unit holds some but not all people")
	}
	in := map[string]bool{}
	for _, h := range inside {
		in[h.PersonID] = true
	}
	var outside *distans.DirectoryHit
	for _, h := range all {
		if !in[h.PersonID] {
			outside = h
			break
		}
	}
	if outside == nil {
		t.Fatal("nobody outside the unit")
	}

	c := e.as("sorsele", distans.RoleEmployee)
	p := c.get("/directory")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Alla enheter", `<select id="f-unit" name="unit">`, `<label for="f-unit">Enhet</label>`)

	p = c.get("/directory?unit=" + url.QueryEscape(unit.ID))
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, fmt.Sprintf("Träffar: %d<", len(inside)), inside[0].Name, `<option value="`+unit.ID+`" selected>`)
	if strings.Contains(p.body, outside.Email) {
		t.Errorf("%s, outside %s, is listed under it", outside.Name, unit.Name)
	}
	mustContain(t, c.get("/directory?unit="+url.QueryEscape(unit.ID)+"&q="+url.QueryEscape(inside[0].Name)), inside[0].Email)
	mustContain(t, c.get("/directory?unit="+url.QueryEscape(unit.ID)+"&q="+url.QueryEscape(outside.Name)), "Ingen träff.")
	wantStatus(t, c.get("/directory?unit=no-such-unit"), http.StatusNotFound)

	// Paging keeps the unit (and the query, when there is one).
	if bigTotal <= 25 {
		t.Logf("no unit with more than one page (%d people at most)", bigTotal)
		return
	}
	p = c.get("/directory?unit=" + url.QueryEscape(big.ID))
	next := relLink(t, p.body, "next")
	if !strings.HasPrefix(next, "/directory?after=") || !strings.Contains(next, "&unit="+url.QueryEscape(big.ID)) {
		t.Fatalf("next = %s", next)
	}
	p = c.get(next)
	if prev := relLink(t, p.body, "prev"); !strings.HasPrefix(prev, "/directory?before=") || !strings.Contains(prev, "&unit="+url.QueryEscape(big.ID)) {
		t.Fatalf("prev = %s", prev)
	}
}

var unitOptionRE = regexp.MustCompile(`<option value="([0-9a-f-]{36})"`)

// A manager keeps their unit's phone hours on /phone-hours?unit=, with the
// same pack check as a person's (Sorsele 004 §3); people without hours of
// their own see their unit's; others may not touch the unit's hours.
func TestUnitPhoneHours(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.system("sorsele")
	mgr := e.as("sorsele", distans.RoleManager)
	own := mgr.get("/phone-hours")
	wantStatus(t, own, http.StatusOK)
	mustContain(t, own, `<select id="f-unit" name="unit">`, "Mina egna")
	m := unitOptionRE.FindStringSubmatch(own.body)
	if m == nil {
		t.Fatalf("no unit to choose for the manager:\n%.1500s", text(own.body))
	}
	unitID := m[1]
	unit, err := e.store.FindUnit(ctx, unitID)
	if err != nil {
		t.Fatal(err)
	}
	form := mgr.get("/phone-hours?unit=" + unitID)
	wantStatus(t, form, http.StatusOK)
	mustContain(t, form, "Telefontider för "+unit.Name, `name="unit_id" value="`+unitID+`"`)

	// One hour a week: refused citing Sorsele 004 §3, nothing saved, and the
	// form stays on the unit.
	before, err := e.store.FindPhoneHours(ctx, unitID)
	if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Fatal(err)
	}
	p := mgr.post("/phone-hours", url.Values{"unit_id": {unitID}, "rows": {"5"},
		"sessions[0].weekday": {"mon"}, "sessions[0].start": {"09:00"}, "sessions[0].end": {"10:00"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Telefontiderna kan inte sparas", "Sorsele kommun, Policy för telefoni, mobilteknisk utrustning samt e-postanvändning, 3. Telefontider", `name="unit_id" value="`+unitID+`"`)
	after, err := e.store.FindPhoneHours(ctx, unitID)
	if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Fatal(err)
	}
	if (before == nil) != (after == nil) || after != nil && len(after.Sessions) != len(before.Sessions) {
		t.Fatalf("refused unit hours were saved: %+v, before %+v", after, before)
	}

	// Five hours: saved for the unit.
	week := url.Values{"unit_id": {unitID}}
	for i, d := range distans.Weekdays[:5] {
		week.Set(fmtSession(i, "weekday"), d)
		week.Set(fmtSession(i, "start"), "09:00")
		week.Set(fmtSession(i, "end"), "10:00")
	}
	p = mgr.post("/phone-hours", week)
	if p.status != http.StatusOK && p.status != http.StatusSeeOther {
		t.Fatalf("status %d\n%.1500s", p.status, text(p.body))
	}
	mustContain(t, p, "Telefontiderna är sparade.")
	h, err := e.store.FindPhoneHours(ctx, unitID)
	if err != nil || h.UnitID != unitID || len(h.Sessions) != 5 {
		t.Fatalf("unit hours not saved: %v %+v", err, h)
	}

	// An employee without hours of their own sees those of their unit.
	emp := e.person("sorsele", account("sorsele", distans.RoleEmployee))
	if emp.UnitID == "" {
		t.Fatal("the demo employee has no unit")
	}
	empUnit, err := e.store.FindUnit(ctx, emp.UnitID)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.DeletePhoneHours(ctx, emp.ID); err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Fatal(err)
	}
	if err := e.store.SavePhoneHours(ctx, &distans.PhoneHours{UnitID: emp.UnitID,
		Sessions: []distans.PhoneSession{{Weekday: "tue", Start: "13:00", End: "14:30"}}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	c := e.as("sorsele", distans.RoleEmployee)
	mustContain(t, c.get("/phone-hours"), "Telefontider för "+empUnit.Name, "tisdag 13:00–14:30")

	// The employee may not open or save a unit's hours; another
	// organisation's unit does not exist.
	if keeps := strings.Contains(c.get("/phone-hours").body, `id="f-unit"`); keeps {
		t.Error("an employee is offered units to keep")
	}
	wantStatus(t, c.get("/phone-hours?unit="+unitID), http.StatusForbidden)
	week.Set("csrf_token", c.csrf)
	wantStatus(t, c.post("/phone-hours", week), http.StatusForbidden)
	vara, err := e.store.ListUnits(e.system("vara"), distans.UnitFilter{})
	if err != nil || len(vara) == 0 {
		t.Fatal(err)
	}
	wantStatus(t, mgr.get("/phone-hours?unit="+vara[0].ID), http.StatusNotFound)
}

// A phone's keeper changes it in place; a bad number is refused on its
// own form with a Swedish message and nothing changes; others get 403 or
// 404.
func TestOnCallEdit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.system("sorsele")
	units, err := e.store.ListUnits(ctx, distans.UnitFilter{})
	if err != nil || len(units) == 0 {
		t.Fatal(err)
	}
	admin := e.as("sorsele", distans.RoleAdmin)
	admin.get("/on-call")
	wantStatus(t, admin.post("/on-call", url.Values{"unit_id": {units[0].ID}, "name": {"Socialjouren"}, "number": {"0952-140 00"}}), http.StatusSeeOther)
	phones, err := e.store.ListOnCallPhones(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var phone *distans.OnCallPhone
	for _, p := range phones {
		if p.Name == "Socialjouren" {
			phone = p
		}
	}
	if phone == nil {
		t.Fatal("the phone was not added")
	}
	pre := "edit[" + phone.ID + "]."
	id := "f-edit[" + phone.ID + "]-number"
	list := admin.get("/on-call")
	mustContain(t, list, `action="/on-call/`+phone.ID+`"`, `<label for="`+id+`">Nummer</label>`, "Ändra Socialjouren")

	// A bad number: a Swedish message on the phone's own field, what was
	// typed kept, and nothing changed.
	p := admin.post("/on-call/"+phone.ID, url.Values{pre + "unit_id": {phone.UnitID}, pre + "name": {"Socialjouren"}, pre + "number": {"ring"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	invalid := regexp.MustCompile(`<input id="` + regexp.QuoteMeta(id) + `" name="` + regexp.QuoteMeta(pre+"number") +
		`" type="tel" value="ring" aria-describedby="` + regexp.QuoteMeta(id) + `-error" aria-invalid="true"`)
	if !invalid.MatchString(p.body) {
		t.Errorf("the bad number is not marked on the phone's form:\n%.2000s", text(p.body))
	}
	mustContain(t, p, `id="`+id+`-error"`, "Ange telefonnumret med siffror", `<details open>`)
	if got, err := e.store.FindOnCallPhone(ctx, phone.ID); err != nil || got.Number != "0952-140 00" {
		t.Fatalf("a refused change was saved: %v %+v", err, got)
	}

	// A good number is saved.
	wantStatus(t, admin.post("/on-call/"+phone.ID, url.Values{pre + "unit_id": {phone.UnitID}, pre + "name": {"Socialjouren natt"},
		pre + "number": {"0952-141 11"}}), http.StatusSeeOther)
	got, err := e.store.FindOnCallPhone(ctx, phone.ID)
	if err != nil || got.Number != "0952-141 11" || got.Name != "Socialjouren natt" {
		t.Fatalf("not changed: %v %+v", err, got)
	}
	mustContain(t, admin.get("/on-call"), "Jourtelefonen är ändrad.", "0952-141 11")

	// An employee gets no form and may not change the phone; another
	// organisation's administrator does not find it.
	emp := e.as("sorsele", distans.RoleEmployee)
	if strings.Contains(emp.get("/on-call").body, `action="/on-call/`+phone.ID+`"`) {
		t.Error("an employee is offered the edit form")
	}
	change := func() url.Values {
		return url.Values{pre + "unit_id": {phone.UnitID}, pre + "name": {"Kapad"}, pre + "number": {"0952-100 00"}}
	}
	wantStatus(t, emp.post("/on-call/"+phone.ID, change()), http.StatusForbidden)
	vara := e.as("vara", distans.RoleAdmin)
	vara.get("/on-call")
	wantStatus(t, vara.post("/on-call/"+phone.ID, change()), http.StatusNotFound)
	if got, err := e.store.FindOnCallPhone(ctx, phone.ID); err != nil || got.Name != "Socialjouren natt" {
		t.Fatalf("changed by someone without permission: %v %+v", err, got)
	}
}
