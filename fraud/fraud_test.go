package fraud

import "testing"

func TestExceeds(t *testing.T) {
	tests := []struct {
		score, threshold float64
		want             bool
	}{
		{19.99, 20, false},
		{20, 20, false}, // WHMCS: only a score above the threshold is fraud
		{20.01, 20, true},
		{99, 0, false}, // 0 turns the check off
		{0.5, 0.1, true},
	}
	for _, tt := range tests {
		if got := Exceeds(tt.score, tt.threshold); got != tt.want {
			t.Errorf("Exceeds(%v, %v) = %v, want %v", tt.score, tt.threshold, got, tt.want)
		}
	}
}
