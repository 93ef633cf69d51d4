package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/distans/distans"
)

// The demo's incidents. In every organisation three people, of the chef
// account's unit where it has them (not the medarbetare account, whose list starts empty for
// a browser journey) have reported one each, so that the security
// coordinator's queue has something in every state of the clocks:
//
//   - an e-mail with a list of pupils' names and personal identity numbers
//     sent to the wrong recipient, discovered 20 hours ago (Vara 001 §2.7):
//     triaged by the coordinator, owned by the data protection officer,
//     the description marked secret; the 72 hours to IMY run;
//   - a laptop left on the train, discovered three days ago (Sorsele 004
//     §8.1, Bjurholm 002 §6): triaged by IT, who owns it, with a measure
//     to lock the computer's account;
//   - a fall on the stairs at home while working remotely, reported an hour
//     ago and waiting for triage (Bjurholm 002 §6).
//
// Everything goes through the incident service as the people would do it,
// so the clocks are the organisation's pack's. The step is skipped once the
// organisation has any incident.
func (w *orgLoad) incidents(ctx context.Context) error {
	svc := w.s.Incidents
	if svc == nil {
		return nil
	}
	if list, err := svc.ListIncidents(ctx, distans.IncidentFilter{Limit: 1}); err != nil {
		return fmt.Errorf("list incidents: %w", err)
	} else if len(list) > 0 {
		return nil
	}
	unit := w.plan.unitIndex(w.plan.spec.ChefUnit)
	var reporters []*distans.Person
	accounts := map[distans.Role]*distans.Person{}
	// The reporters: ordinary staff of the chef's unit first, of any unit
	// where that is too small (Bjurholm's and Sorsele's are).
	managers := map[int]bool{}
	for _, u := range w.plan.units {
		managers[u.Manager] = true
	}
	for _, chefsUnit := range []bool{true, false} {
		for i, pp := range w.plan.people {
			ordinary := !pp.Account && !managers[i] && pp.Leave == nil && pp.Email != shared.Email
			if ordinary && (pp.Unit == unit) == chefsUnit && len(reporters) < 3 {
				reporters = append(reporters, w.people[i])
			}
		}
	}
	for i, pp := range w.plan.people {
		if _, ok := accounts[pp.Role]; pp.Account && pp.Role != "" && !ok {
			accounts[pp.Role] = w.people[i]
		}
	}
	sec, dpo, it := accounts[distans.RoleSecurity], accounts[distans.RoleDPO], accounts[distans.RoleIT]
	if len(reporters) < 3 || sec == nil || dpo == nil || it == nil {
		return nil // a plan without them: nothing to show
	}
	as := func(p *distans.Person) (context.Context, error) {
		grants, err := w.s.Roles.Grants(ctx, w.org.ID, p.ID)
		if err != nil {
			return nil, err
		}
		return distans.NewContext(ctx, &distans.Actor{OrganisationID: w.org.ID, PersonID: p.ID, Name: p.Name, Grants: grants}), nil
	}
	now := distans.NowFrom(ctx)
	report := func(p *distans.Person, r *distans.IncidentReport) (*distans.Incident, error) {
		pctx, err := as(p)
		if err != nil {
			return nil, err
		}
		inc, err := svc.ReportIncident(pctx, r)
		if err != nil {
			return nil, fmt.Errorf("report %q: %w", r.Title, err)
		}
		return inc, nil
	}
	triage := func(by *distans.Person, inc *distans.Incident, t distans.IncidentTriage) (*distans.Incident, error) {
		bctx, err := as(by)
		if err != nil {
			return nil, err
		}
		t.Version, t.Kind = inc.Version, inc.Kind
		out, err := svc.Triage(bctx, inc.ID, t)
		if err != nil {
			return nil, fmt.Errorf("triage %s: %w", inc.Number, err)
		}
		return out, nil
	}

	occurred := now.Add(-22 * time.Hour).Truncate(time.Minute)
	pd, err := report(reporters[0], &distans.IncidentReport{Kind: distans.IncidentPersonalData,
		Title:        "Elevlista skickad till fel mottagare",
		Description:  "En lista med elevers namn och personnummer i årskurs 9 skickades med e-post till en extern mottagare med liknande namn. Mottagaren har ombetts radera meddelandet.",
		OccurredAt:   &occurred,
		DiscoveredAt: now.Add(-20 * time.Hour).Truncate(time.Minute),
		Systems:      "E-post (Outlook), elevregistret"})
	if err != nil {
		return err
	}
	if _, err := triage(sec, pd, distans.IncidentTriage{Severity: distans.SeverityHigh, OwnerID: dpo.ID,
		SecretFields: []string{"description", "systems"}}); err != nil {
		return err
	}

	laptop, err := report(reporters[1], &distans.IncidentReport{Kind: distans.IncidentEquipmentLoss,
		Title:           "Bärbar dator glömd på tåget",
		Description:     "Tjänstedatorn blev kvar på regionaltåget efter arbetsdagen på distans. Datorn är krypterad men var inloggad i VPN.",
		DiscoveredAt:    now.Add(-72 * time.Hour).Truncate(time.Minute),
		OutsidePremises: true})
	if err != nil {
		return err
	}
	laptop, err = triage(it, laptop, distans.IncidentTriage{Severity: distans.SeverityMedium, OwnerID: it.ID, OutsidePremises: true})
	if err != nil {
		return err
	}
	ictx, err := as(it)
	if err != nil {
		return err
	}
	if _, err := svc.AddMeasure(ictx, laptop.ID, distans.IncidentMeasure{Text: "Spärra datorns konto och certifikat",
		OwnerID: it.ID, DueOn: w.org.Today(now).AddDate(0, 0, 1)}); err != nil {
		return fmt.Errorf("measure of %s: %w", laptop.Number, err)
	}

	if _, err := report(reporters[2], &distans.IncidentReport{Kind: distans.IncidentWorkInjury,
		Title:         "Föll i trappan hemma under arbetstid",
		Description:   "Snubblade i trappan på väg till hemmakontoret efter lunch. Ont i handleden, besök på vårdcentralen.",
		DiscoveredAt:  now.Add(-time.Hour).Truncate(time.Minute),
		InjurySerious: false}); err != nil {
		return err
	}
	w.log.InfoContext(ctx, "demo incidents loaded", "slug", w.org.Slug, "incidents", 3)
	return nil
}
