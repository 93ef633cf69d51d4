// Package view is the pages' presentation: one typed data struct per page,
// the HTML templates they fill (embedded and parsed once at start-up), and
// the small helpers the templates call for translation, dates and form
// fields. It knows nothing of HTTP or of the services.
package view

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Page is the data of one page; Template names its file in templates/
// without the extension.
type Page interface {
	Template() string
	layout() *Layout
}

// Templates holds every page's parsed template.
type Templates struct {
	pages map[string]*template.Template
}

// partials are the files every page may use; every other file is a page.
var partials = map[string]bool{"layout": true, "form": true, "invite_pending": true, "equipment_partials": true, "training_partials": true, "report_partials": true}

// Parse parses the layout, the partials and every page. It fails when a
// template does not parse, so that a broken template stops the start-up
// rather than a request.
func Parse() (*Templates, error) {
	base := template.New("base").Funcs(funcs)
	for name := range partials {
		if _, err := base.ParseFS(templateFiles, "templates/"+name+".html"); err != nil {
			return nil, fmt.Errorf("view: %s: %w", name, err)
		}
	}
	t := &Templates{pages: map[string]*template.Template{}}
	entries, err := fs.ReadDir(templateFiles, "templates")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".html")
		if partials[name] {
			continue
		}
		page, err := base.Clone()
		if err == nil {
			_, err = page.ParseFS(templateFiles, "templates/"+e.Name())
		}
		if err != nil {
			return nil, fmt.Errorf("view: %s: %w", name, err)
		}
		t.pages[name] = page
	}
	return t, nil
}

// Names returns the name of every page template.
func (t *Templates) Names() []string {
	names := make([]string, 0, len(t.pages))
	for n := range t.pages {
		names = append(names, n)
	}
	return names
}

