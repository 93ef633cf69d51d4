package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// registerWorld is the equipment World with registrators and one case of
// every kind: Åsa's agreement, IT incident (its description marked
// secret) and lost phone (which opens an incident of its own), Yngve's
// agreement and personal-data incident, and Bertil's agreement in the
// other organisation.
type registerWorld struct {
	*equipmentWorld
	Reg, RegX, RegB, Sec               *distans.Person
	AgrX1, AgrY, AgrB                  *distans.Agreement
	IncIT, IncPD                       *distans.Incident
	Loss                               *distans.EquipmentLoss
	secrets                            []string // text that must never reach the register
	numbersA, numbersX1, numbersB, all []string
}

func newRegisterWorld(t *testing.T, s *sqlstore.Store) *registerWorld {
	t.Helper()
	w := &registerWorld{equipmentWorld: newEquipmentWorld(t, s)}
	a := w.A.ID
	w.Reg = NewPerson(t, s, a, "Rut Registrator", w.Root.ID)
	w.RegX = NewPerson(t, s, a, "Rolf Registrator", w.X.ID)
	w.RegB = NewPerson(t, s, w.B.ID, "Rebecka Beta", w.RootB.ID)
	w.Sec = NewPerson(t, s, a, "Siri Säkerhet", w.Root.ID)
	Assign(t, s, w.Reg, distans.RoleRegistrar, "")
	Assign(t, s, w.RegX, distans.RoleRegistrar, w.X.ID)
	Assign(t, s, w.RegB, distans.RoleRegistrar, "")
	Assign(t, s, w.Sec, distans.RoleSecurity, "")

	w.AgrX1 = requestAgreement(t, s, w.EmpX1)
	w.AgrY = requestAgreement(t, s, w.EmpY)
	w.AgrB = requestAgreement(t, s, w.EmpB)
	it := report(distans.IncidentIT)
	it.Title, it.Description, it.Systems = "Virus i Procapita", "Bilagan från kund Karlsson öppnades", "Procapita"
	w.IncIT = reportIncident(t, s, w.EmpX1, it)
	w.IncIT = triage(t, s, w.Sec, w.IncIT, distans.IncidentTriage{OwnerID: w.Sec.ID, SecretFields: []string{"description", "systems"}})
	pd := report(distans.IncidentPersonalData)
	pd.Title, pd.Description = "Lönelista till fel mottagare", "Yngve skickade lönelistan till fel adress"
	w.IncPD = reportIncident(t, s, w.EmpY, pd)

	w.setTerms(t)
	items := w.items(t, w.X.ID, "phone:P-1")
	w.issueAccepted(t, w.EmpX1, items...)
	l, err := s.CreateLoss(As(t, s, w.EmpX1), &distans.LossReport{Kind: distans.LossLost, ItemIDs: itemIDs(items...),
		DiscoveredAt: discovered(), Place: "Hemma på Lillgatan 3", OutsidePremises: true,
		Description: "Telefonen låg i jackan som blev stulen"}, testLossPlan, testClocks)
	Must(t, err)
	w.Loss = l
	w.secrets = []string{homePlace, "Koncentration", "Handläggning", "Virus", "Procapita", "Karlsson", "Lönelista",
		"lönelistan", "Lillgatan", "jackan", "Borttappad", "Datorn glömdes"}
	w.numbersX1 = []string{w.AgrX1.Number, w.IncIT.Number, w.Loss.Number, w.Loss.IncidentNumber}
	w.numbersA = append(slices.Clone(w.numbersX1), w.AgrY.Number, w.IncPD.Number)
	w.numbersB = []string{w.AgrB.Number}
	return w
}

