package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// personView is a person as every response but the reveal shows them: the
// personal identity number only masked, whatever the service filled in.
func personView(p *distans.Person) *distans.Person {
	c := *p
	if c.PersonalNumber != "" && c.PersonalNumberMasked == "" {
		c.PersonalNumberMasked = distans.MaskPersonalNumber(c.PersonalNumber)
	}
	c.PersonalNumber = ""
	return &c
}

// personPage is the response of GET /people: total counts up to
// distans.CountCap+1 (total_capped: "more than 200"), and next is the
// after= of the following page.
type personPage struct {
	Items       []*distans.Person `json:"items"`
	Total       int               `json:"total"`
	TotalCapped bool              `json:"total_capped"`
	Next        string            `json:"next,omitempty"`
	Prev        string            `json:"prev,omitempty"`
	Limit       int               `json:"limit"`
}

// personCreateRequest is POST /people.
type personCreateRequest struct {
	Name           string `json:"name"`
	Email          string `json:"email"`
	Phone          string `json:"phone"`
	EmployeeNumber string `json:"employee_number"`
	PersonalNumber string `json:"personal_number"`
	Language       string `json:"language"`
}

func (q *personCreateRequest) person() *distans.Person {
	return &distans.Person{
		Name:           strings.TrimSpace(q.Name),
		Email:          strings.TrimSpace(q.Email),
		Phone:          strings.TrimSpace(q.Phone),
		EmployeeNumber: strings.TrimSpace(q.EmployeeNumber),
		PersonalNumber: strings.TrimSpace(q.PersonalNumber),
		Language:       strings.TrimSpace(q.Language),
	}
}

// personUpdateRequest is PATCH /people/{id}: only the fields given change.
// The personal identity number changes only when given; reads never carry
// it. updated_at, when given, is the person's as the client read it: a
// person changed since is a conflict.
type personUpdateRequest struct {
	Name           *string    `json:"name"`
	Email          *string    `json:"email"`
	Phone          *string    `json:"phone"`
	EmployeeNumber *string    `json:"employee_number"`
	PersonalNumber *string    `json:"personal_number"`
	Language       *string    `json:"language"`
	UpdatedAt      *time.Time `json:"updated_at"`
}

func (q *personUpdateRequest) update() distans.PersonUpdate {
	return distans.PersonUpdate{Name: trimmedPtr(q.Name), Email: trimmedPtr(q.Email), Phone: trimmedPtr(q.Phone),
		EmployeeNumber: trimmedPtr(q.EmployeeNumber), PersonalNumber: trimmedPtr(q.PersonalNumber),
		Language: trimmedPtr(q.Language), UpdatedAt: q.UpdatedAt}
}

func (a *API) personList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		f := distans.PersonFilter{
			Query:  q.search(),
			UnitID: q.str("unit_id"),
			After:  q.cursor("after"),
			Before: q.cursor("before"),
			Limit:  int(q.integer("limit", 50, 1, 500)),
		}
		q.noOffset()
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		people, pg, err := a.svc.People.ListPeople(r.Context(), f)
		if err != nil {
			a.error(w, r, err)
			return
		}
		page := personPage{Items: make([]*distans.Person, len(people)), Total: min(pg.Total, distans.CountCap),
			TotalCapped: pg.Capped(), Next: pg.Next, Prev: pg.Prev, Limit: f.Limit}
		for i, p := range people {
			page.Items[i] = personView(p)
		}
		respond(w, http.StatusOK, page)
	})
}

func (a *API) personGet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := a.svc.People.FindPerson(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, personView(p))
	})
}

func (a *API) personCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req personCreateRequest
		if !distans.ActorFrom(r.Context()).ManagesPeopleSomewhere() {
			a.error(w, r, distans.Forbidden())
			return
		}
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		p := req.person()
		if err := validate(&distans.Validation{}, p.Validate()); err != nil {
			a.error(w, r, err)
			return
		}
		if err := a.svc.People.CreatePerson(r.Context(), p); err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusCreated, personView(p))
	})
}

func (a *API) personUpdate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var req personUpdateRequest
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			a.error(w, r, err)
			return
		}
		p, err := a.svc.People.UpdatePerson(ctx, r.PathValue("id"), req.update())
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, personView(p))
	})
}

// revealResponse carries a personal identity number, shown on request only.
type revealResponse struct {
	PersonalNumber string `json:"personal_number"`
}

// personRevealNumber returns the unmasked personal identity number. The
// service decides (Actor.RevealsPersonalNumberOf), as it does for the page,
// and writes the audit event in the same transaction as the read.
func (a *API) personRevealNumber() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		n, err := a.svc.People.RevealPersonalNumber(ctx, r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, revealResponse{PersonalNumber: n})
	})
}
