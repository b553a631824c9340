package billing

import (
	"testing"
	"time"
)

func TestFormatInvoiceNumber(t *testing.T) {
	day := time.Date(2026, 3, 7, 23, 30, 0, 0, time.FixedZone("UTC+2", 2*3600)) // 21:30 UTC
	for _, tc := range []struct {
		format string
		n      int64
		want   string
	}{
		{"{NUMBER}", 1, "1"},
		{"{YEAR}-{NUMBER}", 17, "2026-17"},
		{"{DAY}-{MONTH}-{YEAR}~{NUMBER}", 1234, "07-03-2026~1234"},
		{"INV{YEAR}{MONTH}/{NUMBER}", 9, "INV202603/9"},
		{"{NUMBER}-{NUMBER}", 2, "2-2"},
	} {
		if got := FormatInvoiceNumber(tc.format, tc.n, day); got != tc.want {
			t.Errorf("FormatInvoiceNumber(%q, %d) = %q, want %q", tc.format, tc.n, got, tc.want)
		}
	}
}
