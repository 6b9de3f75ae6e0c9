# Ruche — the two commands are `make run` and `make test`; see README.md.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Address `make serve` listens on: a reverse proxy on the same machine reaches 127.0.0.1.
BIND ?= 127.0.0.1
PYTEST_ARGS ?=
# `make test` runs the suite on this many processes (pytest-xdist): one per core, at most four
# (beyond that the browser and server tests only wait on each other). TEST_WORKERS=0: one process.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo $$n)

.PHONY: run serve test lint format bench install install-dev lock messages clean

$(VENV)/bin/python:
	@base="$$(PYTHON="$(PYTHON)" bin/find-python)" && echo "Creating $(VENV) with $$base" && "$$base" -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements.lock requirements-dev.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

RUN_ENV := DEBUG=$${DEBUG:-1} DEMO_MODE=$${DEMO_MODE:-1}

run: install
	@mkdir -p var
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo --if-empty
	$(RUN_ENV) $(PY) manage.py serve --port $(PORT)

# The production web server (config/gunicorn.py): DEBUG off, static files collected at start
# when needed. Run `manage.py migrate` before and at least one `manage.py worker` beside it.
serve: install
	DEBUG=0 $(VENV)/bin/gunicorn --config config/gunicorn.py --bind $(BIND):$(PORT)

test: install-dev
	$(PY) -m pytest --numprocesses $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint --lint templates ruche
	@# mypy (settings in pyproject.toml): the django-stubs plugin loads config.settings, which
	@# needs DEBUG on to start without production secrets.
	DEBUG=1 $(VENV)/bin/mypy
	@# bandit: every medium or high finding is fixed or marked `# nosec <test>` with the reason
	@# beside it. It also warns about a `# nosec` on each line of a multi-line string it visits
	@# twice: noise, left out.
	@mkdir -p var; $(VENV)/bin/bandit --quiet --recursive --severity-level medium \
		ruche config bench bin/audit-dependencies bin/pyproject-deps > var/bandit.log 2>&1; \
		status=$$?; grep -v "nosec encountered" var/bandit.log; echo "bandit: exit $$status"; \
		exit $$status
	$(PY) bin/audit-dependencies

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint --reformat templates ruche

bench: install-dev
	$(PY) -m bench

# French is the source language: the English catalogue is locale/en/LC_MESSAGES/django.po; the
# French one only holds the messages with a plural, for French plural rules (bin/french-plurals).
messages: install-dev
	@mkdir -p locale
	DEBUG=1 $(PY) manage.py makemessages --locale en --no-obsolete --ignore=.venv --ignore=tests --ignore=var
	$(PY) bin/french-plurals
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

# Rewrites the locks from pyproject.toml in a throw-away environment.
lock:
	rm -rf var/lock-venv && mkdir -p var
	"$$(PYTHON="$(PYTHON)" bin/find-python)" -m venv var/lock-venv
	var/lock-venv/bin/python bin/pyproject-deps > var/deps.txt
	var/lock-venv/bin/python bin/pyproject-deps dev > var/deps-dev.txt
	var/lock-venv/bin/pip install --quiet --disable-pip-version-check -r var/deps.txt
	var/lock-venv/bin/pip freeze --exclude pip > requirements.lock
	var/lock-venv/bin/pip install --quiet --disable-pip-version-check -r var/deps-dev.txt
	(echo "-r requirements.lock"; var/lock-venv/bin/pip freeze --exclude pip | grep -vxFf requirements.lock) > requirements-dev.lock
	rm -rf var/lock-venv var/deps.txt var/deps-dev.txt

clean:
	rm -rf $(VENV) staticfiles
