package importer

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/importer/importertest"
)

// imported is the organisation after importing files into an empty one.
func imported(t *testing.T, files []distans.ImportFile) *distans.ImportSnapshot {
	t.Helper()
	return importertest.Apply(nil, mustCheck(t, files, nil, distans.ImportOptions{}))
}

func personByEmpNo(snap *distans.ImportSnapshot, n string) *distans.Person {
	for _, p := range snap.People {
		if p.EmployeeNumber == n {
			return p
		}
	}
	return nil
}

func unitByCode(snap *distans.ImportSnapshot, code string) *distans.Unit {
	for _, u := range snap.Units {
		if u.Code == code {
			return u
		}
	}
	return nil
}

func TestFirstImport(t *testing.T) {
	t.Parallel()
	m := base()
	// Children before parents in the file: created parents first.
	m["enheter.csv"] = "Kod;Namn;Överordnad enhet;Typ;Chef\nE1;Enheten;A1;enhet;1\nA1;Avdelningen;F1;avdelning;\nF1;Förvaltningen;;förvaltning;2\n"
	plan := mustCheck(t, filesOf(m), nil, distans.ImportOptions{})
	var codes []string
	for _, u := range plan.CreateUnits {
		codes = append(codes, u.Code)
	}
	if !slices.Equal(codes, []string{"F1", "A1", "E1"}) {
		t.Errorf("units created in order %v, want parents first", codes)
	}
	ids := map[string]bool{}
	check := func(id, org string) {
		if len(id) != 36 || id[14] != '7' || ids[id] || org != "org" {
			t.Errorf("id %q (uuid v7, unique), organisation %q", id, org)
		}
		ids[id] = true
	}
	for _, u := range plan.CreateUnits {
		check(u.ID, u.OrganisationID)
	}
	for _, p := range plan.CreatePeople {
		check(p.ID, p.OrganisationID)
	}
	for _, e := range plan.CreateEmployments {
		check(e.ID, e.OrganisationID)
	}
	snap := importertest.Apply(nil, plan)
	asa, bjorn := personByEmpNo(snap, "1"), personByEmpNo(snap, "2")
	if asa.PersonalNumber != "19121212-1212" || asa.Language != "sv" || bjorn.Email != "bjorn@exempelby.se" {
		t.Errorf("people %+v %+v", asa, bjorn)
	}
	if f1, e1 := unitByCode(snap, "F1"), unitByCode(snap, "E1"); f1.ManagerID != bjorn.ID || e1.ManagerID != asa.ID || e1.Kind != distans.UnitSection {
		t.Errorf("units %+v %+v", f1, e1)
	}
	want := distans.ImportSummary{
		Units: distans.ImportCount{Create: 3}, Sites: distans.ImportCount{Create: 1}, People: distans.ImportCount{Create: 3},
		Employments: distans.ImportCount{Create: 3}, Managers: distans.ImportCount{Create: 2}, Rows: 7,
	}
	got := plan.Summary
	got.Files = nil
	if !summaryEqual(got, want) {
		t.Errorf("summary %+v, want %+v", got, want)
	}
	if fs := plan.Summary.Files; len(fs) != 3 || fs[2].Name != "personal.csv" || !slices.Equal(fs[2].Kinds, []string{"people", "employments"}) || fs[2].Rows != 3 {
		t.Errorf("files %+v", fs)
	}
}

func summaryEqual(a, b distans.ImportSummary) bool {
	return a.Units == b.Units && a.Sites == b.Sites && a.People == b.People && a.Employments == b.Employments &&
		a.Managers == b.Managers && a.Roles == b.Roles && a.Leaves == b.Leaves && a.EndingTotal == b.EndingTotal &&
		len(a.Ending) == len(b.Ending) && a.Rows == b.Rows
}

