package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestSCIMToken runs `distans scim token` and `distans scim revoke`
// against a real database: the printed secret authenticates as the
// organisation's provisioning client until it is revoked.
func TestSCIMToken(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "distans.db")
	s, err := sqlstore.Open(context.Background(), db)
	storetest.Must(t, err)
	storetest.Must(t, s.Migrate(context.Background()))
	o := storetest.NewOrg(t, s, "vara")
	storetest.Must(t, s.Close())

	out, err := runCmd(t, "scim", "token", "-db", db, "-org", "vara", "-name", "Entra ID")
	if err != nil {
		t.Fatal(err)
	}
	secret := strings.TrimSpace(out)
	a, err := app.Open(context.Background(), app.Config{DB: db})
	storetest.Must(t, err)
	actor, err := a.Services.SCIM.AuthenticateSCIM(context.Background(), secret)
	storetest.Must(t, err)
	if actor.OrganisationID != o.ID || actor.Name != "SCIM: Entra ID" {
		t.Fatalf("actor %+v", actor)
	}
	ts, err := a.Services.SCIMAdmin.ListSCIMTokens(distans.NewContext(context.Background(), distans.SystemActor(o.ID)))
	storetest.Must(t, err)
	storetest.Must(t, a.Close())
	if len(ts) != 1 {
		t.Fatalf("tokens %+v", ts)
	}

	if _, err := runCmd(t, "scim", "revoke", "-db", db, "-org", "vara", "-id", ts[0].ID); err != nil {
		t.Fatal(err)
	}
	a, err = app.Open(context.Background(), app.Config{DB: db})
	storetest.Must(t, err)
	_, err = a.Services.SCIM.AuthenticateSCIM(context.Background(), secret)
	storetest.WantCode(t, err, distans.EUNAUTHORIZED)
	storetest.Must(t, a.Close())

	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"scim"}, 2},
		{[]string{"scim", "token", "-db", db}, 2},
		{[]string{"scim", "revoke", "-db", db, "-org", "vara"}, 2},
		{[]string{"scim", "token", "-db", db, "-org", "ingen"}, 1},
		{[]string{"scim", "revoke", "-db", db, "-org", "vara", "-id", "nope"}, 1},
	} {
		if _, err := runCmd(t, tc.args...); exitCode(err) != tc.code {
			t.Errorf("%v: %v (want exit %d)", tc.args, err, tc.code)
		}
	}
}
