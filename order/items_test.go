package order

import "testing"

func TestCheckItem(t *testing.T) {
	for _, tc := range []struct {
		action    Action
		status    Status
		automated bool
		ok        bool
	}{
		{ActionModuleCreate, Pending, true, true},
		{ActionModuleCreate, Active, true, true}, // the module finds the account: idempotent
		{ActionModuleCreate, Terminated, true, true},
		{ActionModuleCreate, Cancelled, true, false},
		{ActionModuleCreate, Pending, false, false},
		{ActionModuleSuspend, Active, true, true},
		{ActionModuleSuspend, Suspended, true, false},
		{ActionModuleSuspend, Pending, true, false},
		{ActionModuleUnsuspend, Suspended, true, true},
		{ActionModuleUnsuspend, Active, true, false},
		{ActionModuleTerminate, Active, true, true},
		{ActionModuleTerminate, Suspended, true, true},
		{ActionModuleTerminate, Terminated, true, false},
		{ActionModuleTerminate, Pending, true, false},
		{ActionDomainRegister, Pending, true, true},
		{ActionDomainRegister, PendingRegistration, true, true},
		{ActionDomainRegister, Active, true, false},
		{ActionDomainRegister, Pending, false, false},
		{ActionDomainTransfer, Pending, true, true},
		{ActionDomainTransfer, Fraud, true, false},
		{ActionModuleChangePackage, Active, true, true},
		{ActionModuleChangePackage, Suspended, true, true},
		{ActionModuleChangePackage, Pending, true, false},
		{ActionModuleChangePw, Terminated, true, false},
		{ActionModuleChangePw, Active, false, false},
	} {
		spec, _ := Lookup(tc.action)
		err := spec.CheckItem(tc.status, tc.automated)
		if (err == nil) != tc.ok {
			t.Errorf("%s on %s (automated %v): got %v, want ok=%v", tc.action, tc.status, tc.automated, err, tc.ok)
		}
	}
	if spec, _ := Lookup(ActionAccept); spec.CheckItem(Pending, true) == nil {
		t.Error("an order action must not pass as an item action")
	}
}
