package e2e

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/demo"
)

// TestOfficeBrowser drives the hybrid-office pages (office.mjs) through a
// real browser with axe-core, against the demo organisations.
func TestOfficeBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test is slow; skipped with -short")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable(t, "node is not installed")
	}
	for _, dep := range []string{"playwright-core", "axe-core"} {
		if _, err := os.Stat(filepath.Join("node_modules", dep, "package.json")); err != nil {
			unavailable(t, "e2e/node_modules/"+dep+" is missing")
		}
	}
	if _, err := os.Stat(chromium); err != nil {
		unavailable(t, chromium+" is missing")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.Open(ctx, app.Config{DB: "sqlite:" + filepath.Join(t.TempDir(), "distans.db"), Demo: true, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	defer srv.Shutdown(context.Background())

	cmd := exec.CommandContext(ctx, node, "office.mjs", "http://"+ln.Addr().String())
	cmd.Env = append(os.Environ(),
		"DISTANS_ADMIN_EMAIL="+demo.AccountEmail("vara", distans.RoleAdmin),
		"DISTANS_EMPLOYEE_EMAIL="+demo.AccountEmail("vara", distans.RoleEmployee),
		"DISTANS_MANAGER_EMAIL="+demo.AccountEmail("vara", distans.RoleManager),
		"DISTANS_PASSWORD="+demo.Password,
	)
	out, err := cmd.CombinedOutput()
	t.Logf("office.mjs:\n%s", out)
	if err != nil {
		t.Fatalf("browser test failed: %v", err)
	}
}
