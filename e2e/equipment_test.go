package e2e

import (
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
)

// TestEquipmentJourney runs equipment.mjs in chromium with Sorsele's demo
// accounts (its pack has the four steps of 004 §8.1): IT issues a phone and
// a computer, the person accepts with the password again, reports the
// phone lost, IT blocks the SIM, the police report is attached, the
// incident links back, the manager assesses; the acceptance PDF is read
// back with pdftotext; axe-core checks every page visited.
func TestEquipmentJourney(t *testing.T) {
	runScript(t, "equipment.mjs",
		"DISTANS_EMPLOYEE_EMAIL="+demo.AccountEmail("sorsele", distans.RoleEmployee),
		"DISTANS_MANAGER_EMAIL="+demo.AccountEmail("sorsele", distans.RoleManager),
		"DISTANS_IT_EMAIL="+demo.AccountEmail("sorsele", distans.RoleIT))
}
