package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
)

// directoryKeywordsSave saves the person's keywords, one a line (commas
// also separate), and work mobile.
func (web *Web) directoryKeywordsSave() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "keywords", "work_mobile")
		kws := strings.FieldsFunc(form.Value("keywords"), func(c rune) bool { return c == '\n' || c == '\r' || c == ',' })
		d := &distans.DirectoryProfile{PersonID: a.PersonID, Keywords: kws, WorkMobile: form.Value("work_mobile")}
		if err := web.svc.Availability.SaveDirectoryProfile(r.Context(), d); err != nil {
			if !formFailed(r, form, err, "keywords") {
				web.fail(w, r, err)
				return
			}
			web.renderKeywords(w, r, http.StatusUnprocessableEntity, form)
			return
		}
		web.done(w, r, "/profile/keywords", "keywords.saved")
	})
}
