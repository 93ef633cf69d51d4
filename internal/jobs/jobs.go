// Package jobs runs Distans's background work on a timer: freeing desks
// whose bookings were not claimed by the release time, removing status
// history older than the policy pack keeps it, deleting expired sessions,
// ending agreements and queueing their reminders, e-mailing notifications,
// reminding of incidents' deadlines and escalating those that pass,
// creating equipment return tasks and reminding of them,
// disposing of records past their period (gallring) once a day,
// e-mailing the monthly reports once a month,
// sealing pending audit events into their chains, and writing signed
// checkpoints of the chains' heads.
//
// Every job is idempotent and keeps its state in the database, not in the
// process: a second run at the same instant finds nothing more to release,
// purge or delete. Several instances of Distans may therefore run Run
// against the same database at once; they do the same harmless work twice
// and never twice the effect. There is no leader election and none is
// needed.
package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/checklist"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/training"
)

// Sessions is the part of the store that the session sweep needs;
// *sqlstore.Store is one.
type Sessions interface {
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}

// Links is the part of the store that the sweep of old invitation and
// reset links needs; *sqlstore.Store is one.
type Links interface {
	DeleteExpiredAccountLinks(ctx context.Context, now time.Time) (int, error)
}

// Agreements is the part of distans.AgreementStore that the agreement
// housekeeping needs; *sqlstore.Store is one.
type Agreements interface {
	EndAgreements(ctx context.Context, today time.Time) (int, error)
	QueueReminders(ctx context.Context, today time.Time) (int, error)
}

// Incidents is the part of the store that the incident deadline job
// needs; *sqlstore.Store is one.
type Incidents interface {
	IncidentDeadlines(ctx context.Context, now time.Time, loc *time.Location) (int, error)
}

// EquipmentReturns is the part of the store that the equipment return
// job needs; *sqlstore.Store is one. Each method works across all
// organisations as the system actor, exactly once per task, reminder and
// escalation.
type EquipmentReturns interface {
	CreateReturnTasks(ctx context.Context, today time.Time, plans func(orgID string) (distans.ReturnPlan, error)) (int, error)
	ReturnTaskDeadlines(ctx context.Context, now time.Time) (reminded, escalated int, err error)
	HandoverReminders(ctx context.Context, now time.Time) (int, error)
}

// ReturnPlans gives an organisation's ReturnPlan from its active policy
// pack; (*equipment.Service).ReturnPlan is one.
type ReturnPlans func(ctx context.Context, orgID string) (distans.ReturnPlan, error)

// AuditSealer seals the audit events written as pending into their
// organisations' chains; *sqlstore.Store is one.
type AuditSealer interface {
	ChainPendingAudit(ctx context.Context, now time.Time) (int, error)
}

// Checkpointer writes a signed checkpoint of every audit chain whose head
// moved since its last one; *checkpoint.Writer is one. Each instance writes
// its own, so it runs in every instance.
type Checkpointer interface {
	Write(ctx context.Context, now time.Time) (int, error)
}

// Mailer e-mails the notifications that are due; *notify.Mailer is one.
// It acts as the system actor on the queue itself.
type Mailer interface {
	SendDue(ctx context.Context, q distans.MailQueue, now time.Time) (int, error)
}

