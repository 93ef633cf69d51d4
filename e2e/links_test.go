package e2e

import (
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
)

// TestLinksBrowser: an invitation from the person page to a password
// chosen and a signed-in start page, and the reset form (links.mjs), every
// page checked with axe-core.
func TestLinksBrowser(t *testing.T) {
	runScript(t, "links.mjs",
		"DISTANS_HR_EMAIL="+demo.AccountEmail("vara", distans.RoleHR),
		"DISTANS_EMPLOYEE_EMAIL="+demo.AccountEmail("vara", distans.RoleEmployee))
}
