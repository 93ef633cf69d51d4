package view

import (
	"html/template"
	"net/url"
	"strings"
)

// PeopleRows is the people list's rows, one <tr> a person. They are
// written here, as HitRows writes the directory's, rather than by the
// template: the register's search shows 25 at a time, and the template
// resolves and escapes each of a row's six actions by reflection, as it
// did the directory's. A value is escaped as the template escapes
// text in an element; an ID, a UUID, is escaped as a path segment.
// TestPeopleRows holds the markup to what the template made.
func (p *PeoplePage) PeopleRows() template.HTML {
	var b strings.Builder
	b.Grow(len(p.People) * 256)
	cell := func(open, s, end string) {
		b.WriteString(open)
		b.WriteString(template.HTMLEscapeString(s))
		b.WriteString(end)
	}
	for _, r := range p.People {
		b.WriteString(`<tr><th scope="row"><a href="/people/`)
		b.WriteString(template.HTMLEscapeString(url.PathEscape(r.ID)))
		cell(`">`, r.Name, `</a></th>`)
		cell(`<td>`, r.Title, `</td>`)
		cell(`<td>`, r.UnitName, `</td>`)
		cell(`<td>`, r.Email, `</td>`)
		cell(`<td>`, r.Phone, "</td></tr>\n")
	}
	return template.HTML(b.String())
}
