// Package whmcs speaks the WHMCS External API (POST /includes/api.php) so that scripts, bots
// and panels written for WHMCS work unchanged. This package is its front door: the one table
// of the actions served (actions.go) and who may call (credentials, the IP allow-list, the
// access key, the lockout of an address that keeps guessing). Every action is a thin adapter
// over package service, kept by noun in the packages beside it (orders, items, billing,
// clients, catalog); the protocol they all speak is in wire, and the lists and counts only
// WHMCS's actions give are read in reads. The rules live in the core and the order workflow,
// never here.
package whmcs

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/netip"

	"github.com/go-chi/chi/v5/middleware"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/web"
	"github.com/hostflow/hostflow/whmcs/wire"
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

// New returns the handler; publicURL is where clients reach hostflow, for the links it answers.
func New(svc *service.Service, log *zap.Logger, publicURL string) *Handler {
	return &Handler{svc: svc, log: log, actions: commands(svc, publicURL)}
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, err := wire.Parse(r)
	if err != nil {
		h.write(w, r, wire.Params{Format: wire.JSON}, nil, wire.Fail(err.Error()))
		return
	}
	res, err := h.serve(r, p)
	h.write(w, r, p, res, err)
}

func (h *Handler) serve(r *http.Request, p wire.Params) (wire.Reply, error) {
	ctx, ip := r.Context(), remoteIP(r)
	web.WarnUntrustedForward(r, h.log)
	key := p.Str("accesskey")
	// The allow-list refuses without a secret being tried, so it counts for nothing.
	if key == "" {
		if err := h.allowedIP(r); err != nil {
			return nil, err
		}
	}
	attempt, err := h.svc.Guard(ctx, access.WHMCSLimit(ip))
	if err != nil {
		return nil, refusal(err)
	}
	if key != "" && !h.validAccessKey(key) {
		h.failed(ctx, attempt, ip, "access key")
		return nil, errAccessKey
	}
	if err := h.authenticate(ctx, p); err != nil {
		if errors.Is(err, errAuthentication) {
			h.failed(ctx, attempt, ip, "authentication")
		}
		return nil, err
	}
	if err := attempt.Succeeded(ctx); err != nil {
		return nil, refusal(err)
	}
	if err := p.Format.Check(p.Action); err != nil {
		return nil, err
	}
	act, ok := h.actions[p.Action]
	if !ok {
		return nil, wire.Fail("Command Not Found")
	}
	return act(wire.WithCaller(r.Context(), ip), p)
}

// refusal says the guard's refusal as WHMCS does (a locked-out address is a forbidden IP);
// any other error is the database's.
func refusal(err error) error {
	var th *access.Throttled
	if errors.As(err, &th) {
		return wire.Deny(th.Reason)
	}
	return err
}

// errAccessKey is a wrong access key: it counts as a failed login.
var errAccessKey = wire.Deny("Invalid Access Key")

// errAuthentication is wrong credentials.
var errAuthentication = wire.Deny("Authentication Failed")

// validAccessKey reports whether key is the access key, which lets a caller from outside the
// IP allow-list in.
func (h *Handler) validAccessKey(key string) bool {
	return h.AccessKey != "" && subtle.ConstantTimeCompare([]byte(key), []byte(h.AccessKey)) == 1
}

// allowedIP applies the IP allow-list, for a caller without an access key.
func (h *Handler) allowedIP(r *http.Request) error {
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
	return wire.Deny("Invalid IP " + host)
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
func (h *Handler) authenticate(ctx context.Context, p wire.Params) error {
	id, secret := p.Str("identifier"), p.Str("secret")
	if id == "" {
		id, secret = p.Str("username"), p.Str("password")
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

// write answers in WHMCS's envelope, in the format asked for. An error hostflow could not
// answer (HTTP 500) is logged here, since the caller is only told to look at the log.
func (h *Handler) write(w http.ResponseWriter, r *http.Request, p wire.Params, res wire.Reply, err error) {
	if err != nil && wire.Status(err) == http.StatusInternalServerError {
		h.log.Error("whmcs api", zap.Error(err), zap.String("request_id", middleware.GetReqID(r.Context())))
	}
	wire.Write(w, p, res, err)
}
