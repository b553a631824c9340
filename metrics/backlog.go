package metrics

import (
	"context"
	"time"

	"github.com/hostflow/hostflow/ordering"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
)

// Backlog is a collector that reads its gauges from PostgreSQL when scraped, so that every
// starter shows the same numbers (take max(), not sum(), across starters) and nothing has to
// keep them up to date between scrapes.
type Backlog struct {
	read    func(context.Context) (ordering.Backlog, error)
	timeout time.Duration
	log     *zap.Logger

	waiting, depth, oldest, up *prometheus.Desc
}

// NewBacklog returns the collector of what read answers; each scrape gives it timeout.
func NewBacklog(read func(context.Context) (ordering.Backlog, error), timeout time.Duration, log *zap.Logger) *Backlog {
	name := func(n string) string { return prometheus.BuildFQName(Namespace, "", n) }
	return &Backlog{read: read, timeout: timeout, log: log,
		waiting: prometheus.NewDesc(name("orders_waiting"), "Orders whose workflow waits, by what it waits for.", []string{"waiting_for"}, nil),
		depth:   prometheus.NewDesc(name("outbox_depth"), "Workflow signals committed in PostgreSQL and not yet delivered.", nil, nil),
		oldest: prometheus.NewDesc(name("outbox_oldest_age_seconds"),
			"Age of the oldest undelivered workflow signal; 0 when the outbox is empty.", nil, nil),
		up: prometheus.NewDesc(name("backlog_scrape_success"),
			"1 if the backlog gauges were read from PostgreSQL at this scrape, 0 if not (they are then absent).", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (b *Backlog) Describe(ch chan<- *prometheus.Desc) {
	ch <- b.waiting
	ch <- b.depth
	ch <- b.oldest
	ch <- b.up
}

// Collect implements prometheus.Collector. A slow or unavailable database costs a scrape at
// most the timeout and shows as backlog_scrape_success 0, not as a failed scrape.
func (b *Backlog) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), b.timeout)
	defer cancel()
	bl, err := b.read(ctx)
	if err != nil {
		b.log.Warn("backlog metrics not read", zap.Error(err))
		ch <- prometheus.MustNewConstMetric(b.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(b.up, prometheus.GaugeValue, 1)
	for w, n := range bl.Waiting {
		ch <- prometheus.MustNewConstMetric(b.waiting, prometheus.GaugeValue, float64(n), string(w))
	}
	ch <- prometheus.MustNewConstMetric(b.depth, prometheus.GaugeValue, float64(bl.OutboxDepth))
	ch <- prometheus.MustNewConstMetric(b.oldest, prometheus.GaugeValue, bl.OutboxOldest.Seconds())
}
