package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// flashCookie carries the message of the last action across its redirect.
const flashCookie = "distans_flash"

// handlerFunc is a page handler for a signed-in person.
type handlerFunc func(w http.ResponseWriter, r *http.Request, a *distans.Actor)

// authed runs h for a signed-in person and sends anyone else to the
// sign-in page, coming back to the page they asked for after signing in.
func (web *Web) authed(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := distans.ActorFrom(r.Context())
		if a == nil || a.PersonID == "" {
			target := "/signin"
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		h(w, r, a)
	})
}

// printer returns the translator for the request's language.
func printer(r *http.Request) locale.Printer { return locale.New(httpx.Lang(r)) }

// layout fills what every page shares. It reads (and clears) the flash
// message, so call it once per page.
func (web *Web) layout(w http.ResponseWriter, r *http.Request) view.Layout {
	p := printer(r)
	l := view.Layout{
		Lang:      p.Lang(),
		P:         p,
		CSRF:      httpx.CSRFToken(w, r, web.secure),
		CSS:       web.assets.URL("style.css"),
		JS:        web.assets.URL("enhance.js"),
		Version:   web.version,
		Path:      "/",
		OtherLang: "en",
		Home:      "/", SignOut: "/signout", LangAction: "/lang",
	}
	if p.Lang() == "en" {
		l.OtherLang = "sv"
	}
	if r.Method == http.MethodGet {
		l.Path = r.URL.RequestURI()
	}
	l.Flash, l.FlashErr = web.takeFlash(w, r)
	if httpx.IsDrift(r.URL.Path) {
		web.driftChrome(&l, r)
		return l
	}
	a := distans.ActorFrom(r.Context())
	if a == nil || a.PersonID == "" {
		return l
	}
	l.User = &view.User{PersonID: a.PersonID, Name: a.Name}
	if org, err := web.svc.Organisations.FindOrganisationByID(r.Context(), a.OrganisationID); err == nil {
		l.User.OrgName = org.Name
		l.Loc = org.Location()
	} else {
		web.log.WarnContext(r.Context(), "organisation for layout", "err", err)
	}
	nav := []struct {
		href, key string
		show      bool
	}{
		{"/", "nav.home", true},
		{"/status", "nav.status", web.svc.Availability != nil},
		{"/directory", "nav.directory", web.svc.Availability != nil},
		{"/office", "nav.office", web.svc.Office != nil},
		{"/people", "nav.people", a.Can(distans.PermViewPeople)},
		{"/units", "nav.units", true},
		{"/sites", "nav.sites", true},
		{"/policy", "nav.policy", true},
		{"/documents", "nav.documents", true},
		{"/audit", "nav.audit", a.SeesAudit()},
		{"/imports", "nav.imports", a.Imports() && web.svc.Imports != nil},
		{"/scim-settings", "nav.scim", a.ManagesOrganisation() && web.svc.SCIMAdmin != nil},
		{"/profile", "nav.profile", true},
	}
	for _, n := range nav {
		if !n.show {
			continue
		}
		cur := r.URL.Path == n.href || (n.href != "/" && strings.HasPrefix(r.URL.Path, n.href+"/"))
		l.Nav = append(l.Nav, view.NavItem{Href: n.href, Label: p.T(n.key), Current: cur})
	}
	web.agreementNav(r, &l, a)
	web.incidentNav(r, &l, a)
	web.equipmentNav(r, &l, a)
	web.trainingNav(r, &l, a)
	web.reportsNav(r, &l, a)
	web.recordsNav(r, &l, a)
	web.disposalNav(r, &l, a)
	web.ownDataNav(r, &l, a)
	return l
}

// render writes a page with status. Pages hold personal data, so no page
// is ever stored by a browser or a proxy.
func (web *Web) render(w http.ResponseWriter, r *http.Request, status int, page view.Page) {
	w.Header().Set("Cache-Control", "no-store")
	var buf bytes.Buffer
	if err := web.views.Render(&buf, page); err != nil {
		web.log.ErrorContext(r.Context(), "render", "template", page.Template(), "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("internt fel / internal error\n"))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// fail shows err as an error page in the person's language: not found and
// forbidden as themselves, anything unexpected as an internal error (and a
// log line for the operator). Not being signed in goes to the sign-in page.
func (web *Web) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := httpx.UserError(r, web.log, err)
	if e.Code == distans.EUNAUTHORIZED {
		target := "/signin"
		if httpx.IsDrift(r.URL.Path) {
			target = "/drift/signin"
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	}
	status := httpx.Status(e.Code)
	msg := e.Message(httpx.Lang(r))
	if e.Code == distans.ENOTFOUND {
		msg = printer(r).T("error.not_found")
	}
	web.errorPage(w, r, status, msg)
}

// errorPage renders the error page for status with msg.
func (web *Web) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	l := web.layout(w, r)
	key := "error.title." + strconv.Itoa(status)
	if !locale.Has(key) {
		key = "error.title.500"
	}
	l.Title = l.T(key)
	web.render(w, r, status, &view.ErrorPage{Layout: l, Status: status, Message: msg})
}

// forbidden is the page for a signed-in person whose roles do not allow
// the page at all.
func (web *Web) forbidden(w http.ResponseWriter, r *http.Request) {
	web.fail(w, r, distans.Forbidden())
}

// notFound is the 404 page for any path no route matches.
func (web *Web) notFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		web.errorPage(w, r, http.StatusNotFound, printer(r).T("error.not_found"))
	})
}

