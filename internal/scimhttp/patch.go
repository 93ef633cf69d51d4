package scimhttp

import (
	"encoding/json"
	"strconv"
	"strings"
)

// patchRequest is a PATCH body (RFC 7644 §3.5.2).
type patchRequest struct {
	Schemas    []string    `json:"schemas"`
	Operations []operation `json:"Operations"`
}

type operation struct {
	Op    string          `json:"op"`
	Path  string          `json:"path"`
	Value json.RawMessage `json:"value"`
}

// patchPath is a parsed PATCH path: attr, optionally in an extension
// schema, optionally narrowed to the elements a value filter selects, and
// optionally one sub-attribute (emails[type eq "work"].value).
type patchPath struct {
	schema string // the extension whose object holds attr; "" for core
	attr   string
	filter []term
	hasSel bool
	sub    string
}

// attrKind is how an attribute is patched.
type attrKind int

const (
	simple attrKind = iota
	complexAttr
	multi
	readOnly
)

// userAttrs are the attributes of RFC 7643's User and enterprise
// extension, lower-cased: those Distans keeps, and those it accepts and
// does not keep (an identity system's default mappings send addresses
// and preferredLanguage, and refusing them would stop provisioning).
var userAttrs = map[string]attrKind{
	"username": simple, "externalid": simple, "displayname": simple, "title": simple, "active": simple,
	"nickname": simple, "profileurl": simple, "usertype": simple, "preferredlanguage": simple, "locale": simple,
	"timezone": simple, "password": simple,
	"name": complexAttr, "emails": multi, "phonenumbers": multi, "ims": multi, "photos": multi, "addresses": multi,
	"entitlements": multi, "roles": multi, "x509certificates": multi,
	"id": readOnly, "meta": readOnly, "groups": readOnly,
}

var enterpriseAttrs = map[string]attrKind{
	"employeenumber": simple, "costcenter": simple, "organization": simple, "division": simple, "department": simple,
	"manager": complexAttr,
}

var groupAttrs = map[string]attrKind{
	"displayname": simple, "externalid": simple, "members": multi, "id": readOnly, "meta": readOnly,
}

// resourceKind says which resource a patch applies to: its attributes,
// its core schema and the extensions it may name.
type resourceKind struct {
	core       string
	attrs      map[string]attrKind
	extensions map[string]map[string]attrKind
}

var (
	userKind  = resourceKind{core: schemaUser, attrs: userAttrs, extensions: map[string]map[string]attrKind{strings.ToLower(schemaEnterprise): enterpriseAttrs}}
	groupKind = resourceKind{core: schemaGroup, attrs: groupAttrs}
)

func canonicalSchema(s string) string {
	switch strings.ToLower(s) {
	case strings.ToLower(schemaEnterprise):
		return schemaEnterprise
	case strings.ToLower(schemaUser):
		return schemaUser
	case strings.ToLower(schemaGroup):
		return schemaGroup
	}
	return s
}

