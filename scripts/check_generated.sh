#!/usr/bin/env bash
# Fail when generated/ is not exactly what the spec generates today: a changed spec that was
# not regenerated, a hand edit, a stale file, or a generated file that git does not track.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/scripts/generate.sh" "$tmp/gpueater_client"
if ! diff -r --exclude=__pycache__ "$tmp/gpueater_client" "$root/generated/gpueater_client" >"$tmp/diff"; then
  head -40 "$tmp/diff" >&2
  echo "error: generated/gpueater_client does not match openapi/gpueater.yaml; run 'make generate' and commit the result" >&2
  exit 1
fi
if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
  untracked=$(git -C "$root" ls-files --others --exclude-standard -- generated)
  if [ -n "$untracked" ]; then
    printf '%s\n' "$untracked" >&2
    echo "error: generated files above are not tracked by git; add and commit them" >&2
    exit 1
  fi
fi
