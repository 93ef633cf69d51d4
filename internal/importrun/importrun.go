// Package importrun runs imports: the distans.ImportService that the pages,
// the API and the CLI use, and the Worker that does the work in the
// background. Starting an import only keeps the files; a worker claims it
// (ClaimImport, with a lease that it renews while it works), checks the
// files against the organisation (the dry run) and records what it found.
// Confirming queues the import, and a worker applies it in one transaction
// (ImportStore.ApplyImport), checking the files once more against the
// organisation as it is then: an import whose organisation changed after
// the dry run becomes stale instead of doing something the administrator
// did not see.
//
// Because the worker does the work, an import goes on when the browser is
// closed; because it works under a lease, an import whose instance crashed
// is taken over by another worker when the lease runs out (an apply that
// died was rolled back and is simply applied again).
package importrun

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/importer"
)

// MaxErrors is how many row errors an import keeps: enough to fix a file
// by, while a file that is wrong on every one of 50,000 rows does not make
// every page that shows the import megabytes long. ErrorTotal keeps the
// count of all of them.
const MaxErrors = 1000

// Service is the distans.ImportService over an ImportStore.
type Service struct {
	store distans.ImportStore
	orgs  distans.OrganisationService
	log   *slog.Logger
	live  *registry
	wake  chan struct{}
}

// New returns the import service over store; orgs gives each
// organisation's calendar day ("today") for the checks.
func New(store distans.ImportStore, orgs distans.OrganisationService, logger *slog.Logger) *Service {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, orgs: orgs, log: logger, live: newRegistry(), wake: make(chan struct{}, 1)}
}

var _ distans.ImportService = (*Service)(nil)

// StartImport keeps the files and leaves them to a worker to check.
func (s *Service) StartImport(ctx context.Context, files []distans.ImportFile, opts distans.ImportOptions) (*distans.Import, error) {
	a := distans.ActorFrom(ctx)
	if !a.Imports() {
		return nil, distans.Forbidden()
	}
	opts, err := validate(files, opts)
	if err != nil {
		return nil, err
	}
	now := distans.NowFrom(ctx)
	imp := &distans.Import{
		OrganisationID: a.OrganisationID,
		CreatedBy:      a.PersonID,
		CreatedByName:  a.Name,
		Status:         distans.ImportChecking,
		Options:        opts,
		CreatedAt:      now,
		UpdatedAt:      now,
	}
	for _, f := range files {
		imp.FileNames = append(imp.FileNames, f.Name)
	}
	if err := s.store.CreateImport(ctx, imp, files); err != nil {
		return nil, err
	}
	s.nudge()
	return imp, nil
}

// FindImport returns the import as the store has it, with the progress of
// the work this process is doing on it (see registry).
func (s *Service) FindImport(ctx context.Context, id string) (*distans.Import, error) {
	if !distans.ActorFrom(ctx).Imports() {
		return nil, distans.Forbidden()
	}
	imp, err := s.store.FindImport(ctx, id)
	if err != nil {
		return nil, err
	}
	s.live.overlay(imp)
	return imp, nil
}

// ListImports returns the organisation's imports, newest first as the
// store lists them, with this process's progress on them.
func (s *Service) ListImports(ctx context.Context) ([]*distans.Import, error) {
	if !distans.ActorFrom(ctx).Imports() {
		return nil, distans.Forbidden()
	}
	list, err := s.store.ListImports(ctx)
	if err != nil {
		return nil, err
	}
	for _, imp := range list {
		s.live.overlay(imp)
	}
	return list, nil
}

// ConfirmImport queues a checked import for a worker to apply.
func (s *Service) ConfirmImport(ctx context.Context, id string) (*distans.Import, error) {
	if !distans.ActorFrom(ctx).Imports() {
		return nil, distans.Forbidden()
	}
	imp, err := s.store.QueueImport(ctx, id)
	if err != nil {
		return nil, err
	}
	s.nudge()
	return imp, nil
}

// nudge wakes this process's worker, so that an import started or
// confirmed here begins at once rather than at the next poll.
func (s *Service) nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// validate checks what StartImport is given and returns the options as
// they are kept: EndMissingOn only for a full export.
func validate(files []distans.ImportFile, opts distans.ImportOptions) (distans.ImportOptions, error) {
	var v distans.Validation
	if len(files) == 0 {
		v.Add("files", "Välj minst en fil.", "Choose at least one file.")
	}
	var size int64
	for _, f := range files {
		size += int64(len(f.Content))
		if bytes.IndexByte(f.Content, 0) >= 0 {
			// NUL bytes are never in CSV text in UTF-8 or Windows-1252:
			// the file is a spreadsheet, a PDF, an archive or UTF-16.
			v.Add("files",
				fmt.Sprintf("%s är inte en CSV-fil i textformat. Spara den som CSV (UTF-8 eller Windows-1252) och försök igen.", f.Name),
				fmt.Sprintf("%s is not a CSV text file. Save it as CSV (UTF-8 or Windows-1252) and try again.", f.Name))
		}
	}
	if size > distans.MaxImportBytes {
		return opts, distans.ErrImportTooLarge()
	}
	if !opts.Full {
		opts.EndMissingOn = nil
	} else if opts.EndMissingOn == nil {
		v.Add("end_missing_on",
			"Ange den dag då anställningen avslutas för den som saknas i en fullständig export.",
			"Give the day on which the employment of whoever is missing from a full export ends.")
	}
	return opts, v.Err()
}

