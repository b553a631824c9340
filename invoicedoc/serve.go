package invoicedoc

import (
	"mime"
	"net/http"
	"strconv"
)

// ContentType is a PDF's media type.
const ContentType = "application/pdf"

// ServePDF answers with a document's PDF, made already: inline, so that the browser shows it,
// under the document's file name when saved. It is never cached by a shared cache: an invoice
// is one client's.
func ServePDF(w http.ResponseWriter, d Document, pdf []byte) {
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("Content-Length", strconv.Itoa(len(pdf)))
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": d.FileName()}))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pdf)
}