func TestIdempotent(t *testing.T) {
	t.Parallel()
	files := importertest.Files(600)
	first := mustCheck(t, files, nil, distans.ImportOptions{})
	snap := importertest.Apply(nil, first)
	end := today.AddDate(0, 1, 0)
	for _, opts := range []distans.ImportOptions{{}, {Full: true, EndMissingOn: &end}} {
		again := mustCheck(t, files, snap, opts)
		if n := again.Changes(); n != 0 {
			t.Fatalf("full %v: %d changes on importing the same files again: %+v", opts.Full, n, again.Summary)
		}
		s, f := again.Summary, first.Summary
		if s.People.Unchanged != f.People.Create || s.Units.Unchanged != f.Units.Create || s.Sites.Unchanged != f.Sites.Create ||
			s.Employments.Unchanged != f.Employments.Create || s.Managers.Unchanged != f.Managers.Create ||
			s.Roles.Unchanged != f.Roles.Create || s.Leaves.Unchanged != f.Leaves.Create {
			t.Errorf("again %+v\nfirst %+v", s, f)
		}
	}
}

// replace returns m with old replaced by new in file name, failing when
// old is not there.
func replace(t *testing.T, m map[string]string, name, old, new string) {
	t.Helper()
	if !strings.Contains(m[name], old) {
		t.Fatalf("%s has no %q", name, old)
	}
	m[name] = strings.Replace(m[name], old, new, 1)
}

func TestChangedFile(t *testing.T) {
	t.Parallel()
	m := base()
	snap := imported(t, filesOf(m))
	replace(t, m, "personal.csv", "2;Björn Ek;Bjorn@Exempelby.se;;A1;Chef;HUS;2019-05-01;", "2;Björn Ek;bjorn.ek@exempelby.se;;A1;Chef;HUS;2019-05-01;")
	replace(t, m, "personal.csv", "3;Märta Ågren;marta@exempelby.se;;E1;Rektor;;2018-08-01;2030-06-30", "3;Märta Ågren;marta@exempelby.se;;E2;Rektor;HUS;2018-08-01;2027-06-30")
	m["enheter.csv"] += "E2;Nya enheten;F1;enhet;3\n"
	replace(t, m, "enheter.csv", "A1;Avdelningen;F1;avdelning;", "A1;Avdelningen för skola;F1;avdelning;1")
	plan := mustCheck(t, filesOf(m), snap, distans.ImportOptions{})
	if len(plan.CreateUnits) != 1 || plan.CreateUnits[0].Code != "E2" || plan.CreateUnits[0].ManagerID != personByEmpNo(snap, "3").ID {
		t.Errorf("create units %+v", plan.CreateUnits)
	}
	if len(plan.UpdateUnits) != 1 || plan.UpdateUnits[0].Name != "Avdelningen för skola" || plan.UpdateUnits[0].ID != unitByCode(snap, "A1").ID {
		t.Errorf("update units %+v", plan.UpdateUnits)
	}
	if len(plan.UpdatePeople) != 1 || plan.UpdatePeople[0].Email != "bjorn.ek@exempelby.se" || plan.UpdatePeople[0].ID != personByEmpNo(snap, "2").ID {
		t.Errorf("update people %+v", plan.UpdatePeople)
	}
	if len(plan.UpdateEmployments) != 1 || plan.UpdateEmployments[0].UnitID != plan.CreateUnits[0].ID ||
		plan.UpdateEmployments[0].SiteID == "" || !plan.UpdateEmployments[0].EndsOn.Equal(day("2027-06-30")) {
		t.Errorf("update employments %+v", plan.UpdateEmployments)
	}
	if n := plan.Changes(); n != 4 {
		t.Errorf("%d changes, want 4", n)
	}
	s := plan.Summary
	if s.Units != (distans.ImportCount{Create: 1, Update: 1, Unchanged: 2}) || s.Managers != (distans.ImportCount{Create: 2, Unchanged: 2}) ||
		s.People != (distans.ImportCount{Update: 1, Unchanged: 2}) || s.Employments != (distans.ImportCount{Update: 1, Unchanged: 2}) {
		t.Errorf("summary %+v", s)
	}
	if again := mustCheck(t, filesOf(m), importertest.Apply(snap, plan), distans.ImportOptions{}); again.Changes() != 0 {
		t.Errorf("the changed files again: %+v", again.Summary)
	}
}

