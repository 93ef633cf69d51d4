package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// signinShow is the sign-in page; someone already signed in goes home.
func (web *Web) signinShow() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := distans.ActorFrom(r.Context()); a != nil && a.PersonID != "" {
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		web.renderSignin(w, r, http.StatusOK, view.NewForm(), nil)
	})
}

// renderSignin renders the sign-in page with form, and the organisations
// to choose between when there are several.
func (web *Web) renderSignin(w http.ResponseWriter, r *http.Request, status int, form *view.Form, choices []*distans.Account) {
	l := web.layout(w, r)
	l.Title = l.T("signin.title")
	page := &view.SignInPage{Layout: l, Form: form, Next: safeNextOrEmpty(r.FormValue("next")),
		Keep: keptFields(r.PostForm, keepPrefix)}
	if len(page.Keep) > 0 {
		page.ResendTo = safeNextOrEmpty(r.PostFormValue("resend_to"))
	}
	for _, c := range choices {
		page.Choices = append(page.Choices, view.Option{Value: c.OrgSlug, Label: c.OrgName})
	}
	web.signinChoices(r, page)
	web.render(w, r, status, page)
}

// signinChoices fills the organisations to start single sign-on with, and
// the demo accounts when the demo organisations are loaded.
func (web *Web) signinChoices(r *http.Request, page *view.SignInPage) {
	l := &page.Layout
	orgNames := map[string]string{}
	if orgs, err := web.svc.Organisations.ListOrganisations(r.Context()); err == nil && len(orgs) > 0 {
		page.SSOOrgs = append(page.SSOOrgs, view.Option{Value: "", Label: l.T("form.choose")})
		for _, o := range orgs {
			if !o.Status.AdmitsSignIn() {
				continue
			}
			page.SSOOrgs = append(page.SSOOrgs, view.Option{Value: o.Slug, Label: o.Name})
			orgNames[o.Slug] = o.Name
		}
	} else if err != nil {
		web.log.WarnContext(r.Context(), "organisations for sign-in", "err", err)
	}
	if web.demo != nil {
		page.Demo = demoAccounts(l, web.demo, orgNames)
	}
}

// demoAccounts is the demo's accounts as the sign-in page lists them, with
// the employee's and the manager's account of the first organisation as
// examples of how the addresses are made.
func demoAccounts(l *view.Layout, d *Demo, orgNames map[string]string) *view.DemoAccounts {
	out := &view.DemoAccounts{Password: d.Password}
	for _, a := range d.Accounts {
		org := orgNames[a.Org]
		if org == "" {
			org = a.Org
		}
		out.Accounts = append(out.Accounts, view.DemoAccountRow{Org: org, Role: a.Role.Label(l.Lang), Email: a.Email})
		if a.Org == d.Accounts[0].Org && (a.Role == distans.RoleEmployee || a.Role == distans.RoleManager) {
			out.Examples = append(out.Examples, a.Email)
		}
	}
	return out
}

// safeNextOrEmpty is safeNext, but "" stays "".
func safeNextOrEmpty(next string) string {
	if next == "" {
		return ""
	}
	return safeNext(next)
}
