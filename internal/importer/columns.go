package importer

import (
	"strings"

	"github.com/distans/distans"
)

// field is one meaning a column can have. What a header means is decided
// by its name alone; what the file is for is decided by which fields it
// has (detectKinds), so that one HR export can carry people and their
// employments side by side.
type field int

const (
	fCode field = iota
	fUnit
	fUnitName
	fSite
	fSiteName
	fName
	fFirstName
	fLastName
	fParent
	fKind
	fManager
	fEmpNo
	fEmail
	fPhone
	fPNR
	fLanguage
	fTitle
	fStart
	fEnd
	fRole
	fStreet
	fPostal
	fCity
	numFields
)

// fieldInfo names a field for messages (Swedish header, English words) and
// lists the headers that mean it, folded (see fold). examples/README.md
// documents the same list; keep them together.
var fieldInfo = [numFields]struct {
	sv, en  string
	headers []string
}{
	fCode:      {"Kod", "code", []string{"kod", "code", "id"}},
	fUnit:      {"Enhet", "unit", []string{"enhet", "enhetskod", "enhetsid", "unit", "unitcode", "unitid", "orgenhet", "organisationsenhet"}},
	fUnitName:  {"Enhetsnamn", "unit name", []string{"enhetsnamn", "unitname", "benamning"}},
	fSite:      {"Arbetsplats", "site", []string{"arbetsplats", "arbetsplatskod", "arbetsplatsid", "site", "sitecode", "siteid", "tjanstestalle", "arbetsstalle"}},
	fSiteName:  {"Arbetsplatsnamn", "site name", []string{"arbetsplatsnamn", "sitename"}},
	fName:      {"Namn", "name", []string{"namn", "name", "fulltnamn", "fullname", "fullstandigtnamn"}},
	fFirstName: {"Förnamn", "first name", []string{"fornamn", "tilltalsnamn", "firstname", "givenname"}},
	fLastName:  {"Efternamn", "last name", []string{"efternamn", "lastname", "surname", "familyname"}},
	fParent:    {"Överordnad enhet", "parent", []string{"overordnad", "overordnadenhet", "overordnadkod", "overordnadenhetskod", "parent", "parentcode", "parentunit", "parentunitcode"}},
	fKind:      {"Typ", "kind", []string{"typ", "kind", "type", "enhetstyp", "unitkind", "unittype", "arbetsplatstyp", "sitekind", "sitetype", "ledighetstyp", "franvarotyp", "leavekind", "leavetype"}},
	fManager:   {"Chef", "manager", []string{"chef", "manager", "chefensanstallningsnummer", "chefanstnr", "chefsanstallningsnummer", "manageremployeenumber"}},
	fEmpNo:     {"Anställningsnummer", "employee number", []string{"anstallningsnummer", "anstnr", "anstallningsnr", "personalnummer", "employeenumber", "employeeno", "employeeid", "empno"}},
	fEmail:     {"E-post", "e-mail", []string{"epost", "epostadress", "email", "emailaddress", "mail", "mejl"}},
	fPhone:     {"Telefon", "phone", []string{"telefon", "telefonnummer", "mobil", "mobilnummer", "mobiltelefon", "phone", "phonenumber", "mobile", "mobilephone"}},
	fPNR:       {"Personnummer", "personal number", []string{"personnummer", "pnr", "personalnumber", "personalidentitynumber"}},
	fLanguage:  {"Språk", "language", []string{"sprak", "language", "lang"}},
	fTitle:     {"Befattning", "title", []string{"befattning", "titel", "title", "jobtitle", "yrkestitel", "befattningsbenamning"}},
	fStart:     {"Startdatum", "start date", []string{"start", "startdatum", "fran", "frandatum", "from", "fromdatum", "fromdate", "startdate", "startar"}},
	fEnd:       {"Slutdatum", "end date", []string{"slut", "slutdatum", "till", "tilldatum", "tom", "tomdatum", "to", "end", "enddate", "slutar"}},
	fRole:      {"Roll", "role", []string{"roll", "role", "behorighet"}},
	fStreet:    {"Gatuadress", "street", []string{"gatuadress", "adress", "besoksadress", "street", "address", "streetaddress"}},
	fPostal:    {"Postnummer", "postal code", []string{"postnummer", "postnr", "postalcode", "zip", "zipcode"}},
	fCity:      {"Ort", "city", []string{"ort", "postort", "stad", "city", "town"}},
}

