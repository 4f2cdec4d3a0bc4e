# The README's two commands: `make site` and `make test`. Each creates .venv and installs
# what it needs on a fresh machine; later runs reuse it.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: site test validate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Builds the site. Until the site issue lands this validates every edition and proves
# each published edition against its printed seed.
site: $(STAMP)
	$(VENV)/bin/guidebook validate
	$(VENV)/bin/guidebook check-source

validate: $(STAMP)
	$(VENV)/bin/guidebook validate

test: $(STAMP)
	$(VENV)/bin/python -m pytest

clean:
	rm -rf $(VENV) site .pytest_cache .hypothesis
