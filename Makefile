# Two set-up commands on a fresh machine: `make run` (demo corpus + web chat) and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= .newsbot

# Installs come from the locks (every package pinned, with hashes); `make lock` re-resolves them on purpose.
RUN_LOCK  := requirements/run.lock
DEV_LOCK  := requirements/dev.lock
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
# The machines the locks are for: Linux x86_64 (glibc >= 2.28), CPython 3.11.
LOCK_TARGET := --python-version 3.11 --python-platform x86_64-manylinux_2_28
# `make lock LOCK_UPGRADE=` keeps the pins that still fit pyproject.toml and only resolves what changed.
LOCK_UPGRADE ?= --upgrade
UV_SPEC ?= uv>=0.13,<1

.PHONY: run test install install-dev lock browser lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# A stamp in the venv stands for "installed from this lock": a second `make run` installs nothing.
$(RUN_STAMP): $(RUN_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(RUN_LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# The dev lock holds the run lock's pins plus the dev extra, so it satisfies the run stamp too.
$(DEV_STAMP): $(DEV_LOCK) $(RUN_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(RUN_STAMP)

install: $(RUN_STAMP)

install-dev: $(DEV_STAMP)

# Re-resolve both locks from pyproject.toml with uv; the dev lock is constrained to the run lock's pins.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet '$(UV_SPEC)'
	mkdir -p $(dir $(RUN_LOCK))
	$(BIN)/uv pip compile pyproject.toml $(LOCK_TARGET) $(LOCK_UPGRADE) --generate-hashes \
	  --custom-compile-command 'make lock' --quiet -o $(RUN_LOCK)
	$(BIN)/uv pip compile pyproject.toml --extra dev -c $(RUN_LOCK) $(LOCK_TARGET) $(LOCK_UPGRADE) --generate-hashes \
	  --custom-compile-command 'make lock' --quiet -o $(DEV_LOCK)

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: browser tests will be skipped (apt-get install chromium)"; fi; }

run: $(RUN_STAMP)
	$(BIN)/newsbot ingest data/demo --store $(STORE)
	$(BIN)/newsbot serve --store $(STORE)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

test: $(DEV_STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: $(DEV_STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/answers.py

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache .ruff_cache artifacts
