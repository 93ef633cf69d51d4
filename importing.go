package distans

import (
	"context"
	"fmt"
	"time"
)

// An import brings an organisation's units, sites, people, employments,
// managers, roles and leave in from the CSV files its HR system exports
// (Heroma, Personec, Visma). It runs in two steps: the files are checked
// against the organisation as it is (the dry run), and what the check
// found is applied only when an administrator confirms it, all of it in
// one transaction or none of it (ImportStore.ApplyImport). Rows are matched on the employee number
// (or else the e-mail address), units and sites on their codes, so that
// importing the same files again changes nothing.

// ImportStatus is where an import is.
type ImportStatus string

const (
	ImportChecking ImportStatus = "checking" // the files are being read and compared (the dry run)
	ImportChecked  ImportStatus = "checked"  // the plan is ready to confirm
	ImportInvalid  ImportStatus = "invalid"  // rows have errors: nothing can be applied
	ImportQueued   ImportStatus = "queued"   // confirmed, waiting for a worker
	ImportApplying ImportStatus = "applying" // being applied, in one transaction
	ImportDone     ImportStatus = "done"     // applied
	ImportFailed   ImportStatus = "failed"   // the apply failed and was rolled back: nothing changed
	ImportStale    ImportStatus = "stale"    // the organisation changed after the check: check again
)

// Finished reports whether nothing more will happen to an import in status s.
func (s ImportStatus) Finished() bool {
	switch s {
	case ImportInvalid, ImportDone, ImportFailed, ImportStale:
		return true
	}
	return false
}

// ImportFile is one uploaded file: its name as the administrator gave it
// and its bytes as uploaded (any encoding; the importer decodes).
type ImportFile struct {
	Name    string
	Content []byte
}

// MaxImportBytes bounds the files of one import together. Kristianstad's
// 7,500 staff take some 3 MB of CSV and Stockholm's 40,000 some 20 MB:
// 256 MiB is ten times the largest municipality's full export, while an
// upload of several gigabytes is refused before it is read (the HTTP
// routes that take files allow this much, and every other route 1 MiB).
const MaxImportBytes = 256 << 20

// ErrImportTooLarge is the refusal of files over MaxImportBytes, by the
// service and by the HTTP routes that take them alike.
func ErrImportTooLarge() *Error {
	mib := MaxImportBytes >> 20
	return Errorf(ETOOLARGE,
		fmt.Sprintf("Filerna är för stora: högst %d MiB tas emot i en import. Dela upp dem i flera importer.", mib),
		fmt.Sprintf("The files are too large: at most %d MiB is accepted in one import. Split them into several imports.", mib))
}

// ImportOptions are what the administrator decides about an import.
// Full says the people files are a full export: everyone with a current
// employment who is missing from them has left, and their employments end
// on EndMissingOn (required when Full; they are not deleted).
type ImportOptions struct {
	Full         bool       `json:"full"`
	EndMissingOn *time.Time `json:"end_missing_on,omitempty"`
}

// ImportRowError is one thing wrong in the files, in Swedish and English,
// naming the file, the line (1 is the header) and the column where it can.
type ImportRowError struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column string `json:"column,omitempty"`
	Sv     string `json:"message_sv"`
	En     string `json:"message_en"`
}

// Message returns the error in lang ("sv" or "en").
func (e ImportRowError) Message(lang string) string {
	if lang == "en" {
		return e.En
	}
	return e.Sv
}

// ImportCount is what an import does to one kind of record.
type ImportCount struct {
	Create    int `json:"create"`
	Update    int `json:"update"`
	End       int `json:"end"`
	Unchanged int `json:"unchanged"`
}

