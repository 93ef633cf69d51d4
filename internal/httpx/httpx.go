// Package httpx holds what the HTML pages and the JSON API share: decoding
// and size limits, the mapping of domain errors to statuses and messages,
// the user's language, authentication of sessions and API tokens, CSRF
// protection, and the middleware for logging, metrics and panics.
package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/distans/distans"
)

// MaxBodyBytes bounds every request body; nothing in Distans needs more.
const MaxBodyBytes = 1 << 20

// Status returns the HTTP status for a domain error code.
func Status(code string) int {
	switch code {
	case distans.EINVALID:
		return http.StatusUnprocessableEntity
	case distans.ENOTFOUND:
		return http.StatusNotFound
	case distans.ECONFLICT:
		return http.StatusConflict
	case distans.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case distans.EFORBIDDEN:
		return http.StatusForbidden
	case distans.ELOCKED:
		return http.StatusLocked
	case distans.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	default:
		return http.StatusInternalServerError
	}
}

// UserError returns err as the *distans.Error a user may see: the error
// itself when it is one, otherwise a generic internal error, after logging
// the real one for the operator.
func UserError(r *http.Request, logger *slog.Logger, err error) *distans.Error {
	var e *distans.Error
	if errors.As(err, &e) && e.Code != distans.EINTERNAL {
		return e
	}
	if logger == nil {
		logger = slog.Default()
	}
	if ctxErr := r.Context().Err(); ctxErr != nil {
		// The client went away (or its deadline passed) and the work was
		// cut short for that reason: nothing is wrong on our side, and an
		// ERROR line here would wake an operator for nothing.
		logger.InfoContext(r.Context(), "request ended by the client", "method", r.Method, "path", r.URL.Path, "reason", ctxErr, "err", err)
	} else {
		logger.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return distans.Errorf(distans.EINTERNAL,
		"Ett internt fel inträffade. Försök igen; kvarstår felet, kontakta IT-support.",
		"An internal error occurred. Try again; if it persists, contact IT support.")
}

// ErrorBody is the JSON shape of every API error.
type ErrorBody struct {
	Error struct {
		Code      string               `json:"code"`
		Message   string               `json:"message"`
		MessageEN string               `json:"message_en"`
		Fields    []distans.FieldError `json:"fields,omitempty"`
	} `json:"error"`
}

// WriteError writes err as JSON with the status its code maps to; the
// message is in the request's language with English always beside it.
func WriteError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	e := UserError(r, logger, err)
	var body ErrorBody
	body.Error.Code = e.Code
	body.Error.Message = e.Message(Lang(r))
	body.Error.MessageEN = e.En
	body.Error.Fields = e.Fields
	WriteJSON(w, Status(e.Code), body)
}

// WriteJSON writes v as compact JSON with status. Indenting a site's
// availability took longer than encoding it; jq or a browser indents.
// The body is encoded whole before anything is sent, so it goes out with
// its length instead of in chunks, and a value that cannot be encoded is a
// 500 instead of a cut-off body.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer putJSONBuffer(buf)
	buf.Reset()
	if err := json.NewEncoder(buf).Encode(v); err != nil {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	sendJSON(w, status, buf.Bytes())
}

// WriteAppendedJSON writes with status the JSON that appendJSON appends,
// for answers read too often to encode by reflection; like WriteJSON's, it
// ends with a newline.
func WriteAppendedJSON(w http.ResponseWriter, status int, appendJSON func([]byte) []byte) {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer putJSONBuffer(buf)
	buf.Reset()
	b := append(appendJSON(buf.AvailableBuffer()), '\n')
	buf.Write(b) // keeps the grown buffer for the next answer
	sendJSON(w, status, b)
}

func sendJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putJSONBuffer keeps buf for the next response unless an unusually large
// one grew it: a pooled buffer keeps its size, and every later answer would
// hold that much memory.
func putJSONBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 1<<20 {
		jsonBuffers.Put(buf)
	}
}

