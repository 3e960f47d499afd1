# Two commands do all set-up on a fresh machine:
#   make run   — create .venv if missing, install, build world + models if missing, serve on localhost:8501
#   make test  — install, lint (ruff), run the whole test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install build run lint test bench clean-world

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
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

clean-world:
	rm -f data/goyong.db data/goyong.db-wal data/goyong.db-shm models/manifest.json models/*.parquet
