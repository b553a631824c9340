package activities

import (
	"context"
	"fmt"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/secrets"
)

// ChangePackageInput asks for a service's account to move to another package.
type ChangePackageInput struct {
	ServiceID int64 `json:"service_id"`
	// Package is the panel's package name; "" takes the product's, as WHMCS's ModuleChangePackage
	// does after a product change.
	Package string `json:"package,omitempty"`
}

// ChangePackage runs the module's change package for a service's account.
func (a *Activities) ChangePackage(ctx context.Context, in ChangePackageInput) error {
	return a.onAccount(ctx, in.ServiceID, func(p provisioning.Provisioner, acct provisioning.Account) error {
		if in.Package != "" {
			acct.Package = in.Package
		}
		return p.ChangePackage(ctx, acct)
	})
}

// ChangePasswordInput asks for a service's account password to be set on its panel.
type ChangePasswordInput struct {
	ServiceID int64 `json:"service_id"`
	// PasswordSealed is the new password, bound to secrets.ChangedPassword; nil sets the stored
	// one again, as WHMCS's ModuleChangePw does without servicepassword.
	PasswordSealed []byte `json:"password_sealed,omitempty"`
}

// ChangePassword runs the module's change password for a service's account. A new password is
// stored, bound to the service's row, only once the panel has it, so the stored one is always
// the panel's; a retry after a crash sets it again, which is harmless.
func (a *Activities) ChangePassword(ctx context.Context, in ChangePasswordInput) error {
	var password string
	if in.PasswordSealed != nil {
		var err error
		password, err = a.Secrets.OpenFor(in.PasswordSealed, secrets.ChangedPassword(in.ServiceID))
		if err != nil {
			return moduleError(permanent.Wrap(fmt.Errorf("the new password given for service %d could not be opened: %w", in.ServiceID, err)))
		}
	}
	err := a.onAccount(ctx, in.ServiceID, func(p provisioning.Provisioner, acct provisioning.Account) error {
		if password != "" {
			acct.Password = password
		}
		return p.ChangePassword(ctx, acct)
	})
	if err != nil || password == "" {
		return err
	}
	err = a.q().SetServicePassword(ctx, db.SetServicePasswordParams{ID: in.ServiceID,
		Password: a.Secrets.SealFor(password, secrets.ServicePassword(in.ServiceID))})
	return fault.Wrap(err, "save the new password of service %d", in.ServiceID)
}
