package view_test

import (
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// equipmentSamples are the equipment pages with every part shown: IT's
// overview with the terms form, the registry with a next page, failed
// forms, a pending handover as the person sees it (the acceptance form)
// and as IT sees it (the cancel), a loss case with a step form for the
// police report and the assessment form, a trip to decide, and the
// person's and the manager's pages with a task and its exception form.
func equipmentSamples(layout func() view.Layout, failed func(...string) *view.Form, day time.Time) []view.Page {
	l := layout()
	tabs := view.EquipmentTabs{Tabs: []view.NavItem{{Href: "/equipment/mine", Label: "Min utrustning", Current: true}, {Href: "/equipment", Label: "Översikt"}}}
	opts := []view.Option{{Value: "a", Label: "A"}, {Value: "b", Label: "B"}}
	checks := []view.CheckOption{{Value: "i1", Label: "Dator (D-1)", Checked: true}, {Value: "i2", Label: "Mobil (M-1)"}}
	item := &distans.EquipmentItem{ID: "i1", Category: distans.EquipmentComputer, ModelName: "Latitude 5440", Serial: "SN1", AssetTag: "D-1",
		UnitID: "u", UnitName: "Enhet A", PurchasedOn: &day, Status: distans.EquipmentInStock, Note: "Ny", Version: 2, CreatedAt: day}
	row := view.ItemRow{ID: "i1", Label: "Latitude 5440 (D-1)", Category: "Dator", Serial: "SN1", Number: "+4670", Unit: "Enhet A", Status: "Utlämnad", Holder: "Bo"}
	ho := view.HandoverRow{ID: "h1", Person: "Bo", Items: "Dator (D-1)", IssuedAt: "2026-11-22 10:00", State: "Kvitterad", PDF: "/equipment/handovers/h1/pdf"}
	hi := []distans.HandoverItem{{ItemID: "i1", Category: distans.EquipmentComputer, ModelName: "Latitude", Serial: "SN1", AssetTag: "D-1"}}
	h := &distans.EquipmentHandover{ID: "h1", PersonID: "p1", PersonName: "Bo", Items: hi, IssuedByName: "Iris", IssuedAt: day, Note: "Två saker",
		State: distans.HandoverAccepted, TermsTitle: "Villkor för utrustning", TermsVersion: 2, TermsBody: "1. Vård\n\n2. Förvaring",
		Acceptance: &distans.Signature{Name: "Bo", At: day, Hash: "abc"}}
	accept := failed("password")
	accept.Set("terms_version", "2")
	cancel := view.NewForm()
	cancel.Set("version", "1")
	hrows := []view.HandoverItemRow{{ItemID: "i1", Category: "Dator", Label: "Latitude (D-1)", Serial: "SN1", AssetTag: "D-1", Condition: "Gott skick", Note: "Repa"}}
	loss := &distans.EquipmentLoss{ID: "l1", Number: "FÖR 2026/0001", Kind: distans.LossLost, Items: hi, PersonID: "p1", PersonName: "Bo",
		DiscoveredAt: day, Place: "Tåget", Description: "Glömd", IncidentID: "inc1", IncidentNumber: "INC 2026/0002", State: distans.LossOpen}
	lossRow := view.LossRow{ID: "l1", Number: "FÖR 2026/0001", Kind: "Förlorad", Person: "Bo", Items: "Mobil", Reported: "2026-11-22", State: "Pågår", Next: "Nästa steg: Polisanmälan"}
	trip := &distans.EquipmentTrip{ID: "t1", PersonName: "Bo", Destination: "Spanien", StartsOn: day, EndsOn: day, Items: hi, State: distans.TripRequested}
	tripRow := view.TripRow{ID: "t1", Person: "Bo", Destination: "Spanien", Dates: "2026-11-22 – 2026-11-29", Kind: "Privat resa utomlands", State: "Väntar"}
	exception := failed("reasons.t1")
	exception.Set("id", "t1")
	exception.Set("version", "1")
	task := view.TaskRow{ID: "t1", Person: "Bo", What: "Lämna tillbaka dator", Reason: "Lång ledighet", Due: "2026-12-01", State: "Öppen",
		Citation: "Sorsele 004 §8.6", Overdue: true, Form: exception, CanComplete: true, Version: 1}
	step := failed("step.police_report.evidence", "step.police_report.reported_on", "step.police_report.attachment")
	return []view.Page{
		&view.EquipmentOverviewPage{Layout: l, EquipmentTabs: tabs, O: &distans.EquipmentOverview{OutstandingReturns: 3, OverdueReturns: 1, LostThisYear: 2, Unaccepted: 1, OpenLosses: 1},
			Statuses: opts, PerUnit: []view.UnitCountRow{{Unit: "Enhet A", Counts: []int{1, 2}, Total: 3}},
			Terms: &distans.PolicyDocument{ID: "d1", Title: "Villkor", Version: 2}, TermsForm: failed("document_id"), Documents: opts,
			Pending: []view.HandoverRow{ho}, Losses: []view.LossRow{lossRow}},
		&view.EquipmentItemsPage{Layout: layout(), EquipmentTabs: tabs, Category: "a", Status: "b", Unit: "a", Query: "D-", Categories: opts, Statuses: opts, Units: opts,
			Items: []view.ItemRow{row}, NextURL: "/equipment/items?after=x", CanRegister: true},
		&view.EquipmentItemFormPage{Layout: layout(), EquipmentTabs: tabs, Form: failed("category", "serial", "purchased_on", "unit_id"), Categories: opts, Models: opts, Units: opts, Statuses: opts},
		&view.EquipmentItemPage{Layout: layout(), EquipmentTabs: tabs, Item: item, Facts: []view.QA{{Q: "Typ", A: "Dator"}, {Q: "Not", A: ""}}, Status: "I lager",
			Form: failed("status"), Statuses: opts, HandoverID: "h1", History: []view.HistoryRow{{At: "2026-11-22 10:00", ISO: "2026-11-22T09:00:00Z", What: "Utlämnad", Who: "Iris", Href: "/equipment/handovers/h1"}}},
		&view.EquipmentImportPage{Layout: layout(), EquipmentTabs: tabs, Form: failed("file"), Result: &distans.EquipmentImport{DryRun: true, Rows: 3},
			Errors: []view.ImportErrorRow{{Line: 3, Column: "enhet", Message: "Okänd enhet."}}},
		&view.EquipmentImportPage{Layout: layout(), EquipmentTabs: tabs, Form: view.NewForm(), Result: &distans.EquipmentImport{Rows: 3, Created: 3}},
		&view.EquipmentIssuePage{Layout: layout(), EquipmentTabs: tabs, PersonQuery: "bo", People: opts, PersonNone: true,
			Person: &distans.Person{ID: "p1", Name: "Bo"}, ItemQuery: "D", Items: checks, Form: failed("item_ids"), TermsTitle: "Villkor", TermsNone: true},
		&view.EquipmentHandoverPage{Layout: layout(), EquipmentTabs: tabs, H: h, State: "Väntar", Items: hrows, Terms: []string{"1. Vård", "2. Förvaring"},
			Hash: "abc", AcceptForm: accept, CancelForm: cancel, Conflict: "Villkoren har ändrats.", PDF: "/equipment/handovers/h1/pdf"},
		&view.EquipmentReturnFormPage{Layout: layout(), EquipmentTabs: tabs, Person: &distans.Person{ID: "p1", Name: "Bo"},
			Items: []view.ReturnItemField{{ID: "i1", Label: "Dator", Checked: true}}, Conditions: opts, Form: failed("items")},
		&view.EquipmentReturnPage{Layout: layout(), EquipmentTabs: tabs, R: &distans.EquipmentReturn{ID: "r1", PersonName: "Bo", RecordedByName: "Iris", RecordedAt: day},
			Items: hrows, SignForm: failed("password"), Signed: "", PDF: "/equipment/returns/r1/pdf"},
		&view.EquipmentLossesPage{Layout: layout(), EquipmentTabs: tabs, Open: true, Losses: []view.LossRow{lossRow}},
		&view.EquipmentLossFormPage{Layout: layout(), EquipmentTabs: tabs, Form: failed("kind", "item_ids", "discovered_at", "place", "description"),
			Kinds: opts, Items: checks, PersonID: "p1", Person: "Bo"},
		&view.EquipmentLossPage{Layout: layout(), EquipmentTabs: tabs, L: loss, Kind: "Förlorad", State: "Pågår", Facts: []view.QA{{Q: "Plats", A: "Tåget"}},
			Items: hrows, Steps: []view.LossStepRow{{Step: "block_sim", Label: "Spärra", Citation: "Sorsele 004 §8.1", Who: "IT", Due: "2026-11-22 10:00", DueISO: "x",
				Status: "Gjort", Evidence: "Telia 123", Attachment: "/equipment/losses/l1/attachments/a1", Done: true}},
			StepForms: []view.LossStepForm{{Step: "police_report", Label: "Polisanmälan", Prefix: "step.police_report.", Police: true, Skippable: true, Form: step},
				{Step: "manager_informed", Label: "Chefen informerad", Prefix: "step.manager_informed.", Form: view.NewForm()}},
			Assessment: []view.QA{{Q: "Grov vårdslöshet", A: "Nej"}}, AssessForm: failed("gross_negligence", "reasons"), GrossChoices: opts, Conflict: "Ändrat"},
		&view.EquipmentTripFormPage{Layout: layout(), EquipmentTabs: tabs, Form: failed("destination", "starts_on", "ends_on", "item_ids"), Items: checks},
		&view.EquipmentTripPage{Layout: layout(), EquipmentTabs: tabs, Trip: trip, State: "Väntar", Facts: []view.QA{{Q: "Resmål", A: "Spanien"}}, Items: hrows,
			Findings: []view.FindingLine{{Message: "Mobildata av.", Citation: "Sorsele 004 §8.5", Severity: "info"}}, DecideForm: failed("decision", "note"), Choices: opts},
		&view.EquipmentMinePage{Layout: layout(), EquipmentTabs: tabs, Items: []view.ItemRow{row}, Pending: []view.HandoverRow{ho}, Handovers: []view.HandoverRow{ho},
			Returns: []view.ReturnRow{{ID: "r1", Person: "Bo", Items: "Dator", RecordedAt: "2026-11-22", Signed: "Ej", PDF: "/equipment/returns/r1/pdf"}},
			Losses:  []view.LossRow{lossRow}, Trips: []view.TripRow{tripRow}, Tasks: []view.TaskRow{task}},
		&view.EquipmentTeamPage{Layout: layout(), EquipmentTabs: tabs, Items: []view.ItemRow{row}, Pending: []view.HandoverRow{ho}, Trips: []view.TripRow{tripRow},
			Tasks: []view.TaskRow{task}, Losses: []view.LossRow{lossRow}},
	}
}
