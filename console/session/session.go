// Package session is who is signed in to the console: the sign-in and sign-out forms, the
// session cookie, the middleware that lets only a signed-in admin through, and the admin a
// request acts as. The cookie holds a random token and nothing else; the session, its limits
// and the lockout of failed sign-ins are package access's rules, kept in PostgreSQL so that
// every starter shares them.
package session

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/web"
)

// sessionCookie holds a session's random token, nothing else.
const sessionCookie = "hostflow_session"

// BackgroundHeader marks a request the page made by itself, not the admin (static/live.js's
// refreshes): it is served as any other but does not move the session's idle expiry on, so an
// unattended open page still signs out after access.AdminSessionIdle.
const BackgroundHeader = "X-Hostflow-Background"

// Store is what signing in asks of the core: package access's admins and sessions.
type Store interface {
	SignIn(ctx context.Context, address, email, password string) (token string, a access.Admin, err error)
	// AdminSessionByToken finds a live session and moves its idle expiry on; PeekAdminSession
	// finds it without.
	AdminSessionByToken(ctx context.Context, token string) (sess access.AdminSession, ok bool, err error)
	PeekAdminSession(ctx context.Context, token string) (sess access.AdminSession, ok bool, err error)
	EndAdminSession(ctx context.Context, token string) error
}

// Manager signs admins in and out of the console mounted at base.
type Manager struct {
	store Store
	pages *page.Pages
	log   *zap.Logger
	base  string
	// secure reports whether the cookie must be Secure for a request.
	secure func(*http.Request) bool
}

// New returns the sign-in of the console at base; secure says when its cookie must be Secure.
func New(store Store, pages *page.Pages, log *zap.Logger, base string, secure func(*http.Request) bool) *Manager {
	if log == nil {
		log = zap.NewNop()
	}
	return &Manager{store: store, pages: pages, log: log, base: base, secure: secure}
}

type ctxKey int

const sessionKey ctxKey = iota

// Require lets a signed-in admin through, and moves the session's idle expiry on unless the
// request carries BackgroundHeader; anyone else goes to the sign-in page, and comes back where
// they were going once signed in.
func (m *Manager) Require(next http.Handler) http.Handler {
	return m.require(next, false)
}

// RequireBackground is Require for what only pages ask for by themselves (the events stream):
// it never moves the idle expiry on.
func (m *Manager) RequireBackground(next http.Handler) http.Handler {
	return m.require(next, true)
}

func (m *Manager) require(next http.Handler, background bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var sess access.AdminSession
		ok := false
		if ck, err := r.Cookie(sessionCookie); err == nil {
			find := m.store.AdminSessionByToken
			if background || Background(r) {
				find = m.store.PeekAdminSession
			}
			var err error
			if sess, ok, err = find(r.Context(), ck.Value); err != nil {
				m.pages.ServerError(w, r, err)
				return
			}
		}
		if !ok {
			to := m.base + "/login"
			if r.Method == http.MethodGet && r.URL.Path != m.base+"/" {
				to += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		// Pages show orders and passwords: no cache keeps them.
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionKey, &sess)))
	})
}

// Background reports whether the page made r by itself (BackgroundHeader).
func Background(r *http.Request) bool {
	return r.Header.Get(BackgroundHeader) == "1"
}

// Live reports whether r's session is still live (not signed out, expired or its admin
// deactivated), without moving its idle expiry on: the events stream asks at each heartbeat.
func (m *Manager) Live(r *http.Request) (bool, error) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return false, nil
	}
	_, ok, err := m.store.PeekAdminSession(r.Context(), ck.Value)
	return ok, err
}

// Admin is the signed-in admin, or nil on the sign-in page.
func Admin(r *http.Request) *access.Admin {
	if s, ok := r.Context().Value(sessionKey).(*access.AdminSession); ok {
		return &s.Admin
	}
	return nil
}

// Actor is the signed-in admin as the audit trail names them.
func Actor(r *http.Request) order.Actor {
	if a := Admin(r); a != nil {
		return order.Admin(a.Email)
	}
	return order.Operator
}

type loginView struct {
	Email string
	Next  string
	Error string
}

// LoginPage serves the sign-in form.
func (m *Manager) LoginPage(w http.ResponseWriter, r *http.Request) {
	m.pages.Render(w, r, http.StatusOK, "login", &page.View{Title: "Sign in", Data: loginView{Next: m.safeNext(r.URL.Query().Get("next"))}})
}

// Login serves the sign-in form's post: a session and its cookie, or the form again with the
// reason.
func (m *Manager) Login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		m.pages.Error(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	email, password := r.PostForm.Get("email"), r.PostForm.Get("password")
	next := m.safeNext(r.PostForm.Get("next"))
	web.WarnUntrustedForward(r, m.log)
	token, _, err := m.store.SignIn(r.Context(), clientIP(r), email, password)
	if err != nil {
		status, msg := http.StatusUnauthorized, page.Refusal(err)
		// Refused before the password was looked at: the pair is locked out, or every hash
		// slot is busy.
		if reason, ok := web.Throttled(w, err); ok {
			status, msg = http.StatusTooManyRequests, reason
		}
		if msg == "" {
			m.pages.ServerError(w, r, err)
			return
		}
		m.pages.Render(w, r, status, "login", &page.View{Title: "Sign in", Data: loginView{Email: email, Next: next, Error: msg}})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: m.base, HttpOnly: true, Secure: m.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(access.AdminSessionMax / time.Second)})
	if next == "" {
		next = m.base + "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// Logout ends the session and forgets its cookie.
func (m *Manager) Logout(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(sessionCookie); err == nil {
		if err := m.store.EndAdminSession(r.Context(), ck.Value); err != nil {
			m.pages.ServerError(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: m.base, MaxAge: -1, HttpOnly: true, Secure: m.secure(r),
		SameSite: http.SameSiteLaxMode})
	m.pages.SetFlash(w, r, page.FlashOK, "You are signed out.")
	http.Redirect(w, r, m.base+"/login", http.StatusSeeOther)
}

// safeNext keeps a post-sign-in destination only if it is a console path on this host.
func (m *Manager) safeNext(next string) string {
	if !strings.HasPrefix(next, m.base+"/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return ""
	}
	return next
}

// clientIP is the client's address without its port; the router's middleware has already
// replaced a trusted proxy's address with the client's.
func clientIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
