package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/distans/distans"
)

// searchTerms are the words a person is found by: the words of the name and
// the title, the e-mail address whole and in its parts, and the employee
// number, folded (lower case, no diacritics) and without duplicates.
func searchTerms(p *distans.Person) []string {
	var terms []string
	add := func(s string) {
		for _, w := range strings.Fields(fold(s)) {
			if !slices.Contains(terms, w) {
				terms = append(terms, w)
			}
		}
	}
	add(p.Name)
	add(p.Title)
	add(p.EmployeeNumber)
	add(p.Email)
	add(strings.Map(func(r rune) rune {
		if strings.ContainsRune(".@_-+", r) {
			return ' '
		}
		return r
	}, p.Email))
	return terms
}

// writeTerms replaces the person's search terms.
func writeTerms(ctx context.Context, tx *sql.Tx, p *distans.Person) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM person_terms WHERE organisation_id = $1 AND person_id = $2`,
		p.OrganisationID, p.ID); err != nil {
		return err
	}
	return insertTerms(ctx, tx, p)
}

// insertTerms writes the search terms of a person who has none, in one
// statement.
func insertTerms(ctx context.Context, tx *sql.Tx, p *distans.Person) error {
	terms := searchTerms(p)
	if len(terms) == 0 {
		return nil
	}
	var q args
	values := make([]string, len(terms))
	for i, t := range terms {
		values[i] = "(" + q.add(p.OrganisationID) + ", " + q.add(t) + ", " + q.add(p.ID) + ")"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO person_terms (organisation_id, term, person_id) VALUES `+
		strings.Join(values, ", "), q...)
	return err
}

// termMatch is the condition that a person has a term starting with word:
// a range on the terms' index, bytewise on both databases.
func termMatch(q *args, orgID, word string) string {
	return "p.id IN (SELECT t.person_id FROM person_terms t WHERE t.organisation_id = " + q.add(orgID) +
		" AND t.term >= " + q.add(word) + " AND t.term < " + q.add(word+string(rune(0x10FFFF))) + ")"
}

// rebuildTerms fills person_terms from people when it is empty, as after
// the migration that added it; it changes nothing otherwise.
func (s *Store) rebuildTerms(ctx context.Context) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var any int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM person_terms LIMIT 1) x`).Scan(&any); err != nil || any > 0 {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT organisation_id, id, name, email, title, employee_number FROM people`)
		if err != nil {
			return err
		}
		var people []*distans.Person
		for rows.Next() {
			p := &distans.Person{}
			if err := rows.Scan(&p.OrganisationID, &p.ID, &p.Name, &p.Email, &p.Title, &p.EmployeeNumber); err != nil {
				rows.Close()
				return err
			}
			people = append(people, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, p := range people {
			if err := writeTerms(ctx, tx, p); err != nil {
				return err
			}
		}
		return nil
	})
}