// Config is what Run needs. Any of Orgs+Office, Orgs+Availability,
// Sessions, Links, Orgs+Agreements, Orgs+Incidents and Mailer+MailQueue may be nil: the jobs that
// need it are then left out. Without a Mailer, notifications stay in the
// database and are shown in Distans; none is lost.
type Config struct {
	Logger       *slog.Logger
	Orgs         distans.OrganisationService
	Office       distans.OfficeService
	Availability distans.AvailabilityService
	Sessions     Sessions
	Links        Links
	Agreements   Agreements
	Incidents    Incidents
	// Orgs, Equipment and ReturnPlans run the equipment return job; any
	// nil leaves it out.
	Equipment   EquipmentReturns
	ReturnPlans ReturnPlans
	// Training and Packs run the training job, Checklists and Packs the
	// checklist job; any nil leaves the job out. UnitPaths maps an
	// organisation's unit codes to paths for course audiences.
	Training    TrainingJobs
	UnitPaths   func(ctx context.Context, orgID string, codes []string) (map[string]string, error)
	Checklists  ChecklistJobs
	Packs       PackOf
	Mailer      Mailer
	MailQueue   distans.MailQueue
	Audit       AuditSealer
	Checkpoints Checkpointer
	// Disposal runs the disposal job with Orgs; nil leaves it out.
	Disposal Disposal
	// MonthlyReports sends the monthly reports by e-mail; nil leaves the
	// job out.
	MonthlyReports MonthlyReports
	// Search keeps the search index in its fastest form; nil leaves the
	// job out.
	Search SearchIndex
	// Every is the time between two rounds; 0 means DefaultEvery.
	Every time.Duration
	// MailEvery is the time between two rounds of e-mail, which run on
	// their own; 0 means DefaultMailEvery.
	MailEvery time.Duration
	// AuditEvery is the time between two rounds of sealing audit events,
	// which run on their own; 0 means DefaultAuditEvery.
	AuditEvery time.Duration
	// CheckpointEvery is the time between two checkpoints of the audit
	// chains; 0 means DefaultCheckpointEvery.
	CheckpointEvery time.Duration
	// Now is the clock; nil means distans.Now.
	Now func() time.Time
}

// DefaultEvery is the time between two rounds when Config.Every is 0. It
// is short enough that a desk is freed within minutes of its release time.
const DefaultEvery = 5 * time.Minute

// DefaultMailEvery is the time between two rounds of e-mail when
// Config.MailEvery is 0: a notification is e-mailed within half a minute.
const DefaultMailEvery = 30 * time.Second

// DefaultAuditEvery is the time between two rounds of sealing when
// Config.AuditEvery is 0: a pending audit event joins its chain within
// seconds (and at once when someone reads the trail).
const DefaultAuditEvery = 2 * time.Second

// DefaultCheckpointEvery is the time between two checkpoints of the audit
// chains when Config.CheckpointEvery is 0: what is written after the last
// checkpoint can be rewritten unseen, so not much longer.
const DefaultCheckpointEvery = 15 * time.Minute

// Job is one kind of background work. Fn does one round of it as of now
// and returns how many records it changed; it may be called again at any
// time and must then do only what is still left.
type Job struct {
	Name string
	Fn   func(ctx context.Context, now time.Time) (int, error)
	// Quiet logs the job's work at debug level: it runs every few seconds.
	Quiet bool
}

// Jobs returns the jobs the configuration makes possible, in the order a
// round runs them.
func Jobs(c Config) []Job {
	var list []Job
	if c.Orgs != nil && c.Office != nil {
		list = append(list, Job{Name: "release_unclaimed_desks", Fn: perOrganisation(c.Orgs, c.Office.ReleaseUnclaimed)})
	}
	if c.Orgs != nil && c.Availability != nil {
		list = append(list, Job{Name: "purge_status_history", Fn: perOrganisation(c.Orgs, c.Availability.PurgeStatusHistory)})
	}
	if c.Sessions != nil {
		list = append(list, Job{Name: "delete_expired_sessions", Fn: c.Sessions.DeleteExpiredSessions})
	}
	if c.Links != nil {
		list = append(list, Job{Name: "delete_expired_links", Fn: c.Links.DeleteExpiredAccountLinks})
	}
	if c.Orgs != nil && c.Agreements != nil {
		list = append(list, Job{Name: "agreements", Fn: eachOrganisation(c.Orgs, agreements(c.Agreements))})
	}
	if c.Orgs != nil && c.Incidents != nil {
		list = append(list, Job{Name: "incident_deadlines", Fn: eachOrganisation(c.Orgs, incidentDeadlines(c.Incidents))})
	}
	if c.Orgs != nil && c.Equipment != nil && c.ReturnPlans != nil {
		list = append(list, Job{Name: "equipment_returns", Fn: equipmentReturns(c.Orgs, c.Equipment, c.ReturnPlans)})
	}
	if c.Training != nil && c.Packs != nil {
		list = append(list, Job{Name: "training", Fn: trainingJob(c.Training, c.UnitPaths, c.Packs)})
	}
	if c.Checklists != nil && c.Packs != nil {
		list = append(list, Job{Name: "checklists", Fn: checklistJob(c.Checklists, c.Packs)})
	}
	if c.Orgs != nil && c.Disposal != nil {
		list = append(list, Job{Name: "disposal", Fn: perOrganisation(c.Orgs, c.Disposal.DisposeIfDue)})
	}
	if c.MonthlyReports != nil {
		list = append(list, Job{Name: "monthly_reports", Fn: c.MonthlyReports.SendMonthly})
	}
	if c.Search != nil {
		list = append(list, Job{Name: "search_index", Fn: c.Search.OptimizeSearch})
	}
	return list
}

