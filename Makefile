# huzhou_rule — two commands: `make run` and `make test`.
# Without DATABASE_URL both use an embedded PostgreSQL (pgserver) kept in .pgdata/.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_DEBUG ?= 1
# the demo runs without the second factor; `make run HUZHOU_REQUIRE_2FA=1` to try enrolment (README, Security)
export HUZHOU_REQUIRE_2FA ?= 0
# the suite in two processes (pytest-xdist), a whole test module to each, so module fixtures run once
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?= -n $(PYTEST_WORKERS) --dist loadfile

.PHONY: run test setup migrate demo worker clean-db

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo_data

run: demo
	$(PY) manage.py runserver_with_worker 127.0.0.1:$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

clean-db:
	rm -rf .pgdata
