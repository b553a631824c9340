package orders

import (
	"context"
	"errors"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/whmcs/wire"
)

// The admin actions on an order, each the WHMCS command of an order.Spec: they go through the
// order's workflow as the REST API's and the console's do.

// AcceptOrder serves AcceptOrder.
func (a *Actions) AcceptOrder(ctx context.Context, spec order.Spec, p wire.Params) (wire.Reply, error) {
	id, err := p.Required("orderid", spec.WHMCSNotFound)
	if err != nil {
		return nil, err
	}
	serverID, err := p.Int("serverid")
	if err != nil {
		return nil, err
	}
	req, err := a.svc.AcceptRequest(ctx, id, order.WHMCSAPI, ordering.Accept{ServerID: serverID, Username: p.Str("serviceusername"),
		Password: p.Str("servicepassword"), RunModuleCreate: p.Bool("autosetup"), SendWelcomeEmail: p.Bool("sendemail"),
		Registrar: p.Str("registrar"), SendToRegistrar: p.Bool("sendregistrar")})
	if err != nil {
		return nil, notFoundAs(err, spec)
	}
	res, err := a.svc.Act(ctx, id, spec.Action, req, "")
	if err != nil {
		return nil, notFoundAs(err, spec)
	}
	// A module or registrar step failed and the order stayed Pending: WHMCS answers with the
	// module's message.
	if res.Status == order.Pending {
		for _, f := range res.Failures {
			if f.Error != "" {
				return nil, wire.Fail(f.Error)
			}
		}
	}
	return nil, nil
}

// notFoundAs says an order the service cannot find in the command's own words: WHMCS's texts
// differ from one command to the next ("Order ID Not Found", "Order ID not found").
func notFoundAs(err error, spec order.Spec) error {
	if spec.WHMCSNotFound == "" {
		return err
	}
	return wire.InNotFoundWords(err, spec.WHMCSNotFound)
}

// OrderAction serves the other order commands: CancelOrder, FraudOrder, PendingOrder and
// DeleteOrder. cancelsub and noemail are accepted: there are no gateway subscriptions to
// cancel, and a cancel sends no email.
func (a *Actions) OrderAction(ctx context.Context, spec order.Spec, p wire.Params) (wire.Reply, error) {
	_, err := a.act(ctx, spec, p)
	// FraudOrder on a Fraud order and PendingOrder on a Pending order set the status WHMCS's
	// way: again, successfully, with nothing to change.
	var se *fault.Error
	if errors.As(err, &se) && se.Kind == fault.Conflict && spec.To != "" && se.Message == order.ReasonAlready(spec.To) {
		return nil, nil
	}
	return nil, err
}

// act runs spec on the order named by orderid, and says which order that was.
func (a *Actions) act(ctx context.Context, spec order.Spec, p wire.Params) (int64, error) {
	return a.actWith(ctx, spec, p, order.ActionRequest{Actor: order.WHMCSAPI})
}

func (a *Actions) actWith(ctx context.Context, spec order.Spec, p wire.Params, req order.ActionRequest) (int64, error) {
	id, err := p.Required("orderid", spec.WHMCSNotFound)
	if err != nil {
		return 0, err
	}
	_, err = a.svc.Act(ctx, id, spec.Action, req, "")
	return id, notFoundAs(err, spec)
}

// OrderFraudCheck runs the fraud check again and answers with its result, as WHMCS's
// OrderFraudCheck does.
func (a *Actions) OrderFraudCheck(ctx context.Context, spec order.Spec, p wire.Params) (wire.Reply, error) {
	req, err := a.svc.FraudCheckRequest(order.WHMCSAPI, p.Str("ipaddress"))
	if err != nil {
		return nil, err
	}
	id, err := a.actWith(ctx, spec, p, req)
	if err != nil {
		return nil, err
	}
	d, err := a.svc.GetOrder(ctx, id)
	if err != nil {
		return nil, notFoundAs(err, spec)
	}
	// The check ran with the worker's fraud module; "none" is the one that passes every order.
	if m := d.Order.FraudModule; m == "" || m == "none" {
		return nil, wire.Fail("No Active Fraud Module")
	}
	status := "Pass"
	if d.Order.Status == order.Fraud {
		status = "Fail"
	} else if d.Order.WaitingFor == order.WaitingFraudReview {
		status = "Review"
	}
	return wire.Reply{"status": status, "module": d.Order.FraudModule, "results": string(d.Order.FraudOutput)}, nil
}
