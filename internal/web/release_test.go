package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/distans/distans"
)

// TestReleasePages drives Begäran om allmän handling over HTTP on the
// demo's Vara: from the register the registrator opens the review of an
// agreement, with the secret fields ticked; a form that does not validate
// comes back with the input kept; the decision with maskings shows how to
// appeal and offers both PDFs; a refusal offers no copy; anyone else is
// refused.
func TestReleasePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reg := e.as("vara", distans.RoleRegistrar)

	p := reg.get("/records/register?kind=agreement")
	wantStatus(t, p, http.StatusOK)
	m := regexp.MustCompile(`href="(/records/releases/new\?id=[^"]+&amp;kind=agreement)"`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatal("the register offers no review of a request")
	}
	newURL := strings.ReplaceAll(m[1], "&amp;", "&")
	p = reg.get(newURL)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "<h1>Sekretessprövning DIST ", `name="mask.request_place" value="1" checked`,
		`<option value="osl-39-3" selected>`, "OSL 21 kap. 1 §")
	if strings.Count(p.body, "<h1") != 1 {
		t.Error("not one h1")
	}
	u, _ := url.Parse(newURL)
	kind, id := u.Query().Get("kind"), u.Query().Get("id")

	// A masking without a provision and a day in the future come back.
	p = reg.post("/records/releases", url.Values{"kind": {kind}, "record_id": {id}, "requester": {"Kalle Journalist"},
		"requested_on": {"2999-01-01"}, "mask.request_tasks": {"1"}, "provision.request_tasks": {""}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `value="Kalle Journalist"`, `value="2999-01-01"`, `name="mask.request_tasks" value="1" checked`)

	p = reg.post("/records/releases", url.Values{"kind": {kind}, "record_id": {id}, "requested_on": {"2026-01-02"},
		"mask.request_place": {"1"}, "provision.request_place": {"osl-39-3"}, "note": {"Hemadress."}})
	wantStatus(t, p, http.StatusSeeOther)
	show := p.location
	p = reg.get(show)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Lämnas ut med maskeringar", "anonym", "OSL 39 kap. 3 §", "kammarrätten", "tre veckor",
		`/copy.pdf"`, `/decision.pdf"`)
	for _, doc := range []string{"/copy.pdf", "/decision.pdf"} {
		d := reg.get(show + doc)
		wantStatus(t, d, http.StatusOK)
		if d.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(d.body, "%PDF-") {
			t.Errorf("%s: %q", doc, d.header.Get("Content-Type"))
		}
	}
	wantStatus(t, reg.get(show+"/other.pdf"), http.StatusNotFound)

	p = reg.post("/records/releases", url.Values{"kind": {kind}, "record_id": {id}, "requested_on": {"2026-01-02"},
		"refuse": {"1"}, "refusal_provision": {"osl-21-1"}})
	wantStatus(t, p, http.StatusSeeOther)
	refused := p.location
	p = reg.get(refused)
	mustContain(t, p, "Avslag", "kammarrätten")
	if strings.Contains(p.body, "/copy.pdf") {
		t.Error("a refusal offers a copy")
	}
	wantStatus(t, reg.get(refused+"/copy.pdf"), http.StatusConflict)

	p = reg.get("/records/releases")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "<h1>Begäran om allmän handling</h1>", show, refused)

	for _, role := range []distans.Role{distans.RoleEmployee, distans.RoleAdmin, distans.RoleHR} {
		c := e.as("vara", role)
		for _, path := range []string{"/records/releases", newURL, show, show + "/copy.pdf"} {
			wantStatus(t, c.get(path), http.StatusForbidden)
		}
	}
	wantStatus(t, reg.get("/records/releases/new?kind=agreement&id=nope"), http.StatusNotFound)
}
