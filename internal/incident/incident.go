// Package incident is the incident service: the business rules between
// the handlers and the incident store. It evaluates the organisation's
// policy pack on an incident to compute its clocks — one clock per duty,
// from the deadlines of the pack's incident rules that name a duty, each
// citing its clause or law — when the incident is reported and whenever a
// fact those rules read changes (kind, severity, the triage's flags, the
// filing with IMY; the discovery never changes). It gives the reporter
// the pack's guidance on what to do right now, and writes the
// notification to IMY as a PDF.
//
// Who sees and handles what, versions, numbering, notifications and the
// audit trail are the store's, which this service wraps: what the store
// refuses reaches the caller as the store said it.
package incident

import (
	"cmp"
	"context"
	"io"
	"slices"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/pdf"
	"github.com/distans/distans/internal/policy"
)

// Reclock computes an incident's clocks from its facts (see
// sqlstore.Reclock, an alias of the same type).
type Reclock = func(inc *distans.Incident, imyFiledAt *time.Time) ([]distans.IncidentClock, error)

// Store is the incident store; *sqlstore.Store is one. Each method acts as
// the actor in ctx and enforces who may see and change what.
type Store interface {
	CreateIncident(ctx context.Context, r *distans.IncidentReport, reclock Reclock) (*distans.Incident, error)
	FindIncident(ctx context.Context, id string) (*distans.Incident, error)
	ListIncidents(ctx context.Context, f distans.IncidentFilter) ([]*distans.Incident, error)
	TriageIncident(ctx context.Context, id string, t distans.IncidentTriage, reclock Reclock) (*distans.Incident, error)
	RecordIncidentDuty(ctx context.Context, id string, d distans.IncidentDutyRecord) (*distans.Incident, error)
	AddIncidentRiskAssessment(ctx context.Context, id string, a *distans.IncidentRiskAssessment) (*distans.Incident, error)
	IncidentRiskAssessments(ctx context.Context, id string) ([]*distans.IncidentRiskAssessment, error)
	SaveIMYNotification(ctx context.Context, id string, n *distans.IMYNotification, reclock Reclock) error
	IMYNotification(ctx context.Context, id string) (*distans.IMYNotification, error)
	AddIMYSupplement(ctx context.Context, id string, s distans.IMYSupplement) error
	AddIncidentMeasure(ctx context.Context, id string, m distans.IncidentMeasure) (*distans.Incident, error)
	CompleteIncidentMeasure(ctx context.Context, id, measureID string) (*distans.Incident, error)
	AddIncidentLink(ctx context.Context, id string, l distans.IncidentLink) (*distans.Incident, error)
	CloseIncident(ctx context.Context, id string, version int) (*distans.Incident, error)
	IncidentTimeline(ctx context.Context, id string) ([]*distans.AuditEvent, error)
}

// Packs gives the active policy pack of the actor's organisation;
// *policy.Service is one.
type Packs interface {
	Active(ctx context.Context) (*policy.Pack, *distans.PolicyVersion, error)
}

// Config is what the service is built from. Every field is required.
type Config struct {
	Store         Store
	Packs         Packs
	Organisations distans.OrganisationService // the name and time zone on the IMY notification
}

// Service is distans.IncidentService on a Store.
type Service struct {
	store Store
	packs Packs
	orgs  distans.OrganisationService
}

var _ distans.IncidentService = (*Service)(nil)

// New returns the service.
func New(c Config) *Service { return &Service{store: c.Store, packs: c.Packs, orgs: c.Organisations} }

// reclock returns the store's Reclock on the organisation's active pack,
// read once before the store's transaction.
func (s *Service) reclock(ctx context.Context) (Reclock, error) {
	pack, _, err := s.packs.Active(ctx)
	if err != nil {
		return nil, err
	}
	at := distans.NowFrom(ctx)
	return func(inc *distans.Incident, imyFiledAt *time.Time) ([]distans.IncidentClock, error) {
		inc.PackVersion = pack.Version
		return Clocks(pack, inc, imyFiledAt, at)
	}, nil
}

// Clocks evaluates the pack's incident rules on the incident's facts at
// now and returns its clocks, nearest first: one per duty named by a
// deadline of a tripped rule, due at that deadline. When two rules give
// the same duty (GDPR art. 33's rule before and after the 72 hours) the
// earlier deadline holds.
func Clocks(pack *policy.Pack, inc *distans.Incident, imyFiledAt *time.Time, now time.Time) ([]distans.IncidentClock, error) {
	findings, err := check(pack, policy.IncidentOf(inc, imyFiledAt), now)
	if err != nil {
		return nil, err
	}
	var out []distans.IncidentClock
	at := map[string]int{}
	for _, f := range findings {
		for _, d := range f.Deadlines {
			if d.Duty == "" {
				continue
			}
			c := distans.IncidentClock{Duty: d.Duty, RuleID: f.RuleID, Label: d.Label, Citation: f.Citation, DueAt: d.At.UTC()}
			if i, ok := at[d.Duty]; !ok {
				at[d.Duty] = len(out)
				out = append(out, c)
			} else if c.DueAt.Before(out[i].DueAt) {
				out[i] = c
			}
		}
	}
	sortClocks(out)
	return out, nil
}

// sortClocks orders clocks by deadline, then duty.
func sortClocks(cs []distans.IncidentClock) {
	slices.SortFunc(cs, func(a, b distans.IncidentClock) int {
		return cmp.Or(a.DueAt.Compare(b.DueAt), cmp.Compare(a.Duty, b.Duty))
	})
}

