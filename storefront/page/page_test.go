package page

import (
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/fault"
)

// Templates carry no inline script, style or event handler: the CSP would block them.
func TestTemplatesHaveNoInlineScriptOrStyle(t *testing.T) {
	inline := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>\s*[^<\s]|<style|\sstyle=|\son[a-z]+=|javascript:`)
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(templateFS, path)
		require.NoError(t, err)
		require.Empty(t, inline.FindAllString(string(raw), -1), path)
		return nil
	})
	require.NoError(t, err)
}

// A message a post leaves is shown once, on the next page, and its cookie cleared.
func TestFlashIsShownOnce(t *testing.T) {
	p := New(Config{Company: "Example Hosting", Secure: func(*http.Request) bool { return true }})
	rec := httptest.NewRecorder()
	p.SetFlash(rec, httptest.NewRequest("POST", "/client/logout", nil), FlashOK, "You are signed out.")
	set := rec.Result().Cookies()
	require.Len(t, set, 1)
	require.True(t, set[0].Secure && set[0].HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, set[0].SameSite)

	req := httptest.NewRequest("GET", "/store", nil)
	req.AddCookie(set[0])
	rec = httptest.NewRecorder()
	p.Error(rec, req, http.StatusNotFound, "There is no such page.")
	require.Equal(t, http.StatusNotFound, rec.Code)
	require.Contains(t, rec.Body.String(), `<p class="flash flash-ok" role="status">You are signed out.</p>`)
	require.Contains(t, rec.Body.String(), "<title>Page not found · Example Hosting</title>")
	cleared := rec.Result().Cookies()
	require.Len(t, cleared, 1)
	require.Equal(t, flashCookie, cleared[0].Name)
	require.Equal(t, -1, cleared[0].MaxAge)
}

func TestRefusals(t *testing.T) {
	field, msg, ok := Refusal(fault.Invalidf("domain", "%s", "taken"))
	require.True(t, ok)
	require.Equal(t, "domain", field)
	require.Equal(t, "taken", msg)
	_, _, ok = Refusal(errors.New("boom"))
	require.False(t, ok, "an unexpected error is no refusal: a 500 page with a reference")
	require.Equal(t, http.StatusUnprocessableEntity, RefusalStatus(fault.Invalidf("x", "y")))
}

func TestPrices(t *testing.T) {
	require.Equal(t, "$9.99 USD", price(999, "USD"))
	require.Equal(t, "1.00 CHF", price(100, "CHF"))
}

// A registration's refusal names package clients' field; the form shows it on its own.
func TestFormFields(t *testing.T) {
	require.Equal(t, "firstname", FormField("first_name"))
	require.Equal(t, "phonenumber", FormField("phone"))
	require.Equal(t, "email", FormField("email"))
}
