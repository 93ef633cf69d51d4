package view

// The installation's pages (/drift): its administrators sign in, list the
// organisations with counts and health, create one, and rename, suspend,
// resume or end it. Nothing on them names a person of an organisation but
// the administrator the operator just typed in.

// DriftSignInPage is the operators' sign-in.
type DriftSignInPage struct {
	Layout
	Form *Form
}

func (*DriftSignInPage) Template() string { return "drift_signin" }

// DriftLinkPage sets an operator's password from a one-time link.
type DriftLinkPage struct {
	Layout
	Form      *Form
	Email     string
	Action    string // the link's own URL: the token stays out of every log but this form's target
	MinLength int
}

func (*DriftLinkPage) Template() string { return "drift_link" }

// DriftOrgRow is one organisation as the operator sees it: counts, never
// a person.
type DriftOrgRow struct {
	ID, Slug, Name, TimeZone, Language string
	Status, StatusLabel                string
	StatusChanged                      string
	People, Units, Employments         int
	Agreements, PolicyVersion          int
	FailedNotifications                int
	LastActivity                       string // "" when there is none
}

// DriftHomePage lists the organisations.
type DriftHomePage struct {
	Layout
	Orgs []DriftOrgRow
}

func (*DriftHomePage) Template() string { return "drift_home" }

// DriftNewOrgPage is the form that creates an organisation.
type DriftNewOrgPage struct {
	Layout
	Form      *Form
	Packs     []Option
	Languages []Option
}

func (*DriftNewOrgPage) Template() string { return "drift_org_new" }

// DriftCreatedPage shows what creating an organisation made, and the
// administrator's invitation link once (it is never stored).
type DriftCreatedPage struct {
	Layout
	Org                   DriftOrgRow
	AdminName, AdminEmail string
	Pack                  string
	InviteURL             string
	InviteSent            bool
	InviteExpires         string
	InviteError           string
}

func (*DriftCreatedPage) Template() string { return "drift_org_created" }

// DriftOrgPage is one organisation: rename, suspend, resume, end.
type DriftOrgPage struct {
	Layout
	Org                           DriftOrgRow
	Form                          *Form // rename
	EndForm                       *Form // the confirmation of ending
	Ended                         bool
	CanSuspend, CanResume, CanEnd bool
}

func (*DriftOrgPage) Template() string { return "drift_org" }
