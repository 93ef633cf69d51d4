package api_test

import (
	"strings"
	"testing"
)

func TestUnits(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "list as an employee", method: "GET", url: "/api/v1/units", as: "empX1", status: 200,
			contains: []string{`"items"`, "Avdelning X", "Enhet X1", "{unitY}"}, excludes: []string{"{rootB}", "Förvaltning B"}, unchanged: true},
		{name: "list children", method: "GET", url: "/api/v1/units?parent_id={rootA}", as: "adminA", status: 200,
			contains: []string{"{unitX}", "{unitY}"}, excludes: []string{"{unitX1}"}, unchanged: true},
		{name: "list with a bad boolean", method: "GET", url: "/api/v1/units?include_ended=kanske", as: "adminA", status: 422,
			contains: []string{`"code": "invalid"`, `"field": "include_ended"`, "Ange true eller false."}, unchanged: true},
		{name: "get", method: "GET", url: "/api/v1/units/{unitX1}", as: "empY", status: 200,
			contains: []string{`"name": "Enhet X1"`, `"kind": "enhet"`, `"parent_id": "{unitX}"`}, unchanged: true},
		{name: "get missing", method: "GET", url: "/api/v1/units/nope", as: "adminA", status: 404,
			contains: []string{`"code": "not_found"`}, unchanged: true},
		{name: "create", method: "POST", url: "/api/v1/units", as: "adminA",
			body:   `{"parent_id":"{unitY}","name":" Enhet Y1 ","kind":"enhet"}`,
			status: 201, contains: []string{`"name": "Enhet Y1"`, `"parent_id": "{unitY}"`, `"organisation_id": "{orgA}"`},
			check: func(t *testing.T, e *env, body []byte) {
				status, b := e.do(t, "GET", "/api/v1/units?parent_id={unitY}", "empX1", "")
				if status != 200 || !strings.Contains(string(b), "Enhet Y1") {
					t.Errorf("the new unit is not listed: %d %s", status, b)
				}
			}},
		{name: "create with a manager", method: "POST", url: "/api/v1/units", as: "adminA",
			body: `{"parent_id":"{unitY}","name":"Enhet Y2","kind":"enhet","manager_id":"{empY}"}`, status: 201,
			contains: []string{`"manager_id": "{empY}"`}},
		{name: "create with a code", method: "POST", url: "/api/v1/units", as: "adminA",
			body: `{"parent_id":"{unitY}","name":"Enhet Y3","kind":"enhet","code":" Y3 "}`, status: 201,
			contains: []string{`"code": "Y3"`},
			check: func(t *testing.T, e *env, body []byte) {
				status, b := e.do(t, "POST", "/api/v1/units", "adminA", `{"parent_id":"{unitY}","name":"Enhet Y4","kind":"enhet","code":"Y3"}`)
				if status != 409 || !strings.Contains(string(b), "Koden används redan av en annan enhet.") || !strings.Contains(string(b), `"field": "code"`) {
					t.Errorf("a second unit with the code: %d %s", status, b)
				}
				status, b = e.do(t, "PATCH", "/api/v1/units/{unitX}", "adminA", `{"code":"Y3"}`)
				if status != 409 {
					t.Errorf("another unit given the code: %d %s", status, b)
				}
				status, b = e.do(t, "PATCH", "/api/v1/units/{unitX}", "adminA", `{"code":"X"}`)
				if status != 200 || !strings.Contains(string(b), `"code": "X"`) {
					t.Errorf("a code of its own: %d %s", status, b)
				}
			}},
		{name: "create without the permission", method: "POST", url: "/api/v1/units", as: "hrA",
			body: `{"name":"Ny","kind":"enhet"}`, status: 403, contains: []string{`"code": "forbidden"`, "behörighet"}, unchanged: true},
		{name: "create in another organisation's unit", method: "POST", url: "/api/v1/units", as: "adminA",
			body: `{"parent_id":"{rootB}","name":"Ny","kind":"enhet"}`, status: 422, unchanged: true},
		{name: "create with a missing name and a bad kind", method: "POST", url: "/api/v1/units", as: "adminA",
			body: `{"kind":"sektion"}`, status: 422,
			contains: []string{`"field": "name"`, "Fältet måste fyllas i.", `"field": "kind"`, `"message_en": "This field is required."`}, unchanged: true},
		{name: "create setting the id", method: "POST", url: "/api/v1/units", as: "adminA",
			body: `{"id":"mine","name":"Ny","kind":"enhet"}`, status: 422, contains: []string{"Okänt fält: id."}, unchanged: true},
		{name: "create setting the organisation", method: "POST", url: "/api/v1/units", as: "adminA",
			body: `{"organisation_id":"{orgB}","name":"Ny","kind":"enhet"}`, status: 422, contains: []string{"Okänt fält: organisation_id."}, unchanged: true},
		{name: "update", method: "PATCH", url: "/api/v1/units/{unitY}", as: "adminA", body: `{"name":"Avdelning Ypsilon"}`, status: 200,
			contains: []string{`"name": "Avdelning Ypsilon"`, `"kind": "avdelning"`, `"parent_id": "{rootA}"`}},
		{name: "update with a blank name", method: "PATCH", url: "/api/v1/units/{unitY}", as: "adminA", body: `{"name":"  "}`, status: 422,
			contains: []string{`"field": "name"`}, unchanged: true},
		{name: "update without the permission", method: "PATCH", url: "/api/v1/units/{unitY}", as: "chefX", body: `{"name":"Z"}`, status: 403, unchanged: true},
		{name: "update setting created_at", method: "PATCH", url: "/api/v1/units/{unitY}", as: "adminA", body: `{"created_at":"2020-01-01T00:00:00Z"}`,
			status: 422, contains: []string{"Okänt fält: created_at."}, unchanged: true},
		{name: "end", method: "POST", url: "/api/v1/units/{unitZ}/end", as: "adminA", body: `{"ended_on":"2030-06-30"}`, status: 200,
			contains: []string{`"ended_on": "2030-06-30"`}},
		{name: "end a unit with people after the date", method: "POST", url: "/api/v1/units/{unitX1}/end", as: "adminA", body: `{"ended_on":"2030-06-30"}`,
			status: 422, contains: []string{"Avsluta eller flytta dem först."}, unchanged: true},
		{name: "end with an impossible date", method: "POST", url: "/api/v1/units/{unitY}/end", as: "adminA", body: `{"ended_on":"2025-02-30"}`,
			status: 422, contains: []string{`"field": "ended_on"`, "Ange datumet som ÅÅÅÅ-MM-DD"}, unchanged: true},
		{name: "end with a timestamp", method: "POST", url: "/api/v1/units/{unitY}/end", as: "adminA", body: `{"ended_on":"2025-02-03T00:00:00Z"}`,
			status: 422, contains: []string{"Ange datumet som ÅÅÅÅ-MM-DD"}, unchanged: true},
		{name: "end with a number for a date", method: "POST", url: "/api/v1/units/{unitY}/end", as: "adminA", body: `{"ended_on":20250203}`,
			status: 422, contains: []string{"Fältet har fel typ."}, unchanged: true},
		{name: "end without a date", method: "POST", url: "/api/v1/units/{unitY}/end", as: "adminA", body: `{}`,
			status: 422, contains: []string{`"field": "ended_on"`, "Ange ett datum"}, unchanged: true},
		{name: "end without a body", method: "POST", url: "/api/v1/units/{unitY}/end", as: "adminA",
			status: 422, contains: []string{"Innehållet saknas."}, unchanged: true},
	})
}

