package importrun

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/distans/distans"
)

// Defaults of a Worker.
const (
	// DefaultLease is how long a claim holds without being renewed: an
	// import whose instance died is taken over this long after its last
	// renewal. The worker renews it every third of that.
	DefaultLease = time.Minute
	// DefaultPoll is how often an idle worker looks for work that another
	// instance started; work started in this process wakes it at once.
	DefaultPoll = 2 * time.Second
	// saveEvery is how often a check writes its progress, which the pages
	// of every instance read.
	saveEvery = time.Second
)

// Worker checks and applies imports in the background. Every instance of
// Distans runs one (serve starts it); ClaimImport gives each a different
// import, under a lease that the worker renews while it works.
type Worker struct {
	svc   *Service
	Lease time.Duration    // 0 is DefaultLease
	Poll  time.Duration    // 0 is DefaultPoll
	Now   func() time.Time // nil is distans.Now
	// renewEvery is how often the lease is renewed; 0 is a third of it.
	renewEvery time.Duration
}

// Worker returns a worker for the service's imports.
func (s *Service) Worker() *Worker { return &Worker{svc: s} }

func (w *Worker) lease() time.Duration {
	if w.Lease > 0 {
		return w.Lease
	}
	return DefaultLease
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return distans.Now()
}

// Run works on imports until ctx is done: whenever one is waiting, it
// claims and finishes it, and otherwise waits for a nudge from this
// process or the next poll. A failure is logged and the loop goes on.
func (w *Worker) Run(ctx context.Context) {
	poll := w.Poll
	if poll <= 0 {
		poll = DefaultPoll
	}
	t := time.NewTimer(poll)
	defer t.Stop()
	for {
		worked, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.svc.log.ErrorContext(ctx, "import worker", "err", err)
		}
		if worked && err == nil {
			continue
		}
		t.Reset(poll)
		select {
		case <-ctx.Done():
			return
		case <-w.svc.wake:
		case <-t.C:
		}
	}
}

// RunOnce claims one import, if one is waiting, and does its next step:
// the check of a new import, or the apply of a confirmed one. It reports
// whether it found one. An import it could not finish because ctx ended
// stays as it was, for a worker to take over when the lease runs out.
func (w *Worker) RunOnce(ctx context.Context) (worked bool, err error) {
	start := w.now()
	claimCtx := distans.NewContext(distans.WithNow(ctx, start), distans.SystemActor(""))
	imp, err := w.svc.store.ClaimImport(claimCtx, start, w.lease())
	if err != nil {
		return false, fmt.Errorf("claim: %w", err)
	}
	if imp == nil {
		return false, nil
	}
	ctx = distans.NewContext(distans.WithNow(ctx, start), worker(imp))
	stop := w.keepLease(ctx, imp)
	defer stop()
	defer w.svc.live.remove(imp.ID)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("import %s: panic: %v\n%s", imp.ID, r, debug.Stack())
			w.svc.markFailed(ctx, imp, failureFor(imp.Status), w.now)
		}
	}()
	switch imp.Status {
	case distans.ImportChecking:
		return true, w.check(ctx, imp)
	case distans.ImportQueued, distans.ImportApplying:
		// Applying: a worker that stopped mid-apply, whose transaction
		// was rolled back; the apply starts afresh.
		return true, w.apply(ctx, imp)
	}
	return true, fmt.Errorf("import %s: claimed in status %s", imp.ID, imp.Status)
}

