package demo

import (
	"context"
	"fmt"

	"github.com/distans/distans"
)

// The demo's equipment. Every organisation gets:
//
//   - its equipment terms, a published policy document built from Sorsele
//     kommun's Policy för telefoni, mobilteknisk utrustning samt
//     e-postanvändning (8.1 care and storage, the four steps at a loss,
//     8.4–8.5 travel abroad and private use, 8.6 return) and Kristanstads
//     kommun's Instruktion för digital kommunikation (private use; När
//     anställningen upphör), set as the terms every acceptance signs;
//   - the models the head of operations has decided on (004 §8);
//   - computers, phones with their SIM cards and headsets owned by the
//     chef account's unit, most in stock, so that a browser journey can
//     issue them;
//   - two issues: a computer and a phone to the chef account, accepted
//     with the demo password, and a headset to one of the unit's staff,
//     waiting for acceptance.
//
// Everything goes through the equipment service as IT and the people would
// do it. The step is skipped once the organisation has any item.
func (w *orgLoad) equipment(ctx context.Context) error {
	svc := w.s.Equipment
	if svc == nil || w.s.Documents == nil {
		return nil
	}
	var it, chef *distans.Person
	var staff *distans.Person
	unit := w.plan.unitIndex(w.plan.spec.ChefUnit)
	managers := map[int]bool{}
	for _, u := range w.plan.units {
		managers[u.Manager] = true
	}
	for i, pp := range w.plan.people {
		switch {
		case pp.Account && pp.Role == distans.RoleIT && it == nil:
			it = w.people[i]
		case pp.Account && pp.Role == distans.RoleManager && chef == nil:
			chef = w.people[i]
		case !pp.Account && !managers[i] && pp.Leave == nil && pp.Email != shared.Email && pp.Unit == unit && staff == nil:
			staff = w.people[i]
		}
	}
	if it == nil || chef == nil || unit < 0 || unit >= len(w.units) {
		return nil // a plan without them: nothing to show
	}
	as := func(p *distans.Person) (context.Context, error) {
		grants, err := w.s.Roles.Grants(ctx, w.org.ID, p.ID)
		if err != nil {
			return nil, err
		}
		return distans.NewContext(ctx, &distans.Actor{OrganisationID: w.org.ID, PersonID: p.ID, Name: p.Name, Grants: grants}), nil
	}
	ictx, err := as(it)
	if err != nil {
		return err
	}
	if items, err := svc.ListItems(ictx, distans.EquipmentFilter{Limit: 1}); err != nil {
		return fmt.Errorf("list items: %w", err)
	} else if len(items) > 0 {
		return nil
	}

	// The terms, unless a document with their title is published.
	docs, err := w.s.Documents.ListDocuments(ctx)
	if err != nil {
		return fmt.Errorf("list documents: %w", err)
	}
	var terms *distans.PolicyDocument
	for _, d := range docs {
		if d.Title == equipmentTermsTitle {
			terms = d
		}
	}
	if terms == nil {
		terms = &distans.PolicyDocument{OrganisationID: w.org.ID, Title: equipmentTermsTitle, Body: equipmentTerms(w.org.Name)}
		if err := w.s.Documents.PublishDocument(ctx, terms); err != nil {
			return fmt.Errorf("publish the equipment terms: %w", err)
		}
		w.n.documents++
	}
	if err := svc.SetTermsDocument(ictx, terms.ID); err != nil {
		return fmt.Errorf("set the equipment terms: %w", err)
	}

	models := map[distans.EquipmentCategory]*distans.EquipmentModel{
		distans.EquipmentComputer: {Category: distans.EquipmentComputer, Name: "ThinkPad T14 Gen 5", Manufacturer: "Lenovo"},
		distans.EquipmentPhone:    {Category: distans.EquipmentPhone, Name: "Galaxy A55", Manufacturer: "Samsung"},
		distans.EquipmentSIM:      {Category: distans.EquipmentSIM, Name: "Företagsabonnemang", Manufacturer: "Telia"},
		distans.EquipmentHeadset:  {Category: distans.EquipmentHeadset, Name: "Evolve2 55", Manufacturer: "Jabra"},
	}
	for _, c := range []distans.EquipmentCategory{distans.EquipmentComputer, distans.EquipmentPhone, distans.EquipmentSIM, distans.EquipmentHeadset} {
		if err := svc.SaveModel(ictx, models[c]); err != nil {
			return fmt.Errorf("model %s: %w", models[c].Name, err)
		}
	}

	now := distans.NowFrom(ctx)
	bought := w.org.Today(now).AddDate(0, -8, 0)
	unitID := w.units[unit].ID
	register := func(c distans.EquipmentCategory, tag, serial, number, inPhone string) (*distans.EquipmentItem, error) {
		item := &distans.EquipmentItem{Category: c, ModelID: models[c].ID, AssetTag: tag, Serial: serial, PhoneNumber: number,
			InPhoneID: inPhone, UnitID: unitID, PurchasedOn: &bought}
		if err := svc.RegisterItem(ictx, item); err != nil {
			return nil, fmt.Errorf("register %s: %w", tag, err)
		}
		return item, nil
	}
	prefix := w.org.Slug[:3]
	var issued []*distans.EquipmentItem
	for i := 1; i <= 3; i++ {
		pc, err := register(distans.EquipmentComputer, fmt.Sprintf("%s-D%03d", prefix, i), fmt.Sprintf("PF4%s%05d", prefix, i), "", "")
		if err != nil {
			return err
		}
		phone, err := register(distans.EquipmentPhone, fmt.Sprintf("%s-M%03d", prefix, i), fmt.Sprintf("35%013d", 4217000000+i), "", "")
		if err != nil {
			return err
		}
		if _, err := register(distans.EquipmentSIM, fmt.Sprintf("%s-S%03d", prefix, i), fmt.Sprintf("8946%015d", 1000+i),
			fmt.Sprintf("+4670%03d%04d", 555, 100*len(w.org.Slug)+i), phone.ID); err != nil {
			return err
		}
		if i == 1 {
			issued = append(issued, pc, phone)
		}
	}
	headset, err := register(distans.EquipmentHeadset, prefix+"-H001", "JB2-"+prefix+"-0001", "", "")
	if err != nil {
		return err
	}

	// The chef's computer and phone, issued and accepted.
	h, err := svc.Issue(ictx, &distans.EquipmentIssueRequest{PersonID: chef.ID, ItemIDs: []string{issued[0].ID, issued[1].ID},
		Note: "Ny dator och telefon vid byte av modell."})
	if err != nil {
		return fmt.Errorf("issue to %s: %w", chef.Email, err)
	}
	cctx, err := as(chef)
	if err != nil {
		return err
	}
	if h, err = svc.Handover(cctx, h.ID); err != nil {
		return err
	}
	if _, err := svc.Accept(cctx, h.ID, distans.EquipmentAcceptance{TermsVersion: h.TermsVersion, Hash: h.AcceptanceHash(),
		Password: Password}); err != nil {
		return fmt.Errorf("acceptance by %s: %w", chef.Email, err)
	}
	// A headset waiting for a staff member's acceptance.
	if staff != nil {
		if _, err := svc.Issue(ictx, &distans.EquipmentIssueRequest{PersonID: staff.ID, ItemIDs: []string{headset.ID}}); err != nil {
			return fmt.Errorf("issue to %s: %w", staff.Name, err)
		}
	}
	w.log.InfoContext(ctx, "demo equipment loaded", "slug", w.org.Slug, "items", 10, "handovers", 2)
	return nil
}

