# Boardpack: `make demo` and `make test` are the only set-up a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench bench-more bench-records-scale lint install system clean

NODE_STAMP := node_modules/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,records-spark]'
	touch $(STAMP)

install: $(STAMP) $(NODE_STAMP)

# Debian packages from .ci/system-packages.txt (chromium, Java, Node), only those missing.
system:
	.ci/install-system

# axe-core and vnu-jar, pinned in package.json and package-lock.json.
$(NODE_STAMP): package.json package-lock.json | system
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Every registered layout into build/<layout>/: the period layouts from the demo council in
# HTML, PDF, Excel and Word (two at a time), delivery-unit also from the Barnet seed,
# benchmarking from ASCOF; records-county from synthetic client-level records it generates.
PERIOD_LAYOUTS = from boardpack.pack.layouts import LAYOUTS; \
  print(" ".join(name for name, layout in LAYOUTS.items() if layout.source == "period"))

demo: system $(STAMP)
	$(BIN)/python examples/example-county/generate.py --check
	$(BIN)/python -c '$(PERIOD_LAYOUTS)' | tr ' ' '\n' | xargs -P 2 -I{} \
	  $(BIN)/boardpack build examples/example-county --layout {} --out build/{} --format html,pdf,xlsx,docx
	$(BIN)/boardpack build examples/seeds/barnet-2015-16-q1 --layout delivery-unit \
	  --period "Q1 2015/16" --out build/delivery-unit-barnet --format html,pdf,xlsx,docx
	$(BIN)/boardpack build examples/ascof-england --layout benchmarking --out build/benchmarking
	$(BIN)/python examples/records-county/generate.py
	$(BIN)/boardpack build examples/records-county --out build/records-county --format html,pdf

test: system $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

# The web benchmark needs PostgreSQL at 127.0.0.1:5432 (it makes and drops boardpack_bench).
BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432/boardpack_bench
export BOARDPACK_BENCH_POSTGRES ?= $(BENCH_POSTGRES)

# `make bench`: the speed figures (engine, charts and packs, the big council, reading, the web
# app and publishing, hostile uploads, client-level records at 1M rows) as ONE JSON object, also written to build/bench.json, with load averages and the targets missed.
bench: $(STAMP)
	@$(BIN)/pip install --quiet -e '.[dev,bench]' >&2
	@$(BIN)/python benchmarks/bench_all.py

# The other benchmarks, each printing its own JSON object.
bench-more: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/bench_evaluate.py
	$(BIN)/python benchmarks/bench_publish.py --large
	$(BIN)/python benchmarks/bench_records.py --national

# Client-level records at scale (hours on two cores; docs/performance.md): the national 10M rows
# on Spark local[2] beside DuckDB, then the 100M-row history on DuckDB. The generated CSV (3 and
# 30 GB) is kept for the next run; the spill and scratch files go to tmp/ and are removed after
# each run. The 10M run needs about 25 GB free; the 100M one does not fit on an 80 GB disk as the
# load and the stages stand (docs/performance.md).
RECORDS_DATA ?= build/records-data
bench-records-scale: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,records-spark]'
	$(BIN)/python benchmarks/bench_records.py --national --engine spark \
		--data $(RECORDS_DATA)/10m --temp $(RECORDS_DATA)/10m/tmp
	$(BIN)/python benchmarks/bench_records.py --history \
		--data $(RECORDS_DATA)/100m --temp $(RECORDS_DATA)/100m/tmp

# ruff, and the import contracts of pyproject.toml (the layers of docs/architecture.md; the
# tests run them too, so CI fails when a layer is broken).
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples
	$(BIN)/lint-imports --no-logo

clean:
	rm -rf $(VENV) build .pytest_cache node_modules
