package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/distans/distans"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// table is one file as read: its header, where each field's column is,
// its data rows and what it is read as.
type table struct {
	name   string
	header []string
	col    [numFields]int // index in a row, -1 when the file has no such column
	rows   []row
	kinds  [numKinds]bool
	unread [numKinds]bool // kinds it is for but cannot be read as, for want of a column
}

// row is one data row and the line it starts on (the header is line 1).
type row struct {
	line   int
	fields []string
}

// has reports whether the file has a column for f.
func (t *table) has(f field) bool { return t.col[f] >= 0 }

// get returns r's value for f, trimmed; "" when the file has no such column.
func (t *table) get(r row, f field) string {
	i := t.col[f]
	if i < 0 || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// column names f's column for a message: the header as the file wrote it,
// or the documented Swedish name when the file has none.
func (t *table) column(f field) string {
	if i := t.col[f]; i >= 0 {
		return t.header[i]
	}
	return fieldInfo[f].sv
}

// kindList is t's kinds by name, for the summary.
func (t *table) kindList() []string {
	var out []string
	for k, ok := range t.kinds {
		if ok {
			out = append(out, kindNames[k])
		}
	}
	return out
}

// decode turns a file's bytes into UTF-8 text: a BOM is dropped, valid
// UTF-8 is taken as it is and anything else is read as Windows-1252, what
// Excel and older HR systems write on Swedish Windows. UTF-16 with a BOM
// (Excel's "Unicode text") is read too, since telling an administrator that
// such a file is binary would be wrong. A file that is not text gets one
// error saying so.
func decode(name string, b []byte) ([]byte, *distans.ImportRowError) {
	fail := func(sv, en string) *distans.ImportRowError {
		return &distans.ImportRowError{File: name, Sv: sv, En: en}
	}
	switch {
	case len(bytes.TrimSpace(b)) == 0:
		return nil, fail("Filen är tom.", "The file is empty.")
	case bytes.HasPrefix(b, []byte("PK\x03\x04")), bytes.HasPrefix(b, []byte("\xD0\xCF\x11\xE0")):
		return nil, fail("Filen är en Excel-arbetsbok, inte en CSV-fil. Spara den som CSV (semikolonavgränsad) och ladda upp den igen.",
			"The file is an Excel workbook, not a CSV file. Save it as CSV (semicolon separated) and upload it again.")
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil {
			return nil, fail("Filen kan inte läsas som text.", "The file cannot be read as text.")
		}
		b = out
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	if bytes.IndexByte(b, 0) >= 0 || !looksLikeText(b) {
		return nil, fail("Filen är inte en textfil (CSV) utan binär. Spara den som CSV och ladda upp den igen.",
			"The file is binary, not a text (CSV) file. Save it as CSV and upload it again.")
	}
	if utf8.Valid(b) {
		return b, nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return nil, fail("Filen kan inte läsas som text.", "The file cannot be read as text.")
	}
	return out, nil
}

// looksLikeText reports whether the start of b has almost no control
// characters other than tab, line feed, carriage return and form feed: a
// text file has none, random bytes one in eight.
func looksLikeText(b []byte) bool {
	if len(b) > 64<<10 {
		b = b[:64<<10]
	}
	bad := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7F {
			bad++
		}
	}
	return bad*50 <= len(b)
}

// separator picks the field separator from the header line: whichever of
// semicolon, tab and comma it has most of (Swedish exports use semicolons,
// since the comma is the decimal sign).
func separator(text []byte) rune {
	line := text
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	best, n := ';', bytes.Count(line, []byte{';'})
	if c := bytes.Count(line, []byte{'\t'}); c > n {
		best, n = '\t', c
	}
	if c := bytes.Count(line, []byte{','}); c > n {
		best = ','
	}
	return best
}

// readTable reads one file. done is called after every row read. A file
// that cannot be read at all gives one error and no table.
func readTable(f distans.ImportFile, done func()) (*table, []distans.ImportRowError) {
	text, bad := decode(f.Name, f.Content)
	if bad != nil {
		return nil, []distans.ImportRowError{*bad}
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = separator(text)
	r.FieldsPerRecord = -1
	// Names like Anna "Ankan" Berg are common and unquoted in exports.
	r.LazyQuotes = true
	t := &table{name: f.Name}
	for i := range t.col {
		t.col[i] = -1
	}
	var errs []distans.ImportRowError
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			// Past a broken quote the rest of the file cannot be trusted.
			errs = append(errs, distans.ImportRowError{File: f.Name, Line: line,
				Sv: "Raden kan inte läsas som CSV (kontrollera citattecknen); resten av filen är inte läst.",
				En: "The line cannot be read as CSV (check the quotes); the rest of the file was not read."})
			break
		}
		line, _ := r.FieldPos(0)
		if t.header == nil {
			t.header = rec
			if len(rec) < 2 {
				return nil, []distans.ImportRowError{{File: f.Name, Line: line,
					Sv: "Filen ser inte ut som en CSV-fil: rubrikraden ska ha kolumner åtskilda med semikolon, komma eller tabb.",
					En: "The file does not look like a CSV file: the header line should have columns separated by semicolons, commas or tabs."}}
			}
			for i, h := range rec {
				if fl, ok := headerField[fold(h)]; ok && t.col[fl] < 0 {
					t.col[fl] = i
				}
				t.header[i] = strings.TrimSpace(h)
			}
			continue
		}
		if blank(rec) {
			continue
		}
		if len(rec) > len(t.header) && !blank(rec[len(t.header):]) {
			errs = append(errs, distans.ImportRowError{File: f.Name, Line: line,
				Sv: fmt.Sprintf("Raden har %d fält men rubrikraden %d kolumner.", len(rec), len(t.header)),
				En: fmt.Sprintf("The line has %d fields but the header %d columns.", len(rec), len(t.header))})
		}
		t.rows = append(t.rows, row{line: line, fields: rec})
		done()
	}
	if t.header == nil {
		return nil, []distans.ImportRowError{{File: f.Name, Sv: "Filen är tom.", En: "The file is empty."}}
	}
	if e := t.detectKinds(); e != nil {
		return nil, append(errs, *e)
	}
	return t, errs
}

