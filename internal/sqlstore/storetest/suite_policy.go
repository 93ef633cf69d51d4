package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

func PolicyVersions(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)

	_, err := s.ActivePolicyVersion(admin)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.ActivePolicyVersionNumber(admin)
	WantCode(t, err, distans.ENOTFOUND)
	list, err := s.ListPolicyVersions(admin)
	Must(t, err)
	if len(list) != 0 {
		t.Fatalf("versions before any save: %d", len(list))
	}

	// Only PermManagePolicy in the whole organisation may save: HR of one
	// department may not, nor a manager or the switchboard.
	for _, p := range []*distans.Person{w.HRX, w.ChefX, w.Switchboard, w.EmpY} {
		WantCode(t, s.SavePolicyVersion(As(t, s, p), 0, &distans.PolicyVersion{Source: "slug: alfa\n"}), distans.EFORBIDDEN)
	}
	WantCode(t, s.SavePolicyVersion(admin, 0, &distans.PolicyVersion{}), distans.EINVALID)

	v1 := &distans.PolicyVersion{Source: "slug: alfa\n# första\n"}
	Must(t, s.SavePolicyVersion(admin, 0, v1))
	if v1.Version != 1 || v1.OrganisationID != w.A.ID || v1.CreatedBy != w.Admin.ID || v1.CreatedByName != w.Admin.Name || v1.CreatedAt.IsZero() {
		t.Fatalf("version 1: %+v", v1)
	}
	e := lastEvent(t, s, w.A.ID)
	if e.Action != "policy.save" || e.RecordID != "1" || e.ActorID != w.Admin.ID {
		t.Fatalf("audit of version 1: %+v", e)
	}

	// From version 2 a reason is required.
	err = s.SavePolicyVersion(admin, 1, &distans.PolicyVersion{Source: "slug: alfa\n# andra\n"})
	WantCode(t, err, distans.EINVALID)
	if fe := err.(*distans.Error).Fields; len(fe) != 1 || fe[0].Field != "reason" {
		t.Fatalf("fields: %+v", fe)
	}
	v2 := &distans.PolicyVersion{Source: "slug: alfa\n# andra\n", Reason: "Kortare överenskommelser"}
	Must(t, s.SavePolicyVersion(admin, 1, v2))
	if v2.Version != 2 {
		t.Fatalf("version 2: %+v", v2)
	}
	e = lastEvent(t, s, w.A.ID)
	if e.Action != "policy.save" || e.RecordID != "2" || !strings.Contains(e.Summary, "version 2") || !strings.Contains(e.Summary, "Kortare") {
		t.Fatalf("audit of version 2: %+v", e)
	}

	// A save on a stale base is refused and says which version is current.
	err = s.SavePolicyVersion(admin, 1, &distans.PolicyVersion{Source: "x", Reason: "gammal"})
	WantCode(t, err, distans.ECONFLICT)
	if !strings.Contains(err.(*distans.Error).Sv, "nu version 2") {
		t.Fatalf("conflict message: %v", err.(*distans.Error).Sv)
	}
	WantCode(t, s.SavePolicyVersion(admin, 5, &distans.PolicyVersion{Source: "x", Reason: "framtid"}), distans.ECONFLICT)

	// Everyone in the organisation reads; the history is newest first
	// without the texts.
	emp := As(t, s, w.EmpX1)
	act, err := s.ActivePolicyVersion(emp)
	Must(t, err)
	if act.Version != 2 || act.Source != v2.Source || act.Reason != v2.Reason || !act.CreatedAt.Equal(v2.CreatedAt) {
		t.Fatalf("active: %+v", act)
	}
	if n, err := s.ActivePolicyVersionNumber(emp); err != nil || n != 2 {
		t.Fatalf("active version's number: %d, %v", n, err)
	}
	old, err := s.FindPolicyVersion(emp, 1)
	Must(t, err)
	if old.Source != v1.Source {
		t.Fatalf("version 1: %+v", old)
	}
	_, err = s.FindPolicyVersion(emp, 3)
	WantCode(t, err, distans.ENOTFOUND)
	list, err = s.ListPolicyVersions(emp)
	Must(t, err)
	if len(list) != 2 || list[0].Version != 2 || list[1].Version != 1 || list[0].Source != "" || list[0].CreatedByName != w.Admin.Name {
		t.Fatalf("history: %+v", list)
	}

	// Another organisation sees nothing of it and numbers its own from 1.
	b := As(t, s, w.AdminB)
	_, err = s.ActivePolicyVersion(b)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.ActivePolicyVersionNumber(b)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.FindPolicyVersion(b, 1)
	WantCode(t, err, distans.ENOTFOUND)
	list, err = s.ListPolicyVersions(b)
	Must(t, err)
	if len(list) != 0 {
		t.Fatalf("other organisation's history: %d", len(list))
	}
	WantCode(t, s.SavePolicyVersion(b, 2, &distans.PolicyVersion{Source: "x", Reason: "y"}), distans.ECONFLICT)
	vb := &distans.PolicyVersion{Source: "slug: beta\n"}
	Must(t, s.SavePolicyVersion(b, 0, vb))
	if vb.Version != 1 || vb.OrganisationID != w.B.ID {
		t.Fatalf("beta's first version: %+v", vb)
	}
	_, err = s.ActivePolicyVersion(context.Background())
	WantCode(t, err, distans.EUNAUTHORIZED)
	_, err = s.ActivePolicyVersionNumber(context.Background())
	WantCode(t, err, distans.EUNAUTHORIZED)
}

