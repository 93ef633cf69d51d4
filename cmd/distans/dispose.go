package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/config"
)

const disposeUsage = `användning / usage: distans dispose -org SLUG [-dry-run]

Gallrar det som har passerat sin gallringsfrist i organisationen, enligt
regelpaketets frister: tar bort eller avidentifierar i omgångar, var och en
förd i gallringsloggen och spårbarhetskedjan. Med -dry-run skrivs bara
planen ut: vad som skulle gallras, per typ, med frist, stöd och antal.
Spårbarhetskedjan gallras inte; kör audit verify efteråt för att se att den
är hel.
Disposes of what is past its period in the organisation, by the policy
pack's periods: removes or anonymises in batches, each recorded in the
disposal log and the audit trail. With -dry-run only the plan is printed.
The audit trail is not disposed of; run audit verify afterwards.

Slutstatus / exit status: 0 klart / done, 2 felaktig användning / bad usage.`

// disposeActorName is who the disposal log and audit trail say disposed.
const disposeActorName = "distans dispose"

// runDispose is `distans dispose`.
func runDispose(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var org string
	var dry bool
	c, rest, err := config.Load("dispose", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&org, "org", "", "the organisation's slug")
		fs.BoolVar(&dry, "dry-run", false, "print what would be disposed of, and dispose of nothing")
	})
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, disposeUsage)
		return nil
	} else if err != nil {
		return &exitError{2, err.Error() + "\n\n" + disposeUsage}
	}
	if org == "" || len(rest) > 0 {
		return &exitError{2, "ange -org / give -org\n\n" + disposeUsage}
	}
	a, err := app.Open(ctx, app.Config{DB: c.DB, Logger: newLogger(c, stderr)})
	if err != nil {
		return err
	}
	defer a.Close()
	o, err := a.Store.FindOrganisationBySlug(ctx, org)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return &exitError{2, "okänd organisation / unknown organisation: " + org}
	} else if err != nil {
		return err
	}
	// The operator at the console disposes as the organisation's
	// registrator (Actor.Disposes), named as the command in the log.
	actor := &distans.Actor{OrganisationID: o.ID, Name: disposeActorName, Language: o.Language,
		Grants: []distans.Grant{{Role: distans.RoleRegistrar}}}
	ctx = distans.NewContext(distans.WithNow(ctx, distans.Now()), actor)
	loc := o.Location()
	if dry {
		plan, err := a.Services.Disposal.PlanDisposal(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Gallringsplan för / disposal plan for %s, %s (inget gallras / nothing is disposed of)\n\n",
			o.Name, plan.At.In(loc).Format("2006-01-02 15:04 MST"))
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "typ / type\tfrist / period\tantal / count\tkvarhållna / held\täldst / oldest\tstöd / clause")
		for _, it := range plan.Items {
			oldest := "–"
			if it.Oldest != nil {
				oldest = it.Oldest.In(loc).Format(time.DateOnly)
			}
			count := strconv.Itoa(it.Count)
			if it.Period.SweptBy != "" {
				count += " (" + it.Period.SweptBy + ")"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", it.Period.Type, it.Period.Text(o.Language), count, it.Held, oldest,
				it.Period.Citation)
		}
		return tw.Flush()
	}
	entries, err := a.Services.Disposal.Dispose(ctx)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		fmt.Fprintln(stdout, "Inget att gallra / nothing to dispose of.")
		return nil
	}
	for _, e := range entries {
		fmt.Fprintf(stdout, "%s: %d %s (%s, före / before %s)\n", e.Type, e.Count, e.How,
			distans.DisposalPeriod{Amount: e.Amount, Unit: e.Unit}.Text(o.Language), e.Cutoff.In(loc).Format(time.DateOnly))
	}
	return nil
}
