package importrun_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/importrun"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// env is a fresh database with one organisation and the service over it.
type env struct {
	t     *testing.T
	store *sqlstore.Store
	svc   *importrun.Service
	org   *distans.Organisation
	ctx   context.Context // the system in the organisation, which may import
}

func newEnv(t *testing.T, s *sqlstore.Store) *env {
	t.Helper()
	o := storetest.NewOrg(t, s, "exempelby")
	return &env{t: t, store: s, svc: importrun.New(s, s, nil), org: o, ctx: storetest.System(o.ID)}
}

// examples reads the sample CSV set of the repository.
func examples(t *testing.T) []distans.ImportFile {
	t.Helper()
	paths, err := filepath.Glob("../../examples/*.csv")
	if err != nil || len(paths) == 0 {
		t.Fatalf("examples: %v (%d files)", err, len(paths))
	}
	var files []distans.ImportFile
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, distans.ImportFile{Name: filepath.Base(p), Content: b})
	}
	return files
}

// work runs a worker until no import is waiting.
func (e *env) work(w *importrun.Worker) {
	e.t.Helper()
	for range 10 {
		worked, err := w.RunOnce(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		if !worked {
			return
		}
	}
	e.t.Fatal("the worker never ran out of work")
}

func (e *env) find(id string) *distans.Import {
	e.t.Helper()
	imp, err := e.svc.FindImport(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return imp
}

func (e *env) people() int {
	e.t.Helper()
	snap, err := e.store.ImportSnapshot(e.ctx, e.org.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(snap.People)
}

func TestStartImportRefuses(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		e := newEnv(t, s)
		day := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
		mib := make([]byte, 1<<20)
		var tooLarge []distans.ImportFile
		for range 257 { // the same MiB 257 times: over the limit without 257 MiB of memory
			tooLarge = append(tooLarge, distans.ImportFile{Name: "stor.csv", Content: mib[:len(mib):len(mib)]})
		}
		for i := range mib {
			mib[i] = 'a'
		}
		clerk := distans.NewContext(context.Background(), &distans.Actor{OrganisationID: e.org.ID, PersonID: "p", Name: "Handläggare"})
		for _, tc := range []struct {
			name  string
			ctx   context.Context
			files []distans.ImportFile
			opts  distans.ImportOptions
			code  string
			field string
		}{
			{"not an administrator", clerk, examples(t), distans.ImportOptions{}, distans.EFORBIDDEN, ""},
			{"no files", e.ctx, nil, distans.ImportOptions{}, distans.EINVALID, "files"},
			{"full without a day", e.ctx, examples(t), distans.ImportOptions{Full: true}, distans.EINVALID, "end_missing_on"},
			{"a binary file", e.ctx, []distans.ImportFile{{Name: "lista.xlsx", Content: []byte("PK\x03\x04\x00\x00")}}, distans.ImportOptions{}, distans.EINVALID, "files"},
			{"too large", e.ctx, tooLarge, distans.ImportOptions{Full: true, EndMissingOn: &day}, distans.ETOOLARGE, ""},
		} {
			_, err := e.svc.StartImport(tc.ctx, tc.files, tc.opts)
			if got := distans.ErrorCode(err); got != tc.code {
				t.Errorf("%s: code %q, want %q (%v)", tc.name, got, tc.code, err)
				continue
			}
			if tc.field != "" {
				if de, _ := err.(*distans.Error); de == nil || len(de.Fields) == 0 || de.Fields[0].Field != tc.field || de.Fields[0].Sv == "" {
					t.Errorf("%s: %v, want a Swedish message on %s", tc.name, err, tc.field)
				}
			}
		}
		list, err := e.svc.ListImports(e.ctx)
		if err != nil || len(list) != 0 {
			t.Errorf("refused imports were kept: %d, %v", len(list), err)
		}
	})
}

// TestCheckConfirmApply: the examples are checked by a worker, nothing is
// saved until the import is confirmed, and applied they create what the
// check said; the same files again change nothing.
func TestCheckConfirmApply(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		e := newEnv(t, s)
		w := e.svc.Worker()
		imp, err := e.svc.StartImport(e.ctx, examples(t), distans.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if imp.Status != distans.ImportChecking || imp.ID == "" {
			t.Fatalf("started: %+v", imp)
		}
		e.work(w)
		imp = e.find(imp.ID)
		if imp.Status != distans.ImportChecked || imp.Summary == nil || imp.Summary.People.Create == 0 {
			t.Fatalf("checked: status %s, summary %+v, errors %v", imp.Status, imp.Summary, imp.Errors)
		}
		if n := e.people(); n != 0 {
			t.Fatalf("the check saved %d people", n)
		}
		if _, err := e.svc.ConfirmImport(e.ctx, imp.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ConfirmImport(e.ctx, imp.ID); distans.ErrorCode(err) != distans.ECONFLICT {
			t.Errorf("confirmed twice: %v, want a conflict", err)
		}
		e.work(w)
		done := e.find(imp.ID)
		if done.Status != distans.ImportDone || done.FinishedAt == nil {
			t.Fatalf("applied: %+v", done)
		}
		if n := e.people(); n != imp.Summary.People.Create {
			t.Errorf("%d people, the check said %d", n, imp.Summary.People.Create)
		}

		again, err := e.svc.StartImport(e.ctx, examples(t), distans.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		e.work(w)
		again = e.find(again.ID)
		if again.Status != distans.ImportChecked {
			t.Fatalf("again: %s %v", again.Status, again.Errors)
		}
		for _, k := range importrun.Kinds(again.Summary) {
			if c := k.Count; c.Create+c.Update+c.End != 0 {
				t.Errorf("the same files again change %s: %+v", k.Kind, c)
			}
		}
	})
}

// TestInvalidSavesNothing: a file with errors leaves the import invalid
// with every error named, and nothing in the organisation.
func TestInvalidSavesNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		e := newEnv(t, s)
		files := []distans.ImportFile{{Name: "personal.csv", Content: []byte(
			"Anställningsnummer;Förnamn;Efternamn;E-post\n1;Åsa;Lind;asa@exempelby.se\n1;Björn;Ek;bjorn@exempelby.se\n")}}
		imp, err := e.svc.StartImport(e.ctx, files, distans.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		e.work(e.svc.Worker())
		imp = e.find(imp.ID)
		if imp.Status != distans.ImportInvalid || imp.ErrorTotal == 0 || len(imp.Errors) != imp.ErrorTotal {
			t.Fatalf("status %s, %d of %d errors", imp.Status, len(imp.Errors), imp.ErrorTotal)
		}
		if e := imp.Errors[0]; e.File != "personal.csv" || e.Line == 0 || e.Sv == "" {
			t.Errorf("error %+v: want the file, the line and a Swedish message", e)
		}
		if _, err := e.svc.ConfirmImport(e.ctx, imp.ID); distans.ErrorCode(err) != distans.ECONFLICT {
			t.Errorf("an invalid import was confirmed: %v", err)
		}
		if n := e.people(); n != 0 {
			t.Errorf("%d people saved", n)
		}
	})
}

