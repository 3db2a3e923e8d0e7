# Two entry points for users:  `make book`  and  `make test`.  Neither needs root.
# Everything else is a step they call.  All steps print what they do.
#
#   make book                    environment, data, changed notebooks, HTML
#   make test                    the same, plus unit tests, golden values and site checks
#   make notebooks NB="04 06"    (re)execute only the notebooks whose names start so
#   make PYTHON=python3.12 ...   build the environment with that interpreter (3.11-3.13)

PYTHON ?=
VENV   := .venv
PY     := $(VENV)/bin/python
STAGE  := _build/stage
HTML   := _build/html
NB     ?=
ARGS   ?=
TEST_WORKERS ?= $(shell python3 -c "import os; print(min(os.cpu_count() or 1, 4))" 2>/dev/null || echo 1)

.PHONY: book test env lab data notebooks html unit goldens site benchmark multiverse rerun \
        lock clean

book: env data notebooks html
	@echo ">>> book ready: $(HTML)/index.html"

test: env data unit notebooks goldens html site
	@echo ">>> all checks passed"

env:
	@PYTHON="$(PYTHON)" VENV="$(VENV)" LOCK=requirements.lock sh scripts/env.sh

lab: env
	@echo ">>> adding JupyterLab (requirements-lab.lock) to $(VENV)"
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements-lab.lock

data: env
	@echo ">>> fetching and verifying the raw data (COUPPROOF_DATA_DIR=$${COUPPROOF_DATA_DIR:-data/raw})"
	$(PY) -m coupproof.sources.registry fetch

notebooks: env data
	@echo ">>> executing the notebooks whose inputs changed (papermill) into $(STAGE)/notebooks/"
	$(PY) scripts/run_notebooks.py $(NB)

# Incremental: Sphinx rereads only changed pages.  A failed build drops Sphinx's saved state,
# so the next build reads every page again and no warning is hidden by an unchanged page.
html: notebooks
	@echo ">>> building the HTML book from $(STAGE) with jupyter-book (warnings are errors)"
	@$(VENV)/bin/jupyter-book build $(STAGE) --path-output . -W --keep-going -q \
	  || { rm -rf _build/.doctrees; echo ">>> book build failed (see above)"; exit 1; }

# pytest-xdist: one test process per core (at most four: each holds its own panel pieces);
# the tests of one file stay in one process, so a file's shared fixtures are built once.
unit: env data
	@echo ">>> unit and data tests ($(TEST_WORKERS) processes)"
	$(PY) -m pytest tests --ignore=tests/browser -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile

goldens: notebooks
	@echo ">>> golden cells: nbval against the papermill runs (no second execution)"
	$(PY) scripts/check_goldens.py

site: html
	@echo ">>> site checks on $(HTML): links and anchors (pytest-check-links, offline), launch links, staged pages, headless Chromium"
	$(PY) -m pytest tests/browser -q -p no:cacheprovider

benchmark: env data
	$(PY) scripts/benchmark.py

multiverse: env data
	$(PY) -m coupproof.multiverse $(ARGS)

rerun: env data
	$(PY) -m coupproof.rerun $(ARGS)

lock:
	uv pip compile pyproject.toml --extra book --extra dev --python-version 3.11 -o requirements.lock
	uv pip compile pyproject.toml --extra book --extra dev --extra lab --python-version 3.11 -o requirements-lab.lock

clean:
	rm -rf _build results data/cache artifacts
