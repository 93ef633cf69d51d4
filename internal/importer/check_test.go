package importer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/importer/importertest"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

var today = time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// base is a small valid export: a unit tree, a site, and people with
// their employments in one file.
func base() map[string]string {
	return map[string]string{
		"enheter.csv": "Kod;Namn;Överordnad enhet;Typ;Chef\n" +
			"F1;Förvaltningen;;förvaltning;2\n" +
			"A1;Avdelningen;F1;avdelning;\n" +
			"E1;Enheten;A1;enhet;1\n",
		"arbetsplatser.csv": "Kod;Namn;Typ;Gatuadress;Postnummer;Ort\n" +
			"HUS;Kommunhuset;huvudarbetsplats;Storgatan 1;123 45;Exempelby\n",
		"personal.csv": "Anställningsnummer;Namn;E-post;Personnummer;Enhet;Befattning;Arbetsplats;Startdatum;Slutdatum\n" +
			"1;Åsa Öberg;asa@exempelby.se;19121212-1212;E1;Lärare;HUS;2020-01-01;\n" +
			"2;Björn Ek;Bjorn@Exempelby.se;;A1;Chef;HUS;2019-05-01;\n" +
			"3;Märta Ågren;marta@exempelby.se;;E1;Rektor;;2018-08-01;2030-06-30\n",
	}
}

