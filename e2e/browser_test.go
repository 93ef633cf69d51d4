// Package e2e drives Distans in a real browser: Debian's chromium, steered
// by playwright-core, with axe-core checking every page for WCAG 2.1 AA.
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

const chromium = "/usr/bin/chromium"

// unavailable skips the test when the browser tooling is missing, except
// in CI (CI=true), where a missing tool is a failure.
func unavailable(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("browser test cannot run: %s", why)
	}
	t.Skipf("skipping the browser test: %s (install node, run `npm ci` in e2e/, apt-get install chromium)", why)
}

// TestBrowser signs in, visits every page of the foundation and the policy
// pack, and checks each with axe (browser.mjs).
func TestBrowser(t *testing.T) {
	runScript(t, "browser.mjs",
		"DISTANS_HR_EMAIL="+demo.AccountEmail("vara", distans.RoleHR),
		"DISTANS_ADMIN_EMAIL="+demo.AccountEmail("vara", distans.RoleAdmin),
		"DISTANS_REGISTRAR_EMAIL="+demo.AccountEmail("vara", distans.RoleRegistrar))
}

// runScript starts Distans with the demo organisations on a free loopback
// port and runs a playwright script against it with node; env adds the
// demo accounts the script signs in with (the password is always passed).
func runScript(t *testing.T, script string, env ...string) {
	t.Helper()
	runScriptWith(t, script, nil, env...)
}

// runScriptWith is runScript with setup, which prepares the running
// Distans (as its console would) and returns more environment for the
// script.
func runScriptWith(t *testing.T, script string, setup func(ctx context.Context, a *app.App) []string, env ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("the browser tests are slow; skipped with -short")
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
	if setup != nil {
		env = append(env, setup(ctx, a)...)
	}
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
	// Imports are worked on in the background, as serve does it.
	go a.Imports.Worker().Run(ctx)

	cmd := exec.CommandContext(ctx, node, script, "http://"+ln.Addr().String())
	cmd.Env = append(append(os.Environ(), env...), "DISTANS_PASSWORD="+demo.Password)
	out, err := cmd.CombinedOutput()
	t.Logf("%s:\n%s", script, out)
	if err != nil {
		t.Fatalf("%s failed: %v", script, err)
	}
}
