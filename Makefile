# Quick start: `make run` then `make test`. Both create .venv and install what they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $@

# The main job on the bundled (illustrative) sample corpus: a table of events, a summary,
# and the store dyad.duckdb.
run: $(STAMP)
	$(BIN)/dyad code sample --date 2024-10-14 --db dyad.duckdb

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

# The dashboard's tests drive Debian's Chromium (never `playwright install`): CI runs as root
# on a fresh machine, so the test target installs it when it is missing.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update && apt-get install -y chromium

# Screenshots of the browser tests land in test-artifacts/.
test: lint $(CHROMIUM)
	DYAD_TEST_ARTIFACTS=test-artifacts $(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/dyad eval

bench: $(STAMP)
	$(BIN)/dyad bench

clean:
	rm -rf $(VENV) dyad.duckdb dyad.duckdb.wal dyad.duckdb.view
