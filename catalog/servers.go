package catalog

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/secrets"
)

// NewServer is a control-panel server to create. Credentials (an API token or password) are
// sealed before they are stored.
type NewServer struct {
	Name        string `json:"name"`
	Module      string `json:"module"`
	Hostname    string `json:"hostname"`
	Username    string `json:"username"`
	Credentials string `json:"credentials" input:"max=4096"` // a WHM API token, or a password
	MaxAccounts int32  `json:"max_accounts"`
	Active      *bool  `json:"active"`
	ServerGroup string `json:"server_group"`
	// TLSSkipVerify accepts the server's self-signed certificate.
	TLSSkipVerify bool `json:"tls_skip_verify"`
}

// CreateServer validates and stores a server.
func (s *Catalog) CreateServer(ctx context.Context, n NewServer) (Server, error) {
	if err := s.checkServer(n); err != nil {
		return Server{}, err
	}
	active := n.Active == nil || *n.Active
	row, err := s.createServer(ctx, db.CreateServerParams{Name: n.Name, Module: n.Module, Hostname: n.Hostname, Username: n.Username,
		MaxAccounts: n.MaxAccounts, Active: active, ServerGroup: strings.TrimSpace(n.ServerGroup), TlsSkipVerify: n.TLSSkipVerify},
		n.Credentials)
	return serverFrom(row), fault.Wrap(err, "create server")
}

// checkServer is the one rule for a server's settings, as created and as edited.
func (s *Catalog) checkServer(n NewServer) error {
	if err := input.Check(n); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(n.Name) == "":
		return fault.Invalidf("name", "is required")
	case n.Module == "" || s.panels != nil && s.panels[n.Module] == nil:
		return fault.Invalidf("module", "unknown module %q", n.Module)
	case !input.ServerAddress(n.Hostname):
		return fault.Invalidf("hostname", "%q is not a hostname or IP address (with an optional :port)", n.Hostname)
	case n.MaxAccounts < 0:
		return fault.Invalidf("max_accounts", "must not be negative")
	}
	return nil
}

// Server returns one server with its account count.
func (s *Catalog) Server(ctx context.Context, id int64) (Server, error) {
	q := s.q()
	row, err := q.GetServer(ctx, id)
	if err != nil {
		return Server{}, fault.OrAbsent(fault.Wrap(err, "load server %d", id), fmt.Sprintf("no server %d", id))
	}
	return serverFrom(row), nil
}

// UpdateServer changes a server's settings with the same rules as CreateServer. Empty
// Credentials keep the stored ones (the edit form never shows them back); Active nil keeps
// the server's state. A server that holds accounts keeps its module: they were made by it, and
// only it can suspend or terminate them.
func (s *Catalog) UpdateServer(ctx context.Context, id int64, n NewServer) (Server, error) {
	if err := s.checkServer(n); err != nil {
		return Server{}, err
	}
	var row db.Server
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		old, err := q.LockServer(ctx, id)
		if err != nil {
			return fault.OrAbsent(err, fmt.Sprintf("no server %d", id))
		}
		if n.Module != old.Module && old.Accounts > 0 {
			return fault.Invalidf("module", "the server holds %d %s accounts: it stays a %s server while it has any", old.Accounts, old.Module, old.Module)
		}
		// The kept token goes only where it went before: to another host or user, or without
		// checking the host's certificate, it must be typed again.
		moved := n.Hostname != old.Hostname || n.Username != old.Username || (n.TLSSkipVerify && !old.TlsSkipVerify)
		if n.Credentials == "" && moved {
			return fault.Invalidf("credentials", "type the API token again: the saved one is not sent to a changed host, user or unchecked certificate")
		}
		active := old.Active
		if n.Active != nil {
			active = *n.Active
		}
		row, err = q.UpdateServer(ctx, db.UpdateServerParams{ID: id, Name: strings.TrimSpace(n.Name), Module: n.Module, Hostname: n.Hostname,
			Username: n.Username, MaxAccounts: n.MaxAccounts, Active: active, ServerGroup: strings.TrimSpace(n.ServerGroup),
			TlsSkipVerify: n.TLSSkipVerify})
		if err != nil || n.Credentials == "" {
			return err
		}
		row.Credentials = s.secrets.SealFor(n.Credentials, secrets.ServerCredentials(id))
		return q.SetServerCredentials(ctx, db.SetServerCredentialsParams{ID: id, Credentials: row.Credentials})
	})
	return serverFrom(row), fault.Wrap(err, "update server %d", id)
}

