package sqlstore

import (
	"slices"
	"testing"

	"github.com/distans/distans"
)

// TestSwedishOrder: units are listed in Swedish order, case ignored,
// whatever order they come in.
func TestSwedishOrder(t *testing.T) {
	want := []string{"ala skola", "Bjurholms skola", "Zinkgruvan", "Åsele", "Ängelholm", "ödeshög", "Örkelljunga"}
	for _, in := range [][]string{want, {"Örkelljunga", "Zinkgruvan", "ödeshög", "Åsele", "ala skola", "Ängelholm", "Bjurholms skola"}} {
		var units []*distans.Unit
		for i, n := range slices.Backward(in) {
			units = append(units, &distans.Unit{ID: string(rune('a' + i)), Name: n})
		}
		swedishOrder(units)
		var got []string
		for _, u := range units {
			got = append(got, u.Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("sorted %v, want %v", got, want)
		}
	}
}
