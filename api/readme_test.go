package api

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hostflow/hostflow/order"
)

// TestREADMEListsEveryAction keeps the README's table of admin actions what order.Actions says:
// each action's name, button, REST route and WHMCS command, in the table's order.
func TestREADMEListsEveryAction(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	code := func(s string) string {
		if s == "" {
			return "—"
		}
		return "`" + s + "`"
	}
	var want strings.Builder
	want.WriteString("| action (update and signal) | WHMCS button | REST | WHMCS API |\n|---|---|---|---|\n")
	for _, spec := range order.Actions {
		row := fmt.Sprintf("| `%s` | %s | %s | %s |\n", spec.Action, spec.Label, code(restRoute(spec)), code(spec.WHMCS))
		if !strings.Contains(string(readme), row) {
			t.Errorf("README.md lacks the row of %s:\n%s", spec.Action, row)
		}
		want.WriteString(row)
	}
	if !strings.Contains(string(readme), want.String()) {
		t.Errorf("README.md's table of admin actions is not order.Actions; it should read:\n\n%s", want.String())
	}
}

func TestRESTRoutes(t *testing.T) {
	for action, want := range map[order.Action]string{
		order.ActionAccept:         "POST /api/v1/orders/{id}/accept",
		order.ActionDelete:         "DELETE /api/v1/orders/{id}",
		order.ActionModuleSuspend:  "POST /api/v1/services/{id}/suspend",
		order.ActionDomainTransfer: "POST /api/v1/domains/{id}/transfer",
	} {
		spec, _ := order.Lookup(action)
		if got := restRoute(spec); got != want {
			t.Errorf("%s: route %q, want %q", action, got, want)
		}
	}
	want := "unknown order action; use accept, cancel, fraud, pending, retry, skip or fraud-check"
	if unknownOrderAction != want {
		t.Errorf("unknown action message %q, want %q", unknownOrderAction, want)
	}
}
