package activities

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/activity"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/crashpoint"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/secrets"
)

// CreateAccountInput asks for a hosting account for one service. ServerID, Username and
// PasswordSealed are the admin's choices on Accept; empty means pick or generate.
type CreateAccountInput struct {
	ServiceID      int64  `json:"service_id"`
	ServerID       int64  `json:"server_id,omitempty"`
	Username       string `json:"username,omitempty"`
	PasswordSealed []byte `json:"password_sealed,omitempty"`
}

// CreateAccount runs the module's create for a service. The server, username and password are
// chosen and saved before the module is called, so a retry after a crash asks the panel for the
// very same account and the module can recognise it.
func (a *Activities) CreateAccount(ctx context.Context, in CreateAccountInput) error {
	acct, module, chosen, err := a.prepareAccount(ctx, in)
	if err != nil {
		return err
	}
	p, err := a.Panels.Get(module)
	if err != nil {
		return moduleError(err)
	}
	defer heartbeat(ctx)()
	for refused := 1; ; refused++ {
		err = p.Create(ctx, acct)
		if !errors.Is(err, provisioning.ErrUsernameTaken) || chosen {
			break
		}
		// Someone outside hostflow has this name on the panel: it stays reserved so that nobody
		// tries it again, and the service takes the next free one, as WHMCS does. A name the
		// admin chose is never changed.
		next, renameErr := a.renameAccount(ctx, acct, err)
		if renameErr != nil {
			err = renameErr
			break
		}
		if refused == maxRefusals {
			err = fmt.Errorf("%w (%d names refused in a row; a Retry goes on with %s)", err, refused, next)
			break
		}
		acct.Username = next
	}
	if err != nil {
		return moduleError(err)
	}
	crashpoint.Hit("account-created")
	return nil
}

// renameAccount records that the panel refused a service's generated username as taken, and
// saves the next free one for the service, in one transaction.
func (a *Activities) renameAccount(ctx context.Context, acct provisioning.Account, refusal error) (string, error) {
	var name string
	err := a.inTx(ctx, func(q *db.Queries) error {
		svc, err := q.GetService(ctx, acct.ServiceID)
		if err != nil {
			return fault.Wrap(err, "load service %d", acct.ServiceID)
		}
		err = q.RefuseUsername(ctx, db.RefuseUsernameParams{ServerID: acct.Server.ID, Username: acct.Username, ServiceID: svc.ID,
			Refused: refusal.Error()})
		if err != nil {
			return fault.Wrap(err, "record username %s as taken", acct.Username)
		}
		if name, err = reserveGenerated(ctx, q, acct.Server.ID, svc.ID, svc.Domain); err != nil {
			return err
		}
		err = q.SetServiceAccount(ctx, db.SetServiceAccountParams{ID: svc.ID, ServerID: &acct.Server.ID, Username: name, Password: svc.Password})
		return fault.Wrap(err, "save username of service %d", svc.ID)
	})
	return name, err
}

// heartbeat reports the activity alive while a module call runs, so that a worker that dies
// mid-call is noticed within the heartbeat timeout rather than the call's whole timeout. The
// returned function stops it.
func heartbeat(ctx context.Context) (stop func()) {
	if !activity.IsActivity(ctx) {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	activity.RecordHeartbeat(ctx)
	go func() {
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				activity.RecordHeartbeat(ctx)
			}
		}
	}()
	return cancel
}

// TerminateAccount runs the module's terminate for a service's account.
func (a *Activities) TerminateAccount(ctx context.Context, serviceID int64) error {
	return a.onAccount(ctx, serviceID, func(p provisioning.Provisioner, acct provisioning.Account) error {
		return p.Terminate(ctx, acct)
	})
}

// SuspendInput asks for a service's account to be suspended.
type SuspendInput struct {
	ServiceID int64  `json:"service_id"`
	Reason    string `json:"reason,omitempty"`
}

// SuspendAccount runs the module's suspend for a service's account.
func (a *Activities) SuspendAccount(ctx context.Context, in SuspendInput) error {
	return a.onAccount(ctx, in.ServiceID, func(p provisioning.Provisioner, acct provisioning.Account) error {
		return p.Suspend(ctx, acct, in.Reason)
	})
}

// UnsuspendAccount runs the module's unsuspend for a service's account.
func (a *Activities) UnsuspendAccount(ctx context.Context, serviceID int64) error {
	return a.onAccount(ctx, serviceID, func(p provisioning.Provisioner, acct provisioning.Account) error {
		return p.Unsuspend(ctx, acct)
	})
}

