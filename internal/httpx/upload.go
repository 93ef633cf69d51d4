package httpx

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// ImportForm reads an import's upload, as the page's form and the API's
// multipart/form-data send it alike: the files of the field "files", the
// box "full" ("1", "true", "on") and the day "end_missing_on"
// (YYYY-MM-DD). CheckInput has parsed the body under the upload limit,
// with the files past the first MiB in temporary files; each file is read
// into memory once here. A file control left empty sends a part without a
// name, which is no file.
func ImportForm(r *http.Request) ([]distans.ImportFile, distans.ImportOptions, error) {
	var opts distans.ImportOptions
	var v distans.Validation
	switch s := strings.TrimSpace(r.PostFormValue("full")); strings.ToLower(s) {
	case "", "0", "false", "off":
	case "1", "true", "on":
		opts.Full = true
	default:
		v.Add("full", "Ange true eller false.", "Give true or false.")
	}
	if s := strings.TrimSpace(r.PostFormValue("end_missing_on")); s != "" && opts.Full {
		day, err := time.Parse(time.DateOnly, s)
		if err != nil {
			v.Add("end_missing_on", "Ange ett datum som 2026-11-22.", "Enter a date such as 2026-11-22.")
		} else {
			opts.EndMissingOn = &day
		}
	}
	if err := v.Err(); err != nil {
		return nil, opts, err
	}
	if r.MultipartForm == nil {
		return nil, opts, nil
	}
	var files []distans.ImportFile
	var total int64
	for _, fh := range r.MultipartForm.File["files"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		if total += fh.Size; total > distans.MaxImportBytes {
			return nil, opts, distans.ErrImportTooLarge()
		}
		content, err := readPart(fh)
		if err != nil {
			return nil, opts, err
		}
		files = append(files, distans.ImportFile{Name: fh.Filename, Content: content})
	}
	return files, opts, nil
}

func readPart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", strconv.Quote(fh.Filename), err)
	}
	defer f.Close()
	b := make([]byte, fh.Size)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, fmt.Errorf("upload %s: %w", strconv.Quote(fh.Filename), err)
	}
	return b, nil
}
