package sqlstore_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestConformance runs the storetest suite on SQLite and, when
// DISTANS_TEST_POSTGRES is set, on PostgreSQL.
func TestConformance(t *testing.T) {
	t.Parallel()
	for _, tc := range storetest.Suite {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, tc.Fn)
		})
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, dsn := range []string{"", "mysql://x", "sqlite:", "sqlite::memory:", "/tmp/x.db"} {
		if s, err := sqlstore.Open(ctx, dsn); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", dsn)
		}
	}
	// A URL that does not parse is refused without repeating its password.
	for _, dsn := range []string{"postgres://bob:se cret@127.0.0.1:1/db", "postgres://bob:secret@127.0.0.1:1/db%zz"} {
		s, err := sqlstore.Open(ctx, dsn)
		if err == nil {
			s.Close()
			t.Fatalf("Open(%q) succeeded", dsn)
		}
		if strings.Contains(err.Error(), "cret") {
			t.Errorf("Open(%q): the error shows the password: %v", dsn, err)
		}
	}
	path := filepath.Join(t.TempDir(), "d.db")
	s, err := sqlstore.Open(ctx, "sqlite:"+path)
	storetest.Must(t, err)
	defer s.Close()
	if ok, err := s.MigrationsCurrent(ctx); err != nil || ok {
		t.Fatalf("before Migrate: current = %v, %v", ok, err)
	}
	storetest.Must(t, s.Migrate(ctx))
	storetest.Must(t, s.Migrate(ctx)) // twice is harmless
	if ok, err := s.MigrationsCurrent(ctx); err != nil || !ok {
		t.Fatalf("after Migrate: current = %v, %v", ok, err)
	}
	storetest.Must(t, s.Ping(ctx))
	if s.Dialect() != "sqlite" || s.Stats().MaxOpenConnections < 2 {
		t.Fatalf("dialect %s, stats %+v", s.Dialect(), s.Stats())
	}
	if dsn := os.Getenv(storetest.PostgresEnv); dsn != "" {
		ps := storetest.Postgres(t, dsn)
		if ps.Dialect() != "postgres" {
			t.Fatal(ps.Dialect())
		}
		if ok, err := ps.MigrationsCurrent(ctx); err != nil || !ok {
			t.Fatalf("postgres current = %v, %v", ok, err)
		}
		err := ps.Backup(ctx, filepath.Join(t.TempDir(), "b.db"))
		if err == nil || !strings.Contains(err.Error(), "pg_dump") {
			t.Fatalf("Backup on postgres: %v", err)
		}
	}
}

// writer creates people as fast as it can until stop is closed, and
// reports each acknowledged (committed) one on acked.
func writer(t *testing.T, s *sqlstore.Store, orgID string, stop <-chan struct{}, acked chan<- string) {
	defer close(acked)
	ctx := storetest.System(orgID)
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		p := &distans.Person{Name: fmt.Sprintf("Person %d", i), Email: fmt.Sprintf("p%d@example.se", i)}
		if err := s.CreatePerson(ctx, p); err != nil {
			t.Errorf("create: %v", err)
			return
		}
		acked <- p.ID
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if os.IsNotExist(err) {
		return
	} else if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	storetest.Must(t, err)
	_, err = io.Copy(out, in)
	storetest.Must(t, err)
	storetest.Must(t, out.Close())
}

// TestCrashSafety copies the database files while writes go on, as a
// crash would leave them, and finds every write acknowledged before the
// copy in the copy.
func TestCrashSafety(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, "sqlite:"+path)
	storetest.Must(t, err)
	defer s.Close()
	storetest.Must(t, s.Migrate(ctx))
	org := storetest.NewOrg(t, s, "krasch")

	stop := make(chan struct{})
	acked := make(chan string, 1000)
	go writer(t, s, org.ID, stop, acked)
	var before []string
	for len(before) < 200 {
		before = append(before, <-acked)
	}
	// The "crash": the WAL first, then the main file, as they are on disk
	// now, with the writer still running. Every write acknowledged so far is
	// in the WAL or already checkpointed into the main file.
	crash := filepath.Join(dir, "crash.db")
	copyFile(t, path+"-wal", crash+"-wal")
	copyFile(t, path, crash)
	close(stop)
	for range acked {
	}

	c, err := sqlstore.Open(ctx, "sqlite:"+crash)
	storetest.Must(t, err)
	defer c.Close()
	if ok, err := c.MigrationsCurrent(ctx); err != nil || !ok {
		t.Fatalf("copy: migrations current = %v, %v", ok, err)
	}
	sys := storetest.System(org.ID)
	for _, id := range before {
		if _, err := c.FindPerson(sys, id); err != nil {
			t.Fatalf("acknowledged person %s lost: %v", id, err)
		}
	}
	if b, err := c.VerifyAuditChains(ctx); err != nil || b != nil {
		t.Fatalf("audit chain of the copy: %v %v", b, err)
	}
}

// TestBackup backs up while another goroutine writes; every record
// committed before Backup began is in the backup, and it is consistent.
func TestBackup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "live.db"))
	storetest.Must(t, err)
	defer s.Close()
	storetest.Must(t, s.Migrate(ctx))
	org := storetest.NewOrg(t, s, "backup")

	stop := make(chan struct{})
	acked := make(chan string, 1000)
	go writer(t, s, org.ID, stop, acked)
	var before []string
	for len(before) < 100 {
		before = append(before, <-acked)
	}
	var during atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() {
		for range acked {
			during.Add(1)
		}
	})
	backup := filepath.Join(dir, "backup.db")
	start := time.Now()
	storetest.Must(t, s.Backup(ctx, backup))
	took := time.Since(start)
	close(stop)
	wg.Wait()
	if during.Load() == 0 {
		t.Log("no write landed during the backup")
	}
	t.Logf("backup took %v, %d writes went on meanwhile", took, during.Load())

	b, err := sqlstore.Open(ctx, "sqlite:"+backup)
	storetest.Must(t, err)
	defer b.Close()
	sys := storetest.System(org.ID)
	for _, id := range before {
		if _, err := b.FindPerson(sys, id); err != nil {
			t.Fatalf("person %s missing from the backup: %v", id, err)
		}
	}
	if br, err := b.VerifyAuditChains(ctx); err != nil || br != nil {
		t.Fatalf("audit chain of the backup: %v %v", br, err)
	}
	if err := s.Backup(ctx, backup); err == nil {
		t.Fatal("Backup over an existing file succeeded")
	}
}
