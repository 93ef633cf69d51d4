package web

import (
	"net/http"
	"net/url"
)

// ssoChoose takes the organisation picked on the sign-in page (a GET form,
// so that it works without JavaScript) to that organisation's single
// sign-on.
func (web *Web) ssoChoose() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		org := r.URL.Query().Get("sso_org")
		if org == "" {
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/signin/sso/"+url.PathEscape(org), http.StatusSeeOther)
	})
}
