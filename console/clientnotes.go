package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/console/session"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/order"
)

// The client page's Notes and Log tabs: the admins' notes about the client
// (clients.AddClientNote and its kin) and the client's Log (clients.ClientLog). The rules are
// package clients'; these only read the forms and say what came of them.

// clientLogPageSize is how many lines a page of the Log tab shows.
const clientLogPageSize = 50

// clientLogView is the Log tab: a page of lines, newest first.
type clientLogView struct {
	Lines      []clients.LogEntry
	Prev, Next string // the other pages' queries; "" when there is none
}

// ActorName is who did something to a client, in words (page.ActorName).
func (v clientView) ActorName(a order.Actor) string {
	return page.ActorName(a, v.Admins, strings.TrimSpace(v.Client.FirstName+" "+v.Client.LastName))
}

// clientLog reads the page of the Log tab the query asks for.
func (c *Console) clientLog(r *http.Request, id int64) (clientLogView, error) {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	n = max(n, 1)
	lines, more, err := c.svc.ClientLog(r.Context(), id, dbtx.Page{Number: n, Size: clientLogPageSize})
	v := clientLogView{Lines: lines}
	if n > 1 {
		v.Prev = "?page=" + strconv.Itoa(n-1)
	}
	if more {
		v.Next = "?page=" + strconv.Itoa(n+1)
	}
	return v, err
}

// noteRoutes mounts the Notes tab's forms.
func (c *Console) noteRoutes(r chi.Router) {
	r.Post("/clients/{id}/notes", c.addNote)
	r.Post("/clients/{id}/notes/{note}/edit", c.editNote)
	r.Post("/clients/{id}/notes/{note}/delete", c.deleteNote)
}

// addNote serves the Notes tab's Add Note form.
func (c *Console) addNote(w http.ResponseWriter, r *http.Request) {
	id, ok := c.pathNumber(w, r, "client")
	if !ok || !c.readPosted(w, r) {
		return
	}
	if _, err := c.svc.AddClientNote(r.Context(), id, session.Actor(r), r.PostForm.Get("note")); err != nil {
		c.flashFailure(w, r, err)
	} else {
		c.pages.SetFlash(w, r, page.FlashOK, "Note added.")
	}
	c.redirect(w, r, c.path("/clients/", strconv.FormatInt(id, 10), "/notes"))
}

// editNote serves a note's Save Changes.
func (c *Console) editNote(w http.ResponseWriter, r *http.Request) {
	id, noteID, ok := c.noteIDs(w, r)
	if !ok || !c.readPosted(w, r) {
		return
	}
	if _, err := c.svc.EditClientNote(r.Context(), id, noteID, session.Actor(r), r.PostForm.Get("note")); err != nil {
		c.flashFailure(w, r, err)
	} else {
		c.pages.SetFlash(w, r, page.FlashOK, "Note saved.")
	}
	c.redirect(w, r, c.path("/clients/", strconv.FormatInt(id, 10), "/notes"))
}

// deleteNote serves a note's Delete.
func (c *Console) deleteNote(w http.ResponseWriter, r *http.Request) {
	id, noteID, ok := c.noteIDs(w, r)
	if !ok || !c.readPosted(w, r) {
		return
	}
	if err := c.svc.DeleteClientNote(r.Context(), id, noteID, session.Actor(r)); err != nil {
		c.flashFailure(w, r, err)
	} else {
		c.pages.SetFlash(w, r, page.FlashOK, "Note deleted.")
	}
	c.redirect(w, r, c.path("/clients/", strconv.FormatInt(id, 10), "/notes"))
}

// noteIDs reads the client's and the note's ids in the path, or answers 404.
func (c *Console) noteIDs(w http.ResponseWriter, r *http.Request) (int64, int64, bool) {
	id, ok := c.pathNumber(w, r, "client")
	if !ok {
		return 0, 0, false
	}
	noteID, err := strconv.ParseInt(chi.URLParam(r, "note"), 10, 64)
	if err != nil || noteID <= 0 {
		c.pages.Error(w, r, http.StatusNotFound, "No such note: "+chi.URLParam(r, "note"))
		return 0, 0, false
	}
	return id, noteID, true
}
