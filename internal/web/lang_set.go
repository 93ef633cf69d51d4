package web

import (
	"net/http"

	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/web/locale"
)

// langSet keeps the language a person picked in the language cookie for a
// year and goes back to the page they were on.
func (web *Web) langSet() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := r.PostFormValue("lang")
		if lang != "sv" && lang != "en" {
			lang = "sv"
		}
		http.SetCookie(w, &http.Cookie{Name: httpx.LangCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: web.secure, SameSite: http.SameSiteLaxMode})
		web.redirect(w, r, safeNext(r.PostFormValue("next")), locale.New(lang).T("lang.changed"), false)
	})
}
