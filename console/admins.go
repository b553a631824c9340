package console

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/console/session"
)

// accessRoutes mounts Setup > Administrators (this file) and Setup > API Keys & Credentials
// (apikeys.go): who may use the console and the APIs, each a thin form over package access.
func (c *Console) accessRoutes(r chi.Router) {
	r.Get("/setup/admins", c.adminList)
	r.Get("/setup/admins/new", c.newAdminPage)
	r.Post("/setup/admins/new", c.createAdmin)
	r.Get("/setup/admins/{id}/deactivate", c.deactivateAdminPage)
	r.Post("/setup/admins/{id}/active", c.setAdminActive)
	r.Get("/setup/admins/{id}/password", c.adminPasswordPage)
	r.Post("/setup/admins/{id}/password", c.resetAdminPassword)
	c.apiKeyRoutes(r)
}

// adminForm is the Add Administrator form as typed: never the password, which is typed again
// after a refusal.
type adminForm struct{ Name, Email string }

// adminFields are the form's fields by access's names, for refusals to land on.
var adminFields = []string{"name", "email", "password"}

type adminListView struct {
	Admins []access.AdminInfo
	// Me is the signed-in admin's id: their row offers no Deactivate.
	Me int64
}

type adminView struct {
	Form   adminForm
	Errors fieldErrors
}

type adminPasswordView struct {
	Admin access.Admin
	// Self is a reset of the signed-in admin's own password, which signs them out too.
	Self   bool
	Errors fieldErrors
}

// adminList serves /admin/setup/admins: WHMCS's Administrator Users.
func (c *Console) adminList(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageContext(r)
	defer cancel()
	admins, err := c.svc.Admins(ctx)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	v := adminListView{Admins: admins}
	if me := session.Admin(r); me != nil {
		v.Me = me.ID
	}
	c.pages.Render(w, r, http.StatusOK, "setup-admins", &page.View{Title: "Administrators", Nav: setupNav, Data: v})
}

func (c *Console) newAdminPage(w http.ResponseWriter, r *http.Request) {
	c.renderAdmin(w, r, http.StatusOK, adminForm{}, nil)
}

func (c *Console) renderAdmin(w http.ResponseWriter, r *http.Request, status int, f adminForm, errs fieldErrors) {
	c.pages.Render(w, r, status, "setup-admins-new", &page.View{Title: "Add Administrator", Nav: setupNav,
		Data: adminView{Form: f, Errors: errs}})
}

// createAdmin adds an admin through access.CreateAdmin, the rule the starter's first admin
// and `starter admin create` go through. An email taken already (in any case) is refused on
// its field: CreateAdmin leaves an existing admin as it is.
func (c *Console) createAdmin(w http.ResponseWriter, r *http.Request) {
	if !c.parseForm(w, r) {
		return
	}
	f := adminForm{Name: strings.TrimSpace(r.PostForm.Get("name")), Email: strings.TrimSpace(r.PostForm.Get("email"))}
	ctx, cancel := pageContext(r)
	defer cancel()
	a, created, err := c.svc.CreateAdmin(ctx, f.Email, f.Name, r.PostForm.Get("password"))
	if err != nil {
		errs, status, ok := refused(err, adminFields...)
		if !ok {
			c.pages.ServerError(w, r, err)
			return
		}
		c.renderAdmin(w, r, status, f, errs)
		return
	}
	if !created {
		c.renderAdmin(w, r, http.StatusUnprocessableEntity, f, fieldErrors{"email": "is taken: " + a.Name + " has it already"})
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, "Administrator "+a.Name+" ("+a.Email+") added: they can sign in now.")
	c.redirect(w, r, c.path("/setup/admins"))
}

// admin loads the admin of the path's id, answering 404 itself when there is none.
func (c *Console) admin(w http.ResponseWriter, r *http.Request) (access.Admin, bool) {
	id, ok := c.pathID(w, r, "administrator")
	if !ok {
		return access.Admin{}, false
	}
	a, err := c.svc.AdminByID(r.Context(), id)
	if err != nil {
		if msg := page.Refusal(err); msg != "" {
			c.pages.Error(w, r, http.StatusNotFound, "No such administrator: "+chi.URLParam(r, "id"))
		} else {
			c.pages.ServerError(w, r, err)
		}
		return access.Admin{}, false
	}
	return a, true
}

