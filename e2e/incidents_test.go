package e2e

import (
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
)

// TestIncidentJourney runs incidents.mjs: a personal-data incident in
// chromium from the employee's report through the coordinator's triage,
// the DPO's risk assessment, the notification to IMY with its PDF and a
// supplement, the clocks and a measure, to the close, with axe checking
// every page for WCAG 2.1 AA.
func TestIncidentJourney(t *testing.T) {
	runScript(t, "incidents.mjs",
		"DISTANS_EMPLOYEE_EMAIL="+demo.AccountEmail("bjurholm", distans.RoleEmployee),
		"DISTANS_MANAGER_EMAIL="+demo.AccountEmail("bjurholm", distans.RoleManager),
		"DISTANS_COORDINATOR_EMAIL="+demo.AccountEmail("bjurholm", distans.RoleSecurity),
		"DISTANS_DPO_EMAIL="+demo.AccountEmail("bjurholm", distans.RoleDPO))
}
