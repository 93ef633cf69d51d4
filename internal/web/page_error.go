package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/web/view"
)

// PageError answers, with a page, a page request that the middleware
// refused before any handler saw it: bad input, a body over the size limit
// (413, naming the limit), a failed CSRF check, or a form sent after the
// session ended. It is server.Config.PageError.
func (web *Web) PageError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, httpx.ErrSessionEnded) {
		web.sessionEnded(w, r)
		return
	}
	web.fail(w, r, err)
}

// sessionEnded is the answer to a form sent after its session ended: the
// sign-in page, saying plainly that the form was not sent, which comes back
// to the page the form was on. The dead session cookie goes, so that the
// sign-in form itself passes.
func (web *Web) sessionEnded(w http.ResponseWriter, r *http.Request) {
	httpx.ClearSessionCookie(w, web.secure)
	form := view.NewForm()
	form.Message = httpx.ErrSessionEnded.Message(httpx.Lang(r))
	l := web.layout(w, r)
	l.Title = l.T("signin.title")
	page := &view.SignInPage{Layout: l, Form: form, Next: formPage(r)}
	web.signinChoices(r, page)
	web.render(w, r, http.StatusForbidden, page)
}

// formPage is the page a form was posted from, by its Referer when that is
// this site, else "".
func formPage(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || u.Host != r.Host || u.Path == "/signin" {
		return ""
	}
	return safeNextOrEmpty(u.RequestURI())
}
