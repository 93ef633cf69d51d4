package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/distans/distans"
)

// TestSearchBounded: every search, page and API alike, takes up to
// distans.MaxSearchLength characters and refuses more with a message that
// says the limit. SQLite used to answer 500 from 49,999 characters on.
func TestSearchBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.as("vara", distans.RoleAdmin)
	ok := strings.Repeat("å", distans.MaxSearchLength)
	for _, path := range []string{"/audit", "/directory", "/people", "/agreements",
		"/api/v1/audit-events", "/api/v1/directory", "/api/v1/people", "/api/v1/agreements"} {
		for _, tt := range []struct {
			q      string
			status int
		}{
			{ok, http.StatusOK},
			{ok + "a", http.StatusUnprocessableEntity},
			{strings.Repeat("%a", 25_000), http.StatusUnprocessableEntity},
		} {
			p := c.get(path + "?q=" + url.QueryEscape(tt.q))
			if p.status != tt.status {
				t.Errorf("%s with %d characters: status %d, want %d\n%.300s", path, len([]rune(tt.q)), p.status, tt.status, text(p.body))
				continue
			}
			if tt.status != http.StatusOK && !strings.Contains(p.body, "200 tecken") {
				t.Errorf("%s: the answer does not name the limit:\n%.500s", path, text(p.body))
			}
			if strings.HasPrefix(path, "/api/") == strings.Contains(p.body, "<html") {
				t.Errorf("%s: answered %.100s", path, p.body)
			}
		}
	}
}
