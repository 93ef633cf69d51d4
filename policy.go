package distans

import (
	"context"
	"encoding/json"
	"io"
	"slices"
	"time"
)

// PolicyVersion is one saved version of an organisation's policy pack: the
// YAML text an HR officer edits (internal/policy parses it), numbered from 1
// per organisation. The newest version is the active one. Versions are never
// changed or removed, so that anything checked can name the version it was
// checked against.
type PolicyVersion struct {
	OrganisationID string    `json:"organisation_id"`
	Version        int       `json:"version"`
	Source         string    `json:"source"` // the pack's YAML text
	Reason         string    `json:"reason"` // why it was changed, required from version 2
	CreatedBy      string    `json:"created_by,omitempty"`
	CreatedByName  string    `json:"created_by_name"`
	CreatedAt      time.Time `json:"created_at"`
}

// PolicyStore keeps pack versions. Everyone signed in may read the active
// pack and the history of their own organisation; saving needs
// PermManagePolicy. SavePolicyVersion assigns the next number and refuses
// with ECONFLICT when base is not the newest version, so that two HR
// officers editing at once never overwrite each other silently; base 0
// means "the first version". It writes an audit event in the same
// transaction. The caller has already parsed and validated the text.
type PolicyStore interface {
	ActivePolicyVersion(ctx context.Context) (*PolicyVersion, error)
	// ActivePolicyVersionNumber is the active version's number alone,
	// without its source: what every page asks, before the compiled pack
	// in memory answers.
	ActivePolicyVersionNumber(ctx context.Context) (int, error)
	FindPolicyVersion(ctx context.Context, version int) (*PolicyVersion, error)
	ListPolicyVersions(ctx context.Context) ([]*PolicyVersion, error) // newest first, Source left empty
	SavePolicyVersion(ctx context.Context, base int, v *PolicyVersion) error
}

// PolicyDocument is a document an organisation publishes in Distans, such
// as its guidelines for remote work or its information-security
// instruction, in numbered versions. A required document must be
// acknowledged (ansvarsförbindelse) by every person in UnitID's subtree, or
// everyone when UnitID is empty; a new version asks everyone again.
type PolicyDocument struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisation_id"`
	Title          string    `json:"title"`
	Version        int       `json:"version"`
	Body           string    `json:"body"`
	Required       bool      `json:"required"`
	UnitID         string    `json:"unit_id,omitempty"`
	PublishedBy    string    `json:"published_by,omitempty"`
	PublishedAt    time.Time `json:"published_at"`
}

// Validate checks the document's fields.
func (d *PolicyDocument) Validate() error {
	var v Validation
	v.Required("title", d.Title)
	v.MaxLen("title", d.Title, 200)
	v.Required("body", d.Body)
	v.MaxLen("body", d.Body, 200_000)
	return v.Err()
}

// Acknowledgement records that a person has read and accepted a version of
// a document.
type Acknowledgement struct {
	OrganisationID string    `json:"organisation_id"`
	DocumentID     string    `json:"document_id"`
	Version        int       `json:"version"`
	DocumentTitle  string    `json:"document_title"`
	PersonID       string    `json:"person_id"`
	At             time.Time `json:"at"`
}

// Outstanding is a person who has not acknowledged the current version of
// a required document that applies to them.
type Outstanding struct {
	PersonID      string `json:"person_id"`
	PersonName    string `json:"person_name"`
	UnitID        string `json:"unit_id"`
	DocumentID    string `json:"document_id"`
	DocumentTitle string `json:"document_title"`
	Version       int    `json:"version"`
}

// The generic pack's parameters for acknowledging a new version of a
// required document: the days it may take (the deadline) and how many
// days before the deadline the one reminder goes out.
const (
	AcknowledgementDaysParam     = "acknowledgement_days"
	AcknowledgementReminderParam = "acknowledgement_reminder_days"
)

// AcknowledgeBy is the day by which the version of a required document
// published at publishedAt is to be acknowledged: the day it was
// published, in the organisation's time zone loc, and days more.
func AcknowledgeBy(publishedAt time.Time, loc *time.Location, days int) time.Time {
	return Today(publishedAt, loc).AddDate(0, 0, days)
}

