package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// scimShow is the organisation's SCIM provisioning: tokens, the unit
// setting and the group mappings, for whoever manages the organisation.
func (web *Web) scimShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		page, err := web.scimPage(w, r, a)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// scimPage reads what the SCIM page shows; the forms are empty.
func (web *Web) scimPage(w http.ResponseWriter, r *http.Request, a *distans.Actor) (*view.SCIMPage, error) {
	if !a.ManagesOrganisation() || web.svc.SCIMAdmin == nil {
		return nil, distans.Forbidden()
	}
	ctx := r.Context()
	tokens, err := web.svc.SCIMAdmin.ListSCIMTokens(ctx)
	if err != nil {
		return nil, err
	}
	st, err := web.svc.SCIMAdmin.FindSCIMSettings(ctx)
	if err != nil {
		return nil, err
	}
	maps, err := web.svc.SCIMAdmin.ListSCIMGroupMappings(ctx)
	if err != nil {
		return nil, err
	}
	tree, err := web.unitTree(ctx, false)
	if err != nil {
		return nil, err
	}
	l := web.layout(w, r)
	l.Title = l.T("scim.title")
	l.Path = "/scim-settings"
	scheme := "https"
	if r.TLS == nil && !web.secure {
		scheme = "http"
	}
	page := &view.SCIMPage{Layout: l, Tokens: tokens, TokenForm: view.NewForm(), MappingForm: view.NewForm(),
		CreateUnits: st.CreateUnits, Endpoint: scheme + "://" + r.Host + "/scim/v2",
		Units: tree.options(view.Option{Value: "", Label: l.T("role.whole_org")})}
	page.Roles = append(page.Roles, view.Option{Value: "", Label: l.T("form.choose")})
	for _, role := range distans.Roles {
		page.Roles = append(page.Roles, view.Option{Value: string(role), Label: role.Label(l.Lang)})
	}
	for _, m := range maps {
		unit := l.T("role.whole_org")
		if m.UnitID != "" {
			unit = tree.name(m.UnitID)
		}
		row := view.SCIMMappingRow{DisplayName: m.DisplayName, Kind: l.T("scim.kind_role"), Role: m.Role.Label(l.Lang), Unit: unit}
		if m.Kind == distans.SCIMMapUnit {
			row.Kind, row.Role = l.T("scim.kind_unit"), "–"
		}
		page.Mappings = append(page.Mappings, row)
	}
	return page, nil
}
