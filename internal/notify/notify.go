// Package notify renders notifications in the reader's language and
// e-mails them.
//
// A notification (distans.Notification) stores its kind and Params, not
// its text, so that it reads right in whichever language it is read. Text
// renders it in Swedish, the default, or English, from the embedded
// templates in texts/. The Params each kind uses:
//
//	name     the employee the agreement is about
//	number   the agreement's registration number, "DIST 2026/0042"
//	approved "true" or "false" (agreement.decision_made)
//	days     days left (agreement.expiring: 60, 30 or 7)
//	date     a day as YYYY-MM-DD: the first day (agreement.active), the
//	         last day (agreement.expiring, agreement.ended) or the day a
//	         follow-up is due (agreement.follow_up_*)
//	reason   a distans.EndReason (agreement.ended)
//	role     the recipient's part, "employee" or "manager" (agreement.ended,
//	         agreement.signature_needed and the reminders), so that the
//	         text fits its reader; without it the text speaks of the
//	         employee in the third person
//	unit     the new unit's name (agreement.assess_anew)
//	kind     an incident's distans.IncidentKind (incident.*)
//	duty     an incident's duty, a distans.Duty* (incident.deadline_*)
//	due      a deadline as the organisation's local time, "2026-03-30 09:00"
//	owner    the name of the person responsible for an incident
//	count    how many items were issued (equipment.issued)
//	by       who issued them (equipment.issued)
//	loss     a distans.LossKind (equipment.loss_reported)
//	incident the number of the incident a loss report opened
//	destination where a trip goes (equipment.trip_*)
//	reason   also a distans.ReturnReason (equipment.return_task*)
//
// Every parameter may be missing; the text then leaves it out.
//
// Mailer e-mails the notifications that distans.MailQueue gives out, over
// SMTP (mail.go).
package notify

import (
	"bytes"
	"embed"
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/distans/distans"
)

//go:embed texts/*.tmpl
var texts embed.FS

// templates holds the parsed texts by language; they are parsed when the
// program starts, so a broken template stops it at once.
var templates = map[string]*template.Template{
	"sv": parse("sv"),
	"en": parse("en"),
}

func parse(lang string) *template.Template {
	return template.Must(template.New(lang).Option("missingkey=zero").Funcs(funcs(lang)).
		ParseFS(texts, "texts/"+lang+".tmpl"))
}

// Language returns "en" for English and "sv" for everything else: Swedish
// is the default.
func Language(lang string) string {
	if lang == "en" || strings.HasPrefix(lang, "en-") {
		return "en"
	}
	return "sv"
}

// Text renders the notification in lang ("sv" or "en"; anything else is
// Swedish): a one-line subject and a plain-text body. A kind without a
// text gets a general one.
func Text(n *distans.Notification, lang string) (subject, body string) {
	t := templates[Language(lang)]
	kind := string(n.Kind)
	if t.Lookup(kind+".subject") == nil || t.Lookup(kind+".body") == nil {
		kind = "unknown"
	}
	params := n.Params
	if params == nil {
		params = map[string]string{}
	}
	subject = strings.Join(strings.Fields(execute(t, kind+".subject", params)), " ")
	body = strings.TrimSpace(execute(t, kind+".body", params))
	return subject, body
}

// execute runs a template that the tests run for every kind; an error is
// a programming error, and the text says so rather than leaving a blank.
func execute(t *template.Template, name string, data any) string {
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return fmt.Sprintf("[%s: %v]", name, err)
	}
	return b.String()
}

