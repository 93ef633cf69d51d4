package scimhttp

import (
	"encoding/json"
	"strings"

	"github.com/distans/distans"
)

// term is one "attr op value" of a filter, as written.
type term struct {
	attr, op, value string
}

// parseTerms reads a filter of "attr op value" terms joined by "and": the
// only grammar Distans answers (RFC 7644 §3.4.2.2 has more). Values are
// JSON strings; anything else (or, not, parentheses, a bare value) is an
// invalidFilter naming what was not understood.
func parseTerms(s string) ([]term, error) {
	var terms []term
	rest := strings.TrimSpace(s)
	if rest == "" {
		return nil, badRequest(invalidFilter, "The filter is empty.")
	}
	for {
		attr, r := nextWord(rest)
		op, r2 := nextWord(r)
		if attr == "" || op == "" {
			return nil, badRequest(invalidFilter, "The filter "+quote(s)+" is not of the form attribute eq \"value\".")
		}
		if strings.ContainsAny(attr, "()") || strings.EqualFold(attr, "not") {
			return nil, badRequest(invalidFilter, "Only eq joined by and is supported; the filter "+quote(s)+" has parentheses or not.")
		}
		value, r3, err := nextValue(strings.TrimSpace(r2))
		if err != nil {
			return nil, badRequest(invalidFilter, "The filter "+quote(s)+" needs a value in double quotes after "+attr+" "+op+".")
		}
		terms = append(terms, term{attr: attr, op: strings.ToLower(op), value: value})
		rest = strings.TrimSpace(r3)
		if rest == "" {
			return terms, nil
		}
		join, r4 := nextWord(rest)
		if !strings.EqualFold(join, "and") {
			return nil, badRequest(invalidFilter, "Only and may join the terms of a filter, not "+quote(join)+".")
		}
		rest = strings.TrimSpace(r4)
	}
}

// nextWord splits off the next word, where a word may hold a bracketed
// value filter with quoted strings (emails[type eq "work"].value).
func nextWord(s string) (string, string) {
	s = strings.TrimSpace(s)
	depth, inQuote := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == ' ' && depth == 0:
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// nextValue reads a JSON string at the start of s.
func nextValue(s string) (string, string, error) {
	if !strings.HasPrefix(s, `"`) {
		return "", "", badRequest(invalidFilter, "value")
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			var v string
			if err := json.Unmarshal([]byte(s[:i+1]), &v); err != nil {
				return "", "", err
			}
			return v, s[i+1:], nil
		}
	}
	return "", "", badRequest(invalidFilter, "value")
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// userFilterAttrs are the attributes a user filter may name, lower-cased,
// with the name the service knows them by.
var userFilterAttrs = map[string]string{
	"username":                       "userName",
	"externalid":                     "externalId",
	"emails.value":                   "emails.value",
	"emails[type eq \"work\"].value": "emails.value",
	"employeenumber":                 "employeeNumber",
	strings.ToLower(schemaEnterprise) + ":employeenumber": "employeeNumber",
	strings.ToLower(schemaUser) + ":username":             "userName",
	strings.ToLower(schemaUser) + ":externalid":           "externalId",
	strings.ToLower(schemaUser) + ":emails.value":         "emails.value",
}

var groupFilterAttrs = map[string]string{
	"displayname": "displayName",
	"externalid":  "externalId",
	strings.ToLower(schemaGroup) + ":displayname": "displayName",
	strings.ToLower(schemaGroup) + ":externalid":  "externalId",
}

// parseFilter turns the filter query parameter into the service's
// SCIMFilter, refusing attributes and operators the service cannot answer.
func parseFilter(s string, attrs map[string]string) (distans.SCIMFilter, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	terms, err := parseTerms(s)
	if err != nil {
		return nil, err
	}
	f := make(distans.SCIMFilter, 0, len(terms))
	for _, t := range terms {
		if t.op != "eq" {
			return nil, badRequest(invalidFilter, "The operator "+quote(t.op)+" is not supported; only eq (joined by and) is.")
		}
		name, ok := attrs[strings.ToLower(strings.ReplaceAll(t.attr, "'", "\""))]
		if !ok {
			return nil, badRequest(invalidFilter, "Filtering on "+quote(t.attr)+" is not supported; "+supported(attrs)+".")
		}
		f = append(f, distans.SCIMFilterTerm{Attr: name, Value: t.value})
	}
	return f, nil
}

func supported(attrs map[string]string) string {
	if _, ok := attrs["username"]; ok {
		return "filter on userName, externalId, emails.value or employeeNumber"
	}
	return "filter on displayName or externalId"
}
