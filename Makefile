# The README's two commands: `make report` builds the report, `make test` runs the tests.
# Both create and use a local virtual environment (.venv) and install what the project needs.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.tlreview-installed

.PHONY: report report-pdf test lint install clean-report regenerate

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python >= 3.11 or run 'make PYTHON=python3 ...'" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[reproduce,dev]'
	touch $(STAMP)

install: $(STAMP)

# Real data (for the example images of the fragility chapter) are read from TLREVIEW_DATA_DIR,
# defaulting to ../shared/data when that folder exists; without them the report still builds.
SHARED_DATA := $(wildcard ../shared/data)
export TLREVIEW_DATA_DIR ?= $(if $(SHARED_DATA),$(abspath $(SHARED_DATA)),)

report: $(STAMP)
	$(PY) -m review.report

# The same book printed into one PDF by headless Chromium (Debian: apt-get install chromium).
report-pdf: $(STAMP)
	$(PY) -m review.report --pdf book/_build/pdf/tlreview-report.pdf

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint
	$(PY) -m pytest

# Rebuild every generated file (data dictionary, registry catalogues, verdicts) from code;
# tests/test_generated.py fails when one is stale.
regenerate: $(STAMP)
	$(PY) -m reproduce.regenerate

clean-report:
	rm -rf book/_build
