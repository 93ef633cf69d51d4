// Package presence is the availability service: where people are each day,
// their redirections, phone hours, on-call phones and the switchboard's
// directory. It sits between the handlers and the store and applies the
// organisation's policy pack before anything is written: a redirect is
// checked as kind "redirect" and phone hours as kind "phone_hours", and a
// blocking finding refuses the change with EINVALID whose message cites
// the clause. Everything else (permissions, the organisation, the audit
// trail) is the store's, which this service wraps.
package presence

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
)

// Packs gives the active policy pack of the actor's organisation;
// *policy.Service is one.
type Packs interface {
	Active(ctx context.Context) (*policy.Pack, *distans.PolicyVersion, error)
}

// Service is distans.AvailabilityService on an AvailabilityStore. Reads and
// the changes the pack has nothing to say about go straight to the store.
type Service struct {
	distans.AvailabilityStore
	packs    Packs
	defaults distans.DefaultStatusFunc
}

var _ distans.AvailabilityService = (*Service)(nil)

// New returns the service. defaults answers the status a person has on a
// day they have set nothing for (their agreement's remote days); it may be
// nil, and is until agreements exist.
func New(store distans.AvailabilityStore, packs Packs, defaults distans.DefaultStatusFunc) *Service {
	return &Service{AvailabilityStore: store, packs: packs, defaults: defaults}
}

// SetRedirect checks the redirect's fields (a return time before now is
// refused), then the pack (Sorsele: never to a private phone, 004 §4; never
// an on-call phone, §6; always a return time, §1), and stores it with the
// pack version and the pack's warnings and information as r.Notices.
func (s *Service) SetRedirect(ctx context.Context, r *distans.Redirect, now time.Time) error {
	if r.Phone == "" {
		r.Phone = distans.PhonePersonal
	}
	if err := r.Validate(now); err != nil {
		return err
	}
	pack, err := s.pack(ctx)
	if err != nil {
		return err
	}
	in := policy.Redirect{Phone: string(r.Phone), Target: string(r.Target)}
	if r.Until != nil {
		in.Until = *r.Until
	}
	findings, err := pack.Check(policy.KindRedirect, in, now)
	if err != nil {
		return err
	}
	if policy.Blocking(findings) {
		return refused(pack, findings, "Hänvisningen kan inte sparas.", "The redirection cannot be saved.", "", "")
	}
	r.PackVersion, r.Notices = pack.Version, notices(findings)
	return s.AvailabilityStore.SetRedirect(ctx, r, now)
}

// SavePhoneHours checks the hours against the pack and stores them. Sorsele
// 004 §3 allows no phone hours at all unless the kommunchef decides on an
// exception, and hours that are used must add up to at least five hours a
// week and one hour a session: the pack's input says whether an exception
// stands, one recorded earlier for the same person or unit or h.Exception,
// a new decision that only distans.PhoneHoursApprover may make (with a
// reason; the store records who decided and when, and audits it). A
// blocking finding refuses the hours whoever saves them: an exception lets
// phone hours exist, it never waives the minimum.
func (s *Service) SavePhoneHours(ctx context.Context, h *distans.PhoneHours, now time.Time) error {
	if err := h.Validate(); err != nil {
		return err
	}
	role := distans.PhoneHoursApprover
	if h.Exception != nil {
		if !distans.ActorFrom(ctx).DecidesPhoneHoursExceptions() {
			return distans.Errorf(distans.EFORBIDDEN,
				"Bara "+strings.ToLower(role.Label("sv"))+" kan besluta om undantag från reglerna för telefontider.",
				"Only "+strings.ToLower(role.Label("en"))+" can decide on an exception from the rules for phone hours.")
		}
	}
	pack, err := s.pack(ctx)
	if err != nil {
		return err
	}
	exception := h.Exception != nil
	if !exception {
		old, err := s.AvailabilityStore.FindPhoneHours(ctx, h.OwnerID())
		switch {
		case err == nil:
			exception = old.Exception != nil
		case distans.ErrorCode(err) != distans.ENOTFOUND:
			return err
		}
	}
	in := policy.PhoneHours{Sessions: make([]policy.PhoneSession, len(h.Sessions)), Exception: exception}
	for i, ps := range h.Sessions {
		in.Sessions[i] = policy.PhoneSession{Weekday: ps.Weekday, Start: ps.Start, End: ps.End}
	}
	findings, err := pack.Check(policy.KindPhoneHours, in, now)
	if err != nil {
		return err
	}
	if policy.Blocking(findings) {
		extraSv, extraEn := "", ""
		if !exception {
			extraSv = "Ett undantag kräver ett beslut av " + strings.ToLower(role.Label("sv")) + "."
			extraEn = "An exception needs a decision by " + strings.ToLower(role.Label("en")) + "."
		}
		return refused(pack, findings, "Telefontiderna kan inte sparas.", "The phone hours cannot be saved.", extraSv, extraEn)
	}
	h.PackVersion, h.Notices = pack.Version, notices(findings)
	return s.AvailabilityStore.SavePhoneHours(ctx, h, now)
}

