// Package stripe is a local Stripe API for tests and `make run`: the part of it hostflow uses
// (Checkout Sessions in payment mode, their hosted payment page, refunds) spoken as Stripe
// speaks it to stripe-go: form-encoded requests, the secret key as a Bearer token or Basic
// user, Stripe's JSON objects and error shape, Idempotency-Key, and webhook events signed with
// the endpoint's whsec_ secret in the Stripe-Signature scheme. State is in memory.
//
// It is not a general Stripe mock: unknown parameters are refused as Stripe refuses them, and
// the parameters Stripe knows but the sandbox does not model (locale, expand, ...) are
// accepted and ignored.
package stripe

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// APIVersion is the API version the sandbox's objects and events are rendered in: the one
// stripe-go v82 pins, so that its webhook.ConstructEvent accepts the events as it does a real
// endpoint's set to that version.
const APIVersion = "2025-08-27.basil"

// Config is the sandbox account and its one webhook endpoint.
type Config struct {
	SecretKey string // sk_test_…: the key API calls must carry
	// WebhookURL is the endpoint events are posted to; empty records events without sending.
	WebhookURL    string
	WebhookSecret string // whsec_…: the endpoint's signing secret
	// BaseURL is where browsers reach the hosted payment pages (http://127.0.0.1:8093); empty
	// takes the scheme and host of the request that created the session.
	BaseURL string
	// HTTPClient posts the webhooks; nil uses one with a 10-second timeout.
	HTTPClient *http.Client
}

