package main

// With -training, distans-bench measures the coverage pages of issue 16
// (Kristianstad 003, Utbildning: each unit manager sees to it that their
// staff have taken Disa):
//
//	go run ./cmd/distans-bench -training -db sqlite:/tmp/bench.db -bin /tmp/distans [-duration 10s]
//
// It seeds as the default run does (the organisation "bench" with -people
// people), and once in addition: Kristianstad's pack as the organisation's
// (Disa required of everyone within 30 days of the first day), Disa
// completed by two people in three, and p000000 manager of Avdelning
// 01.01 (a tenth of a förvaltning: 500 of 50,000 people) with the bench
// password. Then GET /training/coverage?course=disa as that manager (the
// page lists who is missing it, most overdue first) with 1 and 16
// clients, and as HR over the whole organisation with 1 and 4.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/auth"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore"
)

const trainingManager = "p000000@bench.example"

func runTraining(ctx context.Context, c *config, out io.Writer) error {
	start := time.Now()
	if _, err := seed(ctx, c, out); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if err := seedTraining(ctx, c, out); err != nil {
		return fmt.Errorf("seed training: %w", err)
	}
	fmt.Fprintf(out, "seeded in %s\n", time.Since(start).Round(time.Millisecond))
	if !strings.HasPrefix(c.DSN, "sqlite:") {
		if err := vacuumOffice(ctx, c.DSN, out); err != nil {
			return err
		}
	}
	srv, err := startServer(ctx, c.Bin, c.DSN)
	if err != nil {
		return err
	}
	defer srv.stop()
	fmt.Fprintf(out, "server pid %d on %s\n", srv.cmd.Process.Pid, srv.base)
	hr, err := signIn(ctx, srv.base, benchEmail, benchPassword)
	if err != nil {
		return fmt.Errorf("sign in as HR: %w (server output: %s)", err, srv.out.String())
	}
	manager, err := signIn(ctx, srv.base, trainingManager, benchPassword)
	if err != nil {
		return fmt.Errorf("sign in as the manager: %w (server output: %s)", err, srv.out.String())
	}
	coverage := func(name string) scenario {
		return scenario{name, func(ctx context.Context, base string, _ *rand.Rand, a creds) (*http.Request, error) {
			return page(ctx, base+"/training/coverage?course=disa", a)
		}}
	}
	runs := []struct {
		sc      scenario
		a       creds
		clients int
	}{
		{coverage("GET /training/coverage (manager, 500 people)"), creds{cookie: manager}, 1},
		{coverage("GET /training/coverage (manager, 500 people)"), creds{cookie: manager}, 16},
		{coverage("GET /training/coverage (HR, the organisation)"), creds{cookie: hr}, 1},
		{coverage("GET /training/coverage (HR, the organisation)"), creds{cookie: hr}, 4},
	}
	var results []*result
	for _, run := range runs {
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(out, "running %s for %s with %d clients…\n", run.sc.name, c.Duration, run.clients)
		results = append(results, runScenario(ctx, srv.base, run.sc, run.a, run.clients, c.Duration, nil))
	}
	fmt.Fprintln(out)
	printResults(out, results)
	if err := srv.stop(); err != nil {
		return fmt.Errorf("stop server: %w", err)
	}
	return ctx.Err()
}

// seedTraining gives the bench organisation Kristianstad's pack, Disa
// completed by two people in three and the manager of Avdelning 01.01,
// unless done before (the manager holds the role).
func seedTraining(ctx context.Context, c *config, out io.Writer) error {
	st, err := sqlstore.Open(ctx, c.DSN)
	if err != nil {
		return err
	}
	defer st.Close()
	o, err := st.FindOrganisationBySlug(distans.NewContext(ctx, distans.SystemActor("")), benchSlug)
	if err != nil {
		return err
	}
	sys := distans.NewContext(ctx, distans.SystemActor(o.ID))
	mgr, err := benchPerson(sys, st, trainingManager)
	if err != nil {
		return err
	}
	if roles, err := st.ListRoleAssignments(sys, distans.RoleFilter{PersonID: mgr.ID, Role: distans.RoleManager}); err != nil {
		return err
	} else if len(roles) > 0 {
		return nil // seeded before
	}
	hr, err := benchPerson(sys, st, benchEmail)
	if err != nil {
		return err
	}
	grants, err := st.Grants(sys, o.ID, hr.ID)
	if err != nil {
		return err
	}
	hrCtx := distans.NewContext(ctx, &distans.Actor{OrganisationID: o.ID, PersonID: hr.ID, Name: hr.Name, Grants: grants})

	src, err := policy.SeedYAML("kristianstad")
	if err != nil {
		return err
	}
	src = bytes.Replace(src, []byte("slug: kristianstad"), []byte("slug: "+benchSlug), 1)
	packs := policy.NewService(st, st)
	_, v, err := packs.Active(hrCtx)
	if err != nil {
		return err
	}
	base := 0
	if v != nil {
		base = v.Version
	}
	if _, err := packs.Save(hrCtx, base, src, "Kristianstads regler för mätningen"); err != nil {
		return fmt.Errorf("pack: %w", err)
	}

	start := time.Now()
	today := distans.DateOf(time.Now())
	var batch []*distans.TrainingCompletion
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := st.CreateTrainingCompletions(hrCtx, batch)
		batch = batch[:0]
		return err
	}
	people, err := st.TrainingSubjects(hrCtx, "", "")
	if err != nil {
		return err
	}
	done := 0
	for k, p := range people {
		if k%3 == 0 {
			continue
		}
		// Within the last 300 days: after every bench employment began.
		batch = append(batch, &distans.TrainingCompletion{PersonID: p.PersonID, CourseID: "disa",
			CompletedOn: today.AddDate(0, 0, -k%300), Source: distans.CompletionImport})
		done++
		if len(batch) == 500 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "recorded Disa for %d people in %s\n", done, time.Since(start).Round(time.Millisecond))

	units, err := st.ListUnits(sys, distans.UnitFilter{})
	if err != nil {
		return err
	}
	avd := ""
	for _, u := range units {
		if u.Name == "Avdelning 01.01" {
			avd = u.ID
		}
	}
	if avd == "" {
		return fmt.Errorf("no Avdelning 01.01")
	}
	h, err := auth.HashPassword(benchPassword)
	if err != nil {
		return err
	}
	if err := st.SetPasswordHash(sys, o.ID, mgr.ID, h); err != nil {
		return err
	}
	return st.AssignRole(sys, &distans.RoleAssignment{OrganisationID: o.ID, PersonID: mgr.ID, Role: distans.RoleManager, UnitID: avd})
}
