package metrics

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/registrar"
)

// The HTTP histogram is labelled by chi's route pattern, never by the raw path: an unknown
// path, inside a mount or not, is "unmatched", and a made-up method is "other".
func TestHTTPLabelsAreRoutePatterns(t *testing.T) {
	reg := New(zap.NewNop())
	h := NewHTTP(reg, nil)
	r := chi.NewRouter()
	r.Get("/orders/{id}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	r.Route("/api", func(r chi.Router) {
		r.Post("/things", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusCreated) })
	})
	srv := httptest.NewServer(h.Wrap(r))
	defer srv.Close()
	for _, req := range []struct{ method, path string }{
		{"GET", "/orders/1"}, {"GET", "/orders/2"}, {"POST", "/api/things"}, {"GET", "/api/nothing-here"},
		{"GET", "/wp-login.php"}, {"BREW", "/orders/3"},
	} {
		rq, err := http.NewRequest(req.method, srv.URL+req.path, nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(rq)
		require.NoError(t, err)
		resp.Body.Close()
	}
	count := func(method, route, status string) uint64 {
		return observations(t, h.duration, map[string]string{"method": method, "route": route, "status": status})
	}
	require.EqualValues(t, 2, count("GET", "/orders/{id}", "200"), "both orders in one series")
	require.EqualValues(t, 1, count("POST", "/api/things", "201"))
	require.EqualValues(t, 2, count("GET", Unmatched, "404"), "both unknown paths in one series")
	require.EqualValues(t, 1, count("other", Unmatched, "405"), "chi matches no route for a method it does not know")
	require.Equal(t, 4, testutil.CollectAndCount(h.duration), "no other series")
}

type fakeRegistrar struct{ err error }

func (f fakeRegistrar) Register(context.Context, registrar.Domain) (registrar.Result, error) {
	return registrar.Result{}, f.err
}
func (f fakeRegistrar) Transfer(context.Context, registrar.Domain) (registrar.Result, error) {
	return registrar.Result{}, f.err
}
func (f fakeRegistrar) Status(context.Context, registrar.Domain) (registrar.Result, error) {
	return registrar.Result{}, f.err
}

type fakeManager struct{ fakeRegistrar }

func (fakeManager) Nameservers(context.Context, string) ([]string, error)  { return nil, nil }
func (fakeManager) SetNameservers(context.Context, string, []string) error { return nil }
func (fakeManager) Expiry(context.Context, string) (time.Time, error)      { return time.Time{}, nil }
func (fakeManager) Renew(context.Context, string, int) (time.Time, error)  { return time.Time{}, nil }

// A measured registrar that manages domains is still a registrar.Manager, which the registry
// finds by a type assertion; one that does not manage them still is not. Failures count.
func TestRegistrarWrapperKeepsManager(t *testing.T) {
	c := NewCalls(New(zap.NewNop()))
	regs := c.Registrars(registrar.Registry{"managing": fakeManager{}, "plain": fakeRegistrar{err: errors.New("down")}})
	mg, err := regs.ManagerOf("managing")
	require.NoError(t, err)
	_, err = mg.Expiry(context.Background(), "example.com")
	require.NoError(t, err)
	_, err = regs.ManagerOf("plain")
	require.ErrorIs(t, err, registrar.ErrNotSupported)

	_, err = regs["plain"].Register(context.Background(), registrar.Domain{Name: "example.com"})
	require.EqualError(t, err, "down")
	require.Equal(t, 1.0, testutil.ToFloat64(c.failures.WithLabelValues(KindRegistrar, "plain", "register")))
	require.Equal(t, 0.0, testutil.ToFloat64(c.failures.WithLabelValues(KindRegistrar, "managing", "expiry")))
	require.EqualValues(t, 1, observations(t, c.duration, map[string]string{"kind": KindRegistrar, "module": "managing", "operation": "expiry"}))
}

// observations is the sample count of the one series of histogram vec h with labels want.
func observations(t *testing.T, h *prometheus.HistogramVec, want map[string]string) uint64 {
	t.Helper()
	ch := make(chan prometheus.Metric, 100)
	h.Collect(ch)
	close(ch)
	for m := range ch {
		var d dto.Metric
		require.NoError(t, m.Write(&d))
		have := map[string]string{}
		for _, l := range d.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		if maps.Equal(have, want) {
			return d.GetHistogram().GetSampleCount()
		}
	}
	t.Fatalf("no series %v", want)
	return 0
}

// recent answers true once per key, and forgets the oldest key when full.
func TestRecentForgetsTheOldest(t *testing.T) {
	r := newRecent(2)
	require.True(t, r.first("a"))
	require.False(t, r.first("a"), "a repeat")
	require.True(t, r.first("b"))
	require.True(t, r.first("c"), "a pushes out")
	require.True(t, r.first("a"), "a was forgotten")
	require.False(t, r.first("c"))
}
