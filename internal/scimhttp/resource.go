package scimhttp

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// The schema URNs of RFC 7643 and 7644 this endpoint speaks.
const (
	schemaUser         = "urn:ietf:params:scim:schemas:core:2.0:User"
	schemaGroup        = "urn:ietf:params:scim:schemas:core:2.0:Group"
	schemaEnterprise   = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	schemaListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	schemaPatchOp      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	schemaError        = "urn:ietf:params:scim:api:messages:2.0:Error"
	schemaSPC          = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	schemaResourceType = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	schemaSchema       = "urn:ietf:params:scim:schemas:core:2.0:Schema"
)

// A resource is written from a struct (userJSON, groupJSON): encoding
// one costs a fraction of a map's, whose keys are sorted at every write,
// and Entra looks a user up before every change it makes. PATCH and an
// attributes projection work on the resource's JSON document instead
// (docOf: map[string]any, []any, string, bool, as encoding/json decodes),
// so that a PATCH is applied to what the identity system sees, whatever
// path shape it uses, and then read back into the domain's SCIMUser or
// SCIMGroup with the same reader as a POST body. The struct is the one
// description of a resource; the document is made from it.
type doc = map[string]any

// docOf is v's JSON document. v is one of this file's resource structs,
// which always encode.
func docOf(v any) doc {
	b, err := json.Marshal(v)
	if err != nil {
		panic("scimhttp: a resource does not encode: " + err.Error())
	}
	var d doc
	if err := json.Unmarshal(b, &d); err != nil {
		panic("scimhttp: a resource does not decode: " + err.Error())
	}
	return d
}

type metaJSON struct {
	ResourceType string `json:"resourceType"`
	Created      string `json:"created"`
	LastModified string `json:"lastModified"`
	Location     string `json:"location"`
	Version      string `json:"version"`
}

func meta(resourceType, location string, created, modified time.Time) metaJSON {
	return metaJSON{
		ResourceType: resourceType,
		Created:      created.UTC().Format(time.RFC3339),
		LastModified: modified.UTC().Format(time.RFC3339),
		Location:     location,
		Version:      version(modified),
	}
}

// version is the resource's ETag: it changes with every write, since every
// write moves LastModified.
func version(modified time.Time) string {
	return `W/"` + strconv.FormatInt(modified.UnixNano(), 36) + `"`
}

type userJSON struct {
	Schemas      []string        `json:"schemas"`
	ID           string          `json:"id"`
	ExternalID   string          `json:"externalId,omitempty"`
	UserName     string          `json:"userName"`
	Name         *nameJSON       `json:"name,omitempty"`
	DisplayName  string          `json:"displayName,omitempty"`
	Title        string          `json:"title,omitempty"`
	Active       bool            `json:"active"`
	Emails       []valueJSON     `json:"emails,omitempty"`
	PhoneNumbers []valueJSON     `json:"phoneNumbers,omitempty"`
	Enterprise   *enterpriseJSON `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User,omitempty"`
	Meta         metaJSON        `json:"meta"`
}

