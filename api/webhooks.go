package api

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/web"
)

// WebhookEvents counts payment gateway callbacks by gateway and outcome. The starter registers
// it for /metrics; it lives here because only the handlers know the outcome. A gateway that
// has no secret is counted as "unknown": its name is whatever the caller put in the path.
var WebhookEvents = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "hostflow", Name: "webhook_events_total",
	Help: "Payment gateway callbacks by gateway and outcome: applied, duplicate, unmatched (kept for an admin), " +
		"ignored (an event type hostflow does not act on), bad_signature, unreadable, refused (not applied), " +
		"unknown_gateway, error."},
	[]string{"gateway", "outcome"})

// Outcomes of a gateway callback, the outcome label of WebhookEvents.
const (
	webhookApplied        = "applied"
	webhookDuplicate      = "duplicate"
	webhookUnmatched      = "unmatched"
	webhookIgnored        = "ignored"
	webhookBadSignature   = "bad_signature"
	webhookUnreadable     = "unreadable"
	webhookRefused        = "refused"
	webhookUnknownGateway = "unknown_gateway"
	webhookError          = "error"
	unknownGateway        = "unknown"
)

func countWebhook(gateway, outcome string) { WebhookEvents.WithLabelValues(gateway, outcome).Inc() }

// stripeWebhook serves POST /webhooks/stripe.
func (h *Handler) stripeWebhook(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	secret, err := h.svc.GatewaySecret(r.Context(), gateway.StripeName)
	if err != nil {
		h.refuseWebhook(w, r, gateway.StripeName, err)
		return
	}
	ev, err := gateway.ParseStripe(body, r.Header.Get("Stripe-Signature"), string(secret))
	h.applyWebhook(w, r, gateway.StripeName, ev, err)
}