// Render writes page to w. It renders into a buffer first so that a
// template error never leaves half a page behind.
func (t *Templates) Render(w io.Writer, page Page) error {
	tmpl, ok := t.pages[page.Template()]
	if !ok {
		return fmt.Errorf("view: no template %q", page.Template())
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "layout", page); err != nil {
		return fmt.Errorf("view: %s: %w", page.Template(), err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// Clause is the argument of the clause partial: a clause named as people
// know it (organisation, title, section), with its quote behind a
// disclosure labelled QuoteLabel.
type Clause struct {
	Citation, Quote, QuoteLabel string
}

var funcs = template.FuncMap{
	"clause": func(quoteLabel, citation, quote string) Clause {
		return Clause{Citation: citation, Quote: quote, QuoteLabel: quoteLabel}
	},
	// field and choice build the argument of the form partials.
	"field": func(f *Form, name, label, typ string) Field {
		return Field{Form: f, Name: name, Label: label, Type: typ}
	},
	"choice": func(f *Form, name, label string, opts []Option) Field {
		return Field{Form: f, Name: name, Label: label, Type: "select", Options: opts}
	},
	"opt":     func(note string, f Field) Field { f.Optional = note; return f },
	"fieldid": FieldID,
	"hint":    func(hint string, f Field) Field { f.Hint = hint; return f },
	"auto":    func(ac string, f Field) Field { f.Autocomplete = ac; return f },
	"unitctx": func(p *UnitsPage, n *UnitNode) UnitContext { return UnitContext{Page: p, Node: n} },
	"area": func(f *Form, name, label string, rows int) Field {
		return Field{Form: f, Name: name, Label: label, Type: "textarea", Rows: rows}
	},
	"mono": func(f Field) Field { f.Mono = true; return f },
	// group and radios build the argument of the checks and radios
	// templates; box is one checkbox of a form.
	"group": func(f *Form, name, legend string, opts []CheckOption) Group {
		return Group{Form: f, Name: name, Legend: legend, Options: opts}
	},
	"radios": func(f *Form, name, legend string, opts []Option) Group {
		g := Group{Form: f, Name: name, Legend: legend}
		for _, o := range opts {
			g.Options = append(g.Options, CheckOption{Value: o.Value, Label: o.Label, Checked: f.Value(name) == o.Value})
		}
		return g
	},
	"box":        func(f *Form, name, label string) Group { return Group{Form: f, Name: name, Legend: label} },
	"paragraphs": Paragraphs,
	"options":    Options,
	// dateinput is a date control outside a form field: its id, name,
	// value and the id of the hint that gives the format.
	"dateinput": func(id, name, value, hintID string) DateInput {
		return DateInput{ID: id, Name: name, Value: value, DescribedBy: hintID}
	},
}

// Layout is what every page shares: the language, the signed-in person, the
// navigation, the flash message of the last action, and the CSRF token for
// forms. Handlers fill it; pages embed it.
type Layout struct {
	Lang      string
	Title     string // translated; the <title> and the page's one h1
	Path      string // the current path and query, for the language switch
	CSRF      string
	Flash     string
	FlashErr  bool
	User      *User // nil when nobody is signed in
	Nav       []NavItem
	CSS       string // hashed URL of the style sheet
	JS        string // hashed URL of the script that enhances the pages
	Version   string
	Loc       *time.Location
	P         locale.Printer
	OtherLang string // the language the switch offers
	// Home, SignOut and LangAction are where the brand links and the
	// sign-out and language forms post: the organisations' pages', or
	// the installation's (/drift), whose session is a different one.
	Home, SignOut, LangAction string
	// Refresh reloads a page that shows work in progress every so many
	// seconds when JavaScript is off (a <meta> inside <noscript>); with
	// it, enhance.js follows the work without reloading.
	Refresh int
}

func (l *Layout) layout() *Layout { return l }

// User is the signed-in person as the header shows them.
type User struct {
	PersonID string
	Name     string
	OrgName  string
}

// NavItem is one link of the main navigation.
type NavItem struct {
	Href    string
	Label   string
	Current bool
}

// NavItems is the main menu's items, one <li> each. They are written here
// rather than by the template: every page has them, eighteen for someone
// in HR, and the template's five actions an item, each resolved by
// reflection and escaped by functions it calls by reflection, were a tenth
// of a directory search's CPU. An href is one of the application's own
// paths, which neither the template's URL filter nor its normalizer
// changes; anything else is refused as the filter refuses it. Both are
// escaped as the template escapes text. TestNavItems holds the markup to
// what the template made.
func (l *Layout) NavItems() template.HTML {
	var b strings.Builder
	b.Grow(len(l.Nav) * 64)
	for _, n := range l.Nav {
		href := n.Href
		if !strings.HasPrefix(href, "/") || strings.HasPrefix(href, "//") {
			href = "#ZgotmplZ"
		}
		b.WriteString(`<li><a href="`)
		b.WriteString(template.HTMLEscapeString(href))
		b.WriteByte('"')
		if n.Current {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteByte('>')
		b.WriteString(template.HTMLEscapeString(n.Label))
		b.WriteString(`</a></li>`)
	}
	return template.HTML(b.String())
}

// T translates key into the page's language.
func (l *Layout) T(key string, args ...any) string { return l.P.T(key, args...) }

// loc is the organisation's time zone; when the organisation did not load,
// the zone of one that has none (Organisation.Location), as for "today".
func (l *Layout) loc() *time.Location {
	if l.Loc == nil {
		return (&distans.Organisation{}).Location()
	}
	return l.Loc
}

// Date formats a calendar day (kept as midnight UTC, as the stores keep
// days) the Swedish way, 2026-11-22; the zero time is "".
func (l *Layout) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// DateOf formats the day of an instant in the organisation's time zone.
func (l *Layout) DateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(l.loc()).Format("2006-01-02")
}

// DateP formats an optional day.
func (l *Layout) DateP(t *time.Time) string {
	if t == nil {
		return ""
	}
	return l.Date(*t)
}

// DateTime formats an instant in the organisation's time zone, 2026-11-22 14:05.
func (l *Layout) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(l.loc()).Format("2006-01-02 15:04")
}

// DateTimeP formats an optional instant.
func (l *Layout) DateTimeP(t *time.Time) string {
	if t == nil {
		return ""
	}
	return l.DateTime(*t)
}

// ISO formats an instant as a machine-readable datetime attribute.
func (l *Layout) ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Form is a form's state: what the person typed and the messages for the
// fields that were wrong, already translated.
type Form struct {
	Values  map[string]string
	Errors  map[string]string
	Order   []string // field names in the order the summary lists them
	Message string   // a message for the whole form
}

// NewForm returns an empty form.
func NewForm() *Form { return &Form{Values: map[string]string{}, Errors: map[string]string{}} }

// Value returns what was typed into field name.
func (f *Form) Value(name string) string {
	if f == nil {
		return ""
	}
	return f.Values[name]
}

// Error returns the message for field name, or "".
func (f *Form) Error(name string) string {
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

// Set records a value.
func (f *Form) Set(name, value string) { f.Values[name] = value }

// Fail records a message for a field; the first message for a field wins.
func (f *Form) Fail(name, msg string) {
	if _, ok := f.Errors[name]; ok {
		return
	}
	f.Errors[name] = msg
	f.Order = append(f.Order, name)
}

// Failed reports whether any field has a message.
func (f *Form) Failed() bool { return f != nil && (len(f.Errors) > 0 || f.Message != "") }

// Summary lists the field errors in order, for the summary at the top.
func (f *Form) Summary() []FieldMessage {
	if f == nil {
		return nil
	}
	out := make([]FieldMessage, 0, len(f.Order))
	for _, n := range f.Order {
		out = append(out, FieldMessage{Name: n, Message: f.Errors[n]})
	}
	return out
}

// FieldMessage is one line of an error summary.
type FieldMessage struct{ Name, Message string }

// Field is one input as the form partial renders it: a label, the control,
// an optional hint, and the error message tied to it with aria-describedby.
type Field struct {
	Form         *Form
	Name         string
	Label        string
	Type         string // text, email, password, tel, date (see DateInput), search, number, select, textarea
	Options      []Option
	Optional     string // shown after the label of an optional field
	Hint         string
	Autocomplete string
	Min, Max     string // bounds of a number input, as typed in the attribute
	Step         string // step of a number input ("1", "any")
	Rows         int    // height of a textarea
	Mono         bool   // a textarea for code or data, in a fixed-width font
}

// ID is the control's id.
func (f Field) ID() string { return FieldID(f.Name) }

// FieldID is the id of the control for a field name.
func FieldID(name string) string { return "f-" + strings.NewReplacer(".", "-", "_", "-").Replace(name) }

// Value is the control's value; passwords are never filled in again.
func (f Field) Value() string {
	if f.Type == "password" {
		return ""
	}
	return f.Form.Value(f.Name)
}

// Error is the field's message.
func (f Field) Error() string { return f.Form.Error(f.Name) }

// DescribedBy lists the ids of the hint and the message.
func (f Field) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID()+"-hint")
	}
	if f.Error() != "" {
		ids = append(ids, f.ID()+"-error")
	}
	return strings.Join(ids, " ")
}

