// Command sandbox serves local, protocol-faithful stand-ins for the services hostflow talks to
// and cannot reach from a developer's machine: a WHM API 1 server (over TLS with a self-signed
// certificate, as a fresh panel has), the Namecheap API, MaxMind minFraud, and Stripe (its API,
// a hosted payment page, signed webhooks to hostflow). `make run` starts it and points the
// worker and the starter at it; each keeps its state in memory.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hostflow/hostflow/sandbox/minfraud"
	"github.com/hostflow/hostflow/sandbox/namecheap"
	"github.com/hostflow/hostflow/sandbox/stripe"
	"github.com/hostflow/hostflow/sandbox/whm"
)

func main() {
	whmAddr := flag.String("whm", "127.0.0.1:2087", "WHM API 1 address (TLS)")
	ncAddr := flag.String("namecheap", "127.0.0.1:8091", "Namecheap API address")
	mfAddr := flag.String("minfraud", "127.0.0.1:8092", "minFraud address")
	stripeAddr := flag.String("stripe", "127.0.0.1:8093", "Stripe API and hosted payment page address")
	flag.Parse()

	whmToken := env("SANDBOX_WHM_TOKEN", "sandbox-whm-token")
	ncKey := env("SANDBOX_NAMECHEAP_KEY", "sandbox-namecheap-key")
	mfKey := env("SANDBOX_MAXMIND_LICENSE", "sandbox-license")
	// Stripe's events go to hostflow's /webhooks/stripe, signed with the secret the starter
	// verifies (HOSTFLOW_STRIPE_WEBHOOK_SECRET there).
	stripeCfg := stripe.Config{SecretKey: env("SANDBOX_STRIPE_SECRET_KEY", "sk_test_sandbox"),
		WebhookURL:    env("SANDBOX_STRIPE_WEBHOOK_URL", "http://127.0.0.1:8080/webhooks/stripe"),
		WebhookSecret: env("SANDBOX_STRIPE_WEBHOOK_SECRET", "whsec_sandbox"),
		BaseURL:       os.Getenv("SANDBOX_STRIPE_BASE_URL")}
	st := stripe.New(stripeCfg)
	defer st.Close()

	cert, err := selfSigned()
	if err != nil {
		log.Fatal(err)
	}
	nc := namecheap.New("hostflow", ncKey)
	servers := []*http.Server{
		{Addr: *whmAddr, Handler: whm.New("root", whmToken), TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}},
		{Addr: *ncAddr, Handler: nc},
		{Addr: *mfAddr, Handler: minfraud.New("100000", mfKey)},
		{Addr: *stripeAddr, Handler: st},
	}
	errc := make(chan error, len(servers))
	for _, s := range servers {
		l, err := net.Listen("tcp", s.Addr)
		if err != nil {
			log.Fatalf("sandbox: %v", err)
		}
		go func() {
			if s.TLSConfig != nil {
				l = tls.NewListener(l, s.TLSConfig)
			}
			errc <- s.Serve(l)
		}()
	}
	fmt.Printf("sandbox: WHM https://%s (root / %s, self-signed), Namecheap http://%s/xml.response (hostflow / %s), minFraud http://%s (100000 / %s)\n",
		*whmAddr, whmToken, *ncAddr, ncKey, *mfAddr, mfKey)
	fmt.Printf("sandbox: Stripe http://%s (%s), events to %s signed with %s\n", *stripeAddr, stripeCfg.SecretKey, stripeCfg.WebhookURL, stripeCfg.WebhookSecret)
	fmt.Printf("sandbox: accounts at https://%s/sandbox/accounts; domains beginning with \"taken\" are registered elsewhere; emails at a domain beginning with \"fraud\" score 90\n", *whmAddr)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Fatalf("sandbox: %v", err)
		}
	case <-ctx.Done():
	}
	for _, s := range servers {
		_ = s.Close()
	}
}

// selfSigned makes a certificate for localhost, as a panel fresh from install has.
func selfSigned() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "whm.sandbox.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0), DNSNames: []string{"localhost", "whm.sandbox.test"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

func env(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
