package integration

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// cpuSample is the CPU seconds (user and system) each part of the stack has used so far: a
// snapshot from /proc, so that the difference of two is what one run cost each part. On a
// machine the benchmark shares with nothing else, orders/s at load follow from these costs.
type cpuSample map[string]float64

// cpuParts names what sampleCPU adds up: PostgreSQL's backends of this stack's database, the
// Temporal dev server, the worker and the starter (or the floor's worker), and the test
// process itself (the sandboxes and the load's driver, alike for hostflow and the floor).
var cpuParts = []string{"postgres", "temporal", "worker", "starter", "floor worker", "sandboxes and driver"}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's times, 100 on Linux.
const clockTicks = 100

// sampleCPU reads the CPU times of the stack's processes: pids names the processes started by
// the benchmark; the dev server is the test process's child named temporal; the database's
// backends are found by their command line, which names the database.
func sampleCPU(dsn string, pids map[string]int) cpuSample {
	u, _ := url.Parse(dsn)
	database := strings.TrimPrefix(u.Path, "/")
	self := os.Getpid()
	out := cpuSample{"sandboxes and driver": procCPU(self)}
	for part, pid := range pids {
		out[part] = procCPU(pid)
	}
	entries, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, stat := range entries {
		raw, err := os.ReadFile(stat)
		if err != nil {
			continue
		}
		comm, ppid, secs, ok := parseStat(string(raw))
		if !ok {
			continue
		}
		dir := filepath.Dir(stat)
		switch {
		case ppid == self && strings.HasPrefix(comm, "temporal"):
			out["temporal"] += secs
		case comm == "postgres":
			cmdline, _ := os.ReadFile(dir + "/cmdline")
			if database != "" && strings.Contains(string(cmdline), " "+database+" ") {
				out["postgres"] += secs
			}
		}
	}
	return out
}

// procCPU is one process's CPU seconds, 0 when it is gone.
func procCPU(pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	_, _, secs, _ := parseStat(string(raw))
	return secs
}

// parseStat reads a /proc/<pid>/stat line: the command's name, the parent's pid, and the user
// and system CPU seconds. The name is in parentheses and may hold spaces, so the fields are
// counted from the last ")".
func parseStat(line string) (comm string, ppid int, secs float64, ok bool) {
	open, end := strings.IndexByte(line, '('), strings.LastIndexByte(line, ')')
	if open < 0 || end < open {
		return "", 0, 0, false
	}
	f := strings.Fields(line[end+1:])
	if len(f) < 13 {
		return "", 0, 0, false
	}
	ppid, _ = strconv.Atoi(f[1])
	user, _ := strconv.ParseFloat(f[11], 64)
	system, _ := strconv.ParseFloat(f[12], 64)
	return line[open+1 : end], ppid, (user + system) / clockTicks, true
}

// perOrder is the CPU milliseconds an order cost each part between two samples.
func (after cpuSample) perOrder(before cpuSample, orders int) map[string]float64 {
	out := map[string]float64{}
	for part, v := range after {
		if d := v - before[part]; d > 0 && orders > 0 {
			out[part] = d / float64(orders) * 1000
		}
	}
	return out
}

// benchPoll is how often a driver asks whether an order is provisioned, hostflow's and the
// floor's alike: HOSTFLOW_BENCH_POLL_MS, default 20 ms.
var benchPoll = time.Duration(benchEnvInt("HOSTFLOW_BENCH_POLL_MS", 20)) * time.Millisecond
