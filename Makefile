# Two set-up commands on a fresh machine: `make run` (demo corpus + web chat) and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= .newsbot

.PHONY: run test install install-dev browser lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: browser tests will be skipped (apt-get install chromium)"; fi; }

run: install
	$(BIN)/newsbot ingest data/demo --store $(STORE)
	$(BIN)/newsbot serve --store $(STORE)

test: install-dev browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: install-dev
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/answers.py

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache .ruff_cache artifacts
