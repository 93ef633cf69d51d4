package report

import (
	"fmt"
	"html"
	"strings"

	"github.com/distans/distans"
)

// SVG returns t's chart as an inline SVG image for a page, or "" when the
// table has no chart. The image is role="img", named by its <title> and
// described by its <desc>, which says how many values are suppressed and
// that the figures are in the table beside it; the text in it is real
// text, so that it zooms and can be read. suppressed is the report's
// Suppressed.
func SVG(t *distans.ReportTable, suppressed bool, lang string) string {
	c := layoutChart(t, suppressed, lang)
	if c == nil {
		return ""
	}
	var b strings.Builder
	e := html.EscapeString
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 %s %s" width="100%%" preserveAspectRatio="xMinYMin meet" aria-labelledby="%s-title %s-desc" font-family="DejaVu Sans, Verdana, sans-serif">`,
		num(c.w), num(c.h), e(c.id), e(c.id))
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, e(c.id), e(c.title), e(c.id), e(c.desc))
	b.WriteString("<defs>")
	for s := range palette {
		if p := svgPattern(s); p != "" {
			fmt.Fprintf(&b, `<pattern id="%s-p%d" patternUnits="userSpaceOnUse" width="8" height="8"><rect width="8" height="8" fill="%s"/>%s</pattern>`,
				e(c.id), s, palette[s], p)
		}
	}
	b.WriteString("</defs>")
	for _, s := range c.shapes {
		switch s.kind {
		case rectShape:
			fill := palette[s.series%len(palette)]
			if svgPattern(s.series%len(palette)) != "" {
				fill = fmt.Sprintf("url(#%s-p%d)", e(c.id), s.series%len(palette))
			}
			fmt.Fprintf(&b, `<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#ffffff" stroke-width="1"/>`,
				num(s.x), num(s.y), num(s.w), num(s.h), fill)
		case gridShape:
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>`,
				num(s.x), num(s.y), num(s.x+s.w), num(s.y+s.h), gridColour)
		case pathShape:
			var pts []string
			for _, p := range s.points {
				pts = append(pts, num(p[0])+","+num(p[1]))
			}
			dash := ""
			if d := dashes[s.series%len(dashes)]; d != "" {
				dash = ` stroke-dasharray="` + d + `"`
			}
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5"%s/>`,
				strings.Join(pts, " "), palette[s.series%len(palette)], dash)
		case markerShape:
			b.WriteString(svgMarker(s))
		case textShape:
			fill, weight := textColour, ""
			if s.onFill {
				fill = "#ffffff"
			}
			if s.bold {
				weight = ` font-weight="bold"`
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%s" text-anchor="%s" fill="%s"%s>%s</text>`,
				num(s.x), num(s.y), num(s.size), s.anchor, fill, weight, e(s.text))
		}
	}
	b.WriteString("</svg>")
	return b.String()
}

// dashes are the lines' dash patterns, by series, so that two lines
// differ in more than colour.
var dashes = []string{"", "8 4", "2 3", "10 3 2 3", "4 4", "1 2", "12 2", "6 2 1 2"}

// svgPattern is the white overlay that tells series s apart without its
// colour: none, diagonal lines, dots, horizontal lines, a cross-hatch,
// vertical lines, diagonal lines the other way, a grid.
func svgPattern(s int) string {
	const st = `stroke="#ffffff" stroke-width="1.5"`
	switch s {
	case 1:
		return `<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" ` + st + `/>`
	case 2:
		return `<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>`
	case 3:
		return `<path d="M0,4 h8" ` + st + `/>`
	case 4:
		return `<path d="M0,0 l8,8 M8,0 l-8,8" ` + st + `/>`
	case 5:
		return `<path d="M4,0 v8" ` + st + `/>`
	case 6:
		return `<path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" ` + st + `/>`
	case 7:
		return `<path d="M0,4 h8 M4,0 v8" ` + st + `/>`
	}
	return ""
}

// svgMarker draws series s's marker: a circle, a square, a triangle, a
// diamond, a triangle down, a cross.
func svgMarker(s shape) string {
	c := palette[s.series%len(palette)]
	x, y := s.x, s.y
	switch s.series % 6 {
	case 1:
		return fmt.Sprintf(`<rect x="%s" y="%s" width="9" height="9" fill="%s"/>`, num(x-4.5), num(y-4.5), c)
	case 2:
		return fmt.Sprintf(`<path d="M%s,%s l5,9 h-10 z" fill="%s"/>`, num(x), num(y-5.5), c)
	case 3:
		return fmt.Sprintf(`<path d="M%s,%s l5.5,5.5 l-5.5,5.5 l-5.5,-5.5 z" fill="%s"/>`, num(x), num(y-5.5), c)
	case 4:
		return fmt.Sprintf(`<path d="M%s,%s l5,-9 h-10 z" fill="%s"/>`, num(x), num(y+5.5), c)
	case 5:
		return fmt.Sprintf(`<path d="M%s,%s l9,9 M%s,%s l-9,9" stroke="%s" stroke-width="3"/>`, num(x-4.5), num(y-4.5), num(x+4.5), num(y-4.5), c)
	}
	return fmt.Sprintf(`<circle cx="%s" cy="%s" r="5" fill="%s"/>`, num(x), num(y), c)
}

// num writes a coordinate with at most one decimal.
func num(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	return strings.TrimSuffix(s, ".0")
}
