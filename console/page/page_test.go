package page

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
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

func TestRoughTimes(t *testing.T) {
	for _, tc := range []struct {
		d          time.Duration
		ago, ahead string
	}{
		{30 * time.Second, "just now", "any moment now"},
		{5*time.Minute + time.Second, "5 minutes ago", "in 5 minutes"},
		{3*time.Hour + time.Second, "3 hours ago", "in 3 hours"},
		{50 * time.Hour, "2 days ago", "in 2 days"},
		{7*24*time.Hour - time.Minute, "7 days ago", "in 7 days"},
	} {
		require.Equal(t, tc.ago, age(time.Now().Add(-tc.d)), tc.d)
		require.Equal(t, tc.ahead, until(time.Now().Add(tc.d+time.Second)), tc.d)
	}
}

// A message set by one answer is shown once, on the next page rendered, and cleared.
func TestFlashShownOnceOnTheNextPage(t *testing.T) {
	p := New(Config{Base: "/admin"})
	rec := httptest.NewRecorder()
	p.SetFlash(rec, httptest.NewRequest("POST", "/admin/x", nil), FlashOK, "Done: 1 order.")
	set := rec.Result().Cookies()
	require.Len(t, set, 1)
	require.Equal(t, "/admin", set[0].Path)
	require.True(t, set[0].HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, set[0].SameSite)

	req := httptest.NewRequest("GET", "/admin/x", nil)
	req.AddCookie(set[0])
	rec = httptest.NewRecorder()
	p.Render(rec, req, http.StatusOK, "error", &View{Title: "Not Found", Data: "gone"})
	require.Contains(t, rec.Body.String(), `<p class="flash flash-ok" role="status">Done: 1 order.</p>`)
	cleared := rec.Result().Cookies()
	require.Len(t, cleared, 1)
	require.Equal(t, -1, cleared[0].MaxAge)
}
