package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
)

// The demo's remote-work agreements. In every organisation the chef demo
// account's unit holds one case in each state of the journey, each of a
// different ordinary employee, so that chef@<slug>.example finds them in the
// queue: a request, an assessed request, a declined one, one awaiting the
// chef's signature, three active ones (follow-up due later, follow-up
// overdue, expiring within 30 days) and two ended ones (by the employee, and
// by the manager after a documented dialogue). The medarbetare demo account
// gets none, so that a browser journey can start a request from scratch.
//
// Where the unit has too few ordinary employees (Bjurholm's and Sorsele's
// units are small), agreements.go adds colleagues to it: made-up people
// worked out from the organisation's slug, so every installation gets the
// same ones.
//
// Dates count from today in the organisation's time zone. The terms have
// every part Bjurholm 002 §11 asks for, a reviewed and acceptable risk
// assessment, and pass the organisation's active pack: no blocking finding,
// and a comment on every warning. The step is skipped once the
// organisation has any agreement, which keeps a second Load from writing.

// agreementCase is a state of the journey the demo shows.
type agreementCase int

const (
	caseRequested agreementCase = iota
	caseAssessed
	caseDeclined
	caseAwaitingSignature
	caseActive
	caseFollowUpOverdue
	caseExpiring
	caseEndedByEmployee
	caseEndedByManager
	numAgreementCases
)

// agreementFlavour is what one municipality's agreements say.
type agreementFlavour struct {
	places       []remotePlace
	workingHours string
	equipment    []string
	conditions   string
	evaluation   string
	meetings     string // the assessment's answer on meetings
	commonDays   string // the assessment's answer on common days on site
	secrecy      bool   // the unit's tasks involve secrecy
	declined     string // the reasons of the declined case
	endNote      string // the dialogue before the manager ended an agreement
	// comments answer the warnings that the agreements trip, by rule ID.
	comments map[string]string
	// moreDays is the share (percent) and days of the one agreement with
	// more remote days than usual; 0 when none.
	moreDays int
}

type remotePlace struct {
	place   string
	minutes int // return time to the main workplace
}

