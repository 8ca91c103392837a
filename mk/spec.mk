# The spec as a product for other-language teams: tools nobody here wrote read
# openapi/gpueater.yaml the way those teams will (issue 12).
#   make spec-lint        Redocly CLI (recommended rules, warnings fail) + openapi-spec-validator
#   make spec-interop     openapi-typescript types + a typed example, compiled with tsc --strict,
#                         and a walkthrough on openapi-fetch run by node against an emulator
#   make spec-mock-check  the generated Python client calls every operation against Prism
#                         (scripts/spec_mock_check.sh), then the check's own tests
#   make spec-html        one self-contained HTML reference page of the spec (Redocly), in
#                         docs-build/gpueater-api.html; `make docs` (mk/docs.mk) builds it
#                         first and publishes it in the site, linked from its HTTP API page
# The Node tools are pinned in package.json/package-lock.json and installed by `npm ci` when the
# lock file changes. Without a suitable Node these targets skip with a notice, unless
# GPUEATER_REQUIRE_NODE=1 (CI) makes them fail instead.

SPEC := openapi/gpueater.yaml
NODE_BIN := node_modules/.bin
NODE_STAMP := node_modules/.gpueater-installed
TS_DIR := interop/typescript
DOCS_DIR := docs-build
# Redocly CLI would send usage data and look for updates; CI reaches no such host.
REDOCLY := REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true $(NODE_BIN)/redocly

SPEC_NODE_TARGETS := spec-lint spec-interop spec-mock-check spec-html
TEST_TARGETS += $(SPEC_NODE_TARGETS)
.PHONY: $(SPEC_NODE_TARGETS)

# Redocly CLI 2 needs Node >= 20.19 (20.x) or >= 22.12; npm ships with Node.
SPEC_NODE_OK := $(shell node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit((a === 20 && b >= 19) || (a === 22 && b >= 12) || a > 22 ? 0 : 1)' >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && echo yes)

ifeq ($(SPEC_NODE_OK),yes)

# --ignore-scripts: no package may run code or download anything at install time.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

spec-lint: $(NODE_STAMP) spec-validate
	$(REDOCLY) lint $(SPEC) --config redocly.yaml

# The generated types are git-ignored and rebuilt every time: nothing in them is hand-edited.
# Then the second language runs, not only compiles: walkthrough.ts (openapi-fetch, typed by
# those types) is emitted to $(TS_DIR)/build and run by node against an emulator process
# that interop/run_walkthrough.sh starts on a free port and stops.
spec-interop: $(NODE_STAMP) $(STAMP)
	$(NODE_BIN)/openapi-typescript $(SPEC) --output $(TS_DIR)/generated/gpueater.ts
	$(NODE_BIN)/tsc --project $(TS_DIR)/tsconfig.json --strict --noEmit
	rm -rf $(TS_DIR)/build
	$(NODE_BIN)/tsc --project $(TS_DIR)/tsconfig.run.json --strict
	PYTHON=$(BIN)/python interop/run_walkthrough.sh

# Then the check's own tests: broken copies of the spec must fail it, and Prism must never
# outlive it (tests/spec; a plain pytest run skips them, having no Node tools).
spec-mock-check: $(NODE_STAMP) $(STAMP)
	scripts/spec_mock_check.sh
	GPUEATER_SPEC_TOOLS=1 $(BIN)/python -m pytest -q tests/spec/test_spec_mock_check.py

spec-html: $(NODE_STAMP)
	$(REDOCLY) build-docs $(SPEC) --config redocly.yaml --inlineBundle \
	  --title 'GPUEater API reference' --output $(DOCS_DIR)/gpueater-api.html

else ifeq ($(GPUEATER_REQUIRE_NODE),1)

$(SPEC_NODE_TARGETS):
	@echo "error: $@ needs Node.js >= 20.19 with npm, and GPUEATER_REQUIRE_NODE=1 forbids skipping" >&2
	@exit 1

else

$(SPEC_NODE_TARGETS):
	@echo "skipped $@: needs Node.js >= 20.19 with npm (GPUEATER_REQUIRE_NODE=1 makes this an error)"

endif

