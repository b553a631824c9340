// Command floorworker runs the floor workflow of `make bench` (package floor) as a process of
// its own, like hostflow's worker: TEMPORAL_ADDRESS and HOSTFLOW_TASK_QUEUE say where.
package main

import (
	"log"
	"os"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/hostflow/hostflow/bench/floor"
)

func main() {
	c, err := client.Dial(client.Options{HostPort: os.Getenv("TEMPORAL_ADDRESS"), Logger: quiet{}})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	w := worker.New(c, os.Getenv("HOSTFLOW_TASK_QUEUE"), worker.Options{})
	floor.Register(w)
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
