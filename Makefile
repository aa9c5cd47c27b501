# The user-facing commands. Everything runs through uv from the repository root.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := python3 -m uv
endif
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON ?= 3.11
# compiled at install: imports (Dagster, dbt-core, dlt) take half as long, even where
# PYTHONDONTWRITEBYTECODE keeps Python from caching them itself
export UV_COMPILE_BYTECODE := 1
export NEWSREC_DATA_DIR ?= $(CURDIR)/data

SCALE ?= 1
SEED ?= 0
HOST ?= 127.0.0.1
PORT ?= 3000
PACKAGES := ingestion sample transform orchestration report research
DBT_PROJECT := packages/transform/src/transform/dbt

.PHONY: help uv sync lint format test sample download ingest manifest demo dev materialize assets dbt report query docs bench clean

help:  ## list the commands
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

uv:  ## install uv with pip if it is missing
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

sync: uv  ## install the whole workspace from uv.lock
	$(UV) sync --all-packages --frozen

lint: sync  ## ruff check, ruff format --check and sqlfluff on the dbt models
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	cd $(DBT_PROJECT) && $(UV) run sqlfluff lint models

format: sync  ## apply ruff's and sqlfluff's fixes and formatting
	$(UV) run ruff check --fix .
	$(UV) run ruff format .
	cd $(DBT_PROJECT) && $(UV) run sqlfluff fix models

test: lint  ## the whole test suite (what CI runs)
	@set -e; for p in $(PACKAGES); do \
		if ls packages/$$p/tests/test_*.py >/dev/null 2>&1; then \
			echo "== $$p"; $(UV) run --package $$p pytest packages/$$p -q; \
		fi; \
	done
	@if ls tests/test_*.py >/dev/null 2>&1; then echo "== workspace"; $(UV) run pytest tests -q; fi

demo: manifest  ## sample data if raw-download/ is empty, then the whole graph through Dagster
	@if [ -d "$(NEWSREC_DATA_DIR)" ] && [ -z "$$(find "$(NEWSREC_DATA_DIR)/raw-download" -type f ! -name .gitkeep 2>/dev/null)" ]; then \
		$(UV) run --package sample newsrec-sample --scale $(SCALE); \
	fi
	$(UV) run --package orchestration python -m orchestration demo

sample: sync  ## write generated downloads for all three publishers (SCALE=1; SEED=0)
	$(UV) run --package sample newsrec-sample --scale $(SCALE) --seed $(SEED)

download: sync  ## fetch real releases: DATASET="mind-small-train ..." ARGS=--accept-license (URL=<link>)
	$(UV) run --package ingestion newsrec-download $(or $(DATASET),list) $(if $(URL),--url '$(URL)') $(ARGS)

ingest: sync  ## land every publisher's downloads in the lake, without Dagster
	$(UV) run --package ingestion newsrec-ingest

manifest: sync  ## parse the dbt project once; the code location loads this manifest
	$(UV) run --package orchestration python -m orchestration manifest

dev: manifest  ## the Dagster UI on http://127.0.0.1:3000, on the data directory's own instance
	@home="$$($(UV) run --package orchestration python -m orchestration instance)" && \
		echo "Dagster instance: $$home" && \
		exec env DAGSTER_HOME="$$home" $(UV) run --package orchestration \
			dagster dev -w workspace.yaml -h $(HOST) -p $(PORT)

materialize: manifest  ## materialise SELECT=<asset> and everything it is built from
	@test -n "$(SELECT)" || { echo "usage: make materialize SELECT=<asset key, e.g. fct_impressions>"; exit 2; }
	$(UV) run --package orchestration python -m orchestration materialize $(SELECT)

assets: manifest  ## list every asset key, by group (what SELECT= takes)
	$(UV) run --package orchestration python -m orchestration assets

dbt: sync  ## dbt on its own: make dbt ARGS="build --select staging"
	cd $(DBT_PROJECT) && $(UV) run --package transform dbt $(or $(ARGS),build)

report: sync  ## the editorial report: an HTML page of charts per publisher in data/reports/
	$(UV) run --package report newsrec-report

query: uv  ## a query against the warehouse, read-only: make query SQL="select ..."
	@test -n "$$SQL" || { echo 'usage: make query SQL="select * from marts.dim_users limit 5"'; exit 2; }
	@$(UV) run --quiet --package orchestration newsrec-sql "$$SQL"

docs: sync  ## dbt docs for the data directory, served on http://127.0.0.1:8080 (PORT=...)
	$(UV) run --package orchestration python -m orchestration docs --port $(or $(PORT),8080)

bench: sync  ## the benchmark, every stage against the DuckDB floor (SCALE=100 unless given)
	$(UV) run --package orchestration python bench/run.py \
		--scale $(if $(filter command line environment,$(origin SCALE)),$(SCALE),100)

clean:  ## remove the lake, the warehouse, dlt's and dbt's working files (downloads are kept)
	rm -rf "$(NEWSREC_DATA_DIR)/lake" "$(NEWSREC_DATA_DIR)/.dlt" "$(NEWSREC_DATA_DIR)/warehouse.duckdb" \
		"$(NEWSREC_DATA_DIR)/warehouse.duckdb.wal" "$(NEWSREC_DATA_DIR)/warehouse.duckdb.tmp" \
		"$(NEWSREC_DATA_DIR)/dbt" "$(NEWSREC_DATA_DIR)/.build" $(DBT_PROJECT)/target $(DBT_PROJECT)/logs
