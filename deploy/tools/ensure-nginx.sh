#!/usr/bin/env bash
# The compose gateway's nginx.conf is exercised by a real nginx in `make test`
# (deploy/tests/test_gateway_generation.py). Install it once where it is missing: Debian's
# nginx-light, as root (CI and this machine kind); elsewhere say how.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing nginx-light (Debian package) for the gateway tests" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >&2
    exit 0
fi
echo "ensure-nginx: nginx is needed by the gateway tests; install it (e.g. apt-get install nginx-light)" >&2
exit 1