var agreementFlavours = map[string]agreementFlavour{
	"stockholm": {
		places: []remotePlace{{"Bostaden i Bromma", 40}, {"Bostaden i Hägersten", 35}, {"Bostaden i Farsta", 45},
			{"Bostaden i Solna", 40}, {"Bostaden i Älvsjö", 35}, {"Bostaden i Skärholmen", 45},
			{"Bostaden i Västerhaninge", 75}, {"Bostaden i Sollentuna", 55}, {"Bostaden i Täby", 60}},
		workingHours: "Ordinarie arbetstid 08.00–16.30 med flextid enligt stadens avtal. Övertid förekommer bara " +
			"undantagsvis och efter chefens godkännande i förväg.",
		equipment: []string{"computer", "phone", "headset"},
		conditions: "Arbetsplatsen i bostaden har arbetsbord, kontorsstol och dagsljus. Kontoret är huvudarbetsplatsen " +
			"och arbete hemifrån är en möjlighet, inte en rättighet. Medarbetaren kan ta sig till arbetsplatsen inom " +
			"1,5 timme när verksamheten behöver det, till exempel vid ändrade produktionsplaner.",
		evaluation: "Följs upp vid medarbetarsamtalet och vid avstämningar under säsongen; utvärderas före en förlängning.",
		meetings: "Arbetsplatsträffar och produktionsmöten sker på plats. Avstämningar med externa arrangörer kan vara " +
			"digitala; blandade möten hålls i rum med konferensutrustning.",
		commonDays: "Tisdag och torsdag är gemensamma dagar i enheten; då arbetar alla på plats.",
		declined: "Önskemålet tillmötesgås inte. Under vårens produktionsperiod behövs daglig närvaro på Medborgarhuset " +
			"för bygg- och repetitionsschemat, och två kollegor arbetar redan hemifrån samma dagar. Beslutet kan inte " +
			"överklagas; vi kan pröva frågan igen efter säsongen.",
		endNote: "Dialog med medarbetaren vid avstämning: produktionsplanen kräver nu daglig närvaro och tillgängligheten " +
			"under hemarbetsdagarna har inte fungerat. Medarbetaren har fått framföra sina synpunkter. Hemarbetet " +
			"avslutas med omedelbar verkan; utrustningen är kvar på arbetsplatsen.",
		comments: map[string]string{
			"stockholm-main-share": "Chef och medarbetare är uttryckligen överens om tre dagar hemifrån under " +
				"planeringsperioden, då uppgifterna är skrivtunga och huvuddelen av mötena är digitala.",
		},
		moreDays: 60,
	},
	"vara": {
		places: []remotePlace{{"Bostaden i Kvänum", 15}, {"Bostaden i Vedum", 15}, {"Bostaden i Larv", 20},
			{"Bostaden i Tråvad", 25}, {"Bostaden i Stora Levene", 15}, {"Bostaden i Nossebro", 30},
			{"Bostaden i Skara", 30}, {"Bostaden i Grästorp", 35}, {"Bostaden i Jung", 25}},
		workingHours: "Ordinarie arbetstid 08.00–16.30 enligt flextidsavtalet; kontaktcentret bemannas 08.00–16.00. " +
			"Frånvaro meddelas och registreras som på ordinarie arbetsplats.",
		equipment: []string{"computer", "phone", "headset"},
		conditions: "Avskilt arbetsutrymme i bostaden där samtal inte kan höras av andra. Uppkopplad och nåbar via " +
			"mobil, e-post och Skype eller Teams som på ordinarie arbetsplats. Datorn låses när medarbetaren lämnar den.",
		evaluation: "Följs upp vid APT och medarbetarsamtalet; utvärderas inför en förlängning.",
		meetings:   "Arbetsplatsträffar och veckomöten sker i kommunhuset. Övriga möten kan vara digitala.",
		commonDays: "Tisdag är gemensam dag i kommunhuset för hela enheten.",
		declined: "Distansarbete beviljas inte nu. Kontaktcentret har vakanser under hösten och behöver full bemanning " +
			"i kommunhuset för besöksdisken. Beslutet kan inte överklagas; ny ansökan kan lämnas när bemanningen är löst.",
		endNote: "Dialog med medarbetaren där vi gick igenom tillgängligheten: samtal har inte besvarats under " +
			"hemarbetsdagarna. Medarbetaren fick lämna sina synpunkter. Överenskommelsen avslutas med omedelbar verkan.",
	},
	"bjurholm": {
		places: []remotePlace{{"Bostaden i Agnäs", 25}, {"Bostaden i Balsjö", 30}, {"Bostaden i Nyåker", 25},
			{"Bostaden i Umeå, Ålidhem", 55}, {"Bostaden i Mullsjö", 20}, {"Bostaden i Hällberg", 20},
			{"Bostaden i Umeå, Teg", 50}, {"Bostaden i Vännäs", 40}, {"Bostaden i Bjurholm, Öreforsvägen", 5}},
		workingHours: "Ordinarie arbetstid 07.30–16.00 med flextid enligt gällande rutiner. Övertid förekommer bara i " +
			"undantagsfall och godkänns av ansvarig chef innan den görs.",
		equipment: []string{"computer", "phone", "headset"},
		conditions: "Eget arbetsrum i bostaden med dörr som går att stänga, skrivbord och kontorsstol. Uppkoppling mot " +
			"kommunens nätverk sker via VPN; handlingar lagras bara i verksamhetssystemet och på kommunens servrar. " +
			"Fysiska möten med klienter och medborgare sker inte i bostaden.",
		evaluation: "Utvärderas vid det årliga resultat- och utvecklingssamtalet och följs upp löpande vid individuella " +
			"samtal och APT.",
		meetings:   "Klientbesök, ärendedragningar och APT sker i kommunhuset; handledning kan ske digitalt.",
		commonDays: "Tisdag och torsdag är gemensamma dagar i kommunhuset.",
		secrecy:    true,
		declined: "Distansarbete beviljas inte. Arbetsuppgifterna under perioden består till största delen av " +
			"klientmöten och jourtjänst som kräver närvaro i kommunhuset, och fysiska möten med klienter får inte ske " +
			"på distansarbetsplatsen. Beslutet kan inte överklagas.",
		endNote: "Dialog med medarbetaren vid individuellt samtal: uppföljningen visar att handläggningstiderna har " +
			"ökat och att kollegorna fått ta fler akuta ärenden. Medarbetaren har fått lämna sin syn. Överenskommelsen " +
			"avslutas med omedelbar verkan enligt riktlinjerna § 11.",
	},
	"kristianstad": {
		places: []remotePlace{{"Bostaden i Åhus", 20}, {"Bostaden i Tollarp", 25}, {"Bostaden i Degeberga", 30},
			{"Bostaden i Fjälkinge", 20}, {"Bostaden i Önnestad", 20}, {"Bostaden i Everöd", 25},
			{"Bostaden i Vä", 15}, {"Bostaden i Hammar", 15}, {"Bostaden i Arkelstorp", 35}},
		workingHours: "Ordinarie arbetstid 08.00–16.45 med flextid enligt kommunens avtal.",
		equipment:    []string{"computer", "phone", "headset"},
		conditions: "Avskild arbetsplats i bostaden; personalärenden hanteras så att ingen obehörig ser skärmen eller " +
			"hör samtal. Informationssäkerheten följer kommunens instruktion; incidenter anmäls genast till närmaste chef.",
		evaluation: "Följs upp vid medarbetarsamtalet och vid behov; utvärderas inför en förlängning.",
		meetings:   "Chefsstöd i svåra ärenden och arbetsplatsträffar sker på plats i kommunhuset.",
		commonDays: "Tisdag är gemensam dag på HR-avdelningen.",
		secrecy:    true,
		declined: "Distansarbete beviljas inte under perioden. Lönearten byts och enheten behöver alla på plats för " +
			"utbildning och avstämningar. Beslutet kan inte överklagas; ansök gärna igen efter införandet.",
		endNote: "Dialog med medarbetaren vid avstämning: chefernas behov av stöd på plats har ökat efter " +
			"omorganisationen. Medarbetaren har fått framföra sina synpunkter. Distansarbetet avslutas med omedelbar verkan.",
	},
	"sorsele": {
		places: []remotePlace{{"Bostaden i Ammarnäs", 75}, {"Bostaden i Blattnicksele", 35}, {"Bostaden i Gargnäs", 30},
			{"Bostaden i Vindelgransele", 60}, {"Bostaden i Sorsele, Vindelvägen", 5}, {"Bostaden i Ammarnäs", 75},
			{"Bostaden i Blattnicksele", 35}, {"Bostaden i Gargnäs", 30}, {"Bostaden i Sorsele, Stationsvägen", 5}},
		workingHours: "Ordinarie arbetstid 08.00–16.30; växeln bemannas 08.00–16.00 enligt telefonipolicyn.",
		equipment:    []string{"computer", "phone", "headset", "mobile_broadband"},
		conditions: "Arbetsplats i bostaden med skrivbord och god uppkoppling; mobilt bredband som reserv. Vid behov " +
			"arbetar medarbetaren från satellitkontoret i Ammarnäs. Mobilen vidarekopplas enligt telefonipolicyn.",
		evaluation: "Följs upp vid medarbetarsamtalet och utvärderas inför en förlängning.",
		meetings:   "Nämndsammanträden och arbetsplatsträffar sker i kommunhuset; övriga möten kan vara digitala.",
		commonDays: "Tisdag är gemensam dag i kommunhuset.",
		declined: "Distansarbete beviljas inte nu. Kanslienheten är tre personer och under valåret behövs alla i " +
			"kommunhuset för registratur och växel. Beslutet kan inte överklagas.",
		endNote: "Dialog med medarbetaren: växeln har inte kunnat bemannas under hemarbetsdagarna sedan en kollega " +
			"slutat. Medarbetaren har fått framföra sina synpunkter. Överenskommelsen avslutas med omedelbar verkan.",
	},
}

