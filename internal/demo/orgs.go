package demo

import "github.com/distans/distans"

// orgSpec describes one demo organisation. The unit and site names that the
// seed documents use are kept as written there; the rest is what a Swedish
// municipality of that size plausibly has. Street names are plausible, not
// looked-up addresses, and no house numbers are given.
type orgSpec struct {
	Slug   string
	Name   string
	People int // every person, demo accounts and unit managers included
	Sites  []siteSpec
	Units  []unitSpec // the förvaltningar; their children are avdelningar, theirs enheter
	// ChefUnit is the unit the chef demo account manages; the medarbetare
	// demo account works there too, so the two see each other.
	ChefUnit string
	// StaffUnit is where the other demo accounts work, unless AccountUnits
	// names a unit for their role.
	StaffUnit    string
	AccountUnits map[distans.Role]string
}

type siteSpec struct {
	Name       string
	Kind       distans.SiteKind
	Street     string
	PostalCode string
	City       string
}

// unitSpec is a unit and its children. Site and Titles are inherited by the
// children when they leave them empty.
type unitSpec struct {
	Name         string
	ManagerTitle string // defaults by kind: förvaltningschef, avdelningschef, enhetschef
	Site         string
	Titles       []string
	Children     []unitSpec
}

// shared is the one demo person who works in two organisations with the
// same e-mail address and password, so that sign-in shows the organisation
// chooser: an IT consultant shared by Vara and Bjurholm.
var shared = struct {
	Name, Email, Title string
	Units              map[string]string // org slug → unit name
}{
	Name:  "Robin Ekholm",
	Email: "it-konsult@demo.example",
	Title: "IT-konsult",
	Units: map[string]string{"vara": "IT och digitalisering", "bjurholm": "IT-avdelningen"},
}

var defaultTitles = []string{"Handläggare", "Administratör", "Utredare", "Samordnare"}

