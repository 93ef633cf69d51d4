package web

import (
	"errors"
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// ssoCallback finishes single sign-on: the provider's code and state,
// checked against the state kept in the cookie, become a session.
func (web *Web) ssoCallback() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		org := r.PathValue("org")
		want := ""
		if c, err := r.Cookie(ssoCookie); err == nil {
			want = c.Value
		}
		http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: "", Path: "/signin/sso/", MaxAge: -1,
			HttpOnly: true, Secure: web.secure, SameSite: http.SameSiteLaxMode})
		q := r.URL.Query()
		if want == "" || q.Get("error") != "" {
			web.ssoFailed(w, r, errors.New("sso: no state cookie or provider error "+q.Get("error")))
			return
		}
		res, err := web.svc.SignIn.OIDCCallback(distans.WithClient(r.Context(), httpx.Client(r)), org, web.callbackURL(r, org), q.Get("code"), q.Get("state"), want)
		if err != nil {
			web.ssoFailed(w, r, err)
			return
		}
		if res.Session == nil || res.Token == "" {
			web.ssoFailed(w, r, errors.New("sso: no session"))
			return
		}
		httpx.SetSessionCookie(w, res.Token, res.Session.ExpiresAt, web.secure)
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
}

// userMessage returns the message of a user error in the request's
// language, or "" for an internal error.
func userMessage(r *http.Request, err error) string {
	var e *distans.Error
	if errors.As(err, &e) && e.Code != distans.EINTERNAL {
		return e.Message(httpx.Lang(r))
	}
	return ""
}
