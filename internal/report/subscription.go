package report

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/distans/distans"
)

// Mailer sends one e-mail with the report attached; an adapter over
// *notify.Mailer is one (internal/app).
type Mailer interface {
	SendReport(ctx context.Context, to *distans.ReportSend, subject, body, fileName string, pdf []byte) error
}

// SubscriptionConfig is what NewSubscriptions needs.
type SubscriptionConfig struct {
	Store   distans.ReportSubscriptionStore
	Reports distans.ReportService
	Units   distans.UnitService
	// Grants gives a person's current grants, to compute their report as
	// they are when it is sent; (*sqlstore.Store).Grants is one.
	Grants func(ctx context.Context, orgID, personID string) ([]distans.Grant, error)
	// Mail sends the reports; nil leaves SendMonthly with nothing to do,
	// and the subscriptions wait.
	Mail Mailer
	// BaseURL is where people reach Distans, for the link in the e-mail.
	BaseURL string
	Logger  *slog.Logger
	// Lease is how long a claimed subscription is left to one sender;
	// 0 means 10 minutes.
	Lease time.Duration
}

// Subscriptions is distans.ReportSubscriptionService.
type Subscriptions struct{ cfg SubscriptionConfig }

// NewSubscriptions returns the monthly reports by e-mail.
func NewSubscriptions(cfg SubscriptionConfig) *Subscriptions {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Lease == 0 {
		cfg.Lease = 10 * time.Minute
	}
	return &Subscriptions{cfg: cfg}
}

var _ distans.ReportSubscriptionService = (*Subscriptions)(nil)

// ListReportSubscriptions returns the actor's own; EFORBIDDEN for one
// who sees no report, as the page refuses them.
func (s *Subscriptions) ListReportSubscriptions(ctx context.Context) ([]*distans.ReportSubscription, error) {
	if a := distans.ActorFrom(ctx); a == nil || !a.SeesReports() {
		return nil, distans.Forbidden()
	}
	return s.cfg.Store.ListReportSubscriptions(ctx)
}

// Subscribe saves the actor's wish for sub's report every month: the
// actor must see reports (EFORBIDDEN), the kind must be one
// (EINVALID), and a unit must lie in their report scope (ENOTFOUND).
func (s *Subscriptions) Subscribe(ctx context.Context, sub *distans.ReportSubscription) error {
	a := distans.ActorFrom(ctx)
	if a == nil {
		return distans.Errorf(distans.EUNAUTHORIZED, "Du måste logga in.", "You must sign in.")
	}
	rs := a.ReportScope()
	if rs.None() || a.PersonID == "" {
		return distans.Forbidden()
	}
	if !sub.Kind.Valid() {
		e := distans.Errorf(distans.EINVALID, "Okänd rapport.", "Unknown report.")
		e.Fields = []distans.FieldError{{Field: "kind", Sv: "Välj en rapport.", En: "Choose a report."}}
		return e
	}
	if sub.UnitID != "" {
		u, err := s.cfg.Units.FindUnit(ctx, sub.UnitID)
		if distans.ErrorCode(err) == distans.ENOTFOUND || (err == nil && !rs.Contains(u.Path)) {
			return distans.NotFound("Enheten finns inte.", "The unit does not exist.")
		} else if err != nil {
			return err
		}
	}
	return s.cfg.Store.CreateReportSubscription(ctx, sub)
}

// Unsubscribe ends one of the actor's own.
func (s *Subscriptions) Unsubscribe(ctx context.Context, id string) error {
	return s.cfg.Store.DeleteReportSubscription(ctx, id)
}

// SendMonthly sends every subscription whose report for the month before
// now (distans.ReportMonth) has not gone out: computed as the subscriber
// is now (their grants today; none left means nothing is sent and the
// month is done), written as a PDF and e-mailed. The claims make each go
// out once however many instances run this; one that fails is logged and
// tried again after its lease. It returns how many it sent.
func (s *Subscriptions) SendMonthly(ctx context.Context, now time.Time) (int, error) {
	if s.cfg.Mail == nil {
		return 0, nil
	}
	month, first, last := distans.ReportMonth(now)
	sys := distans.NewContext(ctx, distans.SystemActor(""))
	sent := 0
	const batch = 20
	for {
		claimed, err := s.cfg.Store.ClaimReportSends(sys, month, now, s.cfg.Lease, batch)
		if err != nil {
			return sent, fmt.Errorf("claim monthly reports: %w", err)
		}
		for _, c := range claimed {
			ok, err := s.send(ctx, c, month, first, last, now)
			if err != nil {
				s.cfg.Logger.WarnContext(ctx, "monthly report not sent", "organisation", c.OrganisationID, "subscription", c.ID, "err", err)
				continue
			}
			if err := s.cfg.Store.MarkReportSent(distans.NewContext(ctx, distans.SystemActor(c.OrganisationID)), c.OrganisationID, c.ID, month); err != nil {
				s.cfg.Logger.ErrorContext(ctx, "monthly report sent but not marked", "subscription", c.ID, "err", err)
			}
			if ok {
				sent++
			}
		}
		if len(claimed) < batch {
			return sent, nil
		}
	}
}

// send computes and e-mails one report; false with no error when the
// subscriber may no longer see reports, or the unit no longer exists in
// their scope, so that the month is done without an e-mail.
func (s *Subscriptions) send(ctx context.Context, c *distans.ReportSend, month string, first, last, now time.Time) (bool, error) {
	grants, err := s.cfg.Grants(ctx, c.OrganisationID, c.PersonID)
	if err != nil {
		return false, err
	}
	a := &distans.Actor{OrganisationID: c.OrganisationID, PersonID: c.PersonID, Name: c.Name, Language: c.Language, Grants: grants}
	if !a.SeesReports() {
		return false, nil
	}
	pctx := distans.NewContext(distans.WithNow(ctx, now), a)
	r, err := s.cfg.Reports.Report(pctx, distans.ReportFilter{Kind: c.Kind, UnitID: c.UnitID, From: first, To: last})
	if code := distans.ErrorCode(err); code == distans.ENOTFOUND || code == distans.EFORBIDDEN {
		return false, nil
	} else if err != nil {
		return false, err
	}
	lang := "sv"
	if c.Language == "en" {
		lang = "en"
	}
	o := Options{Lang: lang}
	if loc, err := time.LoadLocation(c.TimeZone); err == nil && c.TimeZone != "" {
		o.Location = loc
	}
	var pdf bytes.Buffer
	if err := WritePDF(&pdf, r, o); err != nil {
		return false, err
	}
	link := s.cfg.BaseURL + "/reports/" + string(c.Kind)
	if c.UnitID != "" {
		link += "?" + url.Values{"unit": {c.UnitID}}.Encode()
	}
	subject, body := MonthlyMail(r, c.Name, month, link, lang)
	name := "rapport-" + string(c.Kind) + "-" + month + ".pdf"
	if err := s.cfg.Mail.SendReport(ctx, c, subject, body, name, pdf.Bytes()); err != nil {
		return false, err
	}
	return true, nil
}
