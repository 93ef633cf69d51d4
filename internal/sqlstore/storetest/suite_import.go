package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// newImport uploads an import of one small file as the admin and moves it
// to queued, as a checked and confirmed import would be.
func newImport(t testing.TB, s *sqlstore.Store, admin context.Context) *distans.Import {
	t.Helper()
	imp := &distans.Import{Options: distans.ImportOptions{Full: true, EndMissingOn: ptr(Day(2026, 1, 31))}}
	Must(t, s.CreateImport(admin, imp, []distans.ImportFile{{Name: "personal.csv", Content: []byte("anstnr;namn\n1;Anna\n")}}))
	imp.Status = distans.ImportChecked
	imp.Summary = &distans.ImportSummary{Rows: 1}
	Must(t, s.SaveImportProgress(admin, imp))
	imp, err := s.QueueImport(admin, imp.ID)
	Must(t, err)
	return imp
}

// planOf returns a plan function that returns p whatever the snapshot.
func planOf(p *distans.ImportPlan) func(*distans.ImportSnapshot) (*distans.ImportPlan, error) {
	return func(*distans.ImportSnapshot) (*distans.ImportPlan, error) { return p, nil }
}

// snapshotOf reads the organisation as an import sees it.
func snapshotOf(t testing.TB, s *sqlstore.Store, orgID string) *distans.ImportSnapshot {
	t.Helper()
	snap, err := s.ImportSnapshot(System(orgID), orgID)
	Must(t, err)
	return snap
}

// orgState is everything an import may change in an organisation: its
// records, its audit head, its imports and their files.
type orgState struct {
	Snap    *distans.ImportSnapshot
	Head    distans.AuditHead
	Imports []*distans.Import
	Files   int
	Terms   int
}

func stateOf(t testing.TB, s *sqlstore.Store, orgID string) orgState {
	t.Helper()
	st := orgState{Snap: snapshotOf(t, s, orgID)}
	heads, err := s.AuditHeads(context.Background())
	Must(t, err)
	for _, h := range heads {
		if h.OrganisationID == orgID {
			st.Head = *h
			st.Head.At = time.Time{}
		}
	}
	st.Imports, err = s.ListImports(System(orgID))
	Must(t, err)
	db := Raw(t, s)
	Must(t, db.QueryRow(`SELECT COUNT(*) FROM import_files WHERE organisation_id = $1`, orgID).Scan(&st.Files))
	Must(t, db.QueryRow(`SELECT COALESCE(SUM(LENGTH(terms) + LENGTH(dir_terms)), 0) FROM people WHERE organisation_id = $1`, orgID).Scan(&st.Terms))
	return st
}

func wantSameState(t testing.TB, before, after orgState) {
	t.Helper()
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("the organisation changed:\nbefore %+v\nafter  %+v", before, after)
	}
}

func wantChainIntact(t testing.TB, s *sqlstore.Store) {
	t.Helper()
	b, err := s.VerifyAuditChains(context.Background())
	if err != nil || b != nil {
		t.Fatalf("audit chains: %v %v", b, err)
	}
}