// SearchIndex merges the search index of people, which writes fragment,
// about once a day and returns at once in the rounds in between;
// (*sqlstore.Store).OptimizeSearch is one.
type SearchIndex interface {
	OptimizeSearch(ctx context.Context, now time.Time) (int, error)
}

// MonthlyReports sends each subscription its report for the month before
// now, once; distans.ReportSubscriptionService is one. It runs every
// round: the first round on or after the 1st sends the month's reports,
// and every other round finds nothing left to claim in one query.
type MonthlyReports interface {
	SendMonthly(ctx context.Context, now time.Time) (int, error)
}

// Disposal is disposal (gallring) in one organisation as its system actor;
// (*disposal.Service).DisposeIfDue is one. It disposes of what is past its
// period about once a day and returns at once, after reading one row, in
// the rounds in between.
type Disposal interface {
	DisposeIfDue(ctx context.Context, now time.Time) (int, error)
}

// MailJobs returns the e-mail job when the configuration has a Mailer and
// a queue, and nothing otherwise. It runs on its own, every MailEvery.
func MailJobs(c Config) []Job {
	if c.Mailer == nil || c.MailQueue == nil {
		return nil
	}
	return []Job{{Name: "mail", Fn: func(ctx context.Context, now time.Time) (int, error) {
		return c.Mailer.SendDue(ctx, c.MailQueue, now)
	}}}
}

// AuditJobs returns the sealing job when the configuration has a sealer.
// It runs on its own, every AuditEvery.
func AuditJobs(c Config) []Job {
	if c.Audit == nil {
		return nil
	}
	return []Job{{Name: "chain_audit", Fn: c.Audit.ChainPendingAudit, Quiet: true}}
}

// CheckpointJobs returns the checkpoint job when the configuration has a
// Checkpointer. It runs on its own, every CheckpointEvery.
func CheckpointJobs(c Config) []Job {
	if c.Checkpoints == nil {
		return nil
	}
	return []Job{{Name: "audit_checkpoint", Fn: c.Checkpoints.Write}}
}

// agreements ends the organisation's agreements that are over (expired,
// moved, employment ended) and then queues the reminders due, both as of
// the organisation's calendar day at now. Ended agreements go first, so
// that they get no reminders; the second runs even when the first fails.
func agreements(store Agreements) func(context.Context, *distans.Organisation, time.Time) (int, error) {
	return func(ctx context.Context, o *distans.Organisation, now time.Time) (int, error) {
		today := o.Today(now)
		ended, err := store.EndAgreements(ctx, today)
		if err != nil {
			err = fmt.Errorf("end agreements: %w", err)
		}
		queued, qerr := store.QueueReminders(ctx, today)
		if qerr != nil {
			err = errors.Join(err, fmt.Errorf("queue reminders: %w", qerr))
		}
		return ended + queued, err
	}
}

