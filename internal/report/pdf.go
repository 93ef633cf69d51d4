package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/pdf"
)

// PDF layout, in millimetres.
const (
	pdfMargin = 15.0
	pdfWidth  = 210 - 2*pdfMargin
	// pdfScale turns the charts' units into millimetres.
	pdfScale = pdfWidth / chartWidth
	ptPerMM  = 72 / 25.4
)

// WritePDF writes r as an A4 PDF in DejaVu Sans: the heading (Heading),
// what the report cannot show, and each table with its chart, drawn from
// the same layout as the pages' SVG, and its figures. A suppressed cell
// is SuppressedMark, never a number.
func WritePDF(w io.Writer, r *distans.Report, o Options) error {
	lang := o.lang()
	f := fpdf.New("P", "mm", "A4", "")
	pdf.AddFonts(f)
	fam := pdf.FontFamily
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(true, pdfMargin+6)
	title := tr(lang, "Rapport: ", "Report: ") + r.Kind.Label(lang)
	f.SetTitle(title, true)
	f.SetAuthor(r.ScopeName, true)
	f.SetSubject(title+" – "+r.ScopeName, true)
	f.SetCreator("Distans", true)
	f.SetLang(tr(lang, "sv-SE", "en-GB"))
	f.SetCreationDate(r.GeneratedAt)
	f.SetModificationDate(r.GeneratedAt)
	f.AliasNbPages("{nb}")
	footer := r.Kind.Label(lang) + " – " + r.ScopeName + " – " + day(r.From) + " – " + day(r.To)
	if r.Suppressed {
		footer += " – " + tr(lang, "dolda uppgifter: ", "suppressed: ") + SuppressedMark
	}
	f.SetFooterFunc(func() {
		f.SetY(-pdfMargin)
		f.SetFont(fam, "", 7)
		f.SetTextColor(70, 70, 70)
		f.CellFormat(0, 4, footer, "T", 0, "L", false, 0, "")
		f.SetX(pdfMargin)
		f.CellFormat(0, 4, fmt.Sprintf(tr(lang, "Sida %d av {nb}", "Page %d of {nb}"), f.PageNo()), "", 0, "R", false, 0, "")
		f.SetTextColor(0, 0, 0)
	})
	f.AddPage()
	f.SetFont(fam, "B", 16)
	f.MultiCell(0, 8, title, "", "L", false)
	f.Ln(2)
	for _, l := range Heading(r, o) {
		f.SetFont(fam, "B", 9)
		f.CellFormat(38, 5, l.Label, "", 0, "L", false, 0, "")
		f.SetFont(fam, "", 9)
		f.MultiCell(0, 5, l.Value, "", "L", false)
	}
	for _, n := range r.Missing {
		f.SetFont(fam, "B", 9)
		f.CellFormat(38, 5, tr(lang, "Saknas", "Missing"), "", 0, "L", false, 0, "")
		f.SetFont(fam, "", 9)
		f.MultiCell(0, 5, n.Text(lang), "", "L", false)
	}
	for _, t := range r.Tables {
		pdfTable(f, t, r, lang)
	}
	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// room starts a new page unless h millimetres are left.
func room(f *fpdf.Fpdf, h float64) {
	_, height := f.GetPageSize()
	if f.GetY()+h > height-pdfMargin-6 {
		f.AddPage()
	}
}

func pdfTable(f *fpdf.Fpdf, t *distans.ReportTable, r *distans.Report, lang string) {
	fam := pdf.FontFamily
	c := layoutChart(t, r.Suppressed, lang)
	need := 30.0
	if c != nil {
		need += c.h * pdfScale
	}
	room(f, need)
	f.Ln(5)
	f.SetFont(fam, "B", 12)
	f.MultiCell(0, 6, t.Title.Text(lang), "B", "L", false)
	f.Ln(1)
	f.SetFont(fam, "", 9)
	if d := t.Description.Text(lang); d != "" {
		f.MultiCell(0, 4.5, d, "", "L", false)
	}
	if n := RowLimitNote(t, lang); n != "" {
		f.SetFont(fam, "B", 9)
		f.MultiCell(0, 4.5, n, "", "L", false)
	}
	if c != nil {
		f.Ln(2)
		room(f, c.h*pdfScale)
		pdfChart(f, c, pdfMargin, f.GetY())
		f.SetY(f.GetY() + c.h*pdfScale + 2)
	}
	// The figures, as on the page beside the chart.
	labelW := 60.0
	if len(t.Columns) > 5 {
		labelW = 45
	}
	colW := (pdfWidth - labelW) / float64(max(1, len(t.Columns)))
	widths := []float64{labelW}
	head := []string{""}
	for _, col := range t.Columns {
		widths = append(widths, colW)
		head = append(head, columnHeader(col, lang))
	}
	f.SetFont(fam, "B", 8)
	pdfRow(f, widths, head, true)
	for i, row := range rows(t) {
		label, style := row.Label, ""
		if t.Total != nil && i == len(t.Rows) {
			label, style = totalLabel(t, lang), "B"
		}
		line := []string{label}
		for j, col := range t.Columns {
			line = append(line, FormatCell(cell(row, j), col.Kind, lang))
		}
		f.SetFont(fam, style, 8)
		pdfRow(f, widths, line, false)
	}
	if r.Suppressed || hasEmpty(t) {
		f.Ln(1)
		f.SetFont(fam, "", 7.5)
		f.MultiCell(0, 4, Marks(r, lang), "", "L", false)
	}
}

// pdfRow writes one row of a table, each cell wrapped in its width; the
// first cell is left-aligned, the figures right-aligned.
func pdfRow(f *fpdf.Fpdf, widths []float64, cells []string, head bool) {
	const lh = 4.0
	lines := 1
	for i, s := range cells {
		if n := len(f.SplitText(s, widths[i]-2)); n > lines {
			lines = n
		}
	}
	h := float64(lines)*lh + 1.5
	room(f, h)
	x, y := pdfMargin, f.GetY()
	for i, s := range cells {
		align := "R"
		if i == 0 {
			align = "L"
		}
		if head {
			f.SetFillColor(235, 238, 242)
			f.Rect(x, y, widths[i], h, "F")
		}
		f.SetXY(x+1, y+0.75)
		f.MultiCell(widths[i]-2, lh, s, "", align, false)
		x += widths[i]
	}
	f.SetDrawColor(190, 190, 190)
	f.Line(pdfMargin, y+h, pdfMargin+pdfWidth, y+h)
	f.SetDrawColor(0, 0, 0)
	f.SetXY(pdfMargin, y+h)
}

// pdfChart draws a chart laid out by layout with its top left at (x0, y0).
func pdfChart(f *fpdf.Fpdf, c *chart, x0, y0 float64) {
	fam := pdf.FontFamily
	X := func(v float64) float64 { return x0 + v*pdfScale }
	Y := func(v float64) float64 { return y0 + v*pdfScale }
	for _, s := range c.shapes {
		r, g, b := rgb(palette[s.series%len(palette)])
		switch s.kind {
		case rectShape:
			f.SetFillColor(r, g, b)
			f.Rect(X(s.x), Y(s.y), s.w*pdfScale, s.h*pdfScale, "F")
			pdfPattern(f, s.series%len(palette), X(s.x), Y(s.y), s.w*pdfScale, s.h*pdfScale)
		case gridShape:
			gr, gg, gb := rgb(gridColour)
			f.SetDrawColor(gr, gg, gb)
			f.SetLineWidth(0.2)
			f.Line(X(s.x), Y(s.y), X(s.x+s.w), Y(s.y+s.h))
		case pathShape:
			f.SetDrawColor(r, g, b)
			f.SetLineWidth(2.5 * pdfScale)
			f.SetDashPattern(dashArray(dashes[s.series%len(dashes)]), 0)
			for i := 1; i < len(s.points); i++ {
				f.Line(X(s.points[i-1][0]), Y(s.points[i-1][1]), X(s.points[i][0]), Y(s.points[i][1]))
			}
			f.SetDashPattern(nil, 0)
		case markerShape:
			f.SetFillColor(r, g, b)
			f.SetDrawColor(r, g, b)
			x, y, d := X(s.x), Y(s.y), 5*pdfScale
			switch s.series % 6 {
			case 1:
				f.Rect(x-d*0.9, y-d*0.9, d*1.8, d*1.8, "F")
			case 2:
				f.Polygon([]fpdf.PointType{{X: x, Y: y - d}, {X: x + d, Y: y + d*0.8}, {X: x - d, Y: y + d*0.8}}, "F")
			case 3:
				f.Polygon([]fpdf.PointType{{X: x, Y: y - d}, {X: x + d, Y: y}, {X: x, Y: y + d}, {X: x - d, Y: y}}, "F")
			case 4:
				f.Polygon([]fpdf.PointType{{X: x, Y: y + d}, {X: x + d, Y: y - d*0.8}, {X: x - d, Y: y - d*0.8}}, "F")
			case 5:
				f.SetLineWidth(3 * pdfScale)
				f.Line(x-d, y-d, x+d, y+d)
				f.Line(x+d, y-d, x-d, y+d)
			default:
				f.Circle(x, y, d, "F")
			}
		case textShape:
			style := ""
			if s.bold {
				style = "B"
			}
			f.SetFont(fam, style, s.size*pdfScale*ptPerMM)
			if s.onFill {
				f.SetTextColor(255, 255, 255)
			} else {
				f.SetTextColor(26, 26, 26)
			}
			x := X(s.x)
			switch s.anchor {
			case "end":
				x -= f.GetStringWidth(s.text)
			case "middle":
				x -= f.GetStringWidth(s.text) / 2
			}
			f.Text(x, Y(s.y), s.text)
			f.SetTextColor(0, 0, 0)
		}
	}
	f.SetLineWidth(0.2)
	f.SetDrawColor(0, 0, 0)
}

// pdfPattern draws series s's white pattern over a bar, as svgPattern
// does on the page.
func pdfPattern(f *fpdf.Fpdf, s int, x, y, w, h float64) {
	if s == 0 || w <= 0 {
		return
	}
	step := 8 * pdfScale
	f.ClipRect(x, y, w, h, false)
	f.SetDrawColor(255, 255, 255)
	f.SetFillColor(255, 255, 255)
	f.SetLineWidth(1.5 * pdfScale)
	for i := -h; i < w+h; i += step {
		switch s {
		case 1:
			f.Line(x+i, y+h, x+i+h, y)
		case 2:
			for j := step / 2; j < h; j += step {
				f.Circle(x+i+step/2, y+j, 1.6*pdfScale, "F")
			}
		case 3:
			if i >= 0 && i < h {
				f.Line(x, y+i+step/2, x+w, y+i+step/2)
			}
		case 4:
			f.Line(x+i, y+h, x+i+h, y)
			f.Line(x+i, y, x+i+h, y+h)
		case 5:
			f.Line(x+i+step/2, y, x+i+step/2, y+h)
		case 6:
			f.Line(x+i, y, x+i+h, y+h)
		case 7:
			f.Line(x+i+step/2, y, x+i+step/2, y+h)
			if i >= 0 && i < h {
				f.Line(x, y+i+step/2, x+w, y+i+step/2)
			}
		}
	}
	f.ClipEnd()
	f.SetLineWidth(0.2)
	f.SetDrawColor(0, 0, 0)
}

func dashArray(s string) []float64 {
	var out []float64
	for _, p := range strings.Fields(s) {
		if v, err := strconv.ParseFloat(p, 64); err == nil {
			out = append(out, v*pdfScale)
		}
	}
	return out
}

// rgb reads "#rrggbb".
func rgb(hex string) (int, int, int) {
	v, _ := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}
