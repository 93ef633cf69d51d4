package equipment

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/importer"
)

// maxImport bounds the file an import reads: half a million items in a
// CSV are some 50 MB, more than one organisation registers at once.
const maxImport = 64 << 20

// importName is the file's name in row errors.
const importName = "utrustning.csv"

// column is one meaning a column of an items file can have.
type column int

const (
	colCategory column = iota
	colModel
	colSerial
	colAssetTag
	colNumber
	colUnit
	colPurchased
	colNote
	numColumns
)

// columns name each column in messages (Swedish header, English words)
// and list the headers that mean it, folded (importer.FoldHeader).
var columns = [numColumns]struct {
	sv, en  string
	headers []string
}{
	colCategory:  {"Typ", "category", []string{"typ", "kategori", "category", "type", "utrustningstyp"}},
	colModel:     {"Modell", "model", []string{"modell", "model"}},
	colSerial:    {"Serienummer", "serial", []string{"serienummer", "serienr", "serial", "serialnumber", "imei"}},
	colAssetTag:  {"Inventarienummer", "asset tag", []string{"inventarienummer", "inventarienr", "assettag", "asset"}},
	colNumber:    {"Nummer", "phone number", []string{"nummer", "telefonnummer", "mobilnummer", "phonenumber", "number", "msisdn"}},
	colUnit:      {"Enhet", "unit", []string{"enhet", "enhetsid", "enhetskod", "unit", "unitid", "unitcode"}},
	colPurchased: {"Inköpsdatum", "purchased on", []string{"inkopsdatum", "inkopt", "purchasedon", "purchasedate", "purchased"}},
	colNote:      {"Anteckning", "note", []string{"anteckning", "kommentar", "note", "notes", "comment"}},
}

// categoryWords are the values a category column may hold, folded: the
// registry's own names and the Swedish words for them.
var categoryWords = map[string]distans.EquipmentCategory{
	"computer": distans.EquipmentComputer, "dator": distans.EquipmentComputer, "barbardator": distans.EquipmentComputer,
	"laptop": distans.EquipmentComputer,
	"phone":  distans.EquipmentPhone, "mobiltelefon": distans.EquipmentPhone, "telefon": distans.EquipmentPhone,
	"mobil": distans.EquipmentPhone, "mobilephone": distans.EquipmentPhone,
	"sim": distans.EquipmentSIM, "simkort": distans.EquipmentSIM, "simcard": distans.EquipmentSIM,
	"tablet": distans.EquipmentTablet, "surfplatta": distans.EquipmentTablet, "lasplatta": distans.EquipmentTablet,
	"usbmemory": distans.EquipmentUSBMemory, "usbminne": distans.EquipmentUSBMemory, "usb": distans.EquipmentUSBMemory,
	"headset": distans.EquipmentHeadset, "horlurar": distans.EquipmentHeadset,
	"screen": distans.EquipmentScreen, "skarm": distans.EquipmentScreen, "bildskarm": distans.EquipmentScreen,
	"monitor":         distans.EquipmentScreen,
	"mobilebroadband": distans.EquipmentMobileBroadband, "mobiltbredband": distans.EquipmentMobileBroadband,
	"other": distans.EquipmentOther, "ovrigt": distans.EquipmentOther, "annat": distans.EquipmentOther,
}

// itemFields are the item's fields as the store names them in its
// errors ("items[3].asset_tag"), and the column of each.
var itemFields = map[string]column{
	"category": colCategory, "model_id": colModel, "serial": colSerial, "asset_tag": colAssetTag,
	"phone_number": colNumber, "in_phone_id": colNumber, "unit_id": colUnit, "purchased_on": colPurchased,
	"note": colNote, "status": colCategory,
}

