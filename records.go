package distans

import (
	"context"
	"encoding/base64"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The register (diarium). Kristianstads kommun, Instruktion för digital
// kommunikation, Offentlighet och sekretess: every public document is
// registered (diarieförs) or kept so that it can be found again, and a
// document that holds secret information must be registered. Distans
// gives three kinds of case a registration number — remote-work
// agreements ("DIST 2026/0012"), incidents ("INC 2026/0012") and
// equipment loss reports ("FÖR 2026/0003"); a decision on an agreement is
// a document of the agreement's case and carries its number. The register
// lists them as a diarium does: number, date, kind, a short subject, the
// parties where they may be shown, the secrecy mark and where the case
// stands. It never shows what is secret: not the remote place (a home
// address), not the reasons for a request (which may be about health),
// not an incident's title or description, not where equipment was lost.

// RegisterKind is the kind of case a registration number belongs to.
type RegisterKind string

const (
	RegisterAgreement     RegisterKind = "agreement"
	RegisterIncident      RegisterKind = "incident"
	RegisterEquipmentLoss RegisterKind = "equipment_loss"
)

// RegisterKinds lists the kinds in the order the pages show them.
var RegisterKinds = []RegisterKind{RegisterAgreement, RegisterIncident, RegisterEquipmentLoss}

// Valid reports whether k is a known kind.
func (k RegisterKind) Valid() bool { return slices.Contains(RegisterKinds, k) }

// RegisterEntry is one registered case as the register shows it. It
// holds nothing secret: the subject is made from the kind of case alone
// (Subject), never from text someone wrote.
type RegisterEntry struct {
	Kind     RegisterKind `json:"kind"`
	RecordID string       `json:"record_id"`
	Number   string       `json:"number"`
	// RegisteredAt is when the case was opened and given its number;
	// the register's date is its day in the organisation's time zone.
	RegisteredAt time.Time `json:"registered_at"`
	// IncidentKind is an incident's kind; LossKind and Items a loss
	// report's kind and the categories of the equipment it names.
	IncidentKind IncidentKind        `json:"incident_kind,omitempty"`
	LossKind     LossKind            `json:"loss_kind,omitempty"`
	Items        []EquipmentCategory `json:"items,omitempty"`
	// Party is the name the register may show (RegisterShowsParty): the
	// employee of an agreement, the reporter of an incident of a kind
	// that does not identify someone's health or safety, the holder of
	// lost equipment; empty when it is withheld.
	Party string `json:"party,omitempty"`
	// Secret is the secrecy mark (sekretessmarkering): the case holds
	// something that must be reviewed for secrecy before a copy is
	// released; SecretParts says what (RegisterSecret*).
	Secret      bool     `json:"secret"`
	SecretParts []string `json:"secret_parts,omitempty"`
	// State is the case's state: an AgreementState, IncidentState or
	// LossState as the kind says.
	State string `json:"state"`
}

// Path is where the case lives in Distans, for those who may open it (the
// register's keeper may not: a copy is released after a secrecy review).
func (e *RegisterEntry) Path() string {
	switch e.Kind {
	case RegisterAgreement:
		return "/agreements/" + e.RecordID
	case RegisterIncident:
		return "/incidents/" + e.RecordID
	case RegisterEquipmentLoss:
		return "/equipment/losses/" + e.RecordID
	}
	return ""
}

// What makes a case secret-marked, by the part that holds it.
const (
	RegisterSecretRemotePlace  = "remote_place"  // an agreement's remote place, a home address
	RegisterSecretReasons      = "reasons"       // the reasons for a request, which may be about health
	RegisterSecretFields       = "secret_fields" // an incident's fields marked secret (IncidentSecretFields)
	RegisterSecretIncidentKind = "incident_kind" // an incident whose kind is itself sensitive (registerSensitiveKinds)
	RegisterSecretLossPlace    = "loss_place"    // a loss outside the premises: the place may be a home
)

// registerSensitiveKinds are the kinds of incident that are secret-marked
// whatever fields are marked, and whose reporter the register does not
// name: a personal-data breach and an information-security incident are
// about security measures and about people's data (OSL 18:8, 21:1); a
// threat names someone who may be at risk (OSL 21:3); a work injury is
// about someone's health (OSL 39:1), and its reporter is most often the
// injured person. For IT incidents, theft, lost equipment and other
// incidents the reporter is named as the party, as a diarium names whoever
// a document came from.
var registerSensitiveKinds = []IncidentKind{IncidentPersonalData, IncidentSecurity, IncidentThreat, IncidentWorkInjury}

// RegisterSensitiveKinds returns the incident kinds whose reporter is
// withheld and which are always secret-marked, for the store's SQL.
func RegisterSensitiveKinds() []IncidentKind { return slices.Clone(registerSensitiveKinds) }

// RegisterShowsReporter reports whether the register names the reporter
// of an incident of kind k.
func RegisterShowsReporter(k IncidentKind) bool { return !slices.Contains(registerSensitiveKinds, k) }

// Date is the register's date of the entry: its day in loc.
func (e *RegisterEntry) Date(loc *time.Location) time.Time { return Today(e.RegisteredAt, loc) }

// Subject is the entry's short subject (ärendemening) in lang ("sv" or
// "en"): from the kind of case alone, so that it reveals nothing secret.
func (e *RegisterEntry) Subject(lang string) string {
	pick := func(l [2]string) string {
		if lang == "en" {
			return l[1]
		}
		return l[0]
	}
	switch e.Kind {
	case RegisterAgreement:
		return pick(agreementSubject)
	case RegisterIncident:
		if l, ok := incidentSubjects[e.IncidentKind]; ok {
			return pick(l)
		}
		return pick(incidentSubjects[IncidentOther])
	case RegisterEquipmentLoss:
		s := pick(lossSubjects[e.LossKind])
		var items []string
		for _, c := range e.Items {
			if l := pick(categorySubjects[c]); l != "" && !slices.Contains(items, l) {
				items = append(items, l)
			}
		}
		if len(items) > 0 {
			s += ": " + strings.Join(items, ", ")
		}
		return s
	}
	return ""
}

var (
	agreementSubject = [2]string{"Distansarbete – överenskommelse", "Remote work – agreement"}
	incidentSubjects = map[IncidentKind][2]string{
		IncidentPersonalData:  {"Personuppgiftsincident", "Personal-data breach"},
		IncidentSecurity:      {"Informationssäkerhetsincident", "Information-security incident"},
		IncidentIT:            {"IT-incident", "IT incident"},
		IncidentTheft:         {"Incident: stöld eller inbrott", "Incident: theft or intrusion"},
		IncidentEquipmentLoss: {"Incident: förlorad eller skadad utrustning", "Incident: lost or damaged equipment"},
		IncidentThreat:        {"Incident: hot eller våld", "Incident: threat or violence"},
		IncidentWorkInjury:    {"Arbetsskada eller tillbud", "Work injury or near miss"},
		IncidentOther:         {"Incident, övrig", "Incident, other"},
	}
	lossSubjects = map[LossKind][2]string{
		LossLost:    {"Förlust av utrustning", "Loss of equipment"},
		LossStolen:  {"Stöld av utrustning", "Theft of equipment"},
		LossDamaged: {"Skada på utrustning", "Damage to equipment"},
	}
	categorySubjects = map[EquipmentCategory][2]string{
		EquipmentComputer: {"dator", "computer"}, EquipmentPhone: {"mobiltelefon", "mobile phone"},
		EquipmentSIM: {"SIM-kort", "SIM card"}, EquipmentTablet: {"surfplatta", "tablet"},
		EquipmentUSBMemory: {"USB-minne", "USB memory"}, EquipmentHeadset: {"headset", "headset"},
		EquipmentScreen: {"bildskärm", "screen"}, EquipmentMobileBroadband: {"mobilt bredband", "mobile broadband"},
		EquipmentOther: {"övrig utrustning", "other equipment"},
	}
)

// RegisterSubjectMatch is what a free-text search matches among the
// subjects, for the store to turn into SQL: the subject is made, not
// stored, so the text is matched here against every subject there can be
// (Swedish and English, folded). A loss matches by its kind's words or by
// one of its items' categories.
type RegisterSubjectMatch struct {
	Agreement     bool
	IncidentKinds []IncidentKind
	LossKinds     []LossKind
	Categories    []EquipmentCategory
}

// MatchRegisterSubjects returns which subjects contain text.
func MatchRegisterSubjects(text string) RegisterSubjectMatch {
	q := Fold(strings.TrimSpace(text))
	var m RegisterSubjectMatch
	if q == "" {
		return m
	}
	has := func(l [2]string) bool { return strings.Contains(Fold(l[0]), q) || strings.Contains(Fold(l[1]), q) }
	m.Agreement = has(agreementSubject)
	for _, k := range IncidentKinds {
		if has(incidentSubjects[k]) {
			m.IncidentKinds = append(m.IncidentKinds, k)
		}
	}
	for _, k := range LossKinds {
		if has(lossSubjects[k]) {
			m.LossKinds = append(m.LossKinds, k)
		}
	}
	for _, c := range EquipmentCategories {
		if has(categorySubjects[c]) {
			m.Categories = append(m.Categories, c)
		}
	}
	return m
}

// RegisterFilter narrows the register. From and To are days (midnight
// UTC) of the organisation's calendar, both included.
type RegisterFilter struct {
	Query string       // a part of the number or of the subject
	Kind  RegisterKind // one kind; empty for all
	From  time.Time
	To    time.Time
	After string // the last entry's Cursor, for the next page
	Limit int    // 0 for DefaultRegisterPage; at most MaxRegisterPage
}

// Validate checks the filter: a known kind, a search of allowed length,
// To not before From.
func (f *RegisterFilter) Validate() error {
	var v Validation
	if f.Kind != "" && !f.Kind.Valid() {
		v.Add("kind", "Okänt slag av ärende.", "Unknown kind of case.")
	}
	if utf8.RuneCountInString(f.Query) > MaxSearchLength {
		n := strconv.Itoa(MaxSearchLength)
		v.Add("q", "Högst "+n+" tecken.", "At most "+n+" characters.")
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		v.Add("to", "Slutdagen ligger före startdagen.", "The last day is before the first.")
	}
	return v.Err()
}

// Limits of the register's pages and of its export.
const (
	DefaultRegisterPage = 50
	MaxRegisterPage     = 500
	// MaxRegisterExport is the most entries one export holds; an export
	// that stops there says so in the file (WriteRegisterCSV).
	MaxRegisterExport = 100000
)

// Cursor is where the next page starts after e: the register is ordered
// by registration time, then number, newest first.
func (e *RegisterEntry) Cursor() string {
	return base64.RawURLEncoding.EncodeToString([]byte(e.RegisteredAt.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano) +
		"\x00" + e.Number))
}

