package api

import (
	"net/http"
	"slices"
)

// route is one operation of the API. The table below is the only list of
// routes: Register mounts it and the tests compare it with openapi.json.
type route struct {
	method  string
	path    string // a ServeMux path, which is also the OpenAPI path
	handler func(*API) http.Handler
	public  bool // served without an actor; everything else answers 401
	// body is the request struct the handler decodes, nil for none; the
	// tests check it against the operation's schema in openapi.json.
	body any
	// form is a multipart/form-data body instead (an upload), documented
	// as such.
	form bool
}

func (rt route) pattern() string { return rt.method + " " + rt.path }

// prefix is where the API lives; every path in routes starts with it,
// except the calendar feed under calendarPath.
const prefix = "/api/v1"

var routes = []route{
	{method: "GET", path: prefix + "/openapi.json", handler: (*API).openAPI, public: true},

	{method: "GET", path: prefix + "/me", handler: (*API).me},
	{method: "GET", path: prefix + "/organisation", handler: (*API).organisationGet},
	{method: "PATCH", path: prefix + "/organisation", handler: (*API).organisationUpdate, body: organisationUpdateRequest{}},

	{method: "GET", path: prefix + "/units", handler: (*API).unitList},
	{method: "POST", path: prefix + "/units", handler: (*API).unitCreate, body: unitCreateRequest{}},
	{method: "GET", path: prefix + "/units/{id}", handler: (*API).unitGet},
	{method: "PATCH", path: prefix + "/units/{id}", handler: (*API).unitUpdate, body: unitUpdateRequest{}},
	{method: "POST", path: prefix + "/units/{id}/end", handler: (*API).unitEnd, body: endRequest{}},

	{method: "GET", path: prefix + "/sites", handler: (*API).siteList},
	{method: "POST", path: prefix + "/sites", handler: (*API).siteCreate, body: siteCreateRequest{}},
	{method: "GET", path: prefix + "/sites/{id}", handler: (*API).siteGet},
	{method: "PATCH", path: prefix + "/sites/{id}", handler: (*API).siteUpdate, body: siteUpdateRequest{}},
	{method: "POST", path: prefix + "/sites/{id}/end", handler: (*API).siteEnd, body: endRequest{}},

	{method: "GET", path: prefix + "/people", handler: (*API).personList},
	{method: "POST", path: prefix + "/people", handler: (*API).personCreate, body: personCreateRequest{}},
	{method: "GET", path: prefix + "/people/{id}", handler: (*API).personGet},
	{method: "PATCH", path: prefix + "/people/{id}", handler: (*API).personUpdate, body: personUpdateRequest{}},
	{method: "POST", path: prefix + "/people/{id}/personal-number/reveal", handler: (*API).personRevealNumber},
	{method: "POST", path: prefix + "/people/{id}/invitation", handler: (*API).personInvite},
	{method: "POST", path: prefix + "/invitations", handler: (*API).invitePending},
	{method: "GET", path: prefix + "/people/{id}/employments", handler: (*API).employmentList},
	{method: "POST", path: prefix + "/people/{id}/employments", handler: (*API).employmentCreate, body: employmentCreateRequest{}},
	{method: "PATCH", path: prefix + "/employments/{id}", handler: (*API).employmentUpdate, body: employmentUpdateRequest{}},
	{method: "POST", path: prefix + "/employments/{id}/end", handler: (*API).employmentEnd, body: endRequest{}},
	{method: "GET", path: prefix + "/people/{id}/leaves", handler: (*API).leaveList},
	{method: "POST", path: prefix + "/people/{id}/leaves", handler: (*API).leaveCreate, body: leaveCreateRequest{}},
	{method: "POST", path: prefix + "/leaves/{id}/end", handler: (*API).leaveEnd, body: endRequest{}},

	{method: "GET", path: prefix + "/role-assignments", handler: (*API).roleList},
	{method: "POST", path: prefix + "/role-assignments", handler: (*API).roleAssign, body: roleAssignRequest{}},
	{method: "POST", path: prefix + "/role-assignments/{id}/end", handler: (*API).roleEnd},

	{method: "GET", path: prefix + "/audit-events", handler: (*API).auditList},
	{method: "GET", path: prefix + "/signin-events", handler: (*API).signInList},

	{method: "GET", path: prefix + "/imports", handler: (*API).importList},
	{method: "POST", path: prefix + "/imports", handler: (*API).importCreate, form: true},
	{method: "GET", path: prefix + "/imports/{id}", handler: (*API).importGet},
	{method: "POST", path: prefix + "/imports/{id}/confirm", handler: (*API).importConfirm},

	{method: "GET", path: prefix + "/policy", handler: (*API).policyGet},
	{method: "PUT", path: prefix + "/policy", handler: (*API).policySave, body: policySaveRequest{}},
	{method: "PATCH", path: prefix + "/policy/parameters", handler: (*API).policyParameters, body: policyParametersRequest{}},
	{method: "GET", path: prefix + "/policy/versions", handler: (*API).policyVersionList},
	{method: "GET", path: prefix + "/policy/versions/{version}", handler: (*API).policyVersionGet},
	{method: "POST", path: prefix + "/policy/check", handler: (*API).policyCheck, body: policyCheckRequest{}},

	{method: "GET", path: prefix + "/documents", handler: (*API).documentList},
	{method: "POST", path: prefix + "/documents", handler: (*API).documentCreate, body: documentCreateRequest{}},
	{method: "GET", path: prefix + "/documents/pending", handler: (*API).documentPending},
	{method: "GET", path: prefix + "/documents/outstanding", handler: (*API).documentOutstanding},
	{method: "GET", path: prefix + "/documents/{id}", handler: (*API).documentGet},
	{method: "GET", path: prefix + "/documents/{id}/versions", handler: (*API).documentVersionList},
	{method: "POST", path: prefix + "/documents/{id}/versions", handler: (*API).documentVersionCreate, body: documentVersionRequest{}},
	{method: "POST", path: prefix + "/documents/{id}/acknowledge", handler: (*API).documentAcknowledge, body: acknowledgeRequest{}},
	{method: "GET", path: prefix + "/acknowledgements", handler: (*API).acknowledgementList},

	{method: "GET", path: prefix + "/tokens", handler: (*API).tokenList},
	{method: "POST", path: prefix + "/tokens", handler: (*API).tokenCreate, body: tokenCreateRequest{}},
	{method: "POST", path: prefix + "/tokens/{id}/revoke", handler: (*API).tokenRevoke},
	{method: "POST", path: prefix + "/signout-everywhere", handler: (*API).signOutEverywhere},

	{method: "GET", path: prefix + "/me/status", handler: (*API).statusGet},
	{method: "PUT", path: prefix + "/me/status", handler: (*API).statusPut, body: statusPutRequest{}},
	{method: "GET", path: prefix + "/people/{id}/status", handler: (*API).personStatus},
	{method: "GET", path: prefix + "/me/redirect", handler: (*API).redirectGet},
	{method: "PUT", path: prefix + "/me/redirect", handler: (*API).redirectPut, body: redirectPutRequest{}},
	{method: "DELETE", path: prefix + "/me/redirect", handler: (*API).redirectDelete},
	{method: "GET", path: prefix + "/me/phone-hours", handler: (*API).phoneHoursGet},
	{method: "PUT", path: prefix + "/me/phone-hours", handler: (*API).phoneHoursPut, body: phoneHoursPutRequest{}},
	{method: "GET", path: prefix + "/on-call", handler: (*API).onCallNow},
	{method: "GET", path: prefix + "/on-call-phones", handler: (*API).onCallPhoneList},
	{method: "POST", path: prefix + "/on-call-phones", handler: (*API).onCallPhoneCreate, body: onCallPhoneCreateRequest{}},
	{method: "POST", path: prefix + "/on-call-phones/{id}/duties", handler: (*API).dutyCreate, body: dutyCreateRequest{}},
	{method: "GET", path: prefix + "/directory", handler: (*API).directorySearch},
	{method: "GET", path: prefix + "/me/directory-profile", handler: (*API).directoryProfileGet},
	{method: "PUT", path: prefix + "/me/directory-profile", handler: (*API).directoryProfilePut, body: directoryProfileRequest{}},

	{method: "GET", path: prefix + "/sites/{id}/availability", handler: (*API).siteAvailability},
	{method: "GET", path: prefix + "/sites/{id}/zones", handler: (*API).zoneList},
	{method: "GET", path: prefix + "/sites/{id}/desks", handler: (*API).deskList},
	{method: "GET", path: prefix + "/bookings", handler: (*API).bookingList},
	{method: "POST", path: prefix + "/bookings", handler: (*API).bookingCreate, body: bookingCreateRequest{}},
	{method: "POST", path: prefix + "/bookings/recurring", handler: (*API).bookingRecurring, body: recurringRequest{}},
	{method: "DELETE", path: prefix + "/bookings/{id}", handler: (*API).bookingCancel},
	{method: "POST", path: prefix + "/bookings/{id}/checkin", handler: (*API).bookingCheckIn},
	{method: "GET", path: prefix + "/team-days", handler: (*API).teamDayList},
	{method: "GET", path: prefix + "/utilisation", handler: (*API).utilisation},

	{method: "POST", path: prefix + "/me/calendar-feed", handler: (*API).calendarFeedCreate},
	{method: "DELETE", path: prefix + "/me/calendar-feed", handler: (*API).calendarFeedDelete},

	{method: "GET", path: prefix + "/agreements", handler: (*API).agreementList},
	{method: "POST", path: prefix + "/agreements", handler: (*API).agreementCreate, body: agreementRequestBody{}},
	{method: "POST", path: prefix + "/agreements/check", handler: (*API).agreementCheck, body: TermsInput{}},
	{method: "GET", path: prefix + "/agreements/preconditions", handler: (*API).agreementPreconditionsMine},
	{method: "GET", path: prefix + "/agreements/{id}/preconditions", handler: (*API).agreementPreconditionsOf},
	{method: "GET", path: prefix + "/agreements/{id}", handler: (*API).agreementGet},
	{method: "GET", path: prefix + "/agreements/{id}/place", handler: (*API).agreementPlace},
	{method: "GET", path: prefix + "/agreements/{id}/pdf", handler: (*API).agreementPDF},
	{method: "PUT", path: prefix + "/agreements/{id}/request", handler: (*API).agreementRequestUpdate, body: requestUpdateBody{}},
	{method: "POST", path: prefix + "/agreements/{id}/withdraw", handler: (*API).agreementWithdraw, body: withdrawBody{}},
	{method: "PUT", path: prefix + "/agreements/{id}/assessment", handler: (*API).agreementAssessment, body: assessmentBody{}},
	{method: "PUT", path: prefix + "/agreements/{id}/risk", handler: (*API).agreementRisk, body: riskBody{}},
	{method: "POST", path: prefix + "/agreements/{id}/risk/review", handler: (*API).agreementRiskReview, body: riskReviewBody{}},
	{method: "POST", path: prefix + "/agreements/{id}/decision", handler: (*API).agreementDecision, body: decisionBody{}},
	{method: "PUT", path: prefix + "/agreements/{id}/terms", handler: (*API).agreementTerms, body: termsPutBody{}},
	{method: "POST", path: prefix + "/agreements/{id}/signatures", handler: (*API).agreementSign, body: signatureBody{}},
	{method: "POST", path: prefix + "/agreements/{id}/follow-ups", handler: (*API).agreementFollowUp, body: followUpBody{}},
	{method: "PUT", path: prefix + "/agreements/{id}/evaluation", handler: (*API).agreementEvaluation, body: evaluationBody{}},
	{method: "POST", path: prefix + "/agreements/{id}/renewal", handler: (*API).agreementRenew, body: renewalBody{}},
	{method: "POST", path: prefix + "/agreements/{id}/end", handler: (*API).agreementEnd, body: endBody{}},

	{method: "GET", path: prefix + "/reports/subscriptions", handler: (*API).reportSubscriptionList},
	{method: "POST", path: prefix + "/reports/subscriptions", handler: (*API).reportSubscriptionCreate, body: reportSubscriptionBody{}},
	{method: "DELETE", path: prefix + "/reports/subscriptions/{id}", handler: (*API).reportSubscriptionDelete},
	{method: "GET", path: prefix + "/reports/{kind}", handler: (*API).reportGet},
	{method: "GET", path: prefix + "/reports/{kind}/export", handler: (*API).reportExport},
	{method: "GET", path: prefix + "/reports/{kind}/details", handler: (*API).reportDetails},
	{method: "GET", path: prefix + "/records/register", handler: (*API).registerList},
	{method: "GET", path: prefix + "/records/register.csv", handler: (*API).registerCSV},
	{method: "GET", path: prefix + "/records/disposal/plan", handler: (*API).disposalPlan},
	{method: "POST", path: prefix + "/records/disposal", handler: (*API).disposalRun},
	{method: "GET", path: prefix + "/records/disposal/log", handler: (*API).disposalLogList},
	{method: "GET", path: prefix + "/records/disposal/holds", handler: (*API).disposalHoldList},
	{method: "POST", path: prefix + "/records/disposal/holds", handler: (*API).disposalHoldCreate, body: disposalHoldBody{}},
	{method: "POST", path: prefix + "/records/disposal/holds/{id}/release", handler: (*API).disposalHoldRelease},
	{method: "GET", path: prefix + "/records/releases", handler: (*API).releaseList},
	{method: "POST", path: prefix + "/records/releases", handler: (*API).releaseCreate, body: releaseBody{}},
	{method: "GET", path: prefix + "/records/releases/review", handler: (*API).releaseReview},
	{method: "GET", path: prefix + "/records/releases/{id}", handler: (*API).releaseGet},
	{method: "GET", path: prefix + "/records/releases/{id}/copy.pdf", handler: (*API).releaseCopy},
	{method: "GET", path: prefix + "/records/releases/{id}/decision.pdf", handler: (*API).releaseDecision},

	{method: "GET", path: prefix + "/incidents", handler: (*API).incidentList},
	{method: "POST", path: prefix + "/incidents", handler: (*API).incidentReport, body: incidentReportBody{}},
	{method: "GET", path: prefix + "/incidents/guidance", handler: (*API).incidentGuidance},
	{method: "GET", path: prefix + "/incidents/{id}", handler: (*API).incidentGet},
	{method: "POST", path: prefix + "/incidents/{id}/triage", handler: (*API).incidentTriage, body: incidentTriageBody{}},
	{method: "POST", path: prefix + "/incidents/{id}/duties", handler: (*API).incidentDuty, body: incidentDutyBody{}},
	{method: "GET", path: prefix + "/incidents/{id}/risk-assessments", handler: (*API).incidentRiskList},
	{method: "POST", path: prefix + "/incidents/{id}/risk-assessments", handler: (*API).incidentRiskAssess, body: riskAssessmentBody{}},
	{method: "GET", path: prefix + "/incidents/{id}/imy-notification", handler: (*API).imyNotificationGet},
	{method: "PUT", path: prefix + "/incidents/{id}/imy-notification", handler: (*API).imyNotificationPut, body: imyNotificationBody{}},
	{method: "GET", path: prefix + "/incidents/{id}/imy-notification/pdf", handler: (*API).imyNotificationPDF},
	{method: "POST", path: prefix + "/incidents/{id}/imy-notification/supplements", handler: (*API).imySupplementAdd, body: imySupplementBody{}},
	{method: "POST", path: prefix + "/incidents/{id}/measures", handler: (*API).incidentMeasureAdd, body: incidentMeasureBody{}},
	{method: "POST", path: prefix + "/incidents/{id}/measures/{measure_id}/complete", handler: (*API).incidentMeasureComplete},
	{method: "POST", path: prefix + "/incidents/{id}/links", handler: (*API).incidentLinkAdd, body: incidentLinkBody{}},
	{method: "POST", path: prefix + "/incidents/{id}/close", handler: (*API).incidentClose, body: incidentCloseBody{}},
	{method: "GET", path: prefix + "/incidents/{id}/timeline", handler: (*API).incidentTimeline},

	{method: "GET", path: prefix + "/equipment/overview", handler: (*API).equipmentOverview},
	{method: "GET", path: prefix + "/equipment/terms", handler: (*API).equipmentTermsGet},
	{method: "PUT", path: prefix + "/equipment/terms", handler: (*API).equipmentTermsPut, body: equipmentTermsBody{}},
	{method: "GET", path: prefix + "/equipment/models", handler: (*API).equipmentModelList},
	{method: "POST", path: prefix + "/equipment/models", handler: (*API).equipmentModelCreate, body: equipmentModelBody{}},
	{method: "PUT", path: prefix + "/equipment/models/{id}", handler: (*API).equipmentModelUpdate, body: equipmentModelBody{}},
	{method: "GET", path: prefix + "/equipment/items", handler: (*API).equipmentItemList},
	{method: "POST", path: prefix + "/equipment/items", handler: (*API).equipmentItemCreate, body: equipmentItemBody{}},
	{method: "POST", path: prefix + "/equipment/items/import", handler: (*API).equipmentImport, form: true},
	{method: "GET", path: prefix + "/equipment/items/{id}", handler: (*API).equipmentItemGet},
	{method: "GET", path: prefix + "/equipment/items/{id}/history", handler: (*API).equipmentItemHistory},
	{method: "PATCH", path: prefix + "/equipment/items/{id}", handler: (*API).equipmentItemUpdate, body: equipmentItemPatch{}},
	{method: "GET", path: prefix + "/equipment/handovers", handler: (*API).equipmentHandoverList},
	{method: "POST", path: prefix + "/equipment/handovers", handler: (*API).equipmentIssue, body: equipmentIssueBody{}},
	{method: "GET", path: prefix + "/equipment/handovers/{id}", handler: (*API).equipmentHandoverGet},
	{method: "POST", path: prefix + "/equipment/handovers/{id}/accept", handler: (*API).equipmentAccept, body: equipmentAcceptBody{}},
	{method: "POST", path: prefix + "/equipment/handovers/{id}/cancel", handler: (*API).equipmentHandoverCancel, body: equipmentVersionBody{}},
	{method: "GET", path: prefix + "/equipment/handovers/{id}/pdf", handler: (*API).equipmentHandoverPDF},
	{method: "GET", path: prefix + "/equipment/returns", handler: (*API).equipmentReturnList},
	{method: "POST", path: prefix + "/equipment/returns", handler: (*API).equipmentReturnCreate, body: equipmentReturnBody{}},
	{method: "GET", path: prefix + "/equipment/returns/{id}", handler: (*API).equipmentReturnGet},
	{method: "POST", path: prefix + "/equipment/returns/{id}/sign", handler: (*API).equipmentReturnSign, body: equipmentSignBody{}},
	{method: "GET", path: prefix + "/equipment/returns/{id}/pdf", handler: (*API).equipmentReturnPDF},
	{method: "GET", path: prefix + "/equipment/losses", handler: (*API).equipmentLossList},
	{method: "POST", path: prefix + "/equipment/losses", handler: (*API).equipmentLossCreate, body: equipmentLossBody{}},
	{method: "GET", path: prefix + "/equipment/losses/{id}", handler: (*API).equipmentLossGet},
	{method: "POST", path: prefix + "/equipment/losses/{id}/steps", handler: (*API).equipmentLossStep, form: true},
	{method: "POST", path: prefix + "/equipment/losses/{id}/assessment", handler: (*API).equipmentLossAssess, body: equipmentAssessmentBody{}},
	{method: "GET", path: prefix + "/equipment/losses/{id}/attachments/{attachment_id}", handler: (*API).equipmentLossAttachment},
	{method: "GET", path: prefix + "/equipment/trips", handler: (*API).equipmentTripList},
	{method: "POST", path: prefix + "/equipment/trips", handler: (*API).equipmentTripCreate, body: equipmentTripBody{}},
	{method: "GET", path: prefix + "/equipment/trips/{id}", handler: (*API).equipmentTripGet},
	{method: "POST", path: prefix + "/equipment/trips/{id}/decision", handler: (*API).equipmentTripDecide, body: equipmentTripDecisionBody{}},
	{method: "GET", path: prefix + "/equipment/return-tasks", handler: (*API).equipmentTaskList},
	{method: "POST", path: prefix + "/equipment/return-tasks/{id}/complete", handler: (*API).equipmentTaskComplete, body: equipmentVersionBody{}},
	{method: "POST", path: prefix + "/equipment/return-tasks/{id}/exception", handler: (*API).equipmentTaskException, body: equipmentExceptionBody{}},

	{method: "GET", path: prefix + "/training/courses", handler: (*API).trainingCourses},
	{method: "GET", path: prefix + "/training/me", handler: (*API).trainingMe},
	{method: "GET", path: prefix + "/people/{id}/training", handler: (*API).trainingOfPerson},
	{method: "GET", path: prefix + "/training/completions", handler: (*API).trainingCompletions},
	{method: "POST", path: prefix + "/training/completions", handler: (*API).trainingComplete, body: completionBody{}},
	{method: "DELETE", path: prefix + "/training/completions/{id}", handler: (*API).trainingCompletionRemove, body: removalBody{}},
	{method: "GET", path: prefix + "/training/completions/{id}/certificate", handler: (*API).trainingCertificate},
	{method: "POST", path: prefix + "/training/import", handler: (*API).trainingImport, form: true},
	{method: "GET", path: prefix + "/training/coverage", handler: (*API).trainingCoverage},

	{method: "GET", path: prefix + "/checklists", handler: (*API).checklistList},
	{method: "GET", path: prefix + "/checklists/tasks", handler: (*API).checklistTasks},
	{method: "GET", path: prefix + "/checklists/overview", handler: (*API).checklistOverview},
	{method: "GET", path: prefix + "/checklists/{id}", handler: (*API).checklistGet},
	{method: "POST", path: prefix + "/checklists/{id}/tasks/{task}/tick", handler: (*API).checklistTick, body: tickBody{}},

	{method: "GET", path: prefix + "/me/data-requests", handler: (*API).dataRequestList},
	{method: "POST", path: prefix + "/me/data-requests", handler: (*API).dataRequestCreate},
	{method: "GET", path: prefix + "/people/{id}/data-requests", handler: (*API).dataRequestList},
	{method: "POST", path: prefix + "/people/{id}/data-requests", handler: (*API).dataRequestCreate},
	{method: "GET", path: prefix + "/data-requests/open", handler: (*API).dataRequestsOpen},
	{method: "GET", path: prefix + "/data-requests/{id}", handler: (*API).dataRequestGet},
	{method: "POST", path: prefix + "/data-requests/{id}/deliver", handler: (*API).dataRequestDeliver},
	{method: "GET", path: prefix + "/data-requests/{id}/export.json", handler: (*API).dataRequestJSON},
	{method: "GET", path: prefix + "/data-requests/{id}/export.pdf", handler: (*API).dataRequestPDF},

	{method: "GET", path: prefix + "/notifications", handler: (*API).notificationList},
	{method: "GET", path: prefix + "/notifications/unread-count", handler: (*API).notificationUnreadCount},
	{method: "POST", path: prefix + "/notifications/{id}/read", handler: (*API).notificationRead},
	{method: "POST", path: prefix + "/notifications/read-all", handler: (*API).notificationReadAll},
	// The feed itself is outside /api/v1: calendar programs fetch it with
	// the secret in the file name ("<secret>.ics") and no credentials.
	{method: "GET", path: calendarPath + "{file}", handler: (*API).calendarFeed, public: true},
}

// handler is the part of *http.ServeMux that registration uses, so that a
// test can record what is registered.
type handler interface {
	Handle(pattern string, h http.Handler)
}

// Register mounts every route of the table on mux, and a fallback that
// answers unknown /api/v1 addresses with a JSON 404 or 405.
func (a *API) Register(mux *http.ServeMux) { a.register(mux) }

func (a *API) register(mux handler) {
	for _, rt := range routes {
		h := rt.handler(a)
		if !rt.public {
			h = a.requireActor(h)
		}
		mux.Handle(rt.pattern(), h)
	}
	mux.Handle(prefix+"/", a.fallback())
}

// methods returns the methods the table uses, for the fallback's Allow header.
func methods() []string {
	var ms []string
	for _, rt := range routes {
		if !slices.Contains(ms, rt.method) {
			ms = append(ms, rt.method)
		}
	}
	return ms
}