// Server is the sandbox.
type Server struct {
	cfg Config
	mux *http.ServeMux

	keyed      sync.Mutex // held by a request with an Idempotency-Key from lookup to saved answer
	mu         sync.Mutex
	sessions   map[string]*session
	charges    map[string]*charge // by charge id and by PaymentIntent id
	refunds    map[string]*refund
	idempotent map[string]*idempotentResult
	events     []Event
	deliveries []Delivery

	ctx    context.Context // ends the webhook retries on Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New returns a sandbox for one account.
func New(cfg Config) *Server {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	s := &Server{cfg: cfg, sessions: map[string]*session{}, charges: map[string]*charge{}, refunds: map[string]*refund{},
		idempotent: map[string]*idempotentResult{}}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/checkout/sessions", s.api(s.createSession))
	mux.HandleFunc("GET /v1/checkout/sessions/{id}", s.api(s.getSession))
	mux.HandleFunc("POST /v1/refunds", s.api(s.createRefund))
	mux.HandleFunc("GET /v1/refunds/{id}", s.api(s.getRefund))
	mux.HandleFunc("/v1/", s.api(func(r *http.Request, _ url.Values) (int, any) {
		return notFoundURL(r)
	}))
	mux.HandleFunc("GET /c/pay/{id}", s.page)
	mux.HandleFunc("POST /c/pay/{id}/pay", s.pay)
	mux.HandleFunc("POST /c/pay/{id}/cancel", s.cancelPage)
	s.mux = mux
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Close stops the webhook retries still waiting and waits for those under way.
func (s *Server) Close() {
	s.cancel()
	s.wg.Wait()
}

// apiError is Stripe's error object, sent as {"error": {...}}.
type apiError struct {
	Code          string `json:"code,omitempty"`
	DocURL        string `json:"doc_url,omitempty"`
	Message       string `json:"message"`
	Param         string `json:"param,omitempty"`
	RequestLogURL string `json:"request_log_url,omitempty"`
	Type          string `json:"type"`
}

type errorBody struct {
	Error apiError `json:"error"`
}

func invalid(code, param, format string, args ...any) (int, any) {
	e := apiError{Type: "invalid_request_error", Code: code, Param: param, Message: fmt.Sprintf(format, args...)}
	if code != "" {
		e.DocURL = "https://stripe.com/docs/error-codes/" + strings.ReplaceAll(code, "_", "-")
	}
	status := http.StatusBadRequest
	if code == "resource_missing" {
		status = http.StatusNotFound
	}
	return status, errorBody{e}
}

func missing(param string) (int, any) {
	return invalid("parameter_missing", param, "Missing required param: %s.", param)
}

func notFoundURL(r *http.Request) (int, any) {
	return http.StatusNotFound, errorBody{apiError{Type: "invalid_request_error", Message: fmt.Sprintf(
		"Unrecognized request URL (%s: %s). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
		r.Method, r.URL.Path)}}
}

// idempotentResult is the answer saved for an Idempotency-Key, with what it was the answer to.
type idempotentResult struct {
	path, params string
	status       int
	body         []byte
}

// api wraps an endpoint with what every Stripe API call goes through: the secret key, the
// form-encoded parameters, Idempotency-Key on POST, the Request-Id header and the JSON answer.
func (s *Server) api(h func(r *http.Request, p url.Values) (int, any)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reqID := newID("req_")
		w.Header().Set("Request-Id", reqID)
		r = r.WithContext(context.WithValue(r.Context(), requestIDCtx{}, reqID))
		w.Header().Set("Stripe-Version", APIVersion)
		if status, body := s.authenticate(r); status != 0 {
			writeJSON(w, status, body)
			return
		}
		if err := r.ParseForm(); err != nil {
			status, body := invalid("", "", "Invalid request body: %v", err)
			writeJSON(w, status, body)
			return
		}
		// r.Form holds the query string too: stripe-go sends GET parameters there and POST
		// parameters in the body, and Stripe reads both.
		params := r.Form
		key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
		if r.Method != http.MethodPost || key == "" {
			status, body := h(r, params)
			writeJSON(w, status, body)
			return
		}
		if len(key) > 255 {
			status, body := invalid("", "", "Idempotency-Key must be at most 255 characters long.")
			writeJSON(w, status, body)
			return
		}
		w.Header().Set("Idempotency-Key", key)
		// Keyed requests run one at a time: a second request with a key in use waits for the
		// first's answer and gets it, so two at once never make two objects.
		s.keyed.Lock()
		defer s.keyed.Unlock()
		s.mu.Lock()
		saved, ok := s.idempotent[key]
		s.mu.Unlock()
		canonical := params.Encode() // sorted by key: the same parameters in any order compare equal
		if ok {
			switch {
			case saved.path != r.URL.Path:
				writeJSON(w, http.StatusBadRequest, errorBody{apiError{Type: "idempotency_error", Message: fmt.Sprintf(
					"Keys for idempotent requests can only be used for the same endpoint they were first used for ('%s' vs '%s'). Try using a key other than '%s' if you meant to execute a different request.",
					saved.path, r.URL.Path, key)}})
			case saved.params != canonical:
				writeJSON(w, http.StatusBadRequest, errorBody{apiError{Type: "idempotency_error", Message: fmt.Sprintf(
					"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '%s' if you meant to execute a different request.", key)}})
			default:
				w.Header().Set("Idempotent-Replayed", "true")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(saved.status)
				_, _ = w.Write(saved.body)
			}
			return
		}
		status, body := h(r.WithContext(withIdempotencyKey(r.Context(), key)), params)
		raw := marshal(body)
		// Stripe saves an answer once the endpoint has begun; a request refused by validation
		// is not saved, so a corrected retry with the same key goes through.
		if status < 300 {
			s.mu.Lock()
			s.idempotent[key] = &idempotentResult{path: r.URL.Path, params: canonical, status: status, body: raw}
			s.mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(raw)
	}
}

type idempotencyKeyCtx struct{}

type requestIDCtx struct{}

// requestID is the Request-Id the API call answers with, which the events it causes name.
func requestID(ctx context.Context) *string {
	if id, ok := ctx.Value(requestIDCtx{}).(string); ok {
		return &id
	}
	return nil
}

func withIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKeyCtx{}, key)
}

func idempotencyKey(ctx context.Context) *string {
	if k, ok := ctx.Value(idempotencyKeyCtx{}).(string); ok {
		return &k
	}
	return nil
}

