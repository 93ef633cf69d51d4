package view

import (
	"html/template"
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

// InvitationBatchPage is what an administrator sees after inviting
// everyone who still needed it: how many went out by e-mail, and the
// links to hand over as a CSV file and, for the first of them, a table.
// The links are on this page only; nothing keeps them.
type InvitationBatchPage struct {
	Layout
	Batch   *distans.InvitationBatch
	Summary string // "N inbjudningar skickade", in the reader's language
	// HandOver is the first invitations to hand over (BatchTableRows at
	// most), HandOverTotal all of them, and CSV the files with all of
	// them, as data: URLs that the browser saves without asking the server
	// again.
	HandOver      []*distans.Invitation
	HandOverTotal int
	CSV           []CSVFile
	Back          string // the page the batch was started from
}

// CSVFile is one file of links to download: its data: URL, its name and
// which of the links it holds (From and To count from 1).
type CSVFile struct {
	Href     template.URL
	Name     string
	From, To int
}

// BatchTableRows is how many links the batch page shows in its table;
// the CSV files have them all.
const BatchTableRows = 50

// CSVFileRows is how many links one CSV file of the batch page holds: a
// data: URL is kept under 2 MB, the most Chromium downloads, so a large
// organisation gets several files rather than one that does not save.
const CSVFileRows = 5000

// Template implements Page.
func (*InvitationBatchPage) Template() string { return "invitations" }

// More is how many links to hand over the table leaves to the CSV file.
func (p *InvitationBatchPage) More() int { return p.HandOverTotal - len(p.HandOver) }
