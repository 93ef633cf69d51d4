package web

import (
	"bytes"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// equipmentLossShow is one loss case: the report, the steps of the
// procedure with who, when and the evidence, a form for each open step the
// viewer records (Actor.RecordsLossStep), the incident it opened, and the
// manager's negligence assessment.
func (web *Web) equipmentLossShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		page, err := web.lossPage(w, r, a, "", nil)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, page)
	})
}

// lossPage builds the case page; step and form are a step's form, or the
// assessment's (step "assessment"), as typed.
func (web *Web) lossPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, step string, form *view.Form) (*view.EquipmentLossPage, error) {
	loss, err := web.svc.Equipment.Loss(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	l, tabs := web.eqLayout(w, r, a, "eq.loss_case_title", loss.Number)
	p := l.P
	page := &view.EquipmentLossPage{Layout: l, EquipmentTabs: tabs, L: loss, Kind: p.T("eq.loss." + string(loss.Kind)),
		State: p.T("eq.loss_state." + string(loss.State)), Items: handoverItemRows(p, loss.Items)}
	pl := &page.Layout
	yes := func(b bool) string {
		if b {
			return p.T("eq.yes")
		}
		return p.T("eq.no")
	}
	page.Facts = []view.QA{
		{Q: p.T("eq.person"), A: loss.PersonName},
		{Q: p.T("eq.occurred_at"), A: pl.DateTimeP(loss.OccurredAt)},
		{Q: p.T("eq.discovered_at"), A: pl.DateTime(loss.DiscoveredAt)},
		{Q: p.T("eq.place"), A: loss.Place},
		{Q: p.T("eq.outside_premises"), A: yes(loss.OutsidePremises)},
		{Q: p.T("eq.description"), A: loss.Description},
		{Q: p.T("eq.reported"), A: pl.DateTime(loss.CreatedAt)},
	}
	for _, s := range loss.Steps {
		row := view.LossStepRow{Step: s.Step, Label: stepLabel(p, s), Citation: s.Citation, Who: label(p, "eq.role.", string(s.Role)),
			Due: pl.DateTime(s.DueAt), DueISO: pl.ISO(s.DueAt), Done: !s.Open(), Status: p.T("eq.step_open")}
		switch {
		case s.DoneAt != nil && s.Skipped:
			row.Status = p.T("eq.step_skipped", pl.DateTime(*s.DoneAt))
			row.Evidence = s.SkipReason
		case s.DoneAt != nil:
			row.Status = p.T("eq.step_done", pl.DateTime(*s.DoneAt))
			row.Evidence = s.Evidence
			if s.ReportedOn != nil {
				row.Evidence += " (" + p.T("eq.police_reported_on") + " " + pl.Date(*s.ReportedOn) + ")"
			}
		}
		if s.AttachmentID != "" {
			row.Attachment = "/equipment/losses/" + loss.ID + "/attachments/" + s.AttachmentID
		}
		page.Steps = append(page.Steps, row)
		if s.Open() && a.RecordsLossStep(loss, s.Role) {
			prefix := "step." + s.Step + "."
			f := view.NewForm()
			if step == s.Step && form != nil {
				f = form
			}
			page.StepForms = append(page.StepForms, view.LossStepForm{Step: s.Step, Label: row.Label, Prefix: prefix,
				Police: s.Step == distans.StepPoliceReport, Skippable: s.Skippable, Form: f})
		}
	}
	if as := loss.Assessment; as != nil {
		page.Assessment = []view.QA{
			{Q: p.T("eq.gross_q"), A: yes(as.GrossNegligence)},
			{Q: p.T("eq.assessment_reasons"), A: as.Reasons},
			{Q: p.T("eq.assessed_by"), A: as.AssessedByName + ", " + pl.DateTime(as.AssessedAt)},
		}
	} else if a.ManagesEquipmentOf(loss.PersonID, loss.PersonUnitPath) {
		page.AssessForm = view.NewForm()
		if step == "assessment" && form != nil {
			page.AssessForm = form
		}
		page.GrossChoices = []view.Option{{Value: "no", Label: p.T("eq.gross_no")}, {Value: "yes", Label: p.T("eq.gross_yes")}}
	}
	return page, nil
}

// equipmentLossStep records one step: done with its evidence (the police
// report's number, date and copy), or skipped with the reason where the
// pack allows it. Bad input comes back on the case with nothing saved.
func (web *Web) equipmentLossStep() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		step := r.PostFormValue("step")
		prefix := "step." + step + "."
		form := readForm(r, prefix+"evidence", prefix+"reported_on", prefix+"skip_reason")
		rec := distans.LossStepRecord{Step: step, Evidence: form.Value(prefix + "evidence"),
			Skipped: box(r, form, prefix+"skip"), SkipReason: form.Value(prefix + "skip_reason")}
		rec.ReportedOn = parseDay(r, form, prefix+"reported_on", false)
		if r.MultipartForm != nil {
			if fhs := r.MultipartForm.File[prefix+"attachment"]; len(fhs) > 0 && fhs[0].Size > 0 {
				att, err := readAttachment(fhs[0].Filename, fhs[0].Size, func() ([]byte, error) {
					f, err := fhs[0].Open()
					if err != nil {
						return nil, err
					}
					defer f.Close()
					var buf bytes.Buffer
					_, err = buf.ReadFrom(f)
					return buf.Bytes(), err
				})
				if err != nil {
					form.Fail(prefix+"attachment", errText(r, err))
				}
				rec.Attachment = att
			}
		}
		var err error
		if form.Failed() {
			err = failedForm(r, form)
		} else {
			_, err = web.svc.Equipment.RecordLossStep(r.Context(), r.PathValue("id"), rec)
		}
		if err != nil {
			status, conflict, ok := eqFailed(r, form, err, prefix, prefix+"evidence")
			if !ok {
				web.fail(w, r, err)
				return
			}
			page, perr := web.lossPage(w, r, a, step, form)
			if perr != nil {
				web.fail(w, r, perr)
				return
			}
			page.Conflict = conflict
			web.render(w, r, status, page)
			return
		}
		web.done(w, r, "/equipment/losses/"+r.PathValue("id")+"#steps-heading", "eq.step_saved")
	})
}

