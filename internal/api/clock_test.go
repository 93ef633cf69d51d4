package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestRequestClock serves the API at an instant set for the server: 22:30
// UTC on the day summer time begins, which is already 00:30 the next day
// in Stockholm. "Today" for every answer is Stockholm's day at that instant
// (not UTC's, not the wall clock's), and what the request writes is
// stamped with that same instant: one clock per request, from the handler
// through the presence service to the store.
func TestRequestClock(t *testing.T) {
	t.Parallel()
	at := time.Date(2031, 3, 30, 22, 30, 0, 0, time.UTC)
	e := newEnvAt(t, func() time.Time { return at })

	// Yesterday in Stockholm, though still today in UTC: refused as past.
	status, body := e.do(t, "PUT", "/api/v1/me/status", "empX1", `{"date":"2031-03-30","kind":"remote"}`)
	if status != 422 || !strings.Contains(string(body), "Dagen har redan varit.") {
		t.Fatalf("a status for 2031-03-30 at %s: %d %s, want 422 with \"Dagen har redan varit.\"", at, status, body)
	}
	// Today in Stockholm: saved, and stamped with the request's instant.
	var set struct {
		Date      string    `json:"date"`
		UpdatedAt time.Time `json:"updated_at"`
	}
	e.doJSON(t, "PUT", "/api/v1/me/status", "empX1", `{"date":"2031-03-31","kind":"remote"}`, &set)
	if set.Date != "2031-03-31" || !set.UpdatedAt.Equal(at) {
		t.Fatalf("saved status: date %s updated_at %s, want 2031-03-31 and %s", set.Date, set.UpdatedAt, at)
	}
	// Without a date, "today" is the same day.
	var got struct {
		Date string `json:"date"`
		Kind string `json:"kind"`
	}
	e.doJSON(t, "GET", "/api/v1/me/status", "empX1", "", &got)
	if got.Date != "2031-03-31" || got.Kind != "remote" {
		t.Fatalf("today's status: %+v, want remote on 2031-03-31", got)
	}
	// The audit trail of the change carries the request's instant too.
	var events struct {
		Items []struct {
			Action string    `json:"action"`
			At     time.Time `json:"at"`
		} `json:"items"`
	}
	_, b := e.do(t, "GET", "/api/v1/audit-events?action=status.set", "adminA", "")
	if err := json.Unmarshal(b, &events); err != nil {
		t.Fatalf("audit events: %v: %s", err, b)
	}
	if len(events.Items) == 0 {
		t.Fatalf("no audit event of the status: %s", b)
	}
	if ev := events.Items[0]; !ev.At.Equal(at) {
		t.Errorf("audit event %s at %s, want %s", ev.Action, ev.At, at)
	}
}
