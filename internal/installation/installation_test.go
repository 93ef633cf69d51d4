package installation_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/installation"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// open starts Distans on a fresh SQLite database, wired as cmd/distans
// wires it.
func open(t *testing.T) *app.App {
	t.Helper()
	a, err := app.Open(context.Background(), app.Config{DB: "sqlite:" + filepath.Join(t.TempDir(), "d.db"), BaseURL: "https://d.example"})
	storetest.Must(t, err)
	t.Cleanup(func() { a.Close() })
	return a
}

// at is a context at the instant t acting as actor.
func at(t time.Time, actor *distans.Actor) context.Context {
	ctx := distans.WithNow(context.Background(), t)
	if actor != nil {
		ctx = distans.NewContext(ctx, actor)
	}
	return ctx
}

// TestOperatorSignIn: the link sets a password under the operators'
// rules once, sign-in locks after repeated failures, and sessions end
// when idle and at their maximum age.
func TestOperatorSignIn(t *testing.T) {
	t.Parallel()
	inst := open(t).Services.Installation
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	_, err := inst.CreateOperator(at(t0, &distans.Actor{OrganisationID: "o", PersonID: "p", Grants: []distans.Grant{{Role: distans.RoleAdmin}}}), "x@drift.example", "")
	storetest.WantCode(t, err, distans.EFORBIDDEN)
	inv, err := inst.CreateOperator(at(t0, distans.SystemActor("")), "Olle.Drift@Example.se", "Olle")
	storetest.Must(t, err)
	token := strings.TrimPrefix(inv.URL, "https://d.example/drift/link/")
	if token == inv.URL || !inv.ExpiresAt.Equal(t0.Add(installation.LinkTTL)) {
		t.Fatalf("invite %+v", inv)
	}
	_, _, err = inst.SignIn(at(t0, nil), "olle.drift@example.se", "")
	storetest.WantCode(t, err, distans.EUNAUTHORIZED) // no password yet

	// Only the console makes a new link: an operator could otherwise take
	// over another's account.
	_, err = inst.NewOperatorLink(at(t0, &distans.Actor{Operator: true}), "olle.drift@example.se")
	storetest.WantCode(t, err, distans.EFORBIDDEN)
	_, err = inst.NewOperatorLink(at(t0, distans.SystemActor("")), "nobody@example.se")
	storetest.WantCode(t, err, distans.ENOTFOUND)
	again, err := inst.NewOperatorLink(at(t0, distans.SystemActor("")), "OLLE.DRIFT@example.se")
	storetest.Must(t, err)
	_, err = inst.FindLink(at(t0, nil), token)
	storetest.WantCode(t, err, distans.ENOTFOUND) // the new link ends the first
	token = strings.TrimPrefix(again.URL, "https://d.example/drift/link/")

	for _, tt := range []struct{ pw, want string }{
		{"kort", "minst 12"},
		{"olle.drift@example.se-2026", "e-postadress"},
	} {
		_, _, err := inst.SetPasswordWithLink(at(t0, nil), token, tt.pw)
		if distans.ErrorCode(err) != distans.EINVALID || !strings.Contains(fieldSv(err), tt.want) {
			t.Fatalf("password %q: %v", tt.pw, err)
		}
	}
	_, _, err = inst.SetPasswordWithLink(at(t0.Add(25*time.Hour), nil), token, "ett långt lösenord")
	storetest.WantCode(t, err, distans.ENOTFOUND) // expired
	pw := "ett långt lösenord"
	tok, sess, err := inst.SetPasswordWithLink(at(t0, nil), token, pw)
	storetest.Must(t, err)
	_, _, err = inst.SetPasswordWithLink(at(t0, nil), token, pw)
	storetest.WantCode(t, err, distans.ENOTFOUND) // used

	a, _, err := inst.Authenticate(at(t0.Add(time.Hour), nil), tok)
	storetest.Must(t, err)
	if !a.Operator || !a.RunsInstallation() || a.OrganisationID != "" || a.PersonID != "" || !strings.Contains(a.Name, "Olle") {
		t.Fatalf("actor %+v", a)
	}
	_, _, err = inst.Authenticate(at(sess.CreatedAt.Add(installation.SessionTTL+2*time.Hour), nil), tok)
	storetest.WantCode(t, err, distans.EUNAUTHORIZED) // idle too long
	_, _, err = inst.Authenticate(at(t0, nil), tok)
	storetest.WantCode(t, err, distans.EUNAUTHORIZED) // and gone

	// Used every hour, a session still ends at its maximum age.
	tok, _, err = inst.SignIn(at(t0, nil), "OLLE.DRIFT@example.se", pw)
	storetest.Must(t, err)
	for h := time.Duration(1); h < 12; h++ {
		_, _, err = inst.Authenticate(at(t0.Add(h*time.Hour), nil), tok)
		storetest.Must(t, err)
	}
	_, _, err = inst.Authenticate(at(t0.Add(installation.SessionMaxAge), nil), tok)
	storetest.WantCode(t, err, distans.EUNAUTHORIZED)

	// Five wrong passwords lock the operator; the right one is then
	// answered as a wrong one until the lock ends.
	for range 5 {
		_, _, err = inst.SignIn(at(t0, nil), "olle.drift@example.se", "fel")
		storetest.WantCode(t, err, distans.EUNAUTHORIZED)
	}
	_, _, err = inst.SignIn(at(t0.Add(time.Minute), nil), "olle.drift@example.se", pw)
	storetest.WantCode(t, err, distans.EUNAUTHORIZED)
	tok, _, err = inst.SignIn(at(t0.Add(16*time.Minute), nil), "olle.drift@example.se", pw)
	storetest.Must(t, err)
	storetest.Must(t, inst.SignOut(at(t0, nil), tok))
	_, _, err = inst.Authenticate(at(t0.Add(17*time.Minute), nil), tok)
	storetest.WantCode(t, err, distans.EUNAUTHORIZED)
	storetest.Must(t, inst.SignOut(at(t0, nil), tok)) // twice is harmless
}

