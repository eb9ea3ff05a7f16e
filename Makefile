# The one entry point for people and CI. On a fresh machine `make run` and `make test` install
# everything they need: a virtualenv from requirements.lock, front-end packages from
# package-lock.json, a private PostgreSQL (pgserver) when DATABASE_URL is unset, and a
# serverless broker when REDIS_URL is unset.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: install run test e2e bench lint format migrations-check stop clean

$(PY_STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(PY_STAMP) $(NODE_STAMP)

run: install
	$(PY) -m nastavnik.run

test: install
	$(PY) -m pytest

e2e: install
	@command -v chromium >/dev/null 2>&1 || bash scripts/install-chromium.sh
	$(PY) -m pytest tests/e2e -m e2e -p no:cacheprovider --tb=short

bench: install
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

stop:
	-$(PY) -m nastavnik.localdb stop

clean: stop
	rm -rf .data staticfiles
