// Package api is hostflow's REST API: JSON over chi, a thin adapter over package service.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/console"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/storefront"
	"github.com/hostflow/hostflow/web"
	"github.com/hostflow/hostflow/whmcs"
)

// maxBody bounds request bodies; no order needs more.
const maxBody = 1 << 20

// Handler serves the REST API.
type Handler struct {
	svc *service.Service
	log *zap.Logger
}

// Options configure the router beyond the service.
type Options struct {
	// WHMCSAllowedIPs and WHMCSAccessKey guard /includes/api.php as WHMCS's IP allow-list and
	// $api_access_key do; no list lets every address in (credentials are still required).
	WHMCSAllowedIPs []netip.Prefix
	WHMCSAccessKey  string
	// TrustedProxies are the load balancers whose X-Forwarded-For is believed. A header from
	// any other peer is ignored, so that no client can pose as another address.
	TrustedProxies []netip.Prefix
	// Console configures the admin console at /admin.
	Console console.Options
	// Storefront configures the customer's side at /store, /cart, /checkout and /client.
	Storefront storefront.Options
	// LinkBase starts the links the APIs answer (config.LinkBase): WHMCS's GetInvoice's
	// invoiceurl. "" answers none.
	LinkBase string
}

// Router returns the API's routes: the REST API, the payment webhooks, and the
// WHMCS-compatible API.
func Router(svc *service.Service, log *zap.Logger, opts Options) http.Handler {
	h := &Handler{svc: svc, log: log}
	r := chi.NewRouter()
	// Not chi's RealIP, which believes any client's header: the WHMCS IP allow-list relies on it.
	r.Use(web.WithRequestID, web.ClientAddress(opts.TrustedProxies), h.logRequests, h.recoverer)
	r.Get("/healthz", h.healthz)
	wh := whmcs.New(svc, log, opts.LinkBase)
	wh.AllowedIPs, wh.AccessKey = opts.WHMCSAllowedIPs, opts.WHMCSAccessKey
	r.Method(http.MethodPost, "/includes/api.php", wh)
	r.Post(gateway.StripeWebhookPath, onlyQuery(h.stripeWebhook))
	r.Post(gateway.GenericWebhookPrefix+"{name}", onlyQuery(h.gatewayWebhook))
	r.Mount(console.Base, console.New(svc, log, opts.Console))
	store := storefront.New(svc, log, opts.Storefront)
	for _, p := range storefront.Prefixes {
		r.Handle(p, store)
		r.Handle(p+"/*", store)
	}
	r.Route("/api/v1", func(r chi.Router) {
		r.Use(h.authenticate)
		r.Post("/clients", onlyQuery(h.createClient))
		r.Get("/clients", onlyQuery(h.listClients, "limit", "cursor"))
		r.Patch("/clients/{id}", onlyQuery(h.patchClient))
		r.Get("/clients/{id}/credit", onlyQuery(h.getCredit))
		r.Post("/clients/{id}/credit", onlyQuery(h.postCredit))
		r.Get("/clients/{id}/notes", onlyQuery(h.getNotes))
		r.Post("/clients/{id}/notes", onlyQuery(h.postNote))
		r.Get("/clients/{id}/log", onlyQuery(h.getClientLog, "page"))
		r.Post("/clients/{id}/close", onlyQuery(h.postCloseClient))
		r.Post("/products", onlyQuery(h.createProduct))
		r.Get("/products", onlyQuery(h.listProducts))
		r.Put("/products/{id}", onlyQuery(h.updateProduct))
		r.Delete("/products/{id}", onlyQuery(h.deleteProduct))
		r.Post("/product-groups", onlyQuery(h.createProductGroup))
		r.Get("/product-groups", onlyQuery(h.listProductGroups))
		r.Post("/servers", onlyQuery(h.createServer))
		r.Get("/servers", onlyQuery(h.listServers))
		r.Post("/tlds", onlyQuery(h.createTLD))
		r.Get("/tlds", onlyQuery(h.listTLDs))
		r.Get("/settings", onlyQuery(h.listSettings))
		r.Put("/settings", onlyQuery(h.putSettings))
		r.Post("/orders", onlyQuery(h.placeOrder))
		r.Get("/orders", onlyQuery(h.listOrders, web.OrderFilterParams...))
		r.Get("/orders/summary", onlyQuery(h.orderSummary))
		r.Get("/orders/{id}", onlyQuery(h.getOrder))
		r.Patch("/orders/{id}", onlyQuery(h.patchOrder))
		r.Post(actionPaths[order.OnOrder], onlyQuery(h.act))
		r.Delete("/orders/{id}", onlyQuery(h.deleteOrder))
		r.Post(actionPaths[order.OnService], onlyQuery(h.itemAction(order.OnService)))
		r.Post(actionPaths[order.OnDomain], onlyQuery(h.itemAction(order.OnDomain)))
		r.Get("/invoices/{id}", onlyQuery(h.getInvoice))
		r.Get("/invoices/{id}/pdf", onlyQuery(h.getInvoicePDF))
		r.Post("/invoices/{id}/payments", onlyQuery(h.addPayment))
		r.Post("/invoices/{id}/refunds", onlyQuery(h.addRefund))
		r.Get("/payments/unmatched", onlyQuery(h.listUnmatchedPayments, "limit", "cursor"))
		r.Post("/api-credentials", onlyQuery(h.createAPICredential))
		r.Get("/api-credentials", onlyQuery(h.listAPICredentials))
		r.Delete("/api-credentials/{identifier}", onlyQuery(h.revokeAPICredential))
		r.Post("/api-keys", onlyQuery(h.createAPIKey))
		r.Get("/api-keys", onlyQuery(h.listAPIKeys))
		r.Delete("/api-keys/{id}", onlyQuery(h.revokeAPIKey))
		r.Get("/gateways", onlyQuery(h.listGateways))
		r.Put("/gateways/{name}", onlyQuery(h.putGateway))
		r.Post("/promotions", onlyQuery(h.createPromotion))
		r.Get("/promotions", onlyQuery(h.listPromotions, "code"))
		r.Post("/tax-rules", onlyQuery(h.createTaxRule))
		r.Get("/tax-rules", onlyQuery(h.listTaxRules))
		r.Delete("/tax-rules/{id}", onlyQuery(h.deleteTaxRule))
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "", "no such endpoint: "+r.Method+" "+r.URL.Path)
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusMethodNotAllowed, "", r.Method+" is not allowed on "+r.URL.Path)
	})
	return r
}

