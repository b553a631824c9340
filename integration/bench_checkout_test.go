package integration

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hostflow/hostflow/clients"
)

// checkoutTarget is the bound on Complete Order to the invoice page, p99 at
// concurrency 10.
const checkoutTarget = 300 * time.Millisecond

// BenchmarkCheckout times the customer's Complete Order: HOSTFLOW_BENCH_CHECKOUTS customers
// (default 200), each signed in to the store with a product in the cart, post /checkout at
// concurrency HOSTFLOW_BENCH_CHECKOUT_CONCURRENCY (default 10); each time runs from the post to
// the invoice page it is sent to, as the browser sees it. The order is the durable workflow
// every order is: placement waits for its first write.
func BenchmarkCheckout(b *testing.B) {
	n := benchEnvInt("HOSTFLOW_BENCH_CHECKOUTS", 200)
	conc := benchEnvInt("HOSTFLOW_BENCH_CHECKOUT_CONCURRENCY", 10)
	ctx := context.Background()
	s := newStack(b)
	s.startWorker()
	_, productID := s.catalogue("accept")

	// Customers who can sign in, each with a browser's cookies and the product in the cart.
	customers := make([]*http.Client, n)
	for i := range customers {
		email := fmt.Sprintf("shopper-%d@bench.example", i)
		const password = "bench-password-0123456789"
		if _, err := s.svc.CreateClient(ctx, clients.NewClient{FirstName: "Shop", LastName: fmt.Sprint(i), Email: email,
			Password: password, NoSignupEmail: true}); err != nil {
			b.Fatal(err)
		}
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
		post(b, c, s.api.URL+"/client/login", url.Values{"email": {email}, "password": {password}}, "/client")
		post(b, c, fmt.Sprintf("%s/store/product/%d", s.api.URL, int64(productID)), url.Values{"op": {"add"},
			"billingcycle": {"monthly"}, "domain_action": {"existing"}, "domain": {fmt.Sprintf("shopper-%d.example", i)}}, "/cart")
		customers[i] = c
	}

	var mu sync.Mutex
	var took latencies
	var failures []string
	next := make(chan *http.Client)
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				t0 := time.Now()
				res, err := c.PostForm(s.api.URL+"/checkout", url.Values{"paymentmethod": {"banktransfer"}})
				d := time.Since(t0)
				mu.Lock()
				switch {
				case err != nil:
					failures = append(failures, err.Error())
				case res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Request.URL.Path, "/client/invoices/"):
					failures = append(failures, fmt.Sprintf("%d at %s", res.StatusCode, res.Request.URL.Path))
				default:
					took = append(took, d)
				}
				mu.Unlock()
				if res != nil {
					_, _ = io.Copy(io.Discard, res.Body)
					_ = res.Body.Close()
				}
			}
		}()
	}
	for _, c := range customers {
		next <- c
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	if len(failures) > 0 {
		b.Fatalf("%d of %d checkouts failed, first: %s", len(failures), n, failures[0])
	}
	sum := took.summary()
	met := "met"
	if time.Duration(sum.P99*float64(time.Millisecond)) > checkoutTarget {
		met = "NOT met"
	}
	fmt.Printf("\n### Checkout: Complete Order to the invoice page, %d customers at concurrency %d\n\n%s\n"+
		"p99 %s ms against the target of %d ms: %s. %.1f checkouts/s.\n", n, conc,
		table([]string{"n", "p50 ms", "p95 ms", "p99 ms", "max ms"}, [][]string{{fmt.Sprint(sum.N), fmtMS(sum.P50), fmtMS(sum.P95),
			fmtMS(sum.P99), fmtMS(sum.Max)}}), fmtMS(sum.P99), checkoutTarget.Milliseconds(), met, float64(n)/elapsed.Seconds())
	path, err := writeResult("checkout", map[string]any{"customers": n, "concurrency": conc, "latency": sum,
		"target_p99_ms": checkoutTarget.Milliseconds(), "per_second": float64(n) / elapsed.Seconds()})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("results in %s", path)
}

// post sends a form as a browser would and fails unless it ends on a page under want.
func post(b *testing.B, c *http.Client, to string, form url.Values, want string) {
	b.Helper()
	res, err := c.PostForm(to, form)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Request.URL.Path, want) {
		b.Fatalf("POST %s: %d at %s: %.300s", to, res.StatusCode, res.Request.URL.Path, body)
	}
}
