package auth

import (
	"net/url"
	"testing"
	"time"

	"github.com/distans/distans"
)

const callbackURL = "http://distans.test/sso/kristianstad/callback"

// ssoFixture is an organisation whose single sign-on goes to a real
// in-process OpenID provider.
func ssoFixture(t *testing.T, matchBy, claim string) (*fixture, *testOP, *distans.Organisation, *distans.Unit) {
	t.Helper()
	f := newFixture(t)
	idp := newTestOP(t, callbackURL)
	o, root := f.org("kristianstad", distans.PasswordPolicy{})
	if err := f.st.SaveOIDCProvider(f.sys(o.ID), &distans.OIDCProvider{
		OrganisationID: o.ID, Issuer: idp.URL, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		Claim: claim, MatchBy: matchBy, Enabled: true,
	}); err != nil {
		t.Fatal(err)
	}
	return f, idp, o, root
}

// sso drives a whole sign-on as the browser would and returns the result.
func (f *fixture) sso(idp *testOP, u testUser) (*distans.SignInResult, error) {
	f.t.Helper()
	idp.SetUser(u)
	authURL, cookie, err := f.svc.OIDCAuthURL(f.ctx, "kristianstad", callbackURL)
	if err != nil {
		f.t.Fatalf("OIDCAuthURL: %v", err)
	}
	code, state := authorize(f.t, authURL, callbackURL)
	return f.svc.OIDCCallback(f.ctx, "kristianstad", callbackURL, code, state, cookie)
}