// parsePath reads a PATCH path, or an attribute key of a path-less
// operation's value (Entra's "name.givenName" and
// "urn:…:enterprise:2.0:User:employeeNumber" keys).
func (k resourceKind) parsePath(s string) (*patchPath, error) {
	p := &patchPath{}
	rest := strings.TrimSpace(s)
	low := strings.ToLower(rest)
	if strings.HasPrefix(low, "urn:") {
		schemas := []string{k.core}
		for ext := range k.extensions {
			schemas = append(schemas, ext)
		}
		found := false
		for _, sc := range schemas {
			if strings.HasPrefix(low, strings.ToLower(sc)+":") {
				if !strings.EqualFold(sc, k.core) {
					p.schema = canonicalSchema(sc)
				}
				rest = rest[len(sc)+1:]
				found = true
				break
			}
		}
		if !found {
			return nil, badRequest(invalidPath, "The path "+quote(s)+" names a schema this endpoint does not know.")
		}
	}
	i := strings.IndexAny(rest, "[.")
	if i < 0 {
		p.attr = rest
	} else {
		p.attr = rest[:i]
		if rest[i] == '[' {
			end := closing(rest, i)
			if end < 0 {
				return nil, badRequest(invalidPath, "The path "+quote(s)+" has a [ without its ].")
			}
			terms, err := parseTerms(rest[i+1 : end])
			if err != nil {
				return nil, badRequest(invalidPath, "The value filter of the path "+quote(s)+" is not understood: only eq joined by and is supported.")
			}
			for _, t := range terms {
				if t.op != "eq" {
					return nil, badRequest(invalidPath, "The value filter of the path "+quote(s)+" uses "+quote(t.op)+"; only eq is supported.")
				}
			}
			p.filter, p.hasSel = terms, true
			rest = rest[end+1:]
			if rest != "" {
				if rest[0] != '.' {
					return nil, badRequest(invalidPath, "The path "+quote(s)+" is not understood.")
				}
				p.sub = rest[1:]
			}
		} else {
			p.sub = rest[i+1:]
		}
	}
	if p.attr == "" || strings.ContainsAny(p.sub, ".[]") {
		return nil, badRequest(invalidPath, "The path "+quote(s)+" is not understood.")
	}
	if _, ok := k.attrsOf(p.schema)[strings.ToLower(p.attr)]; !ok {
		return nil, badRequest(invalidPath, "The attribute "+quote(p.attr)+" is not an attribute of this resource.")
	}
	return p, nil
}

func (k resourceKind) attrsOf(schema string) map[string]attrKind {
	if schema == "" {
		return k.attrs
	}
	return k.extensions[strings.ToLower(schema)]
}

// closing finds the ] that closes the [ at i, past quoted strings.
func closing(s string, i int) int {
	inQuote := false
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case inQuote && c == '\\':
			j++
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == ']':
			return j
		}
	}
	return -1
}

// applyPatch applies the operations of a PATCH to the resource document
// d, in order. Op is compared without case (Entra sends "Replace" and
// "Add"); an operation without a path takes an object of attributes,
// whose keys may themselves be paths.
func (k resourceKind) applyPatch(d doc, ops []operation) error {
	if len(ops) == 0 {
		return badRequest(invalidSyntax, "Operations must hold at least one operation.")
	}
	for i, o := range ops {
		op := strings.ToLower(strings.TrimSpace(o.Op))
		if op != "add" && op != "replace" && op != "remove" {
			return badRequest(invalidSyntax, "Operation "+itoa(i+1)+": op must be add, replace or remove, not "+quote(o.Op)+".")
		}
		var value any
		hasValue := len(o.Value) > 0 && string(o.Value) != "null"
		if hasValue {
			if err := json.Unmarshal(o.Value, &value); err != nil {
				return badRequest(invalidSyntax, "Operation "+itoa(i+1)+": value is not valid JSON.")
			}
		}
		if strings.TrimSpace(o.Path) == "" {
			if op == "remove" {
				return badRequest(noTarget, "Operation "+itoa(i+1)+": remove needs a path.")
			}
			obj, ok := value.(doc)
			if !ok {
				return badRequest(invalidValue, "Operation "+itoa(i+1)+": without a path, value must be an object of attributes.")
			}
			if err := k.applyObject(d, op, obj); err != nil {
				return err
			}
			continue
		}
		p, err := k.parsePath(o.Path)
		if err != nil {
			return err
		}
		if op != "remove" && !hasValue {
			return badRequest(invalidValue, "Operation "+itoa(i+1)+": "+op+" needs a value.")
		}
		if err := k.apply(d, op, p, value, hasValue); err != nil {
			return err
		}
	}
	return nil
}

