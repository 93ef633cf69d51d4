package api

import (
	"net/http"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// registerJSON is one entry of the register (diarium) as the API shows
// it: the registration instant in the organisation's time zone and its
// day, the subject in Swedish and English, and where the case lives.
type registerJSON struct {
	Number       string                      `json:"number"`
	Kind         distans.RegisterKind        `json:"kind"`
	RecordID     string                      `json:"record_id"`
	RegisteredAt time.Time                   `json:"registered_at"`
	Date         Date                        `json:"date"`
	Subject      string                      `json:"subject"`
	SubjectEn    string                      `json:"subject_en"`
	IncidentKind distans.IncidentKind        `json:"incident_kind,omitempty"`
	LossKind     distans.LossKind            `json:"loss_kind,omitempty"`
	Items        []distans.EquipmentCategory `json:"items,omitempty"`
	Party        string                      `json:"party,omitempty"`
	Secret       bool                        `json:"secret"`
	SecretParts  []string                    `json:"secret_parts,omitempty"`
	State        string                      `json:"state"`
	Link         string                      `json:"link"`
}

func registerView(e *distans.RegisterEntry, loc *time.Location) registerJSON {
	return registerJSON{Number: e.Number, Kind: e.Kind, RecordID: e.RecordID, RegisteredAt: e.RegisteredAt.In(loc),
		Date: NewDate(e.Date(loc)), Subject: e.Subject("sv"), SubjectEn: e.Subject("en"), IncidentKind: e.IncidentKind,
		LossKind: e.LossKind, Items: e.Items, Party: e.Party, Secret: e.Secret, SecretParts: e.SecretParts, State: e.State,
		Link: e.Path()}
}

type registerPage struct {
	Items     []registerJSON `json:"items"`
	NextAfter string         `json:"next_after,omitempty"`
}

// registerFilter reads the register's filters: q, kind, from, to.
func registerFilter(r *http.Request) (distans.RegisterFilter, error) {
	q := newQuery(r)
	f := distans.RegisterFilter{Query: q.search(), Kind: distans.RegisterKind(q.str("kind")), From: q.date("from").Time(),
		To: q.date("to").Time()}
	if err := q.err(); err != nil {
		return f, err
	}
	return f, f.Validate()
}

// registerService is the register, or a 404 where it is not served.
func (a *API) registerService(w http.ResponseWriter, r *http.Request) distans.RegisterService {
	if a.svc.Register == nil {
		a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
		return nil
	}
	return a.svc.Register
}

// registerList is GET /records/register: a page of the register, newest
// first, for those who keep it.
func (a *API) registerList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.registerService(w, r)
		if svc == nil {
			return
		}
		f, err := registerFilter(r)
		q := newQuery(r)
		f.After, f.Limit = q.str("after"), int(q.integer("limit", distans.DefaultRegisterPage, 1, distans.MaxRegisterPage))
		if err == nil {
			err = q.err()
		}
		if err != nil {
			a.error(w, r, err)
			return
		}
		entries, err := svc.ListRegister(r.Context(), f)
		if err != nil {
			a.error(w, r, err)
			return
		}
		loc, err := a.orgLocation(r.Context())
		if err != nil {
			a.error(w, r, err)
			return
		}
		page := registerPage{Items: make([]registerJSON, 0, len(entries))}
		for _, e := range entries {
			page.Items = append(page.Items, registerView(e, loc))
		}
		if len(entries) == f.Limit {
			page.NextAfter = entries[len(entries)-1].Cursor()
		}
		respond(w, http.StatusOK, page)
	})
}

// registerCSV is GET /records/register.csv: the export, the same file the
// page gives (distans.WriteRegisterCSV).
func (a *API) registerCSV() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.registerService(w, r)
		if svc == nil {
			return
		}
		f, err := registerFilter(r)
		if err != nil {
			a.error(w, r, err)
			return
		}
		ctx := r.Context()
		entries, more, err := svc.ExportRegister(ctx, f)
		if err != nil {
			a.error(w, r, err)
			return
		}
		org, err := a.svc.Organisations.FindOrganisationByID(ctx, distans.ActorFrom(ctx).OrganisationID)
		if err != nil {
			a.error(w, r, err)
			return
		}
		now := distans.NowFrom(ctx)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="diarium-`+org.Slug+`-`+now.In(org.Location()).Format(time.DateOnly)+`.csv"`)
		w.Header().Set("Cache-Control", "no-store")
		if err := distans.WriteRegisterCSV(w, org.Name, org.Location(), httpx.Lang(r), now, f, entries, more); err != nil {
			a.logger.WarnContext(ctx, "register csv", "err", err)
		}
	})
}