// headerField maps a folded header to its field.
var headerField = func() map[string]field {
	m := map[string]field{}
	for f, info := range fieldInfo {
		for _, h := range info.headers {
			if _, dup := m[h]; dup {
				panic("importer: header " + h + " means two fields")
			}
			m[h] = field(f)
		}
	}
	return m
}()

// fold makes a header or a word comparable however it was written: lower
// case, å/ä/ö (and other accents common in names) as a/a/o, and nothing but
// letters and digits, so "Överordnad enhet", "overordnad_enhet" and
// "ÖVERORDNAD-ENHET" are one.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'å', 'ä', 'á', 'à', 'â', 'æ':
			r = 'a'
		case 'ö', 'ó', 'ò', 'ô', 'ø':
			r = 'o'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'ü', 'ú':
			r = 'u'
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// kind is what rows of a file are read as.
type kind int

const (
	kUnits kind = iota
	kSites
	kPeople
	kEmployments
	kManagers
	kRoles
	kLeave
	numKinds
)

var kindNames = [numKinds]string{"units", "sites", "people", "employments", "managers", "roles", "leave"}

// kindWords are the Swedish words for the kinds, for messages.
var kindWords = [numKinds]string{"enheter", "arbetsplatser", "personer", "anställningar", "chefer", "roller", "ledigheter"}

// nameHints break ties between kinds that the columns cannot (a file with
// only a code and a name): folded parts of a file name and the kind each
// suggests.
var nameHints = []struct {
	part string
	kind kind
}{
	{"arbetsplats", kSites}, {"site", kSites}, {"kontor", kSites}, {"platser", kSites},
	{"enhet", kUnits}, {"unit", kUnits}, {"organisation", kUnits},
	{"chef", kManagers}, {"manager", kManagers},
	{"roll", kRoles}, {"role", kRoles},
	{"ledig", kLeave}, {"leave", kLeave}, {"franvaro", kLeave},
	{"anstallning", kEmployments}, {"employment", kEmployments},
	{"person", kPeople}, {"people", kPeople}, {"personal", kPeople}, {"staff", kPeople}, {"medarbetare", kPeople},
}

func nameHint(fileName string) (kind, bool) {
	base := fileName
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	base = fold(base)
	for _, h := range nameHints {
		if strings.Contains(base, h.part) {
			return h.kind, true
		}
	}
	return 0, false
}

// unitKinds, siteKinds, leaveKinds and roleNames read the values a column
// of kinds or roles may hold, folded: the stored codes, the Swedish words
// and the English ones.
var unitKinds = map[string]distans.UnitKind{
	"forvaltning": distans.UnitAdministration, "administration": distans.UnitAdministration, "directorate": distans.UnitAdministration,
	"avdelning": distans.UnitDepartment, "department": distans.UnitDepartment,
	"enhet": distans.UnitSection, "section": distans.UnitSection, "unit": distans.UnitSection,
}

var siteKinds = map[string]distans.SiteKind{
	"main": distans.SiteMain, "huvudarbetsplats": distans.SiteMain, "tjanstestalle": distans.SiteMain,
	"huvudkontor": distans.SiteMain, "mainworkplace": distans.SiteMain,
	"satellite": distans.SiteSatellite, "satellitkontor": distans.SiteSatellite, "satellit": distans.SiteSatellite,
	"satelliteoffice": distans.SiteSatellite,
}

var leaveKinds = map[string]distans.LeaveKind{
	"foraldraledighet": distans.LeaveParental, "foraldraledig": distans.LeaveParental, "parental": distans.LeaveParental, "parentalleave": distans.LeaveParental,
	"studieledighet": distans.LeaveStudy, "studieledig": distans.LeaveStudy, "study": distans.LeaveStudy, "studyleave": distans.LeaveStudy,
	"tjanstledighet": distans.LeaveUnpaid, "tjanstledig": distans.LeaveUnpaid, "unpaid": distans.LeaveUnpaid, "unpaidleave": distans.LeaveUnpaid, "leaveofabsence": distans.LeaveUnpaid,
	"annan": distans.LeaveOther, "annat": distans.LeaveOther, "ovrig": distans.LeaveOther, "other": distans.LeaveOther,
}

var roleNames = func() map[string]distans.Role {
	m := map[string]distans.Role{}
	for _, r := range distans.Roles {
		m[fold(string(r))] = r
		m[fold(r.Label("sv"))] = r
		m[fold(r.Label("en"))] = r
	}
	return m
}()

var languages = map[string]string{
	"sv": "sv", "svenska": "sv", "swedish": "sv",
	"en": "en", "engelska": "en", "english": "en",
}
