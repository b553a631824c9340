package integration

import (
	"bufio"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// signInMemoryBudget is what 300 parallel sign-ins may take of the starter at its peak. Each
// argon2id hash holds 19 MiB: uncapped, 300 of them took GiBs.
const signInMemoryBudget = 300 << 20

// TestSignInParallelKeepsMemoryAndAnswers429: 300 sign-ins at once (each an unknown email, so
// that no lockout refuses them first and every one would hash) keep the starter's peak RSS
// under the budget: beyond the cap on concurrent hashes they are answered 429 with Retry-After
// at once, the rest 401.
func TestSignInParallelKeepsMemoryAndAnswers429(t *testing.T) {
	s := newStack(t)
	starter := buildCmd(t, "starter")
	// Four hash slots whatever the machine, so that the budget holds on a many-core runner too.
	cmd, base := s.runStarter(starter, "GOMAXPROCS=4", "HOSTFLOW_METRICS_ADDR=off")
	before := processPeakRSS(t, cmd.Process.Pid)

	const n = 300
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	statuses := make([]int, n)
	retryAfter := make([]string, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			form := url.Values{"email": {fmt.Sprintf("guess%d@example.com", i)}, "password": {"a password guessed"}}
			<-start
			resp, err := client.PostForm(base+"/admin/login", form)
			if err != nil {
				errs[i] = err
				return
			}
			resp.Body.Close()
			statuses[i], retryAfter[i] = resp.StatusCode, resp.Header.Get("Retry-After")
		})
	}
	began := time.Now()
	close(start)
	wg.Wait()
	took := time.Since(began)
	count := map[int]int{}
	for i, st := range statuses {
		require.NoError(t, errs[i])
		count[st]++
		if st == http.StatusTooManyRequests {
			require.Equal(t, "1", retryAfter[i], "a busy refusal says when to come back")
		}
	}
	peak := processPeakRSS(t, cmd.Process.Pid)
	t.Logf("%d sign-ins in %v: %v; peak RSS %d MiB (%d MiB before)", n, took.Round(time.Millisecond), count, peak>>20, before>>20)
	require.Equal(t, n, count[http.StatusUnauthorized]+count[http.StatusTooManyRequests], "only 401s and 429s: %v", count)
	require.Positive(t, count[http.StatusTooManyRequests], "none refused beyond the cap")
	require.Positive(t, count[http.StatusUnauthorized], "none checked")
	require.Less(t, peak, int64(signInMemoryBudget), "peak RSS %d MiB", peak>>20)

	// The starter still signs an admin in.
	resp, err := client.PostForm(base+"/admin/login", url.Values{"email": {"nobody@example.com"}, "password": {"x"}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

// processPeakRSS is a process's peak resident set size (VmHWM) in bytes.
func processPeakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			require.NoError(t, err)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/<pid>/status")
	return 0
}
