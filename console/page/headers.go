package page

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/hostflow/hostflow/web"
)

// SecurityHeaders sets the headers every console answer carries (web.SecurityHeaders).
var SecurityHeaders = web.SecurityHeaders

//go:embed static
var staticFS embed.FS

// Static serves the console's stylesheet and scripts (static/) by name: web.Static.
func Static() http.Handler {
	static, _ := fs.Sub(staticFS, "static")
	return web.Static(static)
}
