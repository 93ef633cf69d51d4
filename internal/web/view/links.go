package view

import (
	"time"

	"github.com/distans/distans"
)

// ForgotPage is /password/forgot: the e-mail address to send a reset link
// to, and, once sent, the same answer whether or not the address is known.
type ForgotPage struct {
	Layout
	Form *Form
	Sent bool
}

// Template implements Page.
func (*ForgotPage) Template() string { return "password_forgot" }

// LinkPage is /link/{token}: whom the link is for, the organisation's
// password rules and the form to choose a password; or, when the link
// cannot be used, a page that says so (Gone).
type LinkPage struct {
	Layout
	Gone   bool
	Target *distans.LinkTarget
	Action string // where the form posts: the link itself
	Form   *Form
}

// Template implements Page.
func (*LinkPage) Template() string { return "link" }

// Invitation reports whether the link is an invitation (else a reset).
func (p *LinkPage) Invitation() bool {
	return p.Target != nil && p.Target.Purpose == distans.LinkInvitation
}

// InvitationPage is what an administrator sees after inviting a person:
// the link to hand over with its expiry, or where it was e-mailed.
type InvitationPage struct {
	Layout
	Invitation *distans.Invitation
	Expires    time.Time
}

// Template implements Page.
func (*InvitationPage) Template() string { return "invitation" }
