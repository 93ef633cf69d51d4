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

// runInvite invites a person of an organisation to set their password:
// the link is e-mailed when SMTP is set, else printed for the operator to
// hand over. With -pending it invites everyone of the organisation who
// still needs it (AccountLinkService.InvitePending) and prints the links
// as CSV, or how many were e-mailed; it returns when the mails have gone.
// The operator acts as the system of the organisation, and the audit
// trail says so.
func runInvite(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var org, email string
	var pending bool
	c, _, err := config.Load("invite", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&org, "org", "", "the organisation's slug")
		fs.StringVar(&email, "email", "", "the person's e-mail address")
		fs.BoolVar(&pending, "pending", false, "invite everyone with a current employment who has no password and no unused invitation")
	})
	if err != nil {
		return usageError(err)
	}
	if org == "" || (email == "") == !pending {
		return &exitError{2, "ange -org och antingen -email eller -pending / give -org and either -email or -pending"}
	}
	logger := newLogger(c, stderr)
	m, err := newMailer(c, logger)
	if err != nil {
		return err
	}
	a, err := app.Open(ctx, app.Config{DB: c.DB, Logger: logger, Mailer: m, BaseURL: c.BaseURL})
	if err != nil {
		return err
	}
	defer a.Close()
	o, err := a.Store.FindOrganisationBySlug(ctx, org)
	if err != nil {
		return &exitError{1, "okänd organisation / unknown organisation: " + org}
	}
	if pending {
		return invitePending(distans.NewContext(ctx, distans.SystemActor(o.ID)), a, o, stdout)
	}
	accounts, err := a.Store.FindAccounts(ctx, email)
	if err != nil {
		return err
	}
	for _, acc := range accounts {
		if acc.OrganisationID != o.ID {
			continue
		}
		inv, err := a.Services.Links.Invite(distans.NewContext(ctx, distans.SystemActor(o.ID)), acc.PersonID)
		if err != nil {
			if e, ok := err.(*distans.Error); ok {
				return &exitError{1, e.Sv + " / " + e.En}
			}
			return err
		}
		until := inv.ExpiresAt.In(o.Location()).Format("2006-01-02 15:04")
		if inv.Sent {
			fmt.Fprintf(stdout, "Inbjudan är skickad till / the invitation was e-mailed to %s; länken gäller till / the link works until %s.\n", inv.Email, until)
			return nil
		}
		fmt.Fprintf(stdout, "Ge länken till / hand the link to %s <%s>; den fungerar en gång, till / it works once, until %s:\n%s\n",
			inv.Name, inv.Email, until, inv.URL)
		return nil
	}
	return &exitError{1, fmt.Sprintf("ingen person med e-postadressen %s i %s / no such person", email, org)}
}

// invitePending invites everyone pending in o and prints the links to
// hand over as CSV (what the page offers for download), or how many
// invitations are being e-mailed; app.Close, deferred by the caller,
// waits for those mails. A mail that fails ends its link and is logged.
func invitePending(ctx context.Context, a *app.App, o *distans.Organisation, stdout io.Writer) error {
	b, err := a.Services.Links.InvitePending(ctx)
	if err != nil {
		if e, ok := err.(*distans.Error); ok {
			return &exitError{1, e.Sv + " / " + e.En}
		}
		return err
	}
	if hand := b.HandOver(); len(hand) > 0 {
		return distans.WriteInvitationsCSV(stdout, hand, o.Location())
	}
	if b.Count == 0 {
		_, err := fmt.Fprintln(stdout, "Ingen behövde en inbjudan / nobody needed an invitation")
		return err
	}
	if b.Mailed == 1 {
		_, err = fmt.Fprintln(stdout, "1 inbjudan skickad per e-post / 1 invitation e-mailed")
		return err
	}
	_, err = fmt.Fprintf(stdout, "%d inbjudningar skickade per e-post / %d invitations e-mailed\n", b.Mailed, b.Mailed)
	return err
}
