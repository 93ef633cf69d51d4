package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// postMultipart sends a multipart form (with one file when name is set)
// and the CSRF token of the last page.
func (c *client) postMultipart(path string, fields url.Values, fileField, fileName string, content []byte) page {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if fields.Get("csrf_token") == "" {
		fields.Set("csrf_token", c.csrf)
	}
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if fileField != "" {
		fw, _ := mw.CreateFormFile(fileField, fileName)
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

var (
	handoverPath = regexp.MustCompile(`^/equipment/handovers/[^/]+$`)
	lossPath     = regexp.MustCompile(`^/equipment/losses/[^/#]+`)
	stockRE      = regexp.MustCompile(`name="item_ids" value="([^"]+)"[^>]*> <label class="inline-label" for="[^"]+">([^<]+)</label>`)
)

// TestEquipmentPages drives the equipment pages over HTTP against the
// real service and store: IT's overview and registry answer with pages;
// a bad registration and an issue of an item already issued come back in
// Swedish with nothing saved; IT issues a computer and a phone; the person
// sees the terms and version, a wrong password is refused, the acceptance
// signs and its PDF downloads; another person and another organisation get
// the 404 page; the person reports the phone lost (a discovery in the
// future refused first), IT blocks the SIM, a police report dated before
// the loss is refused, the dated report with its copy is attached, the
// incident links back, and only the manager assesses negligence.
func TestEquipmentPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	it := e.as("sorsele", distans.RoleIT)
	emp := e.as("sorsele", distans.RoleEmployee)
	employee := e.person("sorsele", account("sorsele", distans.RoleEmployee))

	p := it.get("/equipment")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "<h1>Utrustning</h1>", "Utrustning per enhet", "Väntar på kvittens", "Villkor för utlämnad IT- och mobil utrustning", `href="/equipment"`)
	p = it.get("/equipment/items?category=computer&status=in_stock")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "<caption>", `scope="col"`, "ThinkPad T14 Gen 5", "I lager")
	if strings.Contains(text(p.body), "Utlämnad till") || strings.Contains(p.body, "Galaxy A55") {
		t.Error("the category filter lets other items through")
	}
	if p := emp.get("/equipment"); p.status != http.StatusSeeOther || p.location != "/equipment/mine" {
		t.Errorf("an employee's /equipment: %d %q, want their own page", p.status, p.location)
	}

	// A registration without serial or asset tag is refused, nothing saved.
	it.get("/equipment/items/new")
	p = it.post("/equipment/items", url.Values{"category": {"computer"}, "unit_id": {employee.UnitID}, "status": {"in_stock"}, "note": {"Testdator X1"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.header.Get("Content-Type"), "text/html") {
		t.Fatalf("bad registration: %d %s", p.status, p.header.Get("Content-Type"))
	}
	mustContain(t, p, "Ange serienummer, IMEI eller inventarienummer.", "error-summary")
	if strings.Contains(it.get("/equipment/items?q=Testdator").body, "Testdator X1") {
		t.Error("a refused registration was saved")
	}

	// The issue: the chef's computer is already issued; two in stock go out.
	p = it.get("/equipment/issue?person=" + employee.ID)
	wantStatus(t, p, http.StatusOK)
	stock := map[string]string{}
	for _, m := range stockRE.FindAllStringSubmatch(p.body, -1) {
		stock[m[2]] = m[1]
	}
	var pc, phone string
	for label, id := range stock {
		switch {
		case strings.Contains(label, "Dator") && pc == "":
			pc = id
		case strings.Contains(label, "Mobiltelefon") && phone == "":
			phone = id
		}
	}
	if pc == "" || phone == "" {
		t.Fatalf("no computer and phone in stock on the issue page:\n%.2000s", text(p.body))
	}
	chefItems, err := e.svc.Equipment.ListItems(e.system("sorsele"), distans.EquipmentFilter{Status: distans.EquipmentIssued, Category: distans.EquipmentComputer, Limit: 5})
	if err != nil || len(chefItems) == 0 {
		t.Fatalf("no issued computer in the demo: %v", err)
	}
	p = it.post("/equipment/handovers", url.Values{"person_id": {employee.ID}, "item_ids": {chefItems[0].ID, pc}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("issuing an issued item: status %d\n%.1500s", p.status, text(p.body))
	}
	mustContain(t, p, "error-summary", "utlämnad")
	if got, _ := e.svc.Equipment.Item(e.system("sorsele"), pc); got.Status != distans.EquipmentInStock {
		t.Errorf("a refused issue changed the item: %s", got.Status)
	}
	p = it.post("/equipment/handovers", url.Values{"person_id": {employee.ID}, "item_ids": {pc, phone}})
	if p.status != http.StatusSeeOther || !handoverPath.MatchString(p.location) {
		t.Fatalf("issue: %d %q\n%.1500s", p.status, p.location, text(p.body))
	}
	hPath := p.location

	// The person sees the terms with their version and signs with the password.
	p = emp.get("/equipment/mine")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Att kvittera", "Kvittera ")
	p = emp.get(hPath)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Villkor: Villkor för utlämnad IT- och mobil utrustning, version 1", "Vård och förvaring", "Skriv under och kvittera")
	hash := regexp.MustCompile(`name="hash" value="([0-9a-f]+)"`).FindStringSubmatch(p.body)
	if hash == nil {
		t.Fatal("no hash on the acceptance form")
	}
	p = emp.post(hPath+"/accept", url.Values{"terms_version": {"1"}, "hash": {hash[1]}, "password": {"fel-lösenord"}})
	if p.status < 400 || !strings.Contains(p.header.Get("Content-Type"), "text/html") {
		t.Fatalf("a wrong password: status %d", p.status)
	}
	mustContain(t, p, "error-summary")
	if h, _ := e.svc.Equipment.Handover(e.system("sorsele"), strings.TrimPrefix(hPath, "/equipment/handovers/")); h.State != distans.HandoverPending {
		t.Error("a refused acceptance was saved")
	}
	p = emp.post(hPath+"/accept", url.Values{"terms_version": {"1"}, "hash": {hash[1]}, "password": {"Distans-demo-1"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("accept: %d\n%.1500s", p.status, text(p.body))
	}
	mustContain(t, emp.get(hPath), "Utrustningen är kvitterad", "Signerad av")
	pdf := emp.get(hPath + "/pdf")
	if pdf.status != http.StatusOK || pdf.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.body, "%PDF") {
		t.Errorf("acceptance PDF: %d %s", pdf.status, pdf.header.Get("Content-Type"))
	}

	// Nobody else sees it: another person, another organisation.
	for _, c := range []*client{e.as("sorsele", distans.RoleHR), e.as("bjurholm", distans.RoleIT)} {
		for _, path := range []string{hPath, "/equipment/items/" + pc} {
			p = c.get(path)
			if p.status != http.StatusNotFound || !strings.Contains(p.header.Get("Content-Type"), "text/html") {
				t.Errorf("%s for someone else: %d %s", path, p.status, p.header.Get("Content-Type"))
			}
		}
	}

	// The phone is lost: a discovery in the future is refused first.
	loc, _ := time.LoadLocation("Europe/Stockholm")
	at := func(d time.Duration) string { return time.Now().Add(d).In(loc).Format("2006-01-02 15:04") }
	report := url.Values{"kind": {"lost"}, "item_ids": {phone}, "occurred_at": {at(-3 * time.Hour)}, "discovered_at": {at(2 * time.Hour)},
		"place": {"Bussen mellan Sorsele och Lycksele"}, "outside_premises": {"1"}, "description": {"Telefonen låg kvar på sätet."}}
	emp.get("/equipment/losses/new")
	p = emp.post("/equipment/losses", report)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("a future discovery: %d", p.status)
	}
	mustContain(t, p, "Tiden kan inte ligga i framtiden.")
	report.Set("discovered_at", at(-time.Hour))
	p = emp.post("/equipment/losses", report)
	if p.status != http.StatusSeeOther || !lossPath.MatchString(p.location) {
		t.Fatalf("loss report: %d %q\n%.1500s", p.status, p.location, text(p.body))
	}
	lPath := lossPath.FindString(p.location)
	p = emp.get(lPath)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "FÖR ", "Incidenten INC ", `href="/incidents/`)

	// IT blocks the SIM; the police report before the loss is refused; the
	// dated one with its copy is kept.
	p = it.get(lPath)
	wantStatus(t, p, http.StatusOK)
	p = it.postMultipart(lPath+"/steps", url.Values{"step": {"block_sim"}, "step.block_sim.evidence": {"Telia ärende 4471"}}, "", "", nil)
	if p.status != http.StatusSeeOther {
		t.Fatalf("block SIM: %d\n%.1500s", p.status, text(p.body))
	}
	police := url.Values{"step": {"police_report"}, "step.police_report.evidence": {"5000-K123456-26"},
		"step.police_report.reported_on": {time.Now().AddDate(0, 0, -10).Format("2006-01-02")}}
	copyPDF := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	emp.get(lPath)
	p = emp.postMultipart(lPath+"/steps", police, "step.police_report.attachment", "polisanmalan.pdf", copyPDF)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("a police report dated before the loss: %d\n%.1500s", p.status, text(p.body))
	}
	mustContain(t, p, "error-summary")
	police.Set("step.police_report.reported_on", time.Now().In(loc).Format("2006-01-02"))
	p = emp.postMultipart(lPath+"/steps", police, "step.police_report.attachment", "polisanmalan.pdf", copyPDF)
	if p.status != http.StatusSeeOther {
		t.Fatalf("police report: %d\n%.1500s", p.status, text(p.body))
	}
	p = emp.get(lPath)
	mustContain(t, p, "5000-K123456-26", "Kopia av polisanmälan")

	// Only the manager assesses negligence.
	it.get(lPath)
	if p = it.post(lPath+"/assessment", url.Values{"gross_negligence": {"no"}, "reasons": {"Glömd i hast."}}); p.status != http.StatusForbidden {
		t.Errorf("IT's assessment: %d, want 403", p.status)
	}
	chef := e.as("sorsele", distans.RoleManager)
	chef.get(lPath)
	p = chef.post(lPath+"/assessment", url.Values{"gross_negligence": {"no"}, "reasons": {""}})
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("an assessment without reasons: %d", p.status)
	}
	p = chef.post(lPath+"/assessment", url.Values{"gross_negligence": {"no"},
		"reasons": {"Telefonen glömdes i en stressad situation; inte grov vårdslöshet."}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("assessment: %d\n%.1500s", p.status, text(p.body))
	}
	mustContain(t, chef.get(lPath), "inte grov vårdslöshet")
	wantStatus(t, chef.get("/equipment/team"), http.StatusOK)

	// Every page in both languages, with no key left untranslated.
	for _, lang := range []string{"sv", "en"} {
		for _, v := range []struct {
			c    *client
			path string
		}{{it, "/equipment"}, {it, "/equipment/items"}, {it, "/equipment/items/" + pc}, {it, "/equipment/losses?all=1"},
			{emp, "/equipment/mine"}, {emp, hPath}, {emp, lPath}, {chef, "/equipment/team"}, {chef, lPath}} {
			v.c.lang = lang
			p := v.c.get(v.path)
			wantStatus(t, p, http.StatusOK)
			if i := strings.Index(p.body, "⟦"); i >= 0 {
				t.Errorf("%s (%s): untranslated %.60s", v.path, lang, p.body[i:])
			}
			v.c.lang = ""
		}
	}
}

