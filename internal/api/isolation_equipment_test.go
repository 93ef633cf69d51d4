package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/app"
)

// withEquipment gives alfa an equipment registry that beta must never
// reach, set up through the API as alfa's people would: adminA, who also
// keeps the registry (IT over the whole organisation), registers a
// model ({eqModel}), a computer ({eqPC}), a phone ({eqPhone}), a headset
// ({eqHeadset}) and a screen in stock ({eqScreen}, version
// {eqScreenVersion}), and issues the first three to empX1 in one handover
// ({eqHandover}), pending acceptance; IT records the headset's return
// ({eqReturn}, unsigned); empX1 reports the phone lost ({eqLoss}) and
// records its police report with a copy ({eqAttachment}) and asks to
// take the computer on a private trip abroad ({eqTrip}, awaiting the
// manager); empX1's employment ends, and the return job gives chefX a
// task to take the computer back ({eqTask}).
//
// Beta gets the same powers over its own organisation, so that only the
// organisation tells the two apart: adminB keeps beta's registry as IT
// over the whole organisation, hrB manages Förvaltning B, and beta has
// equipment terms (docB) and an item in stock ({eqB}).
func withEquipment(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	for _, g := range []struct{ org, person, unit string }{{"orgA", "adminA", ""}, {"orgB", "adminB", ""}, {"orgB", "hrB", "rootB"}} {
		role := distans.RoleIT
		if g.unit != "" {
			role = distans.RoleManager
		}
		must(t, e.store.AssignRole(distans.NewContext(ctx, distans.SystemActor(e.ids[g.org])),
			&distans.RoleAssignment{PersonID: e.ids[g.person], Role: role, UnitID: e.ids[g.unit]}))
	}

	// Sorsele's rules (004 §8), whose loss procedure has a police report
	// with its copy and whose private trips abroad wait for the manager.
	_, err := newPolicyService(e.store).Save(distans.NewContext(ctx, distans.SystemActor(e.ids["orgA"])), 0,
		seedPack(t, "sorsele", "alfa", "Kommun A"), "Första versionen")
	must(t, err)

	var seen struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
		Hash    string `json:"hash"`
		Steps   []struct {
			Step         string `json:"step"`
			AttachmentID string `json:"attachment_id"`
		} `json:"steps"`
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	post := func(key, url, as, body string) {
		t.Helper()
		e.doJSON(t, "POST", url, as, body, &seen)
		if key != "" {
			e.ids[key] = seen.ID
		}
	}
	e.doJSON(t, "PUT", "/api/v1/equipment/terms", "adminA", `{"document_id":"{docA}"}`, nil)
	e.doJSON(t, "PUT", "/api/v1/equipment/terms", "adminB", `{"document_id":"{docB}"}`, nil)
	post("eqModel", "/api/v1/equipment/models", "adminA", `{"category":"computer","name":"Alfabok 14","manufacturer":"Alfa AB"}`)
	post("eqPC", "/api/v1/equipment/items", "adminA", `{"category":"computer","model_id":"{eqModel}","serial":"ALFA-PC-1","asset_tag":"A-D001","unit_id":"{unitX1}"}`)
	post("eqPhone", "/api/v1/equipment/items", "adminA", `{"category":"phone","serial":"ALFA-M-1","asset_tag":"A-M001","unit_id":"{unitX1}"}`)
	post("eqHeadset", "/api/v1/equipment/items", "adminA", `{"category":"headset","serial":"ALFA-H-1","asset_tag":"A-H001","unit_id":"{unitX1}"}`)
	post("eqScreen", "/api/v1/equipment/items", "adminA", `{"category":"screen","serial":"ALFA-S-1","asset_tag":"A-S001","unit_id":"{unitX1}"}`)
	e.ids["eqScreenVersion"] = strconv.Itoa(seen.Version)
	post("eqB", "/api/v1/equipment/items", "adminB", `{"category":"computer","serial":"BETA-PC-1","asset_tag":"B-D001","unit_id":"{rootB}"}`)

	post("eqHandover", "/api/v1/equipment/handovers", "adminA", `{"person_id":"{empX1}","item_ids":["{eqPC}","{eqPhone}","{eqHeadset}"]}`)
	e.doJSON(t, "GET", "/api/v1/equipment/handovers/{eqHandover}", "empX1", "", &seen)
	e.ids["eqHash"] = seen.Hash
	post("eqReturn", "/api/v1/equipment/returns", "adminA", `{"person_id":"{empX1}","items":[{"item_id":"{eqHeadset}","condition":"good"}]}`)

	loc, err := time.LoadLocation("Europe/Stockholm")
	must(t, err)
	now := distans.Now()
	today := distans.Today(now, loc)
	e.ids["eqDiscovered"] = now.Add(-time.Hour).Truncate(time.Second).Format(time.RFC3339)
	e.ids["eqTripStart"] = today.AddDate(0, 0, 10).Format(time.DateOnly)
	e.ids["eqTripEnd"] = today.AddDate(0, 0, 14).Format(time.DateOnly)
	post("eqLoss", "/api/v1/equipment/losses", "empX1", `{"kind":"lost","item_ids":["{eqPhone}"],"discovered_at":"{eqDiscovered}",
		"place":"Bussen","outside_premises":true,"description":"Telefonen låg kvar på sätet."}`)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("step", "police_report")
	_ = mw.WriteField("evidence", "5000-K123456-26")
	_ = mw.WriteField("reported_on", today.Format(time.DateOnly))
	fw, err := mw.CreateFormFile("attachment", "polisanmalan.pdf")
	must(t, err)
	_, _ = fw.Write([]byte("%PDF-1.4\n% Polisanmälan, kopia\n%%EOF\n"))
	must(t, mw.Close())
	req, err := http.NewRequest("POST", e.srv.URL+e.expand("/api/v1/equipment/losses/{eqLoss}/steps"), &buf)
	must(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.tokens["empX1"])
	res, err := e.srv.Client().Do(req)
	must(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(t, err)
	if res.StatusCode != 200 {
		t.Fatalf("police report: %d %s", res.StatusCode, b)
	}
	must(t, json.Unmarshal(b, &seen))
	for _, s := range seen.Steps {
		if s.Step == "police_report" {
			e.ids["eqAttachment"] = s.AttachmentID
		}
	}
	post("eqTrip", "/api/v1/equipment/trips", "empX1", `{"private":true,"abroad":true,"destination":"Oslo","starts_on":"{eqTripStart}",
		"ends_on":"{eqTripEnd}","item_ids":["{eqPC}"],"reasons":"Jour under resan"}`)

	sys := distans.NewContext(ctx, distans.SystemActor(e.ids["orgA"]))
	emps, err := e.store.ListEmployments(sys, e.ids["empX1"])
	must(t, err)
	must(t, e.store.EndEmployment(sys, emps[0].ID, today.AddDate(0, 0, 20)))
	equip := app.EquipmentService(e.store, newPolicyService(e.store), e.signin)
	jobs := distans.NewContext(ctx, distans.SystemActor(""))
	if _, err := e.store.CreateReturnTasks(jobs, today, func(orgID string) (distans.ReturnPlan, error) {
		return equip.ReturnPlan(jobs, orgID)
	}); err != nil {
		t.Fatal(err)
	}
	e.doJSON(t, "GET", "/api/v1/equipment/return-tasks?person_id={empX1}", "adminA", "", &seen)
	if len(seen.Items) == 0 {
		t.Fatal("the end of empX1's employment made no return task")
	}
	e.ids["eqTask"] = seen.Items[0].ID
	for _, k := range []string{"eqModel", "eqPC", "eqPhone", "eqHeadset", "eqScreen", "eqB", "eqHandover", "eqHash", "eqReturn",
		"eqLoss", "eqAttachment", "eqTrip", "eqTask"} {
		if e.ids[k] == "" {
			t.Fatalf("the equipment setup has no %s", k)
		}
	}
}

// equipmentCSV is a multipart body for POST /equipment/items/import with
// csv in "file", and its Content-Type.
func equipmentCSV(t *testing.T, csv string) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "utrustning.csv")
	must(t, err)
	_, _ = fw.Write([]byte(csv))
	must(t, mw.Close())
	return buf.String(), mw.FormDataContentType()
}
