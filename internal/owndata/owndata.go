// Package owndata answers requests for one's own data (GDPR art. 15 and
// 20): it logs the request through the store, delivers it at once, and
// writes the delivered export as JSON (structured, machine-readable:
// art. 20) or as a readable PDF. Who may ask for whom is
// distans.Actor.RequestsDataOf, which the store enforces.
package owndata

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/distans/distans"
)

// Store is the request log and the export; *sqlstore.Store is one. Every
// method acts as the actor in ctx under RequestsDataOf (ENOTFOUND
// outside it) and audits what it does in the same transaction.
type Store interface {
	CreateDataRequest(ctx context.Context, personID string) (*distans.DataRequest, error)
	DeliverDataRequest(ctx context.Context, id string) (*distans.DataRequest, error)
	FindDataRequest(ctx context.Context, id string) (*distans.DataRequest, error)
	ListDataRequests(ctx context.Context, personID string) ([]*distans.DataRequest, error)
	OpenDataRequests(ctx context.Context) ([]*distans.DataRequest, error)
	// GatherOwnData reads the export of a delivered request afresh
	// (ECONFLICT before delivery), auditing the download in format.
	GatherOwnData(ctx context.Context, id string, format distans.OwnDataFormat) (*distans.OwnData, error)
}

// Config is what the service needs.
type Config struct {
	Store Store
	// PDF writes the export readably; internal/pdf.WriteOwnData.
	PDF func(w io.Writer, d *distans.OwnData, loc *time.Location) error
	// Organisations gives the time zone the PDF shows times in.
	Organisations interface {
		FindOrganisationByID(ctx context.Context, id string) (*distans.Organisation, error)
	}
}

// Service implements distans.OwnDataService.
type Service struct{ cfg Config }

var _ distans.OwnDataService = (*Service)(nil)

// New returns the service.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

// RequestOwnData logs the request and delivers it: the export is made
// from what Distans holds at each download, so it can be had at once. If
// delivery fails the request stays open, with its deadline, in HR's view.
func (s *Service) RequestOwnData(ctx context.Context, personID string) (*distans.DataRequest, error) {
	r, err := s.cfg.Store.CreateDataRequest(ctx, personID)
	if err != nil {
		return nil, err
	}
	return s.cfg.Store.DeliverDataRequest(ctx, r.ID)
}

func (s *Service) DeliverDataRequest(ctx context.Context, id string) (*distans.DataRequest, error) {
	return s.cfg.Store.DeliverDataRequest(ctx, id)
}

func (s *Service) FindDataRequest(ctx context.Context, id string) (*distans.DataRequest, error) {
	return s.cfg.Store.FindDataRequest(ctx, id)
}

func (s *Service) ListDataRequests(ctx context.Context, personID string) ([]*distans.DataRequest, error) {
	return s.cfg.Store.ListDataRequests(ctx, personID)
}

func (s *Service) OpenDataRequests(ctx context.Context) ([]*distans.DataRequest, error) {
	return s.cfg.Store.OpenDataRequests(ctx)
}

// DownloadOwnData writes the export in format. Nothing is written to w
// before the export is read in full, so a failure leaves w untouched.
func (s *Service) DownloadOwnData(ctx context.Context, id string, format distans.OwnDataFormat, w io.Writer) error {
	if format != distans.OwnDataJSON && format != distans.OwnDataPDF {
		return distans.Errorf(distans.EINVALID, "Formatet måste vara json eller pdf.", "The format must be json or pdf.")
	}
	d, err := s.cfg.Store.GatherOwnData(ctx, id, format)
	if err != nil {
		return err
	}
	if format == distans.OwnDataJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	var loc *time.Location
	if s.cfg.Organisations != nil {
		if o, err := s.cfg.Organisations.FindOrganisationByID(ctx, d.Request.OrganisationID); err == nil {
			loc = o.Location()
		}
	}
	return s.cfg.PDF(w, d, loc)
}
