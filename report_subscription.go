package distans

import (
	"context"
	"time"
)

// ReportSend is one monthly report claimed for sending: the subscription,
// whom it goes to, and their organisation.
type ReportSend struct {
	ReportSubscription
	Email, Name string
	// Language is the person's, else the organisation's.
	Language string
	OrgName  string
	TimeZone string
}

// ReportSubscriptionStore keeps the subscriptions. The first three act
// for the person in the context, on their own subscriptions only
// (ENOTFOUND for another's, ECONFLICT for a kind and unit they have
// already). ClaimReportSends and MarkReportSent are the system's, across
// organisations: a claim leases up to limit subscriptions not yet sent for
// month ("2026-03") until now+lease, so that several instances send each
// once; one whose sending failed is claimed again after its lease.
type ReportSubscriptionStore interface {
	ListReportSubscriptions(ctx context.Context) ([]*ReportSubscription, error)
	CreateReportSubscription(ctx context.Context, s *ReportSubscription) error
	DeleteReportSubscription(ctx context.Context, id string) error
	ClaimReportSends(ctx context.Context, month string, now time.Time, lease time.Duration, limit int) ([]*ReportSend, error)
	MarkReportSent(ctx context.Context, orgID, id, month string) error
}

// ReportMonth is the month a monthly report sent at now covers: the
// calendar month before now's, as its key ("2026-03") and its first and
// last days. A subscription made in a month is first sent the month after,
// so it starts as if the month before had been sent.
func ReportMonth(now time.Time) (key string, first, last time.Time) {
	first = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	return first.Format("2006-01"), first, first.AddDate(0, 1, -1)
}
