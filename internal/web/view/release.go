package view

// ReleaseField is one field of a case on the masking form: its value, and
// whether it is masked and under which provision (the form's values
// "mask.KEY" and "provision.KEY").
type ReleaseField struct {
	Key, Label, Value string
	Suggested         bool // the rule preselects it
}

// ReleaseFormPage is the secrecy review of a case: who asked and when,
// each field with its masking, or a refusal in whole, and the decision.
type ReleaseFormPage struct {
	Layout
	Form       *Form
	Kind       string
	RecordID   string
	Number     string
	Subject    string
	Fields     []ReleaseField
	Provisions []Option
	Earlier    []ReleaseRow // earlier decisions on the case
}

// Template implements Page.
func (*ReleaseFormPage) Template() string { return "release_form" }

// ReleaseRow is one decision in a list.
type ReleaseRow struct {
	Href, Number, Decided, Requester, Outcome string
}

// ReleasesPage lists the registrator's latest decisions.
type ReleasesPage struct {
	Layout
	Rows []ReleaseRow
}

// Template implements Page.
func (*ReleasesPage) Template() string { return "releases" }

// ReleasedLine is one line of a decision: a label and what was done.
type ReleasedLine struct{ Label, Text string }

// ReleasePage is one decision, with its downloads.
type ReleasePage struct {
	Layout
	Number, Requester, RequestedOn, Decided, DecidedBy, Outcome, Note string
	Refusal                                                           string
	Masked                                                            []ReleasedLine
	Appeal                                                            []string // heading first; empty when nothing is withheld
	CopyHref, DecisionHref                                            string
}

// Template implements Page.
func (*ReleasePage) Template() string { return "release" }
