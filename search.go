package distans

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxSearchLength bounds a search text, in characters. Nobody searches for
// more, and a longer text only makes the database work: SQLite refuses a
// LIKE pattern past 50,000 bytes, which answered 500.
const MaxSearchLength = 200

// CheckSearch is the one rule for every search box and q parameter, pages
// and API alike: EINVALID on field "q" when q is too long.
func CheckSearch(q string) error {
	if utf8.RuneCountInString(q) <= MaxSearchLength {
		return nil
	}
	n := strconv.Itoa(MaxSearchLength)
	e := Errorf(EINVALID, "Sökningen är för lång: högst "+n+" tecken.", "The search is too long: at most "+n+" characters.")
	e.Fields = []FieldError{{Field: "q", Sv: "Högst " + n + " tecken.", En: "At most " + n + " characters."}}
	return e
}

// CountCap is how far a list counts its matches: a search answers "more
// than 200 hits" instead of counting 50,000 rows to say how many. A count
// above CountCap means "more than CountCap".
const CountCap = 200

// MaxSearchWords bounds the words of a search that are matched; more only
// make the database work, and no name or unit needs them.
const MaxSearchWords = 8

// Fold lowers s and strips diacritics for searching: "Åsa Öberg" → "asa
// oberg". The same folding is applied to what is found and to what is
// searched, so "ostersund" finds "Östersund" and "Östersund" finds
// "Ostersund".
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		foldRune(&b, r)
	}
	return b.String()
}

// foldRune writes the lower-case rune r folded.
func foldRune(b *strings.Builder, r rune) {
	if f, ok := foldRunes[r]; ok {
		b.WriteString(f)
	} else {
		b.WriteRune(r)
	}
}

var foldRunes = map[rune]string{
	'å': "a", 'ä': "a", 'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'æ': "ae",
	'ö': "o", 'ø': "o", 'ó': "o", 'ò': "o", 'ô': "o", 'õ': "o", 'œ': "oe",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i",
	'ú': "u", 'ù': "u", 'û': "u", 'ü': "u",
	'ý': "y", 'ÿ': "y", 'ç': "c", 'ñ': "n", 'ß': "ss", 'š': "s", 'ž': "z", 'č': "c", 'ł': "l",
}

// SearchWords are the words of s as search knows them: folded, and split
// at every character that is neither a letter nor a digit, so that
// "Berg-Öhman" is berg and ohman. An e-mail address (a word with an @) is
// also kept whole, so that "anna.berg@x.se" is anna.berg@x.se, anna, berg,
// x and se, and a search for the whole address finds that person alone.
// Duplicates are dropped. What a person is found by and what a search asks
// for are split by this one rule: each word of a search must begin one
// word of the person (a prefix match on every word).
func SearchWords(s string) []string {
	var out []string
	add := func(w string) {
		if w != "" && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	for _, f := range strings.Fields(Fold(s)) {
		if strings.Contains(f, "@") {
			add(strings.Map(func(r rune) rune {
				if isWordRune(r) || strings.ContainsRune(emailRunes, r) {
					return r
				}
				return -1
			}, f))
		}
		for _, w := range strings.FieldsFunc(f, func(r rune) bool { return !isWordRune(r) }) {
			add(w)
		}
	}
	return out
}

// emailRunes are kept in an e-mail address as a search word, besides
// letters and digits.
const emailRunes = "@._-+"

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// SortKey is the key people are listed by: Swedish order, where å, ä and
// ö (and æ, ø) come after z, and other accents sort as their letter. Both
// databases compare it byte-wise, so they agree on the order.
func SortKey(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range strings.ToLower(name) {
		switch r {
		case 'å':
			b.WriteByte('{')
		case 'ä', 'æ':
			b.WriteByte('|')
		case 'ö', 'ø':
			b.WriteByte('}')
		default:
			foldRune(&b, r)
		}
	}
	return b.String()
}

// Page is where a page of a list in name order sits among its matches.
type Page struct {
	// Total counts the matches up to CountCap+1: more than CountCap means
	// "more than CountCap" (unless the filter asked for an exact count).
	Total int `json:"total"`
	// Next is the cursor of the page after this one, Prev of the page
	// before it; "" when there is none.
	Next string `json:"next,omitempty"`
	Prev string `json:"prev,omitempty"`
}

// Capped reports whether Total stands for "more than CountCap".
func (p Page) Capped() bool { return p.Total > CountCap }

// Cursor marks a place in a list in name order (SortKey, then ID): the
// next page starts after it. It is opaque to clients.
func Cursor(name, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(SortKey(name) + "\x00" + id))
}

// ParseCursor reads a cursor made by Cursor; a cursor it did not make is
// EINVALID on field.
func ParseCursor(field, s string) (key, id string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	key, id, ok := strings.Cut(string(b), "\x00")
	if err != nil || !ok || id == "" || !utf8.ValidString(key) || !utf8.ValidString(id) {
		e := Errorf(EINVALID, "Ogiltig sidmarkör i "+field+": använd värdet från föregående svar (next) eller börja om från första sidan.",
			"Invalid page cursor in "+field+": use the value from the previous response (next) or start again from the first page.")
		e.Fields = []FieldError{{Field: field, Sv: "Ogiltig sidmarkör.", En: "Invalid page cursor."}}
		return "", "", e
	}
	return key, id, nil
}
