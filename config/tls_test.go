package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/secrets"
)

// pki is a throwaway CA with a server certificate (for temporal.internal) and a client
// certificate it signed, written as PEM files.
type pki struct {
	dir                       string
	caFile, certFile, keyFile string
	ca                        *x509.Certificate
	server                    tls.Certificate
}

func newPKI(t *testing.T) pki {
	t.Helper()
	dir := t.TempDir()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)

	issue := func(serial int64, usage x509.ExtKeyUsage, dns []string) ([]byte, *ecdsa.PrivateKey) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "hostflow"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: dns,
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		require.NoError(t, err)
		return der, key
	}
	writePEM := func(name, typ string, der []byte) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600))
		return path
	}
	p := pki{dir: dir, ca: ca, caFile: writePEM("ca.pem", "CERTIFICATE", caDER)}
	clientDER, clientKey := issue(2, x509.ExtKeyUsageClientAuth, nil)
	p.certFile = writePEM("client.pem", "CERTIFICATE", clientDER)
	keyDER, err := x509.MarshalECPrivateKey(clientKey)
	require.NoError(t, err)
	p.keyFile = writePEM("client.key", "EC PRIVATE KEY", keyDER)
	serverDER, serverKey := issue(3, x509.ExtKeyUsageServerAuth, []string{"temporal.internal"})
	p.server = tls.Certificate{Certificate: [][]byte{serverDER}, PrivateKey: serverKey}
	return p
}

// setTLSEnv sets what Load needs besides Temporal's TLS, and the four TLS variables.
func setTLSEnv(t *testing.T, cert, key, ca, serverName string) {
	t.Setenv(secrets.KeyEnv, secrets.NewKey())
	t.Setenv("TEMPORAL_TLS_CERT", cert)
	t.Setenv("TEMPORAL_TLS_KEY", key)
	t.Setenv("TEMPORAL_TLS_CA", ca)
	t.Setenv("TEMPORAL_TLS_SERVER_NAME", serverName)
}

func TestTemporalTLSIsOffUnlessConfigured(t *testing.T) {
	setTLSEnv(t, "", "", "", "")
	c, err := Load()
	require.NoError(t, err)
	require.Nil(t, c.TemporalTLS)
}

func TestTemporalTLSMistakesStopStartUp(t *testing.T) {
	p := newPKI(t)
	missing := filepath.Join(p.dir, "nope.pem")
	for _, tc := range []struct {
		name                string
		cert, key, ca, want string
	}{
		{"certificate not found", missing, p.keyFile, "", "TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY: load the Temporal client certificate " + missing},
		{"key not found", p.certFile, missing, "", "with key " + missing},
		{"key of the wrong file", p.certFile, p.caFile, "", "TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY"},
		{"certificate without key", p.certFile, "", "", "TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together"},
		{"key without certificate", "", p.keyFile, "", "TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together"},
		{"CA not found", p.certFile, p.keyFile, missing, "TEMPORAL_TLS_CA: read the Temporal CA certificate: open " + missing},
		{"CA not PEM", p.certFile, p.keyFile, p.keyFile, "TEMPORAL_TLS_CA: " + p.keyFile + " holds no PEM certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setTLSEnv(t, tc.cert, tc.key, tc.ca, "")
			_, err := Load()
			require.ErrorContains(t, err, tc.want)
		})
	}
}

// A good pair and CA give a client TLS config that completes a mutual-TLS handshake with a
// server that requires a client certificate from that CA, as a Temporal frontend with mTLS does.
func TestTemporalTLSCompletesMutualTLS(t *testing.T) {
	p := newPKI(t)
	setTLSEnv(t, p.certFile, p.keyFile, p.caFile, "temporal.internal")
	c, err := Load()
	require.NoError(t, err)
	require.NotNil(t, c.TemporalTLS)
	require.Len(t, c.TemporalTLS.Certificates, 1)
	require.Equal(t, "temporal.internal", c.TemporalTLS.ServerName)

	clients := x509.NewCertPool()
	clients.AddCert(p.ca)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{p.server},
		ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: clients})
	require.NoError(t, err)
	defer ln.Close()
	seen := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			seen <- err
			return
		}
		defer conn.Close()
		seen <- conn.(*tls.Conn).Handshake()
	}()

	raw, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	conn := tls.Client(raw, c.TemporalTLS.Clone())
	defer conn.Close()
	require.NoError(t, conn.Handshake(), "the client verifies the server against TEMPORAL_TLS_CA")
	require.NoError(t, <-seen, "the server accepts the client certificate")

	// Without the CA the self-made server certificate is not trusted: the system roots apply.
	setTLSEnv(t, p.certFile, p.keyFile, "", "temporal.internal")
	c, err = Load()
	require.NoError(t, err)
	require.Nil(t, c.TemporalTLS.RootCAs)
}
