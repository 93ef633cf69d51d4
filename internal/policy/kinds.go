package policy

import (
	"slices"

	"cel.dev/cel-go/cel"
)

// The kinds of thing a rule can check. Each kind has one typed input (the
// Go struct of the same name in inputs.go) whose JSON fields are exactly
// the CEL variables a condition may use, plus a few derived values that
// the package computes so that conditions stay readable for HR.
const (
	KindAgreement  = "agreement"
	KindPhoneHours = "phone_hours"
	KindRedirect   = "redirect"
	KindLeave      = "leave"
	KindTravel     = "travel"
	KindIncident   = "incident"
	KindMeeting    = "meeting"
	// KindLoss is a written report of lost, stolen or damaged equipment:
	// its rules' deadlines are the loss procedure's steps (Sorsele 004
	// §8.1), each naming the step (duty), who does it (by) and whether it
	// may be skipped with a reason (skippable).
	KindLoss = "loss"
	// KindEmploymentEnd is the end of a person's employment while they
	// hold equipment: its rules' deadlines are the return tasks (duty
	// return_item, end_subscription), as on the leave rules.
	KindEmploymentEnd = "employment_end"
	// KindPrecondition is what a person must have done before a
	// remote-work agreement of theirs is approved or signed: the courses
	// they have not completed and the required documents they have not
	// acknowledged (Kristianstad 003 Behörighet and Utbildning). A
	// blocking finding stops the approval and the signatures.
	KindPrecondition = "precondition"
)

// Kind describes one kind for the Regelverk page, the API description and
// the try-a-check form: its variables in the order people read them.
type Kind struct {
	Name      string     `json:"name"`
	Label     Text       `json:"label"`
	Variables []Variable `json:"variables"`
}

// Variable is one name a condition may use. Derived variables are computed
// from the input and are not accepted in it.
type Variable struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"` // CEL type: string, int, bool, timestamp, list(string), list(map)
	Derived bool     `json:"derived,omitempty"`
	Values  []string `json:"values,omitempty"` // the allowed values of an enumeration
	Label   Text     `json:"label"`
	celType *cel.Type
}

// The enumerations that inputs are checked against; a value outside them is
// bad input, not a finding, because a rule could never match it on purpose.
var (
	weekdays       = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	taxWorkplaces  = []string{"", "main", "remote"}
	riskValues     = []string{"", "acceptable", "needs_measures", "not_acceptable"}
	channels       = []string{"phone", "email", "teams", "skype", "sms"}
	equipmentKinds = []string{"computer", "phone", "sim", "tablet", "usb_memory", "headset", "screen",
		"mobile_broadband", "furniture"}
	phoneKinds      = []string{"personal", "on_call"}
	redirectTargets = []string{"colleague", "voicemail", "switchboard", "private"}
	// incidentKinds are distans.IncidentKinds, in the report form's order;
	// TestIncidentKindsMatchDomain holds the two together.
	incidentKinds      = []string{"personal_data", "security", "it", "theft", "equipment_loss", "threat", "work_injury", "other"}
	incidentSeverities = []string{"", "low", "medium", "high", "serious"}
	meetingTools       = []string{"approved", "external"}
	// lossKinds are distans.LossKinds and itemCategories the registry's
	// distans.EquipmentCategories (what a loss or a return is about), in
	// the domain's order;
	// TestEquipmentEnumsMatchDomain holds them together.
	lossKinds      = []string{"lost", "stolen", "damaged"}
	itemCategories = []string{"computer", "phone", "sim", "tablet", "usb_memory", "headset", "screen", "mobile_broadband", "other"}
	infoClasses    = []string{"open", "internal", "sensitive", "national_security"}
)

var (
	stringList = cel.ListType(cel.StringType)
	sessionMap = cel.MapType(cel.StringType, cel.DynType)
)

func v(name string, t *cel.Type, sv, en string) Variable {
	return Variable{Name: name, Type: typeName(t), Label: Text{sv, en}, celType: t}
}

