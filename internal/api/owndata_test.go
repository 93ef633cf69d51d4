package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// TestOwnDataAPI: the employee asks for their own data and gets it, as
// JSON holding their agreement (its remote place included) and their
// training completion and nothing of anyone else's, and as a PDF; a
// colleague elsewhere, the union and another organisation are answered
// 404 for the request, its export and the person's requests; HR in scope
// asks for the employee on their behalf and downloads it; HR's open
// requests are empty once everything is delivered.
func TestOwnDataAPI(t *testing.T) {
	t.Parallel()
	e := trainingEnv(t)
	now := time.Now()
	e.ids["start"] = now.AddDate(0, 0, 14).Format(time.DateOnly)
	e.ids["end"] = now.AddDate(0, 2, 0).Format(time.DateOnly)
	for _, sc := range []scenario{
		{name: "the employee's agreement", method: "POST", url: "/api/v1/agreements", as: "emp",
			body: `{"days_per_week":2,"place":"Hemvägen 3, 291 31 Kristianstad","start":"{start}","end":"{end}",
				"tasks":"Handläggning av ärenden","reasons":"Lång pendling"}`, status: 201},
		{name: "the employee's training", method: "POST", url: "/api/v1/training/completions", as: "emp",
			body: `{"course_id":"disa","completed_on":"{today}"}`, status: 201},
		{name: "a colleague's training", method: "POST", url: "/api/v1/training/completions", as: "sec",
			body: `{"course_id":"disa","completed_on":"{today}"}`, status: 201},
		{name: "no requests yet", method: "GET", url: "/api/v1/me/data-requests", as: "emp", status: 200,
			contains: []string{`"items": []`}, unchanged: true},
		{name: "a colleague asks for the employee's data", method: "POST", url: "/api/v1/people/{emp}/data-requests", as: "sec",
			status: 404, unchanged: true},
		{name: "the union asks for it", method: "POST", url: "/api/v1/people/{emp}/data-requests", as: "union",
			status: 404, unchanged: true},
		{name: "the manager asks for it", method: "POST", url: "/api/v1/people/{emp}/data-requests", as: "chef",
			status: 404, unchanged: true},
		{name: "another organisation's HR asks for it", method: "POST", url: "/api/v1/people/{emp}/data-requests", as: "bjHR",
			status: 404, unchanged: true},
		{name: "nor lists the requests", method: "GET", url: "/api/v1/people/{emp}/data-requests", as: "bjHR",
			status: 404, unchanged: true},
		{name: "without a token", method: "POST", url: "/api/v1/me/data-requests", status: 401, unchanged: true},
	} {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, e) })
	}

	var mine struct {
		ID    string `json:"id"`
		DueOn string `json:"due_on"`
	}
	e.doJSON(t, "POST", "/api/v1/me/data-requests", "emp", "", &mine)
	stockholm, _ := time.LoadLocation("Europe/Stockholm")
	y, m, d := now.In(stockholm).Date()
	if due := distans.DataRequestDue(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)); mine.ID == "" || mine.DueOn != due.Format(time.DateOnly) {
		t.Fatalf("request: %+v", mine)
	}
	e.ids["req"] = mine.ID
	var byHR struct {
		ID          string `json:"id"`
		DeliveredAt string `json:"delivered_at"`
	}
	e.doJSON(t, "POST", "/api/v1/people/{emp}/data-requests", "hr", "", &byHR)
	if byHR.DeliveredAt == "" {
		t.Fatalf("HR's request not delivered: %+v", byHR)
	}
	e.ids["hrreq"] = byHR.ID

	for _, sc := range []scenario{
		{name: "my requests", method: "GET", url: "/api/v1/me/data-requests", as: "emp", status: 200,
			contains: []string{"{req}", "{hrreq}", `"due_on"`, `"delivered_at"`}, unchanged: true},
		{name: "the request", method: "GET", url: "/api/v1/data-requests/{req}", as: "emp", status: 200,
			contains: []string{`"person_id": "{emp}"`}, unchanged: true},
		{name: "my data as JSON", method: "GET", url: "/api/v1/data-requests/{req}/export.json", as: "emp", status: 200,
			contains: []string{`"key": "agreements"`, "Hemvägen 3, 291 31 Kristianstad", `"key": "training_completions"`,
				`"course_id": "disa"`, `"completed_on": "{today}"`, `"id": "{emp}"`, `"key": "audit_events"`},
			excludes: []string{"{sec}", "password_hash\":", "token_hash\":"},
			check: func(t *testing.T, e *env, body []byte) {
				// The colleague's completion is not there: exactly one disa.
				if n := strings.Count(string(body), `"course_id": "disa"`); n != 1 {
					t.Errorf("%d completions of disa in the export", n)
				}
			}},
		{name: "my data as PDF", method: "GET", url: "/api/v1/data-requests/{req}/export.pdf", as: "emp", status: 200,
			contains: []string{"%PDF-"}},
		{name: "a colleague's download", method: "GET", url: "/api/v1/data-requests/{req}/export.json", as: "sec", status: 404, unchanged: true},
		{name: "a colleague's look", method: "GET", url: "/api/v1/data-requests/{req}", as: "sec", status: 404, unchanged: true},
		{name: "the union's download", method: "GET", url: "/api/v1/data-requests/{req}/export.pdf", as: "union", status: 404, unchanged: true},
		{name: "another organisation's download", method: "GET", url: "/api/v1/data-requests/{req}/export.json", as: "bjHR", status: 404, unchanged: true},
		{name: "another organisation's delivery", method: "POST", url: "/api/v1/data-requests/{req}/deliver", as: "bjHR", status: 404, unchanged: true},
		{name: "HR downloads the employee's data", method: "GET", url: "/api/v1/data-requests/{hrreq}/export.json", as: "hr", status: 200,
			contains: []string{"Hemvägen 3, 291 31 Kristianstad", `"course_id": "disa"`}, excludes: []string{"{sec}"}},
		{name: "HR lists the employee's requests", method: "GET", url: "/api/v1/people/{emp}/data-requests", as: "hr", status: 200,
			contains: []string{"{req}", "{hrreq}"}, unchanged: true},
		{name: "HR's open requests", method: "GET", url: "/api/v1/data-requests/open", as: "hr", status: 200,
			contains: []string{`"items": []`}, unchanged: true},
		{name: "the employee has no open view", method: "GET", url: "/api/v1/data-requests/open", as: "emp", status: 200,
			contains: []string{`"items": []`}, unchanged: true},
	} {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, e) })
	}
}
