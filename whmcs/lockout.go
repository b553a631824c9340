package whmcs

import (
	"context"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"
)

// Repeated failed logins from one address lock it out for a while, as WHMCS bans an IP that
// keeps guessing: access.LoginMaxFailures wrong credentials or access keys within
// access.LoginWindow (an IPv6 address by its /64). The count is in PostgreSQL, shared by every
// API process, and kept by package access's guard (access.WHMCSLimit): a right credential among
// parallel guesses is refused once the limit's worth of them have been counted, while a
// script's parallel calls with the right credential all go through.

// failed counts a failed login from ip; the failure to count it is only logged, since the
// request fails anyway.
func (h *Handler) failed(ctx context.Context, attempt *access.Attempt, ip, what string) {
	locked, err := attempt.Failed(ctx)
	if err != nil {
		h.log.Error("whmcs api: login failure not counted", zap.String("ip", ip), zap.Error(err))
	}
	h.log.Warn("whmcs api: "+what+" failed", zap.String("ip", ip), zap.Bool("locked_out", locked))
}
