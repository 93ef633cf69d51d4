package api

import (
	"context"
	"encoding/base64"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/httpx"
)

// Training on a.svc.Training, under /api/v1/training: the catalogue, where
// a person stands with each course, completions (recorded as JSON, the
// certificate optional as base64 in the body; withdrawn with a reason;
// the certificate downloaded), the CSV import of past completions, and a
// course's coverage. Checklists on a.svc.Checklists, under
// /api/v1/checklists: lists, one checklist, the actor's own tasks, the
// tick, and HR's overview. The services decide who sees what (ENOTFOUND
// outside the caller's reach) and who may change what (EFORBIDDEN).
// Without the services the routes answer 404.

func (a *API) trainingDo(do func(ctx context.Context, svc distans.TrainingService, w http.ResponseWriter, r *http.Request) (int, any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.svc.Training == nil {
			a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
			return
		}
		status, v, err := do(r.Context(), a.svc.Training, w, r)
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		if v == nil {
			w.WriteHeader(status)
			return
		}
		respond(w, status, v)
	})
}

func (a *API) checklistDo(do func(ctx context.Context, svc distans.ChecklistService, w http.ResponseWriter, r *http.Request) (int, any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.svc.Checklists == nil {
			a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
			return
		}
		status, v, err := do(r.Context(), a.svc.Checklists, w, r)
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		respond(w, status, v)
	})
}

// The JSON views: days as "YYYY-MM-DD", lists never null.

type courseJSON struct {
	*distans.Course
	Audience courseAudienceJSON `json:"audience"`
}

type courseAudienceJSON struct {
	Everyone  bool           `json:"everyone"`
	Roles     []distans.Role `json:"roles"`
	UnitCodes []string       `json:"unit_codes"`
}

func courseView(c *distans.Course) courseJSON {
	return courseJSON{Course: c, Audience: courseAudienceJSON{Everyone: c.Audience.Everyone,
		Roles: nonNilSlice(c.Audience.Roles), UnitCodes: nonNilSlice(c.Audience.UnitCodes)}}
}

type trainingStatusJSON struct {
	distans.TrainingStatus
	DueOn       Date  `json:"due_on"`
	CompletedOn *Date `json:"completed_on,omitempty"`
	ExpiresOn   *Date `json:"expires_on,omitempty"`
}

func statusView(s distans.TrainingStatus) trainingStatusJSON {
	return trainingStatusJSON{TrainingStatus: s, DueOn: NewDate(s.DueOn), CompletedOn: datePtr(s.CompletedOn), ExpiresOn: datePtr(s.ExpiresOn)}
}

type completionJSON struct {
	*distans.TrainingCompletion
	CompletedOn Date `json:"completed_on"`
}

func completionView(c *distans.TrainingCompletion) completionJSON {
	return completionJSON{TrainingCompletion: c, CompletedOn: NewDate(c.CompletedOn)}
}

type coverageJSON struct {
	*distans.TrainingCoverage
	PerUnit []distans.UnitTraining `json:"per_unit"`
	Missing []trainingStatusJSON   `json:"missing"`
}

func coverageView(c *distans.TrainingCoverage) coverageJSON {
	return coverageJSON{TrainingCoverage: c, PerUnit: nonNilSlice(c.PerUnit), Missing: views(c.Missing, statusView)}
}

func (a *API) trainingCourses() http.Handler {
	return a.trainingDo(func(ctx context.Context, svc distans.TrainingService, _ http.ResponseWriter, _ *http.Request) (int, any, error) {
		cs, err := svc.Courses(ctx)
		return http.StatusOK, newList(views(cs, courseView)), err
	})
}

func (a *API) trainingPerson(personID func(*http.Request) string) http.Handler {
	return a.trainingDo(func(ctx context.Context, svc distans.TrainingService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		st, err := svc.PersonTraining(ctx, personID(r))
		return http.StatusOK, newList(views(st, statusView)), err
	})
}

func (a *API) trainingMe() http.Handler {
	return a.trainingPerson(func(*http.Request) string { return "" })
}

func (a *API) trainingOfPerson() http.Handler {
	return a.trainingPerson(func(r *http.Request) string { return r.PathValue("id") })
}

// completionBody is POST /training/completions: person_id (the caller when
// empty), course_id, completed_on, and an optional certificate whose
// content is base64 (standard encoding); its type is read from the
// content, not from what the client says.
type completionBody struct {
	PersonID    string           `json:"person_id"`
	CourseID    string           `json:"course_id"`
	CompletedOn Date             `json:"completed_on"`
	Certificate *certificateBody `json:"certificate"`
}