// agreementTasks are the tasks done remotely and the reasons of the
// request, by title; generalTasks for any other title.
var agreementTasks = map[string][2]string{
	"Producent": {"Budget, avtal och tidsplaner för produktionerna; ansökningar om bidrag och rapporter till finansiärer.",
		"Avtal och budgetar kräver ostörd tid som är svår att få i produktionskontoret."},
	"Projektledare": {"Projektplaner, uppföljning av projektbudget och digitala avstämningar med samarbetspartner.",
		"Planering och uppföljning går bättre utan avbrott, och resorna till Medborgarhuset tar lång tid."},
	"Evenemangssamordnare": {"Bokningar, kontakter med arrangörer via e-post och Teams, program- och schemaläggning.",
		"Bokningsarbetet är skärmbaserat och kan göras hemifrån de dagar inga evenemang pågår."},
	"Scentekniker": {"Ljus- och ljudplanering, ritningar och tekniska ryttare inför produktionerna.",
		"Ritningsarbetet kräver koncentration och kan göras hemifrån mellan produktionerna."},
	"Kundtjänstmedarbetare": {"Besvara invånarnas frågor via e-post, e-tjänster och telefon; uppdatera kunskapsbanken.",
		"Kortare restid och bättre arbetsro för skriftliga ärenden."},
	"Kommunikatör": {"Texter till webben och sociala medier, nyhetsbrev och planering av kampanjer.",
		"Skrivarbetet kräver koncentration som är svår att få i det öppna kontorslandskapet."},
	"Socialsekreterare": {"Utredningsskrivande och dokumentation i verksamhetssystemet; digitala samverkansmöten.",
		"Utredningar kräver ostörd tid, och resan från byn tar mycket tid vintertid."},
	"Biståndshandläggare": {"Skriva utredningar och beslut om bistånd, dokumentation och uppföljning per telefon.",
		"Dokumentationen kräver koncentration, och pendlingen är lång."},
	"HR-konsult": {"Rådgivning till chefer via telefon och Teams, underlag i rehabiliteringsärenden, rekrytering.",
		"Skrivarbete och digitala möten går bättre hemifrån, och pendlingen tar en timme om dagen."},
	"Lönespecialist": {"Löneadministration, kontroll av underlag och svar på lönefrågor via e-post och telefon.",
		"Lönekörningarna kräver noggrannhet och ostörd tid."},
	"Nämndsekreterare": {"Protokoll, kallelser och beredning av nämndärenden.",
		"Protokollskrivning kräver ostörd tid, och resan in till kommunhuset är lång."},
	"Registrator": {"Diarieföring och registrering av handlingar i ärendehanteringssystemet.",
		"Registreringen är skärmbaserad och kan göras hemifrån med VPN."},
	"Växeltelefonist": {"Besvara samtal i kommunens växel via mjukväxeln och koppla vidare.",
		"Mjukväxeln fungerar hemifrån, och resan in är lång vintertid."},
}

