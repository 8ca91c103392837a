# `make docs`: the documentation site (mkdocs.yml, docs/), built by MkDocs with Material into
# site/ (git-ignored) with --strict, so a broken link, a page missing from the nav or an API
# or CLI reference that no longer resolves fails it; `make test` runs it. The Python API
# reference comes from the docstrings (mkdocstrings), the CLI reference from the click
# commands (mkdocs-click, docs/hooks/cli_reference.py), the HTTP API page from the spec
# (docs/hooks/http_reference.py).
#
# It first runs `make spec-html` (mk/spec.mk): with Node the spec's Redocly HTML reference
# is built and published in the site; without Node that step skips with a notice, and the
# site is built all the same, its HTTP API page saying how to build the HTML reference,
# unless GPUEATER_REQUIRE_NODE=1 (CI) makes the missing Node an error.
# The code blocks of the pages are run by the test suite (tests/docs), not by this target.
SITE_DIR := site
# Material 9.8 prints a notice about MkDocs 2 on every build; the pins keep MkDocs at 1.6.

.PHONY: docs
docs: $(STAMP) spec-html
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir $(SITE_DIR)

TEST_TARGETS += docs
