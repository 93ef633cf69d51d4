// Package equipment is the equipment service: the business rules between
// the handlers and the equipment store. It reads the organisation's
// policy pack once, before the store's transaction, and hands the store
// what the pack decides — a loss report's steps (Sorsele 004 §8.1), a
// trip's state and findings (004 §8.5), what a long leave or the end of an
// employment asks back (004 §8.6; Kristianstad 003, När anställningen
// upphör) — each citing its clause. It re-authenticates the person before
// a signature (an acceptance, a return), reads CSV files of items the
// importer's way, and writes the acceptance and the return receipt as
// PDFs.
//
// Who sees and changes what, versions, numbering, notifications and the
// audit trail are the store's, which this service wraps: what the store
// refuses reaches the caller as the store said it.
package equipment

import (
	"context"
	"io"
	"slices"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/incident"
	"github.com/distans/distans/internal/pdf"
	"github.com/distans/distans/internal/policy"
)

// Store is the equipment store; *sqlstore.Store is one. Each method acts
// as the actor in ctx and enforces who may see and change what (the
// Actor's equipment rules in actor.go).
type Store interface {
	// Registry.
	ListEquipmentModels(ctx context.Context) ([]*distans.EquipmentModel, error)
	SaveEquipmentModel(ctx context.Context, m *distans.EquipmentModel) error
	CreateEquipmentItems(ctx context.Context, items []*distans.EquipmentItem) error
	UpdateEquipmentItem(ctx context.Context, id string, upd distans.EquipmentItemUpdate) (*distans.EquipmentItem, error)
	FindEquipmentItem(ctx context.Context, id string) (*distans.EquipmentItem, error)
	ListEquipmentItems(ctx context.Context, f distans.EquipmentFilter) ([]*distans.EquipmentItem, error)
	ItemHistory(ctx context.Context, id string) ([]distans.ItemEvent, error)
	HeldEquipment(ctx context.Context, personID string) ([]*distans.EquipmentItem, error)
	EquipmentOverview(ctx context.Context, now time.Time) (*distans.EquipmentOverview, error)

	// Terms.
	EquipmentTerms(ctx context.Context) (*distans.PolicyDocument, error)
	SetEquipmentTermsDocument(ctx context.Context, documentID string) error

	// Handovers.
	IssueEquipment(ctx context.Context, r *distans.EquipmentIssueRequest) (*distans.EquipmentHandover, error)
	FindHandover(ctx context.Context, id string) (*distans.EquipmentHandover, error)
	ListHandovers(ctx context.Context, personID string, pending bool) ([]*distans.EquipmentHandover, error)
	AcceptHandover(ctx context.Context, id string, termsVersion int, hash, method string) (*distans.EquipmentHandover, error)
	CancelHandover(ctx context.Context, id string, version int) (*distans.EquipmentHandover, error)

	// Returns.
	RecordEquipmentReturn(ctx context.Context, r *distans.EquipmentReturnRequest) (*distans.EquipmentReturn, error)
	FindEquipmentReturn(ctx context.Context, id string) (*distans.EquipmentReturn, error)
	ListEquipmentReturns(ctx context.Context, personID string) ([]*distans.EquipmentReturn, error)
	SignEquipmentReturn(ctx context.Context, id, method string) (*distans.EquipmentReturn, error)

	// Losses.
	CreateLoss(ctx context.Context, r *distans.LossReport, plan distans.LossPlan, reclock incident.Reclock) (*distans.EquipmentLoss, error)
	FindLoss(ctx context.Context, id string) (*distans.EquipmentLoss, error)
	ListLosses(ctx context.Context, open bool) ([]*distans.EquipmentLoss, error)
	RecordLossStep(ctx context.Context, id string, rec distans.LossStepRecord) (*distans.EquipmentLoss, error)
	AssessNegligence(ctx context.Context, id string, a distans.NegligenceAssessment) (*distans.EquipmentLoss, error)
	LossAttachment(ctx context.Context, lossID, attachmentID string) (*distans.Attachment, error)

	// Trips.
	CreateTrip(ctx context.Context, r *distans.TripRequest, plan distans.TripPlan) (*distans.EquipmentTrip, error)
	FindTrip(ctx context.Context, id string) (*distans.EquipmentTrip, error)
	ListTrips(ctx context.Context, personID string, requested bool) ([]*distans.EquipmentTrip, error)
	DecideTrip(ctx context.Context, id string, d distans.TripDecision) (*distans.EquipmentTrip, error)

	// Return tasks.
	ListReturnTasks(ctx context.Context, f distans.ReturnTaskFilter) ([]*distans.ReturnTask, error)
	CompleteReturnTask(ctx context.Context, id string, version int) (*distans.ReturnTask, error)
	GrantReturnException(ctx context.Context, id string, version int, reasons string) (*distans.ReturnTask, error)

	// Jobs, as the system actor across all organisations.
	CreateReturnTasks(ctx context.Context, today time.Time, plans func(orgID string) (distans.ReturnPlan, error)) (int, error)
	ReturnTaskDeadlines(ctx context.Context, now time.Time) (reminded, escalated int, err error)
	HandoverReminders(ctx context.Context, now time.Time) (int, error)
}

