package distans

import (
	"context"
	"io"
	"slices"
	"time"
)

// IncidentKind is what kind of thing went wrong. The values are the
// policy packs' incident kinds (the `kind` variable of their incident
// rules), so a pack's rules run on a real record unchanged.
type IncidentKind string

const (
	IncidentPersonalData  IncidentKind = "personal_data"  // personuppgiftsincident (GDPR art. 33; Vara 001 §2.7)
	IncidentSecurity      IncidentKind = "security"       // information security: information in the wrong hands, erased, altered (Vara 001 §2.3)
	IncidentIT            IncidentKind = "it"             // IT incident, virus (Kristianstad 003 Datavirus)
	IncidentTheft         IncidentKind = "theft"          // theft or intrusion
	IncidentEquipmentLoss IncidentKind = "equipment_loss" // lost or damaged equipment (Sorsele 004 §8.1, Bjurholm 002 §6)
	IncidentThreat        IncidentKind = "threat"         // threat or violence
	IncidentWorkInjury    IncidentKind = "work_injury"    // work injury or near miss while working remotely (Bjurholm 002 §6)
	IncidentOther         IncidentKind = "other"
)

// IncidentKinds lists the kinds in the order the report form shows them.
var IncidentKinds = []IncidentKind{IncidentPersonalData, IncidentSecurity, IncidentIT, IncidentTheft,
	IncidentEquipmentLoss, IncidentThreat, IncidentWorkInjury, IncidentOther}

// Valid reports whether k is a known kind.
func (k IncidentKind) Valid() bool { return slices.Contains(IncidentKinds, k) }

// IncidentSeverity is the triage's judgement; empty until triaged.
type IncidentSeverity string

const (
	SeverityLow     IncidentSeverity = "low"
	SeverityMedium  IncidentSeverity = "medium"
	SeverityHigh    IncidentSeverity = "high"
	SeveritySerious IncidentSeverity = "serious" // allvarlig: TIB, security chief, IT chief and coordinator at once (Kristianstad 003)
)

// IncidentSeverities lists the severities from least to most serious.
var IncidentSeverities = []IncidentSeverity{SeverityLow, SeverityMedium, SeverityHigh, SeveritySerious}

// IncidentState is where an incident stands.
type IncidentState string

const (
	IncidentReported IncidentState = "reported" // reported, waiting for triage
	IncidentHandling IncidentState = "handling" // triaged: kind, severity and owner set
	IncidentClosed   IncidentState = "closed"   // closed: no open measure, no open required clock
)

// Incident duties: the things that must be done by a deadline once an
// incident of some kind is known. Each clock of an incident is one duty;
// the pack's incident rules say which duties an incident has and their
// deadlines (PolicyDeadlineSpec.Duty), each citing its clause or law.
const (
	DutyIMYNotification       = "imy_notification"      // GDPR art. 33.1: notify IMY within 72 hours, or document why not
	DutyIMYSupplement         = "imy_supplement"        // IMY's four weeks for supplementing a notification
	DutyDataSubjects          = "data_subjects"         // GDPR art. 34: inform the data subjects, or document why not
	DutyCyberEarlyWarning     = "cyber_early_warning"   // cybersäkerhetslagen (2025:1506): early warning within 24 hours
	DutyCyberNotification     = "cyber_notification"    // … notification within 72 hours
	DutyCyberFinalReport      = "cyber_final_report"    // … final report within one month
	DutySeriousEscalation     = "serious_escalation"    // Kristianstad 003: TIB, security chief, IT chief, coordinator at once
	DutyWorkEnvironmentReport = "arbetsmiljoverket"     // AML 3:3 a: serious injury or near miss reported the same day
	DutyInsuranceReport       = "forsakringskassan"     // every work injury reported to Försäkringskassan
	DutySafetyRepresentative  = "safety_representative" // the skyddsombud told (AML 3:3 a)
	DutyPoliceReport          = "police_report"         // theft or loss outside the premises: police report and its copy (Sorsele 004 §8.1)
)

