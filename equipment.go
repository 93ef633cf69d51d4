package distans

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"slices"
	"time"
)

// EquipmentCategory is what kind of thing an item is. The values are the
// policy packs' equipment kinds where one exists, so an item's category is
// what a leave, travel or agreement rule reads (AgreementEquipmentKind).
type EquipmentCategory string

const (
	EquipmentComputer        EquipmentCategory = "computer"
	EquipmentPhone           EquipmentCategory = "phone"
	EquipmentSIM             EquipmentCategory = "sim" // with its number and the phone it sits in
	EquipmentTablet          EquipmentCategory = "tablet"
	EquipmentUSBMemory       EquipmentCategory = "usb_memory"
	EquipmentHeadset         EquipmentCategory = "headset"
	EquipmentScreen          EquipmentCategory = "screen"
	EquipmentMobileBroadband EquipmentCategory = "mobile_broadband"
	EquipmentOther           EquipmentCategory = "other"
)

// EquipmentCategories lists the categories in the order the forms show them.
var EquipmentCategories = []EquipmentCategory{EquipmentComputer, EquipmentPhone, EquipmentSIM, EquipmentTablet,
	EquipmentUSBMemory, EquipmentHeadset, EquipmentScreen, EquipmentMobileBroadband, EquipmentOther}

// Valid reports whether c is a known category.
func (c EquipmentCategory) Valid() bool { return slices.Contains(EquipmentCategories, c) }

// AgreementEquipmentKind is the remote-work agreement's arbetsutrustning
// value for the category (EquipmentKinds), or "" for "other", which the
// agreement has no box for. The agreement's equipment part is filled from
// what the person holds through this one mapping.
func (c EquipmentCategory) AgreementEquipmentKind() string {
	if c == EquipmentOther || !slices.Contains(EquipmentKinds, string(c)) {
		return ""
	}
	return string(c)
}

// HasSIM reports whether losing an item of the category means blocking a
// SIM card (Sorsele 004 §8.1 step 1: a phone, a SIM card, mobile
// broadband).
func (c EquipmentCategory) HasSIM() bool {
	return c == EquipmentPhone || c == EquipmentSIM || c == EquipmentMobileBroadband
}

// EquipmentStatus is where an item stands.
type EquipmentStatus string

const (
	EquipmentInStock  EquipmentStatus = "in_stock"
	EquipmentIssued   EquipmentStatus = "issued" // issued to a person, accepted or awaiting acceptance
	EquipmentInRepair EquipmentStatus = "in_repair"
	EquipmentLost     EquipmentStatus = "lost"
	EquipmentStolen   EquipmentStatus = "stolen"
	EquipmentRetired  EquipmentStatus = "retired"
)

// EquipmentStatuses lists the statuses in the order the filters show them.
var EquipmentStatuses = []EquipmentStatus{EquipmentInStock, EquipmentIssued, EquipmentInRepair, EquipmentLost,
	EquipmentStolen, EquipmentRetired}

// Valid reports whether s is a known status.
func (s EquipmentStatus) Valid() bool { return slices.Contains(EquipmentStatuses, s) }

// Issuable reports whether an item in status s may be issued: only from
// stock. An issued, lost or stolen item is refused with a clear message.
func (s EquipmentStatus) Issuable() bool { return s == EquipmentInStock }

// EquipmentModel is a model the organisation has decided on (Sorsele 004
// §8: the head of operations decides which models are used). Retired
// models stay on the items that have them but are not offered for new
// items.
type EquipmentModel struct {
	ID             string            `json:"id"`
	OrganisationID string            `json:"organisation_id"`
	Category       EquipmentCategory `json:"category"`
	Name           string            `json:"name"`
	Manufacturer   string            `json:"manufacturer,omitempty"`
	Retired        bool              `json:"retired"`
}

// Validate checks the model's fields.
func (m *EquipmentModel) Validate() error {
	var v Validation
	if !m.Category.Valid() {
		v.Add("category", "Välj typ av utrustning.", "Choose the kind of equipment.")
	}
	v.Required("name", m.Name)
	v.MaxLen("name", m.Name, 200)
	v.MaxLen("manufacturer", m.Manufacturer, 200)
	return v.Err()
}

