# The README's interface: `make run` serves the site, `make test` runs every test.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test lint messages clean bench

# Python >= 3.12: the one named in .python-version if pyenv has it, else the newest found.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	  c=$$(command -v $$p 2>/dev/null) || continue; \
	  $$c -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null && { echo $$c; break; }; \
	done)

install: $(STAMP) node_modules/.installed

$(STAMP): requirements.txt requirements-dev.txt
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Error: Python 3.12 or newer is needed and none was found (tried python3.13, python3.12, python3)."; \
	  echo "Install Python 3.13 (e.g. 'pyenv install 3.13' or your system's python3.13 package) and run make again."; \
	  exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

# The browser tests' Nu HTML Checker (vnu-jar, package-lock.json): reinstalled when the lock
# file changes. --ignore-scripts: vnu-jar's postinstall would download a Java runtime; the
# tests use the machine's `java`. Without npm the step is skipped (the checker's tests skip
# locally and fail under CI=true).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --no-audit --no-fund --ignore-scripts && touch $@; \
	else echo "npm not found: skipping the Nu HTML Checker (vnu-jar); browser tests skip it"; fi

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_reference_data
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --verbosity 0
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: install
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --verbosity 0
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(VENV)/bin/mypy

# Refreshes locale/en/LC_MESSAGES/django.po from the code and templates.
messages: install
	DEBUG=1 $(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --ignore=node_modules --no-obsolete --no-wrap --add-location file

# The benchmark (bench/run.py, docs/performance.md): PostgreSQL on 127.0.0.1:5432 and wrk.
# Full size by default; e.g. BENCH_ARGS="--years 2 --activities 100000" for a quick run.
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles
