// Package training is the training service: the active pack's course
// catalogue, completions recorded by the person, their managers or HR (and
// imported from a CSV file of past completions), where each person stands
// with each course, and a course's coverage per unit. The training rule
// itself is distans.TrainingStatusOf; who may do what is the Actor's and
// the store enforces it.
package training

import (
	"context"
	"slices"
	"strings"
	"time"

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
	Documents     distans.DocumentService     // the required documents a person has not acknowledged
}

// Service is distans.TrainingService on a Store.
type Service struct {
	store Store
	packs Packs
	orgs  distans.OrganisationService
	docs  distans.DocumentService
}

var _ distans.TrainingService = (*Service)(nil)

// New returns the service.
func New(c Config) *Service {
	return &Service{store: c.Store, packs: c.Packs, orgs: c.Organisations, docs: c.Documents}
}

// Courses is the active pack's catalogue.
func (s *Service) Courses(ctx context.Context) ([]*distans.Course, error) {
	p, _, err := s.packs.Active(ctx)
	if err != nil {
		return nil, err
	}
	return p.Courses, nil
}

// PersonTraining is where the person (the actor when personID is empty)
// stands with every course that applies to them today; nothing for a
// person without a current employment.
func (s *Service) PersonTraining(ctx context.Context, personID string) ([]distans.TrainingStatus, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if personID == "" {
		personID = a.PersonID
	}
	pack, paths, today, err := s.catalogue(ctx)
	if err != nil {
		return nil, err
	}
	subjects, err := s.store.TrainingSubjects(ctx, "", personID)
	if err != nil {
		return nil, err
	}
	out := []distans.TrainingStatus{}
	for _, sub := range subjects {
		if sub.PersonID != personID {
			continue
		}
		for _, c := range pack.Courses {
			if st, ok := distans.TrainingStatusOf(c, sub, paths, today); ok {
				out = append(out, st)
			}
		}
	}
	return out, nil
}

// RecordCompletion records a completion of a course of the catalogue;
// the store checks the date against the person's employment and today,
// and whether the actor may record it.
func (s *Service) RecordCompletion(ctx context.Context, r *distans.CompletionRequest) (*distans.TrainingCompletion, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, err
	}
	pack, _, err := s.packs.Active(ctx)
	if err != nil {
		return nil, err
	}
	if r.CourseID != "" {
		if _, ok := pack.Course(r.CourseID); !ok {
			var v distans.Validation
			v.Add("course_id", "Kursen finns inte i organisationens kurskatalog.", "The course is not in the organisation's catalogue.")
			return nil, v.Err()
		}
	}
	c := &distans.TrainingCompletion{PersonID: r.PersonID, CourseID: r.CourseID, CompletedOn: r.CompletedOn,
		Certificate: r.Certificate}
	if err := s.store.CreateTrainingCompletions(ctx, []*distans.TrainingCompletion{c}); err != nil {
		return nil, err
	}
	return c, nil
}

// ListCompletions is the store's.
func (s *Service) ListCompletions(ctx context.Context, personID string) ([]*distans.TrainingCompletion, error) {
	return s.store.ListTrainingCompletions(ctx, personID)
}

// RemoveCompletion withdraws a completion with a reason, which the audit
// trail keeps.
func (s *Service) RemoveCompletion(ctx context.Context, id, reason string) error {
	if strings.TrimSpace(reason) == "" {
		var v distans.Validation
		v.Add("reason", "Ange varför genomförandet tas bort.", "Give the reason the completion is removed.")
		return v.Err()
	}
	return s.store.RemoveTrainingCompletion(ctx, id, strings.TrimSpace(reason))
}

// Certificate is the store's.
func (s *Service) Certificate(ctx context.Context, completionID string) (*distans.Attachment, error) {
	return s.store.TrainingCertificate(ctx, completionID)
}

// Coverage is a course's coverage in unitID's subtree (the actor's whole
// scope when empty): counts per unit for everyone the store shows the
// actor (SeesTrainingCounts: the organisation), and who is missing it only
// where the actor follows training (FollowsTrainingIn), most overdue first.
func (s *Service) Coverage(ctx context.Context, courseID, unitID string) (*distans.TrainingCoverage, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if a.FollowsTrainingIn().None() && !a.SeesTrainingCounts() {
		return nil, distans.Forbidden()
	}
	pack, paths, today, err := s.catalogue(ctx)
	if err != nil {
		return nil, err
	}
	c, ok := pack.Course(courseID)
	if !ok {
		return nil, distans.NotFound("Kursen finns inte.", "The course does not exist.")
	}
	subjects, err := s.store.TrainingSubjects(ctx, unitID, "", c.ID)
	if err != nil {
		return nil, err
	}
	return CoverageOf(a, c, subjects, paths, today, unitID), nil
}