// TestLeaseTakeover: an import claimed by a worker that then died is left
// alone while the lease holds and taken over when it has run out.
func TestLeaseTakeover(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		e := newEnv(t, s)
		imp, err := e.svc.StartImport(e.ctx, examples(t), distans.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now().UTC()
		dead, err := e.store.ClaimImport(storetest.System(""), t0, time.Minute)
		if err != nil || dead == nil || dead.ID != imp.ID {
			t.Fatalf("claim: %v, %v", dead, err)
		}
		other := e.svc.Worker()
		other.Lease = time.Minute
		other.Now = func() time.Time { return t0.Add(30 * time.Second) }
		if worked, err := other.RunOnce(context.Background()); worked || err != nil {
			t.Fatalf("took a leased import: %v, %v", worked, err)
		}
		other.Now = func() time.Time { return t0.Add(61 * time.Second) }
		if worked, err := other.RunOnce(context.Background()); !worked || err != nil {
			t.Fatalf("did not take over the expired lease: %v, %v", worked, err)
		}
		if got := e.find(imp.ID); got.Status != distans.ImportChecked {
			t.Errorf("after takeover: %s", got.Status)
		}
	})
}

// TestWorkersShareImports: the workers of two instances at once each take
// a different import, and both are checked.
func TestWorkersShareImports(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		e := newEnv(t, s)
		var ids []string
		for range 2 {
			imp, err := e.svc.StartImport(e.ctx, examples(t), distans.ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, imp.ID)
		}
		var wg sync.WaitGroup
		results := make([]bool, 2)
		for i, instance := range []*sqlstore.Store{e.store, storetest.Twin(t, e.store)} {
			w := importrun.New(instance, instance, nil).Worker()
			wg.Go(func() {
				worked, err := w.RunOnce(context.Background())
				if err != nil {
					t.Error(err)
				}
				results[i] = worked
			})
		}
		wg.Wait()
		if !results[0] || !results[1] {
			t.Fatalf("a worker found nothing: %v", results)
		}
		for _, id := range ids {
			if got := e.find(id); got.Status != distans.ImportChecked {
				t.Errorf("%s: %s", id, got.Status)
			}
		}
	})
}

