package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// importDB is a fresh SQLite database with one empty organisation,
// exempelby, the organisation of the sample files.
func importDB(t *testing.T) (db string, orgID string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "distans.db")
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return "sqlite:" + path, storetest.NewOrg(t, s, "exempelby").ID
}

// exampleCSV returns the paths of the sample CSV set.
func exampleCSV(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("../../examples/*.csv")
	if err != nil || len(paths) == 0 {
		t.Fatalf("examples: %v (%d files)", err, len(paths))
	}
	return paths
}

// peopleIn reads the organisation's people straight from the database.
func peopleIn(t *testing.T, db, orgID string) []*distans.Person {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.ImportSnapshot(storetest.System(orgID), orgID)
	if err != nil {
		t.Fatal(err)
	}
	return snap.People
}

// TestImportCommand: the sample files checked (nothing saved), applied,
// and applied again (nothing changes); the audit trail names the command.
func TestImportCommand(t *testing.T) {
	t.Parallel()
	db, orgID := importDB(t)
	args := append([]string{"import", "-db", db, "-org", "exempelby", "-dry-run"}, exampleCSV(t)...)
	out, err := runCmd(t, args...)
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	for _, want := range []string{"Kontrollen", "personer / people", "skapas / create", "Provkörning: ingenting är sparat"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if n := len(peopleIn(t, db, orgID)); n != 0 {
		t.Fatalf("the dry run saved %d people", n)
	}

	out, err = runCmd(t, append([]string{"import", "-db", db, "-org", "exempelby"}, exampleCSV(t)...)...)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Importen är genomförd") {
		t.Errorf("output:\n%s", out)
	}
	people := peopleIn(t, db, orgID)
	if len(people) == 0 {
		t.Fatal("nobody imported")
	}
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	events, err := s.ListAuditEvents(storetest.System(orgID), distans.AuditFilter{Action: "import", Limit: 10})
	s.Close()
	if err != nil || len(events) == 0 {
		t.Fatalf("no import events: %v", err)
	}
	for _, e := range events {
		if e.ActorName != importActorName {
			t.Errorf("event %s by %q, want %q", e.Action, e.ActorName, importActorName)
		}
	}

	out, err = runCmd(t, append([]string{"import", "-db", db, "-org", "exempelby"}, exampleCSV(t)...)...)
	if err != nil {
		t.Fatalf("again: %v\n%s", err, out)
	}
	if n := len(peopleIn(t, db, orgID)); n != len(people) {
		t.Errorf("again: %d people, before %d", n, len(people))
	}
}

// TestImportCommandEncodings: a Windows-1252 file and a file with a
// UTF-8 byte order mark are read as the text they are.
func TestImportCommandEncodings(t *testing.T) {
	t.Parallel()
	db, orgID := importDB(t)
	dir := t.TempDir()
	var paths []string
	for _, p := range exampleCSV(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Base(p) {
		case "personal.csv":
			// Windows-1252 has no dotless ı (Yılmaz): the HR system would
			// have written an i.
			b = bytes.ReplaceAll(b, []byte("ı"), []byte("i"))
			if b, err = charmap.Windows1252.NewEncoder().Bytes(b); err != nil {
				t.Fatal(err)
			}
		case "enheter.csv":
			b = append([]byte("\xef\xbb\xbf"), b...)
		}
		q := filepath.Join(dir, filepath.Base(p))
		if err := os.WriteFile(q, b, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, q)
	}
	out, err := runCmd(t, append([]string{"import", "-db", db, "-org", "exempelby"}, paths...)...)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	found := false
	for _, p := range peopleIn(t, db, orgID) {
		if p.Email == "asa.lindqvist@exempelby.se" {
			found = true
			if p.Name != "Åsa Lindqvist" {
				t.Errorf("name %q, want Åsa Lindqvist", p.Name)
			}
		}
	}
	if !found {
		t.Error("Åsa Lindqvist was not imported")
	}
}

// TestImportCommandErrors: a file with errors prints every error in
// Swedish with file, row and column, exits 1, and saves nothing.
func TestImportCommandErrors(t *testing.T) {
	t.Parallel()
	db, orgID := importDB(t)
	dir := t.TempDir()
	bad := writeFile(t, dir, "personal.csv", "Anställningsnummer;Förnamn;Efternamn;E-post\n"+
		"1001;Åsa;Lindqvist;asa@exempelby.se\n1001;Björn;Ek;bjorn@exempelby.se\n1003;Märta;Öberg;inte-en-adress\n")
	out, err := runCmd(t, "import", "-db", db, "-org", "exempelby", bad)
	if exitCode(err) != 1 {
		t.Fatalf("exit %d (%v), want 1\n%s", exitCode(err), err, out)
	}
	for _, want := range []string{"personal.csv rad 3", "personal.csv rad 4, kolumn "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(err.Error(), "ingenting är sparat") {
		t.Errorf("error: %v", err)
	}
	if n := len(peopleIn(t, db, orgID)); n != 0 {
		t.Errorf("%d people saved", n)
	}
	if _, err := runCmd(t, "import", "-db", db, "-org", "exempelby", "-full", bad); exitCode(err) != 2 {
		t.Errorf("-full without -end-missing-on: exit %d", exitCode(err))
	}
	if _, err := runCmd(t, "import", "-db", db, "-org", "nowhere", bad); exitCode(err) != 2 {
		t.Errorf("unknown organisation: exit %d", exitCode(err))
	}
}

func TestProgressText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		done, total int
		secs        float64
		want        string
	}{
		{0, 0, 0, "kontroll: 0/0 rader"},
		{500, 1000, 1, "kontroll: 500/1000 rader (50 %), 500/s, klart om / ETA 1s"},
		{1000, 1000, 2, "kontroll: 1000/1000 rader (100 %), 500/s"},
	} {
		got := progressText("kontroll", "rader", tc.done, tc.total, durationOf(tc.secs))
		if got != tc.want {
			t.Errorf("%d/%d: %q, want %q", tc.done, tc.total, got, tc.want)
		}
	}
}

func durationOf(secs float64) time.Duration { return time.Duration(secs * float64(time.Second)) }
