package scimhttp

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/distans/distans"
)

// SCIM error types (RFC 7644 §3.12) this endpoint answers with.
const (
	invalidFilter = "invalidFilter"
	invalidSyntax = "invalidSyntax"
	invalidPath   = "invalidPath"
	invalidValue  = "invalidValue"
	uniqueness    = "uniqueness"
	mutability    = "mutability"
	noTarget      = "noTarget"
)

// scimError is a refusal in SCIM's terms: an HTTP status, a scimType and
// a detail that says what to change. Identity systems show detail to the
// administrator who reads the provisioning log, in English.
type scimError struct {
	status   int
	scimType string
	detail   string
}

func (e *scimError) Error() string { return e.detail }

func badRequest(scimType, detail string) error {
	return &scimError{status: http.StatusBadRequest, scimType: scimType, detail: detail}
}

// errorBody is the SCIM error document. Status is a string, as RFC 7644
// §3.12 says.
type errorBody struct {
	Schemas  []string `json:"schemas"`
	Status   string   `json:"status"`
	ScimType string   `json:"scimType,omitempty"`
	Detail   string   `json:"detail"`
}

// writeError answers err in the SCIM error format. Errors of the service
// are mapped by code; anything unknown is an internal error, logged for the
// operator and told to the client without detail.
func writeError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	var se *scimError
	if !errors.As(err, &se) {
		se = fromDomain(r, logger, err)
	}
	if se.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="distans-scim"`)
	}
	writeSCIM(w, se.status, errorBody{
		Schemas: []string{schemaError}, Status: strconv.Itoa(se.status), ScimType: se.scimType, Detail: se.detail,
	})
}

func fromDomain(r *http.Request, logger *slog.Logger, err error) *scimError {
	var e *distans.Error
	if !errors.As(err, &e) || e.Code == distans.EINTERNAL {
		if logger == nil {
			logger = slog.Default()
		}
		logger.ErrorContext(r.Context(), "scim: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		return &scimError{status: http.StatusInternalServerError, detail: "An internal error occurred; the change was not saved. Try again."}
	}
	detail := e.En
	if len(e.Fields) > 0 {
		parts := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			parts[i] = f.Field + ": " + f.En
		}
		detail += " (" + strings.Join(parts, "; ") + ")"
	}
	switch e.Code {
	case distans.ENOTFOUND:
		return &scimError{status: http.StatusNotFound, detail: detail}
	case distans.ECONFLICT:
		return &scimError{status: http.StatusConflict, scimType: uniqueness, detail: detail}
	case distans.EINVALID:
		return &scimError{status: http.StatusBadRequest, scimType: invalidValue, detail: detail}
	case distans.EUNAUTHORIZED:
		return &scimError{status: http.StatusUnauthorized, detail: detail}
	case distans.EFORBIDDEN:
		return &scimError{status: http.StatusForbidden, detail: detail}
	case distans.ETOOLARGE:
		return &scimError{status: http.StatusRequestEntityTooLarge, detail: detail}
	default:
		return &scimError{status: http.StatusInternalServerError, detail: "An internal error occurred; the change was not saved. Try again."}
	}
}
