package demo

import (
	"math/rand/v2"
	"strings"
)

// Given and family names common in Sweden. The demo people are made up from
// these; a combination that names a real person in the seed documents is
// skipped (see excludedNames).
var givenNames = []string{
	"Agnes", "Alexander", "Alice", "Amanda", "Amir", "Anders", "Andreas", "Anna", "Anneli", "Arvid",
	"Astrid", "Axel", "Berit", "Birgitta", "Björn", "Camilla", "Carina", "Caroline", "Cecilia", "Christer",
	"Dan", "David", "Ebba", "Elias", "Elin", "Elisabeth", "Ella", "Emil", "Emma", "Erik",
	"Eva", "Filip", "Fredrik", "Gunilla", "Gustav", "Hanna", "Helena", "Henrik", "Hugo", "Ida",
	"Ingrid", "Isak", "Jakob", "Jenny", "Joakim", "Johan", "Johanna", "Jonas", "Josefin", "Karl",
	"Kerstin", "Kristina", "Lars", "Leila", "Linnea", "Linda", "Lisa", "Louise", "Lovisa", "Magnus",
	"Malin", "Marcus", "Margareta", "Maria", "Martin", "Matilda", "Mikael", "Moa", "Nils", "Nora",
	"Olle", "Olof", "Oscar", "Patrik", "Per", "Petra", "Rasmus", "Robert", "Sara", "Sebastian",
	"Simon", "Sofia", "Stefan", "Susanne", "Svante", "Tove", "Ulf", "Ulrika", "Viktor", "Wilma",
	"Yasmin", "Zeynep", "Åke", "Ingela", "Tomas", "Mohammed", "Nadia", "Omar", "Pernilla", "Sanna",
}

var familyNames = []string{
	"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson",
	"Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Olofsson",
	"Lindström", "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren", "Lundqvist",
	"Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund",
	"Danielsson", "Lundin", "Håkansson", "Björk", "Bergman", "Gunnarsson", "Holm", "Wikström", "Samuelsson", "Isaksson",
	"Fransson", "Bergqvist", "Nyström", "Holmberg", "Arvidsson", "Löfgren", "Söderberg", "Nyberg", "Blomqvist", "Claesson",
	"Nordström", "Mårtensson", "Lundström", "Viklund", "Björklund", "Eliasson", "Pålsson", "Berggren", "Sandström", "Lund",
	"Nordin", "Ström", "Åberg", "Falk", "Ekström", "Hermansson", "Holmgren", "Hellström", "Dahlberg", "Sundberg",
	"Öberg", "Hedlund", "Sjögren", "Abrahamsson", "Ali", "Hassan", "Mohamed", "Nguyen", "Kaya", "Hedström",
	"Strand", "Forslund", "Ek", "Norberg", "Granström", "Rönnqvist", "Marklund", "Nyman", "Sundqvist", "Åström",
}

// excludedNames are the real people named in the seed documents. The demo
// never gives a made-up person one of these names.
var excludedNames = map[string]bool{
	"Maria Jansén": true, "Lena Nilsson": true, "Frida Strömberg": true, "Åsa Reiding": true,
	"Mats Gustafsson": true, "Maria Sundström": true, "Patrick Linderöth": true, "Karin Wrannvik": true,
	"Ernesto Garzón": true, "Daniel Knudsen": true, "Magnus Sundin": true, "Jonas Dahlin": true,
	"Bittan Börjesson": true, "Hannes Berggren": true, "Mathias Hultberg": true,
	"Maria Carlsson": true, "Maria Jansson": true,
}

// PersonName returns a made-up Swedish name, "Given Family", drawn from r;
// it never returns a name of a real person in the seed documents.
// cmd/distans-bench names its synthetic people with it too.
func PersonName(r *rand.Rand) string {
	for {
		n := givenNames[r.IntN(len(givenNames))] + " " + familyNames[r.IntN(len(familyNames))]
		if !excludedNames[n] {
			return n
		}
	}
}

// emailLocal turns a name into the part of an e-mail address before the @:
// lower case, å ä ö and accents folded, spaces to dots.
func emailLocal(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch r {
		case 'å', 'ä', 'á', 'à':
			b.WriteRune('a')
		case 'ö', 'ø', 'ó':
			b.WriteRune('o')
		case 'é', 'è', 'ë':
			b.WriteRune('e')
		case 'ü':
			b.WriteRune('u')
		case ' ':
			b.WriteRune('.')
		default:
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
