package e2e

import (
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
)

// TestOfficeBrowser drives the hybrid-office pages (office.mjs) through a
// real browser with axe-core, against the demo organisations.
func TestOfficeBrowser(t *testing.T) {
	runScript(t, "office.mjs",
		"DISTANS_ADMIN_EMAIL="+demo.AccountEmail("vara", distans.RoleAdmin),
		"DISTANS_EMPLOYEE_EMAIL="+demo.AccountEmail("vara", distans.RoleEmployee),
		"DISTANS_MANAGER_EMAIL="+demo.AccountEmail("vara", distans.RoleManager))
}
