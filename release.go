package distans

import (
	"context"
	"io"
	"slices"
	"strings"
	"time"
)

// Release of a public document (utlämnande av allmän handling).
// Kristianstads kommun, Instruktion för digital kommunikation, Offentlighet
// och sekretess: anyone may ask for a public document; the request is
// handled promptly; a secrecy review (sekretessprövning) is made of what
// the document holds; a document not covered by secrecy is released in
// full; when secrecy covers it in whole or in part, the person asking gets
// an appealable decision and instructions on how to appeal.
//
// In Distans the registrator, who keeps the register, picks a registered
// case, sees its fields with those that are secret by kind preselected for
// masking (SuggestMaskings), masks or unmasks with a provision of the
// Public Access to Information and Secrecy Act (OSL) for each masking, and
// records the decision. The masked copy is made from what the decision
// released: the masked values are never stored with the decision and so
// can never reach the copy.

// ReleaseRequester is what is recorded for an anonymous requester: anyone
// may ask without saying who they are or why (Tryckfrihetsförordningen
// 2 kap. 18 §).
const ReleaseRequester = "anonym"

// ReleaseOutcome is what the decision does with the document.
type ReleaseOutcome string

const (
	ReleaseFull    ReleaseOutcome = "full"    // released in full
	ReleasePartial ReleaseOutcome = "partial" // released with maskings
	ReleaseRefused ReleaseOutcome = "refused" // refused in whole
)

// Appealable reports whether the outcome withholds anything, and so must
// come as an appealable decision with instructions on how to appeal.
func (o ReleaseOutcome) Appealable() bool { return o == ReleasePartial || o == ReleaseRefused }

// SecrecyProvision is one secrecy provision the registrator may cite, from
// the policy pack's list (the generic pack holds the law's; an
// organisation may add its own).
type SecrecyProvision struct {
	ID       string `json:"id"`       // e.g. "osl-21-1"
	Citation string `json:"citation"` // as printed, e.g. "OSL 21 kap. 1 §"
	LabelSv  string `json:"label_sv"`
	LabelEn  string `json:"label_en"`
}

// The provisions the suggestion rule cites; the generic pack holds each
// (a test in internal/policy checks it).
const (
	ProvisionHealth    = "osl-21-1" // a person's health
	ProvisionPersonnel = "osl-39-3" // a person's circumstances in personnel administration
	ProvisionSecurity  = "osl-18-8" // security measures, information security included
)

// ReleaseField is one field of a case as the secrecy review shows it. Value
// is the field's content; only the review (ReleaseService.ReviewRelease)
// carries it, to the registrator who makes the review.
type ReleaseField struct {
	Key     string `json:"key"`
	LabelSv string `json:"label_sv"`
	LabelEn string `json:"label_en"`
	Value   string `json:"value"`
}

// Label returns the field's label in lang.
func (f *ReleaseField) Label(lang string) string {
	if lang == "en" {
		return f.LabelEn
	}
	return f.LabelSv
}

// ReleaseCase is a registered case as the secrecy review reads it: its
// register entry (number, kind, subject) and its fields in order, with
// the facts the suggestion rule needs.
type ReleaseCase struct {
	Entry    RegisterEntry  `json:"entry"`
	Fields   []ReleaseField `json:"fields"`
	UnitPath string         `json:"-"`
	// MarkedSecret are an incident's fields marked secret (among
	// IncidentSecretFields), for an incident or a loss with one.
	MarkedSecret []string `json:"marked_secret,omitempty"`
	// OutsidePremises is a loss that happened outside the premises, whose
	// place may be a home.
	OutsidePremises bool `json:"outside_premises,omitempty"`
}

// Field returns the field with key, or nil.
func (c *ReleaseCase) Field(key string) *ReleaseField {
	for i := range c.Fields {
		if c.Fields[i].Key == key {
			return &c.Fields[i]
		}
	}
	return nil
}

// Masking is one field withheld, with the provision that makes it secret.
// Citation is the provision's citation when the decision was made, kept so
// that the decision reads the same if the pack's list changes later.
type Masking struct {
	Field     string `json:"field"`
	Provision string `json:"provision"`
	Citation  string `json:"citation,omitempty"`
}

