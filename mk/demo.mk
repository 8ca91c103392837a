# `make demo`: the main job against the local emulator (scripts/demo.sh). CI runs it too.
# It installs only what the demo runs: the package and its `emulator` extra, into the same
# .venv, stamped apart from `make test`'s full install (which stamps both). Without pip's
# self-upgrade: the venv's own pip installs an editable pyproject package already.
.PHONY: demo
demo: $(DEMO_STAMP)
	scripts/demo.sh

$(DEMO_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[emulator]'
	touch $@

TEST_TARGETS += demo