// PolicyVersionRace: several saves on the same base at once; exactly one
// wins and the others get ECONFLICT.
func PolicyVersionRace(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)
	const n = 6
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = s.SavePolicyVersion(admin, 0, &distans.PolicyVersion{Source: fmt.Sprintf("slug: alfa # %d\n", i)})
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch distans.ErrorCode(err) {
		case "":
			won++
		case distans.ECONFLICT:
		default:
			t.Fatalf("racing save: %v", err)
		}
	}
	list, err := s.ListPolicyVersions(admin)
	Must(t, err)
	if won != 1 || len(list) != 1 {
		t.Fatalf("%d saves won, %d versions stored; want 1 and 1", won, len(list))
	}
}

func Documents(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)

	doc := &distans.PolicyDocument{Title: "Riktlinjer för distansarbete", Body: "Version ett.", Required: true}
	for _, p := range []*distans.Person{w.HRX, w.ChefX, w.EmpX1} {
		WantCode(t, s.PublishDocument(As(t, s, p), doc), distans.EFORBIDDEN)
	}
	WantCode(t, s.PublishDocument(admin, &distans.PolicyDocument{Body: "utan titel"}), distans.EINVALID)
	WantCode(t, s.PublishDocument(admin, &distans.PolicyDocument{Title: "T", Body: "B", UnitID: w.RootB.ID}), distans.EINVALID)
	WantCode(t, s.PublishDocument(admin, &distans.PolicyDocument{ID: "missing", Title: "T", Body: "B"}), distans.ENOTFOUND)

	Must(t, s.PublishDocument(admin, doc))
	if doc.ID == "" || doc.Version != 1 || doc.OrganisationID != w.A.ID || doc.PublishedBy != w.Admin.ID || doc.PublishedAt.IsZero() {
		t.Fatalf("published: %+v", doc)
	}
	wantLastAction(t, s, w.A.ID, "document.publish", doc.ID)
	id := doc.ID

	v2 := &distans.PolicyDocument{ID: id, Title: "Riktlinjer för distansarbete", Body: "Version två.", Required: true}
	Must(t, s.PublishDocument(admin, v2))
	if v2.ID != id || v2.Version != 2 {
		t.Fatalf("second version: %+v", v2)
	}
	e := lastEvent(t, s, w.A.ID)
	if e.Action != "document.publish" || !strings.Contains(e.Summary, "version 2") {
		t.Fatalf("audit: %+v", e)
	}
	other := &distans.PolicyDocument{Title: "Informationssäkerhet", Body: "Text.", UnitID: w.X.ID}
	Must(t, s.PublishDocument(admin, other))

	emp := As(t, s, w.EmpY)
	got, err := s.FindDocument(emp, id, 0)
	Must(t, err)
	if got.Version != 2 || got.Body != "Version två." || !got.Required || !got.PublishedAt.Equal(v2.PublishedAt) {
		t.Fatalf("current: %+v", got)
	}
	got, err = s.FindDocument(emp, id, 1)
	Must(t, err)
	if got.Version != 1 || got.Body != "Version ett." {
		t.Fatalf("version 1: %+v", got)
	}
	got, err = s.FindDocument(emp, other.ID, 0)
	Must(t, err)
	if got.UnitID != w.X.ID || got.Required {
		t.Fatalf("unit document: %+v", got)
	}
	_, err = s.FindDocument(emp, id, 3)
	WantCode(t, err, distans.ENOTFOUND)
	versions, err := s.ListDocumentVersions(emp, id)
	Must(t, err)
	if len(versions) != 2 || versions[0].Version != 2 || versions[1].Version != 1 {
		t.Fatalf("versions: %+v", versions)
	}
	_, err = s.ListDocumentVersions(emp, "missing")
	WantCode(t, err, distans.ENOTFOUND)
	docs, err := s.ListDocuments(emp)
	Must(t, err)
	if titles := ids(docs, func(d *distans.PolicyDocument) string { return fmt.Sprint(d.Title, " ", d.Version) }); !slices.Equal(titles,
		[]string{"Informationssäkerhet 1", "Riktlinjer för distansarbete 2"}) {
		t.Fatalf("documents: %v", titles)
	}

	// Another organisation sees none of it and cannot publish over it.
	b := As(t, s, w.AdminB)
	_, err = s.FindDocument(b, id, 0)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.ListDocumentVersions(b, id)
	WantCode(t, err, distans.ENOTFOUND)
	docs, err = s.ListDocuments(b)
	Must(t, err)
	if len(docs) != 0 {
		t.Fatalf("other organisation lists %d documents", len(docs))
	}
	WantCode(t, s.PublishDocument(b, &distans.PolicyDocument{ID: id, Title: "Kapad", Body: "B"}), distans.ENOTFOUND)
	got, _ = s.FindDocument(emp, id, 0)
	if got.Version != 2 {
		t.Fatalf("after the other organisation's attempt: %+v", got)
	}
}

