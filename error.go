package distans

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Each maps to one HTTP status in internal/httpx.
const (
	EINVALID      = "invalid"      // bad input; Fields says which
	ENOTFOUND     = "not_found"    // missing, or outside the caller's organisation or scope
	ECONFLICT     = "conflict"     // a duplicate or a stale write
	EUNAUTHORIZED = "unauthorized" // not signed in, or the credentials are wrong
	EFORBIDDEN    = "forbidden"    // signed in, but the role does not allow it
	ELOCKED       = "locked"       // the account is locked after repeated failures
	ETOOLARGE     = "too_large"    // the request body is larger than any request needs
	EINTERNAL     = "internal"     // everything else: logged, never shown in detail
)

// Error is an error meant for the user: a code, a message in Swedish and in
// English, and per-field messages for forms. Anything that is not an *Error
// is an internal error, logged for the operator and shown as "internt fel".
type Error struct {
	Code   string
	Sv, En string
	Fields []FieldError
}

// FieldError is a validation message for one input field; Field is the JSON
// (snake_case) name, which the HTML forms use as well.
type FieldError struct {
	Field string `json:"field"`
	Sv    string `json:"message_sv"`
	En    string `json:"message_en"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("distans: %s: %s", e.Code, e.En)
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.En
	}
	return fmt.Sprintf("distans: %s: %s (%s)", e.Code, e.En, strings.Join(parts, "; "))
}

// Message returns the message in the language asked for, Swedish by default.
func (e *Error) Message(lang string) string {
	if lang == "en" {
		return e.En
	}
	return e.Sv
}

// Errorf returns an *Error with a Swedish and an English message.
func Errorf(code, sv, en string) *Error { return &Error{Code: code, Sv: sv, En: en} }

// ErrorCode returns the code of err, EINTERNAL for anything not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// NotFound is the error for a record that does not exist or that the caller
// may not see; the two are deliberately indistinguishable.
func NotFound(sv, en string) *Error { return Errorf(ENOTFOUND, sv, en) }

// Forbidden is the error for an action the caller's roles do not allow on a
// record the caller may see.
func Forbidden() *Error {
	return Errorf(EFORBIDDEN, "Du har inte behörighet att göra detta.", "You are not allowed to do this.")
}

// Validation collects field errors; Err returns nil when there are none.
type Validation struct{ fields []FieldError }

// Add records a message for field.
func (v *Validation) Add(field, sv, en string) {
	v.fields = append(v.fields, FieldError{Field: field, Sv: sv, En: en})
}

// Required records a message when value is blank.
func (v *Validation) Required(field, value string) {
	if strings.TrimSpace(value) == "" {
		v.Add(field, "Fältet måste fyllas i.", "This field is required.")
	}
}

// MaxLen records a message when value is longer than n characters.
func (v *Validation) MaxLen(field, value string, n int) {
	if len([]rune(value)) > n {
		v.Add(field, fmt.Sprintf("Högst %d tecken.", n), fmt.Sprintf("At most %d characters.", n))
	}
}

// Err returns the collected errors as one EINVALID *Error, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{
		Code:   EINVALID,
		Sv:     "Uppgifterna är inte giltiga. Rätta de markerade fälten.",
		En:     "The input is not valid. Correct the marked fields.",
		Fields: v.fields,
	}
}
