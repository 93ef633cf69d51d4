package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/web/view"
)

// driftRoutes are the installation's pages (driftadministration). They
// have a session of their own (httpx.AuthenticateOperator): an
// organisation's person is nobody here, and an operator is nobody on the
// organisations' pages and API. They are pages only (parity_test.go,
// driftPageOnly).
func (web *Web) driftRoutes(mux *http.ServeMux) {
	if web.svc.Installation == nil {
		return
	}
	mux.Handle("GET /drift/signin", web.driftSigninShow())
	mux.Handle("POST /drift/signin", web.driftSigninSubmit())
	mux.Handle("GET /drift/link/{token}", web.driftLinkShow())
	mux.Handle("POST /drift/link/{token}", web.driftLinkSubmit())
	mux.Handle("POST /drift/signout", web.driftSignout())
	mux.Handle("POST /drift/lang", web.langSet())
	mux.Handle("GET /drift", web.driftHome())
	mux.Handle("GET /drift/organisations/new", web.driftOrgNew())
	mux.Handle("POST /drift/organisations", web.driftOrgCreate())
	mux.Handle("GET /drift/organisations/{id}", web.driftOrgShow())
	mux.Handle("POST /drift/organisations/{id}/rename", web.driftOrgRename())
	mux.Handle("POST /drift/organisations/{id}/status", web.driftOrgStatus())
	if web.svc.Reports != nil {
		mux.Handle("GET /drift/reports", web.driftReports())
	}
}

// operator runs h for a signed-in installation administrator and sends
// anyone else to the operators' sign-in.
func (web *Web) operator(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := distans.ActorFrom(r.Context())
		if a == nil || !a.Operator || !a.RunsInstallation() {
			http.Redirect(w, r, "/drift/signin", http.StatusSeeOther)
			return
		}
		h(w, r, a)
	})
}

// driftChrome makes l the installation's: its home, its sign-out and
// language forms (under /drift, where its session's cookie goes), and the
// operator in the header.
func (web *Web) driftChrome(l *view.Layout, r *http.Request) {
	l.Home, l.SignOut, l.LangAction = "/drift", "/drift/signout", "/drift/lang"
	a := distans.ActorFrom(r.Context())
	if a == nil || !a.Operator || httpx.OperatorSessionFrom(r.Context()) == nil {
		return
	}
	l.User = &view.User{Name: a.Name, OrgName: l.T("drift.role")}
	for _, n := range []struct{ href, key string }{{"/drift", "drift.nav.orgs"}, {"/drift/organisations/new", "drift.new.title"},
		{"/drift/reports", "rep.drift_title"}} {
		if n.href == "/drift/reports" && web.svc.Reports == nil {
			continue
		}
		l.Nav = append(l.Nav, view.NavItem{Href: n.href, Label: l.T(n.key), Current: r.URL.Path == n.href})
	}
}

// driftRow is an organisation's counts as the pages show them.
func driftRow(l *view.Layout, st *distans.OrganisationStats) view.DriftOrgRow {
	o := st.Organisation
	row := view.DriftOrgRow{ID: o.ID, Slug: o.Slug, Name: o.Name, TimeZone: o.TimeZone, Language: o.Language,
		Status: string(o.Status), StatusLabel: o.Status.Label(l.Lang), StatusChanged: l.DateTimeP(o.StatusChangedAt),
		People: st.People, Units: st.Units, Employments: st.CurrentEmployments, Agreements: st.ActiveAgreements,
		PolicyVersion: st.PolicyVersion, FailedNotifications: st.FailedNotifications, LastActivity: l.DateTimeP(st.LastActivityAt)}
	return row
}

// driftOrg returns the counts of the organisation id; ENOTFOUND when
// there is none.
func (web *Web) driftOrg(r *http.Request, id string) (*distans.OrganisationStats, error) {
	stats, err := web.svc.Installation.OrganisationStats(r.Context())
	if err != nil {
		return nil, err
	}
	for _, st := range stats {
		if st.Organisation.ID == id {
			return st, nil
		}
	}
	return nil, distans.NotFound("Organisationen finns inte.", "The organisation does not exist.")
}

// packOptions are the templates a new organisation's pack is copied from.
func packOptions(l *view.Layout) []view.Option {
	var out []view.Option
	for _, t := range policy.Templates() {
		label := strings.ToUpper(t[:1]) + t[1:]
		if t == policy.GenericTemplate {
			label = l.T("drift.new.pack_generic")
		}
		out = append(out, view.Option{Value: t, Label: label})
	}
	return out
}
