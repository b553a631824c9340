// Package crashpoint kills the process at a named point in the code when HOSTFLOW_CRASHPOINT
// names it. Tests use it to prove that hostflow recovers from a crash at exactly the worst
// moment (after a commit, before what should follow it), which no timing-based kill can hit.
package crashpoint

import (
	"os"
	"syscall"
)

// Env names the crash point, if any, for this process.
const Env = "HOSTFLOW_CRASHPOINT"

var armed = os.Getenv(Env)

// Hit kills the process with SIGKILL, as an OOM killer or a power cut would, if name is the
// armed crash point. Deferred functions, buffered logs and open transactions die with it.
func Hit(name string) {
	if armed != "" && armed == name {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is asynchronous; nothing may run after the crash point
	}
}
