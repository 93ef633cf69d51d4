package web

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

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
	// Only a form our own page sent, as the browser vouches, is kept: one
	// that another site made a browser send must not come back to be sent
	// with a fresh session.
	if sameOrigin(r) {
		if page.Keep = keptFields(r.PostForm, ""); len(page.Keep) > 0 {
			page.ResendTo = safeNextOrEmpty(r.URL.Path)
		}
	}
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

// sameOrigin reports whether the browser says that the request came from a
// page of this site.
func sameOrigin(r *http.Request) bool {
	if r.Header.Get("Sec-Fetch-Site") == "same-origin" {
		return true
	}
	u, err := url.Parse(r.Header.Get("Origin"))
	return err == nil && u.Host != "" && u.Host == r.Host
}

// keptFields are the values of form under prefix, in name order, without
// the CSRF token and without passwords, which are never carried on.
func keptFields(form url.Values, prefix string) []view.KeptField {
	var out []view.KeptField
	for _, name := range slices.Sorted(maps.Keys(form)) {
		n, ok := strings.CutPrefix(name, prefix)
		if !ok || n == "" || n == httpx.CSRFField || strings.Contains(n, "password") {
			continue
		}
		for _, v := range form[name] {
			out = append(out, view.KeptField{Name: n, Value: v})
		}
	}
	return out
}

// resend answers a sign-in that carried a refused form: the page that
// shows it and offers to send it, under the new session's token.
func (web *Web) resend(w http.ResponseWriter, r *http.Request, csrf string) bool {
	to := safeNextOrEmpty(r.PostFormValue("resend_to"))
	fields := keptFields(r.PostForm, keepPrefix)
	if to == "" || to == "/" || len(fields) == 0 {
		return false
	}
	l := web.layout(w, r)
	l.CSRF = csrf
	l.Title = l.T("resend.title")
	web.render(w, r, http.StatusOK, &view.ResendPage{Layout: l, Action: to, Fields: fields, Back: safeNext(r.PostFormValue("next"))})
	return true
}

// keepPrefix marks, on the sign-in form, the fields of a refused form.
const keepPrefix = "keep."
