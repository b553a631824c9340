package clientarea

import (
	"net/http"

	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/storefront/session"
	"github.com/hostflow/hostflow/web"
)

// My Details: the client's contact details, with WHMCS's AddClient field names as the
// registration form has them, under package clients' one rule (clients.UpdateClientDetails);
// and Change Password (clients.ChangeClientPassword).

type detailsView struct {
	Form page.Account
	// Errors are the details form's refusals by field; PasswordErrors Change Password's.
	Errors         map[string]string
	PasswordErrors map[string]string
}

func (a *Area) showDetails(w http.ResponseWriter, r *http.Request, u session.Who, status int, v detailsView) {
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	if v.PasswordErrors == nil {
		v.PasswordErrors = map[string]string{}
	}
	a.show(w, r, u, status, "details", "My Details", navDetails, v)
}

// detailsPage serves GET /client/details: the client's contact details to edit, and Change
// Password.
func (a *Area) detailsPage(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	a.showDetails(w, r, u, http.StatusOK, detailsView{Form: page.AccountOf(u.Client)})
}

// saveDetails serves the details form's post: saved, the page again with a message; refused,
// the form with WHMCS's message on the field at fault and everything as typed.
func (a *Area) saveDetails(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	if !a.pages.ReadForm(w, r) {
		return
	}
	v := detailsView{Form: page.ReadAccount(r.PostForm), Errors: map[string]string{}}
	if _, err := a.svc.UpdateClientDetails(r.Context(), u.Client.ID, v.Form.Details()); err != nil {
		field, msg, ok := page.Refusal(err)
		if !ok {
			a.pages.ServerError(w, r, err)
			return
		}
		v.Errors[page.FormField(field)] = msg
		a.showDetails(w, r, u, page.RefusalStatus(err), v)
		return
	}
	a.pages.SetFlash(w, r, page.FlashOK, "Your details were saved.")
	page.Redirect(w, r, "/client/details")
}

// changePassword serves Change Password: the current password (checked behind the sign-in
// guard, from the client's address), the new one twice. Package clients keeps this session and
// ends every other one of the client's.
func (a *Area) changePassword(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	if !a.pages.ReadForm(w, r) {
		return
	}
	v := detailsView{Form: page.AccountOf(u.Client), PasswordErrors: map[string]string{}}
	current, next := r.PostForm.Get("current_password"), r.PostForm.Get("new_password")
	if next != r.PostForm.Get("confirm_password") {
		v.PasswordErrors["confirm_password"] = page.ReasonPasswordsDiffer
		a.showDetails(w, r, u, http.StatusUnprocessableEntity, v)
		return
	}
	var keep string
	if ck, err := r.Cookie(web.ClientSessionCookie); err == nil {
		keep = ck.Value
	}
	web.WarnUntrustedForward(r, a.log)
	err := a.svc.ChangeClientPassword(r.Context(), page.ClientIP(r), u.Client.ID, keep, current, next)
	if err != nil {
		field, msg, ok := page.Refusal(err)
		status := page.RefusalStatus(err)
		if reason, throttled := web.Throttled(w, err); throttled {
			ok, field, status, msg = true, "current_password", http.StatusTooManyRequests, reason
		}
		if !ok {
			a.pages.ServerError(w, r, err)
			return
		}
		if field == "" {
			field = "current_password"
		}
		v.PasswordErrors[field] = msg
		a.showDetails(w, r, u, status, v)
		return
	}
	a.pages.SetFlash(w, r, page.FlashOK, "Your password was changed. Any other place signed in to your account was signed out.")
	page.Redirect(w, r, "/client/details#password")
}
