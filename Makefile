# Two commands do everything on a fresh clone: `make grade` and `make test`.
# Both create the virtual environment in .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
JOBS ?= 2
# An extra package index for torch and torchvision, e.g. the CPU-only wheels on a machine
# without a GPU: make TORCH_INDEX=https://download.pytorch.org/whl/cpu
# (empty by default: pip's own index, whose Linux torch is the CUDA build).
TORCH_INDEX ?=
PIP_TORCH_INDEX := $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX))

.PHONY: grade test test-fast lint format bench mutation release clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(PIP_TORCH_INDEX) -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## Grade the bundled example submission and print the report.
grade: $(STAMP)
	$(BIN)/autograder grade examples/submission

## Lint, then run the whole test suite.
test: $(STAMP) lint
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup -q

## The unit tier only, for the inner loop (no lint; `make test` runs everything).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup -q -m "unit and not slow"

## ruff, and the package's layers (import-linter's contracts in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Speed and memory; BASELINE=<checkout of an earlier commit> also times that one in turns,
## RUNS=N turns (3), PROFILE=1 says instead where a first grading's time goes.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(if $(BASELINE),--baseline $(BASELINE)) $(if $(RUNS),--runs $(RUNS)) $(if $(PROFILE),--profile)

## Mutation testing of the checks (slow, not part of test); ASSIGNMENT=... LIMIT=N narrow it.
mutation: $(STAMP)
	$(BIN)/python benchmarks/mutation.py --jobs $(JOBS) $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(if $(LIMIT),--limit $(LIMIT))

release: $(STAMP)
	$(BIN)/autograder release

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
