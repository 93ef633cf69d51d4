package view_test

import (
	"time"

	"github.com/distans/distans/internal/web/view"
)

// trainingSamples are the training and checklist pages, every part shown
// (a failed form, tabs, names, a tick form), and the agreement form with
// its preconditions box.
func trainingSamples(layout func() view.Layout, failed func(...string) *view.Form, _ time.Time) []view.Page {
	l := layout()
	tabs := view.SectionTabs{TabsLabel: "Utbildning", Tabs: []view.NavItem{{Href: "/training", Label: "Min utbildning", Current: true},
		{Href: "/training/coverage", Label: "Täckning"}}}
	courses := []view.Option{{Value: "", Label: "Välj"}, {Value: "disa", Label: "DISA"}}
	course := view.CourseRow{ID: "disa", Title: "DISA", Description: "Grundläggande informationssäkerhet.\n\nTio avsnitt.",
		URL: "https://www.msb.se/sv/utbildning--ovning/alla-utbildningar/datorstodd-informationssakerhetsutbildning-for-anvandare-disa/", Audience: "Alla anställda", Deadline: "Inom 30 dagar", Renewal: "Gäller tills vidare",
		Citation: "Kristianstads kommun, Instruktion för digital kommunikation, Utbildning", Quote: "Alla ska gå DISA.", QuoteLabel: "Citat"}
	tick := view.NewForm()
	tick.Set("version", "3")
	task := view.ChecklistTaskRow{ID: "t1", ChecklistID: "c1", Title: "Registrera sökord", Person: "Bo", Event: "Anställningens början",
		Owner: "Medarbetaren", Due: "2026-11-22", Overdue: true, State: "Öppen", Citation: "Sorsele kommun, Policy för telefoni, 5", Form: tick}
	done := view.ChecklistTaskRow{ID: "t2", ChecklistID: "c1", Title: "DISA", Owner: "Medarbetaren", Due: "2026-11-30", State: "Klar",
		DoneBy: "Distans 2026-11-20 10:00", Auto: true}
	list := view.ChecklistRow{ID: "c1", Title: "Första dagen", Person: "Bo", Event: "Anställningens början", EventOn: "2026-11-22",
		State: "Öppen", Progress: "1 av 2 klara"}
	record := failed("person_id", "completed_on", "certificate")
	return []view.Page{
		&view.TrainingPage{Layout: l, SectionTabs: tabs, Courses: courses, Form: failed("course_id", "completed_on", "certificate"),
			Mine: []view.TrainingRow{{Course: "DISA", State: "Försenad", Missing: true, Overdue: "3 dagar sen", Due: "2026-11-22",
				Citation: course.Citation}, {Course: "GDPR", State: "Genomförd", Completed: "2026-01-02", Certificate: "/training/completions/x/certificate"}},
			Completions: []view.CompletionRow{{Course: "GDPR", Completed: "2026-01-02", Source: "själv", Certificate: "/training/completions/x/certificate"}},
			Catalogue:   []view.CourseRow{course}},
		&view.TrainingPage{Layout: layout(), Form: view.NewForm()},
		&view.TrainingCoveragePage{Layout: layout(), SectionTabs: tabs, Courses: courses[1:], Units: []view.Option{{Value: "", Label: "Alla"}, {Value: "u", Label: "Enhet A"}},
			Course: "disa", Unit: "u", Summary: "3 ska gå, 1 har gått, 1 försenade.", PerUnit: []view.UnitTrainingRow{{Unit: "Enhet A", Required: 3, Done: 1, Overdue: 1}},
			Missing: []view.MissingRow{{Person: "Bo", Unit: "Enhet A", State: "Försenad", Due: "2026-11-22", Overdue: "3 dagar sen"}}, Names: true,
			MoreMissing: "Här visas de 200 som är mest försenade av 2 418.",
			People:      []view.Option{{Value: "", Label: "Välj"}, {Value: "p", Label: "Bo"}}, Form: record},
		&view.TrainingCoveragePage{Layout: layout(), Courses: courses[1:], Course: "disa", Summary: "3 ska gå.",
			PerUnit: []view.UnitTrainingRow{{Unit: "Enhet A", Required: 3}}},
		&view.TrainingImportPage{Layout: layout(), SectionTabs: tabs, Form: failed("file"), Summary: "2 rader, 1 fel.", Failed: true,
			Errors: []view.ImportErrorRow{{Line: 2, Column: "datum", Message: "Datumet kan inte ligga i framtiden."}}},
		&view.ChecklistsPage{Layout: layout(), Tasks: []view.ChecklistTaskRow{task}, Mine: []view.ChecklistRow{list}, Scope: []view.ChecklistRow{list}, ShowScope: true},
		&view.ChecklistsPage{Layout: layout()},
		&view.ChecklistPage{Layout: layout(), ID: "c1", Version: 3, Person: "Bo", Event: "Anställningens början", EventOn: "2026-11-22", State: "Öppen",
			Opened: "2026-11-15 06:00", Citation: "Kristianstads kommun, Instruktion för digital kommunikation, Utbildning", Progress: "1 av 2 klara",
			Tasks: []view.ChecklistTaskRow{task, done}},
		&view.ChecklistsOverviewPage{Layout: layout(), PerEvent: []view.CountRow{{Label: "Anställningens början", Open: 2, Overdue: 1}},
			PerOwner: []view.CountRow{{Label: "IT", Overdue: 1}}, Open: []view.ChecklistRow{list}},
		&view.AgreementFormPage{Layout: layout(), Form: view.NewForm(), Action: "/agreements", Back: "/agreements", ShowPreconditions: true,
			Preconditions: []view.AgreementFindingRow{{RuleID: "disa", Severity: "block", SeverityLabel: "Hinder", Message: "DISA är inte genomförd.",
				Citation: course.Citation, Quote: "Alla ska gå DISA.", QuoteLabel: "Citat"}}},
	}
}
