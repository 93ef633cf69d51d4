package api

import (
	"testing"
	"time"

	"github.com/distans/distans"
)

// equipmentResponseCases are the values TestOpenAPIResponseSchemas holds
// to the equipment schemas, every optional field set.
func equipmentResponseCases(now time.Time) map[string]any {
	day := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	hi := distans.HandoverItem{ItemID: "i", Category: distans.EquipmentPhone, ModelName: "m", Serial: "s", AssetTag: "a", Number: "+4670"}
	sig := &distans.Signature{Role: distans.SignerEmployee, PersonID: "p", Name: "n", At: now, Hash: "h", Method: "password"}
	item := &distans.EquipmentItem{ID: "i", OrganisationID: "o", Category: distans.EquipmentSIM, ModelID: "m", ModelName: "n", Serial: "s",
		AssetTag: "a", PhoneNumber: "+4670", InPhoneID: "p", UnitID: "u", UnitName: "n", PurchasedOn: &day, Status: distans.EquipmentIssued,
		HolderID: "h", HolderName: "n", HandoverID: "h", Note: "n", Version: 1, CreatedAt: now, UpdatedAt: now}
	h := &distans.EquipmentHandover{ID: "h", OrganisationID: "o", PersonID: "p", PersonName: "n", Items: []distans.HandoverItem{hi},
		IssuedByID: "i", IssuedByName: "n", IssuedAt: now, Note: "n", State: distans.HandoverAccepted, TermsDocumentID: "d", TermsTitle: "t",
		TermsVersion: 2, TermsBody: "b", Acceptance: sig, RemindedAt: &now, Version: 2}
	rt := &distans.EquipmentReturn{ID: "r", OrganisationID: "o", PersonID: "p", PersonName: "n",
		Items:        []distans.ReturnedItem{{HandoverItem: hi, Condition: distans.ConditionGood, Note: "n"}},
		RecordedByID: "i", RecordedByName: "n", RecordedAt: now, Signature: sig, Version: 1}
	step := distans.LossStep{Step: distans.StepPoliceReport, RuleID: "r", Label: distans.PolicyText{Sv: "s", En: "e"}, Citation: "c",
		Role: distans.RoleEmployee, DueAt: now, Skippable: true, DoneAt: &now, DoneByID: "p", Evidence: "e", AttachmentID: "a",
		ReportedOn: &day, Skipped: true, SkipReason: "r"}
	assessment := &distans.NegligenceAssessment{GrossNegligence: true, Reasons: "r", AssessedByID: "p", AssessedByName: "n", AssessedAt: now}
	loss := &distans.EquipmentLoss{ID: "l", OrganisationID: "o", Number: "FÖR 2026/0001", Kind: distans.LossStolen,
		Items: []distans.HandoverItem{hi}, PersonID: "p", PersonName: "n", ReportedByID: "p", OccurredAt: &now, DiscoveredAt: now,
		Place: "p", OutsidePremises: true, Description: "d", IncidentID: "i", IncidentNumber: "INC 2026/0001",
		Steps: []distans.LossStep{step}, Assessment: assessment, State: distans.LossClosed, PackVersion: 1, Version: 1, CreatedAt: now, ClosedAt: &now}
	finding := distans.AgreementFinding{RuleID: "r", Severity: "info", MessageSv: "s", MessageEn: "e", Citation: "c"}
	trip := &distans.EquipmentTrip{ID: "t", OrganisationID: "o", PersonID: "p", PersonName: "n", Private: true, Abroad: true,
		Destination: "d", StartsOn: day, EndsOn: day, Items: []distans.HandoverItem{hi}, Reasons: "r", State: distans.TripApproved,
		Findings: []distans.AgreementFinding{finding}, DecidedByID: "m", DecidedAt: &now, DecisionNote: "n", Version: 1, CreatedAt: now}
	task := &distans.ReturnTask{ID: "t", OrganisationID: "o", Kind: distans.TaskReturnItem, Reason: distans.ReturnLongLeave, PersonID: "p",
		PersonName: "n", ItemID: "i", ItemLabel: "l", SourceID: "s", DueOn: day, ManagerID: "m", RuleID: "r", Citation: "c",
		State: distans.TaskExcepted, Note: "n", DoneAt: &now, DoneByID: "d", RemindedAt: &now, EscalatedAt: &now, Version: 1}
	model := &distans.EquipmentModel{ID: "m", OrganisationID: "o", Category: distans.EquipmentPhone, Name: "n", Manufacturer: "f", Retired: true}
	return map[string]any{
		"EquipmentOverview": &distans.EquipmentOverview{OutstandingReturns: 1, OverdueReturns: 1, LostThisYear: 1, Unaccepted: 1, OpenLosses: 1,
			PerUnit: []distans.UnitEquipment{{UnitID: "u", UnitName: "n", Counts: map[distans.EquipmentStatus]int{distans.EquipmentIssued: 1}}}},
		"UnitEquipment":         distans.UnitEquipment{UnitID: "u", UnitName: "n", Counts: map[distans.EquipmentStatus]int{}},
		"EquipmentModel":        model,
		"EquipmentModelList":    newList([]*distans.EquipmentModel{model}),
		"EquipmentItem":         itemView(item),
		"EquipmentItemPage":     equipmentPage[itemJSON]{Items: []itemJSON{itemView(item)}, NextAfter: "x"},
		"EquipmentImport":       &distans.EquipmentImport{DryRun: true, Rows: 1, Created: 1, Errors: []distans.ImportRowError{{File: "f", Sv: "s", En: "e"}}},
		"HandoverItem":          hi,
		"EquipmentHandover":     handoverView(h),
		"EquipmentHandoverList": newList([]handoverJSON{handoverView(h)}),
		"ReturnedItem":          rt.Items[0],
		"EquipmentReturn":       returnView(rt),
		"EquipmentReturnList":   newList([]returnJSON{returnView(rt)}),
		"LossStep":              lossStepJSON{LossStep: step, ReportedOn: datePtr(step.ReportedOn)},
		"NegligenceAssessment":  assessment,
		"EquipmentLoss":         lossView(loss),
		"EquipmentLossList":     newList([]lossJSON{lossView(loss)}),
		"EquipmentTrip":         tripView(trip),
		"EquipmentTripList":     newList([]tripJSON{tripView(trip)}),
		"ReturnTask":            taskView(task),
		"ReturnTaskPage":        equipmentPage[taskJSON]{Items: []taskJSON{taskView(task)}, NextAfter: "x"},
	}
}

// TestEquipmentInZone: every instant of an answer, at any depth, is in the
// organisation's zone; days stay the days they were.
func TestEquipmentInZone(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 31, 8, 0, 0, 0, time.UTC)
	cases := equipmentResponseCases(now)
	loss := inZone(cases["EquipmentLoss"], loc).(lossJSON)
	if loss.DiscoveredAt.Location() != loc || loss.Steps[0].DueAt.Location() != loc || loss.Assessment.AssessedAt.Location() != loc ||
		loss.ClosedAt.Location() != loc {
		t.Errorf("instants not in the zone: %v %v %v", loss.DiscoveredAt, loss.Steps[0].DueAt, loss.Assessment.AssessedAt)
	}
	if got := loss.Steps[0].ReportedOn.String(); got != "2026-03-31" {
		t.Errorf("reported_on %s, want 2026-03-31", got)
	}
	page := inZone(cases["ReturnTaskPage"], loc).(equipmentPage[taskJSON])
	if page.Items[0].DoneAt.Location() != loc || page.Items[0].DueOn.String() != "2026-03-31" {
		t.Errorf("task: %v %s", page.Items[0].DoneAt, page.Items[0].DueOn)
	}
}
