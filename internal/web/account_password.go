package web

import (
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// accountPassword lets HR or an administrator set a person's password
// (which also unlocks the account). A password that breaks the policy comes
// back on the person page next to the field.
func (web *Web) accountPassword() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		id := r.PathValue("id")
		pw := r.PostFormValue("password")
		form := view.NewForm()
		if pw == "" {
			form.Fail("password", printer(r).T("form.required"))
			form.Message = printer(r).T("form.invalid")
		} else if err := web.svc.SignIn.SetPassword(r.Context(), id, pw); err != nil {
			if !formFailed(r, form, err, "password") {
				web.fail(w, r, err)
				return
			}
		} else {
			web.done(w, r, "/people/"+id, "account.password_set")
			return
		}
		page, err := web.personPage(w, r, a, id)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		page.PasswordForm = form
		web.render(w, r, http.StatusUnprocessableEntity, page)
	})
}
