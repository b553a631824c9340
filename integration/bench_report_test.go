package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// listCountsDrift counts the places where list_counts (kept by triggers, migration 00018)
// disagrees with the tables it counts.
const listCountsDrift = `SELECT count(*) FROM (
	SELECT 'orders' AS tbl, status, waiting_for, count(*) AS n FROM orders GROUP BY status, waiting_for
	UNION ALL SELECT 'invoices', status, '', count(*) FROM invoices GROUP BY status
	UNION ALL SELECT 'clients', status, '', count(*) FROM clients GROUP BY status) t
	FULL JOIN (SELECT tbl, status, waiting_for, sum(n) AS n FROM list_counts GROUP BY 1, 2, 3 HAVING sum(n) <> 0) k
	USING (tbl, status, waiting_for) WHERE t.n IS DISTINCT FROM k.n`

// serverAccountsDrift counts the servers whose accounts (kept by a trigger, migration 00032)
// are not their live services.
const serverAccountsDrift = `SELECT count(*) FROM servers s WHERE s.accounts <>
	(SELECT count(*) FROM order_services os WHERE os.server_id = s.id AND os.status IN ('Active', 'Suspended'))`

// latencies collects the durations of one kind of call.
type latencies []time.Duration

// quantile is the q-th quantile (0..1) by the nearest-rank method; 0 for no samples.
func (l latencies) quantile(q float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// summary is a latency distribution in milliseconds, as the result file keeps it.
type summary struct {
	N   int     `json:"n"`
	P50 float64 `json:"p50_ms"`
	P95 float64 `json:"p95_ms"`
	P99 float64 `json:"p99_ms"`
	Max float64 `json:"max_ms"`
}

func (l latencies) summary() summary {
	return summary{N: len(l), P50: ms(l.quantile(0.5)), P95: ms(l.quantile(0.95)), P99: ms(l.quantile(0.99)), Max: ms(l.quantile(1))}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// fmtMS prints milliseconds with the precision they deserve.
func fmtMS(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// benchEnvInt reads an integer setting of the benchmarks.
func benchEnvInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// machine describes where the figures were taken.
func machine() map[string]any {
	m := map[string]any{"goos": runtime.GOOS, "goarch": runtime.GOARCH, "cpus": runtime.NumCPU(), "go": runtime.Version()}
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m["cpu"] = strings.TrimSpace(v)
				break
			}
		}
	}
	if raw, err := os.ReadFile("/proc/meminfo"); err == nil {
		if line, _, ok := strings.Cut(string(raw), "\n"); ok {
			m["memory"] = strings.Join(strings.Fields(line)[1:], " ")
		}
	}
	return m
}

// writeResult adds section to the run's result file: $HOSTFLOW_BENCH_OUT, or
// bench/results/<date>.json. Benchmarks of one run share the file, each under its own key.
func writeResult(section string, v any) (string, error) {
	path := os.Getenv("HOSTFLOW_BENCH_OUT")
	if path == "" {
		_, file, _, _ := runtime.Caller(0)
		path = filepath.Join(filepath.Dir(file), "..", "bench", "results", time.Now().Format("2006-01-02")+".json")
	}
	doc := map[string]any{}
	if raw, err := os.ReadFile(path); err == nil {
		_ = json.Unmarshal(raw, &doc)
	}
	doc[section] = v
	doc["machine"] = machine()
	doc["updated_at"] = time.Now().UTC().Format(time.RFC3339)
	raw, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	return path, os.WriteFile(path, append(raw, '\n'), 0o644)
}

// table prints a markdown table.
func table(header []string, rows [][]string) string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(header, " | ") + " |\n")
	b.WriteString("|" + strings.Repeat("---|", len(header)) + "\n")
	for _, r := range rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	return b.String()
}

// peakRSS is a process's peak resident set (VmHWM) in MiB, 0 if unknown.
func peakRSS(pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(v)
			if kb, err := strconv.ParseFloat(f[0], 64); err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}
