# Rapport: `make run` starts everything, `make test` checks everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FRONT := frontend
NODE_STAMP := $(FRONT)/node_modules/.installed
SPA := $(FRONT)/dist/index.html
SPA_SOURCES := $(shell find $(FRONT)/src $(FRONT)/public -type f 2>/dev/null) \
	$(wildcard $(FRONT)/index.html $(FRONT)/vite.config.ts $(FRONT)/package.json $(FRONT)/tsconfig*.json)

.DEFAULT_GOAL := help
.PHONY: help run dev test reliability test-backend test-frontend lint fmt typecheck openapi check-openapi install spa clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/pip || $(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

install: $(STAMP) $(NODE_STAMP) ## create the virtualenv and install Python and npm packages

$(NODE_STAMP): $(FRONT)/package.json $(FRONT)/package-lock.json
	cd $(FRONT) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(SPA): $(NODE_STAMP) $(SPA_SOURCES)
	cd $(FRONT) && npm run build
	@touch $@

spa: $(SPA) ## build the SPA (skipped when up to date)

run: $(STAMP) $(SPA) ## start PostgreSQL, migrate, create the demo, serve API + SPA + worker
	$(BIN)/rapport up

dev: $(STAMP) $(NODE_STAMP) ## API on :8000 plus Vite with hot reload on :5173
	trap 'kill 0' EXIT; $(BIN)/rapport up & (cd $(FRONT) && npm run dev)

openapi: $(STAMP) $(NODE_STAMP) ## export openapi/openapi.json and regenerate the TypeScript client
	$(BIN)/rapport openapi
	cd $(FRONT) && npm run gen:api

check-openapi: $(STAMP) $(NODE_STAMP)
	$(BIN)/rapport openapi --check
	cd $(FRONT) && npm run check:api

fmt: $(STAMP) ## format Python code
	$(BIN)/ruff format app tests migrations
	$(BIN)/ruff check --fix app tests migrations

lint: $(STAMP) $(NODE_STAMP) ## ruff, mypy, eslint, tsc
	$(BIN)/ruff check app tests migrations
	$(BIN)/ruff format --check app tests migrations
	$(BIN)/mypy
	cd $(FRONT) && npm run lint && npm run typecheck

test-frontend: $(NODE_STAMP)
	cd $(FRONT) && npm test

test-backend: $(STAMP) $(SPA) ## pytest: backend, contract and browser tests
	$(BIN)/pytest

test: $(STAMP) $(SPA) lint check-openapi test-frontend test-backend ## every check and test

reliability: $(STAMP) $(SPA) ## the long reliability tests (large imports, kill -9 during an import, 10-minute soak)
	$(BIN)/pytest -m reliability

clean: ## remove build output (keeps the database)
	rm -rf $(FRONT)/dist $(VENV) $(FRONT)/node_modules

BENCH_SCALE ?= M
.PHONY: bench bench-seed

bench-seed: $(STAMP) ## load the benchmark data set into rapport_bench (BENCH_SCALE=S|M|L, default M)
	$(BIN)/python -m tests.perf.seed --scale $(BENCH_SCALE)

bench: $(STAMP) ## benchmark the API at BENCH_SCALE (seeds when missing); writes docs/performance.md
	$(BIN)/python -m tests.perf.bench --scale $(BENCH_SCALE)
