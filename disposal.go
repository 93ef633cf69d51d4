package distans

import (
	"context"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Disposal (gallring). Personal data is kept no longer than its purpose
// needs (GDPR art. 5.1 e), and Kristianstads kommun, Instruktion för
// digital kommunikation, Kontroll av IT-användning, disposes of the data
// behind the monitoring of IT use after 90 days, "Om en utredning påbörjas
// kommer uppgifterna att bevaras så länge utredningen pågår". Each kind of
// record Distans disposes of has a period from the organisation's pack
// (DisposalPeriods), a way (removed, or its personal data anonymised where
// the record is a public document the archive keeps), and is kept past its
// period while a hold (DisposalHold) covers it.
//
// The audit trail is not disposed of here. It is the record of the
// decisions taken in Distans, with its own period under the
// organisation's document management plan (dokumenthanteringsplan), and
// its events are hash-chained (AuditEvent): removing or blanking one
// breaks VerifyChain for every event after it. Disposal therefore only
// appends to the chain (one event per batch), and a checkpoint sealed
// before a disposal is still in the chain after it.

// DisposalType is a kind of record that is disposed of.
type DisposalType string

const (
	// DisposeAccessLog is what Distans keeps of sign-ins and access
	// outside the audit trail: the sign-in log (SignInLog), revoked API
	// tokens (with when they were last used) and the failed-sign-in
	// count and lock of an account whose lock ran out. Removed (the log,
	// tokens) or cleared (locks).
	DisposeAccessLog DisposalType = "access_log"
	// DisposeSessions is expired sessions (when someone signed in and was
	// last seen): removed by the delete_expired_sessions job every round.
	DisposeSessions DisposalType = "sessions"
	// DisposeStatusHistory is day statuses and lapsed redirects: removed
	// by the purge_status_history job every round.
	DisposeStatusHistory DisposalType = "status_history"
	// DisposeAgreements is agreements ended long ago: anonymised.
	DisposeAgreements DisposalType = "agreements"
	// DisposeIncidents is incidents closed long ago: anonymised.
	DisposeIncidents DisposalType = "incidents"
	// DisposeNotifications is notifications read long ago: removed.
	DisposeNotifications DisposalType = "notifications"
)

// DisposalTypes lists the types in the order pages show them.
var DisposalTypes = []DisposalType{DisposeAccessLog, DisposeSessions, DisposeStatusHistory, DisposeAgreements,
	DisposeIncidents, DisposeNotifications}

// Valid reports whether t is a known type.
func (t DisposalType) Valid() bool { return slices.Contains(DisposalTypes, t) }

// Holdable reports whether a hold keeps records of the type: those that
// name a person and that disposal itself removes. Sessions and status
// history go by the jobs that have always swept them; neither is the
// log of IT use that an investigation reads.
func (t DisposalType) Holdable() bool {
	return t != DisposeSessions && t != DisposeStatusHistory
}

// DisposalHow is what disposal does to a record.
type DisposalHow string

const (
	DisposalRemove    DisposalHow = "remove"
	DisposalAnonymise DisposalHow = "anonymise"
)

// The pack's parameters of the periods. access_log_days is the
// organisation's own (Kristianstad 003 sets it); the others are settable
// parameters of the rules of law (generic.yaml); status_history_days is
// the presence service's (StatusHistoryParam).
const (
	AccessLogDaysParam         = "access_log_days"
	AgreementKeepMonthsParam   = "agreement_keep_months"
	IncidentKeepMonthsParam    = "incident_keep_months"
	NotificationKeepDaysParam  = "notification_keep_days"
	DefaultAccessLogDays       = 90
	DefaultAgreementKeepMonths = 24
	DefaultIncidentKeepMonths  = 60
	DefaultNotificationDays    = 365
)

// defaultDisposalSource is the clause a period rests on when the pack has
// no parameter for it.
var defaultDisposalSource = PolicySource{Document: "Dataskyddsförordningen (EU) 2016/679", Section: "Artikel 5.1 e",
	Quote: "förvaras i en form som inte möjliggör identifiering av den registrerade under en längre tid än vad som är nödvändigt"}

// DisposalPeriod is how long records of a type are kept and on what
// clause. Amount is in Unit ("days" or "months"); a period of 0 days
// disposes at expiry (sessions).
type DisposalPeriod struct {
	Type   DisposalType `json:"type"`
	How    DisposalHow  `json:"how"`
	Amount int          `json:"amount"`
	Unit   string       `json:"unit"`
	// Param is the pack's parameter, empty when the period is fixed.
	Param  string       `json:"param,omitempty"`
	Source PolicySource `json:"source"`
	// Citation is Source as people know it (organisation, title,
	// section); the service fills it in.
	Citation string `json:"citation"`
	// SweptBy names the job that removes the type every round; disposal
	// then only counts what is overdue.
	SweptBy string `json:"swept_by,omitempty"`
}

// Cutoff is the first instant that is kept: records older than it (ended,
// closed, read, revoked before it) are due. It is midnight of today less
// the period in loc; sessions are due at expiry, so their cutoff is now.
func (p DisposalPeriod) Cutoff(now time.Time, loc *time.Location) time.Time {
	if p.Amount == 0 {
		return now
	}
	n := now.In(loc)
	d := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	if p.Unit == "months" {
		return d.AddDate(0, -p.Amount, 0)
	}
	return d.AddDate(0, 0, -p.Amount)
}

// Text is the period as people read it, in lang.
func (p DisposalPeriod) Text(lang string) string {
	n := strconv.Itoa(p.Amount)
	switch {
	case p.Amount == 0 && lang == "en":
		return "at expiry"
	case p.Amount == 0:
		return "när den gått ut"
	case p.Unit == "months" && lang == "en":
		return n + " months"
	case p.Unit == "months":
		return n + " månader"
	case lang == "en":
		return n + " days"
	}
	return n + " dagar"
}

// DisposalPeriods returns the period of every type under pol, the
// organisation's active pack: its parameter's value and clause when the
// pack has it, else Distans's default on GDPR art. 5.1 e. It is the one
// rule of periods that the plan, the job, the pages and the CLI use.
func DisposalPeriods(pol *Policy) []DisposalPeriod {
	param := func(t DisposalType, how DisposalHow, name, unit string, def int) DisposalPeriod {
		p := DisposalPeriod{Type: t, How: how, Amount: def, Unit: unit, Source: defaultDisposalSource}
		if pol == nil {
			return p
		}
		x, ok := pol.Param(name)
		if v, isInt := x.Effective().(int64); ok && isInt && v > 0 {
			p.Amount, p.Param = int(v), name
			if x.Source != nil {
				p.Source = *x.Source
			}
		}
		return p
	}
	sessions := DisposalPeriod{Type: DisposeSessions, How: DisposalRemove, Unit: "days", Source: defaultDisposalSource,
		SweptBy: "delete_expired_sessions"}
	status := param(DisposeStatusHistory, DisposalRemove, StatusHistoryParam, "days", DefaultStatusHistoryDays)
	status.SweptBy = "purge_status_history"
	return []DisposalPeriod{
		param(DisposeAccessLog, DisposalRemove, AccessLogDaysParam, "days", DefaultAccessLogDays),
		sessions,
		status,
		param(DisposeAgreements, DisposalAnonymise, AgreementKeepMonthsParam, "months", DefaultAgreementKeepMonths),
		param(DisposeIncidents, DisposalAnonymise, IncidentKeepMonthsParam, "months", DefaultIncidentKeepMonths),
		param(DisposeNotifications, DisposalRemove, NotificationKeepDaysParam, "days", DefaultNotificationDays),
	}
}

// DisposalItem is one type in a plan: its period and cutoff, how many
// records are due (Count, past the period and not held), how many more
// are past it but held (Held), and the oldest due record's date.
type DisposalItem struct {
	Period DisposalPeriod `json:"period"`
	Cutoff time.Time      `json:"cutoff"`
	Count  int            `json:"count"`
	Held   int            `json:"held"`
	Oldest *time.Time     `json:"oldest,omitempty"`
}

// DisposalPlan is what a disposal would do now: the dry run.
type DisposalPlan struct {
	At    time.Time      `json:"at"`
	Items []DisposalItem `json:"items"`
}

// Due reports whether the plan has anything for disposal to do: types
// swept by their own jobs are not counted.
func (p *DisposalPlan) Due() bool {
	return slices.ContainsFunc(p.Items, func(i DisposalItem) bool { return i.Period.SweptBy == "" && i.Count > 0 })
}

// DisposalLogEntry is one batch disposed of: when, by whom (empty ActorID
// for the system's job), what type, how many records, under which period
// and cutoff.
type DisposalLogEntry struct {
	OrganisationID string       `json:"organisation_id"`
	ID             string       `json:"id"`
	At             time.Time    `json:"at"`
	ActorID        string       `json:"actor_id,omitempty"`
	ActorName      string       `json:"actor_name"`
	Type           DisposalType `json:"type"`
	How            DisposalHow  `json:"how"`
	Count          int          `json:"count"`
	Amount         int          `json:"amount"`
	Unit           string       `json:"unit"`
	Cutoff         time.Time    `json:"cutoff"`
}

// DisposalHold keeps records past their period during an investigation
// (Kristianstad 003, Kontroll av IT-användning): those of one person, or
// of everyone when PersonID is empty; of one type, or of every holdable
// type when Type is empty. It holds until it is released.
type DisposalHold struct {
	OrganisationID string       `json:"organisation_id"`
	ID             string       `json:"id"`
	PersonID       string       `json:"person_id,omitempty"`
	PersonName     string       `json:"person_name,omitempty"`
	Type           DisposalType `json:"type,omitempty"`
	Reason         string       `json:"reason"`
	PlacedByID     string       `json:"placed_by_id"`
	PlacedByName   string       `json:"placed_by_name"`
	PlacedAt       time.Time    `json:"placed_at"`
	ReleasedAt     *time.Time   `json:"released_at,omitempty"`
	ReleasedByName string       `json:"released_by_name,omitempty"`
}

// HoldRequest is a new hold.
type HoldRequest struct {
	PersonID string       `json:"person_id"`
	Type     DisposalType `json:"type"`
	Reason   string       `json:"reason"`
}

// Validate checks a known holdable type (or none) and a reason.
func (h *HoldRequest) Validate() error {
	var v Validation
	if h.Type != "" && (!h.Type.Valid() || !h.Type.Holdable()) {
		v.Add("type", "Välj en typ av uppgifter som kan hållas kvar.", "Choose a kind of record that can be held.")
	}
	v.Required("reason", h.Reason)
	if utf8.RuneCountInString(h.Reason) > 500 {
		v.Add("reason", "Högst 500 tecken.", "At most 500 characters.")
	}
	return v.Err()
}

// DisposalBatch is how many records one transaction disposes of.
const DisposalBatch = 500

// DisposalService is disposal. PlanDisposal and the lists are for those
// who see disposal (Actor.SeesDisposal); Dispose for those who dispose
// (Actor.Disposes) and the system's job; holds are placed and released by
// the security coordinator (Actor.HoldsRecords). Anyone else is
// EFORBIDDEN, so that a page and the API refuse alike. Everything is the
// actor's organisation's alone.
type DisposalService interface {
	// PlanDisposal is the dry run: what Dispose would do now.
	PlanDisposal(ctx context.Context) (*DisposalPlan, error)
	// Dispose removes or anonymises what is due, in batches of
	// DisposalBatch, each in its own transaction with its log entry and
	// audit event, and returns the entries written (none when nothing
	// was due).
	Dispose(ctx context.Context) ([]*DisposalLogEntry, error)
	// ListDisposalLog returns the latest entries, newest first.
	ListDisposalLog(ctx context.Context, limit int) ([]*DisposalLogEntry, error)
	ListDisposalHolds(ctx context.Context) ([]*DisposalHold, error)
	// PlaceDisposalHold places a hold; EINVALID for a request that does
	// not validate, ENOTFOUND for a person not in the organisation.
	PlaceDisposalHold(ctx context.Context, h HoldRequest) (*DisposalHold, error)
	// ReleaseDisposalHold releases a hold; ENOTFOUND for none open.
	ReleaseDisposalHold(ctx context.Context, id string) error
}
