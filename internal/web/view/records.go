package view

// RegisterPage is the register (diarium): the search form, one page of
// entries and the links to the next page and to the export.
type RegisterPage struct {
	Layout
	Form    *Form
	Kinds   []Option
	Rows    []RegisterRow
	NextURL string // the next page (keyset), "" when none
	CSVURL  string // the export with the same filters
	First   bool   // the first page (no after=)
	// Releases offers the secrecy review of a request for each case.
	Releases bool
}

// Template implements Page.
func (*RegisterPage) Template() string { return "records_register" }

// RegisterRow is one entry as the table shows it.
type RegisterRow struct {
	Number, Date, ISODate, Kind, Subject, Party, State string
	Secret                                             bool
	SecretText                                         string // what the mark covers, for the reader
	ReleaseHref                                        string // the secrecy review of a request for the case; "" without the service
}
