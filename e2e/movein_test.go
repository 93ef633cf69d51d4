package e2e

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
)

// TestMoveInJourney is a municipality's first day (movein.mjs): the
// installation's administrator creates the organisation, its administrator
// accepts the invitation and imports examples/ with the dry run first, and
// an imported person signs in after choosing a password from their link,
// with axe-core on every page.
func TestMoveInJourney(t *testing.T) {
	examples, err := filepath.Abs("../examples")
	if err != nil {
		t.Fatal(err)
	}
	runScriptWith(t, "movein.mjs", func(ctx context.Context, a *app.App) []string {
		inv, err := a.Services.Installation.CreateOperator(distans.NewContext(ctx, distans.SystemActor("")), "drift@distans.example", "Dag Drift")
		if err != nil {
			t.Fatal(err)
		}
		return []string{"DISTANS_OPERATOR_LINK=" + inv.URL, "DISTANS_IMPORT_DIR=" + examples}
	})
}
