package api

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// Incidents on a.svc.Incidents: the report anyone signed in makes, the
// queue of those who handle them, and one incident's triage, clocks
// (duties), risk assessment, IMY notification with its supplements,
// measures, links, close and timeline. The service decides who sees what
// (ENOTFOUND outside the caller's reach, secret fields withheld and named
// in "redacted") and who may change what (EFORBIDDEN).
//
// An incident's fields are named plainly: kind, title, description,
// occurred_at, discovered_at. Every instant in an answer (each clock's
// due_at above all) is RFC 3339 in the organisation's time zone, so that
// "2026-03-31T10:00:00+02:00" reads as the local deadline it is.
// Measures' due_on is a day, "YYYY-MM-DD".
//
// Without an incident service the routes answer 404.

// incidentService returns the incident service, or writes 404 and returns
// nil when none is wired.
func (a *API) incidentService(w http.ResponseWriter, r *http.Request) distans.IncidentService {
	if a.svc.Incidents == nil {
		a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
		return nil
	}
	return a.svc.Incidents
}

// orgLocation is the time zone of the caller's organisation.
func (a *API) orgLocation(ctx context.Context) (*time.Location, error) {
	_, org, err := distans.TodayIn(ctx, a.svc.Organisations, distans.ActorFrom(ctx).OrganisationID)
	if err != nil {
		return nil, err
	}
	return org.Location(), nil
}

// incidentJSON is an incident as the API shows it: instants in the
// organisation's time zone, measures' due days as "YYYY-MM-DD".
type incidentJSON struct {
	*distans.Incident
	Measures []incidentMeasureJSON `json:"measures"`
}

type incidentMeasureJSON struct {
	distans.IncidentMeasure
	DueOn Date `json:"due_on"`
}

// inLoc returns t in loc; nil stays nil.
func inLoc(t *time.Time, loc *time.Location) *time.Time {
	if t == nil {
		return nil
	}
	u := t.In(loc)
	return &u
}

// incidentView is the JSON view of inc with its instants in loc. It works
// on a copy: the service's record is left as it was.
func incidentView(inc *distans.Incident, loc *time.Location) incidentJSON {
	c := *inc
	c.DiscoveredAt = c.DiscoveredAt.In(loc)
	c.OccurredAt = inLoc(c.OccurredAt, loc)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.In(loc), c.UpdatedAt.In(loc)
	c.ClosedAt = inLoc(c.ClosedAt, loc)
	c.Clocks = make([]distans.IncidentClock, len(inc.Clocks))
	for i, k := range inc.Clocks {
		k.DueAt = k.DueAt.In(loc)
		k.DoneAt, k.RemindedAt, k.EscalatedAt = inLoc(k.DoneAt, loc), inLoc(k.RemindedAt, loc), inLoc(k.EscalatedAt, loc)
		c.Clocks[i] = k
	}
	if c.Links == nil {
		c.Links = []distans.IncidentLink{}
	}
	v := incidentJSON{Incident: &c, Measures: []incidentMeasureJSON{}}
	for _, m := range inc.Measures {
		m.DoneAt = inLoc(m.DoneAt, loc)
		v.Measures = append(v.Measures, incidentMeasureJSON{IncidentMeasure: m, DueOn: NewDate(m.DueOn)})
	}
	return v
}

// incidentPage is the response of GET /incidents: NextAfter, when set, is
// the after= of the next page.
type incidentPage struct {
	Items     []incidentJSON `json:"items"`
	NextAfter string         `json:"next_after,omitempty"`
}

