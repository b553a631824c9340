// Package api is hostflow's REST API: JSON over chi, a thin adapter over package service.
package api

import (
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

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/service"
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
}

// Router returns the API's routes: the REST API, the payment webhooks, and the
// WHMCS-compatible API.
func Router(svc *service.Service, log *zap.Logger, opts Options) http.Handler {
	h := &Handler{svc: svc, log: log}
	r := chi.NewRouter()
	// Not chi's RealIP, which believes any client's header: the WHMCS IP allow-list relies on it.
	r.Use(middleware.RequestID, clientAddress(opts.TrustedProxies), h.logRequests, h.recoverer)
	r.Get("/healthz", h.healthz)
	wh := whmcs.New(svc, log)
	wh.AllowedIPs, wh.AccessKey = opts.WHMCSAllowedIPs, opts.WHMCSAccessKey
	r.Method(http.MethodPost, "/includes/api.php", wh)
	r.Post("/webhooks/stripe", h.stripeWebhook)
	r.Post("/webhooks/gateway/{name}", h.gatewayWebhook)
	r.Route("/api/v1", func(r chi.Router) {
		r.Use(h.authenticate)
		r.Post("/clients", h.createClient)
		r.Get("/clients", h.listClients)
		r.Post("/products", h.createProduct)
		r.Get("/products", h.listProducts)
		r.Post("/servers", h.createServer)
		r.Get("/servers", h.listServers)
		r.Post("/tlds", h.createTLD)
		r.Get("/tlds", h.listTLDs)
		r.Get("/settings", h.listSettings)
		r.Put("/settings", h.putSettings)
		r.Post("/orders", h.placeOrder)
		r.Get("/orders", h.listOrders)
		r.Get("/orders/{id}", h.getOrder)
		r.Post(actionPaths[order.OnOrder], h.act)
		r.Delete("/orders/{id}", h.deleteOrder)
		r.Post(actionPaths[order.OnService], h.itemAction(order.OnService))
		r.Post(actionPaths[order.OnDomain], h.itemAction(order.OnDomain))
		r.Post("/invoices/{id}/payments", h.addPayment)
		r.Get("/payments/unmatched", h.listUnmatchedPayments)
		r.Post("/api-credentials", h.createAPICredential)
		r.Get("/gateways", h.listGateways)
		r.Put("/gateways/{name}", h.putGateway)
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "", "no such endpoint: "+r.Method+" "+r.URL.Path)
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusMethodNotAllowed, "", r.Method+" is not allowed on "+r.URL.Path)
	})
	return r
}

// createAPICredential serves POST /api/v1/api-credentials: a WHMCS API identifier and secret,
// the secret shown this once.
func (h *Handler) createAPICredential(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Description string `json:"description"`
	}
	if r.ContentLength != 0 && !decode(w, r, &in) {
		return
	}
	c, err := h.svc.CreateAPICredential(r.Context(), in.Description)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := h.svc.Pool.Ping(ctx); err != nil {
		writeError(w, http.StatusServiceUnavailable, "", "database: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

type ctxKey int

const actorKey ctxKey = 0

// authenticate accepts a stored admin key as "Authorization: Bearer <key>".
func (h *Handler) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || key == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hostflow"`)
			writeError(w, http.StatusUnauthorized, "", "missing Authorization: Bearer <admin API key>")
			return
		}
		valid, err := h.svc.ValidAdminKey(r.Context(), key)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		if !valid {
			writeError(w, http.StatusUnauthorized, "", "invalid API key")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey, order.AdminAPI)))
	})
}

// actor is who the request acts as: every admin key is order.AdminAPI.
func actor(r *http.Request) order.Actor {
	if a, ok := r.Context().Value(actorKey).(order.Actor); ok {
		return a
	}
	return order.AdminAPI
}

// clientAddress sets RemoteAddr to the client's address when the peer is a trusted proxy: the
// nearest address in X-Forwarded-For that is not itself a trusted proxy.
func clientAddress(trusted []netip.Prefix) func(http.Handler) http.Handler {
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a.Unmap()) {
				return true
			}
		}
		return false
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			peer, err := netip.ParseAddrPort(r.RemoteAddr)
			xff := r.Header.Values("X-Forwarded-For")
			if len(trusted) == 0 || err != nil || len(xff) == 0 || !isTrusted(peer.Addr()) {
				next.ServeHTTP(w, r)
				return
			}
			hops := strings.Split(strings.Join(xff, ","), ",")
			for i := len(hops) - 1; i >= 0; i-- {
				a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
				if err != nil {
					break // a hop that is not an address: believe nothing further out
				}
				if !isTrusted(a) || i == 0 {
					r.RemoteAddr = netip.AddrPortFrom(a, 0).String()
					break
				}
			}
			next.ServeHTTP(w, r)
		})
	}
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
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
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
	writeJSON(w, status, errorBody{Error: msg, Field: field})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fail answers a service error with its status, or a 500 for anything unexpected.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var se *service.Error
	if !errors.As(err, &se) {
		h.serverError(w, r, err)
		return
	}
	writeError(w, kindStatus[se.Kind], se.Field, se.Message)
}

var kindStatus = map[service.Kind]int{service.Invalid: http.StatusUnprocessableEntity, service.NotFound: http.StatusNotFound,
	service.Conflict: http.StatusConflict, service.Unavailable: http.StatusServiceUnavailable}

func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
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