// check runs the pack's incident rules on in at now, as the root package's
// findings: the same checks `distans policy check -kind incident` runs.
func check(pack *policy.Pack, in *policy.Incident, now time.Time) ([]distans.PolicyFinding, error) {
	findings, err := pack.Check(policy.KindIncident, in, now)
	if err != nil {
		return nil, err
	}
	return policy.NewReport(pack, policy.KindIncident, now, findings).Public().Findings, nil
}

// ReportIncident validates the report against now and registers it with
// its first clocks.
func (s *Service) ReportIncident(ctx context.Context, r *distans.IncidentReport) (*distans.Incident, error) {
	if err := r.Validate(distans.NowFrom(ctx)); err != nil {
		return nil, err
	}
	rc, err := s.reclock(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.CreateIncident(ctx, r, rc)
}

// Incident is the store's.
func (s *Service) Incident(ctx context.Context, id string) (*distans.Incident, error) {
	return s.store.FindIncident(ctx, id)
}

// ListIncidents is the store's.
func (s *Service) ListIncidents(ctx context.Context, f distans.IncidentFilter) ([]*distans.Incident, error) {
	return s.store.ListIncidents(ctx, f)
}

// Guidance is what to do right now for an incident of the kind discovered
// now: the findings of the pack's incident rules (pull the network cable
// on a suspected virus, Kristianstad 003 Datavirus; block the SIM card,
// Sorsele 004 §8.1), each citing its clause.
func (s *Service) Guidance(ctx context.Context, kind distans.IncidentKind) ([]distans.PolicyFinding, error) {
	if !kind.Valid() {
		return nil, distans.Errorf(distans.EINVALID, "Välj vad som har hänt.", "Choose what kind of incident it is.")
	}
	pack, _, err := s.packs.Active(ctx)
	if err != nil {
		return nil, err
	}
	at := distans.NowFrom(ctx)
	out, err := check(pack, &policy.Incident{Kind: string(kind), DiscoveredAt: at}, at)
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []distans.PolicyFinding{}
	}
	return out, nil
}

// Triage recomputes the clocks with the triaged facts.
func (s *Service) Triage(ctx context.Context, id string, t distans.IncidentTriage) (*distans.Incident, error) {
	rc, err := s.reclock(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.TriageIncident(ctx, id, t, rc)
}

// RecordDuty is the store's.
func (s *Service) RecordDuty(ctx context.Context, id string, d distans.IncidentDutyRecord) (*distans.Incident, error) {
	return s.store.RecordIncidentDuty(ctx, id, d)
}

// AssessRisk is the store's.
func (s *Service) AssessRisk(ctx context.Context, id string, a *distans.IncidentRiskAssessment) (*distans.Incident, error) {
	return s.store.AddIncidentRiskAssessment(ctx, id, a)
}

// RiskAssessments is the store's.
func (s *Service) RiskAssessments(ctx context.Context, id string) ([]*distans.IncidentRiskAssessment, error) {
	return s.store.IncidentRiskAssessments(ctx, id)
}

// SaveIMYNotification stores the notification; a filing recomputes the
// clocks, since IMY's supplements are counted from it.
func (s *Service) SaveIMYNotification(ctx context.Context, id string, n *distans.IMYNotification) error {
	rc, err := s.reclock(ctx)
	if err != nil {
		return err
	}
	return s.store.SaveIMYNotification(ctx, id, n, rc)
}

// IMYNotification is the store's.
func (s *Service) IMYNotification(ctx context.Context, id string) (*distans.IMYNotification, error) {
	return s.store.IMYNotification(ctx, id)
}

// AddIMYSupplement is the store's.
func (s *Service) AddIMYSupplement(ctx context.Context, id string, sup distans.IMYSupplement) error {
	return s.store.AddIMYSupplement(ctx, id, sup)
}

// WriteIMYNotificationPDF writes the notification as IMY's form. It reads
// the incident as one who sees it in full (the notification is theirs
// only), so the read of its secret fields is audited.
func (s *Service) WriteIMYNotificationPDF(ctx context.Context, id string, w io.Writer) error {
	n, err := s.store.IMYNotification(ctx, id)
	if err != nil {
		return err
	}
	inc, err := s.store.FindIncident(ctx, id)
	if err != nil {
		return err
	}
	o, err := s.orgs.FindOrganisationByID(ctx, inc.OrganisationID)
	if err != nil {
		return err
	}
	return pdf.WriteIMYNotification(w, pdf.IMYDoc{Incident: inc, Notification: n, Organisation: o.Name, Location: o.Location()})
}

// AddMeasure is the store's.
func (s *Service) AddMeasure(ctx context.Context, id string, m distans.IncidentMeasure) (*distans.Incident, error) {
	return s.store.AddIncidentMeasure(ctx, id, m)
}

// CompleteMeasure is the store's.
func (s *Service) CompleteMeasure(ctx context.Context, id, measureID string) (*distans.Incident, error) {
	return s.store.CompleteIncidentMeasure(ctx, id, measureID)
}

// AddLink is the store's.
func (s *Service) AddLink(ctx context.Context, id string, l distans.IncidentLink) (*distans.Incident, error) {
	return s.store.AddIncidentLink(ctx, id, l)
}

// Close is the store's.
func (s *Service) Close(ctx context.Context, id string, version int) (*distans.Incident, error) {
	return s.store.CloseIncident(ctx, id, version)
}

// Timeline is the store's.
func (s *Service) Timeline(ctx context.Context, id string) ([]*distans.AuditEvent, error) {
	return s.store.IncidentTimeline(ctx, id)
}
