package e2e

import (
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
	"github.com/distans/distans/internal/importer/importertest"
)

// TestImportsBrowser imports a synthetic HR export of 3,000 people into a demo organisation
// through the pages (imports.mjs): the dry run, the confirmation and the
// result, axe-clean, followed through the API with JavaScript and by
// refreshing without it.
func TestImportsBrowser(t *testing.T) {
	// Beyond the samples' size, so that the upload and the pages are
	// tried with a municipality's worth of rows.
	dir := t.TempDir()
	if _, err := importertest.Write(dir, 3000); err != nil {
		t.Fatal(err)
	}
	runScript(t, "imports.mjs",
		"DISTANS_ADMIN_EMAIL="+demo.AccountEmail("vara", distans.RoleAdmin),
		"DISTANS_IMPORT_DIR="+dir)
}
