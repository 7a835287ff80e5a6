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

.PHONY: backup backup-key restore run test sysdeps services migrate demo messages compilemessages lint typecheck check-deploy clean bench loadtest pagecost

# Python environment: uv (installed into the venv from PyPI) resolves and installs the
# dependencies listed in pyproject.toml in seconds, from its cache on later runs. It compiles
# the bytecode at install time: uv does not by default, and where PYTHONDONTWRITEBYTECODE is
# set (as on our CI machine) every process would otherwise compile Django, WeasyPrint and
# fontTools from source on each start (about 2 s of every PDF job and worker start).
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv
	$(UV) pip install --quiet --compile-bytecode --python $(PY) -r pyproject.toml --extra dev
	touch $(STAMP)

# System libraries WeasyPrint needs (Pango). Installed only when missing and when root.
sysdeps:
	@./.ci/sysdeps

services:
	@./.ci/ensure-services

# Translations: the .po catalogues in locale/ are the source; the .mo files Django reads are
# compiled from them on every run and test (not committed). Only our own locale/ is compiled.
compilemessages: $(STAMP) sysdeps
	cd locale && DATABASE_URL=sqlite://:memory: REDIS_URL= ../$(PY) ../manage.py compilemessages -v0

# Updates locale/nl from the marked strings (templates, Python, static/js); then translate the
# new entries in locale/nl/LC_MESSAGES/*.po. tests/i18n fails while an entry is empty or fuzzy.
MESSAGES_IGNORE := --ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles \
	--ignore=static/js/htmx.min.js --ignore=node_modules
messages: $(STAMP)
	DATABASE_URL=sqlite://:memory: REDIS_URL= $(PY) manage.py makemessages -l nl --no-obsolete \
		--add-location=file $(MESSAGES_IGNORE)
	DATABASE_URL=sqlite://:memory: REDIS_URL= $(PY) manage.py makemessages -d djangojs -l nl \
		--no-obsolete --add-location=file $(MESSAGES_IGNORE)

migrate: $(STAMP) sysdeps
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo compilemessages
	@echo "Serving on http://127.0.0.1:8000 (demo logins in README.md)"
	$(PY) manage.py runserver 127.0.0.1:8000

# The browser tests need Debian's chromium: WITH_BROWSER=1 makes .ci/sysdeps install it.
test: export WITH_BROWSER := 1
test: $(STAMP) sysdeps services compilemessages
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
		$(PY) -m pytest --create-db -q $(PYTEST_ARGS)

# Benchmarks (long; not part of `make test`): a fresh bz_bench database filled by
# `manage.py generate_scale`, then bench/run.py writes bench/results.md. BENCH_REGENERATE=0
# reuses the database when it holds generated teams (asked of the database, not of a file in
# this checkout: other worktrees share it).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bz_bench
BENCH_TEAMS ?= 1000
BENCH_REGENERATE ?= 1
BENCH_ENV := DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL= DJANGO_SETTINGS_MODULE=bench.settings

bench-data: $(STAMP) sysdeps services
	@set -o pipefail; \
	if [ "$(BENCH_REGENERATE)" = "1" ] || ! $(PY) -m bench.resetdb --has-data $(BENCH_DATABASE_URL); then \
		mkdir -p bench/data && \
		$(PY) -m bench.resetdb $(BENCH_DATABASE_URL) && \
		$(BENCH_ENV) $(PY) manage.py migrate --noinput -v0 && \
		$(BENCH_ENV) $(PY) manage.py generate_scale --teams $(BENCH_TEAMS) \
			| tee bench/data/generate.log; \
	fi

