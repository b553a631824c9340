// Command floorworker runs the floor workflow of `make bench` (package floor) as a process of
// its own, like hostflow's worker: TEMPORAL_ADDRESS and HOSTFLOW_TASK_QUEUE say where. Its
// calls go where the worker's do: Namecheap and SMTP configured as the worker's are
// (HOSTFLOW_NAMECHEAP_*, HOSTFLOW_SMTP_*), and WHM at HOSTFLOW_BENCH_WHM_HOST with
// HOSTFLOW_BENCH_WHM_TOKEN, the server hostflow's catalogue has.
package main

import (
	"log"
	"os"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/hostflow/hostflow/bench/floor"
	"github.com/hostflow/hostflow/config"
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/provisioning/cpanel"
	"github.com/hostflow/hostflow/registrar/namecheap"
)

func main() {
	mods, err := config.LoadModules()
	if err != nil {
		log.Fatal(err)
	}
	calls := floor.Calls{Panel: cpanel.New(), Registrar: mods.Registrars()[namecheap.Name], Mail: email.Discard{},
		Server: provisioning.Server{Hostname: os.Getenv("HOSTFLOW_BENCH_WHM_HOST"), Username: "root",
			Credentials: os.Getenv("HOSTFLOW_BENCH_WHM_TOKEN"), SkipTLSVerify: true}}
	if mods.SMTP != nil {
		calls.Mail = mods.SMTP
	}
	c, err := client.Dial(client.Options{HostPort: os.Getenv("TEMPORAL_ADDRESS"), Logger: quiet{}})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	// The same pollers as bin/worker: the floor is the engine under the same worker settings.
	w := worker.New(c, os.Getenv("HOSTFLOW_TASK_QUEUE"), worker.Options{MaxConcurrentWorkflowTaskPollers: config.TaskPollers,
		MaxConcurrentActivityTaskPollers: config.TaskPollers})
	floor.Register(w, calls)
	if err := w.Run(worker.InterruptCh()); err != nil {
		log.Fatal(err)
	}
}

// quiet drops the SDK's routine logs.
type quiet struct{}

func (quiet) Debug(string, ...any) {}
func (quiet) Info(string, ...any)  {}
func (quiet) Warn(string, ...any)  {}
func (quiet) Error(msg string, kv ...any) {
	log.Println(append([]any{msg}, kv...)...)
}
