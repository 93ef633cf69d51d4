package importrun

import (
	"testing"

	"github.com/distans/distans"
)

func TestSameSummary(t *testing.T) {
	t.Parallel()
	base := func() *distans.ImportSummary {
		return &distans.ImportSummary{People: distans.ImportCount{Create: 3}, Ending: []distans.ImportEnding{{PersonID: "a"}}, EndingTotal: 1,
			Rows: 4, Files: []distans.ImportFileSum{{Name: "personal.csv", Rows: 4}}}
	}
	for _, tc := range []struct {
		name   string
		change func(*distans.ImportSummary)
		same   bool
	}{
		{"identical", func(*distans.ImportSummary) {}, true},
		{"the files described otherwise", func(s *distans.ImportSummary) { s.Files = nil; s.Rows = 0 }, true},
		{"another count", func(s *distans.ImportSummary) { s.People.Update = 1 }, false},
		{"another unit count", func(s *distans.ImportSummary) { s.Units.Unchanged = 1 }, false},
		{"another person ended", func(s *distans.ImportSummary) { s.Ending[0].PersonID = "b" }, false},
		{"more ended", func(s *distans.ImportSummary) { s.EndingTotal = 2 }, false},
	} {
		b := base()
		tc.change(b)
		if got := sameSummary(base(), b); got != tc.same {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.same)
		}
	}
	if sameSummary(base(), nil) || !sameSummary(nil, nil) {
		t.Error("nil summaries")
	}
}

func TestCapErrors(t *testing.T) {
	t.Parallel()
	imp := &distans.Import{}
	capErrors(imp, make([]distans.ImportRowError, MaxErrors+5))
	if len(imp.Errors) != MaxErrors || imp.ErrorTotal != MaxErrors+5 {
		t.Errorf("%d kept of %d", len(imp.Errors), imp.ErrorTotal)
	}
}

// TestRegistryOverlay: this process's progress shows on an import that
// runs, never on one that has finished.
func TestRegistryOverlay(t *testing.T) {
	t.Parallel()
	r := newRegistry()
	r.set("i", distans.ImportApplying, 5, 10)
	queued := &distans.Import{ID: "i", Status: distans.ImportQueued}
	r.overlay(queued)
	if queued.Status != distans.ImportApplying || queued.Done != 5 || queued.Rows != 10 {
		t.Errorf("running: %+v", queued)
	}
	done := &distans.Import{ID: "i", Status: distans.ImportDone, Done: 10, Rows: 10}
	r.overlay(done)
	if done.Status != distans.ImportDone {
		t.Errorf("finished: %+v", done)
	}
	other := &distans.Import{ID: "j", Status: distans.ImportQueued}
	r.overlay(other)
	if other.Status != distans.ImportQueued {
		t.Errorf("another import: %+v", other)
	}
	r.remove("i")
	after := &distans.Import{ID: "i", Status: distans.ImportQueued}
	if r.overlay(after); after.Status != distans.ImportQueued {
		t.Errorf("removed: %+v", after)
	}
}

func TestRowErrorText(t *testing.T) {
	t.Parallel()
	e := distans.ImportRowError{File: "personal.csv", Line: 14, Column: "e-post", Sv: "Ogiltig e-postadress.", En: "Invalid e-mail address."}
	if got, want := RowErrorText(e, "sv"), "personal.csv rad 14, kolumn e-post: Ogiltig e-postadress."; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got, want := RowErrorText(e, "en"), "personal.csv line 14, column e-post: Invalid e-mail address."; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got, want := RowErrorText(distans.ImportRowError{File: "x.csv", Sv: "Tom fil."}, "sv"), "x.csv: Tom fil."; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
