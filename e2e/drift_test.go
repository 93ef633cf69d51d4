package e2e

import (
	"context"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
)

// TestDriftBrowser drives the installation's pages (drift.mjs): the first
// operator sets a password from the link the console printed, creates an
// organisation and suspends it, with axe-core on every page.
func TestDriftBrowser(t *testing.T) {
	runScriptWith(t, "drift.mjs", func(ctx context.Context, a *app.App) []string {
		inv, err := a.Services.Installation.CreateOperator(distans.NewContext(ctx, distans.SystemActor("")), "olle@drift.example", "Olle Drift")
		if err != nil {
			t.Fatal(err)
		}
		return []string{"DISTANS_OPERATOR_LINK=" + inv.URL}
	})
}