// ImportApply applies a plan with something of every kind and reads back
// what it wrote.
func ImportApply(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	a := w.A.ID
	admin := As(t, s, w.Admin)
	imp := newImport(t, s, admin)
	beforeB := stateOf(t, s, w.B.ID)

	site := &distans.Site{ID: "site-import-1", Code: "S1", Name: "Skolan", Kind: distans.SiteMain, City: "Bjurholm"}
	// Two new units, parent first, under the root; Y moves under X.
	n := &distans.Unit{ID: "unit-import-n", Code: "N", Name: "Nya avdelningen", Kind: distans.UnitDepartment, ParentID: w.Root.ID}
	n1 := &distans.Unit{ID: "unit-import-n1", Code: "N1", Name: "Nya enheten", Kind: distans.UnitSection, ParentID: n.ID}
	y := *w.Y
	y.ParentID, y.Code = w.X.ID, "Y"
	anna := &distans.Person{ID: "person-import-anna", Name: "Anna Import", Email: "Anna.Import@Example.se", EmployeeNumber: "9001"}
	bo := &distans.Person{ID: "person-import-bo", Name: "Bo Ärlig", Email: "bo.arlig@example.se", EmployeeNumber: "9002",
		PersonalNumber: "19811218-9876"}
	cia := &distans.Person{ID: "person-import-cia", Name: "Cia Slutat", Email: "cia@example.se", EmployeeNumber: "9003"}
	n.ManagerID = anna.ID
	x1 := *w.X1
	x1.ManagerID = bo.ID
	empY := *w.EmpY
	empY.Phone = "0932-140 00"
	empY.Name = "Yngve Ystad-Ek"
	endX1 := *w.EmpX1Employment
	endX1.EndsOn = ptr(Day(2025, 6, 30))
	today := distans.Today(time.Now(), w.A.Location())
	plan := &distans.ImportPlan{
		CreateSites:  []*distans.Site{site},
		CreateUnits:  []*distans.Unit{n, n1},
		UpdateUnits:  []*distans.Unit{&y, &x1},
		CreatePeople: []*distans.Person{anna, bo, cia},
		UpdatePeople: []*distans.Person{&empY},
		CreateEmployments: []*distans.Employment{
			{ID: "emp-import-anna", PersonID: anna.ID, UnitID: n.ID, Title: "Avdelningschef", SiteID: site.ID, StartsOn: Day(2024, 1, 1)},
			{ID: "emp-import-bo", PersonID: bo.ID, UnitID: n1.ID, Title: "Enhetschef", StartsOn: Day(2024, 1, 1)},
			{ID: "emp-import-cia-1", PersonID: cia.ID, UnitID: n1.ID, Title: "Lärare", StartsOn: Day(2019, 1, 1), EndsOn: ptr(Day(2020, 12, 31))},
			{ID: "emp-import-cia-2", PersonID: cia.ID, UnitID: n.ID, Title: "Rektor", StartsOn: Day(2021, 1, 1), EndsOn: ptr(today.AddDate(0, 0, -1))},
		},
		UpdateEmployments: []*distans.Employment{&endX1},
		CreateRoles:       []*distans.RoleAssignment{{PersonID: cia.ID, Role: distans.RoleHR, UnitID: n.ID, Source: distans.RoleSourceImport}},
		CreateLeaves:      []*distans.Leave{{PersonID: anna.ID, Kind: distans.LeaveStudy, StartsOn: Day(2025, 1, 1), EndsOn: ptr(Day(2025, 3, 31))}},
		Summary:           distans.ImportSummary{Rows: 9, People: distans.ImportCount{Create: 3, Update: 1}},
	}
	var reported []int
	Must(t, s.ApplyImport(System(a), imp, planOf(plan), func(done int) { reported = append(reported, done) }))
	if len(reported) == 0 || reported[len(reported)-1] != plan.Changes() || !slices.IsSorted(reported) {
		t.Fatalf("progress %v of %d", reported, plan.Changes())
	}
	if imp.Status != distans.ImportDone || imp.Done != plan.Changes() || imp.FinishedAt == nil || imp.Summary == nil || imp.Summary.People.Create != 3 {
		t.Fatalf("import after apply: %+v", imp)
	}
	got, err := s.FindImport(admin, imp.ID)
	Must(t, err)
	if got.Status != distans.ImportDone || got.Summary == nil || got.Summary.Rows != 9 || got.Done != plan.Changes() {
		t.Fatalf("stored import: %+v", got)
	}
	if files, err := s.ImportFiles(admin, a, imp.ID); err != nil || len(files) != 0 {
		t.Fatalf("files kept after the import: %d %v", len(files), err)
	}

	// Units: codes, paths from the parents, Y moved with its people.
	units := map[string]*distans.Unit{}
	list, err := s.ListUnits(admin, distans.UnitFilter{IncludeEnded: true})
	Must(t, err)
	for _, u := range list {
		units[u.ID] = u
	}
	if u := units[n1.ID]; u == nil || u.Path != w.Root.Path+n.ID+"/"+n1.ID+"/" || u.Code != "N1" {
		t.Fatalf("new unit N1: %+v", u)
	}
	if u := units[w.Y.ID]; u.Path != w.X.Path+w.Y.ID+"/" || u.Code != "Y" || u.ParentID != w.X.ID {
		t.Fatalf("moved unit Y: %+v", u)
	}
	if hits, _, err := s.SearchDirectory(admin, distans.DirectoryFilter{Query: "yngve", UnitID: w.X.ID}, time.Now()); err != nil || len(hits) != 1 {
		t.Fatalf("the directory in X after Y moved there: %d, %v", len(hits), err)
	}
	if u := units[n.ID]; u.ManagerID != anna.ID {
		t.Fatalf("manager of N: %+v", u)
	}
	if u := units[w.X1.ID]; u.ManagerID != bo.ID {
		t.Fatalf("manager of X1: %+v", u)
	}
	// People: placed by their current or latest employment, found by search.
	for _, tc := range []struct {
		p                    *distans.Person
		unitID, path, title  string
		siteID, name, phone  string
		email, maskedPersNum string
	}{
		{anna, n.ID, w.Root.Path + n.ID + "/", "Avdelningschef", site.ID, "Anna Import", "", "anna.import@example.se", ""},
		{bo, n1.ID, w.Root.Path + n.ID + "/" + n1.ID + "/", "Enhetschef", "", "Bo Ärlig", "", "bo.arlig@example.se", "19811218-****"},
		{cia, n.ID, w.Root.Path + n.ID + "/", "Rektor", "", "Cia Slutat", "", "cia@example.se", ""},
		{w.EmpY, w.Y.ID, w.X.Path + w.Y.ID + "/", "Handläggare", "", "Yngve Ystad-Ek", "0932-140 00", w.EmpY.Email, ""},
	} {
		p, err := s.FindPerson(admin, tc.p.ID)
		Must(t, err)
		if p.UnitID != tc.unitID || p.UnitPath != tc.path || p.Title != tc.title || p.SiteID != tc.siteID || p.Name != tc.name ||
			p.Phone != tc.phone || p.Email != tc.email || p.PersonalNumberMasked != tc.maskedPersNum {
			t.Errorf("%s: %+v", tc.name, p)
		}
	}
	for _, q := range []string{"anna import", "ärlig", "9003", "rektor cia", "ystad-ek"} {
		found, _, err := s.ListPeople(admin, distans.PersonFilter{Query: q})
		Must(t, err)
		if len(found) != 1 {
			t.Errorf("search %q: %v", q, names(found))
		}
	}
	if found, _, _ := s.ListPeople(admin, distans.PersonFilter{Query: "yngve ystad"}); len(found) != 1 {
		t.Errorf("search for the updated name: %v", names(found))
	}
	// Employments: the ended one, and a placement ListPeople filters on.
	emps, err := s.ListEmployments(admin, w.EmpX1.ID)
	Must(t, err)
	if len(emps) != 1 || emps[0].EndsOn == nil || !emps[0].EndsOn.Equal(Day(2025, 6, 30)) {
		t.Fatalf("ended employment: %+v", emps)
	}
	inN, _, err := s.ListPeople(admin, distans.PersonFilter{UnitID: n.ID})
	Must(t, err)
	if want := []string{"Anna Import", "Bo Ärlig", "Cia Slutat"}; !slices.Equal(names(inN), want) {
		t.Fatalf("people in N: %v", names(inN))
	}
	// Roles: a chef for each new manager, by the rule of managers (no
	// source), and the imported role.
	roles, err := s.ListRoleAssignments(admin, distans.RoleFilter{})
	Must(t, err)
	var got3 []string
	for _, r := range roles {
		if r.PersonID == anna.ID || r.PersonID == bo.ID || r.PersonID == cia.ID {
			got3 = append(got3, string(r.Role)+"@"+r.UnitID+":"+r.Source)
		}
	}
	slices.Sort(got3)
	want3 := []string{"chef@" + n.ID + ":", "chef@" + w.X1.ID + ":", "hr@" + n.ID + ":import"}
	slices.Sort(want3)
	if !slices.Equal(got3, want3) {
		t.Fatalf("roles: %v, want %v", got3, want3)
	}
	grants, err := s.Grants(context.Background(), a, bo.ID)
	Must(t, err)
	if len(grants) != 1 || grants[0].Role != distans.RoleManager || grants[0].UnitPath != w.X1.Path {
		t.Fatalf("grants of the new chef: %+v", grants)
	}
	leaves, err := s.ListLeaves(admin, anna.ID)
	Must(t, err)
	if len(leaves) != 1 || leaves[0].Kind != distans.LeaveStudy {
		t.Fatalf("leaves: %+v", leaves)
	}
	// The audit trail: one event per record, the import's with the counts,
	// and the chain verifies.
	evs, err := s.ListAuditEvents(admin, distans.AuditFilter{Action: "import.apply"})
	Must(t, err)
	if len(evs) != 1 || !strings.Contains(evs[0].Summary, "people 3 created, 1 updated") || evs[0].RecordID != imp.ID {
		t.Fatalf("import event: %+v", evs)
	}
	for action, want := range map[string]int{"unit.create": 2, "unit.update": 2, "site.create": 1, "person.create": 3,
		"person.update": 1, "employment.create": 4, "employment.end": 1, "role.assign": 3, "leave.create": 1} {
		evs, err := s.ListAuditEvents(admin, distans.AuditFilter{Action: action, From: imp.CreatedAt, Limit: 1000})
		Must(t, err)
		if len(evs) != want {
			t.Errorf("%s events: %d, want %d", action, len(evs), want)
		}
	}
	wantChainIntact(t, s)
	// Nothing in the other organisation changed.
	wantSameState(t, beforeB, stateOf(t, s, w.B.ID))

	// A second import ends the imported role and leaves hand-granted ones
	// alone; it refuses to end one granted by hand.
	var hr *distans.RoleAssignment
	for _, r := range roles {
		if r.Source == distans.RoleSourceImport {
			hr = r
		}
	}
	handHR := Assign(t, s, w.EmpY, distans.RoleHR, w.Y.ID)
	imp2 := newImport(t, s, admin)
	err = s.ApplyImport(System(a), imp2, planOf(&distans.ImportPlan{EndRoles: []string{handHR.ID}}), nil)
	WantCode(t, err, distans.EINVALID)
	Must(t, s.ApplyImport(System(a), imp2, planOf(&distans.ImportPlan{EndRoles: []string{hr.ID}}), nil))
	after, err := s.ListRoleAssignments(admin, distans.RoleFilter{IncludeEnded: true, PersonID: cia.ID})
	Must(t, err)
	if len(after) != 1 || after[0].EndedAt == nil {
		t.Fatalf("ended imported role: %+v", after)
	}
	// An import that is done is not applied again.
	err = s.ApplyImport(System(a), imp2, planOf(&distans.ImportPlan{}), nil)
	WantCode(t, err, distans.ECONFLICT)
	wantChainIntact(t, s)
}