// DecodeJSON reads one JSON object into v: at most MaxBodyBytes, no unknown
// fields, nothing after the object. Every failure is an EINVALID error a
// person can act on.
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return distans.Errorf(distans.EINVALID, "Innehållet måste vara JSON (Content-Type: application/json).", "The body must be JSON (Content-Type: application/json).")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return distans.Errorf(distans.EINVALID, "Innehållet får bara vara ett JSON-objekt.", "The body must hold a single JSON object.")
	}
	return nil
}

func decodeError(err error) error {
	var (
		syntax   *json.SyntaxError
		typeErr  *json.UnmarshalTypeError
		tooLarge *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooLarge):
		return errTooLarge()
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return distans.Errorf(distans.EINVALID, "Innehållet är inte giltig JSON.", "The body is not valid JSON.")
	case errors.Is(err, io.EOF):
		return distans.Errorf(distans.EINVALID, "Innehållet saknas.", "The body is empty.")
	case errors.As(err, &typeErr):
		sv, en := kindOf(typeErr.Type)
		e := distans.Errorf(distans.EINVALID, "Fältet har fel typ.", "A field has the wrong type.")
		e.Fields = []distans.FieldError{{Field: typeErr.Field, Sv: "Fel typ: här ska det stå " + sv + ".", En: "Wrong type: this must be " + en + "."}}
		return e
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		e := distans.Errorf(distans.EINVALID, "Okänt fält: "+name+".", "Unknown field: "+name+".")
		e.Fields = []distans.FieldError{{Field: name, Sv: "Okänt fält.", En: "Unknown field."}}
		return e
	default:
		return distans.Errorf(distans.EINVALID, "Innehållet kunde inte läsas.", "The body could not be read.")
	}
}

// kindOf names in words what a JSON value of Go type t looks like: the
// people who read the message write JSON, not Go.
func kindOf(t reflect.Type) (sv, en string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeFor[time.Time]():
		return "en tidpunkt (som 2026-11-22T08:00:00+01:00)", "a time (like 2026-11-22T08:00:00+01:00)"
	case t == reflect.TypeFor[json.RawMessage]():
		return "ett JSON-värde", "a JSON value"
	}
	switch t.Kind() {
	case reflect.String:
		return "en text", "a text"
	case reflect.Bool:
		return "true eller false", "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "ett heltal", "a whole number"
	case reflect.Float32, reflect.Float64:
		return "ett tal", "a number"
	case reflect.Slice, reflect.Array:
		sv, en := kindOf(t.Elem())
		return "en lista där varje post är " + sv, "a list where each item is " + en
	case reflect.Map, reflect.Struct:
		return "ett objekt ({…})", "an object ({…})"
	default:
		return "ett annat slags värde", "a different kind of value"
	}
}

// Lang returns the user's language: the lang cookie, else the signed-in
// person's choice (set on the request by Authenticate), else Swedish.
// English is chosen from Accept-Language only when it prefers English over
// Swedish, since Swedish comes first in a Swedish public service.
func Lang(r *http.Request) string {
	if c, err := r.Cookie(LangCookie); err == nil && (c.Value == "sv" || c.Value == "en") {
		return c.Value
	}
	if l, ok := r.Context().Value(langKey{}).(string); ok && l != "" {
		return l
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "sv"):
			return "sv"
		case strings.HasPrefix(tag, "en"):
			return "en"
		}
	}
	return "sv"
}

// LangCookie holds a language the user picked on a page.
const LangCookie = "distans_lang"

type langKey struct{}

// Client is where r came from, for the sign-in log: the address of the
// connection without its port (a reverse proxy's, when Distans is behind
// one; forwarded headers are not trusted, as any client can send them)
// and the User-Agent header.
func Client(r *http.Request) distans.Client {
	addr := r.RemoteAddr
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	return distans.Client{Address: addr, UserAgent: r.UserAgent()}
}
