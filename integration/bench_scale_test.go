package integration

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hostflow/hostflow/db"
)

// scaleRun is one setup's outcome in BenchmarkScaleOut.
type scaleRun struct {
	Name     string  `json:"name"`
	Workers  int     `json:"workers"`
	Starters int     `json:"starters"`
	Run      e2eRun  `json:"run"`
	Retried  int64   `json:"requests_sent_again"` // to the other starter, same Idempotency-Key
	CPUBusy  float64 `json:"cpu_busy"`            // the machine's, 0..1, over the run
	// KilledAfter is when, from the run's start, a worker and a starter were killed (SIGKILL).
	KilledAfter float64 `json:"killed_after_s,omitempty"`
	// Share is the work each process did in the run: workflow tasks and activities run by
	// each worker, requests answered and outbox signals sent by each starter.
	Share map[string]float64 `json:"share"`
}

// BenchmarkScaleOut runs the end-to-end order mix (BenchmarkEndToEnd's driver, closed loop) on
// one Temporal dev server and one PostgreSQL with more than one of each process:
//
//	(a) one worker and one starter;
//	(b) two workers and two starters, the orders spread over both starters round-robin;
//	(c) two of each, and a third of the way through the orders one worker and one starter are
//	    killed (SIGKILL): the workflows' tasks go to the other worker through the task queue,
//	    the requests the dead starter was answering, and those that would have gone to it, go
//	    to the other starter with the same Idempotency-Key, and a payment signal its outbox
//	    relay had claimed is sent by the other's once the lease runs out.
//
// Every order of every run must complete, and at the end each is checked in PostgreSQL and in
// Temporal (checkOrders), and PostgreSQL must hold exactly as many orders as were driven:
// none lost, none placed twice.
//
// HOSTFLOW_BENCH_SCALE_ORDERS (default 100) orders per run; HOSTFLOW_BENCH_SCALE_CONCURRENCY
// (default 10) at a time.
func BenchmarkScaleOut(b *testing.B) {
	n := benchEnvInt("HOSTFLOW_BENCH_SCALE_ORDERS", 100)
	c := benchEnvInt("HOSTFLOW_BENCH_SCALE_CONCURRENCY", 10)
	ctx := context.Background()
	sb := startSandboxes(b)
	s := newStack(b)
	s.useSandboxes(sb) // for the in-process API's module names, which sets up the catalogue
	s.stopRelay()      // the starter processes relay the outbox
	bins := buildBenchCommands(b, "worker", "starter")
	inst, err := db.New(s.pool).Installation(ctx)
	if err != nil {
		b.Fatal(err)
	}

	type proc struct {
		name, metrics string
		cmd           *exec.Cmd
		base          string // a starter's
	}
	var workers, starters []*proc
	addWorker := func() {
		cmd, m := benchWorker(s, bins["worker"], sb)
		workers = append(workers, &proc{name: fmt.Sprintf("worker %d", len(workers)+1), metrics: m, cmd: cmd})
	}
	addStarter := func() {
		cmd, base, m := benchStarter(s, bins["starter"])
		starters = append(starters, &proc{name: fmt.Sprintf("starter %d", len(starters)+1), metrics: m, cmd: cmd, base: base})
	}
	bases := func() (out []string) {
		for _, p := range starters {
			out = append(out, p.base)
		}
		return out
	}
	// work is what each process has done so far, by its own /metrics; a process that no longer
	// answers keeps what it last said.
	latest := map[string]float64{}
	work := func() map[string]float64 {
		for _, p := range workers {
			spent := scrapeHistograms(p.name, "http://"+p.metrics+"/metrics")
			if spent == nil {
				continue
			}
			latest[p.name+" workflow tasks"], latest[p.name+" activities"] = 0, 0
			for _, t := range spent {
				switch {
				case strings.HasPrefix(t.Metric, "temporal_workflow_task_execution_latency"):
					latest[p.name+" workflow tasks"] += t.Count
				case strings.HasPrefix(t.Metric, "temporal_activity_execution_latency"):
					latest[p.name+" activities"] += t.Count
				}
			}
		}
		for _, p := range starters {
			spent := scrapeHistograms(p.name, "http://"+p.metrics+"/metrics")
			if spent == nil {
				continue
			}
			latest[p.name+" requests"], latest[p.name+" outbox signals"] = 0, 0
			for _, t := range spent {
				switch {
				case strings.HasPrefix(t.Metric, "hostflow_http_request_duration_seconds"):
					latest[p.name+" requests"] += t.Count
				case t.Metric == `temporal_request_latency_seconds{operation="SignalWorkflowExecution"}`:
					latest[p.name+" outbox signals"] += t.Count
				}
			}
		}
		return maps.Clone(latest)
	}

	addWorker()
	addStarter()
	shop := newBenchShop(s, sb, bases()...)
	shop.failover = true // in every run, so that the three differ only in their processes

	var runs []scaleRun
	before := work()
	run := func(name string, d driver, killedAt func() time.Duration) {
		shop.bases = bases()
		shop.retried.Store(0)
		cpu0 := cpuTimes()
		r := scaleRun{Name: name, Workers: len(workers), Starters: len(starters), Run: drive(n, c, 0, d)}
		r.CPUBusy = cpuBusySince(cpu0)
		r.Retried = shop.retried.Load()
		if killedAt != nil {
			r.KilledAfter = killedAt().Seconds()
		}
		after := work()
		r.Share = map[string]float64{}
		for k, v := range after {
			r.Share[k] = v - before[k]
		}
		before = after
		runs = append(runs, r)
	}

	b.ResetTimer()
	run("one worker, one starter", shop.order(1), nil)
	addWorker()
	addStarter()
	run("two workers, two starters", shop.order(2), nil)

	// A third of the way through (when a third of the orders have completed), one worker and
	// one starter die as a crash or an OOM kill would end them.
	var once sync.Once
	var done atomic.Int64
	var killed time.Duration
	start := time.Now()
	ours := shop.order(3)
	killing := func(i int) (place, provisioned, accept time.Duration, err error) {
		place, provisioned, accept, err = ours(i)
		if done.Add(1) >= int64(n/3) {
			once.Do(func() {
				killed = time.Since(start)
				work() // their share up to now
				for _, p := range []*proc{workers[1], starters[1]} {
					_ = p.cmd.Process.Signal(syscall.SIGKILL)
					_ = p.cmd.Wait()
				}
				fmt.Fprintf(os.Stderr, "killed worker 2 and starter 2 (SIGKILL) after %.1f s, %d of %d orders done\n", killed.Seconds(), n/3, n)
			})
		}
		return place, provisioned, accept, err
	}
	run("two of each, one worker and one starter killed after a third", killing, func() time.Duration { return killed })
	b.StopTimer()

	// Every order must have ended Active, provisioned and paid, in PostgreSQL and in Temporal,
	// and each exactly once.
	ids := shop.placedIDs()
	lost, _ := checkOrders(s, inst, ids, benchFull)
	var inDB int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM orders`).Scan(&inDB); err != nil {
		b.Fatal(err)
	}
	distinct := len(slices.Compact(slices.Sorted(slices.Values(ids))))
	var drift int
	if err := s.pool.QueryRow(ctx, listCountsDrift).Scan(&drift); err != nil || drift > 0 {
		b.Fatalf("list_counts disagrees with the tables in %d places (%v)", drift, err)
	}

	var rows [][]string
	for _, r := range runs {
		note := ""
		if r.KilledAfter > 0 {
			note = fmt.Sprintf("killed at %.1f s", r.KilledAfter)
		}
		rows = append(rows, []string{r.Name, strconv.Itoa(r.Workers), strconv.Itoa(r.Starters), fmt.Sprintf("%.1f", r.Run.PerSecond),
			fmtMS(r.Run.Place.P50) + " / " + fmtMS(r.Run.Place.P99),
			fmtMS(r.Run.Provisioned.P50) + " / " + fmtMS(r.Run.Provisioned.P99) + " / " + fmtMS(r.Run.Provisioned.Max),
			fmtMS(r.Run.Accept.P50) + " / " + fmtMS(r.Run.Accept.P99),
			fmt.Sprintf("%.0f%%", r.CPUBusy*100), strconv.Itoa(r.Run.Errors), strconv.FormatInt(r.Retried, 10), note})
	}
	fmt.Printf("\n### Scale-out: %d orders per run, %d at a time, one Temporal dev server and one PostgreSQL (ms)\n\n%s", n, c,
		table([]string{"run", "workers", "starters", "orders/s", "place p50 / p99", "payment→provisioned p50 / p99 / max",
			"accept p50 / p99", "CPU busy", "failed", "requests sent again", "note"}, rows))
	var shareRows [][]string
	for _, r := range runs {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(r.Share)) {
			parts = append(parts, fmt.Sprintf("%s %.0f", k, r.Share[k]))
		}
		shareRows = append(shareRows, []string{r.Name, strings.Join(parts, ", ")})
	}
	fmt.Printf("\n### Who did the work (each process's /metrics; a killed process's share is up to its death)\n\n%s",
		table([]string{"run", "work"}, shareRows))
	ratio := runs[1].Run.PerSecond / runs[0].Run.PerSecond
	fmt.Printf("\ntwo workers and two starters against one of each: %.2f× the orders/s on %d CPUs\n", ratio, runtime.NumCPU())
	fmt.Printf("orders checked: %d (%d distinct), orders in PostgreSQL: %d, driven: %d; lost or stuck: %d\n",
		len(ids), distinct, inDB, len(runs)*n, lost)
	path, err := writeResult("scale_out", map[string]any{"orders_per_run": n, "concurrency": c, "runs": runs,
		"two_against_one": ratio, "orders_checked": len(ids), "orders_in_postgres": inDB, "lost_or_stuck": lost})
	if err != nil {
		b.Fatal(err)
	}
	fmt.Printf("results: %s\n", path)
	for _, r := range runs {
		if r.Run.Errors > 0 {
			b.Fatalf("%s: %d orders failed (see above)", r.Name, r.Run.Errors)
		}
	}
	if lost > 0 {
		b.Fatalf("%d orders lost or stuck (see above)", lost)
	}
	if distinct != len(ids) || inDB != len(ids) || len(ids) != len(runs)*n {
		b.Fatalf("orders placed %d (%d distinct), in PostgreSQL %d, driven %d: an order was lost or placed twice",
			len(ids), distinct, inDB, len(runs)*n)
	}
}

// cpuTimes is the machine's busy and total CPU time so far (jiffies, all cores), from the
// first line of /proc/stat; nil if unknown.
func cpuTimes() []float64 {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return nil
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return nil
	}
	var total, idle float64
	for k, v := range f[1:] {
		x, _ := strconv.ParseFloat(v, 64)
		if k >= 8 { // guest time is counted in user already
			break
		}
		total += x
		if k == 3 || k == 4 { // idle, iowait
			idle += x
		}
	}
	return []float64{total - idle, total}
}

// cpuBusySince is the share of the machine's CPU time that was busy since cpuTimes said from.
func cpuBusySince(from []float64) float64 {
	to := cpuTimes()
	if from == nil || to == nil || to[1] <= from[1] {
		return 0
	}
	return (to[0] - from[0]) / (to[1] - from[1])
}
