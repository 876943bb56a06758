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
# ReDoc: only its standalone script is needed (served by the gateway at /redoc), so the
# package is unpacked rather than installed with its dependency tree.
redoc_version="$(node -p "require('$here/package.json')['x-vendored-bundles'].redoc")"
redoc_dir="$tools/node_modules/redoc"
if [ "$(cat "$redoc_dir/.version" 2>/dev/null)" != "$redoc_version" ]; then
  rm -rf "$redoc_dir" && mkdir -p "$redoc_dir"
  tarball="$(cd "$tools" && npm pack "redoc@$redoc_version" --silent)"
  tar -xzf "$tools/$tarball" -C "$redoc_dir" --strip-components=1 package/bundles/redoc.standalone.js
  rm -f "$tools/$tarball"
  echo "$redoc_version" > "$redoc_dir/.version"
fi
"$tools/node_modules/.bin/openapi-typescript" "$root/openapi/openapi.json" \
  --output "$here/src/schema.d.ts" --alphabetize --silent
(cd "$here" && "$tools/node_modules/.bin/tsc" -p tsconfig.json)
echo "clients/typescript: types generated and compiled (dist/)"