// Packs gives the active policy pack of the actor's organisation;
// *policy.Service is one.
type Packs interface {
	Active(ctx context.Context) (*policy.Pack, *distans.PolicyVersion, error)
}

// Reauthenticator checks the actor's password again before a signature;
// distans.SignInService is one.
type Reauthenticator interface {
	Reauthenticate(ctx context.Context, password string) error
}

// Config is what the service is built from. Every field is required.
type Config struct {
	Store         Store
	Packs         Packs
	Reauth        Reauthenticator
	Organisations distans.OrganisationService // the name and time zone on the PDFs
	Units         distans.UnitService         // the owning unit of imported items, by name, code or ID
}

// Service is distans.EquipmentService on a Store.
type Service struct {
	store  Store
	packs  Packs
	reauth Reauthenticator
	orgs   distans.OrganisationService
	units  distans.UnitService
}

var _ distans.EquipmentService = (*Service)(nil)

// New returns the service.
func New(c Config) *Service {
	return &Service{store: c.Store, packs: c.Packs, reauth: c.Reauth, orgs: c.Organisations, units: c.Units}
}

func actorOf(ctx context.Context) (*distans.Actor, error) {
	a := distans.ActorFrom(ctx)
	if a == nil || a.OrganisationID == "" {
		return nil, distans.Errorf(distans.EUNAUTHORIZED, "Du måste logga in.", "You must sign in.")
	}
	return a, nil
}

// ListModels is the store's.
func (s *Service) ListModels(ctx context.Context) ([]*distans.EquipmentModel, error) {
	return s.store.ListEquipmentModels(ctx)
}

// SaveModel validates the model and saves it.
func (s *Service) SaveModel(ctx context.Context, m *distans.EquipmentModel) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.store.SaveEquipmentModel(ctx, m)
}

// RegisterItem validates the item and registers it.
func (s *Service) RegisterItem(ctx context.Context, it *distans.EquipmentItem) error {
	if err := it.Validate(); err != nil {
		return err
	}
	err := s.store.CreateEquipmentItems(ctx, []*distans.EquipmentItem{it})
	return unprefixed(err, "items[0].")
}

