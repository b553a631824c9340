package storefront

import (
	"errors"
	"net/http"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/storefront/session"
	"github.com/hostflow/hostflow/web"
)

// My Details: the client's contact details, with WHMCS's AddClient field names as the
// registration form has them, under package clients' one rule (clients.UpdateClientDetails);
// and Change Password (clients.ChangeClientPassword).

type detailsView struct {
	Form account
	// Errors are the details form's refusals by field; PasswordErrors Change Password's.
	Errors         map[string]string
	PasswordErrors map[string]string
}

func accountOf(c *clients.Client) account {
	return account{FirstName: c.FirstName, LastName: c.LastName, CompanyName: c.CompanyName, Email: c.Email, Address1: c.Address1,
		Address2: c.Address2, City: c.City, State: c.State, Postcode: c.Postcode, Country: c.Country, Phone: c.Phone}
}

func (a account) details() clients.ClientDetails {
	return clients.ClientDetails{FirstName: a.FirstName, LastName: a.LastName, CompanyName: a.CompanyName, Email: a.Email,
		Address1: a.Address1, Address2: a.Address2, City: a.City, State: a.State, Postcode: a.Postcode, Country: a.Country,
		Phone: a.Phone}
}

func (s *Store) showDetails(w http.ResponseWriter, r *http.Request, u session.Who, status int, v detailsView) {
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	if v.PasswordErrors == nil {
		v.PasswordErrors = map[string]string{}
	}
	s.show(w, r, u, status, "details", "My Details", navDetails, v)
}

// detailsPage serves GET /client/details: the client's contact details to edit, and Change
// Password.
func (s *Store) detailsPage(w http.ResponseWriter, r *http.Request) {
	u, ok := s.sessions.Require(w, r)
	if !ok {
		return
	}
	s.showDetails(w, r, u, http.StatusOK, detailsView{Form: accountOf(u.Client)})
}

// saveDetails serves the details form's post: saved, the page again with a message; refused,
// the form with WHMCS's message on the field at fault and everything as typed.
func (s *Store) saveDetails(w http.ResponseWriter, r *http.Request) {
	u, ok := s.sessions.Require(w, r)
	if !ok {
		return
	}
	if !s.pages.ReadForm(w, r) {
		return
	}
	v := detailsView{Form: readAccount(r.PostForm), Errors: map[string]string{}}
	if _, err := s.svc.UpdateClientDetails(r.Context(), u.Client.ID, v.Form.details()); err != nil {
		field, msg, ok := page.Refusal(err)
		if !ok {
			s.pages.ServerError(w, r, err)
			return
		}
		v.Errors[formField(field)] = msg
		s.showDetails(w, r, u, page.RefusalStatus(err), v)
		return
	}
	s.pages.SetFlash(w, r, page.FlashOK, "Your details were saved.")
	redirect(w, r, "/client/details")
}

// ReasonPasswordsDiffer is the answer when the new password and its confirmation differ.
const ReasonPasswordsDiffer = "The passwords you entered did not match"

// changePassword serves Change Password: the current password (checked behind the sign-in
// guard, from the client's address), the new one twice. Package clients keeps this session and
// ends every other one of the client's.
func (s *Store) changePassword(w http.ResponseWriter, r *http.Request) {
	u, ok := s.sessions.Require(w, r)
	if !ok {
		return
	}
	if !s.pages.ReadForm(w, r) {
		return
	}
	v := detailsView{Form: accountOf(u.Client), PasswordErrors: map[string]string{}}
	current, next := r.PostForm.Get("current_password"), r.PostForm.Get("new_password")
	if next != r.PostForm.Get("confirm_password") {
		v.PasswordErrors["confirm_password"] = ReasonPasswordsDiffer
		s.showDetails(w, r, u, http.StatusUnprocessableEntity, v)
		return
	}
	var keep string
	if ck, err := r.Cookie(web.ClientSessionCookie); err == nil {
		keep = ck.Value
	}
	web.WarnUntrustedForward(r, s.log)
	err := s.svc.ChangeClientPassword(r.Context(), clientIP(r), u.Client.ID, keep, current, next)
	if err != nil {
		field, msg, ok := page.Refusal(err)
		status := page.RefusalStatus(err)
		var th *access.Throttled
		if errors.As(err, &th) {
			ok, field, status, msg = true, "current_password", http.StatusTooManyRequests, th.Reason
			web.SetRetryAfterIn(w, th.RetryAfter)
		}
		if !ok {
			s.pages.ServerError(w, r, err)
			return
		}
		if field == "" {
			field = "current_password"
		}
		v.PasswordErrors[field] = msg
		s.showDetails(w, r, u, status, v)
		return
	}
	s.pages.SetFlash(w, r, page.FlashOK, "Your password was changed. Any other place signed in to your account was signed out.")
	redirect(w, r, "/client/details#password")
}
