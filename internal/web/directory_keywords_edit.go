package web

import (
	"net/http"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// directoryKeywordsEdit is /profile/keywords: the person's own directory
// keywords (sökord, 004 §5) and work mobile.
func (web *Web) directoryKeywordsEdit() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		d, err := web.svc.Availability.FindDirectoryProfile(r.Context(), a.PersonID)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		form := view.NewForm()
		form.Set("keywords", strings.Join(d.Keywords, "\n"))
		form.Set("work_mobile", d.WorkMobile)
		web.renderKeywords(w, r, http.StatusOK, form)
	})
}

func (web *Web) renderKeywords(w http.ResponseWriter, r *http.Request, status int, form *view.Form) {
	l := web.layout(w, r)
	l.Title = l.T("keywords.title")
	web.render(w, r, status, &view.KeywordsPage{Layout: l, Form: form})
}