var orgs = []orgSpec{
	{
		Slug:   "stockholm",
		Name:   "Stockholms stad – Kulturförvaltningen",
		People: 180,
		Sites: []siteSpec{
			{"Askebykroken", distans.SiteMain, "Askebykroken", "163 71", "Spånga"},
			{"Medborgarhuset", distans.SiteMain, "Medborgarplatsen", "118 26", "Stockholm"},
			{"Tranströmerbiblioteket", distans.SiteMain, "Medborgarplatsen", "118 26", "Stockholm"},
			{"Liljevalchs konsthall", distans.SiteMain, "Djurgårdsvägen", "115 21", "Stockholm"},
		},
		Units: []unitSpec{{
			Name: "Kulturförvaltningen", Site: "Askebykroken",
			Children: []unitSpec{
				{Name: "Evenemangsavdelningen", Site: "Medborgarhuset",
					Titles:   []string{"Producent", "Projektledare", "Evenemangssamordnare", "Scentekniker"},
					Children: []unitSpec{{Name: "Produktionsenheten"}, {Name: "Programenheten"}}},
				{Name: "Liljevalchs konsthall", ManagerTitle: "Konsthallschef", Site: "Liljevalchs konsthall",
					Titles:   []string{"Intendent", "Utställningstekniker", "Konstpedagog", "Publikvärd"},
					Children: []unitSpec{{Name: "Utställningsenheten"}, {Name: "Publik verksamhet"}}},
				{Name: "Stadsbiblioteket", Site: "Tranströmerbiblioteket",
					Titles:   []string{"Bibliotekarie", "Biblioteksassistent", "Läsfrämjare"},
					Children: []unitSpec{{Name: "Bibliotek Söder"}, {Name: "Medier och e-tjänster"}}},
				{Name: "Administrativa staben", ManagerTitle: "Administrativ chef",
					Titles: []string{"Handläggare", "Administratör", "Utredare"},
					Children: []unitSpec{
						{Name: "HR-enheten", ManagerTitle: "HR-chef", Titles: []string{"HR-konsult", "HR-specialist", "Lönespecialist"}},
						{Name: "Ekonomienheten", Titles: []string{"Ekonom", "Controller", "Redovisningsekonom"}},
						{Name: "Registratur och arkiv", Titles: []string{"Registrator", "Arkivarie", "Administratör"}},
					}},
				{Name: "Kulturstrategiska staben", ManagerTitle: "Stabschef",
					Titles:   []string{"Kulturstrateg", "Utredare", "Handläggare kulturstöd"},
					Children: []unitSpec{{Name: "Kulturstöd"}, {Name: "Analys och utveckling"}}},
				{Name: "Kommunikationsstaben", ManagerTitle: "Kommunikationschef",
					Titles: []string{"Kommunikatör", "Webbredaktör", "Grafisk formgivare"}},
			},
		}},
		ChefUnit:  "Produktionsenheten",
		StaffUnit: "Administrativa staben",
		AccountUnits: map[distans.Role]string{
			distans.RoleHR: "HR-enheten", distans.RoleRegistrar: "Registratur och arkiv",
			distans.RoleLeadership: "Kulturförvaltningen",
		},
	},
	{
		Slug:   "vara",
		Name:   "Vara kommun",
		People: 150,
		Sites: []siteSpec{
			{"Kommunhuset Vara", distans.SiteMain, "Torggatan", "534 31", "Vara"},
			{"Satellitkontoret Kvänum", distans.SiteSatellite, "Storgatan", "535 30", "Kvänum"},
		},
		Units: []unitSpec{
			// The routine (001) names the administration only by its abbreviation.
			{Name: "FUS", Site: "Kommunhuset Vara", Children: []unitSpec{
				{Name: "Ekonomiavdelningen", Titles: []string{"Ekonom", "Controller", "Upphandlare"},
					Children: []unitSpec{{Name: "Redovisning och controlling"}, {Name: "Upphandling"}}},
				{Name: "HR-avdelningen", Titles: []string{"HR-konsult", "Lönespecialist", "HR-administratör"},
					Children: []unitSpec{{Name: "Lön och pension"}, {Name: "HR-stöd"}}},
				{Name: "Kommunikation och kontaktcenter", Titles: []string{"Kommunikatör", "Kundtjänstmedarbetare"},
					Children: []unitSpec{{Name: "Kontaktcenter"}, {Name: "Kommunikation"}}},
				{Name: "IT och digitalisering", Titles: []string{"IT-samordnare", "Digitaliseringsstrateg", "Systemförvaltare"}},
			}},
			{Name: "Socialförvaltningen", Site: "Kommunhuset Vara", Children: []unitSpec{
				{Name: "Individ- och familjeomsorg", Titles: []string{"Socialsekreterare", "Familjebehandlare"},
					Children: []unitSpec{{Name: "Barn och familj"}, {Name: "Vuxen och försörjning"}}},
				{Name: "Vård och omsorg", Titles: []string{"Undersköterska", "Sjuksköterska", "Biståndshandläggare"},
					Children: []unitSpec{{Name: "Hemtjänst Vara"}, {Name: "Särskilt boende"}}},
				{Name: "Stöd och service", Titles: []string{"LSS-handläggare", "Stödassistent"}},
			}},
			{Name: "Bildningsförvaltningen", Site: "Kommunhuset Vara", Children: []unitSpec{
				{Name: "Förskola", Titles: []string{"Förskollärare", "Barnskötare"},
					Children: []unitSpec{{Name: "Förskolor Vara tätort"}, {Name: "Förskolor Kvänum och Vedum"}}},
				{Name: "Grundskola", Titles: []string{"Lärare", "Speciallärare", "Fritidspedagog"},
					Children: []unitSpec{{Name: "Skolor Vara tätort"}, {Name: "Skolor Kvänum och Vedum"}}},
				{Name: "Kultur och fritid", Titles: []string{"Bibliotekarie", "Fritidsledare", "Kulturutvecklare"}},
			}},
			{Name: "Tekniska förvaltningen", Site: "Kommunhuset Vara", Children: []unitSpec{
				{Name: "Fastighet", Titles: []string{"Fastighetstekniker", "Förvaltare"}},
				{Name: "Gata och park", Titles: []string{"Parkarbetare", "Gatuingenjör"}},
				{Name: "Kost och lokalvård", Titles: []string{"Kock", "Måltidsbiträde", "Lokalvårdare"},
					Children: []unitSpec{{Name: "Kost"}, {Name: "Lokalvård"}}},
			}},
			{Name: "Miljö- och byggnadsförvaltningen", Site: "Kommunhuset Vara", Children: []unitSpec{
				{Name: "Bygglov och tillsyn", Titles: []string{"Bygglovshandläggare", "Byggnadsinspektör"}},
				{Name: "Miljö och hälsoskydd", Titles: []string{"Miljöinspektör", "Livsmedelsinspektör"}},
			}},
		},
		ChefUnit:  "Kontaktcenter",
		StaffUnit: "HR-stöd",
		AccountUnits: map[distans.Role]string{
			distans.RoleIT: "IT och digitalisering", distans.RoleSwitchboard: "Kontaktcenter",
			distans.RoleRegistrar: "Kommunikation", distans.RoleLeadership: "FUS",
			distans.RoleAdmin: "IT och digitalisering",
		},
	},
	{
		Slug:   "bjurholm",
		Name:   "Bjurholms kommun",
		People: 60,
		Sites: []siteSpec{
			{"Kommunhuset Bjurholm", distans.SiteMain, "Kyrkvägen", "916 31", "Bjurholm"},
			{"Satellitkontoret Umeå", distans.SiteSatellite, "Storgatan", "903 26", "Umeå"},
		},
		Units: []unitSpec{
			{Name: "Kommunstyrelseförvaltningen", ManagerTitle: "Kommunchef", Site: "Kommunhuset Bjurholm", Children: []unitSpec{
				{Name: "Kansli och administration", Titles: []string{"Nämndsekreterare", "Registrator", "Administratör"}},
				{Name: "Ekonomi och personal", Titles: []string{"Ekonom", "Löneadministratör", "Personalhandläggare"},
					Children: []unitSpec{{Name: "Ekonomi"}, {Name: "Personal"}}},
				{Name: "IT-avdelningen", ManagerTitle: "IT-chef", Titles: []string{"IT-tekniker", "Systemadministratör"}},
			}},
			{Name: "Socialförvaltningen", Site: "Kommunhuset Bjurholm", Children: []unitSpec{
				{Name: "Äldreomsorg", Titles: []string{"Undersköterska", "Vårdbiträde", "Sjuksköterska"},
					Children: []unitSpec{{Name: "Hemtjänst"}, {Name: "Särskilt boende"}}},
				{Name: "Individ- och familjeomsorg", Titles: []string{"Socialsekreterare", "Biståndshandläggare"}},
			}},
			{Name: "Barn- och utbildningsförvaltningen", Site: "Kommunhuset Bjurholm", Children: []unitSpec{
				{Name: "Grundskola", Titles: []string{"Lärare", "Elevassistent"}},
				{Name: "Förskola", Titles: []string{"Förskollärare", "Barnskötare"}},
			}},
			{Name: "Samhällsbyggnadsförvaltningen", Site: "Kommunhuset Bjurholm", Children: []unitSpec{
				{Name: "Fastighet och gata", Titles: []string{"Fastighetsskötare", "Drifttekniker"}},
			}},
		},
		ChefUnit:  "Individ- och familjeomsorg",
		StaffUnit: "Kansli och administration",
		AccountUnits: map[distans.Role]string{
			distans.RoleHR: "Personal", distans.RoleIT: "IT-avdelningen", distans.RoleAdmin: "IT-avdelningen",
			distans.RoleLeadership: "Kommunstyrelseförvaltningen",
		},
	},
	{
		Slug:   "kristianstad",
		Name:   "Kristianstads kommun",
		People: 200,
		Sites: []siteSpec{
			{"Kommunhuset Kristianstad", distans.SiteMain, "Västra Storgatan", "291 31", "Kristianstad"},
			{"Satellitkontoret Åhus", distans.SiteSatellite, "Köpmannagatan", "296 31", "Åhus"},
		},
		Units: []unitSpec{
			{Name: "Kommunledningskontoret", ManagerTitle: "Kommundirektör", Site: "Kommunhuset Kristianstad", Children: []unitSpec{
				// Named in the information-security instruction (003).
				{Name: "Avdelningen för skydd och säkerhet", ManagerTitle: "Säkerhetschef",
					Titles: []string{"Säkerhetssamordnare", "Beredskapssamordnare", "Informationssäkerhetssamordnare"}},
				{Name: "IT-avdelningen", ManagerTitle: "IT-chef", Titles: []string{"IT-tekniker", "Drifttekniker", "Systemförvaltare"},
					Children: []unitSpec{{Name: "IT-support"}, {Name: "Drift och infrastruktur"}}},
				{Name: "HR-avdelningen", ManagerTitle: "HR-chef", Titles: []string{"HR-konsult", "Lönespecialist"},
					Children: []unitSpec{{Name: "HR-stöd"}, {Name: "Lön"}}},
				{Name: "Ekonomiavdelningen", ManagerTitle: "Ekonomichef", Titles: []string{"Ekonom", "Controller"}},
				{Name: "Kansliavdelningen", ManagerTitle: "Kanslichef", Titles: []string{"Registrator", "Nämndsekreterare", "Arkivarie"},
					Children: []unitSpec{{Name: "Registratur och arkiv"}, {Name: "Nämndadministration"}}},
			}},
			{Name: "Omsorgsförvaltningen", Site: "Kommunhuset Kristianstad", Children: []unitSpec{
				{Name: "Hemtjänst", Titles: []string{"Undersköterska", "Vårdbiträde", "Samordnare hemtjänst"},
					Children: []unitSpec{{Name: "Hemtjänst Nord"}, {Name: "Hemtjänst Syd"}}},
				{Name: "Särskilt boende", Titles: []string{"Undersköterska", "Sjuksköterska"}},
			}},
			{Name: "Barn- och utbildningsförvaltningen", Site: "Kommunhuset Kristianstad", Children: []unitSpec{
				{Name: "Förskola", Titles: []string{"Förskollärare", "Barnskötare"}},
				{Name: "Grundskola", Titles: []string{"Lärare", "Speciallärare", "Fritidspedagog"}},
				{Name: "Elevhälsa", Titles: []string{"Skolkurator", "Skolsköterska", "Skolpsykolog"}},
			}},
			{Name: "Tekniska förvaltningen", Site: "Kommunhuset Kristianstad", Children: []unitSpec{
				{Name: "Gata och park", Titles: []string{"Gatuingenjör", "Parkarbetare"}},
				{Name: "Vatten och avlopp", Titles: []string{"VA-ingenjör", "Drifttekniker"}},
			}},
			{Name: "Byggnadsförvaltningen", Site: "Kommunhuset Kristianstad", Children: []unitSpec{
				{Name: "Bygglov", Titles: []string{"Bygglovshandläggare", "Byggnadsinspektör"}},
				{Name: "Lantmäteri", Titles: []string{"Lantmätare", "GIS-ingenjör"}},
			}},
		},
		ChefUnit:  "HR-stöd",
		StaffUnit: "Kansliavdelningen",
		AccountUnits: map[distans.Role]string{
			distans.RoleHR: "HR-stöd", distans.RoleIT: "IT-support", distans.RoleAdmin: "Drift och infrastruktur",
			distans.RoleSecurity: "Avdelningen för skydd och säkerhet", distans.RoleDPO: "Avdelningen för skydd och säkerhet",
			distans.RoleRegistrar: "Registratur och arkiv", distans.RoleLeadership: "Kommunledningskontoret",
		},
	},
	{
		Slug:   "sorsele",
		Name:   "Sorsele kommun",
		People: 60,
		Sites: []siteSpec{
			{"Kommunhuset Sorsele", distans.SiteMain, "Torggatan", "924 31", "Sorsele"},
			{"Satellitkontoret Ammarnäs", distans.SiteSatellite, "Ammarnäsvägen", "924 95", "Ammarnäs"},
		},
		Units: []unitSpec{
			{Name: "Kommunstyrelseförvaltningen", ManagerTitle: "Kommunchef", Site: "Kommunhuset Sorsele", Children: []unitSpec{
				// Kanslienheten and IT-enheten are named in the telephony policy (004).
				{Name: "Kansliet", ManagerTitle: "Kanslichef", Children: []unitSpec{
					{Name: "Kanslienheten", Titles: []string{"Nämndsekreterare", "Registrator", "Växeltelefonist"}},
					{Name: "IT-enheten", Titles: []string{"IT-tekniker", "Systemadministratör"}},
					{Name: "Ekonomienheten", Titles: []string{"Ekonom", "Löneadministratör"}},
				}},
				{Name: "Näringsliv och turism", Titles: []string{"Näringslivsutvecklare", "Turismutvecklare"}},
			}},
			{Name: "Socialförvaltningen", Site: "Kommunhuset Sorsele", Children: []unitSpec{
				{Name: "Äldreomsorg", Titles: []string{"Undersköterska", "Sjuksköterska"}},
				{Name: "Individ- och familjeomsorg", Titles: []string{"Socialsekreterare", "Biståndshandläggare"}},
			}},
			{Name: "Barn- och utbildningsförvaltningen", Site: "Kommunhuset Sorsele", Children: []unitSpec{
				{Name: "Grundskola", Titles: []string{"Lärare", "Elevassistent"}},
				{Name: "Förskola", Titles: []string{"Förskollärare", "Barnskötare"}},
			}},
			{Name: "Samhällsbyggnadsförvaltningen", Site: "Kommunhuset Sorsele", Children: []unitSpec{
				{Name: "Fastighet", Titles: []string{"Fastighetsskötare", "Drifttekniker"}},
				{Name: "Räddningstjänst", ManagerTitle: "Räddningschef", Titles: []string{"Brandman", "Styrkeledare"}},
			}},
		},
		ChefUnit:  "Kanslienheten",
		StaffUnit: "Kanslienheten",
		AccountUnits: map[distans.Role]string{
			distans.RoleIT: "IT-enheten", distans.RoleAdmin: "IT-enheten", distans.RoleHR: "Ekonomienheten",
			distans.RoleLeadership: "Kommunstyrelseförvaltningen",
		},
	},
}
