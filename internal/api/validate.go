package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/distans/distans"
)

// validate merges the request's own checks, collected in v, with the error
// of a domain Validate method into one EINVALID error; nil when both pass.
func validate(v *distans.Validation, domain error) error {
	var e *distans.Error
	if errors.As(domain, &e) && len(e.Fields) > 0 {
		for _, f := range e.Fields {
			v.Add(f.Field, f.Sv, f.En)
		}
	} else if domain != nil {
		if err := v.Err(); err != nil {
			return err
		}
		return domain
	}
	return v.Err()
}

// query reads the query string with the same validation rules as bodies.
type query struct {
	r *http.Request
	v distans.Validation
}

func newQuery(r *http.Request) *query { return &query{r: r} }

func (q *query) str(name string) string { return strings.TrimSpace(q.r.URL.Query().Get(name)) }

// search reads the search text q under the rule every search follows.
func (q *query) search() string {
	s := q.str("q")
	if err := distans.CheckSearch(s); err != nil {
		for _, f := range err.(*distans.Error).Fields {
			q.v.Add(f.Field, f.Sv, f.En)
		}
	}
	return s
}

// cursor reads a page cursor (after, before) as a list in name order gave
// it in next or prev.
func (q *query) cursor(name string) string {
	s := q.str(name)
	if s == "" {
		return ""
	}
	if _, _, err := distans.ParseCursor(name, s); err != nil {
		for _, f := range err.(*distans.Error).Fields {
			q.v.Add(f.Field, "Ogiltig sidmarkör: använd värdet av next eller prev från föregående svar, eller börja om utan "+name+".",
				"Invalid page cursor: use next or prev from the previous response, or start again without "+name+".")
		}
	}
	return s
}

// noOffset refuses offset past 0 on the lists that page by cursor (issue
// 19): an old client that pages by offset is told how to page instead of
// being given the first page again and again. offset=0 is the first page,
// as it always was.
func (q *query) noOffset() {
	if s := q.str("offset"); s != "" && s != "0" {
		q.v.Add("offset", "offset används inte längre: hämta nästa sida med after= och värdet av next i svaret.",
			"offset is no longer supported: fetch the next page with after= set to next from the response.")
	}
}

func (q *query) boolean(name string) bool {
	s := q.str(name)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		q.v.Add(name, "Ange true eller false.", "Enter true or false.")
	}
	return b
}

// integer reads a whole number in [lo, hi], def when absent.
func (q *query) integer(name string, def, lo, hi int64) int64 {
	s := q.str(name)
	if s == "" {
		return def
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < lo || n > hi {
		q.v.Add(name, "Ange ett heltal mellan "+strconv.FormatInt(lo, 10)+" och "+strconv.FormatInt(hi, 10)+".",
			"Enter a whole number from "+strconv.FormatInt(lo, 10)+" to "+strconv.FormatInt(hi, 10)+".")
		return def
	}
	return n
}

func (q *query) date(name string) Date {
	s := q.str(name)
	if s == "" {
		return Date{}
	}
	d, err := ParseDate(s)
	if err != nil {
		q.v.Add(name, errDateSv, errDateEn)
	}
	return d
}

func (q *query) err() error {
	if err := q.v.Err(); err != nil {
		e := err.(*distans.Error)
		e.Sv = "Frågeparametrarna är inte giltiga."
		e.En = "The query parameters are not valid."
		return e
	}
	return nil
}

// trimmed returns the string of a PATCH field with surrounding space removed.
func trimmed(p *string) string { return strings.TrimSpace(*p) }

// trimmedPtr is an optional field of an update without surrounding
// space: nil when the field was left out.
func trimmedPtr(p *string) *string {
	if p == nil {
		return nil
	}
	s := trimmed(p)
	return &s
}
