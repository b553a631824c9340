package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/web"
)

// setupNav is the navigation entry of the Setup pages.
const setupNav = "setup"

// serverRoutes mounts the Setup pages this file and its neighbours serve: Servers, Domain
// Pricing (tlds.go) and Promotions (promotions.go). Each is a thin form over the catalogue's
// and billing's own rules, the ones the REST API goes through.
func (c *Console) serverRoutes(r chi.Router) {
	r.Get("/setup/servers", c.serverList)
	r.Get("/setup/servers/new", c.newServerPage)
	r.Post("/setup/servers/new", c.createServer)
	r.Get("/setup/servers/{id}", c.serverPage)
	r.Post("/setup/servers/{id}", c.saveServer)
	r.Post("/setup/servers/{id}/test", c.testServer)
	r.Post("/setup/servers/{id}/active", c.setServerActive)
	r.Get("/setup/tlds", c.tldList)
	r.Get("/setup/tlds/new", c.newTLDPage)
	r.Post("/setup/tlds/new", c.createTLD)
	r.Get("/setup/tlds/{tld}", c.tldPage)
	r.Post("/setup/tlds/{tld}", c.saveTLD)
	r.Get("/setup/promotions", c.promotionList)
	r.Get("/setup/promotions/new", c.newPromotionPage)
	r.Post("/setup/promotions/new", c.createPromotion)
	r.Get("/setup/promotions/{id}", c.promotionPage)
	r.Post("/setup/promotions/{id}", c.savePromotion)
}

// moduleLabels are the panel modules' names as WHMCS's Module dropdown has them.
var moduleLabels = map[string]string{"cpanel": "cPanel & WHM", provisioning.None: "None (set up by hand)"}

// panelNames are what Test Connection says it reached: "Connected: WHM 11.126.0.21".
var panelNames = map[string]string{"cpanel": "WHM"}

// moduleOption is one choice of the Module dropdown.
type moduleOption struct{ Name, Label string }

func (c *Console) moduleOptions() []moduleOption {
	var out []moduleOption
	for _, name := range c.svc.Panels.Names() {
		label := moduleLabels[name]
		if label == "" {
			label = name
		}
		out = append(out, moduleOption{Name: name, Label: label})
	}
	return out
}

// serverForm is the Add/Edit Server form as typed. The API token is never part of it: the
// page never shows a stored one back, and an edit left empty keeps it.
type serverForm struct {
	Name, Hostname, Module, Username, MaxAccounts, ServerGroup string
	TLSSkipVerify, Disabled                                    bool
}

// serverFields are the form's fields by the service's names, for refusals to land on.
var serverFields = []string{"name", "hostname", "module", "username", "credentials", "max_accounts", "server_group"}

type serverView struct {
	// Server is the server edited; nil on Add New Server.
	Server  *catalog.Server
	Form    serverForm
	Modules []moduleOption
	Errors  fieldErrors
}

type serverListView struct {
	Servers []catalog.Server
	Labels  map[string]string
}

// serverList serves /admin/setup/servers: WHMCS's Servers list, with each server's load.
func (c *Console) serverList(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageContext(r)
	defer cancel()
	servers, err := c.svc.ListServers(ctx)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	c.pages.Render(w, r, http.StatusOK, "setup-servers", &page.View{Title: "Servers", Nav: setupNav,
		Data: serverListView{Servers: servers, Labels: moduleLabels}})
}

func (c *Console) newServerPage(w http.ResponseWriter, r *http.Request) {
	f := serverForm{Module: "cpanel", Username: "root", MaxAccounts: "200"}
	if c.svc.Panels[f.Module] == nil {
		f.Module = provisioning.None
	}
	c.renderServer(w, r, http.StatusOK, nil, f, nil)
}

func (c *Console) renderServer(w http.ResponseWriter, r *http.Request, status int, srv *catalog.Server, f serverForm, errs fieldErrors) {
	title := "Add New Server"
	if srv != nil {
		title = "Edit Server " + srv.Name
	}
	c.pages.Render(w, r, status, "setup-server", &page.View{Title: title, Nav: setupNav,
		Data: serverView{Server: srv, Form: f, Modules: c.moduleOptions(), Errors: errs}})
}

// readServerForm reads the posted form; a maximum that is no whole number is refused here, on
// its field, before the service is asked.
func readServerForm(r *http.Request) (serverForm, catalog.NewServer, fieldErrors) {
	f := serverForm{Name: r.PostForm.Get("name"), Hostname: strings.TrimSpace(r.PostForm.Get("hostname")), Module: r.PostForm.Get("module"),
		Username: strings.TrimSpace(r.PostForm.Get("username")), MaxAccounts: strings.TrimSpace(r.PostForm.Get("max_accounts")),
		ServerGroup: r.PostForm.Get("server_group"), TLSSkipVerify: r.PostForm.Get("tls_skip_verify") == "1",
		Disabled: r.PostForm.Get("disabled") == "1"}
	active := !f.Disabled
	n := catalog.NewServer{Name: f.Name, Module: f.Module, Hostname: f.Hostname, Username: f.Username,
		Credentials: strings.TrimSpace(r.PostForm.Get("credentials")), Active: &active, ServerGroup: f.ServerGroup, TLSSkipVerify: f.TLSSkipVerify}
	if f.MaxAccounts != "" {
		most, err := strconv.ParseInt(f.MaxAccounts, 10, 32)
		if err != nil {
			return f, n, fieldErrors{"max_accounts": "must be a whole number: 0 for no limit"}
		}
		n.MaxAccounts = int32(most)
	}
	return f, n, nil
}

