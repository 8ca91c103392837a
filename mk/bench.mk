# `make bench`: the SDK's cost over raw httpx, connection reuse, the fleet helper's speed-up
# and start-up times, against emulators scripts/bench.py starts and stops itself (issue 11;
# docs/guides/performance.md). Timing depends on the machine, so it is not part of
# `make test`; tests/project/test_bench_script.py runs the script once with --quick instead.
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python scripts/bench.py
