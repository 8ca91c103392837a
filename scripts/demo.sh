#!/usr/bin/env bash
# The main job, end to end, against the local emulator: configure, look at the catalog, make
# a key, launch and wait, list, open a port, terminate. Where OpenSSH's server is installed
# the instance is a real SSH target (the emulator's --sshd): the launch waits until its sshd
# answers, a remote command runs and a file is copied up and back. Every command is printed
# before it runs. Nothing outside a temporary folder is touched: HOME points into it.
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

# The emulator's own check decides whether instances can be real SSH targets.
sshd_check='
from gpueater_emulator._sshd import PrivateSshd, SshdNotInstalledError
try:
    PrivateSshd()
except SshdNotInstalledError as missing:
    raise SystemExit(str(missing))'
if sshd_missing=$("$bin/python" -c "$sshd_check" 2>&1); then
  ssh_mode=(--sshd)
  wait_for=ssh
else
  ssh_mode=()
  wait_for=running
  echo "# SSH part skipped (remote command, file copies): $sshd_missing"
fi

email=demo@example.com
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
"$bin/python" -m gpueater_emulator --port 0 --ready-file "$work/ready" \
  --account "$email:$password" --boot-seconds 2 "${ssh_mode[@]}" >"$work/emulator.log" 2>&1 &
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
run launch --product a1.rx580 --image "Ubuntu16.04 x64" --ssh-key demo-key --tag demo --wait "$wait_for"
run instances
run port open demo 8888
if [ "$wait_for" = ssh ]; then
  # The instance is a machine of its own: its home is its own disk (a folder the emulator
  # keeps), where relative remote paths point and `ls` without a path looks.
  echo "a file made on your machine" >"$HOME/notes.txt"
  run ssh demo -- uname -a
  run cp "$HOME/notes.txt" demo:notes.txt
  run ls demo
  run cp demo:notes.txt "$HOME/notes-back.txt"
  cmp "$HOME/notes.txt" "$HOME/notes-back.txt"
  echo "# the copy came back byte for byte"
fi
run terminate demo --yes
run instances -o json

echo
echo "# done: configured a profile, generated and registered a key, launched 'demo' and"
if [ "$wait_for" = ssh ]; then
  echo "# waited until its sshd answered, opened port 8888, ran uname on it, copied a file up"
  echo "# and back, terminated it. The emulator is stopped."
else
  echo "# waited until it was RUNNING, opened port 8888, terminated it. The emulator is stopped."
fi