// ParseRegisterCursor reads a cursor made by Cursor; anything else is
// EINVALID on field "after".
func ParseRegisterCursor(s string) (at time.Time, number string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	ts, number, ok := strings.Cut(string(b), "\x00")
	if err == nil && ok && number != "" && utf8.ValidString(number) {
		if at, err = time.Parse(time.RFC3339Nano, ts); err == nil {
			return at, number, nil
		}
	}
	e := Errorf(EINVALID, "Ogiltig sidmarkör: använd värdet från föregående svar (next) eller börja om från första sidan.",
		"Invalid page cursor: use the value from the previous response (next) or start again from the first page.")
	e.Fields = []FieldError{{Field: "after", Sv: "Ogiltig sidmarkör.", En: "Invalid page cursor."}}
	return time.Time{}, "", e
}

// RegisterService is the register. Only those who keep it
// (Actor.RegisterScope) read it; anyone else is EFORBIDDEN, so that a
// page and the API refuse alike. Cases outside the keeper's unit subtree,
// and every other organisation's, are not listed.
type RegisterService interface {
	// ListRegister returns a page of entries matching f, newest first;
	// EINVALID for a filter that does not validate or a bad cursor.
	ListRegister(ctx context.Context, f RegisterFilter) ([]*RegisterEntry, error)
	// ExportRegister returns every entry matching f (After and Limit are
	// ignored), newest first, up to MaxRegisterExport; more reports that
	// further entries matched. The export is recorded in the audit trail.
	ExportRegister(ctx context.Context, f RegisterFilter) (entries []*RegisterEntry, more bool, err error)
}

