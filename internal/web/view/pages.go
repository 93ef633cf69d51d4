package view

import "github.com/distans/distans"

// SignInPage is /signin: e-mail and password, the organisation chooser when
// the same credentials fit several organisations, and single sign-on.
type SignInPage struct {
	Layout
	Form    *Form
	Next    string        // where to go after signing in
	Choices []Option      // organisations to choose between (slug, name)
	SSOOrgs []Option      // organisations to start single sign-on with
	Demo    *DemoAccounts // the demo accounts, when the demo organisations are loaded
	// A form sent after the session ended: where it went and what it held,
	// carried through sign-in to be offered again (see ResendPage).
	ResendTo string
	Keep     []KeptField
}

// DemoAccounts is what the sign-in page says about the demo accounts.
type DemoAccounts struct {
	Password string
	Examples []string // a few e-mail addresses
	Accounts []DemoAccountRow
}

// DemoAccountRow is one demo account as the sign-in page lists it.
type DemoAccountRow struct {
	Org   string // the organisation's name
	Role  string // in words
	Email string
}

// Template implements Page.
func (*SignInPage) Template() string { return "signin" }

// KeptField is one value of a form that was refused because the session
// had ended.
type KeptField struct{ Name, Value string }

// ResendPage, right after signing in again, shows what a form refused for
// an ended session held and offers to send it once more: nothing is sent
// until the person says so.
type ResendPage struct {
	Layout
	Action string // where the form goes
	Fields []KeptField
	Back   string // the page the form was on
}

// Template implements Page.
func (*ResendPage) Template() string { return "resend" }

// HomePage is the start page; what it shows depends on the person's roles.
type HomePage struct {
	Layout
	Me           *distans.Person
	Org          *distans.Organisation
	UnitName     string
	Roles        []string
	ManagedUnits []UnitCount
	CanPeople    bool // may list people
	CanManage    bool // may create people
	CanUnits     bool
	CanSites     bool
	CanAudit     bool
	Switchboard  bool
	Aggregates   *Aggregates
	Pending      []*distans.PolicyDocument // required documents the person has yet to acknowledge

	// What the person needs today, whatever their roles.
	Today      string            // the organisation's today, 2026-11-22
	Status     *StatusRow        // today's status, set or from the agreement; nil when none
	Redirect   *distans.Redirect // the redirection in force; nil when none
	Agreement  *AgreementRow     // the agreement in force, with its next follow-up; nil when none
	OpenCase   *AgreementRow     // the case under way (a request, a renewal); nil when none
	CanRequest bool              // no open case: the person may ask for remote work
	Bookings   []BookingRow      // the coming desk bookings, the first few
	MoreLater  bool              // there are more coming bookings than Bookings shows
	Waiting    []WaitingItem     // signatures, risk questions and unread notifications
	Unread     int               // unread notifications in all

	// The manager's queue: cases waiting for a decision or signature,
	// follow-ups due and agreements expiring, each with why.
	ShowQueue  bool
	Queue      []AgreementRow
	QueueTotal int
}

// WaitingItem is one thing that waits for the person, with the page where
// they deal with it.
type WaitingItem struct {
	Text string
	Link string
}

// Template implements Page.
func (*HomePage) Template() string { return "home" }

// UnitCount is a unit and how many people work in it and below it.
type UnitCount struct {
	ID     string
	Name   string
	People int
}

// Aggregates are counts without personal data for management and unions.
type Aggregates struct {
	People int // -1 when not available
	Units  int
	Sites  int
}

// PeoplePage is the list of people with search, unit filter and paging.
type PeoplePage struct {
	Layout
	Query     string
	UnitID    string
	Units     []Option
	People    []PersonRow
	Total     int  // matches, at most distans.CountCap
	Capped    bool // more than Total match
	PrevURL   string
	NextURL   string
	CanCreate bool
	// InviteAll offers the form that invites everyone who still needs it,
	// to those who may invite them all at once. The list does not count
	// them: with tens of thousands of people the count costs more than a
	// page of the list, and the answer to the form says how many.
	InviteAll bool
	// PendingInvitations is always 0 here (the shared form's count).
	PendingInvitations int
}

// Template implements Page.
func (*PeoplePage) Template() string { return "people" }

// PersonRow is one line of the people list.
type PersonRow struct {
	ID, Name, Email, Phone, Title, UnitName string
}

// PersonPage is one person with employments, leave and roles.
type PersonPage struct {
	Layout
	Person       *distans.Person
	UnitName     string
	SiteName     string
	Employments  []EmploymentRow
	Leaves       []LeaveRow
	ShowLeaves   bool
	Roles        []RoleRow
	ShowRoles    bool
	CanManage    bool
	CanSecret    bool
	CanSignIn    bool // set the password
	CanUnlock    bool // lift a lock-out
	CanRoles     bool
	RevealedPNR  string
	PasswordForm *Form
	// OwnDataHref is HR's page for asking for the person's own data
	// (GDPR art. 15), empty for anyone else.
	OwnDataHref string
}

