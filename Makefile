# One command per job; each bootstraps its own virtual environment from a clean clone.
#   make demo   set up, then crawl the bundled mirror into SQLite and build the release
#   make test   set up (incl. Debian packages the browser/PDF tests need), then run the test suite
#   make eval   tagging quality on the labelled data in tests/data/
#   make bench  benchmarks (benchmarks/)

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: setup system-deps demo test eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

system-deps:
	bash scripts/system-deps.sh

demo: setup
	$(VENV)/bin/newsmon demo

test: setup system-deps
	$(PY) -m pytest

eval: setup
	$(PY) -m pipeline.evaluate

bench: setup
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) data/*.sqlite* out
