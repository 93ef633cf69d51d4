package policy

import (
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Citation names the clause a rule, parameter or note comes from as people
// know it: the organisation, the document's title and the section, with the
// verbatim quote for whoever asks for it. A law has no organisation: its
// title is the law's name.
type Citation struct {
	Organisation string `json:"organisation,omitempty"`
	Title        string `json:"title"`
	Section      string `json:"section,omitempty"`
	Quote        string `json:"quote,omitempty"`
}

// String is the citation without its quote, the way every page, API
// answer, PDF and CLI output names a clause: "Bjurholms kommun, Riktlinjer
// för distansarbete, 11. Skriftlig individuell överenskommelse".
func (c Citation) String() string {
	var parts []string
	for _, s := range []string{c.Organisation, c.Title, c.Section} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// Cite names src as people know it. The document is a file name (the
// pack's own document, or another seed document) or the name of a law; a
// file name is never shown: the pack's own document is its organisation and
// title, a seed document those of its seed pack, and anything else is
// taken to be the name of a law. pack may be nil.
func Cite(pack *Pack, src Source) Citation {
	c := Citation{Title: src.Document, Section: src.Section, Quote: strings.TrimSpace(src.Quote)}
	switch d, ok := seedDocuments()[src.Document]; {
	case pack != nil && src.Document == pack.Document && pack.Title != "":
		c.Organisation, c.Title = pack.Organisation, pack.Title
	case ok:
		c.Organisation, c.Title = d.Organisation, d.Title
	}
	return c
}

// seedDocuments maps each seed document's file name to the organisation and
// title of the seed pack that cites it, read once from the packs' headers.
var seedDocuments = sync.OnceValue(func() map[string]Citation {
	out := map[string]Citation{}
	for _, slug := range seedSlugs {
		data, err := packFS.ReadFile("packs/" + slug + ".yaml")
		if err != nil {
			continue
		}
		var head struct {
			Organisation string `yaml:"organisation"`
			Title        string `yaml:"title"`
			Document     string `yaml:"document"`
		}
		if yaml.Unmarshal(data, &head) == nil && head.Document != "" {
			out[head.Document] = Citation{Organisation: head.Organisation, Title: head.Title}
		}
	}
	return out
})

// Note is a text that a form shows from the organisation's own pack: what
// its document says that the person filling in the form should know there
// (Bjurholm 002 §3 on the request form: taking work home now and then is
// not remote work). Forms show only the notes of the actor's organisation.
type Note struct {
	ID      string `json:"id"`
	Form    string `json:"form"`
	Heading Text   `json:"heading"`
	Text    Text   `json:"text"`
	Source  Source `json:"source"`
}

// The forms that show notes.
const (
	FormAgreementRequest  = "agreement_request"  // the employee's request for remote work
	FormAgreementDecision = "agreement_decision" // the manager's decision on it
)

var noteForms = []string{FormAgreementRequest, FormAgreementDecision}
