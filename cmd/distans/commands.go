package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/checkpoint"
	"github.com/distans/distans/internal/config"
	"github.com/distans/distans/internal/demo"
	"github.com/distans/distans/internal/jobs"
	"github.com/distans/distans/internal/notify"
	"github.com/distans/distans/internal/sqlstore"
)

func newLogger(c config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func usageError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return &exitError{2, err.Error()}
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, _, err := config.Load("serve", args, getenv, stderr, nil)
	if err != nil {
		return usageError(err)
	}
	logger := newLogger(c, stderr)
	// The live heap of a serving instance is small (tens of MiB), so the
	// default GOGC=100 collects very often: on the availability benchmark
	// the collector took a tenth of the CPU. 400 trades some 60 MiB of
	// memory for a fifth more requests per second. GOGC in the environment
	// still decides.
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	// Without SMTP, notifications stay in the database and are shown in
	// Distans; the interface stays nil (not a nil *notify.Mailer), so the
	// jobs leave e-mail out.
	var mailer jobs.Mailer
	m, err := newMailer(c, logger)
	if err != nil {
		return err
	}
	if m != nil {
		mailer = m
		logger.Info("e-mail on", "config", c)
	} else {
		logger.Info("e-mail off: set DISTANS_SMTP_URL to e-mail notifications and reset links; notifications are shown in Distans meanwhile, invitations to the administrator")
	}
	// A key that does not load stops the start: an operator who set one
	// relies on its checkpoints.
	key, err := checkpoint.LoadPrivateKey(c.AuditKeyFile, c.AuditKey)
	if err != nil {
		return usageError(err)
	}
	ttl := c.CredentialCache
	if ttl == 0 {
		ttl = -1 // app.Config's zero is the default
	}
	a, err := app.Open(ctx, app.Config{DB: c.DB, Demo: c.Demo, SecureCookies: c.SecureCookies, Logger: logger,
		CredentialTTL: ttl, DBConns: c.DBConns, MaxActive: c.MaxActive, CSRFKey: []byte(c.CSRFKey), Mailer: m, BaseURL: c.BaseURL})
	if err != nil {
		return err
	}
	defer a.Close()

	jc := jobs.Config{Logger: logger, Orgs: a.Store, Office: a.Services.Office,
		Availability: a.Services.Availability, Sessions: a.Store, Links: a.Store,
		Agreements: a.Store, Incidents: a.Store, Equipment: a.Store, ReturnPlans: a.Equipment.ReturnPlan,
		Training: a.Store, UnitPaths: a.UnitPathsFor, Checklists: a.Store, Packs: a.ActiveFor,
		Mailer: mailer, MailQueue: a.Store, Audit: a.Store, CheckpointEvery: c.AuditCheckpointEvery,
		Disposal: a.Disposal, MonthlyReports: a.Services.ReportSubscriptions, Search: a.Store}
	if key != nil {
		w, err := checkpoint.NewWriter(key, a.Store, c.AuditCheckpoints, logger)
		if err != nil {
			return err
		}
		jc.Checkpoints = w
		logger.Info("audit checkpoints on", "key_id", checkpoint.KeyID(key.Public().(ed25519.PublicKey)),
			"file", c.AuditCheckpoints, "every", c.AuditCheckpointEvery)
	} else {
		logger.Info("audit checkpoints off: set -audit-key to make a rewrite of the audit trail in the database detectable")
	}

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "Distans %s lyssnar på / listens on %s\n", distans.Version, url)
	if c.Demo {
		fmt.Fprintf(stdout, "Logga in / sign in at %s/signin med ett demokonto / with a demo account, till exempel / for example\n  %s\n", url, demoHint())
	}

	jobsCtx, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	go jobs.Run(jobsCtx, jc)
	// Imports are checked and applied here, not in the request that
	// started them: they go on when the browser closes, and an instance
	// that stops mid-apply leaves the import to another (or to itself
	// after a restart) once its lease runs out.
	go a.Imports.Worker().Run(jobsCtx)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "grace", c.ShutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), c.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newMailer is the mailer of c, or nil when no SMTP server is set.
