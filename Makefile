# One obvious command for each job. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/northshire

.PHONY: setup demo test lint format bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: setup
	@mkdir -p build
	$(BIN)/joinedup analyse $(EXAMPLE)/responses.csv \
		--relationships $(EXAMPLE)/relationships.csv \
		--organisations $(EXAMPLE)/organisations.csv
	$(BIN)/joinedup analyse $(EXAMPLE)/responses.csv \
		--relationships $(EXAMPLE)/relationships.csv \
		--organisations $(EXAMPLE)/organisations.csv --json build/northshire-result.json

test: setup
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: setup
	$(BIN)/python bench/bench_analyse.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
