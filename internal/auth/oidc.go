package auth

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/secret"
)

// Single sign-on with an organisation's OpenID provider, authorization code
// flow with PKCE (S256), state and nonce.
//
// No flow state is kept in memory, so that the callback may land on another
// instance than the one that started the flow. OIDCAuthURL instead returns,
// as its "state", an opaque value for the web layer to put in a short-lived
// HttpOnly cookie (path of the callback, SameSite=Lax, Max-Age of
// oidcFlowTTL); the callback passes it back as wantState. It carries the
// state sent to the provider, the nonce and the PKCE verifier. It is not
// signed: it is random, goes only between our server and the browser that
// started the flow, and is worth nothing without the code the provider
// sends to that same browser. Anyone able to write that cookie in a victim's
// browser could equally start a sign-in of their own there.

// oidcFlowTTL is how long a started sign-on may take at the provider.
const oidcFlowTTL = 10 * time.Minute

// providerCacheTTL is how long discovery of an issuer is kept; the key set
// is refreshed by go-oidc itself when a token has an unknown key.
const providerCacheTTL = time.Hour

type cachedProvider struct {
	p       *oidc.Provider
	fetched time.Time
}

// oidcFlow is what the cookie carries between OIDCAuthURL and OIDCCallback.
type oidcFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	OrgID    string `json:"o"`
	Expires  int64  `json:"e"` // Unix seconds
}

func (f *oidcFlow) encode() (string, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func decodeFlow(s string) (*oidcFlow, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	var f oidcFlow
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	if f.State == "" || f.Nonce == "" || f.Verifier == "" || f.OrgID == "" {
		return nil, fmt.Errorf("incomplete flow")
	}
	return &f, nil
}

func errSSOUnavailable() error {
	return distans.NotFound("Inloggning via organisationens egen inloggningstjänst (SSO) är inte påslagen.",
		"Single sign-on is not enabled for this organisation.")
}

func errSSOFailed() error {
	return distans.Errorf(distans.EUNAUTHORIZED,
		"Inloggningen via organisationens inloggningstjänst kunde inte slutföras. Börja om från inloggningssidan.",
		"Single sign-on could not be completed. Start again from the sign-in page.")
}

// ssoSetup returns the organisation, its provider settings, the discovered
// provider and the OAuth2 configuration for redirectURL.
func (s *Service) ssoSetup(ctx context.Context, orgSlug, redirectURL string) (*distans.Organisation, *distans.OIDCProvider, *oidc.Provider, *oauth2.Config, error) {
	org, err := s.orgs.FindOrganisationBySlug(ctx, orgSlug)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if !org.Status.AdmitsSignIn() {
		// Its accounts are gone from sign-in too; refusing here spares
		// the person a round trip to the provider that could only fail.
		return nil, nil, nil, nil, errSSOUnavailable()
	}
	settings, err := s.accounts.FindOIDCProvider(system(ctx, org.ID), org.ID)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return nil, nil, nil, nil, errSSOUnavailable()
	} else if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("auth: find OIDC provider: %w", err)
	}
	if !settings.Enabled {
		return nil, nil, nil, nil, errSSOUnavailable()
	}
	p, err := s.provider(ctx, settings.Issuer)
	if err != nil {
		s.log.ErrorContext(ctx, "OIDC discovery failed", "organisation_id", org.ID, "issuer", settings.Issuer, "err", err)
		return nil, nil, nil, nil, distans.Errorf(distans.EUNAUTHORIZED,
			"Organisationens inloggningstjänst svarar inte just nu. Försök igen om en stund.",
			"The organisation's sign-in service is not answering. Try again in a while.")
	}
	cfg := &oauth2.Config{
		ClientID:     settings.ClientID,
		ClientSecret: settings.ClientSecret,
		Endpoint:     p.Endpoint(),
		RedirectURL:  redirectURL,
		Scopes:       []string{oidc.ScopeOpenID, "email", "profile"},
	}
	return org, settings, p, cfg, nil
}

