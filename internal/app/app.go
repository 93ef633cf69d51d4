// Package app wires the concrete parts of Distans together: the SQL store,
// sign-in, the pages, the API and the HTTP server. cmd/distans and the
// end-to-end tests start Distans through it, so both run the same wiring.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/agreement"
	"github.com/distans/distans/internal/api"
	"github.com/distans/distans/internal/auth"
	"github.com/distans/distans/internal/checklist"
	"github.com/distans/distans/internal/demo"
	"github.com/distans/distans/internal/disposal"
	"github.com/distans/distans/internal/equipment"
	"github.com/distans/distans/internal/importrun"
	"github.com/distans/distans/internal/incident"
	"github.com/distans/distans/internal/installation"
	"github.com/distans/distans/internal/jobs"
	"github.com/distans/distans/internal/notify"
	"github.com/distans/distans/internal/owndata"
	"github.com/distans/distans/internal/pdf"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/presence"
	"github.com/distans/distans/internal/release"
	"github.com/distans/distans/internal/report"
	"github.com/distans/distans/internal/scimhttp"
	"github.com/distans/distans/internal/server"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/training"
	"github.com/distans/distans/internal/web"
)

// Config is what Open needs.
type Config struct {
	DB            string // sqlite:PATH or postgres://…
	Demo          bool   // load the demo organisations (idempotent)
	SecureCookies bool
	// CSRFKey signs the pre-session CSRF tokens; every instance serving
	// the same site needs the same one. Empty: a random key per process.
	CSRFKey []byte
	Logger  *slog.Logger
	// CredentialTTL is how long the store trusts what it read about a
	// session or API token; zero keeps sqlstore.DefaultCredentialTTL and a
	// negative value reads it on every request.
	CredentialTTL time.Duration
	// DBConns is how many connections to keep open to PostgreSQL; zero
	// keeps sqlstore.DefaultPostgresConns.
	DBConns int
	// MaxActive is how many requests are served at once (server.Config);
	// zero or less: no limit.
	MaxActive int
	// Now is the clock every request reads once; nil is the wall clock.
	// Tests set it to serve pages and the API as of another day.
	Now func() time.Time
	// Mailer e-mails invitations and reset links at once; nil means no
	// e-mail: invitations are shown to the administrator to hand over,
	// and reset requests send nothing.
	Mailer *notify.Mailer
	// BaseURL is where people reach Distans, the start of every link
	// (config.Config.BaseURL); empty makes links relative.
	BaseURL string
}

// App is a running Distans: its store, its services and its handler.
type App struct {
	Store    *sqlstore.Store
	Services distans.Services
	// Imports is Services.Imports, whose Worker serve runs beside the
	// server.
	Imports *importrun.Service
	// Equipment is Services.Equipment, whose ReturnPlan the equipment
	// return job (jobs.Config.ReturnPlans) takes.
	Equipment *equipment.Service
	// Policies is Services.Policies as the jobs read each organisation's
	// active pack (ActiveFor).
	Policies *policy.Service
	// Disposal is Services.Disposal, whose DisposeIfDue the disposal
	// job runs.
	Disposal *disposal.Service
	handler  http.Handler
	signin   *auth.Service
}

