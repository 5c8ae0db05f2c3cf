# Two entry points: `make run` (the UI on the Pori example) and `make test` (ruff, mypy, pytest).
# Both bootstrap a virtual environment from the lock file on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench bench-rate lock clean system-deps

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# --no-deps: the lock is complete; pip would otherwise re-read jupedsim's metadata and add
	# its viewer's Qt and VTK, which the lock leaves out (see [tool.uv] in pyproject.toml)
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	# compile the numba kernels (block solver, walking distances, escape routes) once, into their on-disk cache
	$(BIN)/python -c "from configurator.blocks._kernel import warm_up; warm_up()"
	$(BIN)/python -c "from configurator.review.walk import warm_up; warm_up()"
	$(BIN)/python -c "from configurator.review.paths import warm_up; warm_up()"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py -- examples/pori.yaml

test: $(STAMP) system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy configurator app.py ui tests benchmarks
	$(BIN)/pytest -n 2 --dist loadgroup

# Debian packages the tests and outputs use (ogrinfo, dxf2pdf, pdftoppm, the WeasyPrint libraries,
# chromium); see scripts/system-deps.sh.
# installed when missing and when we may (root); under CI=true a missing tool fails the run.
system-deps:
	@bash scripts/system-deps.sh

bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench_sizing
	$(BIN)/python -m benchmarks.bench_layout
	$(BIN)/python -m benchmarks.bench_uaflp
	$(BIN)/python -m benchmarks.bench_footprint
	$(BIN)/python -m benchmarks.bench_ifc
	$(BIN)/python -m benchmarks.bench_booklet
	$(BIN)/python -m benchmarks.bench_app
	$(BIN)/python -m benchmarks.bench_portfolio

# ten thousand random footprints through the layout and the audit (about an hour, two cores)
bench-rate: $(STAMP)
	$(BIN)/python -m benchmarks.bench_layout_rate --cases 10000

lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .pytest_cache .ruff_cache
