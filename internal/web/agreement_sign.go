package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// agreementSign signs the agreement as the employee or the manager after
// the password is given again. The hash is the one of the terms the signer
// was shown: terms changed since then are refused, and nothing is signed.
func (web *Web) agreementSign() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "version", "role", "hash")
		password := r.PostFormValue("password")
		_, err := web.svc.Agreements.Sign(r.Context(), r.PathValue("id"), formVersion(r),
			distans.SignerRole(form.Value("role")), form.Value("hash"), password)
		if err != nil {
			web.agreementFailed(w, r, a, form, err, nil, "password", func(p *view.AgreementPage, f *view.Form) {
				if p.SignForm != nil {
					p.SignForm = f
				}
			})
			return
		}
		web.done(w, r, agreementBack(r), "agr.signed")
	})
}
