package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/dbtx"
)

// A client's notes, Log and Close Client, as the console's Notes and Log tabs and its Close
// Client button (package clients holds the rules).

type noteJSON struct {
	ID        int64     `json:"id"`
	ClientID  int64     `json:"client_id"`
	Note      string    `json:"note"`
	Actor     string    `json:"actor"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by,omitempty"`
}

func noteView(n clients.Note) noteJSON {
	return noteJSON{ID: n.ID, ClientID: n.ClientID, Note: n.Note, Actor: string(n.Actor), CreatedAt: n.CreatedAt,
		UpdatedAt: n.UpdatedAt, UpdatedBy: string(n.UpdatedBy)}
}

// getNotes serves GET /api/v1/clients/{id}/notes: the newest 200, newest first.
func (h *Handler) getNotes(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	notes, err := h.svc.ClientNotes(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]noteJSON, len(notes))
	for i, n := range notes {
		out[i] = noteView(n)
	}
	writeJSON(w, http.StatusOK, map[string]any{"notes": out})
}

// postNote serves POST /api/v1/clients/{id}/notes: {"note": "…"}.
func (h *Handler) postNote(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	var in struct {
		Note string `json:"note"`
	}
	if !decode(w, r, &in) {
		return
	}
	n, err := h.svc.AddClientNote(r.Context(), id, actor(r), in.Note)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, noteView(n))
}

type logLineJSON struct {
	Date        time.Time `json:"date"`
	OrderID     int64     `json:"order_id,omitempty"`
	OrderNumber string    `json:"order_number,omitempty"` // a string, as the orders' own
	Actor       string    `json:"actor"`
	Action      string    `json:"action"`
	FromStatus  string    `json:"from_status,omitempty"`
	ToStatus    string    `json:"to_status,omitempty"`
	Detail      string    `json:"detail,omitempty"`
}

// getClientLog serves GET /api/v1/clients/{id}/log?page=N: the client's Log, 50 a page, newest
// first, and whether an older page follows.
func (h *Handler) getClientLog(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	n := 1
	if v := r.URL.Query().Get("page"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "page", "must be a positive integer")
			return
		}
	}
	lines, more, err := h.svc.ClientLog(r.Context(), id, dbtx.Page{Number: n, Size: 50})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]logLineJSON, len(lines))
	for i, l := range lines {
		out[i] = logLineJSON{Date: l.Date, OrderID: l.OrderID, OrderNumber: orderNumber(l.OrderNumber), Actor: string(l.Actor), Action: l.Action,
			FromStatus: l.FromStatus, ToStatus: l.ToStatus, Detail: l.Detail}
	}
	writeJSON(w, http.StatusOK, map[string]any{"log": out, "page": n, "more": more})
}

type closedOrderJSON struct {
	OrderID      int64  `json:"order_id"`
	OrderNumber  string `json:"order_number"`
	LiveServices int    `json:"live_services"`
	LiveDomains  int    `json:"live_domains"`
	Error        string `json:"error,omitempty"`
}

func closedOrders(os []clients.ClientOrder) []closedOrderJSON {
	out := make([]closedOrderJSON, len(os))
	for i, o := range os {
		out[i] = closedOrderJSON{OrderID: o.OrderID, OrderNumber: orderNumber(o.Number), LiveServices: o.LiveServices, LiveDomains: o.LiveDomains, Error: o.Error}
	}
	return out
}

// postCloseClient serves POST /api/v1/clients/{id}/close: the client Closed, each Pending order
// cancelled through its workflow (cancelled; failed with why), the Active orders left for the
// admin (left). An Idempotency-Key makes a retry the same cancels; without one a retry cancels
// what is Pending still.
func (h *Handler) postCloseClient(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return
	}
	key, ok := idempotencyKey(w, r)
	if !ok {
		return
	}
	done, err := h.svc.CloseClient(r.Context(), id, actor(r), key)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"client": clientView(done.Client), "cancelled": closedOrders(done.Cancel),
		"failed": closedOrders(done.Failed), "left": closedOrders(done.Left)})
}

// orderNumber is an order's number as the API writes it, a string; "" for none.
func orderNumber(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}