// authenticate checks the secret key as Stripe does: a Bearer token, or the Basic user of
// `curl -u sk_test_…:`. It answers 0 when the key is good.
func (s *Server) authenticate(r *http.Request) (int, any) {
	key := ""
	if user, _, ok := r.BasicAuth(); ok {
		key = user
	} else if auth := r.Header.Get("Authorization"); auth != "" {
		var ok bool
		if key, ok = strings.CutPrefix(auth, "Bearer "); !ok {
			return http.StatusUnauthorized, errorBody{apiError{Type: "invalid_request_error", Message: "Invalid Authorization header: use Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."}}
		}
	}
	key = strings.TrimSpace(key)
	switch {
	case key == "":
		return http.StatusUnauthorized, errorBody{apiError{Type: "invalid_request_error", Message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/."}}
	case subtle.ConstantTimeCompare([]byte(key), []byte(s.cfg.SecretKey)) != 1:
		return http.StatusUnauthorized, errorBody{apiError{Type: "invalid_request_error", Message: "Invalid API Key provided: " + redact(key)}}
	}
	return 0, nil
}

// redact shows a key as Stripe's errors do: its kind and mode (sk_test_) and its last four
// characters.
func redact(key string) string {
	prefix := ""
	for _, p := range []string{"sk_test_", "sk_live_", "rk_test_", "rk_live_", "pk_test_", "pk_live_"} {
		if strings.HasPrefix(key, p) {
			prefix = p
		}
	}
	if len(key)-len(prefix) <= 4 {
		return prefix + "****"
	}
	return prefix + strings.Repeat("*", len(key)-len(prefix)-4) + key[len(key)-4:]
}

// checkParams refuses a parameter the endpoint does not know, by its top-level name, as
// Stripe does ("Received unknown parameter: x").
func checkParams(p url.Values, known ...string) (int, any) {
	names := make([]string, 0, len(p))
	for k := range p {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		top, _, _ := strings.Cut(k, "[")
		found := false
		for _, n := range known {
			if top == n {
				found = true
				break
			}
		}
		if !found {
			return invalid("parameter_unknown", top, "Received unknown parameter: %s", top)
		}
	}
	return 0, nil
}

// metadata reads prefix[key]=value pairs (metadata, payment_intent_data[metadata]) and checks
// Stripe's limits: 50 keys, keys of 40 characters, values of 500.
func metadata(p url.Values, prefix string) (map[string]string, int, any) {
	out := map[string]string{}
	for k, v := range p {
		key, ok := strings.CutPrefix(k, prefix+"[")
		if !ok || !strings.HasSuffix(key, "]") {
			continue
		}
		key = strings.TrimSuffix(key, "]")
		switch {
		case strings.ContainsAny(key, "[]"):
			status, body := invalid("parameter_invalid_string", prefix, "Invalid %s: nested objects are not allowed in metadata.", prefix)
			return nil, status, body
		case len(key) > 40:
			status, body := invalid("parameter_invalid_string", prefix+"["+key+"]", "Metadata keys can have up to 40 characters: '%s' has %d.", key, len(key))
			return nil, status, body
		case len(v[0]) > 500:
			status, body := invalid("parameter_invalid_string", prefix+"["+key+"]", "Metadata values can have up to 500 characters, but you passed in a value that is %d characters.", len(v[0]))
			return nil, status, body
		}
		if v[0] != "" { // an empty value unsets the key
			out[key] = v[0]
		}
	}
	if len(out) > 50 {
		status, body := invalid("parameter_invalid_string", prefix, "You can specify up to 50 keys in %s.", prefix)
		return nil, status, body
	}
	return out, 0, nil
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(marshal(body))
}

func marshal(body any) []byte {
	raw, err := json.MarshalIndent(body, "", "  ")
	if err != nil { // the sandbox's own objects always marshal
		panic(err)
	}
	return append(raw, '\n')
}

const idChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newID makes an id in Stripe's style: the object's prefix and 24 random letters and digits.
func newID(prefix string) string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = idChars[int(b[i])%len(idChars)]
	}
	return prefix + string(b)
}

// livemode is false for a test key, as the key's mode decides every object's livemode.
func (s *Server) livemode() bool { return strings.HasPrefix(s.cfg.SecretKey, "sk_live_") }

// testPrefix is "test_" or "live_", which Checkout Session ids carry.
func (s *Server) testPrefix() string {
	if s.livemode() {
		return "live_"
	}
	return "test_"
}
