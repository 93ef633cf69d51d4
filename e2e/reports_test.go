package e2e

import (
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
)

// TestReportsJourney runs reports.mjs in chromium with Vara's demo
// accounts: HR opens the remote-work report, drills into a unit,
// downloads it as XLSX and PDF and subscribes to it; the union
// representative sees suppressed cells and no records. axe-core checks
// every page visited.
func TestReportsJourney(t *testing.T) {
	runScript(t, "reports.mjs",
		"DISTANS_HR_EMAIL="+demo.AccountEmail("vara", distans.RoleHR),
		"DISTANS_UNION_EMAIL="+demo.AccountEmail("vara", distans.RoleUnion))
}
