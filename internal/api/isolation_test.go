package api_test

import (
	"slices"
	"strings"
	"testing"
)

// TestTenantIsolation: organisation beta's administrator and HR, who hold
// every permission in their own organisation, find nothing of alfa's.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	notFound := []string{`"code": "not_found"`}
	// alfas are fragments of alfa's records that no answer to beta may
	// hold; "no such address" is the 404 of a route without its service,
	// which would pass for isolation.
	alfas := []string{"Erik Enhet", "Enhet X1", "Stadshuset A", "Riktlinjer A", "Alfabok", "ALFA-", "A-D001", "A-M001",
		"{eqPC}", "{eqPhone}", "{eqHandover}", "no such address"}
	// alfaText is alfas without the ids, for answers that may repeat the
	// id beta sent.
	alfaText := slices.DeleteFunc(slices.Clone(alfas), func(s string) bool { return strings.HasPrefix(s, "{") })
	var scenarios []scenario
	for _, c := range []struct{ as, method, url, body string }{
		{"adminB", "GET", "/api/v1/units/{unitX}", ""},
		{"adminB", "PATCH", "/api/v1/units/{unitX}", `{"name":"Kapad"}`},
		{"adminB", "POST", "/api/v1/units/{unitZ}/end", `{"ended_on":"2030-01-01"}`},
		{"adminB", "GET", "/api/v1/sites/{siteA}", ""},
		{"adminB", "PATCH", "/api/v1/sites/{siteA}", `{"name":"Kapad"}`},
		{"adminB", "POST", "/api/v1/sites/{siteA}/end", `{"ended_on":"2030-01-01"}`},
		{"hrB", "GET", "/api/v1/people/{empX1}", ""},
		{"hrB", "PATCH", "/api/v1/people/{empX1}", `{"name":"Kapad"}`},
		{"hrB", "POST", "/api/v1/people/{empX1}/personal-number/reveal", ""},
		{"hrB", "GET", "/api/v1/people/{empX1}/employments", ""},
		{"hrB", "POST", "/api/v1/people/{empX1}/employments", `{"unit_id":"{rootB}","title":"T","starts_on":"1990-01-01","ends_on":"1990-12-31"}`},
		{"hrB", "GET", "/api/v1/people/{empX1}/leaves", ""},
		{"hrB", "POST", "/api/v1/people/{empX1}/leaves", `{"kind":"annan","starts_on":"2030-01-01"}`},
		{"adminB", "GET", "/api/v1/people/{adminA}", ""},
		{"hrB", "GET", "/api/v1/documents/{docA}", ""},
		{"hrB", "GET", "/api/v1/documents/{docA}?version=1", ""},
		{"hrB", "GET", "/api/v1/documents/{docA}/versions", ""},
		{"hrB", "POST", "/api/v1/documents/{docA}/versions", `{"body":"Kapad"}`},
		{"empB", "POST", "/api/v1/documents/{docA}/acknowledge", `{"version":1}`},
		{"hrB", "GET", "/api/v1/acknowledgements?person_id={empX1}", ""},
		{"hrB", "GET", "/api/v1/documents/outstanding?unit_id={unitX}", ""},
		{"adminB", "GET", "/api/v1/equipment/items/{eqPC}", ""},
		{"adminB", "GET", "/api/v1/equipment/items/{eqPC}/history", ""},
		{"adminB", "PATCH", "/api/v1/equipment/items/{eqScreen}", `{"version":{eqScreenVersion},"note":"Kapad","status":"retired"}`},
		{"adminB", "PUT", "/api/v1/equipment/models/{eqModel}", `{"category":"computer","name":"Kapad"}`},
		{"adminB", "GET", "/api/v1/equipment/handovers/{eqHandover}", ""},
		{"adminB", "GET", "/api/v1/equipment/handovers/{eqHandover}/pdf", ""},
		{"adminB", "POST", "/api/v1/equipment/handovers/{eqHandover}/cancel", `{"version":1}`},
		{"empB", "POST", "/api/v1/equipment/handovers/{eqHandover}/accept", `{"terms_version":1,"hash":"{eqHash}","password":"Fel-losenord-1"}`},
		{"adminB", "GET", "/api/v1/equipment/returns/{eqReturn}", ""},
		{"adminB", "GET", "/api/v1/equipment/returns/{eqReturn}/pdf", ""},
		{"hrB", "POST", "/api/v1/equipment/returns/{eqReturn}/sign", `{"password":"Fel-losenord-1"}`},
		{"adminB", "GET", "/api/v1/equipment/losses/{eqLoss}", ""},
		{"adminB", "GET", "/api/v1/equipment/losses/{eqLoss}/attachments/{eqAttachment}", ""},
		{"hrB", "POST", "/api/v1/equipment/losses/{eqLoss}/assessment", `{"gross_negligence":true,"reasons":"Kapad"}`},
		{"adminB", "GET", "/api/v1/equipment/trips/{eqTrip}", ""},
		{"hrB", "POST", "/api/v1/equipment/trips/{eqTrip}/decision", `{"version":1,"approved":true,"note":"Kapad"}`},
		{"adminB", "POST", "/api/v1/equipment/return-tasks/{eqTask}/complete", `{"version":1}`},
		{"hrB", "POST", "/api/v1/equipment/return-tasks/{eqTask}/exception", `{"version":1,"reasons":"Kapad"}`},
	} {
		scenarios = append(scenarios, scenario{name: c.as + " " + c.method + " " + c.url, method: c.method, url: c.url, as: c.as,
			body: c.body, status: 404, contains: notFound, excludes: alfas, unchanged: true})
	}
	// A loss step is a form, as the police report's copy comes with it.
	scenarios = append(scenarios, scenario{name: "adminB POST /api/v1/equipment/losses/{eqLoss}/steps", method: "POST",
		url: "/api/v1/equipment/losses/{eqLoss}/steps", as: "adminB", body: "step=block_sim&evidence=Kapad",
		header: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 404, contains: notFound, excludes: alfas, unchanged: true})
	// What beta sends that names alfa's records is refused as if they did
	// not exist, and nothing is saved.
	notInOrg := func(field, sv string) []string { return []string{`"field": "` + field + `"`, sv} }
	for _, c := range []struct{ as, method, url, body, field, sv string }{
		{"adminB", "PUT", "/api/v1/equipment/terms", `{"document_id":"{docA}"}`, "document_id", "Dokumentet finns inte i organisationen."},
		{"adminB", "POST", "/api/v1/equipment/items", `{"category":"computer","serial":"B-2","unit_id":"{unitX1}"}`, "unit_id", "Enheten finns inte i organisationen."},
		{"adminB", "POST", "/api/v1/equipment/items", `{"category":"computer","serial":"B-2","unit_id":"{rootB}","model_id":"{eqModel}"}`, "model_id",
			"Modellen finns inte i organisationen."},
		{"adminB", "PATCH", "/api/v1/equipment/items/{eqB}", `{"version":1,"model_id":"{eqModel}"}`, "model_id", "Modellen finns inte i organisationen."},
		{"adminB", "POST", "/api/v1/equipment/handovers", `{"person_id":"{empX1}","item_ids":["{eqB}"]}`, "person_id", "Personen finns inte i organisationen."},
		{"adminB", "POST", "/api/v1/equipment/handovers", `{"person_id":"{empB}","item_ids":["{eqScreen}"]}`, "item_ids", "finns inte i registret."},
		{"adminB", "POST", "/api/v1/equipment/returns", `{"person_id":"{empX1}","items":[{"item_id":"{eqPC}","condition":"good"}]}`, "person_id",
			"Personen finns inte i organisationen."},
		{"adminB", "POST", "/api/v1/equipment/losses", `{"kind":"lost","person_id":"{empX1}","item_ids":["{eqPC}"],"discovered_at":"{eqDiscovered}",
			"place":"Bussen","description":"Borta."}`, "person_id", "Personen finns inte i organisationen."},
		{"empB", "POST", "/api/v1/equipment/losses", `{"kind":"lost","item_ids":["{eqPC}"],"discovered_at":"{eqDiscovered}","place":"Bussen",
			"description":"Borta."}`, "item_ids", "finns inte i registret."},
		{"empB", "POST", "/api/v1/equipment/trips", `{"private":true,"abroad":true,"destination":"Oslo","starts_on":"{eqTripStart}",
			"ends_on":"{eqTripEnd}","item_ids":["{eqPC}"],"reasons":"Jour"}`, "item_ids", "finns inte i registret."},
	} {
		scenarios = append(scenarios, scenario{name: c.as + " " + c.method + " " + c.url + " naming alfa's " + c.field, method: c.method,
			url: c.url, as: c.as, body: c.body, status: 422, contains: notInOrg(c.field, c.sv), excludes: alfaText, unchanged: true})
	}
	importCSV, importType := equipmentCSV(t, "Typ;Serienummer;Enhet\ndator;B-IMPORT-1;{unitX1}\n")
	scenarios = append(scenarios, scenario{name: "adminB POST /api/v1/equipment/items/import into alfa's unit", method: "POST",
		url: "/api/v1/equipment/items/import", as: "adminB", body: importCSV, header: []string{"Content-Type", importType}, status: 422,
		contains: []string{`"created": 0`, `"column": "Enhet"`}, excludes: alfaText, unchanged: true})

	// Beta's lists hold beta's records only; a filter by alfa's person or
	// unit is not found (404), in every list that takes one.
	for _, c := range []struct {
		as, url string
		status  int
	}{
		{"adminB", "/api/v1/equipment/overview", 200},
		{"adminB", "/api/v1/equipment/terms", 200},
		{"adminB", "/api/v1/equipment/models", 200},
		{"adminB", "/api/v1/equipment/items?limit=200", 200},
		{"adminB", "/api/v1/equipment/items?holder_id={empX1}", 200},
		{"adminB", "/api/v1/equipment/items?q=ALFA", 200},
		{"adminB", "/api/v1/equipment/items?unit_id={unitX1}", 404},
		{"adminB", "/api/v1/equipment/handovers?pending=true", 200},
		{"adminB", "/api/v1/equipment/handovers?person_id={empX1}", 404},
		{"adminB", "/api/v1/equipment/returns?person_id={empX1}", 404},
		{"adminB", "/api/v1/equipment/losses", 200},
		{"hrB", "/api/v1/equipment/losses?open=true", 200},
		{"hrB", "/api/v1/equipment/trips?requested=true", 200},
		{"adminB", "/api/v1/equipment/trips?person_id={empX1}", 404},
		{"adminB", "/api/v1/equipment/return-tasks", 200},
		{"hrB", "/api/v1/equipment/return-tasks?open=true", 200},
		{"adminB", "/api/v1/equipment/return-tasks?person_id={empX1}", 404},
	} {
		scenarios = append(scenarios, scenario{name: c.as + " GET " + c.url, method: "GET", url: c.url, as: c.as, status: c.status,
			excludes: append(slices.Clip(alfas), "{eqScreen}", "{eqHeadset}", "{eqModel}", "{eqReturn}", "{eqLoss}", "{eqTrip}", "{eqTask}",
				"{unitX1}", "{orgA}", `"lost_this_year": 1`, "Riktlinjer A"), unchanged: true})
	}
	scenarios = append(scenarios,
		scenario{name: "units list", method: "GET", url: "/api/v1/units?include_ended=true", as: "adminB", status: 200,
			excludes: []string{"{unitX}", "{rootA}", "{orgA}"}, unchanged: true},
		scenario{name: "children of another organisation's unit", method: "GET", url: "/api/v1/units?parent_id={rootA}", as: "adminB", status: 200,
			excludes: []string{"{unitX}"}, unchanged: true},
		scenario{name: "sites list", method: "GET", url: "/api/v1/sites?include_ended=true", as: "adminB", status: 200,
			excludes: []string{"{siteA}"}, unchanged: true},
		scenario{name: "people in another organisation's unit", method: "GET", url: "/api/v1/people?unit_id={unitX}", as: "hrB", status: 404,
			excludes: []string{"{empX1}", "Erik Enhet"}, unchanged: true},
		scenario{name: "roles of another organisation's person", method: "GET", url: "/api/v1/role-assignments?person_id={chefX}", as: "adminB", status: 200,
			excludes: []string{"{chefX}"}, unchanged: true},
		scenario{name: "audit of another organisation's record", method: "GET", url: "/api/v1/audit-events?record_id={empX1}", as: "adminB", status: 200,
			contains: []string{`"items": []`}, unchanged: true},
		scenario{name: "tokens", method: "GET", url: "/api/v1/tokens", as: "adminB", status: 200,
			excludes: []string{"{adminA}", "{orgA}"}, unchanged: true},
		scenario{name: "documents", method: "GET", url: "/api/v1/documents", as: "hrB", status: 200,
			excludes: []string{"{docA}", "Riktlinjer A"}, unchanged: true},
		scenario{name: "pending documents", method: "GET", url: "/api/v1/documents/pending", as: "empB", status: 200,
			excludes: []string{"{docA}"}, unchanged: true},
		scenario{name: "outstanding", method: "GET", url: "/api/v1/documents/outstanding", as: "hrB", status: 200,
			excludes: []string{"{empX1}", "{docA}"}, unchanged: true},
		// Last, alfa's equipment as alfa left it: each record beta was
		// refused is there, untouched, so the 404s above were the
		// organisation's and not a wrong id.
		scenario{name: "alfa's screen is untouched", method: "GET", url: "/api/v1/equipment/items/{eqScreen}", as: "adminA", status: 200,
			contains: []string{`"status": "in_stock"`, `"version": {eqScreenVersion}`}, excludes: []string{"Kapad"}, unchanged: true},
		scenario{name: "alfa's models are untouched", method: "GET", url: "/api/v1/equipment/models", as: "adminA", status: 200,
			contains: []string{"{eqModel}", "Alfabok 14"}, excludes: []string{"Kapad"}, unchanged: true},
		scenario{name: "alfa's terms are untouched", method: "GET", url: "/api/v1/equipment/terms", as: "adminA", status: 200,
			contains: []string{"{docA}", "Riktlinjer A"}, unchanged: true},
		scenario{name: "alfa's handover still waits for empX1", method: "GET", url: "/api/v1/equipment/handovers/{eqHandover}", as: "empX1",
			status: 200, contains: []string{`"state": "pending"`}, excludes: []string{`"acceptance"`}, unchanged: true},
		scenario{name: "alfa's return is unsigned", method: "GET", url: "/api/v1/equipment/returns/{eqReturn}", as: "adminA", status: 200,
			contains: []string{"{eqHeadset}"}, excludes: []string{`"signature"`}, unchanged: true},
		scenario{name: "alfa's loss has no step or assessment of beta's", method: "GET", url: "/api/v1/equipment/losses/{eqLoss}", as: "adminA",
			status: 200, contains: []string{"5000-K123456-26", "{eqAttachment}"}, excludes: []string{"Kapad", `"assessment"`}, unchanged: true},
		scenario{name: "alfa's police report copy", method: "GET", url: "/api/v1/equipment/losses/{eqLoss}/attachments/{eqAttachment}",
			as: "adminA", status: 200, contains: []string{"Polisanmälan"}, unchanged: true},
		scenario{name: "alfa's trip still waits for the manager", method: "GET", url: "/api/v1/equipment/trips/{eqTrip}", as: "chefX",
			status: 200, contains: []string{`"state": "requested"`}, excludes: []string{"Kapad"}, unchanged: true},
		scenario{name: "alfa's return task is open", method: "GET", url: "/api/v1/equipment/return-tasks?person_id={empX1}", as: "adminA",
			status: 200, contains: []string{"{eqTask}", `"state": "open"`}, excludes: []string{"Kapad"}, unchanged: true},
		scenario{name: "alfa's item history", method: "GET", url: "/api/v1/equipment/items/{eqPC}/history", as: "adminA", status: 200,
			contains: []string{`"kind": "issued"`}, unchanged: true},
		scenario{name: "alfa's acceptance PDF waits for the signature", method: "GET", url: "/api/v1/equipment/handovers/{eqHandover}/pdf",
			as: "empX1", status: 409, unchanged: true},
		scenario{name: "alfa's return receipt", method: "GET", url: "/api/v1/equipment/returns/{eqReturn}/pdf", as: "adminA", status: 200,
			contains: []string{"%PDF"}, unchanged: true},
		scenario{name: "policy is always the caller's own", method: "GET", url: "/api/v1/policy", as: "hrB", status: 200,
			contains: []string{`"organisation_id": "{orgB}"`, `"slug": "beta"`}, excludes: []string{"{orgA}", "alfa"}, unchanged: true},
	)
	runScenarios(t, scenarios, withEquipment)

	// Models are named per organisation: beta's of alfa's name is beta's,
	// and alfa's stays as it was.
	runScenarios(t, []scenario{{name: "adminB POST /api/v1/equipment/models of alfa's name", method: "POST", url: "/api/v1/equipment/models",
		as: "adminB", body: `{"category":"computer","name":"Alfabok 14"}`, status: 201, contains: []string{`"organisation_id": "{orgB}"`},
		excludes: []string{"{eqModel}"}, check: func(t *testing.T, e *env, _ []byte) {
			var models struct {
				Items []struct{ ID, Name, OrganisationID string } `json:"items"`
			}
			e.doJSON(t, "GET", "/api/v1/equipment/models", "adminA", "", &models)
			if len(models.Items) != 1 || models.Items[0].ID != e.ids["eqModel"] || models.Items[0].Name != "Alfabok 14" {
				t.Errorf("alfa's models after beta's: %+v", models.Items)
			}
		}}}, withEquipment)
}