func newMailer(c config.Config, logger *slog.Logger) (*notify.Mailer, error) {
	if c.SMTPURL == "" {
		return nil, nil
	}
	m, err := notify.NewMailer(notify.SMTPConfig{URL: c.SMTPURL, From: c.SMTPFrom, BaseURL: c.BaseURL}, logger)
	if err != nil {
		return nil, usageError(err)
	}
	return m, nil
}

func openStore(ctx context.Context, c config.Config) (*sqlstore.Store, error) {
	s, err := sqlstore.Open(ctx, c.DB)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return s, nil
}

// openOrganisation opens the store and finds the organisation with the
// slug; an unknown slug is a usage error (exit code 2). The caller closes
// the store.
func openOrganisation(ctx context.Context, c config.Config, slug string) (*sqlstore.Store, *distans.Organisation, error) {
	s, err := openStore(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	o, err := s.FindOrganisationBySlug(ctx, slug)
	if err != nil {
		s.Close()
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return nil, nil, &exitError{2, "okänd organisation / unknown organisation: " + slug}
		}
		return nil, nil, err
	}
	return s, o, nil
}

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, _, err := config.Load("migrate", args, getenv, stderr, nil)
	if err != nil {
		return usageError(err)
	}
	s, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintln(stdout, "Databasen är uppdaterad / the database is up to date.")
	return nil
}

func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, _, err := config.Load("demo", args, getenv, stderr, nil)
	if err != nil {
		return usageError(err)
	}
	s, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := app.LoadDemo(ctx, s, newLogger(c, stderr)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Demoorganisationerna är inlästa / the demo organisations are loaded.\n  %s\n", demoHint())
	return nil
}

func runTokenCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var org, email, name string
	c, _, err := config.Load("token create", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&org, "org", "", "the organisation's slug")
		fs.StringVar(&email, "email", "", "the person's e-mail address")
		fs.StringVar(&name, "name", "cli", "what the token is for")
	})
	if err != nil {
		return usageError(err)
	}
	if org == "" || email == "" {
		return &exitError{2, "ange -org och -email / give -org and -email"}
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
	accounts, err := a.Store.FindAccounts(ctx, email)
	if err != nil {
		return err
	}
	for _, acc := range accounts {
		if acc.OrganisationID != o.ID {
			continue
		}
		// The person creates a token for themselves: the operator at the
		// console acts on their behalf, and the audit trail records it.
		actor := &distans.Actor{OrganisationID: o.ID, PersonID: acc.PersonID, Name: acc.Name}
		secret, _, err := a.Services.SignIn.CreateAPIToken(distans.NewContext(ctx, actor), acc.PersonID, name)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, secret)
		return nil
	}
	return &exitError{1, fmt.Sprintf("ingen person med e-postadressen %s i %s / no such person", email, org)}
}

// files is a flag that may be given more than once.
type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