// provider returns the discovered provider for issuer, from the cache when
// fresh. Discovery runs outside the lock; two concurrent first requests may
// both discover, which is harmless.
func (s *Service) provider(ctx context.Context, issuer string) (*oidc.Provider, error) {
	s.providersMu.Lock()
	c, ok := s.providers[issuer]
	s.providersMu.Unlock()
	if ok && time.Since(c.fetched) < providerCacheTTL {
		return c.p, nil
	}
	// The provider keeps the client from this context for fetching keys
	// later, detached from this request's cancellation by go-oidc.
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, s.client), issuer)
	if err != nil {
		return nil, err
	}
	s.providersMu.Lock()
	s.providers[issuer] = &cachedProvider{p: p, fetched: time.Now()}
	s.providersMu.Unlock()
	return p, nil
}

// OIDCAuthURL starts single sign-on for the organisation. It returns the
// provider's authorisation URL to redirect the browser to, and an opaque
// value that the web layer must keep in a short-lived HttpOnly cookie and
// pass back to OIDCCallback as wantState.
func (s *Service) OIDCAuthURL(ctx context.Context, orgSlug, redirectURL string) (authURL, state string, err error) {
	org, _, _, cfg, err := s.ssoSetup(ctx, orgSlug, redirectURL)
	if err != nil {
		return "", "", err
	}
	f := &oidcFlow{OrgID: org.ID, Expires: s.clock(ctx).Add(oidcFlowTTL).Unix(), Verifier: oauth2.GenerateVerifier()}
	if f.State, err = secret.New(32); err != nil {
		return "", "", err
	}
	if f.Nonce, err = secret.New(32); err != nil {
		return "", "", err
	}
	cookie, err := f.encode()
	if err != nil {
		return "", "", fmt.Errorf("auth: encode flow: %w", err)
	}
	u := cfg.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	return u, cookie, nil
}

// OIDCCallback finishes single sign-on: state is the "state" parameter of
// the provider's redirect and wantState the cookie set from OIDCAuthURL. It
// exchanges the code, verifies the ID token (signature, issuer, audience,
// expiry, nonce), finds the person by the organisation's configured claim,
// and starts a session. A lock from failed password attempts does not stop
// single sign-on: the provider has proven who it is.
func (s *Service) OIDCCallback(ctx context.Context, orgSlug, redirectURL, code, state, wantState string) (*distans.SignInResult, error) {
	f, err := decodeFlow(wantState)
	if err != nil || state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(f.State)) != 1 {
		s.log.WarnContext(ctx, "sign-in failed", "method", "oidc", "reason", "state mismatch", "org_slug", orgSlug)
		return nil, errSSOFailed()
	}
	if s.clock(ctx).Unix() > f.Expires {
		s.log.WarnContext(ctx, "sign-in failed", "method", "oidc", "reason", "flow expired", "org_slug", orgSlug)
		return nil, errSSOFailed()
	}
	org, settings, p, cfg, err := s.ssoSetup(ctx, orgSlug, redirectURL)
	if err != nil {
		return nil, err
	}
	if org.ID != f.OrgID {
		s.log.WarnContext(ctx, "sign-in failed", "method", "oidc", "reason", "organisation mismatch", "organisation_id", org.ID)
		return nil, errSSOFailed()
	}
	cctx := oidc.ClientContext(ctx, s.client)
	tok, err := cfg.Exchange(cctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		s.log.WarnContext(ctx, "sign-in failed", "method", "oidc", "reason", "code exchange", "organisation_id", org.ID, "err", err)
		return nil, errSSOFailed()
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		s.log.WarnContext(ctx, "sign-in failed", "method", "oidc", "reason", "no id_token", "organisation_id", org.ID)
		return nil, errSSOFailed()
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: settings.ClientID, Now: func() time.Time { return s.clock(ctx) }}).Verify(cctx, raw)
	if err != nil {
		s.log.WarnContext(ctx, "sign-in failed", "method", "oidc", "reason", "id_token", "organisation_id", org.ID, "err", err)
		return nil, errSSOFailed()
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		s.log.WarnContext(ctx, "sign-in failed", "method", "oidc", "reason", "nonce mismatch", "organisation_id", org.ID)
		return nil, errSSOFailed()
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, fmt.Errorf("auth: id_token claims: %w", err)
	}
	acc, err := s.ssoAccount(ctx, org, settings, claims)
	if err != nil {
		return nil, err
	}
	res, err := s.newSession(ctx, acc, distans.SignInSSO)
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "sign-in", "method", "oidc", "organisation_id", acc.OrganisationID, "person_id", acc.PersonID)
	return res, nil
}

