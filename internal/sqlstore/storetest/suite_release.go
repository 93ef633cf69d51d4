package storetest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/pdf"
	"github.com/distans/distans/internal/sqlstore"
)

func init() {
	Suite = append(Suite, Test{"Release", Release}, Test{"ReleaseCopyPDF", ReleaseCopyPDF})
}

// releaseProvisions is the generic pack's list as far as the tests need it.
var releaseProvisions = []distans.SecrecyProvision{
	{ID: distans.ProvisionHealth, Citation: "OSL 21 kap. 1 §", LabelSv: "Hälsa"},
	{ID: distans.ProvisionPersonnel, Citation: "OSL 39 kap. 3 §", LabelSv: "Personaladministration"},
	{ID: distans.ProvisionSecurity, Citation: "OSL 18 kap. 8 §", LabelSv: "Säkerhetsåtgärd"},
}

const pnrAsa = "19811218-9876"

// Release: only the registrator, within the scope of their grant, reviews
// a case and records a decision; everyone else is refused or told it does
// not exist, another organisation's registrator included. The review has
// the secret values and suggests their maskings; the decision keeps the
// maskings with their citations and a copy without the masked values; the
// review, the decision and each download are in the audit trail, without
// a secret value.
func Release(t *testing.T, s *sqlstore.Store) {
	w := newRegisterWorld(t, s)
	admin := As(t, s, w.Admin)
	_, err := s.UpdatePerson(admin, w.EmpX1.ID, distans.PersonUpdate{PersonalNumber: ptr(pnrAsa)})
	Must(t, err)
	reg := As(t, s, w.Reg)

	for name, who := range map[string]*distans.Person{"HR": w.HRX, "the administrator": w.Admin, "the employee": w.EmpX1,
		"the security coordinator": w.Sec} {
		if _, err := s.ReleaseCase(As(t, s, who), distans.RegisterAgreement, w.AgrX1.ID); distans.ErrorCode(err) != distans.EFORBIDDEN {
			t.Errorf("%s reviews: %v", name, err)
		}
	}
	if _, err := s.ReleaseCase(As(t, s, w.RegB), distans.RegisterAgreement, w.AgrX1.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Errorf("another organisation's registrator reviews: %v", err)
	}
	if _, err := s.ReleaseCase(As(t, s, w.RegX), distans.RegisterAgreement, w.AgrY.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Errorf("the registrator of X reviews a case of Y: %v", err)
	}
	if _, err := s.ReleaseCase(reg, "letter", w.AgrX1.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Errorf("unknown kind: %v", err)
	}

	c, err := s.ReleaseCase(reg, distans.RegisterAgreement, w.AgrX1.ID)
	Must(t, err)
	for key, want := range map[string]string{"request_place": homePlace, "request_reasons": "Koncentration",
		"personal_number": pnrAsa, "employee": w.EmpX1.Name, "request_tasks": "Handläggning"} {
		if f := c.Field(key); f == nil || f.Value != want {
			t.Errorf("review field %s = %+v, want %q", key, f, want)
		}
	}
	sugg := distans.SuggestMaskings(c)
	if got := maskedFields(sugg); !slices.Equal(got, []string{"personal_number", "request_place", "request_reasons"}) {
		t.Errorf("suggested %v", got)
	}

	in := distans.ReleaseInput{Kind: distans.RegisterAgreement, RecordID: w.AgrX1.ID, RequestedOn: agrToday(),
		Maskings: sugg, Note: "Uppgifter om hemadress och hälsa."}
	for name, who := range map[string]*distans.Person{"HR": w.HRX, "the employee": w.EmpX1} {
		if _, err := s.CreateRelease(As(t, s, who), in, releaseProvisions); distans.ErrorCode(err) != distans.EFORBIDDEN {
			t.Errorf("%s decides: %v", name, err)
		}
	}
	if _, err := s.CreateRelease(As(t, s, w.RegB), in, releaseProvisions); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Errorf("another organisation's registrator decides: %v", err)
	}
	bad := in
	bad.Maskings = append(slices.Clone(sugg), distans.Masking{Field: "request_tasks", Provision: "osl-99-1"})
	if _, err := s.CreateRelease(reg, bad, releaseProvisions); !hasFieldError(err, "provision.request_tasks") {
		t.Errorf("a provision not in the pack: %v", err)
	}
	bad = in
	bad.RequestedOn = agrToday().AddDate(0, 0, 2)
	if _, err := s.CreateRelease(reg, bad, releaseProvisions); !hasFieldError(err, "requested_on") {
		t.Errorf("a request from the future: %v", err)
	}

	r, err := s.CreateRelease(reg, in, releaseProvisions)
	Must(t, err)
	if r.Outcome != distans.ReleasePartial || r.RequesterName() != distans.ReleaseRequester || r.CaseNumber != w.AgrX1.Number ||
		len(r.Maskings) != 3 || r.Maskings[0].Citation != "OSL 39 kap. 3 §" {
		t.Errorf("decision %+v", r)
	}
	got, err := s.FindRelease(reg, r.ID)
	Must(t, err)
	if !slices.Equal(maskedFields(got.Maskings), maskedFields(r.Maskings)) || got.Maskings[2].Citation != "OSL 21 kap. 1 §" ||
		!got.RequestedOn.Equal(agrToday()) || got.DecidedByName != w.Reg.Name {
		t.Errorf("found %+v", got)
	}
	for _, f := range got.Released {
		if f.Masked && f.Value != "" {
			t.Errorf("the copy keeps the masked %s: %q", f.Key, f.Value)
		}
	}
	if _, err := s.FindRelease(As(t, s, w.RegB), r.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
		t.Errorf("another organisation finds the decision: %v", err)
	}
	if _, err := s.FindRelease(As(t, s, w.RegX), r.ID); err != nil {
		t.Errorf("the registrator of X finds a decision on a case of X: %v", err)
	}

	// A refusal in whole, by name, on an incident of Y; no copy.
	refused, err := s.CreateRelease(reg, distans.ReleaseInput{Kind: distans.RegisterIncident, RecordID: w.IncPD.ID,
		Requester: "Kalle Journalist", RequestedOn: agrToday(), Refuse: true, RefusalProvision: distans.ProvisionSecurity},
		releaseProvisions)
	Must(t, err)
	if refused.Outcome != distans.ReleaseRefused || len(refused.Released) != 0 || refused.RefusalCitation != "OSL 18 kap. 8 §" {
		t.Errorf("refusal %+v", refused)
	}
	if _, err := s.OpenRelease(reg, refused.ID, "copy"); distans.ErrorCode(err) != distans.ECONFLICT {
		t.Errorf("the copy of a refusal: %v", err)
	}
	if _, err := s.OpenRelease(reg, refused.ID, "decision"); err != nil {
		t.Error(err)
	}
	if _, err := s.OpenRelease(reg, r.ID, "copy"); err != nil {
		t.Error(err)
	}
	list, err := s.ListReleases(reg, "", "")
	Must(t, err)
	if len(list) != 2 || list[0].ID != refused.ID {
		t.Errorf("the registrator's decisions: %v", releaseIDs(list))
	}
	if list, err := s.ListReleases(As(t, s, w.RegX), "", ""); err != nil || len(list) != 1 || list[0].ID != r.ID {
		t.Errorf("the registrator of X sees %v, %v", releaseIDs(list), err)
	}
	if list, err := s.ListReleases(reg, distans.RegisterAgreement, w.AgrX1.ID); err != nil || len(list) != 1 {
		t.Errorf("decisions on the agreement: %v, %v", releaseIDs(list), err)
	}
	if list, err := s.ListReleases(As(t, s, w.RegB), "", ""); err != nil || len(list) != 0 {
		t.Errorf("another organisation lists %v, %v", releaseIDs(list), err)
	}

	events, err := s.ListAuditEvents(admin, distans.AuditFilter{Limit: 1000})
	Must(t, err)
	actions := map[string]int{}
	for _, e := range events {
		if strings.HasPrefix(e.Action, "records.release_") {
			actions[e.Action]++
			for _, secret := range []string{homePlace, "Koncentration", pnrAsa} {
				if strings.Contains(e.Summary, secret) {
					t.Errorf("the audit trail shows %q: %s", secret, e.Summary)
				}
			}
		}
	}
	if actions["records.release_review"] != 1 || actions["records.release_decide"] != 2 ||
		actions["records.release_copy"] != 1 || actions["records.release_decision"] != 1 {
		t.Errorf("audited %v", actions)
	}
}

