# Two commands do all set-up on a fresh machine:
#   make run   — create .venv if missing, install, build world + models if missing, serve on localhost:8501
#   make test  — install, lint (ruff), run the whole test suite
#   make screenshots — the README's pictures of each role's pages (docs/images/), taken in Chromium
#   make pg    — start Debian's PostgreSQL, create the role and database goyong, print the GOYONG_DB_URL
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install build run lint test bench screenshots clean-world pg

# pip's cache (~/.cache/pip) makes a reinstall a local copy; no self-upgrade of pip (a download on
# every fresh clone) and no version check
$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --prefer-binary -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

build: install
	$(PY) -m app build

run: install
	@# build is idempotent: it only generates the world / trains models that are missing or stale
	$(PY) -m app build
	$(PY) -m streamlit run streamlit_app.py --server.address localhost --server.port 8501

lint: install
	$(PY) -m ruff check .

test: install lint
	$(PY) -m pytest

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script; done

screenshots: install
	@# README pictures (docs/images/<role>-<page>.png) from a private copy of the demo world, in Chromium
	$(PY) -m app build
	$(PY) -m tests.e2e.screenshots

# PostgreSQL (docs/postgres.md): Debian's server (apt-get install postgresql), one role and database.
# Idempotent: an existing role or database is kept (its password too); run as root or a sudoer.
PG_USER ?= goyong
PG_PASSWORD ?= goyong
PG_DB ?= goyong
PG_HOST ?= 127.0.0.1
pg:
	@command -v pg_ctlcluster >/dev/null || { echo "PostgreSQL가 없습니다: apt-get install postgresql"; exit 1; }
	@version=$$(ls /usr/lib/postgresql | sort -n | tail -1); \
	  pg_ctlcluster $$version main status >/dev/null 2>&1 || pg_ctlcluster $$version main start
	@su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='$(PG_USER)'\"" | grep -q 1 \
	  || su postgres -c "psql -qc \"create role $(PG_USER) login password '$(PG_PASSWORD)'\""
	@su postgres -c "psql -qtAc \"select 1 from pg_database where datname='$(PG_DB)'\"" | grep -q 1 \
	  || su postgres -c "createdb -O $(PG_USER) $(PG_DB)"
	@echo "GOYONG_DB_URL=postgresql+psycopg://$(PG_USER):$(PG_PASSWORD)@$(PG_HOST)/$(PG_DB)"
	@echo "(.env에 넣거나 export한 뒤 make build)"

clean-world:
	rm -f data/goyong.db data/goyong.db-wal data/goyong.db-shm models/manifest.json models/*.parquet
