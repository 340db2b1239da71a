# Everything runs from a project-local virtual environment that the first
# target creates, so a fresh clone needs only Python 3.10+, git and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Material 9.8 prints an end-of-life notice on every run; mkdocs.yml turns it
# off for `mkdocs` run any way (msp_handbook/quiet_material.py), this for the rest.
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build test lint bench schemas clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "msp-handbook needs Python 3.10 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# Warnings (a broken link, say) are printed but do not freeze the preview;
# `make build` and CI are strict. Another port: `make serve PORT=8001`;
# another address (reachable from other machines): `make serve ADDR=0.0.0.0:8000`.
# `make serve PARTNERSHIP=slug` loads and builds only that partnership, with
# the guide and practices: on a large handbook a saved edit shows at once.
PORT ?= 8000
ADDR ?= 127.0.0.1:$(PORT)
serve: setup
	MSP_PREVIEW_PARTNERSHIP="$(PARTNERSHIP)" $(BIN)/mkdocs serve --dev-addr $(ADDR)

# The plugin builds beside site/ and swaps the result in only when the build
# succeeded, so a failed or strict-aborted build never touches site/.
build: setup
	$(BIN)/mkdocs build --strict
	@echo "Site written to site/"

# One process per core; whole files go to one process (--dist loadfile), so a
# file's shared set-up (a browser, the broken-input builds) is made once; the
# longest files first (tests/conftest.py's RUN_FIRST, kept by --no-loadscope-reorder).
# Bytecode is written even where PYTHONDONTWRITEBYTECODE is set (some shared
# machines set it): else every process of the run (pytest's workers, each
# command a test runs) compiles the plugin and rewrites the test modules anew.
test: setup
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

# ruff, configured in pyproject.toml; CI runs it next to the tests.
lint: $(STAMP)
	$(BIN)/ruff check .

# What the plugin costs over plain MkDocs at 10, 100 and 500 partnerships, and
# how soon a saved edit shows under `mkdocs serve` (not part of `make test`).
# `make bench N=100` runs one size. Last line: every figure as JSON.
bench: setup
	$(BIN)/python tests/benchmarks/bench.py $(if $(N),--sizes $(N))

# Regenerate the JSON Schemas shipped for editors after changing the model/ package
# (a test fails while they are out of date).
schemas: setup
	$(BIN)/python -m msp_handbook.schema

clean:
	rm -rf site .site-building .site-previous $(VENV)
