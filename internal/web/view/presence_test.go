package view_test

import (
	"html/template"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// presenceSamples are filled examples of the presence pages, with failed
// forms. TestRenderEveryPage needs them among its samples once these
// templates exist: samples(lang) should append presenceSamples(lang).
func presenceSamples(lang string) []view.Page {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	l := func() view.Layout {
		return view.Layout{Lang: lang, P: locale.New(lang), Title: "Titel", Path: "/", CSRF: "tok", CSS: "/s.css",
			User: &view.User{PersonID: "p1", Name: "Anna", OrgName: "Sorsele kommun"}, Loc: loc, Version: "test", OtherLang: "en"}
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
	at := time.Date(2026, 11, 22, 13, 0, 0, 0, time.UTC)
	opts := []view.Option{{Value: "", Label: "Välj"}, {Value: "a", Label: "A"}}
	phone := &distans.OnCallPhone{ID: "c1", Name: "Socialjouren", UnitName: "IFO", Number: "0952-140 00",
		OnDuty: &distans.OnCallDuty{PersonName: "Anna", Ends: at}}
	notices := []view.NoticeRow{{Message: "Lyssna av röstbrevlådan.", Clause: "Sorsele kommun, avsnitt 4"}}
	return []view.Page{
		&view.StatusPage{Layout: l(), PersonID: "p1", PersonName: "Anna", Self: true, Today: "2026-11-22",
			TodayStatus: &view.StatusRow{Date: "2026-11-22", Kind: "Frånvarande", BackAt: "2026-11-23 08:00", Reason: "privat"},
			Planned:     []view.StatusRow{{Date: "2026-11-24", Kind: "Distansarbete", OneOff: true}},
			StatusForm:  failed("date", "kind", "back_time"), RedirectForm: failed("text", "target", "until_date"),
			Kinds: opts, Sites: opts, Targets: opts, Colleagues: opts, Notices: notices,
			Redirect: &distans.Redirect{Text: "I möte", Until: &at, Target: distans.RedirectColleague, ColleagueName: "Per"}},
		&view.DirectoryPage{Layout: l(), Query: "ostersund", Searched: true, Total: 200, Capped: true, NextURL: "/directory?q=a&after=x&unit=a",
			UnitID: "a", Units: opts,
			ShowOnCall: true, CanMissing: true, OnCall: []*distans.OnCallPhone{phone},
			Hits: []view.DirectoryRow{{Name: "Åsa Öberg", Title: "Handläggare", UnitName: "IFO", Email: "a@x.example", Phone: "0952-1",
				WorkMobile: "070-1", Keywords: "bygglov", Status: "Frånvarande", BackAt: "2026-11-23 08:00", RedirectText: "Ledig",
				RedirectTarget: "Växeln", CoveredBy: "Per", PhoneHours: "09:00–10:00"}}},
		&view.KeywordsPage{Layout: l(), Form: failed("keywords", "work_mobile")},
		&view.MissingKeywordsPage{Layout: l(), People: []view.PersonRow{{ID: "p1", Name: "Anna", Email: "a@x.example", UnitName: "IFO"}}},
		&view.PhoneHoursPage{Layout: l(), PersonID: "p1", Form: failed("sessions", "sessions[0].start", "exception.reason"), Approver: true,
			Weekdays: opts, Notices: notices, Rows: []view.PhoneHoursRow{{N: 1, Weekday: "sessions[0].weekday", Start: "sessions[0].start", End: "sessions[0].end"}},
			Exception: &distans.PhoneHoursDecision{DecidedByName: "Kommunchefen", Reason: "Liten enhet", DecidedAt: at}},
		&view.PhoneHoursPage{Layout: l(), UnitID: "a", UnitName: "IFO", Query: "?unit=a", Form: failed("sessions"), Weekdays: opts, Units: opts,
			Rows: []view.PhoneHoursRow{{N: 1, Weekday: "sessions[0].weekday", Start: "sessions[0].start", End: "sessions[0].end"}}},
		&view.PhoneHoursPage{Layout: l(), PersonID: "p1", Form: view.NewForm(), Weekdays: opts,
			Inherited: &view.InheritedHours{UnitName: "IFO", Sessions: []string{"måndag 09:00–10:00"}},
			Rows:      []view.PhoneHoursRow{{N: 1, Weekday: "sessions[0].weekday", Start: "sessions[0].start", End: "sessions[0].end"}}},
		&view.OnCallPage{Layout: l(), CanEdit: true, Units: opts, People: opts, PhoneOpts: opts,
			PhoneForm: failed("number"), DutyForm: failed("starts"),
			KeptUnits: opts, Phones: []view.OnCallRow{{Phone: phone, OnDuty: "Anna (till 2026-11-22 14:00)",
				Duties: []view.DutyRow{{ID: "d1", PersonName: "Anna", Starts: "a", Ends: "b"}},
				Edit:   failed("edit[c1].number"), EditPrefix: "edit[c1]."}}},
	}
}

func TestRenderPresencePages(t *testing.T) {
	t.Parallel()
	tmpl, err := view.Parse()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"sv", "en"} {
		for _, page := range presenceSamples(lang) {
			t.Run(lang+"/"+page.Template(), func(t *testing.T) {
				var b strings.Builder
				if err := tmpl.Render(&b, page); err != nil {
					t.Fatal(err)
				}
				out := b.String()
				if i := strings.Index(out, "⟦"); i >= 0 {
					t.Errorf("untranslated key: %s", out[i:min(i+60, len(out))])
				}
				if n := strings.Count(out, "<h1>"); n != 1 {
					t.Errorf("%d h1 elements", n)
				}
				if strings.Contains(out, "<script>") {
					t.Error("unescaped input")
				}
				if strings.Contains(out, `aria-invalid="true"`) && !strings.Contains(out, `-error"`) {
					t.Error("invalid field without message")
				}
			})
		}
	}
}

// hitRowsTemplate is the directory's rows as the template wrote them
// before HitRows: the markup and escaping HitRows must give.
const hitRowsTemplate = `{{range .Hits}}<tr><th scope="row">{{.Name}}{{with .Keywords}}<br><span class="muted">{{$.T "directory.keywords"}}: {{.}}</span>{{end}}</th>
<td>{{.UnitName}}{{with .Title}}<br>{{.}}{{end}}</td>
<td>{{if .Status}}{{.Status}}{{else}}{{$.T "directory.unknown"}}{{end}}{{with .SiteName}}, {{.}}{{end}}{{with .RedirectText}}<br>{{.}}{{end}}{{with .BackAt}}<br>{{$.T "status.back_at"}} {{.}}{{end}}</td>
<td>{{.PhoneHours}}</td>
<td>{{with .Phone}}{{.}}<br>{{end}}{{with .WorkMobile}}{{$.T "directory.work_mobile"}}: {{.}}<br>{{end}}{{.Email}}{{with .RedirectTarget}}<br>{{$.T "redirect.target"}}: {{.}}{{end}}{{with .CoveredBy}}<br>{{$.T "directory.covered_by" .}}{{end}}</td></tr>
{{end}}`

// TestHitRows holds HitRows to the template's markup and escaping, for a
// hit with every field, one with none but its name, and values that are
// markup, in both languages.
func TestHitRows(t *testing.T) {
	hostile := `<script>alert("x")</script> & 'ö'` + "\x00"
	full := view.DirectoryRow{Name: "Åsa Öberg", Title: "Handläggare", UnitName: "Bygglov", Email: "asa.oberg@sorsele.se",
		Phone: "0952-140 00", WorkMobile: "070-123 45 67", Keywords: "bygglov, strandskydd", Status: "På tjänstestället",
		SiteName: "Kommunhuset", BackAt: "7 dec 13:00", RedirectText: "I möte", RedirectTarget: "Växeln",
		CoveredBy: "Per Persson", PhoneHours: "09:00–10:00, 13:00–14:00"}
	evil := view.DirectoryRow{Name: hostile, Title: hostile, UnitName: hostile, Email: hostile, Phone: hostile,
		WorkMobile: hostile, Keywords: hostile, Status: hostile, SiteName: hostile, BackAt: hostile, RedirectText: hostile,
		RedirectTarget: hostile, CoveredBy: hostile, PhoneHours: hostile}
	want := template.Must(template.New("rows").Parse(hitRowsTemplate))
	for _, lang := range []string{"sv", "en"} {
		p := &view.DirectoryPage{Layout: view.Layout{Lang: lang, P: locale.New(lang)},
			Hits: []view.DirectoryRow{full, {Name: "Bo"}, evil}}
		var b strings.Builder
		if err := want.Execute(&b, p); err != nil {
			t.Fatal(err)
		}
		if got := string(p.HitRows()); got != b.String() {
			t.Errorf("%s: HitRows\n%s\nthe template\n%s", lang, got, b.String())
		}
		if strings.Contains(string(p.HitRows()), "<script>") {
			t.Errorf("%s: markup in a value reached the page", lang)
		}
	}
}
