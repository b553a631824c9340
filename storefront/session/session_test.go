package session

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/web"
)

// fake is one live session, "live", of client 7.
type fake struct{ ended []string }

func (f *fake) ClientSessionByToken(_ context.Context, token string) (clients.ClientSession, bool, error) {
	if token != "live" {
		return clients.ClientSession{}, false, nil
	}
	return clients.ClientSession{ClientID: 7}, true, nil
}

func (f *fake) Client(_ context.Context, id int64, _ string) (clients.Client, error) {
	return clients.Client{ID: id, FirstName: "Grace"}, nil
}

func (f *fake) EndClientSession(_ context.Context, token string) error {
	f.ended = append(f.ended, token)
	return nil
}

func manager(f *fake) *Manager {
	return New(f, page.New(page.Config{}), func(*http.Request) bool { return true })
}

func withSession(req *http.Request, token string) *http.Request {
	req.AddCookie(&http.Cookie{Name: web.ClientSessionCookie, Value: token})
	return req
}

func TestSignedIn(t *testing.T) {
	m := manager(&fake{})
	rec := httptest.NewRecorder()
	u, err := m.SignedIn(rec, withSession(httptest.NewRequest("GET", "/store", nil), "live"))
	require.NoError(t, err)
	require.NotNil(t, u.Client)
	require.Equal(t, int64(7), u.Client.ID)
	require.Empty(t, rec.Result().Cookies())

	// An expired or unknown session is nobody, and its cookie is dropped.
	rec = httptest.NewRecorder()
	u, err = m.SignedIn(rec, withSession(httptest.NewRequest("GET", "/store", nil), "gone"))
	require.NoError(t, err)
	require.Nil(t, u.Client)
	require.Equal(t, web.ClearClientSessionCookie(true).String(), rec.Result().Cookies()[0].String())

	rec = httptest.NewRecorder()
	u, err = m.SignedIn(rec, httptest.NewRequest("GET", "/store", nil))
	require.NoError(t, err)
	require.Nil(t, u.Client)
	require.Empty(t, rec.Result().Cookies())
}

// A visitor goes to sign in, and comes back where they were going.
func TestRequire(t *testing.T) {
	m := manager(&fake{})
	rec := httptest.NewRecorder()
	_, ok := m.Require(rec, httptest.NewRequest("GET", "/client/invoices/3?x=1", nil))
	require.False(t, ok)
	require.Equal(t, http.StatusSeeOther, rec.Code)
	require.Equal(t, clients.SignInPath+"?next="+url.QueryEscape("/client/invoices/3?x=1"), rec.Header().Get("Location"))

	rec = httptest.NewRecorder()
	u, ok := m.Require(rec, withSession(httptest.NewRequest("GET", "/client", nil), "live"))
	require.True(t, ok)
	require.Equal(t, "Grace", u.Client.FirstName)
}

func TestStartAndEnd(t *testing.T) {
	f := &fake{}
	m := manager(f)
	rec := httptest.NewRecorder()
	m.Start(rec, httptest.NewRequest("POST", "/client/login", nil), "tok")
	require.Equal(t, web.NewClientSessionCookie("tok", true).String(), rec.Result().Cookies()[0].String())

	rec = httptest.NewRecorder()
	require.NoError(t, m.End(rec, withSession(httptest.NewRequest("POST", "/client/logout", nil), "live")))
	require.Equal(t, []string{"live"}, f.ended)
	require.Equal(t, web.ClearClientSessionCookie(true).String(), rec.Result().Cookies()[0].String())
}