func (a *API) incidentList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.incidentService(w, r)
		if svc == nil {
			return
		}
		q := newQuery(r)
		f := distans.IncidentFilter{Mine: q.boolean("mine"), Open: q.boolean("open"), After: q.str("after"),
			Limit: int(q.integer("limit", 50, 1, 200))}
		if s := distans.IncidentState(q.str("state")); s != "" {
			if !slices.Contains([]distans.IncidentState{distans.IncidentReported, distans.IncidentHandling, distans.IncidentClosed}, s) {
				q.v.Add("state", "Okänt läge "+string(s)+".", "Unknown state "+string(s)+".")
			}
			f.State = s
		}
		if k := distans.IncidentKind(q.str("kind")); k != "" {
			if !k.Valid() {
				q.v.Add("kind", "Okänt slag av incident "+string(k)+".", "Unknown kind of incident "+string(k)+".")
			}
			f.Kind = k
		}
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		loc, err := a.orgLocation(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		incs, err := svc.ListIncidents(r.Context(), f)
		if err != nil {
			a.error(w, r, err)
			return
		}
		page := incidentPage{Items: make([]incidentJSON, 0, len(incs))}
		for _, inc := range incs {
			page.Items = append(page.Items, incidentView(inc, loc))
		}
		if len(incs) == f.Limit {
			page.NextAfter = incs[len(incs)-1].Cursor()
		}
		respond(w, http.StatusOK, page)
	})
}

func (a *API) incidentGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.incidentService(w, r)
		if svc == nil {
			return
		}
		inc, err := svc.Incident(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		a.respondIncident(w, r, http.StatusOK, inc)
	})
}

// respondIncident answers inc with its instants in the organisation's zone.
func (a *API) respondIncident(w http.ResponseWriter, r *http.Request, status int, inc *distans.Incident) {
	loc, err := a.orgLocation(r.Context())
	if err != nil {
		a.error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	respond(w, status, incidentView(inc, loc))
}

// guidanceResponse is GET /incidents/guidance: what to do right now for a
// kind, from the organisation's pack.
type guidanceResponse struct {
	Kind     distans.IncidentKind    `json:"kind"`
	Findings []distans.PolicyFinding `json:"findings"`
}

func (a *API) incidentGuidance() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.incidentService(w, r)
		if svc == nil {
			return
		}
		q := newQuery(r)
		k := distans.IncidentKind(q.str("kind"))
		if !k.Valid() {
			q.v.Add("kind", "Välj vad som har hänt: ett av slagen i beskrivningen.", "Choose what happened: one of the kinds in the description.")
		}
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		fs, err := svc.Guidance(r.Context(), k)
		if err != nil {
			a.error(w, r, err)
			return
		}
		if fs == nil {
			fs = []distans.PolicyFinding{}
		}
		respond(w, http.StatusOK, guidanceResponse{Kind: k, Findings: fs})
	})
}

// incidentReportBody is POST /incidents.
type incidentReportBody struct {
	Kind            string     `json:"kind"`
	Title           string     `json:"title"`
	Description     string     `json:"description"`
	OccurredAt      *time.Time `json:"occurred_at"`
	DiscoveredAt    *time.Time `json:"discovered_at"`
	Systems         string     `json:"systems"`
	Ongoing         bool       `json:"ongoing"`
	OutsidePremises bool       `json:"outside_premises"`
	InjurySerious   bool       `json:"injury_serious"`
	OnBehalfOf      string     `json:"on_behalf_of"`
}

// report is the body as the domain's report.
func (b *incidentReportBody) report() *distans.IncidentReport {
	rep := &distans.IncidentReport{Kind: distans.IncidentKind(b.Kind), Title: b.Title, Description: b.Description,
		OccurredAt: b.OccurredAt, Systems: b.Systems, Ongoing: b.Ongoing, OutsidePremises: b.OutsidePremises,
		InjurySerious: b.InjurySerious, OnBehalfOf: b.OnBehalfOf}
	if b.DiscoveredAt != nil {
		rep.DiscoveredAt = *b.DiscoveredAt
	}
	return rep
}

func (a *API) incidentReport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.incidentService(w, r)
		if svc == nil {
			return
		}
		var b incidentReportBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			a.error(w, r, err)
			return
		}
		rep := b.report()
		var v distans.Validation
		if err := validate(&v, rep.Validate(distans.NowFrom(r.Context()))); err != nil {
			a.error(w, r, err)
			return
		}
		inc, err := svc.ReportIncident(r.Context(), rep)
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Location", prefix+"/incidents/"+inc.ID)
		a.respondIncident(w, r, http.StatusCreated, inc)
	})
}