// readAttachment reads an uploaded evidence file: at most
// distans.MaxAttachment bytes, a PDF, JPEG or PNG by its content.
func readAttachment(name string, size int64, read func() ([]byte, error)) (*distans.Attachment, error) {
	if size > distans.MaxAttachment {
		return nil, distans.Errorf(distans.EINVALID, "Filen är större än 10 MB.", "The file is larger than 10 MB.")
	}
	b, err := read()
	if err != nil {
		return nil, err
	}
	ct := http.DetectContentType(b)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	if !slices.Contains(distans.AttachmentTypes, ct) {
		return nil, distans.Errorf(distans.EINVALID, "Bifoga polisanmälan som PDF, JPEG eller PNG.",
			"Attach the police report as a PDF, JPEG or PNG.")
	}
	return &distans.Attachment{Name: name, ContentType: ct, Size: int64(len(b)), Content: b}, nil
}

// errText is a user error's message in the reader's language, or the
// generic one.
func errText(r *http.Request, err error) string {
	if e, ok := err.(*distans.Error); ok {
		if printer(r).Lang() == "en" {
			return e.En
		}
		return e.Sv
	}
	return printer(r).T("form.invalid")
}

// equipmentLossAssess is the manager's negligence assessment (Bjurholm
// 002 §6): gross negligence or not, with the reasons.
func (web *Web) equipmentLossAssess() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		form := readForm(r, "gross_negligence", "reasons")
		choice := form.Value("gross_negligence")
		as := distans.NegligenceAssessment{GrossNegligence: choice == "yes", Reasons: form.Value("reasons")}
		if choice != "yes" && choice != "no" {
			form.Fail("gross_negligence", printer(r).T("eq.gross_choose"))
		}
		validationFailed(r, form, as.Validate())
		var err error
		if form.Failed() {
			err = failedForm(r, form)
		} else {
			_, err = web.svc.Equipment.AssessNegligence(r.Context(), r.PathValue("id"), as)
		}
		if err != nil {
			status, conflict, ok := eqFailed(r, form, err, "", "reasons")
			if !ok {
				web.fail(w, r, err)
				return
			}
			page, perr := web.lossPage(w, r, a, "assessment", form)
			if perr != nil {
				web.fail(w, r, perr)
				return
			}
			page.Conflict = conflict
			web.render(w, r, status, page)
			return
		}
		web.done(w, r, "/equipment/losses/"+r.PathValue("id")+"#assessment-heading", "eq.assessed")
	})
}

// equipmentLossAttachment is an evidence file of the case, for those who
// see the case.
func (web *Web) equipmentLossAttachment() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		att, err := web.svc.Equipment.LossAttachment(r.Context(), r.PathValue("id"), r.PathValue("aid"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", att.ContentType)
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Name}))
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = w.Write(att.Content)
	})
}