// onAccount runs a module operation on a service's existing account.
func (a *Activities) onAccount(ctx context.Context, serviceID int64, op func(provisioning.Provisioner, provisioning.Account) error) error {
	svc, err := a.q().GetService(ctx, serviceID)
	if err != nil {
		return moduleError(fault.Wrap(err, "load service %d", serviceID))
	}
	acct, err := a.account(ctx, svc)
	if err != nil {
		return err
	}
	p, err := a.Panels.Get(svc.Module)
	if err != nil {
		return moduleError(err)
	}
	defer heartbeat(ctx)()
	return moduleError(op(p, acct))
}

// prepareAccount chooses and saves a service's server, username and password, and reports
// whether the username is the admin's choice.
func (a *Activities) prepareAccount(ctx context.Context, in CreateAccountInput) (acct provisioning.Account, module string, chosen bool, err error) {
	if in.Username != "" {
		if err := a.chooseUsername(ctx, in.ServiceID, in.Username); err != nil {
			return provisioning.Account{}, "", false, err
		}
	}
	var svc db.GetServiceRow
	err = a.inTx(ctx, func(q *db.Queries) error {
		var err error
		if svc, err = q.GetService(ctx, in.ServiceID); err != nil {
			return fault.Wrap(err, "load service %d", in.ServiceID)
		}
		if svc.Module == provisioning.None {
			return nil
		}
		serverID := in.ServerID
		if serverID == 0 && svc.ServerID != nil {
			serverID = *svc.ServerID
		}
		if serverID == 0 {
			s, err := q.PickServer(ctx, db.PickServerParams{Module: svc.Module, ServerGroup: svc.ServerGroup})
			if errors.Is(err, pgx.ErrNoRows) {
				where := svc.Module + " server"
				if svc.ServerGroup != "" {
					where += " in group " + svc.ServerGroup
				}
				return permanent.Wrap(fmt.Errorf("no active %s with free capacity", where))
			}
			if err != nil {
				return fault.Wrap(err, "pick a %s server", svc.Module)
			}
			serverID = s.ID
		}
		var username string
		if username, chosen, err = accountName(ctx, q, serverID, svc); err != nil {
			return err
		}
		password := svc.Password
		if in.PasswordSealed != nil {
			// The admin's choice comes bound to the order's Accept; it is kept bound to the service.
			password, _, err = a.Secrets.Rebind(in.PasswordSealed, secrets.AcceptPassword(svc.OrderID), secrets.ServicePassword(svc.ID))
			if err != nil {
				return permanent.Wrap(fmt.Errorf("the password given on Accept for order %d could not be opened: %w", svc.OrderID, err))
			}
		}
		if password == nil {
			password = a.Secrets.SealFor(strongPassword(), secrets.ServicePassword(svc.ID))
		}
		svc.ServerID, svc.Username, svc.Password = &serverID, username, password
		return fault.Wrap(q.SetServiceAccount(ctx, db.SetServiceAccountParams{ID: svc.ID, ServerID: &serverID, Username: username, Password: password}),
			"save account of service %d", svc.ID)
	})
	if err != nil {
		return provisioning.Account{}, "", false, moduleError(err)
	}
	acct, err = a.account(ctx, svc)
	return acct, svc.Module, chosen, err
}

// account opens what a module needs to act on a service's account.
func (a *Activities) account(ctx context.Context, svc db.GetServiceRow) (provisioning.Account, error) {
	password, err := a.Secrets.OpenFor(svc.Password, secrets.ServicePassword(svc.ID))
	if err != nil {
		return provisioning.Account{}, moduleError(permanent.Wrap(fmt.Errorf("the password of service %d could not be opened: %w", svc.ID, err)))
	}
	acct := provisioning.Account{ServiceID: svc.ID, Domain: svc.Domain, Username: svc.Username, Password: password,
		Package: svc.PackageName, Email: svc.ClientEmail}
	if svc.ServerID == nil {
		return acct, nil
	}
	_, acct.Server, err = a.server(ctx, *svc.ServerID)
	return acct, err
}

