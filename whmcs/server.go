// Package whmcs speaks the WHMCS External API (POST /includes/api.php) so that scripts, bots
// and panels written for WHMCS work unchanged. Every action is a thin adapter over package
// service: the rules live there and in the order workflow, never here. The lists and counts
// only WHMCS's actions give are read here (reads.go, invoice_reads.go), from their own queries.
package whmcs

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"unicode"

	"github.com/go-chi/chi/v5/middleware"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/service"
)

// Handler serves /includes/api.php.
type Handler struct {
	svc *service.Service
	log *zap.Logger
	// AllowedIPs, when set, are the only callers let in without AccessKey, as WHMCS's API IP
	// allow-list.
	AllowedIPs []netip.Prefix
	// AccessKey lets a caller from elsewhere in (WHMCS's $api_access_key).
	AccessKey string

	actions map[string]action
}

// New returns the handler.
func New(svc *service.Service, log *zap.Logger) *Handler {
	h := &Handler{svc: svc, log: log}
	h.actions = map[string]action{
		"addclient": h.addClient, "getclients": h.getClients, "getclientsdetails": h.getClientsDetails,
		"getproducts": h.getProducts, "addorder": h.addOrder, "getorders": h.getOrders, "getorderstatuses": h.getOrderStatuses,
		"getinvoice": h.getInvoice, "getinvoices": h.getInvoices, "addinvoicepayment": h.addInvoicePayment,
		"getclientsproducts": h.getClientsProducts, "getclientsdomains": h.getClientsDomains, "getpaymentmethods": h.getPaymentMethods,
		"getcurrencies": h.getCurrencies, "gettransactions": h.getTransactions, "getservers": h.getServers,
		"gettldpricing": h.getTLDPricing, "getmodulequeue": h.getModuleQueue, "addtransaction": h.addTransaction,
		"updateinvoice": h.updateInvoice, "updateclientproduct": h.updateClientProduct, "updateclientdomain": h.updateClientDomain,
		"domaingetnameservers": h.domainGetNameservers, "domainupdatenameservers": h.domainUpdateNameservers, "domainrenew": h.domainRenew,
		"getpromotions": h.getPromotions,
	}
	for _, spec := range order.Actions {
		if spec.WHMCS != "" {
			h.actions[strings.ToLower(spec.WHMCS)] = h.adminAction(spec)
		}
	}
	return h
}

// adminAction serves the WHMCS command of an admin action.
func (h *Handler) adminAction(spec order.Spec) action {
	run := h.orderAction
	switch {
	case spec.Action == order.ActionAccept:
		run = h.acceptOrder
	case spec.Action == order.ActionFraudCheck:
		run = h.orderFraudCheck
	case spec.On == order.OnService:
		run = h.moduleAction
	case spec.On == order.OnDomain:
		run = h.domainAction
	}
	return func(ctx context.Context, p params) (reply, error) { return run(ctx, spec, p) }
}

// reply is an action's answer: the fields besides result.
type reply map[string]any

// apiError is a refusal with WHMCS's message. WHMCS answers a failed action with HTTP 200 and
// {"result":"error"}; only a refused caller (IP, access key, credentials) gets 403, as WHMCS's
// api.php answers its AuthException (whmcspy maps exactly that to MissingPermission).
type apiError struct {
	denied  bool
	message string
}

func (e *apiError) Error() string { return e.message }

// fail is an action's refusal: HTTP 200, result error.
func fail(message string) error { return &apiError{message: message} }

// deny is the caller's refusal: HTTP 403, result error.
func deny(message string) error { return &apiError{denied: true, message: message} }

// action runs one API action.
type action func(ctx context.Context, p params) (reply, error)

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, err := parse(r)
	if err != nil {
		h.write(w, r, params{format: formatJSON}, nil, fail(err.Error()))
		return
	}
	// WHMCS matches the action without regard to case, and ignores anything but letters and digits.
	p.action = strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			return c
		}
		return -1
	}, strings.ToLower(p.str("action")))
	res, err := h.serve(r, p)
	h.write(w, r, p, res, err)
}