func entryNumbers(es []*distans.RegisterEntry) []string {
	return ids(es, func(e *distans.RegisterEntry) string { return e.Number })
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// Register checks the registrator's register: every kind, nothing secret,
// the scope of the grant, refusal for everyone else, other organisations
// apart.
func Register(t *testing.T, s *sqlstore.Store) {
	w := newRegisterWorld(t, s)
	reg := As(t, s, w.Reg)
	got, err := s.ListRegister(reg, distans.RegisterFilter{})
	Must(t, err)
	if !sameSet(entryNumbers(got), w.numbersA) {
		t.Fatalf("the registrator's register = %q, want %q", entryNumbers(got), w.numbersA)
	}
	kinds := map[distans.RegisterKind]int{}
	for i, e := range got {
		kinds[e.Kind]++
		if i > 0 && (e.RegisteredAt.After(got[i-1].RegisteredAt) ||
			e.RegisteredAt.Equal(got[i-1].RegisteredAt) && e.Number > got[i-1].Number) {
			t.Errorf("not newest first: %q after %q", e.Number, got[i-1].Number)
		}
		for _, lang := range []string{"sv", "en"} {
			for _, secret := range w.secrets {
				if strings.Contains(e.Subject(lang), secret) || strings.Contains(e.Party, secret) {
					t.Errorf("%s shows %q: subject %q, party %q", e.Number, secret, e.Subject(lang), e.Party)
				}
			}
		}
		if e.Subject("sv") == "" || e.Subject("en") == "" || e.RecordID == "" || e.State == "" {
			t.Errorf("incomplete entry %+v", e)
		}
	}
	if kinds[distans.RegisterAgreement] != 2 || kinds[distans.RegisterIncident] != 3 || kinds[distans.RegisterEquipmentLoss] != 1 {
		t.Errorf("kinds = %v", kinds)
	}

	byNumber := map[string]*distans.RegisterEntry{}
	for _, e := range got {
		byNumber[e.Number] = e
	}
	cases := []struct {
		number, subject, party string
		parts                  []string
	}{
		{w.AgrX1.Number, "Distansarbete – överenskommelse", "Åsa Öberg",
			[]string{distans.RegisterSecretRemotePlace, distans.RegisterSecretReasons}},
		{w.IncIT.Number, "IT-incident", "Åsa Öberg", []string{distans.RegisterSecretFields}},
		// A personal-data breach never names its reporter.
		{w.IncPD.Number, "Personuppgiftsincident", "", []string{distans.RegisterSecretIncidentKind}},
		{w.Loss.Number, "Förlust av utrustning: mobiltelefon", "Åsa Öberg", []string{distans.RegisterSecretLossPlace}},
	}
	for _, c := range cases {
		e := byNumber[c.number]
		if e == nil {
			t.Errorf("%s missing", c.number)
			continue
		}
		if e.Subject("sv") != c.subject || e.Party != c.party || !slices.Equal(e.SecretParts, c.parts) || !e.Secret {
			t.Errorf("%s: subject %q party %q secret %v %q, want %q %q %q", c.number, e.Subject("sv"), e.Party, e.Secret,
				e.SecretParts, c.subject, c.party, c.parts)
		}
	}
	if e := byNumber[w.AgrX1.Number]; e.RecordID != w.AgrX1.ID || e.State != string(distans.AgreementRequested) {
		t.Errorf("agreement entry %+v", e)
	}

	// A registrator of a unit subtree keeps the register of that subtree.
	got, err = s.ListRegister(As(t, s, w.RegX), distans.RegisterFilter{})
	Must(t, err)
	if !sameSet(entryNumbers(got), w.numbersX1) {
		t.Errorf("the registrator of X = %q, want %q", entryNumbers(got), w.numbersX1)
	}
	// The other organisation's registrator sees its own cases only.
	got, err = s.ListRegister(As(t, s, w.RegB), distans.RegisterFilter{})
	Must(t, err)
	if !sameSet(entryNumbers(got), w.numbersB) {
		t.Errorf("the other organisation's register = %q, want %q", entryNumbers(got), w.numbersB)
	}
	// Nobody else keeps it, not even with every other permission.
	for _, p := range []*distans.Person{w.EmpX1, w.ChefX, w.HRX, w.Admin, w.IT, w.Sec, w.AdminB} {
		_, err := s.ListRegister(As(t, s, p), distans.RegisterFilter{})
		WantCode(t, err, distans.EFORBIDDEN)
		_, _, err = s.ExportRegister(As(t, s, p), distans.RegisterFilter{})
		WantCode(t, err, distans.EFORBIDDEN)
	}
}

// RegisterPagingAndFilters checks the keyset pages and every filter.
func RegisterPagingAndFilters(t *testing.T, s *sqlstore.Store) {
	w := newRegisterWorld(t, s)
	reg := As(t, s, w.Reg)
	all, err := s.ListRegister(reg, distans.RegisterFilter{})
	Must(t, err)

	var paged []*distans.RegisterEntry
	f := distans.RegisterFilter{Limit: 2}
	for range 10 {
		page, err := s.ListRegister(reg, f)
		Must(t, err)
		paged = append(paged, page...)
		if len(page) < f.Limit {
			break
		}
		f.After = page[len(page)-1].Cursor()
	}
	if !slices.Equal(entryNumbers(paged), entryNumbers(all)) {
		t.Errorf("pages of two = %q, want %q", entryNumbers(paged), entryNumbers(all))
	}

	today := agrToday()
	filters := []struct {
		name string
		f    distans.RegisterFilter
		want []string
	}{
		{"kind incident", distans.RegisterFilter{Kind: distans.RegisterIncident},
			[]string{w.IncIT.Number, w.IncPD.Number, w.Loss.IncidentNumber}},
		{"kind loss", distans.RegisterFilter{Kind: distans.RegisterEquipmentLoss}, []string{w.Loss.Number}},
		{"number prefix, folded", distans.RegisterFilter{Query: "for 20"}, []string{w.Loss.Number}},
		{"whole number", distans.RegisterFilter{Query: w.AgrY.Number}, []string{w.AgrY.Number}},
		{"subject, agreement", distans.RegisterFilter{Query: "Överenskommelse"}, []string{w.AgrX1.Number, w.AgrY.Number}},
		{"subject, item", distans.RegisterFilter{Query: "mobiltelefon"}, []string{w.Loss.Number}},
		{"subject, English", distans.RegisterFilter{Query: "personal-data"}, []string{w.IncPD.Number}},
		{"secret text finds nothing", distans.RegisterFilter{Query: "Karlsson"}, nil},
		{"a party's name is not searched", distans.RegisterFilter{Query: "Yngve"}, nil},
		{"from tomorrow", distans.RegisterFilter{From: today.AddDate(0, 0, 1)}, nil},
		{"to yesterday", distans.RegisterFilter{To: today.AddDate(0, 0, -1)}, nil},
		{"today", distans.RegisterFilter{From: today, To: today}, w.numbersA},
		{"kind and text", distans.RegisterFilter{Kind: distans.RegisterAgreement, Query: "INC"}, nil},
	}
	for _, c := range filters {
		got, err := s.ListRegister(reg, c.f)
		Must(t, err)
		if !sameSet(entryNumbers(got), c.want) {
			t.Errorf("%s: %q, want %q", c.name, entryNumbers(got), c.want)
		}
	}

	for _, f := range []distans.RegisterFilter{{After: "not a cursor"}, {Kind: "decision"},
		{From: today, To: today.AddDate(0, 0, -1)}, {Query: strings.Repeat("x", distans.MaxSearchLength+1)}} {
		_, err := s.ListRegister(reg, f)
		WantCode(t, err, distans.EINVALID)
	}

	// The export holds every match, whatever the page, and is audited.
	entries, more, err := s.ExportRegister(reg, distans.RegisterFilter{Limit: 1, After: all[0].Cursor()})
	Must(t, err)
	if more || !slices.Equal(entryNumbers(entries), entryNumbers(all)) {
		t.Errorf("export = %q (more %v), want %q", entryNumbers(entries), more, entryNumbers(all))
	}
	if e := lastEvent(t, s, w.A.ID); e.Action != "records.register_export" || e.ActorID != w.Reg.ID {
		t.Errorf("last audit event %+v", e)
	}
}