// registry is the progress of the imports this process works on, by
// import ID. While an import is applied on SQLite the apply's transaction
// holds the one writer, so its progress cannot be written to the database
// until it is over; the pages read it from here instead (FindImport
// overlays it), when the import runs in the process that serves them.
type registry struct {
	mu sync.Mutex
	m  map[string]liveProgress
}

type liveProgress struct {
	status     distans.ImportStatus
	done, rows int
}

func newRegistry() *registry { return &registry{m: map[string]liveProgress{}} }

func (r *registry) set(id string, status distans.ImportStatus, done, rows int) {
	r.mu.Lock()
	r.m[id] = liveProgress{status: status, done: done, rows: rows}
	r.mu.Unlock()
}

func (r *registry) remove(id string) {
	r.mu.Lock()
	delete(r.m, id)
	r.mu.Unlock()
}

// overlay puts this process's progress on imp. A finished import is left
// as the store has it: its outcome is in the database, and the entry is
// only about to be removed.
func (r *registry) overlay(imp *distans.Import) {
	if imp.Status.Finished() {
		return
	}
	r.mu.Lock()
	p, ok := r.m[imp.ID]
	r.mu.Unlock()
	if ok {
		imp.Status, imp.Done, imp.Rows = p.status, p.done, p.rows
	}
}

// Failure texts kept on an import for the user. They are Swedish, the
// organisation's language; the pages explain each status in the reader's
// own language beside them.
const (
	failureStale = "Organisationen har ändrats sedan kontrollen; kontrollera filerna igen."
	failureApply = "Importen kunde inte genomföras, och ingenting har ändrats. Försök igen; kvarstår felet, kontakta IT-support."
	failureCheck = "Filerna kunde inte kontrolleras. Försök igen; kvarstår felet, kontakta IT-support."
)

// errStale is what the apply's plan returns when the organisation no
// longer gives the dry run's result: ApplyImport then writes nothing.
var errStale = distans.Errorf(distans.ECONFLICT,
	failureStale, "The organisation has changed since the check; check the files again.")

// sameSummary reports whether two checks of the same files do the same:
// the same counts of every kind, and the same people's employments ended.
// The files' own description (names, rows) is left out: it cannot differ.
func sameSummary(a, b *distans.ImportSummary) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Units != b.Units || a.Sites != b.Sites || a.People != b.People || a.Employments != b.Employments ||
		a.Managers != b.Managers || a.Roles != b.Roles || a.Leaves != b.Leaves || a.EndingTotal != b.EndingTotal ||
		len(a.Ending) != len(b.Ending) {
		return false
	}
	for i := range a.Ending {
		if a.Ending[i].PersonID != b.Ending[i].PersonID {
			return false
		}
	}
	return true
}

// capErrors keeps the first MaxErrors of errs on imp and the count of all.
func capErrors(imp *distans.Import, errs []distans.ImportRowError) {
	imp.ErrorTotal = len(errs)
	imp.Errors = errs[:min(len(errs), MaxErrors)]
}

// check is the dry run of files in organisation orgID as of ctx's instant:
// the plan, or every row error.
func (s *Service) check(ctx context.Context, orgID string, files []distans.ImportFile, opts distans.ImportOptions,
	snap *distans.ImportSnapshot, progress func(done, total int)) (*distans.ImportPlan, []distans.ImportRowError, error) {
	today, _, err := distans.TodayIn(ctx, s.orgs, orgID)
	if err != nil {
		return nil, nil, fmt.Errorf("today in %s: %w", orgID, err)
	}
	return importer.Check(orgID, files, snap, opts, today, progress)
}

// Kinds names the kinds of record an import counts, in the order the
// summaries show them, with the count of each in sum.
func Kinds(sum *distans.ImportSummary) []KindCount {
	return []KindCount{
		{"units", sum.Units}, {"sites", sum.Sites}, {"people", sum.People}, {"employments", sum.Employments},
		{"managers", sum.Managers}, {"roles", sum.Roles}, {"leaves", sum.Leaves},
	}
}

// KindCount is one kind of record and what an import does to it.
type KindCount struct {
	Kind  string
	Count distans.ImportCount
}

// RowErrorText is a row error as one line, in Swedish or English:
// "personal.csv rad 14, kolumn e-post: …".
func RowErrorText(e distans.ImportRowError, lang string) string {
	var b strings.Builder
	b.WriteString(e.File)
	row, col := " rad ", ", kolumn "
	if lang == "en" {
		row, col = " line ", ", column "
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%s%d", row, e.Line)
	}
	if e.Column != "" {
		b.WriteString(col + e.Column)
	}
	b.WriteString(": " + e.Message(lang))
	return b.String()
}
