package order

import "testing"

func TestCheckItem(t *testing.T) {
	for _, tc := range []struct {
		action, status string
		automated      bool
		ok             bool
	}{
		{ActionModuleCreate, Pending, true, true},
		{ActionModuleCreate, Active, true, true}, // the module finds the account: idempotent
		{ActionModuleCreate, ServiceTerminated, true, true},
		{ActionModuleCreate, Cancelled, true, false},
		{ActionModuleCreate, Pending, false, false},
		{ActionModuleSuspend, Active, true, true},
		{ActionModuleSuspend, ServiceSuspended, true, false},
		{ActionModuleSuspend, Pending, true, false},
		{ActionModuleUnsuspend, ServiceSuspended, true, true},
		{ActionModuleUnsuspend, Active, true, false},
		{ActionModuleTerminate, Active, true, true},
		{ActionModuleTerminate, ServiceSuspended, true, true},
		{ActionModuleTerminate, ServiceTerminated, true, false},
		{ActionModuleTerminate, Pending, true, false},
		{ActionDomainRegister, Pending, true, true},
		{ActionDomainRegister, DomainPendingRegistration, true, true},
		{ActionDomainRegister, Active, true, false},
		{ActionDomainRegister, Pending, false, false},
		{ActionDomainTransfer, Pending, true, true},
		{ActionDomainTransfer, Fraud, true, false},
	} {
		err := CheckItem(tc.action, tc.status, tc.automated)
		if (err == nil) != tc.ok {
			t.Errorf("%s on %s (automated %v): got %v, want ok=%v", tc.action, tc.status, tc.automated, err, tc.ok)
		}
	}
	if CheckItem("module-explode", Active, true) == nil {
		t.Error("an unknown item action must be refused")
	}
}