type certificateBody struct {
	Name          string `json:"name"`
	ContentBase64 string `json:"content_base64"`
}

func (a *API) trainingComplete() http.Handler {
	return a.trainingDo(func(ctx context.Context, svc distans.TrainingService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b completionBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		var v distans.Validation
		b.CompletedOn.check(&v, "completed_on", true)
		req := &distans.CompletionRequest{PersonID: strings.TrimSpace(b.PersonID), CourseID: strings.TrimSpace(b.CourseID),
			CompletedOn: b.CompletedOn.Time()}
		if c := b.Certificate; c != nil {
			content, err := base64.StdEncoding.DecodeString(c.ContentBase64)
			switch {
			case err != nil:
				v.Add("certificate.content_base64", "Intyget ska vara base64-kodat.", "The certificate must be base64 encoded.")
			case len(content) == 0:
				v.Add("certificate.content_base64", "Intyget är tomt.", "The certificate is empty.")
			default:
				ct, _, _ := mime.ParseMediaType(http.DetectContentType(content))
				name := strings.TrimSpace(c.Name)
				if name == "" {
					name = "intyg"
				}
				req.Certificate = &distans.Attachment{Name: name, ContentType: ct, Size: int64(len(content)), Content: content}
			}
		}
		if err := v.Err(); err != nil {
			return 0, nil, err
		}
		c, err := svc.RecordCompletion(ctx, req)
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", prefix+"/training/completions/"+c.ID)
		return http.StatusCreated, completionView(c), nil
	})
}

func (a *API) trainingCompletions() http.Handler {
	return a.trainingDo(func(ctx context.Context, svc distans.TrainingService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		cs, err := svc.ListCompletions(ctx, newQuery(r).str("person_id"))
		return http.StatusOK, newList(views(cs, completionView)), err
	})
}

// removalBody is DELETE /training/completions/{id}: why a completion
// recorded in error is withdrawn (kept in the audit trail).
type removalBody struct {
	Reason string `json:"reason"`
}

func (a *API) trainingCompletionRemove() http.Handler {
	return a.trainingDo(func(ctx context.Context, svc distans.TrainingService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b removalBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		var v distans.Validation
		v.Required("reason", strings.TrimSpace(b.Reason))
		if err := v.Err(); err != nil {
			return 0, nil, err
		}
		return http.StatusNoContent, nil, svc.RemoveCompletion(ctx, r.PathValue("id"), strings.TrimSpace(b.Reason))
	})
}

func (a *API) trainingCertificate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.svc.Training == nil {
			a.error(w, r, distans.NotFound("Adressen finns inte i API:et.", "The API has no such address."))
			return
		}
		att, err := a.svc.Training.Certificate(r.Context(), r.PathValue("id"))
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", att.ContentType)
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Name}))
		w.Header().Set("Content-Length", strconv.Itoa(len(att.Content)))
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = w.Write(att.Content)
	})
}

// trainingImport is POST /training/import: multipart/form-data with the
// CSV in "file" and "dry_run" (true: check only). Nothing is saved unless
// every row is valid; the row errors are in the answer (422 when any).
func (a *API) trainingImport() http.Handler {
	return a.trainingDo(func(ctx context.Context, svc distans.TrainingService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		f, dry, err := csvUpload(r)
		if err != nil {
			return 0, nil, err
		}
		defer f.Close()
		res, err := svc.ImportCompletions(ctx, f, dry)
		if err != nil {
			return 0, nil, err
		}
		res.Errors = nonNilSlice(res.Errors)
		return importStatus(res.Errors), res, nil
	})
}

