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

test: lint
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/dyad eval

bench: $(STAMP)
	$(BIN)/dyad bench

clean:
	rm -rf $(VENV) dyad.duckdb dyad.duckdb.wal
