package distans

import (
	"slices"
	"strings"
	"testing"
)

func TestSearchWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"Åsa Öberg", []string{"asa", "oberg"}},
		{"ÖSTERSUND östersund", []string{"ostersund"}},
		{"Berg-Öhman", []string{"berg", "ohman"}},
		{"Émile Ærø", []string{"emile", "aero"}},
		{"  handläggare\tbygglov ", []string{"handlaggare", "bygglov"}},
		{"anna.berg@vara.se", []string{"anna.berg@vara.se", "anna", "berg", "vara", "se"}},
		{"facklig_foretradare@x.example", []string{"facklig_foretradare@x.example", "facklig", "foretradare", "x", "example"}},
		{"hugohr.", []string{"hugohr"}},
		{"Enhet 01.02.03", []string{"enhet", "01", "02", "03"}},
		{"100%", []string{"100"}},
		{"%_'\"", nil},
		{"", nil},
	}
	for _, tc := range tests {
		if got := SearchWords(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("SearchWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSearchPrefixRule holds the one matching rule to examples: every
// word of a search begins some word of what is searched, whatever the case
// and diacritics, and never matches inside a word.
func TestSearchPrefixRule(t *testing.T) {
	t.Parallel()
	matches := func(query, text string) bool {
		words := SearchWords(text)
		for _, q := range SearchWords(query) {
			if !slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, q) }) {
				return false
			}
		}
		return true
	}
	tests := []struct {
		query, text string
		want        bool
	}{
		{"ostersund", "Östersund", true},
		{"asa", "Åsa Öberg", true},
		{"ÅSA", "Asa Oberg", true},
		{"öb", "Åsa Öberg", true},
		{"asa ob", "Åsa Öberg", true},
		{"berg", "Åsa Öberg", false}, // inside a word
		{"sa", "Åsa", false},
		{"asa x", "Åsa Öberg", false}, // every word must match
		{"hr@vara.example", "hr@vara.example", true},
		{"hr@vara.example", "anna@vara.example HR-specialist", false},
		{"ohm", "Berg-Öhman", true},
		{"handl", "Handläggare", true},
	}
	for _, tc := range tests {
		if got := matches(tc.query, tc.text); got != tc.want {
			t.Errorf("%q in %q = %v, want %v", tc.query, tc.text, got, tc.want)
		}
	}
}

// TestSortKey: Swedish order, Z < Å < Ä < Ö, other accents as their letter.
func TestSortKey(t *testing.T) {
	t.Parallel()
	names := []string{"Örjan", "Zara", "Ärla", "Åke", "Émile", "Anna", "Östen", "Ebba", "Olle"}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(SortKey(a), SortKey(b)) })
	want := []string{"Anna", "Ebba", "Émile", "Olle", "Zara", "Åke", "Ärla", "Örjan", "Östen"}
	if !slices.Equal(names, want) {
		t.Fatalf("order %v, want %v", names, want)
	}
}

func TestCursor(t *testing.T) {
	t.Parallel()
	c := Cursor("Åsa Öberg", "0190-ab")
	key, id, err := ParseCursor("after", c)
	if err != nil || key != SortKey("Åsa Öberg") || id != "0190-ab" {
		t.Fatalf("ParseCursor(Cursor) = %q, %q, %v", key, id, err)
	}
	for _, bad := range []string{"x", "!!", "inte-en-markör", Cursor("a", "")} {
		_, _, err := ParseCursor("after", bad)
		if ErrorCode(err) != EINVALID {
			t.Errorf("ParseCursor(%q) = %v, want EINVALID", bad, err)
			continue
		}
		if e := err.(*Error); !strings.Contains(e.Sv, "Ogiltig sidmarkör") || len(e.Fields) != 1 || e.Fields[0].Field != "after" {
			t.Errorf("ParseCursor(%q): %+v", bad, e)
		}
	}
}
