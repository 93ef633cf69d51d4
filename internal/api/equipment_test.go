package api_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// equipmentSeen is what the tests read of an equipment answer.
type equipmentSeen struct {
	ID           string `json:"id"`
	Version      int    `json:"version"`
	State        string `json:"state"`
	Status       string `json:"status"`
	TermsVersion int    `json:"terms_version"`
	Hash         string `json:"hash"`
	IncidentID   string `json:"incident_id"`
	Steps        []struct {
		Step   string `json:"step"`
		DoneAt string `json:"done_at"`
	} `json:"steps"`
}

// equipmentEnv is incidentEnv in which IT has issued a computer ({pc})
// and a phone ({phone}) from stock to the employee, who has accepted the
// handover ({handover}); {chefpc} is an item issued to the chef.
func equipmentEnv(t *testing.T) *env {
	t.Helper()
	e := incidentEnv(t)
	var page struct {
		Items []struct {
			ID       string `json:"id"`
			Category string `json:"category"`
			Status   string `json:"status"`
			HolderID string `json:"holder_id"`
		} `json:"items"`
	}
	e.doJSON(t, "GET", "/api/v1/equipment/items?limit=200", "it", "", &page)
	for _, it := range page.Items {
		switch {
		case it.Status == "in_stock" && it.Category == "computer" && e.ids["pc"] == "":
			e.ids["pc"] = it.ID
		case it.Status == "in_stock" && it.Category == "phone" && e.ids["phone"] == "":
			e.ids["phone"] = it.ID
		case it.Status == "issued" && it.HolderID == e.ids["chef"] && e.ids["chefpc"] == "":
			e.ids["chefpc"] = it.ID
		}
	}
	if e.ids["pc"] == "" || e.ids["phone"] == "" || e.ids["chefpc"] == "" {
		t.Fatalf("the demo has no computer and phone in stock and no item issued to the chef: %+v", page.Items)
	}
	var h equipmentSeen
	e.doJSON(t, "POST", "/api/v1/equipment/handovers", "it", `{"person_id":"{emp}","item_ids":["{pc}","{phone}"]}`, &h)
	e.doJSON(t, "GET", "/api/v1/equipment/handovers/"+h.ID, "emp", "", &h)
	e.ids["handover"], e.ids["terms_version"], e.ids["hash"] = h.ID, strconv.Itoa(h.TermsVersion), h.Hash
	e.doJSON(t, "POST", "/api/v1/equipment/handovers/{handover}/accept", "emp",
		`{"terms_version":{terms_version},"hash":"{hash}","password":"Distans-demo-1"}`, &h)
	if h.State != "accepted" {
		t.Fatalf("handover %s after acceptance", h.State)
	}
	return e
}

// TestEquipmentAPIVisibility: who sees what, and the bad input the issue
// names, through the API: each answer in Swedish with nothing saved.
func TestEquipmentAPIVisibility(t *testing.T) {
	t.Parallel()
	e := equipmentEnv(t)
	for _, sc := range []scenario{
		{name: "the person sees their item", method: "GET", url: "/api/v1/equipment/items/{pc}", as: "emp", status: 200,
			contains: []string{`"holder_id": "{emp}"`}, unchanged: true},
		{name: "the person's own list", method: "GET", url: "/api/v1/equipment/items", as: "emp", status: 200,
			contains: []string{"{pc}", "{phone}"}, excludes: []string{"{chefpc}"}, unchanged: true},
		{name: "a person does not see another's item", method: "GET", url: "/api/v1/equipment/items/{chefpc}", as: "emp", status: 404, unchanged: true},
		{name: "nor their handovers", method: "GET", url: "/api/v1/equipment/handovers/{handover}", as: "hr", status: 404, unchanged: true},
		{name: "the manager sees their person's item", method: "GET", url: "/api/v1/equipment/items/{pc}", as: "chef", status: 200, unchanged: true},
		{name: "another organisation's item is not found", method: "GET", url: "/api/v1/equipment/items/{pc}", as: "varaSec", status: 404, unchanged: true},
		{name: "IT reads the item's history", method: "GET", url: "/api/v1/equipment/items/{pc}/history", as: "it", status: 200,
			contains: []string{`"kind": "registered"`, `"kind": "issued"`, `"kind": "accepted"`, `"person_id": "{emp}"`}, unchanged: true},
		{name: "the holder's manager reads what concerns the holder", method: "GET", url: "/api/v1/equipment/items/{pc}/history", as: "chef",
			status: 200, contains: []string{`"kind": "accepted"`}, excludes: []string{`"kind": "registered"`}, unchanged: true},
		{name: "another organisation reads no history", method: "GET", url: "/api/v1/equipment/items/{pc}/history", as: "varaSec", status: 404, unchanged: true},
		{name: "another organisation's handover", method: "GET", url: "/api/v1/equipment/handovers/{handover}/pdf", as: "varaSec", status: 404, unchanged: true},
		{name: "the acceptance PDF", method: "GET", url: "/api/v1/equipment/handovers/{handover}/pdf", as: "emp", status: 200,
			contains: []string{"%PDF"}, unchanged: true},
		{name: "an item already issued", method: "POST", url: "/api/v1/equipment/handovers", as: "it",
			body: `{"person_id":"{hr}","item_ids":["{chefpc}"]}`, status: 422, contains: []string{"utlämnad"}, unchanged: true},
		{name: "an acceptance again", method: "POST", url: "/api/v1/equipment/handovers/{handover}/accept", as: "emp",
			body: `{"terms_version":{terms_version},"hash":"{hash}","password":"Distans-demo-1"}`, status: 409, unchanged: true},
		{name: "a return by someone who does not hold it", method: "POST", url: "/api/v1/equipment/returns", as: "it",
			body: `{"person_id":"{hr}","items":[{"item_id":"{pc}","condition":"good"}]}`, status: 422, unchanged: true},
		{name: "a return without a condition", method: "POST", url: "/api/v1/equipment/returns", as: "it",
			body: `{"person_id":"{emp}","items":[{"item_id":"{pc}","condition":"fin"}]}`, status: 422,
			contains: []string{"Ange skicket på varje utrustning."}, unchanged: true},
		{name: "a loss discovered in the future", method: "POST", url: "/api/v1/equipment/losses", as: "emp",
			body:   `{"kind":"lost","item_ids":["{phone}"],"discovered_at":"{later}","place":"Bussen","description":"Borta."}`,
			status: 422, contains: []string{"Tiden kan inte ligga i framtiden."}, unchanged: true},
		{name: "an unknown status filter", method: "GET", url: "/api/v1/equipment/items?status=borta", as: "it", status: 422, unchanged: true},
		{name: "a registration without serial or asset tag", method: "POST", url: "/api/v1/equipment/items", as: "it",
			body: `{"category":"computer","unit_id":"x"}`, status: 422, contains: []string{"Ange serienummer, IMEI eller inventarienummer."}, unchanged: true},
		{name: "an employee may not register items", method: "POST", url: "/api/v1/equipment/items", as: "emp",
			body: `{"category":"computer","serial":"X1","unit_id":"{orgA}"}`, unchanged: true, status: 0},
		{name: "no token", method: "GET", url: "/api/v1/equipment/items", status: 401, unchanged: true},
	} {
		t.Run(sc.name, func(t *testing.T) {
			if sc.status == 0 {
				status, body := e.do(t, sc.method, sc.url, sc.as, sc.body)
				if status != 403 && status != 404 && status != 422 {
					t.Errorf("status %d: %s", status, body)
				}
				return
			}
			sc.run(t, e)
		})
	}
}

