package api

import (
	"time"

	"github.com/distans/distans"
)

// incidentResponseCases are the incident answers with every field set, for
// TestOpenAPIResponseSchemas.
func incidentResponseCases(now time.Time) map[string]any {
	loc, _ := time.LoadLocation("Europe/Stockholm")
	clock := distans.IncidentClock{Duty: distans.DutyIMYNotification, RuleID: "r", Label: distans.PolicyText{Sv: "s", En: "e"},
		Citation: "GDPR art. 33", DueAt: now, Passed: true, DoneAt: &now, DoneByID: "p", Reference: "IMY-1", NotRequired: true,
		Note: "n", RemindedAt: &now, EscalatedAt: &now}
	measure := distans.IncidentMeasure{ID: "m", Text: "t", OwnerID: "p", OwnerName: "n", DueOn: now, DoneAt: &now}
	link := distans.IncidentLink{Kind: "person", TargetID: "p", Label: "n"}
	inc := &distans.Incident{ID: "i", OrganisationID: "o", Number: "INC 2026/0001", Kind: distans.IncidentIT, Title: "t",
		Description: "d", OccurredAt: &now, DiscoveredAt: now, Systems: "s", Ongoing: true, ReporterID: "p", ReporterName: "n",
		RegisteredByID: "v", UnitID: "u", UnitPath: "/u/", State: distans.IncidentHandling, Severity: distans.SeverityHigh,
		OwnerID: "p", OwnerName: "n", CyberSignificant: true, InjurySerious: true, OutsidePremises: true, PoliceReport: "x",
		SecretFields: []string{"description"}, Redacted: []string{"systems"}, Clocks: []distans.IncidentClock{clock},
		Measures: []distans.IncidentMeasure{measure}, Links: []distans.IncidentLink{link}, PackVersion: 1, Version: 2,
		CreatedAt: now, UpdatedAt: now, ClosedAt: &now}
	view := incidentView(inc, loc)
	ra := &distans.IncidentRiskAssessment{Version: 1, DataCategories: []string{"ordinary"}, DataSubjects: "d", SubjectCount: 1,
		RecordCount: 1, Consequences: []string{"other"}, RiskLevel: "risk", Reasoning: "r", AssessedByID: "p", AssessedAt: now}
	sup := distans.IMYSupplement{At: now, Text: "t", ByID: "p"}
	n := &distans.IMYNotification{Controller: "c", OrgNumber: "o", Contact: "c", StartedAt: &now, EndedAt: &now, DiscoveredAt: now,
		Category: "confidentiality", DataSubjects: "d", SubjectCount: 1, DataKinds: "k", Consequences: "c", Measures: "m",
		SubjectsInformed: "s", LateReasons: "l", SecretParts: []string{"measures"}, FiledAt: &now, IMYReference: "r",
		Supplements: []distans.IMYSupplement{sup}, UpdatedAt: now}
	event := &distans.AuditEvent{OrganisationID: "o", Seq: 2, ActorID: "a", ActorName: "n", Action: "x", RecordType: "r", RecordID: "i", Summary: "s", At: now, PrevHash: "p", Hash: "h"}
	return map[string]any{
		"Incident":                   view,
		"IncidentClock":              view.Clocks[0],
		"IncidentMeasure":            view.Measures[0],
		"IncidentLink":               link,
		"IncidentPage":               incidentPage{Items: []incidentJSON{view}, NextAfter: "i"},
		"IncidentGuidance":           guidanceResponse{Kind: distans.IncidentIT, Findings: []distans.PolicyFinding{}},
		"IncidentRiskAssessment":     ra,
		"IncidentRiskAssessmentList": newList([]*distans.IncidentRiskAssessment{ra}),
		"IMYNotification":            n,
		"IMYSupplement":              sup,
		"AuditEventList":             newList([]*distans.AuditEvent{event}),
	}
}
