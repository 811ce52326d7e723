# The two set-up commands of the README: `make demo` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-slow lint bench bench-quick bench-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/reelscale demo

# Test files are spread over the cores (pytest-xdist); `pytest FILE` alone runs in one process.
PYTEST := $(BIN)/python -m pytest -n auto --dist loadfile

test: $(VENV)/.installed
	tools/system-packages chromium valgrind
	$(PYTEST)

# The slow cases (valgrind, memray, fault and crash trials, 100k-movie lists); CI runs them too.
test-slow: $(VENV)/.installed
	tools/system-packages chromium valgrind
	$(PYTEST) -m slow

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

bench: $(VENV)/.installed
	tools/system-packages valgrind
	$(BIN)/reelscale bench run

bench-quick: $(VENV)/.installed
	$(BIN)/reelscale bench run --quick

bench-check: $(VENV)/.installed
	tools/system-packages valgrind
	$(BIN)/reelscale bench check --quick

clean:
	rm -rf $(VENV) .bench-work .asv demo .pytest_cache .hypothesis
