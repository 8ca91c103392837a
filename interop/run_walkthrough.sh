#!/usr/bin/env bash
# Run the compiled TypeScript walkthrough (interop/typescript/build/walkthrough.js) against a
# real emulator process of its own: started here on a free loopback port (--port 0, the URL
# read from its --ready-file), with a boot time of 1 s so "wait for RUNNING" really waits,
# and stopped on every exit path. Used by `make spec-interop` (mk/spec.mk).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-.venv/bin/python}"
EMAIL="interop@example.com"
PASSWORD="interop-password"
work="$(mktemp -d)"
emulator_pid=""

stop_emulator() {
  if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill -TERM "$emulator_pid"
    wait "$emulator_pid" || true
  fi
  rm -rf "$work"
}
trap stop_emulator EXIT

"$PYTHON" -m gpueater_emulator --port 0 --ready-file "$work/url" \
  --account "$EMAIL:$PASSWORD" --boot-seconds 1 --seed 7 >"$work/emulator.log" 2>&1 &
emulator_pid=$!

for _ in $(seq 1 200); do
  [[ -s "$work/url" ]] && break
  if ! kill -0 "$emulator_pid" 2>/dev/null; then
    echo "error: the emulator did not start:" >&2
    cat "$work/emulator.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ ! -s "$work/url" ]]; then
  echo "error: the emulator wrote no URL within 20 s" >&2
  exit 1
fi

GPUEATER_URL="$(cat "$work/url")" GPUEATER_EMAIL="$EMAIL" GPUEATER_PASSWORD="$PASSWORD" \
  node interop/typescript/build/walkthrough.js