// releaseSecret is THE rule of what is secret by kind of case: a field of
// a kind, the provision it is suggested under, and when (nil: whenever the
// field has a value). Fields of a case with no value are never masked.
var releaseSecret = []struct {
	kind      RegisterKind
	field     string
	provision func(c *ReleaseCase) string
	when      func(c *ReleaseCase) bool
}{
	// An agreement: the remote place is normally the home; the personal
	// identity number; the reasons for the request may be about health.
	{RegisterAgreement, "request_place", fixed(ProvisionPersonnel), nil},
	{RegisterAgreement, "terms_place", fixed(ProvisionPersonnel), nil},
	{RegisterAgreement, "personal_number", fixed(ProvisionPersonnel), nil},
	{RegisterAgreement, "request_reasons", fixed(ProvisionHealth), nil},
	// An incident: the fields its handler marked secret, and for the kinds
	// the register treats as sensitive the title and the reporter too.
	{RegisterIncident, "title", incidentProvision, sensitiveIncident},
	{RegisterIncident, "reporter", incidentProvision, sensitiveIncident},
	{RegisterIncident, "description", incidentProvision, marked("description")},
	{RegisterIncident, "systems", incidentProvision, marked("systems")},
	{RegisterIncident, "police_report", incidentProvision, marked("police_report")},
	// A loss: the place of one outside the premises may be a home; the
	// holder's personal identity number.
	{RegisterEquipmentLoss, "place", fixed(ProvisionPersonnel), func(c *ReleaseCase) bool { return c.OutsidePremises }},
	{RegisterEquipmentLoss, "personal_number", fixed(ProvisionPersonnel), nil},
}

func fixed(id string) func(*ReleaseCase) string { return func(*ReleaseCase) string { return id } }

func marked(field string) func(*ReleaseCase) bool {
	return func(c *ReleaseCase) bool { return slices.Contains(c.MarkedSecret, field) }
}

func sensitiveIncident(c *ReleaseCase) bool { return !RegisterShowsReporter(c.Entry.IncidentKind) }

// incidentProvision is the provision an incident's secret is suggested
// under, by its kind: a work injury is about health, a threat about the
// personal circumstances of the one threatened, anything else about
// security measures (the information security of systems and data).
func incidentProvision(c *ReleaseCase) string {
	switch c.Entry.IncidentKind {
	case IncidentWorkInjury:
		return ProvisionHealth
	case IncidentThreat:
		return ProvisionPersonnel
	}
	return ProvisionSecurity
}

// SuggestMaskings returns the maskings the review preselects for c, in the
// order of its fields: every field that is secret by its kind of case and
// has a value.
func SuggestMaskings(c *ReleaseCase) []Masking {
	var out []Masking
	for _, f := range c.Fields {
		if strings.TrimSpace(f.Value) == "" {
			continue
		}
		for _, r := range releaseSecret {
			if r.kind == c.Entry.Kind && r.field == f.Key && (r.when == nil || r.when(c)) {
				out = append(out, Masking{Field: f.Key, Provision: r.provision(c)})
				break
			}
		}
	}
	return out
}

// ReleaseInput is the registrator's decision on a request: who asked
// (a name, or empty for ReleaseRequester) and on which day, the maskings,
// or a refusal in whole under a provision.
type ReleaseInput struct {
	Kind        RegisterKind `json:"kind"`
	RecordID    string       `json:"record_id"`
	Requester   string       `json:"requester"`
	RequestedOn time.Time    `json:"-"` // a day, midnight UTC
	Refuse      bool         `json:"refuse"`
	// RefusalProvision is the provision a refusal in whole rests on.
	RefusalProvision string    `json:"refusal_provision,omitempty"`
	Maskings         []Masking `json:"maskings"`
	// Delegation is what the decision is made under when the registrator
	// decides for the authority (a point of its delegation order): a
	// refusal by an official without delegation is not appealable until
	// the authority itself decides (OSL 6 kap. 3 §).
	Delegation string `json:"delegation,omitempty"`
	Note       string `json:"note,omitempty"`
}

