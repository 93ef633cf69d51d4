package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestReleaseAPI: Bjurholm's registrator reviews an agreement from the
// register (its secret fields suggested for masking), records a decision
// with maskings and reads it back, downloads both PDFs, and refuses in
// whole (no copy); a masking under a provision the pack lacks is 422;
// anyone else is refused, and Vara's registrator finds nothing of it.
func TestReleaseAPI(t *testing.T) {
	t.Parallel()
	e := incidentEnv(t)
	var reg struct {
		Items []struct {
			Kind     string `json:"kind"`
			RecordID string `json:"record_id"`
			Number   string `json:"number"`
		} `json:"items"`
	}
	e.doJSON(t, "GET", "/api/v1/records/register?kind=agreement&limit=1", "reg", "", &reg)
	if len(reg.Items) != 1 {
		t.Fatal("no agreement in the register")
	}
	id := reg.Items[0].RecordID
	var rev struct {
		Suggested  []struct{ Field, Provision string } `json:"suggested"`
		Provisions []struct{ ID, Citation string }     `json:"provisions"`
	}
	e.doJSON(t, "GET", "/api/v1/records/releases/review?kind=agreement&record_id="+id, "reg", "", &rev)
	place := ""
	for _, m := range rev.Suggested {
		if m.Field == "request_place" {
			place = m.Provision
		}
	}
	if place != "osl-39-3" || len(rev.Provisions) < 5 {
		t.Fatalf("review: %+v", rev)
	}

	body := `{"kind":"agreement","record_id":"` + id + `","requester":"","requested_on":"2026-01-05",
		"maskings":[{"field":"request_place","provision":"osl-39-3"},{"field":"request_reasons","provision":"osl-21-1"}],"note":"Hemadress och hälsa."}`
	var dec struct {
		ID, Outcome, CaseNumber string
		RequestedOn             string `json:"requested_on"`
		Maskings                []struct{ Field, Citation string }
		Released                []struct {
			Key, Value string
			Masked     bool
		}
	}
	e.doJSON(t, "POST", "/api/v1/records/releases", "reg", body, &dec)
	if dec.Outcome != "partial" || dec.RequestedOn != "2026-01-05" || len(dec.Maskings) != 2 || dec.Maskings[0].Citation != "OSL 39 kap. 3 §" {
		t.Fatalf("decision %+v", dec)
	}
	for _, f := range dec.Released {
		if f.Masked && f.Value != "" {
			t.Errorf("the released %s keeps its value", f.Key)
		}
	}
	var got struct{ ID, Outcome string }
	e.doJSON(t, "GET", "/api/v1/records/releases/"+dec.ID, "reg", "", &got)
	if got.ID != dec.ID || got.Outcome != "partial" {
		t.Errorf("read back %+v", got)
	}
	for _, doc := range []string{"copy.pdf", "decision.pdf"} {
		status, b := e.do(t, "GET", "/api/v1/records/releases/"+dec.ID+"/"+doc, "reg", "")
		if status != http.StatusOK || !strings.HasPrefix(string(b), "%PDF-") {
			t.Errorf("%s: %d", doc, status)
		}
	}
	var list struct{ Items []struct{ ID string } }
	e.doJSON(t, "GET", "/api/v1/records/releases?kind=agreement&record_id="+id, "reg", "", &list)
	if len(list.Items) != 1 || list.Items[0].ID != dec.ID {
		t.Errorf("the case's decisions: %+v", list)
	}

	bad := strings.Replace(body, `"provision":"osl-21-1"`, `"provision":"osl-99-9"`, 1)
	if status, b := e.do(t, "POST", "/api/v1/records/releases", "reg", bad); status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(b), "provision.request_reasons") {
		t.Errorf("unknown provision: %d %s", status, b)
	}
	var refused struct{ ID, Outcome string }
	e.doJSON(t, "POST", "/api/v1/records/releases", "reg", `{"kind":"agreement","record_id":"`+id+
		`","requester":"Kalle","requested_on":"2026-01-05","refuse":true,"refusal_provision":"osl-21-1"}`, &refused)
	if refused.Outcome != "refused" {
		t.Errorf("refusal %+v", refused)
	}
	if status, _ := e.do(t, "GET", "/api/v1/records/releases/"+refused.ID+"/copy.pdf", "reg", ""); status != http.StatusConflict {
		t.Errorf("the copy of a refusal: %d", status)
	}

	for _, who := range []string{"emp", "hr", "sec", "chef"} {
		for _, path := range []string{"/api/v1/records/releases", "/api/v1/records/releases/" + dec.ID,
			"/api/v1/records/releases/review?kind=agreement&record_id=" + id} {
			if status, _ := e.do(t, "GET", path, who, ""); status != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", who, path, status)
			}
		}
	}
	for _, path := range []string{"/api/v1/records/releases/" + dec.ID, "/api/v1/records/releases/review?kind=agreement&record_id=" + id} {
		if status, _ := e.do(t, "GET", path, "varaReg", ""); status != http.StatusNotFound {
			t.Errorf("Vara's registrator GET %s: %d, want 404", path, status)
		}
	}
}
