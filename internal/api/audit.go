package api

import (
	"math"
	"net/http"

	"github.com/distans/distans"
)

// auditPage is the response of GET /audit-events, newest first.
// NextBeforeSeq, when set, is the before_seq that fetches the next page.
type auditPage struct {
	Items         []*distans.AuditEvent `json:"items"`
	NextBeforeSeq int64                 `json:"next_before_seq,omitempty"`
}

// auditList reads the audit trail (PermViewAudit). The query parameters are
// the fields of distans.AuditFilter: actor_id, action (a prefix),
// record_type, record_id, from and to (days in UTC, both inclusive), q,
// before_seq and limit.
func (a *API) auditList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		q := newQuery(r)
		f := distans.AuditFilter{
			ActorID:    q.str("actor_id"),
			Action:     q.str("action"),
			RecordType: q.str("record_type"),
			RecordID:   q.str("record_id"),
			Query:      q.search(),
			BeforeSeq:  q.integer("before_seq", 0, 0, math.MaxInt64),
			Limit:      int(q.integer("limit", 100, 1, 1000)),
		}
		from, to := q.date("from"), q.date("to")
		f.From = from.Time()
		if !to.IsZero() {
			f.To = to.Time().AddDate(0, 0, 1) // the store's To is exclusive
		}
		if !from.IsZero() && !to.IsZero() && to.Time().Before(from.Time()) {
			q.v.Add("to", "Slutdatum kan inte vara före startdatum.", "The end date cannot be before the start date.")
		}
		if err := q.err(); err != nil {
			a.error(w, r, err)
			return
		}
		if !distans.ActorFrom(ctx).SeesAudit() {
			a.error(w, r, distans.Forbidden())
			return
		}
		events, err := a.svc.Audit.ListAuditEvents(ctx, f)
		if err != nil {
			a.error(w, r, err)
			return
		}
		page := auditPage{Items: events}
		if page.Items == nil {
			page.Items = []*distans.AuditEvent{}
		}
		if n := len(events); n == f.Limit && n > 0 && events[n-1].Seq > 1 {
			page.NextBeforeSeq = events[n-1].Seq
		}
		respond(w, http.StatusOK, page)
	})
}
