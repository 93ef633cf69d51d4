package api_test

import "testing"

func TestAvailability(t *testing.T) {
	t.Parallel()
	runScenarios(t, []scenario{
		{name: "set my status", method: "PUT", url: "/api/v1/me/status", as: "empX1", body: `{"date":"{day}","kind":"away","reason":"sjuk"}`,
			status: 200, contains: []string{`"kind": "away"`, `"date": "{day}"`}},
		{name: "a day in the past", method: "PUT", url: "/api/v1/me/status", as: "empX1", body: `{"date":"{past}","kind":"remote"}`,
			status: 422, contains: []string{"redan varit"}, unchanged: true},
		{name: "a return time before now", method: "PUT", url: "/api/v1/me/redirect", as: "empX1",
			body: `{"text":"i möte","until":"2000-01-01T13:00:00Z","target":"voicemail"}`, status: 422, contains: []string{"passerat"}, unchanged: true},
		{name: "no status set", method: "GET", url: "/api/v1/me/status?date={day}", as: "empX1", status: 404, unchanged: true},
		{name: "status without a token", method: "GET", url: "/api/v1/me/status", status: 401, unchanged: true},
		{name: "no redirect", method: "GET", url: "/api/v1/me/redirect", as: "empX1", status: 404, unchanged: true},
		{name: "phone hours overlap", method: "PUT", url: "/api/v1/me/phone-hours", as: "empX1",
			body:   `{"sessions":[{"weekday":"mon","start":"09:00","end":"11:00"},{"weekday":"mon","start":"10:00","end":"12:00"}]}`,
			status: 422, contains: []string{"överlappar"}, unchanged: true},
		{name: "on-call list", method: "GET", url: "/api/v1/on-call", as: "empX1", status: 200, contains: []string{`"items": []`}, unchanged: true},
		{name: "on-call phone in another organisation's unit", method: "POST", url: "/api/v1/on-call-phones", as: "adminB",
			body: `{"unit_id":"{unitX}","name":"Jour","number":"090-123 45"}`, status: 422, contains: []string{"Enheten finns inte."}, unchanged: true},
		{name: "directory", method: "GET", url: "/api/v1/directory?q=erik", as: "empY", status: 200, contains: []string{"Erik Enhet", `"total": 1`}, unchanged: true},
		{name: "directory of another organisation", method: "GET", url: "/api/v1/directory?q=erik", as: "empB", status: 200,
			contains: []string{`"total": 0`}, excludes: []string{"Erik"}, unchanged: true},
		{name: "directory limit", method: "GET", url: "/api/v1/directory?limit=0", as: "empY", status: 422, unchanged: true},
		{name: "my keywords", method: "PUT", url: "/api/v1/me/directory-profile", as: "empX1", body: `{"keywords":["bygglov","Bygglov"," "]}`,
			status: 200, contains: []string{`"keywords": [`, `"bygglov"`}, excludes: []string{`"Bygglov"`}},
		{name: "status of someone in another organisation", method: "GET", url: "/api/v1/people/{empX1}/status", as: "hrB", status: 404, unchanged: true},
	}, withOffice)

	// Others never see the reason.
	runScenarios(t, []scenario{
		{name: "HR sees the status without the reason", method: "GET", url: "/api/v1/people/{empX1}/status?date={day}", as: "hrA", status: 200,
			contains: []string{`"kind": "away"`}, excludes: []string{"sjuk", "reason"}, unchanged: true},
	}, withOffice, func(t *testing.T, e *env) {
		if status, body := e.do(t, "PUT", "/api/v1/me/status", "empX1", `{"date":"{day}","kind":"away","reason":"sjuk"}`); status != 200 {
			t.Fatalf("set status: %d %s", status, body)
		}
	})
}
