package equipment_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/equipment"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

var _ equipment.Store = (*sqlstore.Store)(nil)

// password is the one password the re-authentication double accepts.
const password = "rätt lösenord"

// reauth checks the password as sign-in does: the real check is
// internal/auth's, tested there.
type reauth struct{}

func (reauth) Reauthenticate(_ context.Context, pw string) error {
	if pw != password {
		var v distans.Validation
		v.Add("password", "Fel lösenord.", "Wrong password.")
		return v.Err()
	}
	return nil
}

// fixture is the store's World with IT over the whole organisation, the
// equipment terms set, and Sorsele's pack as organisation A's.
type fixture struct {
	*storetest.World
	svc      *equipment.Service
	packs    *policy.Service
	it       *distans.Person
	itCtx    context.Context
	empCtx   context.Context
	chefCtx  context.Context
	terms    *distans.PolicyDocument
	packVers int
}

func newFixture(t *testing.T, s *sqlstore.Store) *fixture {
	t.Helper()
	f := &fixture{World: storetest.NewWorld(t, s)}
	f.it = storetest.NewPerson(t, s, f.A.ID, "Ivar IT", f.Root.ID)
	storetest.Assign(t, s, f.it, distans.RoleIT, "")
	f.packs = policy.NewService(s, s)
	src, err := policy.SeedYAML("sorsele")
	storetest.Must(t, err)
	v, err := f.packs.Save(storetest.As(t, s, f.Admin), 0, bytes.Replace(src, []byte("slug: sorsele"), []byte("slug: alfa"), 1), "Sorseles regler")
	storetest.Must(t, err)
	f.packVers = v.Version
	f.terms = &distans.PolicyDocument{Title: "Villkor för mobil teknisk utrustning",
		Body: "Medarbetare ansvarar för att utrustningen alltid transporteras och förvaras med aktsamhet."}
	storetest.Must(t, s.PublishDocument(storetest.As(t, s, f.Admin), f.terms))
	f.itCtx, f.empCtx, f.chefCtx = storetest.As(t, s, f.it), storetest.As(t, s, f.EmpX1), storetest.As(t, s, f.ChefX)
	f.svc = equipment.New(equipment.Config{Store: s, Packs: f.packs, Reauth: reauth{}, Organisations: s, Units: s})
	storetest.Must(t, f.svc.SetTermsDocument(f.itCtx, f.terms.ID))
	return f
}