// incidentDeadlines reminds of the organisation's incident deadlines that
// draw near and escalates those that have passed, each once (see
// sqlstore.Store.IncidentDeadlines), with the times in the organisation's
// time zone.
func incidentDeadlines(store Incidents) func(context.Context, *distans.Organisation, time.Time) (int, error) {
	return func(ctx context.Context, o *distans.Organisation, now time.Time) (int, error) {
		return store.IncidentDeadlines(ctx, now, o.Location())
	}
}

// equipmentReturns creates the return tasks that leaves and employment
// ends call for under each organisation's pack, reminds of and escalates
// the tasks whose due date draws near or has passed, and reminds of
// handovers left unaccepted, across all organisations as the system
// actor. Every organisation's plan is read from its active pack before
// the store's transaction, so the transaction reads no pack; an
// organisation whose pack cannot be read fails the round only if it has
// a task to make. Each part runs even when another fails. Today is the
// calendar day in Sweden's time zone, every organisation's default; the
// store counts the reminders in each organisation's own.
func equipmentReturns(orgs distans.OrganisationService, store EquipmentReturns, plans ReturnPlans) func(context.Context, time.Time) (int, error) {
	return func(ctx context.Context, now time.Time) (int, error) {
		ctx = distans.NewContext(ctx, distans.SystemActor(""))
		list, err := orgs.ListOrganisations(ctx)
		if err != nil {
			return 0, fmt.Errorf("list organisations: %w", err)
		}
		type planned struct {
			plan distans.ReturnPlan
			err  error
		}
		byOrg := make(map[string]planned, len(list))
		for _, o := range list {
			p, err := plans(ctx, o.ID)
			byOrg[o.ID] = planned{p, err}
		}
		created, err := store.CreateReturnTasks(ctx, distans.Today(now, (&distans.Organisation{}).Location()),
			func(orgID string) (distans.ReturnPlan, error) {
				p, ok := byOrg[orgID]
				if !ok {
					return nil, fmt.Errorf("no return plan for organisation %s", orgID)
				}
				return p.plan, p.err
			})
		if err != nil {
			err = fmt.Errorf("create return tasks: %w", err)
		}
		reminded, escalated, derr := store.ReturnTaskDeadlines(ctx, now)
		if derr != nil {
			err = errors.Join(err, fmt.Errorf("return task deadlines: %w", derr))
		}
		handovers, herr := store.HandoverReminders(ctx, now)
		if herr != nil {
			err = errors.Join(err, fmt.Errorf("handover reminders: %w", herr))
		}
		return created + reminded + escalated + handovers, err
	}
}

// perOrganisation runs fn once for every organisation, each as the system
// actor of that organisation, and adds up the counts. An organisation that
// fails does not stop the others; the errors are joined.
func perOrganisation(orgs distans.OrganisationService, fn func(context.Context, time.Time) (int, error)) func(context.Context, time.Time) (int, error) {
	return eachOrganisation(orgs, func(ctx context.Context, _ *distans.Organisation, now time.Time) (int, error) {
		return fn(ctx, now)
	})
}

// eachOrganisation is perOrganisation for jobs that need the organisation,
// such as its time zone.
func eachOrganisation(orgs distans.OrganisationService, fn func(context.Context, *distans.Organisation, time.Time) (int, error)) func(context.Context, time.Time) (int, error) {
	return func(ctx context.Context, now time.Time) (int, error) {
		list, err := orgs.ListOrganisations(distans.NewContext(ctx, distans.SystemActor("")))
		if err != nil {
			return 0, fmt.Errorf("list organisations: %w", err)
		}
		// Organisations are independent, so a few run at once: on
		// PostgreSQL a round over hundreds of organisations is then bound
		// by the database's cores rather than by round trips. (SQLite's
		// single writer simply takes them in turn.)
		var (
			mu    sync.Mutex
			total int
			errs  []error
			next  = make(chan *distans.Organisation)
			wg    sync.WaitGroup
		)
		for range orgWorkers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for o := range next {
					n, err := fn(distans.NewContext(ctx, distans.SystemActor(o.ID)), o, now)
					mu.Lock()
					total += n
					if err != nil {
						errs = append(errs, fmt.Errorf("%s: %w", o.Slug, err))
					}
					mu.Unlock()
				}
			}()
		}
		for _, o := range list {
			if ctx.Err() != nil {
				break
			}
			next <- o
		}
		close(next)
		wg.Wait()
		if ctx.Err() != nil {
			errs = append(errs, ctx.Err())
		}
		return total, errors.Join(errs...)
	}
}