// Incident is one reported incident, the one record that runs every clock.
// Fields marked secret (SecretFields, by their JSON names) are kept, but
// read only by those who see the incident in full (Actor.IncidentAccess);
// everyone else gets them empty and Redacted lists them.
type Incident struct {
	ID             string `json:"id"`
	OrganisationID string `json:"organisation_id"`
	// Number is the registration number per organisation and year, as
	// people cite it: "INC 2026/0012".
	Number      string       `json:"number"`
	Kind        IncidentKind `json:"kind"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	// OccurredAt is when it happened, when known; DiscoveredAt when it
	// was discovered, from which every clock runs.
	OccurredAt   *time.Time `json:"occurred_at,omitempty"`
	DiscoveredAt time.Time  `json:"discovered_at"`
	// Systems is which information or systems are concerned.
	Systems string `json:"systems,omitempty"`
	Ongoing bool   `json:"ongoing"`
	// ReporterID is the person who reported it; RegisteredByID, when it
	// differs, the switchboard operator who registered it for them.
	ReporterID     string `json:"reporter_id"`
	ReporterName   string `json:"reporter_name,omitempty"`
	RegisteredByID string `json:"registered_by_id,omitempty"`
	// UnitID and UnitPath are the reporter's unit when reported: its
	// managers are told and see the incident.
	UnitID   string `json:"unit_id,omitempty"`
	UnitPath string `json:"-"`
	// OwnerUnitPath is the owner's unit now: its managers are escalated
	// to when a deadline passes, and so see the incident.
	OwnerUnitPath string        `json:"-"`
	State         IncidentState `json:"state"`
	// Triage.
	Severity  IncidentSeverity `json:"severity,omitempty"`
	OwnerID   string           `json:"owner_id,omitempty"`
	OwnerName string           `json:"owner_name,omitempty"`
	// Facts the clocks depend on, set on reporting or at triage.
	CyberSignificant bool   `json:"cyber_significant"` // a significant incident under cybersäkerhetslagen
	InjurySerious    bool   `json:"injury_serious"`    // a serious injury or near miss (AML 3:3 a)
	OutsidePremises  bool   `json:"outside_premises"`  // theft or loss outside the workplace (Sorsele 004 §8.1)
	PoliceReport     string `json:"police_report,omitempty"`
	// SecretFields are the fields marked secret (JSON names among
	// IncidentSecretFields); Redacted those withheld from this reader.
	SecretFields []string `json:"secret_fields,omitempty"`
	Redacted     []string `json:"redacted,omitempty"`
	// Clocks are the incident's duties and their deadlines, nearest first.
	Clocks []IncidentClock `json:"clocks"`
	// QueueDue is the nearest open deadline as the store sorts the queue
	// by it (Cursor), whatever of the clocks this reader is shown.
	QueueDue    *time.Time        `json:"-"`
	Measures    []IncidentMeasure `json:"measures"`
	Links       []IncidentLink    `json:"links"`
	PackVersion int               `json:"pack_version"`
	Version     int               `json:"version"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
	ClosedAt    *time.Time        `json:"closed_at,omitempty"`
}

// IncidentSecretFields are the fields that may be marked secret: what
// happened and which information or systems (OSL 18:8, security
// measures), and the police report number.
var IncidentSecretFields = []string{"description", "systems", "police_report"}

// NextDeadline returns the nearest deadline of an open clock, or nil.
func (inc *Incident) NextDeadline() *IncidentClock {
	var next *IncidentClock
	for i := range inc.Clocks {
		c := &inc.Clocks[i]
		if c.Open() && (next == nil || c.DueAt.Before(next.DueAt)) {
			next = c
		}
	}
	return next
}

// Cursor is what IncidentFilter.After takes to list the incidents after
// inc in the queue's order: the nearest open deadline the queue sorted it
// by (QueueDue), if any, and its ID. It is the store's sort key, not the
// clocks the reader was shown: a row the reader sees only as its reporter
// carries no clocks, and a cursor without its deadline skipped the rest
// of the queue.
func (inc *Incident) Cursor() string {
	if inc.QueueDue != nil {
		return inc.QueueDue.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano) + "|" + inc.ID
	}
	return "|" + inc.ID
}

