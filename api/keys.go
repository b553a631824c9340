package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// createAPIKey serves POST /api/v1/api-keys: an admin key, shown this once.
func (h *Handler) createAPIKey(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name string `json:"name"`
	}
	if !decode(w, r, &in) {
		return
	}
	k, err := h.svc.CreateAPIKey(r.Context(), in.Name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, k)
}

// listAPIKeys serves GET /api/v1/api-keys: id, name, kind, created and last used; never a hash.
func (h *Handler) listAPIKeys(w http.ResponseWriter, r *http.Request) {
	keys, err := h.svc.APIKeys(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"api_keys": keys})
}

// revokeAPIKey serves DELETE /api/v1/api-keys/{id}. A key cannot revoke itself (409).
func (h *Handler) revokeAPIKey(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	current, _ := r.Context().Value(apiKeyIDKey).(int64)
	if err := h.svc.RevokeAPIKey(r.Context(), id, current); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "revoked": true})
}

// createAPICredential serves POST /api/v1/api-credentials: a WHMCS API identifier and secret,
// the secret shown this once.
func (h *Handler) createAPICredential(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Description string `json:"description"`
	}
	if r.ContentLength != 0 && !decode(w, r, &in) {
		return
	}
	c, err := h.svc.CreateAPICredential(r.Context(), in.Description)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

// listAPICredentials serves GET /api/v1/api-credentials: identifiers, descriptions, created
// and last used; never a secret.
func (h *Handler) listAPICredentials(w http.ResponseWriter, r *http.Request) {
	creds, err := h.svc.APICredentials(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"api_credentials": creds})
}

// revokeAPICredential serves DELETE /api/v1/api-credentials/{identifier}.
func (h *Handler) revokeAPICredential(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "identifier")
	if err := h.svc.RevokeAPICredential(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"identifier": id, "revoked": true})
}
