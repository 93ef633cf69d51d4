package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// checklistsList is Checklistor: the open tasks the actor owns (as the
// person, manager, IT or HR), due first; their own checklists; and, for
// those who see others', the open checklists in their care.
func (web *Web) checklistsList() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		ctx := r.Context()
		svc := web.svc.Checklists
		l, tabs := web.checklistLayout(w, r, a, "cl.title")
		page := &view.ChecklistsPage{Layout: l, SectionTabs: tabs}
		today := web.today(r, a)
		tasks, err := svc.MyTasks(ctx)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		for _, t := range tasks {
			page.Tasks = append(page.Tasks, taskRowOf(&page.Layout, t, today))
		}
		mine, err := svc.ListChecklists(ctx, distans.ChecklistFilter{PersonID: a.PersonID})
		if err != nil {
			web.fail(w, r, err)
			return
		}
		for _, c := range mine {
			page.Mine = append(page.Mine, checklistRow(&page.Layout, c))
		}
		page.ShowScope = a.HasRole(distans.RoleManager) || a.HasRole(distans.RoleHR) || a.HasRole(distans.RoleIT)
		if page.ShowScope {
			open, err := svc.ListChecklists(ctx, distans.ChecklistFilter{Open: true, Limit: 200})
			if err != nil {
				web.fail(w, r, err)
				return
			}
			for _, c := range open {
				if c.PersonID != a.PersonID {
					page.Scope = append(page.Scope, checklistRow(&page.Layout, c))
				}
			}
		}
		web.render(w, r, http.StatusOK, page)
	})
}

func ownerLabel(l *view.Layout, o distans.TaskOwner) string {
	return label(l.P, "cl.owner.", string(o))
}

// taskRowOf is a task in a list of the actor's tasks.
func taskRowOf(l *view.Layout, t *distans.ChecklistTask, today time.Time) view.ChecklistTaskRow {
	return view.ChecklistTaskRow{ID: t.ID, ChecklistID: t.ChecklistID, Title: pick(l.P, t.Title), Person: t.PersonName,
		Event: t.Event.Label(l.Lang), Owner: ownerLabel(l, t.Owner), Due: l.Date(t.DueOn),
		Overdue: t.State == distans.TaskStateOpen && t.DueOn.Before(today), State: label(l.P, "cl.state.", string(t.State)),
		Citation: t.Citation}
}

// checklistRow is a checklist in a list, with how far it has come.
func checklistRow(l *view.Layout, c *distans.Checklist) view.ChecklistRow {
	done := 0
	for _, t := range c.Tasks {
		if t.State == distans.TaskStateDone {
			done++
		}
	}
	row := view.ChecklistRow{ID: c.ID, Title: pick(l.P, c.Title), Person: c.PersonName, Event: c.Event.Label(l.Lang),
		EventOn: l.Date(c.EventOn), State: label(l.P, "cl.state.", string(c.State))}
	if len(c.Tasks) > 0 {
		row.Progress = l.T("cl.progress", done, len(c.Tasks))
	}
	return row
}

// checklistShow is one checklist: each task's owner, due date and state,
// who ticked it (Distans for a task that ticked itself), the clause it
// cites, and a tick form with an optional note for the tasks the actor
// owns.
func (web *Web) checklistShow() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		c, err := web.svc.Checklists.Checklist(r.Context(), r.PathValue("id"))
		if err != nil {
			web.fail(w, r, err)
			return
		}
		web.render(w, r, http.StatusOK, web.checklistPage(w, r, a, c))
	})
}

func (web *Web) checklistPage(w http.ResponseWriter, r *http.Request, a *distans.Actor, c *distans.Checklist) *view.ChecklistPage {
	l, tabs := web.checklistLayout(w, r, a, "cl.show_title", pick(printer(r), c.Title), c.PersonName)
	page := &view.ChecklistPage{Layout: l, SectionTabs: tabs, ID: c.ID, Version: c.Version, Person: c.PersonName,
		Event: c.Event.Label(l.Lang), EventOn: l.Date(c.EventOn), State: label(l.P, "cl.state.", string(c.State)),
		Opened: l.DateTime(c.OpenedAt), Citation: c.Citation}
	row := checklistRow(&page.Layout, c)
	page.Progress = row.Progress
	today := web.today(r, a)
	for _, t := range c.Tasks {
		tr := taskRowOf(&page.Layout, t, today)
		tr.ChecklistID, tr.Note = c.ID, t.Note
		switch {
		case t.Auto:
			tr.DoneBy, tr.Auto = l.T("cl.auto"), true
		case t.DoneByName != "":
			tr.DoneBy = t.DoneByName
		}
		if t.DoneAt != nil {
			tr.DoneBy = strings.TrimSpace(tr.DoneBy + " " + l.DateTime(*t.DoneAt))
		}
		if t.State == distans.TaskStateOpen && a.OwnsTask(t.Owner, c.PersonID, c.PersonUnitPath) {
			f := view.NewForm()
			f.Set("version", strconv.Itoa(c.Version))
			tr.Form = f
		}
		page.Tasks = append(page.Tasks, tr)
	}
	return page
}

// checklistTick marks a task done by its owner with an optional note and
// comes back to the checklist. A task the actor does not own is the 403
// page, in Swedish, with nothing changed; a stale version comes back with
// the message.
func (web *Web) checklistTick() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		id := r.PathValue("id")
		back := "/checklists/" + id
		version, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("version")))
		if err != nil {
			web.redirect(w, r, back, printer(r).T("form.invalid"), true)
			return
		}
		note := strings.TrimSpace(r.PostFormValue("note"))
		if _, err := web.svc.Checklists.TickTask(r.Context(), id, r.PathValue("task"), version, note); err != nil {
			web.actionFailed(w, r, back, err)
			return
		}
		web.done(w, r, back+"#tasks-heading", "cl.ticked")
	})
}

// checklistsOverview is HR's overview: open checklists and overdue tasks
// per event and per owner, and the organisation's open checklists.
func (web *Web) checklistsOverview() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, a *distans.Actor) {
		if !a.SeesChecklistOverview() {
			web.forbidden(w, r)
			return
		}
		ctx := r.Context()
		ov, err := web.svc.Checklists.Overview(ctx)
		if err != nil {
			web.fail(w, r, err)
			return
		}
		open, err := web.svc.Checklists.ListChecklists(ctx, distans.ChecklistFilter{Open: true, Limit: 200})
		if err != nil {
			web.fail(w, r, err)
			return
		}
		l, tabs := web.checklistLayout(w, r, a, "cl.overview_title")
		page := &view.ChecklistsOverviewPage{Layout: l, SectionTabs: tabs}
		for _, e := range distans.ChecklistEvents {
			page.PerEvent = append(page.PerEvent, view.CountRow{Label: e.Label(l.Lang), Open: ov.Open[e], Overdue: ov.OverdueTasks[e]})
		}
		for _, o := range distans.TaskOwners {
			page.PerOwner = append(page.PerOwner, view.CountRow{Label: ownerLabel(&page.Layout, o), Overdue: ov.OverdueByOwner[o]})
		}
		for _, c := range open {
			page.Open = append(page.Open, checklistRow(&page.Layout, c))
		}
		web.render(w, r, http.StatusOK, page)
	})
}
