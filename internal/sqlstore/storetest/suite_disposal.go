package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

func init() {
	Suite = append(Suite, Test{"Disposal", Disposal})
}

// disposalItems are the default periods' items as of now.
func disposalItems(now time.Time) []distans.DisposalItem {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	var out []distans.DisposalItem
	for _, p := range distans.DisposalPeriods(nil) {
		out = append(out, distans.DisposalItem{Period: p, Cutoff: p.Cutoff(now, loc)})
	}
	return out
}

// disposeAll runs every batch of every type disposal removes, as Dispose
// does, and returns the entries.
func disposeAll(t testing.TB, s *sqlstore.Store, ctx context.Context, items []distans.DisposalItem) []*distans.DisposalLogEntry {
	t.Helper()
	var out []*distans.DisposalLogEntry
	for _, it := range items {
		if it.Period.SweptBy != "" {
			continue
		}
		for {
			e, err := s.DisposeBatch(ctx, it, 2)
			Must(t, err)
			if e == nil {
				break
			}
			out = append(out, e)
		}
	}
	return out
}

// Disposal: records past their period go (notifications and revoked API
// tokens removed, an expired lock cleared, a declined agreement and a
// closed incident anonymised), in batches with a log row and an audit
// event each; recent records stay; a hold on a person keeps theirs until
// it is released; another organisation is untouched; a second run finds
// nothing. Only the registrator (and the system) dispose; the security
// coordinator holds; the administrator does neither.
func Disposal(t *testing.T, s *sqlstore.Store) {
	w := NewWorld(t, s)
	reg := NewPerson(t, s, w.A.ID, "Rut Registrator", w.Root.ID)
	Assign(t, s, reg, distans.RoleRegistrar, "")
	regX := NewPerson(t, s, w.A.ID, "Ragnar Registrator", w.X.ID)
	Assign(t, s, regX, distans.RoleRegistrar, w.X.ID)
	sec := NewPerson(t, s, w.A.ID, "Sara Säkerhet", w.Root.ID)
	Assign(t, s, sec, distans.RoleSecurity, "")
	db := Raw(t, s)

	now := time.Now().UTC()
	old, recent := now.AddDate(-6, 0, 0), now.AddDate(0, 0, -10)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	stamp := func(x time.Time) string { return x.UTC().Format("2006-01-02T15:04:05.000000Z") }
	note := func(o *distans.Organisation, p *distans.Person, key string, read time.Time) {
		exec(`INSERT INTO notifications (organisation_id, id, person_id, key, kind, params, link, created_at, read_at)
			VALUES ($1, $2, $3, $4, 'x', '{}', '', $5, $5)`, o.ID, key, p.ID, key, stamp(read))
	}
	note(w.A, w.EmpX1, "n-old-x1", old)
	note(w.A, w.EmpY, "n-old-y", old)
	note(w.A, w.EmpY, "n-old-y2", old)
	note(w.A, w.EmpX1, "n-recent-x1", recent)
	note(w.B, w.EmpB, "n-old-b", old)
	token := func(o *distans.Organisation, p *distans.Person, id string, revoked time.Time) {
		exec(`INSERT INTO api_tokens (organisation_id, id, person_id, name, token_hash, created_at, last_used_at, revoked_at)
			VALUES ($1, $2, $3, 'cli', $2, $4, $4, $4)`, o.ID, id, p.ID, stamp(revoked))
	}
	token(w.A, w.EmpY, "t-old-y", old)
	token(w.A, w.EmpY, "t-recent-y", recent)
	token(w.B, w.EmpB, "t-old-b", old)
	signin := func(o *distans.Organisation, p *distans.Person, id string, at time.Time) {
		exec(`INSERT INTO signin_events (organisation_id, id, person_id, at, outcome) VALUES ($1, $2, $3, $4, 'success')`,
			o.ID, id, p.ID, stamp(at))
	}
	signin(w.A, w.EmpY, "s-old-y", old)
	signin(w.A, w.EmpY, "s-recent-y", recent)
	signin(w.B, w.EmpB, "s-old-b", old)
	exec(`INSERT INTO accounts (organisation_id, person_id, failed_count, locked_until) VALUES ($1, $3, 5, $2)
		ON CONFLICT (organisation_id, person_id) DO UPDATE SET failed_count = 5, locked_until = excluded.locked_until`,
		w.A.ID, stamp(old), w.EmpY.ID)

	ag := requestAgreement(t, s, w.EmpY)
	exec(`UPDATE agreements SET state = 'declined', updated_at = $3, request_place = 'Hemvägen 1', end_note = 'sjuk'
		WHERE organisation_id = $1 AND id = $2`, w.A.ID, ag.ID, stamp(old))
	inc := reportIncident(t, s, w.EmpY, report(distans.IncidentOther))
	exec(`UPDATE incidents SET state = 'closed', closed_at = $3, police_report = 'K-123' WHERE organisation_id = $1 AND id = $2`,
		w.A.ID, inc.ID, stamp(old))

	items := disposalItems(now)
	admin, regCtx, secCtx := As(t, s, w.Admin), As(t, s, reg), As(t, s, sec)
	for name, ctx := range map[string]context.Context{"the administrator": admin, "a registrator of a unit": As(t, s, regX),
		"an employee": As(t, s, w.EmpX1)} {
		if err := s.CountDisposal(ctx, items); distans.ErrorCode(err) != distans.EFORBIDDEN {
			t.Errorf("%s plans: %v", name, err)
		}
		if _, err := s.DisposeBatch(ctx, items[0], 10); distans.ErrorCode(err) != distans.EFORBIDDEN {
			t.Errorf("%s disposes: %v", name, err)
		}
	}
	if _, err := s.DisposeBatch(secCtx, items[0], 10); distans.ErrorCode(err) != distans.EFORBIDDEN {
		t.Errorf("the security coordinator disposes: %v", err)
	}
	if _, err := s.PlaceDisposalHold(regCtx, distans.HoldRequest{PersonID: w.EmpY.ID, Reason: "x"}); distans.ErrorCode(err) != distans.EFORBIDDEN {
		t.Errorf("the registrator holds: %v", err)
	}
	if _, err := s.PlaceDisposalHold(secCtx, distans.HoldRequest{PersonID: w.EmpB.ID, Reason: "x"}); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Errorf("a hold on another organisation's person: %v", err)
	}
	if _, err := s.PlaceDisposalHold(secCtx, distans.HoldRequest{Type: distans.DisposeSessions, Reason: "x"}); distans.ErrorCode(err) != distans.EINVALID {
		t.Errorf("a hold on sessions: %v", err)
	}

	// EmpY is under investigation.
	hold, err := s.PlaceDisposalHold(secCtx, distans.HoldRequest{PersonID: w.EmpY.ID, Reason: "Utredning av IT-användning"})
	Must(t, err)

	count := func(ctx context.Context) map[distans.DisposalType]distans.DisposalItem {
		t.Helper()
		its := disposalItems(now)
		Must(t, s.CountDisposal(ctx, its))
		out := map[distans.DisposalType]distans.DisposalItem{}
		for _, it := range its {
			out[it.Period.Type] = it
		}
		return out
	}
	plan := count(regCtx)
	for typ, want := range map[distans.DisposalType][2]int{distans.DisposeNotifications: {1, 2},
		distans.DisposeAccessLog: {0, 3}, distans.DisposeAgreements: {0, 1}, distans.DisposeIncidents: {0, 1}} {
		if got := plan[typ]; got.Count != want[0] || got.Held != want[1] {
			t.Errorf("plan %s: %d due, %d held; want %d, %d", typ, got.Count, got.Held, want[0], want[1])
		}
	}
	if o := plan[distans.DisposeNotifications].Oldest; o == nil || o.Sub(old).Abs() > time.Second {
		t.Errorf("oldest notification: %v, want %v", o, old)
	}
	if p := count(secCtx); p[distans.DisposeNotifications].Count != 1 {
		t.Errorf("the security coordinator sees the plan: %+v", p[distans.DisposeNotifications])
	}

	entries := disposeAll(t, s, regCtx, items)
	if len(entries) != 1 || entries[0].Type != distans.DisposeNotifications || entries[0].Count != 1 ||
		entries[0].ActorName != reg.Name || entries[0].Amount != distans.DefaultNotificationDays {
		t.Fatalf("held run: %+v", entries)
	}
	has := func(table, col, id string) bool {
		t.Helper()
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM `+table+` WHERE `+col+` = $1`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	if has("notifications", "key", "n-old-x1") || !has("notifications", "key", "n-recent-x1") || !has("notifications", "key", "n-old-y") {
		t.Error("the held run removed the wrong notifications")
	}

	Must(t, s.ReleaseDisposalHold(secCtx, hold.ID))
	WantCode(t, s.ReleaseDisposalHold(secCtx, hold.ID), distans.ENOTFOUND)
	entries = disposeAll(t, s, System(w.A.ID), items)
	got := map[distans.DisposalType]int{}
	for _, e := range entries {
		got[e.Type] += e.Count
		if e.ActorID != "" || e.ActorName != "system" {
			t.Errorf("the job's entry names %q %q", e.ActorID, e.ActorName)
		}
	}
	// Batches of two: the two notifications in one, the sign-in and
	// the token in one, the lock in another.
	if got[distans.DisposeNotifications] != 2 || got[distans.DisposeAccessLog] != 3 || got[distans.DisposeAgreements] != 1 ||
		got[distans.DisposeIncidents] != 1 || len(entries) != 5 {
		t.Errorf("released run: %v in %d entries", got, len(entries))
	}
	if has("api_tokens", "id", "t-old-y") || !has("api_tokens", "id", "t-recent-y") {
		t.Error("tokens: the old one should go, the recent one stay")
	}
	if has("signin_events", "id", "s-old-y") || !has("signin_events", "id", "s-recent-y") {
		t.Error("sign-in log: the old sign-in should go, the recent one stay")
	}
	var locked int
	Must(t, db.QueryRow(`SELECT COUNT(*) FROM accounts WHERE organisation_id = $1 AND (locked_until IS NOT NULL OR failed_count > 0)`,
		w.A.ID).Scan(&locked))
	if locked != 0 {
		t.Error("the expired lock was not cleared")
	}
	var place, endNote, desc, police, request, number string
	Must(t, db.QueryRow(`SELECT request_place, end_note, request, number FROM agreements WHERE organisation_id = $1 AND id = $2`,
		w.A.ID, ag.ID).Scan(&place, &endNote, &request, &number))
	if !strings.Contains(request, `"reasons":""`) || !strings.Contains(request, `"tasks":"`) || number != ag.Number {
		t.Errorf("agreement after disposal: %s %s", number, request)
	}
	Must(t, db.QueryRow(`SELECT description, police_report FROM incidents WHERE organisation_id = $1 AND id = $2`, w.A.ID, inc.ID).Scan(&desc, &police))
	if place != "" || endNote != "" || desc != "" || police != "" {
		t.Errorf("not anonymised: place %q, note %q, description %q, police %q", place, endNote, desc, police)
	}
	if !has("incidents", "id", inc.ID) {
		t.Error("the incident itself should stay")
	}

	// Another organisation is untouched; a second run does nothing.
	if !has("notifications", "key", "n-old-b") || !has("api_tokens", "id", "t-old-b") ||
		!has("signin_events", "id", "s-old-b") {
		t.Error("another organisation's records went")
	}
	if again := disposeAll(t, s, regCtx, items); len(again) != 0 {
		t.Errorf("second run: %+v", again)
	}
	for typ, it := range count(regCtx) {
		if it.Period.SweptBy == "" && (it.Count != 0 || it.Held != 0) {
			t.Errorf("after disposal %s: %d due, %d held", typ, it.Count, it.Held)
		}
	}

	// The log, newest first, and an audit event per batch and hold.
	log, err := s.ListDisposalLog(secCtx, 0)
	Must(t, err)
	if len(log) != 6 || log[len(log)-1].ActorName != reg.Name {
		t.Errorf("log: %d entries", len(log))
	}
	if l, err := s.ListDisposalLog(As(t, s, w.AdminB), 0); distans.ErrorCode(err) != distans.EFORBIDDEN || len(l) != 0 {
		t.Errorf("another organisation's administrator reads the log: %v", err)
	}
	events, err := s.ListAuditEvents(As(t, s, sec), distans.AuditFilter{Action: "records."})
	Must(t, err)
	seen := map[string]int{}
	for _, e := range events {
		seen[e.Action]++
		if e.Action == "records.dispose" && !strings.Contains(e.Summary, "past") {
			t.Errorf("summary: %q", e.Summary)
		}
	}
	if seen["records.dispose"] != 6 || seen["records.hold"] != 1 || seen["records.hold_release"] != 1 {
		t.Errorf("audit: %v", seen)
	}
	holds, err := s.ListDisposalHolds(regCtx)
	Must(t, err)
	if len(holds) != 1 || holds[0].ReleasedAt == nil || holds[0].PersonName != w.EmpY.Name || holds[0].ReleasedByName != sec.Name {
		t.Errorf("holds: %+v", holds)
	}
	if brk, err := s.VerifyAuditChains(System("")); err != nil || brk != nil {
		t.Errorf("audit chains after disposal: %v %v", brk, err)
	}
}
