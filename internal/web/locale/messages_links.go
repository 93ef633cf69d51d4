package locale

// Invitations and password reset: the pages a person reaches without
// being signed in, and the one an administrator sees after inviting.
func init() { join(linkMessages) }

var linkMessages = map[string][2]string{
	"signin.forgot": {"Glömt lösenordet?", "Forgot your password?"},

	"forgot.title":  {"Glömt lösenordet", "Forgot your password"},
	"forgot.intro":  {"Skriv den e-postadress du loggar in med. Vi skickar en länk där du väljer ett nytt lösenord. Länken gäller en timme.", "Enter the e-mail address you sign in with. We send a link where you choose a new password. The link works for an hour."},
	"forgot.submit": {"Skicka länk", "Send link"},
	"forgot.sent":   {"Om adressen finns hos oss har vi skickat en länk till den. Länken gäller en timme och fungerar en gång.", "If we know the address, we have sent a link to it. The link works for an hour, once."},
	"forgot.no_mail": {"Kommer det inget mejl inom några minuter? Titta i skräpposten, eller kontakta IT-servicedesk som kan hjälpa dig.",
		"No e-mail within a few minutes? Look in your junk mail, or contact IT service desk, who can help you."},

	"link.title_invitation": {"Välj lösenord", "Choose a password"},
	"link.title_reset":      {"Välj nytt lösenord", "Choose a new password"},
	"link.for_invitation":   {"Välkommen, %s! Du har bjudits in till Distans hos %s. Välj ett lösenord så loggas du in.", "Welcome, %s! You have been invited to Distans at %s. Choose a password and you are signed in."},
	"link.for_reset":        {"Här väljer du, %s, ett nytt lösenord till Distans hos %s. Du loggas ut överallt där du är inloggad och loggas in här.", "Here you, %s, choose a new password for Distans at %s. You are signed out wherever you are signed in, and signed in here."},
	"link.expires":          {"Länken gäller till", "The link works until"},
	"link.rules":            {"Regler för lösenordet", "Rules for the password"},
	"link.rule_length":      {"Minst %d tecken.", "At least %d characters."},
	"link.rule_history":     {"Inte något av dina %d senaste lösenord.", "None of your last %d passwords."},
	"link.rule_personal":    {"Inget som lätt kan kopplas till dig, som ditt namn eller din e-postadress.", "Nothing easy to link to you, such as your name or e-mail address."},
	"link.password":         {"Lösenord", "Password"},
	"link.password_repeat":  {"Upprepa lösenordet", "Repeat the password"},
	"link.mismatch":         {"Lösenorden är inte lika. Skriv samma lösenord två gånger.", "The passwords differ. Type the same password twice."},
	"link.submit":           {"Välj lösenord", "Choose password"},
	"link.gone_title":       {"Länken fungerar inte", "The link does not work"},
	"link.gone_text": {"Länken fungerar inte längre. Den kan redan ha använts, ha gått ut (en länk för att återställa lösenordet gäller en timme, en inbjudan två veckor) eller ha ersatts av en nyare länk.",
		"The link no longer works. It may have been used already, have expired (a link to reset the password works for an hour, an invitation for two weeks) or have been replaced by a newer link."},
	"link.gone_forgot": {"Be om en ny länk", "Ask for a new link"},

	"invitation.send":         {"Skicka inbjudan", "Send invitation"},
	"invitation.send_hint":    {"Personen får en länk för att själv välja lösenord. En tidigare inbjudan slutar då att fungera.", "The person gets a link to choose a password themselves. An earlier invitation then stops working."},
	"invitation.title":        {"Inbjudan", "Invitation"},
	"invitation.sent":         {"Inbjudan är skickad till %s.", "The invitation was sent to %s."},
	"invitation.sent_expires": {"Länken i mejlet gäller till %s.", "The link in the e-mail works until %s."},
	"invitation.hand_over":    {"Ge länken till %s, helst personligen eller på ett sätt som bara hen kan läsa. Distans skickar inga mejl eftersom e-post inte är inställt.", "Hand the link to %s, in person or in a way only they can read. Distans sends no e-mail because e-mail is not set up."},
	"invitation.link":         {"Länk för att välja lösenord", "Link to choose a password"},
	"invitation.link_hint":    {"Gäller till %s.", "Works until %s."},
	"invitation.once":         {"Länken fungerar en gång. Den visas bara nu; behövs den igen skickar du en ny inbjudan.", "The link works once. It is shown only now; if it is needed again, send a new invitation."},
	"invitation.back":         {"Tillbaka till %s", "Back to %s"},

	"invitations.invite_pending":      {"Bjud in alla som saknar lösenord (%d)", "Invite everyone without a password (%d)"},
	"invitations.invite_pending_hint": {"Alla med en pågående anställning som varken har lösenord eller en oanvänd inbjudan får en länk för att själv välja lösenord. Länken gäller i två veckor.", "Everyone with a current employment who has neither a password nor an unused invitation gets a link to choose a password themselves. The link works for two weeks."},
	"invitations.title":               {"Inbjudningar", "Invitations"},
	"invitations.sent":                {"%d inbjudningar skickade.", "%d invitations sent."},
	"invitations.sent_one":            {"1 inbjudan skickad.", "1 invitation sent."},
	"invitations.made":                {"%d inbjudningar skapade.", "%d invitations made."},
	"invitations.made_one":            {"1 inbjudan skapad.", "1 invitation made."},
	"invitations.none":                {"Ingen behövde en inbjudan: alla med en pågående anställning har redan lösenord eller en oanvänd inbjudan.", "Nobody needed an invitation: everyone with a current employment already has a password or an unused invitation."},
	"invitations.mailed_text":         {"Mejlen skickas nu, några i taget. Länkarna gäller till %s. Ett mejl som inte går fram gör länken ogiltig, och personen räknas då åter bland dem som saknar lösenord.", "The e-mails are being sent now, a few at a time. The links work until %s. An e-mail that cannot be delivered ends its link, and the person is counted again among those without a password."},
	"invitations.hand_over_title":     {"Länkar att lämna över", "Links to hand over"},
	"invitations.hand_over_text":      {"Distans skickar inga mejl eftersom e-post inte är inställt. Ge varje person sin länk, helst personligen eller på ett sätt som bara hen kan läsa. Länkarna gäller till %s.", "Distans sends no e-mail because e-mail is not set up. Give each person their link, in person or in a way only they can read. The links work until %s."},
	"invitations.csv":                 {"Ladda ner alla länkar som CSV-fil (%d)", "Download all links as a CSV file (%d)"},
	"invitations.once":                {"Länkarna visas bara nu och sparas inte i klartext. Spara filen innan du lämnar sidan.", "The links are shown only now and are not stored in clear. Save the file before you leave the page."},
	"invitations.table_first":         {"De första %d av %d länkarna", "The first %d of %d links"},
	"invitations.table_all":           {"Länkarna", "The links"},
	"invitations.more":                {"%d länkar till finns i CSV-filen.", "%d more links are in the CSV file."},
	"invitations.back":                {"Tillbaka", "Back"},
}
