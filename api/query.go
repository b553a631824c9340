package api

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/hostflow/hostflow/fault"
)

// onlyQuery serves next only if the request's query parameters are among names: a parameter
// the endpoint does not take is refused (400, named), never silently ignored, so a mistyped
// filter cannot return the whole list.
func onlyQuery(next http.HandlerFunc, names ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// Go drops a pair it cannot parse (a ";" in it, say) and serves the rest: refuse it.
		query, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			writeError(w, http.StatusBadRequest, malformedParam(r.URL.RawQuery), "malformed query parameter: "+err.Error())
			return
		}
		for _, name := range slices.Sorted(maps.Keys(query)) {
			if slices.Contains(names, name) {
				continue
			}
			msg := "this endpoint takes no query parameters"
			if len(names) > 0 {
				msg = "unknown query parameter; this endpoint takes " + strings.Join(names, ", ")
			}
			writeError(w, http.StatusBadRequest, name, msg)
			return
		}
		next(w, r)
	}
}

// malformedParam names the first parameter of a query that does not parse.
func malformedParam(raw string) string {
	for pair := range strings.SplitSeq(raw, "&") {
		if _, err := url.ParseQuery(pair); err != nil {
			name, _, _ := strings.Cut(pair, "=")
			if n, err := url.QueryUnescape(name); err == nil {
				return n
			}
			return name
		}
	}
	return ""
}

// maxIdempotencyKey bounds an Idempotency-Key header.
const maxIdempotencyKey = 255

// idempotencyKey reads the Idempotency-Key header: at most 255 printable ASCII characters.
func idempotencyKey(w http.ResponseWriter, r *http.Request) (string, bool) {
	key := r.Header.Get("Idempotency-Key")
	ok := len(key) <= maxIdempotencyKey && !strings.ContainsFunc(key, func(c rune) bool { return c < 0x21 || c > 0x7e })
	if !ok {
		writeError(w, http.StatusBadRequest, "Idempotency-Key", "must be at most 255 printable ASCII characters")
	}
	return key, ok
}

// badQuery answers a query parameter the service refused: 400, naming it.
func (h *Handler) badQuery(w http.ResponseWriter, r *http.Request, err error) {
	var se *fault.Error
	if errors.As(err, &se) && se.Kind == fault.Invalid {
		writeError(w, http.StatusBadRequest, se.Field, se.Message)
		return
	}
	h.fail(w, r, err)
}