// pdfText reads a PDF back with pdftotext, its whitespace folded; "" when
// pdftotext is missing.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %d bytes", len(b))
	}
	if _, err := os.Stat("/usr/bin/pdftotext"); err != nil {
		return ""
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	storetest.Must(t, os.WriteFile(file, b, 0o600))
	out, err := exec.Command("/usr/bin/pdftotext", "-layout", file, "-").Output()
	storetest.Must(t, err)
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestImportItems: a CSV of items in Windows-1252 with Swedish headers is
// read the importer's way; a dry run saves nothing, a bad row saves
// nothing and names its line and column in Swedish and English, and a good
// file registers every item.
func TestImportItems(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newFixture(t, s)
		storetest.Must(t, f.svc.SaveModel(f.itCtx, &distans.EquipmentModel{Category: distans.EquipmentPhone, Name: "iPhone 15"}))
		good := "Typ;Modell;Serienummer;Inventarienummer;Nummer;Enhet;Inköpsdatum;Anteckning\r\n" +
			"Mobiltelefon;iPhone 15;356938035643809;SOR-1;;Avdelning X;2025-09-01;\r\n" +
			"SIM-kort;;;SOR-2;070-111 22 33;Enhet X1;;Telia\r\n" +
			"dator;;PF3XK2;SOR-3;;" + f.Root.ID + ";;Lånedator för växeln\r\n"
		cp1252 := latin1(t, good)

		res, err := f.svc.ImportItems(f.itCtx, bytes.NewReader(cp1252), true)
		storetest.Must(t, err)
		if len(res.Errors) != 0 || res.Rows != 3 || res.Created != 0 || !res.DryRun {
			t.Fatalf("dry run: %+v", res)
		}
		items, err := f.svc.ListItems(f.itCtx, distans.EquipmentFilter{})
		storetest.Must(t, err)
		if len(items) != 0 {
			t.Fatalf("the dry run saved %d items", len(items))
		}

		bad := "category,model,serial,asset_tag,unit,purchased_on\n" +
			"phone,iPhone 15,111,T-1,Avdelning X,2025-09-01\n" +
			"toaster,,222,T-2,Avdelning X,\n" +
			"computer,,333,T-3,Avdelning Z,1 september\n" +
			"computer,,111,T-4,Avdelning X,\n"
		res, err = f.svc.ImportItems(f.itCtx, strings.NewReader(bad), false)
		storetest.Must(t, err)
		type where struct {
			line   int
			column string
		}
		var got []where
		for _, e := range res.Errors {
			got = append(got, where{e.Line, e.Column})
			if !strings.Contains(e.Sv, "Rad ") || !strings.Contains(e.En, "Line ") {
				t.Errorf("row error without its line: %+v", e)
			}
		}
		want := []where{{3, "category"}, {4, "unit"}, {4, "purchased_on"}, {5, "serial"}}
		if !slices.Equal(got, want) || res.Created != 0 {
			t.Fatalf("row errors %v (%+v), want %v", got, res.Errors, want)
		}
		items, err = f.svc.ListItems(f.itCtx, distans.EquipmentFilter{})
		storetest.Must(t, err)
		if len(items) != 0 {
			t.Fatalf("a bad file saved %d items", len(items))
		}

		res, err = f.svc.ImportItems(f.itCtx, bytes.NewReader(append([]byte("\xEF\xBB\xBF"), good...)), false)
		storetest.Must(t, err)
		if len(res.Errors) != 0 || res.Created != 3 {
			t.Fatalf("import: %+v", res)
		}
		items, err = f.svc.ListItems(f.itCtx, distans.EquipmentFilter{})
		storetest.Must(t, err)
		if len(items) != 3 {
			t.Fatalf("items: %+v", items)
		}
		for _, it := range items {
			switch it.AssetTag {
			case "SOR-1":
				if it.Category != distans.EquipmentPhone || it.ModelName != "iPhone 15" || it.UnitID != f.X.ID || it.PurchasedOn == nil {
					t.Errorf("phone: %+v", it)
				}
			case "SOR-2":
				if it.Category != distans.EquipmentSIM || it.PhoneNumber == "" || it.UnitID != f.X1.ID || it.Note != "Telia" {
					t.Errorf("SIM: %+v", it)
				}
			case "SOR-3":
				if it.Category != distans.EquipmentComputer || it.UnitID != f.Root.ID {
					t.Errorf("computer: %+v", it)
				}
			}
		}
		// The same file again: the store finds the asset tags taken, and
		// the errors name the rows.
		res, err = f.svc.ImportItems(f.itCtx, strings.NewReader(good), false)
		storetest.Must(t, err)
		if len(res.Errors) == 0 || res.Created != 0 || res.Errors[0].Line < 2 {
			t.Fatalf("again: %+v", res)
		}
		// Only IT imports.
		_, err = f.svc.ImportItems(f.empCtx, strings.NewReader(good), true)
		storetest.WantCode(t, err, distans.EFORBIDDEN)
	})
}

// latin1 encodes s in Windows-1252 (its letters here are all Latin-1).
func latin1(t *testing.T, s string) []byte {
	t.Helper()
	var b []byte
	for _, r := range s {
		if r > 0xFF {
			t.Fatalf("%q is not Latin-1", r)
		}
		b = append(b, byte(r))
	}
	return b
}