// keepLease renews the claim on imp every third of the lease until stop
// is called. A renewal that fails is logged; the work goes on, and should
// another worker take the import over meanwhile, the apply's check inside
// its transaction still keeps it from being applied twice.
func (w *Worker) keepLease(ctx context.Context, imp *distans.Import) (stop func()) {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		every := w.renewEvery
		if every <= 0 {
			every = w.lease() / 3
		}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			// A renewal under way ends before stop returns, not cancelled
			// midway: a transaction cancelled by its context is rolled
			// back while stop goes on, still holding the import's row,
			// and a worker's claim passes over a locked row (SKIP LOCKED).
			now := w.now()
			if err := w.svc.store.RenewImport(distans.WithNow(context.WithoutCancel(ctx), now), imp.OrganisationID, imp.ID, now.Add(w.lease())); err != nil {
				w.svc.log.WarnContext(ctx, "import lease not renewed", "import", imp.ID, "err", err)
			}
		}
	}()
	return func() { close(quit); <-done }
}

// check is the dry run: the files against the organisation as it is, with
// the progress written every second, and the outcome recorded: checked
// with the summary, or invalid with the row errors.
func (w *Worker) check(ctx context.Context, imp *distans.Import) error {
	files, err := w.svc.store.ImportFiles(ctx, imp.OrganisationID, imp.ID)
	if err != nil {
		return w.interrupted(ctx, imp, fmt.Errorf("files: %w", err))
	}
	snap, err := w.svc.store.ImportSnapshot(ctx, imp.OrganisationID)
	if err != nil {
		return w.interrupted(ctx, imp, fmt.Errorf("snapshot: %w", err))
	}
	saved := time.Now()
	progress := func(done, total int) {
		w.svc.live.set(imp.ID, distans.ImportChecking, done, total)
		if time.Since(saved) < saveEvery {
			return
		}
		saved = time.Now()
		imp.Done, imp.Rows = done, total
		if err := w.svc.store.SaveImportProgress(distans.WithNow(ctx, w.now()), imp); err != nil && ctx.Err() == nil {
			w.svc.log.WarnContext(ctx, "import progress not saved", "import", imp.ID, "err", err)
		}
	}
	plan, rowErrs, err := w.svc.check(ctx, imp.OrganisationID, files, imp.Options, snap, progress)
	if err != nil {
		return w.interrupted(ctx, imp, fmt.Errorf("check: %w", err))
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	finished := w.now()
	if len(rowErrs) > 0 {
		imp.Status = distans.ImportInvalid
		capErrors(imp, rowErrs)
		imp.Done = imp.Rows
		imp.FinishedAt = &finished
	} else {
		imp.Status = distans.ImportChecked
		imp.Summary = &plan.Summary
		imp.Rows, imp.Done = plan.Summary.Rows, plan.Summary.Rows
		imp.Errors, imp.ErrorTotal = nil, 0
	}
	if err := w.svc.store.SaveImportProgress(distans.WithNow(ctx, finished), imp); distans.ErrorCode(err) == distans.ECONFLICT {
		return nil // another worker, which took over an expired lease, finished it first
	} else if err != nil {
		return fmt.Errorf("import %s: save the check: %w", imp.ID, err)
	}
	return nil
}

// apply applies a confirmed import. The plan is made again inside the
// apply's transaction, from the organisation as it is then; when it does
// not do what the dry run said (someone changed the organisation since),
// nothing is written and the import becomes stale.
func (w *Worker) apply(ctx context.Context, imp *distans.Import) error {
	files, err := w.svc.store.ImportFiles(ctx, imp.OrganisationID, imp.ID)
	if err != nil {
		return w.interrupted(ctx, imp, fmt.Errorf("files: %w", err))
	}
	return w.svc.apply(ctx, imp, files, w.now)
}

// apply applies imp, whose files are files and whose dry run found
// imp.Summary, and records the outcome: done (the store's, in the apply's
// transaction), stale, or failed.
func (s *Service) apply(ctx context.Context, imp *distans.Import, files []distans.ImportFile, clock func() time.Time) error {
	dry := imp.Summary
	s.live.set(imp.ID, distans.ImportApplying, 0, 0)
	// Applying is recorded before the apply's transaction takes the
	// writer, so that the pages of every instance say so; the progress
	// itself only this process knows until the apply is over.
	imp.Status, imp.Done, imp.Rows = distans.ImportApplying, 0, 0
	if err := s.store.SaveImportProgress(distans.WithNow(ctx, clock()), imp); err != nil {
		if distans.ErrorCode(err) == distans.ECONFLICT {
			return nil // finished meanwhile by a worker that had it before
		}
		return fmt.Errorf("import %s: mark applying: %w", imp.ID, err)
	}
	changes := 0
	plan := func(snap *distans.ImportSnapshot) (*distans.ImportPlan, error) {
		p, rowErrs, err := s.check(ctx, imp.OrganisationID, files, imp.Options, snap, func(done, total int) {
			s.live.set(imp.ID, distans.ImportApplying, done, total)
		})
		if err != nil {
			return nil, err
		}
		if len(rowErrs) > 0 || !sameSummary(&p.Summary, dry) {
			return nil, errStale
		}
		changes = p.Changes()
		s.live.set(imp.ID, distans.ImportApplying, 0, changes)
		return p, nil
	}
	err := s.store.ApplyImport(ctx, imp, plan, func(done int) {
		s.live.set(imp.ID, distans.ImportApplying, done, changes)
	})
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errStale):
		finished := clock()
		imp.Status, imp.Failure, imp.FinishedAt = distans.ImportStale, failureStale, &finished
		imp.Done, imp.Rows = 0, 0
		if err := s.store.SaveImportProgress(distans.WithNow(ctx, finished), imp); err != nil {
			return fmt.Errorf("import %s: save stale: %w", imp.ID, err)
		}
		return nil
	}
	if ctx.Err() != nil {
		// Shut down mid-apply: the transaction was rolled back, and the
		// import is still queued for the next worker.
		return ctx.Err()
	}
	// Another worker that took the import over (a lease that ran out
	// while this one was stuck) may have applied it: then the store
	// refused this second apply, and the outcome stands.
	if cur, ferr := s.store.FindImport(ctx, imp.ID); ferr == nil && cur.Status.Finished() {
		s.log.WarnContext(ctx, "import finished elsewhere", "import", imp.ID, "status", cur.Status, "err", err)
		return nil
	}
	s.markFailed(ctx, imp, failureApply, clock)
	return fmt.Errorf("import %s: apply: %w", imp.ID, err)
}