func (h *Handler) serve(r *http.Request, p params) (reply, error) {
	ctx, ip := r.Context(), remoteIP(r)
	locked, failures, err := h.svc.LoginLocked(ctx, ip)
	if err != nil {
		return nil, err
	}
	if locked {
		return nil, deny("Forbidden IP " + ip)
	}
	if err := h.allowed(r, p.str("accesskey")); err != nil {
		if errors.Is(err, errAccessKey) {
			h.failed(ctx, ip, "access key")
		}
		return nil, err
	}
	if err := h.authenticate(ctx, p); err != nil {
		if errors.Is(err, errAuthentication) {
			h.failed(ctx, ip, "authentication")
		}
		return nil, err
	}
	h.succeeded(ctx, ip, failures)
	if err := p.format.check(p.action); err != nil {
		return nil, err
	}
	act, ok := h.actions[p.action]
	if !ok {
		return nil, fail("Command Not Found")
	}
	return act(r.Context(), p)
}

// errAccessKey is a wrong access key: it counts as a failed login.
var errAccessKey = deny("Invalid Access Key")

// errAuthentication is wrong credentials.
var errAuthentication = deny("Authentication Failed")

// allowed applies the IP allow-list, which a right access key bypasses.
func (h *Handler) allowed(r *http.Request, key string) error {
	if key != "" {
		if h.AccessKey == "" || subtle.ConstantTimeCompare([]byte(key), []byte(h.AccessKey)) != 1 {
			return errAccessKey
		}
		return nil
	}
	if len(h.AllowedIPs) == 0 {
		return nil
	}
	host := remoteIP(r)
	ip, err := netip.ParseAddr(host)
	for _, p := range h.AllowedIPs {
		if err == nil && p.Contains(ip.Unmap()) {
			return nil
		}
	}
	return deny("Invalid IP " + host)
}

// remoteIP is the address that connected: never a header a client could write.
func remoteIP(r *http.Request) string {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap().String()
	}
	return r.RemoteAddr
}

// authenticate takes identifier+secret, the same pair in username+password (WHMCS's forward
// compatibility), or a password that is the MD5 of the secret (legacy clients).
func (h *Handler) authenticate(ctx context.Context, p params) error {
	id, secret := p.str("identifier"), p.str("secret")
	if id == "" {
		id, secret = p.str("username"), p.str("password")
	}
	ok, err := h.svc.ValidAPICredential(ctx, id, secret)
	if err != nil {
		return err
	}
	if !ok {
		return errAuthentication
	}
	return nil
}

// write answers in WHMCS's envelope, in the format asked for.
func (h *Handler) write(w http.ResponseWriter, r *http.Request, p params, res reply, err error) {
	status := http.StatusOK
	body := reply{"result": "success"}
	for k, v := range res {
		body[k] = v
	}
	if err != nil {
		status, body = h.errorStatus(r, err), reply{"result": "error", "message": errorMessage(err)}
	}
	switch p.format {
	case formatXML:
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		w.WriteHeader(status)
		_ = writeXML(w, p.action, body)
	case formatNVP:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		_ = writeNVP(w, body)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = writeJSON(w, body)
	}
}

// errorStatus is the HTTP status of a failed request: 200 for an action WHMCS refuses, 403 for
// a caller it refuses; 503 and 500 only when hostflow itself could not answer.
func (h *Handler) errorStatus(r *http.Request, err error) int {
	var ae *apiError
	var se *fault.Error
	switch {
	case errors.As(err, &ae) && ae.denied:
		return http.StatusForbidden
	case errors.As(err, &ae):
		return http.StatusOK
	case errors.As(err, &se) && se.Kind == fault.Unavailable:
		return http.StatusServiceUnavailable
	case errors.As(err, &se):
		return http.StatusOK
	}
	h.log.Error("whmcs api", zap.Error(err), zap.String("request_id", middleware.GetReqID(r.Context())))
	return http.StatusInternalServerError
}

func errorMessage(err error) string {
	var ae *apiError
	var se *fault.Error
	switch {
	case errors.As(err, &ae):
		return ae.message
	case errors.As(err, &se) && se.Field != "" && se.Message != "" && !unicode.IsUpper([]rune(se.Message)[0]):
		return se.Error() // "field: is required" reads better than "is required"
	case errors.As(err, &se):
		return se.Message
	}
	return "An internal error occurred; see the server log"
}