func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// detectKinds decides what t's rows are from its columns; the file name
// only breaks a tie between units and sites (a file with just a code and a
// name) or names the kind of a file whose columns say nothing, so that its
// missing columns can be reported.
func (t *table) detectKinds() *distans.ImportRowError {
	has := t.has
	hint, hinted := nameHint(t.name)
	roles := has(fRole)
	leave := !roles && has(fKind) && has(fStart) && !has(fUnit) && !has(fSite) && !has(fTitle)
	employments := !roles && !leave && (has(fTitle) || (has(fUnit) || has(fSite)) && (has(fStart) || has(fEnd)))
	people := !roles && !leave && (has(fEmail) || has(fFirstName) || has(fLastName) || has(fPNR) || has(fPhone) || has(fLanguage))
	t.kinds[kRoles], t.kinds[kLeave], t.kinds[kEmployments], t.kinds[kPeople] = roles, leave, employments, people
	if roles || leave || employments || people {
		return nil
	}
	coded := has(fCode) || has(fUnit) || has(fSite)
	named := has(fName) || has(fUnitName) || has(fSiteName) || has(fCode) && (has(fUnit) || has(fSite))
	// A parent or an address says units or sites even without a name
	// column, which is then reported missing.
	units := coded && (has(fParent) || has(fUnitName) || named && (has(fManager) || has(fCode) && has(fUnit)))
	sites := coded && (has(fStreet) || has(fPostal) || has(fCity) || has(fSiteName) || named && has(fCode) && has(fSite))
	if units == sites && coded && named && hinted && (hint == kUnits || hint == kSites) {
		units, sites = hint == kUnits, hint == kSites
	}
	switch {
	case units && sites:
		return t.undecided("Filen har kolumner både för enheter och för arbetsplatser.",
			"The file has columns for both units and sites.")
	case units:
		t.kinds[kUnits] = true
	case sites:
		t.kinds[kSites] = true
	case (has(fUnit) || has(fCode)) && (has(fManager) || has(fEmpNo)):
		t.kinds[kManagers] = true
	case coded && named && !hinted:
		return t.undecided("Det går inte att avgöra om filen innehåller enheter eller arbetsplatser: lägg till kolumnen Överordnad enhet eller Gatuadress, eller döp filen till enheter.csv eller arbetsplatser.csv.",
			"Cannot tell whether the file holds units or sites: add the column Överordnad enhet (parent) or Gatuadress (street), or name the file units.csv or sites.csv.")
	case hinted:
		// The columns say nothing, the name does: read it as that, and
		// the missing columns are reported.
		t.kinds[hint] = true
	default:
		return t.undecided("Det går inte att avgöra vad filen innehåller: inga kända kolumner.",
			"Cannot tell what the file holds: no known columns.")
	}
	return nil
}

