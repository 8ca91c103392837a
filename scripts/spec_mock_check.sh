#!/usr/bin/env bash
# Usage: scripts/spec_mock_check.sh [SPEC]   (default: openapi/gpueater.yaml)
# Serve the spec with Prism as a validating mock on a free loopback port, run
# scripts/spec_mock_check.py against it, and stop Prism in every case (success, failure,
# Ctrl-C). Run by `make spec-mock-check`, which installs the Node tools and the venv first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
spec=$(realpath "${1:-$root/openapi/gpueater.yaml}")
cd "$root"
python=.venv/bin/python
prism=node_modules/.bin/prism

work=$(mktemp -d)
prism_pid=
stop_prism() {
  if [ -n "$prism_pid" ] && kill -0 "$prism_pid" 2>/dev/null; then
    # Prism runs in its own process group (setsid): end the group, then make sure.
    kill -TERM -- "-$prism_pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$prism_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$prism_pid" 2>/dev/null || true
    wait "$prism_pid" 2>/dev/null || true
  fi
  prism_pid=
}
cleanup() {
  stop_prism
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Start Prism and wait until it listens. The port is free when chosen but could be taken
# before Prism binds it, so a failed start is retried on another port.
port=
for attempt in 1 2 3; do
  port=$(free_port)
  : >"$work/prism.log"
  # --no-multiprocess: one process to stop, whatever NODE_ENV says.
  setsid "$prism" mock --host 127.0.0.1 --port "$port" --no-multiprocess "$spec" \
    >"$work/prism.log" 2>&1 &
  prism_pid=$!
  for _ in $(seq 300); do
    if grep -q "Prism is listening" "$work/prism.log"; then
      break 2
    fi
    kill -0 "$prism_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "spec-mock-check: Prism did not start on port $port (attempt $attempt); its log:" >&2
  tail -20 "$work/prism.log" >&2
  stop_prism
  port=
done
if [ -z "$port" ]; then
  echo "error: Prism could not be started" >&2
  exit 1
fi

status=0
"$python" scripts/spec_mock_check.py --base-url "http://127.0.0.1:$port" --spec "$spec" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- what Prism's log says went wrong (last 40 such lines)" >&2
  grep -E 'error|warn|Violation' "$work/prism.log" | tail -40 >&2 || true
fi
exit "$status"
