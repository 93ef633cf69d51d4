package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/config"
	"github.com/distans/distans/internal/importrun"
)

const importUsage = `användning / usage: distans import -org SLUG [-dry-run] [-full -end-missing-on ÅÅÅÅ-MM-DD] FIL…

Läser in enheter, arbetsplatser, personer, anställningar, chefer, roller och
ledigheter från personalsystemets CSV-filer. Filerna kontrolleras först och
sammanfattningen skrivs ut med varje fel; med -dry-run sparas ingenting.
Annars genomförs importen, allt eller ingenting.
Imports units, sites, people, employments, managers, roles and leave from the
HR system's CSV files. The files are checked first and the summary is printed
with every error; with -dry-run nothing is saved. Otherwise the import is
applied, all of it or nothing.

Slutstatus / exit status: 0 klart / done, 1 fel i filerna eller importen
misslyckades / errors in the files or the import failed, 2 felaktig
användning / bad usage.`

// importActorName is who the audit trail says made the changes.
const importActorName = "distans import"

// runImport is `distans import`: the dry run in this process, then, unless
// -dry-run, the import kept as checked, confirmed and applied by a worker
// in this process (another instance's worker may take it over; this one
// waits for the outcome either way).
func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var org, endOn string
	var dryRun, full bool
	c, names, err := config.Load("import", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&org, "org", "", "the organisation's slug")
		fs.BoolVar(&dryRun, "dry-run", false, "check the files and print what would change; save nothing")
		fs.BoolVar(&full, "full", false, "the people files are a full export: end the employment of whoever is missing")
		fs.StringVar(&endOn, "end-missing-on", "", "with -full: the day (YYYY-MM-DD) their employments end")
	})
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, importUsage)
		return nil
	} else if err != nil {
		return &exitError{2, err.Error() + "\n\n" + importUsage}
	}
	if org == "" || len(names) == 0 {
		return &exitError{2, "ange -org och minst en fil / give -org and at least one file\n\n" + importUsage}
	}
	opts := distans.ImportOptions{Full: full}
	if endOn != "" {
		day, err := time.Parse(time.DateOnly, endOn)
		if err != nil {
			return &exitError{2, "ange -end-missing-on som 2026-11-22 / give -end-missing-on as YYYY-MM-DD: " + endOn}
		}
		opts.EndMissingOn = &day
	}
	if full && opts.EndMissingOn == nil {
		return &exitError{2, "-full kräver -end-missing-on / -full needs -end-missing-on"}
	}
	var files []distans.ImportFile
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return &exitError{2, fmt.Sprintf("kan inte läsa filen / cannot read the file %s: %v", name, unwrapPath(err))}
		}
		files = append(files, distans.ImportFile{Name: filepath.Base(name), Content: b})
	}

	s, o, err := openOrganisation(ctx, c, org)
	if err != nil {
		return err
	}
	defer s.Close()
	actor := distans.SystemActor(o.ID)
	actor.Name = importActorName
	ctx = distans.NewContext(distans.WithNow(ctx, distans.Now()), actor)
	svc := importrun.New(s, s, newLogger(c, stderr))

	bar := newProgressLine(stderr, "kontroll / check", "rader / rows")
	plan, rowErrs, err := svc.Check(ctx, files, opts, bar.update)
	bar.finish()
	if err != nil {
		return &exitError{1, checkErrorText(err)}
	}
	if len(rowErrs) > 0 {
		fmt.Fprintf(stdout, "%d fel i filerna / errors in the files:\n", len(rowErrs))
		for _, e := range rowErrs {
			fmt.Fprintln(stdout, importrun.RowErrorText(e, "sv"))
		}
		return &exitError{1, fmt.Sprintf("%d fel i filerna; ingenting är sparat / %d errors in the files; nothing was saved", len(rowErrs), len(rowErrs))}
	}
	printSummary(stdout, &plan.Summary, opts, false)
	if dryRun {
		fmt.Fprintln(stdout, "Provkörning: ingenting är sparat / dry run: nothing was saved.")
		return nil
	}

	imp, err := svc.KeepChecked(ctx, files, opts, plan)
	if err != nil {
		return err
	}
	if _, err := svc.ConfirmImport(ctx, imp.ID); err != nil {
		return err
	}
	imp, err = applyHere(ctx, svc, imp.ID, stderr)
	if err != nil {
		return err
	}
	switch imp.Status {
	case distans.ImportDone:
		printSummary(stdout, imp.Summary, opts, true)
		fmt.Fprintf(stdout, "Importen är genomförd / the import is done (%s).\n", imp.ID)
		return nil
	case distans.ImportStale:
		return &exitError{1, "Organisationen har ändrats sedan kontrollen; ingenting är ändrat. Kör importen igen. / " +
			"The organisation changed since the check; nothing was changed. Run the import again."}
	}
	return &exitError{1, fmt.Sprintf("Importen misslyckades; ingenting är ändrat (%s): %s / the import failed; nothing was changed.", imp.ID, imp.Failure)}
}

