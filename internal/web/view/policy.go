package view

import (
	"strings"
	"time"

	"github.com/distans/distans"
)

// PolicyPage is /policy, the active policy pack ("Regelverk"), and
// /policy/versions/{n}, one saved version of it with its YAML text.
type PolicyPage struct {
	Layout
	Meta      PolicyMeta
	Params    []ParamRow
	Groups    []RuleGroup
	RuleCount int
	Source    string // the pack's YAML, shown on a version page
	IsVersion bool   // a version page rather than the active pack
	CanManage bool   // may change parameters and rules
}

// Template implements Page.
func (*PolicyPage) Template() string { return "policy" }

// PolicyMeta is what a pack says about itself and who saved the version.
type PolicyMeta struct {
	Title          string
	Organisation   string
	Document       string
	DecidedBy      string
	ValidFrom      string
	Version        int
	GenericVersion int
	CreatedBy      string
	CreatedAt      time.Time
	Reason         string
	Active         int // the active version, for a link back from an older one
}

// ParamRow is one parameter of a pack as the Regelverk page shows it.
type ParamRow struct {
	Name    string
	Label   string
	Value   string // the effective value with its unit
	Default string // the document's value with its unit
	Changed bool   // the organisation has chosen its own value
	Note    string
	Source  *SourceRef
	Generic bool
}

// SourceRef is the clause a rule or parameter comes from.
type SourceRef struct {
	Document string // the document's name as people know it
	Section  string
	Quote    string
}

// RuleGroup is the rules of one source document.
type RuleGroup struct {
	Document string
	Generic  bool
	Sections []RuleSection
}

// RuleSection is the rules of one section of a document.
type RuleSection struct {
	Section string
	Rules   []RuleRow
}

// RuleRow is one rule: what it says with the parameters filled in, how
// serious it is, the condition for the curious, and the clause quoted.
type RuleRow struct {
	ID            string
	KindLabel     string
	Severity      string // block, warn, info
	SeverityLabel string
	Message       string
	Condition     string
	Source        SourceRef
	Deadlines     []string // labels of the deadlines that follow
}

// PolicyVersionsPage is the history of the pack.
type PolicyVersionsPage struct {
	Layout
	Versions []*distans.PolicyVersion
	Active   int
}

// Template implements Page.
func (*PolicyVersionsPage) Template() string { return "policy_versions" }

// PolicyCheckPage is "Pröva en kontroll": a kind, a JSON input, and the
// findings once submitted. Nothing is saved.
type PolicyCheckPage struct {
	Layout
	Kinds     []Option
	KindForm  *Form // the GET form that chooses the kind
	Form      *Form // kind (hidden) and input
	KindLabel string
	Variables []VariableRow
	Result    *CheckResult
}

// Template implements Page.
func (*PolicyCheckPage) Template() string { return "policy_check" }

// VariableRow documents one input field of a kind.
type VariableRow struct {
	Name   string
	Type   string
	Label  string
	Values string // the allowed values of an enumeration, comma separated
}

// CheckResult is the outcome of a check.
type CheckResult struct {
	Version   int
	CheckedAt time.Time
	Blocking  bool
	Findings  []FindingRow
}

// FindingRow is one tripped rule.
type FindingRow struct {
	RuleID        string
	Severity      string
	SeverityLabel string
	Message       string
	Source        SourceRef
	Deadlines     []DeadlineRow
}

// DeadlineRow is a deadline that follows from a finding.
type DeadlineRow struct {
	Label  string
	Hours  int
	At     time.Time
	Passed bool
}

// PolicyParamsPage is HR's form for the pack's parameters.
type PolicyParamsPage struct {
	Layout
	Form     *Form
	Base     int
	Fields   []Field
	Generic  []ParamRow // parameters of the law, which an organisation cannot change
	Conflict bool
}

// Template implements Page.
func (*PolicyParamsPage) Template() string { return "policy_params" }

// PolicyEditPage is HR's editor for the pack's YAML text.
type PolicyEditPage struct {
	Layout
	Form     *Form
	Base     int
	Problems []FieldMessage // each problem Parse found, naming the rule
	Conflict bool
}

// Template implements Page.
func (*PolicyEditPage) Template() string { return "policy_edit" }

// DocumentsPage lists the organisation's policy documents, with the
// person's own documents to acknowledge first.
type DocumentsPage struct {
	Layout
	Pending        []PendingDocument
	Documents      []DocumentRow
	CanPublish     bool
	CanOutstanding bool
}

// Template implements Page.
func (*DocumentsPage) Template() string { return "documents" }

// PendingDocument is a required document the person has yet to
// acknowledge and the day by which they are asked to (By; zero when the
// pack sets no deadline).
type PendingDocument struct {
	*distans.PolicyDocument
	By time.Time
}

// DocumentRow is a document in the list.
type DocumentRow struct {
	*distans.PolicyDocument
	UnitName string
	Pending  bool
}

// DocumentPage is one version of a document.
type DocumentPage struct {
	Layout
	Doc            *distans.PolicyDocument
	UnitName       string
	Current        int // the current version number
	Versions       []*distans.PolicyDocument
	CanAcknowledge bool
	Acknowledged   *distans.Acknowledgement // this version, when the person has acknowledged it
	Earlier        *distans.Acknowledgement // the person's latest acknowledgement of an older version
	CanPublish     bool
}

// Template implements Page.
func (*DocumentPage) Template() string { return "document" }

// DocumentFormPage publishes a new document or a new version of one.
type DocumentFormPage struct {
	Layout
	Form   *Form
	Action string
	Doc    *distans.PolicyDocument // nil for a new document
	Units  []Option
}

// Template implements Page.
func (*DocumentFormPage) Template() string { return "document_form" }

// OutstandingPage lists who has not acknowledged a required document.
type OutstandingPage struct {
	Layout
	Units  []Option
	UnitID string
	Rows   []OutstandingRow
}

// Template implements Page.
func (*OutstandingPage) Template() string { return "documents_outstanding" }

// OutstandingRow is one person and one document they have yet to
// acknowledge.
type OutstandingRow struct {
	*distans.Outstanding
	UnitName string
}

// Paragraphs splits a plain text into paragraphs at blank lines, for a
// document body that the template shows as text (escaped, with its line
// breaks kept by the style sheet), never as HTML.
func Paragraphs(s string) []string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		cur = append(cur, strings.TrimRight(line, " \t"))
	}
	flush()
	return out
}