// filesOf turns a set of named contents into files, in name order with
// the units first (the order the error lines are sorted in does not
// depend on it).
func filesOf(m map[string]string) []distans.ImportFile {
	var out []distans.ImportFile
	for name, content := range m {
		if content != "" {
			out = append(out, distans.ImportFile{Name: name, Content: []byte(content)})
		}
	}
	slices.SortFunc(out, func(a, b distans.ImportFile) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func mustCheck(t *testing.T, files []distans.ImportFile, snap *distans.ImportSnapshot, opts distans.ImportOptions) *distans.ImportPlan {
	t.Helper()
	plan, errs, err := Check("org", files, snap, opts, today, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) > 0 {
		t.Fatalf("row errors: %+v", errs)
	}
	return plan
}

// peopleOnly is base's people without their employments.
const peopleOnly = "Anställningsnummer;Namn;E-post\n1;Åsa Öberg;asa@exempelby.se\n2;Björn Ek;bjorn@exempelby.se\n"

func TestBadInput(t *testing.T) {
	t.Parallel()
	orgWithUnit := &distans.ImportSnapshot{
		Units: []*distans.Unit{{ID: "u-x", Code: "X", Name: "X", Kind: distans.UnitSection, ParentID: ""}},
		People: []*distans.Person{{ID: "p-9", Name: "Nio Niosson", Email: "nio@exempelby.se", EmployeeNumber: "9", Language: "sv"},
			{ID: "p-8", Name: "Åtta", Email: "atta@exempelby.se", EmployeeNumber: "8", Language: "sv"}},
		Employments: []*distans.Employment{{ID: "e-9", PersonID: "p-9", UnitID: "u-x", Title: "T", StartsOn: day("2027-01-01")}},
	}
	tests := []struct {
		name   string
		change map[string]string // files replaced ("" removes one)
		snap   *distans.ImportSnapshot
		opts   distans.ImportOptions
		file   string
		line   int
		column string
		sv     string // a part of the Swedish message
	}{
		{name: "missing column", change: map[string]string{"personal.csv": "Anställningsnummer;Namn;Telefon\n1;Åsa;070-1234567\n"},
			file: "personal.csv", line: 1, column: "E-post", sv: "Kolumnen E-post saknas"},
		{name: "missing employment column", change: map[string]string{"anstallningar.csv": "Anstnr;Enhet;Befattning\n1;E1;Lärare\n"},
			file: "anstallningar.csv", line: 1, column: "Startdatum", sv: "Kolumnen Startdatum saknas"},
		{name: "parent does not exist", change: map[string]string{"enheter.csv": "Kod;Namn;Överordnad enhet\nF1;F;\nA1;A;F2\n"},
			file: "enheter.csv", line: 3, column: "Överordnad enhet", sv: "Den överordnade enheten F2 finns inte"},
		{name: "cycle", change: map[string]string{"enheter.csv": "Kod;Namn;Överordnad enhet\nF1;F;\nA1;A;B1\nB1;B;C1\nC1;C;A1\nE1;E;F1\n"},
			file: "enheter.csv", line: 3, column: "Överordnad enhet", sv: "slinga i trädet: A1 → B1 → C1 → A1"},
		{name: "cycle through the organisation", snap: &distans.ImportSnapshot{Units: []*distans.Unit{
			{ID: "u-f1", Code: "F1", Name: "F", Kind: distans.UnitAdministration},
			{ID: "u-b", Code: "B", Name: "B", Kind: distans.UnitSection, ParentID: "u-e1"},
			{ID: "u-e1", Code: "E1", Name: "E", Kind: distans.UnitSection, ParentID: "u-f1"}}},
			change: map[string]string{"enheter.csv": "Kod;Namn;Överordnad enhet\nF1;F;\nA1;A;F1\nE1;E;B\n"},
			file:   "enheter.csv", line: 4, column: "Överordnad enhet", sv: "E1 → B → E1"},
		{name: "own parent", change: map[string]string{"enheter.csv": "Kod;Namn;Överordnad enhet\nF1;F;F1\nA1;A;F1\nE1;E;A1\n"},
			file: "enheter.csv", line: 2, column: "Överordnad enhet", sv: "överordnad sig själv"},
		{name: "duplicate unit code", change: map[string]string{"enheter.csv": "Kod;Namn\nF1;F\nA1;A\nE1;E\nA1;A igen\n"},
			file: "enheter.csv", line: 5, column: "Kod", sv: "Enheten A1 finns redan på rad 3"},
		{name: "unknown unit kind", change: map[string]string{"enheter.csv": "Kod;Namn;Typ;Överordnad enhet\nF1;F;förvaltning;\nA1;A;sektion;F1\nE1;E;enhet;A1\n"},
			file: "enheter.csv", line: 3, column: "Typ", sv: "Okänd typ av enhet \"sektion\""},
		{name: "manager not in the files", change: map[string]string{"chefer.csv": "Enhetskod;Chef\nE1;1\nA1;77\n"},
			file: "chefer.csv", line: 3, column: "Chef", sv: "Chefen 77 finns inte"},
		{name: "manager in units file not in the files", change: map[string]string{"enheter.csv": "Kod;Namn;Överordnad enhet;Chef\nF1;F;;\nA1;A;F1;55\nE1;E;A1;\n"},
			file: "enheter.csv", line: 3, column: "Chef", sv: "Chefen 55 finns inte"},
		{name: "manager from the organisation is fine, unknown unit is not", snap: orgWithUnit,
			change: map[string]string{"chefer.csv": "Enhet;Anställningsnummer\nX;9\nZ9;1\n"},
			file:   "chefer.csv", line: 3, column: "Enhet", sv: "ingen enhet med koden Z9"},
		{name: "two managers for one unit", change: map[string]string{"chefer.csv": "Enhet;Chef\nE1;1\nE1;2\n"},
			file: "chefer.csv", line: 3, column: "Chef", sv: "har redan en annan chef på rad 2"},
		{name: "same employee number twice", change: map[string]string{"personer.csv": "Anställningsnummer;Namn;E-post\n5;Ada;ada@x.se\n6;Bo;bo@x.se\n5;Cecilia;cecilia@x.se\n"},
			file: "personer.csv", line: 4, column: "Anställningsnummer", sv: "Anställningsnumret 5 finns redan på rad 2"},
		{name: "same employee number in two files", change: map[string]string{"personer.csv": "Anställningsnummer;Namn;E-post\n2;Bo;bo@x.se\n"},
			file: "personer.csv", line: 2, column: "Anställningsnummer", sv: "finns redan på personal.csv rad 3"},
		{name: "same person disagreeing in a combined file", change: map[string]string{"personal.csv": "Anställningsnummer;Namn;E-post;Enhet;Befattning;Startdatum;Slutdatum\n" +
			"1;Åsa Öberg;asa@x.se;E1;Lärare;2010-01-01;2019-12-31\n1;Åsa Berg;asa@x.se;E1;Rektor;2020-01-01;\n"},
			file: "personal.csv", line: 3, column: "Anställningsnummer", sv: "finns redan på rad 2"},
		{name: "same e-mail twice", change: map[string]string{"personer.csv": "Anställningsnummer;Namn;E-post\n5;Ada;ada@x.se\n6;Bo;ADA@x.se\n"},
			file: "personer.csv", line: 3, column: "E-post", sv: "E-postadressen ada@x.se finns redan på rad 2"},
		{name: "e-mail of another person in the organisation", snap: orgWithUnit,
			change: map[string]string{"personer.csv": "Anställningsnummer;Namn;E-post\n5;Ada;nio@exempelby.se\n"},
			file:   "personer.csv", line: 2, column: "E-post", sv: "används redan av en annan person i organisationen (Nio Niosson, anställningsnummer 9)"},
		{name: "invalid date", change: map[string]string{"personal.csv": "Anstnr;Namn;E-post;Enhet;Befattning;Startdatum\n1;Åsa;asa@x.se;E1;Lärare;2020-13-01\n"},
			file: "personal.csv", line: 2, column: "Startdatum", sv: "\"2020-13-01\" är inte ett datum"},
		{name: "end before start", change: map[string]string{"personal.csv": "Anstnr;Namn;E-post;Enhet;Befattning;Startdatum;Slutdatum\n1;Åsa;asa@x.se;E1;Lärare;2020-01-01;2019-01-01\n"},
			file: "personal.csv", line: 2, column: "Slutdatum", sv: "Slutdatum kan inte vara före startdatum"},
		{name: "invalid e-mail", change: map[string]string{"personal.csv": "Anstnr;Namn;E-post;Enhet;Befattning;Startdatum\n1;Åsa;asa@;E1;Lärare;2020-01-01\n"},
			file: "personal.csv", line: 2, column: "E-post", sv: "giltig e-postadress"},
		{name: "invalid personal number", change: map[string]string{"personal.csv": "Anstnr;Namn;E-post;Personnummer;Enhet;Befattning;Startdatum\n1;Åsa;asa@x.se;19121212-1213;E1;Lärare;2020-01-01\n"},
			file: "personal.csv", line: 2, column: "Personnummer", sv: "Personnumret är inte giltigt"},
		{name: "missing name", change: map[string]string{"personal.csv": "Anstnr;Förnamn;Efternamn;E-post;Enhet;Befattning;Startdatum\n1;;;asa@x.se;E1;Lärare;2020-01-01\n"},
			file: "personal.csv", line: 2, column: "Förnamn", sv: "måste fyllas i"},
		{name: "unknown unit code", change: map[string]string{"anstallningar.csv": "Anställningsnummer;Enhet;Befattning;Startdatum\n1;E1;Lärare;2020-01-01\n2;E7;Lärare;2020-01-01\n"},
			file: "anstallningar.csv", line: 3, column: "Enhet", sv: "ingen enhet med koden E7"},
		{name: "unknown site code", change: map[string]string{"anstallningar.csv": "Anställningsnummer;Enhet;Befattning;Arbetsplats;Startdatum\n1;E1;Lärare;SKOLA;2020-01-01\n"},
			file: "anstallningar.csv", line: 2, column: "Arbetsplats", sv: "ingen arbetsplats med koden SKOLA"},
		{name: "employment of nobody", change: map[string]string{"anstallningar.csv": "Anställningsnummer;Enhet;Befattning;Startdatum\n404;E1;Lärare;2020-01-01\n"},
			file: "anstallningar.csv", line: 2, column: "Anställningsnummer", sv: "ingen person med anställningsnummer 404"},
		{name: "overlapping employments", change: map[string]string{"personal.csv": peopleOnly, "anstallningar.csv": "Anställningsnummer;Enhet;Befattning;Startdatum;Slutdatum\n" +
			"1;E1;Lärare;2021-01-01;2021-12-31\n1;A1;Rektor;2021-06-01;\n"},
			file: "anstallningar.csv", line: 3, column: "Startdatum", sv: "överlappar personens anställning på rad 2"},
		{name: "overlapping an open employment listed later", change: map[string]string{"personal.csv": peopleOnly, "anstallningar.csv": "Anställningsnummer;Enhet;Befattning;Startdatum;Slutdatum\n" +
			"1;E1;Lärare;2024-01-01;2024-12-31\n1;A1;Rektor;2022-06-01;\n"},
			file: "anstallningar.csv", line: 2, column: "Startdatum", sv: "överlappar personens anställning på rad 3"},
		{name: "overlapping a later employment in the organisation", snap: orgWithUnit,
			change: map[string]string{"anstallningar.csv": "Anställningsnummer;Enhet;Befattning;Startdatum\n9;X;Lärare;2026-01-01\n"},
			file:   "anstallningar.csv", line: 2, column: "Startdatum", sv: "överlappar personens anställning från 2027-01-01 tills vidare"},
		{name: "same employment twice", change: map[string]string{"anstallningar.csv": "Anställningsnummer;Enhet;Befattning;Startdatum\n1;E1;Lärare;2020-01-01\n"},
			file: "personal.csv", line: 2, column: "Startdatum", sv: "har redan en anställning som börjar 2020-01-01, på anstallningar.csv rad 2"},
		{name: "unknown role", change: map[string]string{"roller.csv": "Anställningsnummer;Roll;Enhet\n1;HR;\n2;Kung;\n"},
			file: "roller.csv", line: 3, column: "Roll", sv: "Okänd roll \"Kung\""},
		{name: "role holder not in the files", change: map[string]string{"roller.csv": "Anställningsnummer;Roll;Enhet\n1;Växel;\n31;Administratör;\n"},
			file: "roller.csv", line: 3, column: "Anställningsnummer", sv: "ingen person med anställningsnummer 31"},
		{name: "role in an unknown unit", change: map[string]string{"roller.csv": "Anställningsnummer;Roll;Enhet\n1;Chef;Q1\n"},
			file: "roller.csv", line: 2, column: "Enhet", sv: "ingen enhet med koden Q1"},
		{name: "unknown leave", change: map[string]string{"ledigheter.csv": "Anställningsnummer;Typ;Startdatum;Slutdatum\n1;semester;2026-07-01;2026-07-31\n"},
			file: "ledigheter.csv", line: 2, column: "Typ", sv: "Okänd typ av ledighet \"semester\""},
		{name: "unknown site kind", change: map[string]string{"arbetsplatser.csv": "Kod;Namn;Typ;Ort\nHUS;Kommunhuset;slott;Exempelby\n"},
			file: "arbetsplatser.csv", line: 2, column: "Typ", sv: "Okänd typ av arbetsplats"},
		{name: "bad postal code", change: map[string]string{"arbetsplatser.csv": "Kod;Namn;Postnummer;Ort\nHUS;Kommunhuset;1234;Exempelby\n"},
			file: "arbetsplatser.csv", line: 2, column: "Postnummer", sv: "fem siffror"},
		{name: "binary", change: map[string]string{"bild.csv": "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
			file: "bild.csv", sv: "inte en textfil"},
		{name: "mostly not text", change: map[string]string{"skräp.csv": strings.Repeat("\x01\x02\x03abc", 100)},
			file: "skräp.csv", sv: "inte en textfil"},
		{name: "excel workbook", change: map[string]string{"personal.xlsx": "PK\x03\x04\x14\x00\x06\x00"},
			file: "personal.xlsx", sv: "Excel-arbetsbok"},
		{name: "not csv", change: map[string]string{"brev.txt": "Hej!\nHär kommer filen.\n"},
			file: "brev.txt", line: 1, sv: "ser inte ut som en CSV-fil"},
		{name: "unknown columns", change: map[string]string{"data.csv": "Färg;Smak\nröd;söt\n"},
			file: "data.csv", line: 1, sv: "inga kända kolumner"},
		{name: "units or sites", change: map[string]string{"lista.csv": "Kod;Namn\nK1;Något\n"},
			file: "lista.csv", line: 1, sv: "enheter eller arbetsplatser"},
		{name: "empty file", change: map[string]string{"tom.csv": "\r\n\r\n"},
			file: "tom.csv", sv: "Filen är tom"},
		{name: "too many fields", change: map[string]string{"arbetsplatser.csv": "Kod;Namn;Ort\nHUS;Kommunhuset;Exempelby;extra\n"},
			file: "arbetsplatser.csv", line: 2, sv: "Raden har 4 fält men rubrikraden 3"},
		{name: "full export without people", change: map[string]string{"personal.csv": ""},
			opts: distans.ImportOptions{Full: true, EndMissingOn: &today}, sv: "fullständig export måste ha en fil med personer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := base()
			for k, v := range tc.change {
				m[k] = v
			}
			plan, errs, err := Check("org", filesOf(m), tc.snap, tc.opts, today, nil)
			if err != nil {
				t.Fatal(err)
			}
			if plan != nil {
				t.Errorf("a plan despite errors")
			}
			for _, e := range errs {
				if e.File == tc.file && e.Line == tc.line && e.Column == tc.column && strings.Contains(e.Sv, tc.sv) {
					if e.En == "" || e.En == e.Sv {
						t.Errorf("no English message: %+v", e)
					}
					return
				}
			}
			t.Errorf("want an error in %s line %d column %q saying %q; got %+v", tc.file, tc.line, tc.column, tc.sv, errs)
		})
	}
}

// TestAllErrors checks that a check does not stop at the first error.
func TestAllErrors(t *testing.T) {
	t.Parallel()
	m := base()
	m["personal.csv"] = "Anstnr;Namn;E-post;Enhet;Befattning;Startdatum\n" +
		"1;Åsa;asa@x.se;E1;Lärare;igår\n" +
		"2;Bo;bo@;E1;Lärare;2020-01-01\n" +
		"3;Cia;cia@x.se;E9;Lärare;2020-01-01\n"
	_, errs, err := Check("org", filesOf(m), nil, distans.ImportOptions{}, today, nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, e := range errs {
		lines = append(lines, e.Line)
	}
	if !slices.Equal(lines, []int{2, 3, 4}) {
		t.Errorf("error lines %v, want 2, 3, 4: %+v", lines, errs)
	}
}

func TestFullWithoutDate(t *testing.T) {
	t.Parallel()
	_, _, err := Check("org", filesOf(base()), nil, distans.ImportOptions{Full: true}, today, nil)
	if distans.ErrorCode(err) != distans.EINVALID {
		t.Errorf("err = %v, want EINVALID", err)
	}
}

func TestEncodings(t *testing.T) {
	t.Parallel()
	text := "Anställningsnummer;Förnamn;Efternamn;E-post\r\n1;Jörgen;Öberg;jorgen@exempelby.se\r\n2;Åsa;Ängström;asa@exempelby.se\r\n\r\n\r\n"
	latin1, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, content string
	}{
		{"utf-8", text},
		{"utf-8 with BOM", "\xEF\xBB\xBF" + text},
		{"windows-1252", latin1},
		{"utf-16 with BOM", utf16},
		{"comma", strings.ReplaceAll(text, ";", ",")},
		{"tab", strings.ReplaceAll(text, ";", "\t")},
		{"quoted", "\"Anställningsnummer\",\"Förnamn\",\"Efternamn\",\"E-post\"\n\"1\",\"Jörgen\",\"Öberg\",\"jorgen@exempelby.se\"\n" +
			"2,\"Åsa\",\"Ängström\",asa@exempelby.se\n"},
		{"lf only", strings.ReplaceAll(text, "\r\n", "\n")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.name == "windows-1252" && strings.Contains(tc.content, "ö") {
				t.Fatal("the Windows-1252 file is UTF-8")
			}
			plan := mustCheck(t, []distans.ImportFile{{Name: "personal.csv", Content: []byte(tc.content)}}, nil, distans.ImportOptions{})
			var names []string
			for _, p := range plan.CreatePeople {
				names = append(names, p.Name)
			}
			if want := []string{"Jörgen Öberg", "Åsa Ängström"}; !slices.Equal(names, want) {
				t.Errorf("names %q, want %q", names, want)
			}
			if plan.Summary.Rows != 2 {
				t.Errorf("rows = %d, want 2", plan.Summary.Rows)
			}
		})
	}
}

func TestQuotedFields(t *testing.T) {
	t.Parallel()
	content := "Kod,Namn,Typ,Gatuadress,Postnummer,Ort\n" +
		"HUS,\"Kommunhuset, plan 2\",huvudarbetsplats,\"Storgatan 1\",123 45,Exempelby\n" +
		"NY,\"Nya \"\"huset\"\"\nannexet\",satellitkontor,Ågatan 2,123 46,Exempelby\n" +
		"ÖV,Övre,satellitkontor,Ågatan 3,12347,Exempelby\n"
	plan := mustCheck(t, []distans.ImportFile{{Name: "arbetsplatser.csv", Content: []byte(content)}}, nil, distans.ImportOptions{})
	if len(plan.CreateSites) != 3 || plan.CreateSites[0].Name != "Kommunhuset, plan 2" || plan.CreateSites[1].Name != "Nya \"huset\"\nannexet" {
		t.Fatalf("sites %+v", plan.CreateSites)
	}
	// The row after a field spanning two lines starts on line 5.
	bad := strings.Replace(content, "12347", "1234", 1)
	_, errs, _ := Check("org", []distans.ImportFile{{Name: "arbetsplatser.csv", Content: []byte(bad)}}, nil, distans.ImportOptions{}, today, nil)
	if len(errs) != 1 || errs[0].Line != 5 || errs[0].Column != "Postnummer" {
		t.Errorf("errors %+v, want one on line 5, Postnummer", errs)
	}
}

func TestKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, header string
		want         []string
	}{
		{"unit.csv", "Enhetskod;Enhetsnamn;Överordnad enhet;Typ;Chef", []string{"units"}},
		{"x.csv", "unit_code;unit_name;parent", []string{"units"}},
		{"enheter.csv", "Kod;Namn;Typ", []string{"units"}},
		{"sites.csv", "code;name;kind", []string{"sites"}},
		{"x.csv", "Kod;Namn;Gatuadress;Postnummer;Ort", []string{"sites"}},
		{"x.csv", "Anstnr;Namn;E-post;Mobil", []string{"people"}},
		{"x.csv", "Anställningsnummer;Förnamn;Efternamn;E-post;Enhet;Befattning;Arbetsplats;Startdatum;Slutdatum", []string{"people", "employments"}},
		{"x.csv", "Employee number;Unit;Title;Start date;End date", []string{"employments"}},
		{"x.csv", "Enhetskod;Chef", []string{"managers"}},
		{"x.csv", "Enhet;Anställningsnummer", []string{"managers"}},
		{"x.csv", "Anställningsnummer;E-post;Roll;Enhet", []string{"roles"}},
		{"x.csv", "Anstnr;Typ;Från;Till", []string{"leave"}},
		{"x.csv", "employee_number;kind;start;end", []string{"leave"}},
	}
	for _, tc := range tests {
		tab, errs := readTable(distans.ImportFile{Name: tc.name, Content: []byte(tc.header + "\n")}, func() {})
		if len(errs) > 0 {
			t.Errorf("%s %q: %+v", tc.name, tc.header, errs)
			continue
		}
		if got := tab.kindList(); !slices.Equal(got, tc.want) {
			t.Errorf("%s %q read as %v, want %v", tc.name, tc.header, got, tc.want)
		}
	}
}

