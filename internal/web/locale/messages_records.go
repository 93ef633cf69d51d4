package locale

// The register (Diarium) of the registrator.
var recordsMessages = map[string][2]string{
	"nav.register": {"Diarium", "Register"},

	"reg.title": {"Diarium", "Register"},
	"reg.intro": {"Alla ärenden som Distans ger diarienummer: distansöverenskommelser, incidenter och förlustanmälningar av utrustning. Ärendemeningen säger bara vad slags ärende det är, och parten visas bara där det är tillåtet; sekretessmarkerade ärenden sekretessprövas innan en kopia lämnas ut.",
		"Every case that Distans gives a registration number: remote-work agreements, incidents and reports of lost equipment. The subject says only what kind of case it is, and the party is shown only where that is allowed; cases marked secret are reviewed for secrecy before a copy is released."},
	"reg.search":              {"Sök i diariet", "Search the register"},
	"reg.q":                   {"Diarienummer eller ärendemening", "Registration number or subject"},
	"reg.q_hint":              {"Till exempel DIST 2026/0012 eller mobiltelefon.", "For example DIST 2026/0012 or mobile phone."},
	"reg.kind":                {"Slag av ärende", "Kind of case"},
	"reg.all_kinds":           {"Alla slag", "All kinds"},
	"reg.from":                {"Registrerat från och med", "Registered from"},
	"reg.to":                  {"Registrerat till och med", "Registered until"},
	"reg.search_submit":       {"Sök", "Search"},
	"reg.csv":                 {"Hämta diarieutdrag som CSV", "Download the register as CSV"},
	"reg.caption":             {"Registrerade ärenden, senaste först", "Registered cases, newest first"},
	"reg.caption_more":        {"Registrerade ärenden, fortsättning", "Registered cases, continued"},
	"reg.number":              {"Diarienummer", "Number"},
	"reg.date":                {"Registrerat", "Registered"},
	"reg.subject":             {"Ärendemening", "Subject"},
	"reg.party":               {"Part", "Party"},
	"reg.party_withheld":      {"Visas inte", "Not shown"},
	"reg.secrecy":             {"Sekretess", "Secrecy"},
	"reg.secret_mark":         {"Sekretessmarkerat", "Marked secret"},
	"reg.state":               {"Läge", "State"},
	"reg.next_page":           {"Nästa sida", "Next page"},
	"reg.none":                {"Inga ärenden matchar sökningen.", "No case matches the search."},
	"reg.kind.agreement":      {"Distansöverenskommelse", "Remote-work agreement"},
	"reg.kind.incident":       {"Incident", "Incident"},
	"reg.kind.equipment_loss": {"Förlustanmälan", "Loss report"},

	"reg.secret.remote_place":  {"distansarbetsplatsen (hemadress)", "the remote place (home address)"},
	"reg.secret.reasons":       {"skälen för ansökan", "the reasons for the request"},
	"reg.secret.secret_fields": {"uppgifter markerade som hemliga", "details marked secret"},
	"reg.secret.incident_kind": {"incidentens art", "the kind of incident"},
	"reg.secret.loss_place":    {"platsen för förlusten", "the place of the loss"},
}

func init() { join(recordsMessages) }
