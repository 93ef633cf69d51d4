package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestEquipmentImport runs `distans equipment import`: a file with a bad
// row is refused with the row and column in Swedish and nothing saved; a
// dry run saves nothing; the import registers every row.
func TestEquipmentImport(t *testing.T) {
	t.Parallel()
	db, orgID := importDB(t)
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	storetest.NewUnit(t, s, orgID, "", "IT-enheten", distans.UnitSection)
	s.Close()

	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("utrustning.csv", "Typ;Serienummer;Inventarienummer;Nummer;Enhet;Inköpsdatum\n"+
		"Dator;PF4X0001;D-0001;;IT-enheten;2026-01-15\n"+
		"Mobiltelefon;352000000000011;M-0001;;IT-enheten;2026-01-15\n"+
		"SIM-kort;89460000000000011;S-0001;070-555 01 01;IT-enheten;\n")
	bad := write("fel.csv", "Typ;Serienummer;Inventarienummer;Enhet\nDator;PF4X0002;D-0002;IT-enheten\nKylskåp;K1;K-1;IT-enheten\n")
	run := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, append([]string{"equipment", "import", "-db", db}, args...), func(string) string { return "" }, nil, &out, &errOut)
		return out.String() + errOut.String(), err
	}
	count := func() int {
		s, err := sqlstore.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		items, err := s.ListEquipmentItems(storetest.System(orgID), distans.EquipmentFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return len(items)
	}

	out, err := run("-org", "exempelby", bad)
	if ee, ok := err.(*exitError); !ok || ee.code != 1 || !strings.Contains(out, "rad 3") {
		t.Fatalf("a bad row: %v\n%s", err, out)
	}
	if n := count(); n != 0 {
		t.Fatalf("a refused file saved %d items", n)
	}
	if out, err = run("-org", "exempelby", "-dry-run", good); err != nil || !strings.Contains(out, "Provkörning") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	if n := count(); n != 0 {
		t.Fatalf("a dry run saved %d items", n)
	}
	if out, err = run("-org", "exempelby", good); err != nil || !strings.Contains(out, "3 enheter utrustning är registrerade") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if n := count(); n != 3 {
		t.Fatalf("%d items after the import, want 3", n)
	}
	if _, err := run("-org", "nowhere", good); err == nil {
		t.Error("an unknown organisation is accepted")
	}
}