// server opens what a module needs to call a server: its row and its credentials, unsealed.
func (a *Activities) server(ctx context.Context, id int64) (db.Server, provisioning.Server, error) {
	srv, err := a.q().GetServer(ctx, id)
	if err != nil {
		return srv, provisioning.Server{}, moduleError(fault.Wrap(err, "load server %d", id))
	}
	creds, err := a.Secrets.OpenFor(srv.Credentials, secrets.ServerCredentials(srv.ID))
	if err != nil {
		return srv, provisioning.Server{}, moduleError(permanent.Wrap(fmt.Errorf("the credentials of server %d could not be opened: %w", srv.ID, err)))
	}
	return srv, provisioning.Server{ID: srv.ID, Hostname: srv.Hostname, Username: srv.Username, Credentials: creds,
		SkipTLSVerify: srv.TlsSkipVerify}, nil
}

// UsernameFromDomain is WHMCS's default username: the first 8 letters of the domain, starting
// with a letter.
func UsernameFromDomain(domain string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(domain) {
		if b.Len() == 8 {
			break
		}
		if r < 128 && unicode.IsLetter(r) || b.Len() > 0 && r < 128 && unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "user"
	}
	return b.String()
}

const passwordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#%^*-_=+"

// strongPassword draws 16 characters with every class present, which every panel's strength
// check accepts.
func strongPassword() string {
	for {
		buf := make([]byte, 16)
		_, _ = rand.Read(buf)
		for i, b := range buf {
			buf[i] = passwordAlphabet[int(b)%len(passwordAlphabet)]
		}
		s := string(buf)
		if strings.ContainsAny(s, "ABCDEFGHJKLMNPQRSTUVWXYZ") && strings.ContainsAny(s, "abcdefghijkmnopqrstuvwxyz") &&
			strings.ContainsAny(s, "23456789") && strings.ContainsAny(s, "!@#%^*-_=+") {
			return s
		}
	}
}

// DomainInput asks a registrar to register or transfer one domain.
type DomainInput struct {
	DomainID  int64  `json:"domain_id"`
	Registrar string `json:"registrar"`
	// EPPCodeSealed replaces the transfer's EPP code, as WHMCS's DomainTransfer allows.
	EPPCodeSealed []byte `json:"epp_code_sealed,omitempty"`
}

// RegisterDomain sends a domain to its registrar, as a registration or a transfer by its type,
// and returns the domain's new status.
func (a *Activities) RegisterDomain(ctx context.Context, in DomainInput) (order.Status, error) {
	q := a.q()
	if in.EPPCodeSealed != nil {
		// Bound to the item action that brought it; kept bound to the domain.
		epp, _, err := a.Secrets.Rebind(in.EPPCodeSealed, secrets.TransferEPPCode(), secrets.DomainEPPCode(in.DomainID))
		if err != nil {
			return "", moduleError(permanent.Wrap(fmt.Errorf("the EPP code given for domain %d could not be opened: %w", in.DomainID, err)))
		}
		if err := q.SetDomainEPPCode(ctx, db.SetDomainEPPCodeParams{ID: in.DomainID, EppCode: epp}); err != nil {
			return "", fault.Wrap(err, "save the EPP code of domain %d", in.DomainID)
		}
	}
	d, err := q.GetDomain(ctx, in.DomainID)
	if err != nil {
		return "", moduleError(fault.Wrap(err, "load domain %d", in.DomainID))
	}
	o, err := q.GetOrder(ctx, d.OrderID)
	if err != nil {
		return "", moduleError(fault.Wrap(err, "load order %d", d.OrderID))
	}
	c, err := q.GetClient(ctx, o.ClientID)
	if err != nil {
		return "", moduleError(fault.Wrap(err, "load client %d", o.ClientID))
	}
	epp, err := a.Secrets.OpenFor(d.EppCode, secrets.DomainEPPCode(d.ID))
	if err != nil {
		return "", moduleError(permanent.Wrap(fmt.Errorf("the EPP code of domain %d could not be opened: %w", d.ID, err)))
	}
	r, err := a.Registrars.Get(in.Registrar)
	if err != nil {
		return "", moduleError(err)
	}
	dom := registrar.Domain{DomainID: d.ID, Name: d.Domain, Period: int(d.Period), EPPCode: epp, Nameservers: d.Nameservers,
		Ref: d.RegistrarRef, Registrant: registrar.Contact{FirstName: c.FirstName, LastName: c.LastName, Company: c.CompanyName,
			Email: c.Email, Address1: c.Address1, City: c.City, State: c.State, Postcode: c.Postcode, Country: c.Country, Phone: c.Phone}}
	// Say that this domain is being sent before sending it: a retry then knows that a domain
	// it finds at the registrar may be this order's, and a first try knows that it is not.
	if dom.Ref == "" {
		if err := q.SetDomainRef(ctx, db.SetDomainRefParams{ID: d.ID, RegistrarRef: registrar.Requested}); err != nil {
			return "", fault.Wrap(err, "mark domain %d requested", d.ID)
		}
	}
	defer heartbeat(ctx)()
	var res registrar.Result
	if d.Type == order.DomainTransfer {
		res, err = r.Transfer(ctx, dom)
	} else {
		res, err = r.Register(ctx, dom)
	}
	if permanent.Is(err) && dom.Ref == "" {
		// Refused for good: nothing was registered, so the next try is a first try again.
		if rerr := q.SetDomainRef(ctx, db.SetDomainRefParams{ID: d.ID, RegistrarRef: ""}); rerr != nil {
			return "", fault.Wrap(rerr, "unmark domain %d", d.ID)
		}
	}
	if err != nil {
		return "", moduleError(err)
	}
	crashpoint.Hit("domain-registered")
	if res.Ref != "" {
		if err := q.SetDomainRef(ctx, db.SetDomainRefParams{ID: d.ID, RegistrarRef: res.Ref}); err != nil {
			return "", fault.Wrap(err, "save registrar reference of domain %d", d.ID)
		}
	}
	return res.Status, nil
}

