// Package importertest makes synthetic HR exports for tests and benchmarks
// of imports (the importer's, the store's and the CLI's), and applies an
// import plan to a snapshot in memory as the store would, so that a test
// can check that importing the same files again changes nothing.
package importertest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
)

// Files returns a realistic HR export for n people, the same for the same
// n, as Swedish HR systems write it: semicolon separated UTF-8 with
// Swedish headers. It has a unit tree of about n/25 units (förvaltningar,
// avdelningar, enheter) in enheter.csv, sites in arbetsplatser.csv, people
// with their employments in one file (personal.csv; one in a hundred has
// an earlier, ended employment on a row of its own), every unit's manager
// in chefer.csv, a few organisation-wide and unit roles in roller.csv and
// leave for one in fifty in ledigheter.csv.
func Files(n int) []distans.ImportFile {
	g := gen{rnd: rand.New(rand.NewPCG(12, uint64(n))), n: n}
	g.makeUnits()
	g.makeSites()
	return []distans.ImportFile{
		{Name: "enheter.csv", Content: g.unitsFile()},
		{Name: "arbetsplatser.csv", Content: g.sitesFile()},
		{Name: "personal.csv", Content: g.peopleFile()},
		{Name: "chefer.csv", Content: g.managersFile()},
		{Name: "roller.csv", Content: g.rolesFile()},
		{Name: "ledigheter.csv", Content: g.leaveFile()},
	}
}

