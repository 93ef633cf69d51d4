package distans

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Availability: where people are today, how to reach them, and who answers
// when they cannot. Every seed document asks that people working remotely
// stay as reachable as at the office (000 Ramverk, 001 §1.2, 002 §8);
// Sorsele's telephony policy (004 §1–§6) says how: phone hours, redirection
// with a clear return time, directory keywords and on-call phones.

// StatusKind is where a person is on a day.
type StatusKind string

const (
	StatusAtSite     StatusKind = "site"       // at a site of the organisation (SiteID says which)
	StatusRemote     StatusKind = "remote"     // distansarbete
	StatusElsewhere  StatusKind = "elsewhere"  // working somewhere else: a meeting out, a course
	StatusTravelling StatusKind = "travelling" // on a work trip
	StatusAway       StatusKind = "away"       // not working: leave, illness, time off
)

// StatusKinds lists every status in the order the pages show them.
var StatusKinds = []StatusKind{StatusAtSite, StatusRemote, StatusElsewhere, StatusTravelling, StatusAway}

// Label returns the status for people to read.
func (k StatusKind) Label(lang string) string {
	l, ok := statusLabels[k]
	if !ok {
		return string(k)
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

var statusLabels = map[StatusKind][2]string{
	StatusAtSite:     {"På arbetsplatsen", "At the office"},
	StatusRemote:     {"Distansarbete", "Working remotely"},
	StatusElsewhere:  {"Annan plats", "Elsewhere"},
	StatusTravelling: {"På resa", "Travelling"},
	StatusAway:       {"Frånvarande", "Away"},
}

// StatusHorizonDays is how far ahead a status may be set.
const StatusHorizonDays = 366

// DayStatus is where a person is on one calendar day. Reason is private:
// it may say why the person is away, and health is sensitive personal data
// (GDPR art. 9), so only the person themselves ever reads it back; everyone
// else, the switchboard and managers included, sees the kind and the
// return time ("away, back Monday 08:00") and nothing more.
type DayStatus struct {
	OrganisationID string     `json:"organisation_id"`
	PersonID       string     `json:"person_id"`
	Date           time.Time  `json:"date"` // the calendar day, as midnight UTC
	Kind           StatusKind `json:"kind"`
	SiteID         string     `json:"site_id,omitempty"` // required for StatusAtSite, else empty
	BackAt         *time.Time `json:"back_at,omitempty"` // when the person is back (åter), optional
	Reason         string     `json:"reason,omitempty"`  // private, see above
	// OneOff marks a remote day that the person's agreement does not give
	// (a temporary day at home, Bjurholm 002 §3); the presence service sets it.
	OneOff bool `json:"one_off,omitempty"`
	// Default is true for a status nobody set: it comes from the person's
	// agreement through a DefaultStatusFunc, and is not stored.
	Default   bool      `json:"default,omitempty"`
	UpdatedBy string    `json:"updated_by,omitempty"` // empty for the system
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks the status's own fields; today is the current calendar
// day in the organisation's time zone (midnight UTC), now the current
// instant. A day in the past, or more than StatusHorizonDays ahead, is
// refused, and so is a return time before now.
func (d *DayStatus) Validate(today, now time.Time) error {
	var v Validation
	v.Required("person_id", d.PersonID)
	if !slices.Contains(StatusKinds, d.Kind) {
		v.Add("kind", "Välj var du är: arbetsplatsen, distans, annan plats, resa eller frånvarande.",
			"Choose a status: site, remote, elsewhere, travelling or away.")
	}
	if d.Kind == StatusAtSite && strings.TrimSpace(d.SiteID) == "" {
		v.Add("site_id", "Välj arbetsplats.", "Choose the site.")
	}
	if d.Kind != StatusAtSite && d.SiteID != "" {
		v.Add("site_id", "Arbetsplats anges bara när du är på arbetsplatsen.", "A site is given only for the status site.")
	}
	switch {
	case d.Date.IsZero():
		v.Add("date", "Ange dag.", "Give the day.")
	case d.Date.Before(today):
		v.Add("date", "Dagen har redan varit.", "The day has passed.")
	case d.Date.After(today.AddDate(0, 0, StatusHorizonDays)):
		v.Add("date", fmt.Sprintf("Du kan planera högst %d dagar framåt.", StatusHorizonDays),
			fmt.Sprintf("You can plan at most %d days ahead.", StatusHorizonDays))
	}
	if d.BackAt != nil && d.BackAt.Before(now) {
		v.Add("back_at", "Återkomsttiden har redan passerat.", "The return time has already passed.")
	}
	v.MaxLen("reason", d.Reason, 500)
	return v.Err()
}

// DefaultStatusFunc answers the statuses people have on a day when they
// have set none: the remote weekdays of their agreement in force, for
// example. It answers for several people at once, because a page of the
// directory asks for all its hits; people for whom nothing says, or whom
// the actor may not see, are absent from the map. The presence service
// accepts one; without it every remote day is a one-off.
type DefaultStatusFunc func(ctx context.Context, personIDs []string, date time.Time) (map[string]StatusKind, error)

// PhoneKind says which phone a redirection is for, as the policy packs name
// them.
type PhoneKind string

const (
	PhonePersonal PhoneKind = "personal" // the person's own work phone
	PhoneOnCall   PhoneKind = "on_call"  // an on-call phone (jourtelefon): never redirected (004 §6)
)

// RedirectTarget is where calls go while a person is redirected, as the
// policy packs name them.
type RedirectTarget string

const (
	RedirectColleague   RedirectTarget = "colleague"
	RedirectVoicemail   RedirectTarget = "voicemail"
	RedirectSwitchboard RedirectTarget = "switchboard"
	RedirectPrivate     RedirectTarget = "private" // the person's private phone: Sorsele forbids it (004 §4)
)

// RedirectTargets lists the targets in the order the pages show them.
var RedirectTargets = []RedirectTarget{RedirectColleague, RedirectVoicemail, RedirectSwitchboard, RedirectPrivate}

// Redirect is a person's redirection (hänvisning): a short text and the
// time they are back on the phone ("i möte, åter 13:00"), and where calls
// go meanwhile. A person has at most one; it stops showing when Until has
// passed and is removed when the person clears it (back early, 004 §4).
// Whether Until is required, and which targets are allowed, is the policy
// pack's to say: the presence service checks every redirect against it and
// records the pack version it was checked against.
type Redirect struct {
	OrganisationID string         `json:"organisation_id"`
	PersonID       string         `json:"person_id"`
	Phone          PhoneKind      `json:"phone"` // empty means PhonePersonal
	Text           string         `json:"text"`
	Until          *time.Time     `json:"until,omitempty"`
	Target         RedirectTarget `json:"target"`
	ColleagueID    string         `json:"colleague_id,omitempty"`   // for RedirectColleague
	ColleagueName  string         `json:"colleague_name,omitempty"` // filled on read
	PackVersion    int            `json:"pack_version"`
	Notices        []Notice       `json:"notices,omitempty"` // what the pack said, not stored
	UpdatedBy      string         `json:"updated_by,omitempty"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

// Validate checks the redirect's own fields at now; a return time before
// now is refused.
func (r *Redirect) Validate(now time.Time) error {
	var v Validation
	v.Required("person_id", r.PersonID)
	if r.Phone != "" && r.Phone != PhonePersonal && r.Phone != PhoneOnCall {
		v.Add("phone", "Okänd telefon.", "Unknown phone.")
	}
	v.Required("text", r.Text)
	v.MaxLen("text", r.Text, 100)
	if r.Until != nil && r.Until.Before(now) {
		v.Add("until", "Återkomsttiden har redan passerat. Ange en tid framåt, eller ta bort hänvisningen.",
			"The return time has already passed. Give a later time, or remove the redirection.")
	}
	if !slices.Contains(RedirectTargets, r.Target) {
		v.Add("target", "Välj vart samtalen ska gå: kollega, röstbrevlåda, växeln eller privat telefon.",
			"Choose where calls go: colleague, voicemail, switchboard or private phone.")
	}
	switch {
	case r.Target == RedirectColleague && r.ColleagueID == "":
		v.Add("colleague_id", "Välj kollegan som svarar.", "Choose the colleague who answers.")
	case r.Target == RedirectColleague && r.ColleagueID == r.PersonID:
		v.Add("colleague_id", "Du kan inte hänvisa till dig själv.", "You cannot redirect to yourself.")
	case r.Target != RedirectColleague && r.ColleagueID != "":
		v.Add("colleague_id", "Kollega anges bara när samtalen går till en kollega.", "A colleague is given only for the target colleague.")
	}
	return v.Err()
}

// Notice is a finding of the policy pack that did not stop a change (a
// warning, or what the rules say applies), with the clause it comes from,
// for the page to show beside what was saved.
type Notice struct {
	RuleID   string `json:"rule_id"`
	Severity string `json:"severity"` // "warn" or "info"
	Sv       string `json:"message_sv"`
	En       string `json:"message_en"`
	Document string `json:"document"`
	Section  string `json:"section"`
}

// Weekdays are the days of phone sessions and remote days, as the policy
// packs name them.
var Weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// WeekdayOf returns the name in Weekdays of t's weekday.
func WeekdayOf(t time.Time) string { return Weekdays[(int(t.Weekday())+6)%7] }

// PhoneSession is one weekly phone session; Start and End are HH:MM.
type PhoneSession struct {
	Weekday string `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

// PhoneHoursApprover is the role whose decision lets phone hours that break
// the pack's rules stand. Sorsele 004 §3: "Kommunchef får besluta om
// undantag" — the chief executive, which Distans holds as förvaltningsledning.
const PhoneHoursApprover = RoleLeadership

// PhoneHoursDecision is the recorded decision behind an exception: who
// decided, in which role, when and why.
type PhoneHoursDecision struct {
	DecidedBy     string    `json:"decided_by"`
	DecidedByName string    `json:"decided_by_name"`
	Role          Role      `json:"role"`
	Reason        string    `json:"reason"`
	DecidedAt     time.Time `json:"decided_at"`
}

// PhoneHours are the weekly phone hours (telefontider) of a person or of a
// unit: exactly one of PersonID and UnitID is set. A person without their
// own has those of their unit, or of the nearest unit above it that has
// some. Hours that the pack blocks stand only with Exception, a decision by
// PhoneHoursApprover; the presence service records the decider.
type PhoneHours struct {
	OrganisationID string              `json:"organisation_id"`
	PersonID       string              `json:"person_id,omitempty"`
	UnitID         string              `json:"unit_id,omitempty"`
	Sessions       []PhoneSession      `json:"sessions"`
	Exception      *PhoneHoursDecision `json:"exception,omitempty"`
	PackVersion    int                 `json:"pack_version"`
	Notices        []Notice            `json:"notices,omitempty"` // not stored
	UpdatedBy      string              `json:"updated_by,omitempty"`
	UpdatedAt      time.Time           `json:"updated_at"`
}

// OwnerID returns the person or unit the hours belong to.
func (h *PhoneHours) OwnerID() string { return h.PersonID + h.UnitID }

var clockRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// Validate checks the hours' own fields: one owner, one to fifty sessions
// with known weekdays, HH:MM times, each ending after it starts and none
// overlapping another on the same day.
func (h *PhoneHours) Validate() error {
	var v Validation
	if (h.PersonID == "") == (h.UnitID == "") {
		v.Add("person_id", "Ange antingen en person eller en enhet.", "Give either a person or a unit.")
	}
	if len(h.Sessions) == 0 {
		v.Add("sessions", "Ange minst en telefontid, eller ta bort telefontiderna.", "Give at least one session, or remove the phone hours.")
	}
	if len(h.Sessions) > 50 {
		v.Add("sessions", "Högst 50 telefontider i veckan.", "At most 50 sessions a week.")
	}
	for i, s := range h.Sessions {
		f := fmt.Sprintf("sessions[%d]", i)
		if !slices.Contains(Weekdays, s.Weekday) {
			v.Add(f+".weekday", "Okänd veckodag.", "Unknown weekday.")
		}
		ok := true
		for _, c := range [][2]string{{"start", s.Start}, {"end", s.End}} {
			if !clockRE.MatchString(c[1]) {
				v.Add(f+"."+c[0], "Ange en tid som TT:MM, till exempel 09:00.", "Give a time as HH:MM, for example 09:00.")
				ok = false
			}
		}
		if !ok {
			continue
		}
		if s.End <= s.Start {
			v.Add(f+".end", "Sluttiden ska vara efter starttiden.", "The end must be after the start.")
			continue
		}
		for _, o := range h.Sessions[:i] {
			if o.Weekday == s.Weekday && s.Start < o.End && o.Start < s.End {
				v.Add(f, "Telefontiden överlappar en annan samma dag.", "The session overlaps another on the same day.")
				break
			}
		}
	}
	if h.Exception != nil {
		v.Required("exception.reason", h.Exception.Reason)
		v.MaxLen("exception.reason", h.Exception.Reason, 1000)
	}
	return v.Err()
}

// OnCallPhone is a unit's on-call phone (jourtelefon): a number staffed by a
// qualified officer, never redirected (004 §6). The managers of the unit keep
// the list, and the switchboard always sees who is on duty now.
type OnCallPhone struct {
	ID             string      `json:"id"`
	OrganisationID string      `json:"organisation_id"`
	UnitID         string      `json:"unit_id"`
	UnitName       string      `json:"unit_name,omitempty"` // filled on read
	Name           string      `json:"name"`
	Number         string      `json:"number"`
	OnDuty         *OnCallDuty `json:"on_duty,omitempty"` // filled by CurrentOnCall
	CreatedAt      time.Time   `json:"created_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
}

// Validate checks the phone's fields.
func (p *OnCallPhone) Validate() error {
	var v Validation
	v.Required("unit_id", p.UnitID)
	v.Required("name", p.Name)
	v.MaxLen("name", p.Name, 200)
	if !phoneRE.MatchString(p.Number) {
		v.Add("number", "Ange telefonnumret med siffror, till exempel 0952-140 00.", "Enter the phone number in digits.")
	}
	return v.Err()
}

// OnCallDuty is a period in which a person staffs an on-call phone. Periods
// of one phone do not overlap.
type OnCallDuty struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisation_id"`
	PhoneID        string    `json:"phone_id"`
	PersonID       string    `json:"person_id"`
	PersonName     string    `json:"person_name,omitempty"` // filled on read
	Starts         time.Time `json:"starts"`
	Ends           time.Time `json:"ends"`
	CreatedAt      time.Time `json:"created_at"`
}

// Validate checks the duty's fields.
func (d *OnCallDuty) Validate() error {
	var v Validation
	v.Required("phone_id", d.PhoneID)
	v.Required("person_id", d.PersonID)
	switch {
	case d.Starts.IsZero():
		v.Add("starts", "Ange när passet börjar.", "Give the start of the duty.")
	case d.Ends.IsZero() || !d.Ends.After(d.Starts):
		v.Add("ends", "Passet ska sluta efter att det börjar.", "The duty must end after it starts.")
	case d.Ends.Sub(d.Starts) > 31*24*time.Hour:
		v.Add("ends", "Ett pass får vara högst 31 dagar.", "A duty may last at most 31 days.")
	}
	return v.Err()
}

// DirectoryProfile is what the telephone directory keeps about a person
// beyond their record: their keywords (sökord, which everyone keeps up to
// date themselves, 004 §5) and their work mobile number, which is given out
// only by the switchboard (004 §2).
type DirectoryProfile struct {
	OrganisationID string    `json:"organisation_id"`
	PersonID       string    `json:"person_id"`
	Keywords       []string  `json:"keywords"`
	WorkMobile     string    `json:"work_mobile,omitempty"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Validate checks and tidies the profile: keywords are trimmed, blanks and
// repeats dropped; at most 30 of at most 60 characters.
func (d *DirectoryProfile) Validate() error {
	var v Validation
	v.Required("person_id", d.PersonID)
	var kws []string
	for _, k := range d.Keywords {
		k = strings.Join(strings.Fields(k), " ")
		if k == "" || slices.ContainsFunc(kws, func(x string) bool { return strings.EqualFold(x, k) }) {
			continue
		}
		v.MaxLen("keywords", k, 60)
		kws = append(kws, k)
	}
	d.Keywords = kws
	if len(kws) > 30 {
		v.Add("keywords", "Högst 30 sökord.", "At most 30 keywords.")
	}
	if d.WorkMobile != "" && !phoneRE.MatchString(d.WorkMobile) {
		v.Add("work_mobile", "Ange mobilnumret med siffror, till exempel 070-123 45 67.", "Enter the mobile number in digits.")
	}
	return v.Err()
}

// DirectoryFilter is a switchboard search: every word of Query must match
// the name, e-mail, title, unit name or a keyword, whatever the case and
// diacritics ("ostersund" finds "Östersund").
type DirectoryFilter struct {
	Query  string
	UnitID string // this unit and its subtree
	// After and Before are cursors (Page.Next, Page.Prev), as in
	// PersonFilter.
	After, Before string
	Limit         int // 0 means 50; at most 200
}

// DirectoryHit is one person in a search, with what the caller needs to put
// a call through: today's status and return time, the active redirection and
// who covers, today's phone hours, and the numbers. WorkMobile is filled only
// for the switchboard role (004 §2). No reason for absence is ever here.
type DirectoryHit struct {
	PersonID        string         `json:"person_id"`
	Name            string         `json:"name"`
	Title           string         `json:"title,omitempty"`
	UnitID          string         `json:"unit_id,omitempty"`
	UnitName        string         `json:"unit_name,omitempty"`
	Email           string         `json:"email"`
	Phone           string         `json:"phone,omitempty"`
	WorkMobile      string         `json:"work_mobile,omitempty"`
	Keywords        []string       `json:"keywords"`
	Status          StatusKind     `json:"status,omitempty"` // "" when nothing is known for today
	StatusDefault   bool           `json:"status_default,omitempty"`
	SiteID          string         `json:"site_id,omitempty"`
	SiteName        string         `json:"site_name,omitempty"`
	BackAt          *time.Time     `json:"back_at,omitempty"` // the redirect's return time, else the status's
	RedirectText    string         `json:"redirect_text,omitempty"`
	RedirectTarget  RedirectTarget `json:"redirect_target,omitempty"`
	CoveredByID     string         `json:"covered_by_id,omitempty"` // the colleague calls go to
	CoveredByName   string         `json:"covered_by_name,omitempty"`
	PhoneHoursToday []PhoneSession `json:"phone_hours_today"`
}

// Availability is what the pages and the API ask about where people are
// and how to reach them; AvailabilityService (the presence service, which
// checks the policy pack) and AvailabilityStore (the database, which does
// not) both provide it. Everything is scoped to the actor's organisation.
//
// Who may do what: a person sets their own status, redirect, phone hours and
// keywords; so may the managers of their unit (chef) and whoever has
// PermManagePeople there. Unit phone hours and on-call phones are kept by the
// unit's managers and PermManageUnits. Statuses are read by the person and by
// PermViewPeople; everyone signed in may search the directory, see phone
// hours and the current on-call list. Reasons are returned to the person
// alone. Work mobiles are returned to the person, the switchboard role and
// PermManagePeople. Anything outside the caller's reach is ENOTFOUND; what
// the caller may see but not change is EFORBIDDEN. Every change writes an
// audit event in its transaction.
type Availability interface {
	// FindStatus returns the status set for the day, ENOTFOUND when none
	// (the presence service then answers with the default, if any).
	FindStatus(ctx context.Context, personID string, date time.Time) (*DayStatus, error)
	// ListStatuses returns the statuses set in [from, to], by day.
	ListStatuses(ctx context.Context, personID string, from, to time.Time) ([]*DayStatus, error)
	// SetStatus creates or replaces the status for the person and day.
	SetStatus(ctx context.Context, d *DayStatus, now time.Time) error
	ClearStatus(ctx context.Context, personID string, date time.Time) error

	// FindRedirect returns the person's redirect in force at now: ENOTFOUND
	// when there is none or its return time has passed.
	FindRedirect(ctx context.Context, personID string, now time.Time) (*Redirect, error)
	// SetRedirect creates or replaces the person's redirect; EINVALID for a
	// return time before now or a redirect the pack forbids (citing the clause).
	SetRedirect(ctx context.Context, r *Redirect, now time.Time) error
	// ClearRedirect removes the redirect: the person is back early.
	ClearRedirect(ctx context.Context, personID string) error

	// FindPhoneHours returns the hours of a person or unit (ownerID), ENOTFOUND when none.
	FindPhoneHours(ctx context.Context, ownerID string) (*PhoneHours, error)
	SavePhoneHours(ctx context.Context, h *PhoneHours, now time.Time) error
	DeletePhoneHours(ctx context.Context, ownerID string) error

	FindOnCallPhone(ctx context.Context, id string) (*OnCallPhone, error)
	// ListOnCallPhones lists the phones of a unit's subtree, or all when unitID is empty.
	ListOnCallPhones(ctx context.Context, unitID string) ([]*OnCallPhone, error)
	CreateOnCallPhone(ctx context.Context, p *OnCallPhone) error
	UpdateOnCallPhone(ctx context.Context, p *OnCallPhone) error
	// DeleteOnCallPhone removes the phone and its duty periods.
	DeleteOnCallPhone(ctx context.Context, id string) error
	// ListOnCallDuties returns the phone's periods that overlap [from, to).
	ListOnCallDuties(ctx context.Context, phoneID string, from, to time.Time) ([]*OnCallDuty, error)
	// AddOnCallDuty adds a period; ECONFLICT when it overlaps another of the phone.
	AddOnCallDuty(ctx context.Context, d *OnCallDuty) error
	DeleteOnCallDuty(ctx context.Context, id string) error
	// CurrentOnCall lists every on-call phone of the organisation with who
	// is on duty at now (OnDuty nil when nobody is), by unit and name.
	CurrentOnCall(ctx context.Context, now time.Time) ([]*OnCallPhone, error)

	// FindDirectoryProfile returns the person's profile; an empty one when
	// nothing is saved.
	FindDirectoryProfile(ctx context.Context, personID string) (*DirectoryProfile, error)
	SaveDirectoryProfile(ctx context.Context, d *DirectoryProfile) error
	// PeopleWithoutKeywords lists, for a manager, the people in their
	// PermViewPeople scope (optionally one unit's subtree) who are employed
	// and have registered no keywords, in Swedish name order.
	PeopleWithoutKeywords(ctx context.Context, unitID string) ([]*Person, error)
	// SearchDirectory returns one page of the employed people matching the
	// filter, in Swedish name order (Z < Å < Ä < Ö), and where the page sits
	// (how many match, up to CountCap+1, and the cursors around it).
	SearchDirectory(ctx context.Context, f DirectoryFilter, now time.Time) ([]*DirectoryHit, Page, error)
}

// AvailabilityService is Availability with the organisation's policy pack
// applied before anything is stored (internal/presence). It is what the
// pages and the API use.
type AvailabilityService interface {
	Availability
	// PurgeStatusHistory removes the actor's organisation's statuses and
	// lapsed redirects older than the pack's retention (the parameter
	// StatusHistoryParam, else DefaultStatusHistoryDays) and returns how
	// many went. It is for the retention job and needs the system actor.
	PurgeStatusHistory(ctx context.Context, now time.Time) (int, error)
}

// AvailabilityStore is Availability as the database keeps it: it checks
// fields, permissions and the organisation, but not the policy pack.
type AvailabilityStore interface {
	Availability
	// DeleteStatusHistory removes the actor's organisation's statuses of days
	// before before, and redirects whose return time is before it. It needs
	// the system actor.
	DeleteStatusHistory(ctx context.Context, before time.Time) (int, error)
}

// StatusHistoryParam is the name of the int parameter (unit days) by which
// a policy pack says how long status history is kept. No seed document
// names a period: each seed pack declares it at DefaultStatusHistoryDays,
// citing the storage limitation of GDPR art. 5.1 e, for the organisation
// to set.
const StatusHistoryParam = "status_history_days"

// DefaultStatusHistoryDays is how long status history is kept when the pack
// does not say: long enough for the follow-up of remote work that the
// documents ask for (000 Uppföljning), short enough that where people were
// does not become a record of their whereabouts.
const DefaultStatusHistoryDays = 90

// OneOffRemoteParam is the name of the bool parameter by which a policy pack
// may forbid one-off remote days outside an agreement; without it they are
// allowed (Bjurholm 002 §3 allows temporary remote work by arrangement).
const OneOffRemoteParam = "one_off_remote_days"
