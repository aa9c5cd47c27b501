# The user-facing commands. Everything runs through uv from the repository root.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := python3 -m uv
endif
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON ?= 3.11
export NEWSREC_DATA_DIR ?= $(CURDIR)/data

SCALE ?= 1
PACKAGES := ingestion transform orchestration

.PHONY: help uv sync lint format test sample ingest manifest demo dev materialize bench clean

help:  ## list the commands
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

uv:  ## install uv with pip if it is missing
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

sync: uv  ## install the whole workspace from uv.lock
	$(UV) sync --all-packages --frozen

lint: sync  ## ruff check and ruff format --check
	$(UV) run ruff check .
	$(UV) run ruff format --check .

format: sync  ## apply ruff's fixes and formatting
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

test: lint  ## the whole test suite (what CI runs)
	@set -e; for p in $(PACKAGES); do \
		if ls packages/$$p/tests/test_*.py >/dev/null 2>&1; then \
			echo "== $$p"; $(UV) run --package $$p pytest packages/$$p -q; \
		fi; \
	done
	@if ls tests/test_*.py >/dev/null 2>&1; then echo "== workspace"; $(UV) run pytest tests -q; fi

ingest: sync  ## land every publisher's downloads in the lake, without Dagster
	$(UV) run --package ingestion newsrec-ingest

clean:  ## remove the lake, the warehouse and dlt's working files (downloads are kept)
	rm -rf "$(NEWSREC_DATA_DIR)/lake" "$(NEWSREC_DATA_DIR)/.dlt" "$(NEWSREC_DATA_DIR)/warehouse.duckdb"
