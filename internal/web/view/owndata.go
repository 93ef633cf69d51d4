package view

// DataRequestRow is one request for a person's own data.
type DataRequestRow struct {
	ID          string
	Person      string // for HR's list
	PersonHref  string
	RequestedAt string
	RequestedBy string
	Due         string
	Overdue     bool
	Delivered   string // empty while open
	JSONHref    string
	PDFHref     string
}

// OwnDataPage is Mina uppgifter (one's own data, GDPR art. 15 and 20):
// the form to ask, the requests with their deadlines and downloads; on a
// person's page, HR asking for them (Person set). HR sees the open
// requests of their scope (ShowOpen).
type OwnDataPage struct {
	Layout
	Person   string // the person HR asks for; empty on one's own page
	Action   string // where the request form posts
	Requests []DataRequestRow
	ShowOpen bool
	Open     []DataRequestRow
}

// Template implements Page.
func (*OwnDataPage) Template() string { return "owndata" }
