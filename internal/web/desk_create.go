package web

import (
	"net/http"
	"strconv"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// deskCreate adds a desk to a zone of the site.
func (web *Web) deskCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		siteID := r.PathValue("id")
		form := readDeskForm(r)
		d := &distans.Desk{}
		if deskFromForm(r, form, d) {
			err := web.svc.Office.CreateDesk(r.Context(), d)
			if err == nil {
				web.done(w, r, "/office/sites/"+siteID+"/zones", "office.desk_created")
				return
			}
			if !formFailed(r, form, err, "label") {
				web.fail(w, r, err)
				return
			}
		}
		web.renderOfficeAdmin(w, r, http.StatusUnprocessableEntity, siteID, nil, form, nil)
	})
}

// readDeskForm reads the desk form; a ticked box is "1".
func readDeskForm(r *http.Request) *view.Form {
	form := readForm(r, "zone_id", "label", "screens")
	for _, n := range []string{"height_adjustable", "quiet", "accessible"} {
		if r.PostFormValue(n) != "" {
			form.Set(n, "1")
		}
	}
	return form
}

// deskFromForm copies the form into d and reports whether the form was
// readable; the service checks the rest.
func deskFromForm(r *http.Request, form *view.Form, d *distans.Desk) bool {
	screens, err := strconv.Atoi(form.Value("screens"))
	if err != nil {
		form.Fail("screens", printer(r).T("office.number"))
		form.Message = printer(r).T("form.invalid")
		return false
	}
	d.ZoneID, d.Label, d.Screens = form.Value("zone_id"), form.Value("label"), screens
	d.HeightAdjustable, d.Quiet, d.Accessible = form.Checked("height_adjustable"), form.Checked("quiet"), form.Checked("accessible")
	return true
}
