package distans

import (
	"strconv"
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
