# Two entry points for users:  `make book`  and  `make test`.
# Everything else is a step they call.  All steps print what they do.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-12)

.PHONY: book test env data notebooks html unit goldens browser browser-deps benchmark lock clean

book: env data notebooks html
	@echo ">>> book ready: _build/html/index.html"

test: env data unit notebooks goldens html browser
	@echo ">>> all checks passed"

env: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@echo ">>> creating the virtual environment in $(VENV) (Python 3.11) and installing the lock file"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv
	$(VENV)/bin/uv pip sync --python $(PY) requirements.lock
	$(VENV)/bin/uv pip install --python $(PY) --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

data: env
	@echo ">>> fetching and verifying the raw data (COUPPROOF_DATA_DIR=$${COUPPROOF_DATA_DIR:-data/raw})"
	$(PY) -m coupproof.sources.registry fetch

notebooks: env
	@echo ">>> executing every notebook with papermill into book/executed/"
	$(PY) scripts/run_notebooks.py

html: env
	@echo ">>> building the HTML book with jupyter-book (warnings are errors)"
	$(VENV)/bin/jupyter-book build . --all -W --keep-going

unit: env
	@echo ">>> unit and data tests"
	$(PY) -m pytest tests -m "not browser" -q

goldens: env
	@echo ">>> re-executing notebooks with nbval and checking golden cells"
	$(PY) -m pytest --nbval-lax notebooks -q -p no:cacheprovider

browser-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  echo ">>> installing Debian's chromium and chromium-driver for the browser test"; \
	  apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; }

browser: env browser-deps
	@echo ">>> browser test: headless Chromium over every page of _build/html"
	$(PY) -m pytest tests/browser -m browser -q

benchmark: env data
	$(PY) scripts/benchmark.py

lock:
	uv pip compile pyproject.toml --extra book --extra dev --python-version 3.11 -o requirements.lock
	uv pip compile pyproject.toml --extra book --extra dev --extra lab --python-version 3.11 -o requirements-lab.lock

clean:
	rm -rf _build book/executed results data/cache
