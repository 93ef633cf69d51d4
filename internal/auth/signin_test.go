package auth

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/secret"
)

const wrongCredentials = "Fel e-postadress eller lösenord."

func TestSignIn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o, root := f.org("kristianstad", distans.PasswordPolicy{})
	anna := f.person(o, root, "Anna Berg", "anna.berg@kristianstad.se", "vinter-i-skåne")
	f.person(o, root, "Utan Lösenord", "sso.only@kristianstad.se", "")

	tests := []struct {
		name, email, pw, slug string
		wantCode              string
	}{
		{"success", "anna.berg@kristianstad.se", "vinter-i-skåne", "", ""},
		{"e-mail in other case with spaces", "  Anna.Berg@Kristianstad.SE ", "vinter-i-skåne", "", ""},
		{"with the organisation chosen", "anna.berg@kristianstad.se", "vinter-i-skåne", "kristianstad", ""},
		{"wrong password", "anna.berg@kristianstad.se", "sommar-i-skåne", "", distans.EUNAUTHORIZED},
		{"unknown e-mail", "nobody@kristianstad.se", "vinter-i-skåne", "", distans.EUNAUTHORIZED},
		{"other organisation's slug", "anna.berg@kristianstad.se", "vinter-i-skåne", "vara", distans.EUNAUTHORIZED},
		{"empty", "", "", "", distans.EUNAUTHORIZED},
		{"account without a password", "sso.only@kristianstad.se", "", "", distans.EUNAUTHORIZED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := f.svc.SignIn(f.ctx, tt.email, tt.pw, tt.slug)
			if tt.wantCode != "" {
				// The same message whether the address or the password was wrong.
				wantCode(t, err, tt.wantCode, wrongCredentials)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Token) < 43 || res.Session == nil || res.Session.CSRFToken == "" {
				t.Fatalf("result %+v: want a 32-byte token, a session and a CSRF token", res)
			}
			if res.Session.TokenHash == res.Token || res.Session.TokenHash != secret.Hash(res.Token) {
				t.Fatal("the session must carry the token's hash, not the token")
			}
			a, sess, err := f.svc.Authenticate(f.ctx, res.Token)
			if err != nil {
				t.Fatal(err)
			}
			if a.PersonID != anna.ID || a.OrganisationID != o.ID || a.Name != "Anna Berg" || a.System {
				t.Fatalf("actor %+v, want Anna in %s", a, o.ID)
			}
			if sess.CSRFToken != res.Session.CSRFToken {
				t.Fatal("CSRF token not kept")
			}
		})
	}
	// A successful sign-in clears earlier failures: Anna is not locked even
	// though the table failed for her.
	acc, err := f.st.FindAccount(f.sys(o.ID), o.ID, anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	if acc.LockedUntil != nil && acc.LockedUntil.After(f.clock.Now()) {
		t.Fatalf("account locked until %v", acc.LockedUntil)
	}
}

