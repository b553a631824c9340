package orderstate

import (
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// Scored takes a fraud result, a check's or a reviewer's, and answers with its outcome: the
// reviewer's verdict, else the score held against threshold. The module and score show on the
// order either way.
func (o *Order) Scored(module string, score float64, verdict ordermsg.Verdict, threshold float64) ordermsg.Verdict {
	o.State.FraudModule, o.State.FraudScore = module, score
	if verdict == ordermsg.VerdictFraud || verdict == ordermsg.NoVerdict && fraud.Exceeds(score, threshold) {
		return ordermsg.VerdictFraud
	}
	return ordermsg.VerdictPass
}

// FraudResolved reports whether the fraud check is out of the way: not yet to run, and not
// waiting for a review.
func (o *Order) FraudResolved() bool { return !o.FraudPending && !o.State.FraudReview }

// ClearReview records that an admin has decided: no fraud check or review is awaited any more.
func (o *Order) ClearReview() { o.FraudPending, o.State.FraudReview = false, false }
