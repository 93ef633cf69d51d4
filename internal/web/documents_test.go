package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/distans/distans"
)

// seedDocument returns the ID of the organisation's published seed
// document.
func (e *env) seedDocument(slug string) *distans.PolicyDocument {
	e.t.Helper()
	e.seedPolicy(slug)
	docs, err := e.store.ListDocuments(e.system(slug))
	if err != nil || len(docs) == 0 {
		e.t.Fatalf("no documents in %s: %v", slug, err)
	}
	for _, d := range docs {
		if d.Required {
			return d
		}
	}
	e.t.Fatalf("no required document in %s", slug)
	return nil
}

var personLinkRE = regexp.MustCompile(`<a href="/people/([^"/]+)">`)

// TestDocumentAcknowledgement: a person reads the required document,
// acknowledges it, and it is no longer pending; the chef sees who in
// their subtree has not acknowledged; a new version asks again.
func TestDocumentAcknowledgement(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	doc := e.seedDocument("vara")
	f := e.fixture()
	chef := e.person("vara", account("vara", distans.RoleManager))
	grants, err := e.store.Grants(e.system("vara"), chef.OrganisationID, chef.ID)
	if err != nil {
		t.Fatal(err)
	}
	var chefPath string
	for _, g := range grants {
		if g.Role == distans.RoleManager {
			chefPath = g.UnitPath
		}
	}

	emp := e.as("vara", distans.RoleEmployee)
	home := emp.get("/")
	mustContain(t, home, "Att bekräfta (1)", doc.Title)
	list := emp.get("/documents")
	wantStatus(t, list, http.StatusOK)
	// Asked by the generic pack's deadline: 30 days from the day it was
	// published.
	by := distans.AcknowledgeBy(doc.PublishedAt, (&distans.Organisation{TimeZone: "Europe/Stockholm"}).Location(), 30)
	mustContain(t, list, "Att bekräfta", doc.Title, `href="/documents/`+doc.ID+`"`, "bekräfta senast "+by.Format("2006-01-02"))
	page := emp.get("/documents/" + doc.ID)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "Jag har läst och förstått", words(strings.SplitN(strings.TrimSpace(doc.Body), "\n", 2)[0]))
	if strings.Contains(page.body, "Publicera ny version") {
		t.Error("an employee is offered to publish")
	}

	// The chef sees the employee among those who have not acknowledged,
	// and nobody outside the subtree.
	ch := e.as("vara", distans.RoleManager)
	out := ch.get("/documents/outstanding")
	wantStatus(t, out, http.StatusOK)
	ids := map[string]bool{}
	for _, m := range personLinkRE.FindAllStringSubmatch(out.body, -1) {
		ids[m[1]] = true
	}
	if !ids[f.employee.ID] {
		t.Errorf("the chef's list lacks the employee:\n%.1500s", text(out.body))
	}
	if ids[f.outside.ID] {
		t.Error("the chef's list shows someone outside the subtree")
	}
	for id := range ids {
		p, err := e.store.FindPerson(e.system("vara"), id)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p.UnitPath, chefPath) {
			t.Errorf("%s (%s) is outside the chef's subtree %s", p.Name, p.UnitPath, chefPath)
		}
	}
	// The unit filter narrows within the subtree.
	wantStatus(t, ch.get("/documents/outstanding?unit="+f.employee.UnitID), http.StatusOK)
	hrOut := e.as("vara", distans.RoleHR).get("/documents/outstanding")
	mustContain(t, hrOut, `href="/people/`+f.outside.ID+`"`)

	// Acknowledge.
	p := emp.post("/documents/"+doc.ID+"/acknowledge", url.Values{"version": {"1"}})
	wantStatus(t, p, http.StatusSeeOther)
	page = emp.get(p.location)
	mustContain(t, page, "Tack! Din bekräftelse är sparad.", "Du bekräftade version 1")
	if strings.Contains(page.body, "Jag har läst och förstått") {
		t.Error("the acknowledge button is still there")
	}
	if strings.Contains(text(emp.get("/").body), "Att bekräfta") {
		t.Error("the start page still asks for the acknowledgement")
	}
	mustContain(t, emp.get("/documents"), "Du har inga dokument kvar att bekräfta.")
	mustContain(t, emp.get("/profile"), "Mina bekräftelser", doc.Title)
	if strings.Contains(ch.get("/documents/outstanding").body, `href="/people/`+f.employee.ID+`"`) {
		t.Error("the employee is still outstanding after acknowledging")
	}

	// A new version asks again; the old one cannot be acknowledged.
	hr := e.as("vara", distans.RoleHR)
	wantStatus(t, hr.get("/documents/"+doc.ID+"/publish"), http.StatusOK)
	p = hr.post("/documents/"+doc.ID+"/publish", url.Values{"title": {doc.Title}, "body": {doc.Body + "\n\nTillägg 2025."}, "required": {"1"}})
	wantStatus(t, p, http.StatusSeeOther)
	mustContain(t, emp.get("/"), "Att bekräfta (1)")
	page = emp.get("/documents/" + doc.ID)
	mustContain(t, page, "Jag har läst och förstått", "Du bekräftade en tidigare version (1)", "Tillägg 2025.")
	old := emp.post("/documents/"+doc.ID+"/acknowledge", url.Values{"version": {"1"}})
	wantStatus(t, old, http.StatusSeeOther)
	mustContain(t, emp.get(old.location), "Jag har läst och förstått")
	wantStatus(t, emp.get("/documents/"+doc.ID+"/versions/1"), http.StatusOK)
	wantStatus(t, emp.get("/documents/"+doc.ID+"/versions/3"), http.StatusNotFound)
}

