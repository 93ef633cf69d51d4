package report

import (
	"io"
	"time"

	"github.com/distans/distans"
)

// DetailFile is a distans.DetailWriter that begins its file only when the
// service gives it the first columns, calling Start then, so that a
// refusal before any record (EFORBIDDEN, ENOTFOUND) can still be answered
// as an error and not as an empty file. Format is CSV or XLSX.
type DetailFile struct {
	W       io.Writer
	Format  distans.ReportFormat
	Heading []Line
	Options Options
	// Start is called once, before the first byte: the place to set a
	// response's headers.
	Start func()

	started bool
	d       interface {
		distans.DetailWriter
		Close() error
	}
}

// Started reports whether the file has begun.
func (f *DetailFile) Started() bool { return f.started }

// Columns implements distans.DetailWriter.
func (f *DetailFile) Columns(cols []distans.ReportNote) error {
	if !f.started {
		f.started = true
		if f.Start != nil {
			f.Start()
		}
		var err error
		if f.Format == distans.ReportXLSX {
			f.d, err = NewXLSXDetails(f.W, f.Heading, f.Options)
		} else {
			f.d, err = NewCSVDetails(f.W, f.Heading, f.Options)
		}
		if err != nil {
			return err
		}
	}
	return f.d.Columns(cols)
}

// Row implements distans.DetailWriter.
func (f *DetailFile) Row(values []string) error {
	if f.d == nil {
		return f.Columns(nil)
	}
	return f.d.Row(values)
}

// Close ends the file; one the service never began is begun empty, with
// its heading, so that an empty result is a file that says so.
func (f *DetailFile) Close() error {
	if !f.started {
		if err := f.Columns(nil); err != nil {
			return err
		}
	}
	return f.d.Close()
}

// Zone is the time zone o prints in.
func (o Options) Zone() *time.Location { return o.loc() }

// DetailFilename is the name of a detail export made at.
func DetailFilename(kind distans.ReportKind, f distans.ReportFormat, at time.Time, o Options) string {
	return "underlag-" + string(kind) + "-" + at.In(o.loc()).Format(time.DateOnly) + "." + string(f)
}
