package view

import (
	"html/template"
	"strings"

	"github.com/distans/distans"
)

// The presence pages: a person's day and redirection (hänvisning), the
// switchboard's directory, directory keywords, phone hours and on-call
// phones. Reasons for absence are on StatusPage alone, which only the
// person and those who act for them reach.

// StatusPage is /status, "Min dag": today's status, a status for another
// day, and the redirection with the policy pack's refusal or notices.
type StatusPage struct {
	Layout
	PersonID     string // the person the page is for
	PersonName   string
	Self         bool   // the page is the actor's own
	Query        string // "?person=…" when acting for someone else, else ""
	Today        string // YYYY-MM-DD
	TodayStatus  *StatusRow
	Planned      []StatusRow // set statuses from tomorrow on
	StatusForm   *Form
	Kinds        []Option
	Sites        []Option
	Redirect     *distans.Redirect // in force now, nil when none
	RedirectForm *Form
	Targets      []Option
	Colleagues   []Option
	Notices      []NoticeRow
}

// Template implements Page.
func (*StatusPage) Template() string { return "presence_status" }

// StatusRow is one day's status in words.
type StatusRow struct {
	Date     string
	Kind     string // in words
	SiteName string
	BackAt   string
	Reason   string // private: shown on the person's own page only
	OneOff   bool
	Default  bool
}

// NoticeRow is a finding of the policy pack that did not stop a change,
// with the clause it cites.
type NoticeRow struct {
	Message string
	Clause  string
}

// DirectoryPage is /directory, the switchboard's search.
type DirectoryPage struct {
	Layout
	Query      string
	UnitID     string   // the unit whose subtree the search is limited to, "" for all
	Units      []Option // the organisation's units, "Alla enheter" first
	Hits       []DirectoryRow
	Total      int  // matches, at most distans.CountCap
	Capped     bool // more than Total match
	PrevURL    string
	NextURL    string
	Searched   bool
	OnCall     []*distans.OnCallPhone // the current on-call list, for the switchboard
	ShowOnCall bool
	CanMissing bool // may list people without keywords
}

// Template implements Page.
func (*DirectoryPage) Template() string { return "presence_directory" }

// DirectoryRow is one person in the directory: never a reason for absence.
type DirectoryRow struct {
	Name, Title, UnitName, Email, Phone, WorkMobile string
	Keywords                                        string
	Status                                          string // in words, "" when unknown
	SiteName                                        string
	BackAt                                          string
	RedirectText                                    string
	RedirectTarget                                  string // in words
	CoveredBy                                       string
	PhoneHours                                      string // today's sessions, "09:00–10:00, 13:00–14:00"
}

// HitRows is the directory table's rows, one <tr> a hit. They are written
// here, every value escaped as the template escapes text in an element,
// rather than by the template: the switchboard's search shows 25 at a time,
// and the template's two dozen actions a row, each resolved by reflection,
// were a fifth of the search's CPU. TestHitRows holds the markup to what the
// template made.
func (p *DirectoryPage) HitRows() template.HTML {
	var b strings.Builder
	b.Grow(len(p.Hits) * 512)
	text := func(parts ...string) {
		for _, s := range parts {
			b.WriteString(template.HTMLEscapeString(s))
		}
	}
	for _, h := range p.Hits {
		b.WriteString(`<tr><th scope="row">`)
		text(h.Name)
		if h.Keywords != "" {
			b.WriteString(`<br><span class="muted">`)
			text(p.T("directory.keywords"), ": ", h.Keywords)
			b.WriteString(`</span>`)
		}
		b.WriteString("</th>\n<td>")
		text(h.UnitName)
		if h.Title != "" {
			b.WriteString("<br>")
			text(h.Title)
		}
		b.WriteString("</td>\n<td>")
		if h.Status != "" {
			text(h.Status)
		} else {
			text(p.T("directory.unknown"))
		}
		if h.SiteName != "" {
			text(", ", h.SiteName)
		}
		if h.RedirectText != "" {
			b.WriteString("<br>")
			text(h.RedirectText)
		}
		if h.BackAt != "" {
			b.WriteString("<br>")
			text(p.T("status.back_at"), " ", h.BackAt)
		}
		b.WriteString("</td>\n<td>")
		text(h.PhoneHours)
		b.WriteString("</td>\n<td>")
		if h.Phone != "" {
			text(h.Phone)
			b.WriteString("<br>")
		}
		if h.WorkMobile != "" {
			text(p.T("directory.work_mobile"), ": ", h.WorkMobile)
			b.WriteString("<br>")
		}
		text(h.Email)
		if h.RedirectTarget != "" {
			b.WriteString("<br>")
			text(p.T("redirect.target"), ": ", h.RedirectTarget)
		}
		if h.CoveredBy != "" {
			b.WriteString("<br>")
			text(p.T("directory.covered_by", h.CoveredBy))
		}
		b.WriteString("</td></tr>\n")
	}
	return template.HTML(b.String())
}