// myID is the signed-in admin's id, 0 for nobody (which the session middleware rules out).
func myID(r *http.Request) int64 {
	if me := session.Admin(r); me != nil {
		return me.ID
	}
	return 0
}

// deactivateAdminPage asks before Deactivate, saying what it does: the admin is signed out at
// once. An admin's own page says they cannot, rather than offering a button that is refused.
func (c *Console) deactivateAdminPage(w http.ResponseWriter, r *http.Request) {
	a, ok := c.admin(w, r)
	if !ok {
		return
	}
	c.pages.Render(w, r, http.StatusOK, "setup-admins-deactivate", &page.View{Title: "Deactivate " + a.Name, Nav: setupNav,
		Data: struct {
			Admin access.Admin
			Self  bool
		}{a, a.ID == myID(r)}})
}

// setAdminActive is Deactivate (from its confirmation page) and Reactivate (from the list).
func (c *Console) setAdminActive(w http.ResponseWriter, r *http.Request) {
	if !c.parseForm(w, r) {
		return
	}
	a, ok := c.admin(w, r)
	if !ok {
		return
	}
	active := r.PostForm.Get("active") == "1"
	saved, err := c.svc.SetAdminActive(r.Context(), a.ID, active, myID(r))
	switch msg := page.Refusal(err); {
	case err != nil && msg != "":
		c.pages.SetFlash(w, r, page.FlashError, a.Name+" was not changed: "+msg+".")
	case err != nil:
		c.pages.ServerError(w, r, err)
		return
	case active:
		c.pages.SetFlash(w, r, page.FlashOK, "Administrator "+saved.Name+" reactivated: they can sign in again.")
	default:
		c.pages.SetFlash(w, r, page.FlashOK, "Administrator "+saved.Name+" deactivated and signed out everywhere.")
	}
	c.redirect(w, r, c.path("/setup/admins"))
}

// adminPasswordPage is Reset Password: another admin's new password, set by this one.
func (c *Console) adminPasswordPage(w http.ResponseWriter, r *http.Request) {
	a, ok := c.admin(w, r)
	if !ok {
		return
	}
	c.renderAdminPassword(w, r, http.StatusOK, a, nil)
}

func (c *Console) renderAdminPassword(w http.ResponseWriter, r *http.Request, status int, a access.Admin, errs fieldErrors) {
	c.pages.Render(w, r, status, "setup-admins-password", &page.View{Title: "Reset Password: " + a.Name, Nav: setupNav,
		Data: adminPasswordView{Admin: a, Self: a.ID == myID(r), Errors: errs}})
}

// resetAdminPassword sets the new password (typed twice, as a reset has nobody to tell of a
// typo) through access.SetAdminPassword, which ends the admin's sessions.
func (c *Console) resetAdminPassword(w http.ResponseWriter, r *http.Request) {
	if !c.parseForm(w, r) {
		return
	}
	a, ok := c.admin(w, r)
	if !ok {
		return
	}
	password := r.PostForm.Get("password")
	if password != r.PostForm.Get("password_confirm") {
		c.renderAdminPassword(w, r, http.StatusUnprocessableEntity, a, fieldErrors{"password_confirm": "does not match the new password"})
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	if _, err := c.svc.SetAdminPassword(ctx, a.ID, password); err != nil {
		errs, status, ok := refused(err, "password")
		if !ok {
			c.pages.ServerError(w, r, err)
			return
		}
		c.renderAdminPassword(w, r, status, a, errs)
		return
	}
	c.pages.SetFlash(w, r, page.FlashOK, "Password of "+a.Name+" reset: they are signed out and sign in with the new one.")
	c.redirect(w, r, c.path("/setup/admins"))
}
