package web

import (
	"net/http"

	"github.com/distans/distans/internal/web/static"
)

// routes is every page in one place. Handlers are small functions that
// return an http.Handler, one action per file named resource_action.go.
func (web *Web) routes(mux *http.ServeMux) {
	mux.Handle("GET "+static.Prefix, web.assets)
	mux.Handle("POST /lang", web.langSet())

	mux.Handle("GET /signin", web.signinShow())
	mux.Handle("POST /signin", web.signinSubmit())
	mux.Handle("GET /signin/sso", web.ssoChoose())
	mux.Handle("GET /signin/sso/{org}", web.ssoStart())
	mux.Handle("GET /signin/sso/{org}/callback", web.ssoCallback())
	mux.Handle("GET /password/forgot", web.passwordForgotShow())
	mux.Handle("POST /password/forgot", web.passwordForgotSubmit())
	mux.Handle("GET /link/{token}", web.linkShow())
	mux.Handle("POST /link/{token}", web.linkSubmit())
	mux.Handle("POST /signout", web.signout())
	mux.Handle("POST /signout/everywhere", web.signoutEverywhere())

	mux.Handle("GET /{$}", web.homeShow())

	mux.Handle("GET /people", web.peopleList())
	mux.Handle("GET /people/new", web.personNew())
	mux.Handle("POST /people", web.personCreate())
	mux.Handle("GET /people/{id}", web.personShow())
	mux.Handle("GET /people/{id}/edit", web.personEdit())
	mux.Handle("POST /people/{id}", web.personUpdate())
	mux.Handle("POST /people/{id}/personal-number", web.personReveal())
	mux.Handle("POST /people/{id}/unlock", web.accountUnlock())
	mux.Handle("POST /people/{id}/password", web.accountPassword())
	mux.Handle("POST /people/{id}/invitation", web.invitationCreate())
	mux.Handle("POST /invitations", web.invitationsCreate())
	mux.Handle("GET /people/{id}/employments/new", web.employmentNew())
	mux.Handle("POST /people/{id}/employments", web.employmentCreate())
	mux.Handle("POST /people/{id}/employments/{eid}/end", web.employmentEnd())
	mux.Handle("GET /people/{id}/leaves/new", web.leaveNew())
	mux.Handle("POST /people/{id}/leaves", web.leaveCreate())
	mux.Handle("POST /people/{id}/leaves/{lid}/end", web.leaveEnd())
	mux.Handle("GET /people/{id}/roles/new", web.roleNew())
	mux.Handle("POST /people/{id}/roles", web.roleGrant())
	mux.Handle("POST /people/{id}/roles/{rid}/end", web.roleEnd())

	mux.Handle("GET /units", web.unitsList())
	mux.Handle("GET /units/new", web.unitNew())
	mux.Handle("POST /units", web.unitCreate())
	mux.Handle("GET /units/{id}/edit", web.unitEdit())
	mux.Handle("POST /units/{id}", web.unitUpdate())
	mux.Handle("POST /units/{id}/end", web.unitEnd())

	mux.Handle("GET /sites", web.sitesList())
	mux.Handle("GET /sites/new", web.siteNew())
	mux.Handle("POST /sites", web.siteCreate())
	mux.Handle("GET /sites/{id}/edit", web.siteEdit())
	mux.Handle("POST /sites/{id}", web.siteUpdate())
	mux.Handle("POST /sites/{id}/end", web.siteEnd())

	mux.Handle("GET /profile", web.profileShow())
	mux.Handle("POST /profile/password", web.passwordChange())
	mux.Handle("POST /profile/tokens", web.tokenCreate())
	mux.Handle("POST /profile/tokens/{id}/revoke", web.tokenRevoke())

	mux.Handle("GET /audit", web.auditList())
	mux.Handle("GET /audit/signins", web.signInLog())

	mux.Handle("GET /imports", web.importsList())
	mux.Handle("POST /imports", web.importCreate())
	mux.Handle("GET /imports/{id}", web.importShow())
	mux.Handle("POST /imports/{id}/confirm", web.importConfirm())

	mux.Handle("GET /scim-settings", web.scimShow())
	mux.Handle("POST /scim-settings/tokens", web.scimTokenCreate())
	mux.Handle("POST /scim-settings/tokens/{id}/revoke", web.scimTokenRevoke())
	mux.Handle("POST /scim-settings/settings", web.scimSettingsSave())
	mux.Handle("POST /scim-settings/mappings", web.scimMappingSave())
	mux.Handle("POST /scim-settings/mappings/delete", web.scimMappingDelete())

	mux.Handle("GET /policy", web.policyShow())
	mux.Handle("GET /policy/versions", web.policyVersions())
	mux.Handle("GET /policy/versions/{n}", web.policyVersionShow())
	mux.Handle("GET /policy/check", web.policyCheckShow())
	mux.Handle("POST /policy/check", web.policyCheckSubmit())
	mux.Handle("GET /policy/parameters", web.policyParametersEdit())
	mux.Handle("POST /policy/parameters", web.policyParametersUpdate())
	mux.Handle("GET /policy/edit", web.policyEdit())
	mux.Handle("POST /policy/edit", web.policyUpdate())

	mux.Handle("GET /documents", web.documentsList())
	mux.Handle("GET /documents/new", web.documentNew())
	mux.Handle("POST /documents/new", web.documentCreate())
	mux.Handle("GET /documents/outstanding", web.documentsOutstanding())
	mux.Handle("GET /documents/{id}", web.documentShow())
	mux.Handle("GET /documents/{id}/versions/{n}", web.documentVersionShow())
	mux.Handle("POST /documents/{id}/acknowledge", web.documentAcknowledge())
	mux.Handle("GET /documents/{id}/publish", web.documentPublishForm())
	mux.Handle("POST /documents/{id}/publish", web.documentPublish())

	web.presenceRoutes(mux) // today's status, hänvisning, phone hours, on-call phones, the switchboard
	web.officeRoutes(mux)   // desks, bookings, team days, utilisation
	// Distansarbete (requests, decisions, agreements, follow-ups) and notifications.
	web.agreementRoutes(mux)
	// Incidents: the report, the queue, one incident with its clocks.
	web.incidentRoutes(mux)
	// Equipment: the registry, issue and acceptance, returns, losses, trips.
	web.equipmentRoutes(mux)
	// Training (courses, completions, coverage) and the checklists of the
	// first and last days.
	web.trainingRoutes(mux)
	web.recordsRoutes(mux) // the register (diarium)
	// Disposal (gallring).
	web.disposalRoutes(mux)
	web.releaseRoutes(mux) // requests for public documents
	web.reportRoutes(mux)  // Rapporter: reports, their downloads, the monthly e-mail
	// Mina uppgifter: one's own data (GDPR art. 15 and 20).
	web.ownDataRoutes(mux)
	// The installation's administration, with a session of its own.
	web.driftRoutes(mux)

	// Everything else is the pages' own 404, in the person's language.
	mux.Handle("/", web.notFound())
}