func TestMatching(t *testing.T) {
	t.Parallel()
	ended := day("2024-01-01")
	snap := &distans.ImportSnapshot{
		Units: []*distans.Unit{{ID: "u-1", OrganisationID: "org", Code: "E1", Name: "Enheten", Kind: distans.UnitSection, EndedOn: &ended},
			{ID: "u-hand", OrganisationID: "org", Name: "Utan kod", Kind: distans.UnitSection, ManagerID: "p-1"}},
		People: []*distans.Person{{ID: "p-1", OrganisationID: "org", Name: "Åsa Öberg", Email: "asa@exempelby.se", Language: "en",
			PersonalNumber: "19121212-1212", Phone: "070-111 11 11"}},
		Employments: []*distans.Employment{{ID: "e-1", OrganisationID: "org", PersonID: "p-1", UnitID: "u-1", Title: "Lärare", StartsOn: day("2015-01-01")}},
	}
	files := []distans.ImportFile{
		{Name: "enheter.csv", Content: []byte("Kod;Namn\nE1;Enheten\n")},
		// Matched on the e-mail address; it gains an employee number and
		// keeps its personal number and language; no phone column, so the
		// phone stays. The new employment ends the one it follows.
		{Name: "personal.csv", Content: []byte("Anstnr;Namn;E-post;Enhet;Befattning;Startdatum\n77;Åsa Öberg;ASA@exempelby.se;E1;Rektor;2026-02-01\n")},
	}
	plan := mustCheck(t, files, snap, distans.ImportOptions{})
	if len(plan.UpdateUnits) != 1 || plan.UpdateUnits[0].EndedOn != nil || plan.Summary.Units.Update != 1 {
		t.Errorf("a listed unit that had ended is reopened: %+v", plan.UpdateUnits)
	}
	if len(plan.CreatePeople) != 0 || len(plan.UpdatePeople) != 1 {
		t.Fatalf("people %+v %+v", plan.CreatePeople, plan.UpdatePeople)
	}
	if p := plan.UpdatePeople[0]; p.ID != "p-1" || p.EmployeeNumber != "77" || p.PersonalNumber != "19121212-1212" || p.Language != "en" || p.Phone != "070-111 11 11" {
		t.Errorf("person %+v", p)
	}
	if len(plan.CreateEmployments) != 1 || len(plan.UpdateEmployments) != 1 {
		t.Fatalf("employments %+v %+v", plan.CreateEmployments, plan.UpdateEmployments)
	}
	if e := plan.UpdateEmployments[0]; e.ID != "e-1" || !e.EndsOn.Equal(day("2026-01-31")) || e.Title != "Lärare" {
		t.Errorf("the earlier employment %+v, want it ended 2026-01-31", e)
	}
	if s := plan.Summary.Employments; s != (distans.ImportCount{Create: 1, End: 1}) {
		t.Errorf("employments %+v", s)
	}
	if again := mustCheck(t, files, importertest.Apply(snap, plan), distans.ImportOptions{}); again.Changes() != 0 {
		t.Errorf("again: %+v", again.Summary)
	}
}

