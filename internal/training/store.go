package training

import (
	"context"
	"time"

	"github.com/distans/distans"
)

// Store is the training store; *sqlstore.Store is one. Each method acts as
// the actor in ctx and enforces the training rules of training.go in the
// domain package (RecordsTrainingOf, SeesTrainingOf, FollowsTrainingIn,
// SeesTrainingCounts, ImportsTraining).
type Store interface {
	// CreateTrainingCompletions records completions in one transaction:
	// each checked against the person's first employment in the
	// organisation and today in its time zone (distans.ValidateCompletion,
	// EINVALID naming the row's field), each allowed to the actor
	// (RecordsTrainingOf, or ImportsTraining for CompletionImport), each
	// audited ("training.completion_recorded"). IDs, CreatedAt and
	// RecordedBy are filled in.
	CreateTrainingCompletions(ctx context.Context, cs []*distans.TrainingCompletion) error
	// CheckTrainingCompletions answers as CreateTrainingCompletions
	// would, saving nothing (an import's dry run).
	CheckTrainingCompletions(ctx context.Context, cs []*distans.TrainingCompletion) error
	FindTrainingCompletion(ctx context.Context, id string) (*distans.TrainingCompletion, error)
	// ListTrainingCompletions is a person's completions, newest first,
	// without the certificates' content.
	ListTrainingCompletions(ctx context.Context, personID string) ([]*distans.TrainingCompletion, error)
	// RemoveTrainingCompletion withdraws a completion (kept, marked
	// removed, with who, when and why; audited).
	RemoveTrainingCompletion(ctx context.Context, id, reason string) error
	// TrainingCertificate is a completion's certificate with its content.
	TrainingCertificate(ctx context.Context, completionID string) (*distans.Attachment, error)
	// TrainingSubjects is what the training rule needs of the people
	// currently employed in unitID's subtree (the actor's whole scope when
	// empty), or of one person when personID is set: the person
	// themselves, anyone in FollowsTrainingIn, and for counts the whole
	// organisation to SeesTrainingCounts. Ordered by unit, then name.
	// With courses given, only those courses' completions are read (a
	// coverage page asks one course of fifty thousand people).
	TrainingSubjects(ctx context.Context, unitID, personID string, courses ...string) ([]*distans.TrainingSubject, error)
	// TrainingImportPeople finds the people an import names: "n:NUMBER"
	// (employee number) and "e:EMAIL" (normalised) to their IDs, absent
	// when no one has it; EFORBIDDEN unless ImportsTraining.
	TrainingImportPeople(ctx context.Context, numbers, emails []string) (map[string]string, error)
	// UnitPathsByCode maps the organisation's unit codes (Unit.Code) to
	// the units' paths, for course audiences; unknown codes are absent.
	UnitPathsByCode(ctx context.Context, codes []string) (map[string]string, error)

	// Jobs, as the system actor across all organisations, exactly once
	// per occasion (notification keys).

	// TrainingOverdueNotices tells the managers of each person who is
	// overdue with a course, once per person, course and deadline
	// (003: the unit manager sees to it).
	TrainingOverdueNotices(ctx context.Context, today time.Time, catalogue Catalogue) (int, error)
	// AcknowledgementReminders reminds each person of a required
	// document's current version they have not acknowledged, once per
	// version, when the deadline (published + deadlineDays) is
	// remindDays away or less.
	AcknowledgementReminders(ctx context.Context, today time.Time, deadlines AcknowledgementDeadlines) (int, error)
}

// Catalogue gives an organisation's courses and its audience's unit paths
// from its active pack, for the jobs; nil courses: none.
type Catalogue func(orgID string) ([]*distans.Course, map[string]string, error)

// AcknowledgementDeadlines gives an organisation's days to acknowledge a
// new version of a required document and the days before that deadline
// that the one reminder goes out, from its active pack.
type AcknowledgementDeadlines func(orgID string) (deadlineDays, remindDays int, err error)
