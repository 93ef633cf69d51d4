package sqlstore

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/distans/distans"
)

// BenchmarkInvitePending50k invites, in one go, the 50,000 people of a
// freshly imported organisation (importPlan50k, every employment current,
// nobody with a password): the pending count, then the batch with its
// 50,000 links and 50,001 audit events. Run one at a time:
//
//	go test ./internal/sqlstore/ -run '^$' -bench InvitePending50k -benchtime 1x
//
// with DISTANS_TEST_POSTGRES set for PostgreSQL too. Metrics: the batch's
// time (s/batch), the count's before it (s/count), the Go heap's peak
// during the batch (MB-heap) and the links made.
func BenchmarkInvitePending50k(b *testing.B) {
	benchStores(b, func(b *testing.B, s *Store) {
		var batch, count time.Duration
		var heap uint64
		var links int
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			o, ctx, imp := benchImport(b, s, fmt.Sprintf("invite-%d", i))
			plan := importPlan50k(o.ID)
			for _, e := range plan.CreateEmployments {
				e.EndsOn = nil
			}
			if err := s.ApplyImport(ctx, imp, func(*distans.ImportSnapshot) (*distans.ImportPlan, error) { return plan, nil }, nil); err != nil {
				b.Fatal(err)
			}
			plan = nil
			now := distans.Now()
			ctx = distans.WithNow(ctx, now)

			start := time.Now()
			n, err := s.CountPendingInvitations(ctx, o.ID)
			if err != nil {
				b.Fatal(err)
			}
			count += time.Since(start)
			if n != 50_000 {
				b.Fatalf("%d pending, want 50,000", n)
			}
			// As internal/auth makes them: 32 random bytes, stored as SHA-256.
			hash := func() (string, error) {
				var secret [32]byte
				rand.Read(secret[:])
				sum := sha256.Sum256(secret[:])
				return hex.EncodeToString(sum[:]), nil
			}
			runtime.GC()
			stop := peakHeap()
			b.StartTimer()
			start = time.Now()
			made, err := s.CreatePendingInvitations(ctx, o.ID, now.Add(14*24*time.Hour), hash)
			if err != nil {
				b.Fatal(err)
			}
			batch += time.Since(start)
			b.StopTimer()
			heap = max(heap, stop())
			links = len(made)
			if links != 50_000 {
				b.Fatalf("%d invited, want 50,000", links)
			}
			if brk, err := s.VerifyAuditChains(ctx); err != nil || brk != nil {
				b.Fatalf("audit chain: %v %v", brk, err)
			}
		}
		b.ReportMetric(batch.Seconds()/float64(b.N), "s/batch")
		b.ReportMetric(count.Seconds()/float64(b.N), "s/count")
		b.ReportMetric(float64(heap)/(1<<20), "MB-heap")
		b.ReportMetric(float64(links), "links")
	})
}
