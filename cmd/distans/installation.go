package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/config"
	"github.com/distans/distans/internal/policy"
)

// The installation's administration from the server's console: the first
// operator (driftadministratör) and the lives of organisations. The
// console acts as the system of the installation (no organisation), which
// Actor.RunsInstallation admits, and the organisations' audit trails say
// "system" for its changes.

const adminUsage = "användning / usage: distans admin create -email E-POST [-name NAMN]\n       distans admin link -email E-POST"

const orgUsage = `användning / usage:
  distans org create -slug SLUG -name NAMN -admin E-POST [-admin-name NAMN] [-pack MALL] [-time-zone TZ] [-language sv|en]
  distans org list
  distans org rename -slug SLUG [-name NAMN] [-new-slug SLUG]
  distans org suspend|resume -slug SLUG
  distans org end -slug SLUG -confirm SLUG`

// openInstallation opens Distans for the console's installation work.
func openInstallation(ctx context.Context, c config.Config, stderr io.Writer) (*app.App, context.Context, error) {
	logger := newLogger(c, stderr)
	// With SMTP set, a new organisation's administrator gets the
	// invitation by e-mail; without, the link is printed to hand over.
	m, err := newMailer(c, logger)
	if err != nil {
		return nil, nil, err
	}
	a, err := app.Open(ctx, app.Config{DB: c.DB, Logger: logger, Mailer: m, BaseURL: c.BaseURL})
	if err != nil {
		return nil, nil, err
	}
	return a, distans.NewContext(ctx, distans.SystemActor("")), nil
}

// inputError turns an error meant for the user into the exit status of bad
// input (2), or of something not found (1), with its message in Swedish and
// English and every field's; anything else passes through.
func inputError(err error) error {
	var e *distans.Error
	if !errors.As(err, &e) {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s", e.Sv, e.En)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "\n  -%s: %s / %s", flagOf(f.Field), f.Sv, f.En)
	}
	code := 2
	if e.Code == distans.ENOTFOUND {
		code = 1
	} else if e.Code != distans.EINVALID && e.Code != distans.ECONFLICT {
		code = 1
	}
	return &exitError{code, b.String()}
}

// flagOf names the flag that carries a field.
func flagOf(field string) string {
	switch field {
	case "admin_email":
		return "admin"
	case "admin_name":
		return "admin-name"
	case "time_zone":
		return "time-zone"
	}
	return field
}

func runAdmin(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "link") {
		return &exitError{2, adminUsage}
	}
	verb := args[0]
	var email, name string
	c, _, err := config.Load("admin "+verb, args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the operator's e-mail address")
		if verb == "create" {
			fs.StringVar(&name, "name", "", "the operator's name")
		}
	})
	if err != nil {
		return usageError(err)
	}
	if strings.TrimSpace(email) == "" {
		return &exitError{2, "ange -email / give -email\n" + adminUsage}
	}
	a, sys, err := openInstallation(ctx, c, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	if verb == "link" {
		inv, err := a.Services.Installation.NewOperatorLink(sys, email)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return &exitError{1, "ingen driftadministratör med e-postadressen / no operator with the e-mail address " + email}
		} else if err != nil {
			return inputError(err)
		}
		fmt.Fprintf(stdout, "Ny länk för %s; tidigare länkar fungerar inte längre. Den fungerar en gång, till %s:\n"+
			"A new link for %s; earlier links no longer work. It works once, until %s:\n\n  %s\n",
			inv.Operator.Email, stamp(inv.ExpiresAt), inv.Operator.Email, stamp(inv.ExpiresAt), inv.URL)
		return nil
	}
	inv, err := a.Services.Installation.CreateOperator(sys, email, name)
	if err != nil {
		return inputError(err)
	}
	fmt.Fprintf(stdout, "Driftadministratören %s är skapad. Öppna länken för att välja lösenord (den fungerar en gång, till %s):\n"+
		"The operator %s is created. Open the link to choose a password (it works once, until %s):\n\n  %s\n",
		inv.Operator.Email, stamp(inv.ExpiresAt), inv.Operator.Email, stamp(inv.ExpiresAt), inv.URL)
	return nil
}