// healthTimeout bounds each dependency's answer to /healthz: a load balancer's probe gets its
// answer in time even from a frozen PostgreSQL or Temporal.
const healthTimeout = 2 * time.Second

// healthz answers {"status":"ok"} while both PostgreSQL and Temporal answer, else 503
// {"status":"unavailable"}, so that a load balancer takes this starter out while it can place
// and act on no order. Which one failed, and why, goes to the log only.
func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	if err := h.dependencies(ctx); err != nil {
		// The reason is for the operator, not for whoever asks.
		h.log.Warn("healthz: unavailable", zap.Error(err))
		web.SetRetryAfter(w)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// dependencies asks PostgreSQL and Temporal at once whether they answer.
func (h *Handler) dependencies(ctx context.Context) error {
	temporal := make(chan error, 1)
	go func() {
		if h.svc.Temporal == nil {
			temporal <- errors.New("no client")
			return
		}
		_, err := h.svc.Temporal.CheckHealth(ctx, &client.CheckHealthRequest{})
		temporal <- err
	}()
	var pgErr, temporalErr error
	if err := h.svc.Pool.Ping(ctx); err != nil {
		pgErr = fmt.Errorf("postgresql: %w", err)
	}
	if err := <-temporal; err != nil {
		temporalErr = fmt.Errorf("temporal: %w", err)
	}
	return errors.Join(pgErr, temporalErr)
}

type ctxKey int

const (
	actorKey ctxKey = iota
	apiKeyIDKey
)

// authenticate accepts a stored admin key as "Authorization: Bearer <key>".
func (h *Handler) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || key == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hostflow"`)
			writeError(w, http.StatusUnauthorized, "", "missing Authorization: Bearer <admin API key>")
			return
		}
		id, valid, err := h.svc.AdminKeyID(r.Context(), key)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		if !valid {
			writeError(w, http.StatusUnauthorized, "", "invalid API key")
			return
		}
		ctx := context.WithValue(context.WithValue(r.Context(), actorKey, order.AdminAPI), apiKeyIDKey, id)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// actor is who the request acts as: every admin key is order.AdminAPI.
