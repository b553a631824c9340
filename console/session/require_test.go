package session

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/console/page"
)

// fakeStore is one live session, "good", and a record of how it was looked up.
type fakeStore struct {
	touched, peeked int
	signIn          error
}

func (f *fakeStore) SignIn(context.Context, string, string, string) (string, access.Admin, error) {
	return "good", access.Admin{ID: 1}, f.signIn
}

func (f *fakeStore) AdminSessionByToken(_ context.Context, token string) (access.AdminSession, bool, error) {
	f.touched++
	return access.AdminSession{Admin: access.Admin{ID: 1}}, token == "good", nil
}

func (f *fakeStore) PeekAdminSession(_ context.Context, token string) (access.AdminSession, bool, error) {
	f.peeked++
	return access.AdminSession{Admin: access.Admin{ID: 1}}, token == "good", nil
}

func (f *fakeStore) EndAdminSession(context.Context, string) error { return nil }

func manager(store Store, secure bool) *Manager {
	pages := page.New(page.Config{Base: "/admin", Admin: Admin})
	return New(store, pages, nil, "/admin", func(*http.Request) bool { return secure })
}

// TestBackgroundRequestsDoNotExtendTheSession: a request live.js makes by itself (the header),
// and the events stream, find the session without moving its idle expiry on; the admin's own
// requests move it.
func TestBackgroundRequestsDoNotExtendTheSession(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	for _, tc := range []struct {
		name          string
		background    bool // RequireBackground (the events stream)
		header        string
		token         string
		status        int
		touch, peeked int
	}{
		{"the admin's request", false, "", "good", http.StatusNoContent, 1, 0},
		{"live.js's refresh", false, "1", "good", http.StatusNoContent, 0, 1},
		{"another header value", false, "yes", "good", http.StatusNoContent, 1, 0},
		{"the events stream", true, "", "good", http.StatusNoContent, 0, 1},
		{"a background request signed out", false, "1", "gone", http.StatusSeeOther, 0, 1},
		{"the events stream signed out", true, "", "gone", http.StatusSeeOther, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := &fakeStore{}
			m := manager(store, false)
			h := m.Require(ok)
			if tc.background {
				h = m.RequireBackground(ok)
			}
			req := httptest.NewRequest("GET", "/admin/orders", nil)
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tc.token})
			if tc.header != "" {
				req.Header.Set(BackgroundHeader, tc.header)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			require.Equal(t, tc.status, rec.Code)
			require.Equal(t, tc.touch, store.touched, "idle expiry moved on")
			require.Equal(t, tc.peeked, store.peeked)
		})
	}
}

func TestLiveAsksWithoutTouching(t *testing.T) {
	store := &fakeStore{}
	m := manager(store, false)
	for token, want := range map[string]bool{"good": true, "gone": false, "": false} {
		req := httptest.NewRequest("GET", "/admin/events", nil)
		if token != "" {
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
		}
		live, err := m.Live(req)
		require.NoError(t, err)
		require.Equal(t, want, live, token)
	}
	require.Zero(t, store.touched)
}

// TestLoginAnswers: a refusal before the password was looked at is 429 with Retry-After (in
// whole seconds, rounded up); a success sets an HttpOnly cookie, Secure when the console says so.
func TestLoginAnswers(t *testing.T) {
	post := func(m *Manager) *httptest.ResponseRecorder {
		form := url.Values{"email": {"ops@example.com"}, "password": {"x"}}
		req := httptest.NewRequest("POST", "/admin/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		m.Login(rec, req)
		return rec
	}
	for _, tc := range []struct {
		name       string
		err        error
		status     int
		retryAfter string
		text       string
	}{
		{"locked", &access.Throttled{Reason: access.ReasonSignInLocked, RetryAfter: 14*time.Minute + 300*time.Millisecond, Locked: true},
			http.StatusTooManyRequests, "841", "Too many failed sign-ins"},
		{"busy", &access.Throttled{Reason: access.ReasonBusy, RetryAfter: time.Second}, http.StatusTooManyRequests, "1", "Too many sign-ins at once"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := post(manager(&fakeStore{signIn: tc.err}, false))
			require.Equal(t, tc.status, rec.Code)
			require.Equal(t, tc.retryAfter, rec.Header().Get("Retry-After"))
			require.Contains(t, rec.Body.String(), tc.text)
		})
	}
	for _, secure := range []bool{true, false} {
		rec := post(manager(&fakeStore{}, secure))
		require.Equal(t, http.StatusSeeOther, rec.Code)
		cookies := rec.Result().Cookies()
		require.Len(t, cookies, 1)
		require.Equal(t, secure, cookies[0].Secure)
		require.True(t, cookies[0].HttpOnly)
	}
}