// EquipmentItem is one item in the organisation's registry.
type EquipmentItem struct {
	ID             string            `json:"id"`
	OrganisationID string            `json:"organisation_id"`
	Category       EquipmentCategory `json:"category"`
	ModelID        string            `json:"model_id,omitempty"`
	ModelName      string            `json:"model_name,omitempty"`
	Serial         string            `json:"serial,omitempty"` // serial number, or the IMEI of a phone
	AssetTag       string            `json:"asset_tag,omitempty"`
	// PhoneNumber is a SIM card's or mobile broadband's number (E.164,
	// NormalisePhone), unique in the organisation; InPhoneID the phone a
	// SIM card sits in.
	PhoneNumber string `json:"phone_number,omitempty"`
	InPhoneID   string `json:"in_phone_id,omitempty"`
	// UnitID is the unit that owns the item; UnitPath its path, by which
	// IT's scope and the overview per unit count it.
	UnitID      string          `json:"unit_id"`
	UnitName    string          `json:"unit_name,omitempty"`
	UnitPath    string          `json:"-"`
	PurchasedOn *time.Time      `json:"purchased_on,omitempty"` // a date, midnight UTC
	Status      EquipmentStatus `json:"status"`
	// HolderID is the person the item is issued to while Status is
	// issued; HolderUnitPath their unit, by which their managers see it.
	HolderID       string `json:"holder_id,omitempty"`
	HolderName     string `json:"holder_name,omitempty"`
	HolderUnitPath string `json:"-"`
	// HandoverID is the open handover (issue) that holds the item.
	HandoverID string    `json:"handover_id,omitempty"`
	Note       string    `json:"note,omitempty"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Limits of an item's texts, in characters.
const (
	MaxEquipmentText = 200
	MaxEquipmentNote = 2000
)

// Validate checks the item's own fields; the store checks what needs the
// database (the unit, the model's category, a unique asset tag, serial
// and number, the phone a SIM sits in).
func (it *EquipmentItem) Validate() error {
	var v Validation
	if !it.Category.Valid() {
		v.Add("category", "Välj typ av utrustning.", "Choose the kind of equipment.")
	}
	v.MaxLen("serial", it.Serial, MaxEquipmentText)
	v.MaxLen("asset_tag", it.AssetTag, MaxEquipmentText)
	v.MaxLen("note", it.Note, MaxEquipmentNote)
	if it.Serial == "" && it.AssetTag == "" {
		v.Add("serial", "Ange serienummer, IMEI eller inventarienummer.", "Give a serial number, IMEI or asset tag.")
	}
	if it.UnitID == "" {
		v.Add("unit_id", "Välj den enhet som äger utrustningen.", "Choose the unit that owns the item.")
	}
	if it.PhoneNumber != "" && it.Category != EquipmentSIM && it.Category != EquipmentMobileBroadband {
		v.Add("phone_number", "Bara SIM-kort och mobilt bredband har ett nummer.", "Only SIM cards and mobile broadband have a number.")
	}
	if it.InPhoneID != "" && it.Category != EquipmentSIM {
		v.Add("in_phone_id", "Bara ett SIM-kort sitter i en telefon.", "Only a SIM card sits in a phone.")
	}
	if it.Category == EquipmentSIM && it.PhoneNumber == "" {
		v.Add("phone_number", "Ange SIM-kortets nummer.", "Give the SIM card's number.")
	}
	if it.Status != "" && !it.Status.Valid() {
		v.Add("status", "Okänd status.", "Unknown status.")
	}
	return v.Err()
}

// Label is how people name the item in a list: model and asset tag or
// serial.
func (it *EquipmentItem) Label() string {
	name := it.ModelName
	if name == "" {
		name = string(it.Category)
	}
	switch {
	case it.AssetTag != "":
		return name + " (" + it.AssetTag + ")"
	case it.Serial != "":
		return name + " (" + it.Serial + ")"
	}
	return name
}

// EquipmentItemUpdate is IT's change of an item's registry fields: each
// field that is not nil replaces the item's. Version is the item's
// version as read. Status may be set only to in_stock, in_repair or
// retired here; issued, lost and stolen come from a handover and a loss
// report, which keep their evidence.
type EquipmentItemUpdate struct {
	Version     int
	ModelID     *string
	Serial      *string
	AssetTag    *string
	PhoneNumber *string
	InPhoneID   *string
	UnitID      *string
	PurchasedOn **time.Time
	Status      *EquipmentStatus
	Note        *string
}

// EquipmentFilter narrows ListItems. The list is what the actor sees
// (Actor.SeesItem: IT's scope, their people's items for a manager, their
// own otherwise), sorted by asset tag in Swedish order (SortKey), then ID.
type EquipmentFilter struct {
	Category EquipmentCategory
	Status   EquipmentStatus
	UnitID   string // the owning unit's subtree
	HolderID string
	Query    string // a prefix of asset tag, serial or number, or the holder's name
	Limit    int
	After    string // keyset cursor: EquipmentItem.Cursor of the last row
}

// Cursor is what EquipmentFilter.After takes to list the items after it.
func (it *EquipmentItem) Cursor() string { return Cursor(it.AssetTag, it.ID) }

// HandoverState is where a handover (an issue of items) stands.
type HandoverState string

const (
	HandoverPending   HandoverState = "pending"   // issued, waiting for the person's signature
	HandoverAccepted  HandoverState = "accepted"  // signed by the person
	HandoverCancelled HandoverState = "cancelled" // withdrawn by IT before it was signed; the items are back in stock
)

// EquipmentHandover is one issue of one or several items to a person in
// one go, and its acceptance: the person's one signature over the list of
// items and the terms text and its version (TermsHash). The acceptance PDF
// is made from it alone.
type EquipmentHandover struct {
	ID             string         `json:"id"`
	OrganisationID string         `json:"organisation_id"`
	PersonID       string         `json:"person_id"`
	PersonName     string         `json:"person_name,omitempty"`
	PersonUnitPath string         `json:"-"`
	Items          []HandoverItem `json:"items"`
	IssuedByID     string         `json:"issued_by_id"`
	IssuedByName   string         `json:"issued_by_name,omitempty"`
	IssuedAt       time.Time      `json:"issued_at"`
	Note           string         `json:"note,omitempty"`
	State          HandoverState  `json:"state"`
	// The terms in force when issued: the organisation's equipment terms
	// document, its version and the SHA-256 of its text. An acceptance is
	// of the current version only (EquipmentAcceptance).
	TermsDocumentID string     `json:"terms_document_id"`
	TermsTitle      string     `json:"terms_title"`
	TermsVersion    int        `json:"terms_version"`
	TermsBody       string     `json:"terms_body,omitempty"`
	Acceptance      *Signature `json:"acceptance,omitempty"` // Hash is AcceptanceHash at signing
	RemindedAt      *time.Time `json:"reminded_at,omitempty"`
	Version         int        `json:"version"`
}

// HandoverItem is an item as it was handed over: what the signature covers.
type HandoverItem struct {
	ItemID    string            `json:"item_id"`
	Category  EquipmentCategory `json:"category"`
	ModelName string            `json:"model_name,omitempty"`
	Serial    string            `json:"serial,omitempty"`
	AssetTag  string            `json:"asset_tag,omitempty"`
	Number    string            `json:"phone_number,omitempty"`
}

// AcceptanceHash is the SHA-256 of what the person signs: the handover,
// the person, the items as handed over, and the terms (document, version
// and text). A change to any of them changes it, and a signature over the
// old hash no longer holds.
func (h *EquipmentHandover) AcceptanceHash() string {
	type hashed struct {
		ID, Person string
		Items      []HandoverItem
		Terms      string
		Version    int
		Body       string
	}
	b, err := json.Marshal(hashed{ID: h.ID, Person: h.PersonID, Items: h.Items, Terms: h.TermsDocumentID,
		Version: h.TermsVersion, Body: h.TermsBody})
	if err != nil {
		panic(err) // plain fields only
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// EquipmentIssueRequest is IT's issue of items to a person.
type EquipmentIssueRequest struct {
	PersonID string   `json:"person_id"`
	ItemIDs  []string `json:"item_ids"`
	Note     string   `json:"note,omitempty"`
}

// Validate checks the request's own fields.
func (r *EquipmentIssueRequest) Validate() error {
	var v Validation
	v.Required("person_id", r.PersonID)
	if len(r.ItemIDs) == 0 {
		v.Add("item_ids", "Välj minst en utrustning att lämna ut.", "Choose at least one item to issue.")
	}
	if len(r.ItemIDs) > 50 {
		v.Add("item_ids", "Högst 50 enheter i en utlämning.", "At most 50 items in one issue.")
	}
	v.MaxLen("note", r.Note, MaxEquipmentNote)
	return v.Err()
}

// EquipmentAcceptance is the person's signature of a handover: the terms
// version and the hash they were shown, and their password again. A
// handover whose terms have a newer version than the one shown, or whose
// hash differs, is refused with ECONFLICT: it must be read and signed
// again.
type EquipmentAcceptance struct {
	TermsVersion int    `json:"terms_version"`
	Hash         string `json:"hash"`
	Password     string `json:"password"`
}

// ItemCondition is the condition IT records on return.
type ItemCondition string

const (
	ConditionGood    ItemCondition = "good"
	ConditionWorn    ItemCondition = "worn"
	ConditionDamaged ItemCondition = "damaged"
	ConditionMissing ItemCondition = "missing_parts"
)

// ItemConditions lists the conditions in the order the form shows them.
var ItemConditions = []ItemCondition{ConditionGood, ConditionWorn, ConditionDamaged, ConditionMissing}

// Valid reports whether c is a known condition.
func (c ItemCondition) Valid() bool { return slices.Contains(ItemConditions, c) }

// EquipmentReturn is the return of one or several items a person held: IT
// records the condition of each, the person (or their manager) signs, and
// the return receipt PDF is made from it alone. The items are back in
// stock (or in repair) when IT records the return; the signature follows.
type EquipmentReturn struct {
	ID             string         `json:"id"`
	OrganisationID string         `json:"organisation_id"`
	PersonID       string         `json:"person_id"`
	PersonName     string         `json:"person_name,omitempty"`
	PersonUnitPath string         `json:"-"`
	Items          []ReturnedItem `json:"items"`
	RecordedByID   string         `json:"recorded_by_id"`
	RecordedByName string         `json:"recorded_by_name,omitempty"`
	RecordedAt     time.Time      `json:"recorded_at"`
	Signature      *Signature     `json:"signature,omitempty"` // the person's or their manager's (Role), Hash is ReceiptHash
	Version        int            `json:"version"`
}

// ReturnedItem is one item as returned.
type ReturnedItem struct {
	HandoverItem
	Condition ItemCondition `json:"condition"`
	Note      string        `json:"note,omitempty"`
}

// ReceiptHash is the SHA-256 of what the return's signature covers.
func (r *EquipmentReturn) ReceiptHash() string {
	type hashed struct {
		ID, Person string
		Items      []ReturnedItem
		Recorded   string
	}
	b, err := json.Marshal(hashed{ID: r.ID, Person: r.PersonID, Items: r.Items,
		Recorded: r.RecordedAt.UTC().Format(time.RFC3339Nano)})
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// EquipmentReturnRequest is IT's record of items handed back by a person.
type EquipmentReturnRequest struct {
	PersonID string          `json:"person_id"`
	Items    []ReturnedState `json:"items"`
}

// ReturnedState is one item's condition on return.
type ReturnedState struct {
	ItemID    string        `json:"item_id"`
	Condition ItemCondition `json:"condition"`
	Note      string        `json:"note,omitempty"`
}

// Validate checks the request's own fields.
func (r *EquipmentReturnRequest) Validate() error {
	var v Validation
	v.Required("person_id", r.PersonID)
	if len(r.Items) == 0 {
		v.Add("items", "Välj minst en utrustning som lämnas tillbaka.", "Choose at least one item handed back.")
	}
	for _, it := range r.Items {
		if !it.Condition.Valid() {
			v.Add("condition", "Ange skicket på varje utrustning.", "Give the condition of every item.")
			break
		}
	}
	return v.Err()
}

// LossKind is what happened to the equipment.
type LossKind string

const (
	LossLost    LossKind = "lost"
	LossStolen  LossKind = "stolen"
	LossDamaged LossKind = "damaged"
)

// LossKinds lists the kinds in the order the form shows them.
var LossKinds = []LossKind{LossLost, LossStolen, LossDamaged}

// Valid reports whether k is a known kind.
func (k LossKind) Valid() bool { return slices.Contains(LossKinds, k) }

// Loss procedure steps (Sorsele 004 §8.1, the four steps). The pack's loss
// rules say which steps a loss has, who does each (LossStep.Role) and by
// when, each citing its clause (PolicyDeadlineSpec.Duty names the step).
const (
	StepBlockSIM        = "block_sim"        // 1. IT blocks the SIM and orders a new one, at once
	StepPoliceReport    = "police_report"    // 2. a police report, its number and a copy; or why it may be skipped
	StepIncidentReport  = "incident_report"  // 3. an incident report with the police report's copy to the risk and security group
	StepManagerInformed = "manager_informed" // 4. the manager informed, who orders a replacement if needed
)

// LossSteps lists the steps in the procedure's order.
var LossSteps = []string{StepBlockSIM, StepPoliceReport, StepIncidentReport, StepManagerInformed}

// LossState is where a loss case stands.
type LossState string

const (
	LossOpen   LossState = "open"   // a step or the negligence assessment is outstanding
	LossClosed LossState = "closed" // every step done or skipped with reasons, and assessed
)

// EquipmentLoss is a written report of lost, stolen or damaged equipment
// and the procedure it starts: the steps with who, when and evidence, the
// incident it opened (linked both ways), and the manager's negligence
// assessment (Bjurholm 002 §6). Number is its registration number per
// organisation and year ("FÖR 2026/0003").
type EquipmentLoss struct {
	ID             string         `json:"id"`
	OrganisationID string         `json:"organisation_id"`
	Number         string         `json:"number"`
	Kind           LossKind       `json:"kind"`
	Items          []HandoverItem `json:"items"`
	// PersonID holds (held) the items; ReportedByID reported (the person
	// or their manager).
	PersonID        string                `json:"person_id"`
	PersonName      string                `json:"person_name,omitempty"`
	PersonUnitPath  string                `json:"-"`
	ReportedByID    string                `json:"reported_by_id"`
	OccurredAt      *time.Time            `json:"occurred_at,omitempty"`
	DiscoveredAt    time.Time             `json:"discovered_at"`
	Place           string                `json:"place"`
	OutsidePremises bool                  `json:"outside_premises"`
	Description     string                `json:"description"`
	IncidentID      string                `json:"incident_id,omitempty"`
	IncidentNumber  string                `json:"incident_number,omitempty"`
	Steps           []LossStep            `json:"steps"`
	Assessment      *NegligenceAssessment `json:"assessment,omitempty"`
	State           LossState             `json:"state"`
	PackVersion     int                   `json:"pack_version"`
	Version         int                   `json:"version"`
	CreatedAt       time.Time             `json:"created_at"`
	ClosedAt        *time.Time            `json:"closed_at,omitempty"`
}

// LossStep is one step of the procedure, from the pack: who does it, by
// when, and, once done, who did it, when and the evidence (a SIM block
// reference, the police report number and its copy, the incident's
// number, whom the manager was told by). A step may be skipped only where
// the pack allows it (Skippable; 004 §8.1: no police report when the risk
// that someone unauthorised has the equipment can be ruled out), with
// the reason recorded instead.
type LossStep struct {
	Step      string     `json:"step"`
	RuleID    string     `json:"rule_id"`
	Label     PolicyText `json:"label"`
	Citation  string     `json:"citation"`
	Role      Role       `json:"role"` // who does it: it, medarbetare (the person), chef
	DueAt     time.Time  `json:"due_at"`
	Skippable bool       `json:"skippable"`
	DoneAt    *time.Time `json:"done_at,omitempty"`
	DoneByID  string     `json:"done_by_id,omitempty"`
	Evidence  string     `json:"evidence,omitempty"`
	// AttachmentID is the evidence's file (the police report's copy).
	AttachmentID string `json:"attachment_id,omitempty"`
	// ReportedOn is the police report's date, which may not lie before
	// the loss.
	ReportedOn *time.Time `json:"reported_on,omitempty"`
	Skipped    bool       `json:"skipped,omitempty"`
	SkipReason string     `json:"skip_reason,omitempty"`
}

// Open reports whether the step still waits.
func (s *LossStep) Open() bool { return s.DoneAt == nil }

// LossReport is the written report that opens a loss case.
type LossReport struct {
	Kind            LossKind   `json:"kind"`
	ItemIDs         []string   `json:"item_ids"`
	PersonID        string     `json:"person_id,omitempty"` // a manager reporting for their person; empty: the actor
	OccurredAt      *time.Time `json:"occurred_at,omitempty"`
	DiscoveredAt    time.Time  `json:"discovered_at"`
	Place           string     `json:"place"`
	OutsidePremises bool       `json:"outside_premises"`
	Description     string     `json:"description"`
}

// Validate checks the report against now.
func (r *LossReport) Validate(now time.Time) error {
	var v Validation
	if !r.Kind.Valid() {
		v.Add("kind", "Välj om utrustningen har förlorats, stulits eller skadats.", "Choose whether the equipment was lost, stolen or damaged.")
	}
	if len(r.ItemIDs) == 0 {
		v.Add("item_ids", "Välj vilken utrustning det gäller.", "Choose the equipment concerned.")
	}
	v.Required("place", r.Place)
	v.MaxLen("place", r.Place, MaxEquipmentText)
	v.Required("description", r.Description)
	v.MaxLen("description", r.Description, MaxIncidentText)
	switch {
	case r.DiscoveredAt.IsZero():
		v.Add("discovered_at", "Ange när förlusten upptäcktes.", "Give the time the loss was discovered.")
	case r.DiscoveredAt.After(now):
		v.Add("discovered_at", "Tiden kan inte ligga i framtiden.", "The time cannot be in the future.")
	case r.OccurredAt != nil && r.DiscoveredAt.Before(*r.OccurredAt):
		v.Add("discovered_at", "Förlusten kan inte ha upptäckts innan den inträffade.", "The loss cannot have been discovered before it happened.")
	}
	if r.OccurredAt != nil && r.OccurredAt.After(now) {
		v.Add("occurred_at", "Tiden kan inte ligga i framtiden.", "The time cannot be in the future.")
	}
	return v.Err()
}

// LossStepRecord records one step done, or skipped with the reason. For
// the police report, Evidence is its number, ReportedOn its date (not
// before the loss) and Attachment its copy.
type LossStepRecord struct {
	Step       string      `json:"step"`
	Evidence   string      `json:"evidence,omitempty"`
	ReportedOn *time.Time  `json:"reported_on,omitempty"`
	Skipped    bool        `json:"skipped,omitempty"`
	SkipReason string      `json:"skip_reason,omitempty"`
	Attachment *Attachment `json:"-"`
}

// Attachment is a file kept as evidence (a police report's copy).
type Attachment struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"` // application/pdf, image/jpeg, image/png
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Content     []byte    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
}

