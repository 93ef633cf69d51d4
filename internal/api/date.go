package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"github.com/distans/distans"
)

// Date is a calendar day written "YYYY-MM-DD" in JSON and query strings,
// kept as midnight UTC, which is how the stores keep days.
//
// Decoding never fails on a string: a string that is not a date is kept as
// invalid and reported by check with the field's name and a Swedish message,
// together with the request's other validation errors. A JSON value that is
// not a string or null is a type error. Present says whether the field
// appeared at all, even as null, which PATCH requests need to tell "leave
// as is" from "clear".
type Date struct {
	t       time.Time
	present bool
	invalid bool
}

// NewDate returns the day of t (in t's location) as a Date.
func NewDate(t time.Time) Date {
	y, m, d := t.Date()
	return Date{t: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), present: true}
}

// ParseDate parses "YYYY-MM-DD"; the error is an EINVALID *distans.Error in
// Swedish and English.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{present: true, invalid: true}, distans.Errorf(distans.EINVALID, errDateSv, errDateEn)
	}
	return Date{t: t, present: true}, nil
}

const (
	errDateSv = "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2025-03-31."
	errDateEn = "Enter the date as YYYY-MM-DD, for example 2025-03-31."
)

// Time returns the day as midnight UTC; the zero time when the date is unset.
func (d Date) Time() time.Time { return d.t }

// IsZero reports whether no valid date is set.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Present reports whether the field appeared in the request, even as null.
func (d Date) Present() bool { return d.present }

// Ptr returns the day as a *time.Time, nil when unset.
func (d Date) Ptr() *time.Time {
	if d.t.IsZero() {
		return nil
	}
	t := d.t
	return &t
}

func (d Date) String() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// MarshalJSON writes "YYYY-MM-DD", or null when unset.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads null or a string; see the type's comment.
func (d *Date) UnmarshalJSON(b []byte) error {
	*d = Date{present: true}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &json.UnmarshalTypeError{Value: "non-string", Type: reflect.TypeFor[Date]()}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		d.invalid = true
		return nil
	}
	d.t = t
	return nil
}

// check adds a message for field to v when the date was given but is not a
// date, or when it is required and missing.
func (d Date) check(v *distans.Validation, field string, required bool) {
	switch {
	case d.invalid:
		v.Add(field, errDateSv, errDateEn)
	case required && d.t.IsZero():
		v.Add(field, "Ange ett datum (ÅÅÅÅ-MM-DD).", "Enter a date (YYYY-MM-DD).")
	}
}

// datePtr is the JSON form of an optional day in responses.
func datePtr(t *time.Time) *Date {
	if t == nil {
		return nil
	}
	d := NewDate(*t)
	return &d
}