// ssoAccount finds the person the ID token names, by the organisation's
// configured claim and match (e-mail or employee number).
func (s *Service) ssoAccount(ctx context.Context, org *distans.Organisation, settings *distans.OIDCProvider, claims map[string]any) (*distans.Account, error) {
	claim := settings.Claim
	if claim == "" {
		claim = "email"
	}
	value, _ := claims[claim].(string)
	value = strings.TrimSpace(value)
	byNumber := settings.MatchBy == "employee_number"
	// Swedish needs the noun's gender and definite form: "ingen
	// e-postadress", "inget anställningsnummer", "har e-postadressen".
	what := [4]string{"ingen e-postadress", "e-postadressen", "no e-mail address", "the e-mail address"}
	if byNumber {
		what = [4]string{"inget anställningsnummer", "anställningsnumret", "no employee number", "the employee number"}
	}
	if value == "" {
		s.log.WarnContext(ctx, "sign-in failed", "method", "oidc", "reason", "claim missing", "claim", claim, "organisation_id", org.ID)
		return nil, distans.Errorf(distans.EUNAUTHORIZED,
			fmt.Sprintf("Inloggningstjänsten skickade %s, så vi vet inte vem du är. Kontakta IT-support.", what[0]),
			fmt.Sprintf("The sign-in service sent %s, so we cannot tell who you are. Contact IT support.", what[2]))
	}
	if claim == "email" {
		// An address the provider has not verified proves nothing.
		if v, ok := claims["email_verified"].(bool); ok && !v {
			s.log.WarnContext(ctx, "sign-in failed", "method", "oidc", "reason", "email not verified", "organisation_id", org.ID)
			return nil, distans.Errorf(distans.EUNAUTHORIZED,
				"Inloggningstjänsten har inte bekräftat din e-postadress. Kontakta IT-support.",
				"The sign-in service has not verified your e-mail address. Contact IT support.")
		}
	}
	sctx := system(ctx, org.ID)
	var acc *distans.Account
	if byNumber {
		a, err := s.accounts.FindAccountByEmployeeNumber(sctx, org.ID, value)
		if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
			return nil, fmt.Errorf("auth: find account: %w", err)
		}
		acc = a
	} else {
		all, err := s.accounts.FindAccounts(sctx, distans.NormalizeEmail(value))
		if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
			return nil, fmt.Errorf("auth: find accounts: %w", err)
		}
		for _, a := range all {
			if a.OrganisationID == org.ID {
				acc = a
			}
		}
	}
	if acc == nil {
		s.log.WarnContext(ctx, "sign-in failed", "method", "oidc", "reason", "unknown person", "organisation_id", org.ID)
		return nil, distans.Errorf(distans.EUNAUTHORIZED,
			fmt.Sprintf("Du är inloggad hos inloggningstjänsten, men ingen person i %s har %s %s. Be HR lägga in dig eller rätta uppgiften.", org.Name, what[1], value),
			fmt.Sprintf("You are signed in at the sign-in service, but nobody in %s has %s %s. Ask HR to add you or correct it.", org.Name, what[3], value))
	}
	if acc.Ended {
		s.log.InfoContext(ctx, "sign-in refused: employment ended", "method", "oidc", "organisation_id", acc.OrganisationID, "person_id", acc.PersonID)
		return nil, errEnded(org.Name)
	}
	return acc, nil
}
