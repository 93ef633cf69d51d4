package report

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/distans/distans"
)

// A chart is laid out once, as shapes in a 640-unit-wide box, and then
// drawn by svg.go for the pages and by pdf.go for the PDF, so that the two
// cannot show different things. Colour is never the only cue: every
// series also has its own pattern (bars) or marker and dash (lines), and
// bars carry their numbers as text. A suppressed cell is drawn as the
// mark "–" with a word, never as a bar or a point of zero.

// chartWidth is the width of every chart, in SVG user units (px).
const chartWidth = 640.0

// palette is the series' colours. Each has a contrast of at least 4.5:1
// against white (chart_test.go measures it), so that the bars stand out
// from the page (WCAG 2.1 1.4.11 asks 3:1) and white numbers on them are
// readable (1.4.3 asks 4.5:1).
//
// There are as many as the most series a table has (the seven states of
// an agreement), so that no two series of a chart look alike.
var palette = []string{"#1f4e79", "#9a3c00", "#2e6b30", "#6a1b9a", "#ad1457", "#00606b", "#5c4a00", "#3d3d3d"}

// textColour and gridColour are the ink of labels and of the axes.
const (
	textColour = "#1a1a1a"
	gridColour = "#767676" // 4.5:1 against white
)

type shapeKind int

const (
	rectShape   shapeKind = iota // a bar or a legend swatch, filled with its series' colour and pattern
	pathShape                    // a series' line through Points
	gridShape                    // an axis or grid line from (X, Y) to (X+W, Y+H)
	textShape                    // Text at (X, Y), the baseline
	markerShape                  // a series' marker centred at (X, Y)
)

type shape struct {
	kind       shapeKind
	x, y, w, h float64
	points     [][2]float64
	series     int
	text       string
	anchor     string // "start", "middle" or "end"
	size       float64
	bold       bool
	onFill     bool // white text on a bar
}

// chart is a table's chart, laid out.
type chart struct {
	id          string
	title, desc string
	w, h        float64
	shapes      []shape
}

func (c *chart) add(s shape) { c.shapes = append(c.shapes, s) }

func (c *chart) label(x, y float64, s, anchor string, size float64) {
	c.add(shape{kind: textShape, x: x, y: y, text: s, anchor: anchor, size: size})
}

// textWidth estimates the width of s in DejaVu Sans at size: enough to
// decide whether a number fits inside its bar.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * 0.6
}