// SetServerActive disables or enables a server. A disabled server keeps its accounts (they go
// on being suspended, terminated and changed on it) but gets no new ones: neither auto-setup
// nor an admin's Accept picks it.
func (s *Catalog) SetServerActive(ctx context.Context, id int64, active bool) (Server, error) {
	row, err := s.q().SetServerActive(ctx, db.SetServerActiveParams{ID: id, Active: active})
	if err != nil {
		return Server{}, fault.OrAbsent(fault.Wrap(err, "set server %d active", id), fmt.Sprintf("no server %d", id))
	}
	return serverFrom(row), nil
}

// ListServers returns servers with their account counts.
func (s *Catalog) ListServers(ctx context.Context) ([]Server, error) {
	rows, err := s.q().ListServers(ctx)
	return dbtx.Views(rows, serverFrom), fault.Wrap(err, "list servers")
}

// ServersByID returns the servers by id.
func (s *Catalog) ServersByID(ctx context.Context) (map[int64]Server, error) {
	rows, err := s.q().ListServers(ctx)
	out := make(map[int64]Server, len(rows))
	for _, r := range rows {
		out[r.ID] = serverFrom(r)
	}
	return out, fault.Wrap(err, "list servers")
}

// createServer inserts a server and then its credentials, sealed for its row, in one
// transaction: the row's id is part of what the credentials are bound to.
func (s *Catalog) createServer(ctx context.Context, p db.CreateServerParams, credentials string) (db.Server, error) {
	var row db.Server
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		var err error
		p.Credentials = nil
		if row, err = q.CreateServer(ctx, p); err != nil || credentials == "" {
			return err
		}
		row.Credentials = s.secrets.SealFor(credentials, secrets.ServerCredentials(row.ID))
		return q.SetServerCredentials(ctx, db.SetServerCredentialsParams{ID: row.ID, Credentials: row.Credentials})
	})
	return row, err
}

// Server is a control-panel server; its credentials stay sealed in the database.
type Server struct {
	ID            int64
	Name          string
	Module        string
	Hostname      string
	Username      string
	MaxAccounts   int32
	Active        bool
	ServerGroup   string
	TLSSkipVerify bool
	CreatedAt     time.Time
	// Accounts is how many accounts it holds (ListServers only).
	Accounts int64
}

func serverFrom(s db.Server) Server {
	return Server{ID: s.ID, Name: s.Name, Module: s.Module, Hostname: s.Hostname, Username: s.Username, MaxAccounts: s.MaxAccounts,
		Active: s.Active, ServerGroup: s.ServerGroup, TLSSkipVerify: s.TlsSkipVerify, CreatedAt: s.CreatedAt.Time, Accounts: s.Accounts}
}

// CheckServerFor refuses, as field, a server the order's hosting (services) cannot be set up on.
func (s *Catalog) CheckServerFor(ctx context.Context, services []db.ListServicesRow, field string, serverID int64) error {
	srv, err := s.q().GetServer(ctx, serverID)
	if err != nil {
		return fault.OrInvalid(err, field, fmt.Sprintf("no server %d", serverID))
	}
	if !srv.Active {
		return fault.Invalidf(field, "server %d (%s) is not active", srv.ID, srv.Name)
	}
	for _, svc := range services {
		if svc.Module != provisioning.None && svc.Module != srv.Module {
			return fault.Invalidf(field, "server %d runs %s; %s needs a %s server", srv.ID, srv.Module, svc.ProductName, svc.Module)
		}
	}
	return nil
}
