package orderstate

import (
	"testing"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

func TestScored(t *testing.T) {
	for _, tc := range []struct {
		score     float64
		verdict   ordermsg.Verdict
		threshold float64
		want      ordermsg.Verdict
	}{
		{5, ordermsg.NoVerdict, 20, ordermsg.VerdictPass},
		{42.5, ordermsg.NoVerdict, 20, ordermsg.VerdictFraud},
		{90, ordermsg.NoVerdict, 0, ordermsg.VerdictPass}, // a threshold of 0 turns the check off
		{90, ordermsg.VerdictPass, 20, ordermsg.VerdictPass},
		{0, ordermsg.VerdictFraud, 20, ordermsg.VerdictFraud},
	} {
		o := placed(hosting(order.SetupNever))
		if got := o.Scored("maxmind", tc.score, tc.verdict, tc.threshold); got != tc.want {
			t.Errorf("Scored(%v, %q, threshold %v) = %q, want %q", tc.score, tc.verdict, tc.threshold, got, tc.want)
		}
		if o.State.FraudModule != "maxmind" || o.State.FraudScore != tc.score {
			t.Errorf("the result shows as %s %v", o.State.FraudModule, o.State.FraudScore)
		}
	}
}

func TestFraudResolved(t *testing.T) {
	o := placed(hosting(order.SetupNever))
	for _, tc := range []struct {
		pending, review, want bool
	}{{false, false, true}, {true, false, false}, {false, true, false}} {
		o.FraudPending, o.State.FraudReview = tc.pending, tc.review
		if o.FraudResolved() != tc.want {
			t.Errorf("FraudResolved with pending %v, review %v = %v", tc.pending, tc.review, !tc.want)
		}
	}
	o.ClearReview()
	if !o.FraudResolved() {
		t.Error("ClearReview leaves nothing to await")
	}
}
