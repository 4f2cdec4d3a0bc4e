# The README's two commands: `make site` and `make test`. Each creates .venv and installs
# what it needs on a fresh machine; later runs reuse it.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: site serve test validate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

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

test: $(STAMP) node_modules/axe-core/axe.min.js
	$(VENV)/bin/python -m pytest

# Prints the benchmark figures (diff time of the real editions, growth with size…).
bench: $(STAMP)
	$(VENV)/bin/python scripts/benchmark.py

clean:
	rm -rf $(VENV) site node_modules .pytest_cache .hypothesis