func (c *Console) createServer(w http.ResponseWriter, r *http.Request) {
	if !c.parseForm(w, r) {
		return
	}
	f, n, errs := readServerForm(r)
	if errs != nil {
		c.renderServer(w, r, http.StatusUnprocessableEntity, nil, f, errs)
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	srv, err := c.svc.CreateServer(ctx, n)
	if err != nil {
		c.serverRefused(w, r, nil, f, err)
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, "Server "+srv.Name+" added. Test Connection checks its hostname and API token.")
	c.redirect(w, r, c.path("/setup/servers/", strconv.FormatInt(srv.ID, 10)))
}

// serverRefused shows the form again with the refusal on its field, or the error page for an
// error that is no refusal.
func (c *Console) serverRefused(w http.ResponseWriter, r *http.Request, srv *catalog.Server, f serverForm, err error) {
	errs, status, ok := refused(err, serverFields...)
	if !ok {
		c.pages.ServerError(w, r, err)
		return
	}
	c.renderServer(w, r, status, srv, f, errs)
}

// server loads the server of the path's id, answering 404 itself when there is none.
func (c *Console) server(w http.ResponseWriter, r *http.Request) (catalog.Server, bool) {
	id, ok := c.pathID(w, r, "server")
	if !ok {
		return catalog.Server{}, false
	}
	srv, err := c.svc.Server(r.Context(), id)
	if err != nil {
		c.notFoundOr(w, r, err)
		return catalog.Server{}, false
	}
	return srv, true
}

func (c *Console) serverPage(w http.ResponseWriter, r *http.Request) {
	srv, ok := c.server(w, r)
	if !ok {
		return
	}
	f := serverForm{Name: srv.Name, Hostname: srv.Hostname, Module: srv.Module, Username: srv.Username,
		MaxAccounts: strconv.FormatInt(int64(srv.MaxAccounts), 10), ServerGroup: srv.ServerGroup, TLSSkipVerify: srv.TLSSkipVerify,
		Disabled: !srv.Active}
	c.renderServer(w, r, http.StatusOK, &srv, f, nil)
}

func (c *Console) saveServer(w http.ResponseWriter, r *http.Request) {
	if !c.parseForm(w, r) {
		return
	}
	srv, ok := c.server(w, r)
	if !ok {
		return
	}
	f, n, errs := readServerForm(r)
	if errs != nil {
		c.renderServer(w, r, http.StatusUnprocessableEntity, &srv, f, errs)
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	saved, err := c.svc.UpdateServer(ctx, srv.ID, n)
	if err != nil {
		c.serverRefused(w, r, &srv, f, err)
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, "Server "+saved.Name+" saved.")
	c.redirect(w, r, c.path("/setup/servers"))
}

// testServer is Test Connection: the server's module calls the server from the worker, in a
// workflow this request starts and waits for. The answer is the page's message, green for a
// server that answered, red with the module's words for one that did not.
func (c *Console) testServer(w http.ResponseWriter, r *http.Request) {
	srv, ok := c.server(w, r)
	if !ok {
		return
	}
	back := c.path("/setup/servers/", strconv.FormatInt(srv.ID, 10))
	res, err := c.svc.TestServerConnection(r.Context(), srv.ID)
	switch {
	case err != nil && (page.Refusal(err) != "" || web.Unavailable(err)):
		msg := page.Refusal(err)
		if msg == "" {
			msg = "Test Connection could not run: hostflow cannot reach Temporal just now; try again in a moment."
		}
		c.pages.SetFlash(w, r, page.FlashError, msg)
	case err != nil:
		c.pages.SetFlash(w, r, page.FlashError, "Test Connection "+c.logFailure(r, "console: test connection failed", err))
	case res.OK():
		name := panelNames[srv.Module]
		if name == "" {
			name = srv.Module
		}
		c.pages.SetFlash(w, r, page.FlashOK, fmt.Sprintf("Connected: %s %s", name, res.Version))
	default:
		c.pages.SetFlash(w, r, page.FlashError, "Connection failed: "+res.Error)
	}
	c.redirect(w, r, back)
}

// setServerActive disables or enables a server from the list.
func (c *Console) setServerActive(w http.ResponseWriter, r *http.Request) {
	if !c.parseForm(w, r) {
		return
	}
	srv, ok := c.server(w, r)
	if !ok {
		return
	}
	active := r.PostForm.Get("active") == "1"
	saved, err := c.svc.SetServerActive(r.Context(), srv.ID, active)
	if err != nil {
		c.flashFailure(w, r, err) // a refusal in its words, anything else by its request id
		c.redirect(w, r, c.path("/setup/servers"))
		return
	}
	msg := "Server " + saved.Name + " disabled: it keeps its accounts and gets no new ones."
	if active {
		msg = "Server " + saved.Name + " enabled."
	}
	c.pages.SetFlash(w, r, page.FlashOK, msg)
	c.redirect(w, r, c.path("/setup/servers"))
}

// parseForm reads a Setup form's post, answering a body that cannot be read itself.
func (c *Console) parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		c.pages.Error(w, r, http.StatusBadRequest, "The form could not be read.")
		return false
	}
	return true
}