func (t *table) undecided(sv, en string) *distans.ImportRowError {
	return &distans.ImportRowError{File: t.name, Line: 1,
		Sv: sv + " Kolumnerna som kan användas beskrivs i examples/README.md.",
		En: en + " The columns that can be used are described in examples/README.md."}
}

// required lists the columns each kind cannot do without; alternatives
// are any of a group. The first of a group names it in the message.
var required = [numKinds][][]field{
	kUnits:       {{fCode, fUnit}, {fName, fUnitName}},
	kSites:       {{fCode, fSite}, {fName, fSiteName}},
	kPeople:      {{fName, fFirstName}, {fEmail}},
	kEmployments: {{fEmpNo, fEmail}, {fUnit}, {fTitle}, {fStart}},
	kManagers:    {{fUnit, fCode}, {fManager, fEmpNo}},
	kRoles:       {{fEmpNo, fEmail}, {fRole}},
	kLeave:       {{fEmpNo, fEmail}, {fKind}, {fStart}},
}

// missingColumns reports each required column t lacks for the kinds it is
// read as, and stops reading it as those kinds.
func (t *table) missingColumns() []distans.ImportRowError {
	var errs []distans.ImportRowError
	for i, on := range t.kinds {
		k := kind(i)
		if !on {
			continue
		}
		for _, group := range required[k] {
			found := false
			for _, f := range group {
				found = found || t.has(f)
			}
			switch {
			case k == kPeople && group[0] == fName:
				found = t.has(fName) || t.has(fFirstName) && t.has(fLastName)
			case k == kUnits && group[0] == fName:
				found = found || t.has(fCode) && t.has(fUnit) // "Kod;Enhet": the unit column is the name
			case k == kSites && group[0] == fName:
				found = found || t.has(fCode) && t.has(fSite)
			}
			if !found {
				info := fieldInfo[group[0]]
				sv := fmt.Sprintf("Kolumnen %s saknas; den behövs i en fil med %s.", info.sv, kindWords[k])
				en := fmt.Sprintf("The column %s (%s) is missing; a file of %s needs it.", info.sv, info.en, kindNames[k])
				if len(group) > 1 {
					alt := fieldInfo[group[1]]
					sv = fmt.Sprintf("Kolumnen %s (eller %s) saknas; den behövs i en fil med %s.", info.sv, alt.sv, kindWords[k])
					en = fmt.Sprintf("The column %s (%s, or %s) is missing; a file of %s needs it.", info.sv, info.en, alt.en, kindNames[k])
				}
				errs = append(errs, distans.ImportRowError{File: t.name, Line: 1, Column: info.sv, Sv: sv, En: en})
				t.kinds[k], t.unread[k] = false, true
			}
		}
	}
	return errs
}
