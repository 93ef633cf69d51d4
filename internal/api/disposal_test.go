package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestDisposalAPI runs disposal over HTTP on the demo's Bjurholm: the
// registrator reads the plan (every type, with its period and clause),
// disposes now and finds the batches in the log, and a second disposal
// has nothing left; the security coordinator reads the plan but may not
// dispose; the employee and HR are refused; a bad limit is 422.
func TestDisposalAPI(t *testing.T) {
	t.Parallel()
	e := incidentEnv(t)
	type period struct {
		Type, How, Unit, Citation string
		Amount                    int
		SweptBy                   string `json:"swept_by"`
	}
	type item struct {
		Period      period
		Count, Held int
		Cutoff      string
	}
	var plan struct {
		At    string
		Items []item
	}
	e.doJSON(t, "GET", "/api/v1/records/disposal/plan", "reg", "", &plan)
	if len(plan.Items) != 6 || plan.At == "" {
		t.Fatalf("plan: %+v", plan)
	}
	byType := map[string]item{}
	for _, it := range plan.Items {
		byType[it.Period.Type] = it
		if it.Cutoff == "" || it.Period.Citation == "" {
			t.Errorf("incomplete item %+v", it)
		}
	}
	if a := byType["access_log"].Period; a.Amount != 90 || a.Unit != "days" || !strings.HasPrefix(a.Citation, "Dataskyddsförordningen") {
		t.Errorf("access logs: %+v", a)
	}
	if s := byType["sessions"].Period; s.SweptBy != "delete_expired_sessions" || s.Amount != 0 {
		t.Errorf("sessions: %+v", s)
	}

	type entry struct {
		Type, How string
		ActorName string `json:"actor_name"`
		Count     int
	}
	var done struct{ Entries []entry }
	e.doJSON(t, "POST", "/api/v1/records/disposal", "reg", "", &done)
	want := 0
	for _, it := range plan.Items {
		if it.Period.SweptBy == "" {
			want += it.Count
		}
	}
	got := 0
	for _, en := range done.Entries {
		got += en.Count
		if en.Type == "" || en.How == "" || en.ActorName == "" {
			t.Errorf("incomplete entry %+v", en)
		}
	}
	if got != want {
		t.Errorf("disposed of %d, the plan said %d", got, want)
	}
	var again struct{ Entries []entry }
	e.doJSON(t, "POST", "/api/v1/records/disposal", "reg", "", &again)
	if again.Entries == nil || len(again.Entries) != 0 {
		t.Errorf("second disposal: %+v", again.Entries)
	}
	var log struct{ Items []entry }
	e.doJSON(t, "GET", "/api/v1/records/disposal/log", "sec", "", &log)
	if len(log.Items) != len(done.Entries) {
		t.Errorf("log: %d entries, disposal wrote %d", len(log.Items), len(done.Entries))
	}

	e.doJSON(t, "GET", "/api/v1/records/disposal/plan", "sec", "", &plan)
	for _, tc := range []struct{ method, path, who string }{
		{"POST", "/api/v1/records/disposal", "sec"},
		{"GET", "/api/v1/records/disposal/plan", "emp"},
		{"GET", "/api/v1/records/disposal/plan", "hr"},
		{"POST", "/api/v1/records/disposal", "hr"},
		{"GET", "/api/v1/records/disposal/log", "emp"},
	} {
		if status, _ := e.do(t, tc.method, tc.path, tc.who, ""); status != http.StatusForbidden {
			t.Errorf("%s %s as %s: %d, want 403", tc.method, tc.path, tc.who, status)
		}
	}
	if status, _ := e.do(t, "GET", "/api/v1/records/disposal/plan", "", ""); status != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", status)
	}
	if status, _ := e.do(t, "GET", "/api/v1/records/disposal/log?limit=0", "reg", ""); status != http.StatusUnprocessableEntity {
		t.Errorf("limit=0: %d", status)
	}
}
