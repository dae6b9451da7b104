# Newsdesk annotator. `make run` and `make test` work from a clean clone.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Django 6 needs Python 3.12 or newer; take the first one found.
PYTHON ?= $(shell for p in python3.12 python3.13 /root/.pyenv/versions/3.12.*/bin/python3.12 /root/.pyenv/versions/3.13.*/bin/python3.13 python3; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$p; break; fi; done)
CHROMIUM := /usr/bin/chromium
DATABASE_URL_PG ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: run test test-postgres test-js lint install install-dev browser node screenshots bench clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (Django 6)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian's Chromium for the browser tests; Playwright drives it, never downloads its own.
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

# Node runs the page's unit tests (node --test) and installs axe-core, which the browser tests
# inject into every page; Debian's nodejs and npm, installed like the browser.
node:
	@command -v node >/dev/null && command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; fi; }

node_modules/.installed: package.json package-lock.json | node
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test-js: node
	node --test tests/js/*.test.js

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: install-dev browser node_modules/.installed test-js
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

test-postgres: install-dev browser node_modules/.installed
	DATABASE_URL=$${DATABASE_URL:-$(DATABASE_URL_PG)} $(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

screenshots: install-dev browser
	$(PY) bench/screenshots.py

bench: install-dev browser node_modules/.installed
	$(PY) bench/bench_exports.py
	$(PY) bench/bench_page.py
	$(PY) bench/bench_suggest.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules
