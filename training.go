package distans

import (
	"context"
	"io"
	"slices"
	"time"
)

// Training: the courses an organisation asks of its people (Kristianstads
// kommun, Instruktion för digital kommunikation, Utbildning: everyone
// takes DISA, MSB's basic course in information security, preferably when
// the employment begins, and each unit manager sees to it that their
// staff have), who has taken them, and who has not.
//
// The catalogue is the organisation's policy pack: each course names who
// must take it, by when from the start of the employment, how often it is
// renewed, and the clause it rests on, so that HR edits and versions it
// like every other rule. Completions are records in the store.

// Course is one course of the organisation's catalogue, as its active
// policy pack gives it.
type Course struct {
	ID          string     `json:"id"` // the pack's id: "disa", or the organisation's own
	Title       PolicyText `json:"title"`
	Description PolicyText `json:"description"`
	// URL is where the course is taken. DISA is MSB's free course; its
	// SCORM package is CC BY-SA 4.0 and is linked to, never bundled.
	URL      string         `json:"url,omitempty"`
	Audience CourseAudience `json:"audience"`
	// DeadlineDays is the time from the first day of the person's
	// current employment within which the course is due.
	DeadlineDays int `json:"deadline_days"`
	// RenewMonths is how long a completion holds: 0, for ever.
	RenewMonths int          `json:"renew_months,omitempty"`
	Source      PolicySource `json:"source"`
	Citation    string       `json:"citation"` // the clause as people know it
}

// CourseAudience is who must take a course: everyone, or those who hold
// one of Roles, or those employed in the subtree of a unit whose HR code
// (Unit.Code) is in UnitCodes. Several given: anyone who matches one.
type CourseAudience struct {
	Everyone  bool     `json:"everyone,omitempty"`
	Roles     []Role   `json:"roles,omitempty"`
	UnitCodes []string `json:"unit_codes,omitempty"`
}

// TrainingSubject is what the training rule needs of one person: their
// current employment's first day and unit, the roles they hold, and the
// latest completion date of each course. The store reads it; the rule
// (TrainingStatusOf) is computed here, once, for the pages, the API and
// the jobs alike.
type TrainingSubject struct {
	PersonID   string `json:"person_id"`
	PersonName string `json:"person_name"`
	UnitID     string `json:"unit_id"`
	UnitName   string `json:"unit_name"`
	UnitPath   string `json:"-"`
	// EmployedFrom is the first day of the current employment (midnight
	// UTC).
	EmployedFrom time.Time `json:"employed_from"`
	Roles        []Role    `json:"roles,omitempty"`
	// Completed is the latest completion date of each course ID.
	Completed map[string]time.Time `json:"completed,omitempty"`
}

// TrainingState is where a person stands with one course.
type TrainingState string

const (
	TrainingDone    TrainingState = "done"    // completed, and the completion holds
	TrainingDue     TrainingState = "due"     // not done, and the deadline has not passed
	TrainingOverdue TrainingState = "overdue" // not done by the deadline
	TrainingExpired TrainingState = "expired" // done, but the renewal interval has passed: due again at once
)

// Missing reports whether the state is one that counts as not done.
func (s TrainingState) Missing() bool { return s != TrainingDone }

// TrainingStatus is one person's standing with one course.
type TrainingStatus struct {
	CourseID   string        `json:"course_id"`
	PersonID   string        `json:"person_id"`
	PersonName string        `json:"person_name,omitempty"`
	UnitID     string        `json:"unit_id,omitempty"`
	UnitName   string        `json:"unit_name,omitempty"`
	State      TrainingState `json:"state"`
	// DueOn is the deadline: the employment's first day plus the
	// course's DeadlineDays, or, once done with a renewal interval, the
	// day the completion runs out.
	DueOn       time.Time  `json:"due_on"`
	CompletedOn *time.Time `json:"completed_on,omitempty"`
	ExpiresOn   *time.Time `json:"expires_on,omitempty"`
	DaysOverdue int        `json:"days_overdue,omitempty"` // for overdue and expired
	Citation    string     `json:"citation"`
}

// Applies reports whether course c asks anything of subject s.
// unitPaths maps each of the audience's unit codes to that unit's
// materialised path (codes the organisation does not have are absent).
func (c *Course) Applies(s *TrainingSubject, unitPaths map[string]string) bool {
	if c.Audience.Everyone {
		return true
	}
	for _, r := range c.Audience.Roles {
		if slices.Contains(s.Roles, r) {
			return true
		}
	}
	for _, code := range c.Audience.UnitCodes {
		if p, ok := unitPaths[code]; ok && (Scope{UnitPaths: []string{p}}).Contains(s.UnitPath) {
			return true
		}
	}
	return false
}

// TrainingStatusOf is the training rule: where subject s stands with
// course c on the calendar day today (midnight UTC), and false when the
// course does not apply to them. A completion holds for RenewMonths
// calendar months (for ever when 0); a completion before the employment
// began counts (DISA taken in an earlier job in the same organisation).
func TrainingStatusOf(c *Course, s *TrainingSubject, unitPaths map[string]string, today time.Time) (TrainingStatus, bool) {
	if !c.Applies(s, unitPaths) {
		return TrainingStatus{}, false
	}
	st := TrainingStatus{CourseID: c.ID, PersonID: s.PersonID, PersonName: s.PersonName, UnitID: s.UnitID,
		UnitName: s.UnitName, Citation: c.Citation}
	st.DueOn = s.EmployedFrom.AddDate(0, 0, c.DeadlineDays)
	if done, ok := s.Completed[c.ID]; ok {
		st.CompletedOn = &done
		if c.RenewMonths <= 0 {
			st.State = TrainingDone
			return st, true
		}
		expires := done.AddDate(0, c.RenewMonths, 0)
		st.ExpiresOn = &expires
		if today.Before(expires) {
			st.State, st.DueOn = TrainingDone, expires
			return st, true
		}
		st.State, st.DueOn = TrainingExpired, expires
		st.DaysOverdue = int(today.Sub(expires).Hours() / 24)
		return st, true
	}
	if today.After(st.DueOn) {
		st.State = TrainingOverdue
		st.DaysOverdue = int(today.Sub(st.DueOn).Hours() / 24)
		return st, true
	}
	st.State = TrainingDue
	return st, true
}

// CompletionSource is how a completion came to be recorded.
type CompletionSource string

const (
	CompletionSelf    CompletionSource = "self"    // the person recorded it
	CompletionOther   CompletionSource = "other"   // a manager or HR recorded it for them
	CompletionImport  CompletionSource = "import"  // a CSV import of past completions
	CompletionChecked CompletionSource = "checked" // reserved: a course platform's report
)

// TrainingCompletion is the record that a person completed a course on a
// day, with an optional certificate (a PDF or an image of at most
// MaxAttachment bytes).
type TrainingCompletion struct {
	ID             string           `json:"id"`
	OrganisationID string           `json:"organisation_id"`
	PersonID       string           `json:"person_id"`
	PersonName     string           `json:"person_name,omitempty"`
	PersonUnitPath string           `json:"-"`
	CourseID       string           `json:"course_id"`
	CompletedOn    time.Time        `json:"completed_on"` // a date, midnight UTC
	Source         CompletionSource `json:"source"`
	// Certificate is the file's description; its Content is read only by
	// TrainingService.Certificate.
	Certificate    *Attachment `json:"certificate,omitempty"`
	RecordedByID   string      `json:"recorded_by_id,omitempty"`
	RecordedByName string      `json:"recorded_by_name,omitempty"`
	CreatedAt      time.Time   `json:"created_at"`
}

// CompletionRequest records a completion: PersonID is the person (the
// actor's own when empty), CourseID a course of the active pack's
// catalogue, CompletedOn the day, Certificate an optional file.
type CompletionRequest struct {
	PersonID    string      `json:"person_id"`
	CourseID    string      `json:"course_id"`
	CompletedOn time.Time   `json:"completed_on"`
	Certificate *Attachment `json:"-"`
}

// ValidateCompletion checks a completion against the day it is recorded
// (today, midnight UTC in the organisation's time zone) and the first
// day of the person's first employment in the organisation (zero when
// they have none): a date in the future or before that first day is
// refused, as is a certificate that is not a PDF or an image or is larger
// than MaxAttachment.
func ValidateCompletion(r *CompletionRequest, firstEmployed, today time.Time) error {
	var v Validation
	v.Required("course_id", r.CourseID)
	switch {
	case r.CompletedOn.IsZero():
		v.Add("completed_on", "Ange datumet då utbildningen genomfördes.", "Enter the date the course was completed.")
	case r.CompletedOn.After(today):
		v.Add("completed_on", "Datumet kan inte ligga i framtiden.", "The date cannot be in the future.")
	case !firstEmployed.IsZero() && r.CompletedOn.Before(firstEmployed):
		v.Add("completed_on", "Datumet kan inte vara före anställningens början ("+firstEmployed.Format(time.DateOnly)+").",
			"The date cannot be before the employment began ("+firstEmployed.Format(time.DateOnly)+").")
	}
	if c := r.Certificate; c != nil {
		if !slices.Contains(AttachmentTypes, c.ContentType) {
			v.Add("certificate", "Intyget måste vara en PDF eller en bild (JPEG, PNG).", "The certificate must be a PDF or an image (JPEG, PNG).")
		}
		if c.Size > MaxAttachment || int64(len(c.Content)) > MaxAttachment {
			v.Add("certificate", "Intyget får vara högst 10 MB.", "The certificate may be at most 10 MB.")
		}
	}
	return v.Err()
}

// TrainingCoverage is how a course stands in a unit's subtree (a
// manager's) or the whole organisation (HR's, ledning's): the counts per
// unit and, for those who may see people (Actor.FollowsTrainingIn), who
// is missing it, most overdue first.
type TrainingCoverage struct {
	CourseID string         `json:"course_id"`
	UnitID   string         `json:"unit_id,omitempty"` // empty: the organisation
	Required int            `json:"required"`
	Done     int            `json:"done"`
	Overdue  int            `json:"overdue"` // overdue or expired
	PerUnit  []UnitTraining `json:"per_unit"`
	// Missing is left empty for an actor who sees only counts.
	Missing []TrainingStatus `json:"missing,omitempty"`
}

// UnitTraining is one unit's counts for a course, the people employed in
// the unit itself (not its subtree).
type UnitTraining struct {
	UnitID   string `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Required int    `json:"required"`
	Done     int    `json:"done"`
	Overdue  int    `json:"overdue"`
}

// TrainingImport is the result of a CSV import of past completions
// (person by employee number or e-mail, course ID, date): what it would
// record (DryRun) or recorded, and the row errors naming line and column.
// Nothing is recorded unless every row is valid.
type TrainingImport struct {
	DryRun   bool             `json:"dry_run"`
	Rows     int              `json:"rows"`
	Recorded int              `json:"recorded"`
	Errors   []ImportRowError `json:"errors"`
}

// TrainingService is the training of the actor's organisation. Every
// method refuses with ENOTFOUND what the actor may not see, EFORBIDDEN a
// change the actor may not make, EINVALID bad input (saving nothing).
// Every change is audited.
type TrainingService interface {
	// Courses is the active pack's catalogue.
	Courses(ctx context.Context) ([]*Course, error)
	// PersonTraining is where a person (the actor when personID is
	// empty) stands with every course that applies to them.
	PersonTraining(ctx context.Context, personID string) ([]TrainingStatus, error)
	RecordCompletion(ctx context.Context, r *CompletionRequest) (*TrainingCompletion, error)
	ListCompletions(ctx context.Context, personID string) ([]*TrainingCompletion, error)
	// RemoveCompletion withdraws a completion recorded in error, with
	// the reason in the audit trail.
	RemoveCompletion(ctx context.Context, id, reason string) error
	Certificate(ctx context.Context, completionID string) (*Attachment, error)
	// ImportCompletions reads a CSV of past completions the importer's
	// way and records them all in one transaction unless dryRun or a row
	// is bad (HR: Actor.ImportsTraining).
	ImportCompletions(ctx context.Context, r io.Reader, dryRun bool) (*TrainingImport, error)
	// Coverage is a course's coverage in unitID's subtree (the actor's
	// whole scope when empty).
	Coverage(ctx context.Context, courseID, unitID string) (*TrainingCoverage, error)
}

// Training rules: who records, who follows, who sees counts.

// RecordsTrainingOf reports whether the actor may record or withdraw a
// completion for the person with personID in the unit at unitPath: the
// person themselves, their managers (003: the unit manager sees to it),
// and HR.
func (a *Actor) RecordsTrainingOf(personID, unitPath string) bool {
	return a != nil && !a.System && a.PersonID != "" && (a.PersonID == personID ||
		a.RoleScope(RoleManager).Contains(unitPath) || a.RoleScope(RoleHR).Contains(unitPath))
}

// FollowsTrainingIn is where the actor sees people's training and who is
// missing a course: where they follow acknowledgements (managers, HR,
// administrators; 003 Utbildning).
func (a *Actor) FollowsTrainingIn() Scope { return a.Scope(PermFollowAcknowledgements) }

// SeesTrainingOf reports whether the actor sees a person's training and
// certificates: the person and whoever follows training in their unit.
func (a *Actor) SeesTrainingOf(personID, unitPath string) bool {
	return a != nil && (a.System || (a.PersonID != "" && a.PersonID == personID) ||
		a.FollowsTrainingIn().Contains(unitPath))
}

// SeesTrainingCounts reports whether the actor sees coverage counts for
// the whole organisation: ledning, without names, and those who follow
// training everywhere (HR, administrators), with them. The union is not
// among them: a unit's count of one is a person, and its aggregates wait
// for the reports' suppression of small groups.
func (a *Actor) SeesTrainingCounts() bool {
	return a != nil && (a.RoleScope(RoleLeadership).All || a.FollowsTrainingIn().All)
}

// ImportsTraining reports whether the actor may import past completions:
// HR or an administrator for the whole organisation.
func (a *Actor) ImportsTraining() bool {
	return a.RoleScope(RoleHR).All || a.RoleScope(RoleAdmin).All
}