// Date is the control of a date field.
func (f Field) Date() DateInput {
	return DateInput{ID: f.ID(), Name: f.Name, Value: f.Value(), DescribedBy: f.DescribedBy(), Invalid: f.Error() != ""}
}

// DateInput is a date control. Dates are typed as text, 2026-11-22, with a
// hint that says so, rather than in an <input type=date>: that shows the
// browser's format (mm/dd/yyyy in an English browser) beside our hint,
// its parts are read out differently by each screen reader, and it cannot
// be pasted into. The server parses and explains a wrong date in Swedish
// (form.bad_date); a pattern attribute would only add the browser's own
// message, in the browser's language and without the format.
type DateInput struct {
	ID, Name, Value string
	DescribedBy     string // the hint's id, and the message's when there is one
	Invalid         bool
}

// Option is one choice of a select.
type Option struct {
	Value string
	Label string
}

// Options are the options of a select, the one whose value is chosen
// selected. Every select of the pages is written by it: a unit filter has
// a hundred options, and a range with an eq for each spent a sixth of a
// directory search on reflection.
func Options(opts []Option, chosen string) template.HTML {
	var b strings.Builder
	for _, o := range opts {
		b.WriteString(`<option value="`)
		b.WriteString(template.HTMLEscapeString(o.Value))
		b.WriteByte('"')
		if o.Value == chosen {
			b.WriteString(" selected")
		}
		b.WriteByte('>')
		b.WriteString(template.HTMLEscapeString(o.Label))
		b.WriteString("</option>\n")
	}
	return template.HTML(b.String())
}

// UnitContext is what the recursive unit-tree template gets: the page (for
// translation and permissions) and one node.
type UnitContext struct {
	Page *UnitsPage
	Node *UnitNode
}
