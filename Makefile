# newsdb: `make demo` sets up and imports the example corpus; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.sqlite

.PHONY: setup compile demo test lint clean

setup: $(VENV)/.installed

# setup.py compiles the workers' hot modules with mypyc when a C compiler is found
# (NEWSDB_COMPILE=0 to skip; 1-3.5 minutes on 2 cores). An edited module runs from its
# source until `make compile` builds it again (newsdb/_compiled.py).
$(VENV)/.installed: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

compile: setup
	$(BIN)/python -m pip install --quiet --no-deps -e .

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
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm build newsdb__mypyc*.so
	find newsdb -name '*.so' -delete
	rm -f newsdb/_compiled_sources.txt