// DomainStatus asks a domain's registrar where its pending registration or transfer stands.
func (a *Activities) DomainStatus(ctx context.Context, in DomainInput) (order.Status, error) {
	d, err := a.q().GetDomain(ctx, in.DomainID)
	if err != nil {
		return "", moduleError(fault.Wrap(err, "load domain %d", in.DomainID))
	}
	r, err := a.Registrars.Get(in.Registrar)
	if err != nil {
		return "", moduleError(err)
	}
	res, err := r.Status(ctx, registrar.Domain{DomainID: d.ID, Name: d.Domain, Period: int(d.Period)})
	if err != nil {
		return "", moduleError(err)
	}
	if res.Ref != "" && res.Ref != d.RegistrarRef {
		if err := a.q().SetDomainRef(ctx, db.SetDomainRefParams{ID: d.ID, RegistrarRef: res.Ref}); err != nil {
			return "", fault.Wrap(err, "save registrar reference of domain %d", d.ID)
		}
	}
	return res.Status, nil
}

// CheckFraud asks the configured fraud service to score an order, from the address it was
// placed from.
func (a *Activities) CheckFraud(ctx context.Context, orderID int64) (fraud.Result, error) {
	return a.CheckFraudFrom(ctx, FraudCheckInput{OrderID: orderID})
}

// FraudCheckInput names the order to score and, when set, the IP address to score it from.
type FraudCheckInput struct {
	OrderID int64  `json:"order_id"`
	IP      string `json:"ip,omitempty"`
}

// CheckFraudFrom asks the configured fraud service to score an order from in.IP, or from the
// address it was placed from when in.IP is empty.
func (a *Activities) CheckFraudFrom(ctx context.Context, in FraudCheckInput) (fraud.Result, error) {
	q := a.q()
	o, err := q.GetOrder(ctx, in.OrderID)
	if err != nil {
		return fraud.Result{}, moduleError(fault.Wrap(err, "load order %d", in.OrderID))
	}
	c, err := q.GetClient(ctx, o.ClientID)
	if err != nil {
		return fraud.Result{}, moduleError(fault.Wrap(err, "load client %d", o.ClientID))
	}
	// The admin's choice is read at check time, so a change applies to the next check without
	// restarting the worker; unset, the configured checker (MaxMind when configured) runs.
	module, err := catalog.FraudModule(ctx, q)
	if err != nil {
		return fraud.Result{}, moduleError(err)
	}
	checker := a.FraudCheck
	if module == fraud.ModuleNone {
		checker = fraud.PassAll{}
	}
	res, err := checker.Check(ctx, fraud.Request{OrderID: o.ID, ClientID: c.ID, ClientIP: cmp.Or(in.IP, o.ClientIp), Email: c.Email,
		FirstName: c.FirstName, LastName: c.LastName, Company: c.CompanyName, Address: c.Address1, City: c.City, State: c.State,
		Postcode: c.Postcode, Country: c.Country, Phone: c.Phone, Amount: money.Format(o.Amount, o.Currency), Currency: o.Currency})
	return res, moduleError(err)
}
