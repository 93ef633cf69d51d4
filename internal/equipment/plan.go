package equipment

import (
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
)

// LossSteps are the steps of a loss report under the pack, in the
// procedure's order (distans.LossSteps): for each step, the deadline that
// names it in a tripped loss rule — the organisation's own rule before the
// rules of law's defaults, and of two the earlier — with who does it, by
// when, whether it may be skipped, and the clause. byManager says that the
// person's manager made the report (so needs no telling); reportedAt is
// the time of the written report, from which most steps count.
func LossSteps(pack *policy.Pack, l *distans.EquipmentLoss, byManager bool, reportedAt time.Time) ([]distans.LossStep, error) {
	findings, err := pack.Check(policy.KindLoss, policy.LossOf(l, byManager, reportedAt), reportedAt)
	if err != nil {
		return nil, err
	}
	type candidate struct {
		step    distans.LossStep
		generic bool
	}
	best := map[string]candidate{}
	for _, f := range findings {
		for _, d := range f.Deadlines {
			if !slices.Contains(distans.LossSteps, d.Duty) {
				continue
			}
			c := candidate{generic: f.Generic, step: distans.LossStep{Step: d.Duty, RuleID: f.RuleID,
				Label: distans.PolicyText(d.Label), Citation: f.Citation, Role: distans.Role(d.By), DueAt: d.At.UTC(),
				Skippable: d.Skippable}}
			old, ok := best[d.Duty]
			if !ok || old.generic && !c.generic || old.generic == c.generic && c.step.DueAt.Before(old.step.DueAt) {
				best[d.Duty] = c
			}
		}
	}
	out := []distans.LossStep{}
	for _, step := range distans.LossSteps {
		if c, ok := best[step]; ok {
			out = append(out, c.step)
		}
	}
	return out, nil
}

// Return is what the pack asks back when a person who holds items of the
// held categories begins a leave of leaveDays (distans.ReturnLongLeave) or
// ends their employment (distans.ReturnEmploymentEnd), or nil when it asks
// nothing. The first tripped rule that names a return task decides, the
// organisation's own before the rules of law's default, so that one rule
// and its clause stand behind every task it makes.
func Return(pack *policy.Pack, reason distans.ReturnReason, leaveDays int, held []distans.EquipmentCategory, now time.Time) (*distans.ReturnDemand, error) {
	var kind string
	var in policy.Input
	switch reason {
	case distans.ReturnLongLeave:
		if leaveDays < 1 {
			return nil, nil
		}
		kind, in = policy.KindLeave, policy.Leave{Days: leaveDays, Equipment: agreementKinds(held)}
	case distans.ReturnEmploymentEnd:
		kind, in = policy.KindEmploymentEnd, policy.EmploymentEnd{Equipment: categories(held)}
	default:
		return nil, distans.Errorf(distans.EINVALID, "Okänt skäl till återlämnande.", "Unknown reason for a return.")
	}
	findings, err := pack.Check(kind, in, now)
	if err != nil {
		return nil, err
	}
	for _, generic := range []bool{false, true} {
		for _, f := range findings {
			if f.Generic != generic {
				continue
			}
			r, ok := pack.Rule(f.RuleID)
			if !ok {
				continue
			}
			d := &distans.ReturnDemand{RuleID: f.RuleID, Citation: f.Citation}
			for _, spec := range r.Deadlines {
				switch spec.Duty {
				case string(distans.TaskReturnItem):
					d.Items = true
					for _, c := range spec.Equipment {
						d.Categories = append(d.Categories, distans.EquipmentCategory(c))
					}
				case string(distans.TaskEndSubscription):
					d.Subscription = true
				}
			}
			if d.Items || d.Subscription {
				return d, nil
			}
		}
	}
	return nil, nil
}

// Trip decides a trip under the pack's travel rules: requested when a
// rule blocks it without the manager's approval and lets it with one,
// registered otherwise. A trip the rules block even with the approval is
// refused, each blocking rule named. Its findings are those of the trip as
// it stands (not yet approved) and, for a trip abroad, the reminders of
// the rules on mobile data abroad (Sorsele 004 §8.4–8.5), kept as info:
// the data is to be off, and the rules say so. A requested trip needs its
// reasons (004 §8.5: clear work reasons).
func Trip(pack *policy.Pack, t *distans.EquipmentTrip, now time.Time) (distans.TripState, []distans.AgreementFinding, error) {
	var kinds []distans.EquipmentCategory
	for _, it := range t.Items {
		kinds = append(kinds, it.Category)
	}
	in := policy.Travel{Private: t.Private, Abroad: t.Abroad, Equipment: agreementKinds(kinds)}
	without, err := pack.Check(policy.KindTravel, in, now)
	if err != nil {
		return "", nil, err
	}
	in.ApprovedByManager = true
	with, err := pack.Check(policy.KindTravel, in, now)
	if err != nil {
		return "", nil, err
	}
	state := distans.TripRegistered
	var v distans.Validation
	for _, f := range without {
		if f.Severity != policy.SeverityBlock {
			continue
		}
		if slices.ContainsFunc(with, func(g policy.Finding) bool { return g.RuleID == f.RuleID && g.Severity == policy.SeverityBlock }) {
			v.Add("item_ids", f.MessageSv+" ("+f.Citation+")", f.MessageEn+" ("+f.Citation+")")
			continue
		}
		state = distans.TripRequested
	}
	if err := v.Err(); err != nil {
		return "", nil, err
	}
	if state == distans.TripRequested && strings.TrimSpace(t.Reasons) == "" {
		v.Add("reasons", "Resan kräver chefens godkännande: ange varför utrustningen behövs på resan.",
			"The trip needs the manager's approval: give the reasons the equipment is needed on the trip.")
		return "", nil, v.Err()
	}
	findings := toFindings(without)
	if t.Abroad {
		in.ApprovedByManager, in.MobileDataAbroad = false, true
		data, err := pack.Check(policy.KindTravel, in, now)
		if err != nil {
			return "", nil, err
		}
		for _, f := range data {
			if !slices.ContainsFunc(without, func(g policy.Finding) bool { return g.RuleID == f.RuleID }) {
				f.Severity = policy.SeverityInfo
				findings = append(findings, toFindings([]policy.Finding{f})...)
			}
		}
	}
	return state, findings, nil
}

func toFindings(fs []policy.Finding) []distans.AgreementFinding {
	out := make([]distans.AgreementFinding, 0, len(fs))
	for _, f := range fs {
		out = append(out, distans.AgreementFinding{RuleID: f.RuleID, Severity: string(f.Severity), MessageSv: f.MessageSv,
			MessageEn: f.MessageEn, Document: f.Source.Document, Section: f.Source.Section, Quote: f.Source.Quote,
			Citation: f.Citation})
	}
	return out
}

// agreementKinds are the agreement's (and the travel and leave rules')
// equipment kinds of the categories, each once, in the registry's order;
// "other" has none.
func agreementKinds(cs []distans.EquipmentCategory) []string {
	out := []string{}
	for _, c := range distans.EquipmentCategories {
		if k := c.AgreementEquipmentKind(); k != "" && slices.Contains(cs, c) {
			out = append(out, k)
		}
	}
	return out
}

// categories are the categories, each once, in the registry's order.
func categories(cs []distans.EquipmentCategory) []string {
	out := []string{}
	for _, c := range distans.EquipmentCategories {
		if slices.Contains(cs, c) {
			out = append(out, string(c))
		}
	}
	return out
}
