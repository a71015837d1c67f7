# youthhub — two commands do everything: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run
export PATH := /usr/local/go/bin:$(HOME)/go/bin:$(PATH)

GO          ?= go
PORT        ?= 8080
PG          := scripts/pg.sh
PG_ADMIN    := postgres://postgres@127.0.0.1:54329/postgres?sslmode=disable
LOCAL_DB    := postgres://postgres@127.0.0.1:54329/youthhub?sslmode=disable
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
FRONTEND_SRC := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/svelte.config.js -type f 2>/dev/null)

# DATABASE_URL from the environment points everything at another PostgreSQL;
# otherwise a private cluster under .data/pg is started.
ifeq ($(origin DATABASE_URL),environment)
  USE_PRIVATE_PG :=
else
  USE_PRIVATE_PG := 1
  export DATABASE_URL := $(LOCAL_DB)
endif
export TEST_DATABASE_URL ?= $(PG_ADMIN)
export DEMO_DATA_DIR ?= $(abspath ../shared/data)

.PHONY: run test lint db-start db-stop deps tools build frontend go-test frontend-test e2e bench clean import-areas

## deps: install what is missing (Go modules, npm packages, PostgreSQL)
deps: tools frontend/node_modules/.installed
	$(GO) mod download

tools:
	@command -v $(GO) >/dev/null || { echo "Go is required (https://go.dev/dl/)"; exit 1; }
	@if ! command -v npm >/dev/null; then \
	  echo "installing Node.js and npm (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; fi
	@if [ -z "$(USE_PRIVATE_PG)" ] || [ -x /usr/lib/postgresql/15/bin/initdb ]; then :; else \
	  echo "installing PostgreSQL 15 (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null; fi

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SRC)
	cd frontend && npm run build --silent

frontend: frontend/dist/index.html

## build: the single binary with the SPA embedded
build: deps frontend
	$(GO) build -o bin/youthhub ./cmd/youthhub

db-start:
	@if [ -n "$(USE_PRIVATE_PG)" ]; then $(PG) ensure-db youthhub; fi

db-stop:
	$(PG) stop

## run: build, start the database, migrate, seed the demo council and serve
run: build db-start
	./bin/youthhub migrate up
	./bin/youthhub seed
	@echo "youthhub is on http://localhost:$(PORT)  (Ctrl-C to stop; 'make db-stop' stops PostgreSQL)"
	PORT=$(PORT) ./bin/youthhub serve

## test: every test — Go (real PostgreSQL), OpenAPI contract, frontend, end to end
test: build db-start go-test frontend-test e2e
	@echo "make test: all suites passed"

go-test:
	@if [ -n "$(USE_PRIVATE_PG)" ]; then $(PG) drop-test-dbs; fi
	$(GO) test -race -count=1 -timeout 20m ./...

frontend-test: frontend/node_modules/.installed
	cd frontend && npm run check && npm test && npm run size

e2e: build db-start
	scripts/e2e.sh

## import-areas: load ONS areas (SCOPE=trafford, or england-wales for the national file)
import-areas: build db-start
	./bin/youthhub migrate up
	./bin/youthhub import-areas --scope $(or $(SCOPE),trafford) --data $(DEMO_DATA_DIR)

## lint: gofmt, go vet, staticcheck and the frontend type-check
lint: deps frontend
	@out=$$(gofmt -l cmd internal migrations frontend/*.go); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	cd frontend && npm run check

## bench: load tests and benchmarks; results in docs/benchmarks.md
bench: build db-start
	scripts/bench.sh

clean:
	rm -rf bin frontend/dist