func Acknowledgements(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)
	doc := &distans.PolicyDocument{Title: "Ansvarsförbindelse", Body: "Jag har läst.", Required: true}
	Must(t, s.PublishDocument(admin, doc))

	emp := As(t, s, w.EmpX1)
	pending, err := s.Pending(emp)
	Must(t, err)
	if len(pending) != 1 || pending[0].ID != doc.ID {
		t.Fatalf("pending: %+v", pending)
	}
	_, err = s.Acknowledge(emp, doc.ID, 2)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.Acknowledge(emp, "missing", 1)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.Acknowledge(System(w.A.ID), doc.ID, 1)
	WantCode(t, err, distans.EFORBIDDEN)

	k, err := s.Acknowledge(emp, doc.ID, 1)
	Must(t, err)
	if k.DocumentID != doc.ID || k.Version != 1 || k.PersonID != w.EmpX1.ID || k.DocumentTitle != doc.Title || k.At.IsZero() || k.OrganisationID != w.A.ID {
		t.Fatalf("acknowledgement: %+v", k)
	}
	e := lastEvent(t, s, w.A.ID)
	if e.Action != "document.acknowledge" || e.RecordID != doc.ID || e.ActorID != w.EmpX1.ID {
		t.Fatalf("audit: %+v", e)
	}
	// Twice is once: the first acknowledgement, and no second event.
	again, err := s.Acknowledge(emp, doc.ID, 0)
	Must(t, err)
	if *again != *k {
		t.Fatalf("second acknowledgement %+v, want %+v", again, k)
	}
	if e2 := lastEvent(t, s, w.A.ID); e2.Seq != e.Seq {
		t.Fatalf("second acknowledgement wrote %s", e2.Action)
	}
	pending, err = s.Pending(emp)
	Must(t, err)
	if len(pending) != 0 {
		t.Fatalf("pending after acknowledging: %+v", pending)
	}

	// A new version asks again, and the old one can no longer be acknowledged.
	Must(t, s.PublishDocument(admin, &distans.PolicyDocument{ID: doc.ID, Title: doc.Title, Body: "Ny lydelse.", Required: true}))
	pending, err = s.Pending(emp)
	Must(t, err)
	if len(pending) != 1 || pending[0].Version != 2 {
		t.Fatalf("pending after a new version: %+v", pending)
	}
	_, err = s.Acknowledge(As(t, s, w.EmpY), doc.ID, 1)
	WantCode(t, err, distans.ECONFLICT)
	if !strings.Contains(err.(*distans.Error).Sv, "nyare version") {
		t.Fatalf("message: %s", err.(*distans.Error).Sv)
	}
	k2, err := s.Acknowledge(emp, doc.ID, 2)
	Must(t, err)

	// People see their own; a manager sees those in the subtree; nobody
	// else, and no other organisation.
	mine, err := s.ListAcknowledgements(emp, "")
	Must(t, err)
	if len(mine) != 2 || mine[0].Version != 2 || mine[1].Version != 1 || !mine[0].At.Equal(k2.At) {
		t.Fatalf("own acknowledgements: %+v", mine)
	}
	theirs, err := s.ListAcknowledgements(As(t, s, w.ChefX), w.EmpX1.ID)
	Must(t, err)
	if len(theirs) != 2 {
		t.Fatalf("chef sees %d", len(theirs))
	}
	_, err = s.ListAcknowledgements(As(t, s, w.ChefX), w.EmpY.ID)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.ListAcknowledgements(As(t, s, w.EmpY), w.EmpX1.ID)
	WantCode(t, err, distans.ENOTFOUND)
	b := As(t, s, w.AdminB)
	_, err = s.ListAcknowledgements(b, w.EmpX1.ID)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.Acknowledge(b, doc.ID, 0)
	WantCode(t, err, distans.ENOTFOUND)
	pending, err = s.Pending(b)
	Must(t, err)
	if len(pending) != 0 {
		t.Fatalf("other organisation pending: %+v", pending)
	}
	_, err = s.Pending(context.Background())
	WantCode(t, err, distans.EUNAUTHORIZED)
}

