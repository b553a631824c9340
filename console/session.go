package console

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// sessionCookie holds a session's random token, nothing else.
const sessionCookie = "hostflow_session"

type ctxKey int

const sessionKey ctxKey = iota

// requireSession lets a signed-in admin through; anyone else goes to the sign-in page, and
// comes back where they were going once signed in.
func (c *Console) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var sess access.AdminSession
		ok := false
		if ck, err := r.Cookie(sessionCookie); err == nil {
			var err error
			if sess, ok, err = c.svc.AdminSessionByToken(r.Context(), ck.Value); err != nil {
				c.serverError(w, r, err)
				return
			}
		}
		if !ok {
			to := c.path("/login")
			if r.Method == http.MethodGet && r.URL.Path != c.path("/") {
				to += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			c.redirect(w, r, to)
			return
		}
		// Pages show orders and passwords: no cache keeps them.
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionKey, &sess)))
	})
}

// adminOf is the signed-in admin, or nil on the sign-in page.
func adminOf(r *http.Request) *access.Admin {
	if s, ok := r.Context().Value(sessionKey).(*access.AdminSession); ok {
		return &s.Admin
	}
	return nil
}

// actor is the signed-in admin as the audit trail names them.
func actor(r *http.Request) order.Actor {
	if a := adminOf(r); a != nil {
		return order.Admin(a.Email)
	}
	return order.Operator
}

type loginView struct {
	Email string
	Next  string
	Error string
}

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "login", &view{Title: "Sign in", Data: loginView{Next: safeNext(c, r.URL.Query().Get("next"))}})
}

// login serves the sign-in form's post: a session and its cookie, or the form again with the
// reason.
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		c.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	email, password := r.PostForm.Get("email"), r.PostForm.Get("password")
	next := safeNext(c, r.PostForm.Get("next"))
	token, _, err := c.svc.SignIn(r.Context(), clientIP(r), email, password)
	if err != nil {
		msg := refusal(err)
		if msg == "" {
			c.serverError(w, r, err)
			return
		}
		status := http.StatusUnauthorized
		var se *fault.Error
		if errors.As(err, &se) && se.Kind == fault.Conflict {
			status = http.StatusTooManyRequests
		}
		c.render(w, r, status, "login", &view{Title: "Sign in", Data: loginView{Email: email, Next: next, Error: msg}})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: c.base, HttpOnly: true, Secure: c.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(access.AdminSessionMax / time.Second)})
	if next == "" {
		next = c.path("/")
	}
	c.redirect(w, r, next)
}

// logout ends the session and forgets its cookie.
func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(sessionCookie); err == nil {
		if err := c.svc.EndAdminSession(r.Context(), ck.Value); err != nil {
			c.serverError(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: c.base, MaxAge: -1, HttpOnly: true, Secure: c.secure(r),
		SameSite: http.SameSiteLaxMode})
	c.setFlash(w, r, flashOK, "You are signed out.")
	c.redirect(w, r, c.path("/login"))
}

// safeNext keeps a post-sign-in destination only if it is a console path on this host.
func safeNext(c *Console, next string) string {
	if !strings.HasPrefix(next, c.base+"/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
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