func TestSites(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "list", method: "GET", url: "/api/v1/sites", as: "empY", status: 200,
			contains: []string{"Stadshuset A", `"postal_code": "123 45"`}, excludes: []string{"Stadshuset B", "{siteB}"}, unchanged: true},
		{name: "get", method: "GET", url: "/api/v1/sites/{siteA}", as: "empY", status: 200, contains: []string{`"kind": "main"`}, unchanged: true},
		{name: "create", method: "POST", url: "/api/v1/sites", as: "adminA",
			body: `{"name":"Satelliten","kind":"satellite","street":"Bygatan 2","postal_code":"12345","city":"Byn"}`, status: 201,
			contains: []string{`"name": "Satelliten"`, `"kind": "satellite"`, `"organisation_id": "{orgA}"`}},
		{name: "create with a code", method: "POST", url: "/api/v1/sites", as: "adminA",
			body: `{"name":"Skolan","kind":"main","code":"AP1"}`, status: 201, contains: []string{`"code": "AP1"`},
			check: func(t *testing.T, e *env, body []byte) {
				status, b := e.do(t, "PATCH", "/api/v1/sites/{siteA}", "adminA", `{"code":"AP1"}`)
				if status != 409 || !strings.Contains(string(b), "Koden används redan av en annan arbetsplats.") {
					t.Errorf("another site given the code: %d %s", status, b)
				}
			}},
		{name: "create with a bad postal code and kind", method: "POST", url: "/api/v1/sites", as: "adminA",
			body: `{"name":"S","kind":"home","postal_code":"1234"}`, status: 422,
			contains: []string{`"field": "postal_code"`, "fem siffror", `"field": "kind"`}, unchanged: true},
		{name: "create without the permission", method: "POST", url: "/api/v1/sites", as: "hrA",
			body: `{"name":"S","kind":"main"}`, status: 403, unchanged: true},
		{name: "update", method: "PATCH", url: "/api/v1/sites/{siteA}", as: "adminA", body: `{"city":"Nystad"}`, status: 200,
			contains: []string{`"city": "Nystad"`, `"name": "Stadshuset A"`}},
		{name: "update with the wrong type", method: "PATCH", url: "/api/v1/sites/{siteA}", as: "adminA", body: `{"name":["a"]}`, status: 422,
			contains: []string{"Fältet har fel typ.", `"field": "name"`}, unchanged: true},
		{name: "end", method: "POST", url: "/api/v1/sites/{siteA}/end", as: "adminA", body: `{"ended_on":"2031-01-31"}`, status: 200,
			contains: []string{`"ended_on": "2031-01-31"`},
			check: func(t *testing.T, e *env, _ []byte) {
				_, b := e.do(t, "GET", "/api/v1/sites?include_ended=true", "adminA", "")
				if !strings.Contains(string(b), "2031-01-31") {
					t.Errorf("ended site missing with include_ended: %s", b)
				}
			}},
		{name: "end with a bad date", method: "POST", url: "/api/v1/sites/{siteA}/end", as: "adminA", body: `{"ended_on":"31/01/2031"}`,
			status: 422, contains: []string{"ÅÅÅÅ-MM-DD"}, unchanged: true},
	})
}
