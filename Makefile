# Mue: `make run` sets everything up and starts the app; `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench install messages clean vendor screenshots

$(STAMP): pyproject.toml setup.py src/mue/discovery/_logscan.c
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

# Refresh the vendored front-end files from the npm registry (see src/mue/web/static/vendor/README.md):
# newest Tabler 1.x, htmx 2.x (django-htmx targets 2), Tom Select 2.x, Apache ECharts 6.x and
# Swagger UI 5.x (the API's documentation page); only the built files used.
VENDOR := src/mue/web/static/vendor
VENDOR_TMP ?= /tmp/mue-vendor
vendor:
	rm -rf $(VENDOR_TMP) && mkdir -p $(VENDOR_TMP)
	cd $(VENDOR_TMP) && echo '{"private": true}' > package.json && npm install --no-audit --no-fund --ignore-scripts --omit=optional "@tabler/core@^1" "htmx.org@^2" "tom-select@^2" "echarts@^6" "swagger-ui-dist@^5"
	mkdir -p $(VENDOR)/swagger-ui $(VENDOR)/tabler/css $(VENDOR)/tabler/js $(VENDOR)/htmx $(VENDOR)/tom-select/css $(VENDOR)/tom-select/js $(VENDOR)/echarts
	N=$(VENDOR_TMP)/node_modules; \
	cp $$N/@tabler/core/dist/css/tabler.min.css $(VENDOR)/tabler/css/ && \
	cp $$N/@tabler/core/dist/js/tabler.min.js $(VENDOR)/tabler/js/ && \
	cp $$N/@popperjs/core/LICENSE.md $(VENDOR)/tabler/LICENSE.popper && \
	cp $$N/htmx.org/dist/htmx.min.js $$N/htmx.org/LICENSE $(VENDOR)/htmx/ && \
	cp $$N/tom-select/dist/css/tom-select.bootstrap5.min.css $(VENDOR)/tom-select/css/ && \
	cp $$N/tom-select/dist/js/tom-select.complete.min.js $(VENDOR)/tom-select/js/ && \
	cp $$N/tom-select/LICENSE $(VENDOR)/tom-select/ && \
	cp $$N/echarts/dist/echarts.min.js $$N/echarts/LICENSE $$N/echarts/NOTICE $(VENDOR)/echarts/ && \
	cp $$N/echarts/licenses/LICENSE-d3 $(VENDOR)/echarts/LICENSE.d3 && \
	cp $$N/zrender/LICENSE $(VENDOR)/echarts/LICENSE.zrender && \
	cp $$N/swagger-ui-dist/swagger-ui-bundle.js $$N/swagger-ui-dist/swagger-ui.css $$N/swagger-ui-dist/LICENSE \
	   $$N/swagger-ui-dist/NOTICE $(VENDOR)/swagger-ui/
	sed -i -e '/sourceMappingURL=/d' $(VENDOR)/swagger-ui/*.js $(VENDOR)/swagger-ui/*.css
	sed -i -e '/sourceMappingURL=/d' $(VENDOR)/*/css/*.css $(VENDOR)/*/js/*.js $(VENDOR)/echarts/*.js
	cd $(VENDOR_TMP) && npm ls --depth=0
	@echo "Now update the versions in $(VENDOR)/README.md."

# Full-page screenshots of the main pages in French, into docs/screenshots/ (needs /usr/bin/chromium).
screenshots: install
	$(BIN)/python tests/browser/screenshots.py

clean:
	rm -rf $(VENV) var
