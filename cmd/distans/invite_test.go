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