# The pages are measured with production settings (DEBUG off), whose static files storage reads
# the manifest that collectstatic writes: collect them first (a fresh clone has none). Reused
# data (BENCH_REGENERATE=0) is migrated first, so the bench measures the code of the day.
bench: bench-data
	$(BENCH_ENV) $(PY) manage.py migrate --noinput -v0
	$(BENCH_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(BENCH_ENV) $(PY) -m bench.run

# Load test: gunicorn on 127.0.0.1 serving the bench database, locust headless: the working
# day's mix (head counts x habits) for LOADTEST_TIME at each user count, then the 07:00 burst
# of logins. Writes bench/loadtest.md; exits non-zero on a failed request or no sustained count.
LOADTEST_USERS ?= 20,40,60,80
LOADTEST_TIME ?= 2m
LOADTEST_BURST_USERS ?= 60
LOADTEST_BURST_TIME ?= 1m
LOADTEST_SEARCH ?= 3
loadtest: BENCH_REGENERATE := 0
loadtest: bench-data
	$(BENCH_ENV) $(PY) manage.py migrate --noinput -v0
	$(BENCH_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(BENCH_ENV) LOADTEST_USERS=$(LOADTEST_USERS) LOADTEST_TIME=$(LOADTEST_TIME) \
		LOADTEST_BURST_USERS=$(LOADTEST_BURST_USERS) LOADTEST_BURST_TIME=$(LOADTEST_BURST_TIME) \
		LOADTEST_SEARCH=$(LOADTEST_SEARCH) \
		$(PY) -m bench.loadtest

# Page cost: one gunicorn worker (1 thread) serving a copy of the bench database, the nurse
# pages' CPU per request against a view that does no work. Writes bench/pagecost.md; exits
# non-zero when a nurse page costs more than PAGECOST_MAX_RATIO times the no-work view.
PAGECOST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bz_bench_pagecost
PAGECOST_REQUESTS ?= 200
# Needs the bench database (`make bench` makes it); never makes or resets it itself.
pagecost: $(STAMP) services
	$(BENCH_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(BENCH_ENV) PAGECOST_DATABASE_URL=$(PAGECOST_DATABASE_URL) \
		PAGECOST_REQUESTS=$(PAGECOST_REQUESTS) $(PY) -m bench.pagecost

# The habits CI holds (.ci/run runs `make lint` before `make test`; .pre-commit-config.yaml runs
# the same tools): ruff, the layer contracts in .importlinter (when the file exists), no
# model change without its migration, and nothing for `make messages` to add, remove or leave
# untranslated (.ci/check_messages.py runs it on a copy; gettext comes from sysdeps).
# makemigrations and makemessages need no server: they run on an in-memory SQLite database, so
# `make lint` works before PostgreSQL is up.
lint: $(STAMP) sysdeps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	@if [ -f .importlinter ]; then \
		echo "PYTHONPATH=. $(VENV)/bin/lint-imports"; PYTHONPATH=. $(VENV)/bin/lint-imports; \
	else echo "No .importlinter: layer contracts not checked"; fi
	DATABASE_URL=sqlite://:memory: REDIS_URL= DEBUG=true \
		$(PY) manage.py makemigrations --check --dry-run --verbosity 1
	$(PY) .ci/check_messages.py $(MESSAGES_IGNORE)

# mypy with django-stubs and drf-stubs over the app code ([tool.mypy] in pyproject.toml).
# Also part of `make lint` (the app code reports 0 errors); this runs it alone.
typecheck: $(STAMP)
	$(VENV)/bin/mypy

# `manage.py check --deploy` (0 warnings) in the web service's environment from
# docker-compose.yml: .env.example's values with its empty secrets generated for the run.
# CHECK_ENV_FILE=.env checks a real install's settings instead.
CHECK_ENV_FILE ?=
check-deploy: $(STAMP)
	$(PY) docker/compose_env.py check-deploy $(if $(CHECK_ENV_FILE),--env-file $(CHECK_ENV_FILE))

clean:
	rm -rf $(VENV) staticfiles .test-media

# Backups of the PostgreSQL database (see README "Backups"): pg_dump's custom format, encrypted
# on the way to disk with age (buurtzorg/backup.py), to BACKUP_RECIPIENT or BACKUP_KEY's public
# half; restore decrypts with BACKUP_KEY on the way into pg_restore. No plaintext dump is
# written, and a half-written backup never takes the final name.
BACKUP_DIR ?= backups
BACKUP_FILE ?= $(BACKUP_DIR)/buurtzorg-$(shell date -u +%Y%m%dT%H%M%SZ).dump.age
backup: $(STAMP)
	@test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL (PostgreSQL) to back up" >&2; exit 1; }
	@test -n "$$BACKUP_KEY$$BACKUP_RECIPIENT" || { echo "Set BACKUP_KEY or BACKUP_RECIPIENT (make backup-key)" >&2; exit 1; }
	@mkdir -p $(dir $(BACKUP_FILE))
	set -o pipefail; umask 077; \
		pg_dump --format=custom --no-owner "$(DATABASE_URL)" \
		| $(PY) -m buurtzorg.backup encrypt > "$(BACKUP_FILE).partial" \
		&& mv "$(BACKUP_FILE).partial" "$(BACKUP_FILE)" \
		|| { rm -f "$(BACKUP_FILE).partial"; exit 1; }
	@echo "Encrypted backup written to $(BACKUP_FILE)"

restore: $(STAMP)
	@test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL (the database to restore into)" >&2; exit 1; }
	@test -f "$(BACKUP_FILE)" || { echo "Set BACKUP_FILE to an existing backup" >&2; exit 1; }
	@test -n "$$BACKUP_KEY" || { echo "Set BACKUP_KEY (the backup's age secret key)" >&2; exit 1; }
	set -o pipefail; $(PY) -m buurtzorg.backup decrypt < "$(BACKUP_FILE)" \
		| pg_restore --clean --if-exists --no-owner --exit-on-error --dbname="$(DATABASE_URL)"
	@echo "Restored $(BACKUP_FILE) into the database"

# A new key pair for backups: BACKUP_KEY (secret: keep a copy away from the database machine)
# and BACKUP_RECIPIENT (public: enough to make backups).
backup-key: $(STAMP)
	@$(PY) -m buurtzorg.backup keygen
