# Mesa CS. Quick start: `make run`; the whole suite: `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format check-migrations db-stop clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: install
	$(BIN)/python -m mesa_cs.launcher run

# TEST_ARGS passes options to pytest, e.g. make test TEST_ARGS="tests/staffing -x".
TEST_ARGS ?= -n 2
test: install
	$(BIN)/python -m mesa_cs.launcher test $(TEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install
	@# makemigrations --check needs a database connection for its consistency check
	$(BIN)/python -m mesa_cs.launcher manage makemigrations --check --dry-run

db-stop: install
	$(BIN)/python -m mesa_cs.launcher db-stop

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
