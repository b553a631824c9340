package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/console/session"
	"github.com/hostflow/hostflow/input"
)

// Add New Client and a client's Edit: WHMCS's client profile fields, through the rules the
// APIs use (clients.CreateClient as AddClient, UpdateClientDetails as the client's own My
// Details, SetClientPassword as UpdateClient's password2).

// clientRoutes mounts the clients' pages.
func (c *Console) clientRoutes(r chi.Router) {
	r.Get("/clients/new", c.newClientPage)
	r.Post("/clients/new", c.createClient)
	r.Get("/clients/{id}", c.clientPage)
	r.Get("/clients/{id}/edit", c.editClientPage)
	r.Post("/clients/{id}/edit", c.saveClient)
	r.Post("/clients/{id}/credit", c.changeCredit)
	r.Get("/clients/{id}/close", c.closeClientPage)
	r.Post("/clients/{id}/close", c.closeClient)
	c.noteRoutes(r)
	r.Get("/clients/{id}/{tab}", c.clientPage)
}

// clientFields are the form's fields by the service's names, for refusals to land on.
var clientFields = []string{"first_name", "last_name", "company_name", "email", "address1", "address2", "city", "state",
	"postcode", "country", "phone", "currency", "notes", "tax_id", "password"}

type clientFormView struct {
	// Client is the client edited; nil when adding one.
	Client    *clients.Client
	Form      clients.NewClient
	Countries []input.Country
	Errors    fieldErrors
}

// clientForm reads the form: what was typed, the password apart (never shown back).
func clientForm(r *http.Request) clients.NewClient {
	get := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	return clients.NewClient{FirstName: get("first_name"), LastName: get("last_name"), CompanyName: get("company_name"),
		Email: get("email"), Address1: get("address1"), Address2: get("address2"), City: get("city"), State: get("state"),
		Postcode: get("postcode"), Country: get("country"), Phone: get("phone"), Currency: strings.ToUpper(get("currency")),
		Notes: strings.ReplaceAll(r.PostForm.Get("notes"), "\r\n", "\n"), TaxID: get("tax_id"),
		MarketingOptIn: r.PostForm.Get("marketing_optin") != "", Password: r.PostForm.Get("password"),
		NoSignupEmail: r.PostForm.Get("send_signup") == ""}
}

func (c *Console) renderClientForm(w http.ResponseWriter, r *http.Request, status int, v clientFormView) {
	v.Countries = input.Countries
	title := "Add New Client"
	if v.Client != nil {
		title = "Edit Client: " + strings.TrimSpace(v.Client.FirstName+" "+v.Client.LastName)
	}
	v.Form.Password = ""
	c.pages.Render(w, r, status, "clientform", &page.View{Title: title, Nav: "clients", Data: v})
}

// newClientPage serves /admin/clients/new.
func (c *Console) newClientPage(w http.ResponseWriter, r *http.Request) {
	c.renderClientForm(w, r, http.StatusOK, clientFormView{})
}

// createClient adds the client as AddClient does; a refusal is shown on its field with what
// was typed.
func (c *Console) createClient(w http.ResponseWriter, r *http.Request) {
	if !c.readPosted(w, r) {
		return
	}
	f := clientForm(r)
	cl, err := c.svc.CreateClient(r.Context(), f)
	if err != nil {
		c.clientRefused(w, r, err, clientFormView{Form: f})
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, "Client "+strings.TrimSpace(cl.FirstName+" "+cl.LastName)+" added.")
	c.redirect(w, r, c.path("/clients/", strconv.FormatInt(cl.ID, 10)))
}

// editClientPage serves /admin/clients/{id}/edit with the client's details.
func (c *Console) editClientPage(w http.ResponseWriter, r *http.Request) {
	cl, ok := c.loadClient(w, r)
	if !ok {
		return
	}
	f := clients.NewClient{FirstName: cl.FirstName, LastName: cl.LastName, CompanyName: cl.CompanyName, Email: cl.Email,
		Address1: cl.Address1, Address2: cl.Address2, City: cl.City, State: cl.State, Postcode: cl.Postcode, Country: cl.Country,
		Phone: cl.Phone, Currency: cl.Currency}
	c.renderClientForm(w, r, http.StatusOK, clientFormView{Client: &cl, Form: f})
}

// saveClient changes the client's contact details, and their password when one is typed.
func (c *Console) saveClient(w http.ResponseWriter, r *http.Request) {
	cl, ok := c.loadClient(w, r)
	if !ok || !c.readPosted(w, r) {
		return
	}
	f := clientForm(r)
	f.Currency = cl.Currency // fixed once the client has orders in it
	if f.Password != "" {
		// Refused before anything is written: a refusal leaves the client as they were.
		if err := access.CheckNewClientPassword("password", f.Password); err != nil {
			c.clientRefused(w, r, err, clientFormView{Client: &cl, Form: f})
			return
		}
	}
	_, err := c.svc.EditClientDetails(r.Context(), cl.ID, session.Actor(r), clients.ClientDetails{FirstName: f.FirstName, LastName: f.LastName,
		CompanyName: f.CompanyName, Email: f.Email, Address1: f.Address1, Address2: f.Address2, City: f.City, State: f.State,
		Postcode: f.Postcode, Country: f.Country, Phone: f.Phone})
	if err == nil && f.Password != "" {
		err = c.svc.SetClientPassword(r.Context(), cl.ID, f.Password)
	}
	if err != nil {
		c.clientRefused(w, r, err, clientFormView{Client: &cl, Form: f})
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, "Client details saved.")
	c.redirect(w, r, c.path("/clients/", strconv.FormatInt(cl.ID, 10)))
}

// clientRefused shows the form again with a refusal on its field; anything else is a failure.
func (c *Console) clientRefused(w http.ResponseWriter, r *http.Request, err error, v clientFormView) {
	errs, status, ok := refused(err, clientFields...)
	if !ok {
		c.pages.ServerError(w, r, err)
		return
	}
	v.Errors = errs
	c.renderClientForm(w, r, status, v)
}
