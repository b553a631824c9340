package whmcs

import (
	"context"

	"go.uber.org/zap"
)

// Repeated failed logins from one address lock it out for a while, as WHMCS bans an IP that
// keeps guessing: access.LoginMaxFailures wrong credentials or access keys within
// access.LoginWindow. The count is in PostgreSQL, shared by every API process.

// failed counts a failed login from ip; the failure to count it is only logged, since the
// request fails anyway.
func (h *Handler) failed(ctx context.Context, ip, what string) {
	locked, err := h.svc.LoginFailed(ctx, ip)
	if err != nil {
		h.log.Error("whmcs api: login failure not counted", zap.String("ip", ip), zap.Error(err))
	}
	h.log.Warn("whmcs api: "+what+" failed", zap.String("ip", ip), zap.Bool("locked_out", locked))
}

// succeeded forgets ip's failures, if it has any.
func (h *Handler) succeeded(ctx context.Context, ip string, failures int) {
	if failures == 0 {
		return
	}
	if err := h.svc.LoginSucceeded(ctx, ip); err != nil {
		h.log.Warn("whmcs api: login failures not cleared", zap.String("ip", ip), zap.Error(err))
	}
}
