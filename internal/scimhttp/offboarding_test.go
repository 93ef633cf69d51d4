package scimhttp_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
	"github.com/distans/distans/internal/jobs"
)

// TestDeactivationOpensOffboarding follows a demo employee whom the
// identity system deactivates through SCIM, which ends the employment
// today: the checklist job opens the organisation's offboarding checklist
// for that end (the generic pack's, Vara having no template of its own),
// sign-in is refused on the day whatever the checklist says
// (Kristianstad 003, När anställningen upphör: the account is closed),
// and the day after the end the job ticks the task "account closed" by
// itself.
func TestDeactivationOpensOffboarding(t *testing.T) {
	t.Parallel()
	a, base, vara, _ := setup(t)
	email := demo.AccountEmail("vara", distans.RoleEmployee)
	ctx := context.Background()
	org, err := a.Store.FindOrganisationBySlug(distans.NewContext(ctx, distans.SystemActor("")), "vara")
	if err != nil {
		t.Fatal(err)
	}
	sys := distans.NewContext(ctx, distans.SystemActor(org.ID))
	people, _, err := a.Store.ListPeople(sys, distans.PersonFilter{Query: email, Limit: 5})
	if err != nil || len(people) != 1 {
		t.Fatalf("the demo employee: %v %+v", err, people)
	}
	person := people[0]

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	signIn := func() int {
		t.Helper()
		res, err := browser.Get(base + "/signin")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := csrfRE.FindSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF token on the sign-in page")
		}
		form := url.Values{"email": {email}, "password": {demo.Password}, "csrf_token": {html.UnescapeString(string(m[1]))}}
		res, err = browser.Post(base+"/signin", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := signIn(); st != http.StatusSeeOther {
		t.Fatalf("sign in before: %d", st)
	}

	c := client{t: t, base: base + "/scim/v2", token: vara}
	created := c.send("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"`+email+`","active":true,
		"emails":[{"primary":true,"type":"work","value":"`+email+`"}]}`).want(t, 201, "")
	c.send("PATCH", "/Users/"+str(created.body, "id"), entraDisableUser).want(t, 200, "")

	now := distans.Now()
	today := org.Today(now)
	es, err := a.Store.ListEmployments(sys, person.ID)
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(es, func(e *distans.Employment) bool { return e.EndsOn != nil && e.EndsOn.Equal(today) }); i < 0 {
		t.Fatalf("deactivation did not end the employment today: %+v", es)
	}

	list := jobs.Jobs(jobs.Config{Orgs: a.Store, Checklists: a.Store, Packs: a.ActiveFor})
	i := slices.IndexFunc(list, func(j jobs.Job) bool { return j.Name == "checklists" })
	if i < 0 {
		t.Fatalf("no checklists job in %v", list)
	}
	job := list[i]
	if _, err := job.Fn(ctx, now); err != nil {
		t.Fatal(err)
	}
	offboarding := func() *distans.Checklist {
		t.Helper()
		cs, err := a.Services.Checklists.ListChecklists(sys, distans.ChecklistFilter{PersonID: person.ID, Event: distans.EventEmploymentEnd})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 {
			t.Fatalf("%d offboarding checklists", len(cs))
		}
		return cs[0]
	}
	task := func(c *distans.Checklist, id string) *distans.ChecklistTask {
		t.Helper()
		for _, k := range c.Tasks {
			if k.TaskID == id {
				return k
			}
		}
		t.Fatalf("no task %s in %+v", id, c)
		return nil
	}
	cl := offboarding()
	if cl.TemplateID != "offboarding" || !cl.EventOn.Equal(today) || cl.State != distans.ChecklistOpen {
		t.Fatalf("the checklist %+v", cl)
	}
	if k := task(cl, "account_closed"); k.State != distans.TaskStateOpen || !k.DueOn.Equal(today.AddDate(0, 0, 1)) {
		t.Fatalf("account_closed on the last day: %+v", k)
	}

	// The account is closed on the day, whatever the checklist says.
	if st := signIn(); st == http.StatusSeeOther {
		t.Fatal("the deactivated person signed in on their last day")
	}

	// The day after the end, Distans ticks the account closed.
	if _, err := job.Fn(ctx, now.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if k := task(offboarding(), "account_closed"); k.State != distans.TaskStateDone || !k.Auto {
		t.Fatalf("account_closed the day after: %+v", k)
	}
}
