package clients

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// A client's notes (WHMCS's client Notes tab): the admins' dated, signed notes about the
// client, many of them, each editable and deletable; every change is a line on the client's Log.
// clients.notes stays the single profile note AddClient takes.

// MaxNoteLength bounds a note, in characters.
const MaxNoteLength = 10000

// clientNotesShown is how many notes ClientNotes reads, newest first.
const clientNotesShown = 200

// Note is an admin's note about a client.
type Note struct {
	ID        int64
	ClientID  int64
	Note      string
	Actor     order.Actor
	CreatedAt time.Time
	// UpdatedAt and UpdatedBy say who edited it last; UpdatedBy is "" while never edited.
	UpdatedAt time.Time
	UpdatedBy order.Actor
}

func noteFrom(n db.ClientNote) Note {
	return Note{ID: n.ID, ClientID: n.ClientID, Note: n.Note, Actor: order.Actor(n.Actor), CreatedAt: n.CreatedAt.Time,
		UpdatedAt: n.UpdatedAt.Time, UpdatedBy: order.Actor(n.UpdatedBy)}
}

// ClientNotes lists the client's notes, newest first (the newest 200). An unknown client is
// NotFound.
func (s *Clients) ClientNotes(ctx context.Context, clientID int64) ([]Note, error) {
	q := s.q()
	if _, err := q.GetClient(ctx, clientID); err != nil {
		return nil, fault.Wrap(fault.OrAbsent(err, "Client Not Found"), "read client %d", clientID)
	}
	rows, err := q.ClientNotes(ctx, db.ClientNotesParams{ClientID: clientID, Limit: clientNotesShown})
	return dbtx.Views(rows, noteFrom), fault.Wrap(err, "list the notes of client %d", clientID)
}

// checkNote is the rule for a note's text: something to say, and not a book. It answers the
// text as kept: line ends as "\n", without blank lines around it.
func checkNote(text string) (string, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	switch {
	case text == "":
		return "", fault.Invalidf("note", "is required")
	case !utf8.ValidString(text):
		return "", fault.Invalidf("note", "must be UTF-8 text")
	case utf8.RuneCountInString(text) > MaxNoteLength:
		return "", fault.Invalidf("note", "at most %d characters", MaxNoteLength)
	}
	return text, nil
}

// AddClientNote adds actor's note about the client, with a line on the client's Log.
func (s *Clients) AddClientNote(ctx context.Context, clientID int64, actor order.Actor, text string) (Note, error) {
	text, err := checkNote(text)
	if err != nil {
		return Note{}, err
	}
	var n db.ClientNote
	err = dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		if _, err := q.LockClient(ctx, clientID); err != nil {
			return fault.OrAbsent(err, "Client Not Found")
		}
		if n, err = q.AddClientNote(ctx, db.AddClientNoteParams{ClientID: clientID, Note: text, Actor: string(actor.OrOperator())}); err != nil {
			return err
		}
		return logChange(ctx, q, clientID, actor, LogNoteAdded, excerpt(text))
	})
	return noteFrom(n), fault.Wrap(err, "add a note to client %d", clientID)
}

// EditClientNote replaces the text of the client's note, signed by actor, with a line on the
// client's Log. A note of another client is NotFound, as an unknown one.
func (s *Clients) EditClientNote(ctx context.Context, clientID, noteID int64, actor order.Actor, text string) (Note, error) {
	text, err := checkNote(text)
	if err != nil {
		return Note{}, err
	}
	var n db.ClientNote
	err = dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		if n, err = q.EditClientNote(ctx, db.EditClientNoteParams{ID: noteID, ClientID: clientID, Note: text, Actor: string(actor.OrOperator())}); err != nil {
			return fault.OrAbsent(err, "Note Not Found")
		}
		return logChange(ctx, q, clientID, actor, LogNoteEdited, excerpt(text))
	})
	return noteFrom(n), fault.Wrap(err, "edit note %d of client %d", noteID, clientID)
}

// DeleteClientNote deletes the client's note, with a line on the client's Log that keeps the
// start of what it said.
func (s *Clients) DeleteClientNote(ctx context.Context, clientID, noteID int64, actor order.Actor) error {
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		n, err := q.DeleteClientNote(ctx, db.DeleteClientNoteParams{ID: noteID, ClientID: clientID})
		if err != nil {
			return fault.OrAbsent(err, "Note Not Found")
		}
		return logChange(ctx, q, clientID, actor, LogNoteDeleted, excerpt(n.Note))
	})
	return fault.Wrap(err, "delete note %d of client %d", noteID, clientID)
}

// excerptLength is how much of a note its Log line keeps.
const excerptLength = 120

// excerpt is the start of a note for its Log line, on one line.
func excerpt(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= excerptLength {
		return text
	}
	r := []rune(text)
	return string(r[:excerptLength-1]) + "…"
}
