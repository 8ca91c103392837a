# `make demo`: the main job against the local emulator (scripts/demo.sh). CI runs it too.
.PHONY: demo
demo: $(STAMP)
	scripts/demo.sh

TEST_TARGETS += demo