func TestExamples(t *testing.T) {
	t.Parallel()
	paths, err := filepath.Glob("../../examples/*.csv")
	if err != nil || len(paths) < 7 {
		t.Fatalf("examples: %v %v", paths, err)
	}
	var files []distans.ImportFile
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, distans.ImportFile{Name: filepath.Base(p), Content: b})
	}
	var last [2]int
	plan, errs, err := Check("org", files, nil, distans.ImportOptions{}, today, func(done, total int) { last = [2]int{done, total} })
	if err != nil || len(errs) > 0 {
		t.Fatalf("%v %+v", err, errs)
	}
	s := plan.Summary
	if s.People.Create < 30 || s.Units.Create < 10 || s.Sites.Create < 2 || s.Managers.Create != s.Units.Create ||
		s.Leaves.Create != 1 || s.Roles.Create < 4 || last != [2]int{s.Rows, s.Rows} {
		t.Errorf("summary %+v, last progress %v", s, last)
	}
	roles := map[distans.Role]bool{}
	for _, r := range plan.CreateRoles {
		roles[r.Role] = true
		if r.Source != distans.RoleSourceImport || r.OrganisationID != "org" {
			t.Errorf("role %+v", r)
		}
	}
	for _, r := range []distans.Role{distans.RoleHR, distans.RoleIT, distans.RoleSwitchboard, distans.RoleAdmin} {
		if !roles[r] {
			t.Errorf("the examples grant no %s", r)
		}
	}
	again := mustCheck(t, files, importertest.Apply(nil, plan), distans.ImportOptions{})
	if n := again.Changes(); n != 0 {
		t.Errorf("importing the examples again: %d changes", n)
	}
}

