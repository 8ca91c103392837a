#!/usr/bin/env bash
# The main job, end to end, against the local emulator: configure, look at the catalog, make
# a key, launch and wait, list, open a port, terminate. Every command is printed before it
# runs. Nothing outside a temporary folder is touched: HOME points into it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.venv/bin"
work=$(mktemp -d)
emulator_pid=
cleanup() {
  if [ -n "$emulator_pid" ]; then
    kill -TERM "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export HOME="$work/home" NO_COLOR=1
mkdir -p "$HOME"
unset GPUEATER_URL GPUEATER_CONFIG GPUEATER_PROFILE GPUEATER_EMAIL GPUEATER_PASSWORD \
  GPUEATER_ACCESS_TOKEN GPUEATER_SECRET_TOKEN

email=demo@example.com
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
"$bin/python" -m gpueater_emulator --port 0 --ready-file "$work/ready" \
  --account "$email:$password" --boot-seconds 2 >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 100); do
  [ -s "$work/ready" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/ready" ] || { echo "error: the emulator did not start" >&2; exit 1; }
url=$(cat "$work/ready")
echo "# emulator listening on $url; HOME is $HOME"

run() {
  printf '\n$ gpueater'
  printf ' %q' "$@"
  printf '\n'
  "$bin/gpueater" "$@"
}

printf '%s\n' "$password" | run --url "$url" configure --email "$email" --password-stdin
run products
run ssh-key generate demo-key --register
run launch --product a1.rx580 --image "Ubuntu16.04 x64" --ssh-key demo-key --tag demo --wait running
run instances
run port open demo 8888
run terminate demo --yes
run instances -o json

echo
echo "# done: configured a profile, generated and registered a key, launched 'demo' and"
echo "# waited until it was RUNNING, opened port 8888, terminated it. The emulator is stopped."