// TestService drives the equipment of one person through the service on
// both databases: issue and acceptance after re-authentication, the
// acceptance PDF, a trip abroad, a loss with Sorsele's four steps and its
// incident, a return signed after re-authentication and its receipt.
func TestService(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newFixture(t, s)
		items := []*distans.EquipmentItem{
			{Category: distans.EquipmentPhone, AssetTag: "SOR-10", Serial: "356938035643809", UnitID: f.X.ID},
			{Category: distans.EquipmentSIM, AssetTag: "SOR-11", PhoneNumber: "0701112233", UnitID: f.X.ID},
			{Category: distans.EquipmentComputer, AssetTag: "SOR-12", Serial: "PF3XK2", UnitID: f.X.ID},
		}
		for _, it := range items {
			storetest.Must(t, f.svc.RegisterItem(f.itCtx, it))
		}
		storetest.WantCode(t, f.svc.RegisterItem(f.itCtx, &distans.EquipmentItem{Category: distans.EquipmentPhone, AssetTag: "SOR-10",
			UnitID: f.X.ID}), distans.EINVALID)
		var ids []string
		for _, it := range items {
			ids = append(ids, it.ID)
		}
		h, err := f.svc.Issue(f.itCtx, &distans.EquipmentIssueRequest{PersonID: f.EmpX1.ID, ItemIDs: ids})
		storetest.Must(t, err)
		_, err = f.svc.Issue(f.itCtx, &distans.EquipmentIssueRequest{PersonID: f.EmpY.ID, ItemIDs: ids[:1]})
		storetest.WantCode(t, err, distans.EINVALID)

		// The acceptance: only the person, only with the password, only
		// of what was shown.
		h, err = f.svc.Handover(f.empCtx, h.ID)
		storetest.Must(t, err)
		acc := distans.EquipmentAcceptance{TermsVersion: h.TermsVersion, Hash: h.AcceptanceHash(), Password: password}
		_, err = f.svc.Accept(f.chefCtx, h.ID, acc)
		storetest.WantCode(t, err, distans.EFORBIDDEN)
		wrong := acc
		wrong.Password = "fel"
		_, err = f.svc.Accept(f.empCtx, h.ID, wrong)
		storetest.WantCode(t, err, distans.EINVALID)
		stale := acc
		stale.Hash = strings.Repeat("0", 64)
		_, err = f.svc.Accept(f.empCtx, h.ID, stale)
		storetest.WantCode(t, err, distans.ECONFLICT)
		var b bytes.Buffer
		storetest.WantCode(t, f.svc.WriteAcceptancePDF(f.empCtx, h.ID, &b), distans.ECONFLICT)
		h, err = f.svc.Accept(f.empCtx, h.ID, acc)
		storetest.Must(t, err)
		if h.State != distans.HandoverAccepted || h.Acceptance == nil || h.Acceptance.Method != "password" {
			t.Fatalf("accepted: %+v", h)
		}
		storetest.Must(t, f.svc.WriteAcceptancePDF(f.empCtx, h.ID, &b))
		if text := pdfText(t, b.Bytes()); text != "" {
			for _, want := range []string{"Kvittens av utrustning", f.A.Name, "Åsa Öberg", "SOR-10", "SOR-11",
				"Villkor för mobil teknisk utrustning", "förvaras med aktsamhet", h.Acceptance.Hash} {
				if !strings.Contains(text, want) {
					t.Errorf("the acceptance PDF lacks %q: %s", want, text)
				}
			}
		}
		storetest.WantCode(t, f.svc.WriteAcceptancePDF(storetest.As(t, s, f.EmpY), h.ID, &b), distans.ENOTFOUND)

		held, err := f.svc.HeldCategories(f.chefCtx, f.EmpX1.ID)
		storetest.Must(t, err)
		if !slices.Equal(held, []string{"computer", "phone", "sim"}) {
			t.Fatalf("held: %v", held)
		}

		// A private trip abroad with the computer waits for the manager
		// (004 §8.5); without reasons it is refused.
		today := distans.DateOf(distans.Now())
		trip := &distans.TripRequest{Private: true, Abroad: true, Destination: "Kreta", StartsOn: today.AddDate(0, 0, 10),
			EndsOn: today.AddDate(0, 0, 17), ItemIDs: []string{items[2].ID, items[0].ID}}
		_, err = f.svc.RegisterTrip(f.empCtx, trip)
		storetest.WantCode(t, err, distans.EINVALID)
		trip.Reasons = "Beredskap för kommunens krisledning under resan."
		tr, err := f.svc.RegisterTrip(f.empCtx, trip)
		storetest.Must(t, err)
		if tr.State != distans.TripRequested || !slices.ContainsFunc(tr.Findings, func(x distans.AgreementFinding) bool {
			return x.RuleID == "sorsele-8.5-computer-private-abroad" && strings.Contains(x.Citation, "8.5")
		}) {
			t.Fatalf("trip: %+v", tr)
		}
		_, err = f.svc.DecideTrip(f.chefCtx, tr.ID, distans.TripDecision{Version: tr.Version, Approved: true})
		storetest.WantCode(t, err, distans.EINVALID)
		tr, err = f.svc.DecideTrip(f.chefCtx, tr.ID, distans.TripDecision{Version: tr.Version, Approved: true, Note: "Godkänt: beredskap."})
		storetest.Must(t, err)
		if tr.State != distans.TripApproved {
			t.Fatalf("decided: %+v", tr)
		}

		// The phone is lost outside the premises: Sorsele's four steps, the
		// incident report done by the incident it opened.
		disc := distans.Now().Add(-3 * time.Hour)
		loss, err := f.svc.ReportLoss(f.empCtx, &distans.LossReport{Kind: distans.LossLost, ItemIDs: []string{items[0].ID, items[1].ID},
			DiscoveredAt: disc, Place: "Bussen till Umeå", OutsidePremises: true, Description: "Telefonen låg kvar på sätet."})
		storetest.Must(t, err)
		var steps []string
		for _, st := range loss.Steps {
			steps = append(steps, st.Step)
			if st.Citation == "" || !strings.Contains(st.Citation, "8.1") {
				t.Errorf("step %s cites %q", st.Step, st.Citation)
			}
		}
		if !slices.Equal(steps, distans.LossSteps) || loss.IncidentID == "" || loss.PackVersion != f.packVers {
			t.Fatalf("loss: %+v", loss)
		}
		for _, st := range loss.Steps {
			switch st.Step {
			case distans.StepBlockSIM:
				if st.Role != distans.RoleIT || !st.Open() {
					t.Errorf("block SIM: %+v", st)
				}
			case distans.StepPoliceReport:
				if !st.Skippable || st.Role != distans.RoleEmployee || !st.DueAt.Equal(disc.UTC().Truncate(time.Microsecond).Add(24*time.Hour)) {
					t.Errorf("police report: %+v", st)
				}
			case distans.StepIncidentReport:
				if st.Open() || st.Evidence != loss.IncidentNumber {
					t.Errorf("incident report: %+v", st)
				}
			}
		}
		_, err = f.svc.RecordLossStep(f.empCtx, loss.ID, distans.LossStepRecord{Step: distans.StepPoliceReport, Skipped: true})
		storetest.WantCode(t, err, distans.EINVALID)
		loss, err = f.svc.RecordLossStep(f.itCtx, loss.ID, distans.LossStepRecord{Step: distans.StepBlockSIM, Evidence: "Telia ärende 4711"})
		storetest.Must(t, err)
		_, err = f.svc.AssessNegligence(f.chefCtx, loss.ID, distans.NegligenceAssessment{})
		storetest.WantCode(t, err, distans.EINVALID)
		loss, err = f.svc.AssessNegligence(f.chefCtx, loss.ID, distans.NegligenceAssessment{Reasons: "Glömd på bussen; ingen grov oaktsamhet."})
		storetest.Must(t, err)
		if loss.Assessment == nil || loss.Assessment.GrossNegligence {
			t.Fatalf("assessed: %+v", loss)
		}

		// The computer comes back; the person signs after the password.
		ret, err := f.svc.RecordReturn(f.itCtx, &distans.EquipmentReturnRequest{PersonID: f.EmpX1.ID,
			Items: []distans.ReturnedState{{ItemID: items[2].ID, Condition: distans.ConditionWorn, Note: "Repor på locket"}}})
		storetest.Must(t, err)
		_, err = f.svc.SignReturn(storetest.As(t, s, f.EmpY), ret.ID, password)
		storetest.WantCode(t, err, distans.ENOTFOUND)
		_, err = f.svc.SignReturn(f.empCtx, ret.ID, "fel")
		storetest.WantCode(t, err, distans.EINVALID)
		ret, err = f.svc.SignReturn(f.empCtx, ret.ID, password)
		storetest.Must(t, err)
		if ret.Signature == nil || ret.Signature.Method != "password" || ret.Signature.Hash != ret.ReceiptHash() {
			t.Fatalf("signed: %+v", ret)
		}
		_, err = f.svc.SignReturn(f.chefCtx, ret.ID, password)
		storetest.WantCode(t, err, distans.ECONFLICT)
		b.Reset()
		storetest.Must(t, f.svc.WriteReturnPDF(f.empCtx, ret.ID, &b))
		if text := pdfText(t, b.Bytes()); text != "" {
			for _, want := range []string{"Kvitto på återlämnad utrustning", "SOR-12", "Skick: slitet", "Repor på locket",
				"Mottaget av: Ivar IT", "Namn: Åsa Öberg", ret.Signature.Hash} {
				if !strings.Contains(text, want) {
					t.Errorf("the receipt lacks %q: %s", want, text)
				}
			}
		}
		held, err = f.svc.HeldCategories(f.empCtx, f.EmpX1.ID)
		storetest.Must(t, err)
		if len(held) != 0 {
			t.Fatalf("held after the loss and the return: %v", held)
		}
	})
}