// Open opens and migrates the database, loads the demo when asked, and
// builds the handler.
func Open(ctx context.Context, cfg Config) (*App, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	store, err := sqlstore.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	if err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if cfg.CredentialTTL != 0 {
		store.SetCredentialTTL(cfg.CredentialTTL)
	}
	store.SetMaxConns(cfg.DBConns)
	policies := policy.NewService(store, store)
	// A nil *notify.Mailer must stay a nil interface, or sign-in would
	// try to send with it.
	var mailer auth.LinkMailer
	if cfg.Mailer != nil {
		mailer = cfg.Mailer
	}
	signin := auth.New(auth.Config{
		Accounts:      store,
		Organisations: store,
		People:        store,
		Packs:         policies,
		Logger:        logger,
		Links:         store,
		Mailer:        mailer,
		BaseURL:       cfg.BaseURL,
	})
	agreements := agreementService(store, policies, signin)
	svc := distans.Services{
		Organisations: store, Units: store, Sites: store, People: store,
		Roles: store, Audit: store, SignIns: store, SignIn: signin, Links: signin, Policies: policies, Documents: store,
		Office: store, Availability: availability(store, policies, agreements),
		Agreements: agreements, Notifications: store,
		Incidents: incidentService(store, policies),
		// SCIM's rules live in the store: every change is one transaction
		// with its audit trail (internal/sqlstore/scim*.go).
		SCIM: store, SCIMAdmin: store,
		Register: store,
	}
	equip := EquipmentService(store, policies, signin)
	svc.Equipment = equip
	svc.Training = trainingService(store, policies)
	svc.Reports = report.New(report.Config{Store: store, Packs: policies, Organisations: store})
	subs := report.SubscriptionConfig{Store: store, Reports: svc.Reports, Units: store, Grants: store.Grants,
		BaseURL: cfg.BaseURL, Logger: logger}
	if cfg.Mailer != nil {
		subs.Mail = reportMailer{cfg.Mailer}
	}
	svc.ReportSubscriptions = report.NewSubscriptions(subs)
	svc.Checklists = checklist.New(checklist.Config{Store: store, Packs: policies, Organisations: store})
	dispose := disposal.New(store, policies)
	svc.Disposal = dispose
	svc.OwnData = owndata.New(owndata.Config{Store: store, PDF: pdf.WriteOwnData, Organisations: store})
	svc.Releases = release.New(release.Config{Store: store, Packs: policies, Organisations: store})
	// The installation's administration invites a new organisation's
	// administrator through the same account links as everyone's.
	svc.Installation = installation.New(installation.Config{Store: store, Links: svc.Links, BaseURL: cfg.BaseURL, Logger: logger})
	imports := importrun.New(store, store, logger)
	svc.Imports = imports
	if cfg.Demo {
		start := time.Now()
		if err := loadDemo(ctx, store, svc.Availability, svc.Incidents, svc.Equipment, svc.Training, logger); err != nil {
			store.Close()
			return nil, err
		}
		logger.Info("demo organisations ready", "duration", time.Since(start).Round(time.Millisecond))
	}

	var demoAccounts *web.Demo
	if cfg.Demo {
		demoAccounts = webDemo()
	}
	w, err := web.New(web.Config{Services: svc, Logger: logger, SecureCookies: cfg.SecureCookies, Version: distans.Version,
		Demo: demoAccounts})
	if err != nil {
		store.Close()
		return nil, err
	}
	a := api.New(api.Config{Services: svc, Calendar: store, Logger: logger, Version: distans.Version})

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), poolCollector{store})

	h := server.New(server.Config{
		SignIn:        signin,
		Operators:     svc.Installation,
		Logger:        logger,
		Registry:      reg,
		Ready:         readiness(store),
		Register:      []func(*http.ServeMux){w.Register, a.Register},
		Now:           cfg.Now,
		SecureCookies: cfg.SecureCookies,
		PageError:     w.PageError,
		CSRFKey:       cfg.CSRFKey,
		MaxActive:     cfg.MaxActive,
		SCIM:          scimhttp.New(scimhttp.Config{SCIM: svc.SCIM, Logger: logger, BaseURL: cfg.BaseURL}),
	})
	return &App{Store: store, Services: svc, Imports: imports, Equipment: equip, Policies: policies, Disposal: dispose, handler: h, signin: signin}, nil
}

// availability is the presence service: the store behind the policy
// pack's checks of redirects and phone hours, with a person's remote days
// defaulting from their active agreement.
func availability(store *sqlstore.Store, policies *policy.Service, agreements *agreement.Service) distans.AvailabilityService {
	return presence.New(store, policies, agreements.DefaultStatus)
}

// agreementService is the agreements' rules over the store: the policy
// pack's checks, signatures after re-authentication, and the PDF.
func agreementService(store *sqlstore.Store, policies *policy.Service, signin distans.SignInService) *agreement.Service {
	return agreement.New(agreement.Config{Store: store, Packs: policies, Reauth: signin, People: store, Sites: store,
		Organisations: store, PDF: pdf.WriteAgreement, Preconditions: trainingService(store, policies)})
}

func trainingService(store *sqlstore.Store, policies *policy.Service) *training.Service {
	return training.New(training.Config{Store: store, Packs: policies, Organisations: store, Documents: store})
}

// webDemo is the demo accounts for the sign-in page.
func webDemo() *web.Demo {
	d := &web.Demo{Password: demo.Password}
	for _, a := range demo.Accounts() {
		d.Accounts = append(d.Accounts, web.DemoAccount{Org: a.Org, Role: a.Role, Email: a.Email})
	}
	return d
}

// LoadDemo loads the demo organisations into store; running it again
// changes nothing.
func LoadDemo(ctx context.Context, store *sqlstore.Store, logger *slog.Logger) error {
	policies := policy.NewService(store, store)
	signin := auth.New(auth.Config{Accounts: store, Organisations: store, People: store, Packs: policies, Logger: logger})
	return loadDemo(ctx, store, availability(store, policies, agreementService(store, policies, signin)),
		incidentService(store, policies), EquipmentService(store, policies, signin), trainingService(store, policies), logger)
}

func loadDemo(ctx context.Context, store *sqlstore.Store, avail distans.AvailabilityService, incidents distans.IncidentService,
	equip distans.EquipmentService, train distans.TrainingService, logger *slog.Logger) error {
	policies := policy.NewService(store, store)
	return demo.Load(ctx, demo.Stores{
		Organisations: store, Units: store, Sites: store, People: store, Roles: store, Accounts: store,
		Policies: store, Documents: store, Office: store, Availability: avail, Agreements: store, Incidents: incidents,
		Equipment: equip, Training: train, Checklists: checklistRound(store, policies),
	}, logger)
}

