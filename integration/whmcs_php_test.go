package integration

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestWHMCSPHPClientRunsAnOrderLife drives the WHMCS API with a second, differently written
// client: a PHP script written as WHMCS's documentation shows integrations calling it (curl,
// http_build_query, json_decode), run by Debian's php-cli. scripts/with-php installs it and sets
// HOSTFLOW_PHP.
func TestWHMCSPHPClientRunsAnOrderLife(t *testing.T) {
	php := os.Getenv("HOSTFLOW_PHP")
	if php == "" {
		php = "/usr/bin/php"
	}
	if _, err := os.Stat(php); err != nil {
		t.Fatalf("no PHP at %s (run the tests through scripts/with-php, which installs Debian's php-cli and php-curl): %v", php, err)
	}
	s, _, _, productID := sandboxStack(t)
	s.mustCall("POST", "/api/v1/promotions", map[string]any{"code": "PHP10", "type": "percentage", "value": "10"}, 201)
	cred := s.mustCall("POST", "/api/v1/api-credentials", nil, 201)
	script, err := filepath.Abs(filepath.Join("whmcsphp", "life.php"))
	require.NoError(t, err)
	cmd := exec.Command(php, script)
	cmd.Env = append(os.Environ(), "HOSTFLOW_URL="+s.api.URL, "HOSTFLOW_IDENTIFIER="+cred["identifier"].(string),
		"HOSTFLOW_SECRET="+cred["secret"].(string), "HOSTFLOW_PID="+fmt.Sprint(int64(productID)), "HOSTFLOW_PROMO=PHP10")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the PHP client's run:\n%s", out)
	require.Contains(t, string(out), "ok\n")
}
