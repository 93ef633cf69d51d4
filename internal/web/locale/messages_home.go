package locale

// The start page's messages (what a person needs today, by role) and the
// sign-in page's account of what Distans is and of the demo accounts.
func init() { join(homeMessages) }

var homeMessages = map[string][2]string{
	"home.waiting":            {"Väntar på dig", "Waiting for you"},
	"home.wait_sign":          {"Överenskommelse %s väntar på din underskrift", "Agreement %s waits for your signature"},
	"home.wait_risk":          {"Svara på frågorna om arbetsmiljön i ärende %s", "Answer the work-environment questions of case %s"},
	"home.notifications_link": {"Alla notiser (%d olästa)", "All notifications (%d unread)"},
	"home.queue":              {"Att göra (%d)", "To do (%d)"},
	"home.queue_all":          {"Hela listan att göra (%d ärenden)", "The whole to-do list (%d cases)"},
	"home.status_link":        {"Ändra status eller hänvisning", "Change status or redirection"},
	"home.agreement":          {"Mitt distansarbete", "My remote work"},
	"home.agreement_none":     {"Du har ingen överenskommelse om distansarbete och inget ärende på gång.", "You have no remote-work agreement and no case under way."},
	"home.open_case":          {"Ärende på gång", "Case under way"},
	"home.agreements_link":    {"Mina ärenden", "My cases"},
	"home.bookings_none":      {"Du har inga bokade platser de närmaste två veckorna.", "You have no desk booked in the next two weeks."},
	"home.bookings_more":      {"Du har fler bokningar längre fram.", "You have more bookings further on."},
	"home.bookings_link":      {"Alla mina bokningar", "All my bookings"},
	"home.directory_link":     {"Till telefonkatalogen med jourtelefonerna", "Go to the directory with the on-call phones"},

	"signin.intro": {"Distans är kommunens system för distansarbete och hybridarbete: ansökan och skriftlig överenskommelse om distansarbete, var du arbetar i dag och din hänvisning, bokning av arbetsplats på kontoret, och organisationens regelverk.",
		"Distans is the municipality's system for remote and hybrid work: requests and written agreements on remote work, where you work today and your call redirection, desk booking at the office, and the organisation's policy."},
	"signin.demo_heading":  {"Demokonton", "Demo accounts"},
	"signin.demo_text":     {"Den här installationen har demoorganisationer med påhittade personer. Logga in med ett demokonto för att prova en roll.", "This installation has demo organisations with made-up people. Sign in with a demo account to try a role."},
	"signin.demo_password": {"Lösenord för alla demokonton", "Password of every demo account"},
	"signin.demo_examples": {"E-postadress: roll@organisation.example, till exempel", "E-mail address: role@organisation.example, for example"},
	"signin.demo_all":      {"Alla demokonton", "All demo accounts"},
	"signin.demo_caption":  {"Demokonton: organisation, roll och e-postadress", "Demo accounts: organisation, role and e-mail address"},
	"signin.demo_org":      {"Organisation", "Organisation"},
	"signin.demo_role":     {"Roll", "Role"},
	"signin.demo_email":    {"E-postadress", "E-mail address"},
}
