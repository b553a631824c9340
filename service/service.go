// Package service is hostflow's one set of rules for everything outside the workflow: creating
// the catalogue, placing orders, recording payments and passing admin actions to an order's
// workflow. The REST API, the WHMCS API and any console are thin adapters over it.
package service

import (
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/workflows"
)

// Service holds what the rules need.
type Service struct {
	Pool       *pgxpool.Pool
	Temporal   client.Client
	Secrets    *secrets.Box
	Log        *zap.Logger
	Panels     provisioning.Registry
	Registrars registrar.Registry
	// TaskQueue overrides workflows.TaskQueue; tests give each worker its own.
	TaskQueue string
	// GatewaySecrets are webhook signing secrets by gateway name, from the environment.
	GatewaySecrets map[string]string

	wakeOnce sync.Once
	wake     chan struct{} // wakes the outbox relay

	changes changes // order change notices, for live pages
}

func (s *Service) taskQueue() string {
	if s.TaskQueue != "" {
		return s.TaskQueue
	}
	return workflows.TaskQueue
}

func (s *Service) q() *db.Queries { return db.New(s.Pool) }

// Kind classifies an Error for the adapters: each maps it to its own status codes.
type Kind int

// Error kinds.
const (
	Invalid     Kind = iota + 1 // the request is wrong
	NotFound                    // what it names does not exist
	Conflict                    // the current state forbids it
	Unavailable                 // a dependency did not answer in time; retrying is safe
)

// HTTPStatus is the status the REST API and the console answer a refusal of this kind with
// (the WHMCS API answers every refusal with 200, as WHMCS does).
func (k Kind) HTTPStatus() int {
	switch k {
	case Invalid:
		return http.StatusUnprocessableEntity
	case NotFound:
		return http.StatusNotFound
	case Conflict:
		return http.StatusConflict
	case Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Error is a refusal the caller can act on. Field names the offending input, if one.
type Error struct {
	Kind    Kind
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

func invalid(field, format string, args ...any) error {
	return &Error{Kind: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

func notFound(message string) error { return &Error{Kind: NotFound, Message: message} }

// orNotFound turns "no rows" into a NotFound error with message.
func orNotFound(err error, message string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound(message)
	}
	return err
}
