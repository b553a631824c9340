package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/console/page"
)

// apiKeyRoutes mounts Setup > API Keys & Credentials: the REST API's admin keys and the WHMCS
// API's credentials, made and revoked through package access as POST/DELETE /api-keys and
// /api-credentials do. A new key or secret is shown on the answer to the post that made it,
// once: only its hash is kept, so no page can show it again.
func (c *Console) apiKeyRoutes(r chi.Router) {
	r.Get("/setup/api", c.apiList)
	r.Get("/setup/api/keys/new", c.newAPIKeyPage)
	r.Post("/setup/api/keys/new", c.createAPIKey)
	r.Get("/setup/api/keys/{id}/revoke", c.revokeAPIKeyPage)
	r.Post("/setup/api/keys/{id}/revoke", c.revokeAPIKey)
	r.Get("/setup/api/credentials/new", c.newAPICredentialPage)
	r.Post("/setup/api/credentials/new", c.createAPICredential)
	r.Get("/setup/api/credentials/{identifier}/revoke", c.revokeAPICredentialPage)
	r.Post("/setup/api/credentials/{identifier}/revoke", c.revokeAPICredential)
}

type apiListView struct {
	Keys        []access.APIKey
	Credentials []access.APICredentialInfo
}

// apiList serves /admin/setup/api: the admin keys and the WHMCS API credentials, never a
// secret.
func (c *Console) apiList(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageContext(r)
	defer cancel()
	keys, err := c.svc.APIKeys(ctx)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	creds, err := c.svc.APICredentials(ctx)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	c.pages.Render(w, r, http.StatusOK, "setup-api", &page.View{Title: "API Keys & Credentials", Nav: setupNav,
		Data: apiListView{Keys: keys, Credentials: creds}})
}

// apiFormView is the Create API Key or Create API Credential form: what was typed and the
// refusal, by field.
type apiFormView struct {
	Credential bool
	Value      string
	Errors     fieldErrors
}

func (c *Console) newAPIKeyPage(w http.ResponseWriter, r *http.Request) {
	c.pages.Render(w, r, http.StatusOK, "setup-api-new", &page.View{Title: "Create API Key", Nav: setupNav, Data: apiFormView{}})
}

func (c *Console) newAPICredentialPage(w http.ResponseWriter, r *http.Request) {
	c.pages.Render(w, r, http.StatusOK, "setup-api-new", &page.View{Title: "Create API Credential", Nav: setupNav,
		Data: apiFormView{Credential: true}})
}

// apiCreatedView is the one page that shows a new key or secret.
type apiCreatedView struct {
	Key        *access.APIKey
	Credential *access.APICredential
}

// showSecret renders the page that shows a new key or secret, once. It is the answer to the
// post itself, not a redirect, so that the secret is in no URL, cookie or log; no-store keeps
// it out of every cache (the session middleware says so for every page, and this page must
// never lose it).
func (c *Console) showSecret(w http.ResponseWriter, r *http.Request, title string, v apiCreatedView) {
	w.Header().Set("Cache-Control", "no-store")
	c.pages.Render(w, r, http.StatusOK, "setup-api-created", &page.View{Title: title, Nav: setupNav, Data: v})
}