// TestMissingColumnAlone checks that a file that lacks a column gets that
// one error, not another for every row that names its people or units.
func TestMissingColumnAlone(t *testing.T) {
	t.Parallel()
	m := base()
	m["personal.csv"] = "Anställningsnummer;Namn;Telefon;Enhet;Befattning;Startdatum\n1;Åsa;070-1234567;E1;Lärare;2020-01-01\n2;Bo;070-7654321;E1;Lärare;2020-01-01\n"
	m["enheter.csv"] = "Enhetskod;Överordnad enhet;Chef\nF1;;2\nE1;F1;1\n"
	m["roller.csv"] = "Anställningsnummer;Roll;Enhet\n1;HR;E1\n"
	_, errs, err := Check("org", filesOf(m), nil, distans.ImportOptions{}, today, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 2 || errs[0].File != "enheter.csv" || errs[0].Column != "Namn" || errs[1].File != "personal.csv" || errs[1].Column != "E-post" {
		t.Errorf("errors %+v, want one for the units' names and one for the e-mail addresses", errs)
	}
}

// TestNoErrorsFromErrors checks that rows already in error are not
// compared with each other: two unknown people starting the same day are
// two errors, not a third for the same employment twice.
func TestNoErrorsFromErrors(t *testing.T) {
	t.Parallel()
	m := base()
	m["anstallningar.csv"] = "Anställningsnummer;Enhet;Befattning;Startdatum\n404;E1;Lärare;2020-01-01\n405;E1;Lärare;2020-01-01\n"
	_, errs, _ := Check("org", filesOf(m), nil, distans.ImportOptions{}, today, nil)
	if len(errs) != 2 {
		t.Errorf("errors %+v, want two", errs)
	}
}
