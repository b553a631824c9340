// Package session is who is signed in to the storefront: the client-area session's cookie
// (web.ClientSessionCookie, which holds a random token and nothing else), the signed-in client
// a request comes from, and the sign-in a page of the client area asks for first. The session,
// its limits and the sign-in's lockout are package clients' rules; the sign-in and registration
// forms are the storefront's pages, since signing in hands the visitor's cart to the client.
package session

import (
	"context"
	"net/http"
	"net/url"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/web"
)

// Store is what the session asks of the core: package clients' accounts and sessions.
type Store interface {
	ClientSessionByToken(ctx context.Context, token string) (sess clients.ClientSession, ok bool, err error)
	Client(ctx context.Context, id int64, email string) (clients.Client, error)
	EndClientSession(ctx context.Context, token string) error
}

// Manager reads, starts and ends client sessions for the storefront's pages.
type Manager struct {
	store Store
	pages *page.Pages
	// secure reports whether the cookie must be Secure for a request.
	secure func(*http.Request) bool
}

// New returns the client sessions of the storefront; secure says when the cookie must be Secure.
func New(store Store, pages *page.Pages, secure func(*http.Request) bool) *Manager {
	return &Manager{store: store, pages: pages, secure: secure}
}

// Who is the visitor as a page needs them: the signed-in client, if any.
type Who struct {
	// Client is the signed-in client, nil for a visitor.
	Client *clients.Client
}

// SignedIn reads the client session cookie: the client it opens, or nobody. An expired or
// unknown session is nobody, and its cookie is dropped.
func (m *Manager) SignedIn(w http.ResponseWriter, r *http.Request) (Who, error) {
	ck, err := r.Cookie(web.ClientSessionCookie)
	if err != nil || ck.Value == "" {
		return Who{}, nil
	}
	sess, ok, err := m.store.ClientSessionByToken(r.Context(), ck.Value)
	if err != nil {
		return Who{}, err
	}
	if !ok {
		http.SetCookie(w, web.ClearClientSessionCookie(m.secure(r)))
		return Who{}, nil
	}
	c, err := m.store.Client(r.Context(), sess.ClientID, "")
	if err != nil {
		return Who{}, err
	}
	return Who{Client: &c}, nil
}

// Require is the signed-in client, or answers with the sign-in page's redirect (and back here
// once signed in) for a visitor who is not signed in; false has answered already.
func (m *Manager) Require(w http.ResponseWriter, r *http.Request) (Who, bool) {
	u, err := m.SignedIn(w, r)
	if err != nil {
		m.pages.ServerError(w, r, err)
		return Who{}, false
	}
	if u.Client == nil {
		http.Redirect(w, r, clients.SignInPath+"?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return Who{}, false
	}
	return u, true
}

// Start sets the cookie of the session a sign-in (clients.ClientSignIn) opened with token.
func (m *Manager) Start(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, web.NewClientSessionCookie(token, m.secure(r)))
}

// End ends the request's session, if any, and forgets its cookie; on an error the cookie is
// kept and nothing is answered.
func (m *Manager) End(w http.ResponseWriter, r *http.Request) error {
	if ck, err := r.Cookie(web.ClientSessionCookie); err == nil {
		if err := m.store.EndClientSession(r.Context(), ck.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, web.ClearClientSessionCookie(m.secure(r)))
	return nil
}