func TestSignInLockout(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o, root := f.org("kristianstad", distans.PasswordPolicy{MinLength: 8, HistoryCount: 5, MaxFailures: 3, LockoutMinutes: 15})
	hrUnit := f.unit(o, root, "HR-enheten")
	p := f.person(o, root, "Bo Ek", "bo.ek@kristianstad.se", "rätt-lösenord")
	hr := f.person(o, hrUnit, "Hanna HR", "hanna@kristianstad.se", "hannas-lösenord")
	f.grant(o, hr, distans.RoleHR, nil)
	f.person(o, root, "Kalle Kollega", "kalle@kristianstad.se", "kalles-lösenord")
	it := f.person(o, root, "Ivar IT", "ivar@kristianstad.se", "ivars-lösenord")
	f.grant(o, it, distans.RoleIT, nil)

	lockOut := func() time.Time {
		t.Helper()
		for i := 1; i <= 2; i++ {
			_, err := f.svc.SignIn(f.ctx, "bo.ek@kristianstad.se", "fel-lösenord", "")
			wantCode(t, err, distans.EUNAUTHORIZED, wrongCredentials)
		}
		// The attempt that locks, and every attempt while locked, even with
		// the right password, is answered exactly as an address nobody has:
		// a lock-out must not tell an attacker that the account exists. The
		// message tells the owner that failures lock an account.
		_, unknown := f.svc.SignIn(f.ctx, "ingen.alls@kristianstad.se", "fel-lösenord", "")
		wantCode(t, unknown, distans.EUNAUTHORIZED, "spärras kontot")
		_, err := f.svc.SignIn(f.ctx, "bo.ek@kristianstad.se", "fel-lösenord", "")
		wantSame(t, err, unknown)
		_, err = f.svc.SignIn(f.ctx, "bo.ek@kristianstad.se", "rätt-lösenord", "")
		wantSame(t, err, unknown)
		acc, err := f.st.FindAccount(f.sys(o.ID), o.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if acc.LockedUntil == nil || !acc.LockedUntil.After(f.clock.Now()) {
			t.Fatalf("not locked: %v", acc.LockedUntil)
		}
		return f.clock.Now()
	}

	t.Run("unlocked by time", func(t *testing.T) {
		lockOut()
		f.clock.Add(14 * time.Minute)
		_, err := f.svc.SignIn(f.ctx, "bo.ek@kristianstad.se", "rätt-lösenord", "")
		wantCode(t, err, distans.EUNAUTHORIZED, wrongCredentials)
		f.clock.Add(2 * time.Minute)
		// After the wait a typo is only a typo, not a new lock.
		_, err = f.svc.SignIn(f.ctx, "bo.ek@kristianstad.se", "fel-igen", "")
		wantCode(t, err, distans.EUNAUTHORIZED, wrongCredentials)
		f.signIn("bo.ek@kristianstad.se", "rätt-lösenord", "")
	})

	// The lock message sends people to IT support, and Kristianstads
	// kommun's Instruktion för digital kommunikation (Lösenord) has them
	// contact IT-Servicedesk: IT unlocks, but sets no one's password.
	t.Run("unlocked by IT", func(t *testing.T) {
		lockOut()
		ivar := f.as(f.signIn("ivar@kristianstad.se", "ivars-lösenord", ""))
		if err := f.svc.UnlockAccount(ivar, p.ID); err != nil {
			t.Fatal(err)
		}
		f.signIn("bo.ek@kristianstad.se", "rätt-lösenord", "")
		wantCode(t, f.svc.SetPassword(ivar, p.ID, "nytt-lösenord-1"), distans.EFORBIDDEN, "")
	})

	t.Run("unlocked by HR", func(t *testing.T) {
		lockOut()
		// A colleague without the role may see Bo but not unlock him.
		err := f.svc.UnlockAccount(f.as(f.signIn("kalle@kristianstad.se", "kalles-lösenord", "")), p.ID)
		if c := distans.ErrorCode(err); c != distans.EFORBIDDEN && c != distans.ENOTFOUND {
			t.Fatalf("colleague unlocking: %v, want forbidden or not found", err)
		}
		if err := f.svc.UnlockAccount(f.as(f.signIn("hanna@kristianstad.se", "hannas-lösenord", "")), p.ID); err != nil {
			t.Fatal(err)
		}
		f.signIn("bo.ek@kristianstad.se", "rätt-lösenord", "")
	})

	t.Run("HR in another organisation cannot see him", func(t *testing.T) {
		o2, root2 := f.org("vara", distans.PasswordPolicy{})
		hr2 := f.person(o2, root2, "Vera Vara", "vera@vara.se", "veras-lösenord")
		f.grant(o2, hr2, distans.RoleHR, nil)
		err := f.svc.UnlockAccount(f.as(f.signIn("vera@vara.se", "veras-lösenord", "")), p.ID)
		wantCode(t, err, distans.ENOTFOUND, "")
	})
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o, root := f.org("kristianstad", distans.PasswordPolicy{MinLength: 10, HistoryCount: 2, MaxFailures: 5, LockoutMinutes: 15})
	f.person(o, root, "Cecilia Holm", "cecilia@kristianstad.se", "första-lösenordet")

	tok := f.signIn("cecilia@kristianstad.se", "första-lösenordet", "")
	other := f.signIn("cecilia@kristianstad.se", "första-lösenordet", "")
	ctx := f.as(tok)

	tests := []struct {
		name, current, next string
		field, sv           string
	}{
		{"wrong current password", "fel-lösenord", "andra-lösenordet", "current_password", "nuvarande lösenordet stämmer inte"},
		{"too short for the organisation", "första-lösenordet", "kort-lös", "password", "minst 10 tecken"},
		{"same as now", "första-lösenordet", "första-lösenordet", "password", "använt det här lösenordet tidigare"},
		{"contains the name", "första-lösenordet", "cecilia-2024-vår", "password", "namn eller din e-postadress"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.svc.ChangePassword(ctx, tt.current, tt.next)
			wantCode(t, err, distans.EINVALID, tt.sv)
			if e := err.(*distans.Error); e.Fields[0].Field != tt.field {
				t.Fatalf("field %q, want %q", e.Fields[0].Field, tt.field)
			}
		})
	}

	if err := f.svc.ChangePassword(ctx, "första-lösenordet", "andra-lösenordet"); err != nil {
		t.Fatal(err)
	}
	// Changing the password signs out everywhere, this browser included.
	for _, tk := range []string{tok, other} {
		if _, _, err := f.svc.Authenticate(f.ctx, tk); distans.ErrorCode(err) != distans.EUNAUTHORIZED {
			t.Fatalf("old session after change: %v, want unauthorized", err)
		}
	}
	_, err := f.svc.SignIn(f.ctx, "cecilia@kristianstad.se", "första-lösenordet", "")
	wantCode(t, err, distans.EUNAUTHORIZED, wrongCredentials)
	ctx = f.as(f.signIn("cecilia@kristianstad.se", "andra-lösenordet", ""))

	// Going back to an earlier password is refused (Kristianstad 003).
	err = f.svc.ChangePassword(ctx, "andra-lösenordet", "första-lösenordet")
	wantCode(t, err, distans.EINVALID, "använt det här lösenordet tidigare")

	t.Run("not signed in", func(t *testing.T) {
		wantCode(t, f.svc.ChangePassword(f.ctx, "a", "b"), distans.EUNAUTHORIZED, "")
		wantCode(t, f.svc.ChangePassword(f.sys(o.ID), "a", "b"), distans.EUNAUTHORIZED, "")
	})
}