// CoverageOf counts a course over subjects (ordered by unit, as the store
// gives them) on the day today; the names of those missing it are kept
// only where the actor follows training.
func CoverageOf(a *distans.Actor, c *distans.Course, subjects []*distans.TrainingSubject, paths map[string]string,
	today time.Time, unitID string) *distans.TrainingCoverage {
	cov := &distans.TrainingCoverage{CourseID: c.ID, UnitID: unitID, PerUnit: []distans.UnitTraining{}}
	follows := a.FollowsTrainingIn()
	units := map[string]int{}
	for _, sub := range subjects {
		st, ok := distans.TrainingStatusOf(c, sub, paths, today)
		if !ok {
			continue
		}
		i, seen := units[sub.UnitID]
		if !seen {
			i = len(cov.PerUnit)
			units[sub.UnitID] = i
			cov.PerUnit = append(cov.PerUnit, distans.UnitTraining{UnitID: sub.UnitID, UnitName: sub.UnitName})
		}
		u := &cov.PerUnit[i]
		cov.Required++
		u.Required++
		switch st.State {
		case distans.TrainingDone:
			cov.Done++
			u.Done++
		case distans.TrainingOverdue, distans.TrainingExpired:
			cov.Overdue++
			u.Overdue++
		}
		if st.State.Missing() && follows.Contains(sub.UnitPath) {
			cov.Missing = append(cov.Missing, st)
		}
	}
	slices.SortStableFunc(cov.Missing, func(x, y distans.TrainingStatus) int {
		if x.DaysOverdue != y.DaysOverdue {
			return y.DaysOverdue - x.DaysOverdue
		}
		return x.DueOn.Compare(y.DueOn)
	})
	return cov
}

// catalogue is the active pack, the unit paths of its audiences' codes,
// and today in the organisation's time zone.
func (s *Service) catalogue(ctx context.Context) (*policy.Pack, map[string]string, time.Time, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	pack, _, err := s.packs.Active(ctx)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	var paths map[string]string
	if codes := pack.UnitCodes(); len(codes) > 0 {
		if paths, err = s.store.UnitPathsByCode(ctx, codes); err != nil {
			return nil, nil, time.Time{}, err
		}
	}
	today, _, err := distans.TodayIn(ctx, s.orgs, a.OrganisationID)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	return pack, paths, today, nil
}

// Precondition is what the pack's precondition rules read of a person:
// the courses not done (due, overdue or expired) and the titles of the
// required documents that apply to them and that they have not
// acknowledged at the current version. It reads as the system: the
// caller (the agreement service) has already found the case the actor
// may see, and a manager deciding must see what stands in the way even
// where they do not follow training themselves.
func (s *Service) Precondition(ctx context.Context, personID string) (*policy.Precondition, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	sys := distans.NewContext(ctx, distans.SystemActor(a.OrganisationID))
	pack, paths, today, err := s.catalogue(sys)
	if err != nil {
		return nil, err
	}
	in := &policy.Precondition{TrainingMissing: []string{}, DocumentsUnacknowledged: []string{}}
	subjects, err := s.store.TrainingSubjects(sys, "", personID)
	if err != nil {
		return nil, err
	}
	unitID := ""
	for _, sub := range subjects {
		if sub.PersonID != personID {
			continue
		}
		unitID = sub.UnitID
		for _, c := range pack.Courses {
			if st, ok := distans.TrainingStatusOf(c, sub, paths, today); ok && st.State.Missing() &&
				!slices.Contains(in.TrainingMissing, c.ID) {
				in.TrainingMissing = append(in.TrainingMissing, c.ID)
			}
		}
	}
	if unitID == "" {
		return in, nil
	}
	out, err := s.docs.Outstanding(sys, unitID)
	if err != nil {
		return nil, err
	}
	for _, o := range out {
		if o.PersonID == personID && !slices.Contains(in.DocumentsUnacknowledged, o.DocumentTitle) {
			in.DocumentsUnacknowledged = append(in.DocumentsUnacknowledged, o.DocumentTitle)
		}
	}
	return in, nil
}

func actorOf(ctx context.Context) (*distans.Actor, error) {
	a := distans.ActorFrom(ctx)
	if a == nil || a.OrganisationID == "" {
		return nil, distans.Errorf(distans.EUNAUTHORIZED, "Du måste logga in.", "You must sign in.")
	}
	return a, nil
}