var generalTasks = [2]string{"Handläggning och skriftliga underlag som kräver koncentration; digitala möten.",
	"Bättre arbetsro för skrivarbete och kortare restid."}

// agreements imports the demo agreements into the chef's unit; it is left
// out when Stores.Agreements is nil and when the organisation already has
// an agreement.
func (w *orgLoad) agreements(ctx context.Context) error {
	if w.s.Agreements == nil {
		return nil
	}
	if list, total, err := w.s.Agreements.ListAgreements(ctx, distans.AgreementFilter{Limit: 1}); err != nil {
		return fmt.Errorf("list agreements: %w", err)
	} else if total > 0 || len(list) > 0 {
		return nil
	}
	fl, ok := agreementFlavours[w.org.Slug]
	if !ok {
		return nil
	}
	pack, version, err := w.activePack(ctx)
	if err != nil {
		return err
	}
	unit := w.plan.unitIndex(w.plan.spec.ChefUnit)
	manager := w.people[w.plan.units[unit].Manager]
	staff, created, err := w.agreementStaff(ctx, unit)
	if err != nil {
		return err
	}
	loc := w.org.Location()
	now := distans.NowFrom(ctx)
	today := w.org.Today(now)
	n := 0
	for c := range numAgreementCases {
		b := &caseBuilder{w: w, fl: fl, pack: pack, version: version, loc: loc, today: today, now: now,
			person: staff[c], manager: manager, unit: w.units[unit], site: w.plan.units[unit].Site, c: c}
		a, requestPlace, termsPlace, followUps, err := b.build()
		if err != nil {
			return fmt.Errorf("agreement of %s: %w", staff[c].Email, err)
		}
		if err := w.s.Agreements.ImportAgreement(ctx, a, requestPlace, termsPlace, followUps); err != nil {
			return fmt.Errorf("import agreement of %s: %w", staff[c].Email, err)
		}
		n++
	}
	w.log.InfoContext(ctx, "demo agreements loaded", "slug", w.org.Slug, "agreements_imported", n,
		"colleagues_created", created)
	return nil
}

// activePack returns the organisation's active pack and its version, or the
// seed pack as version 1 when Load does not set up policies.
func (w *orgLoad) activePack(ctx context.Context) (*policy.Pack, int, error) {
	if w.s.Policies != nil {
		v, err := w.s.Policies.ActivePolicyVersion(ctx)
		switch {
		case err == nil:
			p, err := policy.Parse([]byte(v.Source))
			if err != nil {
				return nil, 0, fmt.Errorf("parse policy pack: %w", err)
			}
			return p, v.Version, nil
		case distans.ErrorCode(err) != distans.ENOTFOUND:
			return nil, 0, fmt.Errorf("find policy pack: %w", err)
		}
	}
	p, err := policy.Seed(w.org.Slug)
	if err != nil {
		return nil, 0, fmt.Errorf("seed pack: %w", err)
	}
	return p, 1, nil
}