func Outstanding(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	admin := As(t, s, w.Admin)
	a := w.A.ID
	// HR for the whole organisation; someone whose employment has ended;
	// someone never employed.
	hr := NewPerson(t, s, a, "Hanna HR", w.Root.ID)
	Assign(t, s, hr, distans.RoleHR, "")
	gone := NewPerson(t, s, a, "Gustav Gått", w.Y.ID)
	emps, err := s.ListEmployments(admin, gone.ID)
	Must(t, err)
	Must(t, s.EndEmployment(admin, emps[0].ID, Day(2021, 6, 30)))
	NewPerson(t, s, a, "Nora Ny", "")

	all := &distans.PolicyDocument{Title: "Ansvarsförbindelse", Body: "Alla.", Required: true}
	onlyY := &distans.PolicyDocument{Title: "Bilaga Y", Body: "Bara Y.", Required: true, UnitID: w.Y.ID}
	info := &distans.PolicyDocument{Title: "Information", Body: "Frivillig.", Required: false}
	for _, d := range []*distans.PolicyDocument{all, onlyY, info} {
		Must(t, s.PublishDocument(admin, d))
	}
	docB := &distans.PolicyDocument{Title: "Betas förbindelse", Body: "B.", Required: true}
	Must(t, s.PublishDocument(As(t, s, w.AdminB), docB))

	type pair struct{ person, doc string }
	list := func(ctx context.Context, unitID string) []pair {
		t.Helper()
		out, err := s.Outstanding(ctx, unitID)
		Must(t, err)
		var ps []pair
		for _, o := range out {
			if o.Version != 1 || o.DocumentTitle == "" || o.UnitID == "" {
				t.Fatalf("row: %+v", o)
			}
			ps = append(ps, pair{o.PersonName, o.DocumentTitle})
		}
		return ps
	}
	want := func(got, want []pair) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Fatalf("outstanding:\n got %v\nwant %v", got, want)
		}
	}
	everyone := []pair{
		{"Ada Admin", "Ansvarsförbindelse"}, {"Cecilia Chef", "Ansvarsförbindelse"}, {"Hanna HR", "Ansvarsförbindelse"},
		{"Hugo HR", "Ansvarsförbindelse"}, {"Sven Växel", "Ansvarsförbindelse"},
		{"Yngve Ystad", "Ansvarsförbindelse"}, {"Yngve Ystad", "Bilaga Y"},
		{"Åsa Öberg", "Ansvarsförbindelse"},
	}
	want(list(As(t, s, hr), ""), everyone)
	want(list(As(t, s, hr), w.Y.ID), []pair{{"Yngve Ystad", "Ansvarsförbindelse"}, {"Yngve Ystad", "Bilaga Y"}})
	// The chef of X sees the subtree of X only.
	chef := As(t, s, w.ChefX)
	want(list(chef, ""), []pair{{"Cecilia Chef", "Ansvarsförbindelse"}, {"Hugo HR", "Ansvarsförbindelse"}, {"Åsa Öberg", "Ansvarsförbindelse"}})
	want(list(chef, w.X1.ID), []pair{{"Åsa Öberg", "Ansvarsförbindelse"}})
	want(list(chef, w.Y.ID), nil)
	_, err = s.Outstanding(As(t, s, w.EmpY), "")
	WantCode(t, err, distans.EFORBIDDEN)
	// The switchboard finds everyone but follows no one's acknowledgements.
	_, err = s.Outstanding(As(t, s, w.Switchboard), "")
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.ListAcknowledgements(As(t, s, w.Switchboard), w.EmpX1.ID)
	WantCode(t, err, distans.EFORBIDDEN)

	// Acknowledging takes a person off; a new version puts them back.
	_, err = s.Acknowledge(As(t, s, w.EmpX1), all.ID, 1)
	Must(t, err)
	want(list(chef, ""), []pair{{"Cecilia Chef", "Ansvarsförbindelse"}, {"Hugo HR", "Ansvarsförbindelse"}})
	_, err = s.Acknowledge(As(t, s, w.EmpY), onlyY.ID, 1)
	Must(t, err)
	want(list(As(t, s, hr), w.Y.ID), []pair{{"Yngve Ystad", "Ansvarsförbindelse"}})
	Must(t, s.PublishDocument(admin, &distans.PolicyDocument{ID: all.ID, Title: all.Title, Body: "Ny.", Required: true}))
	got, err := s.Outstanding(chef, w.X1.ID)
	Must(t, err)
	if len(got) != 1 || got[0].PersonID != w.EmpX1.ID || got[0].Version != 2 || got[0].UnitID != w.X1.ID || got[0].DocumentID != all.ID {
		t.Fatalf("after a new version: %+v", got)
	}

	// Beta's administrator sees Beta's people and documents only.
	b := As(t, s, w.AdminB)
	want(list(b, ""), []pair{{"Bertil Beta", "Betas förbindelse"}, {"Bodil Admin", "Betas förbindelse"}})
	_, err = s.Outstanding(b, w.Y.ID)
	WantCode(t, err, distans.ENOTFOUND)
}
