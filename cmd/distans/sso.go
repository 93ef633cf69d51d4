package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/config"
)

// runSSO sets or shows an organisation's single sign-on (OpenID Connect)
// settings. The client secret is read from DISTANS_SSO_CLIENT_SECRET, never
// from the command line, where other users of the machine could see it.
func runSSO(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "set" && args[0] != "show") {
		return &exitError{2, "användning / usage: distans sso set -org SLUG -issuer URL -client-id ID [-claim email] [-match-by email|employee_number] [-enabled=false]\n       distans sso show -org SLUG"}
	}
	verb := args[0]
	p := distans.OIDCProvider{Claim: "email", MatchBy: "email", Enabled: true}
	var org string
	c, _, err := config.Load("sso "+verb, args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&org, "org", "", "the organisation's slug")
		if verb == "set" {
			fs.StringVar(&p.Issuer, "issuer", "", "the OpenID provider's issuer URL")
			fs.StringVar(&p.ClientID, "client-id", "", "the client id Distans has at the provider")
			fs.StringVar(&p.Claim, "claim", p.Claim, "the ID-token claim that names the person")
			fs.StringVar(&p.MatchBy, "match-by", p.MatchBy, "what the claim is matched against: email or employee_number")
			fs.BoolVar(&p.Enabled, "enabled", p.Enabled, "whether people may sign in this way")
		}
	})
	if err != nil {
		return usageError(err)
	}
	if org == "" {
		return &exitError{2, "ange -org / give -org"}
	}
	s, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer s.Close()
	o, err := s.FindOrganisationBySlug(ctx, org)
	if err != nil {
		return &exitError{1, "okänd organisation / unknown organisation: " + org}
	}
	if verb == "show" {
		cur, err := s.FindOIDCProvider(ctx, o.ID)
		if err != nil {
			return &exitError{1, "SSO är inte inställd för / single sign-on is not set up for " + org}
		}
		fmt.Fprintf(stdout, "issuer:    %s\nclient-id: %s\nclaim:     %s\nmatch-by:  %s\nenabled:   %v\nsecret:    %s\n",
			cur.Issuer, cur.ClientID, cur.Claim, cur.MatchBy, cur.Enabled, map[bool]string{true: "satt / set", false: "saknas / missing"}[cur.ClientSecret != ""])
		return nil
	}
	if u, err := url.Parse(p.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return &exitError{2, "-issuer måste vara en https-adress / -issuer must be an https URL"}
	}
	p.OrganisationID = o.ID
	p.ClientSecret = getenv("DISTANS_SSO_CLIENT_SECRET")
	ctx = distans.NewContext(ctx, distans.SystemActor(o.ID))
	if err := s.SaveOIDCProvider(ctx, &p); err != nil {
		if e, ok := err.(*distans.Error); ok {
			return &exitError{2, e.Error()}
		}
		return err
	}
	fmt.Fprintf(stdout, "SSO är inställd för %s / single sign-on is set up for %s\n", org, org)
	return nil
}