// agreementStaff returns one ordinary employee of the unit per case: the
// planned people who are neither demo accounts nor the manager and are not
// on leave, then made-up colleagues, created in the unit when missing.
func (w *orgLoad) agreementStaff(ctx context.Context, unit int) ([]*distans.Person, int, error) {
	var staff []*distans.Person
	manager := w.plan.units[unit].Manager
	emails := map[string]bool{}
	for i, pp := range w.plan.people {
		emails[pp.Email] = true
		if pp.Unit == unit && !pp.Account && i != manager && pp.Leave == nil && pp.Email != shared.Email &&
			len(staff) < int(numAgreementCases) {
			staff = append(staff, w.people[i])
		}
	}
	if len(staff) == int(numAgreementCases) {
		return staff, 0, nil
	}
	existing := map[string]*distans.Person{}
	page, _, err := w.s.People.ListPeople(ctx, distans.PersonFilter{UnitID: w.units[unit].ID, Limit: 500})
	if err != nil {
		return nil, 0, fmt.Errorf("list people of %s: %w", w.units[unit].Name, err)
	}
	for _, q := range page {
		existing[distans.NormalizeEmail(q.Email)] = q
	}
	pu := w.plan.units[unit]
	h := fnv.New64a()
	h.Write([]byte(w.org.Slug + "/agreements"))
	r := rand.New(rand.NewPCG(seed, h.Sum64()))
	created := 0
	for k := 0; len(staff) < int(numAgreementCases); k++ {
		name := PersonName(r)
		local := emailLocal(name)
		email := local + "@" + w.org.Slug + ".example"
		for i := 2; emails[email]; i++ {
			email = fmt.Sprintf("%s%d@%s.example", local, i, w.org.Slug)
		}
		emails[email] = true
		title := pu.Titles[k%len(pu.Titles)]
		q := existing[distans.NormalizeEmail(email)]
		if q == nil {
			q = &distans.Person{OrganisationID: w.org.ID, Name: name, Email: email, Phone: fictionalPhone(r), Language: "sv"}
			if err := w.s.People.CreatePerson(ctx, q); err != nil {
				return nil, 0, fmt.Errorf("create person %s: %w", email, err)
			}
			e := &distans.Employment{OrganisationID: w.org.ID, PersonID: q.ID, UnitID: w.units[unit].ID, Title: title,
				SiteID: w.siteIDs[pu.Site], StartsOn: time.Date(2012+k, time.Month(1+k), 1, 0, 0, 0, 0, time.UTC)}
			if err := w.s.People.CreateEmployment(ctx, e); err != nil {
				return nil, 0, fmt.Errorf("create employment of %s: %w", email, err)
			}
			q.UnitID, q.Title, q.SiteID = e.UnitID, e.Title, e.SiteID
			created++
		}
		staff = append(staff, q)
	}
	return staff, created, nil
}

// caseBuilder works out one agreement.
type caseBuilder struct {
	w       *orgLoad
	fl      agreementFlavour
	pack    *policy.Pack
	version int
	loc     *time.Location
	today   time.Time // midnight UTC of the organisation's calendar day
	now     time.Time
	person  *distans.Person
	manager *distans.Person
	unit    *distans.Unit
	site    string // the unit's site, by name
	c       agreementCase
}

// at is a moment on the day, days from today, at the local time hh:mm,
// never later than now.
func (b *caseBuilder) at(days, hh, mm int) time.Time {
	d := b.today.AddDate(0, 0, days)
	t := time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, b.loc).UTC()
	if t.After(b.now) {
		t = b.now.Add(-time.Minute)
	}
	return t
}

func (b *caseBuilder) day(days int) time.Time { return b.today.AddDate(0, 0, days) }

// daysFrom is how many days from today t is.
func (b *caseBuilder) daysFrom(t time.Time) int { return int(t.Sub(b.today) / (24 * time.Hour)) }

