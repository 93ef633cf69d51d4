package e2e

import (
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
)

// TestAgreementJourney runs agreements.mjs: the whole remote-work journey
// in chromium, from the request to the end, as the Bjurholm employee and
// their manager, with axe checking every page for WCAG 2.1 AA and the
// signed agreement's PDF read back with pdftotext.
func TestAgreementJourney(t *testing.T) {
	name := ""
	email := demo.AccountEmail("bjurholm", distans.RoleEmployee)
	for _, a := range demo.Accounts() {
		if a.Email == email {
			name = a.Name
		}
	}
	if name == "" {
		t.Fatalf("no demo account %s", email)
	}
	runScript(t, "agreements.mjs",
		"DISTANS_EMPLOYEE_EMAIL="+email,
		"DISTANS_EMPLOYEE_NAME="+name,
		"DISTANS_MANAGER_EMAIL="+demo.AccountEmail("bjurholm", distans.RoleManager))
}
