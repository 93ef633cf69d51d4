package scimhttp

import (
	"net/http"

	"github.com/distans/distans"
)

func (h *handler) listUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := parseFilter(q.Get("filter"), userFilterAttrs)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	start, count, err := paging(q)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	users, total, err := h.svc.ListUsers(r.Context(), f, start, count)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	p, base := projectionOf(q), h.base(r)
	list := make([]any, len(users))
	for i, u := range users {
		list[i] = p.render(userResource(u, base), schemaUser)
	}
	writeListTotal(w, list, total, start)
}

func (h *handler) getUser(w http.ResponseWriter, r *http.Request) {
	u, err := h.svc.FindUser(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	res := userResource(u, h.base(r))
	writeResource(w, http.StatusOK, projectionOf(r.URL.Query()).render(res, schemaUser), res.Meta)
}

// userBody reads a POST or PUT body: a whole user, of known schemas, with
// its userName. id and meta in it are the server's and are passed over.
func userBody(r *http.Request) (*distans.SCIMUser, error) {
	d, err := readBody(r)
	if err != nil {
		return nil, err
	}
	if err := checkSchemas(d, userSchemas); err != nil {
		return nil, err
	}
	u, err := readUser(d)
	if err != nil {
		return nil, err
	}
	if u.UserName == "" {
		return nil, badRequest(invalidSyntax, "userName is required.")
	}
	return u, nil
}

func (h *handler) createUser(w http.ResponseWriter, r *http.Request) {
	u, err := userBody(r)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	if err := h.svc.CreateUser(r.Context(), u); err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	res := userResource(u, h.base(r))
	writeResource(w, http.StatusCreated, res, res.Meta)
}

// replaceUser is PUT: the user becomes the body; what the body leaves out
// is cleared.
func (h *handler) replaceUser(w http.ResponseWriter, r *http.Request) {
	u, err := userBody(r)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	saved, err := h.svc.ReplaceUser(r.Context(), r.PathValue("id"), u)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	res := userResource(saved, h.base(r))
	writeResource(w, http.StatusOK, res, res.Meta)
}

// patchUser applies the operations to the user as stored, inside the
// service's transaction: the user read, changed and written at once.
// An operation that fails, or a result without userName, leaves the
// user as it was.
func (h *handler) patchUser(w http.ResponseWriter, r *http.Request) {
	req, err := readPatch(r)
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	base := h.base(r)
	saved, err := h.svc.PatchUser(r.Context(), r.PathValue("id"), func(u *distans.SCIMUser) error {
		d := userDoc(u, base)
		if err := userKind.applyPatch(d, req.Operations); err != nil {
			return err
		}
		next, err := readUser(d)
		if err != nil {
			return err
		}
		if next.UserName == "" {
			return &scimError{status: http.StatusBadRequest, scimType: mutability, detail: "userName is required and cannot be removed."}
		}
		next.ID, next.Created, next.LastModified = u.ID, u.Created, u.LastModified
		*u = *next
		return nil
	})
	if err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	res := userResource(saved, base)
	writeResource(w, http.StatusOK, projectionOf(r.URL.Query()).render(res, schemaUser), res.Meta)
}

// deleteUser deactivates: the service ends the employment, sessions and
// tokens and keeps the history.
func (h *handler) deleteUser(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.DeleteUser(r.Context(), r.PathValue("id")); err != nil {
		writeError(w, r, h.logger, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
