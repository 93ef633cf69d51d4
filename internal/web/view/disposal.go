package view

// DisposalPage is Gallring: the plan (a dry run) per type with its period
// and clause, the button to dispose now, the holds and the log.
type DisposalPage struct {
	Layout
	Plan      []DisposalRow
	Disposes  bool // may dispose by hand (Actor.Disposes)
	HoldsForm bool // may place and release holds (Actor.HoldsRecords)
	Form      *Form
	Types     []Option
	Holds     []HoldRow
	Log       []DisposalLogRow
}

// Template implements Page.
func (*DisposalPage) Template() string { return "records_disposal" }

// DisposalRow is one type of the plan.
type DisposalRow struct {
	Type, How, Period, Citation, Quote, SweptBy, Cutoff, Oldest string
	Count, Held                                                 int
}

// HoldRow is one hold.
type HoldRow struct {
	ID, Whom, What, Reason, PlacedBy, PlacedAt, Released string
	Open                                                 bool
}

// DisposalLogRow is one entry of the log.
type DisposalLogRow struct {
	At, Who, Type, How, Period, Cutoff string
	Count                              int
}