// incidentTriageBody is POST /incidents/{id}/triage.
type incidentTriageBody struct {
	Version          *int     `json:"version"`
	Kind             string   `json:"kind"`
	Severity         string   `json:"severity"`
	OwnerID          string   `json:"owner_id"`
	CyberSignificant bool     `json:"cyber_significant"`
	InjurySerious    bool     `json:"injury_serious"`
	OutsidePremises  bool     `json:"outside_premises"`
	SecretFields     []string `json:"secret_fields"`
}

// triage is the body as the domain's triage; the version is required.
func (b *incidentTriageBody) triage() (distans.IncidentTriage, error) {
	var v distans.Validation
	version := checkVersion(&v, b.Version)
	return distans.IncidentTriage{Version: version, Kind: distans.IncidentKind(b.Kind),
		Severity: distans.IncidentSeverity(b.Severity), OwnerID: b.OwnerID, CyberSignificant: b.CyberSignificant,
		InjurySerious: b.InjurySerious, OutsidePremises: b.OutsidePremises, SecretFields: nonNil(b.SecretFields)}, v.Err()
}

func (a *API) incidentTriage() http.Handler {
	return a.incidentChange(func(ctx context.Context, svc distans.IncidentService, id string, w http.ResponseWriter, r *http.Request) (*distans.Incident, error) {
		var b incidentTriageBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return nil, err
		}
		t, err := b.triage()
		if err != nil {
			return nil, err
		}
		return svc.Triage(ctx, id, t)
	})
}

// incidentDutyBody is POST /incidents/{id}/duties.
type incidentDutyBody struct {
	Duty        string     `json:"duty"`
	At          *time.Time `json:"at"`
	Reference   string     `json:"reference"`
	NotRequired bool       `json:"not_required"`
	Note        string     `json:"note"`
}

func (a *API) incidentDuty() http.Handler {
	return a.incidentChange(func(ctx context.Context, svc distans.IncidentService, id string, w http.ResponseWriter, r *http.Request) (*distans.Incident, error) {
		var b incidentDutyBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return nil, err
		}
		d := distans.IncidentDutyRecord{Duty: b.Duty, Reference: b.Reference, NotRequired: b.NotRequired, Note: b.Note}
		if b.At == nil {
			d.At = distans.NowFrom(ctx)
		} else {
			d.At = *b.At
		}
		return svc.RecordDuty(ctx, id, d)
	})
}

// incidentChange is the handler of a change that answers the incident as
// it now stands; do decodes the body and calls the service.
func (a *API) incidentChange(do func(ctx context.Context, svc distans.IncidentService, id string, w http.ResponseWriter, r *http.Request) (*distans.Incident, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.incidentService(w, r)
		if svc == nil {
			return
		}
		inc, err := do(r.Context(), svc, r.PathValue("id"), w, r)
		if err != nil {
			a.error(w, r, err)
			return
		}
		a.respondIncident(w, r, http.StatusOK, inc)
	})
}

// riskAssessmentBody is POST /incidents/{id}/risk-assessments: a new
// version of the assessment.
type riskAssessmentBody struct {
	DataCategories []string `json:"data_categories"`
	DataSubjects   string   `json:"data_subjects"`
	SubjectCount   int      `json:"subject_count"`
	RecordCount    int      `json:"record_count"`
	Consequences   []string `json:"consequences"`
	RiskLevel      string   `json:"risk_level"`
	Reasoning      string   `json:"reasoning"`
}

