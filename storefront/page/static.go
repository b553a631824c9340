package page

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/hostflow/hostflow/web"
)

//go:embed static
var staticFS embed.FS

// Static serves the storefront's stylesheet and script (static/) by name: web.Static.
func Static() http.Handler {
	static, _ := fs.Sub(staticFS, "static")
	return web.Static(static)
}