// MaxAttachment is the largest evidence file, in bytes.
const MaxAttachment = 10 << 20

// AttachmentTypes are the files accepted as evidence.
var AttachmentTypes = []string{"application/pdf", "image/jpeg", "image/png"}

// NegligenceAssessment is the manager's assessment of whether the loss or
// damage was caused by gross negligence (Bjurholm 002 §6: the employee
// answers for loss or damage caused by gross negligence), with reasons.
type NegligenceAssessment struct {
	GrossNegligence bool      `json:"gross_negligence"`
	Reasons         string    `json:"reasons"`
	AssessedByID    string    `json:"assessed_by_id"`
	AssessedByName  string    `json:"assessed_by_name,omitempty"`
	AssessedAt      time.Time `json:"assessed_at"`
}

// Validate checks the assessment's own fields.
func (a *NegligenceAssessment) Validate() error {
	var v Validation
	v.Required("reasons", a.Reasons)
	v.MaxLen("reasons", a.Reasons, MaxIncidentText)
	return v.Err()
}

// TripState is where a trip with equipment stands.
type TripState string

const (
	TripRegistered TripState = "registered" // needs no approval under the pack: registered
	TripRequested  TripState = "requested"  // waits for the manager's approval
	TripApproved   TripState = "approved"
	TripDeclined   TripState = "declined"
)

