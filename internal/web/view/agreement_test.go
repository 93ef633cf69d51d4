package view_test

import (
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// agreementSamples are filled examples of the remote-work pages and the
// notifications, every form shown and failed; TestRenderEveryPage renders
// them with the other samples.
func agreementSamples(lang string) []view.Page {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	l := func() view.Layout {
		return view.Layout{Lang: lang, P: locale.New(lang), Title: "Titel", Path: "/", CSRF: "tok", CSS: "/s.css",
			User: &view.User{PersonID: "p1", Name: "Olle", OrgName: "Bjurholms kommun"}, Loc: loc, Version: "test", OtherLang: "en"}
	}
	failed := func(fields ...string) *view.Form {
		f := view.NewForm()
		f.Message = "Fel"
		f.Set("version", "3")
		for _, n := range fields {
			f.Set(n, "x<script>")
			f.Fail(n, "Fel i "+n)
		}
		return f
	}
	day := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	end := day.AddDate(1, 0, -1)
	rows := []view.AgreementRow{{ID: "a1", Number: "DIST 2026/0001", PersonName: "Olle", UnitName: "IT", State: "Gäller",
		Period: "2026-11-22 – 2027-11-21", NextFollowUp: "2027-02-22", Why: []string{"Upphör 2027-11-21"}}}
	terms := &distans.Terms{Start: day, End: end, Weekdays: []string{"mon", "wed"}, ShareRemote: 40, MainWorkplace: "Kommunhuset",
		TaxWorkplace: "main", Tasks: "Utredning", WorkingHours: "8–17", Availability: []string{"phone", "teams"}, ReturnMinutes: 60,
		Equipment: []string{"computer"}, Conditions: "Inga", Evaluation: "Årligen", Comments: map[string]string{"r1": "Motiverat"}}
	ag := &distans.Agreement{ID: "a1", Number: "DIST 2026/0001", PersonID: "p2", PersonName: "Olle", UnitName: "IT", State: distans.AgreementEnded,
		Version: 7, PlaceSet: true, RenewalOf: "a0", RenewedBy: "a2", NextFollowUpOn: &end,
		Request: distans.AgreementRequest{DaysPerWeek: 2, Start: day, End: end, Tasks: "Utredning", Reasons: "Fokus"},
		Assessment: &distans.Assessment{Operation: "Bra", Individual: "Van", Extent: "Två dagar", Availability: "Teams", Meetings: "Tisdagar",
			CommonDays: "Tisdag", AssessedName: "Amir", AssessedAt: day},
		Risk: &distans.RiskAssessment{Answers: map[string]distans.RiskAnswer{"ergonomics": {OK: true}, "light": {Comment: "Bländning"}},
			AnsweredAt: day, Outcome: distans.RiskNeedsMeasures, Measures: "Gardin", ReviewedName: "Amir", ReviewedAt: &day},
		Decision: &distans.Decision{Approved: false, Reasons: "Verksamheten", DecidedName: "Amir", DecidedAt: day},
		Terms:    terms,
		Findings: []distans.AgreementFinding{{RuleID: "r1", Severity: "warn", MessageSv: "Lång period", MessageEn: "Long period",
			Document: "Riktlinjer", Section: "§11", Quote: "högst ett år"}, {RuleID: "r2", Severity: "block", MessageSv: "Saknas", MessageEn: "Missing"}},
		Signatures: []distans.Signature{{Role: distans.SignerEmployee, Name: "Olle", At: day, Hash: "abcdef0123456789"}},
		FollowUps:  []*distans.FollowUp{{Date: day, Goals: "Nådda", RecordedByName: "Amir"}},
		Evaluation: &distans.Evaluation{Date: day, Summary: "Bra", Continue: true, RecordedByName: "Amir"},
		EndedOn:    &end, EndReason: distans.EndByManager, EndNote: "Dialog 1 mars", CreatedAt: day, UpdatedAt: day}
	riskNames := []string{"answers.ergonomics", "answers.light.comment"}
	return []view.Page{
		&view.AgreementsPage{Layout: l(), Own: rows, CanRequest: true, ShowQueue: true, Queue: rows, ShowOverview: true,
			Filter: view.AgreementFilterView{Query: "olle", UnitID: "u1", State: "active", Expiring: true, Overdue: true,
				Units: []view.Option{{Value: "u1", Label: "IT"}}, States: []view.Option{{Value: "", Label: "Alla"}, {Value: "active", Label: "Gäller"}}},
			Rows: rows, Total: 60, First: 26, Last: 50, PrevURL: "/agreements", NextURL: "/agreements?offset=50"},
		&view.AgreementFormPage{Layout: l(), Form: failed("weekdays", "days_per_week", "place", "start", "end", "tasks", "reasons"),
			Notes:  []view.PackNote{{Heading: "Tillfälligt arbete", Text: "Inte distansarbete.", Citation: "Bjurholms kommun, Riktlinjer för distansarbete, 3. Distansarbete", Quote: "per definition"}},
			Action: "/agreements/a1/request", Weekdays: []view.WeekdayOption{{Value: "mon", Label: "måndag", Checked: true}},
			Version: 3, Editing: true, Back: "/agreements/a1"},
		&view.AgreementPage{Layout: l(), A: ag, StateLabel: "Avslutad", IsManager: true, RequestDays: "2 dagar per vecka",
			Steps:     []view.StepRow{{Label: "Ansökan", Done: true, Detail: "Olle"}, {Label: "Beslut", Current: true}, {Label: "Avslut"}},
			CanReveal: true, Revealed: true, RequestPlace: "Storgatan 1", TermsPlace: "Storgatan 2", CanEditRequest: true, CanWithdraw: true,
			AssessForm: failed("operation", "common_days"), Assessment: []view.QA{{Q: "Fråga", A: "Svar"}},
			RiskForm: failed(riskNames...), RiskAnswers: []view.RiskRow{{Key: "light", Label: "Ljus", Comment: "Bländning"}},
			ReviewForm: failed("outcome", "measures"), Outcomes: []view.Option{{Value: "acceptable", Label: "Godtagbar"}},
			RiskOutcome: "Kräver åtgärder", DecideForm: failed("decision", "reasons"),
			DecideNotes: []view.PackNote{{Heading: "Går inte att överklaga", Text: "Motivera.", Citation: "Stockholms stad – Kulturförvaltningen, Ramverk, Du beslutar", Quote: "inte att överklaga"}},
			TermsForm:   failed("start", "weekdays_remote", "availability", "equipment", "comments.r1", "tax_workplace"),
			Terms:       []view.QA{{Q: "Period", A: "2026"}},
			Findings: []view.AgreementFindingRow{{RuleID: "r1", Severity: "warn", SeverityLabel: "Varning", Message: "Lång",
				Citation: "Bjurholms kommun, Riktlinjer för distansarbete, 11. Skriftlig individuell överenskommelse", Quote: "högst", CommentField: "comments.r1", Comment: "Ok"}},
			SignForm: failed("password"), SignRole: "employee", Hash: "abcdef0123456789abcdef",
			Signatures:   []view.SignatureRow{{Role: "Medarbetare", Name: "Olle", At: "2026-11-22 10:00", HashPrefix: "abcdef012345"}},
			FollowUpForm: failed("date", "goals", "spill_over"), FollowUps: []view.FollowUpRow{{Date: "2026-11-22", RecordedBy: "Amir", Answers: []view.QA{{Q: "Mål", A: "Nådda"}}}},
			EvaluationForm: failed("evaluation_date", "summary"), RenewForm: failed("renew_end"), EndForm: failed("end_note", "end_on"),
			EndByManager: true, PDF: true, Conflict: ""},
		&view.AgreementPage{Layout: l(), A: &distans.Agreement{ID: "a3", Number: "DIST 2026/0003", State: distans.AgreementRequested},
			StateLabel: "Ansökan", Conflict: "Ärendet har ändrats."},
		&view.NotificationsPage{Layout: l(), Unread: 1, Items: []view.NotificationRow{
			{ID: "n1", Subject: "Ansökan väntar", Body: "Olle har ansökt.\n\nSe ärendet.", Link: "/agreements/a1", At: "2026-11-22 10:00", ISO: "2026-11-22T09:00:00Z", Unread: true},
			{ID: "n2", Subject: "Beslut", Body: "Beviljat.", At: "2026-11-21 10:00", ISO: "2026-11-21T09:00:00Z"}}},
		&view.NotificationsPage{Layout: l()},
	}
}