var months = map[string][12]string{
	"sv": {"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// reasons says why an agreement ended, as the end of a sentence, to
// anyone; ownReasons says it to the employee, where it differs.
var reasons = map[string]map[distans.EndReason]string{
	"sv": {
		distans.EndByManager:       "avslutad av chef efter dialog",
		distans.EndByEmployee:      "avslutad av medarbetaren",
		distans.EndUnitMove:        "avslutad eftersom medarbetaren har bytt enhet – ny bedömning krävs",
		distans.EndEmploymentEnded: "avslutad eftersom anställningen har upphört",
		distans.EndExpired:         "avtalstiden har löpt ut",
	},
	"en": {
		distans.EndByManager:       "ended by the manager after a dialogue",
		distans.EndByEmployee:      "ended by the employee",
		distans.EndUnitMove:        "ended because the employee moved to another unit – a new assessment is needed",
		distans.EndEmploymentEnded: "ended because the employment ended",
		distans.EndExpired:         "the agreement period has run out",
	},
}

var ownReasons = map[string]map[distans.EndReason]string{
	"sv": {
		distans.EndByEmployee:      "avslutad av dig",
		distans.EndUnitMove:        "avslutad eftersom du har bytt enhet – ny bedömning krävs",
		distans.EndEmploymentEnded: "avslutad eftersom din anställning har upphört",
	},
	"en": {
		distans.EndByEmployee:      "ended by you",
		distans.EndUnitMove:        "ended because you moved to another unit – a new assessment is needed",
		distans.EndEmploymentEnded: "ended because your employment ended",
	},
}

// incidentKinds and duties are the names of distans.IncidentKind and the
// incident duties (distans.Duty*), as the end of a sentence.
var incidentKinds = map[string]map[string]string{
	string(distans.IncidentPersonalData):  {"sv": "personuppgiftsincident", "en": "personal-data breach"},
	string(distans.IncidentSecurity):      {"sv": "informationssäkerhetsincident", "en": "information-security incident"},
	string(distans.IncidentIT):            {"sv": "IT-incident eller virus", "en": "IT incident or virus"},
	string(distans.IncidentTheft):         {"sv": "stöld eller intrång", "en": "theft or intrusion"},
	string(distans.IncidentEquipmentLoss): {"sv": "förlorad eller skadad utrustning", "en": "lost or damaged equipment"},
	string(distans.IncidentThreat):        {"sv": "hot eller våld", "en": "threat or violence"},
	string(distans.IncidentWorkInjury):    {"sv": "arbetsskada eller tillbud", "en": "work injury or near miss"},
	string(distans.IncidentOther):         {"sv": "annan incident", "en": "other incident"},
}

var duties = map[string]map[string]string{
	distans.DutyIMYNotification:       {"sv": "anmälan till IMY", "en": "the notification to IMY"},
	distans.DutyIMYSupplement:         {"sv": "komplettering till IMY", "en": "the supplement to IMY"},
	distans.DutyDataSubjects:          {"sv": "information till de registrerade", "en": "informing the data subjects"},
	distans.DutyCyberEarlyWarning:     {"sv": "tidig varning enligt cybersäkerhetslagen", "en": "the early warning under the Cybersecurity Act"},
	distans.DutyCyberNotification:     {"sv": "incidentanmälan enligt cybersäkerhetslagen", "en": "the incident notification under the Cybersecurity Act"},
	distans.DutyCyberFinalReport:      {"sv": "slutrapport enligt cybersäkerhetslagen", "en": "the final report under the Cybersecurity Act"},
	distans.DutySeriousEscalation:     {"sv": "larm till TIB, säkerhetschef, IT-chef och samordnare", "en": "alerting the duty officer, security chief, IT chief and coordinator"},
	distans.DutyWorkEnvironmentReport: {"sv": "anmälan till Arbetsmiljöverket", "en": "the report to the Swedish Work Environment Authority"},
	distans.DutyInsuranceReport:       {"sv": "anmälan till Försäkringskassan", "en": "the report to the Social Insurance Agency"},
	distans.DutySafetyRepresentative:  {"sv": "besked till skyddsombudet", "en": "telling the safety representative"},
	distans.DutyPoliceReport:          {"sv": "polisanmälan", "en": "the police report"},
}

// lossKinds and returnReasons are distans.LossKind and
// distans.ReturnReason in words.
var lossKinds = map[string]map[string]string{
	string(distans.LossLost):    {"sv": "förlorad", "en": "lost"},
	string(distans.LossStolen):  {"sv": "stulen", "en": "stolen"},
	string(distans.LossDamaged): {"sv": "skadad", "en": "damaged"},
}

var returnReasons = map[string]map[string]string{
	string(distans.ReturnLongLeave):     {"sv": "inför en lång ledighet", "en": "before a long leave"},
	string(distans.ReturnEmploymentEnd): {"sv": "när anställningen upphör", "en": "as the employment ends"},
}

func funcs(lang string) template.FuncMap {
	return template.FuncMap{
		// date writes YYYY-MM-DD as "1 mars 2026" or "1 March 2026".
		"date": func(s string) string {
			d, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return s
			}
			return fmt.Sprintf("%d %s %d", d.Day(), months[lang][d.Month()-1], d.Year())
		},
		// days writes "1 dag", "30 dagar"; "1 day", "30 days".
		"days": func(s string) string {
			n, err := strconv.Atoi(s)
			switch {
			case err != nil && lang == "sv":
				return "några dagar"
			case err != nil:
				return "a few days"
			case lang == "sv" && n == 1:
				return "1 dag"
			case lang == "sv":
				return strconv.Itoa(n) + " dagar"
			case n == 1:
				return "1 day"
			}
			return strconv.Itoa(n) + " days"
		},
		// reason says why, to the reader in role ("employee" is the
		// person the agreement is about).
		"reason": func(s, role string) string {
			if r, ok := ownReasons[lang][distans.EndReason(s)]; ok && role == string(distans.SignerEmployee) {
				return r
			}
			if r, ok := reasons[lang][distans.EndReason(s)]; ok {
				return r
			}
			return s
		},
		// incidentKind names a kind of incident.
		"incidentKind": func(s string) string {
			if t, ok := incidentKinds[s]; ok {
				return t[lang]
			}
			return s
		},
		// duty names an incident's duty.
		"duty": func(s string) string {
			if t, ok := duties[s]; ok {
				return t[lang]
			}
			return s
		},
		// lossKind names what happened to equipment, as an adjective.
		"lossKind": func(s string) string {
			if t, ok := lossKinds[s]; ok {
				return t[lang]
			}
			return s
		},
		// returnReason says why equipment comes back, as the end of a
		// sentence.
		"returnReason": func(s string) string {
			if t, ok := returnReasons[s]; ok {
				return t[lang]
			}
			return s
		},
		// agreement names the agreement, by its number when there is one.
		"agreement": func(number string) string {
			switch {
			case lang == "sv" && number != "":
				return "Överenskommelsen " + number
			case lang == "sv":
				return "Överenskommelsen om distansarbete"
			case number != "":
				return "Agreement " + number
			}
			return "The remote-work agreement"
		},
	}
}