// SetStatus marks a remote day that the person's default (their agreement)
// does not give as a one-off, and refuses it when the pack's parameter
// distans.OneOffRemoteParam is false; then stores the status.
func (s *Service) SetStatus(ctx context.Context, d *distans.DayStatus, now time.Time) error {
	d.OneOff = false
	d.Date = time.Date(d.Date.Year(), d.Date.Month(), d.Date.Day(), 0, 0, 0, 0, time.UTC)
	if d.Kind == distans.StatusRemote {
		def, err := s.defaultFor(ctx, d.PersonID, d.Date)
		if err != nil {
			return err
		}
		d.OneOff = def != distans.StatusRemote
	}
	if d.OneOff {
		pack, err := s.pack(ctx)
		if err != nil {
			return err
		}
		if p, ok := pack.Param(distans.OneOffRemoteParam); ok && p.Type == "bool" && p.Effective() == false {
			var v distans.Validation
			v.Add("kind", "Organisationens regler tillåter inte enstaka distansdagar utanför en överenskommelse om distansarbete.",
				"The organisation's rules do not allow one-off remote days outside a remote-work agreement.")
			return v.Err()
		}
	}
	return s.AvailabilityStore.SetStatus(ctx, d, now)
}

// FindStatus returns the status set for the day, or else the default from
// the person's agreement (Default true); ENOTFOUND when there is neither.
func (s *Service) FindStatus(ctx context.Context, personID string, date time.Time) (*distans.DayStatus, error) {
	// ListStatuses tells "nothing set" (empty) from "not yours to see"
	// (ENOTFOUND), so that no default is made up for someone out of reach.
	set, err := s.ListStatuses(ctx, personID, date, date)
	if err != nil {
		return nil, err
	}
	if len(set) > 0 {
		return set[0], nil
	}
	def, err := s.defaultFor(ctx, personID, date)
	if err != nil {
		return nil, err
	}
	if def == "" {
		return nil, distans.NotFound("Det finns ingen status för den dagen.", "There is no status for that day.")
	}
	a := distans.ActorFrom(ctx)
	return &distans.DayStatus{OrganisationID: a.OrganisationID, PersonID: personID,
		Date: time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC), Kind: def, Default: true}, nil
}

// SearchDirectory fills, for people who set no status today, the default
// from their agreement.
func (s *Service) SearchDirectory(ctx context.Context, f distans.DirectoryFilter, now time.Time) ([]*distans.DirectoryHit, distans.Page, error) {
	hits, total, err := s.AvailabilityStore.SearchDirectory(ctx, f, now)
	if err != nil || s.defaults == nil {
		return hits, total, err
	}
	pack, err := s.pack(ctx)
	if err != nil {
		return nil, distans.Page{}, err
	}
	today := distans.Today(now, pack.Location())
	var unset []string
	for _, h := range hits {
		if h.Status == "" {
			unset = append(unset, h.PersonID)
		}
	}
	if len(unset) == 0 {
		return hits, total, nil
	}
	defs, err := s.defaults(ctx, unset, today) // one call for the page
	if err != nil {
		return nil, distans.Page{}, err
	}
	for _, h := range hits {
		if def := defs[h.PersonID]; h.Status == "" && def != "" {
			h.Status, h.StatusDefault = def, true
		}
	}
	return hits, total, nil
}

// PurgeStatusHistory removes statuses and lapsed redirects older than the
// pack's distans.StatusHistoryParam days (distans.DefaultStatusHistoryDays
// when the pack has no such parameter),
// counted back from today in the pack's time zone. The store allows it to
// the system actor only.
func (s *Service) PurgeStatusHistory(ctx context.Context, now time.Time) (int, error) {
	if a := distans.ActorFrom(ctx); a == nil || !a.System {
		return 0, distans.Forbidden()
	}
	pack, err := s.pack(ctx)
	if err != nil {
		return 0, err
	}
	n := now.In(pack.Location())
	before := time.Date(n.Year(), n.Month(), n.Day()-RetentionDays(pack), 0, 0, 0, 0, pack.Location())
	return s.DeleteStatusHistory(ctx, before)
}

// RetentionDays is how many days of status history the pack keeps.
func RetentionDays(pack *policy.Pack) int {
	if v, ok := pack.Int(distans.StatusHistoryParam); ok && v > 0 {
		return int(v)
	}
	return distans.DefaultStatusHistoryDays
}

func (s *Service) pack(ctx context.Context) (*policy.Pack, error) {
	p, _, err := s.packs.Active(ctx)
	return p, err
}

func (s *Service) defaultFor(ctx context.Context, personID string, date time.Time) (distans.StatusKind, error) {
	if s.defaults == nil {
		return "", nil
	}
	defs, err := s.defaults(ctx, []string{personID}, date)
	return defs[personID], err
}

// refused is the EINVALID error for blocking findings: what cannot be
// done, each blocking rule's message with its clause, and what may be
// done about it.
func refused(pack *policy.Pack, findings []policy.Finding, sv, en, hintSv, hintEn string) error {
	svs, ens := []string{sv}, []string{en}
	for _, f := range findings {
		if f.Severity != policy.SeverityBlock {
			continue
		}
		svs = append(svs, fmt.Sprintf("%s (%s)", f.MessageSv, f.Citation))
		ens = append(ens, fmt.Sprintf("%s (%s)", f.MessageEn, f.Citation))
	}
	if hintSv != "" {
		svs, ens = append(svs, hintSv), append(ens, hintEn)
	}
	return distans.Errorf(distans.EINVALID, strings.Join(svs, " "), strings.Join(ens, " "))
}

// notices are the findings for the page to show beside what was saved,
// which never include a blocking one: those refuse the change.
func notices(findings []policy.Finding) []distans.Notice {
	var out []distans.Notice
	for _, f := range findings {
		out = append(out, distans.Notice{RuleID: f.RuleID, Severity: string(f.Severity), Sv: f.MessageSv, En: f.MessageEn,
			Document: f.Source.Document, Section: f.Source.Section})
	}
	return out
}
