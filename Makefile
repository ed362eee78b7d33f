# The way in: `make run` starts the app on its embedded default, `make test` runs the tests.
# Both build .venv from nothing with only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test test-network check bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Bytecode is compiled at setup, as installing a wheel would: with PYTHONDONTWRITEBYTECODE set, every
# start would otherwise compile the package from source (about 40 ms of the first screen).
$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q labs_tui
	touch $@

$(STAMP_TEST): pyproject.toml constraints-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]' -c constraints-dev.txt
	$(BIN)/python -m compileall -q labs_tui
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/labs-tui $(ARGS)

# Tests that need a package registry are deselected here (pyproject's addopts) and run by test-network.
test: $(STAMP_TEST)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

test-network: $(STAMP_TEST)
	$(BIN)/python -m pytest -q -m network $(PYTEST_ARGS)

check: $(STAMP_TEST)
	$(BIN)/ruff format --check labs_tui tests benchmarks tools
	$(BIN)/ruff check labs_tui tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP_TEST)
	@failed=""; for f in benchmarks/[!_]*.py; do echo "== $$f"; $(BIN)/python $$f || failed="$$failed $$f"; done; \
	if [ -n "$$failed" ]; then echo "targets missed in:$$failed"; exit 1; fi

screenshots: $(STAMP_TEST)
	$(BIN)/python -m tools.screenshots screenshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