// DocumentUpdate is the next version of a document: Body is its text,
// and Title, Required and UnitID, when not nil, replace the current
// version's. Version, when not 0, is the current version as the caller
// read it; publishing is then refused if another version has been
// published since.
type DocumentUpdate struct {
	Title    *string
	Body     string
	Required *bool
	UnitID   *string
	Version  int
}

// Apply makes the change on d.
func (upd *DocumentUpdate) Apply(d *PolicyDocument) {
	set(&d.Title, upd.Title)
	d.Body = upd.Body
	set(&d.Required, upd.Required)
	set(&d.UnitID, upd.UnitID)
}

// DocumentService publishes documents and records acknowledgements.
// Everyone reads the documents of their organisation; publishing needs
// PermManagePolicy. A person acknowledges only for themselves, and only the
// current version (ECONFLICT for an older one). Outstanding lists, for a
// manager or HR, the people in their PermViewPeople scope (optionally one
// unit's subtree) who have not acknowledged a required document.
type DocumentService interface {
	ListDocuments(ctx context.Context) ([]*PolicyDocument, error)                      // current versions
	FindDocument(ctx context.Context, id string, version int) (*PolicyDocument, error) // version 0: current
	ListDocumentVersions(ctx context.Context, id string) ([]*PolicyDocument, error)
	// PublishDocument creates a document (empty ID) or a new version of one.
	PublishDocument(ctx context.Context, d *PolicyDocument) error
	// PublishDocumentVersion reads the current version, applies upd and
	// publishes the result as the next version in one transaction, so
	// that concurrent changes of different fields all stand. It returns the
	// new version; ENOTFOUND outside the organisation, EFORBIDDEN without
	// PermManagePolicy, EINVALID when the result is not valid, and ECONFLICT
	// when upd.Version is set and is no longer the current version.
	PublishDocumentVersion(ctx context.Context, id string, upd DocumentUpdate) (*PolicyDocument, error)
	Acknowledge(ctx context.Context, documentID string, version int) (*Acknowledgement, error)
	// ListAcknowledgements returns a person's acknowledgements (their own,
	// or anyone's in the caller's Actor.OutstandingScope), newest first.
	ListAcknowledgements(ctx context.Context, personID string) ([]*Acknowledgement, error)
	// Pending returns the required documents the actor has yet to acknowledge.
	Pending(ctx context.Context) ([]*PolicyDocument, error)
	// Outstanding lists who in the caller's Actor.OutstandingScope has not
	// acknowledged a required document; EFORBIDDEN for anyone without one.
	Outstanding(ctx context.Context, unitID string) ([]*Outstanding, error)
}

// PolicyService is an organisation's policy pack as the pages and the API
// use it: the active pack and its saved versions, changes to it, and checks
// against it. It is the policy's rules over a PolicyStore; every method acts
// for the organisation of ctx's actor.
//
// Errors: without an actor, EUNAUTHORIZED. Reading is open to everyone
// signed in; changing needs PermManagePolicy for the whole organisation
// (EFORBIDDEN). A version that does not exist is ENOTFOUND. A change from a
// base that is no longer the newest version is ECONFLICT. Text that does not
// parse as a pack, or a parameter value of the wrong type or out of bounds,
// is EINVALID with one field per problem ("rules[ID].condition",
// "parameters[NAME].value", "reason", …) and a message in Swedish and
// English for people; nothing is then saved. Check input that does not fit
// the kind is EINVALID naming the input's field. Anything else is an
// internal error.
type PolicyService interface {
	// ActivePolicy returns the pack in force and its version; with no
	// saved version, the rules of law alone as version 0.
	ActivePolicy(ctx context.Context) (*Policy, *PolicyVersion, error)
	// FindPolicy returns a saved version and its pack; version 0 is the
	// rules of law alone.
	FindPolicy(ctx context.Context, version int) (*Policy, *PolicyVersion, error)
	// PolicyVersions lists the saved versions, newest first, without text.
	PolicyVersions(ctx context.Context) ([]*PolicyVersion, error)
	// SavePolicy saves a whole pack text as the version after base.
	SavePolicy(ctx context.Context, base int, source []byte, reason string) (*PolicyVersion, error)
	// SetPolicyParameters sets parameter values, given as people type them
	// (a decimal comma, ja/nej), and saves the result as the version after
	// base. It is the one validator of parameter values: values equal to
	// those in force are left out, and no change at all is EINVALID.
	SetPolicyParameters(ctx context.Context, base int, values map[string]string, reason string) (*PolicyVersion, error)
	// CheckPolicy checks a JSON input of a kind against the pack in force
	// at now and reports what it finds.
	CheckPolicy(ctx context.Context, kind string, input io.Reader, now time.Time) (*PolicyReport, error)
}