// IncidentClock is one duty of an incident and its deadline. It is
// computed from the pack's incident rules when the incident is reported
// and whenever a fact they read changes, and kept with the incident so
// that the queue sorts by it and the deadline job scans it. A clock is
// done when the duty is fulfilled (DoneAt), or waived by a documented
// decision that it is not required (NotRequired, with Note giving the
// reasons, e.g. a personal-data incident unlikely to risk anyone's rights).
type IncidentClock struct {
	Duty     string     `json:"duty"`
	RuleID   string     `json:"rule_id"`
	Label    PolicyText `json:"label"`
	Citation string     `json:"citation"`
	DueAt    time.Time  `json:"due_at"` // RFC 3339 in the organisation's time zone in the API
	Passed   bool       `json:"passed"` // open and past DueAt at the time of reading
	DoneAt   *time.Time `json:"done_at,omitempty"`
	DoneByID string     `json:"done_by_id,omitempty"`
	// Reference is what proves it done: IMY's reference, the police
	// report number, whom the TIB was reached through.
	Reference   string     `json:"reference,omitempty"`
	NotRequired bool       `json:"not_required,omitempty"`
	Note        string     `json:"note,omitempty"`
	RemindedAt  *time.Time `json:"reminded_at,omitempty"`
	EscalatedAt *time.Time `json:"escalated_at,omitempty"`
}

// Open reports whether the duty still waits.
func (c *IncidentClock) Open() bool { return c.DoneAt == nil }

// IncidentMeasure is an action with an owner and a due date (Vara 001
// §2.7: measures that limit the harm and prevent it happening again).
type IncidentMeasure struct {
	ID        string     `json:"id"`
	Text      string     `json:"text"`
	OwnerID   string     `json:"owner_id"`
	OwnerName string     `json:"owner_name,omitempty"`
	DueOn     time.Time  `json:"due_on"` // a date, midnight UTC
	DoneAt    *time.Time `json:"done_at,omitempty"`
}

// IncidentLink ties an incident to a person, an agreement (a
// home-workplace injury), an item of equipment, or the equipment loss
// report that opened it (kind "equipment_loss", linked both ways).
type IncidentLink struct {
	Kind     string `json:"kind"` // one of IncidentLinkKinds
	TargetID string `json:"target_id"`
	Label    string `json:"label,omitempty"`
}

// IncidentLinkKinds lists the kinds of link.
var IncidentLinkKinds = []string{"person", "agreement", "equipment", "equipment_loss"}

// IncidentReport is what anyone signed in reports, in two minutes.
// OnBehalfOf is the person who phoned the switchboard, set only by those
// who may register for others (Actor.RegistersIncidentsForOthers).
type IncidentReport struct {
	Kind            IncidentKind `json:"kind"`
	Title           string       `json:"title"`
	Description     string       `json:"description"`
	OccurredAt      *time.Time   `json:"occurred_at,omitempty"`
	DiscoveredAt    time.Time    `json:"discovered_at"`
	Systems         string       `json:"systems,omitempty"`
	Ongoing         bool         `json:"ongoing"`
	OutsidePremises bool         `json:"outside_premises"`
	InjurySerious   bool         `json:"injury_serious"`
	OnBehalfOf      string       `json:"on_behalf_of,omitempty"`
}

// Limits of an incident's texts, in characters.
const (
	MaxIncidentTitle = 200
	MaxIncidentText  = 20000
)

