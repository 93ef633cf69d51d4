package locale

// Mina uppgifter: one's own data (GDPR art. 15 and 20).
var ownDataMessages = map[string][2]string{
	"nav.owndata":     {"Mina uppgifter", "My data"},
	"od.title":        {"Mina uppgifter", "My data"},
	"od.title_person": {"Registerutdrag för %s", "Data held about %s"},
	"od.intro": {"Här kan du begära ut allt Distans har sparat om dig (dataskyddsförordningen artikel 15) och hämta det som en läsbar PDF och som en maskinläsbar JSON-fil som du kan ta med dig (artikel 20).",
		"Here you can ask for everything Distans holds about you (GDPR article 15) and download it as a readable PDF and as a machine-readable JSON file you can take with you (article 20)."},
	"od.intro_hr": {"Här begär du ut allt Distans har sparat om %s åt personen, till exempel när hen har bett HR om ett registerutdrag. Begäran och leveransen loggas.",
		"Here you ask for everything Distans holds about %s on their behalf, for example when they have asked HR for it. The request and its delivery are logged."},
	"od.deadline":     {"En begäran ska besvaras inom en månad (artikel 12.3). Distans tar fram uppgifterna direkt, och varje hämtning visar uppgifterna som de är just då.", "A request must be answered within one month (article 12.3). Distans produces the data at once, and each download shows the data as it is at that moment."},
	"od.ask":          {"Begär mina uppgifter", "Ask for my data"},
	"od.ask_for":      {"Begär uppgifterna om %s", "Ask for the data about %s"},
	"od.asked":        {"Begäran är registrerad och uppgifterna kan hämtas.", "The request is logged and the data can be downloaded."},
	"od.delivered_ok": {"Begäran är levererad.", "The request is delivered."},
	"od.requests":     {"Begäranden", "Requests"},
	"od.none":         {"Inga begäranden än.", "No requests yet."},
	"od.requested":    {"Begärd", "Requested"},
	"od.requested_by": {"Begärd av", "Requested by"},
	"od.due":          {"Ska besvaras senast", "Due"},
	"od.overdue":      {"försenad", "overdue"},
	"od.delivered":    {"Levererad", "Delivered"},
	"od.deliver":      {"Leverera", "Deliver"},
	"od.download":     {"Hämta", "Download"},
	"od.json":         {"JSON", "JSON"},
	"od.pdf":          {"PDF", "PDF"},
	"od.open":         {"Öppna begäranden i ditt ansvarsområde", "Open requests in your scope"},
	"od.open_none":    {"Inga öppna begäranden.", "No open requests."},
	"od.person":       {"Person", "Person"},
	"od.person_link":  {"Registerutdrag (GDPR)", "Data held (GDPR)"},
}

func init() { join(ownDataMessages) }
