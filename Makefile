# Two commands do all set-up on a fresh machine:
#   make run   — create .venv if missing, install, build world + models if missing, serve on localhost:8501
#   make test  — install, lint (ruff), run the whole test suite
#   make screenshots — the README's pictures of each role's pages (docs/images/), taken in Chromium
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install build run lint test bench screenshots clean-world

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

clean-world:
	rm -f data/goyong.db data/goyong.db-wal data/goyong.db-shm models/manifest.json models/*.parquet
