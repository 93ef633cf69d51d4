package api_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestPeople(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "list as administrator", method: "GET", url: "/api/v1/people", as: "adminA", status: 200,
			contains: []string{`"total": 6`, `"total_capped": false`, `"limit": 50`, "Erik Enhet", "Ylva Yngre"},
			excludes: []string{"Bo Beta", "{empB}", "personal_number\""}, unchanged: true},
		{name: "list as chef sees the own subtree only", method: "GET", url: "/api/v1/people", as: "chefX", status: 200,
			contains: []string{"Erik Enhet", "Karl Chef"}, excludes: []string{"Ylva Yngre", "Anna Admin", "Bo Beta"}, unchanged: true},
		{name: "list as employee is refused, as on the page", method: "GET", url: "/api/v1/people", as: "empY", status: 403,
			excludes: []string{"Ylva Yngre", "Erik Enhet"}, unchanged: true},
		{name: "list other organisation", method: "GET", url: "/api/v1/people", as: "adminB", status: 200,
			contains: []string{"Bo Beta"}, excludes: []string{"Erik Enhet", "{orgA}"}, unchanged: true},
		{name: "search", method: "GET", url: "/api/v1/people?q=ylva", as: "hrA", status: 200,
			contains: []string{"Ylva Yngre", `"total": 1`}, excludes: []string{"Erik Enhet"}, unchanged: true},
		{name: "by unit subtree", method: "GET", url: "/api/v1/people?unit_id={unitX}", as: "hrA", status: 200,
			contains: []string{"Erik Enhet", "Karl Chef"}, excludes: []string{"Ylva Yngre"}, unchanged: true},
		{name: "paged by cursor, filters kept", method: "GET", url: "/api/v1/people?limit=2", as: "adminA", status: 200,
			contains: []string{`"total": 6`, `"limit": 2`, `"next": "`}, excludes: []string{`"prev"`}, unchanged: true,
			check: func(t *testing.T, e *env, body []byte) {
				// Walking next to the end returns everyone once, in the
				// order of the whole list; prev goes back one page.
				type page struct {
					Items []struct{ Name string }
					Next  string
					Prev  string
				}
				var all page
				e.doJSON(t, "GET", "/api/v1/people?limit=500", "adminA", "", &all)
				var names []string
				var p page
				must(t, json.Unmarshal(body, &p))
				var pages []page
				for {
					pages = append(pages, p)
					for _, it := range p.Items {
						names = append(names, it.Name)
					}
					if p.Next == "" {
						break
					}
					next := p.Next
					p = page{}
					e.doJSON(t, "GET", "/api/v1/people?limit=2&after="+url.QueryEscape(next), "adminA", "", &p)
				}
				var want []string
				for _, it := range all.Items {
					want = append(want, it.Name)
				}
				if !slices.Equal(names, want) || len(pages) != 3 {
					t.Fatalf("paged %v in %d pages, want %v", names, len(pages), want)
				}
				var back page
				e.doJSON(t, "GET", "/api/v1/people?limit=2&before="+url.QueryEscape(pages[2].Prev), "adminA", "", &back)
				if len(back.Items) != 2 || back.Items[0].Name != want[2] {
					t.Fatalf("back from the last page: %+v", back)
				}
				// The filter applies on every page: a unit and a search.
				var inX page
				e.doJSON(t, "GET", "/api/v1/people?limit=1&unit_id="+e.expand("{unitX}"), "adminA", "", &inX)
				var inX2 page
				e.doJSON(t, "GET", "/api/v1/people?limit=1&unit_id="+e.expand("{unitX}")+"&after="+url.QueryEscape(inX.Next), "adminA", "", &inX2)
				if len(inX2.Items) != 1 || inX2.Items[0].Name == inX.Items[0].Name || inX2.Items[0].Name == "Ylva Yngre" {
					t.Fatalf("second page of unit X: %+v after %+v", inX2, inX)
				}
			}},
		{name: "bad cursor", method: "GET", url: "/api/v1/people?after=inte-en-mark%C3%B6r", as: "adminA", status: 422,
			contains: []string{"Frågeparametrarna är inte giltiga.", `"field": "after"`, "Ogiltig sidmarkör"}, unchanged: true},
		{name: "offset is refused with how to page instead", method: "GET", url: "/api/v1/people?offset=50", as: "adminA", status: 422,
			contains: []string{`"field": "offset"`, "offset används inte längre", "after="}, unchanged: true},
		{name: "offset 0 is the first page", method: "GET", url: "/api/v1/people?offset=0", as: "adminA", status: 200,
			contains: []string{`"total": 6`}, unchanged: true},
		{name: "bad paging", method: "GET", url: "/api/v1/people?offset=-1&limit=501", as: "adminA", status: 422,
			contains: []string{"Frågeparametrarna är inte giltiga.", `"field": "offset"`, `"field": "limit"`}, unchanged: true},
		{name: "get masks the personal number", method: "GET", url: "/api/v1/people/{empX1}", as: "chefX", status: 200,
			contains: []string{`"personal_number_masked": "19811218-****"`}, excludes: []string{"1218-9876", "12189876", `"personal_number":`}, unchanged: true},
		{name: "get outside the chef's subtree", method: "GET", url: "/api/v1/people/{empY}", as: "chefX", status: 404, unchanged: true},
		{name: "create", method: "POST", url: "/api/v1/people", as: "hrA",
			body:   `{"name":"Nora Ny","email":"Nora.Ny@alfa.example","phone":"0932-140 00","personal_number":"198112189876","language":"en"}`,
			status: 201, contains: []string{`"name": "Nora Ny"`, `"email": "nora.ny@alfa.example"`, `"personal_number_masked": "19811218-****"`, `"organisation_id": "{orgA}"`},
			excludes: []string{"1218-9876", "12189876"}},
		{name: "create without the permission", method: "POST", url: "/api/v1/people", as: "chefX",
			body: `{"name":"Nora Ny","email":"nora@alfa.example"}`, status: 403, unchanged: true},
		{name: "create with bad fields", method: "POST", url: "/api/v1/people", as: "hrA",
			body: `{"name":"","email":"inte-en-adress","phone":"ring mig","personal_number":"19811218-9875","language":"fi"}`, status: 422,
			contains: []string{`"field": "name"`, "Ange en giltig e-postadress.", `"field": "phone"`, "Personnumret är inte giltigt", `"field": "language"`}, unchanged: true},
		{name: "create with a taken e-mail", method: "POST", url: "/api/v1/people", as: "hrA",
			body: `{"name":"Erik Igen","email":"empx1@alfa.example"}`, status: 409, contains: []string{`"code": "conflict"`}, unchanged: true},
		{name: "create setting the unit path", method: "POST", url: "/api/v1/people", as: "hrA",
			body: `{"name":"N","email":"n@alfa.example","unit_id":"{unitX}"}`, status: 422, contains: []string{"Okänt fält: unit_id."}, unchanged: true},
		{name: "update", method: "PATCH", url: "/api/v1/people/{empX1}", as: "hrA", body: `{"phone":"070-123 45 67"}`, status: 200,
			contains: []string{`"phone": "070-123 45 67"`, `"name": "Erik Enhet"`, `"personal_number_masked": "19811218-****"`}},
		{name: "update own phone", method: "PATCH", url: "/api/v1/people/{empY}", as: "empY", body: `{"phone":"070-765 43 21"}`, status: 200,
			contains: []string{`"phone": "070-765 43 21"`}},
		{name: "update own name without the permission", method: "PATCH", url: "/api/v1/people/{empY}", as: "empY", body: `{"name":"Ylva Äldre"}`,
			status: 403, unchanged: true},
		{name: "update with a bad e-mail", method: "PATCH", url: "/api/v1/people/{empX1}", as: "hrA", body: `{"email":"x"}`, status: 422,
			contains: []string{`"field": "email"`}, unchanged: true},
		{name: "reveal as HR", method: "POST", url: "/api/v1/people/{empX1}/personal-number/reveal", as: "hrA", status: 200,
			contains: []string{`"personal_number": "` + pnrX1 + `"`},
			check: func(t *testing.T, e *env, _ []byte) {
				_, b := e.do(t, "GET", "/api/v1/audit-events?action=person.secret_read&record_id={empX1}", "dpoA", "")
				if !strings.Contains(string(b), `"actor_id": "`+e.ids["hrA"]+`"`) || strings.Contains(string(b), pnrX1) {
					t.Errorf("the reveal is not audited, or the audit holds the number: %s", b)
				}
			}},
		{name: "reveal as chef", method: "POST", url: "/api/v1/people/{empX1}/personal-number/reveal", as: "chefX", status: 403,
			excludes: []string{"1218-9876", "12189876"}, unchanged: true},
		{name: "reveal as administrator", method: "POST", url: "/api/v1/people/{empX1}/personal-number/reveal", as: "adminA", status: 403,
			excludes: []string{"1218-9876", "12189876"}, unchanged: true},
		{name: "reveal own as employee", method: "POST", url: "/api/v1/people/{empX1}/personal-number/reveal", as: "empX1", status: 403,
			unchanged: true},
		{name: "reveal in another organisation", method: "POST", url: "/api/v1/people/{empB}/personal-number/reveal", as: "hrA", status: 404,
			excludes: []string{"1218-9876", "12189876"}, unchanged: true},
	})
}

