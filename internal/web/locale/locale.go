// Package locale is the pages' message catalog: every text a person reads on
// a page, in Swedish and in English, looked up by key. Swedish is the first
// language of the service; English is the second.
package locale

import (
	"fmt"
	"sort"
)

// Languages the pages are written in, Swedish first.
var Languages = []string{"sv", "en"}

// Printer translates keys into one language.
type Printer struct{ lang string }

// New returns a printer for lang; anything but "en" is Swedish.
func New(lang string) Printer {
	if lang != "en" {
		lang = "sv"
	}
	return Printer{lang: lang}
}

// Lang returns the printer's language, "sv" or "en".
func (p Printer) Lang() string { return p.lang }

// T returns the message for key, formatted with args as by fmt.Sprintf when
// there are any. An unknown key comes back marked as ⟦key⟧ so that a test
// rendering every page notices it.
func (p Printer) T(key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return "⟦" + key + "⟧"
	}
	s := m[0]
	if p.lang == "en" {
		s = m[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether key is in the catalog.
func Has(key string) bool { _, ok := messages[key]; return ok }

// Keys returns every key, sorted, for tests.
func Keys() []string {
	keys := make([]string, 0, len(messages))
	for k := range messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Message returns the Swedish and English text of key.
func Message(key string) (sv, en string) { m := messages[key]; return m[0], m[1] }

// join adds a part of the catalog kept in a file of its own at start-up; a
// key that is already there is a programming error.
func join(part map[string][2]string) {
	for k, v := range part {
		if _, dup := messages[k]; dup {
			panic(fmt.Sprintf("locale: duplicate key %q", k))
		}
		messages[k] = v
	}
}