// Validate checks the report against now: a discovery in the future, or
// before the incident happened, is refused.
func (r *IncidentReport) Validate(now time.Time) error {
	var v Validation
	if !r.Kind.Valid() {
		v.Add("kind", "Välj vad som har hänt.", "Choose what kind of incident it is.")
	}
	v.Required("title", r.Title)
	v.MaxLen("title", r.Title, MaxIncidentTitle)
	v.Required("description", r.Description)
	v.MaxLen("description", r.Description, MaxIncidentText)
	v.MaxLen("systems", r.Systems, MaxIncidentText)
	switch {
	case r.DiscoveredAt.IsZero():
		v.Add("discovered_at", "Ange när incidenten upptäcktes.", "Give the time the incident was discovered.")
	case r.DiscoveredAt.After(now):
		v.Add("discovered_at", "Upptäcktstiden kan inte ligga i framtiden.", "The discovery time cannot be in the future.")
	case r.OccurredAt != nil && r.DiscoveredAt.Before(*r.OccurredAt):
		v.Add("discovered_at", "Incidenten kan inte ha upptäckts innan den inträffade.", "The incident cannot have been discovered before it happened.")
	}
	if r.OccurredAt != nil && r.OccurredAt.After(now) {
		v.Add("occurred_at", "Tiden kan inte ligga i framtiden.", "The time cannot be in the future.")
	}
	return v.Err()
}

// IncidentTriage is the coordinator's (or IT's) triage; Version is the
// incident's version as read, for the stale-write check.
type IncidentTriage struct {
	Version          int              `json:"version"`
	Kind             IncidentKind     `json:"kind"`
	Severity         IncidentSeverity `json:"severity"`
	OwnerID          string           `json:"owner_id"`
	CyberSignificant bool             `json:"cyber_significant"`
	InjurySerious    bool             `json:"injury_serious"`
	OutsidePremises  bool             `json:"outside_premises"`
	SecretFields     []string         `json:"secret_fields"`
}

// IncidentDutyRecord fulfils or waives one clock. At may not lie before
// the discovery or in the future.
type IncidentDutyRecord struct {
	Duty        string    `json:"duty"`
	At          time.Time `json:"at"`
	Reference   string    `json:"reference,omitempty"`
	NotRequired bool      `json:"not_required,omitempty"`
	Note        string    `json:"note,omitempty"` // required when NotRequired: the documented reasons
}

// Data categories and consequences of a personal-data incident's risk
// assessment (Vara 001 §2.7 lists the consequences).
var (
	IncidentDataCategories = []string{"ordinary", "sensitive", "personal_number", "offences", "secrecy"}
	IncidentConsequences   = []string{"loss_of_control", "discrimination", "identity_theft", "financial_loss",
		"reputation", "breach_of_secrecy", "other"}
	IncidentRiskLevels = []string{"no_risk", "risk", "high_risk"} // art. 33 unless no_risk; art. 34 when high_risk
)

// IncidentRiskAssessment is the assessment of a personal-data incident,
// versioned: a revision adds a version and keeps the earlier ones.
type IncidentRiskAssessment struct {
	Version        int       `json:"version"`
	DataCategories []string  `json:"data_categories"`
	DataSubjects   string    `json:"data_subjects"` // who: pupils, staff, clients …
	SubjectCount   int       `json:"subject_count"` // approximate
	RecordCount    int       `json:"record_count"`  // approximate number of records
	Consequences   []string  `json:"consequences"`
	RiskLevel      string    `json:"risk_level"`
	Reasoning      string    `json:"reasoning"`
	AssessedByID   string    `json:"assessed_by_id"`
	AssessedAt     time.Time `json:"assessed_at"`
}

// IMYNotification is the notification to IMY, shaped like IMY's form so
// the DPO can copy it across, and kept with its supplements. SecretParts
// names the fields that should be marked secret when the notification
// becomes a public record.
type IMYNotification struct {
	Controller       string          `json:"controller"`
	OrgNumber        string          `json:"org_number"`
	Contact          string          `json:"contact"`
	StartedAt        *time.Time      `json:"started_at,omitempty"`
	EndedAt          *time.Time      `json:"ended_at,omitempty"`
	DiscoveredAt     time.Time       `json:"discovered_at"`
	Category         string          `json:"category"` // confidentiality, integrity, availability
	DataSubjects     string          `json:"data_subjects"`
	SubjectCount     int             `json:"subject_count"`
	DataKinds        string          `json:"data_kinds"`
	Consequences     string          `json:"consequences"`
	Measures         string          `json:"measures"`
	SubjectsInformed string          `json:"subjects_informed"`
	LateReasons      string          `json:"late_reasons,omitempty"` // art. 33.1: reasons when filed after 72 hours
	SecretParts      []string        `json:"secret_parts,omitempty"`
	FiledAt          *time.Time      `json:"filed_at,omitempty"`
	IMYReference     string          `json:"imy_reference,omitempty"`
	Supplements      []IMYSupplement `json:"supplements"`
	UpdatedAt        time.Time       `json:"updated_at"`
}

