#!/usr/bin/env bash
# `make api-diff`: no breaking change between the released baseline (openapi/baseline.json)
# and the document generated from the code (openapi/openapi.json), unless openapi/CHANGELOG.md
# names it. oasdiff reads the changelog as its error-ignore file: a line holding the method,
# the path and the change's text (as oasdiff prints it) accepts that change.
#
# oasdiff is installed once, pinned, with `go install` into .local/tools/bin (git-ignored),
# like kustomize in deploy/tools/validate.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OASDIFF_VERSION="v1.37.0"
TOOLS="$ROOT/.local/tools"
OASDIFF="$TOOLS/bin/oasdiff"
STAMP="$TOOLS/bin/.oasdiff-version"

if [ ! -x "$OASDIFF" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$OASDIFF_VERSION" ]; then
    command -v go >/dev/null || { echo "api-diff: Go is needed once to install oasdiff" >&2; exit 1; }
    echo "installing oasdiff $OASDIFF_VERSION into .local/tools/bin (once)" >&2
    mkdir -p "$TOOLS/bin"
    goenv="$(go env GOENV)"
    env GOENV="$goenv" XDG_CONFIG_HOME="$TOOLS/go/config" GOPATH="$TOOLS/go" \
        GOMODCACHE="$TOOLS/go/pkg/mod" GOCACHE="$TOOLS/go/cache" GOBIN="$TOOLS/bin" \
        GOFLAGS=-modcacherw GOTOOLCHAIN=local CGO_ENABLED=0 \
        go install "github.com/oasdiff/oasdiff@$OASDIFF_VERSION"
    rm -rf "$TOOLS/go"
    echo "$OASDIFF_VERSION" > "$STAMP"
fi

if ! "$OASDIFF" breaking openapi/baseline.json openapi/openapi.json \
        --fail-on ERR --err-ignore openapi/CHANGELOG.md --format text --color never; then
    echo "api-diff: breaking change(s) above: keep the contract (add, never rename), or name" \
         "each accepted one in openapi/CHANGELOG.md (method, path and the text above)" >&2
    exit 1
fi
echo "openapi/openapi.json: no unlisted breaking change against openapi/baseline.json"