// TestDocumentPublishing: only HR publishes; an invalid document is
// refused with the messages on its fields; the body is shown as text.
func TestDocumentPublishing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seedDocument("vara")
	emp := e.as("vara", distans.RoleEmployee)
	wantStatus(t, emp.get("/documents/new"), http.StatusForbidden)
	wantStatus(t, emp.post("/documents/new", url.Values{"title": {"X"}, "body": {"Y"}}), http.StatusForbidden)

	hr := e.as("vara", distans.RoleHR)
	wantStatus(t, hr.get("/documents/new"), http.StatusOK)
	wantFieldError(t, hr.post("/documents/new", url.Values{"title": {""}, "body": {"Text"}, "required": {"1"}}), "title", "")
	p := hr.post("/documents/new", url.Values{"title": {"Informationssäkerhetsinstruktion"},
		"body": {"Första stycket <script>alert(1)</script>.\r\n\r\nAndra stycket."}, "required": {"1"}})
	wantStatus(t, p, http.StatusSeeOther)
	page := hr.get(p.location)
	mustContain(t, page, "Dokumentet är publicerat.", "Informationssäkerhetsinstruktion", "Andra stycket.")
	if strings.Contains(page.body, "<script>alert") {
		t.Error("the body is rendered as HTML")
	}
	mustContain(t, emp.get("/"), "Informationssäkerhetsinstruktion")
}

// TestDocumentTenantIsolation: another organisation's document is not
// found, to read or to acknowledge.
func TestDocumentTenantIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seedDocument("vara")
	other := e.seedDocument("stockholm")
	c := e.as("vara", distans.RoleHR)
	for _, path := range []string{"/documents/" + other.ID, "/documents/" + other.ID + "/versions/1", "/documents/" + other.ID + "/publish"} {
		wantStatus(t, c.get(path), http.StatusNotFound)
	}
	c.get("/documents")
	wantStatus(t, c.post("/documents/"+other.ID+"/acknowledge", url.Values{"version": {"1"}}), http.StatusNotFound)
	wantStatus(t, c.post("/documents/"+other.ID+"/publish", url.Values{"title": {"X"}, "body": {"Y"}}), http.StatusNotFound)
	if strings.Contains(c.get("/documents").body, other.ID) {
		t.Error("the list shows another organisation's document")
	}
}