// interrupted handles a check or an apply that could not run: when ctx
// ended (a shutdown) the import is left for another worker; otherwise it
// fails, so that a fault that would recur does not loop forever.
func (w *Worker) interrupted(ctx context.Context, imp *distans.Import, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	w.svc.markFailed(ctx, imp, failureFor(imp.Status), w.now)
	return fmt.Errorf("import %s: %w", imp.ID, err)
}

// markFailed records imp as failed with the user's message; the error is
// the caller's to log.
func (s *Service) markFailed(ctx context.Context, imp *distans.Import, msg string, clock func() time.Time) {
	if ctx.Err() != nil {
		return
	}
	finished := clock()
	imp.Status, imp.Failure, imp.FinishedAt = distans.ImportFailed, msg, &finished
	if err := s.store.SaveImportProgress(distans.WithNow(ctx, finished), imp); err != nil {
		s.log.ErrorContext(ctx, "import failure not saved", "import", imp.ID, "err", err)
	}
}

// failureFor is the user's message for a failure in status s.
func failureFor(s distans.ImportStatus) string {
	if s == distans.ImportChecking {
		return failureCheck
	}
	return failureApply
}

// worker is who does an import's work: the system, in the import's
// organisation, on behalf of whoever started it, whom the audit trail
// records with every change ("distans import" from the command line).
func worker(imp *distans.Import) *distans.Actor {
	a := distans.SystemActor(imp.OrganisationID)
	if imp.CreatedByName != "" {
		a.PersonID, a.Name = imp.CreatedBy, imp.CreatedByName
	}
	return a
}