// TestSubtreeIsolation: the chef of Avdelning X sees X and Enhet X1 but
// nothing of Avdelning Y.
func TestSubtreeIsolation(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "person below", method: "GET", url: "/api/v1/people/{empX1}", as: "chefX", status: 200, contains: []string{"Erik Enhet"}, unchanged: true},
		{name: "person beside", method: "GET", url: "/api/v1/people/{empY}", as: "chefX", status: 404, unchanged: true},
		{name: "person above", method: "GET", url: "/api/v1/people/{adminA}", as: "chefX", status: 404, unchanged: true},
		{name: "employments beside", method: "GET", url: "/api/v1/people/{empY}/employments", as: "chefX", status: 404, unchanged: true},
		{name: "leave beside", method: "GET", url: "/api/v1/people/{empY}/leaves", as: "chefX", status: 404, unchanged: true},
		{name: "people in a unit beside", method: "GET", url: "/api/v1/people?unit_id={unitY}", as: "chefX", status: 200,
			contains: []string{`"total": 0`}, excludes: []string{"Ylva"}, unchanged: true},
		{name: "search beside", method: "GET", url: "/api/v1/people?q=Ylva", as: "chefX", status: 200,
			contains: []string{`"total": 0`}, unchanged: true},
		{name: "change someone below", method: "PATCH", url: "/api/v1/people/{empX1}", as: "chefX", body: `{"phone":"070-111 11 11"}`,
			status: 403, unchanged: true},
		{name: "colleague", method: "GET", url: "/api/v1/people/{empX1}", as: "empY", status: 404, unchanged: true},
	})
}
