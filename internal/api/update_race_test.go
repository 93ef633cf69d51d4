package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentPatches: two PATCHes of different fields of one record,
// sent at once, both stand, for every resource that has one; a PATCH that
// names the updated_at (or version) it read is refused with 409 once the
// record has moved on, and changes nothing.
func TestConcurrentPatches(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		method   string
		url      string // PATCH (or POST) here
		get      string // and read back here
		a, b     string // bodies: %d is the round, %s a value that changes with it (roundValue)
		wantA    string // in the body read back, the same
		wantB    string
		stale    string // a body with the stamp of the first read, %s
		stampKey string // "updated_at" or "version"
	}{
		{name: "site", method: "PATCH", url: "/api/v1/sites/{siteA}", get: "/api/v1/sites/{siteA}",
			a: `{"name":"Plats %d"}`, b: `{"city":"Stad %d"}`, wantA: `"name": "Plats %d"`, wantB: `"city": "Stad %d"`,
			stale: `{"name":"Gammal","updated_at":%s}`, stampKey: "updated_at"},
		{name: "unit", method: "PATCH", url: "/api/v1/units/{unitY}", get: "/api/v1/units/{unitY}",
			a: `{"name":"Avdelning %d"}`, b: `{"kind":"%s"}`, wantA: `"name": "Avdelning %d"`, wantB: `"kind": "%s"`,
			stale: `{"name":"Gammal","updated_at":%s}`, stampKey: "updated_at"},
		{name: "person", method: "PATCH", url: "/api/v1/people/{empY}", get: "/api/v1/people/{empY}",
			a: `{"phone":"0932-1%04d"}`, b: `{"employee_number":"A-%d"}`, wantA: `"phone": "0932-1%04d"`, wantB: `"employee_number": "A-%d"`,
			stale: `{"name":"Gammal","updated_at":%s}`, stampKey: "updated_at"},
		{name: "organisation", method: "PATCH", url: "/api/v1/organisation", get: "/api/v1/organisation",
			a: `{"name":"Kommun %d"}`, b: `{"time_zone":"%s"}`, wantA: `"name": "Kommun %d"`, wantB: `"time_zone": "%s"`,
			stale: `{"name":"Gammal","updated_at":%s}`, stampKey: "updated_at"},
		{name: "document", method: "POST", url: "/api/v1/documents/{docA}/versions", get: "/api/v1/documents/{docA}",
			a: `{"title":"Riktlinjer %d","body":"Ny titel."}`, b: `{"unit_id":"%s","body":"Ny räckvidd."}`,
			wantA: `"title": "Riktlinjer %d"`, wantB: `"unit_id": "%s"`,
			stale: `{"title":"Gammal","body":"B","version":%s}`, stampKey: "version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			status, first := e.do(t, "GET", tc.get, "adminA", "")
			if status != 200 {
				t.Fatalf("GET %s: %d %s", tc.get, status, first)
			}
			var read map[string]json.RawMessage
			if err := json.Unmarshal(first, &read); err != nil || read[tc.stampKey] == nil {
				t.Fatalf("no %s in %s: %v", tc.stampKey, first, err)
			}
			for round := range 8 {
				var wg sync.WaitGroup
				statuses := make([]int, 2)
				bodies := make([][]byte, 2)
				start := make(chan struct{})
				for k, body := range []string{tc.a, tc.b} {
					wg.Go(func() {
						<-start
						statuses[k], bodies[k] = e.do(t, tc.method, tc.url, "adminA", roundText(e, tc.name, body, round))
					})
				}
				close(start)
				wg.Wait()
				for k := range statuses {
					if statuses[k] >= 300 {
						t.Fatalf("round %d, change %d: %d %s", round, k, statuses[k], bodies[k])
					}
				}
				_, got := e.do(t, "GET", tc.get, "adminA", "")
				for _, want := range []string{tc.wantA, tc.wantB} {
					if w := roundText(e, tc.name, want, round); !strings.Contains(string(got), w) {
						t.Fatalf("round %d: %s lacks %s: a change was lost", round, got, w)
					}
				}
			}
			status, b := e.do(t, tc.method, tc.url, "adminA", fmt.Sprintf(tc.stale, read[tc.stampKey]))
			if status != 409 || !strings.Contains(string(b), `"code": "conflict"`) {
				t.Fatalf("a change on the first read: %d %s, want 409", status, b)
			}
			if _, got := e.do(t, "GET", tc.get, "adminA", ""); strings.Contains(string(got), "Gammal") {
				t.Fatalf("the refused change was saved: %s", got)
			}
		})
	}
}

// roundText fills in a body or an expected text of TestConcurrentPatches:
// %d is the round; %s a value of the resource that changes every round
// (a unit's kind, a document's unit, the organisation's time zone).
func roundText(e *env, resource, text string, round int) string {
	values := map[string][2]string{"unit": {"avdelning", "enhet"}, "document": {"{unitX}", "{unitY}"},
		"organisation": {"Europe/Helsinki", "Europe/Stockholm"}}
	if strings.Contains(text, "%s") {
		text = strings.Replace(text, "%s", values[resource][round%2], 1)
	}
	if strings.Contains(text, "%") {
		text = fmt.Sprintf(text, round)
	}
	return e.expand(text)
}
