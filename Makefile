# Mue: `make run` sets everything up and starts the app; `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench install messages clean

$(STAMP): pyproject.toml setup.py src/mue/discovery/_squidscan.c
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/mue i18n compile

run: install
	$(BIN)/mue setup
	$(BIN)/mue serve --host $(HOST) --port $(PORT)

PG_URL ?= postgres://postgres@127.0.0.1:5432/test

test: install
	@echo "== test suite on SQLite =="
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 tests
	@echo "== test suite on PostgreSQL ($(PG_URL)) =="
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -p no:cacheprovider -n 2 -rs tests

lint: install
	$(BIN)/ruff check src tests benchmarks

bench: install
	$(BIN)/python -m benchmarks

# Regenerate the French and English catalogues from the marked strings (needs GNU gettext); then
# translate the new French entries and run tests/test_i18n.py (see docs/translation.md).
messages: install
	cd src/mue && DJANGO_SETTINGS_MODULE=mue.settings ../../$(BIN)/django-admin makemessages -l fr -l en --no-obsolete -i "demo/*"

clean:
	rm -rf $(VENV) var