func (a *API) incidentRiskAssess() http.Handler {
	return a.incidentChange(func(ctx context.Context, svc distans.IncidentService, id string, w http.ResponseWriter, r *http.Request) (*distans.Incident, error) {
		var b riskAssessmentBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return nil, err
		}
		return svc.AssessRisk(ctx, id, &distans.IncidentRiskAssessment{DataCategories: nonNil(b.DataCategories),
			DataSubjects: b.DataSubjects, SubjectCount: b.SubjectCount, RecordCount: b.RecordCount,
			Consequences: nonNil(b.Consequences), RiskLevel: b.RiskLevel, Reasoning: b.Reasoning})
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (a *API) incidentRiskList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.incidentService(w, r)
		if svc == nil {
			return
		}
		loc, err := a.orgLocation(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		versions, err := svc.RiskAssessments(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		for i, v := range versions {
			c := *v
			c.AssessedAt = c.AssessedAt.In(loc)
			c.DataCategories, c.Consequences = nonNil(c.DataCategories), nonNil(c.Consequences)
			versions[i] = &c
		}
		w.Header().Set("Cache-Control", "no-store")
		respond(w, http.StatusOK, newList(versions))
	})
}

// imyNotificationBody is PUT /incidents/{id}/imy-notification: the
// notification shaped like IMY's form; the supplements are added one by one.
type imyNotificationBody struct {
	Controller       string     `json:"controller"`
	OrgNumber        string     `json:"org_number"`
	Contact          string     `json:"contact"`
	StartedAt        *time.Time `json:"started_at"`
	EndedAt          *time.Time `json:"ended_at"`
	DiscoveredAt     *time.Time `json:"discovered_at"`
	Category         string     `json:"category"`
	DataSubjects     string     `json:"data_subjects"`
	SubjectCount     int        `json:"subject_count"`
	DataKinds        string     `json:"data_kinds"`
	Consequences     string     `json:"consequences"`
	Measures         string     `json:"measures"`
	SubjectsInformed string     `json:"subjects_informed"`
	LateReasons      string     `json:"late_reasons"`
	SecretParts      []string   `json:"secret_parts"`
	FiledAt          *time.Time `json:"filed_at"`
	IMYReference     string     `json:"imy_reference"`
}

func (a *API) imyNotificationPut() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.incidentService(w, r)
		if svc == nil {
			return
		}
		var b imyNotificationBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			a.error(w, r, err)
			return
		}
		n := &distans.IMYNotification{Controller: b.Controller, OrgNumber: b.OrgNumber, Contact: b.Contact,
			StartedAt: b.StartedAt, EndedAt: b.EndedAt, Category: b.Category, DataSubjects: b.DataSubjects,
			SubjectCount: b.SubjectCount, DataKinds: b.DataKinds, Consequences: b.Consequences, Measures: b.Measures,
			SubjectsInformed: b.SubjectsInformed, LateReasons: b.LateReasons, SecretParts: b.SecretParts,
			FiledAt: b.FiledAt, IMYReference: b.IMYReference}
		if b.DiscoveredAt != nil {
			n.DiscoveredAt = *b.DiscoveredAt
		}
		id := r.PathValue("id")
		if err := svc.SaveIMYNotification(r.Context(), id, n); err != nil {
			a.error(w, r, err)
			return
		}
		a.respondIMY(w, r, id)
	})
}

func (a *API) imyNotificationGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.incidentService(w, r) == nil {
			return
		}
		a.respondIMY(w, r, r.PathValue("id"))
	})
}

// respondIMY answers the notification as saved, instants in the
// organisation's zone.
func (a *API) respondIMY(w http.ResponseWriter, r *http.Request, id string) {
	loc, err := a.orgLocation(r.Context())
	if err != nil {
		a.error(w, r, err)
		return
	}
	n, err := a.svc.Incidents.IMYNotification(r.Context(), id)
	if err != nil {
		a.error(w, r, err)
		return
	}
	c := *n
	c.StartedAt, c.EndedAt, c.FiledAt = inLoc(c.StartedAt, loc), inLoc(c.EndedAt, loc), inLoc(c.FiledAt, loc)
	c.DiscoveredAt, c.UpdatedAt = c.DiscoveredAt.In(loc), c.UpdatedAt.In(loc)
	c.Supplements = make([]distans.IMYSupplement, len(n.Supplements))
	for i, s := range n.Supplements {
		s.At = s.At.In(loc)
		c.Supplements[i] = s
	}
	c.SecretParts = nonNil(c.SecretParts)
	w.Header().Set("Cache-Control", "no-store")
	respond(w, http.StatusOK, &c)
}

// imySupplementBody is POST /incidents/{id}/imy-notification/supplements.
type imySupplementBody struct {
	At   *time.Time `json:"at"`
	Text string     `json:"text"`
}

