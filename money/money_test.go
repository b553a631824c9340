package money

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		in       string
		currency string
		want     int64
		wantErr  bool
	}{
		{"10", "USD", 1000, false},
		{"10.5", "USD", 1050, false},
		{"10.50", "USD", 1050, false},
		{"0.01", "USD", 1, false},
		{".5", "USD", 50, false},
		{"1500", "JPY", 1500, false},
		{"10.505", "USD", 0, true},
		{"1.5", "JPY", 0, true},
		{"-1", "USD", 0, true},
		{"1e3", "USD", 0, true},
		{"", "USD", 0, true},
		{"10.", "USD", 0, true},
		{"abc", "USD", 0, true},
		{"99999999999999999999", "USD", 0, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, tt.currency)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Parse(%q, %s) = %d, %v; want %d, err %v", tt.in, tt.currency, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestFormat(t *testing.T) {
	for minor, want := range map[int64]string{0: "0.00", 5: "0.05", 1050: "10.50", -250: "-2.50"} {
		if got := Format(minor, "USD"); got != want {
			t.Errorf("Format(%d) = %q, want %q", minor, got, want)
		}
	}
	if got := Format(1500, "JPY"); got != "1500" {
		t.Errorf("Format JPY = %q", got)
	}
}
