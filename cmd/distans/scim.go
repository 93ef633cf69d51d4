package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/config"
)

const scimUsage = "användning / usage: distans scim token -org SLUG [-name NAMN] | distans scim revoke -org SLUG -id ID"

// runSCIM makes and revokes the bearer tokens of an organisation's
// identity system (SCIM provisioning). The operator at the console acts as
// the system of the organisation, and the audit trail says so; the secret
// is printed once and never kept.
func runSCIM(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "token" && args[0] != "revoke" {
		return &exitError{2, scimUsage}
	}
	sub := args[0]
	var org, name, id string
	c, _, err := config.Load("scim "+sub, args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&org, "org", "", "the organisation's slug")
		if sub == "token" {
			fs.StringVar(&name, "name", "SCIM", "what the token is for, e.g. the identity system's name")
		} else {
			fs.StringVar(&id, "id", "", "the token's ID, as the SCIM page lists it")
		}
	})
	if err != nil {
		return usageError(err)
	}
	if org == "" || sub == "revoke" && id == "" {
		return &exitError{2, scimUsage}
	}
	a, err := app.Open(ctx, app.Config{DB: c.DB, Logger: newLogger(c, stderr)})
	if err != nil {
		return err
	}
	defer a.Close()
	o, err := a.Store.FindOrganisationBySlug(ctx, org)
	if err != nil {
		return &exitError{1, "okänd organisation / unknown organisation: " + org}
	}
	sctx := distans.NewContext(ctx, distans.SystemActor(o.ID))
	if sub == "revoke" {
		if err := a.Services.SCIMAdmin.RevokeSCIMToken(sctx, id); err != nil {
			return userError(err)
		}
		fmt.Fprintf(stdout, "SCIM-nyckeln %s är återkallad / the SCIM token was revoked.\n", id)
		return nil
	}
	secret, t, err := a.Services.SCIMAdmin.CreateSCIMToken(sctx, name)
	if err != nil {
		return userError(err)
	}
	fmt.Fprintf(stderr, "SCIM-nyckel %s (%s) för %s; den visas bara nu / shown only now:\n", t.ID, t.Name, o.Name)
	fmt.Fprintln(stdout, secret)
	return nil
}

// userError turns a domain error into the exit error that says it in
// both languages.
func userError(err error) error {
	if e, ok := err.(*distans.Error); ok {
		return &exitError{1, e.Sv + " / " + e.En}
	}
	return err
}