// Write writes Files(n) into dir and returns their paths.
func Write(dir string, n int) ([]string, error) {
	var paths []string
	for _, f := range Files(n) {
		p := filepath.Join(dir, f.Name)
		if err := os.WriteFile(p, f.Content, 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

type unit struct {
	code, name, parent, kind string
}

type gen struct {
	rnd   *rand.Rand
	n     int
	us    []unit
	sites []string
}

var (
	firstNames = []string{"Åsa", "Björn", "Märta", "Jörgen", "Karin", "Sofia", "Erik", "Linnéa", "Oskar", "Ingrid",
		"Lena", "Mats", "Anders", "Helena", "Per", "Elin", "Johan", "Maria", "Göran", "Sara", "Fredrik", "Annika",
		"Emma", "Ida", "Nils", "Kristina", "Lars", "Eva", "Ali", "Malin", "Jonas", "Zeynep", "Camilla", "Henrik",
		"Alva", "Örjan", "Ängla", "Torbjörn", "Solveig", "Mohammed", "Agnes", "Hugo", "Selma", "Gösta", "Maja"}
	lastNames = []string{"Lindqvist", "Ekström", "Öberg", "Sjöberg", "Åberg", "Häggström", "Nordström", "Bäckman",
		"Wästlund", "Fröberg", "Ågren", "Öhman", "Bergström", "Strömberg", "Ängström", "Dahlgren", "Löfgren", "Sandén",
		"Holmström", "Nyström", "Hägg", "Törnqvist", "Lindén", "Söderlund", "Wikström", "Östlund", "Fällström",
		"Hedström", "Hassan", "Kärrström", "Åkesson", "Yılmaz", "Blomqvist", "Björk", "Ödman", "Johansson", "Karlsson"}
	administrations = []string{"Kommunstyrelseförvaltningen", "Barn- och utbildningsförvaltningen", "Socialförvaltningen",
		"Samhällsbyggnadsförvaltningen", "Kultur- och fritidsförvaltningen", "Miljö- och hälsoskyddsförvaltningen",
		"Omsorgsförvaltningen", "Tekniska förvaltningen", "Arbetsmarknadsförvaltningen", "Vård- och omsorgsförvaltningen",
		"Gymnasieförvaltningen", "Serviceförvaltningen"}
	departments = []string{"Äldreomsorg", "Grundskola", "Förskola", "Ekonomi", "HR", "IT", "Individ- och familjeomsorg",
		"Gata och park", "Bygglov", "Fritid", "Kultur", "Måltid", "Lokalförsörjning", "Funktionsstöd"}
	sections = []string{"Hemtjänst Östra", "Hemtjänst Norr", "Ängsskolan", "Björkängsskolan", "Förskolan Solrosen",
		"Särskilt boende Åkerbo", "Löneenheten", "IT-support", "Kontaktcenter", "Bibliotek Söder", "Simhallen",
		"Kök Älvgården", "Fastighetsdrift", "Daglig verksamhet Ölandet"}
	titles = []string{"Undersköterska", "Lärare", "Förskollärare", "Barnskötare", "Socialsekreterare", "Handläggare",
		"Ekonom", "Sjuksköterska", "Enhetschef", "Vaktmästare", "Kock", "Bibliotekarie", "IT-tekniker", "Fritidspedagog",
		"Specialpedagog", "Personlig assistent", "Planarkitekt", "Byggnadsinspektör", "Löneadministratör"}
	cities = []string{"Exempelby", "Norrby", "Söderås", "Åkerö", "Västervik"}
)

func (g *gen) makeUnits() {
	nu := max(3, g.n/25)
	nF := max(1, min(len(administrations), nu/150))
	nA := max(1, nu/10)
	nE := max(1, nu-nF-nA)
	for i := range nF {
		g.us = append(g.us, unit{fmt.Sprintf("F%02d", i+1), administrations[i], "", "förvaltning"})
	}
	for i := range nA {
		name := fmt.Sprintf("%s %d", departments[i%len(departments)], i/len(departments)+1)
		g.us = append(g.us, unit{fmt.Sprintf("A%03d", i+1), name, fmt.Sprintf("F%02d", i%nF+1), "avdelning"})
	}
	for i := range nE {
		name := fmt.Sprintf("%s %d", sections[i%len(sections)], i/len(sections)+1)
		g.us = append(g.us, unit{fmt.Sprintf("E%04d", i+1), name, fmt.Sprintf("A%03d", g.rnd.IntN(nA)+1), "enhet"})
	}
}

func (g *gen) makeSites() {
	for i := range max(2, g.n/500) {
		g.sites = append(g.sites, fmt.Sprintf("S%03d", i+1))
	}
}

func (g *gen) unitsFile() []byte {
	var b bytes.Buffer
	b.WriteString("Enhetskod;Enhetsnamn;Överordnad enhet;Typ\r\n")
	for _, u := range g.us {
		fmt.Fprintf(&b, "%s;%s;%s;%s\r\n", u.code, u.name, u.parent, u.kind)
	}
	return b.Bytes()
}

func (g *gen) sitesFile() []byte {
	var b bytes.Buffer
	b.WriteString("Kod;Namn;Typ;Gatuadress;Postnummer;Ort\r\n")
	for i, code := range g.sites {
		kind, name := "huvudarbetsplats", fmt.Sprintf("Kommunhuset %d", i+1)
		if i%5 == 4 {
			kind, name = "satellitkontor", fmt.Sprintf("Satellitkontor %d", i+1)
		}
		fmt.Fprintf(&b, "%s;%s;%s;Storgatan %d;%03d %02d;%s\r\n", code, name, kind, i+1, 100+i%900, i%100, cities[i%len(cities)])
	}
	return b.Bytes()
}

// empNo is person i's employee number.
func empNo(i int) string { return fmt.Sprintf("%06d", 100000+i) }

// unitOf is the unit person i works in: the people are spread evenly over
// the units, so that person u is the first in unit u and its manager.
func (g *gen) unitOf(i int) unit { return g.us[i%len(g.us)] }

func (g *gen) peopleFile() []byte {
	var b bytes.Buffer
	b.Grow(g.n * 160)
	b.WriteString("Anställningsnummer;Förnamn;Efternamn;E-post;Mobil;Personnummer;Enhet;Befattning;Arbetsplats;Startdatum;Slutdatum\r\n")
	for i := range g.n {
		first, last := firstNames[g.rnd.IntN(len(firstNames))], lastNames[g.rnd.IntN(len(lastNames))]
		email := fmt.Sprintf("%s.%s.%d@exempelby.se", ascii(first), ascii(last), i)
		phone := fmt.Sprintf("070-%03d %02d %02d", g.rnd.IntN(1000), g.rnd.IntN(100), g.rnd.IntN(100))
		person := fmt.Sprintf("%s;%s;%s;%s;%s;%s", empNo(i), first, last, email, phone, personalNumber(g.rnd))
		start := time.Date(1995+g.rnd.IntN(30), time.Month(1+g.rnd.IntN(12)), 1+g.rnd.IntN(28), 0, 0, 0, 0, time.UTC)
		if i%100 == 7 {
			// an earlier employment, ended the day before the current one
			fmt.Fprintf(&b, "%s;%s;%s;%s;%s;%s\r\n", person, g.us[(i+1)%len(g.us)].code, titles[g.rnd.IntN(len(titles))],
				g.sites[g.rnd.IntN(len(g.sites))], start.AddDate(-3, 0, 0).Format(time.DateOnly), start.AddDate(0, 0, -1).Format(time.DateOnly))
		}
		end := ""
		if i%40 == 3 {
			end = start.AddDate(3+g.rnd.IntN(3), 0, 0).Format(time.DateOnly) // a fixed term
		}
		title := titles[g.rnd.IntN(len(titles))]
		if i < len(g.us) {
			title = "Chef"
		}
		fmt.Fprintf(&b, "%s;%s;%s;%s;%s;%s\r\n", person, g.unitOf(i).code, title, g.sites[g.rnd.IntN(len(g.sites))],
			start.Format(time.DateOnly), end)
	}
	return b.Bytes()
}

func (g *gen) managersFile() []byte {
	var b bytes.Buffer
	b.WriteString("Enhetskod;Chef\r\n")
	for i, u := range g.us {
		if i < g.n {
			fmt.Fprintf(&b, "%s;%s\r\n", u.code, empNo(i))
		}
	}
	return b.Bytes()
}

func (g *gen) rolesFile() []byte {
	var b bytes.Buffer
	b.WriteString("Anställningsnummer;Roll;Enhet\r\n")
	org := []string{"HR", "HR", "HR", "IT", "IT", "Växel", "Växel", "Växel", "Administratör", "Dataskyddsombud"}
	for i, role := range org {
		if p := len(g.us) + i; p < g.n {
			fmt.Fprintf(&b, "%s;%s;\r\n", empNo(p), role)
		}
	}
	for i, u := range g.us {
		if u.kind == "förvaltning" && i < g.n {
			fmt.Fprintf(&b, "%s;Förvaltningsledning;%s\r\n", empNo(i), u.code)
		}
	}
	return b.Bytes()
}

func (g *gen) leaveFile() []byte {
	var b bytes.Buffer
	b.WriteString("Anställningsnummer;Typ;Startdatum;Slutdatum\r\n")
	kinds := []string{"Föräldraledighet", "Studieledighet", "Tjänstledighet", "Annan"}
	for i := 5; i < g.n; i += 50 {
		start := time.Date(2025+g.rnd.IntN(2), time.Month(1+g.rnd.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		fmt.Fprintf(&b, "%s;%s;%s;%s\r\n", empNo(i), kinds[g.rnd.IntN(len(kinds))], start.Format(time.DateOnly),
			start.AddDate(0, 3+g.rnd.IntN(9), -1).Format(time.DateOnly))
	}
	return b.Bytes()
}

// personalNumber returns a valid personal identity number of someone born
// 1960–2004, YYYYMMDD-NNNN with the Luhn check digit.
func personalNumber(rnd *rand.Rand) string {
	y, m, d, n := 1960+rnd.IntN(45), 1+rnd.IntN(12), 1+rnd.IntN(28), rnd.IntN(1000)
	nine := fmt.Sprintf("%02d%02d%02d%03d", y%100, m, d, n)
	sum := 0
	for i, r := range nine {
		v := int(r-'0') * (2 - i%2)
		sum += v/10 + v%10
	}
	return fmt.Sprintf("%d%02d%02d-%03d%d", y, m, d, n, (10-sum%10)%10)
}

// ascii spells a name for an e-mail address.
func ascii(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case 'å', 'ä', 'Å', 'Ä':
			return 'a'
		case 'ö', 'Ö':
			return 'o'
		case 'é':
			return 'e'
		case 'ı':
			return 'i'
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// Apply returns the snapshot as it is after the store applies plan to an
// organisation that was snap: records created and replaced by ID, roles
// ended taken away (a snapshot holds current roles only). snap is not
// changed. The store's own consequences (the chef role that setting a
// manager grants, a unit's path) are not imitated: the importer's check
// does not read them.
func Apply(snap *distans.ImportSnapshot, plan *distans.ImportPlan) *distans.ImportSnapshot {
	if snap == nil {
		snap = &distans.ImportSnapshot{}
	}
	return &distans.ImportSnapshot{
		Units:       apply(snap.Units, plan.CreateUnits, plan.UpdateUnits, func(u *distans.Unit) string { return u.ID }),
		Sites:       apply(snap.Sites, plan.CreateSites, plan.UpdateSites, func(s *distans.Site) string { return s.ID }),
		People:      apply(snap.People, plan.CreatePeople, plan.UpdatePeople, func(p *distans.Person) string { return p.ID }),
		Employments: apply(snap.Employments, plan.CreateEmployments, plan.UpdateEmployments, func(e *distans.Employment) string { return e.ID }),
		Roles: append(slices.DeleteFunc(slices.Clone(snap.Roles), func(r *distans.RoleAssignment) bool {
			return slices.Contains(plan.EndRoles, r.ID)
		}), clones(plan.CreateRoles)...),
		Leaves: apply(snap.Leaves, plan.CreateLeaves, plan.UpdateLeaves, func(l *distans.Leave) string { return l.ID }),
	}
}

func apply[T any](old, create, update []*T, id func(*T) string) []*T {
	out := slices.Clone(old)
	at := make(map[string]int, len(out))
	for i, x := range out {
		at[id(x)] = i
	}
	for _, x := range update {
		i, ok := at[id(x)]
		if !ok {
			panic("importertest: the plan updates " + id(x) + ", which the snapshot does not have")
		}
		out[i] = clone(x)
	}
	return append(out, clones(create)...)
}

func clone[T any](x *T) *T {
	y := *x
	return &y
}

func clones[T any](xs []*T) []*T {
	out := make([]*T, len(xs))
	for i, x := range xs {
		out[i] = clone(x)
	}
	return out
}
