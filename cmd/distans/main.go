// Command distans runs Distans: the web server (serve, the default) and the
// operator's commands migrate, demo, token create, invite, audit verify, audit key,
// import, export, dispose, policy check, sso, admin create, org, backup and version. Settings come from flags and DISTANS_* environment variables.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.msg != "" {
				fmt.Fprintln(os.Stderr, ee.msg)
			}
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "distans:", err)
		os.Exit(1)
	}
}

// exitError ends the program with a given status and message, for commands
// whose status carries meaning (audit verify exits 1 on a broken chain).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

const usage = `Användning / usage: distans [kommando] [flaggor]

Kommandon / commands:
  serve          starta webbservern (standard) / start the web server (default)
  migrate        uppdatera databasens schema / apply database migrations
  demo           läs in demoorganisationerna / load the demo organisations
  token create   skapa en API-token: -org SLUG -email E-POST [-name NAMN]
  invite         bjud in en person att välja lösenord / invite a person to set a password:
                 -org SLUG -email E-POST (länken e-postas eller skrivs ut / the link is e-mailed or printed);
                 -org SLUG -pending: alla som saknar lösenord / everyone without a password
                 (e-postas, eller skrivs ut som CSV / e-mailed, or printed as CSV)
  audit verify   kontrollera spårbarhetskedjan / verify the audit chains
                 [-checkpoints FIL -public-key FIL]: och mot signerade kontrollpunkter / and against signed checkpoints
  audit key      skapa nyckelpar för kontrollpunkter / make a key pair for checkpoints: -o FIL (och / and FIL.pub)
  import         läs in personalsystemets CSV-filer / import the HR system's CSV files:
                 -org SLUG [-dry-run] [-full -end-missing-on ÅÅÅÅ-MM-DD] FIL…
  equipment import   läs in utrustning från en CSV-fil / import equipment from a CSV file:
                 -org SLUG [-dry-run] FIL
  export         utdrag som CSV på standard ut / an extract as CSV to standard output:
                 -org SLUG -what register [-from ÅÅÅÅ-MM-DD] [-to ÅÅÅÅ-MM-DD] (diariet / the register)
  dispose        gallra det som passerat sin frist / dispose of what is past its period:
                 -org SLUG [-dry-run] (bara planen / the plan alone)
  policy check   kontrollera indata mot regelpaketet / check an input against the policy pack:
                 -org SLUG -kind KIND FIL (- läser standard in / reads standard input)
  sso set|show   ställ in inloggning med OpenID Connect / set up single sign-on:
                 -org SLUG -issuer URL -client-id ID [-claim email] [-match-by email|employee_number]
                 (klienthemligheten i / client secret in DISTANS_SSO_CLIENT_SECRET)
  scim token     nyckel för organisationens identitetssystem (SCIM), visas en gång / a token for the identity system, shown once:
                 -org SLUG [-name NAMN]
  scim revoke    återkalla en SCIM-nyckel / revoke a SCIM token: -org SLUG -id ID
  admin create   skapa en driftadministratör och länken för lösenordet / make an operator and the link to set a password:
                 -email E-POST [-name NAMN]
  admin link     ny länk för en driftadministratör som glömt lösenordet / a new link for an operator who forgot the password:
                 -email E-POST
  org create     skapa en organisation med dess första administratör / make an organisation with its first administrator:
                 -slug SLUG -name NAMN -admin E-POST [-admin-name NAMN] [-pack stockholm|vara|bjurholm|kristianstad|sorsele|generic]
                 [-time-zone TZ] [-language sv|en]
  org list       organisationerna med antal och hälsa / the organisations with counts and health
  org rename|suspend|resume|end   -slug SLUG (rename: -name NAMN, -new-slug SLUG; end: -confirm SLUG)
  backup         säkerhetskopiera SQLite-databasen: -o FIL
  version        visa versionen / print the version

Flaggor för alla kommandon / flags for every command:
  -db sqlite:PATH | postgres://…   (DISTANS_DB, standard sqlite:distans.db)
  -addr HOST:PORT                  (DISTANS_ADDR, standard 127.0.0.1:8080)
  -demo                            (DISTANS_DEMO=1)
  -log-format text|json, -log-level debug|info|warn|error

Flaggor för serve / flags for serve (urval / a selection):
  -audit-key FIL                   signera kontrollpunkter av spårbarhetskedjorna / sign checkpoints of the audit chains
                                   (DISTANS_AUDIT_KEY_FILE, eller nyckeln själv i / or the key itself in DISTANS_AUDIT_KEY)
  -audit-checkpoints FIL           (DISTANS_AUDIT_CHECKPOINTS), -audit-checkpoint-every 15m (DISTANS_AUDIT_CHECKPOINT_EVERY)
`

// run is the whole program; main only supplies the process's context,
// arguments, environment, input and output.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args, getenv, stdout, stderr)
	case "demo":
		return runDemo(ctx, args, getenv, stdout, stderr)
	case "token":
		if len(args) == 0 || args[0] != "create" {
			return &exitError{2, "användning / usage: distans token create -org SLUG -email E-POST [-name NAMN]"}
		}
		return runTokenCreate(ctx, args[1:], getenv, stdout, stderr)
	case "invite":
		return runInvite(ctx, args, getenv, stdout, stderr)
	case "audit":
		switch {
		case len(args) > 0 && args[0] == "verify":
			return runAuditVerify(ctx, args[1:], getenv, stdout, stderr)
		case len(args) > 0 && args[0] == "key":
			return runAuditKey(args[1:], stdout, stderr)
		}
		return &exitError{2, "användning / usage: distans audit verify [-checkpoints FIL -public-key FIL] | distans audit key -o FIL"}
	case "sso":
		return runSSO(ctx, args, getenv, stdout, stderr)
	case "scim":
		return runSCIM(ctx, args, getenv, stdout, stderr)
	case "import":
		return runImport(ctx, args, getenv, stdout, stderr)
	case "equipment":
		return runEquipment(ctx, args, getenv, stdout, stderr)
	case "export":
		return runExport(ctx, args, getenv, stdout, stderr)
	case "dispose":
		return runDispose(ctx, args, getenv, stdout, stderr)
	case "policy":
		return runPolicy(ctx, args, getenv, stdin, stdout, stderr)
	case "backup":
		return runBackup(ctx, args, getenv, stdout, stderr)
	case "admin":
		return runAdmin(ctx, args, getenv, stdout, stderr)
	case "org":
		return runOrg(ctx, args, getenv, stdout, stderr)
	case "version":
		return runVersion(stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		return &exitError{2, fmt.Sprintf("okänt kommando / unknown command %q\n\n%s", cmd, usage)}
	}
}
