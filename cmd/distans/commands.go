package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
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
	if c.SMTPURL != "" {
		m, err := notify.NewMailer(notify.SMTPConfig{URL: c.SMTPURL, From: c.SMTPFrom, BaseURL: c.BaseURL}, logger)
		if err != nil {
			return usageError(err)
		}
		mailer = m
		logger.Info("e-mail on", "config", c)
	} else {
		logger.Info("e-mail off: set DISTANS_SMTP_URL to e-mail notifications; they are shown in Distans meanwhile")
	}
	ttl := c.CredentialCache
	if ttl == 0 {
		ttl = -1 // app.Config's zero is the default
	}
	a, err := app.Open(ctx, app.Config{DB: c.DB, Demo: c.Demo, SecureCookies: c.SecureCookies, Logger: logger,
		CredentialTTL: ttl, DBConns: c.DBConns, CSRFKey: []byte(c.CSRFKey)})
	if err != nil {
		return err
	}
	defer a.Close()

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
	go jobs.Run(jobsCtx, jobs.Config{Logger: logger, Orgs: a.Store, Office: a.Services.Office,
		Availability: a.Services.Availability, Sessions: a.Store,
		Agreements: a.Store, Mailer: mailer, MailQueue: a.Store, Audit: a.Store})

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

func runAuditVerify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, _, err := config.Load("audit verify", args, getenv, stderr, nil)
	if err != nil {
		return usageError(err)
	}
	s, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer s.Close()
	brk, err := s.VerifyAuditChains(distans.NewContext(ctx, distans.SystemActor("")))
	if err != nil {
		return err
	}
	if brk != nil {
		return &exitError{1, "spårbarhetskedjan är bruten / the audit chain is broken: " + brk.String()}
	}
	fmt.Fprintln(stdout, "Spårbarhetskedjorna är hela / every audit chain is intact.")
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
