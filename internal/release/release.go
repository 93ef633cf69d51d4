// Package release handles requests for copies of registered cases
// (utlämnande av allmän handling): the registrator's secrecy review with
// the maskings the rule suggests (distans.SuggestMaskings) and the
// provisions of the active policy pack, the decision recorded through the
// store, and the masked copy and the decision written as PDFs. Who may is
// distans.Actor.ReleasesFrom, which the store enforces.
package release

import (
	"context"
	"io"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/pdf"
	"github.com/distans/distans/internal/policy"
)

// Store is the requests and decisions; *sqlstore.Store is one. Every
// method acts as the actor in ctx: EFORBIDDEN for one who keeps no
// register, ENOTFOUND outside their scope; each audits what it does.
type Store interface {
	ReleaseCase(ctx context.Context, kind distans.RegisterKind, id string) (*distans.ReleaseCase, error)
	CreateRelease(ctx context.Context, in distans.ReleaseInput, provisions []distans.SecrecyProvision) (*distans.ReleaseRequest, error)
	FindRelease(ctx context.Context, id string) (*distans.ReleaseRequest, error)
	ListReleases(ctx context.Context, kind distans.RegisterKind, recordID string) ([]*distans.ReleaseRequest, error)
	// OpenRelease reads a decision for a download of doc ("copy" or
	// "decision"), auditing it; ECONFLICT for the copy of a refusal.
	OpenRelease(ctx context.Context, id, doc string) (*distans.ReleaseRequest, error)
}

// Packs gives the active policy pack of the actor's organisation.
type Packs interface {
	Active(ctx context.Context) (*policy.Pack, *distans.PolicyVersion, error)
}

// Organisations gives the name and time zone the PDFs print.
type Organisations interface {
	FindOrganisationByID(ctx context.Context, id string) (*distans.Organisation, error)
}

// Config is what the service needs.
type Config struct {
	Store         Store
	Packs         Packs
	Organisations Organisations
}

// Service implements distans.ReleaseService.
type Service struct{ cfg Config }

var _ distans.ReleaseService = (*Service)(nil)

// New returns the service.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

func (s *Service) provisions(ctx context.Context) ([]distans.SecrecyProvision, error) {
	p, _, err := s.cfg.Packs.Active(ctx)
	if err != nil {
		return nil, err
	}
	return p.SecrecyProvisions, nil
}

func (s *Service) ReviewRelease(ctx context.Context, kind distans.RegisterKind, recordID string) (*distans.ReleaseReview, error) {
	c, err := s.cfg.Store.ReleaseCase(ctx, kind, recordID)
	if err != nil {
		return nil, err
	}
	ps, err := s.provisions(ctx)
	if err != nil {
		return nil, err
	}
	return &distans.ReleaseReview{Case: c, Suggested: distans.SuggestMaskings(c), Provisions: ps}, nil
}

func (s *Service) DecideRelease(ctx context.Context, in distans.ReleaseInput) (*distans.ReleaseRequest, error) {
	ps, err := s.provisions(ctx)
	if err != nil {
		return nil, err
	}
	return s.cfg.Store.CreateRelease(ctx, in, ps)
}

func (s *Service) FindRelease(ctx context.Context, id string) (*distans.ReleaseRequest, error) {
	return s.cfg.Store.FindRelease(ctx, id)
}

func (s *Service) ListReleases(ctx context.Context, kind distans.RegisterKind, recordID string) ([]*distans.ReleaseRequest, error) {
	return s.cfg.Store.ListReleases(ctx, kind, recordID)
}

// doc reads the decision for a download, with what the PDFs print.
func (s *Service) doc(ctx context.Context, id, what string) (pdf.ReleaseDoc, error) {
	r, err := s.cfg.Store.OpenRelease(ctx, id, what)
	if err != nil {
		return pdf.ReleaseDoc{}, err
	}
	d := pdf.ReleaseDoc{Release: r}
	if o, err := s.cfg.Organisations.FindOrganisationByID(ctx, r.OrganisationID); err == nil {
		d.Organisation, d.Location = o.Name, o.Location()
	} else {
		return d, err
	}
	if d.Provisions, err = s.provisions(ctx); err != nil {
		return d, err
	}
	return d, nil
}

// WriteReleaseCopy writes the masked copy. Nothing is written to w before
// the decision is read.
func (s *Service) WriteReleaseCopy(ctx context.Context, id string, w io.Writer) error {
	d, err := s.doc(ctx, id, "copy")
	if err != nil {
		return err
	}
	return pdf.WriteReleaseCopy(w, d)
}

// WriteReleaseDecision writes the decision with how to appeal it.
func (s *Service) WriteReleaseDecision(ctx context.Context, id string, w io.Writer) error {
	d, err := s.doc(ctx, id, "decision")
	if err != nil {
		return err
	}
	return pdf.WriteReleaseDecision(w, d)
}
