# `make compat`: only the compatibility suite (tests/compat): the published 1.5 clients,
# Python gpueater==1.5.0 and Node gpueater@1.5.3, against a real emulator (issue 15).
# `make test` runs it already, as part of pytest. The clients are installed on first use into
# .venv-compat/ and tests/compat/node/node_modules, stamped by what they were installed from.
# Without node/npm or the package registries each half skips with a notice, unless
# GPUEATER_REQUIRE_COMPAT=1 (CI) makes that an error.
.PHONY: compat
compat: $(STAMP)
	$(BIN)/python -m pytest -q tests/compat
