package view_test

import (
	"html/template"

	"github.com/distans/distans/internal/web/view"
)

// reportSamples are the report pages: a report with a chart, a drill-down,
// suppressed and empty cells and a row limit; the union's view; a failed
// filter; the list with subscriptions; the operator's counts.
func reportSamples(layout func() view.Layout, failed func(...string) *view.Form) []view.Page {
	table := view.ReportTableView{ID: "t-by_state", Title: "Överenskommelser per läge", Description: "Antal per enhet.",
		Chart:    template.HTML(`<svg role="img" aria-labelledby="c-title c-desc"><title id="c-title">Diagram</title><desc id="c-desc">Beskrivning</desc></svg>`),
		Columns:  []string{"Aktiva", "Avslutade"},
		RowLimit: "Tabellen visar de första 50 raderna.",
		Rows: []view.ReportRowView{{Label: "Socialtjänsten", Href: "/reports/agreements?unit=u1", Cells: []view.ReportCellView{{Text: "12"}, {Text: "–", Suppressed: true}}},
			{Label: "Skola", Cells: []view.ReportCellView{{Text: "..", Empty: true}, {Text: "7"}}}},
		Total: &view.ReportRowView{Label: "Totalt", Cells: []view.ReportCellView{{Text: "19"}, {Text: "9"}}}}
	kinds := []view.ReportKindLink{{Href: "/reports/agreements", Label: "Distansarbete", Current: true}, {Href: "/reports/office", Label: "Lokaler"}}
	opts := []view.Option{{Value: "", Label: "Hela mitt ansvarsområde"}, {Value: "u1", Label: "Socialtjänsten"}}
	return []view.Page{
		&view.ReportPage{Layout: layout(), Kinds: kinds, Kind: "agreements", Form: view.NewForm(), Units: opts, Unit: "u1",
			Crumbs: []view.Link{{Href: "/reports/agreements", Label: "hela ansvarsområdet"}}, Scope: "Socialtjänsten",
			Period: "2025-04-01 – 2026-03-31", Generated: "2026-04-02 10:30", Marks: "”..” = uppgift saknas.",
			Missing: []string{"Kontorsdata saknas."}, Tables: []view.ReportTableView{table},
			Exports:         []view.Link{{Href: "/reports/agreements.csv?unit=u1", Label: "CSV"}, {Href: "/reports/agreements.pdf?unit=u1", Label: "PDF"}},
			Details:         []view.Link{{Href: "/reports/agreements/details?format=csv&unit=u1", Label: "underlag"}},
			SubscribeAction: "/reports/subscriptions"},
		&view.ReportPage{Layout: layout(), Kinds: kinds, Kind: "agreements", Form: view.NewForm(), Units: opts, Suppressed: true, MinGroup: 5,
			Tables: []view.ReportTableView{table}, Subscribed: "s1", SubscribeAction: "/reports/subscriptions/s1/delete"},
		&view.ReportPage{Layout: layout(), Kinds: kinds, Kind: "agreements", Form: failed("from"), Units: opts},
		&view.ReportsPage{Layout: layout(), Kinds: kinds, Suppressed: true,
			Subs: []view.ReportSubRow{{ID: "s1", Kind: "Distansarbete", Unit: "hela ansvarsområdet", Since: "2026-03-01", Action: "/reports/subscriptions/s1/delete"}}},
		&view.ReportsPage{Layout: layout(), Kinds: kinds},
		&view.DriftReportsPage{Layout: layout(), Generated: "2026-04-02 10:30", Tables: []view.ReportTableView{table}},
	}
}