// ImportApplyNothing applies an empty plan: only the import is done.
func ImportApplyNothing(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)
	imp := newImport(t, s, admin)
	before := stateOf(t, s, w.A.ID)
	var snap *distans.ImportSnapshot
	Must(t, s.ApplyImport(admin, imp, func(sn *distans.ImportSnapshot) (*distans.ImportPlan, error) {
		snap = sn
		return &distans.ImportPlan{}, nil
	}, nil))
	if len(snap.People) != 6 || len(snap.Units) != 4 || len(snap.Employments) != 6 || len(snap.Sites) != 1 || len(snap.Roles) != 4 {
		t.Fatalf("snapshot: %d people, %d units, %d employments, %d sites, %d roles",
			len(snap.People), len(snap.Units), len(snap.Employments), len(snap.Sites), len(snap.Roles))
	}
	after := stateOf(t, s, w.A.ID)
	if !reflect.DeepEqual(before.Snap, after.Snap) || before.Terms != after.Terms {
		t.Fatal("an empty plan changed records")
	}
	if after.Head.Seq != before.Head.Seq+1 || after.Files != 0 || after.Imports[0].Status != distans.ImportDone {
		t.Fatalf("after an empty plan: head %d → %d, files %d, import %+v", before.Head.Seq, after.Head.Seq, after.Files, after.Imports[0])
	}
	wantChainIntact(t, s)
}

