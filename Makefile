# The two commands a newcomer needs: `make demo` and `make test`. Everything else is their building blocks.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB := var/demo.db
DEMO_EVENTS := var/demo-events
DEMO_CREATORS ?= 2000

.PHONY: demo test install lint clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv

# Reinstalled whenever pyproject.toml changes; the stamp keeps repeated runs fast. Bytecode is compiled at
# install time (uv does not by default), so a command never pays for compiling its imports, even where
# PYTHONDONTWRITEBYTECODE is set.
$(VENV)/.installed: pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# A fresh simulated ecosystem on the embedded SQLite default, demo accounts printed, then the server.
demo: install
	mkdir -p var
	rm -rf $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_EVENTS)
	WANGHONG_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/wanghong db upgrade
	WANGHONG_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/wanghong simulate --creators $(DEMO_CREATORS) --seed 7 --end-date yesterday
	WANGHONG_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/wanghong analytics sync --store $(DEMO_EVENTS)
	WANGHONG_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/wanghong compliance backfill --limit 5000
	WANGHONG_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/wanghong fraud scan
	WANGHONG_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/wanghong users demo
	WANGHONG_DATABASE_URL=sqlite:///$(DEMO_DB) WANGHONG_EVENT_STORE=$(DEMO_EVENTS) \
		$(BIN)/wanghong serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/lint-imports

# Two workers on two cores: each keeps its numeric libraries to one thread, or they oversubscribe the machine.
test: lint
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/pytest -n 2

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
