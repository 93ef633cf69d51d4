package distans

// Services is every service the pages and the API use, as one value for
// wiring. cmd/distans fills it with the SQL store and the sign-in service.
type Services struct {
	Organisations OrganisationService
	Units         UnitService
	Sites         SiteService
	People        PersonService
	Roles         RoleService
	Audit         AuditService
	// SignIns is the sign-in log, outside the audit trail.
	SignIns      SignInLog
	SignIn       SignInService
	Links        AccountLinkService
	Policies     PolicyService
	Documents    DocumentService
	Office       OfficeService
	Availability AvailabilityService
	Agreements   AgreementService
	Incidents    IncidentService
	Equipment    EquipmentService
	Training     TrainingService
	// Reports computes reports for the actor (internal/report).
	Reports ReportService
	// ReportSubscriptions is the monthly reports by e-mail.
	ReportSubscriptions ReportSubscriptionService
	Checklists          ChecklistService
	// Register is the registrator's register (diarium).
	Register RegisterService
	OwnData  OwnDataService
	// Disposal is disposal (gallring) of what is past its period.
	Disposal DisposalService
	// Releases is the release of copies of registered cases.
	Releases      ReleaseService
	Notifications NotificationService
	Imports       ImportService
	SCIM          SCIMService
	SCIMAdmin     SCIMAdminService
	// Installation is the installation's administration (the /drift
	// pages and the CLI), apart from every organisation's services.
	Installation InstallationService
}
