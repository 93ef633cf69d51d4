package distans

import (
	"context"
	"time"
)

// NotificationKind is what a notification is about. The pages and e-mails
// render each kind's text from Params in the reader's language, so a
// notification made today reads right in whichever language it is read.
type NotificationKind string

const (
	NotifyRequestWaiting   NotificationKind = "agreement.request_waiting"   // to the managers: a request waits for assessment and decision
	NotifyDecisionMade     NotificationKind = "agreement.decision_made"     // to the employee: approved or declined
	NotifySignatureNeeded  NotificationKind = "agreement.signature_needed"  // to a party who has not signed
	NotifyAgreementActive  NotificationKind = "agreement.active"            // to both: signed by both
	NotifyExpiring         NotificationKind = "agreement.expiring"          // to both: Params["days"] is 60, 30 or 7
	NotifyFollowUpDue      NotificationKind = "agreement.follow_up_due"     // to the manager: due today
	NotifyFollowUpOverdue  NotificationKind = "agreement.follow_up_overdue" // to the manager: past due
	NotifyAgreementEnded   NotificationKind = "agreement.ended"             // to both: Params["reason"] is an EndReason
	NotifyNewManagerAssess NotificationKind = "agreement.assess_anew"       // to the new unit's managers after a move (000)
	NotifyBookingCancelled NotificationKind = "booking.cancelled"           // to the person: the desk was taken out of use; Params desk, date

	// Incidents: Params always carry number and kind.
	NotifyIncidentReported       NotificationKind = "incident.reported"        // to the reporter's managers and the handlers of the kind
	NotifyIncidentAssigned       NotificationKind = "incident.assigned"        // to the owner chosen at triage
	NotifyIncidentDeadlineNear   NotificationKind = "incident.deadline_near"   // to the owner (or the handlers): Params duty, due (RFC 3339)
	NotifyIncidentDeadlinePassed NotificationKind = "incident.deadline_passed" // to the owner's managers: Params duty, due, owner
	NotifyIncidentClosed         NotificationKind = "incident.closed"          // to the reporter: their report is dealt with

	// Training, acknowledgements and checklists.
	NotifyTrainingOverdue     NotificationKind = "training.overdue"         // to the person's managers, once per person, course and deadline: Params course, person, due
	NotifyAcknowledgeReminder NotificationKind = "document.acknowledge_due" // to the person, once per version: Params title, version, due
	NotifyChecklistOpened     NotificationKind = "checklist.opened"         // to the person and the owners: Params event, person, date
	NotifyTaskDueSoon         NotificationKind = "checklist.task_due"       // to the task's owners, once before it is due: Params task, person, due
	NotifyTaskOverdue         NotificationKind = "checklist.task_overdue"   // to the person's managers (HR for a manager's task), once after: Params task, person, due, owner
)

// Notification is a message to one person, shown in Distans and, when
// SMTP is configured, e-mailed. Key is unique per organisation: whoever
// makes a notification (a state change, or a reminder scan on any number
// of instances) makes it under a key that names the occasion, such as
// "agreement/ID/expiring/30", so each occasion notifies once.
type Notification struct {
	ID             string            `json:"id"`
	OrganisationID string            `json:"organisation_id"`
	PersonID       string            `json:"person_id"`
	Key            string            `json:"key"`
	Kind           NotificationKind  `json:"kind"`
	Params         map[string]string `json:"params,omitempty"` // e.g. name, number, days, reason, date
	Link           string            `json:"link"`             // the page it is about, e.g. /agreements/ID
	CreatedAt      time.Time         `json:"created_at"`
	ReadAt         *time.Time        `json:"read_at,omitempty"`
	EmailedAt      *time.Time        `json:"emailed_at,omitempty"`
}

// NotificationService is a person's own notifications.
type NotificationService interface {
	// ListNotifications returns the actor's notifications, newest first.
	ListNotifications(ctx context.Context, unreadOnly bool, limit int) ([]*Notification, error)
	CountUnread(ctx context.Context) (int, error)
	// MarkRead marks one of the actor's notifications read; ENOTFOUND for
	// anyone else's.
	MarkRead(ctx context.Context, id string) error
	MarkAllRead(ctx context.Context) error
}

// OutgoingEmail is a notification claimed for e-mailing, with what the
// mailer needs to address and render it.
type OutgoingEmail struct {
	Notification
	To       string // the person's e-mail address
	Name     string
	Language string // "sv" or "en"
	OrgName  string
}

// MailQueue is the e-mail side of notifications, for the mailer (system
// actor, across organisations). A claim is a lease: a notification claimed
// by one instance is not claimed by another until the lease runs out, so
// several instances on one database send each e-mail once; one whose
// sending failed is claimed again after the lease.
type MailQueue interface {
	ClaimEmails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*OutgoingEmail, error)
	MarkEmailed(ctx context.Context, id string, at time.Time) error
}