// checklistRound is one round of the checklist job, for the demo to open
// the checklists of the employments it adds without waiting for the job
// runner.
func checklistRound(store *sqlstore.Store, policies *policy.Service) func(context.Context, time.Time) (int, error) {
	packs := func(ctx context.Context, orgID string) (*policy.Pack, error) {
		p, _, err := policies.Active(distans.NewContext(ctx, distans.SystemActor(orgID)))
		return p, err
	}
	return func(ctx context.Context, now time.Time) (int, error) {
		for _, j := range jobs.Jobs(jobs.Config{Checklists: store, Packs: packs}) {
			if j.Name == "checklists" {
				return j.Fn(ctx, now)
			}
		}
		return 0, nil
	}
}

// ActiveFor is an organisation's active pack as its system actor reads
// it, for the jobs; the policy service compiles each version once.
func (a *App) ActiveFor(ctx context.Context, orgID string) (*policy.Pack, error) {
	p, _, err := a.Policies.Active(distans.NewContext(ctx, distans.SystemActor(orgID)))
	return p, err
}

// UnitPathsFor is the store's UnitPathsByCode for an organisation, as its
// system actor, for the training job.
func (a *App) UnitPathsFor(ctx context.Context, orgID string, codes []string) (map[string]string, error) {
	return a.Store.UnitPathsByCode(distans.NewContext(ctx, distans.SystemActor(orgID)), codes)
}

// EquipmentService is the equipment's rules over the store: the pack's
// loss steps, trips and returns, signatures after re-authentication, and
// the PDFs. It is exported so that tests which build a smaller set of
// services than Open still wire the equipment service as Open does.
func EquipmentService(store *sqlstore.Store, policies *policy.Service, signin distans.SignInService) *equipment.Service {
	return equipment.New(equipment.Config{Store: store, Packs: policies, Reauth: signin, Organisations: store, Units: store})
}

// incidentService is the incidents' rules over the store: the clocks from
// the organisation's pack, and the IMY notification's PDF.
func incidentService(store *sqlstore.Store, policies *policy.Service) *incident.Service {
	return incident.New(incident.Config{Store: store, Packs: policies, Organisations: store})
}

// readiness reports whether the database answers and has every migration
// this binary knows; a binary newer than the schema must not serve.
func readiness(store *sqlstore.Store) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := store.Ping(ctx); err != nil {
			return fmt.Errorf("database unreachable: %w", err)
		}
		ok, err := store.MigrationsCurrent(ctx)
		if err != nil {
			return err
		} else if !ok {
			return fmt.Errorf("migrations pending: run distans migrate")
		}
		return nil
	}
}

// Handler returns the HTTP handler for every route.
func (a *App) Handler() http.Handler { return a.handler }

// Close lets the password-reset requests in flight finish (their mails
// included) and closes the database.
func (a *App) Close() error {
	a.signin.Wait()
	return a.Store.Close()
}

// poolCollector exports the database pool's statistics.
type poolCollector struct{ store *sqlstore.Store }

var (
	poolOpen  = prometheus.NewDesc("distans_db_open_connections", "Open database connections.", nil, nil)
	poolInUse = prometheus.NewDesc("distans_db_in_use_connections", "Database connections in use.", nil, nil)
	poolWait  = prometheus.NewDesc("distans_db_wait_count_total", "Times a request waited for a connection.", nil, nil)
	poolWaitS = prometheus.NewDesc("distans_db_wait_seconds_total", "Time spent waiting for a connection.", nil, nil)
)

func (poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- poolOpen
	ch <- poolInUse
	ch <- poolWait
	ch <- poolWaitS
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.store.Stats()
	ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(s.OpenConnections))
	ch <- prometheus.MustNewConstMetric(poolInUse, prometheus.GaugeValue, float64(s.InUse))
	ch <- prometheus.MustNewConstMetric(poolWait, prometheus.CounterValue, float64(s.WaitCount))
	ch <- prometheus.MustNewConstMetric(poolWaitS, prometheus.CounterValue, s.WaitDuration.Seconds())
}

// reportMailer sends the monthly reports through the notifications'
// SMTP client.
type reportMailer struct{ m *notify.Mailer }

func (r reportMailer) SendReport(ctx context.Context, to *distans.ReportSend, subject, body, fileName string, pdf []byte) error {
	return r.m.Send(ctx, notify.Message{To: to.Email, Name: to.Name, Language: to.Language, Subject: subject, Body: body,
		FileName: fileName, File: pdf, FileType: "application/pdf", OrganisationID: to.OrganisationID, DescribesPurpose: "monthly report"})
}
