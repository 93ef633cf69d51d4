package scimhttp

import (
	"net/http"

	"github.com/distans/distans"
)

func (h *handler) listGroups(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := parseFilter(q.Get("filter"), groupFilterAttrs)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	start, count, err := paging(q)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	p := projectionOf(q)
	members := p.wants("members")
	groups, total, err := h.svc.ListGroups(r.Context(), f, start, count, members)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	base := h.base(r)
	list := make([]any, len(groups))
	for i, g := range groups {
		list[i] = p.render(groupResource(g, base, members), schemaGroup)
	}
	writeListTotal(w, list, total, start)
}

func (h *handler) getGroup(w http.ResponseWriter, r *http.Request) {
	p := projectionOf(r.URL.Query())
	members := p.wants("members")
	g, err := h.svc.FindGroup(r.Context(), r.PathValue("id"), members)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	res := groupResource(g, h.base(r), members)
	writeResource(w, http.StatusOK, p.render(res, schemaGroup), res.Meta)
}

func groupBody(r *http.Request) (*distans.SCIMGroup, error) {
	d, err := readBody(r)
	if err != nil {
		return nil, err
	}
	if err := checkSchemas(d, groupSchemas); err != nil {
		return nil, err
	}
	g, err := readGroup(d)
	if err != nil {
		return nil, err
	}
	if g.DisplayName == "" {
		return nil, badRequest(invalidSyntax, "displayName is required.")
	}
	return g, nil
}

func (h *handler) createGroup(w http.ResponseWriter, r *http.Request) {
	g, err := groupBody(r)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	if err := h.svc.CreateGroup(r.Context(), g); err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	res := groupResource(g, h.base(r), true)
	writeResource(w, http.StatusCreated, res, res.Meta)
}

func (h *handler) replaceGroup(w http.ResponseWriter, r *http.Request) {
	g, err := groupBody(r)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	saved, err := h.svc.ReplaceGroup(r.Context(), r.PathValue("id"), g)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	res := groupResource(saved, h.base(r), true)
	writeResource(w, http.StatusOK, res, res.Meta)
}

// patchGroup applies the operations inside the service's transaction;
// membership changes grant or end the roles the group is mapped to.
func (h *handler) patchGroup(w http.ResponseWriter, r *http.Request) {
	req, err := readPatch(r)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	base := h.base(r)
	saved, err := h.svc.PatchGroup(r.Context(), r.PathValue("id"), func(g *distans.SCIMGroup) error {
		d := groupDoc(g, base, true)
		if err := groupKind.applyPatch(d, req.Operations); err != nil {
			return err
		}
		next, err := readGroup(d)
		if err != nil {
			return err
		}
		if next.DisplayName == "" {
			return &scimError{status: http.StatusBadRequest, scimType: mutability, detail: "displayName is required and cannot be removed."}
		}
		next.ID, next.Created, next.LastModified = g.ID, g.Created, g.LastModified
		if next.Members == nil {
			next.Members = []string{}
		}
		*g = *next
		return nil
	})
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	p := projectionOf(r.URL.Query())
	res := groupResource(saved, base, p.wants("members"))
	writeResource(w, http.StatusOK, p.render(res, schemaGroup), res.Meta)
}

func (h *handler) deleteGroup(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.DeleteGroup(r.Context(), r.PathValue("id")); err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
