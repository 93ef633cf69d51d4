package e2e

import (
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
)

// TestPresencePages runs presence.mjs: the presence pages in chromium,
// checked with axe for WCAG 2.1 AA, as a Sorsele employee and the switchboard.
func TestPresencePages(t *testing.T) {
	runScript(t, "presence.mjs",
		"DISTANS_EMPLOYEE_EMAIL="+demo.AccountEmail("sorsele", distans.RoleEmployee),
		"DISTANS_SWITCHBOARD_EMAIL="+demo.AccountEmail("sorsele", distans.RoleSwitchboard))
}