// EquipmentTrip is a trip on which a person takes the employer's
// equipment. A private trip abroad with a computer needs the manager's
// approval with reasons (Sorsele 004 §8.5); a business trip abroad is
// registered without one where the pack says so. Findings are the pack's
// travel findings (the reminder that mobile data is off abroad), each
// citing its clause.
type EquipmentTrip struct {
	ID             string             `json:"id"`
	OrganisationID string             `json:"organisation_id"`
	PersonID       string             `json:"person_id"`
	PersonName     string             `json:"person_name,omitempty"`
	PersonUnitPath string             `json:"-"`
	Private        bool               `json:"private"`
	Abroad         bool               `json:"abroad"`
	Destination    string             `json:"destination"`
	StartsOn       time.Time          `json:"starts_on"`
	EndsOn         time.Time          `json:"ends_on"`
	Items          []HandoverItem     `json:"items"`
	Reasons        string             `json:"reasons,omitempty"` // why the equipment is needed (004 §8.5: a clear work reason)
	State          TripState          `json:"state"`
	Findings       []AgreementFinding `json:"findings"`
	DecidedByID    string             `json:"decided_by_id,omitempty"`
	DecidedAt      *time.Time         `json:"decided_at,omitempty"`
	DecisionNote   string             `json:"decision_note,omitempty"`
	Version        int                `json:"version"`
	CreatedAt      time.Time          `json:"created_at"`
}

