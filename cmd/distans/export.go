package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/config"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/report"
)

const exportUsage = `användning / usage: distans export -org SLUG -what register [-from ÅÅÅÅ-MM-DD] [-to ÅÅÅÅ-MM-DD]
       [-kind agreement|incident|equipment_loss] [-q TEXT] > diarium.csv
       distans export -org SLUG -what report -kind agreements|office|incidents|equipment|training
       [-format csv|xlsx|pdf] [-unit ENHETS-ID] [-from ÅÅÅÅ-MM-DD] [-to ÅÅÅÅ-MM-DD] > rapport.csv

-what report skriver en rapport för hela organisationen (eller enheten) som
HR ser den, med urvalen utskrivna i filen; CSV är för Excel med svenska
inställningar (UTF-8 med BOM, semikolon, decimalkomma).
-what report writes a report for the whole organisation (or the unit) as HR
sees it, with its filters printed in the file; the CSV is for Excel with
Swedish settings (UTF-8 with a BOM, semicolons, decimal commas).

Skriver ett utdrag ur organisationens diarium som CSV på standard ut: de
första raderna säger vad utdraget innehåller (sökning, datum, antal, och
begränsningen om fler ärenden matchar än filen rymmer), sedan en rad per
ärende. Utdraget förs in i spårbarhetskedjan.
Writes an extract of the organisation's register (diarium) as CSV to
standard output: the first lines say what it holds (search, dates, count,
and the limit when more cases match than the file holds), then one row per
case. The export is recorded in the audit trail.

Slutstatus / exit status: 0 klart / done, 2 felaktig användning / bad usage.`

// exportActorName is who the audit trail says made the export.
const exportActorName = "distans export"

// runExport is `distans export`; the register is its one kind of export.
func runExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var org, what, from, to, kind, q, format, unit string
	c, rest, err := config.Load("export", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&org, "org", "", "the organisation's slug")
		fs.StringVar(&what, "what", "", "what to export: register")
		fs.StringVar(&from, "from", "", "registered on or after this day, YYYY-MM-DD")
		fs.StringVar(&to, "to", "", "registered on or before this day, YYYY-MM-DD")
		fs.StringVar(&kind, "kind", "", "register: one kind of case (agreement, incident, equipment_loss); report: the report (agreements, office, incidents, equipment, training)")
		fs.StringVar(&format, "format", "csv", "report: csv, xlsx or pdf")
		fs.StringVar(&unit, "unit", "", "report: a unit's id; its subtree only")
		fs.StringVar(&q, "q", "", "a part of the registration number or of the subject")
	})
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, exportUsage)
		return nil
	} else if err != nil {
		return &exitError{2, err.Error() + "\n\n" + exportUsage}
	}
	if org == "" || (what != "register" && what != "report") || len(rest) > 0 {
		return &exitError{2, "ange -org och -what register eller report / give -org and -what register or report\n\n" + exportUsage}
	}
	if what == "report" {
		return exportReport(ctx, c, org, kind, format, unit, from, to, stdout)
	}
	f := distans.RegisterFilter{Query: q, Kind: distans.RegisterKind(kind)}
	if err := parseDays(from, to, &f.From, &f.To); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return &exitError{2, checkErrorText(err) + "\n\n" + exportUsage}
	}

	s, o, err := openOrganisation(ctx, c, org)
	if err != nil {
		return err
	}
	defer s.Close()
	// The command keeps the register as the registrator of the whole
	// organisation (Actor.RegisterScope), named as itself in the audit
	// trail, as the operator who runs it on the server may.
	actor := &distans.Actor{OrganisationID: o.ID, Name: exportActorName, Language: o.Language,
		Grants: []distans.Grant{{Role: distans.RoleRegistrar}}}
	now := distans.Now()
	ctx = distans.NewContext(distans.WithNow(ctx, now), actor)
	entries, more, err := s.ExportRegister(ctx, f)
	if err != nil {
		return err
	}
	lang := o.Language
	if lang != "en" {
		lang = "sv"
	}
	return distans.WriteRegisterCSV(stdout, o.Name, o.Location(), lang, now, f, entries, more)
}

// exportReport is `distans export -what report`: the report computed as
// HR of the whole organisation sees it (Actor.ReportScope), in the
// organisation's language, written by the same function as the pages'
// downloads.
func exportReport(ctx context.Context, c config.Config, org, kind, format, unit, from, to string, stdout io.Writer) error {
	k := distans.ReportKind(kind)
	if !k.Valid() {
		return &exitError{2, "-kind: välj agreements, office, incidents, equipment eller training / choose agreements, office, incidents, equipment or training\n\n" + exportUsage}
	}
	fm, err := report.ParseFormat(format)
	if err != nil {
		return &exitError{2, "-format: " + checkErrorText(err)}
	}
	f := distans.ReportFilter{Kind: k, UnitID: unit}
	if err := parseDays(from, to, &f.From, &f.To); err != nil {
		return err
	}
	s, o, err := openOrganisation(ctx, c, org)
	if err != nil {
		return err
	}
	defer s.Close()
	actor := &distans.Actor{OrganisationID: o.ID, Name: exportActorName, Language: o.Language,
		Grants: []distans.Grant{{Role: distans.RoleHR}}}
	now := distans.Now()
	ctx = distans.NewContext(distans.WithNow(ctx, now), actor)
	svc := report.New(report.Config{Store: s, Packs: policy.NewService(s, s), Organisations: s})
	r, err := svc.Report(ctx, f)
	if code := distans.ErrorCode(err); code == distans.EINVALID || code == distans.ENOTFOUND {
		return &exitError{2, checkErrorText(err)}
	} else if err != nil {
		return err
	}
	return report.Write(stdout, r, fm, report.Options{Lang: o.Language, Location: o.Location()})
}

// parseDays reads the flags -from and -to, days as YYYY-MM-DD, into from
// and to; an empty flag leaves its day zero.
func parseDays(fromFlag, toFlag string, from, to *time.Time) error {
	for _, d := range []struct {
		flag, in string
		out      *time.Time
	}{{"-from", fromFlag, from}, {"-to", toFlag, to}} {
		if d.in == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.in)
		if err != nil {
			return &exitError{2, fmt.Sprintf("%s: skriv dagen som 2026-11-22 / write the day as 2026-11-22: %q", d.flag, d.in)}
		}
		*d.out = t
	}
	return nil
}
