# The README's two commands: `make site` and `make test`. Each creates .venv and installs
# what it needs on a fresh machine; later runs reuse it.
PYTHON ?= python3
VENV := .venv
# Two stamps: `make site` installs only what building needs; `make test` adds the test tools.
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: site serve test check validate bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

# Builds the site into site/: validates every edition, proves each against its printed
# seed, then renders and builds both languages (all or nothing).
site: $(STAMP)
	$(VENV)/bin/guidebook validate
	$(VENV)/bin/guidebook check-source
	$(VENV)/bin/guidebook build --quiet

serve: $(STAMP)
	$(VENV)/bin/guidebook serve

validate: $(STAMP)
	$(VENV)/bin/guidebook validate

# axe-core for the accessibility checks of the browser tests (package.json pins it).
node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	touch $@

# Two workers, each given a whole test module at a time, the longest modules first (the order is
# tests/conftest.py's: what each module took last time).
PYTEST := $(VENV)/bin/python -m pytest -n 2 --dist loadscope --no-loadscope-reorder

# Lint and type checks first (seconds), then the whole suite on two workers (pyproject.toml
# configures all three). What CI runs (.ci/run).
test: $(TEST_STAMP) node_modules/axe-core/axe.min.js
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PYTEST)

# The edit loop (about 15 s): lint, types and the tests that build no site, start no browser or
# server and run no process (tests/conftest.py marks the others `slow`). `make test` before a push.
check: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PYTEST) -q -m "not slow"

# Prints the benchmark figures (diff time of the real editions, growth with size…).
bench: $(STAMP)
	$(VENV)/bin/python scripts/benchmark.py

clean:
	rm -rf $(VENV) site node_modules .pytest_cache .hypothesis
