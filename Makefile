# Two commands on a fresh machine: `make demo` and `make test`.
# Another Python: make test PYTHON=python3.12 VENV=.venv-3.12
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test workers (pytest-xdist): one per core; XDIST=0 runs in one process.
XDIST ?= auto

.PHONY: demo test test-fast bench lint typecheck man clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/facilitate demo

# The whole suite, timed: the parts that do not drive the app on one worker per core, then
# the app, terminal and tmux tests in one process (they wait on rendering; see tests/conftest.py).
test: $(STAMP)
	@start=$$(date +%s); \
	$(BIN)/python -m pytest -q -n $(XDIST) -m "not serial" $(PYTEST_ARGS) && \
	$(BIN)/python -m pytest -q -p no:xdist -m serial $(PYTEST_ARGS); \
	status=$$?; echo "make test: $$(( $$(date +%s) - start )) s"; exit $$status

# Everyday work: leaves out the slow crash/concurrency loops, the wheel install and tmux.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -n $(XDIST) -m "not serial and not slow" $(PYTEST_ARGS) && \
	$(BIN)/python -m pytest -q -p no:xdist -m "serial and not slow and not e2e" $(PYTEST_ARGS)

# Speed targets (BENCHMARKS.md); e.g. make bench BENCH_ARGS=--quick
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)  # mypy on src/ and tests/ (the files in pyproject.toml [tool.mypy])
	$(BIN)/mypy

# The manual page, generated from the command line's parser (tests check it is up to date).
man: $(STAMP)
	$(BIN)/python scripts/make_manpage.py

clean:
	rm -rf $(VENV) .venv-3.* build dist .pytest_cache .mypy_cache .ruff_cache
