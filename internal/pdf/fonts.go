package pdf

import "github.com/go-pdf/fpdf"

// FontFamily is the family AddFonts registers, for documents written
// elsewhere (internal/report) in the same embedded font.
const FontFamily = family

// AddFonts registers DejaVu Sans, regular and bold, on f, so that every
// PDF Distans writes renders and extracts å, ä and ö alike.
func AddFonts(f *fpdf.Fpdf) {
	f.AddUTF8FontFromBytes(family, "", fontRegular)
	f.AddUTF8FontFromBytes(family, "B", fontBold)
}
