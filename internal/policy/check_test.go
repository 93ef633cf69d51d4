package policy

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/distans/distans"
)

func mustSeed(t testing.TB, slug string) *Pack {
	t.Helper()
	p, err := Seed(slug)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func find(fs []Finding, id string) (Finding, bool) {
	i := slices.IndexFunc(fs, func(f Finding) bool { return f.RuleID == id })
	if i < 0 {
		return Finding{}, false
	}
	return fs[i], true
}

// TestIncidentDeadlineAcrossDST: the 72 hours of GDPR art. 33 are real
// elapsed hours. Across the October change the deadline falls an hour
// earlier on the clock than a naive "same time three days later", across
// the March change an hour later.
func TestIncidentDeadlineAcrossDST(t *testing.T) {
	t.Parallel()
	p := mustSeed(t, "vara")
	tests := []struct {
		name       string
		discovered string
		wantAt     string // UTC
		wantLocal  string
		wantSv     string
	}{
		{"October, summer time ends", "2025-10-25T12:00:00+02:00", "2025-10-28T10:00:00Z", "2025-10-28T11:00:00+01:00", "2025-10-28 kl. 11.00 CET"},
		{"October, local input", "2025-10-25T12:00", "2025-10-28T10:00:00Z", "2025-10-28T11:00:00+01:00", "2025-10-28 kl. 11.00 CET"},
		{"March, summer time starts", "2025-03-29T12:00:00+01:00", "2025-04-01T11:00:00Z", "2025-04-01T13:00:00+02:00", "2025-04-01 kl. 13.00 CEST"},
		{"March, local input", "2025-03-29 12:00", "2025-04-01T11:00:00Z", "2025-04-01T13:00:00+02:00", "2025-04-01 kl. 13.00 CEST"},
		{"no change", "2025-06-01T09:30:00+02:00", "2025-06-04T07:30:00Z", "2025-06-04T09:30:00+02:00", "2025-06-04 kl. 09.30 CEST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := `{"kind": "personal_data", "discovered_at": "` + tt.discovered + `"}`
			disc := parseOK(t, tt.discovered, p.Location())
			fs, err := CheckJSON(p, KindIncident, strings.NewReader(in), disc.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			// The deadline is the generic rule's; Vara's own rule on 2.7 must
			// not state it a second time.
			var withDeadline []string
			for _, f := range fs {
				if slices.ContainsFunc(f.Deadlines, func(d Deadline) bool { return d.Duty == distans.DutyIMYNotification }) {
					withDeadline = append(withDeadline, f.RuleID)
				}
			}
			if !slices.Equal(withDeadline, []string{"gdpr-33-report"}) {
				t.Fatalf("findings with the IMY deadline: %v, want only gdpr-33-report", withDeadline)
			}
			for _, id := range []string{"gdpr-33-report"} {
				f, ok := find(fs, id)
				if !ok || len(f.Deadlines) != 1 {
					t.Fatalf("%s: no finding with a deadline in %+v", id, fs)
				}
				d := f.Deadlines[0]
				if d.At.Format(time.RFC3339) != tt.wantAt || d.AtLocal != tt.wantLocal || d.Hours != 72 || d.Passed {
					t.Errorf("%s: deadline %+v, want %s (%s)", id, d, tt.wantAt, tt.wantLocal)
				}
				if got := d.At.Sub(disc); got != 72*time.Hour {
					t.Errorf("%s: deadline is %v after discovery", id, got)
				}
				if !strings.Contains(f.MessageSv, tt.wantSv) {
					t.Errorf("%s: message %q does not name %q", id, f.MessageSv, tt.wantSv)
				}
			}
			if n := countContaining(fs, "IMY"); n != 1 {
				t.Errorf("%d findings tell when to report to IMY, want 1", n)
			}
		})
	}
}

// countContaining counts the findings whose Swedish message names a
// deadline for s.
func countContaining(fs []Finding, s string) int {
	n := 0
	for _, f := range fs {
		if strings.Contains(f.MessageSv, s) && strings.Contains(f.MessageSv, "senast") {
			n++
		}
	}
	return n
}

func parseOK(t *testing.T, s string, loc *time.Location) time.Time {
	t.Helper()
	var v distans.Validation
	at := parseTime(&v, "t", s, loc)
	if err := v.Err(); err != nil {
		t.Fatal(err)
	}
	return at
}

// TestIncidentLateAcrossDST: 72 real hours after 12:00 CEST on the Saturday
// before the change is 11:00 CET on Tuesday; at 12:00 CET the report is an
// hour late even though the clock shows "three days later, same time".
func TestIncidentLateAcrossDST(t *testing.T) {
	t.Parallel()
	p := mustSeed(t, "stockholm")
	discovered := time.Date(2025, 10, 25, 12, 0, 0, 0, p.Location())
	in := Incident{Kind: "personal_data", DiscoveredAt: discovered}
	for _, tt := range []struct {
		now      time.Time
		late     bool
		passedAt bool
	}{
		{time.Date(2025, 10, 28, 10, 59, 0, 0, p.Location()), false, false},
		{time.Date(2025, 10, 28, 11, 0, 0, 0, p.Location()), false, false}, // exactly 72 hours: still in time
		{time.Date(2025, 10, 28, 11, 1, 0, 0, p.Location()), true, true},
		{time.Date(2025, 10, 28, 12, 0, 0, 0, p.Location()), true, true},
	} {
		fs, err := p.Check(KindIncident, in, tt.now)
		if err != nil {
			t.Fatal(err)
		}
		late, isLate := find(fs, "gdpr-33-late")
		_, inTime := find(fs, "gdpr-33-report")
		if isLate != tt.late || inTime == tt.late || Blocking(fs) != tt.late {
			t.Errorf("at %v: late %v, in time %v, blocking %v; want late %v", tt.now, isLate, inTime, Blocking(fs), tt.late)
		}
		if isLate && late.Deadlines[0].Passed != tt.passedAt {
			t.Errorf("at %v: deadline passed = %v", tt.now, late.Deadlines[0].Passed)
		}
	}
}

// TestLocalTimesAroundDST: a local time that does not exist (spring
// forward) or exists twice (fall back) is refused, not guessed.
func TestLocalTimesAroundDST(t *testing.T) {
	t.Parallel()
	p := mustSeed(t, "sorsele")
	now := time.Date(2025, 11, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ at, want string }{
		{"2025-03-30T02:30", "finns inte"},
		{"2025-10-26T02:30", "förekommer två gånger"},
		{"2025-10-26T02:30:00+02:00", ""},
		{"2025-10-26T02:30:00+01:00", ""},
		{"2025-10-26T03:30", ""},
		{"26/10/2025 14:00", "ÅÅÅÅ-MM-DD"},
	} {
		_, err := CheckJSON(p, KindIncident, strings.NewReader(`{"kind":"it","discovered_at":"`+tt.at+`"}`), now)
		msg := fieldMessages(err)
		if tt.want == "" && err != nil || tt.want != "" && !strings.Contains(msg, tt.want) {
			t.Errorf("%s: err = %v (%s), want %q", tt.at, err, msg, tt.want)
		}
	}
}

func fieldMessages(err error) string {
	var e *distans.Error
	if !errors.As(err, &e) {
		return ""
	}
	var b strings.Builder
	b.WriteString(e.Sv)
	for _, f := range e.Fields {
		b.WriteString(" | " + f.Field + ": " + f.Sv)
	}
	return b.String()
}

// TestDecodeRefuses: bad input gets a clear Swedish message that names the
// field, and never reaches the rules.
func TestDecodeRefuses(t *testing.T) {
	t.Parallel()
	p := mustSeed(t, "bjurholm")
	now := time.Now()
	tests := []struct{ kind, in, field, sv string }{
		{KindAgreement, `{"strat": "2025-01-01"}`, "strat", "Okänt fält"},
		{KindAgreement, `{"length_days": 30}`, "length_days", "Okänt fält"},
		{KindAgreement, `{"share_remote": "mycket"}`, "share_remote", "ska vara ett heltal, inte text"},
		{KindAgreement, `{"share_remote": 12.5}`, "share_remote", "ska vara ett heltal, inte ett tal (12.5)"},
		{KindAgreement, `{"secrecy_tasks": "ja"}`, "secrecy_tasks", "true eller false"},
		{KindAgreement, `{"equipment": "computer"}`, "equipment", "en lista"},
		{KindAgreement, `{"equipment": ["computer", "sofa"]}`, "equipment[1]", "Okänt värde \"sofa\""},
		{KindAgreement, `{"risk_assessment": "ok"}`, "risk_assessment", "Tillåtna värden: acceptable, needs_measures, not_acceptable"},
		{KindAgreement, `{"start": "1/1/2025"}`, "start", "ÅÅÅÅ-MM-DD"},
		{KindAgreement, `{"start": "2025-02-01", "end": "2025-01-01"}`, "end", "före den första"},
		{KindAgreement, `{"share_remote": 120}`, "share_remote", "0–100"},
		{KindAgreement, `{"weekdays_remote": ["mon", "mon"]}`, "weekdays_remote", "flera gånger"},
		{KindAgreement, `{} {}`, "", "mer text"},
		{KindAgreement, ``, "", "Indata saknas"},
		{KindAgreement, `{"start": `, "", "tar slut för tidigt"},
		{KindAgreement, `[]`, "", "JSON-objekt"},
		{KindAgreement, `{"start" "x"}`, "", "Ogiltig JSON"},
		{KindPhoneHours, `{"sessions": [{"weekday": "mon", "start": "9", "end": "10:00"}]}`, "sessions[0].start", "TT:MM"},
		{KindPhoneHours, `{"sessions": [{"weekday": "mon", "start": "10:00", "end": "09:00"}]}`, "sessions[0].end", "efter starttiden"},
		{KindPhoneHours, `{"sessions": [{"weekday": "mon", "start": "09:00", "end": "11:00"}, {"weekday": "mon", "start": "10:00", "end": "12:00"}]}`, "sessions[1]", "överlappar"},
		{KindRedirect, `{"phone": "desk", "target": "colleague"}`, "phone", "personal, on_call"},
		{KindLeave, `{"days": 0}`, "days", "minst 1"},
		{KindIncident, `{"kind": "it"}`, "discovered_at", "upptäcktes"},
		{KindIncident, `{"kind": "it", "discovered_at": "2099-01-01T00:00:00Z"}`, "discovered_at", "framtiden"},
		{KindMeeting, `{"tool": "zoom", "information_class": "open"}`, "tool", "approved, external"},
		{"vacation", `{}`, "", "Okänd typ av kontroll"},
	}
	for _, tt := range tests {
		_, err := CheckJSON(p, tt.kind, strings.NewReader(tt.in), now)
		var e *distans.Error
		if !errors.As(err, &e) || e.Code != distans.EINVALID {
			t.Errorf("%s %s: err = %v, want EINVALID", tt.kind, tt.in, err)
			continue
		}
		if got := fieldMessages(err); !strings.Contains(got, tt.sv) || tt.field != "" && !strings.Contains(got, tt.field+": ") {
			t.Errorf("%s %s: %s; want field %q with %q", tt.kind, tt.in, got, tt.field, tt.sv)
		}
		if ExitCode(nil, err) != ExitBadInput {
			t.Errorf("%s: exit code %d", tt.in, ExitCode(nil, err))
		}
	}
}

// TestCheckInputs: typed values, pointers, maps and raw JSON are the same
// input, and an input of the wrong kind is refused.
func TestCheckInputs(t *testing.T) {
	t.Parallel()
	p := mustSeed(t, "bjurholm")
	now := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	a := Agreement{Start: "2025-01-01", End: "2026-06-30", RemotePlace: "Hemma"}
	raw, _ := json.Marshal(a)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	var want []string
	for i, in := range []any{a, &a, m, raw, json.RawMessage(raw)} {
		fs, err := p.Check(KindAgreement, in, now)
		if err != nil {
			t.Fatalf("%T: %v", in, err)
		}
		var ids []string
		for _, f := range fs {
			ids = append(ids, f.RuleID)
		}
		if i == 0 {
			want = ids
			if !slices.Contains(ids, "bjurholm-11-max-length") || !slices.Contains(ids, "bjurholm-11-tasks") {
				t.Errorf("findings %v", ids)
			}
			if !Blocking(fs) || fs[0].Severity != SeverityBlock || fs[len(fs)-1].Severity == SeverityBlock {
				t.Errorf("blocking findings do not come first: %v", fs)
			}
		} else if !slices.Equal(ids, want) {
			t.Errorf("%T gives %v, want %v", in, ids, want)
		}
	}
	if _, err := p.Check(KindLeave, Meeting{Tool: "approved", InformationClass: "open"}, now); distans.ErrorCode(err) != distans.EINVALID {
		t.Errorf("a meeting checked as leave: %v", err)
	}
	if _, err := p.Check(KindAgreement, map[string]any{"tasks": 3}, now); distans.ErrorCode(err) != distans.EINVALID {
		t.Errorf("a map with a wrong type: %v", err)
	}
	if _, err := p.Check(KindAgreement, 42, now); err == nil {
		t.Error("an int was accepted as input")
	}
	// A kind without rules in this pack has no findings and no error.
	if fs, err := p.Check(KindRedirect, Redirect{Phone: "on_call", Target: "private"}, now); err != nil || len(fs) != 0 {
		t.Errorf("redirect in Bjurholm: %v, %v", fs, err)
	}
}

func TestReportAndExitCode(t *testing.T) {
	t.Parallel()
	p := mustSeed(t, "sorsele")
	now := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	fs, err := CheckJSON(p, KindRedirect, strings.NewReader(`{"phone":"on_call","target":"switchboard","until":"2025-06-02T15:00"}`), now)
	if err != nil {
		t.Fatal(err)
	}
	if ExitCode(fs, nil) != ExitBlocked {
		t.Errorf("exit code %d, want %d", ExitCode(fs, nil), ExitBlocked)
	}
	data, err := json.Marshal(NewReport(p, KindRedirect, now, fs))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Organisation string `json:"organisation"`
		PackVersion  int    `json:"pack_version"`
		Blocking     bool   `json:"blocking"`
		Findings     []struct {
			RuleID    string `json:"rule_id"`
			Severity  string `json:"severity"`
			MessageSv string `json:"message_sv"`
			MessageEn string `json:"message_en"`
			Source    Source `json:"source"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	f := got.Findings[0]
	if got.Organisation != "sorsele" || got.PackVersion != 1 || !got.Blocking || f.RuleID != "sorsele-6-on-call" ||
		f.Severity != "block" || f.MessageSv == "" || f.MessageEn == "" || f.Source.Quote != "Jourtelefonen får inte hänvisas." {
		t.Errorf("report %s", data)
	}
	empty, _ := json.Marshal(NewReport(p, KindMeeting, now, nil))
	if !strings.Contains(string(empty), `"findings":[]`) || ExitCode(nil, nil) != ExitOK {
		t.Errorf("an empty report is %s", empty)
	}
	if ExitCode(nil, errors.New("disk on fire")) != ExitInternal {
		t.Error("an internal error is not exit code 3")
	}
}

// TestKindVariablesResolve holds the hand-written resolvers to the one
// table of declared variables: every name answers with its declared type.
func TestKindVariablesResolve(t *testing.T) {
	t.Parallel()
	now := time.Now()
	inputs := map[string]Input{
		KindAgreement:     &Agreement{},
		KindPhoneHours:    PhoneHours{Sessions: []PhoneSession{{Weekday: "mon", Start: "09:00", End: "10:00"}}},
		KindRedirect:      Redirect{Phone: "personal", Target: "colleague"},
		KindLeave:         Leave{Days: 1},
		KindTravel:        Travel{},
		KindIncident:      Incident{Kind: "it", DiscoveredAt: now},
		KindMeeting:       Meeting{Tool: "approved", InformationClass: "open"},
		KindEmploymentEnd: EmploymentEnd{},
		KindLoss:          Loss{Kind: "stolen", Categories: []string{"phone"}, DiscoveredAt: now, ReportedAt: now},
		KindPrecondition:  Precondition{TrainingMissing: []string{"disa"}},
	}
	for _, k := range Kinds() {
		in, ok := inputs[k.Name]
		if !ok {
			t.Errorf("no sample input for %s", k.Name)
			continue
		}
		f, err := in.facts(now)
		if err != nil {
			t.Fatalf("%s: %v", k.Name, err)
		}
		for _, x := range k.Variables {
			val, ok := f.ResolveName(x.Name)
			if !ok {
				t.Errorf("%s.%s does not resolve", k.Name, x.Name)
				continue
			}
			rv, isVal := val.(ref.Val)
			if !isVal || rv.Type().(*types.Type).Kind() != x.celType.Kind() {
				t.Errorf("%s.%s resolves to %T, declared %s", k.Name, x.Name, val, x.Type)
			}
		}
		if _, ok := f.ResolveName("no_such_variable"); ok {
			t.Errorf("%s resolves an undeclared name", k.Name)
		}
	}
}

// TestSeedErrors: an unknown organisation is not found, and the documents
// cannot be read outside their directory.
func TestSeedErrors(t *testing.T) {
	t.Parallel()
	if _, err := Seed("uppsala"); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Errorf("Seed(uppsala): %v", err)
	}
	if _, err := SeedDocument("../stockholm.yaml"); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Errorf("SeedDocument escaped its directory: %v", err)
	}
	if n := len(SeedDocuments()); n != 5 {
		t.Errorf("%d seed documents, want 5", n)
	}
}