// Validate checks the input against the case and the pack's provisions:
// each masked field is one of the case's and masked once, each provision
// is in the list, a refusal names its provision, requester and note are
// of allowed length. today is the organisation's day: a request is not
// asked in the future.
func (in *ReleaseInput) Validate(c *ReleaseCase, provisions []SecrecyProvision, today time.Time) error {
	var v Validation
	known := func(id string) bool {
		return slices.ContainsFunc(provisions, func(p SecrecyProvision) bool { return p.ID == id })
	}
	v.MaxLen("requester", in.Requester, 200)
	v.MaxLen("delegation", in.Delegation, 300)
	v.MaxLen("note", in.Note, 4000)
	switch {
	case in.RequestedOn.IsZero():
		v.Add("requested_on", "Ange dagen begäran kom in.", "Give the day the request came in.")
	case in.RequestedOn.After(today):
		v.Add("requested_on", "Dagen ligger i framtiden.", "The day is in the future.")
	}
	if in.Refuse && !known(in.RefusalProvision) {
		v.Add("refusal_provision", "Välj den bestämmelse avslaget grundas på.", "Choose the provision the refusal rests on.")
	}
	seen := map[string]bool{}
	for _, m := range in.Maskings {
		name := "mask." + m.Field
		switch {
		case c.Field(m.Field) == nil:
			v.Add(name, "Fältet finns inte i ärendet.", "The case has no such field.")
		case seen[m.Field]:
			v.Add(name, "Fältet är maskerat två gånger.", "The field is masked twice.")
		case !known(m.Provision):
			v.Add("provision."+m.Field, "Välj sekretessbestämmelse för maskeringen.", "Choose the secrecy provision for the masking.")
		}
		seen[m.Field] = true
	}
	return v.Err()
}

// Outcome is what the input decides.
func (in *ReleaseInput) Outcome() ReleaseOutcome {
	switch {
	case in.Refuse:
		return ReleaseRefused
	case len(in.Maskings) > 0:
		return ReleasePartial
	}
	return ReleaseFull
}

// ReleaseRequest is one request for a copy of a registered case, with the
// registrator's decision on it. The decision is a document of the case and
// carries the case's registration number (CaseNumber), as a decision on an
// agreement does. Released is the copy as released: each field with its
// value, or, when masked, without it (Masked). Refused decisions release
// nothing.
type ReleaseRequest struct {
	ID             string         `json:"id"`
	OrganisationID string         `json:"organisation_id"`
	Kind           RegisterKind   `json:"kind"`
	RecordID       string         `json:"record_id"`
	CaseNumber     string         `json:"case_number"`
	Requester      string         `json:"requester"`
	RequestedOn    time.Time      `json:"-"`
	Outcome        ReleaseOutcome `json:"outcome"`
	Maskings       []Masking      `json:"maskings"`
	// RefusalProvision and RefusalCitation are a refusal's provision.
	RefusalProvision string          `json:"refusal_provision,omitempty"`
	RefusalCitation  string          `json:"refusal_citation,omitempty"`
	Delegation       string          `json:"delegation,omitempty"`
	Note             string          `json:"note,omitempty"`
	Released         []ReleasedField `json:"released,omitempty"`
	DecidedByID      string          `json:"decided_by_id"`
	DecidedByName    string          `json:"decided_by_name"`
	DecidedAt        time.Time       `json:"decided_at"`
}

// ReleasedField is one field of the released copy: its value, or the
// provision it was masked under and no value.
type ReleasedField struct {
	Key      string `json:"key"`
	LabelSv  string `json:"label_sv"`
	LabelEn  string `json:"label_en"`
	Value    string `json:"value,omitempty"`
	Masked   bool   `json:"masked,omitempty"`
	Citation string `json:"citation,omitempty"`
}

// ReleaseCopy returns the copy the decision releases: each of the case's
// fields, a masked one without its value. It is made once, when the
// decision is recorded, and kept as it is. A refusal releases nothing.
func ReleaseCopy(c *ReleaseCase, in *ReleaseInput, provisions []SecrecyProvision) []ReleasedField {
	if in.Refuse {
		return nil
	}
	out := make([]ReleasedField, 0, len(c.Fields))
	for _, f := range c.Fields {
		r := ReleasedField{Key: f.Key, LabelSv: f.LabelSv, LabelEn: f.LabelEn}
		if i := slices.IndexFunc(in.Maskings, func(m Masking) bool { return m.Field == f.Key }); i >= 0 {
			r.Masked, r.Citation = true, ProvisionCitation(provisions, in.Maskings[i].Provision)
		} else {
			r.Value = f.Value
		}
		out = append(out, r)
	}
	return out
}

