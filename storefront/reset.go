package storefront

import (
	"net/http"
	"strings"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/web"
)

// The password reset pages: asking for a link (package clients answers the same whether or not
// an account has the email, and its workflow sends the email), and the link's page, at the
// address the Password Reset email carries (clients.ResetPath, "?token=").

// requestResetPath is the page that asks for a reset link.
const requestResetPath = "/client/password-reset"

// ResetRequested is the one answer to a reset request: the same for an email no account has,
// so that nobody learns which emails have accounts.
const ResetRequested = "If an account exists for that address, we sent an email with a link to choose a new password. " +
	"The link works once. If it does not arrive in a few minutes, check your spam folder."

type resetRequestView struct {
	Email string
	Error string
}

// resetRequestPage serves GET /client/password-reset: the form that asks for a reset link.
func (s *Store) resetRequestPage(w http.ResponseWriter, r *http.Request) {
	s.pages.Render(w, r, http.StatusOK, "password-reset", &page.View{Title: "Reset your password", Nav: "signin",
		Data: resetRequestView{}})
}

// requestReset serves the form's post: clients.RequestPasswordReset, then the one neutral
// answer, known email or not. Only a malformed email, an address asking too often, or an email
// that could not be queued is said so.
func (s *Store) requestReset(w http.ResponseWriter, r *http.Request) {
	if !s.pages.ReadForm(w, r) {
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	web.WarnUntrustedForward(r, s.log)
	if err := s.svc.RequestPasswordReset(r.Context(), page.ClientIP(r), email); err != nil {
		_, msg, ok := page.Refusal(err)
		if !ok {
			s.pages.ServerError(w, r, err)
			return
		}
		s.pages.Render(w, r, page.RefusalStatus(err), "password-reset", &page.View{Title: "Reset your password", Nav: "signin",
			Data: resetRequestView{Email: email, Error: msg}})
		return
	}
	s.pages.SetFlash(w, r, page.FlashOK, ResetRequested)
	page.Redirect(w, r, requestResetPath)
}

type resetView struct {
	Token string
	// Invalid says the link is unknown, used or expired: no form, and a new request offered.
	Invalid string
	Errors  map[string]string
}

func (s *Store) showReset(w http.ResponseWriter, r *http.Request, status int, v resetView) {
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	s.pages.Render(w, r, status, "reset", &page.View{Title: "Set a new password", Nav: "signin", Data: v})
}

// resetPage serves GET /client/reset?token=…, the Password Reset email's link: the new
// password's form while the link still opens (clients.CheckPasswordReset, which does not use
// it up), else the reason and a new request.
func (s *Store) resetPage(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	if err := s.svc.CheckPasswordReset(r.Context(), tok); err != nil {
		_, msg, ok := page.Refusal(err)
		if !ok {
			s.pages.ServerError(w, r, err)
			return
		}
		s.showReset(w, r, page.RefusalStatus(err), resetView{Invalid: msg})
		return
	}
	s.showReset(w, r, http.StatusOK, resetView{Token: tok})
}

// reset serves the new password's post: clients.ResetClientPassword uses the link up, sets the
// password and ends every session of the client; then the client signs in with it. A weak
// password keeps the link for another try; a used or expired link says so.
func (s *Store) reset(w http.ResponseWriter, r *http.Request) {
	if !s.pages.ReadForm(w, r) {
		return
	}
	v := resetView{Token: r.PostForm.Get("token"), Errors: map[string]string{}}
	password := r.PostForm.Get("password")
	if password != r.PostForm.Get("confirm_password") {
		v.Errors["confirm_password"] = page.ReasonPasswordsDiffer
		s.showReset(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if _, err := s.svc.ResetClientPassword(r.Context(), v.Token, password); err != nil {
		field, msg, ok := page.Refusal(err)
		if !ok {
			s.pages.ServerError(w, r, err)
			return
		}
		if field == "token" {
			v = resetView{Invalid: msg}
		} else {
			v.Errors["password"] = msg
		}
		s.showReset(w, r, page.RefusalStatus(err), v)
		return
	}
	s.pages.SetFlash(w, r, page.FlashOK, "Your password was changed. Sign in with your new password.")
	page.Redirect(w, r, clients.SignInPath)
}