func (b *caseBuilder) build() (*distans.Agreement, string, string, []*distans.FollowUp, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return nil, "", "", nil, err
	}
	place := b.fl.places[int(b.c)%len(b.fl.places)]
	tasks, ok := agreementTasks[b.person.Title]
	if !ok {
		tasks = generalTasks
	}
	// Tuesday is every unit's common day on site; one case gives days a
	// week instead of weekdays.
	weekdays := [][]string{{"wed"}, {"mon", "fri"}, {"fri"}, {"mon"}, {"wed", "fri"}, nil, {"mon", "wed"},
		{"fri"}, {"mon"}}[b.c]
	share, perWeek := 20*len(weekdays), 0
	if weekdays == nil {
		perWeek, share = 2, 40
	}
	if b.c == caseActive && b.fl.moreDays > 0 {
		weekdays, share = []string{"mon", "wed", "fri"}, b.fl.moreDays
	}

	// The period, and the days of the journey, relative to today.
	var start, end time.Time
	var created int // days from today the request was made
	switch b.c {
	case caseRequested:
		start, created = b.day(21), -3
		end = start.AddDate(0, 6, -1)
	case caseAssessed:
		start, created = b.day(14), -12
		end = start.AddDate(1, 0, -1)
	case caseDeclined:
		start, created = b.day(-10), -40
		end = start.AddDate(0, 6, -1)
	case caseAwaitingSignature:
		start, created = b.day(10), -30
		end = start.AddDate(1, 0, -1)
	case caseActive:
		start = b.day(0).AddDate(0, -4, 0)
		end = start.AddDate(1, 0, -1)
	case caseFollowUpOverdue:
		start = b.day(0).AddDate(0, -8, 0)
		end = start.AddDate(1, 0, -1)
	case caseExpiring:
		end = b.day(19)
		start = end.AddDate(-1, 0, 1)
	case caseEndedByEmployee:
		start = b.day(0).AddDate(0, -5, 0)
		end = start.AddDate(1, 0, -1)
	case caseEndedByManager:
		start = b.day(0).AddDate(0, -9, 0)
		end = start.AddDate(1, 0, -1)
	}
	if created == 0 {
		created = b.daysFrom(start) - 40
	}

	a := &distans.Agreement{
		ID: id.String(), OrganisationID: b.w.org.ID, PersonID: b.person.ID, PersonName: b.person.Name,
		UnitID: b.unit.ID, UnitName: b.unit.Name, CreatedAt: b.at(created, 9, 12),
		Request: distans.AgreementRequest{Weekdays: weekdays, DaysPerWeek: perWeek, Place: place.place,
			Start: start, End: end, Tasks: tasks[0], Reasons: tasks[1]},
	}
	a.Version, a.UpdatedAt, a.State = 1, a.CreatedAt, distans.AgreementRequested
	if b.c == caseRequested {
		return a, place.place, "", nil, nil
	}

	// The assessment, a week or so after the request (two days ago for the
	// case that waits for the decision).
	assessed := created + 8
	if b.c == caseAssessed {
		assessed = -2
	}
	a.Assessment = b.assessment(place, b.at(assessed, 10, 30))
	a.State, a.Version, a.UpdatedAt = distans.AgreementAssessed, 2, a.Assessment.AssessedAt
	if b.c != caseDeclined {
		answers := map[string]distans.RiskAnswer{}
		for _, k := range distans.RiskItems {
			answers[k] = distans.RiskAnswer{OK: true}
		}
		a.Risk = &distans.RiskAssessment{Answers: answers, AnsweredAt: b.at(assessed-1, 19, 5)}
		a.Version++
	}
	if b.c == caseAssessed {
		return a, place.place, "", nil, nil
	}
	if b.c == caseDeclined {
		a.Decision = &distans.Decision{Approved: false, Reasons: b.fl.declined, DecidedBy: b.manager.ID,
			DecidedName: b.manager.Name, DecidedAt: b.at(assessed+3, 14, 20)}
		a.State, a.Version, a.UpdatedAt = distans.AgreementDeclined, a.Version+1, a.Decision.DecidedAt
		return a, place.place, "", nil, nil
	}

	reviewed := b.at(assessed+2, 11, 0)
	a.Risk.Outcome, a.Risk.ReviewedBy, a.Risk.ReviewedName, a.Risk.ReviewedAt = distans.RiskAcceptable,
		b.manager.ID, b.manager.Name, &reviewed
	decided := assessed + 4
	if b.c == caseAwaitingSignature {
		decided = -6
	}
	a.Decision = &distans.Decision{Approved: true, DecidedBy: b.manager.ID, DecidedName: b.manager.Name,
		DecidedAt: b.at(decided, 15, 10),
		Reasons: fmt.Sprintf("Uppgifterna lämpar sig för distansarbete och verksamheten påverkas inte negativt. "+
			"Riskbedömningen av arbetsplatsen i bostaden är acceptabel. Huvudarbetsplatsen är %s.", b.site)}
	terms := &distans.Terms{
		Start: start, End: end, Weekdays: weekdays, DaysPerWeek: perWeek, ShareRemote: share,
		RemotePlace: place.place, MainWorkplace: b.mainWorkplace(), TaxWorkplace: "main",
		Tasks: tasks[0], SecrecyTasks: b.fl.secrecy, WorkingHours: b.fl.workingHours,
		Availability: []string{"phone", "email", "teams"}, ReturnMinutes: place.minutes,
		PhysicalMeetings: "Inga fysiska möten med kunder eller medborgare hålls på distansarbetsplatsen; " +
			"sådana möten hålls på huvudarbetsplatsen.",
		Equipment: b.fl.equipment, Conditions: b.fl.conditions, Evaluation: b.fl.evaluation,
	}
	findings, err := b.pack.Check(policy.KindAgreement, policy.AgreementOf(terms, a.Risk.Outcome), b.now)
	if err != nil {
		return nil, "", "", nil, fmt.Errorf("check terms: %w", err)
	}
	for _, f := range findings {
		switch {
		case f.Severity == policy.SeverityBlock:
			return nil, "", "", nil, fmt.Errorf("the terms trip %s: %s", f.RuleID, f.MessageEn)
		case f.Severity == policy.SeverityWarn:
			comment, ok := b.fl.comments[f.RuleID]
			if !ok {
				return nil, "", "", nil, fmt.Errorf("the terms trip warning %s, which has no comment", f.RuleID)
			}
			if terms.Comments == nil {
				terms.Comments = map[string]string{}
			}
			terms.Comments[f.RuleID] = comment
		}
		a.Findings = append(a.Findings, distans.AgreementFinding{RuleID: f.RuleID, Severity: string(f.Severity),
			MessageSv: f.MessageSv, MessageEn: f.MessageEn, Document: f.Source.Document, Section: f.Source.Section,
			Quote: f.Source.Quote})
	}
	a.Terms, a.PackVersion = terms, b.version
	a.State, a.Version, a.UpdatedAt = distans.AgreementAwaitingSignature, a.Version+2, a.Decision.DecidedAt

	hash := terms.Hash(a.ID, a.PersonID)
	a.Signatures = []distans.Signature{{Role: distans.SignerEmployee, PersonID: b.person.ID, Name: b.person.Name,
		At: b.at(decided+2, 8, 40), Hash: hash, Method: "password"}}
	a.Version, a.UpdatedAt = a.Version+1, a.Signatures[0].At
	if b.c == caseAwaitingSignature {
		return a, place.place, place.place, nil, nil
	}
	a.Signatures = append(a.Signatures, distans.Signature{Role: distans.SignerManager, PersonID: b.manager.ID,
		Name: b.manager.Name, At: b.at(decided+3, 13, 15), Hash: hash, Method: "password"})
	a.State, a.Version, a.UpdatedAt = distans.AgreementActive, a.Version+1, a.Signatures[1].At

	// Follow-ups: two months in, then every few months.
	var followUps []*distans.FollowUp
	followUp := func(on time.Time, problems bool) {
		days := b.daysFrom(on)
		f := b.followUp(on, problems)
		f.AgreementID, f.RecordedAt = a.ID, b.at(days, 16, 0)
		followUps = append(followUps, f)
		a.Version, a.UpdatedAt = a.Version+1, f.RecordedAt
	}
	var next time.Time
	switch b.c {
	case caseActive:
		followUp(start.AddDate(0, 2, 0), false)
		next = b.day(0).AddDate(0, 1, 0)
	case caseFollowUpOverdue:
		followUp(start.AddDate(0, 2, 0), false)
		next = b.day(-12)
	case caseExpiring:
		followUp(start.AddDate(0, 3, 0), false)
		followUp(start.AddDate(0, 7, 0), false)
		next = b.day(12)
		eval := b.day(-6)
		a.Evaluation = &distans.Evaluation{Date: eval, Continue: true, RecordedBy: b.manager.ID,
			RecordedByName: b.manager.Name, RecordedAt: b.at(-6, 15, 30),
			Summary: "Utvärdering vid det årliga samtalet. Målen för året är nådda och kvaliteten i arbetet har hållits. " +
				"Medarbetaren har varit tillgänglig som på arbetsplatsen och kollegorna har inte fått ta över uppgifter. " +
				"Båda parter rekommenderar att överenskommelsen förlängs med samma omfattning."}
		a.Version, a.UpdatedAt = a.Version+1, a.Evaluation.RecordedAt
	case caseEndedByEmployee:
		followUp(start.AddDate(0, 2, 0), false)
		ended := b.day(-20)
		a.State, a.EndedOn, a.EndReason, a.EndedBy = distans.AgreementEnded, &ended, distans.EndByEmployee, b.person.ID
		a.EndNote = "Medarbetaren vill arbeta på arbetsplatsen alla dagar igen efter flytten närmare kontoret."
		a.Version, a.UpdatedAt = a.Version+1, b.at(-20, 9, 45)
	case caseEndedByManager:
		followUp(start.AddDate(0, 3, 0), true)
		ended := b.day(-45)
		a.State, a.EndedOn, a.EndReason, a.EndedBy = distans.AgreementEnded, &ended, distans.EndByManager, b.manager.ID
		a.EndNote = b.fl.endNote
		a.Version, a.UpdatedAt = a.Version+1, b.at(-45, 14, 0)
	}
	if a.State == distans.AgreementActive {
		a.NextFollowUpOn = &next
	}
	return a, place.place, place.place, followUps, nil
}

