package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// pdf is the smallest file http.DetectContentType reads as a PDF.
var pdf = []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")

var certificateLink = regexp.MustCompile(`href="(/training/completions/[^/"]+/certificate)"`)

// TestTrainingPages drives Utbildning over HTTP on the real services and
// the demo's Kristianstad, whose pack asks DISA of everyone (003
// Utbildning): the manager of HR-stöd sees who in their unit is missing it
// and nobody elsewhere; the employee's completion in the future and one
// with a text file as certificate come back in Swedish with nothing saved
// and the input kept; their completion with a PDF is saved, its
// certificate downloads as an attachment for them and their manager and
// is not found for a colleague in another unit or another organisation;
// the manager records a completion for someone in their unit; HR sees
// every unit; the union gets no coverage page.
func TestTrainingPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	chef := e.as("kristianstad", distans.RoleManager)
	emp := e.as("kristianstad", distans.RoleEmployee)
	employee := e.person("kristianstad", account("kristianstad", distans.RoleEmployee))

	p := chef.get("/training/coverage?course=disa")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "<h1>Utbildning per enhet</h1>", "HR-stöd", employee.Name, "dagar sen", "Registrera för en medarbetare")
	if strings.Contains(p.body, "Nora Norberg") || strings.Contains(p.body, "Kommunledningskontoret") {
		t.Error("the manager of HR-stöd sees someone of another unit")
	}

	// The employee's page: DISA overdue, the catalogue citing 003.
	p = emp.get("/training")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "<h1>Utbildning</h1>", "Försenad", "Kurskatalog", "https://www.msb.se/sv/utbildning--ovning/alla-utbildningar/datorstodd-informationssakerhetsutbildning-for-anvandare-disa/",
		"Instruktion för digital kommunikation", "Registrera genomförd utbildning")
	if strings.Contains(p.body, `href="/training/coverage"`) {
		t.Error("an employee is offered the coverage tab")
	}

	// A date in the future: refused in Swedish, the input kept, nothing saved.
	future := time.Now().AddDate(0, 0, 3).Format(time.DateOnly)
	p = emp.postMultipart("/training/completions", url.Values{"course_id": {"disa"}, "completed_on": {future}}, "", "", nil)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Datumet kan inte ligga i framtiden.", `value="`+future+`"`, `aria-invalid="true"`)
	// A text file as certificate, whatever its name.
	today := time.Now().Format(time.DateOnly)
	p = emp.postMultipart("/training/completions", url.Values{"course_id": {"disa"}, "completed_on": {today}},
		"certificate", "intyg.pdf", []byte("Jag har gått kursen.\n"))
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Intyget måste vara en PDF eller en bild", `value="`+today+`"`)
	if got, err := e.svc.Training.ListCompletions(e.system("kristianstad"), employee.ID); err != nil || len(got) != 0 {
		t.Fatalf("refused completions were saved: %v %v", got, err)
	}

	// The completion with its certificate.
	p = emp.postMultipart("/training/completions", url.Values{"course_id": {"disa"}, "completed_on": {today}},
		"certificate", "disa-intyg.pdf", pdf)
	if p.status != http.StatusSeeOther || p.location != "/training" {
		t.Fatalf("recording: %d %q\n%.1500s", p.status, p.location, text(p.body))
	}
	p = emp.get("/training")
	mustContain(t, p, "Utbildningen är registrerad.", "Genomförd", "Registrerade genomföranden", "Hämta intyg")
	m := certificateLink.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatal("no certificate link on the person's page")
	}
	for _, c := range []*client{emp, chef} {
		p = c.get(m[1])
		wantStatus(t, p, http.StatusOK)
		if p.header.Get("Content-Type") != "application/pdf" || !strings.Contains(p.header.Get("Content-Disposition"), `attachment; filename=disa-intyg.pdf`) {
			t.Errorf("certificate headers %q %q", p.header.Get("Content-Type"), p.header.Get("Content-Disposition"))
		}
		if p.body != string(pdf) {
			t.Error("the certificate downloads other bytes than were uploaded")
		}
	}
	for _, c := range []*client{e.as("kristianstad", distans.RoleSecurity), e.as("bjurholm", distans.RoleHR)} {
		p = c.get(m[1])
		wantStatus(t, p, http.StatusNotFound)
		if strings.Contains(p.body, "%PDF") {
			t.Error("the 404 page holds the certificate")
		}
	}
	p = chef.get("/training/coverage?course=disa")
	if strings.Contains(text(p.body), employee.Name+" HR-stöd Försenad") {
		t.Error("the employee is still missing DISA on the manager's page")
	}

	// The manager records a completion for someone in their unit.
	opt := regexp.MustCompile(`<option value="([^"]+)">([^<(]+) \(HR-stöd\)</option>`).FindStringSubmatch(p.body)
	if opt == nil {
		t.Fatalf("no one to record for on the manager's page:\n%.2000s", text(p.body))
	}
	p = chef.postMultipart("/training/coverage", url.Values{"course_id": {"disa"}, "person_id": {opt[1]}, "completed_on": {future}}, "", "", nil)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Datumet kan inte ligga i framtiden.")
	p = chef.postMultipart("/training/coverage", url.Values{"course_id": {"disa"}, "person_id": {opt[1]}, "completed_on": {today}}, "", "", nil)
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/training/coverage?") {
		t.Fatalf("recording for someone: %d %q\n%.1500s", p.status, p.location, text(p.body))
	}
	if got, err := e.svc.Training.ListCompletions(e.system("kristianstad"), opt[1]); err != nil || len(got) != 1 || got[0].Source != distans.CompletionOther {
		t.Errorf("the manager's completion: %+v %v", got, err)
	}

	// HR sees every unit and has the import; the union has no coverage page.
	hr := e.as("kristianstad", distans.RoleHR)
	p = hr.get("/training/coverage?course=disa")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Kommunledningskontoret", "HR-stöd", "Nora Norberg", `href="/training/import"`)
	wantStatus(t, hr.get("/training/import"), http.StatusOK)
	union := e.as("kristianstad", distans.RoleUnion)
	wantStatus(t, union.get("/training/coverage?course=disa"), http.StatusForbidden)
	// Ledning sees the counts per unit, and no one's name.
	lead := e.as("kristianstad", distans.RoleLeadership)
	p = lead.get("/training/coverage?course=disa")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "HR-stöd")
	if strings.Contains(p.body, "Nora Norberg") {
		t.Error("ledning sees names in the coverage")
	}
	if p := emp.get("/training/import"); p.status != http.StatusForbidden {
		t.Errorf("an employee's import page: %d", p.status)
	}
}

