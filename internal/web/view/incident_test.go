package view_test

import (
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// incidentSamples are the incident pages: the report form with a failed
// form and the switchboard's caller search, the queue with its traffic
// lights and the reporter's own list, and one incident as its handler sees
// it (every form, a failed duty form) and as a manager sees it (secret
// fields withheld).
func incidentSamples(layout func() view.Layout, failed func(...string) *view.Form, day time.Time) []view.Page {
	discovered := day.Add(9 * time.Hour)
	due := discovered.Add(72 * time.Hour)
	green := &view.ClockLight{Class: "light-green", Symbol: "●", Text: "2 d 3 tim kvar", Label: "Anmälan till IMY", Due: "2026-11-25 10:00", ISO: "2026-11-25T09:00:00Z"}
	inc := &distans.Incident{ID: "i1", Number: "INC 2026/0012", Kind: distans.IncidentPersonalData, Title: "Mejl till fel mottagare",
		Description: "Ett mejl med elevuppgifter gick till fel vårdnadshavare.\n\nDet upptäcktes direkt.", DiscoveredAt: discovered,
		OccurredAt: &discovered, Systems: "E-post", ReporterID: "p2", ReporterName: "Bo Berg", State: distans.IncidentHandling,
		Severity: distans.SeverityHigh, OwnerID: "p1", OwnerName: "Anna Andersson", SecretFields: []string{"description"},
		Clocks: []distans.IncidentClock{{Duty: distans.DutyIMYNotification, Label: distans.PolicyText{Sv: "Anmälan till IMY", En: "Notification to IMY"},
			Citation: "GDPR art. 33", DueAt: due}, {Duty: distans.DutyDataSubjects, DueAt: due, DoneAt: &due, NotRequired: true, Note: "Låg risk."}},
		Measures: []distans.IncidentMeasure{{ID: "m1", Text: "Påminn om kontroll av mottagare", OwnerName: "Anna Andersson", DueOn: day}},
		Links:    []distans.IncidentLink{{Kind: "person", TargetID: "p2", Label: "Bo Berg"}}, Version: 3}
	redacted := *inc
	redacted.Description, redacted.Redacted = "", []string{"description"}
	notification := &distans.IMYNotification{Controller: "Vara kommun", DiscoveredAt: discovered,
		Supplements: []distans.IMYSupplement{{At: due, Text: "Antalet registrerade är 12."}}}
	opts := []view.Option{{Value: "a", Label: "A"}, {Value: "b", Label: "B"}}
	checks := []view.CheckOption{{Value: "ordinary", Label: "Vanliga", Checked: true}, {Value: "sensitive", Label: "Känsliga"}}
	duty := failed("duty.imy_notification.outcome", "duty.imy_notification.at")
	duty.Set("duty", distans.DutyIMYNotification)
	row := view.RiskVersionRow{Heading: "Version 2", Answers: []view.QA{{Q: "Risk", A: "Hög"}}}
	handler := &view.IncidentPage{Layout: layout(), I: inc, Access: distans.IncidentAccessFull, Handles: true, Kind: "Personuppgiftsincident",
		State: "Under hantering", Severity: "Hög", Conflict: "Någon annan har ändrat incidenten.",
		Facts: []view.SecretQA{{Q: "Beskrivning", A: inc.Description, Marked: true, Paragraph: true}, {Q: "System", A: "E-post"}},
		Clocks: []view.ClockRow{{Duty: distans.DutyIMYNotification, Label: "Anmälan till IMY", Citation: "GDPR art. 33", Light: *green, Open: true},
			{Duty: distans.DutyDataSubjects, Label: "Information till de registrerade", Light: view.ClockLight{Class: "light-done", Symbol: "✓", Text: "Klar"},
				Outcome: "Inte aktuellt", Note: "Låg risk."}},
		DutyOutcomes: opts, DutyForms: []view.DutyFormView{{Duty: distans.DutyIMYNotification, Label: "Anmälan till IMY", Prefix: "duty.imy_notification.", Form: duty}},
		TriageForm: failed("kind", "severity"), Kinds: opts, Severities: opts, Owners: opts, Secrets: checks,
		ShowRisk: true, RiskCurrent: &row, RiskEarlier: []view.RiskVersionRow{{Heading: "Version 1", Answers: row.Answers}},
		RiskForm: failed("data_subjects", "risk_level"), RiskCats: checks, RiskCons: checks, RiskLevel: opts,
		ShowIMY: true, IMY: notification, IMYForm: failed("imy.controller", "imy.discovered_at"), IMYCategories: opts, IMYSecretParts: checks,
		Supplements: []view.SupplementRow{{At: "2026-11-25 10:00", Text: "Antalet registrerade är 12."}}, SupplementForm: failed("supplement.text"),
		Measures:    []view.MeasureRow{{ID: "m1", Text: "Påminn", Owner: "Anna", Due: "2026-11-22", Status: "Försenad", Overdue: true, CanComplete: true}},
		MeasureForm: failed("measure.text", "measure.due_on"), Links: []view.LinkRow{{Kind: "Person", Label: "Bo Berg", Href: "/people/p2"}},
		LinkForm: failed("link.target"), LinkKinds: opts, LinkTargets: opts, CloseForm: view.NewForm(),
		Timeline: []view.TimelineRow{{At: "2026-11-22 10:00", ISO: "2026-11-22T09:00:00Z", Who: "Bo Berg", What: "Rapporterade incidenten"}}}
	manager := &view.IncidentPage{Layout: layout(), I: &redacted, Access: distans.IncidentAccessUnit, Kind: "Personuppgiftsincident", State: "Under hantering",
		Facts:  []view.SecretQA{{Q: "Beskrivning", Secret: true}},
		Clocks: []view.ClockRow{{Duty: distans.DutyIMYNotification, Label: "Anmälan till IMY", Light: view.ClockLight{Class: "light-red", Symbol: "■", Text: "Passerad för 2 tim sedan"}}}}
	reporter := &view.IncidentPage{Layout: layout(), I: inc, Access: distans.IncidentAccessReporter, Kind: "Personuppgiftsincident", State: "Rapporterad"}
	form := failed("kind", "title", "discovered_at")
	form.Set("kind", "it")
	return []view.Page{
		&view.IncidentFormPage{Layout: layout(), Form: form, Kinds: opts, ForOthers: true, CallerQuery: "Bo", Callers: opts, CallerNone: false,
			Guidance: []view.GuidanceGroup{{Kind: "it", Label: "IT-incident", Findings: []view.GuidanceRow{{Message: "Dra ur nätverkssladden.",
				Citation: "Kristianstads kommun, Instruktion för digital kommunikation, Datavirus", Deadlines: []string{"Anmälan: senast 2026-11-25 10:00"}}}},
				{Kind: "other", Label: "Annat"}}},
		&view.IncidentsPage{Layout: layout(), ShowQueue: true, NextURL: "/incidents?after=i1",
			Queue:  []view.IncidentRow{{ID: "i1", Number: "INC 2026/0012", Title: "Mejl", Kind: "Personuppgiftsincident", State: "Under hantering", Severity: "Hög", Next: green}, {ID: "i2", Number: "INC 2026/0013", Title: "Dator", Kind: "IT"}},
			Filter: view.IncidentFilterView{State: "open", States: opts, Kinds: opts},
			Mine:   []view.IncidentRow{{ID: "i2", Number: "INC 2026/0013", Title: "Dator", Kind: "IT", State: "Rapporterad"}}},
		&view.IncidentsPage{Layout: layout()},
		handler, manager, reporter,
	}
}