func (b *caseBuilder) mainWorkplace() string {
	for _, s := range b.w.plan.spec.Sites {
		if s.Name == b.site {
			return s.Name + ", " + s.Street + ", " + s.City
		}
	}
	return b.site
}

func (b *caseBuilder) assessment(place remotePlace, at time.Time) *distans.Assessment {
	first := b.person.Name
	for i, r := range first {
		if r == ' ' {
			first = first[:i]
			break
		}
	}
	as := &distans.Assessment{
		Operation: fmt.Sprintf("Verksamheten påverkas inte negativt. Bemanningen i %s planeras så att enheten alltid "+
			"har kollegor på plats, och ingen annan får ta över uppgifter.", b.unit.Name),
		Individual: fmt.Sprintf("%s arbetar självständigt, har lång erfarenhet av uppgifterna och god digital vana.", first),
		Extent: "Uppgifter som kräver koncentration görs hemifrån de överenskomna dagarna; resten av veckan på " +
			"arbetsplatsen. Huvuddelen av arbetstiden är på arbetsplatsen.",
		Availability: fmt.Sprintf("Nås via telefon, e-post och Teams under hela arbetstiden och kan vara på %s "+
			"inom %d minuter.", b.site, place.minutes),
		Meetings: b.fl.meetings, CommonDays: b.fl.commonDays,
		AssessedBy: b.manager.ID, AssessedName: b.manager.Name, AssessedAt: at,
	}
	if b.c == caseDeclined {
		as.Operation = "Enheten har under perioden inte bemanning nog för att fler ska arbeta hemifrån utan att " +
			"kollegorna får ta över uppgifter."
		as.Extent = "Uppgifterna under perioden kräver till största delen närvaro på arbetsplatsen."
	}
	return as
}

