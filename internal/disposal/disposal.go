// Package disposal carries out disposal (gallring): it reads each type's
// period from the organisation's active pack (distans.DisposalPeriods),
// asks the store what is due (the plan, a dry run) and disposes of it in
// batches, each its own transaction with its log row and audit event.
// Who may do what is the store's to enforce (distans.Actor.Disposes,
// HoldsRecords, SeesDisposal).
package disposal

import (
	"context"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
)

// Store is the part of the store disposal needs; *sqlstore.Store is one.
// Every method acts in the organisation of the actor in ctx.
type Store interface {
	// CountDisposal fills in each item's Count, Held and Oldest.
	CountDisposal(ctx context.Context, items []distans.DisposalItem) error
	// DisposeBatch disposes of up to batch due records of the item's
	// type that no hold covers; nil when none was due.
	DisposeBatch(ctx context.Context, it distans.DisposalItem, batch int) (*distans.DisposalLogEntry, error)
	MarkDisposalRun(ctx context.Context, at time.Time) error
	LastDisposalRun(ctx context.Context) (time.Time, error)
	ListDisposalLog(ctx context.Context, limit int) ([]*distans.DisposalLogEntry, error)
	ListDisposalHolds(ctx context.Context) ([]*distans.DisposalHold, error)
	PlaceDisposalHold(ctx context.Context, h distans.HoldRequest) (*distans.DisposalHold, error)
	ReleaseDisposalHold(ctx context.Context, id string) error
}

// Policies gives the organisation's active pack as people read it;
// distans.PolicyService is one.
type Policies interface {
	ActivePolicy(ctx context.Context) (*distans.Policy, *distans.PolicyVersion, error)
}

// Service implements distans.DisposalService.
type Service struct {
	store    Store
	policies Policies
}

var _ distans.DisposalService = (*Service)(nil)

// New returns the service.
func New(store Store, policies Policies) *Service { return &Service{store: store, policies: policies} }

// Every is how often the job disposes in an organisation: once a day is
// soon enough for periods counted in days, and the rounds in between read
// one row.
const Every = 20 * time.Hour

// items are the plan's items as of the context's now, without counts.
func (s *Service) items(ctx context.Context) ([]distans.DisposalItem, time.Time, error) {
	pol, _, err := s.policies.ActivePolicy(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	now := distans.NowFrom(ctx)
	var items []distans.DisposalItem
	for _, p := range distans.DisposalPeriods(pol) {
		p.Citation = policy.Cite(nil, policy.Source{Document: p.Source.Document, Section: p.Source.Section}).String()
		items = append(items, distans.DisposalItem{Period: p, Cutoff: p.Cutoff(now, pol.Location())})
	}
	return items, now, nil
}

// PlanDisposal is the dry run.
func (s *Service) PlanDisposal(ctx context.Context) (*distans.DisposalPlan, error) {
	if a := distans.ActorFrom(ctx); a == nil || !a.SeesDisposal() {
		return nil, distans.Forbidden()
	}
	items, now, err := s.items(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.store.CountDisposal(ctx, items); err != nil {
		return nil, err
	}
	return &distans.DisposalPlan{At: now, Items: items}, nil
}

// Dispose disposes of every type that disposal itself removes, batch by
// batch until a batch comes back short, and records the run. The types
// that their own jobs sweep (sessions, status history) are left to them.
func (s *Service) Dispose(ctx context.Context) ([]*distans.DisposalLogEntry, error) {
	if a := distans.ActorFrom(ctx); a == nil || !a.Disposes() {
		return nil, distans.Forbidden()
	}
	items, now, err := s.items(ctx)
	if err != nil {
		return nil, err
	}
	var out []*distans.DisposalLogEntry
	for _, it := range items {
		if it.Period.SweptBy != "" {
			continue
		}
		for {
			e, err := s.store.DisposeBatch(ctx, it, distans.DisposalBatch)
			if err != nil {
				return out, err
			}
			if e == nil {
				break
			}
			out = append(out, e)
			if e.Count < distans.DisposalBatch {
				break
			}
		}
	}
	return out, s.store.MarkDisposalRun(ctx, now)
}

// DisposeIfDue is the job's round in one organisation, as its system
// actor: Dispose when the last run is Every ago or more, else nothing.
// It returns how many records went.
func (s *Service) DisposeIfDue(ctx context.Context, now time.Time) (int, error) {
	last, err := s.store.LastDisposalRun(ctx)
	if err != nil {
		return 0, err
	}
	if !last.IsZero() && now.Sub(last) < Every {
		return 0, nil
	}
	entries, err := s.Dispose(ctx)
	n := 0
	for _, e := range entries {
		n += e.Count
	}
	return n, err
}

func (s *Service) ListDisposalLog(ctx context.Context, limit int) ([]*distans.DisposalLogEntry, error) {
	return s.store.ListDisposalLog(ctx, limit)
}

func (s *Service) ListDisposalHolds(ctx context.Context) ([]*distans.DisposalHold, error) {
	return s.store.ListDisposalHolds(ctx)
}

func (s *Service) PlaceDisposalHold(ctx context.Context, h distans.HoldRequest) (*distans.DisposalHold, error) {
	return s.store.PlaceDisposalHold(ctx, h)
}

func (s *Service) ReleaseDisposalHold(ctx context.Context, id string) error {
	return s.store.ReleaseDisposalHold(ctx, id)
}