// ImportApplyFailure fails an apply in several ways and finds the
// organisation exactly as it was each time.
func ImportApplyFailure(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	a := w.A.ID
	admin := As(t, s, w.Admin)
	imp := newImport(t, s, admin)
	many := func(n int) []*distans.Person {
		var ps []*distans.Person
		for i := range n {
			ps = append(ps, &distans.Person{ID: "many-" + string(rune('a'+i%26)) + strings.Repeat("x", i/26),
				Name: "Many " + string(rune('A'+i%26)), Email: "many" + strings.Repeat("x", i) + "@example.se"})
		}
		return ps
	}
	unit := &distans.Unit{ID: "u-fail", Name: "Ny", Kind: distans.UnitSection, ParentID: w.Root.ID}
	_, err := s.UpdateUnit(admin, w.Y.ID, distans.UnitUpdate{Code: ptr("TAKEN")})
	Must(t, err)
	cycleX := *w.X
	cycleX.ParentID = w.X1.ID
	endedY, endedX := *w.Y, *w.X
	endedY.EndedOn, endedX.EndedOn = ptr(Day(2025, 12, 31)), ptr(Day(2025, 12, 31))
	planErr := errors.New("the organisation changed since the dry run")
	tests := []struct {
		name string
		plan func(*distans.ImportSnapshot) (*distans.ImportPlan, error)
		code string
	}{
		{"plan fails", func(*distans.ImportSnapshot) (*distans.ImportPlan, error) { return nil, planErr }, distans.EINTERNAL},
		{"code taken after people and units are written", planOf(&distans.ImportPlan{
			CreatePeople: many(40),
			CreateUnits:  []*distans.Unit{unit, {ID: "u-fail-2", Code: "TAKEN", Name: "Krock", Kind: distans.UnitSection, ParentID: unit.ID}},
		}), distans.ECONFLICT},
		{"e-mail taken", planOf(&distans.ImportPlan{
			CreatePeople: append(many(3), &distans.Person{ID: "dup", Name: "Dubblett", Email: w.EmpY.Email}),
		}), distans.ECONFLICT},
		{"role held twice", planOf(&distans.ImportPlan{
			CreateRoles: []*distans.RoleAssignment{{PersonID: w.EmpY.ID, Role: distans.RoleIT}, {PersonID: w.EmpY.ID, Role: distans.RoleIT}},
		}), distans.ECONFLICT},
		{"unit cycle", planOf(&distans.ImportPlan{UpdateUnits: []*distans.Unit{&cycleX}}), distans.EINVALID},
		{"employment overlaps", planOf(&distans.ImportPlan{CreateEmployments: []*distans.Employment{
			{PersonID: w.EmpY.ID, UnitID: w.Y.ID, Title: "Extra", StartsOn: Day(2024, 1, 1)}}}), distans.EINVALID},
		{"record of another organisation", planOf(&distans.ImportPlan{
			CreateSites: []*distans.Site{{OrganisationID: w.B.ID, Name: "Fel", Kind: distans.SiteMain}}}), distans.EINVALID},
		{"unknown unit updated", planOf(&distans.ImportPlan{UpdateUnits: []*distans.Unit{w.RootB}}), distans.EINVALID},
		{"employment in another organisation's unit", planOf(&distans.ImportPlan{CreateEmployments: []*distans.Employment{
			{PersonID: w.EmpY.ID, UnitID: w.RootB.ID, Title: "Fel", StartsOn: Day(2030, 1, 1)}}}), distans.EINVALID},
		{"unit ended with people in it", planOf(&distans.ImportPlan{UpdateUnits: []*distans.Unit{&endedY}}), distans.EINVALID},
		{"unit ended with child units and people", planOf(&distans.ImportPlan{UpdateUnits: []*distans.Unit{&endedX}}), distans.EINVALID},
	}
	before := stateOf(t, s, a)
	beforeB := stateOf(t, s, w.B.ID)
	for _, tc := range tests {
		err := s.ApplyImport(System(a), imp, tc.plan, nil)
		if err == nil {
			t.Fatalf("%s: applied", tc.name)
		}
		if distans.ErrorCode(err) != tc.code || tc.name == "plan fails" && !errors.Is(err, planErr) {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
		wantSameState(t, before, stateOf(t, s, a))
	}
	wantSameState(t, beforeB, stateOf(t, s, w.B.ID))
	wantChainIntact(t, s)
}

// ImportIsolation: imports belong to their organisation, and only an
// administrator of the whole organisation imports.
func ImportIsolation(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin, adminB := As(t, s, w.Admin), As(t, s, w.AdminB)
	imp := newImport(t, s, admin)
	_, err := s.FindImport(adminB, imp.ID)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.QueueImport(adminB, imp.ID)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.ImportFiles(adminB, w.A.ID, imp.ID)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.ImportSnapshot(adminB, w.A.ID)
	WantCode(t, err, distans.ENOTFOUND)
	err = s.SaveImportProgress(adminB, imp)
	WantCode(t, err, distans.ENOTFOUND)
	err = s.ApplyImport(adminB, imp, planOf(&distans.ImportPlan{}), nil)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.FindImport(System(w.B.ID), imp.ID)
	WantCode(t, err, distans.ENOTFOUND)
	if list, err := s.ListImports(adminB); err != nil || len(list) != 0 {
		t.Fatalf("B lists A's imports: %v %v", list, err)
	}
	files, err := s.ImportFiles(System(""), w.A.ID, imp.ID)
	if err != nil || len(files) != 1 || files[0].Name != "personal.csv" || string(files[0].Content) != "anstnr;namn\n1;Anna\n" {
		t.Fatalf("files for the worker: %+v %v", files, err)
	}
	for _, p := range []*distans.Person{w.HRX, w.EmpX1, w.ChefX, w.Switchboard} {
		ctx := As(t, s, p)
		err := s.CreateImport(ctx, &distans.Import{}, []distans.ImportFile{{Name: "x.csv", Content: []byte("a")}})
		WantCode(t, err, distans.EFORBIDDEN)
		_, err = s.FindImport(ctx, imp.ID)
		WantCode(t, err, distans.EFORBIDDEN)
		_, err = s.ListImports(ctx)
		WantCode(t, err, distans.EFORBIDDEN)
		_, err = s.QueueImport(ctx, imp.ID)
		WantCode(t, err, distans.EFORBIDDEN)
		err = s.ApplyImport(ctx, imp, planOf(&distans.ImportPlan{}), nil)
		WantCode(t, err, distans.EFORBIDDEN)
		_, err = s.ImportSnapshot(ctx, w.A.ID)
		WantCode(t, err, distans.EFORBIDDEN)
	}
	_, err = s.ClaimImport(admin, time.Now(), time.Minute)
	WantCode(t, err, distans.EFORBIDDEN)
	err = s.CreateImport(admin, &distans.Import{}, nil)
	WantCode(t, err, distans.EINVALID)

	// Statuses: only a checked import is confirmed, once; a finished one
	// keeps its status.
	fresh := &distans.Import{}
	Must(t, s.CreateImport(admin, fresh, []distans.ImportFile{{Name: "a.csv", Content: []byte("x")}}))
	if fresh.Status != distans.ImportChecking || fresh.CreatedBy != w.Admin.ID || fresh.CreatedByName != w.Admin.Name {
		t.Fatalf("new import: %+v", fresh)
	}
	_, err = s.QueueImport(admin, fresh.ID)
	WantCode(t, err, distans.ECONFLICT)
	_, err = s.QueueImport(admin, imp.ID)
	WantCode(t, err, distans.ECONFLICT)
	fresh.Status, fresh.ErrorTotal, fresh.FinishedAt = distans.ImportInvalid, 1, ptr(time.Now())
	fresh.Errors = []distans.ImportRowError{{File: "a.csv", Line: 2, Column: "namn", Sv: "Namn saknas.", En: "Name missing."}}
	Must(t, s.SaveImportProgress(System(w.A.ID), fresh))
	fresh.Status = distans.ImportChecking
	WantCode(t, s.SaveImportProgress(System(w.A.ID), fresh), distans.ECONFLICT)
	got, err := s.FindImport(admin, fresh.ID)
	Must(t, err)
	if got.Status != distans.ImportInvalid || len(got.Errors) != 1 || got.Errors[0].Message("sv") != "Namn saknas." {
		t.Fatalf("invalid import: %+v", got)
	}
	list, err := s.ListImports(admin)
	Must(t, err)
	if len(list) != 2 || list[0].ID != fresh.ID || list[1].ID != imp.ID {
		t.Fatalf("imports newest first: %+v", list)
	}
	evs, err := s.ListAuditEvents(admin, distans.AuditFilter{Action: "import."})
	Must(t, err)
	if len(evs) != 3 || evs[0].Action != "import.create" || evs[1].Action != "import.confirm" {
		t.Fatalf("import events: %+v", evs)
	}
}

// ImportClaimRace: concurrent claimers, on two instances, never get the
// same import, and a claim lasts its lease.
func ImportClaimRace(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	twin := Twin(t, s)
	const n = 6
	want := map[string]bool{}
	for i := range n {
		admin := As(t, s, w.Admin)
		if i%2 == 1 {
			admin = As(t, s, w.AdminB)
		}
		imp := &distans.Import{}
		Must(t, s.CreateImport(admin, imp, []distans.ImportFile{{Name: "a.csv", Content: []byte("x")}}))
		want[imp.ID] = true
	}
	done := &distans.Import{}
	Must(t, s.CreateImport(As(t, s, w.Admin), done, []distans.ImportFile{{Name: "a.csv", Content: []byte("x")}}))
	done.Status = distans.ImportInvalid
	Must(t, s.SaveImportProgress(System(w.A.ID), done))

	at := time.Now()
	var mu sync.Mutex
	got := map[string]int{}
	var wg sync.WaitGroup
	for i := range 2 * n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := s
			if i%2 == 1 {
				st = twin
			}
			imp, err := st.ClaimImport(System(""), at, time.Minute)
			if err != nil {
				t.Error(err)
				return
			}
			if imp != nil {
				mu.Lock()
				got[imp.ID]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(got) != n {
		t.Fatalf("claimed %d imports, want %d: %v", len(got), n, got)
	}
	for id, c := range got {
		if c != 1 || !want[id] {
			t.Fatalf("import %s claimed %d times", id, c)
		}
	}
	if imp, err := s.ClaimImport(System(""), at.Add(30*time.Second), time.Minute); err != nil || imp != nil {
		t.Fatalf("claimed during the lease: %+v %v", imp, err)
	}
	// After the lease, the oldest comes back; a system actor of one
	// organisation claims only there.
	imp, err := s.ClaimImport(System(w.B.ID), at.Add(2*time.Minute), time.Minute)
	Must(t, err)
	if imp == nil || imp.OrganisationID != w.B.ID {
		t.Fatalf("claim in B: %+v", imp)
	}
}

// ImportCodes: a code is unique in its organisation, for units and sites.
func ImportCodes(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin, adminB := As(t, s, w.Admin), As(t, s, w.AdminB)
	u := &distans.Unit{Name: "Med kod", Code: "K100", Kind: distans.UnitSection, ParentID: w.Root.ID}
	Must(t, s.CreateUnit(admin, u))
	if got, err := s.FindUnit(admin, u.ID); err != nil || got.Code != "K100" {
		t.Fatalf("unit code: %+v %v", got, err)
	}
	err := s.CreateUnit(admin, &distans.Unit{Name: "Krock", Code: "K100", Kind: distans.UnitSection, ParentID: w.Root.ID})
	WantCode(t, err, distans.ECONFLICT)
	if e := (*distans.Error)(nil); errors.As(err, &e) && e.Sv != "Koden används redan av en annan enhet." {
		t.Fatalf("message: %q", e.Sv)
	}
	_, err = s.UpdateUnit(admin, w.Y.ID, distans.UnitUpdate{Code: ptr("K100")})
	WantCode(t, err, distans.ECONFLICT)
	// Empty codes do not collide; the same code in another organisation
	// is another unit's business.
	_, err = s.UpdateUnit(admin, w.Y.ID, distans.UnitUpdate{Name: ptr("Avdelning Y2")})
	Must(t, err)
	Must(t, s.CreateUnit(adminB, &distans.Unit{Name: "B med kod", Code: "K100", Kind: distans.UnitSection, ParentID: w.RootB.ID}))
	got, err := s.UpdateUnit(admin, u.ID, distans.UnitUpdate{Code: ptr("")})
	Must(t, err)
	if got.Code != "" {
		t.Fatalf("code removed: %+v", got)
	}
	_, err = s.UpdateUnit(admin, w.Y.ID, distans.UnitUpdate{Code: ptr("K100")})
	Must(t, err)

	x := &distans.Site{Name: "Kodad", Code: "S1", Kind: distans.SiteMain}
	Must(t, s.CreateSite(admin, x))
	err = s.CreateSite(admin, &distans.Site{Name: "Krock", Code: "S1", Kind: distans.SiteMain})
	WantCode(t, err, distans.ECONFLICT)
	_, err = s.UpdateSite(admin, w.Site.ID, distans.SiteUpdate{Code: ptr("S1")})
	WantCode(t, err, distans.ECONFLICT)
	Must(t, s.CreateSite(adminB, &distans.Site{Name: "B", Code: "S1", Kind: distans.SiteMain}))
	site, err := s.UpdateSite(admin, x.ID, distans.SiteUpdate{Code: ptr("S2")})
	Must(t, err)
	if site.Code != "S2" {
		t.Fatalf("site code: %+v", site)
	}
	if got, _ := s.FindSite(admin, x.ID); got.Code != "S2" {
		t.Fatalf("site code read back: %+v", got)
	}
	// A role assigned by hand has no source, whatever the caller says.
	r := &distans.RoleAssignment{PersonID: w.EmpY.ID, Role: distans.RoleIT, Source: distans.RoleSourceImport}
	Must(t, s.AssignRole(admin, r))
	roles, err := s.ListRoleAssignments(admin, distans.RoleFilter{PersonID: w.EmpY.ID})
	Must(t, err)
	if len(roles) != 1 || roles[0].Source != "" {
		t.Fatalf("hand-assigned role: %+v", roles)
	}
}