// TripRequest is a person's registration of a trip with equipment.
type TripRequest struct {
	Private     bool      `json:"private"`
	Abroad      bool      `json:"abroad"`
	Destination string    `json:"destination"`
	StartsOn    time.Time `json:"starts_on"`
	EndsOn      time.Time `json:"ends_on"`
	ItemIDs     []string  `json:"item_ids"`
	Reasons     string    `json:"reasons,omitempty"`
}

// Validate checks the request against today.
func (r *TripRequest) Validate(today time.Time) error {
	var v Validation
	v.Required("destination", r.Destination)
	v.MaxLen("destination", r.Destination, MaxEquipmentText)
	v.MaxLen("reasons", r.Reasons, MaxEquipmentNote)
	if len(r.ItemIDs) == 0 {
		v.Add("item_ids", "Välj vilken utrustning du tar med.", "Choose the equipment you take along.")
	}
	switch {
	case r.StartsOn.IsZero() || r.EndsOn.IsZero():
		v.Add("starts_on", "Ange resans första och sista dag.", "Give the trip's first and last day.")
	case r.EndsOn.Before(r.StartsOn):
		v.Add("ends_on", "Resan kan inte sluta innan den börjar.", "The trip cannot end before it starts.")
	case r.EndsOn.Before(today):
		v.Add("ends_on", "Resan har redan ägt rum.", "The trip is already over.")
	}
	return v.Err()
}