// TestAgreementEquipmentFill: on an agreement awaiting signature the
// manager ticks the terms' arbetsutrustning from what the person has been
// issued, and nothing is saved until the terms are.
func TestAgreementEquipmentFill(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sys := e.system("sorsele")
	ags, _, err := e.svc.Agreements.ListAgreements(sys, distans.AgreementFilter{States: []distans.AgreementState{distans.AgreementAwaitingSignature}, Limit: 5})
	if err != nil || len(ags) == 0 {
		t.Fatalf("no agreement awaiting signature in the demo: %v", err)
	}
	ag := ags[0]
	// A kind the terms do not list yet, registered and issued to the person.
	kind := ""
	for _, k := range []string{"tablet", "screen", "usb_memory", "headset"} {
		if ag.Terms == nil || !slices.Contains(ag.Terms.Equipment, k) {
			kind = k
			break
		}
	}
	if kind == "" {
		t.Fatal("the demo agreement lists every kind")
	}
	it := e.as("sorsele", distans.RoleIT)
	it.get("/equipment/items/new")
	p := it.post("/equipment/items", url.Values{"category": {kind}, "serial": {"FILL-TEST-1"}, "unit_id": {ag.UnitID}, "status": {"in_stock"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("register: %d\n%.1500s", p.status, text(p.body))
	}
	itemID := strings.TrimPrefix(p.location, "/equipment/items/")
	it.get("/equipment/issue?person=" + ag.PersonID)
	if p := it.post("/equipment/handovers", url.Values{"person_id": {ag.PersonID}, "item_ids": {itemID}}); p.status != http.StatusSeeOther {
		t.Fatalf("issue: %d\n%.1500s", p.status, text(p.body))
	}
	chef := e.as("sorsele", distans.RoleManager)
	box := `id="f-equipment-` + kind + `" name="equipment" value="` + kind + `" checked`
	p = chef.get("/agreements/" + ag.ID)
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Fyll i från utlämnad utrustning")
	if strings.Contains(p.body, box) {
		t.Fatalf("%s is ticked before filling", kind)
	}
	p = chef.get("/agreements/" + ag.ID + "?equipment=held")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, box, "Ifyllt från utrustningsregistret")
	after, err := e.svc.Agreements.FindAgreement(sys, ag.ID)
	if err != nil || after.Version != ag.Version {
		t.Errorf("filling the form saved something: %v, version %d → %d", err, ag.Version, after.Version)
	}
}

// actorCtx is a context acting as the demo account email of slug.
func actorCtx(e *env, slug, email string) context.Context {
	e.t.Helper()
	sys := e.system(slug)
	p := e.person(slug, email)
	grants, err := e.store.Grants(sys, p.OrganisationID, p.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return distans.NewContext(context.Background(), &distans.Actor{OrganisationID: p.OrganisationID, PersonID: p.ID, Name: p.Name, Grants: grants})
}

// TestEquipmentTripsReturnsImport: a private trip abroad with a computer
// waits for the manager, who must give reasons; IT cancels a pending issue
// and records a return, which the person signs with the password; the CSV
// import answers a bad row in Swedish with nothing saved, and a good dry
// run with its count.
func TestEquipmentTripsReturnsImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const slug = "sorsele"
	sys := e.system(slug)
	ictx := actorCtx(e, slug, account(slug, distans.RoleIT))
	ectx := actorCtx(e, slug, account(slug, distans.RoleEmployee))
	employee := e.person(slug, account(slug, distans.RoleEmployee))
	stock := func(c distans.EquipmentCategory) *distans.EquipmentItem {
		items, err := e.svc.Equipment.ListItems(sys, distans.EquipmentFilter{Status: distans.EquipmentInStock, Category: c, Limit: 1})
		if err != nil || len(items) == 0 {
			t.Fatalf("no %s in stock: %v", c, err)
		}
		return items[0]
	}
	pc := stock(distans.EquipmentComputer)
	h, err := e.svc.Equipment.Issue(ictx, &distans.EquipmentIssueRequest{PersonID: employee.ID, ItemIDs: []string{pc.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if h, err = e.svc.Equipment.Handover(ectx, h.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Equipment.Accept(ectx, h.ID, distans.EquipmentAcceptance{TermsVersion: h.TermsVersion, Hash: h.AcceptanceHash(), Password: "Distans-demo-1"}); err != nil {
		t.Fatal(err)
	}

	// The trip waits for the manager, who must give reasons.
	emp := e.as(slug, distans.RoleEmployee)
	wantStatus(t, emp.get("/equipment/trips/new"), http.StatusOK)
	day := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
	p := emp.post("/equipment/trips", url.Values{"destination": {"Spanien, Málaga"}, "abroad": {"1"}, "private": {"1"},
		"starts_on": {day}, "ends_on": {"2020-01-01"}, "item_ids": {pc.ID}, "reasons": {"Beredskap under semestern."}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("a trip that ends before it starts: %d", p.status)
	}
	mustContain(t, p, "Resan kan inte sluta innan den börjar.")
	p = emp.post("/equipment/trips", url.Values{"destination": {"Spanien, Málaga"}, "abroad": {"1"}, "private": {"1"},
		"starts_on": {day}, "ends_on": {day}, "item_ids": {pc.ID}, "reasons": {"Beredskap under semestern."}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("trip: %d\n%.1500s", p.status, text(p.body))
	}
	tripPath := p.location
	mustContain(t, emp.get(tripPath), "Resan väntar på din chefs beslut.", "Sorsele")
	chef := e.as(slug, distans.RoleManager)
	p = chef.get("/equipment/team")
	mustContain(t, p, "Spanien, Málaga")
	p = chef.get(tripPath)
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(p.body)
	if version == nil {
		t.Fatalf("no decision form for the manager:\n%.1500s", text(p.body))
	}
	if p = chef.post(tripPath+"/decision", url.Values{"version": {version[1]}, "decision": {"approve"}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("a decision without reasons: %d", p.status)
	}
	if p = chef.post(tripPath+"/decision", url.Values{"version": {version[1]}, "decision": {"approve"},
		"note": {"Beredskapen kräver datorn; datatrafiken av."}}); p.status != http.StatusSeeOther {
		t.Fatalf("decision: %d\n%.1500s", p.status, text(p.body))
	}
	mustContain(t, emp.get(tripPath), "Godkänd", "datatrafiken av")

	// A pending issue is cancelled; a return is recorded and signed.
	it := e.as(slug, distans.RoleIT)
	phone := stock(distans.EquipmentPhone)
	it.get("/equipment/issue?person=" + employee.ID)
	p = it.post("/equipment/handovers", url.Values{"person_id": {employee.ID}, "item_ids": {phone.ID}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("issue: %d", p.status)
	}
	hp := it.get(p.location)
	cv := regexp.MustCompile(`action="(/equipment/handovers/[^"]+/cancel)"[^>]*>\s*<input type="hidden" name="csrf_token" value="[^"]*"><input type="hidden" name="version" value="(\d+)"`).FindStringSubmatch(hp.body)
	if cv == nil {
		t.Fatalf("no cancel form:\n%.1500s", text(hp.body))
	}
	if p = it.post(cv[1], url.Values{"version": {cv[2]}}); p.status != http.StatusSeeOther {
		t.Fatalf("cancel: %d", p.status)
	}
	if got, _ := e.svc.Equipment.Item(sys, phone.ID); got.Status != distans.EquipmentInStock {
		t.Errorf("a cancelled issue left the phone %s", got.Status)
	}
	wantStatus(t, it.get("/equipment/returns/new?person="+employee.ID), http.StatusOK)
	p = it.post("/equipment/returns", url.Values{"person_id": {employee.ID}, "items": {pc.ID}, "condition." + pc.ID: {"worn"},
		"note." + pc.ID: {"Repor på locket"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("return: %d\n%.1500s", p.status, text(p.body))
	}
	retPath := p.location
	emp.get(retPath)
	if p = emp.post(retPath+"/sign", url.Values{"password": {"fel"}}); p.status < 400 {
		t.Errorf("a return signed with a wrong password: %d", p.status)
	}
	if p = emp.post(retPath+"/sign", url.Values{"password": {"Distans-demo-1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("sign: %d\n%.1500s", p.status, text(p.body))
	}
	mustContain(t, emp.get(retPath), "Signerad av", "Sliten", "Repor på locket")
	// The computer's history for IT: who had it and how it came back.
	mustContain(t, it.get("/equipment/items/"+pc.ID), "Utlämnad till "+employee.Name, "Kvitterad av "+employee.Name,
		"Återlämnad av "+employee.Name+": Sliten", "Återlämningen kvitterad")
	if pdf := emp.get(retPath + "/pdf"); pdf.status != http.StatusOK || !strings.HasPrefix(pdf.body, "%PDF") {
		t.Errorf("return PDF: %d", pdf.status)
	}

	// The import: a bad row in Swedish and nothing saved; a good dry run.
	wantStatus(t, it.get("/equipment/import"), http.StatusOK)
	unit := e.person(slug, account(slug, distans.RoleEmployee)).UnitID
	bad := "Typ;Serienummer;Enhet\nDator;IMP-1;" + unit + "\nKylskåp;IMP-2;" + unit + "\n"
	p = it.postMultipart("/equipment/import", url.Values{"dry_run": {"1"}}, "file", "utrustning.csv", []byte(bad))
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad row: %d\n%.1500s", p.status, text(p.body))
	}
	mustContain(t, p, "Inget är sparat", "<caption>Rader med fel</caption>")
	good := "Typ;Serienummer;Enhet\nDator;IMP-1;" + unit + "\nHeadset;IMP-2;" + unit + "\n"
	p = it.postMultipart("/equipment/import", url.Values{"dry_run": {"1"}}, "file", "utrustning.csv", []byte(good))
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "Provkörningen gick bra: 2 rader")
	if items, _ := e.svc.Equipment.ListItems(sys, distans.EquipmentFilter{Query: "IMP-", Limit: 5}); len(items) != 0 {
		t.Errorf("a dry run saved %d items", len(items))
	}
	p = it.postMultipart("/equipment/import", url.Values{}, "file", "utrustning.csv", []byte(good))
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "2 enheter utrustning är importerade.")
}
