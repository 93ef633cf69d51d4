// Package checklist is the checklist service: the active pack's
// templates, and the checklists the checklist job opens from them, their
// tasks ticked by their owners. Who sees and ticks what is the Actor's
// (SeesChecklistOf, OwnsTask), enforced by the store.
package checklist

import (
	"context"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
)

// Packs gives the active policy pack of the actor's organisation;
// *policy.Service is one.
type Packs interface {
	Active(ctx context.Context) (*policy.Pack, *distans.PolicyVersion, error)
}

// Config is what the service is built from. Every field is required.
type Config struct {
	Store         Store
	Packs         Packs
	Organisations distans.OrganisationService // the time zone that says which day it is
}

// Service is distans.ChecklistService on a Store.
type Service struct {
	store Store
	packs Packs
	orgs  distans.OrganisationService
}

var _ distans.ChecklistService = (*Service)(nil)

// New returns the service.
func New(c Config) *Service { return &Service{store: c.Store, packs: c.Packs, orgs: c.Organisations} }

// Templates is the active pack's templates.
func (s *Service) Templates(ctx context.Context) ([]distans.ChecklistTemplate, error) {
	p, _, err := s.packs.Active(ctx)
	if err != nil {
		return nil, err
	}
	return p.Checklists, nil
}

// Checklist is the store's.
func (s *Service) Checklist(ctx context.Context, id string) (*distans.Checklist, error) {
	return s.store.FindChecklist(ctx, id)
}

// ListChecklists is the store's.
func (s *Service) ListChecklists(ctx context.Context, f distans.ChecklistFilter) ([]*distans.Checklist, error) {
	return s.store.ListChecklists(ctx, f)
}

// MyTasks is the store's.
func (s *Service) MyTasks(ctx context.Context) ([]*distans.ChecklistTask, error) {
	return s.store.ListOwnedTasks(ctx)
}

// maxNote bounds a task's note (how the work material was handed over).
const maxNote = 2000

// TickTask checks the note and ticks the task; the store refuses a task
// the actor does not own.
func (s *Service) TickTask(ctx context.Context, checklistID, taskID string, version int, note string) (*distans.Checklist, error) {
	note = strings.TrimSpace(note)
	var v distans.Validation
	v.MaxLen("note", note, maxNote)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.store.TickChecklistTask(ctx, checklistID, taskID, version, note)
}

// Overview is HR's overview on today in the organisation's time zone.
func (s *Service) Overview(ctx context.Context) (*distans.ChecklistOverview, error) {
	a := distans.ActorFrom(ctx)
	if a == nil || a.OrganisationID == "" {
		return nil, distans.Errorf(distans.EUNAUTHORIZED, "Du måste logga in.", "You must sign in.")
	}
	if !a.SeesChecklistOverview() {
		return nil, distans.Forbidden()
	}
	today, _, err := distans.TodayIn(ctx, s.orgs, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	return s.store.ChecklistOverview(ctx, today)
}
