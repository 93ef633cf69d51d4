package api_test

import (
	"strings"
	"testing"
)

func TestDocuments(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "list as employee", method: "GET", url: "/api/v1/documents", as: "empX1", status: 200,
			contains: []string{`"id": "{docA}"`, `"title": "Riktlinjer A"`, `"required": true`}, excludes: []string{"{docB}"}, unchanged: true},
		{name: "list as the other organisation", method: "GET", url: "/api/v1/documents", as: "empB", status: 200,
			contains: []string{`"id": "{docB}"`}, excludes: []string{"{docA}", "Riktlinjer A"}, unchanged: true},
		{name: "one", method: "GET", url: "/api/v1/documents/{docA}", as: "empY", status: 200,
			contains: []string{`"version": 1`, `"body": "Distansarbete i kommun A."`}, unchanged: true},
		{name: "one version", method: "GET", url: "/api/v1/documents/{docA}?version=1", as: "empY", status: 200,
			contains: []string{`"version": 1`}, unchanged: true},
		{name: "a version that does not exist", method: "GET", url: "/api/v1/documents/{docA}?version=9", as: "empY", status: 404, unchanged: true},
		{name: "a version that is not a number", method: "GET", url: "/api/v1/documents/{docA}?version=ett", as: "empY", status: 422,
			contains: []string{`"field": "version"`}, unchanged: true},
		{name: "versions", method: "GET", url: "/api/v1/documents/{docA}/versions", as: "empY", status: 200,
			contains: []string{`"version": 1`}, unchanged: true},
		{name: "a document that does not exist", method: "GET", url: "/api/v1/documents/x", as: "hrA", status: 404, unchanged: true},
		{name: "without credentials", method: "GET", url: "/api/v1/documents", status: 401, unchanged: true},

		{name: "publish as HR", method: "POST", url: "/api/v1/documents", as: "hrA",
			body: `{"title":" Informationssäkerhet ","body":"Lås skärmen.","required":true,"unit_id":"{unitX}"}`, status: 201,
			contains: []string{`"title": "Informationssäkerhet"`, `"version": 1`, `"unit_id": "{unitX}"`, `"published_by": "{hrA}"`, `"organisation_id": "{orgA}"`},
			check: func(t *testing.T, e *env, body []byte) {
				// It is pending for someone in Avdelning X, not for someone beside it.
				if _, b := e.do(t, "GET", "/api/v1/documents/pending", "empX1", ""); !strings.Contains(string(b), "Informationssäkerhet") {
					t.Errorf("not pending in the unit: %s", b)
				}
				if _, b := e.do(t, "GET", "/api/v1/documents/pending", "empY", ""); strings.Contains(string(b), "Informationssäkerhet") {
					t.Errorf("pending outside the unit: %s", b)
				}
			}},
		{name: "publish as administrator", method: "POST", url: "/api/v1/documents", as: "adminA",
			body: `{"title":"Rutin","body":"Text."}`, status: 201, contains: []string{`"required": false`}},
		{name: "publish as employee", method: "POST", url: "/api/v1/documents", as: "empX1",
			body: `{"title":"Rutin","body":"Text."}`, status: 403, unchanged: true},
		{name: "publish as manager", method: "POST", url: "/api/v1/documents", as: "chefX",
			body: `{"title":"Rutin","body":"Text."}`, status: 403, unchanged: true},
		{name: "publish without a title", method: "POST", url: "/api/v1/documents", as: "hrA",
			body: `{"title":" ","body":"Text."}`, status: 422, contains: []string{`"field": "title"`, "Fältet måste fyllas i."}, unchanged: true},
		{name: "publish for another organisation's unit", method: "POST", url: "/api/v1/documents", as: "hrB",
			body: `{"title":"Rutin","body":"Text.","unit_id":"{unitX}"}`, status: 422, contains: []string{`"field": "unit_id"`}, unchanged: true},
		{name: "publish setting the id", method: "POST", url: "/api/v1/documents", as: "hrA",
			body: `{"id":"{docB}","title":"Rutin","body":"Text."}`, status: 422, contains: []string{"Okänt fält: id."}, unchanged: true},

		{name: "new version", method: "POST", url: "/api/v1/documents/{docA}/versions", as: "hrA",
			body: `{"body":"Ny text."}`, status: 201,
			contains: []string{`"id": "{docA}"`, `"version": 2`, `"title": "Riktlinjer A"`, `"required": true`, `"body": "Ny text."`},
			check: func(t *testing.T, e *env, _ []byte) {
				if _, b := e.do(t, "GET", "/api/v1/documents/{docA}?version=1", "empY", ""); !strings.Contains(string(b), "Distansarbete i kommun A.") {
					t.Errorf("version 1 lost: %s", b)
				}
			}},
		{name: "new version with a new title", method: "POST", url: "/api/v1/documents/{docA}/versions", as: "hrA",
			body: `{"title":"Riktlinjer A 2","body":"Ny text.","required":false}`, status: 201,
			contains: []string{`"title": "Riktlinjer A 2"`, `"required": false`}},
		{name: "new version as employee", method: "POST", url: "/api/v1/documents/{docA}/versions", as: "empX1",
			body: `{"body":"Ny text."}`, status: 403, unchanged: true},
		{name: "new version without a text", method: "POST", url: "/api/v1/documents/{docA}/versions", as: "hrA",
			body: `{"title":"T"}`, status: 422, contains: []string{`"field": "body"`}, unchanged: true},
		{name: "new version of a document that does not exist", method: "POST", url: "/api/v1/documents/x/versions", as: "hrA",
			body: `{"body":"Ny text."}`, status: 404, unchanged: true},

		{name: "acknowledge", method: "POST", url: "/api/v1/documents/{docA}/acknowledge", as: "empX1", body: `{"version":1}`, status: 200,
			contains: []string{`"document_id": "{docA}"`, `"person_id": "{empX1}"`, `"version": 1`, `"document_title": "Riktlinjer A"`}},
		{name: "acknowledge without a version", method: "POST", url: "/api/v1/documents/{docA}/acknowledge", as: "empX1", body: `{}`, status: 422,
			contains: []string{`"field": "version"`}, unchanged: true},
		{name: "acknowledge a version not yet published", method: "POST", url: "/api/v1/documents/{docA}/acknowledge", as: "empX1",
			body: `{"version":2}`, status: 404, unchanged: true},
		{name: "acknowledge a document that does not exist", method: "POST", url: "/api/v1/documents/x/acknowledge", as: "empX1",
			body: `{"version":1}`, status: 404, unchanged: true},

		{name: "my acknowledgements", method: "GET", url: "/api/v1/acknowledgements", as: "empX1", status: 200,
			contains: []string{`"items": []`}, unchanged: true},
		{name: "pending", method: "GET", url: "/api/v1/documents/pending", as: "empX1", status: 200,
			contains: []string{`"id": "{docA}"`}, excludes: []string{"{docB}"}, unchanged: true},
		{name: "outstanding as HR", method: "GET", url: "/api/v1/documents/outstanding", as: "hrA", status: 200,
			contains: []string{`"person_id": "{empX1}"`, `"person_id": "{empY}"`, `"document_id": "{docA}"`}, excludes: []string{"{empB}"}, unchanged: true},
		{name: "outstanding in a unit", method: "GET", url: "/api/v1/documents/outstanding?unit_id={unitY}", as: "hrA", status: 200,
			contains: []string{`"person_id": "{empY}"`}, excludes: []string{"{empX1}"}, unchanged: true},
		{name: "outstanding as manager", method: "GET", url: "/api/v1/documents/outstanding", as: "chefX", status: 200,
			contains: []string{`"person_id": "{empX1}"`}, excludes: []string{"{empY}", "Ylva"}, unchanged: true},
		{name: "outstanding as employee", method: "GET", url: "/api/v1/documents/outstanding", as: "empX1", status: 403, unchanged: true},
		{name: "outstanding in another organisation's unit", method: "GET", url: "/api/v1/documents/outstanding?unit_id={unitX}", as: "hrB", status: 404,
			excludes: []string{"Erik Enhet"}, unchanged: true},
	})
}

