package report

import (
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/distans/distans"
)

// svgDoc is what the tests read back from a chart.
type svgDoc struct {
	Role       string `xml:"role,attr"`
	Labelledby string `xml:"aria-labelledby,attr"`
	Title      struct {
		ID   string `xml:"id,attr"`
		Text string `xml:",chardata"`
	} `xml:"title"`
	Desc struct {
		ID   string `xml:"id,attr"`
		Text string `xml:",chardata"`
	} `xml:"desc"`
	Rects []struct {
		Class string `xml:"class,attr"`
	} `xml:"rect"`
	Texts     []string `xml:"text"`
	Polylines []struct {
		Points string `xml:"points,attr"`
	} `xml:"polyline"`
}

func parseSVG(t *testing.T, s string) svgDoc {
	t.Helper()
	var d svgDoc
	if err := xml.Unmarshal([]byte(s), &d); err != nil {
		t.Fatalf("the chart is not XML: %v\n%s", err, s)
	}
	return d
}

// TestSVGAccessible: each chart is an image named by its title and
// described by its desc, which counts the suppressed values; a suppressed
// cell is the mark "–" with a word, never a bar; a row's label and value
// are text.
func TestSVGAccessible(t *testing.T) {
	t.Parallel()
	r := sampleReport(true)
	for _, tc := range []struct {
		table     int
		bars      int // bars drawn (stacked: segments), legend swatches included
		lines     int
		wantTexts []string
	}{
		{0, 2 + 2, 0, []string{"Socialtjänsten", "=Skola och förskola", "1 234", "– 1 dolda", "Aktiva", "Avslutade"}},
		{1, 1, 0, []string{"Socialtjänsten", "6,5", ".. saknas", "– dold", "Median"}},
		// The line of new agreements breaks at its suppressed month, so
		// only the active agreements' line has two points in a row.
		{2, 0, 1, []string{"dec", "2025", "jan", "2026", "feb", "–", "Aktiva", "Nya"}},
	} {
		tab := r.Tables[tc.table]
		s := SVG(tab, true, "sv")
		d := parseSVG(t, s)
		if d.Role != "img" || d.Labelledby != d.Title.ID+" "+d.Desc.ID || d.Title.ID == "" {
			t.Errorf("%s: role %q, aria-labelledby %q, title id %q, desc id %q", tab.ID, d.Role, d.Labelledby, d.Title.ID, d.Desc.ID)
		}
		if d.Title.Text != tab.Title.Sv {
			t.Errorf("%s: title %q", tab.ID, d.Title.Text)
		}
		if !strings.Contains(d.Desc.Text, "tabellen intill") {
			t.Errorf("%s: desc %q does not point to the table", tab.ID, d.Desc.Text)
		}
		if n := countMarked(tab, func(c distans.ReportCell) bool { return c.Suppressed }); !strings.Contains(d.Desc.Text, strconv.Itoa(n)+" värden är dolda") {
			t.Errorf("%s: desc %q does not count %d suppressed values", tab.ID, d.Desc.Text, n)
		}
		bars := 0
		for _, rc := range d.Rects {
			if rc.Class == "bar" {
				bars++
			}
		}
		if bars != tc.bars || len(d.Polylines) != tc.lines {
			t.Errorf("%s: %d bars and %d lines, want %d and %d", tab.ID, bars, len(d.Polylines), tc.bars, tc.lines)
		}
		texts := strings.Join(d.Texts, "|")
		for _, w := range tc.wantTexts {
			if !strings.Contains(strings.ReplaceAll(texts, "\u00a0", " "), w) {
				t.Errorf("%s: no text %q in %q", tab.ID, w, texts)
			}
		}
		// The value left in a suppressed cell is never drawn.
		for _, x := range d.Texts {
			if x == "9" {
				t.Errorf("%s: a suppressed value is drawn: %q", tab.ID, texts)
			}
		}
	}
	if SVG(&distans.ReportTable{ID: "x", Columns: r.Tables[0].Columns, Rows: r.Tables[0].Rows}, false, "sv") != "" {
		t.Error("a table without a chart was drawn")
	}
}

// TestSVGEscapes: a unit named like markup is text in the chart.
func TestSVGEscapes(t *testing.T) {
	t.Parallel()
	tab := &distans.ReportTable{ID: "t", Title: distans.ReportNote{Sv: "<b>&"}, Chart: distans.ChartBar,
		Columns: []distans.ReportColumn{{Key: "n", Kind: distans.CellCount}},
		Rows:    []distans.ReportRow{{Label: `<script>alert("x")</script>`, Cells: []distans.ReportCell{{Value: 2}}}}}
	s := SVG(tab, false, "sv")
	if strings.Contains(s, "<script") || strings.Contains(s, "<b>") {
		t.Fatalf("markup from a label reached the chart: %s", s)
	}
	parseSVG(t, s)
}

// TestPaletteContrast: every series colour stands out from white and
// carries white text at 4.5:1 or more (WCAG 2.1 1.4.3 and 1.4.11), and so
// does the grid's grey.
func TestPaletteContrast(t *testing.T) {
	t.Parallel()
	lum := func(hex string) float64 {
		r, g, b := rgb(hex)
		ch := func(v int) float64 {
			c := float64(v) / 255
			if c <= 0.03928 {
				return c / 12.92
			}
			return math.Pow((c+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
	}
	for _, c := range append(append([]string(nil), palette...), gridColour, textColour) {
		if ratio := 1.05 / (lum(c) + 0.05); ratio < 4.5 {
			t.Errorf("%s against white: %.2f:1, want 4.5:1", c, ratio)
		}
	}
}

func TestNiceStep(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want float64 }{{0, 1}, {0.3, 1}, {3, 5}, {12, 20}, {47 / 4.0, 20}, {250, 500}, {1000, 1000}} {
		if got := niceStep(tc.in); got != tc.want {
			t.Errorf("niceStep(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
