package cpanel

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/sandbox/whm"
)

func TestTestConnection(t *testing.T) {
	for _, tc := range []struct {
		name      string
		setup     func(*whm.Server, *provisioning.Server)
		want      string // the version, when it connects
		err       string // the start of the error an admin reads
		permanent bool
	}{
		{name: "connects and names the build", setup: func(*whm.Server, *provisioning.Server) {}, want: whm.DefaultVersion},
		{name: "a wrong token is WHM's 403", setup: func(_ *whm.Server, s *provisioning.Server) { s.Credentials = "WRONG" },
			err: "WHM refused the API token (HTTP 403): Access denied", permanent: true},
		{name: "a wrong user is WHM's 403", setup: func(_ *whm.Server, s *provisioning.Server) { s.Username = "reseller" },
			err: "WHM refused the API token (HTTP 403): Access denied", permanent: true},
		{name: "WHM's refusal word for word", setup: func(f *whm.Server, _ *provisioning.Server) { f.FailNext("version", "License expired.") },
			err: "version: License expired.", permanent: true},
		{name: "a self-signed certificate unless allowed", setup: func(_ *whm.Server, s *provisioning.Server) { s.SkipTLSVerify = false },
			err: "whm version: the server's TLS certificate is not trusted", permanent: true},
		{name: "nothing listening", setup: func(_ *whm.Server, s *provisioning.Server) { s.Hostname = "127.0.0.1:1" },
			err: "whm version: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, srv := sandbox(t)
			tc.setup(fake, &srv)
			got, err := (&Module{Timeout: 5 * time.Second}).TestConnection(context.Background(), srv)
			if tc.err == "" {
				require.NoError(t, err)
				require.Equal(t, tc.want, got)
				return
			}
			require.Error(t, err)
			require.True(t, strings.HasPrefix(err.Error(), tc.err), err.Error())
			require.Equal(t, tc.permanent, permanent.Is(err), "permanent: %v", err)
		})
	}
}