// KeywordsPage is /profile/keywords: the person's directory keywords and
// work mobile.
type KeywordsPage struct {
	Layout
	Form *Form
}

// Template implements Page.
func (*KeywordsPage) Template() string { return "presence_keywords" }

// MissingKeywordsPage is /directory/missing-keywords, for managers.
type MissingKeywordsPage struct {
	Layout
	People []PersonRow
}

// Template implements Page.
func (*MissingKeywordsPage) Template() string { return "presence_missing" }

// PhoneHoursPage is /phone-hours: the weekly sessions, checked by the pack.
type PhoneHoursPage struct {
	Layout
	Query     string // "?person=…" or "?unit=…" when not the actor's own
	PersonID  string // the person the hours are for, "" for a unit's
	UnitID    string // the unit the hours are for, "" for a person's
	UnitName  string
	Units     []Option // the units whose hours the actor may keep, own hours first; nil when none
	Inherited *InheritedHours
	Form      *Form
	Rows      []PhoneHoursRow
	Weekdays  []Option
	Approver  bool // may decide on an exception (distans.PhoneHoursApprover)
	Exception *distans.PhoneHoursDecision
	Notices   []NoticeRow
	Saved     bool // the person has hours of their own
}

// Template implements Page.
func (*PhoneHoursPage) Template() string { return "presence_phone_hours" }

// InheritedHours are the hours of the person's unit, or of the nearest
// unit above it with some, shown when the person has none of their own.
type InheritedHours struct {
	UnitName string
	Sessions []string // "måndag 09:00–10:00"
}

// PhoneHoursRow names the three inputs of one session row.
type PhoneHoursRow struct {
	N                   int // 1-based, for the legend
	Weekday, Start, End string
}

// OnCallPage is /on-call: the current on-call phones for everyone, and
// for those who keep them, the forms to add phones and duties.
type OnCallPage struct {
	Layout
	Phones    []OnCallRow
	CanEdit   bool
	Units     []Option
	People    []Option
	PhoneForm *Form
	DutyForm  *Form
	PhoneOpts []Option
	KeptUnits []Option // the units the actor keeps, for moving a phone
}

// Template implements Page.
func (*OnCallPage) Template() string { return "presence_oncall" }

// HasEditable reports whether the actor may change some phone.
func (p *OnCallPage) HasEditable() bool {
	for _, r := range p.Phones {
		if r.Edit != nil {
			return true
		}
	}
	return false
}

// OnCallRow is one on-call phone with who is on duty now and the coming
// duties (for those who keep the list).
type OnCallRow struct {
	Phone  *distans.OnCallPhone
	OnDuty string // "Name (until 2026-11-22 08:00)", "" when nobody
	Duties []DutyRow
	// Edit is the form to change the phone, nil when the actor may not;
	// its fields are named EditPrefix+"name" and so on, so that every
	// phone's form has ids of its own.
	Edit       *Form
	EditPrefix string
}

// DutyRow is one duty period.
type DutyRow struct {
	ID, PersonName, Starts, Ends string
}
