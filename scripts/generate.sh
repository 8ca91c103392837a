#!/usr/bin/env bash
# Regenerate the Python client from the spec. Usage: scripts/generate.sh [OUTPUT_DIR]
# The default output is generated/gpueater_client; check_generated.sh passes a temporary one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/generated/gpueater_client}
# The generator's post-hooks call `ruff`: use the pinned one from the project's venv.
export PATH="$root/.venv/bin:$PATH"
openapi-python-client generate \
  --path "$root/openapi/gpueater.yaml" \
  --config "$root/openapi/generator-config.yaml" \
  --custom-template-path "$root/openapi/templates" \
  --meta none \
  --output-path "$out" \
  --overwrite \
  --fail-on-warning >/dev/null