func (a *API) imySupplementAdd() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.incidentService(w, r)
		if svc == nil {
			return
		}
		var b imySupplementBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			a.error(w, r, err)
			return
		}
		s := distans.IMYSupplement{Text: b.Text, ByID: distans.ActorFrom(r.Context()).PersonID, At: distans.NowFrom(r.Context())}
		if b.At != nil {
			s.At = *b.At
		}
		id := r.PathValue("id")
		if err := svc.AddIMYSupplement(r.Context(), id, s); err != nil {
			a.error(w, r, err)
			return
		}
		a.respondIMY(w, r, id)
	})
}

// imyNotificationPDF answers the notification as IMY's form in a PDF,
// written in full before the first byte so that a failure is still JSON.
func (a *API) imyNotificationPDF() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.incidentService(w, r)
		if svc == nil {
			return
		}
		ctx := r.Context()
		inc, err := svc.Incident(ctx, r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := svc.WriteIMYNotificationPDF(ctx, inc.ID, &buf); err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="IMY-`+pdfFileName(inc.Number)+`"`)
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf.Bytes())
	})
}

// incidentMeasureBody is POST /incidents/{id}/measures.
type incidentMeasureBody struct {
	Text    string `json:"text"`
	OwnerID string `json:"owner_id"`
	DueOn   Date   `json:"due_on"`
}

// measure is the body as the domain's measure; the due day is required.
func (b *incidentMeasureBody) measure() (distans.IncidentMeasure, error) {
	var v distans.Validation
	b.DueOn.check(&v, "due_on", true)
	return distans.IncidentMeasure{Text: b.Text, OwnerID: b.OwnerID, DueOn: b.DueOn.Time()}, v.Err()
}

func (a *API) incidentMeasureAdd() http.Handler {
	return a.incidentChange(func(ctx context.Context, svc distans.IncidentService, id string, w http.ResponseWriter, r *http.Request) (*distans.Incident, error) {
		var b incidentMeasureBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return nil, err
		}
		m, err := b.measure()
		if err != nil {
			return nil, err
		}
		return svc.AddMeasure(ctx, id, m)
	})
}

func (a *API) incidentMeasureComplete() http.Handler {
	return a.incidentChange(func(ctx context.Context, svc distans.IncidentService, id string, _ http.ResponseWriter, r *http.Request) (*distans.Incident, error) {
		return svc.CompleteMeasure(ctx, id, r.PathValue("measure_id"))
	})
}

// incidentLinkBody is POST /incidents/{id}/links.
type incidentLinkBody struct {
	Kind     string `json:"kind"`
	TargetID string `json:"target_id"`
}

func (a *API) incidentLinkAdd() http.Handler {
	return a.incidentChange(func(ctx context.Context, svc distans.IncidentService, id string, w http.ResponseWriter, r *http.Request) (*distans.Incident, error) {
		var b incidentLinkBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return nil, err
		}
		return svc.AddLink(ctx, id, distans.IncidentLink{Kind: b.Kind, TargetID: b.TargetID})
	})
}

// incidentCloseBody is POST /incidents/{id}/close.
type incidentCloseBody struct {
	Version *int `json:"version"`
}

// version is the version the close names, required.
func (b *incidentCloseBody) version() (int, error) {
	var v distans.Validation
	version := checkVersion(&v, b.Version)
	return version, v.Err()
}

func (a *API) incidentClose() http.Handler {
	return a.incidentChange(func(ctx context.Context, svc distans.IncidentService, id string, w http.ResponseWriter, r *http.Request) (*distans.Incident, error) {
		var b incidentCloseBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return nil, err
		}
		version, err := b.version()
		if err != nil {
			return nil, err
		}
		return svc.Close(ctx, id, version)
	})
}

func (a *API) incidentTimeline() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.incidentService(w, r)
		if svc == nil {
			return
		}
		loc, err := a.orgLocation(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		events, err := svc.Timeline(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		for i, e := range events {
			c := *e
			c.At = c.At.In(loc)
			events[i] = &c
		}
		w.Header().Set("Cache-Control", "no-store")
		respond(w, http.StatusOK, newList(events))
	})
}
