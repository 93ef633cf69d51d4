package api

import (
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/distans/distans"
)

// csvUpload reads what every CSV import route takes: multipart/form-data
// with the file in "file" and "dry_run" (true: check only, save nothing).
func csvUpload(r *http.Request) (multipart.File, bool, error) {
	var v distans.Validation
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "multipart/form-data" || r.MultipartForm == nil {
		v.Add("file", "Skicka CSV-filen som multipart/form-data i fältet file.", "Send the CSV file as multipart/form-data in the field file.")
		return nil, false, v.Err()
	}
	dry := false
	switch s := strings.ToLower(strings.TrimSpace(r.PostFormValue("dry_run"))); s {
	case "", "0", "false", "off":
	case "1", "true", "on":
		dry = true
	default:
		v.Add("dry_run", "Ange true eller false.", "Give true or false.")
	}
	fhs := r.MultipartForm.File["file"]
	if len(fhs) == 0 || fhs[0].Size == 0 {
		v.Add("file", "Bifoga CSV-filen i fältet file.", "Attach the CSV file in the field file.")
	}
	if err := v.Err(); err != nil {
		return nil, false, err
	}
	f, err := fhs[0].Open()
	return f, dry, err
}

// importStatus is an import's answer: 422 when any row is refused (and
// then nothing is saved), else 200.
func importStatus(errs []distans.ImportRowError) int {
	if len(errs) > 0 {
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}
