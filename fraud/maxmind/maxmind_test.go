package maxmind

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/sandbox/minfraud"
)

func sandbox(t *testing.T, service string) (*minfraud.Server, *Checker) {
	fake := minfraud.New("12345", "LICENSE")
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	return fake, New(Config{URL: ts.URL, AccountID: "12345", LicenseKey: "LICENSE", Service: service})
}

func order() fraud.Request {
	return fraud.Request{OrderID: 77, ClientID: 5, ClientIP: "81.2.69.160", Email: "Ada@Example.com", FirstName: "Ada", LastName: "Lovelace",
		City: "London", State: "Greater London", Postcode: "N1 1AA", Country: "gb", Amount: "26.99", Currency: "USD"}
}

func TestScoreRequestAndReport(t *testing.T) {
	for _, service := range []string{"score", "insights"} {
		t.Run(service, func(t *testing.T) {
			fake, c := sandbox(t, service)
			fake.Score("example.com", 42.5)
			res, err := c.Check(context.Background(), order())
			require.NoError(t, err)
			require.Equal(t, "maxmind", res.Module)
			require.Equal(t, 42.5, res.Score)

			var rep fraud.Report
			require.NoError(t, json.Unmarshal(res.Raw, &rep))
			require.Len(t, rep.ID, 36)
			require.NotNil(t, rep.IPRisk)
			require.Contains(t, string(rep.Response), `"funds_remaining"`, "the whole answer is kept")

			sent := fake.Requests()[0]
			require.Equal(t, map[string]any{"ip_address": "81.2.69.160"}, sent["device"])
			email := sent["email"].(map[string]any)
			require.Equal(t, "example.com", email["domain"])
			require.Len(t, email["address"], 32, "the address travels as its MD5")
			billing := sent["billing"].(map[string]any)
			require.Equal(t, "GB", billing["country"])
			require.NotContains(t, billing, "region", "a state name is not a minFraud region code")
			require.Equal(t, map[string]any{"amount": 26.99, "currency": "USD"}, sent["order"])
			require.Equal(t, "77", sent["event"].(map[string]any)["transaction_id"])
		})
	}
}

func TestWarningsAreKept(t *testing.T) {
	_, c := sandbox(t, "score")
	r := order()
	r.Country = ""
	res, err := c.Check(context.Background(), r)
	require.NoError(t, err)
	var rep fraud.Report
	require.NoError(t, json.Unmarshal(res.Raw, &rep))
	require.Equal(t, []string{"BILLING_COUNTRY_MISSING: No billing country was provided; the risk score is less accurate."}, rep.Warnings)
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		setup   func(*minfraud.Server, *Checker, *fraud.Request)
		want    string
		retries bool
	}{
		{name: "bad credentials", setup: func(_ *minfraud.Server, c *Checker, _ *fraud.Request) { c.cfg.LicenseKey = "nope" },
			want: "minfraud AUTHORIZATION_INVALID"},
		{name: "no account", setup: func(_ *minfraud.Server, c *Checker, _ *fraud.Request) { c.cfg.AccountID = "" },
			want: "minfraud ACCOUNT_ID_REQUIRED"},
		{name: "out of funds", setup: func(f *minfraud.Server, _ *Checker, _ *fraud.Request) { f.OutOfFunds(true) },
			want: "minfraud INSUFFICIENT_FUNDS"},
		{name: "service down", setup: func(f *minfraud.Server, _ *Checker, _ *fraud.Request) { f.Down(1) },
			want: "minfraud: HTTP 503", retries: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, c := sandbox(t, "score")
			r := order()
			tc.setup(fake, c, &r)
			_, err := c.Check(context.Background(), r)
			require.ErrorContains(t, err, tc.want)
			require.Equal(t, !tc.retries, permanent.Is(err), "%v", err)
		})
	}
}

func TestPrivateOrMissingIPIsNotSent(t *testing.T) {
	fake, c := sandbox(t, "score")
	for i, ip := range []string{"", "10.0.0.1", "127.0.0.1", "not-an-ip"} {
		r := order()
		r.ClientIP = ip
		_, err := c.Check(context.Background(), r)
		require.NoError(t, err, ip)
		require.NotContains(t, fake.Requests()[i], "device", ip)
	}
}