func TestEmploymentsAndLeave(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "list employments", method: "GET", url: "/api/v1/people/{empX1}/employments", as: "hrA", status: 200,
			contains: []string{`"starts_on": "2020-01-01"`, `"unit_id": "{unitX1}"`, `"title": "Handläggare"`}, unchanged: true},
		{name: "list employments outside the chef's subtree", method: "GET", url: "/api/v1/people/{empY}/employments", as: "chefX", status: 404, unchanged: true},
		{name: "create employment overlapping", method: "POST", url: "/api/v1/people/{empX1}/employments", as: "hrA",
			body: `{"unit_id":"{unitY}","title":"Utredare","starts_on":"2024-01-01"}`, status: 422,
			contains: []string{"överlappar"}, unchanged: true},
		{name: "create employment with bad dates", method: "POST", url: "/api/v1/people/{empX1}/employments", as: "hrA",
			body: `{"unit_id":"{unitY}","title":"Utredare","starts_on":"2024-13-01","ends_on":"snart"}`, status: 422,
			contains: []string{`"field": "starts_on"`, `"field": "ends_on"`, "ÅÅÅÅ-MM-DD"}, unchanged: true},
		{name: "create employment with end before start", method: "POST", url: "/api/v1/people/{empX1}/employments", as: "hrA",
			body: `{"unit_id":"{unitY}","title":"Utredare","starts_on":"2024-02-01","ends_on":"2024-01-01"}`, status: 422,
			contains: []string{"Slutdatum kan inte vara före startdatum."}, unchanged: true},
		{name: "create employment missing fields", method: "POST", url: "/api/v1/people/{empX1}/employments", as: "hrA",
			body: `{}`, status: 422, contains: []string{`"field": "unit_id"`, `"field": "title"`, `"field": "starts_on"`}, unchanged: true},
		{name: "create employment in another organisation's unit", method: "POST", url: "/api/v1/people/{empX1}/employments", as: "hrA",
			body: `{"unit_id":"{rootB}","title":"Utredare","starts_on":"1999-01-01","ends_on":"1999-12-31"}`, status: 422, unchanged: true},
		{name: "create employment before the current one", method: "POST", url: "/api/v1/people/{empX1}/employments", as: "hrA",
			body: `{"unit_id":"{unitY}","title":"Utredare","starts_on":"2015-01-01","ends_on":"2019-12-31"}`, status: 201,
			contains: []string{`"starts_on": "2015-01-01"`, `"ends_on": "2019-12-31"`, `"person_id": "{empX1}"`}},
		{name: "end employment with a bad date", method: "POST", url: "/api/v1/employments/x/end", as: "hrA", body: `{"ended_on":"igår"}`,
			status: 422, unchanged: true},
		{name: "end a missing employment", method: "POST", url: "/api/v1/employments/x/end", as: "hrA", body: `{"ended_on":"2030-01-01"}`,
			status: 404, unchanged: true},
		{name: "create leave", method: "POST", url: "/api/v1/people/{empX1}/leaves", as: "hrA",
			body: `{"kind":"studieledighet","starts_on":"2026-09-01","ends_on":"2027-01-31"}`, status: 201,
			contains: []string{`"kind": "studieledighet"`, `"starts_on": "2026-09-01"`, `"ends_on": "2027-01-31"`}},
		{name: "create leave of an unknown kind", method: "POST", url: "/api/v1/people/{empX1}/leaves", as: "hrA",
			body: `{"kind":"semester","starts_on":"2026-09-01"}`, status: 422, contains: []string{"Okänd typ av ledighet."}, unchanged: true},
		{name: "create leave as a colleague", method: "POST", url: "/api/v1/people/{empX1}/leaves", as: "empY",
			body: `{"kind":"annan","starts_on":"2026-09-01"}`, status: 404, unchanged: true},
		{name: "list leave as chef", method: "GET", url: "/api/v1/people/{empX1}/leaves", as: "chefX", status: 200,
			contains: []string{`"items": []`}, unchanged: true},
		{name: "end a missing leave", method: "POST", url: "/api/v1/leaves/x/end", as: "hrA", body: `{"ended_on":"2030-01-01"}`,
			status: 404, unchanged: true},
	})
}