func TestFullExport(t *testing.T) {
	t.Parallel()
	m := base()
	snap := imported(t, filesOf(m))
	// Someone whose employment starts after the end date, and someone
	// whose employment has ended already.
	snap.People = append(snap.People,
		&distans.Person{ID: "p-new", OrganisationID: "org", Name: "Ny Nysson", Email: "ny@exempelby.se", EmployeeNumber: "40"},
		&distans.Person{ID: "p-gone", OrganisationID: "org", Name: "Gammal", Email: "gammal@exempelby.se", EmployeeNumber: "41"})
	e1 := unitByCode(snap, "E1").ID
	past := day("2020-12-31")
	snap.Employments = append(snap.Employments,
		&distans.Employment{ID: "e-new", OrganisationID: "org", PersonID: "p-new", UnitID: e1, Title: "Kock", StartsOn: day("2027-03-01")},
		&distans.Employment{ID: "e-gone", OrganisationID: "org", PersonID: "p-gone", UnitID: e1, Title: "Kock", StartsOn: day("2019-03-01"), EndsOn: &past})
	replace(t, m, "personal.csv", "3;Märta Ågren;marta@exempelby.se;;E1;Rektor;;2018-08-01;2030-06-30\n", "")
	marta := personByEmpNo(snap, "3")
	end := day("2027-01-31")

	plan := mustCheck(t, filesOf(m), snap, distans.ImportOptions{})
	if plan.Changes() != 0 {
		t.Errorf("without Full, someone missing is left alone: %+v", plan.Summary)
	}

	plan = mustCheck(t, filesOf(m), snap, distans.ImportOptions{Full: true, EndMissingOn: &end})
	ends := map[string]time.Time{}
	for _, e := range plan.UpdateEmployments {
		ends[e.PersonID] = *e.EndsOn
	}
	want := map[string]time.Time{marta.ID: end, "p-new": day("2027-03-01")}
	if len(ends) != 2 || !ends[marta.ID].Equal(want[marta.ID]) || !ends["p-new"].Equal(want["p-new"]) {
		t.Errorf("ends %v, want %v", ends, want)
	}
	s := plan.Summary
	if s.EndingTotal != 2 || len(s.Ending) != 2 || s.Ending[0].Name != "Märta Ågren" || s.Ending[0].EmployeeNumber != "3" ||
		s.Ending[1].PersonID != "p-new" || s.Employments.End != 2 || plan.Changes() != 2 {
		t.Errorf("summary %+v, %d changes", s, plan.Changes())
	}
	if len(plan.CreatePeople)+len(plan.UpdatePeople) != 0 {
		t.Errorf("people are not deleted or changed: %+v", plan.UpdatePeople)
	}
	if again := mustCheck(t, filesOf(m), importertest.Apply(snap, plan), distans.ImportOptions{Full: true, EndMissingOn: &end}); again.Changes() != 0 {
		t.Errorf("the full export again: %+v", again.Summary)
	}
}

func TestRoleSources(t *testing.T) {
	t.Parallel()
	m := base()
	snap := imported(t, filesOf(m))
	asa, bjorn := personByEmpNo(snap, "1"), personByEmpNo(snap, "2")
	e1 := unitByCode(snap, "E1").ID
	snap.Roles = []*distans.RoleAssignment{
		{ID: "r-imp-hr", PersonID: asa.ID, Role: distans.RoleHR, Source: distans.RoleSourceImport},
		{ID: "r-imp-it", PersonID: bjorn.ID, Role: distans.RoleIT, Source: distans.RoleSourceImport},
		{ID: "r-hand", PersonID: bjorn.ID, Role: distans.RoleAdmin},
		{ID: "r-hand-vaxel", PersonID: asa.ID, Role: distans.RoleSwitchboard, UnitID: e1},
	}

	plan := mustCheck(t, filesOf(m), snap, distans.ImportOptions{})
	if len(plan.EndRoles)+len(plan.CreateRoles) != 0 {
		t.Errorf("without a roles file no role changes: %+v %v", plan.CreateRoles, plan.EndRoles)
	}

	// The file keeps Åsa's HR, lists the switchboard role granted by
	// hand, adds a unit role and drops Björn's imported IT role.
	m["roller.csv"] = "Anställningsnummer;Roll;Enhet\n1;hr;\n1;Växel;E1\n2;Chef;E1\n2;Chef;E1\n"
	plan = mustCheck(t, filesOf(m), snap, distans.ImportOptions{})
	if !slices.Equal(plan.EndRoles, []string{"r-imp-it"}) {
		t.Errorf("end roles %v, want only the imported one no longer listed", plan.EndRoles)
	}
	if len(plan.CreateRoles) != 1 {
		t.Fatalf("create roles %+v", plan.CreateRoles)
	}
	if r := plan.CreateRoles[0]; r.PersonID != bjorn.ID || r.Role != distans.RoleManager || r.UnitID != e1 || r.Source != distans.RoleSourceImport {
		t.Errorf("role %+v", r)
	}
	if s := plan.Summary.Roles; s != (distans.ImportCount{Create: 1, End: 1, Unchanged: 2}) {
		t.Errorf("roles %+v", s)
	}
	if again := mustCheck(t, filesOf(m), importertest.Apply(snap, plan), distans.ImportOptions{}); again.Changes() != 0 {
		t.Errorf("again: %+v", again.Summary)
	}

	// An empty roles file ends every imported role and nothing else.
	m["roller.csv"] = "Anställningsnummer;Roll;Enhet\n"
	plan = mustCheck(t, filesOf(m), snap, distans.ImportOptions{})
	if !slices.Equal(plan.EndRoles, []string{"r-imp-hr", "r-imp-it"}) {
		t.Errorf("end roles %v", plan.EndRoles)
	}
}