// TripDecision is the manager's decision on a requested trip; Note is
// the reasons, required for both.
type TripDecision struct {
	Version  int    `json:"version"`
	Approved bool   `json:"approved"`
	Note     string `json:"note"`
}

// ReturnTaskKind is what a return task asks for.
type ReturnTaskKind string

const (
	TaskReturnItem      ReturnTaskKind = "return_item"      // hand back one item
	TaskEndSubscription ReturnTaskKind = "end_subscription" // end the phone subscription (Sorsele 004 §8.6)
)

// ReturnReason is why equipment must come back.
type ReturnReason string

const (
	ReturnLongLeave     ReturnReason = "leave"          // a leave longer than the pack's limit (Sorsele 004 §8.6: a year)
	ReturnEmploymentEnd ReturnReason = "employment_end" // the employment ends (Kristianstad 003, När anställningen upphör)
)

// ReturnTaskState is where a return task stands.
type ReturnTaskState string

const (
	TaskOpen      ReturnTaskState = "open"
	TaskDone      ReturnTaskState = "done"      // returned (EquipmentReturn) or the subscription ended
	TaskExcepted  ReturnTaskState = "excepted"  // the manager decided on an exception, with reasons (004 §8.6)
	TaskCancelled ReturnTaskState = "cancelled" // the leave or the end date was withdrawn, or the leave shortened below the pack's limit
)

