package scimhttp

import (
	"net/http"
	"strings"
)

// The discovery endpoints (RFC 7644 §4) describe what this endpoint does,
// nothing of any organisation, so they answer without a token.

func (h *handler) serviceProviderConfig(w http.ResponseWriter, r *http.Request) {
	writeSCIM(w, http.StatusOK, doc{
		"schemas":          []any{schemaSPC},
		"documentationUri": "https://github.com/distans/distans#scim-provisioning",
		"patch":            doc{"supported": true},
		"bulk":             doc{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           doc{"supported": true, "maxResults": maxCount},
		"changePassword":   doc{"supported": false},
		"sort":             doc{"supported": false},
		"etag":             doc{"supported": false},
		"authenticationSchemes": []any{doc{
			"type": "oauthbearertoken", "name": "Bearer token", "primary": true,
			"description": "The organisation's SCIM token, made by its administrator (distans scim token -org SLUG).",
		}},
		"meta": doc{"resourceType": "ServiceProviderConfig", "location": h.base(r) + "/ServiceProviderConfig"},
	})
}

func resourceTypes(base string) []any {
	return []any{
		doc{
			"schemas": []any{schemaResourceType}, "id": "User", "name": "Users", "endpoint": "/Users",
			"description": "People with an employment in the organisation", "schema": schemaUser,
			"schemaExtensions": []any{doc{"schema": schemaEnterprise, "required": false}},
			"meta":             doc{"resourceType": "ResourceType", "location": base + "/ResourceTypes/User"},
		},
		doc{
			"schemas": []any{schemaResourceType}, "id": "Group", "name": "Groups", "endpoint": "/Groups",
			"description": "Groups, which the organisation maps to a role in a unit subtree", "schema": schemaGroup,
			"meta": doc{"resourceType": "ResourceType", "location": base + "/ResourceTypes/Group"},
		},
	}
}

func (h *handler) resourceTypes(w http.ResponseWriter, r *http.Request) {
	writeList(w, resourceTypes(h.base(r)), 1)
}

func (h *handler) resourceType(w http.ResponseWriter, r *http.Request) {
	for _, t := range resourceTypes(h.base(r)) {
		if strings.EqualFold(t.(doc)["id"].(string), r.PathValue("id")) {
			writeSCIM(w, http.StatusOK, t)
			return
		}
	}
	writeError(w, r, h.logger, &scimError{status: http.StatusNotFound, detail: "No resource type " + quote(r.PathValue("id")) + "; there are User and Group."})
}

// attr describes one attribute in /Schemas (RFC 7643 §7).
func attr(name, typ string, o attrOpts, subs ...doc) doc {
	d := doc{
		"name": name, "type": typ, "multiValued": o.multi, "required": o.required,
		"caseExact": o.caseExact, "mutability": "readWrite", "returned": "default", "uniqueness": "none",
		"description": o.desc,
	}
	if o.mutability != "" {
		d["mutability"] = o.mutability
	}
	if o.uniqueness != "" {
		d["uniqueness"] = o.uniqueness
	}
	if o.returned != "" {
		d["returned"] = o.returned
	}
	if len(subs) > 0 {
		list := make([]any, len(subs))
		for i, s := range subs {
			list[i] = s
		}
		d["subAttributes"] = list
	}
	if len(o.canonical) > 0 {
		d["canonicalValues"] = o.canonical
	}
	return d
}

type attrOpts struct {
	multi, required, caseExact       bool
	mutability, uniqueness, returned string
	desc                             string
	canonical                        []any
}

func schemas(base string) []any {
	s := func(id, name, desc string, attrs ...doc) doc {
		list := make([]any, len(attrs))
		for i, a := range attrs {
			list[i] = a
		}
		return doc{"schemas": []any{schemaSchema}, "id": id, "name": name, "description": desc, "attributes": list,
			"meta": doc{"resourceType": "Schema", "location": base + "/Schemas/" + id}}
	}
	typed := func(desc string) doc {
		return attr("value", "string", attrOpts{desc: desc})
	}
	return []any{
		s(schemaUser, "User", "A person with an employment in the organisation. Distans keeps one e-mail address (the primary, else the work one), and a work and a mobile number.",
			attr("userName", "string", attrOpts{required: true, uniqueness: "server", desc: "Unique in the organisation, compared without case."}),
			attr("name", "complex", attrOpts{desc: "The person's name."},
				attr("formatted", "string", attrOpts{desc: "The full name (the same as displayName)."}),
				attr("familyName", "string", attrOpts{}),
				attr("givenName", "string", attrOpts{})),
			attr("displayName", "string", attrOpts{desc: "The person's name as shown in Distans."}),
			attr("title", "string", attrOpts{}),
			attr("active", "boolean", attrOpts{desc: "false ends the employment today, all sessions and tokens at once; true again starts a new employment."}),
			attr("emails", "complex", attrOpts{multi: true, uniqueness: "server", desc: "The work address; unique in the organisation."},
				typed("The address."),
				attr("type", "string", attrOpts{canonical: []any{"work", "home", "other"}}),
				attr("primary", "boolean", attrOpts{})),
			attr("phoneNumbers", "complex", attrOpts{multi: true, desc: "The work number, which the directory shows to everyone, and the work mobile, which only the switchboard, the person and their managers see; numbers of other types are not kept."},
				typed("The number."),
				attr("type", "string", attrOpts{canonical: []any{"work", "mobile"}}),
				attr("primary", "boolean", attrOpts{})),
			attr("externalId", "string", attrOpts{caseExact: true, uniqueness: "server", desc: "The identity system's id of the person."}),
			attr("groups", "complex", attrOpts{multi: true, mutability: "readOnly", returned: "request", desc: "Not returned; read the groups' members."},
				attr("value", "string", attrOpts{mutability: "readOnly"})),
		),
		s(schemaEnterprise, "EnterpriseUser", "The enterprise extension: employee number, department (a unit of the organisation, by code or name) and manager.",
			attr("employeeNumber", "string", attrOpts{}),
			attr("department", "string", attrOpts{desc: "A unit of the organisation, by code or name."}),
			attr("manager", "complex", attrOpts{desc: "The manager, a user of this organisation."},
				attr("value", "string", attrOpts{desc: "The manager's id."}),
				attr("$ref", "reference", attrOpts{mutability: "readOnly"}))),
		s(schemaGroup, "Group", "A group of the identity system; its membership grants what the organisation maps its name to.",
			attr("displayName", "string", attrOpts{required: true, uniqueness: "server", desc: "The group's name, which the organisation maps to a role."}),
			attr("externalId", "string", attrOpts{caseExact: true}),
			attr("members", "complex", attrOpts{multi: true, desc: "Users of the organisation."},
				attr("value", "string", attrOpts{mutability: "immutable", desc: "The member's id."}),
				attr("$ref", "reference", attrOpts{mutability: "immutable"}),
				attr("type", "string", attrOpts{mutability: "immutable", canonical: []any{"User"}}))),
	}
}

func (h *handler) schemas(w http.ResponseWriter, r *http.Request) {
	writeList(w, schemas(h.base(r)), 1)
}

func (h *handler) schema(w http.ResponseWriter, r *http.Request) {
	for _, s := range schemas(h.base(r)) {
		if strings.EqualFold(s.(doc)["id"].(string), r.PathValue("id")) {
			writeSCIM(w, http.StatusOK, s)
			return
		}
	}
	writeError(w, r, h.logger, &scimError{status: http.StatusNotFound, detail: "No schema " + quote(r.PathValue("id")) + "."})
}
