# A thin veneer over the package scripts in package.json, which stay the source of truth.
# Every target runs with the project's own Node (installed into .toolchain/ when the
# machine's Node is older than 22) and pnpm.

SHELL := /bin/bash
.DEFAULT_GOAL := help
TOOLCHAIN := $(CURDIR)/.toolchain/bin
export PATH := $(TOOLCHAIN):$(PATH)

.PHONY: help env toolchain install build lint format test test-cluster up down dev demo demo-segments sandbox bench bench-segments bench-history bench-isolation bench-dry-run bench-runners bench-latency clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

env: toolchain ## print the shell line that puts this project's Node and pnpm on PATH: eval "$$(make -s env)"
	@echo 'export PATH="$(TOOLCHAIN):$$PATH"'

toolchain:
	@bash deploy/local/toolchain.sh

node_modules/.modules.yaml: pnpm-lock.yaml package.json | toolchain
	@echo "[install] pnpm install (frozen lockfile)"
	@pnpm install --frozen-lockfile --reporter=append-only
	@touch $@

install: toolchain node_modules/.modules.yaml ## install the toolchain and dependencies

build: install ## compile every package and service
	@pnpm run build

lint: install ## formatting (prettier --check), eslint and the type checker
	@pnpm run lint

format: install ## reformat the code with prettier
	@pnpm run format

test: install ## unit, integration, end-to-end and browser tests; starts and stops Kafka itself
	@bash deploy/local/chromium.sh
	@pnpm run test

test-cluster: install ## a three-node Kafka cluster: one broker SIGKILLed mid-run, nothing lost or doubled (about 2 min)
	@pnpm run test:cluster

up: install ## start Kafka and PostgreSQL and apply migrations (left running)
	@pnpm run infra:up

down: toolchain ## stop the local Kafka broker
	@pnpm run infra:down

dev: install ## run the whole system locally (Ctrl-C stops it)
	@pnpm run dev

demo: install ## while make dev runs: launch the example canvas and send events
	@pnpm run demo

demo-segments: install ## while make dev runs: a past-behaviour segment, its estimate, a following audience that shrinks
	@pnpm run demo:segments

sandbox: install ## run the Graph API sandbox alone on 127.0.0.1:8090
	@pnpm run build && pnpm run sandbox

bench: install ## benchmarks; writes bench/results/
	@pnpm run bench

bench-segments: install ## only the segment estimate and run (BENCH_SEGMENT_USERS, default 1,000,000)
	@pnpm run bench:segments

bench-history: install ## only what behaviour history costs the engine, in alternating pairs, and the write ceiling
	@pnpm run bench:history

bench-isolation: install ## one workspace's ten exact estimates against another's canvas list (BENCH_ISOLATION_USERS, default 300,000)
	@pnpm run bench:isolation

bench-dry-run: install ## only the dry run of a two-branch canvas over the history (BENCH_DRY_RUN_USERS, default 1,000,000; 10 events each; BENCH_REUSE_DB=1 keeps the seeded database for the next run)
	@pnpm run bench:dry-run

bench-latency: install ## the latency setup's sustained rate (runner + sync processes), then produce → Meta at three quarters of it
	@pnpm run bench:latency

bench-runners: install ## 1, 2 and 3 runner processes on one six-partition topic (BENCH_RUNNER_EVENTS, default 200,000)
	@pnpm run bench:runners

clean: ## remove build output (keeps the toolchain and the broker data)
	@rm -rf packages/*/dist services/*/dist bench/dist
