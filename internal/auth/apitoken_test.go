package auth

import (
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/secret"
)

func TestAPITokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o, root := f.org("kristianstad", distans.PasswordPolicy{})
	it := f.unit(o, root, "IT")
	karin := f.person(o, root, "Karin Lind", "karin@kristianstad.se", "karins-lösenord")
	lars := f.person(o, root, "Lars Ek", "lars@kristianstad.se", "lars-lösenord")
	admin := f.person(o, it, "Maja Admin", "maja@kristianstad.se", "majas-lösenord")
	f.grant(o, admin, distans.RoleAdmin, nil)
	hr := f.person(o, root, "Nils HR", "nils@kristianstad.se", "nils-lösenord")
	f.grant(o, hr, distans.RoleHR, nil)

	karinCtx := f.as(f.signIn("karin@kristianstad.se", "karins-lösenord", ""))
	plain, tok, err := f.svc.CreateAPIToken(karinCtx, "", "Kalendersynk")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(plain, "dst_") || tok.ID == "" || tok.PersonID != karin.ID || tok.TokenHash != secret.Hash(plain) {
		t.Fatalf("token %q %+v", plain, tok)
	}

	a, err := f.svc.AuthenticateAPIToken(f.ctx, plain)
	if err != nil {
		t.Fatal(err)
	}
	if a.PersonID != karin.ID || a.OrganisationID != o.ID || a.Name != "Karin Lind" {
		t.Fatalf("actor %+v", a)
	}

	list, err := f.svc.ListAPITokens(karinCtx, "")
	if err != nil || len(list) != 1 || list[0].ID != tok.ID {
		t.Fatalf("list %v, %v", list, err)
	}

	t.Run("validation and permissions", func(t *testing.T) {
		_, _, err := f.svc.CreateAPIToken(karinCtx, "", "  ")
		wantCode(t, err, distans.EINVALID, "")
		// A colleague cannot make a token that acts as someone else.
		_, _, err = f.svc.CreateAPIToken(karinCtx, lars.ID, "Lars integration")
		if c := distans.ErrorCode(err); c != distans.EFORBIDDEN && c != distans.ENOTFOUND {
			t.Fatalf("colleague creating for another: %v", err)
		}
		// Nor can HR, who may only see and revoke.
		hrCtx := f.as(f.signIn("nils@kristianstad.se", "nils-lösenord", ""))
		_, _, err = f.svc.CreateAPIToken(hrCtx, lars.ID, "Lars integration")
		wantCode(t, err, distans.EFORBIDDEN, "")
		if l, err := f.svc.ListAPITokens(hrCtx, karin.ID); err != nil || len(l) != 1 {
			t.Fatalf("HR listing Karin's tokens: %v, %v", l, err)
		}
		_, err = f.svc.ListAPITokens(f.as(f.signIn("lars@kristianstad.se", "lars-lösenord", "")), karin.ID)
		if c := distans.ErrorCode(err); c != distans.EFORBIDDEN && c != distans.ENOTFOUND {
			t.Fatalf("colleague listing Karin's tokens: %v", err)
		}
		// Lars cannot revoke Karin's token.
		err = f.svc.RevokeAPIToken(f.as(f.signIn("lars@kristianstad.se", "lars-lösenord", "")), tok.ID)
		wantCode(t, err, distans.ENOTFOUND, "")
	})

	t.Run("administrator for someone else", func(t *testing.T) {
		adminCtx := f.as(f.signIn("maja@kristianstad.se", "majas-lösenord", ""))
		s2, t2, err := f.svc.CreateAPIToken(adminCtx, lars.ID, "Lönesystemet")
		if err != nil {
			t.Fatal(err)
		}
		a, err := f.svc.AuthenticateAPIToken(f.ctx, s2)
		if err != nil || a.PersonID != lars.ID {
			t.Fatalf("actor %+v, %v", a, err)
		}
		if err := f.svc.RevokeAPIToken(adminCtx, t2.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.AuthenticateAPIToken(f.ctx, s2)
		wantCode(t, err, distans.EUNAUTHORIZED, "")
	})

	if err := f.svc.RevokeAPIToken(karinCtx, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.AuthenticateAPIToken(f.ctx, plain)
	wantCode(t, err, distans.EUNAUTHORIZED, "återkallad")

	for _, bad := range []string{"", "dst_", "dst_nonsense", plain[4:], "Bearer " + plain} {
		_, err := f.svc.AuthenticateAPIToken(f.ctx, bad)
		wantCode(t, err, distans.EUNAUTHORIZED, "")
	}
}
