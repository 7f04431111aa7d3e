# The two commands a newcomer needs: `make demo` and `make test`. Both install from scratch.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test test-fast test-postgres lint bench clean

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
	@echo "The platform, with a demo district and one account per role: $(BIN)/rollcall serve --demo --data demo/platform"

# Tests, on every core, then the platform's again on PostgreSQL. pytest exits 5 when it collects
# nothing: that is a broken suite, not a pass.
test: install
	@$(BIN)/python -m pytest -n auto; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	[ $$rc -eq 0 ] || exit $$rc; \
	$(MAKE) --no-print-directory test-postgres

# The platform's tests on PostgreSQL at PG_URL (pytest-django makes and drops its own test
# database there). Without a server this says what it skipped, unless ROLLCALL_REQUIRE_POSTGRES
# is set (CI sets it): then it fails.
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
test-postgres: install
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=5).close()" 2>/dev/null; then \
	  echo "The platform's tests again, on PostgreSQL ($(PG_URL)):"; \
	  DATABASE_URL='$(PG_URL)' $(BIN)/python -m pytest -m "platform and not browser" -n auto -q; \
	elif [ -n "$$ROLLCALL_REQUIRE_POSTGRES" ]; then \
	  echo "PostgreSQL at $(PG_URL) cannot be reached, and ROLLCALL_REQUIRE_POSTGRES is set: failing"; exit 1; \
	else \
	  echo "Skipped: the platform's tests on PostgreSQL (no server at $(PG_URL); start one or set PG_URL)"; \
	fi

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
