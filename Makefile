# hostflow. `make run` brings the whole stack up; `make test` runs every test.
# Tools are pinned and built from the Go module proxy into ./bin, outside go.mod.

TEMPORAL_VERSION := v1.5.1
SQLC_VERSION     := v1.31.1
MAILPIT_VERSION  := v1.27.11
STATICCHECK_VERSION := v0.8.2
TEMPORAL := bin/temporal-$(TEMPORAL_VERSION)
SQLC     := bin/sqlc-$(SQLC_VERSION)
# -web: built with its web page (scripts/build-mailpit), unlike a plain go install's.
MAILPIT  := bin/mailpit-$(MAILPIT_VERSION)-web
STATICCHECK := bin/staticcheck-$(STATICCHECK_VERSION)

# go.mod's toolchain line is the Go release hostflow is built and tested with: a machine whose
# own Go is older fetches it from the module proxy once (GOTOOLCHAIN=local would ignore it).
export GOTOOLCHAIN := auto

export TEMPORAL_CLI := $(CURDIR)/$(TEMPORAL)
export MAILPIT := $(CURDIR)/$(MAILPIT)

.PHONY: run demo test bench histories generate check tools clean

run: $(TEMPORAL) $(MAILPIT)
	scripts/run-stack

# demo walks one order through the stack `make run` started (set HOSTFLOW_ADMIN_API_KEY).
demo:
	scripts/demo

test: $(TEMPORAL) $(MAILPIT) check
	scripts/with-chromium scripts/with-php scripts/with-postgres go test -count=1 -timeout 20m ./...

bench: $(TEMPORAL)
	scripts/bench

# histories records fresh workflow histories for the replay test from the integration tests.
histories: $(TEMPORAL)
	HOSTFLOW_RECORD_HISTORIES=$(CURDIR)/workflows/testdata/histories scripts/with-postgres \
		go test -count=1 -run 'InvoiceEmailsAndReceipt|Lifecycle|AcceptFailure|StripeRefunds|UnpaidSetting|WHMCSClient|CancelledOrderAsksForReview|OrderFraudCheckFromAnotherAddress|DomainNameserversAndRenew' ./integration

generate: $(SQLC)
	$(SQLC) generate

# check fails on unformatted code, vet or staticcheck findings, or sqlc output that does not
# match the queries.
check: $(SQLC) $(STATICCHECK)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet ./...
	$(STATICCHECK) ./...
	@$(SQLC) diff || (echo "sqlc generated code is stale: run make generate"; exit 1)

tools: $(TEMPORAL) $(SQLC) $(MAILPIT) $(STATICCHECK)

$(TEMPORAL):
	@echo "building Temporal CLI $(TEMPORAL_VERSION) (a few minutes, once)"
	mkdir -p bin/.build && GOBIN=$(CURDIR)/bin/.build go install github.com/temporalio/cli/cmd/temporal@$(TEMPORAL_VERSION)
	mv bin/.build/temporal $@

$(STATICCHECK):
	mkdir -p bin/.build && GOBIN=$(CURDIR)/bin/.build go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	mv bin/.build/staticcheck $@

$(SQLC):
	mkdir -p bin/.build && GOBIN=$(CURDIR)/bin/.build go install github.com/sqlc-dev/sqlc/cmd/sqlc@$(SQLC_VERSION)
	mv bin/.build/sqlc $@

# The local mail catcher `make run` sends through (its web UI shows every email). A plain
# `go install` of Mailpit serves a blank page: its page's script and stylesheet are built with
# npm by Mailpit's release and are not in the Go module, so scripts/build-mailpit builds them
# from the module's sources and lock file first. v1.27.11: the newer releases' lock files name
# npm packages (rapidoc 12, sass-embedded 1.108.1) that the npm registry does not serve.
$(MAILPIT):
	scripts/build-mailpit $(MAILPIT_VERSION) $@

clean:
	rm -rf bin .devdata