// fieldSv is the Swedish messages of an error's fields.
func fieldSv(err error) string {
	e, ok := err.(*distans.Error)
	if !ok {
		return ""
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+": "+f.Sv)
	}
	return strings.Join(out, "; ")
}

// TestCreateOrganisation: every template becomes the new organisation's
// own version 1, which its policy service then serves and HR can save
// on; the administrator is invited; bad input is refused whole.
func TestCreateOrganisation(t *testing.T) {
	t.Parallel()
	a := open(t)
	inst := a.Services.Installation
	op := distans.NewContext(context.Background(), &distans.Actor{Operator: true, Name: "Olle"})
	_, err := inst.CreateOrganisation(op, distans.NewOrganisation{Slug: "Ny Köping", Name: "", Language: "fi", Pack: "umea", AdminEmail: "x"})
	if distans.ErrorCode(err) != distans.EINVALID {
		t.Fatal(err)
	}
	for _, want := range []string{"slug:", "name:", "language:", "pack:", "admin_email:"} {
		if !strings.Contains(fieldSv(err), want) {
			t.Errorf("no %s in %s", want, fieldSv(err))
		}
	}
	_, err = inst.CreateOrganisation(distans.NewContext(context.Background(), distans.SystemActor("o")), distans.NewOrganisation{Slug: "x", Name: "X", AdminEmail: "a@x.se"})
	storetest.WantCode(t, err, distans.EFORBIDDEN)

	for _, tmpl := range policy.Templates() {
		res, err := inst.CreateOrganisation(op, distans.NewOrganisation{Slug: "org-" + tmpl, Name: "Org " + tmpl, Pack: tmpl,
			AdminEmail: "admin@" + tmpl + ".example"})
		storetest.Must(t, err)
		o := res.Organisation
		if o.TimeZone != "Europe/Stockholm" || o.Language != "sv" || res.Admin.Name != "admin" {
			t.Fatalf("%s: defaults %+v %+v", tmpl, o, res.Admin)
		}
		if res.InviteError != nil || res.Invitation == nil || res.Invitation.Sent || !strings.HasPrefix(res.Invitation.URL, "https://d.example/link/") {
			t.Fatalf("%s: invitation %+v %v", tmpl, res.Invitation, res.InviteError)
		}
		sys := distans.NewContext(context.Background(), distans.SystemActor(o.ID))
		pol, v, err := a.Services.Policies.ActivePolicy(sys)
		storetest.Must(t, err)
		if v.Version != 1 || pol.Slug != o.Slug || v.Reason != "Kopierad från mallen "+tmpl+"." {
			t.Fatalf("%s: active pack %s v%d %q", tmpl, pol.Slug, v.Version, v.Reason)
		}
		// HR (here the system) changes it as any pack: version 2.
		src := strings.Replace(v.Source, "version: 1", "version: 2", 1)
		v2, err := a.Services.Policies.SavePolicy(sys, 1, []byte(src), "Egna regler")
		storetest.Must(t, err)
		if v2.Version != 2 {
			t.Fatalf("%s: saved %d", tmpl, v2.Version)
		}
	}
	_, err = inst.CreateOrganisation(op, distans.NewOrganisation{Slug: "org-vara", Name: "Igen", AdminEmail: "b@x.se"})
	storetest.WantCode(t, err, distans.ECONFLICT)

	// Without account links the organisation is made and the operator
	// told that the invitation is missing.
	bare := installation.New(installation.Config{Store: a.Store})
	res, err := bare.CreateOrganisation(op, distans.NewOrganisation{Slug: "utan", Name: "Utan", AdminEmail: "a@utan.se"})
	storetest.Must(t, err)
	if res.Invitation != nil || res.InviteError == nil || res.Organisation.ID == "" {
		t.Fatalf("without links: %+v", res)
	}
}
