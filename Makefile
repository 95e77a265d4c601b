# Two commands: `make demo` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The suite runs on this many processes (pytest-xdist; 0: one process, as `pytest` alone runs it).
TEST_WORKERS ?= 2
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)

.PHONY: install demo test test-e2e lint format clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# XStatic-Bootstrap builds with pkg_resources, which setuptools 81 removed: build with an older one.
	$(BIN)/python -m pip install -q "setuptools>=69,<81" wheel
	$(BIN)/python -m pip install -q --no-build-isolation -c requirements.lock -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

demo: install
	DEBUG=1 $(BIN)/parindex demo

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

test-e2e: install
	$(BIN)/python -m pytest -m e2e e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