// applyObject applies a path-less add or replace: each key is an
// attribute, a path, or an extension's URN holding its attributes. The
// resource's own id, meta and schemas (Okta sends id and displayName
// together) are not changes and are passed over.
func (k resourceKind) applyObject(d doc, op string, obj doc) error {
	for key, v := range obj {
		switch strings.ToLower(key) {
		case "id", "meta", "schemas":
			continue
		}
		if strings.EqualFold(key, k.core) {
			if inner, ok := v.(doc); ok {
				if err := k.applyObject(d, op, inner); err != nil {
					return err
				}
				continue
			}
		}
		if ext, ok := k.extensions[strings.ToLower(key)]; ok {
			inner, ok := v.(doc)
			if !ok {
				return badRequest(invalidValue, quote(key)+" must be an object of the extension's attributes.")
			}
			for ik, iv := range inner {
				if _, ok := ext[strings.ToLower(strings.SplitN(ik, ".", 2)[0])]; !ok {
					return badRequest(invalidPath, "The attribute "+quote(ik)+" is not an attribute of "+key+".")
				}
				p, err := k.parsePath(canonicalSchema(key) + ":" + ik)
				if err != nil {
					return err
				}
				if err := k.apply(d, op, p, iv, true); err != nil {
					return err
				}
			}
			continue
		}
		p, err := k.parsePath(key)
		if err != nil {
			return err
		}
		if err := k.apply(d, op, p, v, true); err != nil {
			return err
		}
	}
	return nil
}

// apply carries out one operation at path p.
func (k resourceKind) apply(d doc, op string, p *patchPath, value any, hasValue bool) error {
	kind := k.attrsOf(p.schema)[strings.ToLower(p.attr)]
	if kind == readOnly {
		return &scimError{status: 400, scimType: mutability, detail: "The attribute " + quote(p.attr) + " is read-only."}
	}
	container := d
	if p.schema != "" {
		c, key, ok := lookup(d, p.schema)
		obj, isObj := c.(doc)
		if !ok || !isObj {
			if op == "remove" {
				return nil
			}
			obj = doc{}
			if ok {
				delete(d, key)
			}
			d[p.schema] = obj
		}
		container = obj
	}
	cur, key, exists := lookup(container, p.attr)
	if !exists {
		key = p.attr
	}
	if kind == multi {
		return applyMulti(container, key, cur, op, p, value, hasValue)
	}
	switch {
	case p.sub != "":
		obj, ok := cur.(doc)
		if !ok {
			if op == "remove" {
				return nil
			}
			obj = doc{}
			container[key] = obj
		}
		_, subKey, found := lookup(obj, p.sub)
		if !found {
			subKey = p.sub
		}
		if op == "remove" {
			delete(obj, subKey)
		} else {
			obj[subKey] = value
		}
	case op == "remove":
		delete(container, key)
	case kind == complexAttr:
		// add and replace of a complex attribute set the sub-attributes
		// given and keep the others (RFC 7644 §3.5.2.1, §3.5.2.3); a
		// manager given as the bare id is its value.
		obj, ok := cur.(doc)
		if !ok {
			obj = doc{}
		}
		switch v := value.(type) {
		case doc:
			for sk, sv := range v {
				if _, found, ok := lookup(obj, sk); ok {
					obj[found] = sv
				} else {
					obj[sk] = sv
				}
			}
		case string:
			obj["value"] = v
		case nil:
			delete(container, key)
			return nil
		default:
			return badRequest(invalidValue, quote(p.attr)+" must be an object.")
		}
		container[key] = obj
	default:
		container[key] = value
	}
	return nil
}

