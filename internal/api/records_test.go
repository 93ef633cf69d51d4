package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestRegisterAPI reads the register over HTTP on the demo: Bjurholm's
// registrator pages through agreements and incidents with next_after,
// filters by kind and number, and exports the CSV with its filters; the
// employee, HR and the security coordinator are refused; Vara's registrator
// sees none of Bjurholm's numbers, and a bad date or cursor is 422.
func TestRegisterAPI(t *testing.T) {
	t.Parallel()
	e := incidentEnv(t)
	type entry struct {
		Number, Kind, Subject, Party, State, Link, Date string
		Secret                                          bool
		SecretParts                                     []string `json:"secret_parts"`
	}
	type page struct {
		Items     []entry `json:"items"`
		NextAfter string  `json:"next_after"`
	}
	var all []entry
	url := "/api/v1/records/register?limit=3"
	for i := 0; ; i++ {
		var p page
		e.doJSON(t, "GET", url, "reg", "", &p)
		all = append(all, p.Items...)
		if p.NextAfter == "" || i > 100 {
			break
		}
		url = "/api/v1/records/register?limit=3&after=" + p.NextAfter
	}
	kinds := map[string]int{}
	seen := map[string]bool{}
	for _, it := range all {
		kinds[it.Kind]++
		if seen[it.Number] {
			t.Errorf("%s twice across pages", it.Number)
		}
		seen[it.Number] = true
		if it.Subject == "" || it.Date == "" || it.State == "" || !strings.HasPrefix(it.Link, "/") {
			t.Errorf("incomplete entry %+v", it)
		}
		if it.Kind == "agreement" && (!it.Secret || it.Party == "") {
			t.Errorf("agreement %s without its party or secrecy mark: %+v", it.Number, it)
		}
	}
	if kinds["agreement"] == 0 || kinds["incident"] == 0 {
		t.Fatalf("kinds %v", kinds)
	}

	var p page
	e.doJSON(t, "GET", "/api/v1/records/register?kind=incident&q=INC", "reg", "", &p)
	if len(p.Items) != kinds["incident"] && len(p.Items) != 50 {
		t.Errorf("incidents %d, want %d", len(p.Items), kinds["incident"])
	}
	for _, it := range p.Items {
		if it.Kind != "incident" || !strings.HasPrefix(it.Number, "INC ") {
			t.Errorf("kind filter: %+v", it)
		}
	}

	status, body := e.do(t, "GET", "/api/v1/records/register.csv?kind=agreement", "reg", "")
	if status != http.StatusOK || !strings.Contains(string(body), "Slag / kind,agreement") ||
		!strings.Contains(string(body), "number,date,kind,subject,party,secrecy,secret_parts,state,record_id") {
		t.Fatalf("export %d:\n%.800s", status, body)
	}
	if strings.Contains(string(body), "INC 20") {
		t.Error("the export holds incidents under kind=agreement")
	}

	for _, who := range []string{"emp", "hr", "sec", "chef"} {
		for _, path := range []string{"/api/v1/records/register", "/api/v1/records/register.csv"} {
			if status, _ := e.do(t, "GET", path, who, ""); status != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", who, path, status)
			}
		}
	}
	if status, _ := e.do(t, "GET", "/api/v1/records/register", "", ""); status != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", status)
	}

	var vara page
	e.doJSON(t, "GET", "/api/v1/records/register?limit=500", "varaReg", "", &vara)
	if len(vara.Items) == 0 {
		t.Error("Vara's registrator sees nothing of Vara")
	}
	varaIDs := map[string]bool{}
	for _, it := range vara.Items {
		varaIDs[it.Link] = true
	}
	for _, it := range all {
		if varaIDs[it.Link] {
			t.Errorf("Vara's registrator sees Bjurholm's %s", it.Number)
		}
	}

	for _, bad := range []string{"?from=2026-02-30", "?after=nonsense", "?kind=decision", "?from=2026-03-02&to=2026-03-01"} {
		status, body := e.do(t, "GET", "/api/v1/records/register"+bad, "reg", "")
		if status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", bad, status, body)
		}
	}
}
