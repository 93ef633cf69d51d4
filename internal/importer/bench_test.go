package importer

import (
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/importer/importertest"
)

// BenchmarkCheck50k checks a synthetic export of 50,000 people: first
// against an empty organisation, then again against the organisation the
// first plan makes (nothing to change).
func BenchmarkCheck50k(b *testing.B) {
	files := importertest.Files(50_000)
	today := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	first, errs, err := Check("org", files, nil, distans.ImportOptions{}, today, nil)
	if err != nil || len(errs) > 0 {
		b.Fatalf("first check: %v %v", err, errs[:min(len(errs), 10)])
	}
	after := importertest.Apply(nil, first)
	b.Run("first", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, errs, err := Check("org", files, nil, distans.ImportOptions{}, today, nil); err != nil || len(errs) > 0 {
				b.Fatal(err, errs)
			}
		}
	})
	b.Run("again", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			plan, errs, err := Check("org", files, after, distans.ImportOptions{}, today, nil)
			if err != nil || len(errs) > 0 {
				b.Fatal(err, errs)
			}
			if n := plan.Changes(); n != 0 {
				b.Fatalf("again: %d changes, want 0", n)
			}
		}
	})
}