// TestEquipmentAPIJourney: keyset paging of the registry, then the phone
// reported lost, IT's SIM block sent as multipart, and the negligence
// assessment refused to IT and made by the manager.
func TestEquipmentAPIJourney(t *testing.T) {
	t.Parallel()
	e := equipmentEnv(t)

	var first, second struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
		NextAfter string `json:"next_after"`
	}
	e.doJSON(t, "GET", "/api/v1/equipment/items?limit=2", "it", "", &first)
	if len(first.Items) != 2 || first.NextAfter == "" {
		t.Fatalf("first page: %+v", first)
	}
	e.doJSON(t, "GET", "/api/v1/equipment/items?limit=2&after="+first.NextAfter, "it", "", &second)
	if len(second.Items) == 0 || second.Items[0].ID == first.Items[0].ID || second.Items[0].ID == first.Items[1].ID {
		t.Fatalf("the second page repeats the first: %+v %+v", first, second)
	}

	var loss equipmentSeen
	e.doJSON(t, "POST", "/api/v1/equipment/losses", "emp", `{"kind":"lost","item_ids":["{phone}"],"discovered_at":"{now}",
		"place":"Bussen mellan Bjurholm och Umeå","outside_premises":true,"description":"Telefonen låg kvar på sätet."}`, &loss)
	if loss.IncidentID == "" || len(loss.Steps) == 0 {
		t.Fatalf("the loss opened no incident or has no steps: %+v", loss)
	}
	e.ids["loss"] = loss.ID
	var item equipmentSeen
	e.doJSON(t, "GET", "/api/v1/equipment/items/{phone}", "it", "", &item)
	if item.Status != "lost" {
		t.Errorf("the phone is %s after the loss report", item.Status)
	}

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("step", "block_sim")
	_ = mw.WriteField("evidence", "Telia ärende 4471")
	_ = mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+e.expand("/api/v1/equipment/losses/{loss}/steps"), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.tokens["it"])
	res, err := e.srv.Client().Do(req)
	must(t, err)
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(&loss); err != nil || res.StatusCode != 200 {
		t.Fatalf("block SIM: %d %v", res.StatusCode, err)
	}
	for _, s := range loss.Steps {
		if s.Step == "block_sim" && s.DoneAt == "" {
			t.Error("the SIM block is not recorded")
		}
	}

	assessment := `{"gross_negligence":false,"reasons":"Glömd i en stressad situation, inte grov vårdslöshet."}`
	if status, body := e.do(t, "POST", "/api/v1/equipment/losses/{loss}/assessment", "it", assessment); status != 403 {
		t.Errorf("IT's assessment: %d %s", status, body)
	}
	if status, body := e.do(t, "POST", "/api/v1/equipment/losses/{loss}/assessment", "chef", `{"reasons":"x"}`); status != 422 ||
		!strings.Contains(string(body), "gross_negligence") {
		t.Errorf("an assessment without the verdict: %d %s", status, body)
	}
	e.doJSON(t, "POST", "/api/v1/equipment/losses/{loss}/assessment", "chef", assessment, &loss)
	if status, body := e.do(t, "GET", "/api/v1/incidents/"+loss.IncidentID, "it", ""); status != 200 || !strings.Contains(string(body), loss.ID) {
		t.Errorf("the incident does not link back to the loss: %d %.500s", status, body)
	}
}