// ReleaseCopyPDF: for a case of every kind, the registrator takes the
// suggested maskings (and masks an incident's title, which repeats a
// secret), and the masked copy, read back with pdftotext, holds none of
// the masked values — home address, personal identity number, the
// reasons that may be about health, the incident's secret fields, the
// place of a loss outside the premises — and does hold the rest, with the
// provision where each value was.
func ReleaseCopyPDF(t *testing.T, s *sqlstore.Store) {
	if _, err := os.Stat("/usr/bin/pdftotext"); err != nil {
		t.Skip("/usr/bin/pdftotext is missing (install Debian poppler-utils)")
	}
	w := newRegisterWorld(t, s)
	_, err := s.UpdatePerson(As(t, s, w.Admin), w.EmpX1.ID, distans.PersonUpdate{PersonalNumber: ptr(pnrAsa)})
	Must(t, err)
	reg := As(t, s, w.Reg)
	cases := []struct {
		kind     distans.RegisterKind
		id       string
		more     []string // fields masked beyond the suggestion
		secrets  []string // values that must not be in the copy
		released []string // values that must be
	}{
		{distans.RegisterAgreement, w.AgrX1.ID, nil, []string{homePlace, "Koncentration", pnrAsa},
			[]string{w.AgrX1.Number, w.EmpX1.Name, "Handläggning"}},
		{distans.RegisterIncident, w.IncIT.ID, []string{"title"},
			[]string{"Bilagan från kund Karlsson öppnades", "Procapita", "Virus i Procapita"}, []string{w.IncIT.Number, w.EmpX1.Name}},
		{distans.RegisterIncident, w.IncPD.ID, nil, []string{"Lönelista till fel mottagare", w.EmpY.Name}, []string{w.IncPD.Number}},
		{distans.RegisterEquipmentLoss, w.Loss.ID, nil, []string{"Hemma på Lillgatan 3", pnrAsa},
			[]string{w.Loss.Number, "Telefonen låg i jackan som blev stulen", "P-1"}},
	}
	for _, tc := range cases {
		c, err := s.ReleaseCase(reg, tc.kind, tc.id)
		Must(t, err)
		maskings := distans.SuggestMaskings(c)
		for _, f := range tc.more {
			maskings = append(maskings, distans.Masking{Field: f, Provision: distans.ProvisionSecurity})
		}
		// Every secret value is the whole value of a masked field.
		for _, secret := range tc.secrets {
			if !slices.ContainsFunc(maskings, func(m distans.Masking) bool {
				f := c.Field(m.Field)
				return f != nil && strings.Contains(f.Value, secret)
			}) {
				t.Errorf("%s: %q is in no masked field (maskings %v)", c.Entry.Number, secret, maskedFields(maskings))
			}
		}
		r, err := s.CreateRelease(reg, distans.ReleaseInput{Kind: tc.kind, RecordID: tc.id, RequestedOn: agrToday(),
			Maskings: maskings}, releaseProvisions)
		Must(t, err)
		r, err = s.OpenRelease(reg, r.ID, "copy")
		Must(t, err)
		var buf bytes.Buffer
		Must(t, pdf.WriteReleaseCopy(&buf, pdf.ReleaseDoc{Release: r, Organisation: "Kommun A"}))
		text := pdfText(t, buf.Bytes())
		for _, secret := range tc.secrets {
			if strings.Contains(text, strings.Join(strings.Fields(secret), " ")) {
				t.Errorf("%s: the masked copy shows %q", r.CaseNumber, secret)
			}
		}
		for _, want := range append(tc.released, "Kopia av allmän handling", "[Maskerat enligt") {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the copy lacks %q", r.CaseNumber, want)
			}
		}
		var dec bytes.Buffer
		Must(t, pdf.WriteReleaseDecision(&dec, pdf.ReleaseDoc{Release: r, Organisation: "Kommun A", Provisions: releaseProvisions}))
		dtext := pdfText(t, dec.Bytes())
		for _, secret := range tc.secrets {
			if strings.Contains(dtext, strings.Join(strings.Fields(secret), " ")) {
				t.Errorf("%s: the decision shows %q", r.CaseNumber, secret)
			}
		}
		for _, want := range []string{"Beslut om utlämnande av allmän handling", "kammarrätten", "tre veckor", "Sökande: anonym"} {
			if !strings.Contains(dtext, want) {
				t.Errorf("%s: the decision lacks %q", r.CaseNumber, want)
			}
		}
		if t.Failed() {
			t.Logf("copy:\n%s\ndecision:\n%s", text, dtext)
			return
		}
	}
}

// pdfText is the PDF's text as pdftotext reads it, its white space folded.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "doc.pdf")
	Must(t, os.WriteFile(file, b, 0o600))
	out, err := exec.Command("/usr/bin/pdftotext", "-layout", file, "-").Output()
	Must(t, err)
	return strings.Join(strings.Fields(string(out)), " ")
}

func maskedFields(ms []distans.Masking) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Field)
	}
	slices.Sort(out)
	return out
}

func releaseIDs(rs []*distans.ReleaseRequest) []string {
	return ids(rs, func(r *distans.ReleaseRequest) string { return r.CaseNumber + " " + string(r.Outcome) })
}

func hasFieldError(err error, field string) bool {
	e, ok := err.(*distans.Error)
	return ok && e.Code == distans.EINVALID && slices.ContainsFunc(e.Fields, func(f distans.FieldError) bool { return f.Field == field })
}
