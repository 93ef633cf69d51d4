package view_test

import (
	"html/template"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// samples returns one filled example of every page, in both languages, with
// a form that has failed so that the field messages render too.
func samples(lang string) []view.Page {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	layout := func() view.Layout {
		return view.Layout{Lang: lang, P: locale.New(lang), Title: "Titel", Path: "/", CSRF: "tok", CSS: "/static/style.x.css",
			Flash: "Sparat.", User: &view.User{PersonID: "p1", Name: "Anna Andersson", OrgName: "Vara kommun"},
			Nav: []view.NavItem{{Href: "/", Label: "Start", Current: true}}, Loc: loc, Version: "test", OtherLang: "en"}
	}
	failed := func(fields ...string) *view.Form {
		f := view.NewForm()
		f.Message = "Fel"
		for _, n := range fields {
			f.Set(n, "x<script>")
			f.Fail(n, "Fel i "+n)
		}
		return f
	}
	day := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	end := day.AddDate(1, 0, 0)
	person := &distans.Person{ID: "p1", Name: "Anna Andersson", Email: "anna@vara.example", Phone: "0512-310 00",
		Title: "Handläggare", UnitID: "u1", UnitPath: "/u1/", PersonalNumberMasked: "19800101-****", Language: "sv"}
	unit := &distans.Unit{ID: "u1", Name: "Socialförvaltningen", Kind: distans.UnitAdministration, Path: "/u1/"}
	child := &distans.Unit{ID: "u2", ParentID: "u1", Name: "Enhet A", Kind: distans.UnitSection, Path: "/u1/u2/", EndedOn: &end}
	site := &distans.Site{ID: "s1", Name: "Stadshuset", Kind: distans.SiteMain, Street: "Torget 1", PostalCode: "534 31", City: "Vara"}
	opts := []view.Option{{Value: "", Label: "Välj"}, {Value: "a", Label: "A"}}
	signedOut := layout()
	signedOut.User, signedOut.Nav = nil, nil
	target := &distans.LinkTarget{Purpose: distans.LinkInvitation, OrganisationID: "o1", OrgName: "Vara kommun", PersonID: "p1",
		Name: "Anna Andersson", Email: "anna@vara.example", Policy: distans.PasswordPolicy{MinLength: 12, HistoryCount: 5},
		ExpiresAt: end}
	reset := *target
	reset.Purpose, reset.Policy.HistoryCount = distans.LinkReset, 0
	return append([]view.Page{
		&view.ForgotPage{Layout: signedOut, Form: failed("email")},
		&view.ForgotPage{Layout: signedOut, Form: view.NewForm(), Sent: true},
		&view.LinkPage{Layout: signedOut, Target: target, Action: "/link/o1.x", Form: failed("password", "password_repeat")},
		&view.LinkPage{Layout: signedOut, Target: &reset, Action: "/link/o1.x", Form: view.NewForm()},
		&view.LinkPage{Layout: signedOut, Gone: true},
		&view.InvitationPage{Layout: layout(), Invitation: &distans.Invitation{PersonID: "p1", Name: "Anna Andersson",
			Email: "anna@vara.example", Purpose: distans.LinkInvitation, URL: "https://distans.vara.se/link/o1.x", ExpiresAt: end}, Expires: end},
		&view.InvitationPage{Layout: layout(), Invitation: &distans.Invitation{PersonID: "p1", Name: "Anna Andersson",
			Email: "anna@vara.example", Purpose: distans.LinkInvitation, Sent: true, ExpiresAt: end}, Expires: end},
		&view.InvitationBatchPage{Layout: layout(), Back: "/people", Summary: "2 inbjudningar skapade.",
			Batch: &distans.InvitationBatch{Count: 2, ExpiresAt: end, Invitations: []*distans.Invitation{
				{PersonID: "p1", Name: "Anna Andersson", Email: "anna@vara.example", Purpose: distans.LinkInvitation, URL: "https://distans.vara.se/link/o1.x", ExpiresAt: end},
				{PersonID: "p2", Name: "Bo Berg", Email: "bo@vara.example", Purpose: distans.LinkInvitation, URL: "https://distans.vara.se/link/o1.y", ExpiresAt: end}}},
			HandOverTotal: 2, CSV: []view.CSVFile{{Href: "data:text/csv;charset=utf-8;base64,77u/", Name: "inbjudningar-2026-11-22.csv", From: 1, To: 2}},
			HandOver: []*distans.Invitation{{PersonID: "p1", Name: "Anna Andersson", Email: "anna@vara.example", URL: "https://distans.vara.se/link/o1.x"}}},
		&view.InvitationBatchPage{Layout: layout(), Back: "/people", Summary: "7500 inbjudningar skapade.",
			Batch: &distans.InvitationBatch{Count: 7500, ExpiresAt: end}, HandOverTotal: 7500,
			CSV: []view.CSVFile{{Href: "data:text/csv;charset=utf-8;base64,77u/", Name: "inbjudningar-2026-11-22-1.csv", From: 1, To: 5000},
				{Href: "data:text/csv;charset=utf-8;base64,77u/", Name: "inbjudningar-2026-11-22-2.csv", From: 5001, To: 7500}}},
		&view.InvitationBatchPage{Layout: layout(), Back: "/imports/i1", Summary: "7500 inbjudningar skickade.",
			Batch: &distans.InvitationBatch{Count: 7500, Mailed: 7500, ExpiresAt: end}},
		&view.SignInPage{Layout: signedOut, Form: failed("email", "org", "password"), Next: "/people",
			Choices: []view.Option{{Value: "vara", Label: "Vara kommun"}, {Value: "bjurholm", Label: "Bjurholms kommun"}}, SSOOrgs: opts,
			Demo: &view.DemoAccounts{Password: "Distans-demo-1", Examples: []string{"medarbetare@vara.example", "chef@vara.example"},
				Accounts: []view.DemoAccountRow{{Org: "Vara kommun", Role: "Medarbetare", Email: "medarbetare@vara.example"}}}},
		&view.HomePage{Layout: layout(), Me: person, Org: &distans.Organisation{Name: "Vara kommun", TimeZone: "Europe/Stockholm"},
			UnitName: "Enhet A", Roles: []string{"HR"}, ManagedUnits: []view.UnitCount{{ID: "u1", Name: "Enhet A", People: 12}},
			CanPeople: true, CanManage: true, CanUnits: true, CanSites: true, CanAudit: true, Switchboard: true,
			Aggregates: &view.Aggregates{People: 120, Units: 10, Sites: 3},
			Pending:    []*distans.PolicyDocument{{ID: "d1", Title: "Riktlinjer", Version: 2}},
			Today:      "2026-11-22", Status: &view.StatusRow{Date: "2026-11-22", Kind: "Distans", Default: true, BackAt: "2026-11-22 13:00"},
			Redirect:  &distans.Redirect{Text: "I möte", Until: &day, Target: distans.RedirectColleague, ColleagueName: "Bo"},
			Agreement: &view.AgreementRow{ID: "a1", Number: "DIST-2026-1", State: "Gäller", Period: "2026-01-01 – 2026-12-31", NextFollowUp: "2026-06-01"},
			OpenCase:  &view.AgreementRow{ID: "a3", Number: "DIST-2026-3", State: "Väntar på underskrifter", Period: "2027-01-01 – 2027-12-31"},
			Bookings:  []view.BookingRow{{Booking: &distans.Booking{ID: "b1", Date: day, Part: distans.PartAM}, SiteName: "Stadshuset", DeskLabel: "P1"}},
			MoreLater: true, Unread: 3,
			Waiting:   []view.WaitingItem{{Text: "Överenskommelse DIST-2026-1 väntar på din underskrift", Link: "/agreements/a1"}},
			ShowQueue: true, QueueTotal: 12,
			Queue: []view.AgreementRow{{ID: "a2", Number: "DIST-2026-2", PersonName: "Bo", UnitName: "Enhet A", Why: []string{"Beslut väntar"}}}},
		&view.HomePage{Layout: layout(), Me: person, Org: &distans.Organisation{Name: "Vara kommun"}, CanRequest: true, ShowQueue: true},
		&view.PeoplePage{Layout: layout(), Query: "anna", UnitID: "a", Units: opts, Total: 60,
			People:  []view.PersonRow{{ID: "p1", Name: "Anna Andersson", Email: "anna@vara.example", Title: "Handläggare", UnitName: "Enhet A"}},
			PrevURL: "/people", NextURL: "/people?after=x", CanCreate: true, InviteAll: true},
		&view.PersonPage{Layout: layout(), Person: person, UnitName: "Enhet A", SiteName: "Stadshuset",
			Employments: []view.EmploymentRow{{Employment: &distans.Employment{ID: "e1", PersonID: "p1", Title: "Handläggare", StartsOn: day, EndsOn: &end}, UnitName: "Enhet A"}},
			Leaves:      []view.LeaveRow{{Leave: &distans.Leave{ID: "l1", PersonID: "p1", Kind: distans.LeaveStudy, StartsOn: day}, KindLabel: "Studieledighet"}},
			ShowLeaves:  true, ShowRoles: true,
			Roles:     []view.RoleRow{{RoleAssignment: &distans.RoleAssignment{ID: "r1", PersonID: "p1", Role: distans.RoleHR, CreatedAt: day}, Label: "HR"}},
			CanManage: true, CanSecret: true, CanSignIn: true, CanRoles: true, PasswordForm: failed("password")},
		&view.PersonFormPage{Layout: layout(), Form: failed("name", "email", "unit_id", "starts_on"), Action: "/people", Units: opts, Sites: opts, Langs: opts},
		&view.EmploymentFormPage{Layout: layout(), Form: failed("title", "ends_on"), Person: person, Units: opts, Sites: opts},
		&view.LeaveFormPage{Layout: layout(), Form: failed("kind"), Person: person, Kinds: opts},
		&view.RoleFormPage{Layout: layout(), Form: failed("role"), Person: person, Roles: opts, Units: opts},
		&view.UnitsPage{Layout: layout(), CanManage: true, ShowEnded: true, Tree: []*view.UnitNode{{Unit: unit, KindLabel: "Förvaltning",
			ManagerName: "Anna Andersson", Children: []*view.UnitNode{{Unit: child, KindLabel: "Enhet"}}}}},
		&view.UnitFormPage{Layout: layout(), Form: failed("name", "kind"), Action: "/units/u1", Unit: unit, Parents: opts, Kinds: opts, Managers: opts},
		&view.SitesPage{Layout: layout(), CanManage: true, Sites: []view.SiteRow{{Site: site, KindLabel: "Huvudarbetsplats"}}},
		&view.SiteFormPage{Layout: layout(), Form: failed("postal_code"), Action: "/sites/s1", Site: site, Kinds: opts},
		&view.ProfilePage{Layout: layout(), Me: person, Org: &distans.Organisation{Name: "Vara kommun"}, UnitName: "Enhet A",
			Roles: []string{"HR"}, Langs: opts, PasswordForm: failed("current_password", "password"), TokenForm: failed("name"),
			Tokens: []*distans.APIToken{{ID: "t1", Name: "Lönesystem", CreatedAt: day, LastUsedAt: &end}}, NewSecret: "dst_secret", NewTokenName: "Lönesystem",
			Acks: []*distans.Acknowledgement{{DocumentID: "d1", DocumentTitle: "Riktlinjer", Version: 1, At: day}}},
		&view.AuditPage{Layout: layout(), Filter: failed("from"), Actors: opts, OlderURL: "/audit?before=3", NewestURL: "/audit",
			Events: []*distans.AuditEvent{{Seq: 4, ActorID: "p1", ActorName: "Anna", Action: "person.create", RecordType: "person", RecordID: "p2", Summary: "created", At: day}}},
		&view.SignInLogPage{Layout: layout(), Filter: failed("to"), People: opts, Outcomes: opts, KeptDays: 90,
			NextURL: "/audit/signins?after=x", FirstURL: "/audit/signins",
			Events: []*distans.SignInEvent{{ID: "e1", PersonID: "p1", PersonName: "Anna", At: day, Outcome: distans.SignInSucceeded,
				Method: distans.SignInSSO, Address: "192.0.2.1", UserAgent: "Firefox"},
				{ID: "e2", PersonID: "p1", PersonName: "Anna", At: day, Outcome: distans.SignInFailed}}},
		&view.ErrorPage{Layout: layout(), Status: 404, Message: "Finns inte."},
		&view.SignInPage{Layout: signedOut, Form: view.NewForm(), Next: "/units/new", ResendTo: "/units",
			Keep: []view.KeptField{{Name: "name", Value: "Enhet <A>"}, {Name: "kind", Value: "enhet"}}},
		&view.ResendPage{Layout: layout(), Action: "/units", Back: "/units/new",
			Fields: []view.KeptField{{Name: "name", Value: "Enhet <A>"}, {Name: "kind", Value: "enhet"}}},
		&view.PolicyPage{Layout: layout(), CanManage: true, IsVersion: true, Source: "slug: vara\n<script>", RuleCount: 1,
			Meta:   view.PolicyMeta{Title: "Riktlinjer", Organisation: "Vara kommun", Document: "001.txt", DecidedBy: "KS", Version: 2, Active: 3, CreatedBy: "Anna", CreatedAt: day, Reason: "Beslut"},
			Params: []view.ParamRow{{Name: "max_days", Label: "Längsta tid", Value: "300 dagar", Default: "366 dagar", Changed: true, Note: "Ett år", Source: &view.SourceRef{Document: "001.txt", Section: "11", Quote: "högst ett år"}}},
			Groups: []view.RuleGroup{{Document: "Riktlinjer", Sections: []view.RuleSection{{Section: "11. Överenskommelse", Rules: []view.RuleRow{{ID: "vara-11", KindLabel: "Överenskommelse",
				Severity: "block", SeverityLabel: "Hindrar", Message: "Högst 300 dagar.", Condition: "length_days > params.max_days", Deadlines: []string{"Anmälan (72 timmar)"},
				Source: view.SourceRef{Document: "Riktlinjer", Section: "11", Quote: "högst ett år"}}}}}}}},
		&view.PolicyVersionsPage{Layout: layout(), Active: 2, Versions: []*distans.PolicyVersion{{Version: 2, CreatedByName: "Anna", CreatedAt: day, Reason: "Beslut"}, {Version: 1}}},
		&view.PolicyCheckPage{Layout: layout(), Kinds: opts, KindForm: failed(), Form: failed("input"), KindLabel: "Överenskommelse",
			Variables: []view.VariableRow{{Name: "start", Type: "string", Label: "Första dag", Values: "a, b"}},
			Result: &view.CheckResult{Version: 2, CheckedAt: day, Blocking: true, Findings: []view.FindingRow{{RuleID: "vara-11", Severity: "block", SeverityLabel: "Hindrar",
				Message: "Högst ett år.", Source: view.SourceRef{Document: "Riktlinjer", Section: "11", Quote: "högst ett år"},
				Deadlines: []view.DeadlineRow{{Label: "Anmälan", Hours: 72, At: end, Passed: true}}}}}},
		&view.PolicyParamsPage{Layout: layout(), Form: failed("param.max_days", "reason"), Base: 2, Conflict: true,
			Fields:  []view.Field{{Name: "param.max_days", Label: "Längsta tid", Type: "number", Min: "1", Max: "3660", Step: "1", Hint: "Dagar."}},
			Generic: []view.ParamRow{{Name: "gdpr", Label: "Frist", Value: "72 timmar"}}},
		&view.PolicyEditPage{Layout: layout(), Form: failed("source"), Base: 2, Conflict: true,
			Problems: []view.FieldMessage{{Name: "rules[vara-11].condition", Message: "Kompilerar inte."}}},
		&view.DocumentsPage{Layout: layout(), CanPublish: true, CanOutstanding: true,
			Pending: []view.PendingDocument{{PolicyDocument: &distans.PolicyDocument{ID: "d1", Title: "Riktlinjer", Version: 2, PublishedAt: day},
				By: day.AddDate(0, 0, 30)}},
			Documents: []view.DocumentRow{{PolicyDocument: &distans.PolicyDocument{ID: "d1", Title: "Riktlinjer", Version: 2, Required: true, PublishedAt: day}, Pending: true, UnitName: "Enhet A"}}},
		&view.DocumentPage{Layout: layout(), Doc: &distans.PolicyDocument{ID: "d1", Title: "Riktlinjer", Version: 1, Body: "Ett.\n\nTvå <script>\nrad", Required: true, PublishedAt: day},
			Current: 2, CanAcknowledge: true, CanPublish: true, Versions: []*distans.PolicyDocument{{ID: "d1", Version: 2, Title: "Riktlinjer"}, {ID: "d1", Version: 1, Title: "Riktlinjer"}},
			Acknowledged: &distans.Acknowledgement{Version: 1, At: day}, Earlier: &distans.Acknowledgement{Version: 1, At: day}},
		&view.DocumentFormPage{Layout: layout(), Form: failed("title", "body"), Action: "/documents/d1/publish", Units: opts,
			Doc: &distans.PolicyDocument{ID: "d1", Title: "Riktlinjer", Version: 2}},
		&view.OutstandingPage{Layout: layout(), Units: opts, UnitID: "a", Rows: []view.OutstandingRow{{Outstanding: &distans.Outstanding{PersonID: "p1",
			PersonName: "Anna", DocumentID: "d1", DocumentTitle: "Riktlinjer", Version: 2}, UnitName: "Enhet A"}}},
		// The hybrid office (office_*.html).
		&view.OfficePage{Layout: layout(), Day: "2026-11-22", CanManage: true, CanUtilisation: true,
			Sites: []view.OfficeSiteRow{{Site: site, Desks: 20, FreeDesks: 3, BookedPercent: 90, Congested: true}}},
		&view.OfficeSitePage{Layout: layout(), Day: "2026-11-22", PrevDate: "2026-11-21", NextDate: "2026-11-23", HasUnit: true, Bookable: true, CanManage: true,
			Avail: &distans.SiteAvailability{Site: site, Date: day, Rules: &distans.BookingRules{CongestionPercent: 85}, Desks: 2, FreeDesks: 1, FreePM: 1, BookedPercent: 90, Congested: true,
				Zones: []*distans.ZoneAvailability{{Zone: &distans.Zone{ID: "z1", Name: "Plan 2", Floor: "2"}, Free: 1, Desks: []*distans.DeskAvailability{
					{Desk: &distans.Desk{ID: "k1", Label: "P1", Screens: 2, HeightAdjustable: true, Quiet: true, Accessible: true}, State: distans.DeskFree},
					{Desk: &distans.Desk{ID: "k2", Label: "P2"}, State: distans.DeskAMTaken, AM: &distans.SlotHolder{Part: distans.PartAM, Name: "Anna", Mine: true}}}}}},
			Nearest:  []*distans.SiteLoad{{Site: &distans.Site{ID: "s2", Name: "Biblioteket"}, Desks: 10, FreeDesks: 6}},
			TeamDays: []*distans.TeamDay{{ID: "t1", Date: day, Note: "Planering"}},
			Team:     []*distans.TeamBooking{{Name: "Bo", SiteName: "Stadshuset", ZoneName: "Plan 2", DeskLabel: "P3", Part: distans.PartDay}}},
		&view.BookingsPage{Layout: layout(),
			Upcoming: []view.BookingRow{{Booking: &distans.Booking{ID: "b1", Date: day, Part: distans.PartAM, Status: distans.BookingBooked}, SiteName: "Stadshuset", DeskLabel: "P1", StatusLabel: "bokad", CanCancel: true, CanCheckIn: true}},
			Past:     []view.BookingRow{{Booking: &distans.Booking{ID: "b0", Date: day, Part: distans.PartDay, Status: distans.BookingReleased}, SiteName: "Stadshuset", DeskLabel: "P1", StatusLabel: "släppt"}}},
		&view.RecurringPage{Layout: layout(), Form: failed("desk_id", "part", "from", "until", "weekdays"), Desks: opts, Parts: opts,
			Weekdays: []view.WeekdayOption{{Value: "1", Label: "måndag", Checked: true}, {Value: "2", Label: "tisdag"}}},
		&view.RecurringResultPage{Layout: layout(), DeskLabel: "P1", SiteName: "Stadshuset", Result: &distans.RecurringResult{
			Booked:    []*distans.Booking{{ID: "b1", Date: day, Part: distans.PartAM}},
			Conflicts: []*distans.DateConflict{{Date: end, Code: distans.ECONFLICT, Sv: "Platsen är redan bokad den dagen.", En: "The desk is already booked that day."}}}},
		&view.TeamDaysPage{Layout: layout(), UnitName: "Enhet A", Days: []*distans.TeamDay{{ID: "t1", Date: day, Note: "Planering"}},
			Managed: []view.ManagedTeamDays{{UnitName: "Enhet A", Days: []*distans.TeamDay{{ID: "t1", Date: day}}}}, Form: failed("unit_id", "date", "note"), Units: opts},
		&view.RegisterPage{Layout: layout(), Form: view.NewForm(), First: true, CSVURL: "/records/register.csv",
			Kinds:   []view.Option{{Value: "", Label: "Alla slag"}, {Value: "agreement", Label: "Distansöverenskommelse"}},
			NextURL: "/records/register?after=x", Rows: []view.RegisterRow{{Number: "DIST 2026/0012", Date: "2026-03-02",
				ISODate: "2026-03-02", Kind: "Distansöverenskommelse", Subject: "Distansarbete – överenskommelse",
				Party: "Åsa Öberg", State: "Gäller", Secret: true, SecretText: "distansarbetsplatsen (hemadress)"},
				{Number: "INC 2026/0003", Kind: "Incident", Subject: "Personuppgiftsincident", State: "Avslutad", Secret: true}}},
		&view.RegisterPage{Layout: layout(), Form: failed("from"), Kinds: []view.Option{{Value: "", Label: "Alla slag"}}},
		&view.DisposalPage{Layout: layout(), Disposes: true, HoldsForm: true, Form: failed("email", "reason"),
			Types: []view.Option{{Value: "", Label: "Alla"}, {Value: "access_log", Label: "Inloggningsloggar"}},
			Plan: []view.DisposalRow{{Type: "Inloggningsloggar", How: "Tas bort", Period: "90 dagar", Citation: "Kristianstads kommun",
				Quote: "gallras efter 90 dagar", Cutoff: "2026-03-03", Oldest: "2025-01-01", Count: 3, Held: 1},
				{Type: "Sessioner", How: "Tas bort", Period: "när den gått ut", SweptBy: "delete_expired_sessions"}},
			Holds: []view.HoldRow{{ID: "h1", Whom: "Åsa Öberg", What: "Alla", Reason: "Utredning", PlacedBy: "Sara", PlacedAt: "2026-03-01 10:00", Open: true},
				{ID: "h2", Whom: "Alla", What: "Alla", Released: "Släppt 2026-03-02"}},
			Log: []view.DisposalLogRow{{At: "2026-03-02 02:00", Who: "Systemet", Type: "Lästa meddelanden", How: "Tas bort", Count: 4, Period: "365 dagar", Cutoff: "2025-03-02"}}},
		&view.DisposalPage{Layout: layout(), Form: view.NewForm()},
		&view.RegisterPage{Layout: layout(), Form: view.NewForm(), First: true, Releases: true,
			Rows: []view.RegisterRow{{Number: "DIST 2026/0012", ReleaseHref: "/records/releases/new?id=a1&kind=agreement"}}},
		&view.ReleasesPage{Layout: layout(), Rows: []view.ReleaseRow{{Href: "/records/releases/r1", Number: "DIST 2026/0012",
			Decided: "2026-03-02 10:00", Requester: "anonym", Outcome: "Lämnas ut med maskeringar"}}},
		&view.ReleasesPage{Layout: layout()},
		&view.ReleaseFormPage{Layout: layout(), Form: failed("requested_on", "mask.request_tasks", "provision.request_tasks"),
			Kind: "agreement", RecordID: "a1", Number: "DIST 2026/0012", Subject: "Distansarbete – överenskommelse",
			Fields: []view.ReleaseField{{Key: "request_place", Label: "Distansarbetsplats", Value: "Storgatan 1", Suggested: true},
				{Key: "request_tasks", Label: "Arbetsuppgifter", Value: "Handläggning"}, {Key: "decision", Label: "Beslut"}},
			Provisions: []view.Option{{Value: "osl-39-3", Label: "OSL 39 kap. 3 §"}},
			Earlier:    []view.ReleaseRow{{Href: "/records/releases/r1", Decided: "2026-03-02", Outcome: "Avslag"}}},
		&view.ReleasePage{Layout: layout(), Number: "DIST 2026/0012", Requester: "anonym", Outcome: "Lämnas ut med maskeringar",
			Masked: []view.ReleasedLine{{Label: "Distansarbetsplats", Text: "OSL 39 kap. 3 §"}}, Appeal: []string{"Hur man överklagar", "Till kammarrätten."},
			CopyHref: "/records/releases/r1/copy.pdf", DecisionHref: "/records/releases/r1/decision.pdf", Note: "Hemadress."},
		&view.ReleasePage{Layout: layout(), Number: "INC 2026/0003", Outcome: "Avslag", Refusal: "OSL 18 kap. 8 §",
			DecisionHref: "/records/releases/r2/decision.pdf"},
		&view.UtilisationPage{Layout: layout(), Form: view.NewForm(), From: "2026-11-01", To: "2026-11-28", CSVURL: "/office/utilisation.csv",
			Rows: []view.UtilisationRow{{UtilisationRow: &distans.UtilisationRow{SiteID: "s1", SiteName: "Stadshuset", Weekday: time.Monday, Days: 4, Booked: 12.5, CheckedIn: 10, Capacity: 20}, WeekdayName: "måndag", Percent: 63}},
			Heat: &view.HeatMap{Width: 300, Height: 80, Columns: []view.HeatLabel{{X: 230, Y: 20, Text: "mån"}}, RowLabels: []view.HeatLabel{{X: 190, Y: 55, Text: "Stadshuset"}},
				Cells: []view.HeatCell{{X: 200, Y: 30, W: 72, H: 40, TX: 236, TY: 55, Fill: "#2b6cb0", Ink: "#ffffff", Text: "63 %", Title: "Stadshuset, måndag"}}}},
		&view.OfficeAdminPage{Layout: layout(), Site: site, Zones: []*distans.Zone{{ID: "z1", Name: "Plan 2", Floor: "2"}},
			Desks:    []view.DeskRow{{Desk: &distans.Desk{ID: "k1", Label: "P1", Screens: 2, EndedOn: &end}, ZoneName: "Plan 2"}},
			ZoneForm: failed("name", "floor"), DeskForm: failed("zone_id", "label", "screens"), RulesForm: failed("horizon_days", "release_at"), ZoneOpts: opts},
		&view.DeskEditPage{Layout: layout(), Site: site, Desk: &distans.Desk{ID: "k1", Label: "P1"}, Form: failed("label", "screens"), ZoneOpts: opts},
	}, append(append(append(append(append(presenceSamples(lang), agreementSamples(lang)...), importSamples(lang, layout, failed, day)...), driftSamples(lang)...), scimSamples(layout, failed, day)...), append(append(append(incidentSamples(layout, failed, day), equipmentSamples(layout, failed, day)...), trainingSamples(layout, failed, day)...), append(ownDataSamples(layout), reportSamples(layout, failed)...)...)...)...)
}

// scimSamples are the SCIM page: with a token, its secret just made, a
// mapping, and the mapping form failed.
func scimSamples(layout func() view.Layout, failed func(...string) *view.Form, day time.Time) []view.Page {
	opts := []view.Option{{Value: "", Label: "Hela organisationen"}, {Value: "u1", Label: "Socialtjänsten"}}
	return []view.Page{
		&view.SCIMPage{Layout: layout(), Tokens: []*distans.SCIMToken{{ID: "t1", Name: "Entra ID", CreatedAt: day, LastUsedAt: &day}},
			TokenForm: view.NewForm(), NewSecret: "dsc_o1.hemlig", NewTokenName: "Entra ID", Endpoint: "https://distans.example.se/scim/v2",
			CreateUnits: true, Mappings: []view.SCIMMappingRow{{DisplayName: "Distans-chefer", Role: "Chef", Unit: "Socialtjänsten"}},
			MappingForm: failed("display_name", "role"), Roles: opts, Units: opts},
		&view.SCIMPage{Layout: layout(), TokenForm: failed("name"), MappingForm: view.NewForm(), Roles: opts, Units: opts},
	}
}

// importSamples are the import pages: the list with a failed form, an
// import being checked (refreshing itself), one checked with its counts
// and the people a full export ends, and one invalid with its errors.
func importSamples(lang string, layout func() view.Layout, failed func(...string) *view.Form, day time.Time) []view.Page {
	imp := &distans.Import{ID: "i1", Status: distans.ImportChecking, CreatedByName: "Anna Andersson", FileNames: []string{"personal.csv", "enheter.csv"},
		Options: distans.ImportOptions{Full: true, EndMissingOn: &day}, Rows: 200, Done: 50, CreatedAt: day}
	running := layout()
	running.Refresh = 2
	checked := *imp
	checked.Status = distans.ImportChecked
	invalid := *imp
	invalid.Status, invalid.ErrorTotal, invalid.FinishedAt = distans.ImportInvalid, 1001, &day
	return []view.Page{
		&view.ImportsPage{Layout: layout(), Form: failed("files", "end_missing_on"), MaxMiB: 256,
			Imports: []view.ImportRow{{Import: imp, StatusLabel: "Kontrolleras"}}},
		&view.ImportPage{Layout: running, Import: imp, StatusLabel: "Kontrolleras", StatusText: "Filerna kontrolleras.", Running: true, Percent: 25},
		&view.ImportPage{Layout: layout(), Import: &checked, StatusLabel: "Kontrollerad", CanConfirm: true, EndsOn: "2026-11-22",
			Counts: []view.ImportCountRow{{Label: "Personer", ImportCount: distans.ImportCount{Create: 3, Update: 1, End: 1, Unchanged: 7}}},
			Files:  []view.ImportFileRow{{Name: "personal.csv", Kinds: "personer, anställningar", Rows: 12}},
			Ending: []distans.ImportEnding{{PersonID: "p1", Name: "Bo Berg", EmployeeNumber: "1001"}}, EndingMore: 4},
		&view.ImportPage{Layout: layout(), Import: &checked, StatusLabel: "Genomförd", Result: true, PendingInvitations: 12,
			Counts: []view.ImportCountRow{{Label: "Personer", ImportCount: distans.ImportCount{Create: 12}}}},
		&view.ImportPage{Layout: layout(), Import: &invalid, StatusLabel: "Fel i filerna", ErrorsMore: 1000,
			Errors: []view.ImportErrorRow{{File: "personal.csv", Line: 14, Column: "e-post", Message: "Ogiltig e-postadress."}}},
	}
}

func TestRenderEveryPage(t *testing.T) {
	t.Parallel()
	tmpl, err := view.Parse()
	if err != nil {
		t.Fatal(err)
	}
	h1 := regexp.MustCompile(`<h1[ >]`)
	inputID := regexp.MustCompile(`<(?:input|select)[^>]* id="([^"]+)"[^>]*>`)
	dateInput := regexp.MustCompile(`<input id="([^"]+)"[^>]* class="date"[^>]*>`)
	for _, lang := range []string{"sv", "en"} {
		covered := map[string]bool{}
		for _, page := range samples(lang) {
			covered[page.Template()] = true
			t.Run(lang+"/"+page.Template(), func(t *testing.T) {
				var b strings.Builder
				if err := tmpl.Render(&b, page); err != nil {
					t.Fatal(err)
				}
				out := b.String()
				if strings.Contains(out, "⟦") {
					t.Errorf("untranslated key in %s: %s", page.Template(), out[strings.Index(out, "⟦"):][:60])
				}
				if n := len(h1.FindAllString(out, -1)); n != 1 {
					t.Errorf("%d h1 elements, want 1", n)
				}
				if !strings.Contains(out, "<p>Distans test · ") {
					t.Error("the footer does not show the build version")
				}
				if !strings.Contains(out, `<html lang="`+lang+`">`) {
					t.Error("no lang attribute")
				}
				if strings.Contains(out, "<script>") {
					t.Error("unescaped input")
				}
				for _, m := range inputID.FindAllStringSubmatch(out, -1) {
					if strings.Contains(m[0], `type="hidden"`) {
						continue
					}
					if !strings.Contains(out, `for="`+m[1]+`"`) {
						t.Errorf("control %s has no label", m[1])
					}
				}
				if strings.Contains(out, `type="date"`) {
					t.Error(`an <input type="date">: dates are typed as text with the format in a hint`)
				}
				for _, m := range dateInput.FindAllStringSubmatch(out, -1) {
					if !hasDateHint(out, m[1]) {
						t.Errorf("date control %s is not described by a hint giving the format: %s", m[1], m[0])
					}
				}
				if strings.Contains(out, `aria-invalid="true"`) && !strings.Contains(out, `-error"`) {
					t.Error("invalid field without message")
				}
			})
		}
		for _, name := range tmpl.Names() {
			if !covered[name] {
				t.Errorf("page template %s has no sample", name)
			}
		}
	}
}

// hasDateHint reports whether the date control with id is described by an
// element whose text shows the format, 2026-11-22.
func hasDateHint(page, id string) bool {
	m := regexp.MustCompile(`<input id="` + regexp.QuoteMeta(id) + `"[^>]* aria-describedby="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		return false
	}
	for _, ref := range strings.Fields(m[1]) {
		hint := regexp.MustCompile(`id="` + regexp.QuoteMeta(ref) + `">([^<]*)<`).FindStringSubmatch(page)
		if hint != nil && strings.Contains(hint[1], "2026-11-22") {
			return true
		}
	}
	return false
}

func TestParagraphs(t *testing.T) {
	t.Parallel()
	got := view.Paragraphs("  1. Inledning \r\n\r\nEtt stycke\nsom fortsätter.\n\n\n\nSista.\n")
	want := []string{"  1. Inledning", "Ett stycke\nsom fortsätter.", "Sista."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Paragraphs = %q, want %q", got, want)
	}
}

func TestCatalogComplete(t *testing.T) {
	t.Parallel()
	for _, k := range locale.Keys() {
		sv, en := locale.Message(k)
		if sv == "" || en == "" {
			t.Errorf("%s: missing a language", k)
		}
	}
}

func TestDates(t *testing.T) {
	t.Parallel()
	loc, _ := time.LoadLocation("Europe/Stockholm")
	l := &view.Layout{Loc: loc}
	if got := l.Date(time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)); got != "2026-11-22" {
		t.Errorf("Date = %s", got)
	}
	if got := l.DateTime(time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC)); got != "2026-11-23 00:30" {
		t.Errorf("DateTime = %s, want the time in Stockholm", got)
	}
}

// TestOptions: every select of the pages is written by Options, so its
// escaping is what stands between a unit's name and the page.
func TestOptions(t *testing.T) {
	got := view.Options([]view.Option{{Value: "", Label: "Alla enheter"}, {Value: "u1", Label: `Vård & "omsorg" <b>`}, {Value: `x"y`, Label: "Åsa"}}, "u1")
	want := `<option value="">Alla enheter</option>` + "\n" +
		`<option value="u1" selected>Vård &amp; &#34;omsorg&#34; &lt;b&gt;</option>` + "\n" +
		`<option value="x&#34;y">Åsa</option>` + "\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := view.Options([]view.Option{{Value: "a", Label: "A"}}, ""); strings.Contains(string(got), "selected") {
		t.Errorf("nothing chosen, but %s", got)
	}
}

// navItemsTemplate is the main menu's items as the layout's template wrote
// them before NavItems.
const navItemsTemplate = `{{range .Nav}}<li><a href="{{.Href}}"{{if .Current}} aria-current="page"{{end}}>{{.Label}}</a></li>{{end}}`

// TestNavItems: the menu written in Go is the template's, byte for byte,
// with a current item, a path with a query and markup in a label; an href
// that is not one of the application's paths is refused as the
// template's URL filter refuses it.
func TestNavItems(t *testing.T) {
	l := &view.Layout{Nav: []view.NavItem{
		{Href: "/", Label: "Start"},
		{Href: "/directory", Label: "Telefonkatalog", Current: true},
		{Href: "/reports?unit=a&from=2026-01-01", Label: "Rapporter"},
		{Href: "/profile", Label: `<script>alert("x")</script> & 'ö'`},
	}}
	want := template.Must(template.New("nav").Parse(navItemsTemplate))
	var b strings.Builder
	if err := want.Execute(&b, l); err != nil {
		t.Fatal(err)
	}
	if got := string(l.NavItems()); got != b.String() {
		t.Errorf("NavItems\n%s\nthe template\n%s", got, b.String())
	}
	for _, href := range []string{"javascript:alert(1)", "//evil.example/"} {
		l := &view.Layout{Nav: []view.NavItem{{Href: href, Label: "x"}}}
		if got := string(l.NavItems()); !strings.Contains(got, `href="#ZgotmplZ"`) {
			t.Errorf("href %q: %s", href, got)
		}
	}
}

// peopleRowsTemplate is the people list's rows as its template wrote them
// before PeopleRows.
const peopleRowsTemplate = `{{range .People}}<tr><th scope="row"><a href="/people/{{.ID}}">{{.Name}}</a></th><td>{{.Title}}</td><td>{{.UnitName}}</td><td>{{.Email}}</td><td>{{.Phone}}</td></tr>
{{end}}`

// TestPeopleRows: the people list's rows written in Go are the template's,
// byte for byte, for a full row, a bare one and one whose every value but
// the ID (a UUID) is markup; an ID that is markup stays in its path.
func TestPeopleRows(t *testing.T) {
	hostile := `<script>alert("x")</script> & 'ö'` + "\x00"
	p := &view.PeoplePage{People: []view.PersonRow{
		{ID: "0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b", Name: "Åsa Öberg", Email: "asa.oberg@sorsele.se", Phone: "0952-140 00",
			Title: "Handläggare", UnitName: "Bygglov"},
		{ID: "0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1c", Name: "Bo"},
		{ID: "0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1d", Name: hostile, Email: hostile, Phone: hostile, Title: hostile, UnitName: hostile},
	}}
	want := template.Must(template.New("rows").Parse(peopleRowsTemplate))
	var b strings.Builder
	if err := want.Execute(&b, p); err != nil {
		t.Fatal(err)
	}
	if got := string(p.PeopleRows()); got != b.String() {
		t.Errorf("PeopleRows\n%s\nthe template\n%s", got, b.String())
	}
	evil := &view.PeoplePage{People: []view.PersonRow{{ID: `x"><script>`, Name: "x"}}}
	if got := string(evil.PeopleRows()); strings.Contains(got, "<script>") || strings.Contains(got, `x">`) {
		t.Errorf("an ID left its path: %s", got)
	}
}
