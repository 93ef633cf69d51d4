package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestInstallationCommands runs admin create and org against a real
// database: the operator's link sets a password that signs in, a new
// organisation's administrator sets theirs from the printed invitation and
// signs in, and a suspended organisation lets them in no more.
func TestInstallationCommands(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "distans.db")
	base := "https://distans.example.se"
	cmd := func(args ...string) (string, error) {
		t.Helper()
		return runCmd(t, append(args, "-db", db, "-base-url", base)...)
	}

	bad := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"admin without verb", []string{"admin"}, 2, "admin create"},
		{"admin without email", []string{"admin", "create"}, 2, "-email"},
		{"admin link without email", []string{"admin", "link"}, 2, "-email"},
		{"admin bad email", []string{"admin", "create", "-email", "olle"}, 2, "giltig e-postadress"},
		{"org without verb", []string{"org"}, 2, "org create"},
		{"org unknown verb", []string{"org", "merge"}, 2, "okänt kommando"},
		{"create without flags", []string{"org", "create"}, 2, "-slug, -name, -admin"},
		{"bad slug", []string{"org", "create", "-slug", "Ny Köping", "-name", "N", "-admin", "a@n.se"}, 2, "-slug: Kortnamnet"},
		{"bad admin", []string{"org", "create", "-slug", "n", "-name", "N", "-admin", "a"}, 2, "-admin: Ange en giltig e-postadress"},
		{"bad pack", []string{"org", "create", "-slug", "n", "-name", "N", "-admin", "a@n.se", "-pack", "umea"}, 2, "-pack: Mallen måste vara en av"},
		{"bad time zone", []string{"org", "create", "-slug", "n", "-name", "N", "-admin", "a@n.se", "-time-zone", "Mars/Olympus"}, 2, "-time-zone: Okänd tidszon"},
		{"bad language", []string{"org", "create", "-slug", "n", "-name", "N", "-admin", "a@n.se", "-language", "fi"}, 2, "-language"},
		{"suspend without slug", []string{"org", "suspend"}, 2, "-slug"},
		{"unknown org", []string{"org", "suspend", "-slug", "nowhere"}, 1, "okänd organisation"},
		{"rename without change", []string{"org", "rename", "-slug", "x"}, 2, "-new-slug"},
	}
	for _, tt := range bad {
		out, err := cmd(tt.args...)
		if exitCode(err) != tt.code || !strings.Contains(out+errString(err), tt.want) {
			t.Errorf("%s: exit %d, output %q %v; want exit %d with %q", tt.name, exitCode(err), out, err, tt.code, tt.want)
		}
	}

	out, err := cmd("admin", "create", "-email", "Olle@Drift.example", "-name", "Olle Drift")
	storetest.Must(t, err)
	opLink := regexp.MustCompile(regexp.QuoteMeta(base) + `/drift/link/(\S+)`).FindStringSubmatch(out)
	if opLink == nil || !strings.Contains(out, "olle@drift.example") {
		t.Fatalf("admin create:\n%s", out)
	}
	if out, err := cmd("admin", "create", "-email", "olle@drift.example"); exitCode(err) != 2 || !strings.Contains(errString(err), "finns redan") {
		t.Fatalf("a second operator with the address: %v\n%s", err, out)
	}

	out, err = cmd("org", "create", "-slug", "nykoping", "-name", "Nyköpings kommun", "-admin", "Anna@Nykoping.se",
		"-admin-name", "Anna Admin", "-pack", "vara")
	storetest.Must(t, err)
	invite := regexp.MustCompile(regexp.QuoteMeta(base) + `/link/(\S+)`).FindStringSubmatch(out)
	if invite == nil || !strings.Contains(out, "Nyköpings kommun (nykoping)") || !strings.Contains(out, "Kopierad från mallen vara") ||
		!strings.Contains(out, "Anna Admin <anna@nykoping.se>") {
		t.Fatalf("org create:\n%s", out)
	}
	if _, err := cmd("org", "create", "-slug", "nykoping", "-name", "N", "-admin", "b@n.se"); exitCode(err) != 2 ||
		!strings.Contains(errString(err), "Kortnamnet används redan") {
		t.Fatalf("a slug in use: %v", err)
	}
	out, err = cmd("org", "list")
	storetest.Must(t, err)
	if !regexp.MustCompile(`nykoping\s+Nyköpings kommun\s+active\s+1\s+1\s+1\s+0\s+1\s`).MatchString(out) ||
		strings.Contains(out, "Anna") {
		t.Fatalf("org list:\n%s", out)
	}

	// The links work: the operator's, and the administrator's invitation.
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DB: db})
	storetest.Must(t, err)
	if _, _, err := a.Services.Installation.SetPasswordWithLink(ctx, opLink[1], "ett långt drift-lösenord"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Services.Installation.SignIn(ctx, "olle@drift.example", "ett långt drift-lösenord"); err != nil {
		t.Fatal(err)
	}
	// An operator who forgot the password gets a new link at the console.
	storetest.Must(t, a.Close())
	if _, err := cmd("admin", "link", "-email", "nobody@drift.example"); exitCode(err) != 1 || !strings.Contains(errString(err), "ingen driftadministratör") {
		t.Fatalf("a link for nobody: %v", err)
	}
	out, err = cmd("admin", "link", "-email", "olle@drift.example")
	storetest.Must(t, err)
	again := regexp.MustCompile(regexp.QuoteMeta(base) + `/drift/link/(\S+)`).FindStringSubmatch(out)
	if again == nil || again[1] == opLink[1] {
		t.Fatalf("admin link:\n%s", out)
	}
	a, err = app.Open(ctx, app.Config{DB: db})
	storetest.Must(t, err)
	if _, _, err := a.Services.Installation.SetPasswordWithLink(ctx, again[1], "ett nytt långt lösenord"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Services.Installation.SignIn(ctx, "olle@drift.example", "ett nytt långt lösenord"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Services.Links.SetPasswordWithLink(ctx, invite[1], "Nykoping-2026!"); err != nil {
		t.Fatal(err)
	}
	if res, err := a.Services.SignIn.SignIn(ctx, "anna@nykoping.se", "Nykoping-2026!", ""); err != nil || res.Session == nil {
		t.Fatalf("the new administrator signs in: %+v %v", res, err)
	}
	storetest.Must(t, a.Close())

	for _, step := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"org", "suspend", "-slug", "nykoping"}, 0, "avstängd / nykoping is now suspended"},
		{[]string{"org", "suspend", "-slug", "nykoping"}, 2, "kan inte gå från Avstängd till Avstängd"},
		{[]string{"org", "resume", "-slug", "nykoping"}, 0, "aktiv / nykoping is now active"},
		{[]string{"org", "rename", "-slug", "nykoping", "-name", "Nyköping", "-new-slug", "nykoping-kommun"}, 0, "Nyköping (nykoping-kommun)"},
		{[]string{"org", "suspend", "-slug", "nykoping-kommun"}, 0, "avstängd"},
		{[]string{"org", "end", "-slug", "nykoping-kommun"}, 2, "-confirm nykoping-kommun"},
		{[]string{"org", "end", "-slug", "nykoping-kommun", "-confirm", "nykoping"}, 2, "-confirm nykoping-kommun"},
		{[]string{"org", "end", "-slug", "nykoping-kommun", "-confirm", "nykoping-kommun"}, 0, "avslutad / nykoping-kommun is now ended"},
		{[]string{"org", "resume", "-slug", "nykoping-kommun"}, 2, "avslutad och kan inte ändras"},
	} {
		out, err := cmd(step.args...)
		if exitCode(err) != step.code || !strings.Contains(out+errString(err), step.want) {
			t.Fatalf("%v: exit %d, output %q %v; want exit %d with %q", step.args, exitCode(err), out, err, step.code, step.want)
		}
	}
	a, err = app.Open(ctx, app.Config{DB: db})
	storetest.Must(t, err)
	defer a.Close()
	if _, err := a.Services.SignIn.SignIn(ctx, "anna@nykoping.se", "Nykoping-2026!", ""); distans.ErrorCode(err) != distans.EUNAUTHORIZED {
		t.Fatalf("the administrator of an ended organisation signs in: %v", err)
	}
}