// TestEmploymentAndLeaveFlow creates, changes and ends an employment and a
// leave through the API.
func TestEmploymentAndLeaveFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var p struct{ ID string }
	e.doJSON(t, "POST", "/api/v1/people", "hrA", `{"name":"Nils Ny","email":"nils@alfa.example"}`, &p)
	var emp struct {
		ID       string `json:"id"`
		StartsOn string `json:"starts_on"`
		EndsOn   string `json:"ends_on"`
		Title    string `json:"title"`
		SiteID   string `json:"site_id"`
	}
	e.doJSON(t, "POST", "/api/v1/people/"+p.ID+"/employments", "hrA",
		`{"unit_id":"{unitX1}","title":"Arkivarie","site_id":"{siteA}","starts_on":"2024-01-01","ends_on":"2030-12-31"}`, &emp)
	if emp.StartsOn != "2024-01-01" || emp.EndsOn != "2030-12-31" {
		t.Errorf("created %+v", emp)
	}

	// The chef of X now sees the person, whose unit and title come from the employment.
	status, b := e.do(t, "GET", "/api/v1/people/"+p.ID, "chefX", "")
	if status != 200 || !strings.Contains(string(b), `"title": "Arkivarie"`) {
		t.Errorf("chef reads new person: %d %s", status, b)
	}

	status, b = e.do(t, "PATCH", "/api/v1/employments/"+emp.ID, "hrA", `{"title":"Arkivarie II","ends_on":null}`)
	if status != 200 || !strings.Contains(string(b), `"title": "Arkivarie II"`) || strings.Contains(string(b), "ends_on") ||
		!strings.Contains(string(b), `"starts_on": "2024-01-01"`) || !strings.Contains(string(b), `"site_id": "`+e.ids["siteA"]) {
		t.Errorf("patched employment: %d %s", status, b)
	}
	if status, b := e.do(t, "PATCH", "/api/v1/employments/"+emp.ID, "hrB", `{"title":"Kapad"}`); status != 404 {
		t.Errorf("other organisation patches employment: %d %s", status, b)
	}

	if status, b := e.do(t, "POST", "/api/v1/employments/"+emp.ID+"/end", "hrB", `{"ended_on":"2025-06-30"}`); status != 404 {
		t.Errorf("other organisation ends employment: %d %s", status, b)
	}
	if status, b := e.do(t, "POST", "/api/v1/employments/"+emp.ID+"/end", "hrA", `{"ended_on":"2025-06-30"}`); status != 204 {
		t.Errorf("end employment: %d %s", status, b)
	}
	_, b = e.do(t, "GET", "/api/v1/people/"+p.ID+"/employments", "hrA", "")
	if !strings.Contains(string(b), `"ends_on": "2025-06-30"`) {
		t.Errorf("employment not ended: %s", b)
	}

	var leave struct{ ID string }
	e.doJSON(t, "POST", "/api/v1/people/{empY}/leaves", "hrA", `{"kind":"foraldraledighet","starts_on":"2025-01-01"}`, &leave)
	if status, b := e.do(t, "POST", "/api/v1/leaves/"+leave.ID+"/end", "hrB", `{"ended_on":"2025-03-31"}`); status != 404 {
		t.Errorf("other organisation ends leave: %d %s", status, b)
	}
	if status, b := e.do(t, "POST", "/api/v1/leaves/"+leave.ID+"/end", "hrA", `{"ended_on":"2025-03-31"}`); status != 204 {
		t.Errorf("end leave: %d %s", status, b)
	}
	_, b = e.do(t, "GET", "/api/v1/people/{empY}/leaves", "empY", "")
	if !strings.Contains(string(b), `"ends_on": "2025-03-31"`) || !strings.Contains(string(b), "foraldraledighet") {
		t.Errorf("own leave after end: %s", b)
	}
	if status, b := e.do(t, "GET", "/api/v1/people/{empY}/leaves", "hrB", ""); status != 404 {
		t.Errorf("other organisation lists leave: %d %s", status, b)
	}
}