// Policy is a compiled policy pack as people read it: its document, its
// parameters and its rules, each citing its clause.
type Policy struct {
	Slug           string            `json:"slug"`
	Organisation   string            `json:"organisation"`
	Title          string            `json:"title"`
	Document       string            `json:"document"`
	DecidedBy      string            `json:"decided_by"`
	ValidFrom      string            `json:"valid_from,omitempty"` // YYYY-MM-DD; empty when the document does not say
	Version        int               `json:"version"`
	TimeZone       string            `json:"time_zone"`
	GenericVersion int               `json:"generic_version"` // the version of the rules of law merged in
	Parameters     []PolicyParameter `json:"parameters"`
	Rules          []*PolicyRule     `json:"rules"`
	Notes          []PolicyNote      `json:"notes,omitempty"`
}

// PolicyNote is a text that a form shows from the organisation's own
// document (Bjurholm 002 §3 on the request form), with its clause.
type PolicyNote struct {
	ID       string       `json:"id"`
	Form     string       `json:"form"`
	Heading  PolicyText   `json:"heading"`
	Text     PolicyText   `json:"text"`
	Source   PolicySource `json:"source"`
	Citation string       `json:"-"` // the clause as people know it; pages show it
}

// NotesFor returns the notes the pack has for a form, in the pack's order.
func (p *Policy) NotesFor(form string) []PolicyNote {
	var out []PolicyNote
	for _, n := range p.Notes {
		if n.Form == form {
			out = append(out, n)
		}
	}
	return out
}

// IntParam returns the effective value of an int parameter, and false
// when the pack has none of that name and type.
func (p *Policy) IntParam(name string) (int, bool) {
	x, ok := p.Param(name)
	if !ok {
		return 0, false
	}
	v, ok := x.Effective().(int64)
	return int(v), ok
}

// Param returns the named parameter.
func (p *Policy) Param(name string) (PolicyParameter, bool) {
	i := slices.IndexFunc(p.Parameters, func(x PolicyParameter) bool { return x.Name == name })
	if i < 0 {
		return PolicyParameter{}, false
	}
	return p.Parameters[i], true
}

// Location returns the pack's time zone, Europe/Stockholm when it names
// none that exists.
func (p *Policy) Location() *time.Location {
	return (&Organisation{TimeZone: p.TimeZone}).Location()
}

// PolicyText is a text in Swedish and English.
type PolicyText struct {
	Sv string `json:"sv"`
	En string `json:"en"`
}

// PolicySource is the clause a rule or parameter rests on.
type PolicySource struct {
	Document string `json:"document"`
	Section  string `json:"section"`
	Quote    string `json:"quote"`
}

// PolicyParameter is a value the rules use, with the document's default
// and, when the organisation has set one, its own value. Values are int64,
// float64, bool or string, as Type says.
type PolicyParameter struct {
	Name    string        `json:"name"`
	Type    string        `json:"type"` // int, number, bool, string
	Unit    string        `json:"unit,omitempty"`
	Default any           `json:"default"`
	Value   any           `json:"value,omitempty"`
	Min     *float64      `json:"min,omitempty"`
	Max     *float64      `json:"max,omitempty"`
	Label   PolicyText    `json:"label"`
	Note    *PolicyText   `json:"note,omitempty"`
	Source  *PolicySource `json:"source,omitempty"`
	Generic bool          `json:"generic,omitempty"` // a parameter of the rules of law
}

// Effective returns Value when set, else Default.
func (p PolicyParameter) Effective() any {
	if p.Value != nil {
		return p.Value
	}
	return p.Default
}

