package auth

import (
	"testing"

	"github.com/distans/distans"
)

// TestSCIMDeactivationEndsSignIn: right after the identity system
// deactivates a person, on what is still the last day of their employment,
// their password, their open session and their API token are all refused.
func TestSCIMDeactivationEndsSignIn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o, u := f.org("scim", distans.PasswordPolicy{})
	p := f.person(o, u, "Lena Slutar", "lena@scim.se", "ett långt lösenord 1")
	res, err := f.svc.SignIn(f.ctx, "lena@scim.se", "ett långt lösenord 1", "")
	if err != nil || res.Token == "" {
		t.Fatalf("sign-in before: %+v %v", res, err)
	}
	a, _, err := f.svc.Authenticate(f.ctx, res.Token)
	if err != nil {
		t.Fatalf("session before: %v", err)
	}
	key, _, err := f.svc.CreateAPIToken(distans.NewContext(f.ctx, a), "", "Integration")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AuthenticateAPIToken(f.ctx, key); err != nil {
		t.Fatalf("API token before: %v", err)
	}

	secret, _, err := f.st.(distans.SCIMAdminService).CreateSCIMToken(f.sys(o.ID), "Entra ID")
	if err != nil {
		t.Fatal(err)
	}
	scim := f.st.(distans.SCIMService)
	client, err := scim.AuthenticateSCIM(f.ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	ctx := distans.NewContext(f.ctx, client)
	user := &distans.SCIMUser{UserName: "lena@scim.se", Email: "lena@scim.se", DisplayName: "Lena Slutar", Active: true}
	if err := scim.CreateUser(ctx, user); err != nil || user.ID != p.ID {
		t.Fatalf("linked %+v %v", user, err)
	}
	if _, err := scim.PatchUser(ctx, user.ID, func(x *distans.SCIMUser) error { x.Active = false; return nil }); err != nil {
		t.Fatal(err)
	}

	if _, err := f.svc.SignIn(f.ctx, "lena@scim.se", "ett långt lösenord 1", ""); err == nil {
		t.Error("password sign-in after deactivation succeeded")
	}
	if _, _, err := f.svc.Authenticate(f.ctx, res.Token); err == nil {
		t.Error("the session outlived the deactivation")
	}
	if _, err := f.svc.AuthenticateAPIToken(f.ctx, key); err == nil {
		t.Error("the API token outlived the deactivation")
	}
}