// TestTrainingImportPage: HR's dry run names the row whose person is
// unknown, in Swedish; the import of a completion in the future is
// refused with nothing recorded; a good file's dry run records nothing and
// its import records the row.
func TestTrainingImportPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hr := e.as("kristianstad", distans.RoleHR)
	employee := e.person("kristianstad", account("kristianstad", distans.RoleEmployee))
	saved := func() int {
		t.Helper()
		got, err := e.svc.Training.ListCompletions(e.system("kristianstad"), employee.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(got)
	}
	hr.get("/training/import")
	p := hr.postMultipart("/training/import", url.Values{"dry_run": {"1"}}, "file", "disa.csv",
		[]byte("e-post;kurs;datum\nokand@example.se;disa;2025-01-10\n"))
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Inget är sparat.", "okand@example.se")
	future := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
	p = hr.postMultipart("/training/import", url.Values{}, "file", "disa.csv", []byte("e-post;kurs;datum\n"+employee.Email+";disa;"+future+"\n"))
	if p.status == http.StatusOK || saved() != 0 {
		t.Fatalf("a completion in the future was imported: %d, %d saved\n%.1500s", p.status, saved(), text(p.body))
	}
	good := []byte("e-post;kurs;datum\n" + employee.Email + ";disa;" + time.Now().Format(time.DateOnly) + "\n")
	p = hr.postMultipart("/training/import", url.Values{"dry_run": {"1"}}, "file", "disa.csv", good)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Provkörningen gick bra: 1 rader")
	if saved() != 0 {
		t.Fatal("the dry run recorded the row")
	}
	p = hr.postMultipart("/training/import", url.Values{}, "file", "disa.csv", good)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "1 genomföranden är registrerade.")
	if saved() != 1 {
		t.Fatal("the import did not record the row")
	}
}

// TestAgreementPreconditionsBox: the employee in Kristianstad, who has not
// taken DISA, sees the precondition and its clause on the request form.
func TestAgreementPreconditionsBox(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	emp := e.as("kristianstad", distans.RoleEmployee)
	p := emp.get("/agreements/new")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Förutsättningar för distansarbete", "DISA", "Instruktion för digital kommunikation")
}