// gatewayWebhook serves POST /webhooks/gateway/{name}, for gateways without an adapter of
// their own: a small JSON body signed with HMAC-SHA256 (see docs/api.md).
func (h *Handler) gatewayWebhook(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	if !billing.ValidGatewayName(name) || name == gateway.StripeName {
		countWebhook(unknownGateway, webhookUnknownGateway)
		writeError(w, http.StatusNotFound, "name", "no such gateway: "+name)
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	secret, err := h.svc.GatewaySecret(r.Context(), name)
	if err != nil {
		h.refuseWebhook(w, r, name, err)
		return
	}
	ev, err := gateway.ParseGeneric(name, secret, body, r.Header.Get(gateway.HeaderTimestamp), r.Header.Get(gateway.HeaderSignature), time.Now())
	h.applyWebhook(w, r, name, ev, err)
}

// applyWebhook answers a parsed callback. A bad signature gets 400 and leaves nothing but a
// log line; a signed event hostflow does not act on gets 200, so the gateway stops resending.
func (h *Handler) applyWebhook(w http.ResponseWriter, r *http.Request, name string, ev gateway.Event, err error) {
	log := h.log.With(zap.String("gateway", name), zap.String("request_id", middleware.GetReqID(r.Context())))
	var inputErr *gateway.InputError
	switch {
	case gateway.IsSignature(err):
		countWebhook(name, webhookBadSignature)
		log.Warn("webhook refused", zap.String("reason", err.Error()))
		writeError(w, http.StatusBadRequest, "signature", err.Error())
		return
	case errors.As(err, &inputErr):
		countWebhook(name, webhookUnreadable)
		log.Warn("webhook unreadable", zap.Error(err))
		writeError(w, http.StatusBadRequest, inputErr.Field, inputErr.Message)
		return
	case err != nil:
		countWebhook(name, webhookError)
		h.serverError(w, r, err)
		return
	case ev.Kind == "":
		countWebhook(name, webhookIgnored)
		log.Info("webhook ignored", zap.String("event_id", ev.ID), zap.String("type", ev.Type), zap.String("why", ev.Ignored))
		writeJSON(w, http.StatusOK, map[string]any{"received": true, "ignored": ev.Ignored})
		return
	}
	res, err := h.svc.ApplyGatewayEvent(r.Context(), ev)
	if err != nil {
		outcome := notAppliedOutcome(err)
		countWebhook(name, outcome)
		log.Warn("webhook not applied", zap.String("event_id", ev.ID), zap.String("outcome", outcome), zap.Error(err))
		h.fail(w, r, err)
		return
	}
	if res.Unmatched != "" {
		countWebhook(name, webhookUnmatched)
		// Answered as received: the gateway stops resending, and the money is listed for an admin.
		log.Warn("webhook payment matches no invoice; kept as unmatched", zap.String("event_id", ev.ID), zap.String("type", ev.Type),
			zap.String("kind", ev.Kind), zap.Int64("invoice_id", ev.InvoiceID), zap.String("reason", res.Unmatched),
			zap.Bool("duplicate", res.Duplicate))
		writeJSON(w, http.StatusOK, map[string]any{"received": true, "duplicate": res.Duplicate, "unmatched": res.Unmatched})
		return
	}
	log.Info("webhook applied", zap.String("event_id", ev.ID), zap.String("type", ev.Type), zap.String("kind", ev.Kind),
		zap.Int64("invoice_id", res.InvoiceID), zap.String("invoice_status", string(res.Status)), zap.Bool("duplicate", res.Duplicate))
	out := map[string]any{"received": true, "duplicate": res.Duplicate, "invoice_id": res.InvoiceID}
	if res.Duplicate {
		countWebhook(name, webhookDuplicate)
	} else {
		countWebhook(name, webhookApplied)
		out["invoice_status"] = res.Status
		out["balance"] = money.Format(res.Balance, res.Currency)
		if res.Credited > 0 {
			out["credited"] = money.Format(res.Credited, res.Currency) // paid beyond the total: the client's credit
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// notAppliedOutcome is the outcome of a callback the service did not apply: refused for a
// refusal of the event (a 4xx), error for hostflow's own failure (a 5xx, which the gateway
// resends).
func notAppliedOutcome(err error) string {
	var se *fault.Error
	if errors.As(err, &se) && web.Status(se.Kind) < http.StatusInternalServerError {
		return webhookRefused
	}
	return webhookError
}

// refuseWebhook answers a callback for a gateway without a secret: nothing can be verified.
func (h *Handler) refuseWebhook(w http.ResponseWriter, r *http.Request, name string, err error) {
	var se *fault.Error
	if errors.As(err, &se) && se.Kind == fault.NotFound {
		countWebhook(unknownGateway, webhookUnknownGateway)
		h.log.Warn("webhook for a gateway without a secret", zap.String("gateway", name))
		writeError(w, http.StatusNotFound, "", se.Message)
		return
	}
	countWebhook(name, webhookError)
	h.serverError(w, r, err)
}

// readBody reads a webhook's raw body: signatures are over its exact bytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "", "request body is too large")
		return nil, false
	case err != nil:
		writeError(w, http.StatusBadRequest, "", "could not read the request body")
		return nil, false
	}
	return body, true
}

// putGateway serves PUT /api/v1/gateways/{name}: sets a gateway's webhook secret, and a payment
// method's (a gateway's or a manual one's) display name and whether new orders are offered it.
// Each part is optional, but one is needed; the display name is checked before the secret is
// stored, so a refusal saves nothing.
func (h *Handler) putGateway(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Secret      *string `json:"secret"`
		DisplayName *string `json:"display_name"`
		Enabled     *bool   `json:"enabled"`
	}
	if !decode(w, r, &in) {
		return
	}
	name := chi.URLParam(r, "name")
	change := billing.MethodChange{DisplayName: in.DisplayName, Enabled: in.Enabled}
	if err := billing.CheckMethodChange(change); err != nil {
		h.fail(w, r, err)
		return
	}
	out := map[string]any{"name": name}
	if in.Secret != nil || (in.DisplayName == nil && in.Enabled == nil) {
		secret := ""
		if in.Secret != nil {
			secret = *in.Secret
		}
		if err := h.svc.SetGatewaySecret(r.Context(), name, secret); err != nil {
			h.fail(w, r, err)
			return
		}
		out["source"] = "api"
	}
	m, err := h.svc.SetMethod(r.Context(), name, change)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out["display_name"], out["enabled"] = m.DisplayName, m.Enabled
	writeJSON(w, http.StatusOK, out)
}

// listGateways serves GET /api/v1/gateways: the gateways, and every payment method (the manual
// ones too) with its display name and whether it is offered.
func (h *Handler) listGateways(w http.ResponseWriter, r *http.Request) {
	gws, err := h.svc.Gateways(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	methods, err := h.svc.Methods(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"gateways": gws, "payment_methods": methods})
}
