package page

import (
	"net/http"
	"net/url"
	"strings"
)

// flashCookie carries one message to the page a post redirects to.
const flashCookie = "hostflow_store_flash"

// Flash kinds.
const (
	FlashOK    = "ok"
	FlashError = "error"
)

// Flash is a message a post leaves for the page it redirects to.
type Flash struct {
	Kind string // ok or error
	Text string
}

// SetFlash leaves a message of kind FlashOK or FlashError for the next page rendered.
func (p *Pages) SetFlash(w http.ResponseWriter, r *http.Request, kind, text string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(kind + ":" + text), Path: "/", HttpOnly: true,
		Secure: p.secure(r), SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// takeFlash reads the message a redirect carried and clears it.
func (p *Pages) takeFlash(w http.ResponseWriter, r *http.Request) *Flash {
	ck, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: p.secure(r), SameSite: http.SameSiteLaxMode})
	v, err := url.QueryUnescape(ck.Value)
	if err != nil {
		return nil
	}
	kind, text, ok := strings.Cut(v, ":")
	if !ok || kind != FlashOK && kind != FlashError || text == "" {
		return nil
	}
	return &Flash{Kind: kind, Text: text}
}
