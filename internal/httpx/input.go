package httpx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/distans/distans"
)

// ErrorFunc answers a request that the middleware refuses before any
// handler sees it: with a page on the pages, with JSON under /api.
type ErrorFunc func(w http.ResponseWriter, r *http.Request, err error)

// CheckInput refuses, before any handler or database sees it, text that no
// field of Distans can hold: a NUL character or bytes that are not UTF-8,
// in the path, the query, a form or a JSON body. PostgreSQL refuses such
// text with an error (which was a 500), SQLite stores it, so without this
// the two databases answered differently. It also bounds every body at
// MaxBodyBytes (uploads at UploadBodyBytes) and answers a larger one 413,
// before reading it when its length is declared; a form is parsed here,
// once, for the CSRF check and the handler after it.
func CheckInput(fail ErrorFunc) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			err := checkRequest(w, r)
			if r.MultipartForm != nil {
				defer r.MultipartForm.RemoveAll()
			}
			if err != nil {
				fail(w, r, err)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func checkRequest(w http.ResponseWriter, r *http.Request) error {
	if !CleanText(r.URL.Path) {
		return errBadText("")
	}
	// Parsed as url.Values does, so that what is checked is what a
	// handler reads.
	query, _ := url.ParseQuery(r.URL.RawQuery)
	if err := checkValues(query); err != nil {
		return err
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	limit := bodyLimit(r)
	if r.ContentLength > limit {
		return refuseLarge(r, limit)
	}
	if limit > MaxBodyBytes {
		// An upload of 256 MiB takes minutes on a slow line, longer than
		// the server's read timeout allows any other request; and the
		// write timeout runs from the request's headers, so the answer
		// after such an upload needs as long.
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Now().Add(UploadReadTime))
		_ = rc.SetWriteDeadline(time.Now().Add(UploadReadTime + time.Minute))
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded", "multipart/form-data":
		var err error
		if ct == "multipart/form-data" {
			// Files past the first MiB go to temporary files, which
			// CheckInput removes once the handler is done.
			err = r.ParseMultipartForm(MaxBodyBytes)
		} else {
			err = r.ParseForm()
		}
		if tooLarge(err) {
			return refuseLarge(r, limit)
		}
		if err := checkValues(r.PostForm); err != nil {
			return err
		}
		if r.MultipartForm != nil {
			for name, files := range r.MultipartForm.File {
				for _, f := range files {
					if !CleanText(name) || !CleanText(f.Filename) {
						return errBadText("")
					}
				}
			}
		}
		return nil
	default:
		// JSON, or anything else a handler will refuse itself: read it
		// whole (it is bounded) and hand the handler the same bytes.
		b, err := io.ReadAll(r.Body)
		if tooLarge(err) {
			return errTooLarge()
		} else if err != nil {
			return distans.Errorf(distans.EINVALID, "Innehållet kunde inte läsas.", "The body could not be read.")
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 || jsonHasNUL(b) {
			return errBadText("")
		}
		return nil
	}
}

func checkValues(vs url.Values) error {
	for k, list := range vs {
		if !CleanText(k) {
			return errBadText("")
		}
		for _, v := range list {
			if !CleanText(v) {
				return errBadText(k)
			}
		}
	}
	return nil
}

// CleanText reports whether s is text that every database stores alike:
// valid UTF-8 without NUL characters.
func CleanText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// jsonHasNUL reports whether a JSON text holds the escape \u0000 in a
// string, which decodes to NUL. Outside strings JSON has no backslashes,
// and inside them a backslash escapes the next character, so counting
// backslashes finds exactly the escapes that are one.
func jsonHasNUL(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		if i+1 < len(b) && b[i+1] == 'u' && i+5 < len(b) && string(b[i+2:i+6]) == "0000" {
			return true
		}
		i++ // the escaped character, whatever it is
	}
	return false
}

func tooLarge(err error) bool {
	var e *http.MaxBytesError
	return errors.As(err, &e)
}

// uploadRoutes take the files of an import (POST): they may send up to
// UploadBodyBytes, and only someone who may import (Actor.Imports), so
// that nobody else can make the server spool hundreds of megabytes to
// disk. This is the one place where a route gets more than MaxBodyBytes.
var uploadRoutes = map[string]bool{"/imports": true, "/api/v1/imports": true}

// UploadBodyBytes bounds the body of an upload: the files of one import
// and a MiB for the form's other fields and the multipart headers.
const UploadBodyBytes = distans.MaxImportBytes + 1<<20

// UploadReadTime is how long an upload may take to arrive: 256 MiB at
// 5 Mbit/s.
const UploadReadTime = 10 * time.Minute

// EvidenceBodyBytes bounds the body of a loss procedure's step, which may
// carry the police report's copy (distans.MaxAttachment) and a MiB for
// the form's other fields.
const EvidenceBodyBytes = distans.MaxAttachment + 1<<20

// bodyLimit is the largest body r may send.
func bodyLimit(r *http.Request) int64 {
	switch a := distans.ActorFrom(r.Context()); {
	case isUpload(r) && a.Imports():
		return UploadBodyBytes
	case isEvidence(r) && a != nil:
		return EvidenceBodyBytes
	case isCertificate(r) && a != nil:
		return CertificateBodyBytes
	}
	return MaxBodyBytes
}

// isEvidence reports whether r records a step of a loss report, on the
// page or in the API: POST /equipment/losses/{id}/steps. Anyone signed in
// may send that much; the store decides whether they may record the step.
func isEvidence(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	rest, ok := strings.CutPrefix(strings.TrimPrefix(r.URL.Path, "/api/v1"), "/equipment/losses/")
	id, ok2 := strings.CutSuffix(rest, "/steps")
	return ok && ok2 && id != "" && !strings.Contains(id, "/")
}

// CertificateBodyBytes bounds the body of a training completion, which
// may carry its certificate (distans.MaxAttachment): as a file on the page,
// or base64 in the API's JSON, which is a third larger; and a MiB for the
// other fields.
const CertificateBodyBytes = distans.MaxAttachment/3*4 + 4 + 1<<20

// isCertificate reports whether r records a training completion, on the
// page (Utbildning, or the coverage page for someone else) or in the API.
// Anyone signed in may send that much; the store decides whether they may
// record it.
func isCertificate(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	switch r.URL.Path {
	case "/training/completions", "/training/coverage", "/api/v1/training/completions":
		return true
	}
	return false
}

func isUpload(r *http.Request) bool { return r.Method == http.MethodPost && uploadRoutes[r.URL.Path] }

// refuseLarge is the answer to a body over limit. On an upload route
// whose sender may not upload, the reason is who they are, not the size:
// a session that ended, nobody signed in, or no permission to import.
func refuseLarge(r *http.Request, limit int64) error {
	if isUpload(r) && limit == MaxBodyBytes {
		a := distans.ActorFrom(r.Context())
		switch {
		case a == nil && hasSessionCookie(r):
			return ErrSessionEnded
		case a == nil:
			return unauthorized()
		}
		return distans.Forbidden()
	}
	switch limit {
	case UploadBodyBytes:
		return distans.ErrImportTooLarge()
	case EvidenceBodyBytes:
		return distans.Errorf(distans.ETOOLARGE,
			fmt.Sprintf("Filen är för stor: högst %d MiB tas emot.", distans.MaxAttachment>>20),
			fmt.Sprintf("The file is too large: at most %d MiB is accepted.", distans.MaxAttachment>>20))
	}
	return errTooLarge()
}

func hasSessionCookie(r *http.Request) bool {
	c, err := r.Cookie(SessionCookie)
	return err == nil && c.Value != ""
}

func errTooLarge() error {
	return distans.Errorf(distans.ETOOLARGE,
		"Det du skickade är för stort: högst 1 MiB (1 048 576 byte) tas emot. Korta texten och försök igen.",
		"What you sent is too large: at most 1 MiB (1,048,576 bytes) is accepted. Shorten the text and try again.")
}

// errBadText is the refusal of text with a NUL or invalid UTF-8; field
// names where it was found, when that name is itself readable.
func errBadText(field string) error {
	e := distans.Errorf(distans.EINVALID,
		"Det du skickade innehåller ett tecken som inte är tillåtet: ett NUL-tecken eller text som inte är giltig UTF-8. Ta bort tecknet och försök igen.",
		"What you sent contains a character that is not allowed: a NUL character or text that is not valid UTF-8. Remove it and try again.")
	if field != "" {
		e.Fields = []distans.FieldError{{Field: field, Sv: "Innehåller ett tecken som inte är tillåtet.", En: "Contains a character that is not allowed."}}
	}
	return e
}