// ProvisionCitation returns the citation of the provision id, or id.
func ProvisionCitation(provisions []SecrecyProvision, id string) string {
	for _, p := range provisions {
		if p.ID == id {
			return p.Citation
		}
	}
	return id
}

// MaskedText is what the copy shows in place of a masked value.
func MaskedText(citation string) string { return "[Maskerat enligt " + citation + "]" }

// RequesterName is the requester as the decision names them.
func (r *ReleaseRequest) RequesterName() string {
	if strings.TrimSpace(r.Requester) == "" {
		return ReleaseRequester
	}
	return r.Requester
}

// Appeal is how to appeal a decision that withholds something, in
// Swedish, as the decision prints it and the pages show it: the decision
// of an authority other than the Government refusing a document, or
// releasing it with reservations, is appealed to the administrative court
// of appeal (kammarrätten; OSL 6 kap. 8 §); the appeal is made in writing
// and sent to the authority that decided, which must receive it within
// three weeks of the day the appellant was told of the decision
// (förvaltningslagen (2017:900) 43–44 §§).
var Appeal = []string{
	"Hur man överklagar",
	"Beslutet kan överklagas hos kammarrätten (offentlighets- och sekretesslagen (2009:641) 6 kap. 8 §).",
	"Överklagandet ska vara skriftligt. Skriv vilket beslut som överklagas (ange diarienumret), hur du vill att beslutet ska ändras och varför.",
	"Skicka överklagandet till den myndighet som har fattat beslutet, inte till kammarrätten. Det ska ha kommit in inom tre veckor från den dag du fick del av beslutet (förvaltningslagen (2017:900) 44 §).",
	"Myndigheten prövar först om beslutet ska ändras och skickar sedan överklagandet vidare till kammarrätten.",
}

// CleanRequester trims the requester's name; "anonym" or nothing is
// recorded as empty, an anonymous requester.
func CleanRequester(s string) string {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, ReleaseRequester) {
		return ""
	}
	return s
}

// ReleasesFrom reports whether the actor may review and release copies of
// cases in the unit at unitPath: the registrator within the scope where
// they keep the register (Actor.RegisterScope). A secrecy review reads
// what the register withholds, so it is theirs alone. The store enforces
// it; the pages and the API ask KeepsRegister to offer the flow at all.
func (a *Actor) ReleasesFrom(unitPath string) bool {
	return a != nil && !a.System && a.RegisterScope().Contains(unitPath)
}

// ReleaseService handles requests for copies of registered cases. Only the
// registrator (Actor.ReleasesFrom) may use it: anyone else is EFORBIDDEN,
// a case or decision outside their scope or organisation ENOTFOUND.
type ReleaseService interface {
	// ReviewRelease reads the case of kind and id for the secrecy review,
	// with the suggested maskings and the pack's provisions; the read is
	// audited.
	ReviewRelease(ctx context.Context, kind RegisterKind, recordID string) (*ReleaseReview, error)
	// DecideRelease records the request and the decision on it, with the
	// copy it releases; EINVALID for input that does not validate.
	DecideRelease(ctx context.Context, in ReleaseInput) (*ReleaseRequest, error)
	FindRelease(ctx context.Context, id string) (*ReleaseRequest, error)
	// ListReleases returns the latest decisions in the registrator's
	// scope, newest first; for one case when recordID is given.
	ListReleases(ctx context.Context, kind RegisterKind, recordID string) ([]*ReleaseRequest, error)
	// WriteReleaseCopy writes the masked copy as a PDF (ECONFLICT for a
	// refusal), WriteReleaseDecision the decision with the instructions
	// on how to appeal; each download is audited.
	WriteReleaseCopy(ctx context.Context, id string, w io.Writer) error
	WriteReleaseDecision(ctx context.Context, id string, w io.Writer) error
}

// ReleaseReview is what the registrator reviews: the case, the maskings
// preselected, and the provisions to choose from.
type ReleaseReview struct {
	Case       *ReleaseCase       `json:"case"`
	Suggested  []Masking          `json:"suggested"`
	Provisions []SecrecyProvision `json:"provisions"`
}