// TestStale: an organisation changed between the check and the apply
// makes the import stale, and the apply writes nothing.
func TestStale(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		e := newEnv(t, s)
		w := e.svc.Worker()
		imp, err := e.svc.StartImport(e.ctx, examples(t), distans.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		e.work(w)
		// Someone adds by hand a unit that the files create.
		u := &distans.Unit{Name: "Kommunstyrelseförvaltningen", Kind: distans.UnitAdministration, Code: "1000"}
		if err := e.store.CreateUnit(e.ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ConfirmImport(e.ctx, imp.ID); err != nil {
			t.Fatal(err)
		}
		e.work(w)
		got := e.find(imp.ID)
		if got.Status != distans.ImportStale || got.Failure == "" || got.FinishedAt == nil {
			t.Fatalf("status %s, failure %q", got.Status, got.Failure)
		}
		if n := e.people(); n != 0 {
			t.Errorf("a stale import saved %d people", n)
		}
	})
}

// TestOtherOrganisation: an import is not found from another organisation.
func TestOtherOrganisation(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		e := newEnv(t, s)
		imp, err := e.svc.StartImport(e.ctx, examples(t), distans.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		other := storetest.NewOrg(t, e.store, "annanby")
		if _, err := e.svc.FindImport(storetest.System(other.ID), imp.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
			t.Errorf("found from another organisation: %v", err)
		}
		if _, err := e.svc.ConfirmImport(storetest.System(other.ID), imp.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
			t.Errorf("confirmed from another organisation: %v", err)
		}
	})
}

// TestRunWakesAtOnce: the worker loop of the process that started or
// confirmed an import begins on it at once, not at its next poll, and
// stops with its context.
func TestRunWakesAtOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		e := newEnv(t, s)
		w := e.svc.Worker()
		w.Poll = time.Hour
		ctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan struct{})
		go func() { w.Run(ctx); close(stopped) }()
		defer func() {
			cancel()
			<-stopped
		}()
		imp, err := e.svc.StartImport(e.ctx, examples(t), distans.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		wait := func(want distans.ImportStatus) {
			t.Helper()
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if e.find(imp.ID).Status == want {
					return
				}
			}
			t.Fatalf("still %s, want %s", e.find(imp.ID).Status, want)
		}
		wait(distans.ImportChecked)
		if _, err := e.svc.ConfirmImport(e.ctx, imp.ID); err != nil {
			t.Fatal(err)
		}
		wait(distans.ImportDone)
	})
}

// TestApplyFails: an apply that fails leaves the import failed with a
// message for the user, and the organisation as it was.
func TestApplyFails(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		e := newEnv(t, s)
		w := e.svc.Worker()
		imp, err := e.svc.StartImport(e.ctx, examples(t), distans.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		e.work(w)
		if _, err := e.svc.ConfirmImport(e.ctx, imp.ID); err != nil {
			t.Fatal(err)
		}
		// The apply cannot read the units: the database is broken under it.
		raw := storetest.Raw(t, s)
		if _, err := raw.Exec(`ALTER TABLE units RENAME TO units_away`); err != nil {
			t.Fatal(err)
		}
		if worked, err := w.RunOnce(context.Background()); !worked || err == nil {
			t.Fatalf("the failed apply was not reported: %v, %v", worked, err)
		}
		if _, err := raw.Exec(`ALTER TABLE units_away RENAME TO units`); err != nil {
			t.Fatal(err)
		}
		got := e.find(imp.ID)
		if got.Status != distans.ImportFailed || got.Failure == "" || got.FinishedAt == nil {
			t.Fatalf("status %s, failure %q", got.Status, got.Failure)
		}
		if n := e.people(); n != 0 {
			t.Errorf("a failed apply saved %d people", n)
		}
		if worked, err := w.RunOnce(context.Background()); worked || err != nil {
			t.Errorf("a failed import was taken up again: %v, %v", worked, err)
		}
	})
}