// PolicyDeadlineSpec is a deadline that follows when a rule trips, counted
// from the input's timestamp From: Hours (the name of an hours parameter)
// of real elapsed time, or Days (the name of a days parameter) as calendar
// days in the pack's time zone (a month's final report, IMY's four weeks),
// or, with SameDay, the end of From's day in the pack's time zone (the
// same day, AML 3:3 a). Exactly one of the three is given. Duty names what
// the deadline is for: an incident duty (Duty*, a record's clock), a loss
// step (Step*) or a return task (ReturnTaskKind). By is the role that does
// a loss step or return task (it, medarbetare, chef); Skippable marks a
// loss step that may be skipped with a reason (Sorsele 004 §8.1: the
// police report); Equipment limits a return_item task to those kinds
// (empty: everything the person holds).
type PolicyDeadlineSpec struct {
	From      string     `json:"from"`
	Hours     string     `json:"hours,omitempty"`
	Days      string     `json:"days,omitempty"`
	SameDay   bool       `json:"same_day,omitempty"`
	Duty      string     `json:"duty,omitempty"`
	By        string     `json:"by,omitempty"`
	Skippable bool       `json:"skippable,omitempty"`
	Equipment []string   `json:"equipment,omitempty"`
	Label     PolicyText `json:"label"`
}

// PolicyExamples are inputs that pass and trip a rule, checked at Now.
type PolicyExamples struct {
	Now  time.Time       `json:"now"`
	Pass json.RawMessage `json:"pass"`
	Trip json.RawMessage `json:"trip"`
}

// PolicyRule is one checkable clause. Its message is given as written, with
// {placeholders}, and filled in (TextSv, TextEn) with the parameters.
type PolicyRule struct {
	ID        string               `json:"id"`
	Kind      string               `json:"kind"`
	Condition string               `json:"condition"`
	Severity  string               `json:"severity"` // block, warn or info
	Message   PolicyText           `json:"message"`
	Source    PolicySource         `json:"source"`
	Deadlines []PolicyDeadlineSpec `json:"deadlines,omitempty"`
	Examples  *PolicyExamples      `json:"examples,omitempty"`
	Generic   bool                 `json:"generic,omitempty"` // a rule of law, in every organisation's pack
	TextSv    string               `json:"-"`
	TextEn    string               `json:"-"`
}

// Text returns the rule's message in lang ("en", else Swedish) with the
// parameters filled in; {deadline}, which only a check knows, stays.
func (r *PolicyRule) Text(lang string) string {
	if lang == "en" {
		return r.TextEn
	}
	return r.TextSv
}

// PolicyReport is the result of a check: what tripped, against which
// version of whose pack, at what time.
type PolicyReport struct {
	Organisation string          `json:"organisation"` // the pack's slug
	PackVersion  int             `json:"pack_version"`
	Kind         string          `json:"kind"`
	CheckedAt    time.Time       `json:"checked_at"`
	Blocking     bool            `json:"blocking"`
	Findings     []PolicyFinding `json:"findings"` // never null, so clients can iterate
}

// PolicyFinding is a tripped rule: what it says, how serious it is and the
// clause it comes from.
type PolicyFinding struct {
	RuleID      string           `json:"rule_id"`
	Kind        string           `json:"kind"`
	Severity    string           `json:"severity"`
	MessageSv   string           `json:"message_sv"`
	MessageEn   string           `json:"message_en"`
	Source      PolicySource     `json:"source"`
	Citation    string           `json:"citation"` // the clause as people know it, never a file name
	PackVersion int              `json:"pack_version"`
	Generic     bool             `json:"generic,omitempty"`
	Deadlines   []PolicyDeadline `json:"deadlines,omitempty"`
}

// PolicyDeadline is a time by which something must be done because a rule
// tripped; AtLocal is At in the pack's time zone. Exactly one of Hours
// (real elapsed hours), Days (calendar days at the same local clock time)
// and SameDay (23:59:59 local time on From's day) says how At was counted;
// Hours is 0 for the other two. Duty is the incident duty it is the
// deadline of (an incident's clock), when the rule names one.
type PolicyDeadline struct {
	Duty      string     `json:"duty,omitempty"`
	By        string     `json:"by,omitempty"`
	Skippable bool       `json:"skippable,omitempty"`
	Equipment []string   `json:"equipment,omitempty"`
	Label     PolicyText `json:"label"`
	From      string     `json:"from"`
	Hours     int        `json:"hours"`
	Days      int        `json:"days,omitempty"`
	SameDay   bool       `json:"same_day,omitempty"`
	At        time.Time  `json:"at"`
	AtLocal   string     `json:"at_local"`
	Passed    bool       `json:"passed"`
}