func runOrg(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return &exitError{2, orgUsage}
	}
	verb, args := args[0], args[1:]
	var n distans.NewOrganisation
	var slug, name, newSlug, confirm string
	c, _, err := config.Load("org "+verb, args, getenv, stderr, func(fs *flag.FlagSet) {
		switch verb {
		case "create":
			fs.StringVar(&n.Slug, "slug", "", "the organisation's slug: a–z, 0–9 and hyphens")
			fs.StringVar(&n.Name, "name", "", "the organisation's name")
			fs.StringVar(&n.AdminEmail, "admin", "", "the e-mail address of its first administrator")
			fs.StringVar(&n.AdminName, "admin-name", "", "the first administrator's name")
			fs.StringVar(&n.Pack, "pack", policy.GenericTemplate, "the policy pack to copy: "+strings.Join(policy.Templates(), ", "))
			fs.StringVar(&n.TimeZone, "time-zone", "Europe/Stockholm", "the organisation's time zone")
			fs.StringVar(&n.Language, "language", "sv", "the organisation's language: sv or en")
		case "rename":
			fs.StringVar(&slug, "slug", "", "the organisation's slug")
			fs.StringVar(&name, "name", "", "its new name")
			fs.StringVar(&newSlug, "new-slug", "", "its new slug")
		case "suspend", "resume", "end":
			fs.StringVar(&slug, "slug", "", "the organisation's slug")
			if verb == "end" {
				fs.StringVar(&confirm, "confirm", "", "the slug again: ending is final")
			}
		}
	})
	if err != nil {
		return usageError(err)
	}
	switch verb {
	case "create":
		var missing []string
		for _, f := range []struct{ flag, v string }{{"-slug", n.Slug}, {"-name", n.Name}, {"-admin", n.AdminEmail}} {
			if strings.TrimSpace(f.v) == "" {
				missing = append(missing, f.flag)
			}
		}
		if len(missing) > 0 {
			return &exitError{2, "ange / give " + strings.Join(missing, ", ") + "\n" + orgUsage}
		}
	case "list":
	case "rename", "suspend", "resume", "end":
		if slug == "" {
			return &exitError{2, "ange -slug / give -slug\n" + orgUsage}
		}
		if verb == "rename" && name == "" && newSlug == "" {
			return &exitError{2, "ange -name eller -new-slug / give -name or -new-slug"}
		}
		if verb == "end" && confirm != slug {
			return &exitError{2, "att avsluta en organisation går inte att ångra: upprepa kortnamnet med -confirm " + slug +
				"\nending an organisation cannot be undone: repeat its slug with -confirm " + slug}
		}
	default:
		return &exitError{2, fmt.Sprintf("okänt kommando / unknown command org %s\n%s", verb, orgUsage)}
	}

	a, sys, err := openInstallation(ctx, c, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	inst := a.Services.Installation
	switch verb {
	case "create":
		return orgCreate(sys, inst, n, stdout)
	case "list":
		return orgList(sys, inst, stdout)
	}
	o, err := a.Store.FindOrganisationBySlug(ctx, slug)
	if err != nil {
		return &exitError{1, "okänd organisation / unknown organisation: " + slug}
	}
	switch verb {
	case "rename":
		if name == "" {
			name = o.Name
		}
		if newSlug == "" {
			newSlug = o.Slug
		}
		if o, err = inst.RenameOrganisation(sys, o.ID, name, newSlug); err != nil {
			return inputError(err)
		}
		fmt.Fprintf(stdout, "Organisationen heter nu %s (%s) / the organisation is now %s (%s)\n", o.Name, o.Slug, o.Name, o.Slug)
		return nil
	}
	to := map[string]distans.OrgStatus{"suspend": distans.OrgSuspended, "resume": distans.OrgActive, "end": distans.OrgEnded}[verb]
	if o, err = inst.SetOrganisationStatus(sys, o.ID, to); err != nil {
		return inputError(err)
	}
	fmt.Fprintf(stdout, "%s är nu %s / %s is now %s\n", o.Slug, strings.ToLower(o.Status.Label("sv")), o.Slug,
		strings.ToLower(o.Status.Label("en")))
	return nil
}

func orgCreate(ctx context.Context, inst distans.InstallationService, n distans.NewOrganisation, stdout io.Writer) error {
	res, err := inst.CreateOrganisation(ctx, n)
	if err != nil {
		return inputError(err)
	}
	o, p := res.Organisation, res.Admin
	fmt.Fprintf(stdout, "Organisationen %s (%s) är skapad / the organisation is created.\n"+
		"  tidszon / time zone:  %s\n  språk / language:     %s\n"+
		"  regelpaket / pack:    version %d, %s\n"+
		"  administratör:        %s <%s>\n",
		o.Name, o.Slug, o.TimeZone, o.Language, res.PolicyVersion.Version, res.PolicyVersion.Reason, p.Name, p.Email)
	switch inv := res.Invitation; {
	case res.InviteError != nil:
		msg := res.InviteError.Error()
		var e *distans.Error
		if errors.As(res.InviteError, &e) {
			msg = e.Sv + " / " + e.En
		}
		return &exitError{1, "Organisationen är skapad, men administratören kunde inte bjudas in / the organisation is created, " +
			"but its administrator could not be invited: " + msg}
	case inv.Sent:
		fmt.Fprintf(stdout, "Inbjudan är skickad med e-post till %s (gäller till %s).\nThe invitation is e-mailed to %s (valid until %s).\n",
			p.Email, stamp(inv.ExpiresAt), p.Email, stamp(inv.ExpiresAt))
	default:
		fmt.Fprintf(stdout, "Ge administratören den här länken; den fungerar en gång, till %s.\n"+
			"Give the administrator this link; it works once, until %s.\n\n  %s\n", stamp(inv.ExpiresAt), stamp(inv.ExpiresAt), inv.URL)
	}
	return nil
}

func orgList(ctx context.Context, inst distans.InstallationService, stdout io.Writer) error {
	stats, err := inst.OrganisationStats(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KORTNAMN/SLUG\tNAMN/NAME\tSTATUS\tPERSONER/PEOPLE\tENHETER/UNITS\tANSTÄLLNINGAR/EMPLOYMENTS\tÖVERENSKOMMELSER/AGREEMENTS\tREGELPAKET/PACK\tSENAST/LAST ACTIVE\tE-POSTFEL/MAIL FAILURES")
	for _, s := range stats {
		last := "–"
		if s.LastActivityAt != nil {
			last = s.LastActivityAt.Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%d\n", s.Organisation.Slug, s.Organisation.Name, s.Organisation.Status,
			s.People, s.Units, s.CurrentEmployments, s.ActiveAgreements, s.PolicyVersion, last, s.FailedNotifications)
	}
	return tw.Flush()
}