func actor(r *http.Request) order.Actor {
	if a, ok := r.Context().Value(actorKey).(order.Actor); ok {
		return a
	}
	return order.AdminAPI
}

func (h *Handler) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		start := time.Now()
		next.ServeHTTP(ww, r)
		h.log.Info("http", zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.Int("status", ww.Status()),
			zap.String("client", r.RemoteAddr),
			zap.Duration("took", time.Since(start)), zap.String("request_id", middleware.GetReqID(r.Context())))
	})
}

func (h *Handler) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil && v != http.ErrAbortHandler {
				h.serverError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// decode reads a JSON body into v, refusing unknown fields, trailing data and oversize bodies.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err == nil && !utf8.Valid(raw) {
		// encoding/json would put U+FFFD in place of the bad bytes and go on.
		writeError(w, http.StatusBadRequest, "", "request body is not valid UTF-8")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err == nil {
		err = dec.Decode(v)
	}
	if err == nil && dec.Decode(&struct{}{}) != io.EOF {
		err = errors.New("unexpected data after the JSON object")
	}
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "", fmt.Sprintf("request body is larger than %d bytes", maxBody))
	case errors.As(err, &typeErr):
		writeError(w, http.StatusBadRequest, typeErr.Field, fmt.Sprintf("must be a %s, not a JSON %s", typeErr.Type, typeErr.Value))
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		writeError(w, http.StatusBadRequest, "", "malformed JSON: "+err.Error())
	case errors.Is(err, io.EOF):
		writeError(w, http.StatusBadRequest, "", "request body is empty; send a JSON object")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		writeError(w, http.StatusBadRequest, field, "unknown field")
	default:
		writeError(w, http.StatusBadRequest, "", "bad JSON: "+err.Error())
	}
	return false
}

// errorBody is every error's JSON.
type errorBody struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func writeError(w http.ResponseWriter, status int, field, msg string) {
	if status == http.StatusServiceUnavailable {
		web.SetRetryAfter(w)
	}
	writeJSON(w, status, errorBody{Error: msg, Field: field})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fail answers a service error with its status, or a 500 for anything unexpected.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var se *fault.Error
	if !errors.As(err, &se) {
		h.serverError(w, r, err)
		return
	}
	writeError(w, web.Status(se.Kind), se.Field, se.Message)
}

// serverError answers an error the service did not classify: 503 when PostgreSQL or Temporal
// could not be reached (the caller waits and retries), else 500.
func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if web.Unavailable(err) {
		h.log.Warn("request failed: a dependency is unavailable", zap.String("path", r.URL.Path),
			zap.String("request_id", middleware.GetReqID(r.Context())), zap.Error(err))
		writeError(w, http.StatusServiceUnavailable, "", "hostflow cannot reach its database or Temporal just now; retry shortly "+
			"(with the same Idempotency-Key when placing an order)")
		return
	}
	h.log.Error("request failed", zap.String("path", r.URL.Path), zap.String("request_id", middleware.GetReqID(r.Context())), zap.Error(err))
	writeError(w, http.StatusInternalServerError, "", "internal error; request id "+middleware.GetReqID(r.Context()))
}

// pathID reads a positive integer URL parameter.
func pathID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusBadRequest, name, "must be a positive integer")
		return 0, false
	}
	return id, true
}

// queryInt reads an optional non-negative integer query parameter.
func queryInt(w http.ResponseWriter, r *http.Request, name string, def, max int64) (int64, bool) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || max > 0 && n > max {
		msg := "must be a non-negative integer"
		if max > 0 {
			msg = fmt.Sprintf("must be an integer from 0 to %d", max)
		}
		writeError(w, http.StatusBadRequest, name, msg)
		return 0, false
	}
	return n, true
}
