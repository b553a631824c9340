package api

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/items"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// actionPaths are where admin actions are posted, below /api/v1, by what they act on; {action}
// is an order.Spec's REST. Delete is DELETE /orders/{id} instead.
var actionPaths = map[order.ItemKind]string{
	order.OnOrder:   "/orders/{id}/{action}",
	order.OnService: "/services/{id}/{action}",
	order.OnDomain:  "/domains/{id}/{action}",
}

// restActions are order.Actions by what they act on and by REST name.
var restActions = map[order.ItemKind]map[string]order.Spec{}

// unknownOrderAction answers a POST to an order action that does not exist.
var unknownOrderAction string

func init() {
	var names []string
	for _, spec := range order.Actions {
		if spec.REST == "" {
			continue
		}
		if restActions[spec.On] == nil {
			restActions[spec.On] = map[string]order.Spec{}
		}
		restActions[spec.On][spec.REST] = spec
		if spec.On == order.OnOrder {
			names = append(names, spec.REST)
		}
	}
	last := len(names) - 1
	unknownOrderAction = "unknown order action; use " + strings.Join(names[:last], ", ") + " or " + names[last]
}

// restRoute is the method and path that run an admin action ("POST /api/v1/orders/{id}/accept"),
// or "" for an action the REST API does not offer.
func restRoute(spec order.Spec) string {
	switch {
	case spec.Action == order.ActionDelete:
		return "DELETE /api/v1/orders/{id}"
	case spec.REST == "":
		return ""
	}
	return "POST /api/v1" + strings.Replace(actionPaths[spec.On], "{action}", spec.REST, 1)
}

// act serves POST /orders/{id}/{action}.
func (h *Handler) act(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	spec, ok := restActions[order.OnOrder][chi.URLParam(r, "action")]
	if !ok {
		writeError(w, http.StatusNotFound, "action", unknownOrderAction)
		return
	}
	req := order.ActionRequest{Actor: actor(r)}
	if spec.Action == order.ActionAccept && r.ContentLength != 0 {
		var body ordering.Accept
		if !decode(w, r, &body) {
			return
		}
		var err error
		if req, err = h.svc.AcceptRequest(r.Context(), id, actor(r), body); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.runAction(w, r, id, spec.Action, req)
}

// deleteOrder serves DELETE /orders/{id}.
func (h *Handler) deleteOrder(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	h.runAction(w, r, id, order.ActionDelete, order.ActionRequest{Actor: actor(r)})
}

func (h *Handler) runAction(w http.ResponseWriter, r *http.Request, id int64, action order.Action, req order.ActionRequest) {
	key, ok := idempotencyKey(w, r)
	if !ok {
		return
	}
	res, err := h.svc.Act(r.Context(), id, action, req, key)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if action == order.ActionAccept && res.Status != order.Active {
		// Accepted, but held by a failed step: the order is Active only after a retry or skip.
		// The answer says what it waits for.
		status = http.StatusAccepted
	}
	if action == order.ActionCancelRefund {
		writeJSON(w, status, struct {
			ordermsg.Result
			Refunds []refundJSON `json:"refunds"`
		}{res, refundsView(res.Refunds)})
		return
	}
	writeJSON(w, status, res)
}

// itemAction serves POST /services/{id}/{action} and POST /domains/{id}/{action}: a module or
// registrar command on one item of kind.
func (h *Handler) itemAction(kind order.ItemKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(w, r, "id")
		if !ok {
			return
		}
		spec, ok := restActions[kind][chi.URLParam(r, "action")]
		if !ok {
			writeError(w, http.StatusNotFound, "action", "unknown action "+chi.URLParam(r, "action"))
			return
		}
		key, ok := idempotencyKey(w, r)
		if !ok {
			return
		}
		var body items.ItemOptions
		if r.ContentLength != 0 && !decode(w, r, &body) {
			return
		}
		req, err := h.svc.ItemRequest(actor(r), id, body)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		res, err := h.svc.ActOnItem(r.Context(), spec.Action, id, req, key)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	}
}
