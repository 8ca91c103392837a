# Two commands on a fresh machine: `make demo` and `make test`. Every target creates the
# virtual environment it needs by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo

# Each concern that adds checks keeps its rules in mk/<concern>.mk and appends its targets to
# TEST_TARGETS there, so `make test` runs them without this file being edited by everyone.
# `make` alone prints help, whatever rule an included fragment happens to define first.
.DEFAULT_GOAL := help
TEST_TARGETS :=
include $(wildcard mk/*.mk)

.PHONY: help venv generate check-generated lint spec-validate typecheck test pytest clean

help:
	@echo "make test             lint, types, generated-code drift, tests (what CI runs)"
	@echo "make generate         regenerate generated/gpueater_client from openapi/gpueater.yaml"
	@echo "make check-generated  fail when generated/ does not match the spec"
	@echo "make lint             ruff, mypy --strict and the spec validator"
	@echo "make docs             the documentation site (MkDocs, --strict) into site/, with the spec's HTML page when Node is there"
	@echo "make bench            every speed figure beside its goal, met or missed, in under 120 s (docs: Performance)"
	@echo "make spec-lint spec-interop spec-mock-check   the spec read by third-party tools (docs: other languages)"
	@echo "make spec-html        the spec's one-page HTML reference (Redocly, Node) in docs-build/"

# Reinstall whenever the project's metadata changes. Everything `make test` uses: the package
# with every extra, linters, generator and test tools. It holds what the demo needs as well,
# so it stamps that too (mk/demo.mk installs only the package and its emulator extra).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(DEMO_STAMP)

venv: $(STAMP)

generate: $(STAMP)
	scripts/generate.sh

check-generated: $(STAMP)
	scripts/check_generated.sh

spec-validate: $(STAMP)
	$(BIN)/python -m openapi_spec_validator openapi/gpueater.yaml

typecheck: $(STAMP)
	$(BIN)/mypy

lint: $(STAMP) spec-validate typecheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# A test file per worker (--dist loadfile): its module fixtures (an emulator, a launched
# instance) are made once, and tests of one file never race each other. (loadgroup with
# xdist_group marks would split the long files, but with pytest 9 and xdist 3.8 the marks
# do not keep a file on one worker.) `-m "not slow"` is the quick loop.
pytest: $(STAMP)
	$(BIN)/python -m pytest -n 4 --dist loadfile

test: lint check-generated pytest $(TEST_TARGETS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache site docs-build