// ReturnTask is one thing to get back when a long leave begins or an
// employment ends, for the manager who granted the leave (or the person's
// manager), due on the leave's first day or the employment's last, with
// one reminder before and one escalation after. The deadline job creates
// them, exactly once per person, item and reason (a unique key).
type ReturnTask struct {
	ID             string         `json:"id"`
	OrganisationID string         `json:"organisation_id"`
	Kind           ReturnTaskKind `json:"kind"`
	Reason         ReturnReason   `json:"reason"`
	PersonID       string         `json:"person_id"`
	PersonName     string         `json:"person_name,omitempty"`
	PersonUnitPath string         `json:"-"`
	ItemID         string         `json:"item_id,omitempty"` // the item, or for a subscription the SIM card
	ItemLabel      string         `json:"item_label,omitempty"`
	// SourceID is the leave's or the employment's ID.
	SourceID    string          `json:"source_id"`
	DueOn       time.Time       `json:"due_on"` // a date, midnight UTC
	ManagerID   string          `json:"manager_id,omitempty"`
	RuleID      string          `json:"rule_id"`
	Citation    string          `json:"citation"`
	State       ReturnTaskState `json:"state"`
	Note        string          `json:"note,omitempty"` // the exception's reasons
	DoneAt      *time.Time      `json:"done_at,omitempty"`
	DoneByID    string          `json:"done_by_id,omitempty"`
	RemindedAt  *time.Time      `json:"reminded_at,omitempty"`
	EscalatedAt *time.Time      `json:"escalated_at,omitempty"`
	Version     int             `json:"version"`
}

// ReturnTaskFilter narrows ListReturnTasks, in the actor's scope, due
// first.
type ReturnTaskFilter struct {
	PersonID string
	Open     bool
	Limit    int
	After    string // keyset cursor: due date and ID
}

// ItemEventKind is what happened to an item.
type ItemEventKind string

const (
	ItemRegistered        ItemEventKind = "registered"
	ItemIssued            ItemEventKind = "issued"             // to PersonName, by ByName
	ItemAccepted          ItemEventKind = "accepted"           // the person signed the handover
	ItemHandoverCancelled ItemEventKind = "handover_cancelled" // IT withdrew the handover before it was signed
	ItemReturned          ItemEventKind = "returned"           // Detail is the condition (ItemCondition)
	ItemReturnSigned      ItemEventKind = "return_signed"
	ItemLossReported      ItemEventKind = "loss_reported" // Detail is the loss's number; LossKind its kind
)

// ItemEvent is one event in an item's history: who held it, from when to
// when, in what condition it came back, and what was reported lost.
// RecordID is the handover's, return's or loss's ID.
type ItemEvent struct {
	At         time.Time     `json:"at"`
	Kind       ItemEventKind `json:"kind"`
	PersonID   string        `json:"person_id,omitempty"`
	PersonName string        `json:"person_name,omitempty"`
	ByName     string        `json:"by_name,omitempty"`
	Detail     string        `json:"detail,omitempty"`
	LossKind   LossKind      `json:"loss_kind,omitempty"`
	RecordID   string        `json:"record_id,omitempty"`
}

// EquipmentOverview is IT's overview of the organisation.
type EquipmentOverview struct {
	OutstandingReturns int             `json:"outstanding_returns"` // open return tasks
	OverdueReturns     int             `json:"overdue_returns"`
	LostThisYear       int             `json:"lost_this_year"` // lost or stolen items reported this calendar year
	Unaccepted         int             `json:"unaccepted"`     // pending handovers
	OpenLosses         int             `json:"open_losses"`
	PerUnit            []UnitEquipment `json:"per_unit"`
}

// UnitEquipment is the items a unit owns, by status.
type UnitEquipment struct {
	UnitID   string                  `json:"unit_id"`
	UnitName string                  `json:"unit_name"`
	Counts   map[EquipmentStatus]int `json:"counts"`
}

// EquipmentImport is the result of a CSV import of items: the rows it
// would create (DryRun) or created, and the row errors in Swedish and
// English, naming file, line and column. Nothing is saved unless every row is
// valid.
type EquipmentImport struct {
	DryRun  bool             `json:"dry_run"`
	Rows    int              `json:"rows"`
	Created int              `json:"created"`
	Errors  []ImportRowError `json:"errors"`
}

