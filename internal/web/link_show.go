package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// linkShow is the page an invitation or reset link opens: whom it is for,
// the organisation's password rules and the form to choose a password. A
// link that cannot be used gets a page that says so, 404.
func (web *Web) linkShow() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		noReferrer(w)
		token := r.PathValue("token")
		target, err := web.svc.Links.FindLink(r.Context(), token)
		if err != nil {
			web.linkFailed(w, r, err)
			return
		}
		web.renderLink(w, r, http.StatusOK, target, token, view.NewForm())
	})
}

// noReferrer keeps the link, which is the secret, out of the Referer of
// every request the page makes or leads to.
func noReferrer(w http.ResponseWriter) { w.Header().Set("Referrer-Policy", "no-referrer") }

func (web *Web) renderLink(w http.ResponseWriter, r *http.Request, status int, t *distans.LinkTarget, token string, form *view.Form) {
	l := web.layout(w, r)
	// Switching language comes back to the link, after a refused form too.
	l.Path = "/link/" + token
	page := &view.LinkPage{Layout: l, Target: t, Action: l.Path, Form: form}
	if page.Invitation() {
		page.Title = l.T("link.title_invitation")
	} else {
		page.Title = l.T("link.title_reset")
	}
	web.render(w, r, status, page)
}

// linkFailed is the page for a link that cannot be used (404, in plain
// words, with the way to a new one), or the error page for anything else.
func (web *Web) linkFailed(w http.ResponseWriter, r *http.Request, err error) {
	if distans.ErrorCode(err) != distans.ENOTFOUND {
		web.fail(w, r, err)
		return
	}
	l := web.layout(w, r)
	l.Title = l.T("link.gone_title")
	web.render(w, r, http.StatusNotFound, &view.LinkPage{Layout: l, Gone: true})
}
