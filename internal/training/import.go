package training

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

// maxImport bounds the file an import reads: a row is some 60 bytes, so
// this holds several completions for every person of the largest
// organisation.
const maxImport = 32 << 20

// importName is the file's name in row errors.
const importName = "utbildning.csv"

type column int

const (
	colNumber column = iota
	colEmail
	colCourse
	colDate
	numColumns
)

// columns name each column in messages and list the headers that mean
// it, folded (importer.FoldHeader).
var columns = [numColumns]struct {
	sv, en  string
	headers []string
}{
	colNumber: {"Anställningsnummer", "employee number", []string{"anstallningsnummer", "anstnr", "employeenumber", "employeeno", "employeeid"}},
	colEmail:  {"E-post", "email", []string{"epost", "email", "mail", "epostadress"}},
	colCourse: {"Kurs", "course", []string{"kurs", "course", "kursid", "courseid"}},
	colDate:   {"Datum", "date", []string{"datum", "date", "genomford", "completedon", "completed"}},
}

// ImportCompletions reads a CSV of past completions the importer's way
// (encodings and separators as ImportItems; headers Anställningsnummer or
// E-post, Kurs, Datum in Swedish or English) and records them in one
// transaction unless dryRun. A bad row — a person not found, a course not
// in the catalogue, a date not a date, or one the store refuses — is a row
// error naming its line and column, and then nothing is recorded.
func (s *Service) ImportCompletions(ctx context.Context, r io.Reader, dryRun bool) (*distans.TrainingImport, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !a.ImportsTraining() {
		return nil, distans.Errorf(distans.EFORBIDDEN, "Bara HR kan importera genomförda utbildningar.", "Only HR can import completed courses.")
	}
	data, err := io.ReadAll(io.LimitReader(r, maxImport+1))
	if err != nil {
		return nil, err
	}
	out := &distans.TrainingImport{DryRun: dryRun, Errors: []distans.ImportRowError{}}
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
	col := [numColumns]int{-1, -1, -1, -1}
	for i, h := range file.Header {
		f := importer.FoldHeader(h)
		for c, info := range columns {
			for _, name := range info.headers {
				if f == name && col[c] < 0 {
					col[c] = i
				}
			}
		}
	}
	missing := func(c column) {
		out.Errors = append(out.Errors, distans.ImportRowError{File: importName, Line: 1, Column: columns[c].sv,
			Sv: fmt.Sprintf("Kolumnen %s saknas; den behövs i en fil med genomförda utbildningar.", columns[c].sv),
			En: fmt.Sprintf("The column %s (%s) is missing; a file of completed courses needs it.", columns[c].sv, columns[c].en)})
	}
	if col[colNumber] < 0 && col[colEmail] < 0 {
		missing(colNumber)
	}
	for _, c := range []column{colCourse, colDate} {
		if col[c] < 0 {
			missing(c)
		}
	}
	if len(out.Errors) > 0 {
		return out, nil
	}
	pack, _, err := s.packs.Active(ctx)
	if err != nil {
		return nil, err
	}
	get := func(r importer.CSVRow, c column) string {
		if i := col[c]; i >= 0 && i < len(r.Fields) {
			return strings.TrimSpace(r.Fields[i])
		}
		return ""
	}
	name := func(c column) string {
		if i := col[c]; i >= 0 {
			return strings.TrimSpace(file.Header[i])
		}
		return columns[c].sv
	}
	var numbers, emails []string
	for _, row := range file.Rows {
		if n := get(row, colNumber); n != "" {
			numbers = append(numbers, n)
		} else if e := get(row, colEmail); e != "" {
			emails = append(emails, e)
		}
	}
	people, err := s.store.TrainingImportPeople(ctx, numbers, emails)
	if err != nil {
		return nil, err
	}
	var (
		cs    []*distans.TrainingCompletion
		lines []int
	)
	for _, row := range file.Rows {
		bad := false
		fail := func(c column, sv, en string) {
			bad = true
			out.Errors = append(out.Errors, distans.ImportRowError{File: importName, Line: row.Line, Column: name(c),
				Sv: fmt.Sprintf("Rad %d, kolumnen %s: %s", row.Line, name(c), sv),
				En: fmt.Sprintf("Line %d, column %s: %s", row.Line, name(c), en)})
		}
		c := &distans.TrainingCompletion{Source: distans.CompletionImport}
		number, email := get(row, colNumber), get(row, colEmail)
		switch {
		case number != "":
			id := people["n:"+number]
			if id == "" {
				fail(colNumber, fmt.Sprintf("ingen person har anställningsnummer %q.", number), fmt.Sprintf("no person has employee number %q.", number))
			}
			c.PersonID = id
		case email != "":
			id := people["e:"+distans.NormalizeEmail(email)]
			if id == "" {
				fail(colEmail, fmt.Sprintf("ingen person har e-postadressen %q.", email), fmt.Sprintf("no person has the e-mail address %q.", email))
			}
			c.PersonID = id
		default:
			fail(colNumber, "ange personens anställningsnummer eller e-postadress.", "give the person's employee number or e-mail address.")
		}
		if c.CourseID = get(row, colCourse); c.CourseID == "" {
			fail(colCourse, "ange kursens id.", "give the course's id.")
		} else if _, ok := pack.Course(c.CourseID); !ok {
			fail(colCourse, fmt.Sprintf("kursen %q finns inte i kurskatalogen.", c.CourseID), fmt.Sprintf("the course %q is not in the catalogue.", c.CourseID))
		}
		if d, err := time.Parse(time.DateOnly, get(row, colDate)); err != nil {
			fail(colDate, fmt.Sprintf("%q är inget datum; ange ÅÅÅÅ-MM-DD.", get(row, colDate)), fmt.Sprintf("%q is not a date; give YYYY-MM-DD.", get(row, colDate)))
		} else {
			c.CompletedOn = d
		}
		out.Rows++
		if !bad {
			cs = append(cs, c)
			lines = append(lines, row.Line)
		}
	}
	if len(out.Errors) > 0 || len(cs) == 0 {
		return out, nil
	}
	// A dry run asks the store the same questions as the import, so that
	// what it passes, the import records.
	record := s.store.CreateTrainingCompletions
	if dryRun {
		record = s.store.CheckTrainingCompletions
	}
	if err := record(ctx, cs); err != nil {
		e, ok := err.(*distans.Error)
		if !ok || e.Code != distans.EINVALID {
			return nil, err
		}
		out.Errors = append(out.Errors, storeErrors(e, lines, name)...)
		return out, nil
	}
	if !dryRun {
		out.Recorded = len(cs)
	}
	return out, nil
}

// storeErrors turns the store's field errors ("rows[3].completed_on", or
// "completed_on" for a single row) into row errors on the file's lines.
func storeErrors(e *distans.Error, lines []int, name func(column) string) []distans.ImportRowError {
	var out []distans.ImportRowError
	for _, f := range e.Fields {
		i, field := 0, f.Field
		if rest, ok := strings.CutPrefix(f.Field, "rows["); ok {
			n, after, _ := strings.Cut(rest, "].")
			i, _ = strconv.Atoi(n)
			field = after
		}
		line := 0
		if i >= 0 && i < len(lines) {
			line = lines[i]
		}
		c := colDate
		switch field {
		case "person_id":
			c = colNumber
		case "course_id":
			c = colCourse
		}
		out = append(out, distans.ImportRowError{File: importName, Line: line, Column: name(c),
			Sv: fmt.Sprintf("Rad %d, kolumnen %s: %s", line, name(c), f.Sv),
			En: fmt.Sprintf("Line %d, column %s: %s", line, name(c), f.En)})
	}
	if len(out) == 0 {
		out = append(out, distans.ImportRowError{File: importName, Sv: e.Sv, En: e.En})
	}
	return out
}
