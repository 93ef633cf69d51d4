package api_test

import (
	"strings"
	"testing"
)

func TestRoleAssignments(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "list", method: "GET", url: "/api/v1/role-assignments?role=chef", as: "adminA", status: 200,
			contains: []string{`"person_id": "{chefX}"`, `"unit_id": "{unitX}"`}, excludes: []string{`"role": "hr"`}, unchanged: true},
		{name: "list by person", method: "GET", url: "/api/v1/role-assignments?person_id={hrA}", as: "adminA", status: 200,
			contains: []string{`"role": "hr"`}, excludes: []string{"{chefX}"}, unchanged: true},
		{name: "list an unknown role", method: "GET", url: "/api/v1/role-assignments?role=kung", as: "adminA", status: 422,
			contains: []string{"Okänd roll."}, unchanged: true},
		{name: "list as other organisation", method: "GET", url: "/api/v1/role-assignments", as: "adminB", status: 200,
			excludes: []string{"{chefX}", "{orgA}"}, unchanged: true},
		{name: "assign", method: "POST", url: "/api/v1/role-assignments", as: "adminA",
			body: `{"person_id":"{empY}","role":"vaxel"}`, status: 201, contains: []string{`"role": "vaxel"`, `"person_id": "{empY}"`}},
		{name: "assign in a unit", method: "POST", url: "/api/v1/role-assignments", as: "adminA",
			body: `{"person_id":"{empY}","role":"chef","unit_id":"{unitZ}"}`, status: 201, contains: []string{`"unit_id": "{unitZ}"`}},
		{name: "assign twice", method: "POST", url: "/api/v1/role-assignments", as: "adminA",
			body: `{"person_id":"{hrA}","role":"hr"}`, status: 409, unchanged: true},
		{name: "assign without the permission", method: "POST", url: "/api/v1/role-assignments", as: "hrA",
			body: `{"person_id":"{empY}","role":"hr"}`, status: 403, unchanged: true},
		{name: "assign an unknown role", method: "POST", url: "/api/v1/role-assignments", as: "adminA",
			body: `{"person_id":"{empY}","role":"kung"}`, status: 422, contains: []string{`"field": "role"`}, unchanged: true},
		{name: "assign to another organisation's person", method: "POST", url: "/api/v1/role-assignments", as: "adminA",
			body: `{"person_id":"{empB}","role":"hr"}`, status: 422, contains: []string{`"field": "person_id"`}, unchanged: true},
		{name: "assign setting ended_at", method: "POST", url: "/api/v1/role-assignments", as: "adminA",
			body: `{"person_id":"{empY}","role":"hr","ended_at":null}`, status: 422, contains: []string{"Okänt fält: ended_at."}, unchanged: true},
		{name: "end a missing assignment", method: "POST", url: "/api/v1/role-assignments/x/end", as: "adminA", status: 404, unchanged: true},
	})
}

func TestRoleAssignmentFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var ra struct{ ID string }
	e.doJSON(t, "POST", "/api/v1/role-assignments", "adminA", `{"person_id":"{empY}","role":"registrator"}`, &ra)
	if status, b := e.do(t, "POST", "/api/v1/role-assignments/"+ra.ID+"/end", "adminB", ""); status != 404 {
		t.Errorf("other organisation ends the role: %d %s", status, b)
	}
	if status, b := e.do(t, "POST", "/api/v1/role-assignments/"+ra.ID+"/end", "adminA", ""); status != 204 {
		t.Errorf("end role: %d %s", status, b)
	}
	_, b := e.do(t, "GET", "/api/v1/role-assignments?person_id={empY}", "adminA", "")
	if strings.Contains(string(b), ra.ID) {
		t.Errorf("ended role still listed: %s", b)
	}
	_, b = e.do(t, "GET", "/api/v1/role-assignments?person_id={empY}&include_ended=true", "adminA", "")
	if !strings.Contains(string(b), ra.ID) || !strings.Contains(string(b), "ended_at") {
		t.Errorf("ended role missing with include_ended: %s", b)
	}
}

func TestAuditEvents(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "list as data protection officer", method: "GET", url: "/api/v1/audit-events?limit=500", as: "dpoA", status: 200,
			contains: []string{`"action": "person.create"`, `"organisation_id": "{orgA}"`, `"hash"`}, excludes: []string{"{orgB}"}, unchanged: true},
		{name: "list as administrator of the other organisation", method: "GET", url: "/api/v1/audit-events?limit=1000", as: "adminB", status: 200,
			contains: []string{`"organisation_id": "{orgB}"`}, excludes: []string{"{orgA}", "Erik Enhet"}, unchanged: true},
		{name: "filter", method: "GET", url: "/api/v1/audit-events?action=unit.&record_id={unitX}", as: "adminA", status: 200,
			contains: []string{`"record_id": "{unitX}"`}, excludes: []string{"person.create"}, unchanged: true},
		{name: "days", method: "GET", url: "/api/v1/audit-events?from=2000-01-01&to=2000-12-31", as: "adminA", status: 200,
			contains: []string{`"items": []`}, unchanged: true},
		{name: "page", method: "GET", url: "/api/v1/audit-events?limit=2", as: "adminA", status: 200,
			contains: []string{`"next_before_seq"`}, unchanged: true},
		{name: "bad parameters", method: "GET", url: "/api/v1/audit-events?from=igår&limit=5000&before_seq=x", as: "adminA", status: 422,
			contains: []string{`"field": "from"`, "ÅÅÅÅ-MM-DD", `"field": "limit"`, `"field": "before_seq"`}, unchanged: true},
		{name: "to before from", method: "GET", url: "/api/v1/audit-events?from=2025-02-01&to=2025-01-01", as: "adminA", status: 422,
			contains: []string{`"field": "to"`}, unchanged: true},
		{name: "as employee", method: "GET", url: "/api/v1/audit-events", as: "empX1", status: 403, unchanged: true},
		{name: "as HR", method: "GET", url: "/api/v1/audit-events", as: "hrA", status: 403, unchanged: true},
	})
}
