# The two commands a newcomer needs: `make demo` and `make test`. Both install from scratch.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test test-fast lint bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Main job: a synthetic district, its chronic-absence tables and report.html, printed summary.
demo: install
	$(BIN)/rollcall demo --out demo

# Tests, on every core. pytest exits 5 when it collects nothing: that is a broken suite, not a pass.
test: install
	@$(BIN)/python -m pytest -n auto; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	exit $$rc

# The fast loop (docs/development.md): no slow or browser tests, few property examples, every core.
test-fast: install
	@HYPOTHESIS_PROFILE=fast $(BIN)/python -m pytest -m "not slow and not browser" -n auto -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	exit $$rc

lint: install
	$(BIN)/ruff check rollcall tests bench
	$(BIN)/ruff format --check rollcall tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) demo out