// applyHere works as an import worker in this process until import id is
// finished, showing the apply's progress, and returns it as it ended.
func applyHere(ctx context.Context, svc *importrun.Service, id string, stderr io.Writer) (*distans.Import, error) {
	w := svc.Worker()
	bar := newProgressLine(stderr, "import", "ändringar / changes")
	defer bar.finish()
	watch, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		// The apply runs in RunOnce; its progress is in the service's
		// memory, which FindImport reads.
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-watch.Done():
				return
			case <-t.C:
			}
			if imp, err := svc.FindImport(watch, id); err == nil && imp.Status == distans.ImportApplying {
				bar.update(imp.Done, imp.Rows)
			}
		}
	}()
	for {
		worked, err := w.RunOnce(ctx)
		if err != nil {
			// The failure of an import is recorded on it, and the one
			// that matters here is read below.
			fmt.Fprintln(stderr, "distans:", err)
		}
		imp, err := svc.FindImport(ctx, id)
		if err != nil {
			return nil, err
		}
		if imp.Status.Finished() {
			return imp, nil
		}
		if !worked {
			// Another instance's worker holds it: wait for its outcome.
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(500 * time.Millisecond):
			}
		}
	}
}

// printSummary writes what an import does (or did) by kind of record, and
// the people whose employment a full export ends.
func printSummary(w io.Writer, sum *distans.ImportSummary, opts distans.ImportOptions, done bool) {
	if done {
		fmt.Fprintf(w, "Resultat / result (%d rader / rows):\n", sum.Rows)
	} else {
		fmt.Fprintf(w, "Kontrollen / the check (%d rader / rows):\n", sum.Rows)
	}
	for _, f := range sum.Files {
		if done {
			break // the check said it already
		}
		kinds := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			kinds[i] = kindLabels[k]
		}
		fmt.Fprintf(w, "  %s: %s, %d rader / rows\n", f.Name, strings.Join(kinds, ", "), f.Rows)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tskapas / create\tändras / change\tavslutas / end\toförändrade / unchanged\t")
	for _, k := range importrun.Kinds(sum) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", kindLabels[k.Kind], k.Count.Create, k.Count.Update, k.Count.End, k.Count.Unchanged)
	}
	tw.Flush()
	if sum.EndingTotal > 0 {
		fmt.Fprintf(w, "Anställningen avslutas den %s för %d som saknas / employment ends for %d missing:\n",
			opts.EndMissingOn.Format(time.DateOnly), sum.EndingTotal, sum.EndingTotal)
		for _, e := range sum.Ending {
			if e.EmployeeNumber != "" {
				fmt.Fprintf(w, "  %s (%s)\n", e.Name, e.EmployeeNumber)
			} else {
				fmt.Fprintf(w, "  %s\n", e.Name)
			}
		}
		if more := sum.EndingTotal - len(sum.Ending); more > 0 {
			fmt.Fprintf(w, "  … och %d till / and %d more\n", more, more)
		}
	}
}

var kindLabels = map[string]string{
	"units": "enheter / units", "sites": "arbetsplatser / sites", "people": "personer / people",
	"employments": "anställningar / employments", "managers": "chefer / managers", "roles": "roller / roles",
	"leaves": "ledigheter / leave", "leave": "ledigheter / leave",
}

// progressLine shows how far a piece of work has come on standard error:
// one line rewritten in place (\r) on a terminal, at most ten times a
// second; elsewhere (a log, a pipe) a plain line every five seconds.
type progressLine struct {
	w           io.Writer
	tty         bool
	what, unit  string
	start, last time.Time
	done        int
	shown       bool
}

func newProgressLine(w io.Writer, what, unit string) *progressLine {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil {
			tty = st.Mode()&os.ModeCharDevice != 0
		}
	}
	return &progressLine{w: w, tty: tty, what: what, unit: unit, start: time.Now()}
}

func (p *progressLine) update(done, total int) {
	now := time.Now()
	if done < p.done {
		// Another stage of the work (an apply checks the files again
		// before it writes): the rate starts afresh.
		p.start, p.done, p.shown = now, 0, false
	}
	every := 5 * time.Second
	if p.tty {
		every = 100 * time.Millisecond
	}
	if p.shown && (done == p.done || now.Sub(p.last) < every && done < total) {
		return
	}
	p.last, p.done, p.shown = now, done, true
	line := progressText(p.what, p.unit, done, total, now.Sub(p.start))
	if p.tty {
		fmt.Fprintf(p.w, "\r%s\x1b[K", line)
	} else {
		fmt.Fprintln(p.w, line)
	}
}

// finish ends the line on a terminal, so that what follows starts on a
// line of its own.
func (p *progressLine) finish() {
	if p.tty && p.shown {
		fmt.Fprintln(p.w)
		p.shown = false
	}
}

// progressText is "kontroll / check: 12000/50000 rader / rows (24 %),
// 8000/s, klart om / ETA 5s".
func progressText(what, unit string, done, total int, elapsed time.Duration) string {
	s := fmt.Sprintf("%s: %d/%d %s", what, done, total, unit)
	if total > 0 {
		s += fmt.Sprintf(" (%d %%)", min(100, done*100/total))
	}
	if secs := elapsed.Seconds(); secs > 0 && done > 0 {
		rate := float64(done) / secs
		s += fmt.Sprintf(", %.0f/s", rate)
		if total > done {
			eta := time.Duration(float64(total-done) / rate * float64(time.Second))
			s += ", klart om / ETA " + eta.Round(time.Second).String()
		}
	}
	return s
}
