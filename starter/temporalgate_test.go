package main

import (
	"errors"
	"testing"

	"go.uber.org/zap"
)

// The gate counts Temporal down only after gateDownAfter failed probes in a row, and up again
// at the first answer.
func TestTemporalGateNeedsFailuresInARow(t *testing.T) {
	slow := errors.New("context deadline exceeded")
	for _, tc := range []struct {
		name   string
		probes []error
		down   bool
	}{
		{"answering", []error{nil, nil}, false},
		{"one slow answer", []error{nil, slow, nil}, false},
		{"failures apart", []error{slow, nil, slow}, false},
		{"failures in a row", []error{slow, slow}, true},
		{"back at the first answer", []error{slow, slow, slow, nil}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newTemporalGate(zap.NewNop())
			for _, err := range tc.probes {
				g.set(err)
			}
			if g.down != tc.down {
				t.Fatalf("down = %v after %v, want %v", g.down, tc.probes, tc.down)
			}
			select {
			case <-g.lost:
				if !tc.down {
					t.Fatal("calls in flight were cancelled though Temporal is up")
				}
			default:
				if tc.down {
					t.Fatal("calls in flight were not cancelled though Temporal is down")
				}
			}
		})
	}
}
