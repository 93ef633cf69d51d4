package e2e

import (
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
)

// TestHomeBrowser drives the sign-in page and the start page of the
// employee, the manager and the switchboard (home.mjs) on a desktop and on
// a 375 px phone, with axe-core, against the demo organisations.
func TestHomeBrowser(t *testing.T) {
	runScript(t, "home.mjs",
		"DISTANS_EMPLOYEE_EMAIL="+demo.AccountEmail("vara", distans.RoleEmployee),
		"DISTANS_MANAGER_EMAIL="+demo.AccountEmail("vara", distans.RoleManager),
		"DISTANS_SWITCHBOARD_EMAIL="+demo.AccountEmail("vara", distans.RoleSwitchboard))
}