// shorten cuts a label that would not fit in width, with an ellipsis;
// the table beside the chart has it whole.
func shorten(s string, width, size float64) string {
	max := int(width / (size * 0.6))
	if utf8.RuneCountInString(s) <= max || max < 2 {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// layoutChart lays out t's chart, or returns nil when t has none or nothing to
// draw. The total row is not drawn: it would dwarf the rows.
func layoutChart(t *distans.ReportTable, suppressed bool, lang string) *chart {
	if t.Chart == distans.ChartNone || len(t.Rows) == 0 || len(t.Columns) == 0 {
		return nil
	}
	c := &chart{id: "chart-" + t.ID, title: t.Title.Text(lang), desc: t.Description.Text(lang), w: chartWidth}
	switch t.Chart {
	case distans.ChartStackedBar:
		c.stacked(t, lang)
	case distans.ChartLine:
		c.line(t, lang)
	default:
		c.bar(t, lang)
	}
	var notes []string
	if n := countMarked(t, func(x distans.ReportCell) bool { return x.Suppressed }); n > 0 {
		notes = append(notes, tr(lang, fmt.Sprintf("%d värden är dolda (–) för att ingen enskild ska kunna pekas ut.", n),
			fmt.Sprintf("%d values are suppressed (–) so that nobody can be singled out.", n)))
	}
	if n := countMarked(t, func(x distans.ReportCell) bool { return x.Empty }); n > 0 {
		notes = append(notes, tr(lang, fmt.Sprintf("%d värden saknas (..).", n), fmt.Sprintf("%d values are missing (..).", n)))
	}
	notes = append(notes, tr(lang, "Siffrorna finns i tabellen intill.", "The figures are in the table beside the chart."))
	c.desc = strings.TrimSpace(c.desc + " " + strings.Join(notes, " "))
	return c
}

func countMarked(t *distans.ReportTable, f func(distans.ReportCell) bool) int {
	n := 0
	for _, r := range t.Rows {
		for _, x := range r.Cells {
			if f(x) {
				n++
			}
		}
	}
	return n
}

// Horizontal bars: labels on the left, bars in the middle, numbers after
// them.
const (
	barLabelWidth = 190.0
	barLeft       = 200.0
	barRight      = chartWidth - 80
	barRow        = 26.0
	barHeight     = 18.0
	fontSize      = 12.0
)

func (c *chart) bar(t *distans.ReportTable, lang string) {
	col := t.Columns[0]
	max := 0.0
	for _, r := range t.Rows {
		if x := cell(r, 0); !x.Suppressed && !x.Empty {
			max = math.Max(max, x.Value)
		}
	}
	if max <= 0 {
		max = 1
	}
	top := 22.0
	c.label(barLeft, 14, col.Label.Text(lang), "start", fontSize-1)
	for i, r := range t.Rows {
		y := top + float64(i)*barRow
		mid := y + barHeight/2 + fontSize*0.35
		c.label(barLabelWidth, mid, shorten(r.Label, barLabelWidth-4, fontSize), "end", fontSize)
		x := cell(r, 0)
		switch {
		case x.Suppressed:
			c.label(barLeft+4, mid, SuppressedMark+" "+tr(lang, "dold", "suppressed"), "start", fontSize)
		case x.Empty:
			c.label(barLeft+4, mid, EmptyMark+" "+tr(lang, "saknas", "no data"), "start", fontSize)
		default:
			w := x.Value / max * (barRight - barLeft)
			c.add(shape{kind: rectShape, x: barLeft, y: y, w: w, h: barHeight, series: 0})
			c.label(barLeft+w+4, mid, FormatCell(x, col.Kind, lang), "start", fontSize)
		}
	}
	bottom := top + float64(len(t.Rows))*barRow
	c.add(shape{kind: gridShape, x: barLeft, y: top - 4, h: bottom - top})
	c.h = bottom + 8
}

func (c *chart) stacked(t *distans.ReportTable, lang string) {
	var cols []int
	for i, col := range t.Columns {
		if col.Kind == distans.CellCount {
			cols = append(cols, i)
		}
	}
	if len(cols) == 0 {
		c.bar(t, lang)
		return
	}
	// The legend, on as many lines as it needs, above the bars.
	x, y := 0.0, 16.0
	for s, i := range cols {
		label := t.Columns[i].Label.Text(lang)
		w := 22 + textWidth(label, fontSize-1) + 16
		if x+w > chartWidth && x > 0 {
			x, y = 0, y+20
		}
		c.add(shape{kind: rectShape, x: x, y: y - 12, w: 16, h: 14, series: s})
		c.label(x+22, y, label, "start", fontSize-1)
		x += w
	}
	top := y + 14
	max := 0.0
	for _, r := range t.Rows {
		sum := 0.0
		for _, i := range cols {
			if x := cell(r, i); !x.Suppressed && !x.Empty {
				sum += x.Value
			}
		}
		max = math.Max(max, sum)
	}
	if max <= 0 {
		max = 1
	}
	for n, r := range t.Rows {
		y := top + float64(n)*barRow
		mid := y + barHeight/2 + fontSize*0.35
		c.label(barLabelWidth, mid, shorten(r.Label, barLabelWidth-4, fontSize), "end", fontSize)
		x, hidden := barLeft, 0
		for s, i := range cols {
			v := cell(r, i)
			if v.Suppressed {
				hidden++
				continue
			}
			if v.Empty || v.Value <= 0 {
				continue
			}
			w := v.Value / max * (barRight - barLeft)
			c.add(shape{kind: rectShape, x: x, y: y, w: w, h: barHeight, series: s})
			if num := FormatCell(v, distans.CellCount, lang); textWidth(num, fontSize-1)+6 < w {
				c.add(shape{kind: textShape, x: x + w/2, y: mid, text: num, anchor: "middle", size: fontSize - 1, onFill: true, bold: true})
			}
			x += w
		}
		if hidden > 0 {
			c.label(x+4, mid, SuppressedMark+" "+tr(lang, fmt.Sprintf("%d dolda", hidden), fmt.Sprintf("%d suppressed", hidden)), "start", fontSize-1)
		}
	}
	bottom := top + float64(len(t.Rows))*barRow
	c.add(shape{kind: gridShape, x: barLeft, y: top - 4, h: bottom - top})
	c.h = bottom + 8
}

// Lines: one per column of the first column's kind, rows as months from
// left to right, each named at its end.
const (
	lineLeft   = 56.0
	lineRight  = chartWidth - 150
	lineTop    = 16.0
	lineBottom = 236.0
)

var monthNames = map[string][12]string{
	"sv": {"jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"},
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
}

func (c *chart) line(t *distans.ReportTable, lang string) {
	kind := t.Columns[0].Kind
	var cols []int
	for i, col := range t.Columns {
		if col.Kind == kind {
			cols = append(cols, i)
		}
	}
	max := 0.0
	for _, r := range t.Rows {
		for _, i := range cols {
			if x := cell(r, i); !x.Suppressed && !x.Empty {
				max = math.Max(max, x.Value)
			}
		}
	}
	step := niceStep(max / 4)
	top := step * math.Max(1, math.Ceil(max/step))
	yOf := func(v float64) float64 { return lineBottom - v/top*(lineBottom-lineTop) }
	for v := 0.0; v <= top+step/2; v += step {
		y := yOf(v)
		c.add(shape{kind: gridShape, x: lineLeft, y: y, w: lineRight - lineLeft})
		c.label(lineLeft-6, y+4, FormatCell(distans.ReportCell{Value: v}, kind, lang), "end", fontSize-2)
	}
	n := len(t.Rows)
	xOf := func(i int) float64 {
		if n == 1 {
			return (lineLeft + lineRight) / 2
		}
		return lineLeft + 10 + float64(i)*(lineRight-lineLeft-20)/float64(n-1)
	}
	for i, r := range t.Rows {
		month, year := monthLabel(r, lang)
		c.label(xOf(i), lineBottom+16, month, "middle", fontSize-2)
		if year != "" && (i == 0 || strings.HasSuffix(r.Key, "-01")) {
			c.label(xOf(i), lineBottom+30, year, "middle", fontSize-2)
		}
	}
	type end struct {
		y     float64
		label string
		s     int
	}
	var ends []end
	for s, i := range cols {
		var run [][2]float64
		flush := func() {
			if len(run) > 1 {
				c.add(shape{kind: pathShape, points: run, series: s})
			}
			run = nil
		}
		last := -1.0
		for r, row := range t.Rows {
			x := cell(row, i)
			if x.Suppressed || x.Empty {
				flush()
				mark := SuppressedMark
				if x.Empty {
					mark = EmptyMark
				}
				c.label(xOf(r), lineBottom-4, mark, "middle", fontSize)
				continue
			}
			p := [2]float64{xOf(r), yOf(x.Value)}
			run = append(run, p)
			c.add(shape{kind: markerShape, x: p[0], y: p[1], series: s})
			last = p[1]
		}
		flush()
		if last >= 0 {
			ends = append(ends, end{last, t.Columns[i].Label.Text(lang), s})
		}
	}
	// Direct labels at the lines' ends, pushed apart where they would
	// overlap.
	for i := range ends {
		for j := i + 1; j < len(ends); j++ {
			if ends[j].y < ends[i].y {
				ends[i], ends[j] = ends[j], ends[i]
			}
		}
	}
	for i := range ends {
		if i > 0 && ends[i].y-ends[i-1].y < 14 {
			ends[i].y = ends[i-1].y + 14
		}
		c.add(shape{kind: markerShape, x: lineRight + 10, y: ends[i].y, series: ends[i].s})
		c.label(lineRight+20, ends[i].y+4, shorten(ends[i].label, chartWidth-lineRight-22, fontSize-1), "start", fontSize-1)
	}
	c.add(shape{kind: gridShape, x: lineLeft, y: lineTop - 6, h: lineBottom - lineTop + 6})
	c.h = lineBottom + 40
}

// monthLabel reads a row keyed "2026-03" as ("mar", "2026"); any other
// row keeps its label.
func monthLabel(r distans.ReportRow, lang string) (string, string) {
	var y, m int
	if len(r.Key) == 7 {
		if _, err := fmt.Sscanf(r.Key, "%4d-%2d", &y, &m); err == nil && m >= 1 && m <= 12 {
			return monthNames[lang][m-1], fmt.Sprint(y)
		}
	}
	return r.Label, ""
}

// niceStep rounds a step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			if m*p < 1 {
				return 1
			}
			return m * p
		}
	}
	return 10 * p
}