// Template implements Page.
func (*PersonPage) Template() string { return "person" }

// EmploymentRow is an employment with its unit and site named.
type EmploymentRow struct {
	*distans.Employment
	UnitName string
	SiteName string
	Ended    bool
}

// LeaveRow is a leave with its kind named.
type LeaveRow struct {
	*distans.Leave
	KindLabel string
	Ended     bool
}

// RoleRow is a role assignment with its role and unit named.
type RoleRow struct {
	*distans.RoleAssignment
	Label    string
	UnitName string
}

// PersonFormPage creates or edits a person.
type PersonFormPage struct {
	Layout
	Form     *Form
	Action   string
	Editing  bool
	PersonID string
	Units    []Option
	Sites    []Option
	Langs    []Option
}

// Template implements Page.
func (*PersonFormPage) Template() string { return "person_form" }

// EmploymentFormPage adds an employment to a person.
type EmploymentFormPage struct {
	Layout
	Form   *Form
	Person *distans.Person
	Units  []Option
	Sites  []Option
}

// Template implements Page.
func (*EmploymentFormPage) Template() string { return "employment_form" }

// LeaveFormPage adds a leave to a person.
type LeaveFormPage struct {
	Layout
	Form   *Form
	Person *distans.Person
	Kinds  []Option
}

// Template implements Page.
func (*LeaveFormPage) Template() string { return "leave_form" }

// RoleFormPage grants a person a role.
type RoleFormPage struct {
	Layout
	Form   *Form
	Person *distans.Person
	Roles  []Option
	Units  []Option
}

// Template implements Page.
func (*RoleFormPage) Template() string { return "role_form" }

// UnitsPage is the unit tree.
type UnitsPage struct {
	Layout
	Tree      []*UnitNode
	CanManage bool
	ShowEnded bool
}

// Template implements Page.
func (*UnitsPage) Template() string { return "units" }

// UnitNode is a unit with its children, for the tree.
type UnitNode struct {
	*distans.Unit
	KindLabel   string
	ManagerName string
	Children    []*UnitNode
}

// UnitFormPage creates or edits a unit.
type UnitFormPage struct {
	Layout
	Form     *Form
	Action   string
	Unit     *distans.Unit // nil when creating
	Parents  []Option
	Kinds    []Option
	Managers []Option
}

// Template implements Page.
func (*UnitFormPage) Template() string { return "unit_form" }

// SitesPage lists the sites.
type SitesPage struct {
	Layout
	Sites     []SiteRow
	CanManage bool
	ShowEnded bool
}

// Template implements Page.
func (*SitesPage) Template() string { return "sites" }

// SiteRow is a site with its kind named.
type SiteRow struct {
	*distans.Site
	KindLabel string
}

// SiteFormPage creates or edits a site.
type SiteFormPage struct {
	Layout
	Form   *Form
	Action string
	Site   *distans.Site // nil when creating
	Kinds  []Option
}

// Template implements Page.
func (*SiteFormPage) Template() string { return "site_form" }

// ProfilePage is the signed-in person's own page.
type ProfilePage struct {
	Layout
	Me           *distans.Person
	Org          *distans.Organisation
	UnitName     string
	Roles        []string
	Langs        []Option
	PasswordForm *Form
	TokenForm    *Form
	Tokens       []*distans.APIToken
	NewSecret    string // shown once, right after creating a token
	NewTokenName string
	Acks         []*distans.Acknowledgement // what the person has acknowledged, newest first
}

// Template implements Page.
func (*ProfilePage) Template() string { return "profile" }

// AuditPage is the audit trail with filters and paging.
type AuditPage struct {
	Layout
	Filter    *Form
	Actors    []Option
	Events    []*distans.AuditEvent
	OlderURL  string
	NewestURL string
}

// Template implements Page.
func (*AuditPage) Template() string { return "audit" }

// SignInLogPage is the sign-in log with filters and paging back in time.
type SignInLogPage struct {
	Layout
	Filter   *Form
	People   []Option
	Outcomes []Option
	Events   []*distans.SignInEvent
	NextURL  string
	FirstURL string
	// KeptDays is how long the log is kept (the pack's access_log_days).
	KeptDays int
}

func (*SignInLogPage) Template() string { return "signins" }

// ErrorPage is a 403, 404 or 500 page (and any other error a person sees).
type ErrorPage struct {
	Layout
	Status  int
	Message string
}

// Template implements Page.
func (*ErrorPage) Template() string { return "error" }