func enum(name string, t *cel.Type, values []string, sv, en string) Variable {
	x := v(name, t, sv, en)
	x.Values = slices.DeleteFunc(slices.Clone(values), func(s string) bool { return s == "" })
	return x
}

func derived(name string, t *cel.Type, sv, en string) Variable {
	x := v(name, t, sv, en)
	x.Derived = true
	return x
}

func typeName(t *cel.Type) string {
	switch t {
	case stringList:
		return "list(string)"
	case sessionMap:
		return "map"
	case cel.TimestampType:
		return "timestamp"
	}
	if t.String() == "list(map(string, dyn))" {
		return "list(map)"
	}
	return t.String()
}

// nowVar is declared for every kind: the moment of the check, so that a
// rule can compare with it (an expired redirect, an overdue report).
var nowVar = derived("now", cel.TimestampType, "Tidpunkten för kontrollen", "The time of the check")

// kinds is the one table of kinds and their variables. The resolvers in
// inputs.go must answer every name here with a value of the declared type;
// TestKindVariablesResolve holds them to it.
var kinds = []Kind{
	{Name: KindAgreement, Label: Text{"Distansarbetsöverenskommelse", "Remote-work agreement"}, Variables: []Variable{
		v("start", cel.StringType, "Första dag (ÅÅÅÅ-MM-DD)", "First day (YYYY-MM-DD)"),
		v("end", cel.StringType, "Sista dag (ÅÅÅÅ-MM-DD)", "Last day (YYYY-MM-DD)"),
		derived("length_days", cel.IntType, "Antal dagar överenskommelsen gäller, första och sista dagen medräknade (0 om start eller slut saknas)",
			"Days the agreement covers, first and last day included (0 when start or end is missing)"),
		derived("length_months", cel.IntType, "Antal kalendermånader räknat från första dagen som överenskommelsen behöver: ett år (12) slutar senast dagen före samma datum ett år senare (0 om start eller slut saknas)",
			"Calendar months, counted from the first day, that the agreement needs: a year (12) ends at the latest the day before the same date a year later (0 when start or end is missing)"),
		enum("weekdays_remote", stringList, weekdays, "Veckodagar på distans", "Weekdays remote"),
		v("share_remote", cel.IntType, "Andel av arbetstiden på distans (procent); 0 = den andel veckodagarna ger (en femtedel per dag); en andel lägre än veckodagarna ger avvisas",
			"Share of working time remote (percent); 0 = the share the weekdays make (a fifth a day); a share lower than the weekdays make is refused"),
		v("remote_place", cel.StringType, "Distansarbetsplats", "Remote workplace"),
		v("main_workplace", cel.StringType, "Huvudarbetsplats", "Main workplace"),
		enum("tax_workplace", cel.StringType, taxWorkplaces, "Tjänsteställe (tomt = huvudregeln)", "Tax workplace (empty = the main rule)"),
		v("tasks", cel.StringType, "Arbetsuppgifter på distans", "Tasks done remotely"),
		v("secrecy_tasks", cel.BoolType, "Arbetsuppgifterna omfattas av sekretess", "The tasks are subject to secrecy"),
		v("working_hours", cel.StringType, "Arbetstider", "Working hours"),
		enum("availability", stringList, channels, "Tillgänglig via", "Reachable by"),
		v("return_minutes", cel.IntType, "Inställelsetid till huvudarbetsplatsen (minuter)", "Time to get back to the main workplace (minutes)"),
		v("client_meetings_at_remote", cel.BoolType, "Fysiska möten med klienter eller medborgare på distansarbetsplatsen", "Physical meetings with clients or citizens at the remote workplace"),
		v("physical_meetings", cel.StringType, "Vad överenskommelsen säger om fysiska möten på distansarbetsplatsen", "What the agreement says about physical meetings at the remote workplace"),
		enum("equipment", stringList, equipmentKinds, "Arbetsutrustning", "Equipment"),
		v("conditions", cel.StringType, "Förutsättningar i det enskilda fallet", "Conditions of the individual case"),
		v("evaluation", cel.StringType, "Hur och när överenskommelsen utvärderas", "How and when the agreement is evaluated"),
		enum("risk_assessment", cel.StringType, riskValues, "Riskbedömning av hemarbetsplatsen", "Risk assessment of the home workplace"),
		nowVar,
	}},
	{Name: KindPhoneHours, Label: Text{"Telefontider", "Phone hours"}, Variables: []Variable{
		v("sessions", cel.ListType(sessionMap), "Telefontider: weekday, start (TT:MM), end (TT:MM) och minutes", "Phone sessions: weekday, start (HH:MM), end (HH:MM) and minutes"),
		derived("session_count", cel.IntType, "Antal telefontider per vecka", "Sessions a week"),
		derived("total_minutes", cel.IntType, "Minuter telefontid per vecka", "Minutes of phone hours a week"),
		derived("shortest_minutes", cel.IntType, "Kortaste telefontiden i minuter (0 om inga)", "Shortest session in minutes (0 when none)"),
		v("exception", cel.BoolType, "Ett beslut om undantag som tillåter telefontider gäller", "A decision on an exception that allows phone hours stands"),
		nowVar,
	}},
	{Name: KindRedirect, Label: Text{"Hänvisning", "Redirection"}, Variables: []Variable{
		enum("phone", cel.StringType, phoneKinds, "Telefon (personal = egen, on_call = jourtelefon)", "Phone (personal, on_call)"),
		enum("target", cel.StringType, redirectTargets, "Hänvisas till", "Redirected to"),
		v("until", cel.TimestampType, "Åter tillgänglig", "Available again at"),
		derived("has_until", cel.BoolType, "En återkomsttid är angiven", "A return time is given"),
		nowVar,
	}},
	{Name: KindLeave, Label: Text{"Tjänstledighet", "Leave"}, Variables: []Variable{
		v("days", cel.IntType, "Ledighetens längd i dagar", "Length of the leave in days"),
		enum("equipment", stringList, equipmentKinds, "Utrustning som medarbetaren har", "Equipment the person holds"),
		v("first_day", cel.TimestampType, "Ledighetens första dag (valfri; återlämnandets frist räknas från den)",
			"The leave's first day (optional; the return's deadline counts from it)"),
		nowVar,
	}},
	{Name: KindEmploymentEnd, Label: Text{"Anställningen upphör", "Employment ends"}, Variables: []Variable{
		enum("equipment", stringList, itemCategories, "Utrustning som medarbetaren har (registrets slag)", "Equipment the person holds (the registry's kinds)"),
		v("last_day", cel.TimestampType, "Anställningens sista dag (valfri; återlämnandets frist räknas från den)",
			"The employment's last day (optional; the return's deadline counts from it)"),
		nowVar,
	}},
	{Name: KindPrecondition, Label: Text{"Förutsättningar för en överenskommelse", "Preconditions of an agreement"}, Variables: []Variable{
		v("training_missing", stringList, "Kurser (id) som medarbetaren inte har genomfört eller vars giltighet har gått ut",
			"Courses (id) the person has not completed, or whose completion has run out"),
		v("documents_unacknowledged", stringList, "Obligatoriska dokument (titel) som medarbetaren inte har bekräftat i gällande version",
			"Required documents (title) the person has not acknowledged at their current version"),
		nowVar,
	}},
	{Name: KindTravel, Label: Text{"Resa med utrustning", "Travel with equipment"}, Variables: []Variable{
		v("private", cel.BoolType, "Privat resa", "Private trip"),
		v("abroad", cel.BoolType, "Utanför Sverige", "Outside Sweden"),
		enum("equipment", stringList, equipmentKinds, "Utrustning som tas med", "Equipment taken along"),
		v("approved_by_manager", cel.BoolType, "Godkänd av chef", "Approved by the manager"),
		v("mobile_data_abroad", cel.BoolType, "Mobil datatrafik påslagen utomlands", "Mobile data on abroad"),
		nowVar,
	}},
	{Name: KindIncident, Label: Text{"Incident", "Incident"}, Variables: []Variable{
		enum("kind", cel.StringType, incidentKinds, "Typ av incident", "Kind of incident"),
		v("discovered_at", cel.TimestampType, "Upptäckt", "Discovered at"),
		derived("minutes_since_discovery", cel.IntType, "Minuter sedan incidenten upptäcktes (verklig förfluten tid)", "Minutes since discovery (real elapsed time)"),
		enum("severity", cel.StringType, incidentSeverities, "Allvarlighetsgrad enligt triagen (tomt = ej bedömd)", "Severity from the triage (empty = not yet assessed)"),
		v("ongoing", cel.BoolType, "Incidenten pågår fortfarande", "The incident is still going on"),
		v("cyber_significant", cel.BoolType, "Betydande incident enligt cybersäkerhetslagen", "A significant incident under the Cybersecurity Act"),
		v("injury_serious", cel.BoolType, "Allvarlig arbetsskada eller allvarligt tillbud", "A serious work injury or serious near miss"),
		v("outside_premises", cel.BoolType, "Stöld eller förlust utanför arbetsgivarens lokaler", "Theft or loss outside the employer's premises"),
		v("imy_filed_at", cel.TimestampType, "Anmälan till IMY gjord", "Notification to IMY filed at"),
		derived("has_imy_filed", cel.BoolType, "En anmälan till IMY är gjord", "A notification to IMY has been filed"),
		nowVar,
	}},
	{Name: KindLoss, Label: Text{"Förlust eller skada på utrustning", "Lost or damaged equipment"}, Variables: []Variable{
		enum("kind", cel.StringType, lossKinds, "Vad som hänt (lost = förlorad, stolen = stulen, damaged = skadad)", "What happened (lost, stolen, damaged)"),
		enum("categories", stringList, itemCategories, "Vilka slags utrustning det gäller", "The kinds of equipment concerned"),
		derived("has_sim", cel.BoolType, "Något av det har ett SIM-kort som ska spärras (mobiltelefon, SIM-kort, mobilt bredband)",
			"Some of it has a SIM card to block (mobile phone, SIM card, mobile broadband)"),
		v("outside_premises", cel.BoolType, "Förlusten skedde utanför arbetsgivarens lokaler", "The loss happened outside the employer's premises"),
		v("reported_by_manager", cel.BoolType, "Chefen gjorde anmälan för medarbetaren (chefen är då redan informerad)",
			"The manager reported it for the person (the manager is then informed already)"),
		v("discovered_at", cel.TimestampType, "Upptäckt", "Discovered at"),
		v("reported_at", cel.TimestampType, "Anmäld (den skriftliga anmälan)", "Reported at (the written report)"),
		nowVar,
	}},
	{Name: KindMeeting, Label: Text{"Digitalt möte", "Digital meeting"}, Variables: []Variable{
		enum("tool", cel.StringType, meetingTools, "Mötesverktyg (approved = av kommunen godkänt, external = annat)", "Meeting tool (approved, external)"),
		enum("information_class", cel.StringType, infoClasses, "Informationens klass", "Information class"),
		nowVar,
	}},
}

// Kinds returns the kinds and their variables, for documentation and forms.
// The result is the caller's own copy.
func Kinds() []Kind {
	out := slices.Clone(kinds)
	for i := range out {
		out[i].Variables = slices.Clone(out[i].Variables)
	}
	return out
}

func kindByName(name string) (*Kind, bool) {
	for i := range kinds {
		if kinds[i].Name == name {
			return &kinds[i], true
		}
	}
	return nil, false
}

func kindNames() []string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	return names
}
