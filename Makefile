# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/buurtzorg
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

# `make run` is the local, embedded set-up: DEBUG on unless the environment says otherwise.
export DEBUG ?= true

.PHONY: run test sysdeps services migrate demo lint check-deploy clean

# Python environment: uv (installed into the venv from PyPI) resolves and installs the
# dependencies listed in pyproject.toml in seconds, from its cache on later runs.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv
	$(UV) pip install --quiet --python $(PY) -r pyproject.toml --extra dev
	touch $(STAMP)

# System libraries WeasyPrint needs (Pango). Installed only when missing and when root.
sysdeps:
	@./.ci/sysdeps

services:
	@./.ci/ensure-services

migrate: $(STAMP) sysdeps
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "Serving on http://127.0.0.1:8000 (demo logins in README.md)"
	$(PY) manage.py runserver 127.0.0.1:8000

# The browser tests need Debian's chromium: WITH_BROWSER=1 makes .ci/sysdeps install it.
test: export WITH_BROWSER := 1
test: $(STAMP) sysdeps services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
		$(PY) -m pytest --create-db -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-deploy: $(STAMP)
	DEBUG=false SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(64))') \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .test-media
