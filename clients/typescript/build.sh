#!/usr/bin/env bash
# Installs the pinned TypeScript tools into .local/node (git-ignored), regenerates
# src/schema.d.ts from openapi/openapi.json and compiles the client with tsc into dist/.
# The packages come from the npm registry configured on the machine; nothing here names it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tools="$root/.local/node"
mkdir -p "$tools"
if ! cmp -s "$here/package.json" "$tools/package.json"; then
  cp "$here/package.json" "$tools/package.json"
  (cd "$tools" && npm install --no-package-lock --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
fi
ln -sfn "$tools/node_modules" "$here/node_modules"
"$tools/node_modules/.bin/openapi-typescript" "$root/openapi/openapi.json" \
  --output "$here/src/schema.d.ts" --alphabetize --silent
(cd "$here" && "$tools/node_modules/.bin/tsc" -p tsconfig.json)
echo "clients/typescript: types generated and compiled (dist/)"
