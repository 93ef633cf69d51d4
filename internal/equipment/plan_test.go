package equipment_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/equipment"
	"github.com/distans/distans/internal/policy"
)

var stockholm, _ = time.LoadLocation("Europe/Stockholm")

func seed(t *testing.T, slug string) *policy.Pack {
	t.Helper()
	p, err := policy.Seed(slug)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func genericPack(t *testing.T) *policy.Pack {
	t.Helper()
	// An organisation whose pack says nothing of its own: the rules of law
	// and their defaults alone.
	p, err := policy.Parse([]byte("slug: tomt\norganisation: Tomma kommun\ntitle: Inget\ndocument: inget.txt\nversion: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// step is what a test expects of one step: who, due how long after the
// report (or the discovery), skippable, and a clause the citation names.
type step struct {
	step      string
	role      distans.Role
	due       time.Time
	skippable bool
	cites     string
}

// TestLossSteps is the table of which pack asks which steps of a loss, who
// does each, by when, and citing which clause: the organisation's own rule
// for a step where its document has one, the rules of law's default where
// it is silent.
func TestLossSteps(t *testing.T) {
	t.Parallel()
	disc := time.Date(2026, 3, 2, 7, 0, 0, 0, stockholm)   // Monday 07.00
	report := time.Date(2026, 3, 2, 9, 0, 0, 0, stockholm) // 09.00
	endOfDay := time.Date(2026, 3, 2, 23, 59, 59, 0, stockholm)
	phone := []distans.HandoverItem{{Category: distans.EquipmentPhone}}
	laptop := []distans.HandoverItem{{Category: distans.EquipmentComputer}}
	for _, c := range []struct {
		name      string
		pack      string
		kind      distans.LossKind
		items     []distans.HandoverItem
		byManager bool
		want      []step
	}{
		{"Sorsele, a lost phone: the four steps of 8.1", "sorsele", distans.LossLost, phone, false, []step{
			{distans.StepBlockSIM, distans.RoleIT, report.Add(4 * time.Hour), false, "Sorsele kommun, Policy för telefoni, mobilteknisk utrustning samt e-postanvändning, 8.1 Skydd och säkerhet"},
			{distans.StepPoliceReport, distans.RoleEmployee, disc.Add(24 * time.Hour), true, "8.1 Skydd och säkerhet"},
			{distans.StepIncidentReport, distans.RoleEmployee, report.Add(24 * time.Hour), false, "8.1 Skydd och säkerhet"},
			{distans.StepManagerInformed, distans.RoleEmployee, report.Add(24 * time.Hour), false, "8.1 Skydd och säkerhet"},
		}},
		{"Sorsele, a stolen computer: no SIM to block", "sorsele", distans.LossStolen, laptop, false, []step{
			{distans.StepPoliceReport, distans.RoleEmployee, disc.Add(24 * time.Hour), true, "8.1"},
			{distans.StepIncidentReport, distans.RoleEmployee, report.Add(24 * time.Hour), false, "8.1"},
			{distans.StepManagerInformed, distans.RoleEmployee, report.Add(24 * time.Hour), false, "8.1"},
		}},
		{"Sorsele, reported by the manager: the manager needs no telling", "sorsele", distans.LossLost, phone, true, []step{
			{distans.StepBlockSIM, distans.RoleIT, report.Add(4 * time.Hour), false, "8.1"},
			{distans.StepPoliceReport, distans.RoleEmployee, disc.Add(24 * time.Hour), true, "8.1"},
			{distans.StepIncidentReport, distans.RoleEmployee, report.Add(24 * time.Hour), false, "8.1"},
		}},
		{"Sorsele, a damaged phone: 8.1 is about losses, the default tells the manager", "sorsele", distans.LossDamaged, phone, false, []step{
			{distans.StepManagerInformed, distans.RoleEmployee, report.Add(24 * time.Hour), false, "Skadeståndslagen (1972:207), 4 kap. 1 §"},
		}},
		{"Stockholm: the written report to the employer at once; the law's defaults for the rest", "stockholm", distans.LossLost, phone, false, []step{
			{distans.StepBlockSIM, distans.RoleIT, report.Add(4 * time.Hour), false, "Artikel 32.1"},
			{distans.StepIncidentReport, distans.RoleEmployee, report.Add(24 * time.Hour), false, "Artikel 33.5"},
			{distans.StepManagerInformed, distans.RoleEmployee, endOfDay, false, "Vad gäller vid förlust av utrustning"},
		}},
		{"Stockholm, damage is reported too", "stockholm", distans.LossDamaged, laptop, false, []step{
			{distans.StepManagerInformed, distans.RoleEmployee, endOfDay, false, "Vad gäller vid förlust av utrustning"},
		}},
		{"Bjurholm: loss and incident reported at once (6.)", "bjurholm", distans.LossStolen, phone, false, []step{
			{distans.StepBlockSIM, distans.RoleIT, report.Add(4 * time.Hour), false, "Artikel 32.1"},
			{distans.StepIncidentReport, distans.RoleEmployee, endOfDay, false, "6. Medarbetarens ansvar"},
			{distans.StepManagerInformed, distans.RoleEmployee, endOfDay, false, "6. Medarbetarens ansvar"},
		}},
		{"Kristianstad, a theft: manager and IT service desk contacted", "kristianstad", distans.LossStolen, laptop, false, []step{
			{distans.StepIncidentReport, distans.RoleEmployee, endOfDay, false, "Rutiner för hantering av säkerhetsincidenter"},
			{distans.StepManagerInformed, distans.RoleEmployee, report.Add(24 * time.Hour), false, "Stöld och sabotage"},
		}},
		{"Kristianstad, a loss: the manager by the law's default", "kristianstad", distans.LossLost, phone, false, []step{
			{distans.StepBlockSIM, distans.RoleIT, report.Add(4 * time.Hour), false, "Artikel 32.1"},
			{distans.StepIncidentReport, distans.RoleEmployee, endOfDay, false, "Rutiner för hantering av säkerhetsincidenter"},
			{distans.StepManagerInformed, distans.RoleEmployee, report.Add(24 * time.Hour), false, "4 kap. 1 §"},
		}},
		{"Vara: the nearest manager contacted (2.3)", "vara", distans.LossLost, laptop, false, []step{
			{distans.StepIncidentReport, distans.RoleEmployee, report.Add(24 * time.Hour), false, "Artikel 33.5"},
			{distans.StepManagerInformed, distans.RoleEmployee, report.Add(24 * time.Hour), false, "Vara kommun, Rutin för distansarbete, 2.3 Incidenter"},
		}},
		{"No document of its own: the law's defaults", "", distans.LossStolen, phone, false, []step{
			{distans.StepBlockSIM, distans.RoleIT, report.Add(4 * time.Hour), false, "Dataskyddsförordningen (EU) 2016/679, Artikel 32.1"},
			{distans.StepIncidentReport, distans.RoleEmployee, report.Add(24 * time.Hour), false, "Artikel 33.5"},
			{distans.StepManagerInformed, distans.RoleEmployee, report.Add(24 * time.Hour), false, "4 kap. 1 §"},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pack := genericPack(t)
			if c.pack != "" {
				pack = seed(t, c.pack)
			}
			l := &distans.EquipmentLoss{Kind: c.kind, Items: c.items, DiscoveredAt: disc.UTC()}
			got, err := equipment.LossSteps(pack, l, c.byManager, report)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("steps %+v, want %+v", got, c.want)
			}
			for i, w := range c.want {
				g := got[i]
				if g.Step != w.step || g.Role != w.role || !g.DueAt.Equal(w.due) || g.Skippable != w.skippable ||
					!strings.Contains(g.Citation, w.cites) || g.RuleID == "" || g.Label.Sv == "" || g.Label.En == "" {
					t.Errorf("step %d: %s by %s due %s skippable %v citing %q (%s); want %s by %s due %s skippable %v citing %q",
						i, g.Step, g.Role, g.DueAt.In(stockholm), g.Skippable, g.Citation, g.RuleID, w.step, w.role, w.due, w.skippable, w.cites)
				}
				if strings.Contains(g.Citation, ".txt") {
					t.Errorf("citation names a file: %q", g.Citation)
				}
			}
		})
	}
}

// TestReturnDemand is the table of what each pack asks back when a leave
// begins or an employment ends, citing which clause.
func TestReturnDemand(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, stockholm)
	held := []distans.EquipmentCategory{distans.EquipmentComputer, distans.EquipmentPhone, distans.EquipmentHeadset}
	for _, c := range []struct {
		name   string
		pack   string
		reason distans.ReturnReason
		days   int
		held   []distans.EquipmentCategory
		want   *distans.ReturnDemand // nil: nothing asked
		cites  string
	}{
		{"Sorsele, leave over a year: phone and computer back, subscription ended (8.6)", "sorsele", distans.ReturnLongLeave, 400, held,
			&distans.ReturnDemand{Items: true, Subscription: true, RuleID: "sorsele-8.6-leave-return",
				Categories: []distans.EquipmentCategory{distans.EquipmentPhone, distans.EquipmentComputer, distans.EquipmentSIM}},
			"8.6 Återlämnande av mobil teknisk utrustning"},
		{"Sorsele, a year exactly: nothing", "sorsele", distans.ReturnLongLeave, 365, held, nil, ""},
		{"Sorsele, a long leave holding only a headset: nothing", "sorsele", distans.ReturnLongLeave, 400,
			[]distans.EquipmentCategory{distans.EquipmentHeadset}, nil, ""},
		{"Sorsele, employment ends: all technical equipment (8.6)", "sorsele", distans.ReturnEmploymentEnd, 0, held,
			&distans.ReturnDemand{Items: true, RuleID: "sorsele-8.6-employment-end"}, "8.6 Återlämnande av mobil teknisk utrustning"},
		{"Kristianstad, employment ends: the manager decides how the equipment comes back", "kristianstad", distans.ReturnEmploymentEnd, 0, held,
			&distans.ReturnDemand{Items: true, RuleID: "kristianstad-employment-end"}, "Kristianstads kommun, Instruktion för digital kommunikation – informationssäkerhet för användare, När anställningen upphör"},
		{"Kristianstad, a long leave: the document is silent", "kristianstad", distans.ReturnLongLeave, 800, held, nil, ""},
		{"Stockholm, employment ends: the law's default, subscription ended too", "stockholm", distans.ReturnEmploymentEnd, 0, held,
			&distans.ReturnDemand{Items: true, Subscription: true, RuleID: "equipment-return-employment-end"}, "Artikel 32.1"},
		{"Stockholm, a long leave: silent", "stockholm", distans.ReturnLongLeave, 800, held, nil, ""},
		{"Bjurholm, employment ends with only other things", "bjurholm", distans.ReturnEmploymentEnd, 0,
			[]distans.EquipmentCategory{distans.EquipmentOther}, &distans.ReturnDemand{Items: true, Subscription: true,
				RuleID: "equipment-return-employment-end"}, "Artikel 32.1"},
		{"Vara, a long leave: silent", "vara", distans.ReturnLongLeave, 800, held, nil, ""},
		{"Vara, nothing held", "vara", distans.ReturnEmploymentEnd, 0, nil, nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := equipment.Return(seed(t, c.pack), c.reason, c.days, c.held, now)
			if err != nil {
				t.Fatal(err)
			}
			if c.want == nil {
				if got != nil {
					t.Fatalf("asked %+v, want nothing", got)
				}
				return
			}
			if got == nil || got.Items != c.want.Items || got.Subscription != c.want.Subscription || got.RuleID != c.want.RuleID ||
				!slices.Equal(got.Categories, c.want.Categories) || !strings.Contains(got.Citation, c.cites) {
				t.Fatalf("asked %+v, want %+v citing %q", got, c.want, c.cites)
			}
		})
	}
	d := &distans.ReturnDemand{Items: true, Categories: []distans.EquipmentCategory{distans.EquipmentPhone}}
	if !d.Asks(distans.EquipmentPhone) || d.Asks(distans.EquipmentHeadset) || !(&distans.ReturnDemand{Items: true}).Asks(distans.EquipmentOther) {
		t.Error("Asks does not follow Categories")
	}
}

// TestTripPlan: a private trip abroad with a computer waits for the
// manager's approval in Sorsele (004 §8.5) and needs its reasons; a
// business trip is registered; abroad, the reminder that mobile data is
// off comes along as info.
func TestTripPlan(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, stockholm)
	computer := []distans.HandoverItem{{Category: distans.EquipmentComputer}}
	phone := []distans.HandoverItem{{Category: distans.EquipmentPhone}}
	for _, c := range []struct {
		name  string
		pack  string
		trip  distans.EquipmentTrip
		state distans.TripState
		rules []string // among the findings
		bad   string   // the field refused
	}{
		{"private, abroad, computer, with reasons: requested", "sorsele",
			distans.EquipmentTrip{Private: true, Abroad: true, Items: computer, Reasons: "Jour under resan"},
			distans.TripRequested, []string{"sorsele-8.5-computer-private-abroad"}, ""},
		{"private, abroad, computer, no reasons: refused", "sorsele",
			distans.EquipmentTrip{Private: true, Abroad: true, Items: computer}, "", nil, "reasons"},
		{"private, abroad, phone: registered, with the data reminder", "sorsele",
			distans.EquipmentTrip{Private: true, Abroad: true, Items: phone},
			distans.TripRegistered, []string{"sorsele-8.5-phone-private-abroad", "sorsele-8.5-private-data-abroad"}, ""},
		{"business trip abroad with a computer: registered", "sorsele",
			distans.EquipmentTrip{Abroad: true, Items: computer}, distans.TripRegistered, nil, ""},
		{"private trip in Sweden: registered", "sorsele",
			distans.EquipmentTrip{Private: true, Items: computer}, distans.TripRegistered, nil, ""},
		{"Kristianstad, private abroad with a computer: no rule asks approval", "kristianstad",
			distans.EquipmentTrip{Private: true, Abroad: true, Items: computer}, distans.TripRegistered, nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			state, findings, err := equipment.Trip(seed(t, c.pack), &c.trip, now)
			if c.bad != "" {
				var e *distans.Error
				if distans.ErrorCode(err) != distans.EINVALID || !errorsAs(err, &e) || e.Fields[0].Field != c.bad {
					t.Fatalf("err = %v, want %s refused", err, c.bad)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if state != c.state {
				t.Errorf("state %s, want %s", state, c.state)
			}
			for _, id := range c.rules {
				i := slices.IndexFunc(findings, func(f distans.AgreementFinding) bool { return f.RuleID == id })
				if i < 0 {
					t.Errorf("no finding %s in %+v", id, findings)
				} else if findings[i].Citation == "" || !strings.Contains(findings[i].Citation, "8.") {
					t.Errorf("%s cites %q", id, findings[i].Citation)
				}
			}
			for _, f := range findings {
				if f.RuleID == "sorsele-8.5-private-data-abroad" && f.Severity != "info" {
					t.Errorf("the data reminder is %s, want info", f.Severity)
				}
			}
		})
	}
}

func errorsAs(err error, e **distans.Error) bool {
	x, ok := err.(*distans.Error)
	*e = x
	return ok && len(x.Fields) > 0
}
