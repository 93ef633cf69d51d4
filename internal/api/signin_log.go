package api

import (
	"net/http"

	"github.com/distans/distans"
)

// signInPage is the response of GET /signin-events, newest first. Next,
// when set, is the after that fetches the next page.
type signInPage struct {
	Items []*distans.SignInEvent `json:"items"`
	Next  string                 `json:"next,omitempty"`
}

// signInList reads the sign-in log: the organisation's for those who see
// the audit trail, one's own (person_id set to oneself) for everyone. The
// query parameters are person_id, outcome (success, failure), from and to
// (days in UTC, both inclusive), after and limit.
func (a *API) signInList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		f := distans.SignInFilter{
			PersonID: q.str("person_id"),
			Outcome:  distans.SignInOutcome(q.str("outcome")),
			After:    q.str("after"),
			Limit:    int(q.integer("limit", 100, 1, 1000)),
		}
		if f.Outcome != "" && !f.Outcome.Valid() {
			q.v.Add("outcome", "Ange success eller failure.", "Enter success or failure.")
		}
		from, to := q.date("from"), q.date("to")
		f.From = from.Time()
		if !to.IsZero() {
			f.To = to.Time().AddDate(0, 0, 1)
		}
		if !from.IsZero() && !to.IsZero() && to.Time().Before(from.Time()) {
			q.v.Add("to", "Slutdatum kan inte vara före startdatum.", "The end date cannot be before the start date.")
		}
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		events, next, err := a.svc.SignIns.ListSignInEvents(r.Context(), f)
		if err != nil {
			a.error(w, r, err)
			return
		}
		respond(w, http.StatusOK, signInPage{Items: events, Next: next})
	})
}