// WriteRegisterCSV writes an export of the register: first the lines that
// say what it holds (the organisation, when it was made, the filters, and
// the row limit when more matched than it holds, so that nothing is cut
// silently), an empty line, then a header and one row per entry. Pages,
// API and CLI write it by this one function. Dates are the
// organisation's (loc); the subject is in lang.
func WriteRegisterCSV(w io.Writer, orgName string, loc *time.Location, lang string, made time.Time, f RegisterFilter,
	entries []*RegisterEntry, more bool) error {
	cw := csv.NewWriter(w)
	day := func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return t.Format(time.DateOnly)
	}
	kind := "alla / all"
	if f.Kind != "" {
		kind = string(f.Kind)
	}
	head := [][]string{
		{"Diarium / register", csvCell(orgName)},
		{"Utdrag gjort / exported at", made.In(loc).Format("2006-01-02 15:04 MST")},
		{"Sökning / search", csvCell(f.Query)},
		{"Slag / kind", kind},
		{"Från / from", day(f.From)},
		{"Till / to", day(f.To)},
		{"Poster / entries", strconv.Itoa(len(entries))},
	}
	if more {
		n := strconv.Itoa(MaxRegisterExport)
		head = append(head, []string{"Begränsning / limit",
			"Utdraget har de " + n + " senaste posterna; fler matchar: begränsa datum eller sökning / " +
				"the export holds the latest " + n + " entries; more match: narrow the dates or the search"})
	}
	head = append(head, nil, []string{"number", "date", "kind", "subject", "party", "secrecy", "secret_parts", "state", "record_id"})
	for _, row := range head {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	for _, e := range entries {
		mark := ""
		if e.Secret {
			mark = "S"
		}
		if err := cw.Write([]string{e.Number, e.Date(loc).Format(time.DateOnly), string(e.Kind), csvCell(e.Subject(lang)),
			csvCell(e.Party), mark, strings.Join(e.SecretParts, " "), e.State, e.RecordID}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCell keeps a spreadsheet from reading a name as a formula.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