// IMYSupplement is one supplement sent to IMY after the notification.
type IMYSupplement struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
	ByID string    `json:"by_id"`
}

// IncidentFilter narrows ListIncidents. Mine lists the actor's own reports;
// otherwise the queue of what the actor handles or sees, open first,
// sorted by the nearest open deadline.
type IncidentFilter struct {
	Mine  bool
	State IncidentState
	Kind  IncidentKind
	Open  bool // reported or handling
	Limit int
	After string // keyset cursor from the previous page
}

// IncidentAccess is how much of an incident an actor sees.
type IncidentAccess int

const (
	IncidentNoAccess IncidentAccess = iota
	// IncidentAccessReporter: the reporter sees their report and its
	// status, not the handling.
	IncidentAccessReporter
	// IncidentAccessUnit: a manager of the reporter's unit sees the
	// incident and its handling without the secret fields.
	IncidentAccessUnit
	// IncidentAccessFull: those who handle incidents of the kind (and the
	// owner) see everything, the secret fields with an audited read.
	IncidentAccessFull
)

// IncidentService is the incident register of the actor's organisation.
// Every method refuses with ENOTFOUND an incident the actor may not see,
// with EFORBIDDEN a change the actor may not make, with ECONFLICT a stale
// version, and with EINVALID bad input, saving nothing.
type IncidentService interface {
	// ReportIncident registers a report and tells the reporter's managers
	// and the organisation's handlers of its kind, once each.
	ReportIncident(ctx context.Context, r *IncidentReport) (*Incident, error)
	Incident(ctx context.Context, id string) (*Incident, error)
	ListIncidents(ctx context.Context, f IncidentFilter) ([]*Incident, error)
	// Guidance is what to do right now for a kind, from the pack: the
	// findings of its incident rules, each citing its clause.
	Guidance(ctx context.Context, kind IncidentKind) ([]PolicyFinding, error)
	Triage(ctx context.Context, id string, t IncidentTriage) (*Incident, error)
	RecordDuty(ctx context.Context, id string, d IncidentDutyRecord) (*Incident, error)
	AssessRisk(ctx context.Context, id string, a *IncidentRiskAssessment) (*Incident, error)
	RiskAssessments(ctx context.Context, id string) ([]*IncidentRiskAssessment, error)
	SaveIMYNotification(ctx context.Context, id string, n *IMYNotification) error
	IMYNotification(ctx context.Context, id string) (*IMYNotification, error)
	AddIMYSupplement(ctx context.Context, id string, s IMYSupplement) error
	// WriteIMYNotificationPDF writes the notification as IMY's form, for
	// the DPO to copy from, with the secret parts marked.
	WriteIMYNotificationPDF(ctx context.Context, id string, w io.Writer) error
	AddMeasure(ctx context.Context, id string, m IncidentMeasure) (*Incident, error)
	CompleteMeasure(ctx context.Context, id, measureID string) (*Incident, error)
	AddLink(ctx context.Context, id string, l IncidentLink) (*Incident, error)
	// Close closes the incident; refused while a measure or a clock is
	// open or its classification (severity) is missing.
	Close(ctx context.Context, id string, version int) (*Incident, error)
	// Timeline is the incident's audit events, oldest first.
	Timeline(ctx context.Context, id string) ([]*AuditEvent, error)
}