// orgWorkers is how many organisations a job round works on at once.
const orgWorkers = 4

// Run runs the jobs of c now and then every c.Every until ctx is done, and
// beside them, each on its own timer and if configured, the e-mail job
// every c.MailEvery, the sealing job every c.AuditEvery and the checkpoint
// job every c.CheckpointEvery. A job that fails or panics is logged and
// the others go on; the next round tries it again. Run returns when all
// have stopped.
func Run(ctx context.Context, c Config) {
	var wg sync.WaitGroup
	for _, side := range []struct {
		jobs     []Job
		every    time.Duration
		fallback time.Duration
	}{{MailJobs(c), c.MailEvery, DefaultMailEvery}, {AuditJobs(c), c.AuditEvery, DefaultAuditEvery},
		{CheckpointJobs(c), c.CheckpointEvery, DefaultCheckpointEvery}} {
		if len(side.jobs) == 0 {
			continue
		}
		sc := c
		sc.Every = cmp.Or(max(side.every, 0), side.fallback)
		wg.Go(func() { RunJobs(ctx, sc, side.jobs) })
	}
	RunJobs(ctx, c, Jobs(c))
	wg.Wait()
}

// RunJobs is Run with the jobs given, for tests and for callers with jobs
// of their own.
func RunJobs(ctx context.Context, c Config, jobs []Job) {
	every := c.Every
	if every <= 0 {
		every = DefaultEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		Round(ctx, c, jobs)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Round runs each job once, one after the other, as of one instant.
func Round(ctx context.Context, c Config, jobs []Job) {
	logger := c.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	clock := c.Now
	if clock == nil {
		clock = distans.Now
	}
	now := clock()
	// Everything the jobs call reads the round's instant from ctx, so the
	// times they stamp agree with the now they are given.
	ctx = distans.WithNow(ctx, now)
	for _, j := range jobs {
		if ctx.Err() != nil {
			return
		}
		start := time.Now()
		n, err := runOne(ctx, j, now)
		switch {
		case err != nil && ctx.Err() == nil:
			logger.ErrorContext(ctx, "job failed", "job", j.Name, "err", err)
		case err == nil && n > 0 && !j.Quiet:
			logger.InfoContext(ctx, "job done", "job", j.Name, "count", n, "duration", time.Since(start).Round(time.Millisecond))
		case err == nil:
			logger.DebugContext(ctx, "job done", "job", j.Name, "count", 0)
		}
	}
}

// runOne runs one job, turning a panic into an error with its stack.
func runOne(ctx context.Context, j Job, now time.Time) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return j.Fn(ctx, now)
}

// TrainingJobs is the part of the store that the training job needs;
// *sqlstore.Store is one (training.Store).
type TrainingJobs interface {
	TrainingOverdueNotices(ctx context.Context, today time.Time, catalogue training.Catalogue) (int, error)
	AcknowledgementReminders(ctx context.Context, today time.Time, deadlines training.AcknowledgementDeadlines) (int, error)
}

// ChecklistJobs is the part of the store that the checklist job needs
// (checklist.Store).
type ChecklistJobs interface {
	OpenChecklists(ctx context.Context, today time.Time, templates checklist.Templates) (int, error)
	TickDoneTasks(ctx context.Context, today time.Time) (int, error)
	ChecklistDeadlines(ctx context.Context, today time.Time) (reminded, escalated int, err error)
}

// PackOf gives an organisation's active pack as the system actor;
// (*policy.Service).ActiveFor is one.
type PackOf func(ctx context.Context, orgID string) (*policy.Pack, error)

// packCache reads each organisation's active pack once per round, so that
// a store method asking for it per person or per checklist reads no pack
// twice.
type packCache struct {
	ctx   context.Context
	packs PackOf
	got   map[string]*policy.Pack
	errs  map[string]error
}

func newPackCache(ctx context.Context, packs PackOf) *packCache {
	return &packCache{ctx: ctx, packs: packs, got: map[string]*policy.Pack{}, errs: map[string]error{}}
}

func (c *packCache) pack(orgID string) (*policy.Pack, error) {
	if p, ok := c.got[orgID]; ok {
		return p, c.errs[orgID]
	}
	p, err := c.packs(c.ctx, orgID)
	c.got[orgID], c.errs[orgID] = p, err
	return p, err
}

// trainingJob tells managers once of each person overdue with a course
// (Kristianstad 003 Utbildning: the unit manager sees to it) and reminds
// people once of a required document's new version they have not
// acknowledged, with each organisation's catalogue and deadlines from its
// active pack. The unit paths of the catalogue's audiences are the
// store's, read by the store itself. Each part runs even when the other
// fails.
func trainingJob(store TrainingJobs, paths func(ctx context.Context, orgID string, codes []string) (map[string]string, error),
	packs PackOf) func(context.Context, time.Time) (int, error) {
	return func(ctx context.Context, now time.Time) (int, error) {
		ctx = distans.NewContext(ctx, distans.SystemActor(""))
		cache := newPackCache(ctx, packs)
		today := distans.Today(now, (&distans.Organisation{}).Location())
		overdue, err := store.TrainingOverdueNotices(ctx, today, func(orgID string) ([]*distans.Course, map[string]string, error) {
			p, err := cache.pack(orgID)
			if err != nil || p == nil {
				return nil, nil, err
			}
			var up map[string]string
			if codes := p.UnitCodes(); len(codes) > 0 && paths != nil {
				if up, err = paths(ctx, orgID, codes); err != nil {
					return nil, nil, err
				}
			}
			return p.Courses, up, nil
		})
		if err != nil {
			err = fmt.Errorf("training overdue notices: %w", err)
		}
		reminded, rerr := store.AcknowledgementReminders(ctx, today, func(orgID string) (int, int, error) {
			p, err := cache.pack(orgID)
			if err != nil || p == nil {
				return 0, 0, err
			}
			d, _ := p.Int(distans.AcknowledgementDaysParam)
			r, _ := p.Int(distans.AcknowledgementReminderParam)
			return int(d), int(r), nil
		})
		if rerr != nil {
			err = errors.Join(err, fmt.Errorf("acknowledgement reminders: %w", rerr))
		}
		return overdue + reminded, err
	}
}

// checklistJob opens the checklists that employments, their ends and
// long leaves call for under each organisation's templates, ticks the
// tasks Distans sees done, then reminds of and escalates the open tasks
// due, in that order so that a task done today is neither reminded nor
// escalated. Each part runs even when another fails.
func checklistJob(store ChecklistJobs, packs PackOf) func(context.Context, time.Time) (int, error) {
	return func(ctx context.Context, now time.Time) (int, error) {
		ctx = distans.NewContext(ctx, distans.SystemActor(""))
		cache := newPackCache(ctx, packs)
		today := distans.Today(now, (&distans.Organisation{}).Location())
		opened, err := store.OpenChecklists(ctx, today, func(orgID string) ([]distans.ChecklistTemplate, int, error) {
			p, err := cache.pack(orgID)
			if err != nil || p == nil {
				return nil, 0, err
			}
			return p.Checklists, p.Version, nil
		})
		if err != nil {
			err = fmt.Errorf("open checklists: %w", err)
		}
		ticked, terr := store.TickDoneTasks(ctx, today)
		if terr != nil {
			err = errors.Join(err, fmt.Errorf("tick done tasks: %w", terr))
		}
		reminded, escalated, derr := store.ChecklistDeadlines(ctx, today)
		if derr != nil {
			err = errors.Join(err, fmt.Errorf("checklist deadlines: %w", derr))
		}
		return opened + ticked + reminded + escalated, err
	}
}
