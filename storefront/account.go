package storefront

import (
	"net/http"
	"strings"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/storefront/session"
	"github.com/hostflow/hostflow/web"
)

// The account pages a visitor uses: sign-in, sign-out and registration. Signing in or
// registering hands the visitor's cart to the client; the client's own pages are package
// clientarea's.

type loginView struct {
	Email string
	Next  string
	Error string
}

// loginPage serves the client area's sign-in form.
func (s *Store) loginPage(w http.ResponseWriter, r *http.Request) {
	u, err := s.sessions.SignedIn(w, r)
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	next := safeNext(r.URL.Query().Get("next"))
	if u.Client != nil {
		if next == "" {
			next = "/client"
		}
		page.Redirect(w, r, next)
		return
	}
	s.pages.Render(w, r, http.StatusOK, "login", &page.View{Title: "Sign in", Nav: "signin", Data: loginView{Next: next}})
}

// login serves the sign-in form's post: a session, the visitor's cart given to the client, and
// the page they were going to; or the form again with the reason, one text for a wrong email
// and a wrong password.
func (s *Store) login(w http.ResponseWriter, r *http.Request) {
	if !s.pages.ReadForm(w, r) {
		return
	}
	email, next := strings.TrimSpace(r.PostForm.Get("email")), safeNext(r.PostForm.Get("next"))
	web.WarnUntrustedForward(r, s.log)
	v := s.visitor(r, session.Who{})
	token, c, err := s.svc.ClientSignIn(r.Context(), v.Addr, email, r.PostForm.Get("password"))
	if err != nil {
		status, msg := http.StatusUnauthorized, ""
		if _, m, ok := page.Refusal(err); ok {
			msg = m
		}
		if reason, ok := web.Throttled(w, err); ok {
			status, msg = http.StatusTooManyRequests, reason
		}
		if msg == "" {
			s.pages.ServerError(w, r, err)
			return
		}
		s.pages.Render(w, r, status, "login", &page.View{Title: "Sign in", Nav: "signin", Data: loginView{Email: email, Next: next, Error: msg}})
		return
	}
	s.sessions.Start(w, r, token)
	if _, err := s.giveCart(w, r, v, c.ID); err != nil {
		// Signed in all the same: the cart is only not carried over.
		s.log.Warn("storefront: the cart was not given to the client at sign-in", zap.Int64("client_id", c.ID), zap.Error(err))
	}
	if next == "" {
		next = "/client"
	}
	page.Redirect(w, r, next)
}

// logout ends the session and forgets its cookie and the cart's: the cart is the client's, and
// the next person at this browser starts their own.
func (s *Store) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.sessions.End(w, r); err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	s.setCookie(w, r, cartCookie, "", -1)
	s.pages.SetFlash(w, r, page.FlashOK, "You are signed out.")
	page.Redirect(w, r, "/store")
}

type registerView struct {
	Form   page.Account
	Next   string
	Errors map[string]string
}

// registerPage serves the client area's registration form (the one checkout has too).
func (s *Store) registerPage(w http.ResponseWriter, r *http.Request) {
	u, err := s.sessions.SignedIn(w, r)
	if err != nil {
		s.pages.ServerError(w, r, err)
		return
	}
	if u.Client != nil {
		page.Redirect(w, r, "/client")
		return
	}
	s.pages.Render(w, r, http.StatusOK, "register", &page.View{Title: "Register", Nav: "register",
		Data: registerView{Next: safeNext(r.URL.Query().Get("next")), Errors: map[string]string{}}})
}

// register serves the registration form's post: the client created (package clients' rules
// and WHMCS's messages, field by field), signed in, and given the visitor's cart.
func (s *Store) register(w http.ResponseWriter, r *http.Request) {
	if !s.pages.ReadForm(w, r) {
		return
	}
	v := registerView{Form: page.ReadAccount(r.PostForm), Next: safeNext(r.PostForm.Get("next")), Errors: map[string]string{}}
	visitor := s.visitor(r, session.Who{})
	password := r.PostForm.Get("password")
	c, err := s.createAccount(r, v.Form, password, visitor)
	var token string
	if err == nil {
		token, _, err = s.svc.ClientSignIn(r.Context(), visitor.Addr, v.Form.Email, password)
	}
	if err != nil {
		field, msg, ok := page.Refusal(err)
		if !ok {
			s.pages.ServerError(w, r, err)
			return
		}
		v.Errors[page.FormField(field)] = msg
		s.pages.Render(w, r, page.RefusalStatus(err), "register", &page.View{Title: "Register", Nav: "register", Data: v})
		return
	}
	s.sessions.Start(w, r, token)
	if _, err := s.giveCart(w, r, visitor, c.ID); err != nil {
		s.log.Warn("storefront: the cart was not given to the new client", zap.Int64("client_id", c.ID), zap.Error(err))
	}
	next := v.Next
	if next == "" {
		next = "/client"
	}
	s.pages.SetFlash(w, r, page.FlashOK, "Welcome, "+c.FirstName+": your account is ready.")
	page.Redirect(w, r, next)
}