// ImportSummary counts what an import does, by kind of record, and names
// the people whose employment a full export ends (at most 1,000 of them;
// EndingTotal is how many in all).
type ImportSummary struct {
	Units       ImportCount     `json:"units"`
	Sites       ImportCount     `json:"sites"`
	People      ImportCount     `json:"people"`
	Employments ImportCount     `json:"employments"`
	Managers    ImportCount     `json:"managers"`
	Roles       ImportCount     `json:"roles"`
	Leaves      ImportCount     `json:"leaves"`
	Ending      []ImportEnding  `json:"ending,omitempty"`
	EndingTotal int             `json:"ending_total"`
	Rows        int             `json:"rows"` // data rows read, in all files
	Files       []ImportFileSum `json:"files,omitempty"`
}

// ImportFileSum says what the importer took a file for.
type ImportFileSum struct {
	Name  string   `json:"name"`
	Kinds []string `json:"kinds"` // units, sites, people, employments, managers, roles, leave
	Rows  int      `json:"rows"`
}

// ImportEnding is a person whose employment a full export ends.
type ImportEnding struct {
	PersonID       string `json:"person_id"`
	Name           string `json:"name"`
	EmployeeNumber string `json:"employee_number,omitempty"`
}

// Import is one import and where it is. Errors holds at most 1,000 row
// errors; ErrorTotal is how many there were.
type Import struct {
	ID             string           `json:"id"`
	OrganisationID string           `json:"organisation_id"`
	CreatedBy      string           `json:"created_by"` // the person who uploaded
	CreatedByName  string           `json:"created_by_name"`
	Status         ImportStatus     `json:"status"`
	Options        ImportOptions    `json:"options"`
	FileNames      []string         `json:"file_names"`
	Rows           int              `json:"rows"` // the work in all: rows to check, or changes to apply
	Done           int              `json:"done"` // of Rows, done so far
	Summary        *ImportSummary   `json:"summary,omitempty"`
	Errors         []ImportRowError `json:"errors,omitempty"`
	ErrorTotal     int              `json:"error_total"`
	Failure        string           `json:"failure,omitempty"` // why an apply failed, for the user
	CreatedAt      time.Time        `json:"created_at"`
	UpdatedAt      time.Time        `json:"updated_at"`
	FinishedAt     *time.Time       `json:"finished_at,omitempty"`
}

// ImportSnapshot is an organisation's records as an import compares its
// files against them.
type ImportSnapshot struct {
	Units       []*Unit           // every unit, ended ones too, with Code
	Sites       []*Site           // every site, ended ones too, with Code
	People      []*Person         // every person, PersonalNumber in full
	Employments []*Employment     // every employment
	Roles       []*RoleAssignment // current role assignments only
	Leaves      []*Leave          // every leave
}

// ImportPlan is what an import changes. Records to create have their IDs
// and OrganisationID set by the planner; records to update are the whole
// record as it is to be (its ID that of the record in the snapshot). An
// employment or leave is ended by an update that sets EndsOn. CreateUnits
// lists parents before their children; a unit in UpdateUnits may move.
// Managers are set through Unit.ManagerID, which grants the chef role in
// the unit as setting a manager does anywhere.
type ImportPlan struct {
	CreateUnits       []*Unit
	UpdateUnits       []*Unit
	CreateSites       []*Site
	UpdateSites       []*Site
	CreatePeople      []*Person
	UpdatePeople      []*Person
	CreateEmployments []*Employment
	UpdateEmployments []*Employment
	CreateRoles       []*RoleAssignment // Source "import"
	EndRoles          []string          // IDs of role assignments to end
	CreateLeaves      []*Leave
	UpdateLeaves      []*Leave
	Summary           ImportSummary
}

// Changes is how many records the plan writes: the work an apply reports
// progress against.
func (p *ImportPlan) Changes() int {
	return len(p.CreateUnits) + len(p.UpdateUnits) + len(p.CreateSites) + len(p.UpdateSites) +
		len(p.CreatePeople) + len(p.UpdatePeople) + len(p.CreateEmployments) + len(p.UpdateEmployments) +
		len(p.CreateRoles) + len(p.EndRoles) + len(p.CreateLeaves) + len(p.UpdateLeaves)
}