// EquipmentService is the equipment of the actor's organisation. Every
// method refuses with ENOTFOUND what the actor may not see, with
// EFORBIDDEN a change the actor may not make, with ECONFLICT a stale
// version (or terms changed since they were shown), and with EINVALID bad
// input, saving nothing. Every change is audited.
type EquipmentService interface {
	// Models and the registry (IT).
	ListModels(ctx context.Context) ([]*EquipmentModel, error)
	SaveModel(ctx context.Context, m *EquipmentModel) error
	RegisterItem(ctx context.Context, it *EquipmentItem) error
	UpdateItem(ctx context.Context, id string, upd EquipmentItemUpdate) (*EquipmentItem, error)
	Item(ctx context.Context, id string) (*EquipmentItem, error)
	ListItems(ctx context.Context, f EquipmentFilter) ([]*EquipmentItem, error)
	// ItemHistory is the item's history, oldest first: every handover,
	// acceptance, return and loss report about it for IT (EquipmentScope
	// over its unit); for whoever else sees the item, only those about
	// its current holder.
	ItemHistory(ctx context.Context, id string) ([]ItemEvent, error)
	// ImportItems reads a CSV of items (the importer's conventions:
	// UTF-8 with or without BOM or Windows-1252, ; , or tab, Swedish or
	// English headers) and creates them all in one transaction unless
	// dryRun or a row is bad.
	ImportItems(ctx context.Context, r io.Reader, dryRun bool) (*EquipmentImport, error)
	Overview(ctx context.Context) (*EquipmentOverview, error)

	// The terms: the organisation's equipment terms document (a policy
	// document), which every acceptance signs.
	Terms(ctx context.Context) (*PolicyDocument, error)
	SetTermsDocument(ctx context.Context, documentID string) error

	// Issue and acceptance.
	Issue(ctx context.Context, r *EquipmentIssueRequest) (*EquipmentHandover, error)
	Handover(ctx context.Context, id string) (*EquipmentHandover, error)
	// ListHandovers lists a person's handovers (personID set) or, with
	// pending, those awaiting acceptance in the actor's scope.
	ListHandovers(ctx context.Context, personID string, pending bool) ([]*EquipmentHandover, error)
	Accept(ctx context.Context, id string, a EquipmentAcceptance) (*EquipmentHandover, error)
	CancelHandover(ctx context.Context, id string, version int) (*EquipmentHandover, error)
	WriteAcceptancePDF(ctx context.Context, id string, w io.Writer) error

	// Return.
	RecordReturn(ctx context.Context, r *EquipmentReturnRequest) (*EquipmentReturn, error)
	Return(ctx context.Context, id string) (*EquipmentReturn, error)
	ListReturns(ctx context.Context, personID string) ([]*EquipmentReturn, error)
	SignReturn(ctx context.Context, id string, password string) (*EquipmentReturn, error)
	WriteReturnPDF(ctx context.Context, id string, w io.Writer) error

	// Loss or damage.
	ReportLoss(ctx context.Context, r *LossReport) (*EquipmentLoss, error)
	Loss(ctx context.Context, id string) (*EquipmentLoss, error)
	ListLosses(ctx context.Context, open bool) ([]*EquipmentLoss, error)
	RecordLossStep(ctx context.Context, id string, rec LossStepRecord) (*EquipmentLoss, error)
	AssessNegligence(ctx context.Context, id string, a NegligenceAssessment) (*EquipmentLoss, error)
	LossAttachment(ctx context.Context, lossID, attachmentID string) (*Attachment, error)

	// Travel.
	RegisterTrip(ctx context.Context, r *TripRequest) (*EquipmentTrip, error)
	Trip(ctx context.Context, id string) (*EquipmentTrip, error)
	ListTrips(ctx context.Context, personID string, requested bool) ([]*EquipmentTrip, error)
	DecideTrip(ctx context.Context, id string, d TripDecision) (*EquipmentTrip, error)

	// Return tasks.
	ListReturnTasks(ctx context.Context, f ReturnTaskFilter) ([]*ReturnTask, error)
	CompleteReturnTask(ctx context.Context, id string, version int) (*ReturnTask, error)
	GrantReturnException(ctx context.Context, id string, version int, reasons string) (*ReturnTask, error)

	// HeldCategories is the agreement's arbetsutrustning values of what
	// the person holds now (AgreementEquipmentKind), for filling in an
	// agreement's equipment part.
	HeldCategories(ctx context.Context, personID string) ([]string, error)
}

// The pack's say in the store's transactions. The equipment service reads
// the organisation's active pack once, before the store's transaction,
// and hands the store these; the store calls them on the record it is
// writing, so that what the pack decides and what is saved are one.

// LossPlan gives a loss report its steps from the pack's loss rules: which
// steps, who does each (LossStep.Role), by when and citing which clause.
type LossPlan = func(l *EquipmentLoss) ([]LossStep, error)

// TripPlan gives a trip its state (registered, or requested when the pack
// blocks it without the manager's approval) and the pack's findings.
type TripPlan = func(t *EquipmentTrip) (TripState, []AgreementFinding, error)

// ReturnPlan says what the pack asks back when a person with the held
// categories begins a leave of leaveDays (reason ReturnLongLeave) or ends
// their employment (ReturnEmploymentEnd): nil when nothing.
type ReturnPlan = func(reason ReturnReason, leaveDays int, held []EquipmentCategory) (*ReturnDemand, error)

// ReturnDemand is what a pack's return rule asks: the items back (every
// item, or with Categories only the items of those categories: Sorsele 004
// §8.6 asks the phone and the computer back on a long leave), and the
// phone subscription ended when the person holds a SIM; RuleID and
// Citation are the rule's, kept on every task it makes.
type ReturnDemand struct {
	Items        bool
	Categories   []EquipmentCategory // nil: every item the person holds
	Subscription bool
	RuleID       string
	Citation     string
}

// Asks reports whether the demand asks an item of category c back.
func (d *ReturnDemand) Asks(c EquipmentCategory) bool {
	return d != nil && d.Items && (d.Categories == nil || slices.Contains(d.Categories, c))
}