// TestAcknowledgementFlow: a person acknowledges the current version, it is
// no longer pending for them nor outstanding for their manager, and a new
// version asks again; an old version can no longer be acknowledged.
func TestAcknowledgementFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.doJSON(t, "POST", "/api/v1/documents/{docA}/acknowledge", "empX1", `{"version":1}`, nil)
	// Again: the same acknowledgement, nothing written.
	before := e.auditHeads(t)
	e.doJSON(t, "POST", "/api/v1/documents/{docA}/acknowledge", "empX1", `{"version":1}`, nil)
	if after := e.auditHeads(t); after != before {
		t.Errorf("a second acknowledgement wrote %v → %v", before, after)
	}

	var acks struct {
		Items []struct {
			DocumentID string `json:"document_id"`
			Version    int    `json:"version"`
		}
	}
	e.doJSON(t, "GET", "/api/v1/acknowledgements", "empX1", "", &acks)
	if len(acks.Items) != 1 || acks.Items[0].DocumentID != e.ids["docA"] || acks.Items[0].Version != 1 {
		t.Errorf("own acknowledgements: %+v", acks)
	}
	e.doJSON(t, "GET", "/api/v1/acknowledgements?person_id={empX1}", "chefX", "", &acks)
	if len(acks.Items) != 1 {
		t.Errorf("the manager sees %d acknowledgements of empX1, want 1", len(acks.Items))
	}
	for _, c := range []struct{ as, status string }{{"empY", "404"}, {"hrB", "404"}} {
		if status, b := e.do(t, "GET", "/api/v1/acknowledgements?person_id={empX1}", c.as, ""); status != 404 || strings.Contains(string(b), e.ids["docA"]) {
			t.Errorf("%s reads empX1's acknowledgements: %d %s", c.as, status, b)
		}
	}
	if _, b := e.do(t, "GET", "/api/v1/documents/pending", "empX1", ""); strings.Contains(string(b), e.ids["docA"]) {
		t.Errorf("still pending after acknowledging: %s", b)
	}
	if _, b := e.do(t, "GET", "/api/v1/documents/outstanding", "chefX", ""); strings.Contains(string(b), e.ids["empX1"]) {
		t.Errorf("still outstanding after acknowledging: %s", b)
	}

	e.doJSON(t, "POST", "/api/v1/documents/{docA}/versions", "hrA", `{"body":"Version två."}`, nil)
	if _, b := e.do(t, "GET", "/api/v1/documents/pending", "empX1", ""); !strings.Contains(string(b), `"version": 2`) {
		t.Errorf("a new version is not pending: %s", b)
	}
	if status, b := e.do(t, "POST", "/api/v1/documents/{docA}/acknowledge", "empX1", `{"version":1}`); status != 409 || !strings.Contains(string(b), "version 2") {
		t.Errorf("acknowledging the old version: %d %s", status, b)
	}
	e.doJSON(t, "POST", "/api/v1/documents/{docA}/acknowledge", "empX1", `{"version":2}`, nil)
	if _, b := e.do(t, "GET", "/api/v1/documents/pending", "empX1", ""); strings.Contains(string(b), e.ids["docA"]) {
		t.Errorf("still pending after acknowledging version 2: %s", b)
	}
}