// applyMulti carries out an operation on a multi-valued attribute
// (emails, phoneNumbers, members).
func applyMulti(container doc, key string, cur any, op string, p *patchPath, value any, hasValue bool) error {
	list, _ := cur.([]any)
	if !p.hasSel {
		if p.sub != "" {
			// emails.value without a filter: every element.
			if op == "remove" {
				for _, e := range list {
					if o, ok := e.(doc); ok {
						if _, k, ok := lookup(o, p.sub); ok {
							delete(o, k)
						}
					}
				}
				return nil
			}
			if len(list) == 0 {
				list = []any{doc{}}
			}
			for _, e := range list {
				if o, ok := e.(doc); ok {
					o[p.sub] = value
				}
			}
			container[key] = list
			return nil
		}
		values, err := elements(p.attr, value, hasValue)
		if err != nil {
			return err
		}
		switch op {
		case "add":
			// One element may be primary (RFC 7643 §2.4): a new primary
			// one takes the flag from the others.
			if anyPrimary(values) {
				for _, e := range list {
					if o, ok := e.(doc); ok {
						if _, k, ok := lookup(o, "primary"); ok {
							o[k] = false
						}
					}
				}
			}
			container[key] = appendNew(list, values)
		case "replace":
			container[key] = values
		case "remove":
			// Entra (without aadOptscim062020) removes members as
			// path "members" with the members to remove as value;
			// without a value the whole attribute goes.
			if !hasValue {
				delete(container, key)
				return nil
			}
			container[key] = without(list, values)
		}
		return nil
	}
	var matched []doc
	var kept []any
	for _, e := range list {
		o, ok := e.(doc)
		if ok && matches(o, p.filter) {
			matched = append(matched, o)
			continue
		}
		kept = append(kept, e)
	}
	if op == "remove" {
		if p.sub == "" {
			if kept == nil {
				kept = []any{}
			}
			container[key] = kept
			return nil
		}
		for _, o := range matched {
			if _, k, ok := lookup(o, p.sub); ok {
				delete(o, k)
			}
		}
		return nil
	}
	if len(matched) == 0 {
		// Entra adds and replaces emails[type eq "work"].value on a user
		// that has no work address yet: the element the filter names is
		// made (the SCIM validator of Entra expects it to exist after).
		o := doc{}
		for _, t := range p.filter {
			o[t.attr] = t.value
		}
		list = append(list, o)
		matched = []doc{o}
	}
	for _, o := range matched {
		if p.sub != "" {
			o[p.sub] = value
			continue
		}
		v, ok := value.(doc)
		if !ok {
			return badRequest(invalidValue, "The value for "+quote(p.attr)+"[…] must be an object.")
		}
		for sk, sv := range v {
			o[sk] = sv
		}
	}
	container[key] = list
	return nil
}

// elements is the value of an operation on a whole multi-valued
// attribute: a list of objects, or one object.
func elements(attr string, value any, hasValue bool) ([]any, error) {
	switch v := value.(type) {
	case []any:
		for _, e := range v {
			if _, ok := e.(doc); !ok {
				return nil, badRequest(invalidValue, quote(attr)+" must be a list of objects.")
			}
		}
		return v, nil
	case doc:
		return []any{v}, nil
	case nil:
		if !hasValue {
			return []any{}, nil
		}
	}
	return nil, badRequest(invalidValue, quote(attr)+" must be a list of objects.")
}

// matches reports whether element o satisfies every "attr eq value" term.
// Values are compared without case: types ("work") and ids alike.
func matches(o doc, terms []term) bool {
	for _, t := range terms {
		v, _, ok := lookup(o, t.attr)
		if !ok || !strings.EqualFold(toString(v), t.value) {
			return false
		}
	}
	return true
}

func valueOf(e any) string {
	if o, ok := e.(doc); ok {
		v, _, _ := lookup(o, "value")
		return toString(v)
	}
	return ""
}

// appendNew adds the elements of add whose value is not in list yet, so
// that adding a member twice keeps one.
func appendNew(list, add []any) []any {
	have := map[string]bool{}
	for _, e := range list {
		have[strings.ToLower(valueOf(e))] = true
	}
	for _, e := range add {
		v := strings.ToLower(valueOf(e))
		if v != "" && have[v] {
			continue
		}
		have[v] = true
		list = append(list, e)
	}
	if list == nil {
		list = []any{}
	}
	return list
}

func without(list, remove []any) []any {
	gone := map[string]bool{}
	for _, e := range remove {
		gone[strings.ToLower(valueOf(e))] = true
	}
	out := []any{}
	for _, e := range list {
		if !gone[strings.ToLower(valueOf(e))] {
			out = append(out, e)
		}
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }

func anyPrimary(values []any) bool {
	for _, e := range values {
		if o, ok := e.(doc); ok {
			if p, _, ok := lookup(o, "primary"); ok {
				if b, err := boolean(p, "primary"); err == nil && b {
					return true
				}
			}
		}
	}
	return false
}
