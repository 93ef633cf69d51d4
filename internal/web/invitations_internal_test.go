package web

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// TestCSVFiles: a large batch is split into files of per links each, every
// one with the BOM and the header, numbered in its name; a small one is
// one file.
func TestCSVFiles(t *testing.T) {
	t.Parallel()
	var hand []*distans.Invitation
	for _, n := range []string{"Anna", "Bo", "Cecilia", "Åsa", "Örjan"} {
		hand = append(hand, &distans.Invitation{Name: n, Email: strings.ToLower(n) + "@vara.se", URL: "https://d.se/link/" + n})
	}
	for _, tc := range []struct {
		per   int
		names []string
		rows  []int
	}{
		{2, []string{"inbjudningar-2026-12-06-1.csv", "inbjudningar-2026-12-06-2.csv", "inbjudningar-2026-12-06-3.csv"}, []int{2, 2, 1}},
		{5, []string{"inbjudningar-2026-12-06.csv"}, []int{5}},
	} {
		files, err := csvFiles(hand, time.UTC, "2026-12-06", tc.per)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != len(tc.names) {
			t.Fatalf("per %d: %d files", tc.per, len(files))
		}
		next := 1
		for i, f := range files {
			raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(string(f.Href), "data:text/csv;charset=utf-8;base64,"))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(string(raw), "\r\n"), "\r\n")
			if f.Name != tc.names[i] || f.From != next || f.To != next+tc.rows[i]-1 || len(lines) != tc.rows[i]+1 ||
				lines[0] != "\uFEFFnamn;e-post;länk;giltig till" || !strings.HasPrefix(lines[1], hand[next-1].Name+";") {
				t.Errorf("per %d, file %d: %+v\n%s", tc.per, i, f, raw)
			}
			next = f.To + 1
		}
	}
}
