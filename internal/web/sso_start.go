package web

import (
	"net/http"
	"net/url"
)

// ssoCookie holds the OpenID state between the redirect to the provider
// and its redirect back; it lives ten minutes and only on the SSO paths.
const ssoCookie = "distans_sso"

// ssoStart sends the browser to the organisation's OpenID provider.
func (web *Web) ssoStart() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		org := r.PathValue("org")
		authURL, state, err := web.svc.SignIn.OIDCAuthURL(r.Context(), org, web.callbackURL(r, org))
		if err != nil {
			web.ssoFailed(w, r, err)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: state, Path: "/signin/sso/", MaxAge: 600,
			HttpOnly: true, Secure: web.secure, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, authURL, http.StatusSeeOther)
	})
}

// callbackURL is where the provider sends the browser back.
func (web *Web) callbackURL(r *http.Request, org string) string {
	scheme := "http"
	if r.TLS != nil || web.secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/signin/sso/" + url.PathEscape(org) + "/callback"
}

// ssoFailed goes back to the sign-in page with the reason.
func (web *Web) ssoFailed(w http.ResponseWriter, r *http.Request, err error) {
	msg := printer(r).T("signin.sso_failed")
	if e := userMessage(r, err); e != "" {
		msg = e
	} else {
		web.log.WarnContext(r.Context(), "single sign-on", "err", err)
	}
	web.redirect(w, r, "/signin", msg, true)
}
