package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/distans/distans/internal/importer/importertest"
)

// runImport measures what issue 12 promises a municipality that moves in:
// the synthetic HR export of -people people (importertest: units,
// sites, people with employments, managers, roles, leave) is imported with
// "distans import" into a new organisation, and then imported again
// unchanged. Each run is its own process, so its wall time and peak
// resident memory (the child's rusage) are the import's alone; the
// database server's memory is not in it on PostgreSQL.
func runImport(ctx context.Context, c *config, stdout io.Writer) error {
	dir, err := os.MkdirTemp("", "distans-import-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	files, err := importertest.Write(dir, c.People)
	if err != nil {
		return fmt.Errorf("write the export: %w", err)
	}
	var size int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			size += st.Size()
		}
	}
	fmt.Fprintf(stdout, "export: %d people in %d files, %.1f MB\n", c.People, len(files), float64(size)/1e6)

	slug := fmt.Sprintf("import-bench-%d", time.Now().Unix())
	if _, _, err := runChild(ctx, c.Bin, "org", "create", "-db", c.DSN, "-slug", slug, "-name", "Importbänk",
		"-admin", "admin@"+slug+".example", "-pack", "kristianstad"); err != nil {
		return fmt.Errorf("org create: %w", err)
	}
	for _, round := range []string{"first import", "same files again"} {
		args := append([]string{"import", "-db", c.DSN, "-org", slug}, files...)
		took, rss, err := runChild(ctx, c.Bin, args...)
		if err != nil {
			return fmt.Errorf("%s: %w", round, err)
		}
		fmt.Fprintf(stdout, "%-17s %8s  peak RSS %4d MB  %6.0f people/s\n", round+":", took.Round(10*time.Millisecond),
			rss>>20, float64(c.People)/took.Seconds())
	}
	return nil
}

// runChild runs the distans binary and returns its wall time and peak
// resident memory in bytes; its output is returned in the error when it
// fails.
func runChild(ctx context.Context, bin string, args ...string) (time.Duration, int64, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Dir = filepath.Dir(bin)
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: %s", err, out.String())
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss << 10 // kilobytes on Linux
	}
	return took, rss, nil
}