func (c *Console) createAPIKey(w http.ResponseWriter, r *http.Request) {
	if !c.parseForm(w, r) {
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	ctx, cancel := pageContext(r)
	defer cancel()
	k, err := c.svc.CreateAPIKey(ctx, name)
	if err != nil {
		errs, status, ok := refused(err, "name")
		if !ok {
			c.pages.ServerError(w, r, err)
			return
		}
		c.pages.Render(w, r, status, "setup-api-new", &page.View{Title: "Create API Key", Nav: setupNav,
			Data: apiFormView{Value: name, Errors: errs}})
		return
	}
	c.showSecret(w, r, "API Key Created", apiCreatedView{Key: &k})
}

func (c *Console) createAPICredential(w http.ResponseWriter, r *http.Request) {
	if !c.parseForm(w, r) {
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	cred, err := c.svc.CreateAPICredential(ctx, r.PostForm.Get("description"))
	if err != nil {
		c.flashFailure(w, r, err) // a refusal in its words, anything else by its request id
		c.redirect(w, r, c.path("/setup/api"))
		return
	}
	c.showSecret(w, r, "API Credential Created", apiCreatedView{Credential: &cred})
}

// apiRevokeView is the page that asks before a key or credential is revoked.
type apiRevokeView struct {
	What, Name, Action string
	// Configured is a key or pair from the environment, which returns at the next start while
	// it is still configured.
	Configured bool
	// Last is the only key or pair left: without it the API refuses every request.
	Last bool
}

// apiKey finds the key of the path's id among the stored ones (there are few), answering 404
// itself when there is none; n is how many keys there are.
func (c *Console) apiKey(w http.ResponseWriter, r *http.Request) (k access.APIKey, n int, ok bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err == nil {
		keys, err := c.svc.APIKeys(r.Context())
		if err != nil {
			c.pages.ServerError(w, r, err)
			return access.APIKey{}, 0, false
		}
		for _, k := range keys {
			if k.ID == id {
				return k, len(keys), true
			}
		}
	}
	c.pages.Error(w, r, http.StatusNotFound, "No such API key: "+chi.URLParam(r, "id"))
	return access.APIKey{}, 0, false
}

func (c *Console) revokeAPIKeyPage(w http.ResponseWriter, r *http.Request) {
	k, n, ok := c.apiKey(w, r)
	if !ok {
		return
	}
	c.pages.Render(w, r, http.StatusOK, "setup-api-revoke", &page.View{Title: "Revoke API Key " + k.Name, Nav: setupNav,
		Data: apiRevokeView{What: "API key", Name: k.Name, Action: c.path("/setup/api/keys/", strconv.FormatInt(k.ID, 10), "/revoke"),
			Configured: k.Kind == access.KeyConfigured, Last: n == 1}})
}

func (c *Console) revokeAPIKey(w http.ResponseWriter, r *http.Request) {
	k, _, ok := c.apiKey(w, r)
	if !ok {
		return
	}
	// The console signs in with a session, not a key: no key is the one making the request.
	if err := c.svc.RevokeAPIKey(r.Context(), k.ID, 0); err != nil {
		if msg := page.Refusal(err); msg != "" {
			c.pages.SetFlash(w, r, page.FlashError, "API key "+k.Name+" was not revoked: "+msg+".")
			c.redirect(w, r, c.path("/setup/api"))
			return
		}
		c.pages.ServerError(w, r, err)
		return
	}
	msg := "API key " + k.Name + " revoked: the REST API refuses it from now on."
	if k.Kind == access.KeyConfigured {
		msg += " It returns at the next start while HOSTFLOW_ADMIN_API_KEY still names it."
	}
	c.pages.SetFlash(w, r, page.FlashOK, msg)
	c.redirect(w, r, c.path("/setup/api"))
}

// apiCredential finds the credential of the path's identifier, answering 404 itself when
// there is none; n is how many credentials there are.
func (c *Console) apiCredential(w http.ResponseWriter, r *http.Request) (cr access.APICredentialInfo, n int, ok bool) {
	identifier := chi.URLParam(r, "identifier")
	creds, err := c.svc.APICredentials(r.Context())
	if err != nil {
		c.pages.ServerError(w, r, err)
		return access.APICredentialInfo{}, 0, false
	}
	for _, cr := range creds {
		if cr.Identifier == identifier {
			return cr, len(creds), true
		}
	}
	c.pages.Error(w, r, http.StatusNotFound, "No such API credential: "+identifier)
	return access.APICredentialInfo{}, 0, false
}

func (c *Console) revokeAPICredentialPage(w http.ResponseWriter, r *http.Request) {
	cr, n, ok := c.apiCredential(w, r)
	if !ok {
		return
	}
	c.pages.Render(w, r, http.StatusOK, "setup-api-revoke", &page.View{Title: "Revoke API Credential " + cr.Identifier, Nav: setupNav,
		Data: apiRevokeView{What: "API credential", Name: cr.Identifier, Action: c.path("/setup/api/credentials/", cr.Identifier, "/revoke"),
			Configured: cr.Configured, Last: n == 1}})
}

func (c *Console) revokeAPICredential(w http.ResponseWriter, r *http.Request) {
	cr, _, ok := c.apiCredential(w, r)
	if !ok {
		return
	}
	if err := c.svc.RevokeAPICredential(r.Context(), cr.Identifier); err != nil {
		if msg := page.Refusal(err); msg != "" {
			c.pages.SetFlash(w, r, page.FlashError, "API credential "+cr.Identifier+" was not revoked: "+msg+".")
			c.redirect(w, r, c.path("/setup/api"))
			return
		}
		c.pages.ServerError(w, r, err)
		return
	}
	msg := "API credential " + cr.Identifier + " revoked: the WHMCS API refuses it from now on."
	if cr.Configured {
		msg += " It returns at the next start while HOSTFLOW_WHMCS_IDENTIFIER still names it."
	}
	c.pages.SetFlash(w, r, page.FlashOK, msg)
	c.redirect(w, r, c.path("/setup/api"))
}