func TestSetPasswordByHR(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o, root := f.org("kristianstad", distans.PasswordPolicy{MinLength: 8, HistoryCount: 5, MaxFailures: 2, LockoutMinutes: 60})
	north := f.unit(o, root, "Norra enheten")
	south := f.unit(o, root, "Södra enheten")
	p := f.person(o, north, "David Nord", "david@kristianstad.se", "davids-lösenord")
	hrNorth := f.person(o, north, "Nora HR", "nora@kristianstad.se", "noras-lösenord")
	f.grant(o, hrNorth, distans.RoleHR, north)
	hrSouth := f.person(o, south, "Sune HR", "sune@kristianstad.se", "sunes-lösenord")
	f.grant(o, hrSouth, distans.RoleHR, south)

	davidTok := f.signIn("david@kristianstad.se", "davids-lösenord", "")
	for range 2 {
		_, _ = f.svc.SignIn(f.ctx, "david@kristianstad.se", "glömt-lösenord", "")
	}

	// HR for another unit cannot see David.
	err := f.svc.SetPassword(f.as(f.signIn("sune@kristianstad.se", "sunes-lösenord", "")), p.ID, "nytt-lösenord-1")
	wantCode(t, err, distans.ENOTFOUND, "")

	nora := f.as(f.signIn("nora@kristianstad.se", "noras-lösenord", ""))
	wantCode(t, f.svc.SetPassword(nora, p.ID, "kort"), distans.EINVALID, "minst 8 tecken")
	if err := f.svc.SetPassword(nora, p.ID, "nytt-lösenord-1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Authenticate(f.ctx, davidTok); err == nil {
		t.Fatal("David's old session survived a new password")
	}
	// The lock is lifted and the new password works.
	f.signIn("david@kristianstad.se", "nytt-lösenord-1", "")
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o, root := f.org("kristianstad", distans.PasswordPolicy{})
	f.person(o, root, "Eva Ström", "eva@kristianstad.se", "evas-lösenord")

	t.Run("idle", func(t *testing.T) {
		tok := f.signIn("eva@kristianstad.se", "evas-lösenord", "")
		_, s0, err := f.svc.Authenticate(f.ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Add(30 * time.Second)
		_, s1, err := f.svc.Authenticate(f.ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		if !s1.LastSeenAt.Equal(s0.LastSeenAt) {
			t.Fatal("touched the session within a minute")
		}
		f.clock.Add(2 * time.Hour)
		_, s2, err := f.svc.Authenticate(f.ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		if !s2.ExpiresAt.After(s0.ExpiresAt) {
			t.Fatalf("expiry did not slide: %v then %v", s0.ExpiresAt, s2.ExpiresAt)
		}
		f.clock.Add(7*time.Hour + 59*time.Minute) // 7:59 idle, 10:29 since sign-in
		if _, _, err := f.svc.Authenticate(f.ctx, tok); err != nil {
			t.Fatalf("within the sliding window: %v", err)
		}
		f.clock.Add(8*time.Hour + time.Second)
		_, _, err = f.svc.Authenticate(f.ctx, tok)
		wantCode(t, err, distans.EUNAUTHORIZED, "gått ut")
		// An expired session is gone, not only refused.
		_, _, err = f.svc.Authenticate(f.ctx, tok)
		wantCode(t, err, distans.EUNAUTHORIZED, "inte inloggad")
	})

	t.Run("absolute", func(t *testing.T) {
		tok := f.signIn("eva@kristianstad.se", "evas-lösenord", "")
		for range 11 {
			f.clock.Add(time.Hour)
			if _, _, err := f.svc.Authenticate(f.ctx, tok); err != nil {
				t.Fatalf("busy session refused early: %v", err)
			}
		}
		f.clock.Add(time.Hour)
		_, _, err := f.svc.Authenticate(f.ctx, tok)
		wantCode(t, err, distans.EUNAUTHORIZED, "gått ut")
	})

	t.Run("unknown tokens", func(t *testing.T) {
		for _, tok := range []string{"", "nonsense", strings.Repeat("A", 43)} {
			_, _, err := f.svc.Authenticate(f.ctx, tok)
			wantCode(t, err, distans.EUNAUTHORIZED, "")
		}
	})
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o, root := f.org("kristianstad", distans.PasswordPolicy{})
	f.person(o, root, "Frida Lund", "frida@kristianstad.se", "fridas-lösenord")
	f.person(o, root, "Gustav Ås", "gustav@kristianstad.se", "gustavs-lösenord")

	laptop := f.signIn("frida@kristianstad.se", "fridas-lösenord", "")
	phone := f.signIn("frida@kristianstad.se", "fridas-lösenord", "")
	tablet := f.signIn("frida@kristianstad.se", "fridas-lösenord", "")
	gustav := f.signIn("gustav@kristianstad.se", "gustavs-lösenord", "")

	if err := f.svc.SignOut(f.ctx, tablet); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SignOut(f.ctx, tablet); err != nil {
		t.Fatalf("signing out twice: %v", err)
	}
	if _, _, err := f.svc.Authenticate(f.ctx, tablet); err == nil {
		t.Fatal("signed-out session still works")
	}
	f.as(laptop)

	if err := f.svc.SignOutEverywhere(f.as(phone)); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{laptop, phone} {
		if _, _, err := f.svc.Authenticate(f.ctx, tok); err == nil {
			t.Fatal("a session survived sign-out everywhere")
		}
	}
	f.as(gustav) // someone else's session is untouched
	wantCode(t, f.svc.SignOutEverywhere(f.ctx), distans.EUNAUTHORIZED, "")
}

func TestSignInChoices(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	kommun, kroot := f.org("kristianstad", distans.PasswordPolicy{})
	bolag, broot := f.org("c4-energi", distans.PasswordPolicy{})
	third, troot := f.org("renhallning", distans.PasswordPolicy{})
	pk := f.person(kommun, kroot, "Helena Dahl", "helena@kristianstad.se", "samma-lösenord")
	pb := f.person(bolag, broot, "Helena Dahl", "helena@kristianstad.se", "samma-lösenord")
	f.person(third, troot, "Helena Dahl", "helena@kristianstad.se", "annat-lösenord")

	res, err := f.svc.SignIn(f.ctx, "helena@kristianstad.se", "samma-lösenord", "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Token != "" || res.Session != nil || len(res.Choices) != 2 {
		t.Fatalf("result %+v: want two choices and no session", res)
	}
	var slugs []string
	for _, c := range res.Choices {
		slugs = append(slugs, c.OrgSlug)
		if c.OrgName == "" {
			t.Fatal("choice without the organisation's name")
		}
	}
	slices.Sort(slugs)
	if !slices.Equal(slugs, []string{"c4-energi", "kristianstad"}) {
		t.Fatalf("choices %v", slugs)
	}

	for _, tt := range []struct {
		slug string
		want *distans.Person
	}{{"kristianstad", pk}, {"c4-energi", pb}} {
		a, _, err := f.svc.Authenticate(f.ctx, f.signIn("helena@kristianstad.se", "samma-lösenord", tt.slug))
		if err != nil {
			t.Fatal(err)
		}
		if a.OrganisationID != tt.want.OrganisationID || a.PersonID != tt.want.ID {
			t.Fatalf("signed in to %s as %s, want %s", a.OrganisationID, a.PersonID, tt.want.ID)
		}
	}

	// The password of only one organisation signs in there directly.
	a, _, err := f.svc.Authenticate(f.ctx, f.signIn("helena@kristianstad.se", "annat-lösenord", ""))
	if err != nil {
		t.Fatal(err)
	}
	if a.OrganisationID != third.ID {
		t.Fatalf("signed in to %s, want %s", a.OrganisationID, third.ID)
	}
}

func TestSignInEndedEmployment(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o, root := f.org("kristianstad", distans.PasswordPolicy{})
	p := f.person(o, root, "Ivar Slut", "ivar@kristianstad.se", "ivars-lösenord")
	tok := f.signIn("ivar@kristianstad.se", "ivars-lösenord", "")
	key, _, err := f.svc.CreateAPIToken(f.as(tok), "", "Integration")
	if err != nil {
		t.Fatal(err)
	}

	es, err := f.st.ListEmployments(f.sys(o.ID), p.ID)
	if err != nil || len(es) != 1 {
		t.Fatalf("employments %v, %v", es, err)
	}
	if err := f.st.EndEmployment(f.sys(o.ID), es[0].ID, time.Now().AddDate(0, 0, -1)); err != nil {
		t.Fatal(err)
	}

	_, err = f.svc.SignIn(f.ctx, "ivar@kristianstad.se", "ivars-lösenord", "")
	wantCode(t, err, distans.EUNAUTHORIZED, "anställning i Org kristianstad har upphört")
	_, _, err = f.svc.Authenticate(f.ctx, tok)
	wantCode(t, err, distans.EUNAUTHORIZED, "har upphört")
	_, err = f.svc.AuthenticateAPIToken(f.ctx, key)
	wantCode(t, err, distans.EUNAUTHORIZED, "har upphört")
	// A wrong password still says only that something was wrong.
	_, err = f.svc.SignIn(f.ctx, "ivar@kristianstad.se", "fel-lösenord", "")
	wantCode(t, err, distans.EUNAUTHORIZED, wrongCredentials)
}

func TestActorGrants(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o, root := f.org("kristianstad", distans.PasswordPolicy{})
	hrUnit := f.unit(o, root, "HR")
	p := f.person(o, hrUnit, "Jenny Personal", "jenny@kristianstad.se", "jennys-lösenord")
	f.grant(o, p, distans.RoleHR, hrUnit)
	a, _, err := f.svc.Authenticate(f.ctx, f.signIn("jenny@kristianstad.se", "jennys-lösenord", ""))
	if err != nil {
		t.Fatal(err)
	}
	if !a.HasRole(distans.RoleHR) || a.Scope(distans.PermManageSignIn).All || !a.Scope(distans.PermManageSignIn).Contains(hrUnit.Path) {
		t.Fatalf("grants %+v: want HR in %s only", a.Grants, hrUnit.Path)
	}
}

// wantSame fails unless got is the very error want is: the same code and
// the same words in both languages.
func wantSame(t *testing.T, got, want error) {
	t.Helper()
	g, ok1 := got.(*distans.Error)
	w, ok2 := want.(*distans.Error)
	if !ok1 || !ok2 || g.Code != w.Code || g.Sv != w.Sv || g.En != w.En || len(g.Fields) != len(w.Fields) {
		t.Fatalf("error = %v, want the same as %v", got, want)
	}
}

// TestRequestClock: without a clock of its own, sign-in works at the
// request's instant (distans.NowFrom), as every other part of the request
// does, so that a session idle past its window is expired by the request's
// clock, not the server's.
func TestRequestClock(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.svc = New(Config{Accounts: f.st, Organisations: f.st, People: f.st, Packs: policy.NewService(f.st, f.st)})
	o, root := f.org("kristianstad", distans.PasswordPolicy{})
	f.person(o, root, "Eva Ström", "eva@kristianstad.se", "evas-lösenord")
	t0 := time.Now()
	res, err := f.svc.SignIn(distans.WithNow(f.ctx, t0), "eva@kristianstad.se", "evas-lösenord", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Authenticate(distans.WithNow(f.ctx, t0.Add(time.Hour)), res.Token); err != nil {
		t.Fatalf("an hour later: %v", err)
	}
	_, _, err = f.svc.Authenticate(distans.WithNow(f.ctx, t0.Add(10*time.Hour)), res.Token)
	wantCode(t, err, distans.EUNAUTHORIZED, "gått ut")
}
