package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/distans/distans"
)

// TestSignInLog: the organisation's sign-in log for those who see the
// audit trail, one's own for everyone, nothing of another organisation's.
func TestSignInLog(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T, e *env) {
		ctx := distans.WithClient(distans.NewContext(context.Background(), distans.SystemActor(e.ids["orgA"])),
			distans.Client{Address: "192.0.2.1", UserAgent: "Testläsare/1.0"})
		_, err := e.store.RecordSignInFailure(ctx, e.ids["orgA"], e.ids["empX1"], 10, time.Now(), time.Now().Add(time.Hour))
		must(t, err)
		must(t, e.store.RecordSignInSuccess(ctx, e.ids["orgA"], e.ids["empX1"], distans.SignInPassword))
	}
	runScenarios(t, []scenario{
		{name: "the data protection officer reads the log", method: "GET", url: "/api/v1/signin-events", as: "dpoA", status: 200,
			contains: []string{`"person_id": "{empX1}"`, `"outcome": "success"`, `"method": "password"`, `"outcome": "failure"`,
				`"address": "192.0.2.1"`, `"user_agent": "Testläsare/1.0"`}, unchanged: true},
		{name: "failures only", method: "GET", url: "/api/v1/signin-events?outcome=failure&limit=1", as: "dpoA", status: 200,
			contains: []string{`"outcome": "failure"`}, excludes: []string{`"outcome": "success"`, `"next"`}, unchanged: true},
		{name: "one's own", method: "GET", url: "/api/v1/signin-events?person_id={empX1}", as: "empX1", status: 200,
			contains: []string{`"outcome": "success"`}, unchanged: true},
		{name: "the whole log as an employee", method: "GET", url: "/api/v1/signin-events", as: "empX1", status: 403, unchanged: true},
		{name: "a colleague's", method: "GET", url: "/api/v1/signin-events?person_id={empX1}", as: "empY", status: 403, unchanged: true},
		{name: "another organisation's administrator", method: "GET", url: "/api/v1/signin-events", as: "adminB", status: 200,
			excludes: []string{"{empX1}", "192.0.2.1"}, unchanged: true},
		{name: "an unknown outcome", method: "GET", url: "/api/v1/signin-events?outcome=kanske", as: "dpoA", status: 422,
			contains: []string{"success eller failure"}, unchanged: true},
		{name: "a cursor Distans did not make", method: "GET", url: "/api/v1/signin-events?after=xyz", as: "dpoA", status: 422,
			contains: []string{"Ogiltig sidmarkör"}, unchanged: true},
		{name: "days the wrong way round", method: "GET", url: "/api/v1/signin-events?from=2026-05-02&to=2026-05-01", as: "dpoA", status: 422,
			unchanged: true},
	}, setup)
}