func TestOIDCByEmail(t *testing.T) {
	t.Parallel()
	f, idp, o, root := ssoFixture(t, "email", "email")
	olle := f.person(o, root, "Olle Sjö", "olle.sjo@kristianstad.se", "")
	ended := f.person(o, root, "Pia Förr", "pia@kristianstad.se", "")
	es, err := f.st.ListEmployments(f.sys(o.ID), ended.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.EndEmployment(f.sys(o.ID), es[0].ID, time.Now().AddDate(0, 0, -1)); err != nil {
		t.Fatal(err)
	}

	t.Run("authorisation URL", func(t *testing.T) {
		authURL, cookie, err := f.svc.OIDCAuthURL(f.ctx, "kristianstad", callbackURL)
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(authURL)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		for _, k := range []string{"state", "nonce", "code_challenge"} {
			if q.Get(k) == "" {
				t.Errorf("no %s in %s", k, authURL)
			}
		}
		if q.Get("code_challenge_method") != "S256" || q.Get("client_id") != idp.ClientID || q.Get("redirect_uri") != callbackURL {
			t.Errorf("authorisation URL %s", authURL)
		}
		flow, err := decodeFlow(cookie)
		if err != nil || flow.State != q.Get("state") || flow.Nonce != q.Get("nonce") {
			t.Fatalf("cookie %q does not carry the state and nonce: %v", cookie, err)
		}
	})

	t.Run("success", func(t *testing.T) {
		// The provider may send the address in another case.
		res, err := f.sso(idp, testUser{Subject: "olle", Email: "Olle.Sjo@Kristianstad.se", EmailVerified: true})
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := f.svc.Authenticate(f.ctx, res.Token)
		if err != nil {
			t.Fatal(err)
		}
		if a.PersonID != olle.ID || a.OrganisationID != o.ID {
			t.Fatalf("signed in as %s in %s, want Olle", a.PersonID, a.OrganisationID)
		}
	})

	t.Run("unknown e-mail", func(t *testing.T) {
		_, err := f.sso(idp, testUser{Subject: "x", Email: "okand@kristianstad.se", EmailVerified: true})
		wantCode(t, err, distans.EUNAUTHORIZED, "ingen person i Org kristianstad har e-postadressen okand@kristianstad.se")
	})

	t.Run("unverified e-mail", func(t *testing.T) {
		_, err := f.sso(idp, testUser{Subject: "olle", Email: "olle.sjo@kristianstad.se", EmailVerified: false})
		wantCode(t, err, distans.EUNAUTHORIZED, "inte bekräftat din e-postadress")
	})

	t.Run("ended employment", func(t *testing.T) {
		_, err := f.sso(idp, testUser{Subject: "pia", Email: "pia@kristianstad.se", EmailVerified: true})
		wantCode(t, err, distans.EUNAUTHORIZED, "har upphört")
	})

	t.Run("wrong state", func(t *testing.T) {
		idp.SetUser(testUser{Subject: "olle", Email: "olle.sjo@kristianstad.se", EmailVerified: true})
		authURL, cookie, err := f.svc.OIDCAuthURL(f.ctx, "kristianstad", callbackURL)
		if err != nil {
			t.Fatal(err)
		}
		_, otherCookie, err := f.svc.OIDCAuthURL(f.ctx, "kristianstad", callbackURL)
		if err != nil {
			t.Fatal(err)
		}
		code, state := authorize(t, authURL, callbackURL)
		for name, tc := range map[string][2]string{
			"state from another flow": {state, otherCookie},
			"forged state":            {"forged", cookie},
			"no cookie":               {state, ""},
			"garbage cookie":          {state, "!!"},
		} {
			_, err := f.svc.OIDCCallback(f.ctx, "kristianstad", callbackURL, code, tc[0], tc[1])
			if distans.ErrorCode(err) != distans.EUNAUTHORIZED {
				t.Errorf("%s: %v, want unauthorized", name, err)
			}
		}
		// With the right pair the same code still works: nothing was spent.
		if _, err := f.svc.OIDCCallback(f.ctx, "kristianstad", callbackURL, code, state, cookie); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("expired flow", func(t *testing.T) {
		idp.SetUser(testUser{Subject: "olle", Email: "olle.sjo@kristianstad.se", EmailVerified: true})
		authURL, cookie, err := f.svc.OIDCAuthURL(f.ctx, "kristianstad", callbackURL)
		if err != nil {
			t.Fatal(err)
		}
		code, state := authorize(t, authURL, callbackURL)
		f.clock.Add(oidcFlowTTL + time.Second)
		defer f.clock.Add(-oidcFlowTTL - time.Second)
		_, err = f.svc.OIDCCallback(f.ctx, "kristianstad", callbackURL, code, state, cookie)
		wantCode(t, err, distans.EUNAUTHORIZED, "Börja om")
	})

	t.Run("wrong code", func(t *testing.T) {
		_, cookie, err := f.svc.OIDCAuthURL(f.ctx, "kristianstad", callbackURL)
		if err != nil {
			t.Fatal(err)
		}
		flow, _ := decodeFlow(cookie)
		_, err = f.svc.OIDCCallback(f.ctx, "kristianstad", callbackURL, "made-up", flow.State, cookie)
		wantCode(t, err, distans.EUNAUTHORIZED, "")
	})
}

func TestOIDCByEmployeeNumber(t *testing.T) {
	t.Parallel()
	f, idp, o, root := ssoFixture(t, "employee_number", "employee_number")
	q := f.person(o, root, "Quinn Nummer", "quinn@kristianstad.se", "")
	number := "K-4711"
	if _, err := f.st.UpdatePerson(f.sys(o.ID), q.ID, distans.PersonUpdate{EmployeeNumber: &number}); err != nil {
		t.Fatal(err)
	}

	res, err := f.sso(idp, testUser{Subject: "q", Email: "annan@example.com", EmployeeNumber: "K-4711"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Session.PersonID != q.ID {
		t.Fatalf("person %s, want %s", res.Session.PersonID, q.ID)
	}
	_, err = f.sso(idp, testUser{Subject: "r", Email: "quinn@kristianstad.se", EmailVerified: true, EmployeeNumber: "K-0000"})
	wantCode(t, err, distans.EUNAUTHORIZED, "anställningsnumret K-0000")
	_, err = f.sso(idp, testUser{Subject: "s", Email: "quinn@kristianstad.se", EmailVerified: true})
	wantCode(t, err, distans.EUNAUTHORIZED, "skickade inget anställningsnummer")
}

func TestOIDCNotConfigured(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.org("vara", distans.PasswordPolicy{})
	_, _, err := f.svc.OIDCAuthURL(f.ctx, "vara", callbackURL)
	wantCode(t, err, distans.ENOTFOUND, "inte påslagen")
	_, _, err = f.svc.OIDCAuthURL(f.ctx, "finns-inte", callbackURL)
	wantCode(t, err, distans.ENOTFOUND, "")
}