// equipmentTermsTitle is the title of the demo's equipment terms.
const equipmentTermsTitle = "Villkor för utlämnad IT- och mobil utrustning"

// equipmentTerms is the text of the demo's equipment terms for the
// organisation named org: Sorsele 004 §8.1, §8.4–8.6 and Kristianstad
// 003's private use and end of employment, in the employee's words.
func equipmentTerms(org string) string {
	return `Villkor för utlämnad IT- och mobil utrustning, ` + org + `

Dessa villkor gäller för dator, mobiltelefon, SIM-kort, surfplatta och annan teknisk utrustning som arbetsgivaren lämnar ut. Genom att kvittera utrustningen intygar du att du har tagit emot den och att du har läst och följer villkoren. Villkoren bygger på Sorsele kommuns Policy för telefoni, mobilteknisk utrustning samt e-postanvändning (avsnitt 8) och Kristianstads kommuns Instruktion för digital kommunikation.

1. Vård och förvaring
Utrustningen tillhör arbetsgivaren. Du ansvarar för att den alltid transporteras och förvaras med aktsamhet. Den får aldrig lämnas synlig utan uppsikt på allmänna platser eller där stöldrisken är påtaglig, till exempel synligt i en bil. I arbetsgivarens lokaler får mobiltelefoner inte lämnas synliga utan uppsikt. Utrustningen får inte lånas ut eller användas av andra än anställda. Lås skärmen vid kortare frånvaro, logga ut vid längre frånvaro och stäng av utrustningen vid arbetsdagens slut. Känslig information, till exempel personuppgifter och lösenord, får inte lagras i tjänstetelefonen.

2. Förlust, stöld eller skada
Förlust, stöld eller skada ska anmälas skriftligt direkt. Vid förlust ska du:
1. vid förlust av mobiltelefon snarast kontakta IT för att spärra SIM-kortet och beställa ett nytt;
2. göra en anmälan till Polisen, utom när risken att en obehörig person förfogar över utrustningen kan uteslutas;
3. upprätta en incidentrapport till risk- och säkerhetsgruppen med kopia av polisanmälan;
4. informera din chef, som vid behov beställer ersättningsutrustning.
Du kan bli ersättningsskyldig för förlust eller skada som du orsakat genom grov vårdslöshet. Din chef bedömer det och skriver ned skälen.

3. Resor utomlands
Utrustningen får tas med på tjänsteresa utomlands. Mobil datatrafik ska som regel vara avstängd utomlands och får bara slås på för nödvändiga tjänsteåtgärder som inte kan hanteras via wifi. Att ta med datorn på en privat resa utomlands kräver din chefs godkännande och tydliga skäl i tjänsten. Tjänstetelefonen bör inte tas med på privata resor utomlands; gör du det ska datatrafiken vara avstängd.

4. Privat bruk
Utrustningen får användas privat i begränsad omfattning, så att arbetet och utrustningens funktion inte blir lidande och arbetsgivarens anseende inte skadas. Samtal, sms och internet privat får bara ske inom Sverige; betaltjänster som belastar abonnemanget är inte tillåtna. Material med pornografiskt, rasistiskt eller annat kränkande innehåll får aldrig visas eller lagras. Appar får bara hämtas från App Store eller Google Play.

5. Återlämning
Utrustningen ska lämnas tillbaka när anställningen eller uppdraget upphör, och vid tjänstledighet längre än ett år, då även telefonabonnemanget sägs upp. Din chef avgör hur utrustningen återlämnas och kan besluta om undantag. När anställningen upphör avslutas datorkontot. Vid återlämning antecknar IT utrustningens skick och du skriver under återlämningen.`
}
