package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"

	"github.com/distans/distans"
)

// CSVFile is one CSV file read the importer's way, for other imports (the
// equipment registry's): its header as written and its data rows, each
// with the line it starts on (the header is line 1). Blank rows are left
// out.
type CSVFile struct {
	Header []string
	Rows   []CSVRow
}

// CSVRow is one data row and the line it starts on.
type CSVRow struct {
	Line   int
	Fields []string
}

// ReadCSV reads a file as the importer reads its own: UTF-8 with or
// without a BOM, UTF-16 with a BOM, or Windows-1252; semicolon, tab or
// comma as the header line says; lazy quotes. A file that cannot be read
// at all, or whose header has fewer than two columns, gives errors and no
// file; a line that breaks the CSV quoting ends the reading with an error
// for it, and the rows before it are returned.
func ReadCSV(name string, content []byte) (*CSVFile, []distans.ImportRowError) {
	text, bad := decode(name, content)
	if bad != nil {
		return nil, []distans.ImportRowError{*bad}
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = separator(text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	f := &CSVFile{}
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
			errs = append(errs, distans.ImportRowError{File: name, Line: line,
				Sv: "Raden kan inte läsas som CSV (kontrollera citattecknen); resten av filen är inte läst.",
				En: "The line cannot be read as CSV (check the quotes); the rest of the file was not read."})
			break
		}
		line, _ := r.FieldPos(0)
		if f.Header == nil {
			if len(rec) < 2 {
				return nil, []distans.ImportRowError{{File: name, Line: line,
					Sv: "Filen ser inte ut som en CSV-fil: rubrikraden ska ha kolumner åtskilda med semikolon, komma eller tabb.",
					En: "The file does not look like a CSV file: the header line should have columns separated by semicolons, commas or tabs."}}
			}
			f.Header = rec
			continue
		}
		if blank(rec) {
			continue
		}
		f.Rows = append(f.Rows, CSVRow{Line: line, Fields: rec})
	}
	if f.Header == nil {
		return nil, []distans.ImportRowError{{File: name, Sv: "Filen är tom.", En: "The file is empty."}}
	}
	return f, errs
}

// FoldHeader is how the importer compares headers: lower case, å ä ö and
// other accents folded to their letters, and everything but letters and
// digits left out ("Inköpsdatum" and "inkops-datum" are both
// "inkopsdatum").
func FoldHeader(s string) string { return fold(s) }
