package activities

import (
	"context"

	"github.com/hostflow/hostflow/order"
)

// DomainNews is where one pending domain stands at its registrar; Error says why it could
// not be asked this time.
type DomainNews struct {
	DomainID int64        `json:"domain_id"`
	Status   order.Status `json:"status,omitempty"`
	Error    string       `json:"error,omitempty"`
}

// DomainStatuses asks after all of an order's pending domains in one activity, so that an
// order with many domains polls with one timer and one activity per tick. One registrar that
// fails spoils only its own domains' answers.
func (a *Activities) DomainStatuses(ctx context.Context, domains []DomainInput) ([]DomainNews, error) {
	out := make([]DomainNews, len(domains))
	for i, d := range domains {
		out[i].DomainID = d.DomainID
		status, err := a.DomainStatus(ctx, d)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			out[i].Error = err.Error()
			continue
		}
		out[i].Status = status
	}
	return out, nil
}
