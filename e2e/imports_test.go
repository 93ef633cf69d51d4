package e2e

import (
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
	"github.com/distans/distans/internal/importer/importertest"
)

// TestImportsBrowser imports a synthetic HR export of 3,000 people into a demo organisation
// through the pages (imports.mjs): the dry run, the confirmation and the
// result, axe-clean, followed live with JavaScript and by refreshing
// without it.
func TestImportsBrowser(t *testing.T) {
	// Enough people that the apply takes a few seconds, during which the
	// page must follow it without reloading.
	dir := t.TempDir()
	if _, err := importertest.Write(dir, 3000); err != nil {
		t.Fatal(err)
	}
	runScript(t, "imports.mjs",
		"DISTANS_ADMIN_EMAIL="+demo.AccountEmail("vara", distans.RoleAdmin),
		"DISTANS_IMPORT_DIR="+dir)
}
