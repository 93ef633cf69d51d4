package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/notify/smtptest"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestInvite runs `distans invite` against a real database: without SMTP
// it prints a link that works, with SMTP it e-mails it and prints none.
func TestInvite(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "distans.db")
	s, err := sqlstore.Open(context.Background(), db)
	storetest.Must(t, err)
	storetest.Must(t, s.Migrate(context.Background()))
	o := storetest.NewOrg(t, s, "vara")
	root := storetest.NewUnit(t, s, o.ID, "", "Kommunledningsförvaltningen", distans.UnitAdministration)
	p := storetest.NewPerson(t, s, o.ID, "Åsa Öberg", root.ID)
	storetest.Must(t, s.Close())

	out, err := runCmd(t, "invite", "-db", db, "-org", "vara", "-email", strings.ToUpper(p.Email), "-base-url", "https://distans.vara.se")
	if err != nil {
		t.Fatal(err)
	}
	url := regexp.MustCompile(`https://distans\.vara\.se/link/\S+`).FindString(out)
	if url == "" || !strings.Contains(out, "Åsa Öberg") {
		t.Fatalf("output:\n%s", out)
	}
	a, err := app.Open(context.Background(), app.Config{DB: db})
	storetest.Must(t, err)
	target, err := a.Services.Links.FindLink(context.Background(), strings.TrimPrefix(url, "https://distans.vara.se/link/"))
	storetest.Must(t, err)
	if target.PersonID != p.ID || target.Purpose != distans.LinkInvitation {
		t.Errorf("the printed link is for %+v", target)
	}
	storetest.Must(t, a.Close())

	srv := smtptest.New(t)
	out, err = runCmd(t, "invite", "-db", db, "-org", "vara", "-email", p.Email, "-smtp-url", srv.URL(), "-base-url", "https://distans.vara.se")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "/link/") || !strings.Contains(out, p.Email) || len(srv.Received()) != 1 ||
		!strings.Contains(srv.Received()[0].Body, "https://distans.vara.se/link/"+o.ID+".") {
		t.Fatalf("with SMTP: output %q, %d mails", out, len(srv.Received()))
	}

	for _, args := range [][]string{
		{"-org", "vara"},
		{"-org", "ingen", "-email", p.Email},
		{"-org", "vara", "-email", "ingen@vara.se"},
	} {
		if _, err := runCmd(t, append([]string{"invite", "-db", db}, args...)...); exitCode(err) == 0 {
			t.Errorf("invite %v succeeded", args)
		}
	}
}

// TestInvitePendingCommand runs `distans invite -pending`: without SMTP
// it prints every link as CSV (UTF-8 with BOM, ";"), each of which works;
// with SMTP it e-mails those still pending and says how many, returning
// after the mails have gone.
func TestInvitePendingCommand(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "distans.db")
	s, err := sqlstore.Open(context.Background(), db)
	storetest.Must(t, err)
	storetest.Must(t, s.Migrate(context.Background()))
	o := storetest.NewOrg(t, s, "vara")
	root := storetest.NewUnit(t, s, o.ID, "", "Kommunledningsförvaltningen", distans.UnitAdministration)
	asa := storetest.NewPerson(t, s, o.ID, "Åsa Öberg", root.ID)
	bo := storetest.NewPerson(t, s, o.ID, "Bo Ek", root.ID)
	storetest.NewPerson(t, s, o.ID, "Nils Utan Anställning", "")
	storetest.Must(t, s.Close())

	out, err := runCmd(t, "invite", "-db", db, "-org", "vara", "-pending", "-base-url", "https://distans.vara.se")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
	if len(lines) != 3 || lines[0] != "\uFEFFnamn;e-post;länk;giltig till" ||
		!strings.HasPrefix(lines[1], "Bo Ek;"+bo.Email+";https://distans.vara.se/link/") ||
		!strings.HasPrefix(lines[2], "Åsa Öberg;"+asa.Email+";https://distans.vara.se/link/") {
		t.Fatalf("output:\n%s", out)
	}
	a, err := app.Open(context.Background(), app.Config{DB: db})
	storetest.Must(t, err)
	for _, line := range lines[1:] {
		url := strings.Split(line, ";")[2]
		if _, err := a.Services.Links.FindLink(context.Background(), strings.TrimPrefix(url, "https://distans.vara.se/link/")); err != nil {
			t.Errorf("link %s: %v", url, err)
		}
	}
	cecilia := storetest.NewPerson(t, a.Store, o.ID, "Cecilia Ceder", root.ID)
	storetest.Must(t, a.Close())

	srv := smtptest.New(t)
	out, err = runCmd(t, "invite", "-db", db, "-org", "vara", "-pending", "-smtp-url", srv.URL(), "-base-url", "https://distans.vara.se")
	if err != nil {
		t.Fatal(err)
	}
	if out != "1 inbjudan skickad per e-post / 1 invitation e-mailed\n" || len(srv.Received()) != 1 || srv.Received()[0].To != cecilia.Email {
		t.Fatalf("with SMTP: output %q, %d mails", out, len(srv.Received()))
	}
	out, err = runCmd(t, "invite", "-db", db, "-org", "vara", "-pending")
	if err != nil || !strings.Contains(out, "Ingen behövde en inbjudan") {
		t.Fatalf("nobody left: %q, %v", out, err)
	}
	if _, err := runCmd(t, "invite", "-db", db, "-org", "vara", "-pending", "-email", asa.Email); exitCode(err) != 2 {
		t.Errorf("-pending with -email: %v", err)
	}
}
