# One obvious command for each job. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/northshire

STATIC := src/joinedup/site/static

.PHONY: setup frontend demo demo-cli test lint format bench bench-load clean

setup: $(VENV)/.installed frontend

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# GOV.UK Frontend (and axe-core for the browser tests) from npm; Node is not needed at run time.
frontend: $(STATIC)/joinedup.css

$(STATIC)/joinedup.css: package.json package-lock.json src/joinedup/site/scss/joinedup.scss $(VENV)/.installed
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python src/joinedup/site/frontend.py

# The web app on SQLite with a demo partnership, at http://127.0.0.1:8000/
DEMO_PORT ?= 8000
demo: setup
	$(BIN)/joinedup demo --port $(DEMO_PORT)

# The command line on the bundled example partnership.
demo-cli: setup
	@mkdir -p build
	$(BIN)/joinedup analyse $(EXAMPLE)/responses.csv \
		--relationships $(EXAMPLE)/relationships.csv \
		--organisations $(EXAMPLE)/organisations.csv
	$(BIN)/joinedup analyse $(EXAMPLE)/responses.csv \
		--relationships $(EXAMPLE)/relationships.csv \
		--organisations $(EXAMPLE)/organisations.csv --json build/northshire-result.json

# Everything on SQLite; then, when DATABASE_URL names a PostgreSQL database (as
# in CI), the web tests again on it.
test: setup
	env -u DATABASE_URL -u REDIS_URL $(BIN)/pytest
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "Web tests again, on $$DATABASE_URL$${REDIS_URL:+ with Redis at $$REDIS_URL}"; \
		$(BIN)/pytest tests/web tests/browser tests/test_concurrent_answers.py; \
	fi

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: setup
	$(BIN)/python bench/bench_analyse.py
	$(BIN)/python bench/bench_reports.py
	env -u DATABASE_URL $(BIN)/python bench/bench_web.py

# Survey pages under load (locust, headless, loopback only) against a bare
# Django view, on PostgreSQL (BENCH_DATABASE_URL; a database of its own).
# BENCH_SECONDS (default 15) per level; see bench/bench_load.py for the rest.
# BENCH_PARTS=invitations runs only the invitations part (bench/load/invitations.py).
bench-load: setup
	$(BIN)/python bench/bench_load.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
