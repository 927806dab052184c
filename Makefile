# newsdb: `make demo` sets up and imports the example corpus; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.sqlite

.PHONY: setup demo test lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: setup
	$(BIN)/newsdb --db $(DEMO_DB) import examples/
	$(BIN)/newsdb --db $(DEMO_DB) stats
	$(BIN)/newsdb --db $(DEMO_DB) articles

lint: setup
	$(BIN)/ruff check newsdb tests scripts alembic
	$(BIN)/ruff format --check newsdb tests scripts alembic
	$(BIN)/mypy

test: setup
	$(BIN)/ruff check newsdb tests scripts alembic
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
