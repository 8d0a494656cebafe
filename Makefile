# The two commands of the README: `make demo` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup demo test lint format bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@scripts/check-system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

demo: setup  ## set up, ingest the bundled seeds/ and write a briefing into reports/
	$(BIN)/briefing generate --as-of 2022-02-18
	@echo "Open reports/latest.html or reports/latest.pdf"

test: setup  ## set up, lint, type-check (mypy --strict on briefing/) and run the test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .briefing reports/20* reports/latest.* reports/live.html reports/index.html