// TestReturnPlan: the organisation's plan comes from its active pack, read
// as the system actor, and asks what the pack asks.
func TestReturnPlan(t *testing.T) {
	t.Parallel()
	s := storetest.SQLite(t)
	f := newFixture(t, s)
	plan, err := f.svc.ReturnPlan(context.Background(), f.A.ID)
	storetest.Must(t, err)
	d, err := plan(distans.ReturnLongLeave, 400, []distans.EquipmentCategory{distans.EquipmentComputer, distans.EquipmentHeadset})
	storetest.Must(t, err)
	if d == nil || !d.Subscription || d.RuleID != "sorsele-8.6-leave-return" || !d.Asks(distans.EquipmentComputer) || d.Asks(distans.EquipmentHeadset) {
		t.Fatalf("Sorsele's long leave: %+v", d)
	}
	// Organisation B has no pack of its own: the rules of law's default.
	plan, err = f.svc.ReturnPlan(context.Background(), f.B.ID)
	storetest.Must(t, err)
	d, err = plan(distans.ReturnEmploymentEnd, 0, []distans.EquipmentCategory{distans.EquipmentOther})
	storetest.Must(t, err)
	if d == nil || d.RuleID != "equipment-return-employment-end" || !d.Asks(distans.EquipmentOther) {
		t.Fatalf("B's employment end: %+v", d)
	}
	if d, err := plan(distans.ReturnLongLeave, 900, []distans.EquipmentCategory{distans.EquipmentComputer}); err != nil || d != nil {
		t.Fatalf("B's long leave: %+v %v", d, err)
	}
}