func (a *API) trainingCoverage() http.Handler {
	return a.trainingDo(func(ctx context.Context, svc distans.TrainingService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		q := newQuery(r)
		course := q.str("course")
		if course == "" {
			var v distans.Validation
			v.Required("course", course)
			return 0, nil, v.Err()
		}
		cov, err := svc.Coverage(ctx, course, q.str("unit"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, coverageView(cov), nil
	})
}

// Checklists.

type checklistJSON struct {
	*distans.Checklist
	EventOn Date                `json:"event_on"`
	Tasks   []checklistTaskJSON `json:"tasks"`
}

type checklistTaskJSON struct {
	*distans.ChecklistTask
	DueOn Date `json:"due_on"`
}

func checklistTaskView(t *distans.ChecklistTask) checklistTaskJSON {
	return checklistTaskJSON{ChecklistTask: t, DueOn: NewDate(t.DueOn)}
}

func checklistView(c *distans.Checklist) checklistJSON {
	return checklistJSON{Checklist: c, EventOn: NewDate(c.EventOn), Tasks: views(c.Tasks, checklistTaskView)}
}

func (a *API) checklistList() http.Handler {
	return a.checklistDo(func(ctx context.Context, svc distans.ChecklistService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		q := newQuery(r)
		f := distans.ChecklistFilter{PersonID: q.str("person_id"), UnitID: q.str("unit_id"), Event: distans.ChecklistEvent(q.str("event")),
			Open: q.boolean("open"), Limit: int(q.integer("limit", 100, 1, 500))}
		if f.Event != "" && !slices.Contains(distans.ChecklistEvents, f.Event) {
			var v distans.Validation
			v.Add("event", "Okänd händelse (employment_start, employment_end eller long_leave).", "Unknown event (employment_start, employment_end or long_leave).")
			return 0, nil, v.Err()
		}
		if err := q.err(); err != nil {
			return 0, nil, err
		}
		cs, err := svc.ListChecklists(ctx, f)
		return http.StatusOK, newList(views(cs, checklistView)), err
	})
}

func (a *API) checklistGet() http.Handler {
	return a.checklistDo(func(ctx context.Context, svc distans.ChecklistService, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		c, err := svc.Checklist(ctx, r.PathValue("id"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, checklistView(c), nil
	})
}

func (a *API) checklistTasks() http.Handler {
	return a.checklistDo(func(ctx context.Context, svc distans.ChecklistService, _ http.ResponseWriter, _ *http.Request) (int, any, error) {
		ts, err := svc.MyTasks(ctx)
		return http.StatusOK, newList(views(ts, checklistTaskView)), err
	})
}

// tickBody is POST /checklists/{id}/tasks/{task}/tick: the checklist's
// version as read, and an optional note (how the work material was handed
// over).
type tickBody struct {
	Version *int   `json:"version"`
	Note    string `json:"note"`
}

func (a *API) checklistTick() http.Handler {
	return a.checklistDo(func(ctx context.Context, svc distans.ChecklistService, w http.ResponseWriter, r *http.Request) (int, any, error) {
		var b tickBody
		if err := httpx.DecodeJSON(w, r, &b); err != nil {
			return 0, nil, err
		}
		var v distans.Validation
		version := checkVersion(&v, b.Version)
		if err := v.Err(); err != nil {
			return 0, nil, err
		}
		c, err := svc.TickTask(ctx, r.PathValue("id"), r.PathValue("task"), version, strings.TrimSpace(b.Note))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, checklistView(c), nil
	})
}

type overviewJSON struct {
	Open           map[distans.ChecklistEvent]int `json:"open"`
	OverdueTasks   map[distans.ChecklistEvent]int `json:"overdue_tasks"`
	OverdueByOwner map[distans.TaskOwner]int      `json:"overdue_by_owner"`
}

func (a *API) checklistOverview() http.Handler {
	return a.checklistDo(func(ctx context.Context, svc distans.ChecklistService, _ http.ResponseWriter, _ *http.Request) (int, any, error) {
		ov, err := svc.Overview(ctx)
		if err != nil {
			return 0, nil, err
		}
		out := overviewJSON{Open: map[distans.ChecklistEvent]int{}, OverdueTasks: map[distans.ChecklistEvent]int{}, OverdueByOwner: map[distans.TaskOwner]int{}}
		for _, e := range distans.ChecklistEvents {
			out.Open[e], out.OverdueTasks[e] = ov.Open[e], ov.OverdueTasks[e]
		}
		for _, o := range distans.TaskOwners {
			out.OverdueByOwner[o] = ov.OverdueByOwner[o]
		}
		return http.StatusOK, out, nil
	})
}

// agreementPreconditions is the pack's findings on what the employee must
// have done before an agreement is approved or signed: the caller's own
// (GET /agreements/preconditions) or a case's employee's.
func (a *API) agreementPreconditions(id func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc := a.agreementService(w, r)
		if svc == nil {
			return
		}
		fs, err := svc.Preconditions(r.Context(), id(r))
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		respond(w, http.StatusOK, newList(fs))
	})
}

func (a *API) agreementPreconditionsMine() http.Handler {
	return a.agreementPreconditions(func(*http.Request) string { return "" })
}

func (a *API) agreementPreconditionsOf() http.Handler {
	return a.agreementPreconditions(func(r *http.Request) string { return r.PathValue("id") })
}
