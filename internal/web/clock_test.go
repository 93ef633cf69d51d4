package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/distans/distans"
)

// TestPageClock serves the pages at an instant set for the server: 22:30
// UTC on the day summer time begins, already 00:30 the next day in
// Stockholm. The status page's "today" is Stockholm's day at that instant,
// a status for the UTC day is refused as past, and one for today is saved
// and shown as today's.
func TestPageClock(t *testing.T) {
	t.Parallel()
	at := time.Date(2031, 3, 30, 22, 30, 0, 0, time.UTC)
	e := newEnvAt(t, func() time.Time { return at })
	c := e.as("sorsele", distans.RoleEmployee)

	p := c.get("/status")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "I dag (2031-03-31)")

	past := c.post("/status", url.Values{"date": {"2031-03-30"}, "kind": {"remote"}})
	wantFieldError(t, past, "date", "2031-03-30")
	mustContain(t, past, "Dagen har redan varit.")
	wantStatus(t, c.post("/status", url.Values{"date": {"2031-03-31"}, "kind": {"away"}, "reason": {"Tandläkarbesök"}}), http.StatusSeeOther)
	mustContain(t, c.get("/status"), "I dag (2031-03-31)", "Frånvarande", "Tandläkarbesök")
}
