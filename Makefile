# One command per job; each bootstraps its own virtual environment from a clean clone.
#   make demo   set up, then crawl the bundled mirror into SQLite and build the release
#   make test   set up (incl. Debian packages the browser/PDF tests need), lint and type-check,
#               then run the test suite
#   make lint   ruff and mypy (configured in pyproject.toml)
#   make eval   tagging quality on the frozen real test split (corpus/relevance) and body extraction
#               on corpus/bodies; exits 1 below either gate
#   make bench  benchmarks (benchmarks/)

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: setup system-deps demo test lint eval bench clean

$(STAMP): pyproject.toml
	@echo "== setting up $(VENV): the Python packages newsmon needs (about 3-4 minutes the first time on 2 cores)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --progress-bar off -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

system-deps:
	bash scripts/system-deps.sh

demo: setup
	$(VENV)/bin/newsmon demo

test: setup system-deps lint
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check .
	$(PY) -m mypy

eval: setup
	$(PY) -m pipeline.evaluate

bench: setup
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) data/*.sqlite* out .mypy_cache .ruff_cache
