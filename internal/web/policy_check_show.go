package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/web/view"
)

// policyCheckShow is "Pröva en kontroll": choose a kind and try an input
// against the active pack, prefilled with an input that passes.
func (web *Web) policyCheckShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		pack, _, err := web.svc.Policies.ActivePolicy(r.Context())
		if err != nil {
			web.fail(w, r, err)
			return
		}
		kind := r.URL.Query().Get("kind")
		if !knownKind(kind) {
			kind = policy.KindAgreement
		}
		form := view.NewForm()
		form.Set("kind", kind)
		form.Set("input", exampleInput(r.Context(), web.svc.Policies, pack, kind, distans.NowFrom(r.Context())))
		web.renderCheck(w, r, http.StatusOK, form, nil)
	})
}

// renderCheck renders the check page with the form and, after a check,
// its result.
func (web *Web) renderCheck(w http.ResponseWriter, r *http.Request, status int, form *view.Form, res *view.CheckResult) {
	l := web.layout(w, r)
	l.Title = l.T("policy.check_title")
	kind := form.Value("kind")
	kindForm := view.NewForm()
	kindForm.Set("kind", kind)
	page := &view.PolicyCheckPage{Layout: l, KindForm: kindForm, Form: form, Result: res}
	for _, k := range policy.Kinds() {
		page.Kinds = append(page.Kinds, view.Option{Value: k.Name, Label: pick(l.P, distans.PolicyText(k.Label))})
		if k.Name != kind {
			continue
		}
		page.KindLabel = pick(l.P, distans.PolicyText(k.Label))
		for _, v := range k.Variables {
			if !v.Derived {
				page.Variables = append(page.Variables, view.VariableRow{Name: v.Name, Type: v.Type,
					Label: pick(l.P, distans.PolicyText(v.Label)), Values: strings.Join(v.Values, ", ")})
			}
		}
	}
	web.render(w, r, status, page)
}

func knownKind(kind string) bool {
	return slices.ContainsFunc(policy.Kinds(), func(k policy.Kind) bool { return k.Name == kind })
}

// exampleInput is an input of the kind to start from: the pass example of
// one of the pack's own rules that trips the fewest rules now, or a
// sensible sample when the pack has no rule of the kind.
func exampleInput(ctx context.Context, policies distans.PolicyService, pack *distans.Policy, kind string, now time.Time) string {
	var best json.RawMessage
	bestScore := -1
	for _, r := range pack.Rules {
		if r.Kind != kind || r.Examples == nil || len(r.Examples.Pass) == 0 {
			continue
		}
		rep, err := policies.CheckPolicy(ctx, kind, bytes.NewReader(r.Examples.Pass), now)
		if err != nil {
			continue
		}
		score := len(rep.Findings)
		if rep.Blocking {
			score += 1000
		}
		if bestScore < 0 || score < bestScore {
			best, bestScore = r.Examples.Pass, score
		}
		if score == 0 {
			break
		}
	}
	if best == nil {
		best = sampleInput(kind, now.In(pack.Location()))
	}
	var out bytes.Buffer
	if err := json.Indent(&out, best, "", "  "); err != nil {
		return string(best)
	}
	return out.String()
}

// sampleInput is an ordinary input of each kind, for a pack without a rule
// of that kind to take an example from.
func sampleInput(kind string, now time.Time) json.RawMessage {
	var v any
	switch kind {
	case policy.KindAgreement:
		start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
		v = map[string]any{"start": start.Format(time.DateOnly), "end": start.AddDate(0, 6, -1).Format(time.DateOnly),
			"weekdays_remote": []string{"tue", "thu"}, "share_remote": 40, "remote_place": "Bostaden",
			"main_workplace": "Kommunhuset", "tax_workplace": "main", "tasks": "Utredningar och handläggning",
			"secrecy_tasks": false, "working_hours": "Ordinarie arbetstid 08.00–17.00", "availability": []string{"phone", "email"},
			"return_minutes": 30, "client_meetings_at_remote": false, "physical_meetings": "Inga fysiska möten på distansarbetsplatsen",
			"equipment":  []string{"computer", "headset"},
			"conditions": "Eget arbetsrum", "evaluation": "Vid medarbetarsamtalet", "risk_assessment": "acceptable"}
	case policy.KindPhoneHours:
		v = map[string]any{"sessions": []map[string]string{
			{"weekday": "mon", "start": "09:00", "end": "11:00"},
			{"weekday": "wed", "start": "13:00", "end": "15:00"},
			{"weekday": "fri", "start": "09:00", "end": "10:00"}}}
	case policy.KindRedirect:
		v = map[string]any{"phone": "personal", "target": "colleague", "until": now.Add(2 * time.Hour).Format("2006-01-02T15:04")}
	case policy.KindLeave:
		v = map[string]any{"days": 30, "equipment": []string{"computer", "phone"}}
	case policy.KindTravel:
		v = map[string]any{"private": false, "abroad": false, "equipment": []string{"computer"},
			"approved_by_manager": true, "mobile_data_abroad": false}
	case policy.KindIncident:
		v = map[string]any{"kind": "it", "discovered_at": now.Add(-time.Hour).Format("2006-01-02T15:04")}
	case policy.KindMeeting:
		v = map[string]any{"tool": "approved", "information_class": "internal"}
	default:
		v = map[string]any{}
	}
	b, _ := json.Marshal(v)
	return b
}