func runAuditVerify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cpFiles, keyFiles files
	c, _, err := config.Load("audit verify", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.Var(&cpFiles, "checkpoints", "a file of signed checkpoints, as -audit-checkpoints writes it; may be given more than once")
		fs.Var(&keyFiles, "public-key", "the public key (PEM) the checkpoints are signed with; may be given more than once")
	})
	if err != nil {
		return usageError(err)
	}
	if len(cpFiles) > 0 && len(keyFiles) == 0 {
		return &exitError{2, "ange -public-key FIL med -checkpoints / give -public-key FILE with -checkpoints"}
	}
	// Every checkpoint's signature first: a forged one must not pass for
	// a broken chain, nor the other way round.
	var keys []ed25519.PublicKey
	for _, f := range keyFiles {
		k, err := checkpoint.LoadPublicKey(f)
		if err != nil {
			return &exitError{2, "den publika nyckeln kan inte läsas / cannot read the public key: " + err.Error()}
		}
		keys = append(keys, k)
	}
	var heads []*distans.AuditHead
	var newest time.Time
	for _, f := range cpFiles {
		cps, err := checkpoint.ReadFile(f)
		if err != nil {
			return &exitError{1, "kontrollpunkterna kan inte läsas / cannot read the checkpoints: " + err.Error()}
		}
		for i, cp := range cps {
			if err := cp.Verify(keys); err != nil {
				return &exitError{1, fmt.Sprintf("kontrollpunkten är inte äkta / the checkpoint is not genuine: %s, checkpoint %d (organisation %s, event %d): %v",
					f, i+1, cp.Slug, cp.Seq, err)}
			}
			heads = append(heads, &cp.AuditHead)
			if cp.At.After(newest) {
				newest = cp.At
			}
		}
	}
	s, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer s.Close()
	brk, err := s.VerifyAuditChainsAgainst(distans.NewContext(ctx, distans.SystemActor("")), heads)
	if err != nil {
		return err
	}
	if brk != nil {
		return &exitError{1, "spårbarhetskedjan är bruten / the audit chain is broken: " + brk.String()}
	}
	fmt.Fprintln(stdout, "Spårbarhetskedjorna är hela / every audit chain is intact.")
	if len(cpFiles) > 0 {
		fmt.Fprintf(stdout, "%d kontrollpunkter är äkta och finns i kedjorna; den senaste är från %s.\n"+
			"%d checkpoints are genuine and in the chains; the newest is of %s.\n", len(heads), stamp(newest), len(heads), stamp(newest))
	}
	return nil
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.UTC().Format(time.RFC3339)
}

// runAuditKey writes a new key pair for signing checkpoints: the private
// key to FILE (which must not exist, readable by its owner alone) and the
// public key to FILE.pub.
func runAuditKey(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("distans audit key", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "the file to write the private key to (must not exist); the public key goes to FILE.pub")
	if err := fs.Parse(args); err != nil {
		return usageError(err)
	}
	if *out == "" {
		return &exitError{2, "ange -o FIL / give -o FILE"}
	}
	priv, pub, err := checkpoint.GenerateKey()
	if err != nil {
		return err
	}
	for _, f := range []struct {
		path string
		data []byte
		mode os.FileMode
	}{{*out, priv, 0o600}, {*out + ".pub", pub, 0o644}} {
		fh, err := os.OpenFile(f.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, f.mode)
		if err != nil {
			return &exitError{1, "filen kan inte skapas / cannot create the file: " + err.Error()}
		}
		if _, err := fh.Write(f.data); err != nil {
			fh.Close()
			return err
		}
		if err := fh.Close(); err != nil {
			return err
		}
	}
	k, err := checkpoint.ParsePublicKey(pub)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Privat nyckel / private key: %s (serve -audit-key %s)\nPublik nyckel / public key: %s (audit verify -public-key %s)\nNyckel-id / key id: %s\n",
		*out, *out, *out+".pub", *out+".pub", checkpoint.KeyID(k))
	return nil
}

func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var out string
	c, _, err := config.Load("backup", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "o", "", "the file to write the copy to (must not exist)")
	})
	if err != nil {
		return usageError(err)
	}
	if out == "" {
		return &exitError{2, "ange -o FIL / give -o FILE"}
	}
	if _, err := os.Stat(out); err == nil {
		return &exitError{1, "filen finns redan / the file exists: " + out}
	}
	s, err := sqlstore.Open(ctx, c.DB)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Backup(ctx, out); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Säkerhetskopian är skriven / backup written: "+out)
	return nil
}

func runVersion(stdout io.Writer) error {
	fmt.Fprintln(stdout, "distans", distans.Version)
	return nil
}

// demoHint names one demo account to sign in with; README.md lists them all.
func demoHint() string {
	for _, a := range demo.Accounts() {
		if a.Role == distans.RoleHR {
			return fmt.Sprintf("%s / %s (%s, %s) — alla demokonton / every demo account: README.md", a.Email, a.Password, a.Org, a.Role.Label("sv"))
		}
	}
	return "se README.md / see README.md"
}
