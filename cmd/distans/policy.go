package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/config"
	"github.com/distans/distans/internal/policy"
)

const policyUsage = `användning / usage: distans policy check -org SLUG -kind KIND [-now TID] FIL

Kontrollerar indata (JSON) mot organisationens regelpaket och skriver
rapporten som JSON. FIL - läser standard in.
Checks a JSON input against the organisation's policy pack and prints the
report as JSON. FILE - reads standard input.

Slutstatus / exit status: 0 inget stoppar / nothing blocks, 1 något stoppar /
something blocks, 2 felaktig indata / bad input, 3 internt fel / internal error.`

// runPolicy dispatches the policy subcommands; check is the only one.
func runPolicy(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		return &exitError{policy.ExitBadInput, policyUsage}
	}
	return runPolicyCheck(ctx, args[1:], getenv, stdin, stdout, stderr)
}

// runPolicyCheck is `distans policy check`: the same check as POST
// /api/v1/policy/check, run as the system in the named organisation. The
// exit status says what the report says (policy.ExitCode), so that scripts
// can act on it without reading the JSON.
func runPolicyCheck(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	var org, kind, at string
	c, rest, err := config.Load("policy check", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&org, "org", "", "the organisation's slug")
		fs.StringVar(&kind, "kind", "", "the kind of input: "+strings.Join(kindNames(), ", "))
		fs.StringVar(&at, "now", "", "check as at this time (RFC 3339) instead of now")
	})
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, policyUsage)
		return nil
	} else if err != nil {
		return &exitError{policy.ExitBadInput, err.Error() + "\n\n" + policyUsage}
	}
	if org == "" || kind == "" || len(rest) != 1 {
		return &exitError{policy.ExitBadInput, "ange -org, -kind och en fil / give -org, -kind and one file\n\n" + policyUsage}
	}
	if !slices.Contains(kindNames(), kind) {
		names := strings.Join(kindNames(), ", ")
		return &exitError{policy.ExitBadInput, fmt.Sprintf("okänd typ av kontroll %q; tillåtna: %s / unknown kind %q; allowed: %s", kind, names, kind, names)}
	}
	now := distans.NowFrom(ctx)
	if at != "" {
		if now, err = time.Parse(time.RFC3339, at); err != nil {
			return &exitError{policy.ExitBadInput, "ange -now som 2025-10-26T14:30:00+01:00 / give -now as RFC 3339: " + at}
		}
	}
	input := stdin
	if name := rest[0]; name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return &exitError{policy.ExitBadInput, fmt.Sprintf("kan inte läsa filen / cannot read the file %s: %v", name, unwrapPath(err))}
		}
		defer f.Close()
		input = f
	}

	s, err := openStore(ctx, c)
	if err != nil {
		return &exitError{policy.ExitInternal, "distans: " + err.Error()}
	}
	defer s.Close()
	o, err := s.FindOrganisationBySlug(ctx, org)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return &exitError{policy.ExitBadInput, fmt.Sprintf("okänd organisation / unknown organisation: %s", org)}
	} else if err != nil {
		return &exitError{policy.ExitInternal, "distans: " + err.Error()}
	}
	ctx = distans.NewContext(ctx, distans.SystemActor(o.ID))
	report, err := policy.NewService(s, s).Check(ctx, kind, input, now)
	if err != nil {
		return &exitError{policy.ExitCode(nil, err), checkErrorText(err)}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(report); err != nil {
		return &exitError{policy.ExitInternal, "distans: " + err.Error()}
	}
	if code := policy.ExitCode(report.Findings, nil); code != policy.ExitOK {
		var ids []string
		for _, f := range report.Findings {
			if f.Severity == policy.SeverityBlock {
				ids = append(ids, f.RuleID)
			}
		}
		return &exitError{code, "stoppas av / blocked by: " + strings.Join(ids, ", ")}
	}
	return nil
}

// checkErrorText is the message on standard error for a check that could
// not be made: the Swedish and English text of a user error and each field
// it names, or "internal error" with the cause for the operator.
func checkErrorText(err error) string {
	var e *distans.Error
	if !errors.As(err, &e) || e.Code == distans.EINTERNAL {
		return "distans: internt fel / internal error: " + err.Error()
	}
	var b strings.Builder
	b.WriteString(e.Sv)
	if e.En != "" && e.En != e.Sv {
		b.WriteString(" / " + e.En)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "\n  %s: %s / %s", f.Field, f.Sv, f.En)
	}
	return b.String()
}

// unwrapPath drops the file name that *os.PathError repeats.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func kindNames() []string {
	var names []string
	for _, k := range policy.Kinds() {
		names = append(names, k.Name)
	}
	return names
}