// unprefixed names the fields of one item's error as the item's own.
func unprefixed(err error, prefix string) error {
	e, ok := err.(*distans.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = slices.Clone(e.Fields)
	for i := range out.Fields {
		if len(out.Fields[i].Field) > len(prefix) && out.Fields[i].Field[:len(prefix)] == prefix {
			out.Fields[i].Field = out.Fields[i].Field[len(prefix):]
		}
	}
	return &out
}

// UpdateItem is the store's.
func (s *Service) UpdateItem(ctx context.Context, id string, upd distans.EquipmentItemUpdate) (*distans.EquipmentItem, error) {
	return s.store.UpdateEquipmentItem(ctx, id, upd)
}

// Item is the store's.
func (s *Service) Item(ctx context.Context, id string) (*distans.EquipmentItem, error) {
	return s.store.FindEquipmentItem(ctx, id)
}

// ListItems is the store's.
func (s *Service) ListItems(ctx context.Context, f distans.EquipmentFilter) ([]*distans.EquipmentItem, error) {
	return s.store.ListEquipmentItems(ctx, f)
}

// ItemHistory is the item's history, as the store shows it to the actor.
func (s *Service) ItemHistory(ctx context.Context, id string) ([]distans.ItemEvent, error) {
	return s.store.ItemHistory(ctx, id)
}

// Overview is IT's overview as of the request's instant.
func (s *Service) Overview(ctx context.Context) (*distans.EquipmentOverview, error) {
	return s.store.EquipmentOverview(ctx, distans.NowFrom(ctx))
}

// Terms is the store's.
func (s *Service) Terms(ctx context.Context) (*distans.PolicyDocument, error) {
	return s.store.EquipmentTerms(ctx)
}

// SetTermsDocument is the store's.
func (s *Service) SetTermsDocument(ctx context.Context, documentID string) error {
	return s.store.SetEquipmentTermsDocument(ctx, documentID)
}

// Issue validates the request and issues the items.
func (s *Service) Issue(ctx context.Context, r *distans.EquipmentIssueRequest) (*distans.EquipmentHandover, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return s.store.IssueEquipment(ctx, r)
}

// Handover is the store's.
func (s *Service) Handover(ctx context.Context, id string) (*distans.EquipmentHandover, error) {
	return s.store.FindHandover(ctx, id)
}

// ListHandovers is the store's.
func (s *Service) ListHandovers(ctx context.Context, personID string, pending bool) ([]*distans.EquipmentHandover, error) {
	return s.store.ListHandovers(ctx, personID, pending)
}

// Accept signs the handover as the person, in this order: only the person
// it was issued to, only while it is pending; then the password again
// (Reauthenticate's error as it is); then the store checks, in the
// signature's transaction, that the terms version and hash the person saw
// are still the handover's (ECONFLICT: read and sign again).
func (s *Service) Accept(ctx context.Context, id string, a distans.EquipmentAcceptance) (*distans.EquipmentHandover, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	h, err := s.store.FindHandover(ctx, id)
	if err != nil {
		return nil, err
	}
	if actor.System || actor.PersonID != h.PersonID {
		return nil, distans.Errorf(distans.EFORBIDDEN, "Bara den som utrustningen lämnats ut till kan kvittera den.",
			"Only the person the equipment was issued to can accept it.")
	}
	if h.State != distans.HandoverPending {
		return nil, distans.Errorf(distans.ECONFLICT, "Utlämningen väntar inte på kvittens.", "The issue is not awaiting acceptance.")
	}
	if a.TermsVersion < 1 || a.Hash == "" {
		var v distans.Validation
		v.Add("hash", "Läs villkoren och kvittera dem som de visas.", "Read the terms and accept them as shown.")
		return nil, v.Err()
	}
	if err := s.reauth.Reauthenticate(ctx, a.Password); err != nil {
		return nil, err
	}
	return s.store.AcceptHandover(ctx, id, a.TermsVersion, a.Hash, "password")
}

// CancelHandover is the store's.
func (s *Service) CancelHandover(ctx context.Context, id string, version int) (*distans.EquipmentHandover, error) {
	return s.store.CancelHandover(ctx, id, version)
}

// WriteAcceptancePDF writes the signed acceptance: the items, the terms'
// title, version and full text, the signature and its hash. A handover
// not yet accepted, or whose signature no longer matches what it covers,
// is ECONFLICT.
func (s *Service) WriteAcceptancePDF(ctx context.Context, id string, w io.Writer) error {
	h, err := s.store.FindHandover(ctx, id)
	if err != nil {
		return err
	}
	o, err := s.orgs.FindOrganisationByID(ctx, h.OrganisationID)
	if err != nil {
		return err
	}
	return pdf.WriteAcceptance(w, pdf.AcceptanceDoc{Handover: h, Organisation: o.Name, Location: o.Location()})
}

// RecordReturn validates the request and records the return.
func (s *Service) RecordReturn(ctx context.Context, r *distans.EquipmentReturnRequest) (*distans.EquipmentReturn, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return s.store.RecordEquipmentReturn(ctx, r)
}

// Return is the store's.
func (s *Service) Return(ctx context.Context, id string) (*distans.EquipmentReturn, error) {
	return s.store.FindEquipmentReturn(ctx, id)
}

// ListReturns is the store's.
func (s *Service) ListReturns(ctx context.Context, personID string) ([]*distans.EquipmentReturn, error) {
	return s.store.ListEquipmentReturns(ctx, personID)
}

// SignReturn signs the return receipt as the person or their manager,
// once, after the password again.
func (s *Service) SignReturn(ctx context.Context, id string, password string) (*distans.EquipmentReturn, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.store.FindEquipmentReturn(ctx, id)
	if err != nil {
		return nil, err
	}
	if actor.System || actor.PersonID != r.PersonID && !actor.ManagesEquipmentOf(r.PersonID, r.PersonUnitPath) {
		return nil, distans.Errorf(distans.EFORBIDDEN, "Bara personen själv eller personens chef kan skriva under återlämnandet.",
			"Only the person or their manager can sign the return.")
	}
	if r.Signature != nil {
		return nil, distans.Errorf(distans.ECONFLICT, "Återlämnandet är redan underskrivet.", "The return is already signed.")
	}
	if err := s.reauth.Reauthenticate(ctx, password); err != nil {
		return nil, err
	}
	return s.store.SignEquipmentReturn(ctx, id, "password")
}

// WriteReturnPDF writes the return receipt: the items and their
// condition, who recorded it, and the signature once signed.
func (s *Service) WriteReturnPDF(ctx context.Context, id string, w io.Writer) error {
	r, err := s.store.FindEquipmentReturn(ctx, id)
	if err != nil {
		return err
	}
	o, err := s.orgs.FindOrganisationByID(ctx, r.OrganisationID)
	if err != nil {
		return err
	}
	return pdf.WriteReturnReceipt(w, pdf.ReceiptDoc{Return: r, Organisation: o.Name, Location: o.Location()})
}

// ReportLoss validates the report against now and records it with its
// steps from the pack, and the incident it opens with its clocks from the
// same pack.
func (s *Service) ReportLoss(ctx context.Context, r *distans.LossReport) (*distans.EquipmentLoss, error) {
	at := distans.NowFrom(ctx)
	if err := r.Validate(at); err != nil {
		return nil, err
	}
	pack, _, err := s.packs.Active(ctx)
	if err != nil {
		return nil, err
	}
	plan := func(l *distans.EquipmentLoss) ([]distans.LossStep, error) {
		l.PackVersion = pack.Version
		return LossSteps(pack, l, l.ReportedByID != "" && l.ReportedByID != l.PersonID, at)
	}
	reclock := func(inc *distans.Incident, imyFiledAt *time.Time) ([]distans.IncidentClock, error) {
		inc.PackVersion = pack.Version
		return incident.Clocks(pack, inc, imyFiledAt, at)
	}
	return s.store.CreateLoss(ctx, r, plan, reclock)
}

// Loss is the store's.
func (s *Service) Loss(ctx context.Context, id string) (*distans.EquipmentLoss, error) {
	return s.store.FindLoss(ctx, id)
}

// ListLosses is the store's.
func (s *Service) ListLosses(ctx context.Context, open bool) ([]*distans.EquipmentLoss, error) {
	return s.store.ListLosses(ctx, open)
}

// RecordLossStep checks the record's own fields and records the step.
func (s *Service) RecordLossStep(ctx context.Context, id string, rec distans.LossStepRecord) (*distans.EquipmentLoss, error) {
	var v distans.Validation
	if !slices.Contains(distans.LossSteps, rec.Step) {
		v.Add("step", "Okänt steg.", "Unknown step.")
	}
	if rec.Skipped {
		v.Required("skip_reason", rec.SkipReason)
	}
	v.MaxLen("evidence", rec.Evidence, distans.MaxEquipmentText)
	v.MaxLen("skip_reason", rec.SkipReason, distans.MaxEquipmentNote)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.store.RecordLossStep(ctx, id, rec)
}

// AssessNegligence validates the assessment and records it.
func (s *Service) AssessNegligence(ctx context.Context, id string, a distans.NegligenceAssessment) (*distans.EquipmentLoss, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return s.store.AssessNegligence(ctx, id, a)
}

// LossAttachment is the store's.
func (s *Service) LossAttachment(ctx context.Context, lossID, attachmentID string) (*distans.Attachment, error) {
	return s.store.LossAttachment(ctx, lossID, attachmentID)
}

// RegisterTrip registers the trip with its state and findings from the
// pack's travel rules (Trip).
func (s *Service) RegisterTrip(ctx context.Context, r *distans.TripRequest) (*distans.EquipmentTrip, error) {
	pack, _, err := s.packs.Active(ctx)
	if err != nil {
		return nil, err
	}
	at := distans.NowFrom(ctx)
	return s.store.CreateTrip(ctx, r, func(t *distans.EquipmentTrip) (distans.TripState, []distans.AgreementFinding, error) {
		return Trip(pack, t, at)
	})
}

// Trip is the store's.
func (s *Service) Trip(ctx context.Context, id string) (*distans.EquipmentTrip, error) {
	return s.store.FindTrip(ctx, id)
}

// ListTrips is the store's.
func (s *Service) ListTrips(ctx context.Context, personID string, requested bool) ([]*distans.EquipmentTrip, error) {
	return s.store.ListTrips(ctx, personID, requested)
}

// DecideTrip requires the reasons and records the decision.
func (s *Service) DecideTrip(ctx context.Context, id string, d distans.TripDecision) (*distans.EquipmentTrip, error) {
	var v distans.Validation
	v.Required("note", d.Note)
	v.MaxLen("note", d.Note, distans.MaxEquipmentNote)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.store.DecideTrip(ctx, id, d)
}

// ListReturnTasks is the store's.
func (s *Service) ListReturnTasks(ctx context.Context, f distans.ReturnTaskFilter) ([]*distans.ReturnTask, error) {
	return s.store.ListReturnTasks(ctx, f)
}

// CompleteReturnTask is the store's.
func (s *Service) CompleteReturnTask(ctx context.Context, id string, version int) (*distans.ReturnTask, error) {
	return s.store.CompleteReturnTask(ctx, id, version)
}

// GrantReturnException requires the reasons (Sorsele 004 §8.6: a manager
// may decide on an exception) and records it.
func (s *Service) GrantReturnException(ctx context.Context, id string, version int, reasons string) (*distans.ReturnTask, error) {
	var v distans.Validation
	v.Required("reasons", reasons)
	v.MaxLen("reasons", reasons, distans.MaxEquipmentNote)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.store.GrantReturnException(ctx, id, version, reasons)
}

// HeldCategories is the agreement's arbetsutrustning values of what the
// person holds now, each once, in the registry's order.
func (s *Service) HeldCategories(ctx context.Context, personID string) ([]string, error) {
	items, err := s.store.HeldEquipment(ctx, personID)
	if err != nil {
		return nil, err
	}
	var held []distans.EquipmentCategory
	for _, it := range items {
		held = append(held, it.Category)
	}
	return agreementKinds(held), nil
}

// ReturnPlan is the organisation's ReturnPlan from its active pack, read
// once as the system actor of the organisation: what the deadline job
// hands the store for each organisation.
func (s *Service) ReturnPlan(ctx context.Context, orgID string) (distans.ReturnPlan, error) {
	pack, _, err := s.packs.Active(distans.NewContext(ctx, distans.SystemActor(orgID)))
	if err != nil {
		return nil, err
	}
	at := distans.NowFrom(ctx)
	return func(reason distans.ReturnReason, leaveDays int, held []distans.EquipmentCategory) (*distans.ReturnDemand, error) {
		return Return(pack, reason, leaveDays, held, at)
	}, nil
}