// redirect answers a POST: a flash message (already translated) and a 303
// to the page that shows the result.
func (web *Web) redirect(w http.ResponseWriter, r *http.Request, to, msg string, isErr bool) {
	if msg != "" {
		v := "o" + msg
		if isErr {
			v = "e" + msg
		}
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(v)),
			Path: "/", MaxAge: 60, HttpOnly: true, Secure: web.secure, SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// done redirects with a message from the catalog.
func (web *Web) done(w http.ResponseWriter, r *http.Request, to, key string) {
	web.redirect(w, r, to, printer(r).T(key), false)
}

// takeFlash returns the flash message of the last action and clears it.
func (web *Web) takeFlash(w http.ResponseWriter, r *http.Request) (string, bool) {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return "", false
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: web.secure, SameSite: http.SameSiteLaxMode})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(b) < 2 {
		return "", false
	}
	return string(b[1:]), b[0] == 'e'
}

// actionFailed handles the error of a small action without a form of its
// own (end, revoke, unlock): a user error goes back with the message as a
// flash; anything else is an error page.
func (web *Web) actionFailed(w http.ResponseWriter, r *http.Request, back string, err error) {
	var e *distans.Error
	if errors.As(err, &e) && (e.Code == distans.EINVALID || e.Code == distans.ECONFLICT || e.Code == distans.ELOCKED) {
		msg := e.Message(httpx.Lang(r))
		for _, f := range e.Fields {
			if httpx.Lang(r) == "en" {
				msg += " " + f.En
			} else {
				msg += " " + f.Sv
			}
		}
		web.redirect(w, r, back, msg, true)
		return
	}
	web.fail(w, r, err)
}

// formFailed puts a user error's messages on the form's fields and
// reports whether it did; an error that is not about the input (not found,
// forbidden, internal) is left to the caller, who shows an error page.
// Field messages without a field of their own go on fallback when given.
func formFailed(r *http.Request, f *view.Form, err error, fallback string) bool {
	var e *distans.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case distans.EINVALID, distans.ECONFLICT, distans.EUNAUTHORIZED, distans.ELOCKED:
	default:
		return false
	}
	lang := httpx.Lang(r)
	f.Message = e.Message(lang)
	for _, fe := range e.Fields {
		msg := fe.Sv
		if lang == "en" {
			msg = fe.En
		}
		f.Fail(fe.Field, msg)
	}
	if len(e.Fields) == 0 && fallback != "" {
		f.Fail(fallback, f.Message)
	}
	return true
}

// validationFailed merges the field messages of a domain Validate error
// into f (for checks made before calling a service, such as a form that
// creates two records at once).
func validationFailed(r *http.Request, f *view.Form, err error) {
	if err != nil {
		formFailed(r, f, err, "")
	}
}

// readForm copies the named fields of a posted form, trimmed, into a new
// view.Form.
func readForm(r *http.Request, names ...string) *view.Form {
	f := view.NewForm()
	for _, n := range names {
		f.Set(n, strings.TrimSpace(r.PostFormValue(n)))
	}
	return f
}

// readStamp is the form's updated_at: when the record on an edit form was
// last changed, as the user read it, so that the store refuses a save on
// top of someone else's change (nil when the form carries none).
func readStamp(f *view.Form) *time.Time {
	t, err := time.Parse(time.RFC3339Nano, f.Value("updated_at"))
	if err != nil {
		return nil
	}
	return &t
}

// stamp is readStamp's value for a record last changed at t.
func stamp(t time.Time) string { return t.Format(time.RFC3339Nano) }

// parseDay reads a date field (YYYY-MM-DD) as midnight UTC, which is how
// the stores keep days. An empty optional field is nil; a bad one gets a
// message on the form.
func parseDay(r *http.Request, f *view.Form, name string, required bool) *time.Time {
	s := f.Value(name)
	if s == "" {
		if required {
			f.Fail(name, printer(r).T("form.required"))
		}
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		f.Fail(name, printer(r).T("form.bad_date"))
		return nil
	}
	return &t
}

// today is the actor's organisation's calendar day at the instant of the
// request (distans.TodayIn). Should the organisation not load, the page
// still shows, with the day in the zone of an organisation that has none.
func (web *Web) today(r *http.Request, a *distans.Actor) time.Time {
	today, _, err := distans.TodayIn(r.Context(), web.svc.Organisations, a.OrganisationID)
	if err != nil {
		web.log.WarnContext(r.Context(), "organisation for today", "err", err)
		return (&distans.Organisation{}).Today(distans.NowFrom(r.Context()))
	}
	return today
}

// endDay reads the optional "on" field of an end action; empty means today.
func (web *Web) endDay(r *http.Request, a *distans.Actor) (time.Time, error) {
	s := strings.TrimSpace(r.PostFormValue("on"))
	if s == "" {
		return web.today(r, a), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		sv, en := locale.Message("form.bad_date")
		return time.Time{}, distans.Errorf(distans.EINVALID, sv, en)
	}
	return t, nil
}

// safeNext returns next when it is a clean path on this site, else "/".
// Browsers drop tabs and newlines from a Location and read a backslash as a
// slash, so "/\t/evil.example" or "/\\evil.example" would take the person
// to another site: any control character, backslash, scheme, host or user
// part, or a path that begins with "//", is refused.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return "/"
		}
	}
	if !utf8.ValidString(next) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}

// searchRefused answers a search text that breaks distans.CheckSearch with
// an error page that says the limit, and reports whether it did.
func (web *Web) searchRefused(w http.ResponseWriter, r *http.Request) bool {
	if err := distans.CheckSearch(r.URL.Query().Get("q")); err != nil {
		web.fail(w, r, err)
		return true
	}
	return false
}