func TestManagersAndLeave(t *testing.T) {
	t.Parallel()
	m := base()
	m["ledigheter.csv"] = "Anställningsnummer;Typ;Startdatum;Slutdatum\n1;Föräldraledighet;2026-09-01;\n2;studieledig;2026-01-10;2026-06-30\n"
	snap := imported(t, filesOf(m))
	if len(snap.Leaves) != 2 || snap.Leaves[0].Kind != distans.LeaveParental || snap.Leaves[1].Kind != distans.LeaveStudy {
		t.Fatalf("leaves %+v", snap.Leaves)
	}
	// A managers file changes E1's manager; the units file's empty cell
	// takes A1's away... A1 has none; F1 keeps Björn.
	m["chefer.csv"] = "Enhet;Chef\nE1;3\n"
	replace(t, m, "enheter.csv", "E1;Enheten;A1;enhet;1", "E1;Enheten;A1;enhet;")
	replace(t, m, "enheter.csv", "F1;Förvaltningen;;förvaltning;2", "F1;Förvaltningen;;förvaltning;")
	m["ledigheter.csv"] = "Anställningsnummer;Typ;Startdatum;Slutdatum\n1;foraldraledighet;20260901;20270228\n2;Studieledighet;2026-01-10;2026-06-30\n"
	plan := mustCheck(t, filesOf(m), snap, distans.ImportOptions{})
	if s := plan.Summary.Managers; s != (distans.ImportCount{Update: 1, End: 1}) {
		t.Errorf("managers %+v", s)
	}
	mgr := map[string]string{}
	for _, u := range plan.UpdateUnits {
		mgr[u.Code] = u.ManagerID
	}
	if len(mgr) != 2 || mgr["E1"] != personByEmpNo(snap, "3").ID || mgr["F1"] != "" {
		t.Errorf("managers %v", mgr)
	}
	if len(plan.UpdateLeaves) != 1 || !plan.UpdateLeaves[0].EndsOn.Equal(day("2027-02-28")) || plan.Summary.Leaves != (distans.ImportCount{Update: 1, Unchanged: 1}) {
		t.Errorf("leaves %+v %+v", plan.UpdateLeaves, plan.Summary.Leaves)
	}
}

func TestProgress(t *testing.T) {
	t.Parallel()
	var calls [][2]int
	mustCheckProgress := func() {
		_, errs, err := Check("org", importertest.Files(3000), nil, distans.ImportOptions{}, today, func(done, total int) {
			calls = append(calls, [2]int{done, total})
		})
		if err != nil || len(errs) > 0 {
			t.Fatal(err, errs)
		}
	}
	mustCheckProgress()
	if len(calls) < 2 {
		t.Fatalf("progress %v", calls)
	}
	for i, c := range calls {
		if c[0] > c[1] || i > 0 && c[0] < calls[i-1][0] {
			t.Errorf("progress %v", calls)
		}
	}
	if last := calls[len(calls)-1]; last[0] != last[1] {
		t.Errorf("last progress %v", last)
	}
}
