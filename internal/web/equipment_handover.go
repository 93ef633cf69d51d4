package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// equipmentHandoverShow is one issue of items: the items, the terms in
// full with their version, and for the person, while it waits, the
// acceptance that signs both with their password; for IT the cancel.
func (web *Web) equipmentHandoverShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		page, err := web.handoverPage(w, r, a, nil)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

func (web *Web) handoverPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, accept *view.Form) (*view.EquipmentHandoverPage, error) {
	h, err := web.svc.Equipment.Handover(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	l, tabs := web.eqLayout(w, r, a, "eq.handover_title", h.PersonName)
	page := &view.EquipmentHandoverPage{Layout: l, EquipmentTabs: tabs, H: h, State: l.T("eq.handover." + string(h.State)),
		Items: handoverItemRows(l.P, h.Items), Terms: view.Paragraphs(h.TermsBody), Hash: h.AcceptanceHash()}
	if h.State == distans.HandoverAccepted {
		page.PDF = "/equipment/handovers/" + h.ID + "/pdf"
	}
	if h.State == distans.HandoverPending && h.PersonID == a.PersonID {
		if accept == nil {
			accept = view.NewForm()
		}
		// What the person signs is what this page shows: the version and
		// the hash of the items and the terms as read now.
		accept.Set("terms_version", strconv.Itoa(h.TermsVersion))
		accept.Set("hash", page.Hash)
		page.AcceptForm = accept
	}
	if h.State == distans.HandoverPending && a.EquipmentScope().Contains(h.PersonUnitPath) {
		f := view.NewForm()
		f.Set("version", strconv.Itoa(h.Version))
		page.CancelForm = f
	}
	return page, nil
}

// equipmentHandoverAccept is the person's signature: their password again
// over the items and the terms' text and version shown. Terms changed
// since they were shown come back to be read and signed again; a wrong
// password comes back on the form; nothing is saved either way.
func (web *Web) equipmentHandoverAccept() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "terms_version", "hash")
		version, _ := strconv.Atoi(form.Value("terms_version"))
		acc := distans.EquipmentAcceptance{TermsVersion: version, Hash: form.Value("hash"), Password: r.PostFormValue("password")}
		var err error
		if acc.Password == "" {
			form.Fail("password", printer(r).T("eq.password_required"))
			err = failedForm(r, form)
		} else {
			_, err = web.svc.Equipment.Accept(r.Context(), r.PathValue("id"), acc)
		}
		if err != nil {
			status, conflict, ok := eqFailed(r, form, err, "", "password")
			if !ok {
				web.fail(w, r, err)
				return
			}
			page, perr := web.handoverPage(w, r, a, form)
			if perr != nil {
				web.fail(w, r, perr)
				return
			}
			page.Conflict = conflict
			web.render(w, r, status, page)
			return
		}
		web.done(w, r, "/equipment/handovers/"+r.PathValue("id"), "eq.accepted_flash")
	})
}

// equipmentHandoverCancel withdraws a pending issue (IT); the items go
// back in stock.
func (web *Web) equipmentHandoverCancel() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		back := "/equipment/handovers/" + r.PathValue("id")
		if _, err := web.svc.Equipment.CancelHandover(r.Context(), r.PathValue("id"), formVersion(r)); err != nil {
			web.actionFailed(w, r, back, err)
			return
		}
		web.done(w, r, back, "eq.cancelled")
	})
}

// equipmentHandoverPDF is the acceptance as one PDF: the items, the terms
// with their version, the signature, its time and hash.
func (web *Web) equipmentHandoverPDF() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		var buf bytes.Buffer
		if err := web.svc.Equipment.WriteAcceptancePDF(r.Context(), r.PathValue("id"), &buf); err != nil {
			web.fail(w, r, err)
			return
		}
		writePDF(w, "utlamning-"+r.PathValue("id")+".pdf", buf.Bytes())
	})
}

// writePDF answers a PDF written in full, never cached.
func writePDF(w http.ResponseWriter, name string, b []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}