// ImportItems reads a CSV file of items the importer's way (UTF-8 with or
// without a BOM, UTF-16, Windows-1252; semicolon, tab or comma; Swedish or
// English headers: Typ/category, Modell/model, Serienummer/serial (IMEI),
// Inventarienummer/asset_tag, Nummer/phone_number, Enhet/unit (name, code
// or ID), Inköpsdatum/purchased_on, Anteckning/note) and registers every
// item in one transaction, unless dryRun. Any bad row — here or as the
// store finds it (a unit outside IT's scope, an asset tag already used) —
// is a row error in Swedish and English naming its line and column, and
// then nothing is saved. The errors are the result's, not an error: an
// error is returned only when the import could not be tried at all.
func (s *Service) ImportItems(ctx context.Context, r io.Reader, dryRun bool) (*distans.EquipmentImport, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if actor.EquipmentScope().None() {
		return nil, distans.Errorf(distans.EFORBIDDEN, "Bara IT kan registrera utrustning.", "Only IT can register equipment.")
	}
	data, err := io.ReadAll(io.LimitReader(r, maxImport+1))
	if err != nil {
		return nil, err
	}
	out := &distans.EquipmentImport{DryRun: dryRun, Errors: []distans.ImportRowError{}}
	if len(data) > maxImport {
		out.Errors = append(out.Errors, distans.ImportRowError{File: importName,
			Sv: fmt.Sprintf("Filen är för stor (högst %d MB).", maxImport>>20), En: fmt.Sprintf("The file is too large (at most %d MB).", maxImport>>20)})
		return out, nil
	}
	file, errs := importer.ReadCSV(importName, data)
	out.Errors = append(out.Errors, errs...)
	if file == nil {
		return out, nil
	}
	p := &parse{file: file, col: [numColumns]int{}}
	p.columns()
	out.Errors = append(out.Errors, p.missing()...)
	if len(out.Errors) > 0 {
		return out, nil
	}
	models, err := s.store.ListEquipmentModels(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.units.ListUnits(ctx, distans.UnitFilter{})
	if err != nil {
		return nil, err
	}
	items, lines, rowErrs := p.items(models, units)
	out.Rows = len(items) + len(p.bad)
	out.Errors = append(out.Errors, rowErrs...)
	if len(out.Errors) > 0 || dryRun {
		return out, nil
	}
	if err := s.store.CreateEquipmentItems(ctx, items); err != nil {
		e, ok := err.(*distans.Error)
		if !ok || e.Code != distans.EINVALID {
			return nil, err
		}
		out.Errors = append(out.Errors, p.storeErrors(e, lines)...)
		return out, nil
	}
	out.Created = len(items)
	return out, nil
}

// parse is one items file as read.
type parse struct {
	file *importer.CSVFile
	col  [numColumns]int // index in a row, -1 when the file has no such column
	bad  map[int]bool    // rows with an error
}

func (p *parse) columns() {
	for i := range p.col {
		p.col[i] = -1
	}
	for i, h := range p.file.Header {
		f := importer.FoldHeader(h)
		for c, info := range columns {
			for _, name := range info.headers {
				if f == name && p.col[c] < 0 {
					p.col[c] = i
				}
			}
		}
	}
}

// missing reports the columns every file needs: the category, the unit,
// and a serial number or an asset tag.
func (p *parse) missing() []distans.ImportRowError {
	var errs []distans.ImportRowError
	for _, c := range []column{colCategory, colUnit} {
		if p.col[c] < 0 {
			errs = append(errs, distans.ImportRowError{File: importName, Line: 1, Column: columns[c].sv,
				Sv: fmt.Sprintf("Kolumnen %s saknas; den behövs i en fil med utrustning.", columns[c].sv),
				En: fmt.Sprintf("The column %s (%s) is missing; a file of equipment needs it.", columns[c].sv, columns[c].en)})
		}
	}
	if p.col[colSerial] < 0 && p.col[colAssetTag] < 0 {
		errs = append(errs, distans.ImportRowError{File: importName, Line: 1, Column: columns[colSerial].sv,
			Sv: "Kolumnen Serienummer (eller Inventarienummer) saknas; den behövs i en fil med utrustning.",
			En: "The column Serienummer (serial, or asset tag) is missing; a file of equipment needs it."})
	}
	return errs
}

// column names c's column for a message: the header as the file wrote it,
// or the documented Swedish name.
func (p *parse) column(c column) string {
	if i := p.col[c]; i >= 0 {
		return strings.TrimSpace(p.file.Header[i])
	}
	return columns[c].sv
}

func (p *parse) get(r importer.CSVRow, c column) string {
	i := p.col[c]
	if i < 0 || i >= len(r.Fields) {
		return ""
	}
	return strings.TrimSpace(r.Fields[i])
}

// items turns the rows into items, resolving the model and the unit by
// name, and reports each bad value; lines[i] is items[i]'s line.
func (p *parse) items(models []*distans.EquipmentModel, units []*distans.Unit) ([]*distans.EquipmentItem, []int, []distans.ImportRowError) {
	p.bad = map[int]bool{}
	var (
		items []*distans.EquipmentItem
		lines []int
		errs  []distans.ImportRowError
	)
	seen := map[string]int{} // "column\x00folded value" -> first line
	for _, r := range p.file.Rows {
		fail := func(c column, sv, en string) {
			p.bad[r.Line] = true
			errs = append(errs, distans.ImportRowError{File: importName, Line: r.Line, Column: p.column(c),
				Sv: fmt.Sprintf("Rad %d, kolumnen %s: %s", r.Line, p.column(c), sv),
				En: fmt.Sprintf("Line %d, column %s: %s", r.Line, p.column(c), en)})
		}
		if len(r.Fields) > len(p.file.Header) {
			p.bad[r.Line] = true
			errs = append(errs, distans.ImportRowError{File: importName, Line: r.Line,
				Sv: fmt.Sprintf("Rad %d har %d fält men rubrikraden %d kolumner.", r.Line, len(r.Fields), len(p.file.Header)),
				En: fmt.Sprintf("Line %d has %d fields but the header %d columns.", r.Line, len(r.Fields), len(p.file.Header))})
		}
		it := &distans.EquipmentItem{Serial: p.get(r, colSerial), AssetTag: p.get(r, colAssetTag),
			PhoneNumber: p.get(r, colNumber), Note: p.get(r, colNote)}
		raw := p.get(r, colCategory)
		if c, ok := categoryWords[importer.FoldHeader(raw)]; ok {
			it.Category = c
		} else {
			fail(colCategory, fmt.Sprintf("okänd typ %q. Ange dator, mobiltelefon, SIM-kort, surfplatta, USB-minne, headset, bildskärm, mobilt bredband eller övrigt.", raw),
				fmt.Sprintf("unknown category %q. Give computer, phone, sim, tablet, usb_memory, headset, screen, mobile_broadband or other.", raw))
		}
		if name := p.get(r, colModel); name != "" && it.Category != "" {
			if m, sv, en := findModel(models, it.Category, name); m != nil {
				it.ModelID, it.ModelName = m.ID, m.Name
			} else {
				fail(colModel, sv, en)
			}
		}
		if ref := p.get(r, colUnit); ref == "" {
			fail(colUnit, "ange den enhet som äger utrustningen.", "give the unit that owns the item.")
		} else if u, sv, en := findUnit(units, ref); u != nil {
			it.UnitID, it.UnitName = u.ID, u.Name
		} else {
			fail(colUnit, sv, en)
		}
		if s := p.get(r, colPurchased); s != "" {
			d, err := time.Parse(time.DateOnly, s)
			if err != nil {
				fail(colPurchased, fmt.Sprintf("%q är inget datum; ange ÅÅÅÅ-MM-DD.", s), fmt.Sprintf("%q is not a date; give YYYY-MM-DD.", s))
			} else {
				it.PurchasedOn = &d
			}
		}
		if it.Category != "" && it.UnitID != "" {
			if err := it.Validate(); err != nil {
				if e, ok := err.(*distans.Error); ok {
					for _, fe := range e.Fields {
						fail(itemFields[fe.Field], lowerFirst(fe.Sv), lowerFirst(fe.En))
					}
				}
			}
		}
		for _, c := range []column{colSerial, colAssetTag, colNumber} {
			v := p.get(r, c)
			if v == "" {
				continue
			}
			key := strconv.Itoa(int(c)) + "\x00" + importer.FoldHeader(v)
			if first, dup := seen[key]; dup {
				fail(c, fmt.Sprintf("%q finns redan på rad %d.", v, first), fmt.Sprintf("%q is already on line %d.", v, first))
			} else {
				seen[key] = r.Line
			}
		}
		if !p.bad[r.Line] {
			items = append(items, it)
			lines = append(lines, r.Line)
		}
	}
	if len(p.file.Rows) == 0 {
		errs = append(errs, distans.ImportRowError{File: importName, Sv: "Filen har inga rader med utrustning.",
			En: "The file has no rows of equipment."})
	}
	return items, lines, errs
}

// storeErrors turns the store's "items[i].field" errors into row errors.
func (p *parse) storeErrors(e *distans.Error, lines []int) []distans.ImportRowError {
	var out []distans.ImportRowError
	for _, fe := range e.Fields {
		line, field := 0, fe.Field
		var i int
		var rest string
		if n, _ := fmt.Sscanf(fe.Field, "items[%d].%s", &i, &rest); n == 2 && i >= 0 && i < len(lines) {
			line, field = lines[i], rest
		}
		c, ok := itemFields[field]
		col := ""
		if ok {
			col = p.column(c)
		}
		re := distans.ImportRowError{File: importName, Line: line, Column: col, Sv: fe.Sv, En: fe.En}
		if line > 0 && col != "" {
			re.Sv = fmt.Sprintf("Rad %d, kolumnen %s: %s", line, col, lowerFirst(fe.Sv))
			re.En = fmt.Sprintf("Line %d, column %s: %s", line, col, lowerFirst(fe.En))
		}
		out = append(out, re)
	}
	if len(out) == 0 {
		out = append(out, distans.ImportRowError{File: importName, Sv: e.Sv, En: e.En})
	}
	return out
}

// findModel finds the organisation's model of the category by name,
// letters compared as the importer compares headers; a retired model is
// not offered for new items.
func findModel(models []*distans.EquipmentModel, c distans.EquipmentCategory, name string) (*distans.EquipmentModel, string, string) {
	want := importer.FoldHeader(name)
	for _, m := range models {
		if m.Category == c && importer.FoldHeader(m.Name) == want {
			if m.Retired {
				return nil, fmt.Sprintf("modellen %q är utgången och kan inte användas för ny utrustning.", name),
					fmt.Sprintf("the model %q is retired and cannot be used for new items.", name)
			}
			return m, "", ""
		}
	}
	return nil, fmt.Sprintf("modellen %q finns inte bland organisationens modeller av den typen.", name),
		fmt.Sprintf("the model %q is not among the organisation's models of that category.", name)
}

// findUnit finds a unit by ID, code or name (letters compared as headers
// are); a name that two units share must be given as code or ID.
func findUnit(units []*distans.Unit, ref string) (*distans.Unit, string, string) {
	for _, u := range units {
		if u.ID == ref || u.Code != "" && strings.EqualFold(u.Code, ref) {
			return u, "", ""
		}
	}
	want := importer.FoldHeader(ref)
	var found *distans.Unit
	for _, u := range units {
		if importer.FoldHeader(u.Name) == want {
			if found != nil {
				return nil, fmt.Sprintf("flera enheter heter %q; ange enhetens kod eller id.", ref),
					fmt.Sprintf("several units are called %q; give the unit's code or ID.", ref)
			}
			found = u
		}
	}
	if found == nil {
		return nil, fmt.Sprintf("enheten %q finns inte.", ref), fmt.Sprintf("the unit %q does not exist.", ref)
	}
	return found, "", ""
}

func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}