func (b *caseBuilder) followUp(on time.Time, problems bool) *distans.FollowUp {
	f := &distans.FollowUp{Date: on, RecordedBy: b.manager.ID, RecordedByName: b.manager.Name,
		Goals:         "Målen i verksamhetsplanen nås; skrivarbetet blir klart i tid.",
		Quality:       "Kvaliteten motsvarar förväntad prestation.",
		Availability:  "Medarbetaren har varit nåbar via telefon, e-post och Teams som på arbetsplatsen.",
		WorkSituation: "Arbetsbelastningen är rimlig och medarbetaren upplever bättre arbetsro.",
		DigitalEnv:    "Uppkopplingen fungerar; datorn och headsetet fungerar väl.",
		SpillOver:     "Kollegorna har inte fått ta över uppgifter eller samtal.",
	}
	if problems {
		f.Availability = "Flera samtal har inte besvarats under hemarbetsdagarna och kollegorna har fått svara i stället."
		f.SpillOver = "Kollegorna har fått ta över akuta ärenden under hemarbetsdagarna."
		f.Quality = "Kvaliteten i det skriftliga arbetet är god, men svarstiderna har blivit längre."
		f.Measures = "Medarbetaren ser till att telefonen är vidarekopplad och svarar inom en timme. Ny avstämning om en månad."
	}
	return f
}
