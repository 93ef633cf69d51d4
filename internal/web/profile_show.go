package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// profileShow is the person's own page: details, the documents they have
// acknowledged ("Mina bekräftelser"), language, password, API tokens and
// signing out everywhere.
func (web *Web) profileShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		page, err := web.profilePage(w, r, a)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

func (web *Web) profilePage(w http.ResponseWriter, r *http.Request, a *distans.Actor) (*view.ProfilePage, error) {
	ctx := r.Context()
	me, err := web.svc.People.FindPerson(ctx, a.PersonID)
	if err != nil {
		return nil, err
	}
	org, err := web.svc.Organisations.FindOrganisationByID(ctx, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	tokens, err := web.svc.SignIn.ListAPITokens(ctx, a.PersonID)
	if err != nil {
		return nil, err
	}
	tree, err := web.unitTree(ctx, true)
	if err != nil {
		return nil, err
	}
	acks, err := web.svc.Documents.ListAcknowledgements(ctx, a.PersonID)
	if err != nil {
		return nil, err
	}
	l := web.layout(w, r)
	l.Title = l.T("profile.title")
	l.Path = "/profile"
	page := &view.ProfilePage{Layout: l, Me: me, Org: org, UnitName: tree.name(me.UnitID), Langs: langOptions(),
		PasswordForm: view.NewForm(), TokenForm: view.NewForm(), Tokens: tokens, Acks: acks}
	for _, g := range a.Grants {
		s := g.Role.Label(l.Lang)
		if n := tree.name(g.UnitID); n != "" {
			s += " (" + n + ")"
		}
		page.Roles = append(page.Roles, s)
	}
	return page, nil
}