type nameJSON struct {
	GivenName  string `json:"givenName,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
	Formatted  string `json:"formatted,omitempty"`
}

// valueJSON is an element of a multi-valued attribute.
type valueJSON struct {
	Value   string `json:"value"`
	Type    string `json:"type"`
	Primary bool   `json:"primary,omitempty"`
}

type enterpriseJSON struct {
	EmployeeNumber string   `json:"employeeNumber,omitempty"`
	Department     string   `json:"department,omitempty"`
	Manager        *refJSON `json:"manager,omitempty"`
}

// refJSON is a reference to a user: a manager or a group's member.
type refJSON struct {
	Value string `json:"value"`
	Ref   string `json:"$ref"`
	Type  string `json:"type,omitempty"`
}

// userResource is u as SCIM shows it. Distans keeps one e-mail address,
// shown as the primary work one, and a work and a mobile number, each
// with its type and neither marked primary: the type says which is which.
func userResource(u *distans.SCIMUser, base string) *userJSON {
	res := &userJSON{
		Schemas:     []string{schemaUser, schemaEnterprise},
		ID:          u.ID,
		ExternalID:  u.ExternalID,
		UserName:    u.UserName,
		DisplayName: u.DisplayName,
		Title:       u.Title,
		Active:      u.Active,
		Meta:        meta("User", base+"/Users/"+u.ID, u.Created, u.LastModified),
	}
	if u.GivenName != "" || u.FamilyName != "" || u.DisplayName != "" {
		res.Name = &nameJSON{GivenName: u.GivenName, FamilyName: u.FamilyName, Formatted: u.DisplayName}
	}
	if u.Email != "" {
		res.Emails = []valueJSON{{Value: u.Email, Type: "work", Primary: true}}
	}
	if u.Phone != "" {
		res.PhoneNumbers = append(res.PhoneNumbers, valueJSON{Value: u.Phone, Type: "work"})
	}
	if u.Mobile != "" {
		res.PhoneNumbers = append(res.PhoneNumbers, valueJSON{Value: u.Mobile, Type: "mobile"})
	}
	if u.EmployeeNumber != "" || u.Department != "" || u.ManagerID != "" {
		res.Enterprise = &enterpriseJSON{EmployeeNumber: u.EmployeeNumber, Department: u.Department}
		if u.ManagerID != "" {
			res.Enterprise.Manager = &refJSON{Value: u.ManagerID, Ref: base + "/Users/" + u.ManagerID}
		}
	}
	return res
}

// userDoc is u's document, for PATCH.
func userDoc(u *distans.SCIMUser, base string) doc { return docOf(userResource(u, base)) }

type groupJSON struct {
	Schemas     []string `json:"schemas"`
	ID          string   `json:"id"`
	ExternalID  string   `json:"externalId,omitempty"`
	DisplayName string   `json:"displayName"`
	// Members is nil when they were not asked for, and a list, empty or
	// not, when they were.
	Members *[]refJSON `json:"members,omitempty"`
	Meta    metaJSON   `json:"meta"`
}

func groupResource(g *distans.SCIMGroup, base string, members bool) *groupJSON {
	res := &groupJSON{
		Schemas:     []string{schemaGroup},
		ID:          g.ID,
		ExternalID:  g.ExternalID,
		DisplayName: g.DisplayName,
		Meta:        meta("Group", base+"/Groups/"+g.ID, g.Created, g.LastModified),
	}
	if members {
		ms := make([]refJSON, len(g.Members))
		for i, id := range g.Members {
			ms[i] = refJSON{Value: id, Ref: base + "/Users/" + id, Type: "User"}
		}
		res.Members = &ms
	}
	return res
}

// groupDoc is g's document, for PATCH.
func groupDoc(g *distans.SCIMGroup, base string, members bool) doc {
	return docOf(groupResource(g, base, members))
}

// lookup returns the value of attribute name in d, whose names SCIM
// compares without case, and the key it has there.
func lookup(d doc, name string) (any, string, bool) {
	if v, ok := d[name]; ok {
		return v, name, true
	}
	for k, v := range d {
		if strings.EqualFold(k, name) {
			return v, k, true
		}
	}
	return nil, "", false
}

// userSchemas are the schemas a user body may name; groupSchemas a group's.
// Entra names a schema of its own in the groups it creates, with no
// attributes of it: it is taken and has nothing to keep.
var (
	userSchemas  = []string{schemaUser, schemaEnterprise}
	groupSchemas = []string{schemaGroup, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"}
)

// checkSchemas refuses a body that names a schema Distans does not know,
// in its schemas list or as an extension key, so that attributes of an
// extension nobody reads are not silently dropped.
func checkSchemas(d doc, known []string) error {
	isKnown := func(s string) bool {
		for _, k := range known {
			if strings.EqualFold(s, k) {
				return true
			}
		}
		return false
	}
	if v, _, ok := lookup(d, "schemas"); ok {
		list, ok := v.([]any)
		if !ok {
			return badRequest(invalidSyntax, "schemas must be a list of schema URNs.")
		}
		for _, s := range list {
			str, ok := s.(string)
			if !ok || !isKnown(str) {
				return badRequest(invalidValue, "Unknown schema "+quote(toString(s))+"; this endpoint takes "+strings.Join(known, " and ")+".")
			}
		}
	}
	for k := range d {
		if strings.HasPrefix(strings.ToLower(k), "urn:") && !isKnown(k) {
			return badRequest(invalidValue, "Unknown schema extension "+quote(k)+"; this endpoint takes "+strings.Join(known, " and ")+".")
		}
	}
	return nil
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// flatten moves core attributes written under the core schema's URN (RFC
// 7643 §3 allows the fully qualified form) to the top level.
func flatten(d doc, core string) {
	v, key, ok := lookup(d, core)
	if !ok {
		return
	}
	delete(d, key)
	if inner, ok := v.(doc); ok {
		for k, val := range inner {
			d[k] = val
		}
	}
}

// str reads the string attribute name of d; absent and null are "".
func str(d doc, name, path string) (string, error) {
	v, _, ok := lookup(d, name)
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", badRequest(invalidValue, path+" must be a string.")
	}
	return strings.TrimSpace(s), nil
}

// boolean reads a boolean attribute. Entra sends "True" and "False" as
// strings (without the aadOptscim062020 flag), so strings of either
// casing are taken as well.
func boolean(v any, path string) (bool, error) {
	switch v := v.(type) {
	case bool:
		return v, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, badRequest(invalidValue, path+" must be true or false.")
}

func object(d doc, name, path string) (doc, error) {
	v, _, ok := lookup(d, name)
	if !ok || v == nil {
		return nil, nil
	}
	o, ok := v.(doc)
	if !ok {
		return nil, badRequest(invalidValue, path+" must be an object.")
	}
	return o, nil
}

// pick returns the value of the element of a multi-valued attribute that
// Distans keeps: the primary one, else the work one, else the first.
func pick(d doc, name string) (string, error) {
	v, _, ok := lookup(d, name)
	if !ok || v == nil {
		return "", nil
	}
	list, ok := v.([]any)
	if !ok {
		return "", badRequest(invalidValue, name+" must be a list of objects with a value.")
	}
	var first, work, primary string
	for _, e := range list {
		o, ok := e.(doc)
		if !ok {
			return "", badRequest(invalidValue, name+" must be a list of objects with a value.")
		}
		val, err := str(o, "value", name+".value")
		if err != nil {
			return "", err
		}
		if val == "" {
			continue
		}
		typ, _ := str(o, "type", name+".type")
		if p, _, ok := lookup(o, "primary"); ok && p != nil {
			if b, err := boolean(p, name+".primary"); err == nil && b && primary == "" {
				primary = val
			}
		}
		if strings.EqualFold(typ, "work") && work == "" {
			work = val
		}
		if first == "" {
			first = val
		}
	}
	switch {
	case primary != "":
		return primary, nil
	case work != "":
		return work, nil
	}
	return first, nil
}

// phones returns the work and the mobile number of a user document's
// phoneNumbers, by type (compared without case); a number without a type
// is the work number, as it was before types were read. Of several of one
// type the primary one counts, else the last: a PATCH that adds a number
// of a type the user has appends it, and means it. Numbers of other types
// (fax, home, pager, other) are taken and not kept, as Entra's default
// mapping sends the fax number: refusing them would stop provisioning.
func phones(d doc) (work, mobile string, err error) {
	v, _, ok := lookup(d, "phoneNumbers")
	if !ok || v == nil {
		return "", "", nil
	}
	list, ok := v.([]any)
	if !ok {
		return "", "", badRequest(invalidValue, "phoneNumbers must be a list of objects with a value.")
	}
	var untyped string
	primary := map[string]bool{}
	for _, e := range list {
		o, ok := e.(doc)
		if !ok {
			return "", "", badRequest(invalidValue, "phoneNumbers must be a list of objects with a value.")
		}
		val, err := str(o, "value", "phoneNumbers.value")
		if err != nil {
			return "", "", err
		}
		typ, err := str(o, "type", "phoneNumbers.type")
		if err != nil {
			return "", "", err
		}
		if val == "" {
			continue
		}
		isPrimary := false
		if p, _, ok := lookup(o, "primary"); ok && p != nil {
			if isPrimary, err = boolean(p, "phoneNumbers.primary"); err != nil {
				return "", "", err
			}
		}
		typ = strings.ToLower(typ)
		var slot *string
		switch typ {
		case "work":
			slot = &work
		case "mobile":
			slot = &mobile
		case "":
			slot = &untyped
		default:
			continue
		}
		if !primary[typ] {
			*slot, primary[typ] = val, isPrimary
		}
	}
	if work == "" {
		work = untyped
	}
	return work, mobile, nil
}

// readUser reads a user document (a POST or PUT body, or a patched
// resource) into a SCIMUser. A missing active is true: a new person is
// active unless the identity system says otherwise.
func readUser(d doc) (*distans.SCIMUser, error) {
	flatten(d, schemaUser)
	u := &distans.SCIMUser{Active: true}
	var err error
	if u.UserName, err = str(d, "userName", "userName"); err != nil {
		return nil, err
	}
	if u.ExternalID, err = str(d, "externalId", "externalId"); err != nil {
		return nil, err
	}
	if u.DisplayName, err = str(d, "displayName", "displayName"); err != nil {
		return nil, err
	}
	if u.Title, err = str(d, "title", "title"); err != nil {
		return nil, err
	}
	name, err := object(d, "name", "name")
	if err != nil {
		return nil, err
	}
	if name != nil {
		if u.GivenName, err = str(name, "givenName", "name.givenName"); err != nil {
			return nil, err
		}
		if u.FamilyName, err = str(name, "familyName", "name.familyName"); err != nil {
			return nil, err
		}
		formatted, err := str(name, "formatted", "name.formatted")
		if err != nil {
			return nil, err
		}
		if u.DisplayName == "" {
			u.DisplayName = formatted
		}
	}
	if u.DisplayName == "" {
		u.DisplayName = strings.TrimSpace(u.GivenName + " " + u.FamilyName)
	}
	if u.Email, err = pick(d, "emails"); err != nil {
		return nil, err
	}
	if u.Phone, u.Mobile, err = phones(d); err != nil {
		return nil, err
	}
	if v, _, ok := lookup(d, "active"); ok && v != nil {
		if u.Active, err = boolean(v, "active"); err != nil {
			return nil, err
		}
	}
	ext, err := object(d, schemaEnterprise, schemaEnterprise)
	if err != nil {
		return nil, err
	}
	if ext != nil {
		if u.EmployeeNumber, err = str(ext, "employeeNumber", "employeeNumber"); err != nil {
			return nil, err
		}
		if u.Department, err = str(ext, "department", "department"); err != nil {
			return nil, err
		}
		// Entra sends the manager as the manager's id alone; RFC 7643
		// as an object with value.
		if m, _, ok := lookup(ext, "manager"); ok && m != nil {
			switch m := m.(type) {
			case string:
				u.ManagerID = strings.TrimSpace(m)
			case doc:
				if u.ManagerID, err = str(m, "value", "manager.value"); err != nil {
					return nil, err
				}
			default:
				return nil, badRequest(invalidValue, "manager must be an object with the manager's id as value.")
			}
		}
	}
	return u, nil
}

func readGroup(d doc) (*distans.SCIMGroup, error) {
	flatten(d, schemaGroup)
	g := &distans.SCIMGroup{}
	var err error
	if g.DisplayName, err = str(d, "displayName", "displayName"); err != nil {
		return nil, err
	}
	if g.ExternalID, err = str(d, "externalId", "externalId"); err != nil {
		return nil, err
	}
	v, _, ok := lookup(d, "members")
	if !ok || v == nil {
		return g, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, badRequest(invalidValue, "members must be a list of objects with the member's id as value.")
	}
	seen := map[string]bool{}
	for _, e := range list {
		o, ok := e.(doc)
		if !ok {
			return nil, badRequest(invalidValue, "members must be a list of objects with the member's id as value.")
		}
		id, err := str(o, "value", "members.value")
		if err != nil {
			return nil, err
		}
		if id == "" {
			return nil, badRequest(invalidValue, "Every member needs the member's id as value.")
		}
		if !seen[id] {
			seen[id] = true
			g.Members = append(g.Members, id)
		}
	}
	return g, nil
}