// RoleSourceImport marks a role assignment an import granted: a later import
// with a roles file ends those of them that its file no longer lists, and
// never touches a role granted by hand.
const RoleSourceImport = "import"

// ImportService is imports as the pages, the API and the CLI use them. All
// of it needs Actor.Imports (an administrator of the whole organisation).
//
// StartImport keeps the files and checks them in the background (the dry
// run); FindImport shows how far it has come. ConfirmImport queues a checked
// import to be applied; it is ECONFLICT unless the import is checked, and
// an import whose organisation changed after the check becomes stale when
// it is applied. Errors: EINVALID for no files, a file that is not CSV
// text, or Full without EndMissingOn; ETOOLARGE past the size limit.
type ImportService interface {
	StartImport(ctx context.Context, files []ImportFile, opts ImportOptions) (*Import, error)
	FindImport(ctx context.Context, id string) (*Import, error)
	ListImports(ctx context.Context) ([]*Import, error) // the latest 100, without row errors
	ConfirmImport(ctx context.Context, id string) (*Import, error)
}

// ImportStore keeps imports and applies their plans. Its methods act in the
// organisation of ctx's actor, who must be allowed to import (Actor.Imports),
// except ClaimImport and SaveImportProgress, which a worker calls as the
// system.
//
// ApplyImport first takes the organisation's write lock (what every audited
// change in it waits for), reads the snapshot in that transaction, asks plan
// for the changes, and writes them, the import's status done with the
// summary, and the audit trail (one import event with the counts, plus one
// event per record written), all in that one transaction: on any error,
// plan's included, nothing is written. So the plan applied is always made
// from the organisation as it is when it is applied; the caller compares its
// summary with the dry run's and returns an error from plan when they
// differ, which leaves everything as it was. progress is called inside that
// transaction after each batch with the number of the plan's records
// written; it must not write through the store (on SQLite the transaction
// holds the one writer): FindImport reports the apply's progress itself.
// An import that has finished is not applied (ECONFLICT). On success imp
// is the import as stored: done, with the plan's summary. Its files are
// removed then: the data is in the organisation, and the files would be a
// second copy of personal data.
type ImportStore interface {
	CreateImport(ctx context.Context, imp *Import, files []ImportFile) error
	FindImport(ctx context.Context, id string) (*Import, error)
	ListImports(ctx context.Context) ([]*Import, error) // the latest 100, without row errors
	ImportFiles(ctx context.Context, orgID, id string) ([]ImportFile, error)
	// SaveImportProgress records Status, Done, Rows, Summary, Errors,
	// ErrorTotal, Failure and FinishedAt of imp (as the worker that holds it).
	// A finished import is not changed again: ECONFLICT.
	SaveImportProgress(ctx context.Context, imp *Import) error
	// QueueImport moves a checked import to queued (ConfirmImport's write);
	// ECONFLICT from any other status.
	QueueImport(ctx context.Context, id string) (*Import, error)
	// ClaimImport gives a worker the oldest import that is checking,
	// queued or applying (a worker stopped in the middle: its transaction
	// rolled back) and whose lease has run out, leased to it until
	// now+lease; nil when there is none. Several instances never hold one
	// import at once. It needs the system actor, of no organisation (any
	// import) or of one (only there).
	ClaimImport(ctx context.Context, now time.Time, lease time.Duration) (*Import, error)
	// RenewImport extends the lease on import id of organisation orgID to
	// until, for the worker that claimed it and is still working on it (as
	// the system); ECONFLICT when the import is no longer checking, queued
	// or applying. Without it a check or an apply longer than the lease
	// would be taken over while it runs.
	RenewImport(ctx context.Context, orgID, id string, until time.Time) error
	// ImportSnapshot reads the organisation's records for a dry run.
	ImportSnapshot(ctx context.Context, orgID string) (*ImportSnapshot, error)
	ApplyImport(ctx context.Context, imp *Import, plan func(*ImportSnapshot) (*ImportPlan, error), progress func(done int)) error
}
